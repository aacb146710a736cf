"""Tests of synthbio.audit: two-sample statistics, generators and the simulators."""

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


def test_c2st_refuses_too_much_work():
    with pytest.raises(ValueError, match="permutations"):
        audit.c2st_auc(gauss(3000), gauss(3000), permutations=10_000)
    with pytest.raises(ValueError, match="permutations"):
        audit.c2st_auc(gauss(30), gauss(30), permutations=0)


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
    huge[0, 0] = 1e300
    for bw in (1.0, 1e300, None):
        res = audit.mmd(huge, b, bandwidth=bw, permutations=5, rng=0)
        assert np.isfinite(res.mmd2) and np.isfinite(res.bandwidth)
    # C2ST is invariant to a common scale
    assert audit.c2st_auc(a * 1e300, b * 1e300, rng=0) == audit.c2st_auc(a, b, rng=0)


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


def test_mmd_gaussians_closed_form_zero_and_limit():
    assert audit.mmd_gaussians(0.0, scale=1, bandwidth=2, dim=3) == 0.0
    # far apart the cross term vanishes: MMD² → 2 c with c = (σ²/(σ²+2s²))^(d/2)
    assert audit.mmd_gaussians(1e3, scale=1, bandwidth=2, dim=3) == pytest.approx(
        2 * (4 / 6) ** 1.5
    )


def test_mmd_unbiased_matches_closed_form():
    rng = np.random.default_rng(3)
    est = []
    for _ in range(40):
        a = rng.standard_normal((150, 3))
        b = rng.standard_normal((150, 3)) + np.array([1.0, 0, 0])
        est.append(audit.mmd(a, b, bandwidth=1.5).mmd2)
    exact = audit.mmd_gaussians(1.0, scale=1.0, bandwidth=1.5, dim=3)
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


def test_mmd_median_heuristic():
    a, b = gauss(50, seed=1), gauss(50, seed=2)
    pooled = np.vstack([a, b])
    d = np.sqrt(((pooled[:, None] - pooled[None]) ** 2).sum(-1))
    assert audit.mmd(a, b).bandwidth == pytest.approx(np.median(d[np.triu_indices(100, 1)]))


# --- precision, recall, distances --------------------------------------------------------


def test_precision_recall_identical_sets():
    x = gauss(100)
    pr = audit.precision_recall(x, x.copy(), k=5)
    assert (pr.precision, pr.recall) == (1.0, 1.0)


def test_precision_recall_fall_for_shifted_set():
    same = audit.precision_recall(gauss(200, seed=1), gauss(200, seed=2), k=5)
    pr = audit.precision_recall(gauss(200, seed=1), gauss(200, shift=5, seed=2), k=5)
    assert same.precision > 0.85 and same.recall > 0.85
    assert pr.precision < 0.4 and pr.recall < 0.4


def test_precision_and_recall_separate_collapse_from_noise():
    real_x = gauss(300, seed=1)
    collapsed = 0.3 * gauss(300, seed=2)  # realistic but covers little
    pr = audit.precision_recall(real_x, collapsed, k=5)
    assert pr.precision > 0.95 and pr.recall < 0.7


def test_on_real_manifold_ball_radius():
    real_x = np.array([[0.0], [1.0], [3.0]])
    # radii to the 1st neighbour: 1, 1, 2 → covered union [-1, 5]
    inside = audit.on_real_manifold(real_x, np.array([[-1.0], [4.9], [5.2], [-1.2]]), k=1)
    assert inside.tolist() == [True, True, False, False]


def test_nearest_real_distance_values():
    real_x = np.array([[0.0, 0], [2, 0], [10, 0]])
    syn = np.array([[0.0, 0], [0.5, 0], [10, 8]])
    # nearest reals: 0 (spacing 2), 0 (spacing 2), 10 (spacing 8)
    assert audit.nearest_real_distance(real_x, syn) == pytest.approx([0.0, 0.25, 1.0])


