"""Metrics for judging synthetic data against real data in the same feature space (rows = points).

Two-sample tests (:func:`c2st_auc`, :func:`mmd`); where synthetic points sit
(:func:`precision_recall`, :func:`on_real_manifold`, :func:`nearest_real_distance`,
:func:`neighbour_purity`); what they are worth for a task (:func:`tstr`).

References
----------
* Lopez-Paz & Oquab (2017), Revisiting classifier two-sample tests, arXiv:1610.06545.
* Gretton et al. (2012), A kernel two-sample test, JMLR 13, 723–773.
* Kynkäänniemi et al. (2019), Improved precision and recall metric for assessing
  generative models, arXiv:1904.06991.
* Esteban, Hyland & Rätsch (2017), Real-valued (medical) time series generation with
  recurrent conditional GANs, arXiv:1706.02633 (train on synthetic, test on real).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Int, Labels, Positive, RNGLike, Seed, check_memory, checked
from .stats import nearest_neighbours

__all__ = [
    "C2STResult",
    "MMDResult",
    "PrecisionRecall",
    "TSTRResult",
    "c2st_auc",
    "mmd",
    "nearest_real_distance",
    "neighbour_purity",
    "on_real_manifold",
    "precision_recall",
    "tstr",
]

_POINTS = Array(ndim=2)


def _pair(
    a: ArrayLike, b: ArrayLike, names: tuple[str, str], min_rows: int = 1, rescale: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Two point sets, same columns, ≥ ``min_rows`` rows; ``rescale`` shrinks entries > 1e100."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of columns (features), "
            f"got {a.shape[1]} and {b.shape[1]}"
        )
    for name, arr in zip(names, (a, b)):
        if arr.shape[0] < min_rows:
            raise ValueError(f"{name} must have at least {min_rows} rows, got {arr.shape[0]}")
    scale = max(float(np.abs(a).max()), float(np.abs(b).max()))
    return (a / scale, b / scale) if rescale and scale > 1e100 else (a, b)


def _one_per_row(name: str, y: ArrayLike, n: int) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(f"{name} must hold one label per row ({n}), got shape {y.shape}")
    return y


@dataclass(frozen=True)
class C2STResult:
    """Outcome of :func:`c2st_auc`: cross-validated ROC AUC (0.5: indistinguishable).

    ``p_value`` = ``(1 + #{null AUC ≥ auc}) / (1 + permutations)``; ``null_*``: the null.
    """

    auc: float
    p_value: float
    null_mean: float
    null_sd: float
    n_real: int
    n_synthetic: int


_C2ST_CHUNK = 4_000_000  # elements of one (points, neighbours, permutations) block
_C2ST_SLACK = 6.0  # neighbour-list margin, in binomial SDs (0 forces the exact fallback often)


def _stratified_folds(y: np.ndarray, folds: int, gen: np.random.Generator) -> np.ndarray:
    """A fresh stratified fold for each point of each row of labels ``y``, as StratifiedKFold."""
    order = np.lexsort((gen.random(y.shape), y), axis=-1)
    out = np.empty(y.shape, np.int16)
    deal = np.broadcast_to(np.arange(y.shape[1]) % folds, y.shape).astype(np.int16)
    np.put_along_axis(out, order, deal, axis=-1)
    return out


def _knn_oof_aucs(
    X: np.ndarray, y: np.ndarray, fold: np.ndarray, n_neighbors: int, n_pos: int
) -> np.ndarray:
    """Out-of-fold k-NN ROC AUC for each row of labels ``y`` with its own folds ``fold``.

    One neighbour search; a point's training neighbours are its first ones outside its fold.
    """
    from scipy.stats import rankdata

    k, n_pts = n_neighbors, X.shape[0]
    same = (int(np.bincount(fold[0]).max()) - 1) / (n_pts - 1)  # share of others in own fold
    # long enough that fewer than k outside the own fold is ~6 binomial SDs out
    want = int(np.ceil((k + _C2ST_SLACK * (np.sqrt(k + 1) + 1)) / (1 - same)))
    nbr = nearest_neighbours(X, n_neighbors=min(n_pts - 1, want))[1]
    lab_t = np.ascontiguousarray(y.T)  # points × permutations: the inner loop is contiguous
    fold_t = np.ascontiguousarray(fold.T)
    votes = np.empty(lab_t.shape, np.int32)
    step = max(1, _C2ST_CHUNK // (y.shape[0] * nbr.shape[1]))
    for s in range(0, n_pts, step):
        rows = slice(s, s + step)
        outside = fold_t[nbr[rows]] != fold_t[rows, None, :]  # (points, neighbours, perms)
        take = outside & (np.cumsum(outside, axis=1, dtype=np.int32) <= k)
        votes[rows] = np.count_nonzero(take & (lab_t[nbr[rows]] == 1), axis=1)
        for i, r in zip(*np.nonzero(take.sum(axis=1) < k)):  # too many same-fold neighbours
            i += s
            train = np.flatnonzero(fold_t[:, r] != fold_t[i, r])
            near = nearest_neighbours(X[train], X[i : i + 1], n_neighbors=k)[1][0]
            votes[i, r] = np.sum(lab_t[train[near], r] == 1)
    ranks = rankdata(votes, axis=0)  # mid-ranks: ties count one half, as in roc_auc_score
    n_neg = n_pts - n_pos
    return (np.sum(ranks * (lab_t == 1), axis=0) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


@checked(
    real=_POINTS,
    synthetic=_POINTS,
    n_neighbors=Int(1, 200),
    folds=Int(2, 20),
    permutations=Int(1, 10_000),
    rng=Seed(),
)
def c2st_auc(
    real: ArrayLike,
    synthetic: ArrayLike,
    *,
    n_neighbors: int = 10,
    folds: int = 5,
    permutations: int = 200,
    rng: RNGLike = None,
) -> C2STResult:
    """Classifier two-sample test: how well a classifier tells synthetic from real.

    A k-NN classifier's out-of-fold scores (``folds``-fold stratified cross-validation) give
    one ROC AUC. The permutation null reshuffles labels and draws new folds every time.
    """
    a, b = _pair(real, synthetic, ("real", "synthetic"), min_rows=folds)
    n, m = a.shape[0], b.shape[0]
    if (n + m) * permutations > 50_000_000:
        raise ValueError(
            f"permutations: {permutations} permutations of {n + m} points is too much work "
            f"(limit 5e7 point-permutations); use at most {50_000_000 // (n + m)}"
        )
    gen = np.random.default_rng(rng)
    y = np.r_[np.zeros(n, np.int8), np.ones(m, np.int8)]
    labels = np.vstack([y, gen.permuted(np.tile(y, (permutations, 1)), axis=1)])
    fold = _stratified_folds(labels, folds, gen)
    k = min(n_neighbors, n + m - int(np.bincount(fold[0]).max()))
    aucs = _knn_oof_aucs(np.vstack([a, b]), labels, fold, k, m)
    auc, null = float(aucs[0]), aucs[1:]
    return C2STResult(
        auc=auc,
        p_value=float((1 + np.sum(null >= auc - 1e-12)) / (1 + permutations)),
        null_mean=float(null.mean()),
        null_sd=float(null.std(ddof=1)) if permutations > 1 else 0.0,
        n_real=n,
        n_synthetic=m,
    )


@dataclass(frozen=True)
class MMDResult:
    """Outcome of :func:`mmd`: squared MMD, kernel width σ, permutation p-value (or None)."""

    mmd2: float
    bandwidth: float
    p_value: float | None = None


@checked(
    real=_POINTS,
    synthetic=_POINTS,
    bandwidth=Positive(optional=True),
    permutations=Int(0, 10_000),
    rng=Seed(),
)
def mmd(
    real: ArrayLike,
    synthetic: ArrayLike,
    *,
    bandwidth: float | None = None,
    permutations: int = 0,
    rng: RNGLike = None,
) -> MMDResult:
    """Unbiased squared maximum mean discrepancy with a Gaussian (RBF) kernel.

    Zero in expectation for equal distributions (so it can be negative); judge it by its p-value.

    Parameters
    ----------
    bandwidth
        Kernel width σ; None takes the median distance between the pooled points.
    permutations
        If positive, the p-value from that many random relabellings of the pooled points.
    """
    from scipy.spatial.distance import pdist, squareform

    a, b = _pair(real, synthetic, ("real", "synthetic"), min_rows=2, rescale=False)
    n, m = a.shape[0], b.shape[0]
    check_memory("real, synthetic", 2.0 * (n + m) ** 2, what="the pooled kernel matrix")
    dist = pdist(np.vstack([a, b]))
    sigma = float(np.median(dist)) if bandwidth is None else bandwidth
    if not 1e-100 <= sigma < np.inf:
        raise ValueError(f"bandwidth: the median heuristic gave {sigma:g}; pass bandwidth")
    with np.errstate(over="ignore"):  # exp(-inf) = 0 where (d/σ)² overflows
        kern = squareform(np.exp(-0.5 * np.square(dist / sigma)))  # zero diagonal
    y = np.r_[np.zeros(n), np.ones(m)]
    gen = np.random.default_rng(rng)
    lab = np.vstack([y, gen.permuted(np.tile(y, (permutations, 1)), axis=1)])
    # with l the indicator of the synthetic points and r the row sums of K:
    # Σ_yy = lᵀKl, Σ_xy = rᵀl - lᵀKl and Σ_xx = 1ᵀK1 - 2 rᵀl + lᵀKl
    s_yy = np.einsum("pi,pi->p", lab @ kern, lab)
    r_l = lab @ kern.sum(axis=1)
    s_xx = kern.sum() - 2.0 * r_l + s_yy
    stat = s_xx / (n * (n - 1)) + s_yy / (m * (m - 1)) - 2.0 * (r_l - s_yy) / (n * m)
    tol = 1e-9 * max(1e-12, float(np.abs(stat).max()))  # ties up to rounding count as reached
    p = float((1 + np.sum(stat[1:] >= stat[0] - tol)) / (1 + permutations))
    return MMDResult(mmd2=float(stat[0]), bandwidth=sigma, p_value=p if permutations else None)


def _support(reference: np.ndarray, query: np.ndarray, n_neighbors: int) -> np.ndarray:
    """Whether each query point lies in a reference point's ball (to its k-th neighbour)."""
    from scipy.spatial.distance import cdist

    r2 = nearest_neighbours(reference, n_neighbors=n_neighbors)[0][:, -1] ** 2
    out = np.empty(query.shape[0], bool)
    for s in range(0, query.shape[0], 1024):
        d2 = cdist(query[s : s + 1024], reference, "sqeuclidean")
        out[s : s + 1024] = np.any(d2 <= r2 * (1 + 1e-12), axis=1)
    return out


@checked(real=_POINTS, query=_POINTS, n_neighbors=Int(min=1))
def on_real_manifold(real: ArrayLike, query: ArrayLike, *, n_neighbors: int = 5) -> np.ndarray:
    """Which query points fall inside the k-nearest-neighbour balls of the real points.

    The ball of a real point reaches its ``n_neighbors``-th real neighbour; one bool per query.
    """
    a, q = _pair(real, query, ("real", "query"))
    if n_neighbors >= a.shape[0]:
        raise ValueError(f"n_neighbors must be less than the rows of real, got {n_neighbors}")
    return _support(a, q, n_neighbors)


@dataclass(frozen=True)
class PrecisionRecall:
    """Outcome of :func:`precision_recall` (both in [0, 1])."""

    precision: float
    recall: float


@checked(real=_POINTS, synthetic=_POINTS, n_neighbors=Int(min=1))
def precision_recall(
    real: ArrayLike, synthetic: ArrayLike, *, n_neighbors: int = 5
) -> PrecisionRecall:
    """k-nearest-neighbour precision and recall of a generative model.

    Precision: share of synthetic points on the real manifold (:func:`on_real_manifold`);
    recall: the converse. ``n_neighbors`` sets the ball radii; each set needs more rows.
    """
    a, b = _pair(real, synthetic, ("real", "synthetic"))
    if n_neighbors >= min(a.shape[0], b.shape[0]):
        raise ValueError(
            f"n_neighbors must be less than the rows of each set, got {n_neighbors} "
            f"with {a.shape[0]} real and {b.shape[0]} synthetic rows"
        )
    return PrecisionRecall(
        precision=float(_support(a, b, n_neighbors).mean()),
        recall=float(_support(b, a, n_neighbors).mean()),
    )


@checked(real=_POINTS, synthetic=_POINTS)
def nearest_real_distance(real: ArrayLike, synthetic: ArrayLike) -> np.ndarray:
    """Distance of each synthetic point to its nearest real point, in units of the local spacing.

    ``|s - r| / |r - r'|`` per synthetic point ``s``, ``r`` its nearest real point, ``r'``
    the real point nearest to ``r``. Held-out real points score about 1; near 0: copies.
    """
    a, b = _pair(real, synthetic, ("real", "synthetic"))
    if a.shape[0] < 2:
        raise ValueError(f"real must have at least 2 rows, got {a.shape[0]}")
    spacing = nearest_neighbours(a)[0][:, 0]
    positive = spacing[spacing > 0]
    spacing = np.where(spacing > 0, spacing, np.median(positive) if positive.size else 1.0)
    dist, idx = nearest_neighbours(a, b)
    return dist[:, 0] / spacing[idx[:, 0]]


@checked(real=_POINTS, y=Labels(), query=_POINTS, n_neighbors=Int(min=1))
def neighbour_purity(
    real: ArrayLike, y: ArrayLike, query: ArrayLike, *, n_neighbors: int = 10
) -> np.ndarray:
    """Share of a query point's nearest real points that carry their most common label.

    ``y`` holds one label per real point; the result is in [1/n_neighbors, 1] per query point.
    """
    a, q = _pair(real, query, ("real", "query"))
    codes = np.unique(_one_per_row("y", y, a.shape[0]), return_inverse=True)[1].ravel()
    if n_neighbors > a.shape[0]:
        raise ValueError(f"n_neighbors must be at most the rows of real, got {n_neighbors}")
    neigh = codes[nearest_neighbours(a, q, n_neighbors=n_neighbors)[1]]
    counts = (neigh[:, :, None] == np.arange(codes.max() + 1)).sum(axis=1)
    return counts.max(axis=1) / n_neighbors


@dataclass(frozen=True)
class TSTRResult:
    """Outcome of :func:`tstr`: real-test accuracy trained on real (``trtr``) or synthetic."""

    trtr: float
    tstr: float


_FEATURES = Array(ndim=2, max_abs=1e100)  # standardising sums squares of the entries


@checked(
    real_train=_FEATURES,
    synthetic_train=_FEATURES,
    real_test=_FEATURES,
    y_real_train=Labels(),
    y_synthetic=Labels(),
    y_real_test=Labels(),
    C=Positive(),
)
def tstr(
    real_train: ArrayLike,
    synthetic_train: ArrayLike,
    real_test: ArrayLike,
    *,
    y_real_train: ArrayLike,
    y_synthetic: ArrayLike,
    y_real_test: ArrayLike,
    C: float = 1.0,
) -> TSTRResult:
    """Train on synthetic, test on real: the accuracy a synthetic training set buys.

    Logistic regression (standardised features, inverse regularisation ``C``) trained on each
    training set, scored on ``real_test``; the ``y_*`` hold one label per row.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    a, b = _pair(real_train, synthetic_train, ("real_train", "synthetic_train"), min_rows=2)
    _, t = _pair(real_train, real_test, ("real_train", "real_test"))
    ya = _one_per_row("y_real_train", y_real_train, a.shape[0])
    yb = _one_per_row("y_synthetic", y_synthetic, b.shape[0])
    yt = _one_per_row("y_real_test", y_real_test, t.shape[0])
    acc = []
    for name, X, y in (("y_real_train", a, ya), ("y_synthetic", b, yb)):
        if np.unique(y).size < 2:
            raise ValueError(f"{name} must contain at least 2 classes")
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)).fit(X, y)
        acc.append(float(np.mean(clf.predict(t) == yt)))
    return TSTRResult(trtr=acc[0], tstr=acc[1])
