"""Single-cell imputation: recovered counts, the simulator's moments, masking, methods, scores."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from synthbio import singlecell as sc1


@pytest.fixture(scope="module")
def pbmc():
    return sc1.load_pbmc_counts()


@pytest.fixture(scope="module")
def sim():
    return sc1.simulate_counts(600, 120, n_types=3, modules=4, null_fraction=0.25, rng=11)


@pytest.fixture(scope="module")
def masked(sim):
    return sc1.mask_counts(sim, 0.1, rng=5)


# --------------------------------------------------------------------------- data


def test_pbmc_counts_are_integers_matching_the_lognormalised_values(pbmc):
    x = pbmc.X
    assert sp.issparse(x) and x.shape == (700, 765)
    assert np.issubdtype(x.dtype, np.integer) and x.data.min() >= 1
    # every stored value was within rounding distance of an integer (float32 storage)
    assert pbmc.uns["count_recovery_error"] < 0.1
    # forward map: log1p(counts / n_counts * 1e4) reproduces the stored raw values, which
    # the file keeps rounded to three decimals (so they agree to 5e-4, plus float32 error)
    totals = pbmc.obs["n_counts"].to_numpy()
    forward = np.log1p(x.toarray() / totals[:, None] * sc1.PBMC_SCALE)
    np.testing.assert_allclose(forward, pbmc.layers["lognorm"].toarray(), rtol=0, atol=5e-4 + 1e-6)
    assert set(pbmc.obs["bulk_labels"].cat.categories) >= {"CD14+ Monocyte", "CD19+ B", "Dendritic"}


def test_nearly_all_recovered_values_are_whole_numbers():
    import scanpy as sc

    raw = sc.datasets.pbmc68k_reduced()
    lognorm = sp.csr_matrix(raw.raw.X, dtype=np.float64)
    unrounded = np.expm1(lognorm.toarray()) * raw.obs["n_counts"].to_numpy()[:, None] / 1e4
    nz = unrounded[unrounded > 0]
    assert np.mean(np.abs(nz - np.round(nz)) < 0.05) > 0.9999
    # the wrong scale would not give integers
    assert np.mean(np.abs(nz / 10 - np.round(nz / 10)) < 0.05) < 0.5


def test_recover_counts_inverts_normalisation_exactly():
    rng = np.random.default_rng(0)
    counts = rng.poisson(2.0, size=(30, 40))
    counts[:, 0] += 1
    totals = counts.sum(axis=1) * 3.0  # totals over more genes than shown
    lognorm = np.log1p(counts / totals[:, None] * 1e4)
    back, err = sc1.recover_counts(sp.csr_matrix(lognorm), totals)
    np.testing.assert_array_equal(back.toarray(), counts)
    assert err < 1e-8


def test_recover_counts_rejects_bad_input():
    with pytest.raises(ValueError, match="total_counts"):
        sc1.recover_counts(np.ones((2, 3)), [1.0])
    with pytest.raises(ValueError, match="total_counts"):
        sc1.recover_counts(np.ones((2, 3)), [1.0, -2.0])
    with pytest.raises(ValueError, match="lognorm"):
        sc1.recover_counts(-np.ones((2, 3)), [1.0, 2.0])
    with pytest.raises(ValueError, match="scale"):
        sc1.recover_counts(np.ones((2, 3)), [1.0, 2.0], scale=0)


def test_simulation_reproduces_means_and_dispersion_by_method_of_moments():
    phi = 0.5
    ad = sc1.simulate_counts(
        6000, 60, modules=3, null_fraction=0.5, dispersion=phi, mean_log=1.0, sd_log=0.3, rng=3
    )
    null = ad.var["null"].to_numpy()
    y = ad.X[:, null].toarray().astype(float)
    mu = ad.var["mean"].to_numpy()[null]
    m, v = y.mean(axis=0), y.var(axis=0, ddof=1)
    n = y.shape[0]
    # standard error of a sample mean of NB counts: sqrt((mu + phi mu^2) / n)
    assert np.all(np.abs(m - mu) < 4 * np.sqrt((mu + phi * mu**2) / n))
    phi_hat = np.mean((v - m) / m**2)  # method of moments
    assert phi_hat == pytest.approx(phi, rel=0.1)
    # the truth layer is μ for null genes, and the counts follow the truth
    np.testing.assert_allclose(ad.layers["truth"][:, null], np.broadcast_to(mu, y.shape), rtol=1e-6)


def test_simulation_zero_fraction_matches_negative_binomial():
    phi = 0.3
    ad = sc1.simulate_counts(8000, 40, modules=2, null_fraction=0.5, dispersion=phi, rng=4)
    null = ad.var["null"].to_numpy()
    mu = ad.var["mean"].to_numpy()[null]
    p0 = (1 + phi * mu) ** (-1 / phi)
    zeros = 1 - (ad.X[:, null] > 0).mean(axis=0).A1
    assert np.all(np.abs(zeros - p0) < 4 * np.sqrt(p0 * (1 - p0) / ad.n_obs) + 1e-12)


def test_simulation_null_genes_uncorrelated_and_modules_coexpressed():
    sim = sc1.simulate_counts(
        600, 80, n_types=3, modules=2, null_fraction=0.5, mean_log=1.0, sd_log=0.3, rng=12
    )
    y = np.log1p(sim.X.toarray())
    r = np.corrcoef(y.T)
    null = np.flatnonzero(sim.var["null"].to_numpy())
    iu = np.triu_indices(null.size, 1)
    r_null = r[np.ix_(null, null)][iu]
    # under independence E[r²] = 1/(n-1); the standard error comes from disjoint (independent) pairs
    pairs = r[null[0::2][: null.size // 2], null[1::2][: null.size // 2]] ** 2
    se = np.std(pairs, ddof=1) / np.sqrt(pairs.size)
    assert abs(np.mean(pairs) - 1 / (sim.n_obs - 1)) < 4 * se
    assert np.max(np.abs(r_null)) < 4.5 / np.sqrt(sim.n_obs)
    # module genes share one programme: their log true expressions are perfectly correlated
    mod0 = np.flatnonzero(sim.var["module"].to_numpy() == 0)
    r_truth = np.corrcoef(np.log(sim.layers["truth"][:, mod0]).T)
    np.testing.assert_allclose(r_truth, 1.0, atol=1e-5)
    # and their counts are positively correlated, beyond 4 null standard errors (disjoint pairs)
    r_mod = r[mod0[0::2][: mod0.size // 2], mod0[1::2][: mod0.size // 2]]
    assert np.mean(r_mod) > 4 / np.sqrt((sim.n_obs - 1) * r_mod.size)


def test_simulation_shapes_types_and_truth_flag():
    ad = sc1.simulate_counts(
        100, 30, n_types=4, modules=3, type_fractions=[0.55, 0.2, 0.2, 0.05], truth=False, rng=1
    )
    assert ad.shape == (100, 30) and sp.issparse(ad.X) and "truth" not in ad.layers
    assert ad.obs["cell_type"].value_counts()["type 3"] == 5
    assert ad.obsm["activity"].shape == (100, 3)
    assert sorted(set(ad.var["module"])) == [-1, 0, 1, 2]
    again = sc1.simulate_counts(
        100, 30, n_types=4, modules=3, type_fractions=[0.55, 0.2, 0.2, 0.05], truth=False, rng=1
    )
    assert (ad.X != again.X).nnz == 0
    # fixed expected library size: Σ_g λ_cg is the same in every cell
    full = sc1.simulate_counts(50, 30, modules=3, rng=2)
    lib = full.layers["truth"].sum(axis=1)
    np.testing.assert_allclose(lib, full.var["mean"].sum(), rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_cells": 1}, "n_cells"),
        ({"null_fraction": 1.0}, "null_fraction"),
        ({"dispersion": -1.0}, "dispersion"),
        ({"type_fractions": [0.5, 0.6]}, "type_fractions"),
        ({"n_types": 0}, "n_types"),
        ({"rng": "seed"}, "rng"),
        ({"truth": 1}, "truth"),
    ],
)
def test_simulation_rejects_bad_arguments(kwargs, match):
    args = {"n_cells": 20, "n_genes": 30, "n_types": 2} | kwargs
    with pytest.raises((ValueError, TypeError), match=match):
        sc1.simulate_counts(args.pop("n_cells"), args.pop("n_genes"), **args)


# --------------------------------------------------------------------------- masking


@settings(max_examples=25, deadline=None)
@given(fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**16))
def test_mask_hides_exactly_the_requested_fraction(sim, fraction, seed):
    masked, hidden = sc1.mask_counts(sim, fraction, rng=seed)
    nnz = sim.X.nnz
    assert len(hidden) == round(fraction * nnz)
    assert masked.X.nnz == nnz - len(hidden)
    original = sim.X.toarray()
    np.testing.assert_array_equal(original[hidden.rows, hidden.cols], hidden.values)
    assert np.all(hidden.values > 0)
    assert np.all(masked.X.toarray()[hidden.rows, hidden.cols] == 0)
    # nothing else changed
    diff = original - masked.X.toarray()
    assert np.count_nonzero(diff) == len(hidden)


def test_mask_keeps_names_and_rejects_bad_fractions(sim):
    masked, _ = sc1.mask_counts(sim, 0.2, rng=0)
    assert masked.obs_names.equals(sim.obs_names) and masked.var_names.equals(sim.var_names)
    for bad in (0, 1, -0.1, 1.5):
        with pytest.raises(ValueError, match="fraction"):
            sc1.mask_counts(sim, bad, rng=0)
    with pytest.raises(TypeError, match="fraction"):
        sc1.mask_counts(sim, "half", rng=0)


def test_negative_counts_and_wrong_types_are_refused():
    import anndata as ad

    bad = ad.AnnData(X=np.array([[1.0, -2.0], [0.0, 3.0], [1.0, 1.0]]))
    for call in (
        lambda: sc1.mask_counts(bad, 0.5),
        lambda: sc1.impute_knn(bad, 2),
        lambda: sc1.impute_diffusion(bad, knn=2),
        lambda: sc1.impute_lowrank(bad, 1),
    ):
        with pytest.raises(ValueError, match="non-negative"):
            call()
    with pytest.raises(TypeError, match="AnnData"):
        sc1.impute_knn(np.ones((5, 5)), 2)
    nan = ad.AnnData(X=np.array([[1.0, np.nan], [0.0, 3.0]]))
    with pytest.raises(ValueError, match="finite"):
        sc1.mask_counts(nan, 0.5)


# --------------------------------------------------------------------------- methods


def test_every_method_beats_the_zero_baseline(sim, masked):
    m, hidden = masked
    truth = sim.layers["truth"][hidden.rows, hidden.cols]
    zero = sc1.heldout_error(m.X, truth, hidden, layer=None)
    outs = [
        sc1.impute_knn(m, 10, rng=0, copy=True),
        sc1.impute_diffusion(m, t=3, rng=0, copy=True),
        sc1.impute_lowrank(m, 3, rng=0, copy=True),
        sc1.impute_prior(m, sim.var["module"].to_numpy(), copy=True),
    ]
    for out in outs:
        err = sc1.heldout_error(out, truth, hidden)
        assert err < 0.8 * zero, out.uns["imputed"]
        assert out.obs_names.equals(sim.obs_names) and out.var_names.equals(sim.var_names)
        assert out.layers["imputed"].shape == sim.shape
        assert np.all(out.layers["imputed"] >= 0)
        # the counts themselves are untouched
        assert (out.X != m.X).nnz == 0


def test_diffusion_with_t0_and_knn_with_k1_are_the_identity(masked):
    m, _ = masked
    x = m.X.toarray()
    np.testing.assert_allclose(
        sc1.impute_diffusion(m, t=0, rng=0, copy=True).layers["imputed"], x, rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        sc1.impute_knn(m, 1, rng=0, copy=True).layers["imputed"], x, rtol=1e-5, atol=1e-5
    )


def test_smoothing_preserves_each_cells_total(masked):
    m, _ = masked
    depth = np.asarray(m.X.sum(axis=1)).ravel()
    for out in (
        sc1.impute_knn(m, 7, rng=1, copy=True),
        sc1.impute_diffusion(m, t=2, rng=1, copy=True),
    ):
        np.testing.assert_allclose(out.layers["imputed"].sum(axis=1), depth, rtol=1e-4)


def test_methods_accept_dense_input_and_are_reproducible(masked):
    m, _ = masked
    dense = m.copy()
    dense.X = m.X.toarray()
    a = sc1.impute_diffusion(m, rng=4, copy=True).layers["imputed"]
    b = sc1.impute_diffusion(dense, rng=4, copy=True).layers["imputed"]
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_diffusion_operator_is_markov_symmetric_kernel_and_sparse():
    rng = np.random.default_rng(1)
    pts = rng.standard_normal((300, 5))
    idx, dist = sc1.knn_graph(pts, 15)
    assert np.all(idx[:, 0] == np.arange(300)) and np.all(dist[:, 0] == 0)
    assert np.all(np.diff(dist, axis=1) >= -1e-12)
    m = sc1.diffusion_operator(idx, dist, knn=5, decay=1.0)
    np.testing.assert_allclose(np.asarray(m.sum(axis=1)).ravel(), 1.0)
    assert m.nnz <= 2 * 300 * 15
    # M = D^-1 K with K symmetric: scaling the rows back by D gives a symmetric matrix
    idx_t, dist_t = sc1.knn_graph(pts, 15)
    aff = np.exp(-dist_t / dist_t[:, [4]])
    a = sp.csr_matrix(
        (aff.ravel(), idx_t.ravel(), np.arange(0, 300 * 15 + 1, 15)), shape=(300, 300)
    )
    k = ((a + a.T) / 2).toarray()
    np.testing.assert_allclose(m.toarray(), k / k.sum(axis=1, keepdims=True), rtol=1e-12)
    # affinity of a point to its knn-th neighbour is exp(-1) before symmetrising
    a = np.exp(-dist / dist[:, [4]])
    np.testing.assert_allclose(a[:, 4], np.exp(-1))


def test_knn_operator_averages():
    idx = np.array([[0, 1], [1, 2], [2, 0]])
    w = sc1.knn_operator(idx)
    np.testing.assert_allclose(w @ np.array([1.0, 3.0, 5.0]), [2.0, 4.0, 3.0])


def test_bad_smoothing_parameters_raise(masked):
    m, _ = masked
    with pytest.raises(ValueError, match="k"):
        sc1.impute_knn(m, m.n_obs + 1)
    with pytest.raises(TypeError, match="k"):
        sc1.impute_knn(m, 2.5)
    with pytest.raises(ValueError, match="t"):
        sc1.impute_diffusion(m, t=-1)
    with pytest.raises(ValueError, match="knn"):
        sc1.impute_diffusion(m, knn=1)
    with pytest.raises(ValueError, match="decay"):
        sc1.impute_diffusion(m, decay=0)
    with pytest.raises(ValueError, match="rank"):
        sc1.impute_lowrank(m, 0)
    with pytest.raises(ValueError, match="groups"):
        sc1.impute_prior(m, np.zeros(3, dtype=int))
    with pytest.raises(TypeError, match="groups"):
        sc1.impute_prior(m, np.zeros(m.n_vars))


def test_prior_with_true_modules_beats_shuffled_modules(sim, masked):
    m, hidden = masked
    truth = sim.layers["truth"][hidden.rows, hidden.cols]
    mod = sim.var["module"].to_numpy()
    good = sc1.heldout_error(sc1.impute_prior(m, mod, copy=True), truth, hidden)
    shuffled = np.random.default_rng(0).permutation(mod)
    wrong = sc1.heldout_error(sc1.impute_prior(m, shuffled, copy=True), truth, hidden)
    assert good < wrong


def test_prior_leave_one_out_formula():
    import anndata as ad

    x = np.array([[2.0, 2.0, 4.0], [1.0, 3.0, 4.0], [3.0, 1.0, 4.0]])  # equal depths
    out = sc1.impute_prior(ad.AnnData(X=x), np.array([0, 0, 1]), copy=True)
    m = x.mean(axis=0)
    expected_gene0 = m[0] * x[:, 1] / m[1]
    np.testing.assert_allclose(out.layers["imputed"][:, 0], expected_gene0)
    np.testing.assert_allclose(out.layers["imputed"][:, 2], m[2])  # alone in its group


# --------------------------------------------------------------------------- scores


def test_heldout_error_closed_forms():
    imputed = np.array([[0.0, 1.0], [2.0, 3.0]])
    rows, cols = np.array([0, 1]), np.array([1, 0])
    assert sc1.heldout_error(imputed, [1.0, 2.0], (rows, cols)) == 0.0
    assert sc1.heldout_error(imputed, [3.0, 2.0], (rows, cols), log=False) == pytest.approx(
        np.sqrt(2)
    )
    assert sc1.heldout_error(np.zeros((2, 2)), [np.e - 1, np.e - 1], (rows, cols)) == pytest.approx(
        1.0
    )
    with pytest.raises(ValueError, match="truth_values"):
        sc1.heldout_error(imputed, [1.0], (rows, cols))
    with pytest.raises(ValueError, match="positions"):
        sc1.heldout_error(imputed, [1.0, 1.0], (rows, cols + 5))
    with pytest.raises(TypeError, match="positions"):
        sc1.heldout_error(imputed, [1.0, 1.0], 3)


def test_correlation_inflation_matches_numpy(sim, masked):
    m, _ = masked
    out = sc1.impute_diffusion(m, rng=0, copy=True)
    null = sim.var["null"].to_numpy()
    ci = sc1.correlation_inflation(m, out, null, normalise=False)
    cols = np.flatnonzero(null)
    r = np.corrcoef(out.layers["imputed"][:, cols].astype(float).T)
    np.testing.assert_allclose(ci.after, r[np.triu_indices(cols.size, 1)], atol=1e-6)
    assert ci.frac_after == pytest.approx(np.mean(np.abs(ci.after) > 0.3))
    names = sim.var_names[cols]
    again = sc1.correlation_inflation(m, out, names, normalise=False)
    np.testing.assert_allclose(again.before, ci.before)
    with pytest.raises(ValueError, match="threshold"):
        sc1.correlation_inflation(m, out, null, threshold=1.0)
    with pytest.raises(ValueError, match="genes"):
        sc1.correlation_inflation(m, out, ["no-such-gene", "gene0"])
    with pytest.raises(ValueError, match="genes"):
        sc1.correlation_inflation(m, out, ["gene0"])


def test_effective_sample_size_closed_forms():
    n = 50
    assert sc1.effective_sample_size(np.eye(n)) == pytest.approx(n - 1)
    assert sc1.effective_sample_size(np.eye(n), steps=0) == pytest.approx(n - 1)
    # averaging over disjoint blocks of size b leaves n/b - 1 effective cells
    b = 5
    w = np.kron(np.eye(n // b), np.full((b, b), 1 / b))
    assert sc1.effective_sample_size(sp.csr_matrix(w), steps=3) == pytest.approx(n // b - 1)
    with pytest.raises(ValueError, match="rows"):
        sc1.effective_sample_size(2 * np.eye(3))


def test_nearest_type_recovers_types_from_the_truth_and_detects_moves():
    sim = sc1.simulate_counts(300, 60, n_types=3, modules=4, effect=2.0, program_sd=0.2, rng=5)
    labels = sim.obs["cell_type"].to_numpy()
    assert np.mean(sc1.nearest_type(sim, layer="truth") == labels) > 0.95
    # give every cell the mean profile of type 0: all are then assigned to type 0
    moved = sim.copy()
    t0 = labels == "type 0"
    moved.layers["imputed"] = np.broadcast_to(
        sim.layers["truth"][t0].mean(axis=0), sim.shape
    ).copy()
    assert np.all(sc1.nearest_type(moved) == "type 0")
    with pytest.raises(ValueError, match="obs"):
        sc1.nearest_type(sim, labels_key="nope", layer="truth")
    with pytest.raises(ValueError, match="layer"):
        sc1.nearest_type(sim, layer="nope")


def test_rare_population_share_is_n_over_k():
    programs = np.zeros((3, 3))
    programs[0, 0] = 3.0
    programs[1, 1] = programs[2, 2] = 1.5
    ad = sc1.simulate_counts(
        400,
        60,
        n_types=3,
        modules=3,
        type_fractions=[0.025, 0.4875, 0.4875],
        programs=programs,
        null_fraction=0.1,
        rng=3,
    )
    rare = (ad.obs["cell_type"] == "type 0").to_numpy()
    for k in (20, 40):
        w = sc1.impute_knn(ad, k, rng=0, copy=True).obsp["imputed_operator"]
        share = np.asarray(w[rare][:, rare].sum(axis=1)).ravel()
        np.testing.assert_allclose(share, rare.sum() / k)
    with pytest.raises(ValueError, match="programs"):
        sc1.simulate_counts(40, 30, n_types=3, modules=3, programs=np.zeros((2, 3)))


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, synthbio.singlecell; "
        "print('scanpy' in sys.modules or 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_use_rep_reuses_a_stored_embedding(masked):
    m, _ = masked
    m = m.copy()
    sc1.embed(m, 50, rng=7)
    assert m.obsm["X_pca"].shape == (m.n_obs, 50)
    a = sc1.impute_diffusion(m, t=2, use_rep="X_pca", copy=True).layers["imputed"]
    b = sc1.impute_diffusion(m, t=2, rng=7, copy=True).layers[
        "imputed"
    ]  # same seed, same embedding
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="use_rep"):
        sc1.impute_knn(m, 5, use_rep="X_umap")


# --------------------------------------------------------------------------- bad AnnData inputs
# The generic sweep (tests/test_bad_inputs.py) does not know AnnData: these are its AnnData cases.


def _anndata(x):
    import anndata as ad

    return ad.AnnData(X=x)


_GOOD = np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 1.0], [2.0, 1.0, 1.0], [1.0, 0.0, 4.0]])
_BAD_COUNTS = {
    "negative": (np.where(_GOOD == 3.0, -3.0, _GOOD), "non-negative"),
    "nan": (np.where(_GOOD == 3.0, np.nan, _GOOD), "finite"),
    "inf": (np.where(_GOOD == 3.0, np.inf, _GOOD), "finite"),
    "sparse negative": (sp.csr_matrix(np.where(_GOOD == 3.0, -3.0, _GOOD)), "non-negative"),
    "empty cell": (np.vstack([_GOOD, np.zeros(3)]), "empty cell"),
}
_COUNT_READERS = {
    "mask_counts": lambda a: sc1.mask_counts(a, 0.5, rng=0),
    "embed": lambda a: sc1.embed(a, 2, rng=0),
    "impute_knn": lambda a: sc1.impute_knn(a, 2, n_pcs=2, rng=0),
    "impute_diffusion": lambda a: sc1.impute_diffusion(a, knn=2, n_pcs=2, rng=0),
    "impute_lowrank": lambda a: sc1.impute_lowrank(a, 1, rng=0),
    "impute_prior": lambda a: sc1.impute_prior(a, [0, 0, 1]),
}


@pytest.mark.parametrize("case", sorted(_BAD_COUNTS))
@pytest.mark.parametrize("function", sorted(_COUNT_READERS))
def test_bad_counts_are_refused_by_every_method(function, case):
    x, match = _BAD_COUNTS[case]
    if case == "empty cell" and function == "mask_counts":
        match = None  # hiding counts needs no non-empty cells; the call must simply work
        sc1.mask_counts(_anndata(x), 0.5, rng=0)
        return
    with pytest.raises(ValueError, match=match):
        _COUNT_READERS[function](_anndata(x))


@pytest.mark.parametrize("function", sorted(_COUNT_READERS))
def test_non_anndata_and_too_small_anndata_are_refused(function):
    call = _COUNT_READERS[function]
    with pytest.raises(TypeError, match="adata must be an AnnData"):
        call(_GOOD)
    with pytest.raises(ValueError, match="at least 2 cells"):
        call(_anndata(_GOOD[:1]))
    with pytest.raises(TypeError, match="adata must be an AnnData"):
        call(sp.csr_matrix(_GOOD))


def test_sizes_larger_than_the_data_are_refused(masked):
    m, _ = masked
    with pytest.raises(ValueError, match=r"k must be in \[1, 600\]"):
        sc1.impute_knn(m, 601)
    with pytest.raises(ValueError, match="knn"):
        sc1.impute_diffusion(m, knn=601)
    with pytest.raises(ValueError, match="knn_max"):
        sc1.impute_diffusion(m, knn=5, knn_max=601)
    with pytest.raises(ValueError, match="knn_max"):
        sc1.impute_diffusion(m, knn=5, knn_max=4)
    with pytest.raises(ValueError, match="rank"):
        sc1.impute_lowrank(m, m.n_vars)
    with pytest.raises(ValueError, match="k"):
        sc1.knn_graph(np.zeros((4, 2)), 5)
    with pytest.raises(ValueError, match="groups"):
        sc1.impute_prior(m, np.zeros(m.n_vars + 1, dtype=int))


def test_missing_layers_keys_and_embeddings_name_the_argument(sim, masked):
    m, hidden = masked
    out = sc1.impute_knn(m, 5, rng=0, copy=True)
    with pytest.raises(ValueError, match="layer_before"):
        sc1.correlation_inflation(m, out, ["gene0", "gene1"], layer_before="nope")
    with pytest.raises(ValueError, match="layer_after"):
        sc1.correlation_inflation(m, m, ["gene0", "gene1"])  # m has no "imputed" layer
    with pytest.raises(TypeError, match="layer_after"):
        sc1.correlation_inflation(m, out, ["gene0", "gene1"], layer_after=3)
    with pytest.raises(ValueError, match="reference"):
        sc1.nearest_type(out, reference="nope")
    with pytest.raises(TypeError, match="labels_key"):
        sc1.nearest_type(out, labels_key=None)
    with pytest.raises(ValueError, match="layer"):
        sc1.heldout_error(m, hidden.values, hidden)  # m has no "imputed" layer
    with pytest.raises(TypeError, match="use_rep"):
        sc1.impute_diffusion(m, use_rep=0)
    with pytest.raises(ValueError, match="genes"):
        sc1.correlation_inflation(m, out, [["gene0"], ["gene1", "gene2"]])
    with pytest.raises(TypeError, match="genes"):
        sc1.correlation_inflation(m, out, [0.5, 1.5])


def test_nan_in_a_compared_layer_is_refused_not_scored(sim):
    """NaN used to give NaN correlations (counted as 'not correlated') and an arbitrary type."""
    bad = sim.copy()
    bad.layers["imputed"] = sim.layers["truth"].copy()
    bad.layers["imputed"][0, 0] = np.nan
    with pytest.raises(ValueError, match="layer_after"):
        sc1.correlation_inflation(sim, bad, ["gene0", "gene1"], normalise=False)
    with pytest.raises(ValueError, match="layer_after"):  # a NaN in another gene, via the totals
        sc1.correlation_inflation(sim, bad, ["gene1", "gene2"])
    with pytest.raises(ValueError, match="layer"):
        sc1.nearest_type(bad)
    bad.layers["imputed"][0, 0] = -5.0
    with pytest.raises(ValueError, match="layer"):
        sc1.nearest_type(bad)


def test_neighbour_indices_outside_the_graph_are_refused():
    """Regression: out-of-range indices crashed diffusion_operator (segfault) or raised unnamed."""
    idx = np.array([[0, 1], [1, 2], [2, 0]])
    dist = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    for bad in (idx - 2, idx + 5):
        with pytest.raises(ValueError, match=r"indices must hold row numbers in \[0, 3\)"):
            sc1.knn_operator(bad)
        with pytest.raises(ValueError, match="indices"):
            sc1.diffusion_operator(bad, dist, knn=2)
    with pytest.raises(TypeError, match="indices"):
        sc1.knn_operator(idx.astype(float))
    with pytest.raises(ValueError, match="distances"):
        sc1.diffusion_operator(idx, -dist, knn=2)
    with pytest.raises(ValueError, match="same shape"):
        sc1.diffusion_operator(idx, dist[:, :1], knn=2)


def test_effective_sample_size_refuses_a_smoother_that_leaves_no_variation():
    """Regression: averaging every cell to one value returned NaN (0/0) with a warning."""
    n = 6
    with pytest.raises(ValueError, match="steps"):
        sc1.effective_sample_size(np.full((n, n), 1 / n))
    with pytest.raises(ValueError, match="operator"):
        sc1.effective_sample_size([[1.0]])
    # the same smoother with zero steps is the identity
    assert sc1.effective_sample_size(np.full((n, n), 1 / n), steps=0) == pytest.approx(n - 1)


def test_strong_programmes_keep_the_fixed_library():
    """Regression: exp(activity) overflowed for large program_sd/effect, giving NaN or no counts."""
    ad = sc1.simulate_counts(40, 12, modules=2, program_sd=1e3, effect=1e3, rng=0)
    lib = ad.layers["truth"].astype(np.float64).sum(axis=1)
    np.testing.assert_allclose(lib, ad.var["mean"].sum(), rtol=1e-5)
    assert np.all(np.isfinite(ad.X.data))


def test_baseline_means_out_of_range_are_refused():
    for kwargs in ({"mean_log": 800.0}, {"mean_log": -800.0}, {"sd_log": 1e3}, {"mean_log": 20.0}):
        with pytest.raises(ValueError, match="mean_log"):
            sc1.simulate_counts(40, 12, modules=2, rng=0, **kwargs)


def test_heldout_error_refuses_non_bool_log_and_non_matrix_imputed():
    rows, cols = np.array([0, 1]), np.array([1, 0])
    with pytest.raises(TypeError, match="log"):
        sc1.heldout_error(np.ones((2, 2)), [1.0, 1.0], (rows, cols), log="no")
    with pytest.raises(ValueError, match="imputed"):
        sc1.heldout_error(np.ones((2, 2, 2)), [1.0, 1.0], (rows, cols))
    with pytest.raises(TypeError, match="imputed"):
        sc1.heldout_error("abc", [1.0, 1.0], (rows, cols))
    with pytest.raises(ValueError, match="truth_values"):
        sc1.heldout_error(np.ones((2, 2)), [-1.0, 1.0], (rows, cols))


def test_recover_counts_refuses_non_matrices():
    with pytest.raises(TypeError, match="lognorm"):
        sc1.recover_counts("abc", [1.0])
    with pytest.raises(ValueError, match="lognorm"):
        sc1.recover_counts(np.ones((2, 3, 1)), [1.0, 2.0])
    with pytest.raises(ValueError, match="lognorm"):
        sc1.recover_counts(np.ones((2, 3)) * np.nan, [1.0, 2.0])


# --------------------------------------------------------------------------- scanpy conventions


@pytest.fixture(scope="module")
def small():
    """A small data set with the raw counts in a layer and log-normalised values in X."""
    import scanpy as sc

    a = sc1.simulate_counts(150, 40, n_types=2, modules=3, null_fraction=0.25, rng=2)
    a.layers["counts"] = a.X.copy()
    sc.pp.normalize_total(a)
    sc.pp.log1p(a)
    return a


_IMPUTERS = {
    "impute_knn": lambda a, **kw: sc1.impute_knn(a, 5, n_pcs=5, rng=0, **kw),
    "impute_diffusion": lambda a, **kw: sc1.impute_diffusion(a, t=2, knn=3, n_pcs=5, rng=0, **kw),
    "impute_lowrank": lambda a, **kw: sc1.impute_lowrank(a, 2, rng=0, **kw),
    "impute_prior": lambda a, **kw: sc1.impute_prior(a, np.arange(a.n_vars) % 3, **kw),
}


@pytest.mark.parametrize("function", sorted(_IMPUTERS) + ["embed", "mask_counts"])
def test_log_normalised_data_is_refused_with_a_pointer_to_the_counts_layer(small, function):
    call = {
        **_IMPUTERS,
        "embed": lambda a, **kw: sc1.embed(a, 3, rng=0, **kw),
        "mask_counts": lambda a, **kw: sc1.mask_counts(a, 0.1, rng=0, **kw),
    }[function]
    with pytest.raises(ValueError, match=r'adata\.X must hold raw counts.*layer="counts"'):
        call(small, copy=True) if function != "mask_counts" else call(small)
    with pytest.raises(ValueError, match="layer"):  # a layer that does not exist
        call(small, layer="raw")


@pytest.mark.parametrize("function", sorted(_IMPUTERS))
def test_layer_reads_the_counts_and_matches_counts_in_x(small, function):
    from_layer = _IMPUTERS[function](small, layer="counts", copy=True)
    plain = small.copy()
    plain.X = small.layers["counts"].copy()
    from_x = _IMPUTERS[function](plain, copy=True)
    np.testing.assert_allclose(
        from_layer.layers["imputed"], from_x.layers["imputed"], rtol=1e-5, atol=1e-6
    )
    # X (log-normalised) is left as it was, and the provenance names the layer
    assert (from_layer.X != small.X).nnz == 0
    assert from_layer.uns["imputed"]["params"]["layer"] == "counts"


@pytest.mark.parametrize("function", sorted(_IMPUTERS))
def test_copy_semantics_key_added_and_provenance(small, function):
    a = small.copy()
    before = set(a.layers)
    assert _IMPUTERS[function](a, layer="counts", key_added="denoised") is None  # in place
    assert set(a.layers) == before | {"denoised"}
    assert a.layers["denoised"].shape == a.shape and a.layers["denoised"].dtype == np.float32
    info = a.uns["denoised"]
    assert info["method"] == function.removeprefix("impute_") and "params" in info
    if function in ("impute_knn", "impute_diffusion"):
        assert a.obsp["denoised_operator"].shape == (a.n_obs, a.n_obs)
    b = small.copy()
    out = _IMPUTERS[function](b, layer="counts", copy=True)
    assert out is not b and "imputed" in out.layers and "imputed" not in b.layers
    assert "imputed" not in b.uns
    np.testing.assert_allclose(out.layers["imputed"], a.layers["denoised"], rtol=1e-6)
    for bad in (3, ""):
        with pytest.raises(TypeError, match="key_added"):
            _IMPUTERS[function](small, layer="counts", key_added=bad)
    with pytest.raises(TypeError, match="copy"):
        _IMPUTERS[function](small, layer="counts", copy="yes")


def test_embed_follows_scanpy_and_stores_provenance(small):
    import scanpy as sc

    a = small.copy()
    assert sc1.embed(a, 5, layer="counts", rng=0) is None
    assert a.obsm["X_pca"].shape == (a.n_obs, 5)
    assert a.uns["X_pca"]["method"] == "pca" and a.uns["X_pca"]["params"]["layer"] == "counts"
    # the same recipe by hand with scanpy: X of `small` is normalize_total + log1p of the counts
    ref = small.copy()
    sc.pp.pca(ref, n_comps=5)
    np.testing.assert_allclose(
        np.abs(a.obsm["X_pca"]), np.abs(ref.obsm["X_pca"]), rtol=1e-3, atol=1e-3
    )
    out = sc1.embed(a, 3, layer="counts", key_added="X_small", copy=True)
    assert out.obsm["X_small"].shape == (a.n_obs, 3) and "X_small" not in a.obsm


def test_views_sparse_and_dense_counts_and_integer_valued_floats(small):
    view = small[:100]
    assert view.is_view
    out = sc1.impute_knn(view, 5, layer="counts", n_pcs=5, rng=0, copy=True)
    assert out.shape == (100, small.n_vars) and not out.is_view
    sc1.impute_knn(view, 5, layer="counts", n_pcs=5, rng=0)  # in place: the view becomes actual
    assert not view.is_view and "imputed" in view.layers
    dense = small.copy()
    dense.layers["counts"] = small.layers["counts"].toarray().astype(np.float64)
    a = sc1.impute_lowrank(dense, 2, layer="counts", rng=0, copy=True).layers["imputed"]
    b = sc1.impute_lowrank(small, 2, layer="counts", rng=0, copy=True).layers["imputed"]
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    ints = small.copy()
    ints.layers["counts"] = sp.csr_matrix(small.layers["counts"], dtype=np.int64)
    c = sc1.impute_lowrank(ints, 2, layer="counts", rng=0, copy=True).layers["imputed"]
    np.testing.assert_allclose(c, b, rtol=1e-4, atol=1e-5)


def test_empty_cells_are_named():
    import anndata as ad

    x = np.array([[1.0, 2.0], [0.0, 0.0], [3.0, 1.0], [2.0, 2.0]])
    a = ad.AnnData(X=x)
    a.obs_names = ["c0", "lonely", "c2", "c3"]
    with pytest.raises(ValueError, match=r"1 empty cell.*lonely.*filter_cells"):
        sc1.impute_lowrank(a, 1, copy=True)


def test_simulate_counts_at_its_defaults_makes_data_its_methods_accept():
    # tiny libraries make empty cells likely; the simulator redraws them
    a = sc1.simulate_counts(400, 12, modules=2, rng=0)
    assert np.asarray(a.X.sum(axis=1)).min() > 0
    assert sc1.impute_knn(a, 5, n_pcs=3, rng=0, copy=True).layers["imputed"].shape == a.shape
    with pytest.raises(ValueError, match="empty"):
        sc1.simulate_counts(20, 12, modules=2, mean_log=-9.0, rng=0)


# --------------------------------------------------------------------------- hostile inputs


def test_knn_graph_is_the_same_at_any_common_scale():
    pts = np.random.default_rng(2).standard_normal((40, 3))
    idx, dist = sc1.knn_graph(pts, 5)
    for scale in (1e-200, 1e200):
        idx_s, dist_s = sc1.knn_graph(pts * scale, 5)
        np.testing.assert_array_equal(idx_s, idx)
        np.testing.assert_allclose(dist_s / scale, dist, rtol=1e-5)


def test_huge_decay_is_a_hard_cutoff_without_warnings():
    pts = np.random.default_rng(3).standard_normal((60, 2))
    idx, dist = sc1.knn_graph(pts, 10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = sc1.diffusion_operator(idx, dist, knn=5, decay=1e300)
    np.testing.assert_allclose(np.asarray(m.sum(axis=1)).ravel(), 1.0)
    assert np.all(np.isfinite(m.data))


def test_recover_counts_refuses_counts_that_overflow():
    lognorm = np.full((2, 2), 1.0)
    with pytest.raises(ValueError, match="lognorm"):
        sc1.recover_counts(np.full((2, 2), 1e300), [10.0, 10.0])
    with pytest.raises(ValueError, match="total_counts"):
        sc1.recover_counts(lognorm, [1e300, 10.0])
    with pytest.raises(ValueError, match="scale"):
        sc1.recover_counts(lognorm, [10.0, 10.0], scale=5e-324)
    with pytest.raises(ValueError, match="beyond 2\\*\\*53"):
        sc1.recover_counts(np.full((2, 2), 700.0), [10.0, 10.0])


def test_huge_step_counts_are_refused_up_front(masked):
    m, _ = masked
    with pytest.raises(ValueError, match="t too large"):
        sc1.impute_diffusion(m, t=10**12, copy=True)
    w = sc1.knn_operator(sc1.knn_graph(np.random.default_rng(4).standard_normal((30, 2)), 3)[0])
    with pytest.raises(ValueError, match="steps too large"):
        sc1.effective_sample_size(w, steps=2**62)


def test_heldout_error_accepts_positions_as_a_pandas_frame():
    import pandas as pd

    imputed = np.array([[0.0, 1.0], [2.0, 3.0]])
    pos = np.array([[0, 1], [1, 0]])
    frame = pd.DataFrame(pos, index=[10, 11])
    assert sc1.heldout_error(imputed, [1.0, 2.0], frame) == sc1.heldout_error(
        imputed, [1.0, 2.0], pos
    )