def test_neighbour_purity():
    real_x = np.r_[np.zeros((5, 1)), np.full((5, 1), 10.0)]
    labels = np.array(["a"] * 5 + ["b"] * 5)
    pur = audit.neighbour_purity(real_x, labels, np.array([[0.0], [5.0]]), k=10)
    assert pur.tolist() == [0.5, 0.5]
    assert audit.neighbour_purity(real_x, labels, np.array([[0.0]]), k=5).tolist() == [1.0]


# --- TSTR and generators -------------------------------------------------------------------


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


def test_gmm_generator_is_reproducible_from_its_seed():
    x = gauss(120, d=3)
    one = audit.fit_generator(x, "gmm", 3, rng=7).sample(50, rng=1)
    two = audit.fit_generator(x, "gmm", 3, rng=7).sample(50, rng=1)
    np.testing.assert_array_equal(one, two)


def test_ppca_covariance_matches_sklearn_and_samples():
    x = gauss(400, d=6, seed=4) @ np.random.default_rng(1).standard_normal((6, 6))
    g = audit.fit_generator(x, "ppca", 3)
    np.testing.assert_allclose(g.covariance(), g.model.get_covariance(), rtol=1e-10, atol=1e-12)
    s = g.sample(200_000, rng=2)
    np.testing.assert_allclose(
        np.cov(s.T), g.covariance(), atol=0.05 * np.abs(g.covariance()).max()
    )


def test_gmm_sample_moments():
    x = np.r_[gauss(300, d=2, seed=1), gauss(300, d=2, shift=6, seed=2)]
    g = audit.fit_generator(x, "gmm", 2, rng=0)
    s = g.sample(100_000, rng=1)
    np.testing.assert_allclose(s.mean(0), g.model.weights_ @ g.model.means_, atol=0.03)
    np.testing.assert_allclose(np.cov(s.T), g.covariance(), atol=0.1)


def test_sample_by_class_proportions():
    x = gauss(100, d=3)
    lab = np.array(["a"] * 70 + ["b"] * 30)
    pts, y = audit.sample_by_class(x, lab, 50, "ppca", 2, rng=0)
    assert pts.shape == (50, 3)
    assert (y == "a").sum() == 35 and (y == "b").sum() == 15


# --- simulators ----------------------------------------------------------------------------


def test_hill_half_activation():
    assert audit.hill(np.array([2.0]), 2.0, 3.0)[0] == pytest.approx(0.5)
    assert audit.hill(np.array([0.0]), 2.0, 3.0)[0] == 0.0


def test_branching_shapes_and_branches():
    tr = audit.simulate_branching(200, genes_per_module=3, rng=0)
    assert tr.x.shape == (200, 18)
    assert np.all(tr.branch[tr.time < 0.35] == 0)
    assert set(np.unique(tr.branch[tr.time >= 0.35])) == {1, 2}
    assert np.all(np.diff(tr.time) >= 0)


def test_diffusion_pseudotime_tracks_time():
    from scipy.stats import spearmanr

    tr = audit.simulate_branching(300, rng=1)
    dpt = audit.diffusion_pseudotime(tr.x, int(np.argmin(tr.time)))
    assert dpt[np.argmin(tr.time)] == 0.0
    assert spearmanr(dpt, tr.time)[0] > 0.8


def test_diffusion_pseudotime_is_finite_in_unit_interval():
    tr = audit.simulate_branching(30, genes_per_module=1, rng=0)
    dpt = audit.diffusion_pseudotime(tr.x, 0, n_neighbors=10, n_pcs=3)
    assert np.all(np.isfinite(dpt)) and dpt.min() == 0.0 and dpt.max() == 1.0
    # scale does not matter, and huge values stay finite
    huge = audit.diffusion_pseudotime(tr.x * 2.0**62, 0, n_neighbors=10, n_pcs=3)
    np.testing.assert_allclose(huge, dpt, atol=1e-6)


