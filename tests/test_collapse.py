"""Tests of synthbio.collapse: recursive resampling, closed forms against simulation, bad inputs."""

from __future__ import annotations

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


# --------------------------------------------------------------------------- resample_chain


def test_resample_chain_shape_start_and_conservation():
    counts = np.array([6, 3, 1, 0])
    out = C.resample_chain(counts, 12, replicates=50, rng=1)
    assert out.shape == (50, 13, 4)
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out[:, 0], np.broadcast_to(counts, (50, 4)))
    assert np.all(out.sum(axis=2) == 10)
    assert np.all(out[:, :, 3] == 0)  # an empty category never appears


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 30), min_size=1, max_size=6).filter(lambda c: sum(c) > 0),
    gens=st.integers(0, 15),
    seed=st.integers(0, 2**32 - 1),
)
def test_resample_chain_properties(counts, gens, seed):
    out = C.resample_chain(counts, gens, replicates=5, rng=seed)
    assert out.shape == (5, gens + 1, len(counts))
    assert np.all(out >= 0)
    assert np.all(out.sum(axis=2) == sum(counts))
    lost = out == 0
    assert np.all(lost[:, 1:] >= lost[:, :-1])


def test_resample_chain_sample_size():
    out = C.resample_chain([2, 2], 5, sample_size=7, replicates=20, rng=2)
    assert np.all(out[:, 0].sum(axis=1) == 4)
    assert np.all(out[:, 1:].sum(axis=2) == 7)


def test_lost_category_never_returns():
    out = C.resample_chain([1, 1, 1, 1, 6], 60, replicates=300, rng=3)
    lost = out == 0
    # once zero, zero for every later generation
    assert np.all(lost[:, 1:] >= lost[:, :-1])
    assert lost[:, -1].any()  # and losses do happen, so the check above has teeth


def test_resample_chain_reproducible_with_seed():
    a = C.resample_chain([5, 5], 10, replicates=3, rng=7)
    b = C.resample_chain([5, 5], 10, replicates=3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_fixation_probability_is_k_over_n():
    counts = np.array([1, 3, 6])
    out = C.resample_chain(counts, 400, replicates=4000, rng=11)
    final = out[:, -1]
    assert np.all((final == 0) | (final == 10)), "every chain should be absorbed by then"
    freq, se = mean_and_se(final == 10)
    assert_mc(freq, counts / 10, se)


def test_mean_frequency_is_conserved():
    # the frequency is a martingale: E[count_g] = count_0 · size / total
    out = C.resample_chain([20, 5], 30, sample_size=50, replicates=3000, rng=12)
    m, se = mean_and_se(out[:, 1:, 1])
    assert_mc(m, 5 / 25 * 50, se)


# --------------------------------------------------------------------------- loss_probability


def test_loss_probability_one_generation_closed_form():
    # P(lost after one draw of N) = (1 - k/N)^N
    k = np.array([1, 2, 5, 10])
    got = C.loss_probability(k, 40, 1)
    np.testing.assert_allclose(got[:, 1], (1 - k / 40) ** 40, rtol=1e-12)
    np.testing.assert_array_equal(got[:, 0], 0.0)


def test_loss_probability_edges_and_limit():
    np.testing.assert_array_equal(C.loss_probability(0, 10, 5), 1.0)
    np.testing.assert_allclose(C.loss_probability(10, 10, 5), 0.0, atol=1e-15)
    # eventual loss probability of a colour with k of N is 1 - k/N
    k = np.array([1, 3, 7])
    np.testing.assert_allclose(C.loss_probability(k, 10, 600)[:, -1], 1 - k / 10, atol=1e-9)


def test_loss_probability_with_other_sample_size():
    # first step from frequency 3/12 with 30 draws
    got = C.loss_probability(3, 12, 1, sample_size=30)
    assert got[1] == pytest.approx(stats.binom.pmf(0, 30, 3 / 12), rel=1e-12)


def test_loss_probability_matches_simulation():
    counts = np.array([1, 2, 5, 92])
    sim = C.resample_chain(counts, 25, replicates=6000, rng=13) == 0
    exact = C.loss_probability(counts, 100, 25).T
    # binomial standard error of a frequency, from the exact probability
    assert_mc(sim.mean(axis=0), exact, np.sqrt(exact * (1 - exact) / 6000))


def test_expected_categories_left():
    counts = np.array([1, 2, 5, 92, 0])
    left = C.expected_categories_left(counts, 30)
    assert left[0] == 4
    sim = (C.resample_chain(counts, 30, replicates=5000, rng=14) > 0).sum(axis=2)
    m, se = mean_and_se(sim)
    assert_mc(m, left, se)


@settings(max_examples=30, deadline=None)
@given(total=st.integers(1, 40), frac=st.floats(0, 1), gens=st.integers(0, 30))
def test_loss_probability_is_a_nondecreasing_probability(total, frac, gens):
    k = round(frac * total)
    p = C.loss_probability(k, total, gens)
    assert p.shape == (gens + 1,)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) >= -1e-12)


