"""Tests of synthbio.physics: rate laws, the basis, the two fits and their batches."""

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


def logistic(t, r=R, k=K, n0=N0):
    return k / (1 + (k / n0 - 1) * np.exp(-r * np.asarray(t, dtype=float)))


def noisy(values, noise, seed, replicates=None):
    rng = np.random.default_rng(seed)
    shape = np.shape(values) if replicates is None else (replicates, np.size(values))
    return values * np.exp(noise * rng.standard_normal(shape))


def law_residual(fit, law, t):
    theta = [fit.params[k] for k in law.param_names]
    return fit.derivative(t) / fit.predict(t) - law.per_capita(fit.predict(t), theta)


# ------------------------------------------------------------------ rate laws


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


def test_logistic_law_is_solved_by_its_closed_form():
    t = np.linspace(0.0, 20.0, 51)
    sol = solve_ivp(
        lambda _t, n: ph.LOGISTIC.rhs(n, [R, K]), (0, 20), [N0], t_eval=t, rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(logistic(t), sol.y[0], rtol=1e-7)


# ---------------------------------------------------------------------- basis


def test_basis_derivative_matches_finite_differences():
    t = np.linspace(0.5, 19.5, 17)
    h = 1e-6
    num = (BASIS.design(t + h) - BASIS.design(t - h)) / (2 * h)
    np.testing.assert_allclose(BASIS.derivative(t), num, rtol=1e-5, atol=1e-5)


def test_roughness_of_a_parabola_is_known():
    # u(t) = (t/T)^2 has T^2 u'' = 2 everywhere: mean square 4. A straight line has 0.
    t = np.linspace(0, 20, 50)
    for u, expected in [((t / 20) ** 2, 4.0), (3 - 0.1 * t, 0.0)]:
        c = np.linalg.lstsq(BASIS.design(t), u, rcond=None)[0]
        assert c @ BASIS.roughness() @ c == pytest.approx(expected, abs=1e-8)


# ----------------------------------------------------------------------- fits


def test_noise_free_data_are_interpolated_by_both_fits():
    t = np.linspace(0.0, 20.0, 15)
    y = logistic(t)
    data = ph.fit_data_only(t, y, basis=BASIS, smoothing=0.0)
    np.testing.assert_allclose(data.predict(t), y, rtol=1e-6, atol=1e-6 * K)
    phys = ph.fit_physics_informed(t, y, rate_law="logistic", collocation=GRID, basis=BASIS)
    assert phys.converged is True
    np.testing.assert_allclose(phys.predict(t), y, atol=2e-3 * K)
    assert phys.params["r"] == pytest.approx(R, rel=2e-3)
    assert phys.params["K"] == pytest.approx(K, rel=2e-3)
    assert phys.dof == 3.0 and phys.law == "logistic"


def test_physics_recovers_r_and_K_from_data_before_the_inflection():
    t = np.linspace(0.0, 7.0, 12)
    assert t[-1] < np.log(K / N0 - 1) / R  # before the fastest growth
    y = noisy(logistic(t), 0.01, 11)
    fit = ph.fit_physics_informed(t, y, rate_law=ph.LOGISTIC, collocation=GRID, basis=BASIS)
    assert fit.converged
    assert fit.params["r"] == pytest.approx(R, rel=0.03)
    assert fit.params["K"] == pytest.approx(K, rel=0.10)
    late = np.linspace(14, 20, 7)  # the plateau it never saw
    np.testing.assert_allclose(fit.predict(late), logistic(late), rtol=0.10)
    # the same parameters as a direct fit of the closed form to ln y (an independent route)
    popt, _ = curve_fit(
        lambda s, r, k, n0: np.log(logistic(s, r, k, n0)), t, np.log(y), [0.5, 80, 1]
    )
    assert fit.params["r"] == pytest.approx(popt[0], rel=5e-3)
    assert fit.params["K"] == pytest.approx(popt[1], rel=2e-2)
    assert np.abs(law_residual(fit, ph.LOGISTIC, GRID)).max() < 0.01 * R


def test_data_only_fit_cannot_find_the_plateau():
    t = np.linspace(0.0, 7.0, 12)
    fit = ph.fit_data_only(t, noisy(logistic(t), 0.01, 11), basis=BASIS)
    late = np.linspace(14, 20, 7)
    assert np.sqrt(np.mean((fit.predict(late) - logistic(late)) ** 2)) > 0.3 * K
    assert 2.0 <= fit.dof <= t.size and fit.params == {} and fit.law is None


def test_zero_weight_ignores_the_law_and_a_positive_weight_obeys_it():
    t = np.linspace(0.0, 20.0, 30)
    y = noisy(logistic(t), 0.05, 2)
    kwargs = {"rate_law": "logistic", "collocation": GRID, "basis": BASIS, "params0": [R, K]}
    free = ph.fit_physics_informed(t, y, weight=0.0, **kwargs)
    # no law: the curve is the (almost unpenalised) least-squares fit to the data
    data = ph.fit_data_only(t, y, basis=BASIS, smoothing=0.0)
    np.testing.assert_allclose(free.predict(t), data.predict(t), rtol=1e-3)
    bound = ph.fit_physics_informed(t, y, weight=1.0, **kwargs)
    assert (
        np.abs(law_residual(bound, ph.LOGISTIC, GRID)).max()
        < 0.1 * np.abs(law_residual(free, ph.LOGISTIC, GRID)).max()
    )


def test_exponential_law_recovers_its_rate():
    t = np.linspace(0.0, 5.0, 8)
    fit = ph.fit_physics_informed(
        t,
        2.0 * np.exp(0.4 * t),
        rate_law="exponential",
        collocation=np.linspace(0, 5, 41),
        basis=ph.make_basis(0, 5, 16),
    )
    assert fit.params["r"] == pytest.approx(0.4, rel=1e-4)


def test_michaelis_menten_parameters_are_identified():
    t = np.linspace(0.0, 12.0, 14)
    sol = solve_ivp(
        lambda _t, s: ph.MICHAELIS_MENTEN.rhs(s, [1.0, 2.0]),
        (0, 12),
        [10.0],
        t_eval=t,
        rtol=1e-11,
        atol=1e-12,
    )
    fit = ph.fit_physics_informed(
        t,
        sol.y[0],
        rate_law="michaelis_menten",
        collocation=np.linspace(0, 12, 61),
        basis=ph.make_basis(0, 12, 24),
    )
    assert fit.params["Vmax"] == pytest.approx(1.0, rel=1e-2)
    assert fit.params["Km"] == pytest.approx(2.0, rel=3e-2)


def test_leave_one_out_choice_matches_brute_force():
    t = np.linspace(0.0, 20.0, 9)
    y = noisy(logistic(t), 0.05, 4)
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
    assert chosen == pytest.approx(ph.SMOOTHING_GRID[int(np.argmin(scores))])


def test_dof_of_the_data_only_fit_is_the_trace_of_its_hat_matrix():
    t = np.linspace(0.0, 20.0, 9)
    y = noisy(logistic(t), 0.05, 4)
    fit = ph.fit_data_only(t, y, basis=BASIS, smoothing=1e-3)
    # the hat matrix maps ln y to the fitted ln y; build it column by column
    hat = np.empty((t.size, t.size))
    for j in range(t.size):
        e = np.zeros(t.size)
        e[j] = 1e-3
        up = ph.fit_data_only(t, y * np.exp(e), basis=BASIS, smoothing=1e-3)
        hat[:, j] = (np.log(up.predict(t)) - np.log(fit.predict(t))) / 1e-3
    assert fit.dof == pytest.approx(np.trace(hat), rel=1e-6)


def test_batches_agree_with_single_fits():
    t = np.linspace(0.0, 10.0, 8)
    ys = noisy(logistic(t), 0.05, 8, replicates=3)
    batch = ph.fit_data_only(t, ys, basis=BASIS)
    assert batch.coef.shape == (3, BASIS.size) and batch.predict(GRID).shape == (3, GRID.size)
    for j in range(3):
        single = ph.fit_data_only(t, ys[j], basis=BASIS)
        np.testing.assert_allclose(batch.predict(GRID)[j], single.predict(GRID), rtol=1e-8)
        assert batch.smoothing[j] == single.smoothing and batch.dof[j] == pytest.approx(single.dof)
    law = ph.fit_physics_informed(t, ys[:2], rate_law="logistic", collocation=GRID, basis=BASIS)
    single = ph.fit_physics_informed(t, ys[1], rate_law="logistic", collocation=GRID, basis=BASIS)
    assert law.params["r"].shape == (2,) and law.converged.shape == (2,)
    assert law.params["K"][1] == pytest.approx(single.params["K"], rel=1e-8)
    np.testing.assert_allclose(law.predict(t)[1], single.predict(t), rtol=1e-8)
    np.testing.assert_allclose(law.derivative(t)[1], single.derivative(t), rtol=1e-7)


@settings(max_examples=20, deadline=None)
@given(r=st.floats(0.2, 2.0), k=st.floats(10.0, 1e4), ratio=st.floats(20.0, 500.0))
def test_noise_free_growth_curves_give_back_their_parameters(r, k, ratio):
    n0 = k / ratio
    t_end = 1.5 * np.log(ratio - 1) / r  # past the inflection
    t = np.linspace(0.0, t_end, 12)
    fit = ph.fit_physics_informed(
        t,
        logistic(t, r, k, n0),
        rate_law="logistic",
        collocation=np.linspace(0.0, t_end, 61),
        basis=ph.make_basis(0.0, t_end, 24),
    )
    assert fit.params["r"] == pytest.approx(r, rel=1e-2)
    assert fit.params["K"] == pytest.approx(k, rel=1e-2)


def test_collocation_before_the_data_leaks_no_warning():
    t = np.linspace(5.0, 10.0, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = ph.fit_physics_informed(
            t, logistic(t), rate_law="logistic", collocation=np.linspace(0.0, 20.0, 41)
        )
    assert fit.basis.start == 0.0 and fit.basis.stop == 20.0  # the default basis spans both


# ----------------------------------------------- checks that relate arguments


def test_relations_between_arguments_are_refused_by_name():
    t, y = np.linspace(0.0, 7.0, 6), logistic(np.linspace(0.0, 7.0, 6))
    with pytest.raises(ValueError, match="t and y must have the same length"):
        ph.fit_data_only(t, y[:-1])
    with pytest.raises(ValueError, match="need at least 4 observations"):
        ph.fit_physics_informed(t[:3], y[:3], rate_law="logistic", collocation=GRID)
    with pytest.raises(ValueError, match="params0 must give 2 values"):
        ph.fit_physics_informed(t, y, rate_law="logistic", collocation=GRID, params0=[1.0])
    with pytest.raises(ValueError, match="t must be strictly increasing"):
        ph.fit_data_only(t[::-1], y)
    with pytest.raises(ValueError, match="stop must be greater than start"):
        ph.make_basis(5.0, 5.0)
    with pytest.raises(TypeError, match="rate_law must be a RateLaw"):
        ph.fit_physics_informed(t, y, rate_law="gompertz", collocation=GRID)


def test_times_outside_the_basis_are_refused():
    t = np.linspace(0.0, 7.0, 12)
    fit = ph.fit_data_only(t, logistic(t))  # default basis: the data's range only
    with pytest.raises(ValueError, match=r"t must lie in the basis domain \[0, 7\]"):
        fit.predict([20.0])
    with pytest.raises(ValueError, match="t must lie in the basis domain"):
        ph.fit_data_only(t, logistic(t), basis=ph.make_basis(0.0, 5.0))
    with pytest.raises(ValueError, match="collocation must lie in the basis domain"):
        ph.fit_physics_informed(
            t, logistic(t), rate_law="logistic", collocation=GRID, basis=ph.make_basis(0.0, 7.0)
        )
