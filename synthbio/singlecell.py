"""Single-cell imputation: fill the zeros of a count matrix, and measure what that invents.

Droplet single-cell RNA-seq counts are mostly zeros. Imputation replaces each
cell's counts by an estimate borrowed from other cells (its neighbours, a
diffusion over the cell graph, a low-rank reconstruction) or from other genes
(a co-expression prior). This module provides

* data: :func:`load_pbmc_counts` (scanpy's bundled 700 PBMCs, back to raw UMI
  counts) and :func:`simulate_counts` (a gamma–Poisson model with cell types,
  co-expression modules and genes that are independent by construction);
* a fair test: :func:`mask_counts` hides non-zero entries so that a method can
  be scored on values it never saw (:func:`heldout_error`);
* the methods: :func:`impute_knn`, :func:`impute_diffusion` (MAGIC-style),
  :func:`impute_lowrank` (ALRA-style) and :func:`impute_prior` (a gene
  co-expression prior);
* what they invent: :func:`correlation_inflation` and
  :func:`effective_sample_size` (spurious gene–gene correlation) and
  :func:`nearest_type` (does a cell still look like its own type?).

Every method follows scanpy's conventions: it reads raw counts from
``adata.X`` or from ``adata.layers[layer]`` (sparse or dense, cells × genes,
non-negative whole numbers; log-normalised values are refused), writes its
result under ``key_added`` (the imputed expected counts in
``layers[key_added]``, the method and its parameters in ``uns[key_added]``)
and works in place (returning ``None``) unless ``copy=True``, when it returns
a new :class:`anndata.AnnData`. Standard steps (depth normalisation,
``log1p``, principal components) are scanpy's own. Nothing here builds a
dense cells × cells matrix: cell graphs are sparse with a fixed number of
entries per cell, and a graph is applied to the data by repeated
sparse–dense products.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ._validate import (
    MAX_COUNT,
    as_generator,
    check_memory,
    check_work,
    finite_array,
    integer,
    positive_real,
    real,
)

if TYPE_CHECKING:  # pragma: no cover
    from anndata import AnnData

__all__ = [
    "PBMC_SCALE",
    "recover_counts",
    "load_pbmc_counts",
    "simulate_counts",
    "HiddenEntries",
    "mask_counts",
    "embed",
    "knn_graph",
    "knn_operator",
    "diffusion_operator",
    "impute_knn",
    "impute_diffusion",
    "impute_lowrank",
    "impute_prior",
    "heldout_error",
    "CorrelationInflation",
    "correlation_inflation",
    "effective_sample_size",
    "nearest_type",
]

#: Target sum per cell of scanpy's ``pbmc68k_reduced.raw`` (``log1p(counts / n_counts · 1e4)``).
PBMC_SCALE = 1e4


# ---------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------


def _check_adata(name: str, adata: Any) -> None:
    from anndata import AnnData

    if not isinstance(adata, AnnData):
        raise TypeError(f"{name} must be an AnnData, got {type(adata).__name__}")
    if adata.n_obs < 2 or adata.n_vars < 1:
        raise ValueError(f"{name} must have at least 2 cells and 1 gene, got shape {adata.shape}")


def _where(name: str, layer: str | None) -> str:
    return f"{name}.X" if layer is None else f"{name}.layers[{layer!r}]"


def _counts_csr(name: str, adata: Any, layer: str | None = None) -> sp.csr_matrix:
    """Raw counts from ``X`` (or ``layers[layer]``) as a float64 CSR matrix.

    The values must be finite, non-negative whole numbers (integer-valued
    floats are fine): anything else is most likely normalised or
    log-transformed data, which the methods would silently mistreat.
    """
    _check_adata(name, adata)
    where = _where(name, layer)
    x = _layer(name, adata, layer)
    if x is None:
        raise ValueError(f"{where} is empty; put the raw counts there or pass layer=")
    if sp.issparse(x):
        m = sp.csr_matrix(x, dtype=np.float64, copy=True)
        data = m.data
    else:
        arr = np.asarray(x)
        if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"{where} must hold numbers, got dtype {arr.dtype}")
        if np.iscomplexobj(arr):
            raise TypeError(f"{where} must hold real counts, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
        if arr.shape != adata.shape:
            raise ValueError(f"{where} has shape {arr.shape}, expected {adata.shape}")
        data = arr
        m = sp.csr_matrix(arr)
    if not np.all(np.isfinite(data)):
        raise ValueError(f"{where} must be finite (no NaN or inf)")
    if data.size and data.min() < 0:
        raise ValueError(f"{where} must be non-negative counts, got a minimum of {data.min()}")
    frac = m.data[m.data != np.floor(m.data)]
    if frac.size:
        raise ValueError(
            f"{where} must hold raw counts (whole numbers), but it holds values such as "
            f"{frac[0]:.4g}: normalised or log-transformed data? Keep the raw counts in a "
            'layer and pass layer="counts" (the name of that layer)'
        )
    m.eliminate_zeros()
    return m


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return bool(value)


def _key(value: Any, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or not value:
        raise TypeError(f"key_added must be a non-empty str or None, got {value!r}")
    return value


def _store(
    adata: AnnData,
    copy: bool,
    *,
    layers: dict | None = None,
    obsm: dict | None = None,
    obsp: dict | None = None,
    uns: dict | None = None,
) -> AnnData | None:
    """Write results into ``adata`` (a view becomes an actual object) or into a copy of it."""
    if copy:
        adata = adata.copy()
    elif adata.is_view:  # as scanpy does: a view is turned into its own object first
        adata._init_as_actual(adata.copy())
    for slot, items in (("layers", layers), ("obsm", obsm), ("obsp", obsp), ("uns", uns)):
        for key, value in (items or {}).items():
            getattr(adata, slot)[key] = value
    return adata if copy else None


#: Largest expected library size of :func:`simulate_counts`: counts stay exact in float32.
_MAX_LIBRARY = 2.0**24


#: Largest matrix :func:`simulate_counts` will draw (cells × genes): about 10¹¹ entries.
_MAX_ENTRIES = 2**37

#: Dispersions below this are Poisson to machine precision (and 1/φ would overflow).
_TINY_DISPERSION = 1e-12

#: Attempts at drawing a cell with at least one count before :func:`simulate_counts` gives up.
_REDRAWS = 1000


def _draw_counts(lam: np.ndarray, dispersion: float, gen: np.random.Generator) -> np.ndarray:
    """Gamma–Poisson counts with means ``lam`` (float32); a dispersion below 1e-12 is Poisson."""
    poisson = dispersion < _TINY_DISPERSION
    rate = lam if poisson else lam * gen.gamma(1.0 / dispersion, dispersion, size=lam.shape)
    return gen.poisson(rate).astype(np.float32)


def _log_sum_exp(activity: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``log(exp(activity) @ weights)`` per row, without overflow for large activities."""
    top = activity.max(axis=1)
    with np.errstate(under="ignore"):
        return top + np.log(np.exp(activity - top[:, None]) @ weights)


def _neighbour_indices(name: str, value: Any) -> np.ndarray:
    """A cells × neighbours array of whole numbers, each a row number in ``[0, cells)``."""
    try:
        idx = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists and the like
        raise TypeError(f"{name} must be a 2-D integer array (cells × neighbours)") from None
    if idx.dtype == object or not np.issubdtype(idx.dtype, np.integer):
        raise TypeError(
            f"{name} must be a 2-D integer array (cells × neighbours), got dtype {idx.dtype}"
        )
    if idx.ndim != 2 or idx.shape[0] < 1 or idx.shape[1] < 1:
        raise ValueError(
            f"{name} must be a non-empty 2-D array (cells × neighbours), got shape {idx.shape}"
        )
    if idx.min() < 0 or idx.max() >= idx.shape[0]:
        raise ValueError(
            f"{name} must hold row numbers in [0, {idx.shape[0]}), got values in "
            f"[{idx.min()}, {idx.max()}]"
        )
    return idx.astype(np.int64, copy=False)