# --------------------------------------------------------------------------- gaussian_chain


def test_gaussian_chain_shape_and_truth_column():
    path = C.gaussian_chain(10, 4, replicates=6, loc=2.0, scale=3.0, rng=1)
    assert isinstance(path, C.GaussianPath)
    assert path.mean.shape == path.std.shape == (6, 5)
    assert np.all(path.mean[:, 0] == 2.0) and np.all(path.std[:, 0] == 3.0)
    assert np.all(path.std > 0)


@pytest.mark.parametrize("ddof", [0, 1])
def test_mean_fitted_variance_matches_closed_form(ddof):
    g = np.arange(0, 41, 10)
    path = C.gaussian_chain(20, 40, replicates=8000, ddof=ddof, rng=21)
    m, se = mean_and_se(path.std[:, g] ** 2)
    assert_mc(m, C.expected_variance(g, 20, ddof=ddof), np.maximum(se, 1e-15))


@pytest.mark.parametrize("ddof", [0, 1])
def test_mean_log_variance_matches_closed_form(ddof):
    g = np.arange(1, 41, 13)
    path = C.gaussian_chain(20, 40, replicates=8000, ddof=ddof, rng=22)
    m, se = mean_and_se(np.log(path.std[:, g] ** 2))
    assert_mc(m, C.expected_log_variance(g, 20, ddof=ddof), se)


@pytest.mark.parametrize("ddof", [0, 1])
def test_mean_error_and_w2_match_closed_forms(ddof):
    g = np.arange(1, 31, 7)
    path = C.gaussian_chain(25, 30, replicates=8000, ddof=ddof, loc=1.0, scale=2.0, rng=23)
    m, se = mean_and_se((path.mean[:, g] - 1.0) ** 2)
    assert_mc(m, C.expected_mean_sq_error(g, 25, ddof=ddof, sigma2=4.0), se)
    w2sq = C.w2_gaussian(path.mean[:, g], path.std[:, g], 1.0, 2.0) ** 2
    m, se = mean_and_se(w2sq)
    assert_mc(m, C.expected_w2_sq(g, 25, ddof=ddof, sigma2=4.0), se)


def test_closed_forms_known_values():
    assert C.expected_variance(0, 100) == 1.0
    assert C.expected_variance(1, 100) == pytest.approx(0.99)
    assert C.expected_variance(2, 100, sigma2=4.0) == pytest.approx(4 * 0.99**2)
    np.testing.assert_allclose(C.expected_variance(np.arange(5), 7, ddof=1), 1.0)
    assert C.expected_mean_sq_error(1, 50, sigma2=2.0) == pytest.approx(2.0 / 50)
    assert C.expected_mean_sq_error(10, 50, ddof=1) == pytest.approx(10 / 50)
    assert C.expected_w2_sq(0, 10) == pytest.approx(0.0, abs=1e-15)
    # ψ(ν/2) + log 2 - log(n) for ν = n - 1 = 1: ψ(1/2) = -γ - 2 log 2
    assert C.expected_log_variance(1, 2) == pytest.approx(-np.euler_gamma - np.log(2) - np.log(2))


def test_real_fraction_one_never_collapses():
    n = 30
    path = C.gaussian_chain(n, 60, replicates=4000, real_fraction=1.0, rng=24)
    v = path.std[:, 1:] ** 2
    m, se = mean_and_se(v)
    # every model is a fresh fit to real data: E[σ²] = (n-1)/n in every generation
    assert_mc(m, (n - 1) / n, se)
    # and the models are independent across generations, so nothing drifts
    assert abs(np.corrcoef(v[:, 0], v[:, -1])[0, 1]) < 0.1