def test_diffusion_pseudotime_refuses_unreachable_and_degenerate_cells():
    tr = audit.simulate_branching(30, genes_per_module=1, rng=0)
    # with 5 neighbours this graph has two pieces: DPT would be inf for 10 of 30 cells
    with pytest.raises(ValueError, match="disconnected pieces and only 20 of 30 cells"):
        audit.diffusion_pseudotime(tr.x, 0, n_neighbors=5, n_pcs=3)
    with pytest.raises(ValueError, match="all cells are identical"):
        audit.diffusion_pseudotime(np.ones((30, 5)), 0, n_pcs=3)
    with pytest.raises(ValueError, match="kernel width is zero"):
        audit.diffusion_pseudotime(np.repeat(tr.x[:3], 10, axis=0), 0, n_pcs=2)


def test_tf_hill_top_decade_share():
    d = audit.simulate_tf_hill(20_000, high_share=0.05, rng=0)
    top = (d.tf >= 100) & (d.tf < 1000)
    assert top.mean() == pytest.approx(0.05, abs=4 * np.sqrt(0.05 * 0.95 / 20_000))
    assert np.all(d.target[top] > d.target[~top].max())
    assert audit.top_decade_share(d.tf, d.tf, low=100) == 1.0
    assert audit.top_decade_share(np.ones(5), d.tf, low=100) == 0.0


@settings(max_examples=25, deadline=None)
@given(st.integers(5, 40), st.integers(5, 40), st.integers(1, 4), st.integers(0, 2**16))
def test_precision_recall_in_unit_interval(n, m, k, seed):
    rng = np.random.default_rng(seed)
    k = min(k, n - 1, m - 1)
    pr = audit.precision_recall(rng.standard_normal((n, 2)), rng.standard_normal((m, 2)), k=k)
    assert 0 <= pr.precision <= 1 and 0 <= pr.recall <= 1


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 10), st.floats(0.1, 5), st.floats(0.1, 5), st.integers(1, 20))
def test_mmd_gaussians_bounded(shift, scale, bw, dim):
    v = float(audit.mmd_gaussians(shift, scale=scale, bandwidth=bw, dim=dim))
    assert 0 <= v <= 2.0


# --- bad inputs ----------------------------------------------------------------------------


def test_different_feature_counts():
    with pytest.raises(ValueError, match="same number of features"):
        audit.c2st_auc(gauss(20, d=3), gauss(20, d=4))
    with pytest.raises(ValueError, match="same number of features"):
        audit.mmd(gauss(20, d=3), gauss(20, d=4))
    with pytest.raises(ValueError, match="same number of features"):
        audit.precision_recall(gauss(20, d=3), gauss(20, d=4))


def test_too_few_samples_for_folds():
    with pytest.raises(ValueError, match="folds=5"):
        audit.c2st_auc(gauss(20), gauss(3))
    with pytest.raises(ValueError, match="k=5 with 20 real and 5 synthetic rows"):
        audit.precision_recall(gauss(20), gauss(5), k=5)


def test_nan_and_types():
    bad = gauss(20)
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="real must be finite"):
        audit.mmd(bad, gauss(20))
    with pytest.raises(ValueError, match="synthetic must be finite"):
        audit.nearest_real_distance(gauss(20), bad)
    with pytest.raises(TypeError, match="k must be an int"):
        audit.precision_recall(gauss(20), gauss(20), k=2.5)
    with pytest.raises(ValueError, match="bandwidth must lie"):
        audit.mmd(gauss(20), gauss(20), bandwidth=0.0)
    with pytest.raises(ValueError, match="kind must be"):
        audit.fit_generator(gauss(20), "vae", 2)
    with pytest.raises(ValueError, match="n_components must be"):
        audit.fit_generator(gauss(20, d=4), "ppca", 4)
    with pytest.raises(ValueError, match="y_synthetic must be one label per row"):
        audit.tstr(
            gauss(10),
            gauss(10),
            gauss(5),
            y_real_train=np.arange(10) % 2,
            y_synthetic=np.arange(9) % 2,
            y_real_test=np.arange(5) % 2,
        )
    with pytest.raises(ValueError, match="reference has no value"):
        audit.top_decade_share([1.0], [1.0, 2.0], low=100)
    with pytest.raises(ValueError, match="shift must be ≥ 0"):
        audit.mmd_gaussians(-1.0, scale=1, bandwidth=1, dim=1)
    with pytest.raises(ValueError, match="x must be ≥ 0"):
        audit.hill(np.array([-1.0]), 1.0, 2.0)
    with pytest.raises(ValueError, match="n_cells must be"):
        audit.simulate_branching(5)
    with pytest.raises(ValueError, match="high_share must lie"):
        audit.simulate_tf_hill(100, high_share=1.5)


