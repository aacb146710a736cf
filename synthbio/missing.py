"""Missing measurements: masks by Rubin's mechanisms, Rubin's pooling rules, paired modalities.

scikit-learn provides the imputers. Here: :func:`missing_mask` (MCAR, MAR, MNAR; Rubin 1976),
:func:`pool_rubin` (Rubin 1987) and :func:`simulate_cite` (paired RNA and protein counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from ._validate import RNGLike

if TYPE_CHECKING:  # pragma: no cover
    from anndata import AnnData

__all__ = [
    "MECHANISMS",
    "missing_mask",
    "Pooled",
    "pool_rubin",
    "CITE_TYPES",
    "CITE_PROTEINS",
    "simulate_cite",
]

#: Rubin's missingness mechanisms.
MECHANISMS = ("MCAR", "MAR", "MNAR")


@v.checked(
    X=v.Array(ndim=2),
    fraction=v.Real(0.0, 1.0),
    mechanism=v.OneOf(*MECHANISMS),
    column=v.Int(min=0),
    driver=v.Int(min=0, optional=True),
    strength=v.Real(0.0, 50.0),
    rng=v.Seed(),
)
def missing_mask(
    X: ArrayLike,
    fraction: float,
    mechanism: str,
    *,
    column: int,
    driver: int | None = None,
    strength: float = 1.0,
    rng: RNGLike = None,
) -> np.ndarray:
    """A boolean mask of ``X``'s shape hiding exactly ``round(fraction · n)`` rows of ``column``.

    Row ``i`` is hidden with weight ``exp(strength · z_i)``: ``z`` is zero for ``"MCAR"``,
    the standardised ``driver`` column (another, observed column) for ``"MAR"`` and the
    standardised hidden value itself for ``"MNAR"``. Rows are drawn without replacement in
    proportion to the weights (the Gumbel top-k trick), so only their choice differs.
    """
    data = np.asarray(X)
    n, p = data.shape
    if column >= p:
        raise ValueError(f"column must be a column of X (0 to {p - 1}), got {column}")
    if mechanism == "MAR" and (driver is None or driver >= p or driver == column):
        raise ValueError(f"driver must be another column of X (0 to {p - 1}) for MAR")
    source = {"MCAR": None, "MAR": driver, "MNAR": column}[mechanism]
    z = np.zeros(n) if source is None else data[:, source]
    z = (z - z.mean()) / z.std() if z.std() > 0 else np.zeros(n)
    keys = strength * z + np.random.default_rng(rng).gumbel(size=n)
    hidden = np.zeros((n, p), dtype=bool)
    hidden[np.argsort(-keys, kind="stable")[: round(fraction * n)], column] = True
    return hidden


@dataclass(frozen=True)
class Pooled:
    """Rubin's rules for ``m`` imputations (see :func:`pool_rubin`).

    ``total = within + (1 + 1/m) between``; ``df`` is that of the t reference distribution.
    """

    estimate: float
    within: float
    between: float
    total: float
    df: float
    m: int

    @property
    def se(self) -> float:
        """Standard error, the square root of the total variance."""
        return float(np.sqrt(self.total))

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Two-sided confidence interval at ``level`` from the t distribution."""
        from scipy import stats

        level = v.Real(0.0, 1.0, open_min=True, open_max=True)("level", level)
        half = float(stats.t.ppf(0.5 + level / 2, self.df)) * self.se
        return self.estimate - half, self.estimate + half


@v.checked(
    estimates=v.Array(ndim=1, min_size=2, max_abs=1e150),  # squared: 1e300 stays finite
    variances=v.Array(ndim=1, min_size=2, max_abs=1e100),
)
def pool_rubin(estimates: ArrayLike, variances: ArrayLike) -> Pooled:
    """Pool one estimate and its variance from each of ``m ≥ 2`` imputed data sets.

    ``df = (m - 1)(1 + W / ((1 + 1/m) B))²``, infinite when ``B = 0`` (Rubin, D. B. (1987).
    *Multiple Imputation for Nonresponse in Surveys*. Wiley).
    """
    q, u = np.asarray(estimates), np.asarray(variances)
    if q.shape != u.shape or np.any(u < 0):
        raise ValueError("estimates and variances must have one length, and variances be ≥ 0")
    m = q.size
    within, between = float(u.mean()), float(q.var(ddof=1))
    total = within + (1 + 1 / m) * between
    # no spread between imputations (or a ratio whose square overflows): df = ∞, a normal
    ratio = within / ((1 + 1 / m) * between) if between > 0 else float("inf")
    df = (m - 1) * (1 + ratio) ** 2 if ratio < 1e150 else float("inf")
    return Pooled(float(q.mean()), within, between, total, float(df), m)