def test_accumulate_beats_replace():
    kw = {"n": 50, "generations": 60, "replicates": 3000, "rng": 25}
    rep = C.gaussian_chain(**kw)
    acc = C.gaussian_chain(accumulate=True, **kw)
    w_rep = C.w2_gaussian(rep.mean[:, -1], rep.std[:, -1], 0, 1)
    w_acc = C.w2_gaussian(acc.mean[:, -1], acc.std[:, -1], 0, 1)
    diff, se = mean_and_se(w_rep - w_acc)
    assert diff > 4 * se


def test_accumulated_mean_error_follows_shrinking_steps():
    # m_g - μ = Σ_k σ_{k-1} Z_k / (k sqrt(n)): E[(m_g - μ)²] = Σ_k E[σ²_{k-1}] / (n k²)
    n, g = 40, 30
    acc = C.gaussian_chain(n, g, replicates=8000, accumulate=True, rng=26)
    v = (acc.std[:, :-1] ** 2).mean(axis=0)
    k = np.arange(1, g + 1)
    predicted = np.cumsum(v / k**2) / n
    m, se = mean_and_se(acc.mean[:, 1:] ** 2)
    assert_mc(m, predicted, se)
    assert np.all(predicted <= np.pi**2 / 6 / n)


def test_accumulated_closed_forms_match_simulation():
    # E[σ²_g] from the pooled sum of squares; E[(μ_g - μ)²] = Σ E[σ²_{k-1}]/(n k²)
    n, g = 40, 30
    for ddof, seed in ((0, 27), (1, 28)):
        acc = C.gaussian_chain(n, g, replicates=8000, ddof=ddof, accumulate=True, rng=seed)
        m, se = mean_and_se(acc.std**2)
        assert_mc(
            m,
            C.expected_variance(np.arange(g + 1), n, ddof=ddof, accumulate=True),
            np.maximum(se, 1e-15),
        )
        m, se = mean_and_se(acc.mean**2)
        assert_mc(
            m,
            C.expected_mean_sq_error(np.arange(g + 1), n, ddof=ddof, accumulate=True),
            np.maximum(se, 1e-15),
        )


def test_accumulated_closed_forms_known_values():
    # one generation is one fit to n real points, whichever way the data are kept
    assert C.expected_variance(1, 50, accumulate=True) == pytest.approx(49 / 50)
    assert C.expected_mean_sq_error(1, 50, sigma2=2.0, accumulate=True) == pytest.approx(2 / 50)
    assert C.expected_variance(0, 50, accumulate=True) == 1.0
    assert C.expected_mean_sq_error(0, 50, accumulate=True) == 0.0
    # two generations by hand: E[M2] = (n-1)(1 + (n - 1/2)/n) for ddof = 0
    n = 10
    m2 = (n - 1) * (1 + (n - 1 + 0.5) / n)
    assert C.expected_variance(2, n, accumulate=True) == pytest.approx(m2 / (2 * n))
    assert C.expected_mean_sq_error(2, n, accumulate=True) == pytest.approx(
        (1 + (n - 1) / n / 4) / n
    )
    # the mean variance falls only slowly, and the error of the mean stays below π²σ²/(6n)
    v = C.expected_variance(np.arange(300), 20, accumulate=True)
    assert np.all(np.diff(v) < 0) and v[-1] > 0.9
    assert np.all(C.expected_mean_sq_error(np.arange(300), 20, accumulate=True) < np.pi**2 / 6 / 20)
    # scalars and arrays agree
    assert C.expected_variance(7, 20, accumulate=True) == pytest.approx(v[7])


def test_prob_variance_below_one_generation_is_chi_square():
    for ddof in (0, 1):
        for ratio in (0.5, 1.0, 1.3):
            assert C.prob_variance_below(1, 30, ddof=ddof, ratio=ratio) == pytest.approx(
                stats.chi2.cdf(ratio * (30 - ddof), 29), abs=1e-8
            )
    np.testing.assert_array_equal(C.prob_variance_below([0, 0], 30, ratio=1.0), [0.0, 0.0])
    assert C.prob_variance_below(0, 30, ratio=1.5) == 1.0


