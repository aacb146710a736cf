"""Missing measurements: why values are missing, pooling multiple imputations, paired modalities.

What scikit-learn already provides (``SimpleImputer``, ``KNNImputer``,
``IterativeImputer``, ``PLSRegression``, ``CCA``) the book uses directly. This
module adds only what the chapter *Missing measurements* needs in several
places and scikit-learn lacks:

* :func:`missing_mask` hides an exact share of a column's values under one of
  Rubin's (1976) mechanisms: completely at random (MCAR), at random given
  other observed columns (MAR), or depending on the hidden value itself (MNAR);
* :func:`pool_rubin` combines the estimates of multiple imputations with
  Rubin's (1987) rules into one estimate, standard error and interval;
* :func:`simulate_cite` simulates paired RNA and surface-protein counts per
  cell (a CITE-seq-like experiment, Stoeckius et al. 2017), keeping the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validate import RNGLike, as_generator, bounded_array, finite_array, integer, real

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


def _standardise(v: np.ndarray) -> np.ndarray:
    sd = v.std()
    return (v - v.mean()) / sd if sd > 0 else np.zeros_like(v)


def missing_mask(
    X: Any,
    fraction: float,
    mechanism: str,
    *,
    column: int,
    driver: int | None = None,
    strength: float = 1.0,
    rng: RNGLike = None,
) -> np.ndarray:
    """Hide exactly ``round(fraction · n)`` values of one column, by a chosen mechanism.

    Row ``i`` is hidden with a weight ``exp(strength · z_i)``: ``z`` is zero
    for ``"MCAR"`` (every row alike), the standardised value of the observed
    ``driver`` column for ``"MAR"``, and the standardised hidden value itself
    for ``"MNAR"``. Rows are drawn without replacement in proportion to these
    weights (the Gumbel top-k trick), so the share hidden is exact and only the
    choice of rows depends on the mechanism.

    Parameters
    ----------
    X
        Complete data, rows × columns (finite numbers).
    fraction
        Share of the column's values to hide, in [0, 1].
    mechanism
        ``"MCAR"``, ``"MAR"`` or ``"MNAR"``.
    column
        The column whose values are hidden.
    driver
        For ``"MAR"``: the observed column the chance of hiding depends on
        (must differ from ``column``). Ignored otherwise.
    strength
        How strongly the weight depends on ``z`` (≥ 0; 0 makes every
        mechanism MCAR). Positive: large values are hidden more often.
    rng
        Seed or generator.

    Returns
    -------
    numpy.ndarray
        Boolean array of ``X``'s shape, ``True`` where a value is hidden.
    """
    data = finite_array("X", X, ndim=2)
    n, p = data.shape
    fraction = real("fraction", fraction, minimum=0.0, maximum=1.0)
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}")
    column = integer("column", column, minimum=0, maximum=p - 1)
    strength = real("strength", strength, minimum=0.0, maximum=50.0)
    gen = as_generator(rng)
    if mechanism == "MCAR":
        z = np.zeros(n)
    elif mechanism == "MAR":
        if driver is None:
            raise ValueError("driver must name an observed column for mechanism 'MAR'")
        driver = integer("driver", driver, minimum=0, maximum=p - 1)
        if driver == column:
            raise ValueError("driver must differ from column: MAR depends on observed values")
        z = _standardise(data[:, driver])
    else:
        z = _standardise(data[:, column])
    keys = strength * z + gen.gumbel(size=n)
    hidden = np.zeros((n, p), dtype=bool)
    k = int(round(fraction * n))
    hidden[np.argsort(-keys, kind="stable")[:k], column] = True
    return hidden


@dataclass(frozen=True)
class Pooled:
    """Rubin's rules applied to ``m`` imputations.

    Attributes
    ----------
    estimate
        Mean of the ``m`` estimates.
    within, between
        Mean of the ``m`` variances (within-imputation) and the variance of
        the estimates across imputations (between-imputation).
    total
        ``within + (1 + 1/m) · between``.
    df
        Degrees of freedom of the t reference distribution (Rubin 1987).
    m
        Number of imputations.
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

    @property
    def missing_information(self) -> float:
        """Share of the total variance due to the missing values, ``(1 + 1/m) B / T``."""
        return float((1 + 1 / self.m) * self.between / self.total) if self.total > 0 else 0.0

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Two-sided confidence interval at ``level`` from the t distribution."""
        from scipy import stats

        level = real("level", level, minimum=0.0, maximum=1.0, open_min=True, open_max=True)
        half = float(stats.t.ppf(0.5 + level / 2, self.df)) * self.se
        return self.estimate - half, self.estimate + half


def pool_rubin(estimates: Any, variances: Any) -> Pooled:
    """Pool one estimate from each of ``m ≥ 2`` imputed data sets with Rubin's rules.

    Parameters
    ----------
    estimates
        The ``m`` point estimates (e.g. a regression coefficient per imputation).
    variances
        Their ``m`` squared standard errors.

    Returns
    -------
    Pooled
        ``estimate = mean(q)``, ``total = W + (1 + 1/m) B`` and degrees of
        freedom ``(m - 1)(1 + W / ((1 + 1/m) B))²`` (infinite when ``B = 0``).

    References
    ----------
    Rubin, D. B. (1987). *Multiple Imputation for Nonresponse in Surveys*. Wiley.
    """
    # Rubin's rules square the estimates; beyond 1e150 the between variance leaves float64.
    q = bounded_array("estimates", estimates, max_abs=1e150, ndim=1, min_size=2)
    u = bounded_array("variances", variances, max_abs=1e300, ndim=1, min_size=2)
    if q.shape != u.shape:
        raise ValueError(
            f"estimates and variances must have the same length, got {q.size} and {u.size}"
        )
    if np.any(u < 0):
        raise ValueError("variances must be ≥ 0")
    m = q.size
    within, between = float(u.mean()), float(q.var(ddof=1))
    total = within + (1 + 1 / m) * between
    # With no spread between imputations the reference distribution is normal (df = ∞);
    # a ratio beyond 1e150 would overflow the square and means the same thing.
    ratio = within / ((1 + 1 / m) * between) if between > 0 else float("inf")
    df = (m - 1) * (1 + ratio) ** 2 if ratio < 1e150 else float("inf")
    return Pooled(float(q.mean()), within, between, total, float(df), m)


#: Cell types of :func:`simulate_cite`.
CITE_TYPES = ("T cell", "B cell", "monocyte", "NK cell")
#: Surface proteins that :func:`simulate_cite` measures.
CITE_PROTEINS = ("CD3", "CD19", "CD14", "CD56", "CD4", "CD45")
# Mean RNA expression (arbitrary units) of each protein's gene, by cell type.
_RNA_MEAN = np.array(
    [
        #  CD3E  CD19  CD14  NCAM1  CD4  PTPRC
        [8.0, 0.2, 0.2, 0.5, 4.0, 10.0],  # T cell
        [0.2, 6.0, 0.2, 0.2, 0.2, 10.0],  # B cell
        [0.2, 0.2, 9.0, 0.2, 4.0, 8.0],  # monocyte
        [1.0, 0.2, 0.2, 6.0, 0.2, 10.0],  # NK cell
    ]
)
# Protein made per unit of RNA: cell-type specific (monocytes make little CD4 per RNA).
_TRANSLATION = np.array(
    [
        [30.0, 30.0, 30.0, 30.0, 30.0, 20.0],
        [30.0, 30.0, 30.0, 30.0, 30.0, 20.0],
        [30.0, 30.0, 30.0, 30.0, 6.0, 20.0],
        [30.0, 30.0, 30.0, 40.0, 30.0, 20.0],
    ]
)


def simulate_cite(
    n_cells: int,
    *,
    n_background_genes: int = 40,
    shares: Any = (0.45, 0.2, 0.25, 0.1),
    capture: float = 0.3,
    background: float = 5.0,
    noise: float = 0.5,
    rng: RNGLike = None,
) -> AnnData:
    """Simulate paired RNA and surface-protein counts, with the truth kept.

    Each cell has a type, and for every gene a latent expression level: the
    type's mean times a log-normal cell-to-cell factor (SD ``noise`` on the
    log scale). RNA counts are Poisson with mean ``capture`` × level × the
    cell's sequencing depth; each protein's count is Poisson with mean
    ``background`` plus a type-specific translation rate × its gene's latent
    level (monocytes translate CD4 RNA into five times less protein). The
    first six genes code the six proteins; the rest are background genes with
    type-specific means that carry the type signal.

    Parameters
    ----------
    n_cells
        Number of cells (1 to 10⁶).
    n_background_genes
        Genes besides the six protein-coding ones (0 to 10 000).
    shares
        Share of each type in :data:`CITE_TYPES` (non-negative, summing to 1).
    capture
        Share of a gene's molecules captured as RNA counts, in (0, 1].
    background
        Mean protein count of a cell that does not express the protein (≥ 0).
    noise
        Log-scale SD of cell-to-cell variation (≥ 0).
    rng
        Seed or generator.

    Returns
    -------
    anndata.AnnData
        ``X``: RNA counts (cells × genes); ``obs["cell_type"]``;
        ``obsm["protein"]``: protein counts (cells × 6, columns
        :data:`CITE_PROTEINS`); ``obsm["protein_mean"]``: their true expected
        values; ``uns["translation"]``: the rates; ``var["protein"]`` names the
        protein a gene codes ("" for background genes).
    """
    import anndata as ad
    import pandas as pd

    n_cells = integer("n_cells", n_cells, minimum=1, maximum=10**6)
    n_bg = integer("n_background_genes", n_background_genes, minimum=0, maximum=10_000)
    if n_cells * (n_bg + 6) > 10**8:
        raise ValueError(
            f"n_cells × genes must be ≤ 1e8 (about 0.8 GB), got {n_cells * (n_bg + 6):.3g}"
        )
    p = finite_array("shares", shares, ndim=1)
    if p.size != len(CITE_TYPES) or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError(f"shares must be {len(CITE_TYPES)} non-negative numbers summing to 1")
    capture = real("capture", capture, minimum=0.0, maximum=1.0, open_min=True)
    background = real("background", background, minimum=0.0, maximum=1e6)
    noise = real("noise", noise, minimum=0.0, maximum=5.0)
    gen = as_generator(rng)

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
    obs = pd.DataFrame(
        {"cell_type": pd.Categorical.from_codes(kinds, categories=list(CITE_TYPES))},
        index=[f"cell{i}" for i in range(n_cells)],
    )
    adata = ad.AnnData(X=rna.astype(np.float32), obs=obs, var=var)
    adata.obsm["protein"] = protein.astype(np.float32)
    adata.obsm["protein_mean"] = protein_mean
    adata.uns["translation"] = pd.DataFrame(
        _TRANSLATION, index=list(CITE_TYPES), columns=list(CITE_PROTEINS)
    )
    return adata