def _dense(name: str, value: Any, shape: tuple[int, int]) -> np.ndarray:
    if sp.issparse(value):
        value = value.toarray()
    arr = finite_array(name, value, ndim=2)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return arr


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------


_MAX_LOG1P = 709.0  # expm1 overflows a float64 just above 709.78


def recover_counts(
    lognorm: Any, total_counts: Any, *, scale: float = PBMC_SCALE
) -> tuple[sp.csr_matrix, float]:
    """Undo ``log1p(counts / total · scale)``, returning integer counts and the rounding error.

    Parameters
    ----------
    lognorm
        Log-normalised values, cells × genes (sparse or dense), as produced by
        ``scanpy.pp.normalize_total(target_sum=scale)`` then ``scanpy.pp.log1p``.
    total_counts
        Each cell's total count before normalisation (one per row, at most 2**53).
    scale
        The target sum used in the normalisation, in [1e-100, 1e100]. The
        recovered counts must stay at most 2**53.

    Returns
    -------
    counts, max_error
        The rounded counts (CSR, int64) and the largest distance of an
        un-rounded value from its integer, which measures how well the
        inversion worked (float32 storage gives errors of order 1e-3).
    """
    scale = positive_real("scale", scale)  # in [1e-100, 1e100]
    if sp.issparse(lognorm):
        if lognorm.ndim != 2 or min(lognorm.shape) < 1:
            raise ValueError(f"lognorm must be a non-empty 2-D matrix, got shape {lognorm.shape}")
        m = sp.csr_matrix(lognorm, dtype=np.float64, copy=True)
    else:
        m = sp.csr_matrix(finite_array("lognorm", lognorm, ndim=2))
    if not np.all(np.isfinite(m.data)) or (m.data.size and m.data.min() < 0):
        raise ValueError("lognorm must be finite and non-negative (log1p of normalised counts)")
    totals = finite_array("total_counts", total_counts, ndim=1)
    if totals.size != m.shape[0]:
        raise ValueError(
            f"total_counts must have one value per row ({m.shape[0]}), got {totals.size}"
        )
    if np.any(totals <= 0):
        raise ValueError("total_counts must be positive")
    if totals.max() > MAX_COUNT:
        raise ValueError(f"total_counts must be counts of at most 2**53, got {totals.max():.3g}")
    if m.data.size and m.data.max() > _MAX_LOG1P:
        raise ValueError(
            f"lognorm must be at most {_MAX_LOG1P:g} (log1p of normalised counts; beyond it the "
            f"counts overflow), got {m.data.max():.3g}"
        )
    with np.errstate(over="ignore"):
        raw = np.expm1(m.data) * np.repeat(totals / scale, np.diff(m.indptr))
    if raw.size and not raw.max() <= MAX_COUNT:
        raise ValueError(
            "lognorm, total_counts and scale give counts beyond 2**53 (not exact in float64); "
            "check that scale is the target sum of the normalisation"
        )
    rounded = np.rint(raw)
    err = float(np.max(np.abs(raw - rounded))) if raw.size else 0.0
    out = sp.csr_matrix(
        (rounded.astype(np.int64), m.indices.copy(), m.indptr.copy()), shape=m.shape
    )
    out.eliminate_zeros()
    return out, err


def load_pbmc_counts() -> AnnData:
    """Scanpy's bundled 700 PBMCs (``pbmc68k_reduced``) with their raw UMI counts in ``X``.

    The file ships inside scanpy (no download). Its ``raw`` holds
    ``log1p(counts / n_counts · 10⁴)`` for 765 genes, where ``obs["n_counts"]``
    is each cell's total over *all* genes of the original experiment, and the
    stored values are rounded to three decimals; inverting that map
    (:func:`recover_counts`) and rounding gives back integer counts (all but
    a handful of the 174 400 non-zero values land within 0.05 of an integer). The returned
    object has the counts in ``X`` (CSR, int64), the log-normalised values in
    ``layers["lognorm"]``, Zheng et al.'s labels in ``obs["bulk_labels"]``
    (each cell's best-correlated of ten purified reference populations: a
    rough annotation, not verified cell types; 240 of the 700 cells are
    labelled "Dendritic"), and the largest rounding error of the inversion in
    ``uns["count_recovery_error"]``.

    References
    ----------
    Zheng et al. (2017), *Nat. Commun.* 8, 14049; Wolf, Angerer & Theis (2018),
    *Genome Biol.* 19, 15.
    """
    import anndata as ad
    import scanpy as sc

    pbmc = sc.datasets.pbmc68k_reduced()
    lognorm = sp.csr_matrix(pbmc.raw.X, dtype=np.float32)
    counts, err = recover_counts(lognorm, pbmc.obs["n_counts"].to_numpy())
    obs = pbmc.obs[["bulk_labels", "n_counts", "n_genes", "percent_mito"]].copy()
    var = pbmc.raw.var[[]].copy()
    out = ad.AnnData(X=counts, obs=obs, var=var)
    out.layers["lognorm"] = lognorm
    out.uns["count_recovery_error"] = err
    return out


