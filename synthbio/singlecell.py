"""Single-cell imputation with AnnData in and out: fill the zeros of a count matrix.

As in scanpy: raw counts come from ``X`` or ``layers[layer]``; results go to
``layers[key_added]`` (default ``"imputed"``), parameters to ``uns[key_added]``, in place
unless ``copy=True`` (then a new AnnData is returned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from . import _validate as v
from ._validate import RNGLike
from .stats import nearest_neighbours

if TYPE_CHECKING:  # pragma: no cover
    from anndata import AnnData

__all__ = [
    "simulate_counts",
    "HiddenEntries",
    "mask_counts",
    "embed",
    "knn_operator",
    "diffusion_operator",
    "impute_knn",
    "impute_diffusion",
    "impute_lowrank",
    "impute_prior",
    "heldout_error",
]


def _anndata(name: str, value: Any) -> AnnData:
    from anndata import AnnData

    if not isinstance(value, AnnData):
        raise TypeError(f"{name} must be an AnnData, got {type(value).__name__}")
    if value.n_obs < 2 or value.n_vars < 1:
        raise ValueError(f"{name} must have at least 2 cells and 1 gene, got shape {value.shape}")
    return value


class CountsData(v.Constraint):
    """An AnnData (≥ 2 cells, ≥ 1 gene); its counts are checked where ``layer`` says they are."""

    def check(self, name: str, value: Any) -> AnnData:
        return _anndata(name, value)

    def cases(self, valid: Any) -> list[v.Case]:
        x = valid.X.toarray() if sp.issparse(valid.X) else np.asarray(valid.X, dtype=float)
        bad = [valid.copy() for _ in range(3)]
        for b, values in zip(bad, (np.log1p(x) + 0.5, -x - 1, np.full(x.shape, np.nan))):
            b.X = values  # log-normalised, negative, NaN
        return super().cases(valid) + [
            ("matrix, not AnnData", "refuse", x),
            ("one cell", "refuse", valid[:1].copy()),
            *[(f"bad X {i}", "refuse", b) for i, b in enumerate(bad)],
            ("AnnData view", "accept", valid[:, :]),
        ]


def _name(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty str, got {value!r}")
    return value


def _hidden(name: str, value: Any) -> HiddenEntries:
    if not isinstance(value, HiddenEntries):
        raise TypeError(f"{name} must be the HiddenEntries of mask_counts")
    return value


COUNTS = CountsData()
#: A layer, obsm or uns key, or ``None`` for the default (unknown keys are refused in the body).
KEY = v.Check(_name, [("number", 3), ("empty", "")], optional=True)


def _counts(adata: AnnData, layer: str | None) -> tuple[sp.csr_matrix, str]:
    """Raw counts from ``X`` or ``layers[layer]`` as float64 CSR, and where they came from."""
    where = "adata.X" if layer is None else f"adata.layers[{layer!r}]"
    if layer is not None and layer not in adata.layers:
        raise ValueError(f"layer {layer!r} is not a layer of adata ({sorted(adata.layers)})")
    x = adata.X if layer is None else adata.layers[layer]
    hint = f'{where} (raw counts; for log-normalised X keep counts in a layer, layer="counts")'
    v.count_array(hint, x.data if sp.issparse(x) else x, ndim=(1, 2))
    m = sp.csr_matrix(x, dtype=np.float64, copy=True)
    m.eliminate_zeros()
    return m, where


def _normalise(x: sp.csr_matrix, where: str) -> tuple[sp.csr_matrix, np.ndarray, float]:
    """Counts at the median depth (as ``scanpy.pp.normalize_total``), the depths, the median."""
    depth = np.asarray(x.sum(axis=1)).ravel()
    if np.any(depth <= 0):
        raise ValueError(f"{where} has empty cells: scanpy.pp.filter_cells(adata, min_counts=1)")
    target = float(np.median(depth))
    return sp.csr_matrix(sp.diags(target / depth) @ x), depth, target


def _pca(norm: sp.csr_matrix, n_pcs: int, rng: Any) -> AnnData:
    """``log1p`` and ``scanpy.pp.pca`` of depth-normalised counts (scores in ``obsm["X_pca"]``)."""
    import anndata as ad
    import scanpy as sc

    tmp = ad.AnnData(X=norm.astype(np.float32))
    sc.pp.log1p(tmp)
    n_pcs = min(n_pcs, min(tmp.shape) - 1)
    sc.pp.pca(tmp, n_comps=n_pcs, random_state=int(np.random.default_rng(rng).integers(2**31)))
    return tmp


def _store(adata: AnnData, copy: bool, key: str, slot: str, value: Any, info: dict) -> Any:
    """Put ``value`` in ``adata.<slot>[key]``, ``info`` in ``uns[key]`` (of a copy if ``copy``)."""
    if copy:
        adata = adata.copy()
    elif adata.is_view:  # as scanpy does: a view becomes an object of its own first
        adata._init_as_actual(adata.copy())
    getattr(adata, slot)[key] = value
    adata.uns[key] = info
    if "operator" in info:
        adata.obsp[f"{key}_operator"] = info.pop("operator")
    return adata if copy else None


@v.checked(
    n_cells=v.Int(min=2),
    n_genes=v.Int(min=3),
    n_types=v.Int(min=1),
    modules=v.Int(min=1),
    null_fraction=v.Real(0, 1, open_max=True),
    type_fractions=v.Array(ndim=1, optional=True),
    dispersion=v.Real(0, 100),
    effect=v.Real(min=0),
    program_sd=v.Real(min=0),
    programs=v.Array(ndim=2, optional=True),
    rng=v.Seed(),
)
def simulate_counts(
    n_cells: int,
    n_genes: int,
    *,
    n_types: int = 5,
    modules: int = 10,
    null_fraction: float = 0.2,
    type_fractions: ArrayLike | None = None,
    dispersion: float = 0.3,
    effect: float = 1.0,
    program_sd: float = 0.4,
    programs: ArrayLike | None = None,
    rng: RNGLike = None,
) -> AnnData:
    """UMI-like counts from a gamma–Poisson model with cell types and co-expression modules.

    Gene means ``μ_g ~ LogNormal(-1, 1.2)``; a share ``1 - null_fraction`` of the genes forms
    ``modules`` modules with activities ``a_cm = programs[type(c), m] + program_sd · ε_cm``
    (``programs`` drawn as ``effect · z`` unless given), ``λ_cg = μ_g · exp(a_{c,m(g)}) · B_c``
    (``μ_g`` for null genes; ``B_c`` keeps libraries at ``Σ_g μ_g``). Counts are
    ``Poisson(λ · Gamma(1/φ, φ))``, ``φ = dispersion``; empty cells are redrawn.

    Returns
    -------
    AnnData
        Counts in ``X`` (CSR, float32), ``λ`` in ``layers["truth"]``, ``obs["cell_type"]``,
        ``var["module"]`` (−1 for null genes), ``var["null"]``, ``var["mean"]`` (``μ``),
        ``obsm["activity"]`` and ``uns["type_programs"]``.

    References
    ----------
    Svensson (2020), *Nat. Biotechnol.* 38, 147–150.
    """
    import anndata as ad
    import pandas as pd

    if n_genes < modules + 2:
        raise ValueError(f"n_genes must be ≥ modules + 2 = {modules + 2}, got {n_genes}")
    v.check_memory("n_cells, n_genes", 1.0 * n_cells * n_genes, itemsize=4, what="truth layer")
    v.check_memory("n_types, modules", 1.0 * n_types * modules)
    rng = np.random.default_rng(rng)  # a Generator already (checked); this tells mypy
    shares = np.full(n_types, 1 / n_types) if type_fractions is None else np.asarray(type_fractions)
    if shares.shape != (n_types,) or shares.min() < 0 or not np.isclose(shares.sum(), 1):
        raise ValueError(f"type_fractions must be n_types = {n_types} shares ≥ 0 summing to 1")
    z = effect * rng.standard_normal((n_types, modules)) if programs is None else programs
    if np.shape(z) != (n_types, modules):
        raise ValueError(f"programs must have shape (n_types, modules), got {np.shape(z)}")
    n_mod = n_genes - round(null_fraction * n_genes)
    if n_mod < modules:
        raise ValueError(f"null_fraction leaves {n_mod} module genes, fewer than {modules}")
    module = np.full(n_genes, -1)
    module[:n_mod] = np.arange(n_mod) * modules // n_mod  # contiguous blocks of equal size
    mu = np.exp(-1.0 + 1.2 * rng.standard_normal(n_genes))
    per_type = np.floor(shares * n_cells).astype(int)
    short = n_cells - per_type.sum()
    per_type[np.argsort(per_type - shares * n_cells, kind="stable")[:short]] += 1
    cell_type = rng.permutation(np.repeat(np.arange(n_types), per_type))
    with np.errstate(over="ignore", invalid="ignore"):
        activity = np.asarray(z)[cell_type] + program_sd * rng.standard_normal((n_cells, modules))
    if not np.all(np.isfinite(activity)):
        raise ValueError("program activities overflow: effect, programs or program_sd too large")
    is_mod = module >= 0
    budget = np.bincount(module[is_mod], weights=mu[is_mod], minlength=modules)
    top = activity.max(axis=1, keepdims=True)  # log Σ_m budget_m e^a_m, without overflow
    with np.errstate(under="ignore"):
        log_b = np.log(budget.sum()) - top - np.log(np.exp(activity - top) @ budget)[:, None]

    def means(rows: np.ndarray) -> np.ndarray:  # λ for these cells
        lam = np.tile(mu, (rows.size, 1))
        with np.errstate(under="ignore"):
            lam[:, is_mod] *= np.exp(activity[rows][:, module[is_mod]] + log_b[rows])
        return lam

    def draw(lam: np.ndarray) -> np.ndarray:
        if dispersion < 1e-12:  # Poisson to machine precision (and 1/φ would overflow)
            return rng.poisson(lam)
        return rng.poisson(lam * rng.gamma(1 / dispersion, dispersion, size=lam.shape))

    truth, blocks = np.empty((n_cells, n_genes), dtype=np.float32), []
    for start in range(0, n_cells, 4096):  # blocks of cells bound the dense temporaries
        rows = np.arange(start, min(start + 4096, n_cells))
        lam = means(rows)
        y = draw(lam)
        for _ in range(1000):  # an empty droplet is not a cell: draw it again
            empty = np.flatnonzero(y.sum(axis=1) == 0)
            if not empty.size:
                break
            y[empty] = draw(lam[empty])
        else:
            raise ValueError(f"cells keep coming out empty: dispersion = {dispersion} is too large")
        truth[rows] = lam
        blocks.append(sp.csr_matrix(y.astype(np.float32)))
    names = pd.Categorical.from_codes(cell_type, categories=[f"type {t}" for t in range(n_types)])
    obs = pd.DataFrame({"cell_type": names}, index=[f"cell{i}" for i in range(n_cells)])
    var = {"module": module, "null": ~is_mod, "mean": mu}
    var = pd.DataFrame(var, index=[f"gene{g}" for g in range(n_genes)])
    out = ad.AnnData(X=sp.vstack(blocks, format="csr"), obs=obs, var=var)
    out.layers["truth"] = truth
    out.obsm["activity"] = activity
    out.uns["type_programs"] = z
    return out


@dataclass(frozen=True)
class HiddenEntries:
    """Positions (``rows``, ``cols``) and original ``values`` of the counts a mask hid."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return int(self.rows.size)


