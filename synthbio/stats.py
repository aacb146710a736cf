"""Small statistical helpers shared by chapters: Monte Carlo errors, log-log slopes, neighbours."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Check, Int, bounded_array, check_memory, check_work, checked

__all__ = ["mean_se", "rmse_se", "loglog_slope", "nearest_neighbours"]

#: Monte Carlo replicates: finite numbers of any shape; boolean arrays count as 0/1.
_REPLICATES = Check(
    bounded_array,
    refuse=[("string", "abc"), ("NaN", [np.nan, 1.0]), ("inf", [np.inf, 1.0]), ("empty", [])]
    + [("complex", [1j, 1.0]), ("None in array", [None, 1.0]), ("bool", True), ("huge", [1e300])],
)


@checked(samples=_REPLICATES, axis=Int())
def mean_se(samples: ArrayLike, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean of Monte Carlo ``samples`` along the replicate ``axis`` and its standard error.

    Returns
    -------
    mean, se
        ``samples.mean(axis)`` and ``samples.std(axis, ddof=1) / sqrt(R)`` (``R ≥ 2``).
    """
    arr = np.asarray(samples)
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis must be a dimension of samples (shape {arr.shape}), got {axis}")
    r = arr.shape[axis]
    if r < 2:
        raise ValueError(f"samples must have at least 2 replicates along axis {axis}, got {r}")
    return arr.mean(axis=axis), arr.std(axis=axis, ddof=1) / np.sqrt(r)


@checked(errors=_REPLICATES, axis=Int())
def rmse_se(errors: ArrayLike, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Root-mean-square of ``errors`` along ``axis`` with its delta-method standard error.

    With ``m`` the mean squared error and ``s`` its standard error, the RMSE is
    ``sqrt(m)`` and its standard error ``s / (2 sqrt(m))``.
    """
    m, s = mean_se(np.asarray(errors) ** 2, axis=axis)
    root = np.sqrt(m)
    return root, np.divide(s, 2 * root, out=np.zeros_like(s), where=root > 0)


@checked(
    x=Array(ndim=1, min_size=3, positive=True),
    y=Array(ndim=1, min_size=3, positive=True),
    y_se=Array(ndim=1, optional=True),
)
def loglog_slope(x: ArrayLike, y: ArrayLike, y_se: ArrayLike | None = None) -> tuple[float, float]:
    """Least-squares slope of ``log y`` against ``log x``, with its standard error.

    The standard error comes from ``y_se`` (standard errors of ``y``, propagated as
    ``var(log y) ≈ (y_se / y)²``) when given, otherwise from the residuals of the fit.

    Returns
    -------
    slope, se
    """
    lx, ly = np.log(np.asarray(x)), np.log(np.asarray(y))
    if lx.shape != ly.shape:
        raise ValueError(f"x and y must have the same length, got {lx.size} and {ly.size}")
    dx = lx - lx.mean()
    sxx = float(dx @ dx)
    if sxx == 0:
        raise ValueError("x must take at least two different values")
    c = dx / sxx
    slope = float(c @ ly)
    if y_se is None:
        resid = ly - (ly.mean() + slope * dx)
        return slope, float(np.sqrt(float(resid @ resid) / (lx.size - 2) / sxx))
    s = np.asarray(y_se)
    if s.shape != ly.shape or np.any(s < 0):
        raise ValueError("y_se must be non-negative and have the same length as y")
    return slope, float(np.sqrt(np.sum((c * s / np.asarray(y)) ** 2)))


@checked(reference=Array(ndim=2), query=Array(ndim=2, optional=True), n_neighbors=Int(1))
def nearest_neighbours(
    reference: ArrayLike, query: ArrayLike | None = None, *, n_neighbors: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Distances and indices of the ``n_neighbors`` nearest ``reference`` rows (Euclidean).

    The one neighbour search of the book, on :class:`sklearn.neighbors.NearestNeighbors`.
    With ``query=None`` each reference row is its own query and is left out of its
    neighbours (the leave-one-out search behind kNN smoothing and nearest-training ratios).

    Returns
    -------
    distances, indices
        Arrays of shape ``(n_query, n_neighbors)``, nearest first.
    """
    from sklearn.neighbors import NearestNeighbors

    ref = np.asarray(reference)
    q = None if query is None else np.asarray(query)
    if q is not None and q.shape[1] != ref.shape[1]:
        raise ValueError(
            f"query must have as many columns as reference ({ref.shape[1]}), got {q.shape[1]}"
        )
    available = ref.shape[0] - (1 if q is None else 0)
    if available < 1:
        raise ValueError("reference must have at least 2 rows when query is None")
    if n_neighbors > available:
        raise ValueError(
            f"n_neighbors must be ≤ {available} (the rows available), got {n_neighbors}"
        )
    n_query = ref.shape[0] if q is None else q.shape[0]
    check_memory("n_neighbors", 2.0 * n_query * n_neighbors, what="neighbour table")
    # one step per pair of points: each distance is a BLAS dot product (100k cells ≈ 1e10)
    check_work("reference, query", float(n_query) * ref.shape[0], what="pairwise distances")
    search = NearestNeighbors(n_neighbors=n_neighbors).fit(ref)
    dist, idx = search.kneighbors(q, return_distance=True)  # q=None leaves each point out
    return dist, idx