def test_nearest_real_distance_of_real_set_is_zero():
    x = gauss(50, seed=3)
    assert np.all(audit.nearest_real_distance(x, x) == 0.0)


def test_audit_summary_reference_values():
    x = gauss(120, seed=1)
    out = audit.audit_summary(x, x.copy(), rng=0)
    assert set(out) == {
        "c2st_auc",
        "c2st_p",
        "c2st_null_sd",
        "mmd2",
        "precision",
        "recall",
        "median_nn_ratio",
    }
    assert out["precision"] == out["recall"] == 1.0
    assert out["median_nn_ratio"] == 0.0
    assert out["mmd2"] < 0  # identical sets: the unbiased estimate is slightly negative


def test_top_decade_audit_round_trip_keeps_the_decade():
    d = audit.simulate_tf_hill(1500, rng=2)
    shares = audit.top_decade_audit(d, rng=3)
    assert set(shares) == {"reconstruction", "gmm", "ppca"}
    assert 0.9 <= shares["reconstruction"] <= 1.1
    assert shares["ppca"] < 0.6
    with pytest.raises(TypeError, match="data must be a TFHillData"):
        audit.top_decade_audit(d.counts)


def test_sample_by_class_rejects_tiny_classes():
    with pytest.raises(ValueError, match="every class needs at least 3 points"):
        audit.sample_by_class(gauss(10), np.array(["a"] * 8 + ["b"] * 2), 10, "gmm", 1)


def test_top_decade_audit_names_its_own_arguments():
    d = audit.simulate_tf_hill(200, rng=0)
    with pytest.raises(ValueError, match="ppca_components must be"):
        audit.top_decade_audit(d, n_pcs=5, ppca_components=5)
    with pytest.raises(TypeError, match="gmm_components must be an int"):
        audit.top_decade_audit(d, gmm_components="8")


# --- regressions found by the bad-input sweep ----------------------------------------------


def test_hill_steep_switch_saturates_instead_of_nan():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (x/k)ⁿ overflowed to inf and inf/inf gave NaN
        out = audit.hill(np.array([0.0, 2.0, 10.0]), 2.0, 1000.0)
        data = audit.simulate_tf_hill(200, hill_n=1000.0, rng=0)
    assert out.tolist() == [0.0, 0.5, 1.0]
    assert np.all(np.isfinite(data.target))


def test_sample_by_class_keeps_one_point_per_small_class():
    # quotas (2.7, 0.15, 0.15) round up to (2, 1, 1); the surplus must come from the big class
    lab = np.array(["a"] * 90 + ["b"] * 5 + ["c"] * 5)
    pts, y = audit.sample_by_class(gauss(100, d=3), lab, 3, "gmm", 1, rng=0)
    assert pts.shape == (3, 3)
    assert sorted(y.tolist()) == ["a", "b", "c"]


def test_mmd_tiny_bandwidth_is_refused_not_nan():
    # σ² underflowed: 1e-200 divided by zero, 1e-160 gave a NaN kernel
    for bw in (1e-200, 1e-160):
        with pytest.raises(ValueError, match="bandwidth must lie"):
            audit.mmd(gauss(10, seed=1), gauss(10, seed=2), bandwidth=bw)
    assert audit.mmd(gauss(10, seed=1), 100 * gauss(10, seed=2), bandwidth=1e-150).mmd2 == 0.0


def test_missing_labels_and_empty_levels_are_refused():
    real_x = gauss(12, d=2)
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        audit.neighbour_purity(real_x, np.full(12, np.nan), gauss(3, d=2), k=3)
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        audit.sample_by_class(real_x, np.full(12, np.inf), 4, "ppca", 1)
    with pytest.raises(ValueError, match="y_real_test must not contain NaN"):
        audit.tstr(
            real_x,
            real_x,
            real_x[:4],
            y_real_train=np.arange(12) % 2,
            y_synthetic=np.arange(12) % 2,
            y_real_test=np.full(4, np.nan),
        )
    with pytest.raises(ValueError, match="x must have at least 1 element"):
        audit.hill([], 1.0, 2.0)
    with pytest.raises(ValueError, match="choose low where"):
        audit.top_decade_share([1.0], [1.0, 200.0], low=1e9)