#: Cell types of :func:`simulate_cite`.
CITE_TYPES = ("T cell", "B cell", "monocyte", "NK cell")
#: Surface proteins that :func:`simulate_cite` measures.
CITE_PROTEINS = ("CD3", "CD19", "CD14", "CD56", "CD4", "CD45")
# Mean RNA expression (arbitrary units) of each protein's gene (CD3E CD19 CD14 NCAM1 CD4
# PTPRC), by cell type, and protein made per unit of RNA (monocytes make little CD4 per RNA).
_RNA_MEAN = np.array(
    [
        [8.0, 0.2, 0.2, 0.5, 4.0, 10.0],
        [0.2, 6.0, 0.2, 0.2, 0.2, 10.0],
        [0.2, 0.2, 9.0, 0.2, 4.0, 8.0],
        [1.0, 0.2, 0.2, 6.0, 0.2, 10.0],
    ]
)
_TRANSLATION = np.full((4, 6), 30.0)
_TRANSLATION[:, 5] = 20.0  # CD45
_TRANSLATION[2, 4], _TRANSLATION[3, 3] = 6.0, 40.0  # monocytes' CD4, NK cells' CD56


@v.checked(
    n_cells=v.Int(1, 10**6),
    n_background_genes=v.Int(0, 10_000),
    shares=v.Array(ndim=1),
    capture=v.Real(0.0, 1.0, open_min=True),
    background=v.Real(0.0, 1e6),
    noise=v.Real(0.0, 5.0),
    rng=v.Seed(),
)
def simulate_cite(
    n_cells: int,
    *,
    n_background_genes: int = 40,
    shares: ArrayLike = (0.45, 0.2, 0.25, 0.1),
    capture: float = 0.3,
    background: float = 5.0,
    noise: float = 0.5,
    rng: RNGLike = None,
) -> AnnData:
    """Paired RNA and surface-protein counts per cell, with the truth kept.

    A cell's type is drawn with probabilities ``shares`` (:data:`CITE_TYPES`); each gene's
    latent level is the type's mean times a log-normal factor (SD ``noise``). RNA counts are
    Poisson(``capture`` × level × depth); protein counts are Poisson(``background`` + a
    type-specific rate × the level of the protein's gene, one of the first six genes).
    Returns an AnnData: RNA in ``X``, ``obs["cell_type"]``, protein counts in
    ``obsm["protein"]`` (columns :data:`CITE_PROTEINS`), their means in
    ``obsm["protein_mean"]``, the rates in ``uns["translation"]`` and ``var["protein"]``.
    """
    import anndata as ad
    import pandas as pd

    n_bg = n_background_genes
    v.check_memory("n_cells, n_background_genes", 2.0 * n_cells * (n_bg + 6))
    p = np.asarray(shares)
    if p.size != len(CITE_TYPES) or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError(f"shares must be {len(CITE_TYPES)} non-negative numbers summing to 1")
    gen = np.random.default_rng(rng)
    kinds = gen.choice(len(CITE_TYPES), size=n_cells, p=p / p.sum())
    bg_means = gen.gamma(2.0, 1.5, size=(len(CITE_TYPES), n_bg))
    means = np.hstack([_RNA_MEAN, bg_means])[kinds]
    level = means * np.exp(noise * gen.standard_normal(means.shape) - noise**2 / 2)
    depth = np.exp(0.3 * gen.standard_normal((n_cells, 1)))
    rna = gen.poisson(capture * level * depth)
    protein_mean = background + _TRANSLATION[kinds] * level[:, :6]
    protein = gen.poisson(protein_mean)

    genes = ["CD3E", "CD19", "CD14", "NCAM1", "CD4", "PTPRC"] + [f"G{i}" for i in range(n_bg)]
    var = pd.DataFrame({"protein": list(CITE_PROTEINS) + [""] * n_bg}, index=genes)
    kind = pd.Categorical.from_codes(kinds, categories=list(CITE_TYPES))
    obs = pd.DataFrame({"cell_type": kind}, index=[f"cell{i}" for i in range(n_cells)])
    adata = ad.AnnData(X=rna.astype(np.float32), obs=obs, var=var)
    adata.obsm["protein"] = protein.astype(np.float32)
    adata.obsm["protein_mean"] = protein_mean
    rates = pd.DataFrame(_TRANSLATION, index=list(CITE_TYPES), columns=list(CITE_PROTEINS))
    adata.uns["translation"] = rates
    return adata