def test_prob_variance_below_matches_simulation_and_normal_approximation():
    n, g = 25, 40
    path = C.gaussian_chain(n, g, replicates=20000, ddof=1, rng=29)
    for gi in (5, 40):
        exact = C.prob_variance_below(gi, n, ddof=1)
        share = (path.std[:, gi] < 1.0).mean()
        assert abs(share - exact) < 4.5 * np.sqrt(exact * (1 - exact) / 20000)
    # the sum of g log-chi-square terms is nearly normal (the chapter's exercise)
    from scipy.special import polygamma

    b = C.expected_log_variance(1, 100, ddof=1)
    approx = stats.norm.cdf(-100 * b / np.sqrt(100 * polygamma(1, 99 / 2)))
    assert C.prob_variance_below(100, 100, ddof=1) == pytest.approx(approx, abs=0.01)
    # a probability that grows with the threshold
    p = [C.prob_variance_below(10, 50, ratio=r) for r in (0.5, 0.8, 1.0, 1.2, 2.0)]
    assert np.all(np.diff(p) > 0) and 0 < p[0] and p[-1] < 1


def test_real_fraction_rounds_to_whole_points():
    # real_fraction = 0.5 with n = 4 uses 2 real points; with the fresh points alone the
    # chain cannot collapse, so the variance stays bounded away from zero
    path = C.gaussian_chain(4, 200, replicates=500, real_fraction=0.5, rng=27)
    assert np.median(path.std[:, -1]) > 0.3


# --------------------------------------------------------------------------- distances and tails


def test_w2_against_quantile_integral():
    # W2² = ∫_0^1 (F1^{-1}(u) - F2^{-1}(u))² du
    for m1, s1, m2, s2 in [(0, 1, 0.5, 2), (-1, 0.3, 2, 0.3), (3, 2.5, 3, 0.1)]:

        def sq_gap(u, m1=m1, s1=s1, m2=m2, s2=s2):
            return (stats.norm.ppf(u, m1, s1) - stats.norm.ppf(u, m2, s2)) ** 2

        val, _ = integrate.quad(sq_gap, 0, 1, limit=200)
        assert C.w2_gaussian(m1, s1, m2, s2) == pytest.approx(np.sqrt(val), rel=1e-6)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(-5, 5),
    st.floats(0, 5),
    st.floats(-5, 5),
    st.floats(0, 5),
)
def test_w2_is_a_symmetric_nonnegative_distance(m1, s1, m2, s2):
    d = C.w2_gaussian(m1, s1, m2, s2)
    assert d >= 0
    assert d == pytest.approx(C.w2_gaussian(m2, s2, m1, s1))
    assert C.w2_gaussian(m1, s1, m1, s1) == 0.0


def test_normal_tail_mass_against_scipy_and_simulation():
    assert C.normal_tail_mass(0, 1, 3) == pytest.approx(2 * stats.norm.sf(3), rel=1e-12)
    assert C.normal_tail_mass(0.5, 2, 1, center=1.0) == pytest.approx(
        stats.norm.sf(2, 0.5, 2) + stats.norm.cdf(0, 0.5, 2), rel=1e-12
    )
    assert C.normal_tail_mass(4.0, 0.0, 3) == 1.0 and C.normal_tail_mass(1.0, 0.0, 3) == 0.0
    x = np.random.default_rng(31).normal(0.3, 1.5, size=(200, 500))
    frac = C.tail_mass(x, 2.0)
    m, se = mean_and_se(frac)
    assert_mc(m, C.normal_tail_mass(0.3, 1.5, 2.0), se)


def test_tail_mass_axis_and_values():
    x = np.array([[-3.5, 0, 1, 2.5], [0, 0, 0, 0]])
    np.testing.assert_allclose(C.tail_mass(x, 2), [0.5, 0.0])
    np.testing.assert_allclose(C.tail_mass(x, 2, axis=0), [0.5, 0, 0, 0.5])
    assert C.tail_mass([1.0, 5.0], 2.5, center=4.0) == 0.5


# --------------------------------------------------------------------------- mixtures


def test_fit_mixture_agrees_with_sklearn():
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(41)
    x = np.concatenate([rng.normal(-5, 1, 400), rng.normal(0, 0.7, 350), rng.normal(5, 1.2, 250)])
    w, mu, sd = C.fit_mixture(x, 3, steps=1000)
    gm = GaussianMixture(
        3, covariance_type="full", tol=1e-10, max_iter=2000, reg_covar=1e-12, random_state=0
    ).fit(x[:, None])
    order = np.argsort(gm.means_[:, 0])
    np.testing.assert_allclose(np.sort(mu), gm.means_[order, 0], atol=1e-4)
    np.testing.assert_allclose(w[np.argsort(mu)], gm.weights_[order], atol=1e-4)
    np.testing.assert_allclose(sd[np.argsort(mu)], np.sqrt(gm.covariances_[order, 0, 0]), atol=1e-4)
    ours = np.log(np.sum(w * stats.norm.pdf(x[:, None], mu, sd), axis=1)).mean()
    assert ours == pytest.approx(gm.score(x[:, None]), abs=1e-8)


