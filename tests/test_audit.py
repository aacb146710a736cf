"""Tests of synthbio.audit: the metrics for judging synthetic data.

Bad single arguments are swept from the declarations (tests/test_bad_inputs.py); the
tests here check the metrics' values and the checks that relate two arguments.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthbio import audit


def gauss(n, d=4, shift=0.0, seed=0):
    x = np.random.default_rng(seed).standard_normal((n, d))
    x[:, 0] += shift
    return x


def mmd_gaussians(shift, scale, bandwidth, dim):
    """Exact MMD² of two isotropic normal clouds (the chapter derives it)."""
    v = bandwidth**2 + 2 * scale**2
    return 2 * (bandwidth**2 / v) ** (dim / 2) * (1 - np.exp(-(shift**2) / (2 * v)))


# --- classifier two-sample test ---------------------------------------------------------


def test_c2st_same_distribution_is_chance():
    res = audit.c2st_auc(gauss(300, seed=1), gauss(300, seed=2), rng=0)
    # null SD of the AUC is sqrt(601 / (12·300·300)) ≈ 0.024
    assert abs(res.auc - 0.5) < 4 * 0.024
    assert res.p_value > 1e-4
    assert (res.n_real, res.n_synthetic) == (300, 300)


def test_c2st_separated_sets_approach_one():
    res = audit.c2st_auc(gauss(200, seed=1), gauss(200, shift=8.0, seed=2), rng=0)
    assert res.auc > 0.99
    assert res.p_value == pytest.approx(1 / 201)  # the smallest p of 200 permutations


def test_c2st_grows_with_shift():
    aucs = [
        audit.c2st_auc(gauss(200, seed=1), gauss(200, shift=s, seed=2), rng=0).auc
        for s in (0.5, 1.5, 3)
    ]
    assert aucs[0] < aucs[1] < aucs[2]


def test_c2st_permutation_p_value_bounds():
    res = audit.c2st_auc(gauss(60, seed=1), gauss(60, shift=5, seed=2), permutations=9, rng=0)
    assert res.p_value == pytest.approx(1 / 10)  # no permuted AUC reaches a separated one


def test_c2st_matches_scikit_learn_for_the_same_folds():
    """The vectorised out-of-fold AUCs equal KNeighborsClassifier + roc_auc_score, also when
    the neighbour list is short and the exact fallback search is used."""
    from sklearn.metrics import roc_auc_score
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.default_rng(3)
    x = np.vstack([gauss(25, d=3, seed=1), gauss(35, d=3, shift=0.5, seed=2)])
    y = np.r_[np.zeros(25, np.int8), np.ones(35, np.int8)]
    labels = np.vstack([y, rng.permuted(np.tile(y, (4, 1)), axis=1)])
    for folds, k, slack in ((5, 10, 6.0), (2, 7, 6.0), (5, 10, 0.0), (3, 4, 0.0)):
        fold = audit._stratified_folds(labels, folds, rng)
        for row, fo in zip(labels, fold):  # every fold holds each class in proportion
            counts = [np.bincount(fo[row == c], minlength=folds) for c in (0, 1)]
            assert all(np.ptp(c) <= 1 for c in counts)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(audit, "_C2ST_SLACK", slack)
            ours = audit._knn_oof_aucs(x, labels, fold, k, 35)
        for r in range(labels.shape[0]):
            score = np.empty(x.shape[0])
            for f in range(folds):
                te = fold[r] == f
                clf = KNeighborsClassifier(k).fit(x[~te], labels[r][~te])
                score[te] = clf.predict_proba(x[te])[:, 1]
            assert ours[r] == pytest.approx(roc_auc_score(labels[r], score), abs=1e-12)


def test_c2st_is_calibrated_under_the_null():
    """Over 600 pairs drawn from one distribution, the test rejects at α = 0.05 about 5 % of
    the time: 0.05 lies in the exact 99.9 % Clopper–Pearson interval of the rejection share.
    (The former Mann–Whitney default rejected 8.5 % of 1000 such pairs, which this interval
    excludes.) With 39 permutations, p ≤ 0.05 has probability exactly 2/40 under the null."""
    from scipy.stats import binomtest

    rng = np.random.default_rng(123)
    trials = 600
    rejected = 0
    for _ in range(trials):
        a, b = rng.standard_normal((60, 4)), rng.standard_normal((60, 4))
        rejected += audit.c2st_auc(a, b, permutations=39, rng=rng).p_value <= 0.05
    ci = binomtest(int(rejected), trials).proportion_ci(confidence_level=0.999, method="exact")
    assert ci.low <= 0.05 <= ci.high, (rejected, ci)


def test_c2st_null_spread_and_power():
    a, b = gauss(150, seed=1), gauss(150, seed=2)
    res = audit.c2st_auc(a, b, rng=0)
    assert abs(res.null_mean - 0.5) < 0.01
    # the cross-validated null is wider than the Mann–Whitney formula
    assert res.null_sd > np.sqrt(301 / (12 * 150 * 150))
    shifted = audit.c2st_auc(a, gauss(150, shift=1.0, seed=2), rng=0)
    assert shifted.p_value == pytest.approx(1 / 201)


def test_c2st_is_reproducible():
    a, b = gauss(80, seed=1), gauss(80, shift=0.5, seed=2)
    assert audit.c2st_auc(a, b, rng=5) == audit.c2st_auc(a, b, rng=5)


# --- maximum mean discrepancy --------------------------------------------------------------


def test_mmd_permutation_statistic_matches_the_plain_estimate():
    a, b = gauss(40, seed=1), gauss(30, shift=0.3, seed=2)
    plain = audit.mmd(a, b, bandwidth=1.5)
    tested = audit.mmd(a, b, bandwidth=1.5, permutations=50, rng=0)
    assert tested.mmd2 == pytest.approx(plain.mmd2, rel=1e-9, abs=1e-12)
    assert plain.p_value is None and 1 / 51 <= tested.p_value <= 1
    far = audit.mmd(a, gauss(30, shift=5.0, seed=2), permutations=50, rng=0)
    assert far.p_value == pytest.approx(1 / 51)


def test_mmd_and_c2st_stay_finite_for_extreme_magnitudes():
    a, b = gauss(30, seed=1), gauss(30, shift=0.5, seed=2)
    huge = a.copy()
    huge[0, 0] = 1e150  # the largest magnitude the declarations accept
    for bw in (1.0, 1e100, None):
        res = audit.mmd(huge, b, bandwidth=bw, permutations=5, rng=0)
        assert np.isfinite(res.mmd2) and np.isfinite(res.bandwidth)
    # C2ST is invariant to a common scale
    assert audit.c2st_auc(a * 1e140, b * 1e140, rng=0) == audit.c2st_auc(a, b, rng=0)


def test_mmd_permutation_test_is_calibrated_under_the_null():
    from scipy.stats import binomtest

    rng = np.random.default_rng(7)
    trials = 400
    rejected = sum(
        audit.mmd(
            rng.standard_normal((40, 3)), rng.standard_normal((40, 3)), permutations=39, rng=rng
        ).p_value
        <= 0.05
        for _ in range(trials)
    )
    ci = binomtest(int(rejected), trials).proportion_ci(confidence_level=0.999, method="exact")
    assert ci.low <= 0.05 <= ci.high, (rejected, ci)


def test_mmd_unbiased_matches_closed_form():
    rng = np.random.default_rng(3)
    est = []
    for _ in range(40):
        a = rng.standard_normal((150, 3))
        b = rng.standard_normal((150, 3)) + np.array([1.0, 0, 0])
        est.append(audit.mmd(a, b, bandwidth=1.5).mmd2)
    exact = mmd_gaussians(1.0, scale=1.0, bandwidth=1.5, dim=3)
    se = np.std(est, ddof=1) / np.sqrt(len(est))
    assert abs(np.mean(est) - exact) < 4 * se


def test_mmd_near_zero_for_same_and_grows_with_shift():
    same = audit.mmd(gauss(200, seed=1), gauss(200, seed=2))
    assert abs(same.mmd2) < 0.01
    values = [
        audit.mmd(gauss(200, seed=1), gauss(200, shift=s, seed=2), bandwidth=2.0).mmd2
        for s in (0.5, 1, 2)
    ]
    assert values[0] < values[1] < values[2]
    x = gauss(120, seed=1)
    assert audit.mmd(x, x.copy()).mmd2 < 0  # identical sets: the unbiased estimate dips below 0


def test_mmd_median_heuristic():
    a, b = gauss(50, seed=1), gauss(50, seed=2)
    pooled = np.vstack([a, b])
    d = np.sqrt(((pooled[:, None] - pooled[None]) ** 2).sum(-1))
    assert audit.mmd(a, b).bandwidth == pytest.approx(np.median(d[np.triu_indices(100, 1)]))


def test_mmd_median_heuristic_of_coinciding_points_is_refused():
    with pytest.raises(ValueError, match="bandwidth: the median heuristic"):
        audit.mmd(np.zeros((10, 2)), np.zeros((10, 2)))


# --- precision, recall, distances --------------------------------------------------------


def test_precision_recall_identical_sets():
    x = gauss(100)
    pr = audit.precision_recall(x, x.copy(), n_neighbors=5)
    assert (pr.precision, pr.recall) == (1.0, 1.0)


def test_precision_recall_fall_for_shifted_set():
    same = audit.precision_recall(gauss(200, seed=1), gauss(200, seed=2))
    pr = audit.precision_recall(gauss(200, seed=1), gauss(200, shift=5, seed=2))
    assert same.precision > 0.85 and same.recall > 0.85
    assert pr.precision < 0.4 and pr.recall < 0.4


def test_precision_and_recall_separate_collapse_from_noise():
    real_x = gauss(300, seed=1)
    collapsed = 0.3 * gauss(300, seed=2)  # realistic but covers little
    pr = audit.precision_recall(real_x, collapsed, n_neighbors=5)
    assert pr.precision > 0.95 and pr.recall < 0.7


def test_on_real_manifold_ball_radius():
    real_x = np.array([[0.0], [1.0], [3.0]])
    # radii to the 1st neighbour: 1, 1, 2 → covered union [-1, 5]
    query = np.array([[-1.0], [4.9], [5.2], [-1.2]])
    inside = audit.on_real_manifold(real_x, query, n_neighbors=1)
    assert inside.tolist() == [True, True, False, False]
    pr = audit.precision_recall(real_x, query[:3], n_neighbors=1)
    assert pr.precision == pytest.approx(2 / 3)


def test_nearest_real_distance_values():
    real_x = np.array([[0.0, 0], [2, 0], [10, 0]])
    syn = np.array([[0.0, 0], [0.5, 0], [10, 8]])
    # nearest reals: 0 (spacing 2), 0 (spacing 2), 10 (spacing 8)
    assert audit.nearest_real_distance(real_x, syn) == pytest.approx([0.0, 0.25, 1.0])
    x = gauss(50, seed=3)
    assert np.all(audit.nearest_real_distance(x, x) == 0.0)
    # an exact duplicate among the real points: its spacing is the median spacing instead
    dup = np.array([[0.0], [0.0], [1.0], [3.0]])
    assert audit.nearest_real_distance(dup, [[0.2]]) == pytest.approx([0.2 / 1.5])  # of 1, 2


def test_neighbour_purity():
    real_x = np.r_[np.zeros((5, 1)), np.full((5, 1), 10.0)]
    y = np.array(["a"] * 5 + ["b"] * 5)
    pur = audit.neighbour_purity(real_x, y, np.array([[0.0], [5.0]]), n_neighbors=10)
    assert pur.tolist() == [0.5, 0.5]
    assert audit.neighbour_purity(real_x, y, [[0.0]], n_neighbors=5).tolist() == [1.0]


def test_neighbour_audits_do_not_change_with_a_huge_common_scale():
    real, syn = gauss(30, d=3, seed=3), gauss(30, d=3, shift=0.5, seed=4)
    big = 1e140  # beyond 1e100 the points are rescaled before neighbour searches
    np.testing.assert_allclose(
        audit.nearest_real_distance(real * big, syn * big),
        audit.nearest_real_distance(real, syn),
        rtol=1e-9,
    )
    pr = audit.precision_recall(real, syn, n_neighbors=3)
    assert audit.precision_recall(real * big, syn * big, n_neighbors=3) == pr
    y = np.arange(30) % 2
    np.testing.assert_allclose(
        audit.neighbour_purity(real * big, y, syn * big, n_neighbors=4),
        audit.neighbour_purity(real, y, syn, n_neighbors=4),
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(5, 40), st.integers(5, 40), st.integers(1, 4), st.integers(0, 2**16))
def test_precision_recall_in_unit_interval(n, m, k, seed):
    rng = np.random.default_rng(seed)
    k = min(k, n - 1, m - 1)
    a, b = rng.standard_normal((n, 2)), rng.standard_normal((m, 2))
    pr = audit.precision_recall(a, b, n_neighbors=k)
    assert 0 <= pr.precision <= 1 and 0 <= pr.recall <= 1


# --- train on synthetic, test on real ------------------------------------------------------


def test_tstr_good_and_bad_synthetic():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 100)
    x = rng.standard_normal((200, 2)) + 4 * y[:, None]
    xt = rng.standard_normal((200, 2)) + 4 * y[:, None]
    good = audit.tstr(x, x + 0.1, xt, y_real_train=y, y_synthetic=y, y_real_test=y)
    bad = audit.tstr(x, x, xt, y_real_train=y, y_synthetic=1 - y, y_real_test=y)
    assert good.trtr > 0.95 and good.tstr > 0.95
    assert bad.tstr < 0.05


def test_tstr_does_not_depend_on_feature_units():
    # features are standardised on each training set, so rescaling one feature
    # (e.g. a principal component with a much larger variance) changes nothing
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1, 2], 60)
    x = rng.standard_normal((180, 3)) + y[:, None]
    xs = x + 0.2 * rng.standard_normal(x.shape)
    xt = rng.standard_normal((180, 3)) + y[:, None]
    scale = np.array([1000.0, 1.0, 0.01])
    a = audit.tstr(x, xs, xt, y_real_train=y, y_synthetic=y, y_real_test=y)
    b = audit.tstr(x * scale, xs * scale, xt * scale, y_real_train=y, y_synthetic=y, y_real_test=y)
    assert a == b


# --- checks that relate two arguments ------------------------------------------------------


def test_different_feature_counts_name_both_sets():
    for f in (audit.c2st_auc, audit.mmd, audit.precision_recall, audit.nearest_real_distance):
        with pytest.raises(ValueError, match="real and synthetic must have the same number"):
            f(gauss(20, d=3), gauss(20, d=4))
    with pytest.raises(ValueError, match="real_train and real_test"):
        y = np.arange(20) % 2
        audit.tstr(
            gauss(20, d=3),
            gauss(20, d=3),
            gauss(20, d=2),
            y_real_train=y,
            y_synthetic=y,
            y_real_test=y,
        )


def test_too_few_rows_for_folds_or_neighbours():
    with pytest.raises(ValueError, match="synthetic must have at least 5 rows"):
        audit.c2st_auc(gauss(20), gauss(3))
    with pytest.raises(ValueError, match="n_neighbors must be less than the rows of each set"):
        audit.precision_recall(gauss(20), gauss(5), n_neighbors=5)
    with pytest.raises(ValueError, match="n_neighbors must be less than the rows of real"):
        audit.on_real_manifold(gauss(5), gauss(5), n_neighbors=5)
    with pytest.raises(ValueError, match="n_neighbors must be at most the rows of real"):
        audit.neighbour_purity(gauss(5), np.arange(5) % 2, gauss(2), n_neighbors=6)
    with pytest.raises(ValueError, match="real must have at least 2 rows"):
        audit.nearest_real_distance(gauss(1), gauss(3))


@pytest.mark.parametrize("k", [12, 10**12, 2**62])
def test_neighbour_rank_larger_than_the_sets_names_n_neighbors(k):
    real, syn = gauss(12, d=2, seed=5), gauss(12, d=2, seed=6)
    with pytest.raises(ValueError, match="n_neighbors must be less than"):
        audit.precision_recall(real, syn, n_neighbors=k)


def test_labels_must_match_their_rows_and_hold_two_classes():
    y = np.arange(10) % 2
    with pytest.raises(ValueError, match="y_synthetic must hold one label per row"):
        audit.tstr(
            gauss(10), gauss(10), gauss(5), y_real_train=y, y_synthetic=y[:9], y_real_test=y[:5]
        )
    with pytest.raises(ValueError, match="y_synthetic must contain at least 2 classes"):
        audit.tstr(
            gauss(10), gauss(10), gauss(5), y_real_train=y, y_synthetic=y * 0, y_real_test=y[:5]
        )
    with pytest.raises(ValueError, match="y must hold one label per row"):
        audit.neighbour_purity(gauss(10), y[:9], gauss(2), n_neighbors=3)


def test_c2st_refuses_too_much_work():
    with pytest.raises(ValueError, match="permutations"):
        audit.c2st_auc(gauss(3000), gauss(3000), permutations=10_000)
