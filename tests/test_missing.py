"""Missingness masks, Rubin's rules and the paired RNA/protein simulator."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from synthbio import missing


def _table(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.7 * a + rng.normal(scale=0.7, size=n)  # the column to hide
    c = rng.normal(size=n)  # unrelated to everything
    return np.column_stack([a, b, c])


@given(st.floats(0.0, 1.0), st.sampled_from(missing.MECHANISMS), st.integers(1, 60))
@settings(max_examples=60, deadline=None)
def test_each_mask_hides_exactly_the_requested_share_of_one_column(fraction, mechanism, n):
    X = np.arange(3.0 * n).reshape(n, 3) % 7
    mask = missing.missing_mask(X, fraction, mechanism, column=1, driver=0, rng=1)
    assert mask.shape == X.shape and mask.dtype == bool
    assert mask[:, 1].sum() == round(fraction * n)
    assert not mask[:, [0, 2]].any()


def _dependence(X, mask, col):
    """Slope of a logistic-free check: correlation of the mask with a column."""
    return stats.pearsonr(mask[:, 1].astype(float), X[:, col]).statistic


def test_mcar_is_independent_of_every_value():
    X = _table()
    mask = missing.missing_mask(X, 0.4, "MCAR", column=1, rng=2)
    for col in range(3):  # n = 4000: |r| < 0.07 is a 4.4-sigma band for a true zero
        assert abs(_dependence(X, mask, col)) < 0.07


def test_mar_depends_on_the_driver_only_through_observed_values():
    X = _table()
    mask = missing.missing_mask(X, 0.4, "MAR", column=1, driver=0, strength=1.5, rng=3)
    assert _dependence(X, mask, 0) > 0.3  # the driver
    # given the driver, the hidden value adds nothing: regress the mask on both
    A = np.column_stack([np.ones(len(X)), X[:, 0], X[:, 1]])
    beta, *_ = np.linalg.lstsq(A, mask[:, 1].astype(float), rcond=None)
    assert abs(beta[1]) > 5 * abs(beta[2])
    assert abs(_dependence(X, mask, 2)) < 0.07


def test_mnar_depends_on_the_hidden_value_itself():
    X = _table()
    mask = missing.missing_mask(X, 0.4, "MNAR", column=1, strength=1.5, rng=4)
    A = np.column_stack([np.ones(len(X)), X[:, 0], X[:, 1]])
    beta, *_ = np.linalg.lstsq(A, mask[:, 1].astype(float), rcond=None)
    assert beta[2] > 5 * abs(beta[1])  # the hidden value, not its correlate, drives it
    assert X[mask[:, 1], 1].mean() > X[~mask[:, 1], 1].mean() + 0.5


def test_zero_strength_is_mcar_and_masks_are_seeded():
    X = _table(200)
    a = missing.missing_mask(X, 0.3, "MNAR", column=1, strength=0.0, rng=5)
    b = missing.missing_mask(X, 0.3, "MCAR", column=1, rng=5)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, missing.missing_mask(X, 0.3, "MCAR", column=1, rng=6))


def test_mask_refuses_bad_arguments():
    X = _table(20)
    with pytest.raises(ValueError, match="mechanism"):
        missing.missing_mask(X, 0.3, "random", column=1)
    with pytest.raises(ValueError, match="driver"):
        missing.missing_mask(X, 0.3, "MAR", column=1)
    with pytest.raises(ValueError, match="driver"):
        missing.missing_mask(X, 0.3, "MAR", column=1, driver=1)
    with pytest.raises(ValueError, match="X"):
        missing.missing_mask(np.full((3, 2), np.nan), 0.3, "MCAR", column=1)
    with pytest.raises(ValueError, match="column"):
        missing.missing_mask(X, 0.3, "MCAR", column=3)


def test_rubin_by_hand():
    q = np.array([10.0, 12.0, 11.0, 13.0])
    u = np.array([4.0, 5.0, 4.5, 4.5])
    pooled = missing.pool_rubin(q, u)
    # by hand: mean 11.5, W = 4.5, B = 5/3, T = 4.5 + 1.25 · 5/3 = 6.5833…
    assert pooled.estimate == pytest.approx(11.5)
    assert pooled.within == pytest.approx(4.5)
    assert pooled.between == pytest.approx(5 / 3)
    assert pooled.total == pytest.approx(4.5 + 1.25 * 5 / 3)
    r = 1.25 * (5 / 3) / 4.5
    assert pooled.df == pytest.approx(3 * (1 + 1 / r) ** 2)
    lo, hi = pooled.interval(0.95)
    half = stats.t.ppf(0.975, pooled.df) * np.sqrt(pooled.total)
    assert (lo, hi) == pytest.approx((11.5 - half, 11.5 + half))


def test_rubin_with_identical_imputations_is_the_complete_data_answer():
    pooled = missing.pool_rubin([2.0, 2.0, 2.0], [0.25, 0.25, 0.25])
    assert pooled.se == pytest.approx(0.5) and np.isinf(pooled.df)
    lo, hi = pooled.interval(0.95)
    assert (lo, hi) == pytest.approx((2 - 1.959964 * 0.5, 2 + 1.959964 * 0.5))


def test_rubin_refuses_bad_input():
    with pytest.raises(ValueError, match="estimates"):
        missing.pool_rubin([1.0], [1.0])
    with pytest.raises(ValueError, match="variances"):
        missing.pool_rubin([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="one length"):
        missing.pool_rubin([1.0, 2.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="level"):
        missing.pool_rubin([1.0, 2.0], [1.0, 1.0]).interval(1.0)


def test_simulator_keeps_its_configured_means_and_relation():
    cells = missing.simulate_cite(20_000, n_background_genes=3, noise=0.5, rng=7)
    types = cells.obs["cell_type"].to_numpy()
    shares = [np.mean(types == t) for t in missing.CITE_TYPES]
    assert np.allclose(shares, [0.45, 0.2, 0.25, 0.1], atol=0.015)
    rna = cells.X
    protein = cells.obsm["protein"]
    expected = cells.obsm["protein_mean"]
    # protein counts are Poisson around the kept truth
    assert abs(protein.mean() / expected.mean() - 1) < 0.01
    # RNA of each protein's gene: capture × the type's mean (lognormal factor has mean 1);
    # depth factor exp(0.3 z) has mean exp(0.045)
    t_cells = types == "T cell"
    assert rna[t_cells, 0].mean() == pytest.approx(0.3 * 8.0 * np.exp(0.045), rel=0.05)
    # monocytes translate CD4 five times less than T cells for the same RNA
    mono = types == "monocyte"
    ratio_t = (expected[t_cells, 4].mean() - 5.0) / rna[t_cells, 4].mean()
    ratio_m = (expected[mono, 4].mean() - 5.0) / rna[mono, 4].mean()
    assert ratio_t / ratio_m == pytest.approx(30 / 6 * 4.0 / 4.0, rel=0.08)
    assert list(cells.var["protein"][:6]) == list(missing.CITE_PROTEINS)
    assert cells.uns["translation"].loc["monocyte", "CD4"] == 6.0


def test_simulator_refuses_bad_arguments():
    with pytest.raises(ValueError, match="shares"):
        missing.simulate_cite(10, shares=(0.5, 0.5, 0.5, 0.5))
    with pytest.raises(ValueError, match="n_cells"):
        missing.simulate_cite(10**6, n_background_genes=1000)
    with pytest.raises(TypeError, match="n_cells"):
        missing.simulate_cite(10.0)


def test_rubin_extreme_magnitudes():
    # A within-imputation variance that dwarfs the spread between imputations: df -> infinity
    # (the normal reference), not an overflow.
    pooled = missing.pool_rubin([0.0, 0.0, 1e-40], [1e99, 0.05, 0.04])
    assert pooled.df == float("inf") and np.isfinite(pooled.total)
    with pytest.raises(ValueError, match="variances"):
        missing.pool_rubin([1.0, 1.05, 1.05], [1e300, 0.05, 0.04])
    with pytest.raises(ValueError, match="estimates"):
        missing.pool_rubin([1e200, 1.0], [0.1, 0.1])
