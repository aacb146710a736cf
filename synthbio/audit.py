"""Audits of synthetic data, which ask whether a generated sample looks like the real thing.

A generated cell that "looks right" on a two-dimensional plot has passed the
weakest test there is. This module holds the tests a reviewer should ask for
instead, each comparing a set of real points with a set of synthetic points
in the same feature space (for cells: normalised expression reduced by PCA):

* :func:`c2st_auc` — a classifier two-sample test: can a classifier tell the
  two sets apart? (ROC AUC 0.5 = no), with a calibrated permutation p-value;
* :func:`mmd` — the kernel maximum mean discrepancy, optionally with a
  permutation p-value, and the closed form :func:`mmd_gaussians` for two
  isotropic normal distributions;
* :func:`precision_recall` — how much of the synthetic set lies on the real
  manifold, and how much of the real set the synthetic one covers;
* :func:`nearest_real_distance` — copies of real points on one side, points
  far from any real point on the other;
* :func:`tstr` — train on synthetic, test on real.

It also holds the generators the chapter audits (:func:`fit_generator`, a
Gaussian mixture or probabilistic PCA, and the class-conditional
:func:`sample_by_class`) and two small mechanistic simulators with a known
truth: a branching differentiation, :func:`simulate_branching`, read by
:func:`diffusion_pseudotime`; and a transcription factor spanning three
decades with a Hill-type target, :func:`simulate_tf_hill`, measured by
:func:`top_decade_share`.

References
----------
Lopez-Paz, D. and Oquab, M. (2017). Revisiting classifier two-sample tests.
ICLR. arXiv:1610.06545.

Gretton, A., Borgwardt, K. M., Rasch, M. J., Schölkopf, B. and Smola, A.
(2012). A kernel two-sample test. *JMLR* 13, 723–773.

Kynkäänniemi, T., Karras, T., Laine, S., Lehtinen, J. and Aila, T. (2019).
Improved precision and recall metric for assessing generative models.
NeurIPS. arXiv:1904.06991.

Tipping, M. E. and Bishop, C. M. (1999). Probabilistic principal component
analysis. *J. R. Stat. Soc. B* 61, 611–622.

Haghverdi, L., Büttner, M., Wolf, F. A., Buettner, F. and Theis, F. J. (2016).
Diffusion pseudotime robustly reconstructs lineage branching. *Nature
Methods* 13, 845–848.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import (
    as_generator,
    bounded_array,
    check_memory,
    finite_array,
    integer,
    labels_array,
    positive_real,
)
from ._validate import real as _real

__all__ = [
    "C2STResult",
    "CellGenerator",
    "MMDResult",
    "PrecisionRecall",
    "TFHillData",
    "TSTRResult",
    "Trajectory",
    "audit_summary",
    "c2st_auc",
    "diffusion_pseudotime",
    "fit_generator",
    "hill",
    "mmd",
    "mmd_gaussians",
    "nearest_real_distance",
    "neighbour_purity",
    "on_real_manifold",
    "precision_recall",
    "sample_by_class",
    "simulate_branching",
    "simulate_tf_hill",
    "top_decade_audit",
    "top_decade_share",
    "tstr",
]


# ---------------------------------------------------------------------------
# argument checks
# ---------------------------------------------------------------------------


def _pair(
    real_x: Any,
    synthetic: Any,
    *,
    names: tuple[str, str] = ("real", "synthetic"),
    min_rows: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    a = finite_array(names[0], real_x, ndim=2)
    b = finite_array(names[1], synthetic, ndim=2)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of features (columns), "
            f"got {a.shape[1]} and {b.shape[1]}"
        )
    for name, arr in zip(names, (a, b)):
        if arr.shape[0] < min_rows:
            raise ValueError(
                f"{name} must have at least {min_rows} rows (points), got {arr.shape[0]}"
            )
    return a, b


#: Largest coordinate accepted where squares of points are summed (fits, standardisation).
_MAX_ABS = 1e100
#: Beyond this magnitude, points are rescaled before neighbour searches (neighbours and
#: distance ratios do not change with a common scale; squared distances would overflow).
_RESCALE_ABOVE = 1e100


def _rescaled(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The arrays divided by their common largest magnitude when it exceeds 1e100."""
    scale = max(float(np.abs(a).max()) if a.size else 0.0 for a in arrays)
    if scale <= _RESCALE_ABOVE:
        return arrays
    return tuple(a / scale for a in arrays)


def _labels(name: str, value: Any, n: int) -> np.ndarray:
    arr = labels_array(name, value)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be one label per row ({n} labels), got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.inexact) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must not contain NaN or inf (a missing label is not a class)")
    return arr


