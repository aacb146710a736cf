"""The marble jar: exact probabilities against SciPy, simulation against exact values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from synthbio import marbles as m
from synthbio.stats import mean_se

jars = st.lists(st.integers(0, 40), min_size=2, max_size=6).filter(lambda c: sum(c) > 0)


def test_jar_is_the_essays_jar():
    assert sum(m.JAR.values()) == 1000
    assert dict(m.JAR) == {"black": 989, "red": 5, "green": 3, "blue": 2, "yellow": 1}
    with pytest.raises(TypeError):
        m.JAR["yellow"] = 2  # read-only
    assert sum(m.POPULATION.values()) == 1000 and m.POPULATION["yellow"] == 2
    assert m.colours(m.JAR) == ("black", "red", "green", "blue", "yellow")
    assert m.colours([1, 2]) == ("0", "1")


@pytest.mark.parametrize("colour", ["black", "red", "green", "blue", "yellow"])
@pytest.mark.parametrize("n", [0, 1, 25, 200, 999, 1000])
def test_prob_at_least_one_matches_scipy(colour, n):
    k = m.JAR[colour]
    expected = sps.hypergeom(1000, k, n).sf(0)
    assert m.prob_at_least_one(m.JAR, n, colour) == pytest.approx(expected, abs=1e-12)


def test_prob_at_least_one_vectorised_and_with_replacement():
    ns = np.array([0, 10, 25, 500])
    got = m.prob_at_least_one(m.JAR, ns, "red")
    assert got.shape == ns.shape
    assert got == pytest.approx(sps.hypergeom(1000, 5, ns).sf(0), abs=1e-12)
    rep = m.prob_at_least_one(m.JAR, ns, "red", replace=True)
    assert rep == pytest.approx(1 - (1 - 0.005) ** ns, rel=1e-12)
    # a single yellow marble: exactly n / N without replacement
    assert m.prob_at_least_one(m.JAR, 25, "yellow") == pytest.approx(0.025, rel=1e-13)


def test_prob_all_present_against_multivariate_hypergeometric():
    # P(red >= 1 and green >= 1) by summing scipy's joint pmf
    mvh = sps.multivariate_hypergeom(m=[5, 3, 992], n=25)
    total = sum(mvh.pmf([i, j, 25 - i - j]) for i in range(1, 6) for j in range(1, 4))
    assert m.prob_all_present(m.JAR, 25, ["red", "green"]) == pytest.approx(total, abs=1e-12)
    assert m.prob_all_present(m.JAR, 25, ["red"]) == pytest.approx(
        m.prob_at_least_one(m.JAR, 25, "red"), abs=1e-15
    )


def test_draws_needed_boundaries():
    # one yellow marble in 1000: P = n/1000, so 95 % needs exactly 950 draws
    assert m.draws_needed(m.JAR, "yellow", 0.95) == 950
    for colour in ["red", "green", "blue"]:
        n = m.draws_needed(m.JAR, colour, 0.95)
        assert m.prob_at_least_one(m.JAR, n, colour) >= 0.95
        assert m.prob_at_least_one(m.JAR, n - 1, colour) < 0.95
        nr = m.draws_needed(m.JAR, colour, 0.95, replace=True)
        k = m.JAR[colour]
        assert nr == int(np.ceil(np.log(0.05) / np.log(1 - k / 1000)))
        assert nr > n  # replacement wastes draws on marbles already seen
    assert m.draws_needed(m.JAR, "yellow", 1.0) == 1000
    assert m.draws_needed([3], 0, 1.0, replace=True) == 1
    # a tiny probability still needs one marble: a draw of none contains no colour
    assert m.draws_needed(m.JAR, "yellow", 1e-13) == 1
    assert m.draws_needed(m.JAR, "yellow", 1e-13, replace=True) == 1


@settings(max_examples=40, deadline=None)
@given(counts=jars, data=st.data())
def test_properties_of_exact_probabilities(counts, data):
    total = sum(counts)
    i = data.draw(st.integers(0, len(counts) - 1))
    ns = np.arange(total + 1)
    p = m.prob_at_least_one(counts, ns, i)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) >= -1e-12)  # monotone in n
    if counts[i] > 0:
        assert p[-1] == pytest.approx(1.0)
        prob = data.draw(st.floats(0.01, 1.0))
        n = m.draws_needed(counts, i, prob)
        reach = prob * (1 - 1e-12)
        assert n >= 1 and p[n] >= reach and p[n - 1] < reach
    else:
        assert np.all(p == 0)


@settings(max_examples=25, deadline=None)
@given(counts=jars, seed=st.integers(0, 2**32 - 1), replace=st.booleans(), data=st.data())
def test_draws_sum_to_n_and_respect_the_jar(counts, seed, replace, data):
    n = data.draw(st.integers(0, sum(counts) if not replace else 3 * sum(counts)))
    d = m.draw(counts, n, replicates=50, replace=replace, rng=seed)
    assert d.shape == (50, len(counts)) and d.dtype == np.int64
    assert np.all(d.sum(axis=1) == n) and np.all(d >= 0)
    if not replace:
        assert np.all(d <= np.array(counts))
    else:
        assert np.all(d[:, np.array(counts) == 0] == 0)


def test_draw_is_reproducible_and_single_draw_shape():
    a = m.draw(m.JAR, 25, replicates=10, rng=7)
    b = m.draw(m.JAR, 25, replicates=10, rng=7)
    assert np.array_equal(a, b)
    assert m.draw(m.JAR, 25, rng=1).shape == (5,)


def test_simulated_frequencies_match_exact_probability():
    d = m.draw(m.JAR, 25, replicates=200_000, rng=11)
    seen = d > 0
    exact = np.array([m.prob_at_least_one(m.JAR, 25, c) for c in m.JAR])
    mean, se = mean_se(seen.astype(float))
    assert np.all(np.abs(mean - exact) <= 4 * np.maximum(se, 1e-12))


def test_repeated_batches_cumulative_counts():
    cum = m.repeated_batches(m.JAR, 25, 40, replicates=300, rng=3)
    assert cum.shape == (300, 40, 5)
    assert np.all(cum.sum(axis=2) == 25 * np.arange(1, 41))
    assert np.all(np.diff(cum, axis=1) >= 0)


def test_proportion_mse_closed_form_against_simulation():
    # train longer: 40 batches of 25 from the jar, estimating the population's 2/1000 yellow
    cum = m.repeated_batches(m.JAR, 25, 40, replicates=40_000, rng=5)
    est = cum[:, -1, 4] / (25 * 40)
    sq = (est - 0.002) ** 2
    mean, se = mean_se(sq)
    exact = m.proportion_mse(m.JAR, "yellow", 25, target=0.002, batches=40)
    assert abs(mean - exact) <= 4 * se
    # more marbles, with replacement from the population: p(1 - p)/n
    assert m.proportion_mse(m.POPULATION, "yellow", 2000, replace=True) == pytest.approx(
        0.002 * 0.998 / 2000
    )
    # sampling the whole jar without replacement has no sampling error
    assert m.proportion_mse(m.JAR, "red", 1000) == pytest.approx(0.0, abs=1e-18)


def test_good_turing_and_chao1_by_hand():
    sample = np.array([20, 1, 1, 2, 0])  # n = 24, f1 = 2, f2 = 1, S_obs = 4
    assert m.good_turing_missing_mass(sample) == pytest.approx(2 / 24)
    assert m.chao1(sample) == pytest.approx(4 + (23 / 24) * 2 * 1 / (2 * 2))
    rows = np.array([[25, 0, 0, 0, 0], [23, 1, 0, 0, 1]])
    assert m.good_turing_missing_mass(rows) == pytest.approx([0.0, 2 / 25])
    assert m.chao1(rows) == pytest.approx([1.0, 3 + (24 / 25) * 2 * 1 / 2])


@pytest.mark.parametrize("n", [25, 200])
def test_expected_unseen_mass_and_good_turing_against_simulation(n):
    d = m.draw(m.JAR, n, replicates=100_000, rng=n)
    truth, se_t = mean_se((d == 0) @ (np.array(list(m.JAR.values())) / 1000))
    assert abs(truth - m.expected_unseen_mass(m.JAR, n)) <= 4 * se_t
    gt, se_g = mean_se(m.good_turing_missing_mass(d))
    assert abs(gt - m.expected_good_turing(m.JAR, n)) <= 4 * se_g


def test_expected_chao1_by_brute_force_and_simulation():
    # every 3-marble subset of a labelled 4 + 2 + 1 jar, equally likely
    from itertools import combinations

    labels = [0] * 4 + [1] * 2 + [2]
    values = [
        m.chao1(np.bincount([labels[i] for i in c], minlength=3)) for c in combinations(range(7), 3)
    ]
    assert m.expected_chao1([4, 2, 1], 3) == pytest.approx(np.mean(values), rel=1e-12)
    assert m.expected_chao1([5], 3) == pytest.approx(1.0)
    assert m.expected_chao1(m.JAR, 1000) == pytest.approx(5.0)  # the whole jar, no singletons
    d = m.draw(m.JAR, 50, replicates=100_000, rng=3)
    est, se = mean_se(m.chao1(d))
    assert abs(est - m.expected_chao1(m.JAR, 50)) <= 4.5 * se


def test_expected_values_with_replacement_closed_form():
    p = np.array(list(m.POPULATION.values())) / 1000
    assert m.expected_unseen_mass(m.POPULATION, 50, replace=True) == pytest.approx(
        np.sum(p * (1 - p) ** 50)
    )
    assert m.expected_good_turing(m.POPULATION, 50, replace=True) == pytest.approx(
        np.sum(p * (1 - p) ** 49)
    )


def _exact_p_none(total, k, n):
    """C(N-k, n) / C(N, n) in exact rational arithmetic."""
    from fractions import Fraction
    from math import comb

    return Fraction(comb(total - k, n), comb(total, n))


def test_log_p_none_against_exact_fractions():
    rel = 1e-12
    rng = np.random.default_rng(17)
    for _ in range(200):
        total = int(rng.integers(1, 3000))
        k = int(rng.integers(0, total + 1))
        n = int(rng.integers(0, total + 1))
        got = m._log_p_none(total, k, n)
        exact = _exact_p_none(total, k, n)
        if exact == 0:
            assert got == -np.inf
            continue
        log_exact = math.log(exact.numerator) - math.log(exact.denominator)
        # an error of rel · |log P| in log P is a relative error of that size in P
        assert abs(got - log_exact) <= rel * max(1.0, abs(log_exact))
    # vectorised over group sizes and over draw sizes, each distinct pair once
    ks, ns = np.arange(0, 60, 7), np.arange(0, 200, 13)
    table = m._log_none(500, ks[:, None], ns[None, :], False)
    one_by_one = np.array([[m._log_p_none(500, int(k), int(n)) for n in ns] for k in ks])
    assert np.array_equal(table, one_by_one)


def test_a_few_exact_values():
    # the single yellow marble is found with probability n / N
    assert m.prob_at_least_one(m.JAR, 25, "yellow") == pytest.approx(0.025, rel=1e-13)
    assert m.draws_needed(m.JAR, "red", 0.95) == 450
    counts = np.arange(1, 11) * 20
    unseen = m.expected_unseen_mass(counts, 500)
    p = counts / counts.sum()
    direct = sum(
        pk * float(_exact_p_none(int(counts.sum()), int(k), 500)) for pk, k in zip(p, counts)
    )
    assert unseen == pytest.approx(direct, rel=1e-10)


def test_expected_unseen_mass_realistic_abundances_in_bounded_memory():
    """~1000 distinct counts and 10^6 reads once needed a ~24 GB table."""
    import tracemalloc

    rng = np.random.default_rng(0)
    distinct = np.unique(np.round(rng.lognormal(4, 2.5, size=5000)).astype(np.int64) + 1)
    counts = rng.choice(distinct, size=1000, replace=False)
    n = 1_000_000
    total = int(counts.sum())
    assert counts.size == 1000 and total > n
    tracemalloc.start()
    try:
        got = m.expected_unseen_mass(counts, n)
        m.expected_good_turing(counts, n)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200e6
    assert 0.0 < got < 1.0
    # an independent route for a few colours: the running product of n factors
    some = np.sort(counts)[::100]
    lp = np.array(
        [
            np.sum(np.log1p(-k / (total - np.arange(n, dtype=float))))
            if n <= total - k
            else -np.inf
            for k in some
        ]
    )
    assert m._log_none(total, some, n, False) == pytest.approx(lp, rel=1e-8)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: m.draw({"a": -1, "b": 2}, 1), ValueError, "counts must be non-negative"),
        (lambda: m.draw([1.5, 2], 1), ValueError, "whole numbers"),
        (lambda: m.draw([0, 0], 1), ValueError, "between 1 and 2"),
        (lambda: m.draw(m.JAR, 1001), ValueError, "n must be"),
        (lambda: m.draw(m.JAR, -1), ValueError, "n must be"),
        (lambda: m.draw(m.JAR, 2.0), TypeError, "n must be an int"),
        (lambda: m.draw(m.JAR, 5, replicates=2.5), TypeError, "replicates"),
        (lambda: m.draw(m.JAR, 5, replicates=0), ValueError, "replicates"),
        (lambda: m.draw(m.JAR, 5, rng="x"), TypeError, "rng"),
        (lambda: m.draw("jar", 5), TypeError, "counts"),
        (lambda: m.draw({1: 3}, 1), TypeError, "string colour names"),
        (lambda: m.draw([[1, 2]], 1), ValueError, "counts must have 1 dimension"),
        (lambda: m.draw([np.nan, 1], 1), ValueError, "finite"),
        (lambda: m.prob_at_least_one(m.JAR, 25, "purple"), ValueError, "colour must be one of"),
        (lambda: m.prob_at_least_one(m.JAR, 25, 9), ValueError, "colour index"),
        (lambda: m.prob_at_least_one([1, 2], 1, "red"), ValueError, "colour must be one of"),
        (lambda: m.prob_at_least_one(m.JAR, 1001, "red"), ValueError, "n must be"),
        (lambda: m.draws_needed(m.JAR, "red", 0.0), ValueError, "prob must lie in"),
        (lambda: m.draws_needed(m.JAR, "red", 1.5), ValueError, "prob must lie in"),
        (lambda: m.draws_needed(m.JAR, "red", float("nan")), ValueError, "prob must be finite"),
        (lambda: m.draws_needed({"a": 0, "b": 3}, "a", 0.5), ValueError, "no marbles"),
        (lambda: m.draws_needed(m.JAR, "red", 1.0, replace=True), ValueError, "prob = 1"),
        (lambda: m.expected_chao1(m.JAR, 0), ValueError, "n must be"),
        (lambda: m.expected_chao1(m.JAR, 1001), ValueError, "n must be"),
        (lambda: m.expected_chao1([30] * 6, 5), ValueError, "two million"),
        (lambda: m.good_turing_missing_mass([0, 0]), ValueError, "non-empty"),
        (lambda: m.chao1([-1, 3]), ValueError, "non-negative"),
        (lambda: m.prob_all_present(m.JAR, 25, []), TypeError, "group must be .* non-empty"),
        (lambda: m.prob_none(m.JAR, 25, ["red", "red"]), ValueError, "group must not repeat"),
        (lambda: m.proportion_mse(m.JAR, "red", 0), ValueError, "n and batches must be"),
        (lambda: m.proportion_mse(m.JAR, "red", 25, target=2.0), ValueError, "target"),
        (lambda: m.repeated_batches(m.JAR, 0, 3), ValueError, "batch"),
        (lambda: m.draw(m.JAR, 5, replace="yes"), TypeError, "replace"),
    ],
)
def test_bad_input_names_the_argument(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def _exact_log_p_none(total, k, n):
    """log C(N-k, n)/C(N, n) from an exact product over the smaller of k and n."""
    from fractions import Fraction

    small, big = min(k, n), max(k, n)
    if small + big > total:
        return -math.inf
    q = Fraction(1)
    for i in range(small):
        q *= Fraction(total - i - big, total - i)
    if q > Fraction(1, 2):  # log1p of the exact q - 1 keeps the digits of a q close to 1
        return math.log1p(float(q - 1))
    if q > Fraction(1, 10**300):  # float(q) is correctly rounded
        return math.log(float(q))
    return math.log(q.numerator) - math.log(q.denominator)


@pytest.mark.parametrize("exponent", range(1, 15))
def test_probabilities_exact_from_10_to_1e14_marbles(exponent):
    """Issue #23: above 10^7 marbles the log-gamma route lost up to all digits."""
    total = 10**exponent
    rng = np.random.default_rng(exponent)
    pairs = [(1, 1), (5, 25), (total - 1, 1), (1, total - 1), (total // 2, 1), (2, total // 3)]
    for _ in range(8):
        k = int(rng.integers(1, min(total, 3000) + 1))
        pairs.append((k, int(rng.integers(0, min(total - k, 3000) + 1))))
    for k, n in pairs:
        if min(k, n) > 3000 or n > total - k:
            continue
        log_none = _exact_log_p_none(total, k, n)
        jar = [total - k, k]
        got_none = m.prob_none(jar, n, 1)
        got_one = m.prob_at_least_one(jar, n, 1)
        assert got_none == pytest.approx(math.exp(log_none), rel=1e-12, abs=1e-300)
        assert got_one == pytest.approx(-math.expm1(log_none), rel=1e-12), (total, k, n)


def test_long_products_against_decimal_product_at_1e14():
    """Long sums (tens of thousands of factors) against a 50-digit decimal product."""
    from decimal import Decimal, localcontext

    for total, k, n in [(10**14, 20_000, 30_000), (10**12, 50_000, 10**7), (10**9, 40_000, 10**8)]:
        with localcontext() as ctx:
            ctx.prec = 50
            q = Decimal(1)
            for i in range(min(k, n)):
                q *= Decimal(total - i - max(k, n)) / Decimal(total - i)
            exact = float(q.ln())
        assert m._log_p_none(total, k, n) == pytest.approx(exact, rel=1e-12)
        assert m.prob_at_least_one([total - k, k], n, 1) == pytest.approx(
            -math.expm1(exact), rel=1e-12
        )


def test_replacement_probabilities_keep_digits_for_nearly_all_of_one_colour():
    total = 10**14
    jar = [total - 1, 1]
    assert m.prob_none(jar, 1, 0, replace=True) == pytest.approx(1e-14, rel=1e-12)
    assert m.prob_at_least_one(jar, 1, 1, replace=True) == pytest.approx(1e-14, rel=1e-12)
    # E[unseen mass] = p0 (1 - p0) + p1 (1 - p1) = 2 (N - 1) / N^2
    assert m.expected_unseen_mass(jar, 1, replace=True) == pytest.approx(
        2 * (total - 1) / total**2, rel=1e-12
    )


_FLAG_CALLS = [
    lambda r: m.draw(m.JAR, 5, replace=r, rng=0),
    lambda r: m.prob_none(m.JAR, 25, "red", replace=r),
    lambda r: m.prob_at_least_one(m.JAR, 25, "red", replace=r),
    lambda r: m.prob_all_present(m.JAR, 25, ["red", "green"], replace=r),
    lambda r: m.draws_needed(m.JAR, "red", 0.5, replace=r),
    lambda r: m.proportion_mse(m.JAR, "red", 25, replace=r),
    lambda r: m.expected_unseen_mass(m.JAR, 25, replace=r),
    lambda r: m.expected_good_turing(m.JAR, 25, replace=r),
]


@pytest.mark.parametrize("call", _FLAG_CALLS)
@pytest.mark.parametrize("bad", ["False", "True", 0, 1, None, 0.0])
def test_replace_must_be_a_bool(call, bad):
    """Issue #23: replace="False" was truthy and silently drew with replacement."""
    with pytest.raises(TypeError, match="replace (must be True or False|is required)"):
        call(bad)
    call(np.bool_(False))  # NumPy bools are bools


def test_huge_jars_and_draws_are_refused_up_front():
    with pytest.raises(ValueError, match="counts, n too large.*factors"):
        m.prob_none([10**12, 10**12], 10**11, 0)
    with pytest.raises(ValueError, match="replicates too large"):
        m.draw(m.JAR, 5, replicates=10**12, rng=0)
    with pytest.raises(ValueError, match="< 10\\*\\*9 marbles"):
        m.draw({"a": 10**12, "b": 1}, 5, rng=0)
    with pytest.raises(ValueError, match="counts must be counts of at most 2\\*\\*53"):
        m.prob_none([10**19, 1], 5, 1)
    with pytest.raises(TypeError, match="n must contain numbers"):
        m.prob_none(m.JAR, 2**64, "red", replace=True)
    with pytest.raises(TypeError, match="booleans"):
        m.chao1([True, False, True])
    with pytest.raises(ValueError, match="must not repeat"):
        m.prob_all_present(m.JAR, 25, ["red", 1])  # "red" is colour 1