def simulate_counts(
    n_cells: int,
    n_genes: int,
    *,
    n_types: int = 5,
    modules: int = 10,
    null_fraction: float = 0.2,
    type_fractions: Any = None,
    mean_log: float = -1.0,
    sd_log: float = 1.2,
    dispersion: float = 0.3,
    effect: float = 1.0,
    program_sd: float = 0.4,
    programs: Any = None,
    truth: bool = True,
    rng: Any = None,
    chunk: int = 4096,
) -> AnnData:
    """Draw UMI-like counts from a gamma–Poisson model with cell types and co-expression modules.

    Each gene ``g`` has a baseline mean ``μ_g ~ LogNormal(mean_log, sd_log)``.
    A fraction ``1 - null_fraction`` of the genes is split evenly into
    ``modules`` co-expression modules; each cell ``c`` has a program activity
    ``a_cm = effect · z_{type(c), m} + program_sd · ε_cm`` for every module
    (``z`` and ``ε`` standard normal), and its true expression is

    ``λ_cg = μ_g · exp(a_{c, m(g)}) · B_c``   for module genes,
    ``λ_cg = μ_g``                           for null genes,

    where ``B_c`` rescales the module genes so that every cell's expected
    library size is the same, ``Σ_g λ_cg = Σ_g μ_g`` (sequencing shares a
    fixed budget of reads among a cell's transcripts; a programme that goes
    up takes reads from the others).

    Counts are ``Y_cg ~ Poisson(λ_cg · G_cg)`` with ``G_cg ~ Gamma(1/φ, φ)``, i.e.
    negative binomial with mean ``λ`` and variance ``λ + φλ²``. A cell drawn
    with no counts at all is drawn again, as cell calling discards empty
    droplets, so every cell has a positive total and the imputation methods
    accept the result (with the default means such a redraw is rare). Null genes have
    the same distribution in every cell and are drawn independently, so every
    pair of them is independent by construction: the null for correlation tests.
    Genes in one module share the program activity: they are co-expressed.

    Parameters
    ----------
    n_cells, n_genes
        Size of the matrix (at least 2 cells and ``modules + 2`` genes).
    n_types
        Number of cell types (≥ 1).
    modules
        Number of co-expression modules (≥ 1).
    null_fraction
        Share of genes that are independent nulls, in [0, 1).
    type_fractions
        Expected share of each cell type (sums to 1); equal by default. Cell
        types are assigned in exact proportions (rounded), then shuffled.
    mean_log, sd_log
        Location and scale of the log baseline means; the expected library
        ``Σ_g μ_g`` must stay below 2**24, so that counts are exact in float32.
    dispersion
        The negative-binomial dispersion φ ≥ 0 (0 gives Poisson counts).
    effect, program_sd
        Standard deviations of the cell-type part and of the cell-to-cell part
        of the program activities.
    programs
        The cell-type part ``effect · z`` given explicitly, an
        ``n_types × modules`` array (for instance to give a rare type a
        module of its own; ``effect`` is then unused); drawn at random when
        ``None``.
    truth
        Keep the true expression ``λ`` as a dense float32 layer ``"truth"``
        (4 bytes per entry). Set ``False`` for very large matrices; the counts
        stay sparse either way, and ``obsm["activity"]`` and ``var`` hold what
        is needed to rebuild ``λ``.
    rng
        Seed or generator.
    chunk
        Cells drawn per block; bounds the dense working memory.

    Returns
    -------
    AnnData
        Counts in ``X`` (CSR, float32), ``obs["cell_type"]`` (categorical),
        ``var["module"]`` (−1 for null genes), ``var["mean"]`` (μ_g),
        ``var["null"]``, ``obsm["activity"]`` (cells × modules), the type
        programme means in ``uns["type_programs"]``, the dispersion in
        ``uns["dispersion"]`` and, if ``truth``, ``layers["truth"]``.

    References
    ----------
    Svensson (2020), *Nat. Biotechnol.* 38, 147–150 (droplet counts are
    negative binomial, not zero-inflated).
    """
    import anndata as ad
    import pandas as pd

    n_types = integer("n_types", n_types, minimum=1)
    modules = integer("modules", modules, minimum=1)
    n_cells = integer("n_cells", n_cells, minimum=2)
    if isinstance(n_genes, numbers.Integral) and not isinstance(n_genes, (bool, np.bool_)):
        if n_genes < modules + 2:
            raise ValueError(
                f"n_genes must be ≥ modules + 2 = {modules + 2} (modules = {modules}), "
                f"got {n_genes}"
            )
    n_genes = integer("n_genes", n_genes, minimum=modules + 2)
    if n_cells * n_genes > _MAX_ENTRIES:
        raise ValueError(
            f"n_cells × n_genes = {n_cells} × {n_genes} exceeds {_MAX_ENTRIES:.3g} entries; "
            "make n_cells or n_genes smaller"
        )
    null_fraction = real("null_fraction", null_fraction, minimum=0, maximum=1, open_max=True)
    mean_log = real("mean_log", mean_log)
    sd_log = real("sd_log", sd_log, minimum=0)
    dispersion = real("dispersion", dispersion, minimum=0)
    effect = real("effect", effect, minimum=0)
    program_sd = real("program_sd", program_sd, minimum=0)
    chunk = integer("chunk", chunk, minimum=1)
    if not isinstance(truth, (bool, np.bool_)):
        raise TypeError(f"truth must be a bool, got {type(truth).__name__}")
    if type_fractions is None:
        fractions = np.full(n_types, 1.0 / n_types)
    else:
        fractions = finite_array("type_fractions", type_fractions, ndim=1)
        if fractions.size != n_types:
            raise ValueError(
                f"type_fractions must have n_types = {n_types} entries, got {fractions.size}"
            )
        if np.any(fractions < 0) or not np.isclose(fractions.sum(), 1.0, atol=1e-9):
            raise ValueError("type_fractions must be non-negative and sum to 1")
    gen = as_generator(rng)

    n_null = round(null_fraction * n_genes)
    n_mod = n_genes - n_null
    if n_mod < modules:
        raise ValueError(
            f"null_fraction leaves {n_mod} module genes, fewer than modules = {modules}"
        )
    module = np.full(n_genes, -1, dtype=np.int64)
    module[:n_mod] = np.arange(n_mod) * modules // n_mod  # contiguous blocks of equal size
    with np.errstate(over="ignore", under="ignore"):
        mu = np.exp(mean_log + sd_log * gen.standard_normal(n_genes))
    if not (np.all(mu > 0) and mu.sum() < _MAX_LIBRARY):
        raise ValueError(
            f"mean_log = {mean_log} and sd_log = {sd_log} give baseline means in "
            f"[{mu.min():.3g}, {mu.max():.3g}] and an expected library of {mu.sum():.3g}; "
            f"every mean must be > 0 and the library below 2**24 (counts exact in float32)"
        )

    # cell types in exact (rounded) proportions, shuffled
    counts_per_type = np.floor(fractions * n_cells).astype(int)
    short = n_cells - counts_per_type.sum()
    counts_per_type[
        np.argsort(-(fractions * n_cells - counts_per_type), kind="stable")[:short]
    ] += 1
    cell_type = gen.permutation(np.repeat(np.arange(n_types), counts_per_type))

    if programs is None:
        programs = effect * gen.standard_normal((n_types, modules))
    else:
        programs = finite_array("programs", programs, ndim=2)
        if programs.shape != (n_types, modules):
            raise ValueError(
                f"programs must have shape (n_types, modules) = {(n_types, modules)}, "
                f"got {programs.shape}"
            )
    with np.errstate(over="ignore", invalid="ignore"):
        activity = programs[cell_type] + program_sd * gen.standard_normal((n_cells, modules))
    if not np.all(np.isfinite(activity)):
        raise ValueError(
            "program activities overflow: effect (or programs) and program_sd are too large"
        )
    log_mu = np.log(mu)
    is_mod = module >= 0
    # a fixed expected library: module genes share the budget they have on average
    module_total = np.bincount(module[is_mod], weights=mu[is_mod], minlength=modules)
    log_budget = np.log(module_total.sum()) - _log_sum_exp(activity, module_total)
    blocks, truth_rows = [], []
    for start in range(0, n_cells, chunk):
        stop = min(start + chunk, n_cells)
        lam = np.broadcast_to(mu, (stop - start, n_genes)).copy()
        lam[:, is_mod] = np.exp(
            log_mu[is_mod] + activity[start:stop][:, module[is_mod]] + log_budget[start:stop, None]
        )
        y = _draw_counts(lam, dispersion, gen)
        for _ in range(_REDRAWS):  # an empty droplet is not a cell: draw it again
            empty = np.flatnonzero(y.sum(axis=1) == 0)
            if not empty.size:
                break
            y[empty] = _draw_counts(lam[empty], dispersion, gen)
        else:
            raise ValueError(
                f"cells keep coming out empty: the expected library (mean_log = {mean_log}, "
                f"sd_log = {sd_log}, n_genes = {n_genes}) is too small, or the dispersion "
                f"({dispersion}) so large that almost every gene of a cell draws zero"
            )
        blocks.append(sp.csr_matrix(y))
        if truth:
            truth_rows.append(lam.astype(np.float32))
    x = sp.vstack(blocks, format="csr")

    obs = pd.DataFrame(
        {
            "cell_type": pd.Categorical(
                [f"type {t}" for t in cell_type], categories=[f"type {t}" for t in range(n_types)]
            )
        },
        index=[f"cell{i}" for i in range(n_cells)],
    )
    var = pd.DataFrame(
        {"module": module, "null": module < 0, "mean": mu},
        index=[f"gene{g}" for g in range(n_genes)],
    )
    out = ad.AnnData(X=x, obs=obs, var=var)
    out.obsm["activity"] = activity
    out.uns["type_programs"] = programs
    out.uns["dispersion"] = dispersion
    if truth:
        out.layers["truth"] = np.vstack(truth_rows)
    return out