@v.checked(
    adata=COUNTS, fraction=v.Real(0, 1, open_min=True, open_max=True), layer=KEY, rng=v.Seed()
)
def mask_counts(
    adata: AnnData, fraction: float, *, layer: str | None = None, rng: RNGLike = None
) -> tuple[AnnData, HiddenEntries]:
    """Hide exactly ``round(fraction · nnz)`` non-zero counts, chosen uniformly, in a copy.

    Returns the masked copy and the :class:`HiddenEntries` (for :func:`heldout_error`).
    """
    x, _ = _counts(adata, layer)
    n_hide = round(fraction * x.nnz)
    if n_hide == 0:
        raise ValueError(f"fraction = {fraction} of {x.nnz} non-zero counts hides nothing")
    pick = np.sort(np.random.default_rng(rng).choice(x.nnz, size=n_hide, replace=False))
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))[pick]
    hidden = HiddenEntries(rows=rows, cols=x.indices[pick].copy(), values=x.data[pick].copy())
    x.data[pick] = 0
    x.eliminate_zeros()
    masked = adata.copy()
    if layer is None:
        masked.X = x.astype(np.float32)
    else:
        masked.layers[layer] = x.astype(np.float32)
    return masked, hidden


@v.checked(
    imputed=v.Array(ndim=2),
    hidden=v.Check(_hidden, [("pair", ([0], [0]))]),
    truth_values=v.Array(ndim=1, optional=True),
    log=v.Flag(),
)
def heldout_error(
    imputed: ArrayLike,
    hidden: HiddenEntries,
    truth_values: ArrayLike | None = None,
    *,
    log: bool = True,
) -> float:
    """Root-mean-square error of an imputed cells × genes array at the hidden positions.

    The target is ``truth_values`` (default: the hidden counts); ``log``: on the ``log1p`` scale.
    """
    truth = hidden.values if truth_values is None else np.asarray(truth_values)
    if truth.shape != hidden.rows.shape:
        raise ValueError(f"truth_values must have one value per hidden entry ({len(hidden)})")
    shape = np.shape(imputed)
    if hidden.rows.max() >= shape[0] or hidden.cols.max() >= shape[1]:
        raise ValueError(f"imputed (shape {shape}) is smaller than the masked matrix")
    got = np.asarray(imputed)[hidden.rows, hidden.cols]
    if log:
        if min(got.min(), truth.min()) < 0:
            raise ValueError("imputed and truth_values must be non-negative with log=True")
        got, truth = np.log1p(got), np.log1p(truth)
    return float(np.sqrt(np.mean((got - truth) ** 2)))