# --- hostile inputs (issue #23) -----------------------------------------------------------


def test_neighbour_audits_do_not_change_with_a_huge_common_scale():
    real, syn = gauss(30, d=3, seed=3), gauss(30, d=3, shift=0.5, seed=4)
    big = 1e250  # squared distances would overflow; neighbours and ratios do not change
    np.testing.assert_allclose(
        audit.nearest_real_distance(real * big, syn * big),
        audit.nearest_real_distance(real, syn),
        rtol=1e-9,
    )
    assert audit.precision_recall(real * big, syn * big, k=3) == audit.precision_recall(
        real, syn, k=3
    )
    labels = np.arange(30) % 2
    np.testing.assert_allclose(
        audit.neighbour_purity(real * big, labels, syn * big, k=4),
        audit.neighbour_purity(real, labels, syn, k=4),
    )


@pytest.mark.parametrize("k", [12, 10**12, 2**62])
def test_neighbour_rank_larger_than_the_sets_names_k(k):
    real, syn = gauss(12, d=2, seed=5), gauss(12, d=2, seed=6)
    with pytest.raises(ValueError, match="k must be less than"):
        audit.precision_recall(real, syn, k=k)
    with pytest.raises(ValueError, match="k must be less than"):
        audit.audit_summary(real, syn, k=k, permutations=2, rng=0)


_TWO = [0, 1] * 5 + [1]  # 11 labels; the cases add a twelfth in front


@pytest.mark.parametrize(
    ("labels", "error"),
    [
        ([None, *_TWO], ValueError),  # a missing label
        ([1j, *_TWO], TypeError),  # complex
        (["0", *_TWO], TypeError),  # a string among numbers
        ([2**64, *_TWO], TypeError),  # beyond int64
    ],
    ids=["None", "complex", "mixed", "int64 overflow"],
)
def test_bad_labels_are_refused_naming_them(labels, error):
    real = gauss(12, d=2, seed=7)
    with pytest.raises(error, match="labels"):
        audit.neighbour_purity(real, labels, real, k=3)
    with pytest.raises(error, match="labels"):
        audit.sample_by_class(real, labels, 12, "gmm", 1, rng=0)
    y = np.arange(12) % 2
    with pytest.raises(error, match="y_real_test"):
        audit.tstr(real, real, real, y_real_train=y, y_synthetic=y, y_real_test=labels)


def test_generators_refuse_magnitudes_whose_squares_overflow_and_huge_draws():
    x = gauss(20, d=2, seed=8)
    x[0, 0] = 1e300
    with pytest.raises(ValueError, match="x must have entries of magnitude"):
        audit.fit_generator(x, "gmm", 2, rng=0)
    with pytest.raises(ValueError, match="real_train"):
        audit.tstr(
            x,
            x,
            x,
            y_real_train=np.arange(20) % 2,
            y_synthetic=np.arange(20) % 2,
            y_real_test=np.arange(20) % 2,
        )
    with pytest.raises(ValueError, match="n too large"):
        audit.sample_by_class(gauss(20, d=2), np.arange(20) % 2, 10**12, "gmm", 1, rng=0)


def test_mmd_gaussians_extreme_but_accepted_scales_stay_finite():
    out = audit.mmd_gaussians([0.0, 1e100], scale=1e-100, bandwidth=1e-100, dim=2)
    assert np.all(np.isfinite(out)) and out[0] == 0.0
    with pytest.raises(ValueError, match="scale"):
        audit.mmd_gaussians([1.0], scale=1e300, bandwidth=1.0, dim=1)
    with pytest.raises(ValueError, match="bandwidth"):
        audit.mmd_gaussians([1.0], scale=1.0, bandwidth=5e-324, dim=1)
