"""Scaling laws: exponent recovery, fits against SciPy and NumPy, closed forms vs SciPy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize

from synthbio import scaling as s

X_GRID = np.geomspace(10, 1e4, 12)


# --------------------------------------------------------------------------- power_law


def test_power_law_values_and_shapes():
    assert s.power_law(4.0, 3.0, 0.5) == pytest.approx(1.5, rel=1e-15)
    assert s.power_law(100.0, 2.0, 1.0, c=0.25) == pytest.approx(0.27, rel=1e-15)
    out = s.power_law([1, 10, 100], 1.0, 1.0)
    assert isinstance(out, np.ndarray) and out == pytest.approx([1.0, 0.1, 0.01], rel=1e-15)
    assert isinstance(s.power_law(2, 1.0, 0.0), float)


# --------------------------------------------------------------------------- fit_power_law


def test_fit_power_law_exact_data_is_recovered():
    y = 0.3 + 5.0 * X_GRID**-0.7
    fit = s.fit_power_law(X_GRID, y, replicates=20, rng=0)
    assert (fit.a, fit.alpha, fit.c) == pytest.approx((5.0, 0.7, 0.3), rel=1e-6)
    assert fit.boot.shape == (20, 3)
    assert fit.predict(X_GRID) == pytest.approx(y, rel=1e-9)
    plain = s.fit_power_law(X_GRID, 2.0 * X_GRID**-1.3, irreducible=False, replicates=20, rng=0)
    assert (plain.a, plain.alpha, plain.c) == pytest.approx((2.0, 1.3, 0.0), rel=1e-10, abs=0)
    # the no-floor fit is the one log-log line of synthbio.stats, and NumPy's
    assert plain.alpha == pytest.approx(
        -np.polyfit(np.log(X_GRID), np.log(2.0 * X_GRID**-1.3), 1)[0]
    )


def _alpha_se_theory(x, a, alpha, c, sigma):
    """Gauss–Newton standard error of alpha for log-space residuals of noise sigma."""
    lx = np.log(x)
    model = c + a * x**-alpha
    reducible = a * x**-alpha / model
    if c > 0:
        jac = np.column_stack(
            [reducible, -lx * reducible, 1.0 / model]
        )  # d log model / (log a, alpha, c)
    else:
        jac = np.column_stack([np.ones_like(lx), -lx])
    cov = np.linalg.inv(jac.T @ jac) * sigma**2
    return float(np.sqrt(cov[1, 1]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alpha=st.floats(0.1, 2.0),
    sigma=st.floats(0.0, 0.05),
    log10_a=st.floats(-1, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_fit_recovers_exponent_without_floor(alpha, sigma, log10_a, seed):
    rng = np.random.default_rng(seed)
    a = 10.0**log10_a
    y = a * X_GRID**-alpha * np.exp(sigma * rng.standard_normal(X_GRID.size))
    fit = s.fit_power_law(X_GRID, y, irreducible=False, replicates=50, rng=seed)
    tol = 6 * _alpha_se_theory(X_GRID, a, alpha, 0.0, sigma) + 1e-9
    assert abs(fit.alpha - alpha) <= tol
    assert fit.c == 0.0 and fit.alpha_ci[0] <= fit.alpha <= fit.alpha_ci[1]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alpha=st.floats(0.3, 2.0),
    sigma=st.floats(0.0, 0.02),
    floor_share=st.floats(0.05, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_fit_recovers_exponent_and_floor(alpha, sigma, floor_share, seed):
    # the floor is a fraction of the reducible part at the largest x, so both are visible
    rng = np.random.default_rng(seed)
    a = 2.0
    c = floor_share * a * X_GRID.max() ** -alpha
    y = (c + a * X_GRID**-alpha) * np.exp(sigma * rng.standard_normal(X_GRID.size))
    fit = s.fit_power_law(X_GRID, y, irreducible=True, replicates=20, rng=seed)
    tol = 6 * _alpha_se_theory(X_GRID, a, alpha, c, sigma) + 1e-5
    assert abs(fit.alpha - alpha) <= tol
    assert fit.c >= 0.0


def test_interval_coverage_is_close_to_nominal():
    # 400 noisy straight lines in log-log space: the 95 % interval should cover the
    # true exponent about 95 % of the time (binomial SE about 1.1 %)
    rng = np.random.default_rng(1)
    hits = []
    for i in range(400):
        y = 2.0 * X_GRID**-0.5 * np.exp(0.05 * rng.standard_normal(X_GRID.size))
        fit = s.fit_power_law(X_GRID, y, irreducible=False, replicates=200, rng=i)
        hits.append(fit.alpha_ci[0] <= 0.5 <= fit.alpha_ci[1])
    assert 0.91 <= np.mean(hits) <= 0.985


def test_fit_with_replicate_rows_fits_the_mean():
    rng = np.random.default_rng(3)
    curves = 2.0 * X_GRID**-0.5 * np.exp(0.1 * rng.standard_normal((6, X_GRID.size)))
    fit = s.fit_power_law(X_GRID, curves, irreducible=False, replicates=100, rng=0)
    direct = s.fit_power_law(X_GRID, curves.mean(axis=0), irreducible=False, replicates=20, rng=0)
    assert fit.alpha == pytest.approx(direct.alpha, rel=1e-12)
    assert fit.alpha_ci[0] < 0.5 < fit.alpha_ci[1]


def test_fit_agrees_with_scipy_curve_fit():
    rng = np.random.default_rng(7)
    y = (0.02 + 3.0 * X_GRID**-0.8) * np.exp(0.03 * rng.standard_normal(X_GRID.size))
    fit = s.fit_power_law(X_GRID, y, replicates=20, rng=0)

    def log_model(x, log_a, alpha, c):
        return np.log(c + np.exp(log_a) * x**-alpha)

    popt, _ = optimize.curve_fit(
        log_model,
        X_GRID,
        np.log(y),
        p0=(1.0, 0.5, 0.01),
        bounds=([-np.inf, 0.0, 0.0], [np.inf, 10.0, np.inf]),
    )
    assert (np.log(fit.a), fit.alpha, fit.c) == pytest.approx(tuple(popt), rel=1e-4)


def test_fit_is_reproducible_with_a_seed():
    y = 2.0 * X_GRID**-0.5 * np.exp(0.05 * np.random.default_rng(0).standard_normal(X_GRID.size))
    one = s.fit_power_law(X_GRID, y, rng=11, replicates=30)
    two = s.fit_power_law(X_GRID, y, rng=11, replicates=30)
    assert np.array_equal(one.boot, two.boot)


@pytest.mark.parametrize(
    "x, y, kwargs, match",
    [
        ([1, 2, 3], [1, 0.5, 0.3], {}, "at least 4 points"),
        ([1, 2], [1, 0.5], {"irreducible": False}, "at least 3 points"),
        ([1, 2, 3, 4], [1, 0.5, 0.3], {}, "y must have one value per x"),
        ([2, 2, 2, 2], [1, 0.5, 0.3, 0.2], {}, "two different values"),
        ([1, 2, 3, 4], [[1, 0.5, 0.3, 0.2]], {}, "≥ 2 rows"),
        ([0, 1, 2, 3], [1, 0.5, 0.3, 0.2], {}, "x must be ≥ 1e-100"),
    ],
)
def test_fit_bad_inputs(x, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        s.fit_power_law(x, y, **kwargs)


# --------------------------------------------------------------------------- Chinchilla


def test_published_parameters():
    h, e = s.CHINCHILLA, s.EPOCH_REPLICATION
    assert (h.E, h.A, h.B, h.alpha, h.beta) == (1.69, 406.4, 410.7, 0.34, 0.28)
    assert (e.E, e.A, e.B, e.alpha, e.beta) == (1.8172, 482.01, 2085.43, 0.3478, 0.3658)
    assert "Hoffmann" in h.source and "Besiroglu" in e.source
    assert h.a == pytest.approx(0.28 / 0.62, rel=1e-15) and h.a + h.b == pytest.approx(1.0)


def test_chinchilla_loss_formula_and_broadcasting():
    h = s.CHINCHILLA
    assert s.chinchilla_loss(70e9, 1.4e12) == pytest.approx(
        1.69 + 406.4 / 70e9**0.34 + 410.7 / 1.4e12**0.28, rel=1e-14
    )
    grid = s.chinchilla_loss(np.array([1e9, 1e10])[:, None], np.array([1e10, 1e11, 1e12]), h)
    assert grid.shape == (2, 3)
    assert np.all(np.diff(grid, axis=0) < 0) and np.all(np.diff(grid, axis=1) < 0)
    assert np.all(grid > h.E)


@pytest.mark.parametrize("params", [s.CHINCHILLA, s.EPOCH_REPLICATION], ids=["hoffmann", "epoch"])
@pytest.mark.parametrize("C", [1e18, 5.76e23, 1e26])
def test_compute_optimal_matches_numerical_minimisation(params, C):
    n_opt, d_opt = s.compute_optimal(C, params)
    assert 6 * n_opt * d_opt == pytest.approx(C, rel=1e-12)

    def reducible(log_n):
        n = np.exp(log_n)
        return s.chinchilla_loss(n, C / (6 * n), params) - params.E

    res = optimize.minimize_scalar(
        reducible, bounds=(np.log(1e3), np.log(1e16)), method="bounded", options={"xatol": 1e-10}
    )
    # the minimum is flat: double precision pins log N to about 1e-7
    assert np.exp(res.x) == pytest.approx(n_opt, rel=1e-6)


def test_compute_optimal_scaling_exponent_and_vectorisation():
    C = np.geomspace(1e18, 1e26, 9)
    for p in (s.CHINCHILLA, s.EPOCH_REPLICATION):
        n_opt, d_opt = s.compute_optimal(C, p)
        assert n_opt.shape == C.shape
        assert np.polyfit(np.log(C), np.log(n_opt), 1)[0] == pytest.approx(p.a, rel=1e-10)
        assert np.polyfit(np.log(C), np.log(d_opt), 1)[0] == pytest.approx(p.b, rel=1e-10)
    assert s.CHINCHILLA.a == pytest.approx(0.4516, abs=1e-4)
    assert s.EPOCH_REPLICATION.a == pytest.approx(0.5126, abs=1e-4)


def test_chinchilla_bad_inputs():
    with pytest.raises(TypeError, match="params must be a ScalingLawParams"):
        s.compute_optimal(1e20, params={"E": 1.69})
    with pytest.raises(ValueError, match="N and D must broadcast"):
        s.chinchilla_loss(np.ones(2) * 1e9, np.ones(3) * 1e9)


# --------------------------------------------------------------------------- effective_data


def test_effective_data_limits():
    assert s.effective_data(1e9, 1) == pytest.approx(1e9, rel=1e-15)
    assert s.effective_data(1e9, 0.5) == pytest.approx(0.5e9, rel=1e-15)
    assert s.effective_data(1e9, np.inf) == pytest.approx(16.4e9, rel=1e-15)
    assert s.effective_data(2.0, 1e6, r_star=3.0) == pytest.approx(8.0, rel=1e-12)
    # barely repeated data is worth nearly its full count: slope 1 at one epoch
    eps = 1e-6
    assert (s.effective_data(1.0, 1 + eps) - 1.0) / eps == pytest.approx(1.0, rel=1e-5)


@given(
    epochs=st.floats(1.0, 1e4),
    r_star=st.floats(0.1, 100.0),
)
def test_effective_data_is_an_integral_of_decaying_value(epochs, r_star):
    # the first pass counts in full; repetition t is worth exp(-t / r*)
    # (split where the integrand has all but died out, so quad cannot step over the mass)
    knee = min(epochs - 1.0, 40 * r_star)
    pieces = [
        integrate.quad(lambda t: np.exp(-t / r_star), lo, hi, limit=200)[0]
        for lo, hi in ((0.0, knee), (knee, epochs - 1.0))
    ]
    extra = sum(pieces)
    assert s.effective_data(1.0, epochs, r_star) == pytest.approx(1.0 + extra, rel=1e-9)


@given(st.lists(st.floats(0.01, 1e3), min_size=2, max_size=10))
def test_effective_data_is_monotone_and_bounded(epochs):
    e = np.sort(np.array(epochs))
    out = s.effective_data(5.0, e)
    assert np.all(np.diff(out) >= -1e-12)
    assert np.all(out <= 5.0 * np.minimum(e, 16.4) + 1e-9)


def test_effective_data_broadcasts():
    out = s.effective_data(np.array([1.0, 2.0])[:, None], np.array([1.0, 4.0, 40.0]))
    assert out.shape == (2, 3) and out[1] == pytest.approx(2 * out[0])


@pytest.mark.parametrize(
    "epochs, err",
    [
        (0.0, ValueError),
        (np.nan, ValueError),
        ([1.0, -2.0], ValueError),
        ([], TypeError),
        ("two", TypeError),
        (True, TypeError),
        ([1 + 1j], TypeError),
        (["1.0"], TypeError),
    ],
)
def test_effective_data_bad_epochs(epochs, err):
    with pytest.raises(err, match="epochs"):
        s.effective_data(1.0, epochs)


def test_effective_data_names_both_arguments_when_they_do_not_broadcast():
    with pytest.raises(ValueError, match="unique_tokens and epochs must broadcast"):
        s.effective_data(np.ones(2), np.ones(3) * 2)


# --------------------------------------------------------------------------- improvement_cost


def test_improvement_cost_closed_forms():
    assert s.improvement_cost(0.5) == pytest.approx(4.0, rel=1e-15)  # the n^(-1/2) law
    assert s.improvement_cost(0.5, factor=10.0) == pytest.approx(100.0, rel=1e-15)
    assert s.improvement_cost(1.0, factor=3.0) == pytest.approx(3.0, rel=1e-15)
    assert s.improvement_cost(0.28) == pytest.approx(11.888, abs=5e-4)  # Chinchilla's beta
    assert s.improvement_cost(0.095) == pytest.approx(1474.8, abs=0.05)  # Kaplan's alpha_D
    out = s.improvement_cost(np.array([[0.5], [1.0]]))
    assert isinstance(out, np.ndarray) and out.shape == (2, 1)
    assert out.ravel() == pytest.approx([4.0, 2.0], rel=1e-15)
    assert isinstance(s.improvement_cost(0.5), float)


@settings(max_examples=30, deadline=None)
@given(
    alpha=st.floats(0.05, 3.0),
    factor=st.floats(1.01, 100.0),
    x=st.floats(1.0, 1e6),
    a=st.floats(0.01, 100.0),
    halvings=st.integers(1, 5),
)
def test_improvement_cost_divides_the_reducible_error(alpha, factor, x, a, halvings):
    cost = s.improvement_cost(alpha, factor)
    # the power law at cost * x is the power law at x divided by factor, from any starting point
    assert s.power_law(cost * x, a, alpha) == pytest.approx(
        s.power_law(x, a, alpha) / factor, rel=1e-9
    )
    # m halvings cost the m-th power of one halving: a fixed factor per fixed factor
    assert s.improvement_cost(alpha, 2.0**halvings) == pytest.approx(
        s.improvement_cost(alpha) ** halvings, rel=1e-9
    )


def test_improvement_cost_matches_the_fit_and_overflows_cleanly():
    fit = s.fit_power_law(X_GRID, 2.0 * X_GRID**-0.7, irreducible=False, replicates=20, rng=0)
    assert s.improvement_cost(fit.alpha) == pytest.approx(2 ** (1 / 0.7), rel=1e-9)
    with np.errstate(all="raise"):
        assert s.improvement_cost(1e-4) == np.inf  # 2**10000 does not fit in a float


# --------------------------------------------------------------------------- Kaplan et al.


def test_kaplan_exponents():
    k = s.KAPLAN
    assert (k["alpha_N"], k["alpha_D"], k["alpha_C"]) == (0.076, 0.095, 0.050)
    assert (k["N_opt_exponent"], k["D_opt_exponent"]) == (0.73, 0.27)
    # C ∝ N D, so the two allocation exponents add up to one
    assert k["N_opt_exponent"] + k["D_opt_exponent"] == pytest.approx(1.0, rel=1e-12)
    assert "Kaplan" in k["source"] and k["key"] == "kaplan2020scaling"
    # pure power laws: the loss at D_c tokens is 1 nat, and halving it costs 2**(1/alpha_D)
    assert s.power_law(k["D_c"], k["D_c"] ** k["alpha_D"], k["alpha_D"]) == pytest.approx(1.0)
    with pytest.raises(TypeError):
        k["alpha_D"] = 0.1  # read-only


@pytest.mark.parametrize(
    "bad", [{"alpha": float("nan")}, {"beta": -0.3}, {"A": 0.0}, {"E": float("inf")}]
)
def test_scaling_law_params_refuse_nan_and_negative_constants(bad):
    fields = dict(E=1.7, A=400.0, B=400.0, alpha=0.34, beta=0.28, source="x", key="y")
    with pytest.raises(ValueError, match=next(iter(bad))):
        s.ScalingLawParams(**{**fields, **bad})
