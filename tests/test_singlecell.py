"""Single-cell imputation: the simulator's moments, masking, the cell graphs, methods, scores.

Bad arguments are swept from the declarations (tests/test_bad_inputs.py); the AnnData-specific
refusals (log-normalised X, missing layers, empty cells) are tested here.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from synthbio import singlecell as sc1


@pytest.fixture(scope="module")
def sim():
    return sc1.simulate_counts(600, 120, n_types=3, modules=4, null_fraction=0.25, rng=11)


@pytest.fixture(scope="module")
def masked(sim):
    return sc1.mask_counts(sim, 0.1, rng=5)


@pytest.fixture(scope="module")
def small():
    """A small data set with the raw counts in a layer and log-normalised values in X."""
    import scanpy as sc

    a = sc1.simulate_counts(150, 40, n_types=2, modules=3, null_fraction=0.25, rng=2)
    a.layers["counts"] = a.X.copy()
    sc.pp.normalize_total(a)
    sc.pp.log1p(a)
    return a


# --- the simulator ----------------------------------------------------------------------------


def test_simulation_reproduces_means_and_dispersion_by_method_of_moments():
    phi = 0.5
    ad = sc1.simulate_counts(8000, 60, modules=3, null_fraction=0.5, dispersion=phi, rng=3)
    null = ad.var["null"].to_numpy()
    mu = ad.var["mean"].to_numpy()[null]
    keep = mu > 0.5  # genes with enough counts for a moment estimate of the dispersion
    y = ad.X[:, null].toarray().astype(float)[:, keep]
    m, v = y.mean(axis=0), y.var(axis=0, ddof=1)
    n = y.shape[0]
    assert np.all(np.abs(m - mu[keep]) < 4 * np.sqrt((mu[keep] + phi * mu[keep] ** 2) / n))
    assert np.mean((v - m) / m**2) == pytest.approx(phi, rel=0.15)  # method of moments
    # the truth layer is μ for null genes
    np.testing.assert_allclose(ad.layers["truth"][:, null], np.broadcast_to(mu, (n, mu.size)))


def test_simulation_zero_fraction_matches_negative_binomial():
    phi = 0.3
    ad = sc1.simulate_counts(8000, 40, modules=2, null_fraction=0.5, dispersion=phi, rng=4)
    null = ad.var["null"].to_numpy()
    mu = ad.var["mean"].to_numpy()[null]
    p0 = (1 + phi * mu) ** (-1 / phi)
    zeros = 1 - (ad.X[:, null] > 0).mean(axis=0).A1
    assert np.all(np.abs(zeros - p0) < 4 * np.sqrt(p0 * (1 - p0) / ad.n_obs) + 1e-12)


def test_simulation_null_genes_uncorrelated_and_modules_coexpressed():
    sim = sc1.simulate_counts(1500, 80, n_types=3, modules=2, null_fraction=0.5, rng=12)
    y = np.log1p(sim.X.toarray())
    null = np.flatnonzero(sim.var["null"].to_numpy() & (y.std(axis=0) > 0))
    r = np.corrcoef(y[:, null].T)
    # under independence E[r²] = 1/(n-1); the standard error comes from disjoint pairs
    pairs = r[np.arange(0, null.size - 1, 2), np.arange(1, null.size, 2)] ** 2
    se = np.std(pairs, ddof=1) / np.sqrt(pairs.size)
    assert abs(np.mean(pairs) - 1 / (sim.n_obs - 1)) < 4 * se
    # module genes share one programme: their log true expressions are perfectly correlated
    mod0 = np.flatnonzero(sim.var["module"].to_numpy() == 0)
    np.testing.assert_allclose(np.corrcoef(np.log(sim.layers["truth"][:, mod0]).T), 1, atol=1e-5)


def test_simulation_shapes_types_library_and_seed():
    kwargs = dict(n_types=4, modules=3, type_fractions=[0.55, 0.2, 0.2, 0.05], rng=1)
    ad = sc1.simulate_counts(100, 30, **kwargs)
    assert ad.shape == (100, 30) and sp.issparse(ad.X)
    assert ad.obs["cell_type"].value_counts()["type 3"] == 5
    assert ad.obsm["activity"].shape == (100, 3)
    assert sorted(set(ad.var["module"])) == [-1, 0, 1, 2]
    assert (ad.X != sc1.simulate_counts(100, 30, **kwargs).X).nnz == 0
    # a fixed expected library: Σ_g λ_cg is the same in every cell, even for strong programmes
    for strong in ({}, {"effect": 1e3, "program_sd": 1e3}):
        full = sc1.simulate_counts(50, 30, modules=3, rng=2, **strong)
        lib = full.layers["truth"].astype(float).sum(axis=1)
        np.testing.assert_allclose(lib, full.var["mean"].sum(), rtol=1e-5)
        assert np.asarray(full.X.sum(axis=1)).min() > 0  # empty droplets are drawn again


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_genes": 5, "modules": 4}, "n_genes"),
        ({"type_fractions": [0.5, 0.6]}, "type_fractions"),
        ({"programs": np.zeros((3, 3))}, "programs"),
        ({"null_fraction": 0.99}, "null_fraction"),
    ],
)
def test_simulation_refuses_inconsistent_arguments(kwargs, match):
    args = {"n_genes": 30, "n_types": 2, "modules": 3} | kwargs
    with pytest.raises(ValueError, match=match):
        sc1.simulate_counts(20, args.pop("n_genes"), **args)


# --- masking and the score ----------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**16))
def test_mask_hides_exactly_the_requested_fraction(sim, fraction, seed):
    original = sim.X.toarray()
    masked, hidden = sc1.mask_counts(sim, fraction, rng=seed)
    assert len(hidden) == round(fraction * sim.X.nnz)
    np.testing.assert_array_equal(original[hidden.rows, hidden.cols], hidden.values)
    assert np.all(hidden.values > 0)
    assert np.count_nonzero(original - masked.X.toarray()) == len(hidden)  # nothing else
    np.testing.assert_array_equal(sim.X.toarray(), original)  # the input is untouched
    assert masked.obs_names.equals(sim.obs_names) and masked.var_names.equals(sim.var_names)


def test_heldout_error_closed_forms(masked):
    m, hidden = masked
    x = m.X.toarray()
    zero = sc1.heldout_error(x, hidden)  # the masked data are zero where values were hidden
    assert zero == pytest.approx(np.sqrt(np.mean(np.log1p(hidden.values) ** 2)))
    back = x.copy()
    back[hidden.rows, hidden.cols] = hidden.values
    assert sc1.heldout_error(back, hidden) == 0.0
    assert sc1.heldout_error(back + 1, hidden, log=False) == pytest.approx(1.0)
    assert sc1.heldout_error(x, hidden, np.full(len(hidden), np.e - 1)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="truth_values"):
        sc1.heldout_error(x, hidden, [1.0])
    with pytest.raises(ValueError, match="imputed"):
        sc1.heldout_error(x[:5], hidden)


# --- cell graphs ------------------------------------------------------------------------------


def test_knn_operator_averages_each_point_with_its_nearest():
    x = np.array([[0.0], [1.0], [3.0], [7.0]])
    w = sc1.knn_operator(x, 2)
    np.testing.assert_allclose(w @ np.array([1.0, 3.0, 5.0, 7.0]), [2.0, 2.0, 4.0, 6.0])
    np.testing.assert_allclose(sc1.knn_operator(x, 1).toarray(), np.eye(4))
    with pytest.raises(ValueError, match="n_neighbors"):
        sc1.knn_operator(x, 5)


def test_diffusion_operator_is_markov_on_a_symmetric_kernel():
    from synthbio.stats import nearest_neighbours

    pts = np.random.default_rng(1).standard_normal((300, 5))
    m = sc1.diffusion_operator(pts, knn=5, decay=1.0)
    np.testing.assert_allclose(np.asarray(m.sum(axis=1)).ravel(), 1.0)
    assert m.nnz <= 2 * 300 * 15
    # by hand: the 15 listed (self first), bandwidth at the 5th, K = (A + Aᵀ)/2, M = D⁻¹K
    dist, idx = nearest_neighbours(pts, n_neighbors=14)
    dist = np.hstack([np.zeros((300, 1)), dist])
    idx = np.hstack([np.arange(300)[:, None], idx])
    a = np.zeros((300, 300))
    np.put_along_axis(a, idx, np.exp(-dist / dist[:, [4]]), axis=1)
    k = (a + a.T) / 2
    np.testing.assert_allclose(m.toarray(), k / k.sum(axis=1, keepdims=True), rtol=1e-12)


def test_huge_decay_is_a_hard_cutoff_without_warnings():
    pts = np.random.default_rng(3).standard_normal((60, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = sc1.diffusion_operator(pts, knn=5, decay=1e90)
    np.testing.assert_allclose(np.asarray(m.sum(axis=1)).ravel(), 1.0)
    assert np.all(np.isfinite(m.data))


# --- methods ------------------------------------------------------------------------------------


def test_every_method_beats_the_zero_baseline(sim, masked):
    m, hidden = masked
    truth = sim.layers["truth"][hidden.rows, hidden.cols]
    zero = sc1.heldout_error(m.X.toarray(), hidden, truth)
    outs = [
        sc1.impute_knn(m, 10, rng=0, copy=True),
        sc1.impute_diffusion(m, t=3, rng=0, copy=True),
        sc1.impute_lowrank(m, 3, rng=0, copy=True),
        sc1.impute_prior(m, sim.var["module"].to_numpy(), copy=True),
    ]
    for out in outs:
        assert sc1.heldout_error(out.layers["imputed"], hidden, truth) < 0.8 * zero
        assert out.layers["imputed"].shape == sim.shape and np.all(out.layers["imputed"] >= 0)
        assert (out.X != m.X).nnz == 0  # the counts themselves are untouched


def test_identities_and_conserved_totals(masked):
    m, _ = masked
    x = m.X.toarray()
    for out in (sc1.impute_diffusion(m, t=0, rng=0, copy=True), sc1.impute_knn(m, 1, copy=True)):
        np.testing.assert_allclose(out.layers["imputed"], x, rtol=1e-5, atol=1e-5)
    depth = x.sum(axis=1)
    for out in (sc1.impute_knn(m, 7, rng=1, copy=True), sc1.impute_diffusion(m, t=2, copy=True)):
        np.testing.assert_allclose(out.layers["imputed"].sum(axis=1), depth, rtol=1e-4)


def test_prior_leave_one_out_formula_and_wrong_modules(sim, masked):
    import anndata as ad

    x = np.array([[2.0, 2.0, 4.0], [1.0, 3.0, 4.0], [3.0, 1.0, 4.0]])  # equal depths
    out = sc1.impute_prior(ad.AnnData(X=x), np.array([0, 0, 1]), copy=True)
    mean = x.mean(axis=0)
    np.testing.assert_allclose(out.layers["imputed"][:, 0], mean[0] * x[:, 1] / mean[1])
    np.testing.assert_allclose(out.layers["imputed"][:, 2], mean[2])  # alone in its group
    m, hidden = masked
    truth = sim.layers["truth"][hidden.rows, hidden.cols]
    mod = sim.var["module"].to_numpy()
    errors = [
        sc1.heldout_error(sc1.impute_prior(m, g, copy=True).layers["imputed"], hidden, truth)
        for g in (mod, np.random.default_rng(0).permutation(mod))
    ]
    assert errors[0] < errors[1]


def test_use_rep_reuses_a_stored_embedding(masked):
    m = masked[0].copy()
    sc1.embed(m, 50, rng=7)
    assert m.obsm["X_pca"].shape == (m.n_obs, 50)
    a = sc1.impute_diffusion(m, t=2, use_rep="X_pca", copy=True).layers["imputed"]
    b = sc1.impute_diffusion(m, t=2, rng=7, copy=True).layers["imputed"]  # the same PCA
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="use_rep"):
        sc1.impute_knn(m, 5, use_rep="X_umap")


# --- scanpy conventions ---------------------------------------------------------------------------

_IMPUTERS = {
    "impute_knn": lambda a, **kw: sc1.impute_knn(a, 5, n_pcs=5, rng=0, **kw),
    "impute_diffusion": lambda a, **kw: sc1.impute_diffusion(a, t=2, knn=3, n_pcs=5, rng=0, **kw),
    "impute_lowrank": lambda a, **kw: sc1.impute_lowrank(a, 2, rng=0, **kw),
    "impute_prior": lambda a, **kw: sc1.impute_prior(a, np.arange(a.n_vars) % 3, **kw),
}
_READERS = {
    **_IMPUTERS,
    "embed": lambda a, **kw: sc1.embed(a, 3, rng=0, **kw),
    "mask_counts": lambda a, **kw: sc1.mask_counts(a, 0.1, rng=0, **kw),
}


@pytest.mark.parametrize("function", sorted(_READERS))
def test_log_normalised_data_is_refused_with_a_pointer_to_the_counts_layer(small, function):
    with pytest.raises(ValueError, match=r'adata\.X \(raw counts.*layer="counts"'):
        _READERS[function](small)
    with pytest.raises(ValueError, match="layer 'raw' is not a layer"):
        _READERS[function](small, layer="raw")


@pytest.mark.parametrize("function", sorted(_IMPUTERS))
def test_layer_reads_the_counts_and_matches_counts_in_x(small, function):
    from_layer = _IMPUTERS[function](small, layer="counts", copy=True)
    plain = small.copy()
    plain.X = small.layers["counts"].copy()
    from_x = _IMPUTERS[function](plain, copy=True)
    np.testing.assert_allclose(
        from_layer.layers["imputed"], from_x.layers["imputed"], rtol=1e-5, atol=1e-6
    )
    assert (from_layer.X != small.X).nnz == 0  # X (log-normalised) is left as it was
    assert from_layer.uns["imputed"]["params"]["layer"] == "counts"


@pytest.mark.parametrize("function", sorted(_IMPUTERS))
def test_copy_semantics_key_added_and_provenance(small, function):
    a = small.copy()
    before = set(a.layers)
    assert _IMPUTERS[function](a, layer="counts", key_added="denoised") is None  # in place
    assert set(a.layers) == before | {"denoised"}
    assert a.layers["denoised"].shape == a.shape and a.layers["denoised"].dtype == np.float32
    assert a.uns["denoised"]["method"] == function.removeprefix("impute_")
    if function in ("impute_knn", "impute_diffusion"):
        assert a.obsp["denoised_operator"].shape == (a.n_obs, a.n_obs)
    b = small.copy()
    out = _IMPUTERS[function](b, layer="counts", copy=True)
    assert out is not b and "imputed" in out.layers and "imputed" not in b.layers
    np.testing.assert_allclose(out.layers["imputed"], a.layers["denoised"], rtol=1e-6)


def test_embed_follows_scanpy_and_stores_provenance(small):
    import scanpy as sc

    a = small.copy()
    assert sc1.embed(a, 5, layer="counts", rng=0) is None
    assert a.uns["X_pca"]["method"] == "pca" and a.uns["X_pca"]["params"]["layer"] == "counts"
    ref = small.copy()  # X of `small` is normalize_total + log1p of the counts
    sc.pp.pca(ref, n_comps=5)
    np.testing.assert_allclose(np.abs(a.obsm["X_pca"]), np.abs(ref.obsm["X_pca"]), atol=1e-3)
    out = sc1.embed(a, 3, layer="counts", key_added="X_small", copy=True)
    assert out.obsm["X_small"].shape == (a.n_obs, 3) and "X_small" not in a.obsm


def test_views_dense_and_integer_counts(small):
    view = small[:100]
    out = sc1.impute_knn(view, 5, layer="counts", n_pcs=5, rng=0, copy=True)
    assert out.shape == (100, small.n_vars) and not out.is_view
    sc1.impute_knn(view, 5, layer="counts", n_pcs=5, rng=0)  # in place: the view becomes actual
    assert not view.is_view and "imputed" in view.layers
    b = sc1.impute_lowrank(small, 2, layer="counts", rng=0, copy=True).layers["imputed"]
    for counts in (
        small.layers["counts"].toarray().astype(np.float64),
        sp.csr_matrix(small.layers["counts"], dtype=np.int64),
    ):
        other = small.copy()
        other.layers["counts"] = counts
        a = sc1.impute_lowrank(other, 2, layer="counts", rng=0, copy=True).layers["imputed"]
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_empty_cells_and_sizes_beyond_the_data_are_refused(masked):
    import anndata as ad

    x = ad.AnnData(X=np.array([[1.0, 2.0], [0.0, 0.0], [3.0, 1.0], [2.0, 2.0]]))
    with pytest.raises(ValueError, match="empty cells.*filter_cells"):
        sc1.impute_lowrank(x, 1, copy=True)
    m, _ = masked
    with pytest.raises(ValueError, match="n_neighbors"):
        sc1.impute_knn(m, m.n_obs + 1)
    with pytest.raises(ValueError, match="knn"):
        sc1.impute_diffusion(m, knn=m.n_obs + 1)
    with pytest.raises(ValueError, match="rank"):
        sc1.impute_lowrank(m, m.n_vars)
    with pytest.raises(ValueError, match="groups"):
        sc1.impute_prior(m, np.zeros(m.n_vars + 1, dtype=int))
    with pytest.raises(ValueError, match="t, knn too large"):
        sc1.impute_diffusion(m, t=10**12, copy=True)