# ---------------------------------------------------------------------------
# masking
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HiddenEntries:
    """Positions and values of the entries :func:`mask_counts` set to zero."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return int(self.rows.size)


def mask_counts(
    adata: AnnData, fraction: float, *, layer: str | None = None, rng: Any = None
) -> tuple[AnnData, HiddenEntries]:
    """Hide a random ``fraction`` of the non-zero counts, as extra dropout would.

    Exactly ``round(fraction · nnz)`` non-zero entries, chosen uniformly
    without replacement, are set to zero in a copy of ``adata``. Their
    positions and original values are returned, so an imputation method run
    on the masked copy can be scored on values it never saw.

    Parameters
    ----------
    adata
        Raw counts in ``X`` or ``layers[layer]``.
    fraction
        Share of non-zero entries to hide, in (0, 1).
    layer
        Layer holding the raw counts (``None``: ``X``); the masked counts go
        back to the same place.
    rng
        Seed or generator.

    Returns
    -------
    masked, hidden
        The masked copy (the masked counts as float32 CSR; other layers and
        annotations kept) and a
        :class:`HiddenEntries` with ``rows``, ``cols`` and ``values``.
    """
    x = _counts_csr("adata", adata, layer)
    fraction = real("fraction", fraction, minimum=0, maximum=1, open_min=True, open_max=True)
    gen = as_generator(rng)
    n_hide = round(fraction * x.nnz)
    if n_hide == 0:
        raise ValueError(f"fraction = {fraction} of {x.nnz} non-zero entries hides nothing")
    pick = np.sort(gen.choice(x.nnz, size=n_hide, replace=False))
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


# ---------------------------------------------------------------------------
# cell graphs
# ---------------------------------------------------------------------------


def _depth_normalise(
    x: sp.csr_matrix, names: Any, where: str
) -> tuple[sp.csr_matrix, np.ndarray, float]:
    """Counts at the median depth (``scanpy.pp.normalize_total``), the depths and the median."""
    import anndata as ad
    import scanpy as sc

    depth = np.asarray(x.sum(axis=1)).ravel()
    empty = np.flatnonzero(depth <= 0)
    if empty.size:
        shown = ", ".join(str(names[i]) for i in empty[:5])
        raise ValueError(
            f"{where} has {empty.size} empty cell(s), with no counts ({shown}"
            f"{', ...' if empty.size > 5 else ''}); remove them first, e.g. with "
            "scanpy.pp.filter_cells(adata, min_counts=1)"
        )
    tmp = ad.AnnData(X=x.astype(np.float32))
    sc.pp.normalize_total(tmp)  # target: the median total, as below
    return sp.csr_matrix(tmp.X), depth, float(np.median(depth))


def _pca(norm: sp.csr_matrix, n_pcs: int, gen: np.random.Generator) -> tuple[np.ndarray, dict]:
    """Principal-component scores of ``log1p`` of depth-normalised counts, by scanpy."""
    import anndata as ad
    import scanpy as sc

    tmp = ad.AnnData(X=norm.copy())
    sc.pp.log1p(tmp)
    n_pcs = min(n_pcs, min(tmp.shape) - 1)
    sc.pp.pca(tmp, n_comps=n_pcs, random_state=int(gen.integers(2**31)))
    return np.asarray(tmp.obsm["X_pca"], dtype=np.float32), dict(tmp.uns["pca"])


def embed(
    adata: AnnData,
    n_pcs: int = 50,
    *,
    layer: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: Any = None,
) -> AnnData | None:
    """Principal components of ``log1p`` of depth-normalised counts, scanpy's standard recipe.

    ``scanpy.pp.normalize_total`` (to the median depth), ``scanpy.pp.log1p``
    and ``scanpy.pp.pca`` on a copy of the counts; ``adata`` keeps its counts.
    This is the embedding :func:`impute_knn` and :func:`impute_diffusion`
    compute when they are not given one; store it once and pass ``use_rep``
    to reuse it across settings.

    Parameters
    ----------
    adata
        Raw counts in ``X`` or in ``layers[layer]``.
    n_pcs
        Number of components (capped at min(n_cells, n_genes) - 1).
    layer
        Layer holding the raw counts (``None``: ``X``).
    key_added
        The scores go to ``obsm[key_added]`` (default ``"X_pca"``) and the
        recipe, parameters and explained variance to ``uns[key_added]``.
    copy
        Return a new AnnData instead of writing into ``adata``.
    rng
        Seed or generator (for the PCA solver's start).

    Returns
    -------
    AnnData or None
        The new object if ``copy``, else ``None``.
    """
    x = _counts_csr("adata", adata, layer)
    n_pcs = integer("n_pcs", n_pcs, minimum=1)
    key = _key(key_added, "X_pca")
    copy = _flag("copy", copy)
    norm, _, target = _depth_normalise(x, adata.obs_names, _where("adata", layer))
    scores, pca = _pca(norm, n_pcs, as_generator(rng))
    info = {
        "method": "pca",
        "params": {
            "n_pcs": scores.shape[1],
            "layer": layer,
            "normalize_total": "median",
            "target_sum": target,
            "log1p": True,
        },
        "variance_ratio": np.asarray(pca["variance_ratio"]),
    }
    return _store(adata, copy, obsm={key: scores}, uns={key: info})


def _apply(op: sp.csr_matrix, values: np.ndarray, steps: int) -> np.ndarray:
    """``opˢᵗᵉᵖˢ @ values`` by repeated sparse–dense products, gene blocks on parallel threads."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    if steps == 0:
        return values
    n_blocks = max(1, min(os.cpu_count() or 1, 8, values.shape[1] // 64))
    edges = np.linspace(0, values.shape[1], n_blocks + 1).astype(int)
    blocks = [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]

    def run(cols: slice) -> np.ndarray:
        v = np.ascontiguousarray(values[:, cols])
        for _ in range(steps):
            v = op @ v
        return v

    if n_blocks == 1:
        return run(blocks[0])
    with ThreadPoolExecutor(n_blocks) as pool:  # scipy's sparse kernels release the GIL
        parts = list(pool.map(run, blocks))
    out = np.empty_like(values)
    for cols, part in zip(blocks, parts):
        out[:, cols] = part
    return out


def knn_graph(coords: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and distances of each point's ``k`` nearest points, itself first.

    Parameters
    ----------
    coords
        Points × dimensions.
    k
        Neighbours per point, counting the point itself (1 ≤ k ≤ number of points).

    Returns
    -------
    indices, distances
        Arrays of shape (points, k), sorted by distance; column 0 is the point.
    """
    from sklearn.neighbors import NearestNeighbors

    pts = finite_array("coords", coords, ndim=2)
    k = integer("k", k, minimum=1, maximum=pts.shape[0])
    # a common scale changes no neighbour; keep squared float32 distances finite and normal
    scale = float(np.abs(pts).max())
    rescale = not 1e-8 <= scale <= 1e8 and scale > 0
    if rescale:
        pts = pts / scale
    pts = pts.astype(np.float32)  # single precision halves the cost of the brute-force search
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(pts)
    dist, idx = nn.kneighbors(pts, return_distance=True)
    dist = dist.astype(np.float64)
    if rescale:
        dist *= scale
    # put each point itself in column 0 (ties at distance 0 may order it elsewhere)
    self_col = np.argmax(idx == np.arange(pts.shape[0])[:, None], axis=1)
    has_self = idx[np.arange(pts.shape[0]), self_col] == np.arange(pts.shape[0])
    swap = np.where(has_self, self_col, k - 1)
    rows = np.arange(pts.shape[0])
    idx[rows, swap] = idx[rows, 0]
    dist[rows, swap] = dist[rows, 0]
    idx[:, 0] = rows
    dist[:, 0] = 0.0
    return idx, dist


def knn_operator(indices: Any) -> sp.csr_matrix:
    """Row-stochastic sparse matrix averaging each cell over its listed neighbours equally."""
    idx = _neighbour_indices("indices", indices)
    n, k = idx.shape
    data = np.full(n * k, 1.0 / k)
    return sp.csr_matrix((data, idx.ravel(), np.arange(0, n * k + 1, k)), shape=(n, n))


def diffusion_operator(
    indices: Any, distances: Any, *, knn: int = 5, decay: float = 1.0
) -> sp.csr_matrix:
    """MAGIC-style Markov matrix from a kNN graph with an adaptive, α-decaying kernel.

    For each cell ``i`` the bandwidth ``σ_i`` is the distance to its ``knn``-th
    nearest neighbour (the cell itself counts as the first). The affinity to a
    listed neighbour ``j`` is ``exp(-(d_ij / σ_i)^decay)``; the kernel is
    symmetrised, ``K = (A + Aᵀ) / 2``, and normalised by rows into a Markov
    matrix ``M = D⁻¹K``. Neighbours beyond the columns of ``indices`` get zero
    affinity, which keeps ``M`` sparse (MAGIC lists ``3 · knn`` of them).

    Parameters
    ----------
    indices, distances
        From :func:`knn_graph` (points × listed neighbours, self first).
    knn
        Which neighbour sets the bandwidth (2 ≤ knn ≤ listed neighbours).
    decay
        The kernel's exponent α > 0; large α approaches a hard kNN cut-off.

    Returns
    -------
    scipy.sparse.csr_matrix
        The row-stochastic cells × cells matrix ``M``.

    References
    ----------
    van Dijk et al. (2018), *Cell* 174, 716–729.
    """
    idx = _neighbour_indices("indices", indices)
    dist = finite_array("distances", distances, ndim=2)
    if idx.shape != dist.shape:
        raise ValueError(
            f"indices and distances must have the same shape, got {idx.shape} and {dist.shape}"
        )
    if np.any(dist < 0):
        raise ValueError(f"distances must be non-negative, got a minimum of {dist.min()}")
    n, listed = idx.shape
    knn = integer("knn", knn, minimum=2, maximum=listed)
    decay = real("decay", decay, minimum=0, open_min=True)
    sigma = dist[:, knn - 1]
    sigma = np.where(sigma > 0, sigma, np.max(sigma[sigma > 0]) if np.any(sigma > 0) else 1.0)
    with np.errstate(over="ignore"):  # a huge decay: exp(-inf) = 0 beyond the bandwidth
        aff = np.exp(-((dist / sigma[:, None]) ** decay))
    a = sp.csr_matrix(
        (aff.ravel(), idx.ravel(), np.arange(0, n * listed + 1, listed)), shape=(n, n)
    )
    k = ((a + a.T) * 0.5).tocsr()
    rowsum = np.asarray(k.sum(axis=1)).ravel()
    return sp.csr_matrix(sp.diags(1.0 / rowsum) @ k)


# ---------------------------------------------------------------------------
# imputation
# ---------------------------------------------------------------------------


_SHARED_PARAMS = """
    layer
        Layer holding the raw counts (``None``: ``X``). Counts must be
        non-negative whole numbers; pass ``layer="counts"`` when ``X`` holds
        log-normalised values.
    key_added
        Where the result goes (default ``"imputed"``): the imputed expected
        counts (float32) in ``layers[key_added]`` and the method and its
        parameters in ``uns[key_added]``.
    copy
        Return a new AnnData instead of writing into ``adata`` and returning ``None``."""


def _smoothed(
    adata: AnnData,
    layer: str | None,
    operator_from_coords: Any,
    n_pcs: int,
    steps: int,
    rng: Any,
    use_rep: str | None,
) -> tuple[np.ndarray, sp.csr_matrix]:
    """Depth-scaled counts smoothed ``steps`` times, back at each cell's depth, and the operator."""
    x = _counts_csr("adata", adata, layer)
    gen = as_generator(rng)
    norm, depth, target = _depth_normalise(x, adata.obs_names, _where("adata", layer))
    del x
    if use_rep is None:
        coords, _ = _pca(norm, n_pcs, gen)
    else:
        if not isinstance(use_rep, str):
            raise TypeError(
                f"use_rep must be a key of adata.obsm (str) or None, got {type(use_rep).__name__}"
            )
        if use_rep not in adata.obsm:
            raise ValueError(f"use_rep {use_rep!r} is not in adata.obsm ({sorted(adata.obsm)})")
        coords = finite_array(f"obsm[{use_rep!r}]", np.asarray(adata.obsm[use_rep]), ndim=2)
        if coords.shape[0] != adata.n_obs:
            raise ValueError(f"obsm[{use_rep!r}] must have one row per cell")
        coords = coords[:, :n_pcs]
    op = operator_from_coords(coords)
    values = norm.astype(np.float32).toarray()  # cells × genes; the output is this size anyway
    del norm
    values = _apply(op.astype(np.float32), values, steps)
    values *= (depth / target).astype(np.float32)[:, None]
    return values, op


def _impute_result(
    adata: AnnData,
    key: str,
    copy: bool,
    values: np.ndarray,
    method: str,
    params: dict,
    operator: sp.csr_matrix | None = None,
) -> AnnData | None:
    obsp = None if operator is None else {f"{key}_operator": operator}
    return _store(
        adata,
        copy,
        layers={key: values.astype(np.float32, copy=False)},
        obsp=obsp,
        uns={key: {"method": method, "params": params}},
    )


def impute_knn(
    adata: AnnData,
    k: int = 15,
    *,
    layer: str | None = None,
    n_pcs: int = 30,
    use_rep: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: Any = None,
) -> AnnData | None:
    """Replace each cell by the average of its ``k`` nearest cells (itself included).

    Counts are scaled to the median depth, neighbours are found among
    principal-component scores of ``log1p`` of the scaled counts (:func:`embed`),
    the scaled counts are averaged over the ``k`` neighbours (equal weights),
    and the result is scaled back to each cell's own depth. ``k = 1`` returns
    the counts unchanged.

    Parameters
    ----------
    adata
        Raw counts in ``X`` or ``layers[layer]`` (sparse or dense).
    k
        Cells averaged, 1 ≤ k ≤ n_cells.
    n_pcs
        Principal components for the neighbour search.
    use_rep
        Key of ``adata.obsm`` holding precomputed coordinates (e.g. from
        :func:`embed`); its first ``n_pcs`` columns are used.{shared}
    rng
        Seed or generator (for the PCA).

    Returns
    -------
    AnnData or None
        The new object if ``copy``, else ``None``; either way the averaging
        matrix is stored in ``obsp[key_added + "_operator"]``.

    References
    ----------
    Wagner, Yan & Yanai (2018), bioRxiv 217737 (kNN smoothing).
    """
    _check_adata("adata", adata)
    k = integer("k", k, minimum=1, maximum=adata.n_obs)
    n_pcs = integer("n_pcs", n_pcs, minimum=1)
    key, copy = _key(key_added, "imputed"), _flag("copy", copy)
    values, op = _smoothed(
        adata, layer, lambda c: knn_operator(knn_graph(c, k)[0]), n_pcs, 1, rng, use_rep
    )
    params = {"k": k, "n_pcs": n_pcs, "use_rep": use_rep, "layer": layer}
    return _impute_result(adata, key, copy, values, "knn", params, op)


def impute_diffusion(
    adata: AnnData,
    *,
    t: int = 3,
    knn: int = 5,
    decay: float = 1.0,
    knn_max: int | None = None,
    n_pcs: int = 50,
    layer: str | None = None,
    use_rep: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: Any = None,
) -> AnnData | None:
    """MAGIC-style imputation: diffuse the depth-scaled counts ``t`` steps over the cell graph.

    The Markov matrix of :func:`diffusion_operator` (adaptive bandwidth at the
    ``knn``-th neighbour, kernel exponent ``decay``, ``knn_max`` neighbours
    listed per cell) is applied ``t`` times to the depth-scaled counts by
    sparse–dense products, ``M(M(M X))``; ``Mᵗ`` itself is never formed, so
    time and memory grow linearly with the number of cells (apart from the
    exact neighbour search). The result is scaled back to each cell's depth.
    ``t = 0`` returns the counts.

    Parameters
    ----------
    adata
        Raw counts in ``X`` or ``layers[layer]`` (sparse or dense).
    t
        Diffusion time, ≥ 0 (MAGIC's default is 3); a ``t`` whose products
        would take more than about a minute is refused up front.
    knn
        Neighbour that sets each cell's bandwidth (2 ≤ knn ≤ n_cells).
    decay
        Kernel exponent α > 0.
    knn_max
        Neighbours listed per cell (default ``3 · knn``, capped at n_cells).
    n_pcs
        Principal components for the neighbour search.
    use_rep
        Key of ``adata.obsm`` holding precomputed coordinates (e.g. from
        :func:`embed`); its first ``n_pcs`` columns are used.{shared}
    rng
        Seed or generator (for the PCA).

    Returns
    -------
    AnnData or None
        The new object if ``copy``, else ``None``; either way the one-step
        Markov matrix is stored in ``obsp[key_added + "_operator"]``.

    References
    ----------
    van Dijk et al. (2018), *Cell* 174, 716–729.
    """
    _check_adata("adata", adata)
    t = integer("t", t, minimum=0)
    knn = integer("knn", knn, minimum=2, maximum=adata.n_obs)
    decay = real("decay", decay, minimum=0, open_min=True)
    if knn_max is None:
        knn_max = min(3 * knn, adata.n_obs)
    knn_max = integer("knn_max", knn_max, minimum=knn, maximum=adata.n_obs)
    n_pcs = integer("n_pcs", n_pcs, minimum=1)
    # t sparse–dense products, each touching about knn_max entries per cell and gene
    check_work("t", float(t) * adata.n_obs * knn_max * adata.n_vars, what="t diffusion steps")
    key, copy = _key(key_added, "imputed"), _flag("copy", copy)

    def build(coords: np.ndarray) -> sp.csr_matrix:
        idx, dist = knn_graph(coords, knn_max)
        return diffusion_operator(idx, dist, knn=knn, decay=decay)

    values, op = _smoothed(adata, layer, build, n_pcs, t, rng, use_rep)
    params = {
        "t": t,
        "knn": knn,
        "decay": decay,
        "knn_max": knn_max,
        "n_pcs": n_pcs,
        "use_rep": use_rep,
        "layer": layer,
    }
    return _impute_result(adata, key, copy, values, "diffusion", params, op)


def impute_lowrank(
    adata: AnnData,
    rank: int = 10,
    *,
    layer: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
    rng: Any = None,
) -> AnnData | None:
    """ALRA-style imputation: a rank-``rank`` reconstruction of the log-scaled counts, thresholded.

    Counts are scaled to the median depth and ``log1p``-transformed; a
    truncated SVD (randomized, on the sparse matrix) gives the best rank-``rank``
    approximation. As in ALRA, each gene's reconstruction is set to zero
    wherever it falls below the magnitude of that gene's most negative
    reconstructed value — values that small are indistinguishable from the
    symmetric noise around a true zero — and observed non-zero counts that the
    threshold would remove are restored. The result is transformed back and
    scaled to each cell's depth. Before thresholding the reconstruction is
    ``UᵣUᵣᵀ`` applied to the cells, a linear operator of rank ``r``: like a
    smoother, it leaves at most ``r`` effectively independent cells.

    Parameters
    ----------
    adata
        Raw counts in ``X`` or ``layers[layer]`` (sparse or dense).
    rank
        Rank of the reconstruction, 1 ≤ rank < min(n_cells, n_genes).{shared}
    rng
        Seed or generator (for the randomized SVD).

    Returns
    -------
    AnnData or None
        The new object if ``copy``, else ``None``.

    References
    ----------
    Linderman et al. (2022), *Nat. Commun.* 13, 192.
    """
    from sklearn.utils.extmath import randomized_svd

    x = _counts_csr("adata", adata, layer)
    rank = integer("rank", rank, minimum=1, maximum=min(x.shape) - 1)
    key, copy = _key(key_added, "imputed"), _flag("copy", copy)
    gen = as_generator(rng)
    norm, depth, target = _depth_normalise(x, adata.obs_names, _where("adata", layer))
    logx = norm.astype(np.float64)
    logx.data = np.log1p(logx.data)
    u, s, vt = randomized_svd(logx, rank, n_iter=4, random_state=int(gen.integers(2**31)))
    rec = (u * s).astype(np.float32) @ vt.astype(np.float32)
    floor = np.abs(np.minimum(rec.min(axis=0), 0.0))
    rec[rec <= floor] = 0.0
    observed = logx.toarray().astype(np.float32)
    lost = (rec == 0) & (observed > 0)
    rec[lost] = observed[lost]
    values = np.expm1(rec) * (depth / target).astype(np.float32)[:, None]
    return _impute_result(adata, key, copy, values, "lowrank", {"rank": rank, "layer": layer})


def impute_prior(
    adata: AnnData,
    groups: Any,
    *,
    layer: str | None = None,
    key_added: str | None = None,
    copy: bool = False,
) -> AnnData | None:
    """Impute each gene from the other genes of its co-expression group (a gene prior).

    With depth-scaled counts ``x_cg``, gene means ``m_g`` and group sums
    ``S_c = Σ_{{h ∈ group(g)}} x_ch``, the imputed value is

    ``x̂_cg = m_g · (S_c - x_cg) / (Σ_{{h ∈ group(g)}} m_h - m_g)``,

    the gene's mean scaled by how active the *rest* of its group is in that
    cell (leave-one-out, so a hidden value does not vote for itself). If the
    groups are true co-expression modules, the rest of the group measures
    the cell's programme activity; if they are wrong, the estimate carries
    noise and invented structure. A gene alone in its group gets its mean.

    Parameters
    ----------
    adata
        Raw counts in ``X`` or ``layers[layer]`` (sparse or dense).
    groups
        One integer group label per gene (any integers).{shared}

    Returns
    -------
    AnnData or None
        The new object if ``copy``, else ``None``.
    """
    x = _counts_csr("adata", adata, layer)
    lab = np.asarray(groups)
    if lab.ndim != 1 or lab.size != x.shape[1]:
        raise ValueError(
            f"groups must have one label per gene ({x.shape[1]}), got shape {lab.shape}"
        )
    if not np.issubdtype(lab.dtype, np.integer):
        raise TypeError(f"groups must be integer labels, got dtype {lab.dtype}")
    key, copy = _key(key_added, "imputed"), _flag("copy", copy)
    _, code = np.unique(lab, return_inverse=True)
    norm, depth, target = _depth_normalise(x, adata.obs_names, _where("adata", layer))
    norm = norm.astype(np.float64)
    member = sp.csr_matrix((np.ones(code.size), (np.arange(code.size), code)))
    dense = norm.toarray()
    m = dense.mean(axis=0)
    rest_sum = (norm @ member).toarray()[:, code] - dense
    rest_mean = (m @ member)[code] - m
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(rest_mean > 0, m * rest_sum / rest_mean, m)
    values *= (depth / target)[:, None]
    params = {"groups": int(code.max() + 1), "layer": layer}
    return _impute_result(adata, key, copy, values, "prior", params)


for _f in (impute_knn, impute_diffusion, impute_lowrank, impute_prior):
    if _f.__doc__:  # absent under python -OO
        _f.__doc__ = (
            _f.__doc__.replace("{shared}", _SHARED_PARAMS).replace("{{", "{").replace("}}", "}")
        )
del _f


# ---------------------------------------------------------------------------
# scores
# ---------------------------------------------------------------------------


def _layer(name: str, adata: Any, layer: Any, arg: str = "layer") -> Any:
    """``adata.layers[layer]`` (``X`` for ``None``); ``arg`` is the parameter's name in messages."""
    if layer is None:
        return adata.X
    if not isinstance(layer, str):
        raise TypeError(f"{arg} must be a layer name (str) or None, got {type(layer).__name__}")
    if layer not in adata.layers:
        raise ValueError(
            f"{arg} = {layer!r} is not a layer of {name}; it has {sorted(adata.layers)}"
        )
    return adata.layers[layer]


def heldout_error(
    imputed: Any, truth_values: Any, positions: Any, *, layer: str = "imputed", log: bool = True
) -> float:
    """Root-mean-square error of imputed values at held-out positions.

    Parameters
    ----------
    imputed
        An AnnData (its ``layer`` is read) or a cells × genes array.
    truth_values
        What the hidden entries should be, one per position (the hidden counts,
        or the true expression in a simulation).
    positions
        A :class:`HiddenEntries` or a pair ``(rows, cols)`` of integer arrays.
    layer
        Layer holding the imputed values when ``imputed`` is an AnnData.
    log
        Compare on the ``log1p`` scale (default), where a count of 1 against 0
        weighs as much as 100 against 270; otherwise on the count scale.

    Returns
    -------
    float
        ``sqrt(mean((f(imputed) - f(truth))²))`` with ``f = log1p`` or identity.
        Scoring the masked data itself (all zeros there) gives the zero baseline.
    """
    from anndata import AnnData

    if isinstance(positions, HiddenEntries):
        rows, cols = positions.rows, positions.cols
    else:
        if hasattr(positions, "to_numpy"):  # a pandas frame: its rows, not its column labels
            positions = positions.to_numpy()
        try:
            rows, cols = positions
        except (TypeError, ValueError):
            raise TypeError("positions must be a HiddenEntries or a pair (rows, cols)") from None
    rows, cols = np.asarray(rows), np.asarray(cols)
    if (
        rows.shape != cols.shape
        or rows.ndim != 1
        or not (np.issubdtype(rows.dtype, np.integer) and np.issubdtype(cols.dtype, np.integer))
    ):
        raise ValueError("positions must be two 1-D integer arrays of equal length")
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be a bool, got {type(log).__name__}")
    if isinstance(imputed, AnnData):
        mat = _layer("imputed", imputed, layer)
    elif sp.issparse(imputed):
        mat = imputed
    else:
        mat = np.asarray(imputed)
        if mat.dtype == object or not np.issubdtype(mat.dtype, np.number):
            raise TypeError(
                f"imputed must be an AnnData or a numeric matrix, got dtype {mat.dtype}"
            )
    if mat.ndim != 2 or 0 in mat.shape:
        raise ValueError(f"imputed must be a non-empty cells × genes matrix, got shape {mat.shape}")
    shape = mat.shape
    if rows.size == 0:
        raise ValueError("positions must name at least one entry")
    if rows.min() < 0 or cols.min() < 0 or rows.max() >= shape[0] or cols.max() >= shape[1]:
        raise ValueError(f"positions must lie inside the matrix of shape {shape}")
    truth = finite_array("truth_values", truth_values, ndim=1)
    if truth.size != rows.size:
        raise ValueError(
            f"truth_values must have one value per position ({rows.size}), got {truth.size}"
        )
    if sp.issparse(mat):
        got = np.asarray(sp.csr_matrix(mat)[rows, cols]).ravel().astype(float)
    else:
        got = np.asarray(mat, dtype=float)[rows, cols]
    if not np.all(np.isfinite(got)):
        raise ValueError("imputed values must be finite")
    if log:
        if truth.min() < 0:
            raise ValueError(
                f"truth_values must be non-negative for log1p scoring, got {truth.min()}"
            )
        if got.min() < 0:
            raise ValueError(
                f"imputed values must be non-negative for log1p scoring, got {got.min()}"
            )
        got, truth = np.log1p(got), np.log1p(truth)
    return float(np.sqrt(np.mean((got - truth) ** 2)))


@dataclass(frozen=True)
class CorrelationInflation:
    """Gene–gene correlations of one gene set before and after imputation."""

    before: np.ndarray
    after: np.ndarray
    threshold: float

    @property
    def frac_before(self) -> float:
        """Share of pairs with ``|r| > threshold`` before imputation."""
        return float(np.mean(np.abs(self.before) > self.threshold))

    @property
    def frac_after(self) -> float:
        """Share of pairs with ``|r| > threshold`` after imputation."""
        return float(np.mean(np.abs(self.after) > self.threshold))


def _pair_correlations(name: str, mat: Any, cols: np.ndarray, normalise: bool) -> np.ndarray:
    sub = mat[:, cols]
    sub = sub.toarray() if sp.issparse(sub) else np.asarray(sub)
    sub = sub.astype(np.float64)
    if not np.all(np.isfinite(sub)):
        raise ValueError(f"{name} must be finite (no NaN or inf) for the chosen genes")
    if normalise:
        totals = np.asarray(mat.sum(axis=1)).ravel().astype(np.float64)
        if not np.all(np.isfinite(totals) & (totals > 0)):
            raise ValueError(
                f"normalise=True needs every cell of {name} to have a finite, positive total"
            )
        sub = sub / totals[:, None]
    sub = sub - sub.mean(axis=0)
    norms = np.sqrt((sub**2).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = sub / norms
    r = z.T @ z
    iu = np.triu_indices(len(cols), k=1)
    return r[iu]


def correlation_inflation(
    adata_before: AnnData,
    adata_after: AnnData,
    genes: Any,
    *,
    layer_before: str | None = None,
    layer_after: str = "imputed",
    threshold: float = 0.3,
    normalise: bool = True,
) -> CorrelationInflation:
    """Pearson correlations of every pair of ``genes``, before and after imputation.

    Parameters
    ----------
    adata_before, adata_after
        The data before (``X`` by default) and after imputation (``layers["imputed"]``).
    genes
        Gene names (in ``var_names``) or a boolean mask over genes; at least two.
    layer_before, layer_after
        Which matrices to correlate (``None`` means ``X``).
    threshold
        ``|r|`` above which a pair counts as strongly correlated, in (0, 1).
    normalise
        Divide each cell by its total in that matrix first (default), so that
        correlations compare expression *shares*, as an analysis of
        depth-normalised data would; the imputed layers of the smoothing
        methods then reduce exactly to the smoothed normalised values, and
        a cell's sequencing depth is not counted as a shared signal.

    Returns
    -------
    CorrelationInflation
        ``before`` and ``after`` (one r per pair, upper triangle order) and the
        shares above ``threshold``. A gene constant across cells gives NaN for
        its pairs, which count as not correlated.

    References
    ----------
    Andrews & Hemberg (2018), *F1000Research* 7, 1740.
    """
    _check_adata("adata_before", adata_before)
    _check_adata("adata_after", adata_after)
    if adata_before.shape != adata_after.shape or not adata_before.var_names.equals(
        adata_after.var_names
    ):
        raise ValueError("adata_before and adata_after must have the same cells and genes")
    threshold = real("threshold", threshold, minimum=0, maximum=1, open_min=True, open_max=True)
    try:
        g = np.atleast_1d(np.asarray(genes))
    except ValueError:  # ragged nested lists
        raise ValueError("genes must be a 1-D list of names or a boolean mask") from None
    if g.ndim != 1:
        raise ValueError(
            f"genes must be a 1-D list of names or a boolean mask, got shape {g.shape}"
        )
    if g.dtype == bool:
        if g.shape != (adata_before.n_vars,):
            raise ValueError(f"a boolean genes mask must have {adata_before.n_vars} entries")
        cols = np.flatnonzero(g)
    else:
        if g.size and not (np.issubdtype(g.dtype, np.str_) or g.dtype == object):
            raise TypeError(f"genes must be gene names or a boolean mask, got dtype {g.dtype}")
        missing = [str(n) for n in g if n not in adata_before.var_names]
        if missing:
            raise ValueError(f"genes not in var_names: {missing[:5]}")
        cols = adata_before.var_names.get_indexer(g)
    if cols.size < 2:
        raise ValueError(f"genes must name at least 2 genes, got {cols.size}")
    if not isinstance(normalise, (bool, np.bool_)):
        raise TypeError(f"normalise must be a bool, got {type(normalise).__name__}")
    mat_before = _layer("adata_before", adata_before, layer_before, "layer_before")
    mat_after = _layer("adata_after", adata_after, layer_after, "layer_after")
    before = _pair_correlations("layer_before (adata_before)", mat_before, cols, normalise)
    after = _pair_correlations("layer_after (adata_after)", mat_after, cols, normalise)
    return CorrelationInflation(before=before, after=after, threshold=threshold)


def effective_sample_size(operator: Any, steps: int = 1) -> float:
    """Effective number of independent cells left after smoothing with ``Wᵗ``.

    If a smoother ``W`` (rows summing to 1) is applied to two genes that are
    independent with exchangeable cells, the centred results ``u, v`` satisfy
    ``E[(uᵀv)²] / (E|u|² E|v|²) = tr(A²) / tr(A)²`` with ``A = (Wᵗ)ᵀ C Wᵗ`` and
    ``C`` the centring matrix. Its inverse, ``n_eff = tr(A)² / tr(A²)``, is the
    sample size whose null correlations are as spread out: ``E[r²] ≈ 1/n_eff``
    (exactly ``1/(n-1)`` when ``W`` is the identity). Computed from
    ``B = C Wᵗ`` via ``tr(A) = ‖B‖_F²`` and ``tr(A²) = ‖BᵀB‖_F²``; this needs a
    dense cells × cells product, so use it on modest data (a few thousand cells).

    Parameters
    ----------
    operator
        The one-step smoother ``W`` (square, sparse or dense, rows summing to 1).
    steps
        The power ``t`` ≥ 0. The dense cells × cells matrix must fit in 1 GiB
        (about 11 000 cells) and the ``t`` products in about a minute of work;
        larger requests are refused up front.

    Returns
    -------
    float
        ``n_eff``, between 1 and ``n - 1``.
    """
    w = (
        sp.csr_matrix(operator, dtype=np.float64)
        if sp.issparse(operator)
        else sp.csr_matrix(finite_array("operator", operator, ndim=2))
    )
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"operator must be square, got shape {w.shape}")
    if not np.allclose(np.asarray(w.sum(axis=1)).ravel(), 1.0, atol=1e-8):
        raise ValueError("operator rows must sum to 1 (a smoother)")
    steps = integer("steps", steps, minimum=0)
    n = w.shape[0]
    check_memory("operator", float(n) * n, what="a dense cells × cells matrix")
    check_work("steps", float(steps) * w.nnz * n, what="steps sparse–dense products")
    wt = np.eye(n)
    for _ in range(steps):  # Wᵗ by sparse–dense products
        wt = w @ wt
    b = wt - wt.mean(axis=0)
    a = b.T @ b
    tr = np.trace(a)
    if not tr > 1e-20 * np.sum(wt * wt):  # below this, b is rounding noise
        raise ValueError(
            f"operator to the power steps = {steps} leaves no difference between cells "
            f"(it maps every cell to the same average, or there is a single cell), "
            "so n_eff is undefined"
        )
    return float(tr**2 / np.sum(a * a))


def nearest_type(
    adata: AnnData,
    *,
    labels_key: str = "cell_type",
    layer: str | None = "imputed",
    reference: str = "truth",
) -> np.ndarray:
    """Assign each cell to the type whose true mean profile is nearest to the cell's profile.

    Centroids are the mean ``log1p`` of ``reference`` (the true expression in a
    simulation) over the cells of each label in ``obs[labels_key]``; each
    cell's ``log1p`` profile in ``layer`` is assigned to the nearest centroid
    (Euclidean distance). Comparing the result with the true labels tells
    whether a cell still looks like its own type after imputation.

    Parameters
    ----------
    adata
        Holds the labels and both layers (``None`` means ``X``).
    labels_key
        Column of ``obs`` with the true types.
    layer, reference
        The profiles to assign and the layer that defines the centroids.

    Returns
    -------
    numpy.ndarray
        One label per cell (the categories of ``obs[labels_key]``).
    """
    _check_adata("adata", adata)
    if not isinstance(labels_key, str):
        raise TypeError(f"labels_key must be a column name (str), got {type(labels_key).__name__}")
    if labels_key not in adata.obs:
        raise ValueError(f"labels_key = {labels_key!r} is not a column of adata.obs")
    labels = np.asarray(adata.obs[labels_key])
    names, code = np.unique(labels, return_inverse=True)

    def logged(arg: str, mat: Any) -> np.ndarray:
        arr = mat.toarray() if sp.issparse(mat) else np.asarray(mat, dtype=float)
        arr = arr.astype(np.float64)
        if not np.all(np.isfinite(arr)) or arr.min() < 0:
            raise ValueError(f"{arg} must hold finite, non-negative expression values")
        return np.log1p(arr)

    ref = logged("reference", _layer("adata", adata, reference, "reference"))
    member = sp.csr_matrix((np.ones(code.size), (code, np.arange(code.size))))
    centroids = (member @ ref) / np.bincount(code)[:, None]
    prof = logged("layer", _layer("adata", adata, layer, "layer"))
    d2 = (
        (prof**2).sum(axis=1)[:, None]
        - 2 * prof @ centroids.T
        + (centroids**2).sum(axis=1)[None, :]
    )
    return names[np.argmin(d2, axis=1)]