@v.checked(adata=COUNTS, n_pcs=v.Int(min=1), layer=KEY, key_added=KEY, copy=v.Flag(), rng=v.Seed())
def embed(
    adata: AnnData,
    n_pcs: int = 50,
    *,
    layer: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: RNGLike = None,
) -> AnnData | None:
    """Principal components of ``log1p`` of depth-normalised counts, scanpy's standard recipe.

    Scores go to ``obsm[key_added]`` (default ``"X_pca"``); the methods reuse them via ``use_rep``.
    """
    norm, _, target = _normalise(*_counts(adata, layer))
    tmp = _pca(norm, n_pcs, rng)
    scores = np.asarray(tmp.obsm["X_pca"])
    params = {"n_pcs": scores.shape[1], "layer": layer, "target_sum": target, "log1p": True}
    info = {"method": "pca", "params": params, "variance_ratio": tmp.uns["pca"]["variance_ratio"]}
    return _store(adata, copy, key_added or "X_pca", "obsm", scores, info)


def _neighbours(X: Any, n_neighbors: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Distances and indices of each row's ``n_neighbors`` nearest rows, the row itself first."""
    n = X.shape[0]
    if n_neighbors > n:
        raise ValueError(f"{name} must be at most the number of cells, {n}, got {n_neighbors}")
    rows = np.arange(n)[:, None]
    if n_neighbors == 1:
        return np.zeros((n, 1)), rows
    dist, idx = nearest_neighbours(X, n_neighbors=n_neighbors - 1)  # leaves each row out
    return np.hstack([np.zeros((n, 1)), dist]), np.hstack([rows, idx])


def _sparse_rows(values: np.ndarray, idx: np.ndarray) -> sp.csr_matrix:
    """The cells × cells matrix with ``values[i, j]`` at row ``i``, column ``idx[i, j]``."""
    n, width = idx.shape
    indptr = np.arange(0, n * width + 1, width)
    return sp.csr_matrix((values.ravel(), idx.ravel(), indptr), shape=(n, n))


@v.checked(X=v.Array(ndim=2), n_neighbors=v.Int(min=1))
def knn_operator(X: ArrayLike, n_neighbors: int) -> sp.csr_matrix:
    """Row-stochastic matrix averaging each cell (row of ``X``) over its nearest cells.

    Row ``i`` weighs cell ``i`` and its ``n_neighbors - 1`` nearest cells equally.
    """
    _, idx = _neighbours(X, n_neighbors, "n_neighbors")
    return _sparse_rows(np.full(idx.shape, 1.0 / n_neighbors), idx)


@v.checked(X=v.Array(ndim=2), knn=v.Int(min=2), decay=v.Positive())
def diffusion_operator(X: ArrayLike, *, knn: int = 5, decay: float = 1.0) -> sp.csr_matrix:
    """MAGIC's Markov matrix on the cells (rows of ``X``): an adaptive, α-decaying kernel.

    Affinity ``exp(-(d_ij / σ_i)^decay)`` to the ``3 · knn`` nearest cells, ``σ_i`` the distance
    to the ``knn``-th; ``K = (A + Aᵀ) / 2`` normalised by rows, ``M = D⁻¹K``.

    References
    ----------
    van Dijk et al. (2018), *Cell* 174, 716–729.
    """
    n = np.shape(X)[0]
    if knn > n:
        raise ValueError(f"knn must be at most the number of cells, {n}, got {knn}")
    dist, idx = _neighbours(X, min(3 * knn, n), "knn")
    sigma = dist[:, knn - 1]
    sigma = np.where(sigma > 0, sigma, sigma.max() if sigma.max() > 0 else 1.0)  # duplicates
    with np.errstate(over="ignore"):  # a huge decay: exp(-inf) = 0 beyond the bandwidth
        a = _sparse_rows(np.exp(-((dist / sigma[:, None]) ** decay)), idx)
    k = (a + a.T) / 2
    return sp.csr_matrix(sp.diags(1 / np.asarray(k.sum(axis=1)).ravel()) @ k)


def _coords(
    adata: AnnData, norm: sp.csr_matrix, n_pcs: int, use_rep: str | None, rng: Any
) -> np.ndarray:
    """Coordinates for the neighbour search: ``obsm[use_rep]``, or a fresh PCA."""
    if use_rep is None:
        return np.asarray(_pca(norm, n_pcs, rng).obsm["X_pca"])
    if use_rep not in adata.obsm:
        raise ValueError(f"use_rep {use_rep!r} is not in adata.obsm ({sorted(adata.obsm)})")
    return v.Array(ndim=2)(f"use_rep {use_rep!r} (in obsm)", adata.obsm[use_rep])[:, :n_pcs]


def _smooth(
    op: sp.csr_matrix, norm: sp.csr_matrix, steps: int, depth: np.ndarray, target: float
) -> np.ndarray:
    """``opˢᵗᵉᵖˢ`` applied to the normalised counts by sparse–dense products, back at each depth."""
    values = norm.toarray().astype(np.float32)
    op32 = op.astype(np.float32)
    for _ in range(steps):
        values = op32 @ values
    return values * (depth / target).astype(np.float32)[:, None]


_IMPUTE = dict(adata=COUNTS, layer=KEY, key_added=KEY, copy=v.Flag())
_GRAPH = dict(n_pcs=v.Int(min=1), use_rep=KEY, rng=v.Seed())


@v.checked(**_IMPUTE, **_GRAPH, n_neighbors=v.Int(min=1))
def impute_knn(
    adata: AnnData,
    n_neighbors: int = 15,
    *,
    layer: str | None = None,
    n_pcs: int = 30,
    use_rep: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: RNGLike = None,
) -> AnnData | None:
    """Replace each cell by the average of its ``n_neighbors`` nearest cells, itself included.

    Depth-scaled counts averaged by :func:`knn_operator` on ``n_pcs`` PCs (or ``obsm[use_rep]``);
    the matrix goes to ``obsp[key_added + "_operator"]``.

    References
    ----------
    Wagner, Yan & Yanai (2018), bioRxiv 217737.
    """
    norm, depth, target = _normalise(*_counts(adata, layer))
    op = knn_operator(_coords(adata, norm, n_pcs, use_rep, rng), n_neighbors)
    params = {"n_neighbors": n_neighbors, "n_pcs": n_pcs, "use_rep": use_rep, "layer": layer}
    values = _smooth(op, norm, 1, depth, target)
    info = {"method": "knn", "params": params, "operator": op}
    return _store(adata, copy, key_added or "imputed", "layers", values, info)


@v.checked(**_IMPUTE, **_GRAPH, t=v.Int(min=0), knn=v.Int(min=2), decay=v.Positive())
def impute_diffusion(
    adata: AnnData,
    *,
    t: int = 3,
    knn: int = 5,
    decay: float = 1.0,
    n_pcs: int = 50,
    layer: str | None = None,
    use_rep: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: RNGLike = None,
) -> AnnData | None:
    """MAGIC-style imputation: ``t`` steps of :func:`diffusion_operator` on the scaled counts.

    ``M`` is built on ``n_pcs`` PCs (or ``obsm[use_rep]``), applied ``t`` times by sparse–dense
    products and stored in ``obsp[key_added + "_operator"]``.

    References
    ----------
    van Dijk et al. (2018), *Cell* 174, 716–729.
    """
    v.check_work("t, knn", t * 6.0 * knn * adata.n_obs * adata.n_vars, what="t diffusion steps")
    norm, depth, target = _normalise(*_counts(adata, layer))
    op = diffusion_operator(_coords(adata, norm, n_pcs, use_rep, rng), knn=knn, decay=decay)
    params = dict(t=t, knn=knn, decay=decay, n_pcs=n_pcs, use_rep=use_rep, layer=layer)
    values = _smooth(op, norm, t, depth, target)
    info = {"method": "diffusion", "params": params, "operator": op}
    return _store(adata, copy, key_added or "imputed", "layers", values, info)


@v.checked(**_IMPUTE, rank=v.Int(min=1), rng=v.Seed())
def impute_lowrank(
    adata: AnnData,
    rank: int = 10,
    *,
    layer: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: RNGLike = None,
) -> AnnData | None:
    """ALRA-style imputation: a rank-``rank`` reconstruction of the log counts, thresholded.

    Each gene's values below the magnitude of its most negative one are set to zero;
    observed non-zero values are restored.

    References
    ----------
    Linderman et al. (2022), *Nat. Commun.* 13, 192.
    """
    from sklearn.utils.extmath import randomized_svd

    if rank >= min(adata.shape):
        raise ValueError(f"rank must be below min(cells, genes) = {min(adata.shape)}, got {rank}")
    norm, depth, target = _normalise(*_counts(adata, layer))
    logx = norm.log1p()
    seed = int(np.random.default_rng(rng).integers(2**31))
    u, s, vt = randomized_svd(logx, rank, n_iter=4, random_state=seed)
    rec = (u * s).astype(np.float32) @ vt.astype(np.float32)
    rec[rec <= np.abs(np.minimum(rec.min(axis=0), 0.0))] = 0.0
    observed = logx.toarray().astype(np.float32)
    lost = (rec == 0) & (observed > 0)
    rec[lost] = observed[lost]
    values = np.expm1(rec) * (depth / target).astype(np.float32)[:, None]
    info = {"method": "lowrank", "params": {"rank": rank, "layer": layer}}
    return _store(adata, copy, key_added or "imputed", "layers", values, info)


@v.checked(**_IMPUTE, groups=v.Labels())
def impute_prior(
    adata: AnnData,
    groups: ArrayLike,
    *,
    layer: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
) -> AnnData | None:
    """Impute each gene from the rest of its co-expression group (one label per gene).

    ``x̂_cg = m_g · Σ_{h ∈ G(g), h ≠ g} x_ch / Σ_{h ∈ G(g), h ≠ g} m_h`` with ``m`` the gene
    means and ``G(g)`` the group of ``g``; a gene alone in its group gets its mean.
    """
    if np.shape(groups) != (adata.n_vars,):
        raise ValueError(f"groups must have one label per gene, {adata.n_vars} in all")
    _, code = np.unique(groups, return_inverse=True)
    norm, depth, target = _normalise(*_counts(adata, layer))
    member = sp.csr_matrix((np.ones(code.size), (np.arange(code.size), code)))
    m = np.asarray(norm.mean(axis=0)).ravel()
    rest_sum = (norm @ member).toarray()[:, code] - norm.toarray()
    rest_mean = (m @ member)[code] - m
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(rest_mean > 0, m * rest_sum / rest_mean, m)
    values = (values * (depth / target)[:, None]).astype(np.float32)
    info = {"method": "prior", "params": {"groups": int(code.max() + 1), "layer": layer}}
    return _store(adata, copy, key_added or "imputed", "layers", values, info)