def test_mixture_chain_structure():
    rng = np.random.default_rng(42)
    x = rng.standard_t(5, size=(4, 200))
    out = C.mixture_chain(x, 6, components=2, em_steps=5, rng=43)
    assert out.samples.shape == (4, 7, 200)
    assert out.weights.shape == out.means.shape == out.sds.shape == (4, 7, 2)
    np.testing.assert_array_equal(out.samples[:, 0], x)
    np.testing.assert_allclose(out.weights.sum(axis=2), 1.0)
    dead = out.weights == 0
    assert np.all(dead[:, 1:] >= dead[:, :-1])


def test_mixture_chain_one_component_is_the_gaussian_chain():
    # with one component the mixture is a normal fitted by maximum likelihood:
    # its mean fitted variance follows expected_variance (ddof = 0), generation 0 being one fit
    x = np.random.default_rng(44).standard_normal((3000, 20))
    out = C.mixture_chain(x, 10, components=1, em_steps=1, rng=45)
    m, se = mean_and_se(out.sds[:, :, 0] ** 2)
    assert_mc(m, C.expected_variance(np.arange(1, 12), 20), se)


# --------------------------------------------------------------------------- cells


def test_celltype_chain_conserves_counts_and_loses_for_good():
    rng = np.random.default_rng(51)
    X = rng.normal(size=(60, 3))
    labels = np.array(["a"] * 40 + ["b"] * 15 + ["c"] * 5)
    out = C.celltype_chain(X, labels, 20, replicates=200, rng=52)
    assert out.categories == ("a", "b", "c")
    assert out.counts.shape == out.spread.shape == (200, 21, 3)
    assert np.all(out.counts.sum(axis=2) == 60)
    lost = out.counts == 0
    assert np.all(lost[:, 1:] >= lost[:, :-1]) and lost[:, -1].any()
    assert np.all(np.isnan(out.spread[lost])) and np.all(np.isfinite(out.spread[~lost]))
    exact = C.loss_probability(5, 60, 20)
    assert_mc(lost[:, :, 2].mean(axis=0), exact, np.sqrt(exact * (1 - exact) / 200))


def test_celltype_chain_cells_per_generation():
    X = np.random.default_rng(55).normal(size=(30, 2))
    out = C.celltype_chain(X, [0] * 20 + [1] * 10, 4, n=50, replicates=7, rng=56)
    assert out.categories == ("0", "1")
    assert np.all(out.counts[:, 0] == [20, 10])
    assert np.all(out.counts[:, 1:].sum(axis=2) == 50)


def test_celltype_chain_spread_shrinks_like_the_ml_variance():
    # one type, always n cells: E[trace Σ_g] = trace Σ_0 · ((n - 1)/n)^g
    rng = np.random.default_rng(53)
    X = rng.normal(size=(12, 2)) * [1.0, 3.0]
    out = C.celltype_chain(X, ["x"] * 12, 8, replicates=4000, rng=54)
    m, se = mean_and_se(out.spread[:, :, 0])
    expected = out.spread[0, 0, 0] * (11 / 12) ** np.arange(9)
    assert_mc(m, expected, np.maximum(se, 1e-12))


def test_expected_spread_ratio_first_generation_by_hand():
    # E[1 - 1/c | c > 0] with c ~ Binomial(N, k/N)
    N, k = 40, 3
    c = np.arange(1, N + 1)
    pmf = stats.binom.pmf(c, N, k / N)
    by_hand = (pmf * (1 - 1 / c)).sum() / pmf.sum()
    out = C.expected_spread_ratio(k, N, 4)
    assert out.shape == (5,) and out[0] == 1.0
    assert out[1] == pytest.approx(by_hand, rel=1e-12)
    both = C.expected_spread_ratio([k, 20], N, 4)
    np.testing.assert_allclose(both[0], out)
    # a large, common type keeps close to (1 - 1/k)^g
    assert C.expected_spread_ratio(300, 1000, 10)[10] == pytest.approx(
        (1 - 1 / 300) ** 10, rel=1e-3
    )
    # one cell has no spread to keep
    np.testing.assert_array_equal(C.expected_spread_ratio(1, 1, 3), [1.0, 0.0, 0.0, 0.0])