def _sqdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared distances from differences (inf where they overflow, exact where small)."""
    from scipy.spatial.distance import cdist

    return cdist(a, b, "sqeuclidean")


# ---------------------------------------------------------------------------
# classifier two-sample test
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class C2STResult:
    """Outcome of :func:`c2st_auc`.

    Attributes
    ----------
    auc
        Cross-validated ROC AUC of the classifier telling synthetic (positive)
        from real; 0.5 means the two sets cannot be told apart.
    p_value
        One-sided permutation p-value of ``auc`` against the null hypothesis
        that both sets come from one distribution,
        ``(1 + #{null AUC ≥ auc}) / (1 + permutations)``.
    null_mean, null_sd
        Mean and standard deviation of the permutation null AUCs.
    n_real, n_synthetic
        Sizes of the two sets.
    """

    auc: float
    p_value: float
    null_mean: float
    null_sd: float
    n_real: int
    n_synthetic: int


_C2ST_CHUNK = 4_000_000  # elements of one (points, neighbours, permutations) block
_C2ST_SLACK = 6.0  # neighbour-list margin, in binomial SDs (0 forces the exact fallback often)


def _stratified_folds(labels: np.ndarray, folds: int, gen: np.random.Generator) -> np.ndarray:
    """A fresh stratified fold assignment for every row of ``labels`` (rows × points).

    Within each row the points are shuffled within their class, the classes laid
    end to end and the folds dealt round-robin, so that every fold holds each
    class in proportion (sizes differ by at most one), as StratifiedKFold does.
    """
    order = np.lexsort((gen.random(labels.shape), labels), axis=-1)
    out = np.empty(labels.shape, np.int16)
    deal = np.broadcast_to(np.arange(labels.shape[1]) % folds, labels.shape).astype(np.int16)
    np.put_along_axis(out, order, deal, axis=-1)
    return out


def _knn_oof_aucs(
    x: np.ndarray, labels: np.ndarray, fold: np.ndarray, k: int, n_pos: int
) -> np.ndarray:
    """Out-of-fold k-NN ROC AUC for each row of ``labels`` with its own folds ``fold``.

    The neighbours of every point among all others are found once; a point's
    k nearest training neighbours under a given split are then its first k
    listed neighbours outside its own fold. A point with fewer than k of them
    in the list (rare by the choice of the list's length) gets an exact search.
    """
    from scipy.stats import rankdata
    from sklearn.neighbors import NearestNeighbors

    n_pts = x.shape[0]
    same = (int(np.bincount(fold[0]).max()) - 1) / (n_pts - 1)  # share of others in own fold
    # long enough that fewer than k outside the own fold is ~6 binomial SDs out
    want = int(np.ceil((k + _C2ST_SLACK * (np.sqrt(k + 1) + 1)) / (1 - same)))
    width = min(n_pts - 1, want)
    nbr = NearestNeighbors(n_neighbors=width).fit(x).kneighbors(return_distance=False)
    lab_t = np.ascontiguousarray(labels.T)  # points × permutations: the inner loop is contiguous
    fold_t = np.ascontiguousarray(fold.T)
    votes = np.empty(lab_t.shape, np.int32)
    step = max(1, _C2ST_CHUNK // (labels.shape[0] * width))
    for s in range(0, n_pts, step):
        rows = slice(s, s + step)
        outside = fold_t[nbr[rows]] != fold_t[rows, None, :]  # (points, neighbours, perms)
        take = outside & (np.cumsum(outside, axis=1, dtype=np.int32) <= k)
        votes[rows] = np.count_nonzero(take & (lab_t[nbr[rows]] == 1), axis=1)
        for i, r in zip(*np.nonzero(take.sum(axis=1) < k)):  # too many same-fold neighbours
            i += s
            train = np.flatnonzero(fold_t[:, r] != fold_t[i, r])
            d2 = np.sum((x[train] - x[i]) ** 2, axis=1)
            votes[i, r] = np.sum(lab_t[train[np.argsort(d2, kind="stable")[:k]], r] == 1)
    ranks = rankdata(votes, axis=0)  # mid-ranks: ties count one half, as in roc_auc_score
    n_neg = n_pts - n_pos
    return (np.sum(ranks * (lab_t == 1), axis=0) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def c2st_auc(
    real: Any,
    synthetic: Any,
    *,
    k: int = 10,
    folds: int = 5,
    permutations: int = 200,
    rng: Any = None,
) -> C2STResult:
    """Classifier two-sample test: how well a classifier tells synthetic from real.

    A k-nearest-neighbour classifier is trained to label points as real or
    synthetic; out-of-fold predicted probabilities of ``folds``-fold
    stratified cross-validation give one ROC AUC over all points. If the two
    sets come from one distribution, no classifier beats chance and the AUC
    is 0.5; the further apart they are, the closer it gets to 1.

    The p-value comes from a permutation null that repeats the whole
    procedure: the real/synthetic labels are shuffled and a *new*
    cross-validation split is drawn for every permutation, so the null AUCs
    have the same distribution as the observed one when the null holds and
    the test rejects at most a share α of true nulls at level α. (The normal
    approximation of the Mann–Whitney statistic understates the spread of a
    cross-validated AUC, whose out-of-fold scores share training points, and
    reusing the observed folds biases the null AUCs low; both reject too often.)

    Parameters
    ----------
    real, synthetic
        Arrays of shape (n, d) and (m, d).
    k
        Neighbours of the classifier, in [1, 200] (lowered to the size of the
        smallest training set if that is smaller).
    folds
        Cross-validation folds, in [2, 20]; each set needs at least ``folds`` points.
    permutations
        Permutations of the null distribution, in [1, 10 000]; the p-value is at
        least ``1 / (1 + permutations)`` (200 resolve p = 0.005).
    rng
        Seed or generator for the fold splits and the permutations.

    Returns
    -------
    C2STResult

    References
    ----------
    Lopez-Paz & Oquab (2017), Revisiting classifier two-sample tests, arXiv:1610.06545.
    """
    k = integer("k", k, minimum=1, maximum=200)
    folds = integer("folds", folds, minimum=2, maximum=20)
    permutations = integer("permutations", permutations, minimum=1, maximum=10_000)
    a, b = _pair(real, synthetic)
    for name, arr in (("real", a), ("synthetic", b)):
        if arr.shape[0] < folds:
            raise ValueError(
                f"{name} must have at least folds={folds} rows for the cross-validation, "
                f"got {arr.shape[0]}"
            )
    n, m = a.shape[0], b.shape[0]
    if (n + m) * permutations > 50_000_000:
        raise ValueError(
            f"permutations: {permutations} permutations of {n + m} points is too much work "
            f"(limit 5e7 point-permutations); use at most {50_000_000 // (n + m)}"
        )
    gen = as_generator(rng)
    x = np.vstack([a, b])
    scale = float(np.abs(x).max())
    if scale > 1e150:  # squared distances would overflow; neighbours do not change with scale
        x = x / scale
    y = np.r_[np.zeros(n, np.int8), np.ones(m, np.int8)]
    labels = np.vstack([y, gen.permuted(np.tile(y, (permutations, 1)), axis=1)])
    fold = _stratified_folds(labels, folds, gen)
    k_eff = min(k, n + m - int(np.bincount(fold[0]).max()))
    aucs = _knn_oof_aucs(x, labels, fold, k_eff, m)
    auc, null = float(aucs[0]), aucs[1:]
    p = float((1 + np.sum(null >= auc - 1e-12)) / (1 + permutations))
    return C2STResult(
        auc=auc,
        p_value=p,
        null_mean=float(null.mean()),
        null_sd=float(null.std(ddof=1)) if permutations > 1 else 0.0,
        n_real=n,
        n_synthetic=m,
    )


# ---------------------------------------------------------------------------
# maximum mean discrepancy
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MMDResult:
    """Outcome of :func:`mmd`.

    Attributes
    ----------
    mmd2
        Unbiased estimate of the squared MMD.
    bandwidth
        Kernel width σ used.
    p_value
        Permutation p-value of ``mmd2`` against the null hypothesis of one
        distribution, ``(1 + #{null MMD² ≥ mmd2}) / (1 + permutations)``; None
        when no permutations were asked for.
    """

    mmd2: float
    bandwidth: float
    p_value: float | None = None


_MIN_BANDWIDTH = 1e-150  # below it σ² underflows and the kernel's exponent is undefined
_MMD_MAX_POOLED = 10_000  # pooled points of a permutation test (an N × N kernel matrix)


def mmd(
    real: Any,
    synthetic: Any,
    *,
    bandwidth: float | None = None,
    permutations: int = 0,
    rng: Any = None,
) -> MMDResult:
    """Unbiased estimate of the squared maximum mean discrepancy with an RBF kernel.

    With the kernel ``k(x, y) = exp(-|x - y|² / (2 σ²))``,

    ``MMD² = E k(X, X') + E k(Y, Y') - 2 E k(X, Y)``

    is zero exactly when the two distributions are equal. The unbiased
    U-statistic leaves out the diagonal of the within-set kernel matrices, so
    it scatters around zero (and can be slightly negative) when they are.
    The size of MMD² depends on σ, so judge it by its permutation p-value
    (``permutations`` > 0), not by its size: a narrow kernel can detect local
    differences that a wide one averages away.

    Parameters
    ----------
    real, synthetic
        Arrays of shape (n, d) and (m, d), each with at least two rows.
    bandwidth
        Kernel width σ ≥ 1e-150 (so that σ² is a normal float). If None, the
        median heuristic: the median distance between distinct points of the
        pooled sample.
    permutations
        If positive (at most 10 000, with at most 10 000 pooled points), the
        p-value from relabelling the pooled points at random that many times.
    rng
        Seed or generator for the permutations.

    Returns
    -------
    MMDResult

    References
    ----------
    Gretton et al. (2012), A kernel two-sample test, JMLR 13, 723–773.
    """
    a, b = _pair(real, synthetic)
    permutations = integer("permutations", permutations, minimum=0, maximum=10_000)
    n, m = a.shape[0], b.shape[0]
    if permutations and n + m > _MMD_MAX_POOLED:
        raise ValueError(
            f"permutations: a permutation test of {n + m} pooled points needs an "
            f"{n + m} × {n + m} kernel matrix; use at most {_MMD_MAX_POOLED} points"
        )
    pooled = np.vstack([a, b])
    from scipy.spatial.distance import cdist

    if bandwidth is None:
        iu = np.triu_indices(pooled.shape[0], 1)
        sigma = float(np.median(cdist(pooled, pooled)[iu]))
        if sigma < _MIN_BANDWIDTH:
            raise ValueError(
                f"bandwidth: the median heuristic gave {sigma:g} (most points coincide); "
                "pass bandwidth"
            )
        if not np.isfinite(sigma):
            raise ValueError("bandwidth: the median distance overflows; pass bandwidth")
    else:
        sigma = _real("bandwidth", bandwidth, minimum=_MIN_BANDWIDTH)

    def kernel(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        # exp(-(d/σ)²/2) from distances d (no squares of the points, so no overflow there);
        # 0 where (d/σ)² overflows
        with np.errstate(over="ignore"):
            return np.exp(-0.5 * np.square(cdist(u, v) / sigma))

    if not permutations:
        kxx = kernel(a, a)
        kyy = kernel(b, b)
        kxy = kernel(a, b)
        est = (
            (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
            + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2.0 * kxy.mean()
        )
        return MMDResult(mmd2=float(est), bandwidth=sigma)
    kern = kernel(pooled, pooled)
    np.fill_diagonal(kern, 0.0)
    gen = as_generator(rng)
    y = np.r_[np.zeros(n), np.ones(m)]
    lab = np.vstack([y, gen.permuted(np.tile(y, (permutations, 1)), axis=1)])
    # with l the indicator of the synthetic points: Σ_yy = lᵀKl, Σ_xy = rᵀl - lᵀKl and
    # Σ_xx = 1ᵀK1 - 2 rᵀl + lᵀKl, r the row sums of K (its diagonal set to zero)
    s_yy = np.einsum("pi,pi->p", lab @ kern, lab)
    r_l = lab @ kern.sum(axis=1)
    s_xy = r_l - s_yy
    s_xx = kern.sum() - 2.0 * r_l + s_yy
    stat = s_xx / (n * (n - 1)) + s_yy / (m * (m - 1)) - 2.0 * s_xy / (n * m)
    scale = max(1e-12, float(np.abs(stat).max()))  # ties up to rounding count as reached
    p = float((1 + np.sum(stat[1:] >= stat[0] - 1e-9 * scale)) / (1 + permutations))
    return MMDResult(mmd2=float(stat[0]), bandwidth=sigma, p_value=p)


def mmd_gaussians(shift: Any, *, scale: float, bandwidth: float, dim: int) -> np.ndarray:
    """Exact squared MMD between two isotropic normal distributions under an RBF kernel.

    For ``P = N(μ₁, s² I_d)``, ``Q = N(μ₂, s² I_d)`` and the kernel of
    :func:`mmd` with width σ, let ``c = (σ² / (σ² + 2 s²))^(d/2)``. Then

    ``MMD² = 2 c [1 - exp(-|μ₁ - μ₂|² / (2 (σ² + 2 s²)))]``.

    Parameters
    ----------
    shift
        Distance ``|μ₁ - μ₂|`` (a number or array, ≥ 0, at most 1e100).
    scale
        Standard deviation ``s`` of each coordinate, in [1e-100, 1e100].
    bandwidth
        Kernel width σ, in [1e-100, 1e100].
    dim
        Dimension ``d`` ≥ 1.

    Returns
    -------
    numpy.ndarray
        The exact squared MMD, shaped like ``shift``.
    """
    delta = bounded_array("shift", shift, max_abs=_MAX_ABS)
    if np.any(delta < 0):
        raise ValueError("shift must be ≥ 0 (a distance between the two means)")
    s = positive_real("scale", scale)  # in [1e-100, 1e100]: squares stay normal floats
    sig = positive_real("bandwidth", bandwidth)
    d = integer("dim", dim, minimum=1)
    v = sig**2 + 2.0 * s**2
    c = (sig**2 / v) ** (d / 2.0)
    with np.errstate(over="ignore"):  # exp(-inf) = 0 where the exponent overflows
        return 2.0 * c * (1.0 - np.exp(-(delta**2) / (2.0 * v)))


# ---------------------------------------------------------------------------
# precision, recall and distances to real points
# ---------------------------------------------------------------------------


def _knn_radius(x: np.ndarray, k: int) -> np.ndarray:
    from scipy.spatial import cKDTree

    dist, _ = cKDTree(x).query(x, k=k + 1)
    return dist[:, k]


def _covered(reference: np.ndarray, radius: np.ndarray, query: np.ndarray) -> np.ndarray:
    out = np.empty(query.shape[0], bool)
    r2 = radius**2
    for start in range(0, query.shape[0], 1024):
        q = query[start : start + 1024]
        out[start : start + 1024] = np.any(
            _sqdist(q, reference) <= r2[None, :] * (1 + 1e-12), axis=1
        )
    return out


def on_real_manifold(real: Any, query: Any, *, k: int = 5) -> np.ndarray:
    """Which query points fall inside the k-nearest-neighbour balls of the real points.

    Each real point gets a ball whose radius is the distance to its k-th
    nearest real neighbour; the union of the balls estimates the support of
    the real distribution.

    Parameters
    ----------
    real
        Array (n, d) with n > k.
    query
        Array (m, d).
    k
        Neighbour rank that sets the radii, in [1, n - 1].

    Returns
    -------
    numpy.ndarray
        Boolean array of length m.
    """
    a, q = _pair(real, query, names=("real", "query"), min_rows=1)
    k = integer("k", k, minimum=1, maximum=max(1, a.shape[0] - 1))
    if a.shape[0] <= k:
        raise ValueError(f"real must have more than k={k} rows, got {a.shape[0]}")
    return _covered(a, _knn_radius(a, k), q)


@dataclass(frozen=True)
class PrecisionRecall:
    """Outcome of :func:`precision_recall` (both in [0, 1])."""

    precision: float
    recall: float


def precision_recall(real: Any, synthetic: Any, *, k: int = 5) -> PrecisionRecall:
    """k-nearest-neighbour precision and recall of a generative model.

    *Precision* is the share of synthetic points that fall inside the real
    manifold (the union of k-NN balls around real points): are the samples
    realistic? *Recall* is the share of real points inside the synthetic
    manifold: does the generator cover the variety of the real data?

    Parameters
    ----------
    real, synthetic
        Arrays (n, d) and (m, d), each with more than ``k`` rows.
    k
        Neighbour rank that sets the ball radii, ≥ 1.

    Returns
    -------
    PrecisionRecall

    References
    ----------
    Kynkäänniemi et al. (2019), Improved precision and recall metric for
    assessing generative models, NeurIPS, arXiv:1904.06991.
    """
    k = integer("k", k, minimum=1)
    a, b = _rescaled(*_pair(real, synthetic))
    if k >= min(a.shape[0], b.shape[0]):
        raise ValueError(
            f"k must be less than the rows of each set (more than k points in each), got k={k} "
            f"with {a.shape[0]} real and {b.shape[0]} synthetic rows"
        )
    precision = _covered(a, _knn_radius(a, k), b).mean()
    recall = _covered(b, _knn_radius(b, k), a).mean()
    return PrecisionRecall(precision=float(precision), recall=float(recall))


def nearest_real_distance(real: Any, synthetic: Any) -> np.ndarray:
    """Distance of each synthetic point to its nearest real point, in units of the local spacing.

    For a synthetic point ``s`` with nearest real point ``r``, the result is
    ``|s - r| / |r - r'|``, where ``r'`` is the real point nearest to ``r``.
    Values near 0 flag copies of real points (memorisation); values well
    above those of held-out real points flag points with no real neighbour,
    cells that may not exist. Where ``r`` has an exact duplicate, the median
    real spacing is used instead.

    Parameters
    ----------
    real
        Array (n, d), n ≥ 2.
    synthetic
        Array (m, d).

    Returns
    -------
    numpy.ndarray
        Ratios, length m.
    """
    from scipy.spatial import cKDTree

    a, b = _rescaled(*_pair(real, synthetic, min_rows=1))
    if a.shape[0] < 2:
        raise ValueError(f"real must have at least 2 rows (points), got {a.shape[0]}")
    tree = cKDTree(a)
    spacing = tree.query(a, k=2)[0][:, 1]
    positive = spacing[spacing > 0]
    fallback = float(np.median(positive)) if positive.size else 1.0
    spacing = np.where(spacing > 0, spacing, fallback)
    dist, idx = tree.query(b, k=1)
    return dist / spacing[idx]


def neighbour_purity(real: Any, labels: Any, query: Any, *, k: int = 10) -> np.ndarray:
    """Share of a query point's k nearest real points that carry their most common label.

    A point inside a cluster has purity near 1; a point between two clusters
    has neighbours from both and a purity near 1/2.

    Parameters
    ----------
    real
        Array (n, d) of labelled real points, n ≥ k.
    labels
        One label per real point (all numbers or all strings).
    query
        Array (m, d).
    k
        Number of neighbours, in [1, n].

    Returns
    -------
    numpy.ndarray
        Purity in [1/k, 1] for each query point.
    """
    from scipy.spatial import cKDTree

    a, q = _rescaled(*_pair(real, query, names=("real", "query"), min_rows=1))
    lab = _labels("labels", labels, a.shape[0])
    k = integer("k", k, minimum=1, maximum=a.shape[0])
    _, codes = np.unique(lab, return_inverse=True)
    idx = cKDTree(a).query(q, k=k)[1].reshape(q.shape[0], k)
    neigh = codes[idx]
    counts = (neigh[:, :, None] == np.arange(codes.max() + 1)[None, None, :]).sum(axis=1)
    return counts.max(axis=1) / k


# ---------------------------------------------------------------------------
# train on synthetic, test on real
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TSTRResult:
    """Outcome of :func:`tstr`.

    Test accuracy after training on real (TRTR) and on synthetic (TSTR) data.
    """

    trtr: float
    tstr: float


def tstr(
    real_train: Any,
    synthetic_train: Any,
    real_test: Any,
    *,
    y_real_train: Any,
    y_synthetic: Any,
    y_real_test: Any,
    C: float = 1.0,
) -> TSTRResult:
    """Train on synthetic, test on real: the accuracy a synthetic training set buys.

    The same classifier (multinomial logistic regression on features
    standardised to the training set's mean and standard deviation) is
    trained twice, once on the real training set and once on the synthetic
    one, and both are scored on the same held-out real test set.

    Parameters
    ----------
    real_train, synthetic_train, real_test
        Feature arrays with the same number of columns (entries of magnitude at
        most 1e100, so that the standardisation's sums of squares stay finite).
    y_real_train, y_synthetic, y_real_test
        One label per row of the matching array: all numbers or all strings.
    C
        Inverse regularisation strength of the logistic regression, in [1e-100, 1e100].

    Returns
    -------
    TSTRResult
        ``trtr``: accuracy on ``real_test`` after training on ``real_train``;
        ``tstr``: after training on ``synthetic_train``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    for name, value in (
        ("real_train", real_train),
        ("synthetic_train", synthetic_train),
        ("real_test", real_test),
    ):
        bounded_array(name, value, max_abs=_MAX_ABS)
    a, b = _pair(real_train, synthetic_train, names=("real_train", "synthetic_train"))
    _, t = _pair(real_train, real_test, names=("real_train", "real_test"), min_rows=1)
    ya = _labels("y_real_train", y_real_train, a.shape[0])
    yb = _labels("y_synthetic", y_synthetic, b.shape[0])
    yt = _labels("y_real_test", y_real_test, t.shape[0])
    C = positive_real("C", C)
    for name, y in (("y_real_train", ya), ("y_synthetic", yb)):
        if np.unique(y).size < 2:
            raise ValueError(f"{name} must contain at least 2 classes")
    acc = []
    for x, y in ((a, ya), (b, yb)):
        # standardise with the training set's own mean and spread: the fit converges in
        # a few dozen steps instead of hundreds on raw PCA scores of very different scales
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)).fit(x, y)
        acc.append(float(np.mean(clf.predict(t) == yt)))
    return TSTRResult(trtr=acc[0], tstr=acc[1])


# ---------------------------------------------------------------------------
# generators
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellGenerator:
    """A fitted generator of points; draw from it with :meth:`sample`.

    Attributes
    ----------
    kind
        ``"gmm"`` (Gaussian mixture) or ``"ppca"`` (probabilistic PCA).
    model
        The fitted scikit-learn estimator (GaussianMixture or PCA).
    """

    kind: str
    model: Any

    def sample(self, n: int, *, rng: Any = None) -> np.ndarray:
        """Draw ``n`` new points, shape (n, d), from the fitted generator."""
        n = integer("n", n, minimum=1)
        gen = as_generator(rng)
        m = self.model
        if self.kind == "gmm":
            comp = gen.choice(m.weights_.size, size=n, p=m.weights_ / m.weights_.sum())
            z = gen.standard_normal((n, m.means_.shape[1]))
            chol = np.linalg.cholesky(m.covariances_)  # (K, d, d)
            return m.means_[comp] + np.einsum("nij,nj->ni", chol[comp], z)
        # probabilistic PCA: x = μ + W z + σ ε with W = U (Λ - σ² I)^(1/2)
        lam = np.maximum(m.explained_variance_ - m.noise_variance_, 0.0)
        w = m.components_.T * np.sqrt(lam)[None, :]
        z = gen.standard_normal((n, w.shape[1]))
        eps = gen.standard_normal((n, w.shape[0]))
        return m.mean_ + z @ w.T + np.sqrt(m.noise_variance_) * eps

    def covariance(self) -> np.ndarray:
        """The model's covariance matrix (for a mixture, of the whole mixture)."""
        m = self.model
        if self.kind == "ppca":
            lam = np.maximum(m.explained_variance_ - m.noise_variance_, 0.0)
            w = m.components_.T * np.sqrt(lam)[None, :]
            return w @ w.T + m.noise_variance_ * np.eye(w.shape[0])
        mu = m.weights_ @ m.means_
        dev = m.means_ - mu
        return (
            np.einsum("k,kij->ij", m.weights_, m.covariances_) + (m.weights_[:, None] * dev).T @ dev
        )


def fit_generator(x: Any, kind: str, n_components: int, *, rng: Any = None) -> CellGenerator:
    """Fit a Gaussian mixture or probabilistic PCA generator to the rows of ``x``.

    Parameters
    ----------
    x
        Training points, shape (n, d), n ≥ 2, entries of magnitude at most 1e100.
    kind
        ``"gmm"``: a Gaussian mixture with full covariances fitted by EM,
        started from k-means++ seeds;
        ``"ppca"``: probabilistic PCA, the linear-Gaussian latent-variable
        model that a variational autoencoder generalises.
    n_components
        Mixture components (``"gmm"``, in [1, n]) or latent dimensions
        (``"ppca"``, in [1, min(n, d) - 1]).
    rng
        Seed or generator for the mixture's initialisation.

    Returns
    -------
    CellGenerator

    References
    ----------
    Tipping & Bishop (1999), Probabilistic principal component analysis,
    J. R. Stat. Soc. B 61, 611–622.
    """
    arr = bounded_array("x", x, max_abs=_MAX_ABS, ndim=2)
    n, d = arr.shape
    if n < 2:
        raise ValueError(f"x must have at least 2 rows (points), got {n}")
    if kind not in ("gmm", "ppca"):
        raise ValueError(f"kind must be 'gmm' or 'ppca', got {kind!r}")
    gen = as_generator(rng)
    if kind == "gmm":
        from sklearn.mixture import GaussianMixture

        k = integer("n_components", n_components, minimum=1, maximum=n)
        model = GaussianMixture(
            n_components=k,
            covariance_type="full",
            reg_covar=1e-4,
            n_init=1,
            init_params="k-means++",  # seeding only, no full k-means run: much cheaper
            random_state=int(gen.integers(2**31)),
        ).fit(arr)
    else:
        from sklearn.decomposition import PCA

        upper = min(n, d) - 1
        if upper < 1:
            raise ValueError(
                f"x must have at least 2 rows and 2 columns for 'ppca', got shape {arr.shape}"
            )
        k = integer("n_components", n_components, minimum=1, maximum=upper)
        model = PCA(n_components=k, svd_solver="full").fit(arr)
    return CellGenerator(kind=kind, model=model)


def sample_by_class(
    x: Any,
    labels: Any,
    n: int,
    kind: str,
    n_components: int,
    *,
    rng: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Class-conditional generator: fit one generator per label and sample in the real proportions.

    Parameters
    ----------
    x
        Training points (n_real, d), entries of magnitude at most 1e100.
    labels
        One label per row (all numbers or all strings); every class needs at
        least 3 points.
    n
        Number of synthetic points to draw in total (≥ number of classes; the
        points must fit in memory).
    kind, n_components
        As in :func:`fit_generator`; ``n_components`` is lowered for a class
        too small to support it.
    rng
        Seed or generator.

    Returns
    -------
    points, point_labels
        Synthetic points (n, d) and their labels.
    """
    arr = bounded_array("x", x, max_abs=_MAX_ABS, ndim=2)
    lab = _labels("labels", labels, arr.shape[0])
    classes, counts = np.unique(lab, return_counts=True)
    if counts.min() < 3:
        raise ValueError(
            f"labels: every class needs at least 3 points, got a class with {counts.min()}"
        )
    n = integer("n", n, minimum=classes.size)
    check_memory("n", 3.0 * n * arr.shape[1], what="the points, their noise and latent draws")
    n_components = integer("n_components", n_components, minimum=1)
    gen = as_generator(rng)
    # largest-remainder allocation of n in the real proportions, at least one each
    quota = n * counts / counts.sum()
    per = np.maximum(np.floor(quota).astype(int), 1)
    while per.sum() < n:
        per[np.argmax(quota - per)] += 1
    while per.sum() > n:  # take back from classes above their minimum of one point
        per[np.argmax(np.where(per > 1, per - quota, -np.inf))] -= 1
    pts, out = [], []
    for c, m in zip(classes, per):
        xc = arr[lab == c]
        cap = xc.shape[0] if kind == "gmm" else min(xc.shape) - 1
        g = fit_generator(xc, kind, min(n_components, cap), rng=gen)
        pts.append(g.sample(int(m), rng=gen))
        out.append(np.full(int(m), c))
    return np.vstack(pts), np.concatenate(out)


# ---------------------------------------------------------------------------
# a branching differentiation with a known time
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Trajectory:
    """Cells from :func:`simulate_branching`.

    Attributes
    ----------
    x
        Log expression, cells × genes.
    time
        True differentiation time of each cell, in [0, 1].
    branch
        0 before the branch point, then 1 or 2 for the two fates.
    """

    x: np.ndarray
    time: np.ndarray
    branch: np.ndarray


def hill(x: Any, k: float, n: float) -> np.ndarray:
    """Hill activation ``xⁿ / (kⁿ + xⁿ)`` of a non-negative input ``x`` (at least one value).

    ``k`` > 0 is the half-activation level and ``n`` > 0 the Hill coefficient;
    where ``(x / k)ⁿ`` overflows the activation is 1, its limit.
    """
    arr = finite_array("x", x)
    if np.any(arr < 0):
        raise ValueError("x must be ≥ 0 (a concentration)")
    k = _real("k", k, minimum=0.0, open_min=True)
    n = _real("n", n, minimum=0.0, open_min=True)
    with np.errstate(over="ignore"):
        rn = (arr / k) ** n
    return np.divide(rn, 1.0 + rn, out=np.ones_like(rn), where=np.isfinite(rn))


def simulate_branching(
    n_cells: int = 600,
    *,
    genes_per_module: int = 6,
    noise: float = 0.3,
    t_branch: float = 0.35,
    rng: Any = None,
) -> Trajectory:
    """Simulate a differentiation that branches into two fates, with a known time.

    Cells are drawn at times uniform on [0, 1]. Five gene modules follow
    switch-like (Hill) kinetics in time: a progenitor module that is switched
    off, an early module common to both fates, and for each fate a
    *transient* module that rises after the branch point and falls again and a
    *late* module. Fate 2 is built to return towards the progenitor state in
    its dominant genes (its transient module is strong, its late module weak),
    so that its late cells lie close to the start in a 2-D projection while
    the path between them is long. Expression is ``log1p`` of a Poisson count
    around the module mean, plus Gaussian noise of scale ``noise``.

    Parameters
    ----------
    n_cells
        Number of cells, in [20, 100 000].
    genes_per_module
        Genes in each of the six modules, in [1, 200].
    noise
        Standard deviation of extra Gaussian noise on the log scale, ≥ 0.
    t_branch
        Time of the branch point, in (0, 1).
    rng
        Seed or generator.

    Returns
    -------
    Trajectory
    """
    n_cells = integer("n_cells", n_cells, minimum=20, maximum=100_000)
    g = integer("genes_per_module", genes_per_module, minimum=1, maximum=200)
    noise = _real("noise", noise, minimum=0.0)
    tb = _real("t_branch", t_branch, minimum=0.0, maximum=1.0, open_min=True, open_max=True)
    gen = as_generator(rng)
    t = np.sort(gen.uniform(0.0, 1.0, n_cells))
    fate = gen.integers(1, 3, n_cells)
    branch = np.where(t < tb, 0, fate)
    after = np.clip((t - tb) / (1.0 - tb), 0.0, None)  # time since branching, scaled to [0, 1]

    def on(s: np.ndarray, k: float) -> np.ndarray:  # a steep switch-on in (scaled) time
        return hill(s, k, 6.0)

    prog = 1.0 - on(t, 0.3)
    early = on(t, 0.15) * (1.0 - on(after, 0.5)) + 0.2
    f1 = branch == 1
    f2 = branch == 2
    trans1 = np.where(f1, on(after, 0.2) * (1 - on(after, 0.7)), 0.0)
    late1 = np.where(f1, on(after, 0.45), 0.0)
    trans2 = np.where(f2, on(after, 0.2) * (1 - on(after, 0.6)), 0.0)
    late2 = np.where(f2, on(after, 0.6), 0.0)
    level = np.array([40.0, 20.0, 30.0, 40.0, 30.0, 6.0])
    modules = np.stack([prog, early, trans1, late1, trans2, late2], axis=1) * level
    mean = np.repeat(modules, g, axis=1) + 0.5
    counts = gen.poisson(mean)
    x = np.log1p(counts) + noise * gen.standard_normal(counts.shape)
    return Trajectory(x=x, time=t, branch=branch)


def diffusion_pseudotime(
    x: Any, root: int, *, n_neighbors: int = 15, n_pcs: int = 10
) -> np.ndarray:
    """Diffusion pseudotime of every cell from a root cell, computed with scanpy.

    Builds a k-nearest-neighbour graph with Gaussian kernel weights on the
    first ``n_pcs`` principal components of ``x`` (an exact SVD and exact
    neighbours, so no random start and no compilation step), its diffusion
    map, and the diffusion pseudotime (DPT) of :func:`scanpy.tl.dpt` from
    cell ``root``.

    Every cell must be reachable from the root: if the neighbour graph falls
    into disconnected pieces (DPT would be infinite for the cells outside the
    root's piece) or a cell's kernel width is zero because at least half of
    its neighbours are exact copies of it, a ValueError says so.

    Parameters
    ----------
    x
        Expression, cells × genes (at least 20 cells, not all identical).
    root
        Index of the root cell.
    n_neighbors
        Neighbours of the graph, in [2, n_cells - 1].
    n_pcs
        Principal components for the graph, in [2, min(cells, genes) - 1].

    Returns
    -------
    numpy.ndarray
        Pseudotime in [0, 1] per cell (0 at the root, 1 at the farthest cell).

    References
    ----------
    Haghverdi et al. (2016), Diffusion pseudotime robustly reconstructs
    lineage branching, Nature Methods 13, 845–848.

    Examples
    --------
    >>> from synthbio import audit
    >>> traj = audit.simulate_branching(30, genes_per_module=1, rng=0)
    >>> dpt = audit.diffusion_pseudotime(traj.x, 0, n_neighbors=10, n_pcs=3)
    >>> bool(dpt[0] == 0 and dpt.max() == 1)
    True
    """
    import anndata
    import scanpy as sc
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import ArpackError, ArpackNoConvergence
    from sklearn.decomposition import PCA
    from sklearn.neighbors import NearestNeighbors

    arr = finite_array("x", x, ndim=2)
    n, d = arr.shape
    if n < 20:
        raise ValueError(f"x must have at least 20 rows (cells), got {n}")
    root = integer("root", root, minimum=0, maximum=n - 1)
    n_neighbors = integer("n_neighbors", n_neighbors, minimum=2, maximum=n - 1)
    n_pcs = integer("n_pcs", n_pcs, minimum=2, maximum=min(n, d) - 1)
    centred = arr - arr.mean(axis=0)
    scale = float(np.abs(centred).max())
    if scale == 0:
        raise ValueError("x: all cells are identical, so there is no order to find")
    # DPT does not change when all coordinates are scaled alike; scaling keeps huge inputs finite
    rep = PCA(n_components=n_pcs, svd_solver="full").fit_transform(centred / scale)
    near = NearestNeighbors(n_neighbors=n_neighbors).fit(rep).kneighbors(return_distance=True)[0]
    flat = np.flatnonzero(np.median(near**2, axis=1) == 0)
    if flat.size:
        raise ValueError(
            f"x: cell {flat[0]} has an exact copy among at least half of its "
            f"n_neighbors={n_neighbors} neighbours (in {flat.size} cells), so its kernel width "
            "is zero; remove duplicate cells or raise n_neighbors"
        )
    ad = anndata.AnnData(np.zeros((n, 1), np.float32))
    ad.obsm["X_pca"] = rep
    sc.pp.neighbors(
        ad,
        n_neighbors=n_neighbors,
        use_rep="X_pca",
        method="gauss",
        transformer="sklearn",
        random_state=0,
    )
    pieces, which = connected_components(ad.obsp["connectivities"], directed=False)
    if pieces > 1:
        reach = int(np.sum(which == which[root]))
        raise ValueError(
            f"n_neighbors={n_neighbors}: the neighbour graph falls into {pieces} disconnected "
            f"pieces and only {reach} of {n} cells can be reached from the root; "
            "raise n_neighbors"
        )
    try:
        sc.tl.diffmap(ad, random_state=0)
    except (ArpackError, ArpackNoConvergence) as exc:
        raise ValueError(f"x: the diffusion map of these cells did not converge ({exc})") from None
    ad.uns["iroot"] = root
    sc.tl.dpt(ad)
    out = ad.obs["dpt_pseudotime"].to_numpy(dtype=float)
    if not np.all(np.isfinite(out)):  # cannot happen on a connected graph; never return inf
        raise ValueError("x: diffusion pseudotime is undefined for some cells (unreachable)")
    return out


# ---------------------------------------------------------------------------
# a transcription factor over three decades
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TFHillData:
    """Cells from :func:`simulate_tf_hill`.

    Attributes
    ----------
    counts
        Count matrix, cells × genes; column 0 is the transcription factor,
        column 1 its Hill-type target, the rest background genes.
    tf
        True transcription-factor level of each cell (molecules), spanning
        three decades.
    target
        True mean of the target gene.
    """

    counts: np.ndarray
    tf: np.ndarray
    target: np.ndarray


def simulate_tf_hill(
    n_cells: int = 2000,
    *,
    high_share: float = 0.04,
    n_background: int = 40,
    hill_k: float = 200.0,
    hill_n: float = 3.0,
    rng: Any = None,
) -> TFHillData:
    """Simulate cells whose transcription factor spans three decades, driving a Hill target.

    The TF level is ``10**u`` molecules: in most cells ``u`` is normal around
    0.6 (a few molecules), in a share ``high_share`` of cells ``u`` is uniform
    on [2, 3], the rare top decade (100–1000 molecules). A target gene
    responds through a Hill function, ``200 · hill(tf, hill_k, hill_n)``,
    so only top-decade cells express it. Background genes carry two cell
    states unrelated to the TF. Counts are Poisson.

    Parameters
    ----------
    n_cells
        Number of cells, in [10, 1 000 000].
    high_share
        Share of cells in the top decade, in [0, 1].
    n_background
        Number of background genes, in [2, 1000].
    hill_k, hill_n
        Half-activation level (molecules) and Hill coefficient, > 0.
    rng
        Seed or generator.

    Returns
    -------
    TFHillData
    """
    n_cells = integer("n_cells", n_cells, minimum=10, maximum=1_000_000)
    share = _real("high_share", high_share, minimum=0.0, maximum=1.0)
    nb = integer("n_background", n_background, minimum=2, maximum=1000)
    k = _real("hill_k", hill_k, minimum=0.0, open_min=True)
    hn = _real("hill_n", hill_n, minimum=0.0, open_min=True)
    gen = as_generator(rng)
    high = gen.random(n_cells) < share
    u = np.where(
        high, gen.uniform(2.0, 3.0, n_cells), np.clip(gen.normal(0.6, 0.35, n_cells), -0.5, 1.9)
    )
    tf = 10.0**u
    target = 200.0 * hill(tf, k, hn)
    state = gen.integers(0, 2, n_cells)
    base = gen.uniform(1.0, 20.0, nb)
    fold = np.where(np.arange(nb) % 2 == 0, 4.0, 0.25)
    bg = base[None, :] * np.where(state[:, None] == 1, fold[None, :], 1.0)
    mean = np.column_stack([tf, target + 0.1, bg])
    return TFHillData(counts=gen.poisson(mean), tf=tf, target=target)


def top_decade_share(values: Any, reference: Any, *, low: float) -> float:
    """Share of the reference's top decade that ``values`` reproduce.

    The top decade is the range ``[low, 10·low)`` of levels (for the TF of
    :func:`simulate_tf_hill`, 100–1000 molecules). The result is the fraction
    of ``values`` in it divided by the fraction of ``reference`` in it: 1
    means the generator reproduces the top decade at its real frequency,
    0 that it has lost it.

    Parameters
    ----------
    values
        Levels produced by a generator (linear scale), at least one.
    reference
        Levels of the real cells (linear scale), some of them in the decade.
    low
        Lower edge of the top decade, > 0.

    Returns
    -------
    float
    """
    v = finite_array("values", values).ravel()
    r = finite_array("reference", reference).ravel()
    low = _real("low", low, minimum=0.0, open_min=True)
    ref = np.mean((r >= low) & (r < 10 * low))
    if ref == 0:
        raise ValueError(
            f"reference has no value in the top decade [low, 10·low) = [{low:g}, {10 * low:g}); "
            "choose low where the reference has values"
        )
    return float(np.mean((v >= low) & (v < 10 * low)) / ref)


# ---------------------------------------------------------------------------
# one-call summaries used by the chapter
# ---------------------------------------------------------------------------


def audit_summary(
    real: Any, synthetic: Any, *, k: int = 5, permutations: int = 200, rng: Any = None
) -> dict[str, float]:
    """Run the sample-level audits of this module on one pair of sets.

    Parameters
    ----------
    real, synthetic
        Arrays (n, d) and (m, d), each with more than ``k`` rows and at least 5.
    k
        Neighbour rank for precision and recall.
    permutations
        Permutations of the classifier two-sample test's null (see :func:`c2st_auc`).
    rng
        Seed or generator for the classifier two-sample test.

    Returns
    -------
    dict
        ``c2st_auc``, ``c2st_p`` (permutation p-value), ``c2st_null_sd`` (standard
        deviation of the permuted AUCs), ``mmd2`` (median-heuristic bandwidth),
        ``precision``, ``recall``, and ``median_nn_ratio``, the median of
        :func:`nearest_real_distance`.
    """
    k = integer("k", k, minimum=1)
    pr = precision_recall(real, synthetic, k=k)  # first: it names k when the sets are too small
    c = c2st_auc(real, synthetic, permutations=permutations, rng=rng)
    return {
        "c2st_auc": c.auc,
        "c2st_p": c.p_value,
        "c2st_null_sd": c.null_sd,
        "mmd2": mmd(real, synthetic).mmd2,
        "precision": pr.precision,
        "recall": pr.recall,
        "median_nn_ratio": float(np.median(nearest_real_distance(real, synthetic))),
    }


def top_decade_audit(
    data: TFHillData,
    *,
    n_pcs: int = 10,
    gmm_components: int = 8,
    ppca_components: int = 5,
    rng: Any = None,
) -> dict[str, float]:
    """How much of the TF's top decade survives generators fitted in log-PCA space.

    The counts of :func:`simulate_tf_hill` are log-transformed
    (``log1p``), centred and reduced to ``n_pcs`` principal components, the
    usual space in which cell generators are fitted. A Gaussian mixture and
    probabilistic PCA are fitted there, as many cells as the data holds are
    sampled from each, mapped back to log expression and then to counts, and
    :func:`top_decade_share` of the TF (100–1000 molecules) is measured. The
    PCA round trip of the real cells themselves is reported too.

    Parameters
    ----------
    data
        Output of :func:`simulate_tf_hill`.
    n_pcs
        Principal components, in [2, number of genes - 1].
    gmm_components, ppca_components
        Sizes of the two generators (``ppca_components`` < ``n_pcs``).
    rng
        Seed or generator.

    Returns
    -------
    dict
        Shares for ``"reconstruction"``, ``"gmm"`` and ``"ppca"``.
    """
    from sklearn.decomposition import PCA

    if not isinstance(data, TFHillData):
        raise TypeError(
            f"data must be a TFHillData from simulate_tf_hill, got {type(data).__name__}"
        )
    logx = np.log1p(data.counts.astype(float))
    n, d = logx.shape
    n_pcs = integer("n_pcs", n_pcs, minimum=2, maximum=d - 1)
    gmm_components = integer("gmm_components", gmm_components, minimum=1, maximum=n)
    ppca_components = integer("ppca_components", ppca_components, minimum=1, maximum=n_pcs - 1)
    gen = as_generator(rng)
    mu = logx.mean(axis=0)
    pca = PCA(n_components=n_pcs, svd_solver="full").fit(logx - mu)
    z = pca.transform(logx - mu)
    tf_counts = data.counts[:, 0]

    def tf_level(scores: np.ndarray) -> np.ndarray:
        return np.expm1(pca.inverse_transform(scores)[:, 0] + mu[0])

    out = {"reconstruction": top_decade_share(tf_level(z), tf_counts, low=100.0)}
    for kind, m in (("gmm", gmm_components), ("ppca", ppca_components)):
        g = fit_generator(z, kind, m, rng=gen)
        out[kind] = top_decade_share(tf_level(g.sample(n, rng=gen)), tf_counts, low=100.0)
    return out
