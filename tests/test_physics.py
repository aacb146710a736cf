"""Tests of synthbio.physics: closed forms, the two fits, bootstrap bands, bad inputs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from scipy.optimize import curve_fit

from synthbio import physics as ph

R, K, N0 = 0.6, 100.0, 1.0
GRID = np.linspace(0.0, 20.0, 81)
BASIS = ph.make_basis(0.0, 20.0, 24)


def truth(t):
    return ph.logistic_growth(t, R, K, N0)


# --------------------------------------------------------------- closed forms


def test_logistic_satisfies_its_ode():
    t = np.linspace(0.0, 20.0, 401)
    h = 1e-5
    dndt = (truth(t + h) - truth(t - h)) / (2 * h)
    n = truth(t)
    np.testing.assert_allclose(dndt, R * n * (1 - n / K), rtol=1e-6, atol=1e-8)


def test_logistic_matches_a_numerical_solver():
    t = np.linspace(0.0, 20.0, 51)
    sol = solve_ivp(
        lambda _t, n: R * n * (1 - n / K), (0, 20), [N0], t_eval=t, rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(truth(t), sol.y[0], rtol=1e-7)


def test_logistic_limits_and_inflection():
    assert truth(0.0) == pytest.approx(N0, rel=1e-12)
    assert truth(200.0) == pytest.approx(K, rel=1e-12)
    t_star = ph.logistic_inflection(R, K, N0)
    assert t_star == pytest.approx(np.log(99.0) / 0.6, rel=1e-12)
    assert truth(t_star) == pytest.approx(K / 2, rel=1e-12)
    # the growth rate is largest there
    t = np.linspace(0, 20, 20001)
    assert t[np.argmax(ph.LOGISTIC.rhs(truth(t), np.array([R, K])))] == pytest.approx(
        t_star, abs=1e-3
    )


@settings(max_examples=60, deadline=None)
@given(
    r=st.floats(0.01, 5.0),
    k=st.floats(0.1, 1e6),
    frac=st.floats(1e-4, 3.0),
)
def test_logistic_is_monotone_between_start_and_capacity(r, k, frac):
    n0 = frac * k
    n = ph.logistic_growth(np.linspace(0.0, 50.0 / r, 200), r, k, n0)
    lo, hi = min(n0, k), max(n0, k)
    assert np.all(n >= lo * (1 - 1e-12)) and np.all(n <= hi * (1 + 1e-12))
    steps = np.diff(n)
    assert np.all(steps >= -1e-9 * hi) if n0 <= k else np.all(steps <= 1e-9 * hi)


@pytest.mark.parametrize("s0, km", [(10.0, 2.0), (1.0, 5.0), (2000.0, 1.0)])
def test_michaelis_menten_closed_form_matches_solver(s0, km):
    vmax = 1.5
    t = np.linspace(0.0, 1.2 * s0 / vmax, 40)
    sol = solve_ivp(
        lambda _t, s: -vmax * s / (km + s), (0, t[-1]), [s0], t_eval=t, rtol=1e-11, atol=1e-12
    )
    np.testing.assert_allclose(
        ph.michaelis_menten_depletion(t, vmax, km, s0), sol.y[0], rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize("law", [ph.LOGISTIC, ph.EXPONENTIAL, ph.MICHAELIS_MENTEN])
def test_rate_law_derivatives_match_finite_differences(law):
    rng = np.random.default_rng(0)
    y = rng.uniform(0.5, 50.0, 7)
    theta = rng.uniform(0.5, 80.0, len(law.param_names))
    h = 1e-6
    g = law.per_capita
    num_dy = (g(y + h, theta) - g(y - h, theta)) / (2 * h)
    np.testing.assert_allclose(law.d_dy(y, theta), num_dy, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(law.rhs(y, theta), y * g(y, theta), rtol=1e-14)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h * theta[i]
        num = (g(y, theta + e) - g(y, theta - e)) / (2 * e[i])
        np.testing.assert_allclose(law.d_dtheta(y, theta)[:, i], num, rtol=1e-6, atol=1e-8)


def test_noisy_observations_are_log_normal_and_reproducible():
    base = np.array([1.0, 10.0, 100.0])
    y = ph.noisy_observations(base, noise=0.1, replicates=20_000, rng=3)
    assert y.shape == (20_000, 3)
    np.testing.assert_allclose(np.log(y / base).std(axis=0), 0.1, rtol=0.03)
    np.testing.assert_allclose(np.log(y / base).mean(axis=0), 0.0, atol=4 * 0.1 / np.sqrt(20_000))
    np.testing.assert_array_equal(
        ph.noisy_observations(base, noise=0.1, rng=3), ph.noisy_observations(base, noise=0.1, rng=3)
    )
    np.testing.assert_array_equal(ph.noisy_observations(base, noise=0.0, rng=1), base)


# --------------------------------------------------------------------- basis


def test_basis_derivative_matches_finite_differences():
    t = np.linspace(0.5, 19.5, 17)
    h = 1e-6
    num = (BASIS.design(t + h) - BASIS.design(t - h)) / (2 * h)
    np.testing.assert_allclose(BASIS.derivative(t), num, rtol=1e-5, atol=1e-5)


def test_roughness_of_a_parabola_is_known():
    # u(t) = ((t - 0)/T)^2 has T^2 u'' = 2 everywhere: mean square 4. A straight line has 0.
    t = np.linspace(0, 20, 50)
    for u, expected in [((t / 20) ** 2, 4.0), (3 - 0.1 * t, 0.0)]:
        c = np.linalg.lstsq(BASIS.design(t), u, rcond=None)[0]
        assert c @ BASIS.roughness() @ c == pytest.approx(expected, abs=1e-8)


# ----------------------------------------------------------------------- fits


def test_noise_free_data_are_interpolated_by_both_fits():
    t = np.linspace(0.0, 20.0, 15)
    y = truth(t)
    data = ph.fit_data_only(t, y, basis=BASIS, smoothing=0.0)
    np.testing.assert_allclose(data.predict(t), y, rtol=1e-6, atol=1e-6 * K)
    phys = ph.fit_physics_informed(t, y, ode_residual="logistic", collocation=GRID, basis=BASIS)
    assert phys.converged
    np.testing.assert_allclose(phys.predict(t), y, atol=2e-3 * K)
    assert phys.params["r"] == pytest.approx(R, rel=2e-3)
    assert phys.params["K"] == pytest.approx(K, rel=2e-3)


def test_physics_recovers_r_and_K_from_data_before_the_inflection():
    t_star = ph.logistic_inflection(R, K, N0)
    t = np.linspace(0.0, 7.0, 12)
    assert t[-1] < t_star
    y = ph.noisy_observations(truth(t), noise=0.01, rng=11)
    fit = ph.fit_physics_informed(t, y, ode_residual=ph.LOGISTIC, collocation=GRID, basis=BASIS)
    assert fit.converged
    assert fit.params["r"] == pytest.approx(R, rel=0.03)
    assert fit.params["K"] == pytest.approx(K, rel=0.10)
    # and extrapolates to the plateau it never saw
    late = np.linspace(14, 20, 7)
    np.testing.assert_allclose(fit.predict(late), truth(late), rtol=0.10)
    # the same parameters as a direct least-squares fit of the closed form to ln y
    # (an independent route)
    popt, _ = curve_fit(
        lambda s, r, k, n0: np.log(k / (1 + (k / n0 - 1) * np.exp(-r * s))),
        t,
        np.log(y),
        p0=[0.5, 80, 1],
    )
    assert fit.params["r"] == pytest.approx(popt[0], rel=5e-3)
    assert fit.params["K"] == pytest.approx(popt[1], rel=2e-2)


def test_data_only_fit_cannot_find_the_plateau():
    t = np.linspace(0.0, 7.0, 12)
    y = ph.noisy_observations(truth(t), noise=0.01, rng=11)
    fit = ph.fit_data_only(t, y, basis=BASIS)
    late = np.linspace(14, 20, 7)
    assert np.sqrt(np.mean((fit.predict(late) - truth(late)) ** 2)) > 0.3 * K


def test_zero_weight_reduces_to_the_data_only_fit():
    t = np.linspace(0.0, 12.0, 10)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=2)
    data = ph.fit_data_only(t, y, basis=BASIS, smoothing=1e-4)
    phys = ph.fit_physics_informed(
        t, y, ode_residual="logistic", collocation=GRID, weight=0.0, basis=BASIS, smoothing=1e-4
    )
    np.testing.assert_allclose(phys.predict(GRID), data.predict(GRID), rtol=1e-5, atol=1e-5 * K)
    # while a positive weight moves the curve towards the law
    phys1 = ph.fit_physics_informed(
        t, y, ode_residual="logistic", collocation=GRID, weight=1.0, basis=BASIS, smoothing=1e-4
    )
    res0 = np.abs(ph.LOGISTIC.residual(phys1, GRID)).max()
    assert (
        res0
        < 0.1
        * np.abs(
            ph.LOGISTIC.residual(
                ph.Fit(data.basis, data.coef, data.scale, dict(phys1.params), 1e-4), GRID
            )
        ).max()
    )


def test_exponential_law_recovers_its_rate():
    t = np.linspace(0.0, 5.0, 8)
    y = 2.0 * np.exp(0.4 * t)
    fit = ph.fit_physics_informed(
        t,
        y,
        ode_residual="exponential",
        collocation=np.linspace(0, 5, 41),
        basis=ph.make_basis(0, 5, 16),
    )
    assert fit.params["r"] == pytest.approx(0.4, rel=1e-4)


def test_michaelis_menten_parameters_are_identified():
    t = np.linspace(0.0, 12.0, 14)
    y = ph.michaelis_menten_depletion(t, 1.0, 2.0, 10.0)
    fit = ph.fit_physics_informed(
        t,
        y,
        ode_residual="michaelis_menten",
        collocation=np.linspace(0, 12, 61),
        basis=ph.make_basis(0, 12, 24),
    )
    assert fit.params["Vmax"] == pytest.approx(1.0, rel=1e-2)
    assert fit.params["Km"] == pytest.approx(2.0, rel=3e-2)


def test_leave_one_out_choice_matches_brute_force():
    t = np.linspace(0.0, 20.0, 9)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=4)
    chosen = ph.fit_data_only(t, y, basis=BASIS).smoothing
    scores = []
    for lam in ph.SMOOTHING_GRID:
        errs = []
        for i in range(t.size):
            keep = np.arange(t.size) != i
            f = ph.fit_data_only(t[keep], y[keep], basis=BASIS, smoothing=lam)
            # the fitted curve does not depend on the data scale; errors are on the log scale
            errs.append(np.log(f.predict(t[i : i + 1])[0] / y[i]))
        scores.append(np.mean(np.square(errs)))
    # the closed-form leave-one-out score picks the same penalty as refitting n times
    best = ph.SMOOTHING_GRID[int(np.argmin(scores))]
    assert chosen == pytest.approx(best)


def test_fit_replicates_agree_with_single_fits():
    t = np.linspace(0.0, 10.0, 8)
    ys = ph.noisy_observations(truth(t), noise=0.05, replicates=3, rng=8)
    rep = ph.fit_replicates(t, ys, GRID, basis=BASIS)
    for j in range(3):
        np.testing.assert_allclose(
            rep.predictions[j],
            ph.fit_data_only(t, ys[j], basis=BASIS).predict(GRID),
            rtol=1e-8,
            atol=1e-8 * K,
        )
    rep_p = ph.fit_replicates(
        t, ys[:2], GRID, ode_residual="logistic", collocation=GRID, basis=BASIS
    )
    single = ph.fit_physics_informed(
        t, ys[1], ode_residual="logistic", collocation=GRID, basis=BASIS
    )
    np.testing.assert_allclose(rep_p.params[1], [single.params["r"], single.params["K"]], rtol=1e-8)
    np.testing.assert_allclose(rep_p.fitted[1], single.predict(t), rtol=1e-8)


def test_bootstrap_shapes_bands_and_reproducibility():
    t = np.linspace(0.0, 8.0, 10)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=5)
    b1 = ph.bootstrap(
        t, y, GRID, replicates=20, rng=7, ode_residual="logistic", collocation=GRID, basis=BASIS
    )
    b2 = ph.bootstrap(
        t, y, GRID, replicates=20, rng=7, ode_residual="logistic", collocation=GRID, basis=BASIS
    )
    assert b1.predictions.shape == (20, GRID.size) and b1.params.shape == (20, 2)
    np.testing.assert_array_equal(b1.params, b2.params)
    lo, hi = b1.band(0.9)
    assert np.all(lo <= hi)
    assert set(b1.param_se()) == {"r", "K"} and all(v > 0 for v in b1.param_se().values())
    d = ph.bootstrap(t, y, GRID, replicates=50, rng=7, basis=BASIS)
    assert d.predictions.shape == (50, GRID.size) and d.params.shape == (50, 0)
    # resampling reweights points: the band of the data-only fit contains the fit itself
    # inside the data
    fit = ph.fit_data_only(t, y, basis=BASIS)
    lo, hi = d.band(0.98)
    inside = GRID <= 8.0
    assert (
        np.mean(
            (fit.predict(GRID)[inside] >= lo[inside]) & (fit.predict(GRID)[inside] <= hi[inside])
        )
        > 0.9
    )


def test_residual_bootstrap_of_least_squares_matches_its_closed_form():
    # a 3-function basis without penalty is ordinary least squares of ln y on a quadratic; the
    # residual bootstrap then has Var(x0 @ c*) = s^2 x0 (X'X)^-1 x0 with s^2 = RSS / (n - 3)
    t = np.linspace(0.0, 8.0, 15)
    y = ph.noisy_observations(truth(t), noise=0.1, rng=3)
    basis = ph.make_basis(0.0, 8.0, 3)
    t_new = np.array([0.0, 4.0, 8.0])
    boot = ph.bootstrap(t, y, t_new, replicates=20_000, rng=4, basis=basis, smoothing=0.0)
    x = basis.design(t)
    resid = np.log(y) - x @ np.linalg.lstsq(x, np.log(y), rcond=None)[0]
    s2 = resid @ resid / (t.size - 3)
    x0 = basis.design(t_new)
    expected = s2 * np.einsum("ij,jk,ik->i", x0, np.linalg.inv(x.T @ x), x0)
    # the variance of a variance estimate from B draws has relative SE about sqrt(2 / B) = 1 %
    np.testing.assert_allclose(np.log(boot.predictions).var(axis=0), expected, rtol=0.06)


def test_residual_bootstrap_of_the_law_agrees_with_the_asymptotic_standard_errors():
    # second route: the covariance curve_fit reports for the closed form, on the same log data
    t = np.linspace(0.0, 10.0, 15)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=11)
    boot = ph.bootstrap(
        t,
        y,
        [0.0, 10.0],
        replicates=400,
        rng=12,
        ode_residual="logistic",
        collocation=np.linspace(0.0, 10.0, 41),
        basis=ph.make_basis(0.0, 10.0, 24),
    )
    assert boot.converged.all()

    def log_logistic(tt, r, k, n0):
        return np.log(ph.logistic_growth(tt, r, k, n0))

    _, pcov = curve_fit(log_logistic, t, np.log(y), p0=[0.5, 80.0, 1.0])
    se = boot.param_se()
    # bootstrap SDs from 400 replicates are good to about 4 %; the asymptotic SE is approximate
    assert se["r"] == pytest.approx(np.sqrt(pcov[0, 0]), rel=0.25)
    assert se["K"] == pytest.approx(np.sqrt(pcov[1, 1]), rel=0.25)


def test_residual_bootstrap_keeps_the_times_and_cases_is_still_there():
    t = np.linspace(0.0, 8.0, 10)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=5)
    kw = dict(replicates=10, ode_residual="logistic", collocation=GRID, basis=BASIS)
    default = ph.bootstrap(t, y, GRID, rng=1, **kw)
    residual = ph.bootstrap(t, y, GRID, rng=1, method="residual", **kw)
    np.testing.assert_array_equal(default.params, residual.params)
    cases = ph.bootstrap(t, y, GRID, rng=1, method="cases", **kw)
    assert cases.params.shape == (10, 2) and not np.array_equal(cases.params, residual.params)
    # data lying exactly on the law leave no residuals: every replicate is the fit itself
    exact = ph.bootstrap(t, truth(t), GRID, rng=2, method="residual", **kw)
    np.testing.assert_allclose(exact.params, np.tile([R, K], (10, 1)), rtol=1e-3)


def test_param_interval_is_the_quantile_interval():
    t = np.linspace(0.0, 8.0, 10)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=5)
    boot = ph.bootstrap(
        t, y, GRID, replicates=30, rng=7, ode_residual="logistic", collocation=GRID, basis=BASIS
    )
    interval = boot.param_interval(0.8)
    np.testing.assert_allclose(
        [interval["r"][0], interval["K"][1]],
        [np.quantile(boot.params[:, 0], 0.1), np.quantile(boot.params[:, 1], 0.9)],
    )
    assert interval["K"][0] < interval["K"][1]
    with pytest.raises(ValueError, match="level"):
        boot.param_interval(1.0)


def test_bootstrap_refuses_unknown_methods_and_interpolating_fits():
    t = np.linspace(0.0, 8.0, 10)
    y = ph.noisy_observations(truth(t), noise=0.05, rng=5)
    for bad in ("wild", 3, None):
        with pytest.raises(ValueError, match="method"):
            ph.bootstrap(t, y, GRID, replicates=2, rng=0, basis=BASIS, method=bad)
    # 24 unpenalised polynomials through 3 points leave no residuals to resample
    with pytest.raises(ValueError, match="no residuals"):
        ph.bootstrap(t[:3], y[:3], [0.0, 1.0], replicates=2, rng=0, basis=BASIS, smoothing=0.0)
    ph.bootstrap(
        t[:3], y[:3], [0.0, 1.0], replicates=2, rng=0, basis=BASIS, smoothing=0.0, method="cases"
    )


# ----------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"r": -1.0, "K": 100.0, "N0": 1.0}, "r"),
        ({"r": 0.5, "K": -100.0, "N0": 1.0}, "K"),
        ({"r": 0.5, "K": 100.0, "N0": 0.0}, "N0"),
        ({"r": 0.5, "K": float("nan"), "N0": 1.0}, "K"),
    ],
)
def test_logistic_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ph.logistic_growth([0.0, 1.0], **kwargs)


def test_logistic_rejects_bad_types_and_times():
    with pytest.raises(TypeError, match="r"):
        ph.logistic_growth([0.0], "fast", 1.0, 1.0)
    with pytest.raises(ValueError, match="t"):
        ph.logistic_growth([0.0, np.nan], 1.0, 1.0, 0.5)
    with pytest.raises(ValueError, match="N0"):
        ph.logistic_inflection(0.5, 100.0, 60.0)
    with pytest.raises(ValueError, match="t"):
        ph.michaelis_menten_depletion([-1.0], 1.0, 1.0, 1.0)


def test_fits_reject_bad_data():
    t = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="strictly increasing"):
        ph.fit_data_only(t[::-1], y)
    with pytest.raises(ValueError, match="strictly increasing"):
        ph.fit_physics_informed([0.0, 1.0, 1.0, 2.0], y, ode_residual="logistic", collocation=GRID)
    with pytest.raises(ValueError, match="at least 3"):
        ph.fit_data_only(t[:2], y[:2])
    with pytest.raises(ValueError, match="at least 4"):
        ph.fit_physics_informed(t[:3], y[:3], ode_residual="logistic", collocation=GRID)
    with pytest.raises(ValueError, match="same length"):
        ph.fit_data_only(t, y[:3])
    with pytest.raises(ValueError, match="y"):
        ph.fit_data_only(t, [1.0, np.nan, 2.0, 3.0])
    with pytest.raises(TypeError, match="ode_residual"):
        ph.fit_physics_informed(t, y, ode_residual="gompertz", collocation=GRID)
    with pytest.raises(ValueError, match="weight"):
        ph.fit_physics_informed(t, y, ode_residual="logistic", collocation=GRID, weight=-1.0)
    with pytest.raises(ValueError, match="collocation"):
        ph.fit_physics_informed(t, y, ode_residual="logistic", collocation=[[0.0, 1.0]])
    with pytest.raises(ValueError, match="params0"):
        ph.fit_physics_informed(t, y, ode_residual="logistic", collocation=GRID, params0=[0.5])
    with pytest.raises(ValueError, match="params0"):
        ph.fit_physics_informed(
            t, y, ode_residual="logistic", collocation=GRID, params0=[0.5, -3.0]
        )
    with pytest.raises(ValueError, match="smoothing"):
        ph.fit_data_only(t, y, smoothing="gcv")
    with pytest.raises(ValueError, match="smoothing"):
        ph.fit_data_only(t, y, smoothing=-1.0)
    with pytest.raises(TypeError, match="basis"):
        ph.fit_data_only(t, y, basis="chebyshev")
    with pytest.raises(ValueError, match="y must be > 0"):
        ph.fit_data_only(t, [1.0, 0.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="ys"):
        ph.fit_replicates(t, [[[1.0, 2.0, 3.0, 4.0]]], t)
    with pytest.raises(ValueError, match=r"\['r', 'K'\]"):
        ph.LOGISTIC.residual(ph.fit_data_only(t, y), t)


def test_basis_and_bootstrap_reject_bad_arguments():
    with pytest.raises(ValueError, match="stop"):
        ph.make_basis(5.0, 1.0)
    with pytest.raises(ValueError, match="size"):
        ph.make_basis(0.0, 1.0, 2)
    with pytest.raises(TypeError, match="size"):
        ph.make_basis(0.0, 1.0, 4.0)
    t = np.linspace(0, 5, 6)
    with pytest.raises(ValueError, match="replicates"):
        ph.bootstrap(t, t + 1, t, replicates=1)
    with pytest.raises(TypeError, match="rng"):
        ph.bootstrap(t, t + 1, t, replicates=5, rng="seed")
    with pytest.raises(ValueError, match="noise"):
        ph.noisy_observations([1.0, 2.0], noise=-0.1)
    with pytest.raises(ValueError, match="truth"):
        ph.noisy_observations([1.0, -2.0], noise=0.1)


@settings(max_examples=20, deadline=None)
@given(r=st.floats(0.2, 2.0), k=st.floats(10.0, 1e4), ratio=st.floats(20.0, 500.0))
def test_noise_free_growth_curves_give_back_their_parameters(r, k, ratio):
    # any logistic curve observed up to a little past its inflection identifies r and K
    n0 = k / ratio
    t_star = ph.logistic_inflection(r, k, n0)
    t = np.linspace(0.0, 1.3 * t_star, 12)
    end = 2.5 * t_star
    fit = ph.fit_physics_informed(
        t,
        ph.logistic_growth(t, r, k, n0),
        ode_residual="logistic",
        collocation=np.linspace(0.0, end, 81),
        basis=ph.make_basis(0.0, end, 24),
    )
    assert fit.params["r"] == pytest.approx(r, rel=1e-2)
    assert fit.params["K"] == pytest.approx(k, rel=1e-2)


def test_noisy_observations_refuses_noise_that_overflows():
    # exp(1e9 · ε) used to overflow to inf (or underflow to 0) with only a RuntimeWarning
    with pytest.raises(ValueError, match="noise"):
        ph.noisy_observations([1.0, 2.0], noise=1e9, rng=0)


def test_fit_replicates_names_ys():
    with pytest.raises(ValueError, match="ys"):
        ph.fit_replicates([0.0, 1.0, 2.0], [[1.0, -2.0, 3.0]], [0.5])


def _logistic_points():
    t = np.arange(7.0)
    return t, ph.logistic_growth(t, 1.0, 10.0, 0.5) * (1.0 + 0.02 * (-1.0) ** t)


def test_default_basis_spans_prediction_times():
    # predictions beyond the data used to evaluate the polynomials outside their domain:
    # exp overflowed to inf with a RuntimeWarning
    t, y = _logistic_points()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        boot = ph.bootstrap(t, y, [0.0, 8.0], replicates=3, rng=0, smoothing=0.01)
        reps = ph.fit_replicates(t, [y, y], [-1.0, 8.0], smoothing=0.01)
    assert np.all(np.isfinite(boot.predictions)) and np.all(np.isfinite(reps.predictions))
    assert np.all(boot.predictions > 0) and np.all(reps.predictions > 0)


def test_explicit_basis_must_cover_prediction_times():
    t, y = _logistic_points()
    basis = ph.make_basis(0.0, 6.0, 8)
    with pytest.raises(ValueError, match="t_new"):
        ph.bootstrap(t, y, [0.0, 9.0], replicates=2, rng=0, basis=basis)
    with pytest.raises(ValueError, match="t_eval"):
        ph.fit_replicates(
            t,
            [y],
            [0.0, 9.0],
            basis=basis,
            ode_residual="logistic",
            collocation=np.linspace(0.0, 6.0, 7),
        )


def test_collocation_before_the_data_leaks_no_warning():
    # a trial step of the optimiser overflowed the parameters: "divide by zero" RuntimeWarning
    t, y = _logistic_points()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = ph.fit_physics_informed(
            t,
            y,
            ode_residual="logistic",
            params0=[1.0, 10.0],
            collocation=np.linspace(-9.0, -1.0, 9),
        )
    assert np.all(np.isfinite(fit.predict(t)))


def test_predict_refuses_times_outside_the_basis_domain():
    # a data-only fit on [0, 6] predicted [1e-80, inf, inf] at 8, 10, 20 with only an
    # overflow warning
    t, y = _logistic_points()
    fit = ph.fit_data_only(t, y, smoothing=0.01)
    with pytest.raises(ValueError, match=r"t must lie in the basis domain \[0, 6\]"):
        fit.predict([8.0, 10.0, 20.0])
    with pytest.raises(ValueError, match="basis domain"):
        fit.derivative([-1.0])
    wide = ph.fit_data_only(t, y, smoothing=0.01, basis=ph.make_basis(0.0, 20.0, 8))
    assert np.all(np.isfinite(wide.predict([8.0, 10.0, 20.0])))


def test_fit_data_only_refuses_a_basis_that_does_not_cover_the_data():
    t = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    y = list(ph.logistic_growth(t, 1.0, 10.0, 0.5))
    with pytest.raises(ValueError, match="t must lie in the basis domain"):
        ph.fit_data_only(t, y, basis=ph.make_basis(0.0, 3.0, 8))


@pytest.mark.parametrize(
    "bad", [{"y": "huge"}, {"y": "tiny"}, {"replicates": 10**12}, {"smoothing": 1e300}]
)
def test_bootstrap_refuses_extreme_inputs_quickly(bad):
    """Issue #23: 2**62 entries and subnormals hung the physics fits."""
    import time

    t = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    y = list(ph.logistic_growth(t, 1.0, 10.0, 0.5))
    kwargs = dict(
        t=t,
        y=y,
        t_new=[0.0, 3.0],
        replicates=2,
        rng=0,
        ode_residual="logistic",
        collocation=np.linspace(0.0, 8.0, 9),
    )
    if "y" in bad:
        y[0] = 2.0**62 * 1e90 if bad["y"] == "huge" else 5e-324
        kwargs["y"] = y
    else:
        kwargs.update(bad)
    start = time.perf_counter()
    with pytest.raises(ValueError):
        ph.bootstrap(**kwargs)
    assert time.perf_counter() - start < 2.0