def test_expected_spread_ratio_matches_celltype_chain():
    rng = np.random.default_rng(57)
    X = rng.normal(size=(60, 3)) * [1.0, 2.0, 0.5]
    labels = np.array(["a"] * 45 + ["b"] * 10 + ["c"] * 5)
    out = C.celltype_chain(X, labels, 6, replicates=4000, rng=58)
    exact = C.expected_spread_ratio([45, 10, 5], 60, 6)
    ratio = out.spread / out.spread[:, :1]
    for j in range(3):
        r = ratio[:, 1:, j]
        alive = ~np.isnan(r)
        m = np.nanmean(r, axis=0)
        se = np.nanstd(r, axis=0, ddof=1) / np.sqrt(alive.sum(axis=0))
        assert_mc(m, exact[j, 1:], se, z=4.5)


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: C.resample_chain([3, -1], 5), ValueError, "counts"),
        (lambda: C.resample_chain([0, 0], 5), ValueError, "counts"),
        (lambda: C.resample_chain([1, 2], -1), ValueError, "generations"),
        (lambda: C.resample_chain([1, 2], 2.0), TypeError, "generations"),
        (lambda: C.resample_chain([1, 2], 2, replicates=0), ValueError, "replicates"),
        (lambda: C.resample_chain([1, 2], 2, sample_size=0), ValueError, "sample_size"),
        (lambda: C.resample_chain([1, np.nan], 2), ValueError, "counts"),
        (lambda: C.resample_chain("ab", 2), TypeError, "counts"),
        (lambda: C.resample_chain([1, 2], 2, rng="seed"), TypeError, "rng"),
        (lambda: C.loss_probability(11, 10, 3), ValueError, "k"),
        (lambda: C.loss_probability(1, 10, -2), ValueError, "generations"),
        (lambda: C.loss_probability(1, 0, 2), ValueError, "total"),
        (lambda: C.gaussian_chain(1, 5), ValueError, "n"),
        (lambda: C.gaussian_chain(10, -1), ValueError, "generations"),
        (lambda: C.gaussian_chain(10, 5, real_fraction=1.5), ValueError, "real_fraction"),
        (lambda: C.gaussian_chain(10, 5, real_fraction=-0.1), ValueError, "real_fraction"),
        (lambda: C.gaussian_chain(10, 5, real_fraction=np.nan), ValueError, "real_fraction"),
        (lambda: C.gaussian_chain(10, 5, ddof=10), ValueError, "ddof"),
        (lambda: C.gaussian_chain(10, 5, scale=0.0), ValueError, "scale"),
        (lambda: C.gaussian_chain(10, 5, accumulate="yes"), TypeError, "accumulate"),
        (lambda: C.expected_variance(-1, 10), ValueError, "generations"),
        (lambda: C.expected_variance(3, 1), ValueError, "n"),
        (lambda: C.expected_variance(3, 10, sigma2=-1.0), ValueError, "sigma2"),
        (lambda: C.expected_log_variance(3, 10, ddof=-1), ValueError, "ddof"),
        (lambda: C.expected_mean_sq_error([1, -2], 10), ValueError, "generations"),
        (lambda: C.expected_variance(3, 10, accumulate=1), TypeError, "accumulate"),
        (lambda: C.expected_mean_sq_error(3, 10, accumulate="no"), TypeError, "accumulate"),
        (lambda: C.prob_variance_below(3, 10, ratio=0.0), ValueError, "ratio"),
        (lambda: C.prob_variance_below(-3, 10), ValueError, "generations"),
        (lambda: C.expected_spread_ratio(0, 10, 3), ValueError, "k"),
        (lambda: C.expected_spread_ratio([2, 11], 10, 3), ValueError, "k"),
        (lambda: C.expected_spread_ratio(2, 10, -1), ValueError, "generations"),
        (lambda: C.w2_gaussian(0, -1, 0, 1), ValueError, "sigma1"),
        (lambda: C.w2_gaussian(np.nan, 1, 0, 1), ValueError, "mu1"),
        (lambda: C.tail_mass([1.0, 2.0], -1), ValueError, "threshold"),
        (lambda: C.normal_tail_mass(0, -1, 2), ValueError, "sigma"),
        (lambda: C.fit_mixture([1.0], 2), ValueError, "x"),
        (lambda: C.fit_mixture([1.0, 2.0, 3.0], 0), ValueError, "components"),
        (lambda: C.mixture_chain([1.0, 2.0, 3.0], 2, em_steps=0), ValueError, "em_steps"),
        (lambda: C.celltype_chain(np.zeros((3, 2)), ["a", "b"], 2), ValueError, "labels"),
        (lambda: C.celltype_chain(np.zeros(3), ["a", "b", "c"], 2), ValueError, "X"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, synthbio.collapse; "
        "print(any(m in sys.modules for m in ('scanpy', 'sklearn', 'scipy.stats')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_tail_mass_needs_a_sample_axis():
    # a single number used to be blamed on axis ("axis must be in [0, -1]")
    with pytest.raises(ValueError, match="samples"):
        C.tail_mass(5.0, 2.0, axis=-1)


@pytest.mark.parametrize("missing", [np.nan, None])
def test_celltype_chain_refuses_missing_labels(missing):
    # NaN (or None) labels used to become a cell type called "nan" ("None")
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="labels"):
        C.celltype_chain(X, [1.0, 2.0, missing, 2.0], 1, rng=0)
    with pytest.raises(ValueError, match="labels"):
        C.celltype_chain(X, ["a", "b", missing, "b"], 1, rng=0)


