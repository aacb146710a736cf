"""Small statistical helpers shared by chapters: Monte Carlo errors and log-log slopes."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import bounded_array, finite_array, integer

__all__ = ["mean_se", "rmse_se", "loglog_slope"]


def mean_se(samples: Any, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean of Monte Carlo ``samples`` along ``axis`` and its standard error.

    Parameters
    ----------
    samples
        Replicate values, replicates along ``axis`` (at least two).
    axis
        The replicate axis.

    Returns
    -------
    mean, se
        ``mean = samples.mean(axis)`` and ``se = samples.std(axis, ddof=1) / sqrt(R)``.
    """
    arr = bounded_array("samples", samples)
    if arr.ndim == 0:
        raise ValueError("samples must be an array of replicates, got a single number")
    axis = integer("axis", axis, minimum=-arr.ndim, maximum=arr.ndim - 1)
    r = arr.shape[axis]
    if r < 2:
        raise ValueError(f"samples must have at least 2 replicates along axis {axis}, got {r}")
    return arr.mean(axis=axis), arr.std(axis=axis, ddof=1) / np.sqrt(r)


def rmse_se(errors: Any, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Root-mean-square of ``errors`` along ``axis`` with its delta-method standard error.

    If ``m`` is the mean squared error with standard error ``s``, the RMSE is
    ``sqrt(m)`` and its standard error is ``s / (2 sqrt(m))``.
    """
    err = bounded_array("errors", errors)
    if err.ndim == 0:
        raise ValueError("errors must be an array of replicates, got a single number")
    m, s = mean_se(err**2, axis=axis)
    root = np.sqrt(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(root > 0, s / (2 * np.where(root > 0, root, 1.0)), 0.0)
    return root, se


def loglog_slope(x: Any, y: Any, y_se: Any | None = None) -> tuple[float, float]:
    """Least-squares slope of ``log y`` against ``log x``, with its standard error.

    Parameters
    ----------
    x, y
        Positive values, at least three points.
    y_se
        Standard errors of ``y`` (e.g. Monte Carlo errors). When given, the
        slope's standard error is propagated from them
        (``var(log y) ≈ (y_se / y)²``); otherwise it comes from the residuals
        of the fit.

    Returns
    -------
    slope, se
    """
    x = finite_array("x", x, ndim=1, min_size=3)
    y = finite_array("y", y, ndim=1, min_size=3)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive for a log-log fit")
    lx, ly = np.log(x), np.log(y)
    dx = lx - lx.mean()
    sxx = float(dx @ dx)
    if sxx == 0:
        raise ValueError("x must take at least two different values")
    c = dx / sxx
    slope = float(c @ ly)
    if y_se is None:
        resid = ly - (ly.mean() + slope * dx)
        sigma2 = float(resid @ resid) / (x.size - 2)
        return slope, float(np.sqrt(sigma2 / sxx))
    s = finite_array("y_se", y_se, ndim=1)
    if s.shape != y.shape or np.any(s < 0):
        raise ValueError("y_se must be non-negative and have the same length as y")
    return slope, float(np.sqrt(np.sum((c * s / y) ** 2)))
