"""Tests of synthbio.collapse: the closed forms against small simulations and by-hand values."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from synthbio import collapse as C


def assert_mc(estimate, expected, se, z=4.0):
    """Monte Carlo agreement within ``z`` standard errors (elementwise)."""
    estimate, expected, se = map(np.asarray, (estimate, expected, se))
    assert np.all(np.abs(estimate - expected) <= z * se + 1e-12), (estimate, expected, se)


def mean_and_se(x, axis=0):
    x = np.asarray(x, dtype=float)
    return x.mean(axis=axis), x.std(axis=axis, ddof=1) / np.sqrt(x.shape[axis])


def resample(counts, generations, replicates, seed):
    """Wright–Fisher chains: (replicate, generation, category) counts."""
    rng = np.random.default_rng(seed)
    counts = np.asarray(counts)
    out = np.empty((replicates, generations + 1, counts.size), dtype=np.int64)
    out[:, 0] = counts
    for g in range(1, generations + 1):
        out[:, g] = rng.multinomial(counts.sum(), out[:, g - 1] / counts.sum())
    return out


def normal_chain(n, generations, replicates, seed, *, ddof=0, accumulate=False):
    """Fitted (mean, sd) of a normal refitted to its own samples, from N(0, 1)."""
    rng = np.random.default_rng(seed)
    mean = np.zeros((replicates, generations + 1))
    sd = np.ones((replicates, generations + 1))
    pool = np.zeros((replicates, 0))
    for g in range(1, generations + 1):
        batch = mean[:, g - 1 : g] + sd[:, g - 1 : g] * rng.standard_normal((replicates, n))
        pool = np.hstack([pool, batch]) if accumulate else batch
        mean[:, g], sd[:, g] = pool.mean(axis=1), pool.std(axis=1, ddof=ddof)
    return mean, sd


# --------------------------------------------------------------------------- categories


def test_loss_probability_one_generation_closed_form():
    k = np.array([1, 2, 5, 10])
    got = C.loss_probability(k, 40, 1)
    np.testing.assert_allclose(got[:, 1], (1 - k / 40) ** 40, rtol=1e-12)
    np.testing.assert_array_equal(got[:, 0], 0.0)


def test_loss_probability_edges_and_limit():
    np.testing.assert_array_equal(C.loss_probability(0, 10, 5), 1.0)
    np.testing.assert_allclose(C.loss_probability(10, 10, 5), 0.0, atol=1e-15)
    k = np.array([1, 3, 7])  # eventually lost with probability 1 - k/N (Kimura)
    np.testing.assert_allclose(C.loss_probability(k, 10, 600)[:, -1], 1 - k / 10, atol=1e-9)


def test_loss_probability_matches_simulation():
    counts = np.array([1, 2, 5, 92])
    sim = resample(counts, 25, 6000, seed=13) == 0
    exact = C.loss_probability(counts, 100, 25).T
    assert_mc(sim.mean(axis=0), exact, np.sqrt(exact * (1 - exact) / 6000))


@settings(max_examples=30, deadline=None)
@given(total=st.integers(1, 40), frac=st.floats(0, 1), gens=st.integers(0, 30))
def test_loss_probability_is_a_nondecreasing_probability(total, frac, gens):
    p = C.loss_probability(round(frac * total), total, gens)
    assert p.shape == (gens + 1,)
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.diff(p) >= -1e-12)


def test_expected_categories_left_matches_simulation_and_loss_probability():
    counts = np.array([1, 2, 5, 92, 0])
    left = C.expected_categories_left(counts, 30)
    assert left[0] == 4
    np.testing.assert_allclose(left, 4 - C.loss_probability(counts[:4], 100, 30).sum(axis=0))
    m, se = mean_and_se((resample(counts, 30, 5000, seed=14) > 0).sum(axis=2))
    assert_mc(m, left, se)


def test_expected_categories_left_one_generation_and_truncation():
    k, total = np.array([1, 1, 2, 5, 40, 300]), 5000
    got = C.expected_categories_left(k, 1, total=total, states=50)
    assert got[1] == pytest.approx(np.sum(1 - (1 - k / total) ** total), rel=1e-12)
    # truncation drops paths above `states`, so it can only under-count losses, and a
    # Poisson branching process bounds each loss: P(lost by g | k) <= q_g^k
    k, total, g = np.array([1, 2, 3, 8, 20]), 400, 15
    full = C.expected_categories_left(k, g, total=total, states=total)
    cut = C.expected_categories_left(k, g, total=total, states=120)
    assert np.all(cut >= full - 1e-12)
    np.testing.assert_allclose(cut, full, atol=1e-9)
    q = np.zeros(g + 1)
    for t in range(1, g + 1):
        q[t] = np.exp(q[t - 1] - 1)
    assert np.all(full >= (1 - q[:, None] ** k).sum(axis=1) - 1e-12)


def test_expected_categories_left_with_overlapping_categories():
    # a word pair holds two words: the expectation is still a sum over categories
    pairs = np.array([[0, 1], [1, 2], [2, 2], [0, 3]])
    pair_counts = np.array([40, 3, 1, 2])
    chains = resample(pair_counts, 6, 20000, seed=61)
    occ = np.stack([chains[..., (pairs == w).any(axis=1)].sum(axis=2) for w in range(4)], axis=2)
    m, se = mean_and_se((occ > 0).sum(axis=2))
    exact = C.expected_categories_left(occ[0, 0], 6, total=int(pair_counts.sum()))
    assert_mc(m[1:], exact[1:], se[1:])


def test_expected_spread_ratio_by_hand():
    # E[1 - 1/c | c > 0] with c ~ Binomial(N, k/N)
    N, k = 40, 3
    c = np.arange(1, N + 1)
    pmf = stats.binom.pmf(c, N, k / N)
    out = C.expected_spread_ratio(k, N, 4)
    assert out.shape == (5,) and out[0] == 1.0
    assert out[1] == pytest.approx((pmf * (1 - 1 / c)).sum() / pmf.sum(), rel=1e-12)
    np.testing.assert_allclose(C.expected_spread_ratio([k, 20], N, 4)[0], out)
    assert C.expected_spread_ratio(300, 1000, 10)[10] == pytest.approx(
        (1 - 1 / 300) ** 10, rel=1e-3
    )
    np.testing.assert_array_equal(C.expected_spread_ratio(1, 1, 3), [1.0, 0.0, 0.0, 0.0])


def test_expected_spread_ratio_matches_a_refitted_covariance():
    # one type of k cells among N: refit its covariance from the cells it draws
    rng = np.random.default_rng(57)
    N, k, g, reps = 30, 6, 4, 6000
    ratio = np.full((reps, g + 1), np.nan)
    for r in range(reps):
        count, mean, cov = k, np.zeros(2), np.diag([1.0, 4.0])
        ratio[r, 0] = 1.0
        for t in range(1, g + 1):
            count = rng.binomial(N, count / N)
            if count == 0:
                break
            x = rng.multivariate_normal(mean, cov, size=count)
            mean, cov = x.mean(axis=0), np.cov(x, rowvar=False, ddof=0).reshape(2, 2)
            ratio[r, t] = np.trace(cov) / 5.0
    alive = ~np.isnan(ratio)
    m = np.nanmean(ratio, axis=0)
    se = np.nanstd(ratio, axis=0, ddof=1) / np.sqrt(alive.sum(axis=0))
    assert_mc(m[1:], C.expected_spread_ratio(k, N, g)[1:], se[1:], z=4.5)


# --------------------------------------------------------------------------- the normal chain


def test_closed_forms_known_values():
    assert C.expected_variance(0, 100) == 1.0
    assert C.expected_variance(1, 100) == pytest.approx(0.99)
    assert C.expected_variance(2, 100, sigma2=4.0) == pytest.approx(4 * 0.99**2)
    np.testing.assert_allclose(C.expected_variance(np.arange(5), 7, ddof=1), 1.0)
    assert C.expected_mean_sq_error(1, 50, sigma2=2.0) == pytest.approx(2.0 / 50)
    assert C.expected_mean_sq_error(10, 50, ddof=1) == pytest.approx(10 / 50)
    assert C.expected_w2_sq(0, 10) == pytest.approx(0.0, abs=1e-15)
    # ψ(1/2) = -γ - 2 log 2
    assert C.expected_log_variance(1, 2) == pytest.approx(-np.euler_gamma - 2 * np.log(2))
    assert isinstance(C.expected_variance(3, 10), float)


def test_accumulated_closed_forms_known_values():
    assert C.expected_variance(1, 50, accumulate=True) == pytest.approx(49 / 50)
    assert C.expected_mean_sq_error(1, 50, sigma2=2.0, accumulate=True) == pytest.approx(2 / 50)
    assert C.expected_variance(0, 50, accumulate=True) == 1.0
    assert C.expected_mean_sq_error(0, 50, accumulate=True) == 0.0
    n = 10  # two generations by hand: E[M2] = (n-1)(1 + (n - 1/2)/n) for ddof = 0
    m2 = (n - 1) * (1 + (n - 1 + 0.5) / n)
    assert C.expected_variance(2, n, accumulate=True) == pytest.approx(m2 / (2 * n))
    assert C.expected_mean_sq_error(2, n, accumulate=True) == pytest.approx(
        (1 + (n - 1) / n / 4) / n
    )
    v = C.expected_variance(np.arange(300), 20, accumulate=True)
    assert np.all(np.diff(v) < 0) and v[-1] > 0.9
    assert np.all(C.expected_mean_sq_error(np.arange(300), 20, accumulate=True) < np.pi**2 / 120)
    assert C.expected_variance(7, 20, accumulate=True) == pytest.approx(v[7])


@pytest.mark.parametrize("ddof", [0, 1])
def test_closed_forms_match_simulation(ddof):
    g = np.arange(1, 31, 7)
    mean, sd = normal_chain(25, 30, 8000, seed=21 + ddof, ddof=ddof)
    for sim, exact in [
        (sd[:, g] ** 2, C.expected_variance(g, 25, ddof=ddof)),
        (np.log(sd[:, g] ** 2), C.expected_log_variance(g, 25, ddof=ddof)),
        (mean[:, g] ** 2, C.expected_mean_sq_error(g, 25, ddof=ddof)),
        (C.w2_gaussian(mean[:, g], sd[:, g], 0, 1) ** 2, C.expected_w2_sq(g, 25, ddof=ddof)),
    ]:
        assert_mc(*mean_and_se(sim)[:1], exact, mean_and_se(sim)[1])


@pytest.mark.parametrize("ddof", [0, 1])
def test_accumulated_closed_forms_match_simulation(ddof):
    g = np.arange(1, 21, 4)
    mean, sd = normal_chain(30, 20, 6000, seed=27 + ddof, ddof=ddof, accumulate=True)
    m, se = mean_and_se(sd[:, g] ** 2)
    assert_mc(m, C.expected_variance(g, 30, ddof=ddof, accumulate=True), se)
    m, se = mean_and_se(mean[:, g] ** 2)
    assert_mc(m, C.expected_mean_sq_error(g, 30, ddof=ddof, accumulate=True), se)


def test_prob_variance_below_one_generation_is_chi_square():
    for ddof in (0, 1):
        for ratio in (0.5, 1.0, 1.3):
            assert C.prob_variance_below(1, 30, ddof=ddof, ratio=ratio) == pytest.approx(
                stats.chi2.cdf(ratio * (30 - ddof), 29), abs=1e-8
            )
    np.testing.assert_array_equal(C.prob_variance_below([0, 0], 30, ratio=1.0), [0.0, 0.0])
    assert C.prob_variance_below(0, 30, ratio=1.5) == 1.0


def test_prob_variance_below_matches_simulation_and_normal_approximation():
    _, sd = normal_chain(25, 40, 20000, seed=29, ddof=1)
    for gi in (5, 40):
        exact = C.prob_variance_below(gi, 25, ddof=1)
        share = (sd[:, gi] < 1.0).mean()
        assert abs(share - exact) < 4.5 * np.sqrt(exact * (1 - exact) / 20000)
    from scipy.special import polygamma  # the chapter's exercise: nearly normal

    b = C.expected_log_variance(1, 100, ddof=1)
    approx = stats.norm.cdf(-100 * b / np.sqrt(100 * polygamma(1, 99 / 2)))
    assert C.prob_variance_below(100, 100, ddof=1) == pytest.approx(approx, abs=0.01)
    p = [C.prob_variance_below(10, 50, ratio=r) for r in (0.5, 0.8, 1.0, 1.2, 2.0)]
    assert np.all(np.diff(p) > 0) and 0 < p[0] and p[-1] < 1


def test_w2_against_quantile_integral():
    # W2² = ∫_0^1 (F1^{-1}(u) - F2^{-1}(u))² du
    for m1, s1, m2, s2 in [(0, 1, 0.5, 2), (-1, 0.3, 2, 0.3), (3, 2.5, 3, 0.1)]:

        def sq_gap(u, m1=m1, s1=s1, m2=m2, s2=s2):
            return (stats.norm.ppf(u, m1, s1) - stats.norm.ppf(u, m2, s2)) ** 2

        val, _ = integrate.quad(sq_gap, 0, 1, limit=200)
        assert C.w2_gaussian(m1, s1, m2, s2) == pytest.approx(np.sqrt(val), rel=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.floats(-5, 5), st.floats(0, 5), st.floats(-5, 5), st.floats(0, 5))
def test_w2_is_a_symmetric_nonnegative_distance(m1, s1, m2, s2):
    d = C.w2_gaussian(m1, s1, m2, s2)
    assert d >= 0 and d == pytest.approx(C.w2_gaussian(m2, s2, m1, s1))
    assert C.w2_gaussian(m1, s1, m1, s1) == 0.0


# --------------------------------------------------------------------------- bad inputs
# (the declared constraints are swept by tests/test_bad_inputs.py; these are the checks
# that relate two arguments or limit the work)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: C.loss_probability(11, 10, 3), "k"),
        (lambda: C.expected_spread_ratio(0, 10, 3), "k"),
        (lambda: C.expected_spread_ratio([2, 11], 10, 3), "k"),
        (lambda: C.expected_categories_left([0, 0], 3), "counts"),
        (lambda: C.expected_categories_left([3, 11], 3, total=10), "counts"),
        (lambda: C.expected_variance(3, 10, ddof=10), "ddof"),
        (lambda: C.expected_w2_sq(3, 10, ddof=12), "ddof"),
        (lambda: C.prob_variance_below(3, 10, ddof=10), "ddof"),
        (lambda: C.w2_gaussian([0.0, 1.0], [1.0, 1.0, 1.0], 0.0, 1.0), "mu1, sigma1"),
        (lambda: C.loss_probability([1, 5], 30_000, 5), "total too large.*GiB"),
        (lambda: C.loss_probability(1, 6, 10**12), "generations too large"),
        (lambda: C.expected_variance(2**50, 10, accumulate=True), "generations too large"),
        (lambda: C.expected_mean_sq_error(2**50, 10, accumulate=True), "generations too large"),
    ],
)
def test_related_arguments_and_sizes_are_refused_quickly(call, match):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=match):
        call()
    assert time.perf_counter() - start < 1.0