# --------------------------------------------------------------------------- expected_types_left


def test_expected_types_left_equals_the_exact_chain_when_untruncated():
    counts = np.array([30, 12, 5, 2, 1, 1, 0, 3])
    got = C.expected_types_left(counts, int(counts.sum()), 12)
    np.testing.assert_allclose(got, C.expected_categories_left(counts, 12), rtol=1e-12)
    assert got[0] == 7  # the empty category is not present


def test_expected_types_left_one_generation_closed_form():
    # a category with k of N items is lost in one draw of N with probability (1 - k/N)^N
    k, total = np.array([1, 1, 2, 5, 40, 300]), 5000
    got = C.expected_types_left(k, total, 1, states=50)
    assert got[1] == pytest.approx(np.sum(1 - (1 - k / total) ** total), rel=1e-12)


def test_expected_types_left_truncation_is_harmless_and_bounded():
    # truncating at `states` drops paths above it, so it can only under-count losses,
    # and a Poisson branching process bounds each loss: P(lost by g | k) <= q_g^k
    k, total, g = np.array([1, 2, 3, 8, 20]), 400, 15
    full = C.expected_types_left(k, total, g, states=total)
    cut = C.expected_types_left(k, total, g, states=120)
    assert np.all(cut >= full - 1e-12)
    np.testing.assert_allclose(cut, full, atol=1e-9)
    q = np.zeros(g + 1)
    for t in range(1, g + 1):
        q[t] = np.exp(q[t - 1] - 1)
    assert np.all(full >= (1 - q[:, None] ** k).sum(axis=1) - 1e-12)


def test_expected_types_left_matches_overlapping_categories():
    # categories may overlap (a word pair holds two words): the expectation is still a sum
    rng = np.random.default_rng(61)
    pairs = np.array([[0, 1], [1, 2], [2, 2], [0, 3]])
    pair_counts = np.array([40, 3, 1, 2])
    total, g, reps = int(pair_counts.sum()), 6, 20000
    chains = C.resample_chain(pair_counts, g, replicates=reps, rng=rng)
    occ = np.stack([chains[..., (pairs == w).any(axis=1)].sum(axis=2) for w in range(4)], axis=2)
    k = occ[0, 0]
    sim = (occ > 0).sum(axis=2)
    m, se = mean_and_se(sim)
    assert_mc(m[1:], C.expected_types_left(k, total, g)[1:], se[1:])


def test_expected_types_left_bad_inputs():
    with pytest.raises(TypeError, match="k"):
        C.expected_types_left(3, 10, 2)
    with pytest.raises(ValueError, match="k"):
        C.expected_types_left([3, 11], 10, 2)
    with pytest.raises(ValueError, match="states"):
        C.expected_types_left([3, 1], 10, 2, states=0)
    with pytest.raises(ValueError, match="generations"):
        C.expected_types_left([3, 1], 10, -1)


# --------------------------------------------------------------------------- EM to convergence


def test_mixture_chain_tol_converges_like_many_steps():
    # generation 0 is fitted to the real data: with a tight tolerance it is the long-run EM fit,
    # and every later fit is a fixed point of EM on its own generation's samples
    rng = np.random.default_rng(71)
    x = np.concatenate([rng.normal(-3, 1, (6, 200)), rng.normal(2, 0.6, (6, 100))], axis=1)
    tight = C.mixture_chain(x, 3, components=2, em_steps=20000, tol=1e-13, rng=72)
    w, mu, sd = C.fit_mixture(x, 2, steps=20000)
    np.testing.assert_allclose(tight.means[:, 0], mu, atol=1e-4)
    np.testing.assert_allclose(tight.sds[:, 0], sd, atol=1e-4)
    floor = np.full(6, 1e-8)
    for g in range(1, 4):
        params = tight.weights[:, g], tight.means[:, g], tight.sds[:, g] ** 2
        again = C._em_steps(tight.samples[:, g], *params, 200, floor)
        np.testing.assert_allclose(again[1], params[1], atol=1e-3)


def test_em_tol_stops_when_the_gain_is_small_and_never_lowers_the_likelihood():
    rng = np.random.default_rng(73)
    x = np.concatenate([rng.normal(-3, 1, (4, 200)), rng.normal(2, 0.5, (4, 100))], axis=1)
    floor = np.full(4, 1e-8)
    start = C._mixture_start(x, 2)
    lls = [C._em_steps(x, *start, s, floor)[3] for s in range(1, 40)]
    assert np.all(np.diff(lls, axis=0) >= -1e-12)  # EM is monotone
    w, mu, var = C._em(x, *start, 1000, floor, 1e-9)
    ll_after = C._em_steps(x, w, mu, var, 1, floor)[3]
    ll_next = C._em_steps(x, *C._em_steps(x, w, mu, var, 1, floor)[:3], 1, floor)[3]
    assert np.all(ll_next - ll_after < 1e-8)


def test_mixture_chain_bad_tol():
    with pytest.raises(ValueError, match="tol"):
        C.mixture_chain([1.0, 2.0, 3.0], 2, tol=0.0)
    with pytest.raises(TypeError, match="tol"):
        C.mixture_chain([1.0, 2.0, 3.0], 2, tol="small")


def test_dense_wright_fisher_is_refused_up_front_with_its_memory():
    """Issue #23: total=30000 allocated 6.7 GiB per matrix."""
    import time

    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"total, sample_size too large.*expected_types_left.*GiB"):
        C.loss_probability([1, 5], 30_000, 5)
    with pytest.raises(ValueError, match=r"counts \(their total\), sample_size too large.*GiB"):
        C.expected_categories_left([10_000, 20_000], 5)
    with pytest.raises(ValueError, match="generations too large"):
        C.loss_probability(1, 6, 10**12)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: C.fit_mixture([0.0, 1.0, 2.0, 5.0], components=2, steps=10**12), "steps"),
        (
            lambda: C.mixture_chain([0.0, 1.0, 2.0, 5.0], 2, components=2, em_steps=10**12, rng=0),
            "em_steps",
        ),
        (lambda: C.mixture_chain([0.0, 1.0, 2.0, 5.0], 10**12, components=2, rng=0), "generations"),
        (lambda: C.resample_chain([3, 2, 1], 5, replicates=10**12, rng=0), "replicates"),
        (lambda: C.gaussian_chain(10, 5, replicates=10**12, rng=0), "replicates"),
        (lambda: C.celltype_chain([[0.0], [1.0]], ["a", "b"], 10**12, rng=0), "generations"),
        (lambda: C.expected_log_variance([1e19], 10), "generations"),
        (lambda: C.expected_variance(3, 10, accumulate="False"), "accumulate"),
        (lambda: C.w2_gaussian([0.0, 1.0], [1.0, 1.0, 1.0], 0.0, 1.0), "mu1, sigma1"),
        (lambda: C.fit_mixture([1e300, 0.0, 1.0], components=1), "x"),
    ],
)
def test_huge_sizes_and_bad_kinds_are_refused_quickly(call, match):
    import time

    start = time.perf_counter()
    with pytest.raises((ValueError, TypeError), match=match):
        call()
    assert time.perf_counter() - start < 1.0


def test_w2_gaussian_does_not_overflow_for_large_finite_inputs():
    assert C.w2_gaussian(1e200, 0.0, -1e200, 0.0) == pytest.approx(2e200)
