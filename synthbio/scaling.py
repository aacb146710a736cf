"""Scaling laws: power-law fits of error against data, and the language-model laws.

The loss law of Hoffmann et al. (2022) and its compute-optimal split, Kaplan et al.'s
(2020) exponents and the value of repeated data (Muennighoff et al. 2023).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    Array,
    Check,
    Flag,
    Int,
    Positive,
    Real,
    RNGLike,
    Seed,
    checked,
)
from .stats import loglog_slope

__all__ = [
    "CHINCHILLA",
    "EPOCH_REPLICATION",
    "KAPLAN",
    "PowerLawFit",
    "ScalingLawParams",
    "chinchilla_loss",
    "compute_optimal",
    "effective_data",
    "fit_power_law",
    "improvement_cost",
    "power_law",
]

_ALPHA_MAX = 10.0
_POSITIVE = Array(positive=True)  # positive values in [1e-100, 1e100], any shape


def _out(arr: np.ndarray, *inputs: np.ndarray) -> float | np.ndarray:
    return float(arr) if all(np.ndim(v) == 0 for v in inputs) else arr


@checked(x=_POSITIVE, a=Positive(), alpha=Real(min=0.0), c=Real(min=0.0))
def power_law(x: ArrayLike, a: float, alpha: float, c: float = 0.0) -> float | np.ndarray:
    """The power law ``c + a * x**(-alpha)``: scale ``a > 0``, exponent and floor ``≥ 0``."""
    return _out(c + a * np.asarray(x) ** (-alpha), np.asarray(x))


@dataclass(frozen=True)
class PowerLawFit:
    """The result of :func:`fit_power_law`: ``y ≈ c + a x**(-alpha)`` (``c = 0`` without floor).

    ``alpha_ci`` is ``alpha ± t·alpha_se`` (Student t); ``c_ci`` a bootstrap percentile
    interval; ``boot`` the bootstrap estimates ``(a, alpha, c)``, one row per resample.
    """

    a: float
    alpha: float
    c: float
    alpha_ci: tuple[float, float]
    alpha_se: float
    c_ci: tuple[float, float]
    c_se: float
    boot: np.ndarray = field(repr=False)

    def predict(self, x: ArrayLike) -> float | np.ndarray:
        """The fitted curve at ``x``."""
        return power_law(x, self.a, self.alpha, self.c)


def _fit_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """``(a, alpha, 0)`` of the straight line ``log y = log a - alpha log x``."""
    slope, _ = loglog_slope(x, y)
    return float(np.exp(np.log(y).mean() - slope * np.log(x).mean())), -slope, 0.0


def _fit_floor(x: np.ndarray, y: np.ndarray, start: Any = None) -> tuple[float, float, float]:
    """Fit ``log y ≈ log(c + a x**-alpha)`` with ``c ≥ 0`` by bounded least squares."""
    from scipy.optimize import least_squares

    lx, ly = np.log(x), np.log(y)

    def resid(theta: np.ndarray) -> np.ndarray:
        return np.log(theta[2] + np.exp(theta[0] - theta[1] * lx)) - ly

    if start is None:  # profile a grid of floors: a straight line through log(y - c0) for each
        starts = []
        for frac in (0.0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99):
            a0, alpha0, _ = _fit_line(x, y - frac * y.min())
            starts.append([np.log(a0), np.clip(alpha0, 1e-3, _ALPHA_MAX), frac * y.min()])
        start = min(starts, key=lambda theta: float(np.sum(resid(np.array(theta)) ** 2)))
    theta0 = np.array(start, dtype=float)
    theta0[1:] = np.clip(theta0[1], 1e-6, _ALPHA_MAX), max(theta0[2], 0.0)
    tol = {"xtol": 1e-12, "ftol": 1e-12, "gtol": 1e-12}
    bounds = ([-np.inf, 0.0, 0.0], [np.inf, _ALPHA_MAX, np.inf])
    log_a, alpha, c = least_squares(resid, theta0, bounds=bounds, x_scale="jac", **tol).x
    return float(np.exp(log_a)), float(alpha), float(c)


@checked(
    x=Array(ndim=1, positive=True),
    y=Array(ndim=(1, 2), positive=True),
    irreducible=Flag(),
    confidence=Real(0.0, 1.0, open_min=True, open_max=True),
    replicates=Int(20, 100_000),
    rng=Seed(),
)
def fit_power_law(
    x: ArrayLike,
    y: ArrayLike,
    *,
    irreducible: bool = True,
    confidence: float = 0.95,
    replicates: int = 200,
    rng: RNGLike = None,
) -> PowerLawFit:
    """Fit ``y ≈ c + a x**(-alpha)`` in log space, with bootstrap intervals (Efron 1979).

    ``y`` is 1-D, or 2-D with replicate curves as rows: their mean is fitted and the
    bootstrap resamples whole rows. Without a floor the fit is :func:`~synthbio.stats.loglog_slope`.
    """
    from scipy.stats import t as student_t

    x, y, gen = np.asarray(x), np.asarray(y), np.random.default_rng(rng)
    k = 3 if irreducible else 2
    if x.size < k + 1:
        raise ValueError(f"x must have at least {k + 1} points to fit {k} parameters, got {x.size}")
    if y.shape[-1] != x.size or (y.ndim == 2 and y.shape[0] < 2):
        raise ValueError(f"y must have one value per x ({x.size}) in ≥ 2 rows, got {y.shape}")
    if np.unique(x).size < 2:
        raise ValueError("x must take at least two different values")

    def fit(curve: np.ndarray, start: Any = None) -> tuple[float, float, float]:
        return _fit_floor(x, curve, start) if irreducible else _fit_line(x, curve)

    a, alpha, c = fit(y.mean(axis=0) if y.ndim == 2 else y)
    fitted = c + a * x ** (-alpha)
    if y.ndim == 1:
        resid = np.log(y / fitted)
        resid = (resid - resid.mean()) * np.sqrt(x.size / (x.size - k))
        curves = fitted * np.exp(resid[gen.integers(0, x.size, size=(replicates, x.size))])
        dof, inflate = x.size - k, 1.0
    else:
        curves = y[gen.integers(0, len(y), size=(replicates, len(y)))].mean(axis=1)
        dof, inflate = len(y) - 1, np.sqrt(len(y) / (len(y) - 1))
    boot = np.array([fit(curve, (np.log(a), alpha, c)) for curve in curves])
    tail = (1.0 - confidence) / 2.0
    c_lo, c_hi = (float(v) for v in np.quantile(boot[:, 2], [tail, 1.0 - tail]))
    # alpha ± t·se: a Student-t quantile keeps the coverage with few points or curves
    se = float(boot[:, 1].std(ddof=1) * inflate)
    half = float(student_t.ppf(1.0 - tail, dof)) * se
    c_se = float(boot[:, 2].std(ddof=1) * inflate)
    return PowerLawFit(a, alpha, c, (alpha - half, alpha + half), se, (c_lo, c_hi), c_se, boot)


@checked(alpha=_POSITIVE, factor=Real(1.0, 1e100, open_min=True, open_max=True))
def improvement_cost(alpha: ArrayLike, factor: float = 2.0) -> float | np.ndarray:
    """``factor**(1/alpha)``: the data multiple that divides ``a x**(-alpha)`` by ``factor``.

    It does not depend on ``x`` or ``a``; ``inf`` where it overflows a float.
    """
    with np.errstate(over="ignore"):
        return _out(np.power(factor, 1.0 / np.asarray(alpha)), np.asarray(alpha))


@dataclass(frozen=True)
class ScalingLawParams:
    """The loss ``L(N, D) = E + A / N**alpha + B / D**beta`` (nats per token, ``N`` params)."""

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str
    key: str

    def __post_init__(self) -> None:
        Real(min=0.0)("E", self.E)
        for name in ("A", "B", "alpha", "beta"):
            Positive()(name, getattr(self, name))

    @property
    def a(self) -> float:
        """Exponent of the compute-optimal size, ``N_opt ∝ C**a``: ``beta / (alpha + beta)``."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        """Exponent of the compute-optimal data, ``D_opt ∝ C**b``: ``alpha / (alpha + beta)``."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def G(self) -> float:
        """Prefactor of ``N_opt = G (C/6)**a``: ``(alpha A / (beta B))**(1 / (alpha + beta))``."""
        return (self.alpha * self.A / (self.beta * self.B)) ** (1.0 / (self.alpha + self.beta))


#: The Chinchilla fit of Hoffmann et al. (2022, arXiv 2203.15556), Approach 3 (eq. 10),
#: as rounded in the text.
CHINCHILLA = ScalingLawParams(
    1.69, 406.4, 410.7, 0.34, 0.28, "Hoffmann et al. (2022), Approach 3", "hoffmann2022training"
)

#: Approach 3 refitted by Besiroglu et al. (2024, arXiv 2404.10102) to data read off the
#: figure.
EPOCH_REPLICATION = ScalingLawParams(
    1.8172, 482.01, 2085.43, 0.3478, 0.3658, "Besiroglu et al. (2024)", "besiroglu2024chinchilla"
)

#: The fits of Kaplan et al. (2020, arXiv 2001.08361), ``L(N) = (N_c/N)**alpha_N``
#: (non-embedding ``N``), ``L(D) = (D_c/D)**alpha_D``, ``L(C) ∝ C**-alpha_C``,
#: ``N_opt ∝ C**N_opt_exponent`` and so on.
KAPLAN = MappingProxyType(
    {
        "alpha_N": 0.076,
        "N_c": 8.8e13,
        "alpha_D": 0.095,
        "D_c": 5.4e13,
        "alpha_C": 0.050,
        "N_opt_exponent": 0.73,
        "D_opt_exponent": 0.27,
        "source": "Kaplan et al. (2020), Scaling laws for neural language models, arXiv:2001.08361",
        "key": "kaplan2020scaling",
    }
)


def _params(name: str, value: Any) -> ScalingLawParams:
    if not isinstance(value, ScalingLawParams):
        raise TypeError(f"{name} must be a ScalingLawParams (e.g. CHINCHILLA), got {value!r}")
    return value


_PARAMS = Check(_params, refuse=[("string", "CHINCHILLA"), ("mapping", {"E": 1.69})])


def _broadcast(names: str, *arrays: np.ndarray) -> None:
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise ValueError(f"{names} must broadcast, got {[a.shape for a in arrays]}") from None


@checked(N=_POSITIVE, D=_POSITIVE, params=_PARAMS)
def chinchilla_loss(
    N: ArrayLike, D: ArrayLike, params: ScalingLawParams = CHINCHILLA
) -> float | np.ndarray:
    """Predicted loss ``E + A / N**alpha + B / D**beta`` of ``N`` parameters on ``D`` tokens."""
    n, d = np.asarray(N), np.asarray(D)
    _broadcast("N and D", n, d)
    return _out(params.E + params.A * n ** (-params.alpha) + params.B * d ** (-params.beta), n, d)


@checked(C=_POSITIVE, params=_PARAMS)
def compute_optimal(
    C: ArrayLike, params: ScalingLawParams = CHINCHILLA
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """``(N_opt, D_opt)`` minimising the loss at compute ``C = 6 N D`` FLOPs, in closed form.

    ``N_opt = G (C/6)**a``, ``D_opt = (C/6)**b / G`` (see :class:`ScalingLawParams`).
    """
    c6 = np.asarray(C) / 6.0
    return _out(params.G * c6**params.a, c6), _out(c6**params.b / params.G, c6)


def _epochs(name: str, value: Any) -> np.ndarray:
    """Positive numbers of passes; ``numpy.inf`` (the limit) is allowed."""
    items = np.asarray(value, dtype=object).ravel()
    ok = [isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in items]
    if not items.size or not all(ok):
        raise TypeError(f"{name} must be positive numbers, got {value!r}")
    arr = np.asarray(value, dtype=float)
    if not np.all(arr > 0):
        raise ValueError(f"{name} must be positive (not NaN); numpy.inf gives the limit")
    return arr


_EPOCHS = Check(_epochs, refuse=[("zero", 0.0), ("NaN", [np.nan]), ("bool", True), ("empty", [])])


@checked(unique_tokens=_POSITIVE, epochs=_EPOCHS, r_star=Positive())
def effective_data(
    unique_tokens: ArrayLike, epochs: ArrayLike, r_star: float = 15.4
) -> float | np.ndarray:
    """Effective tokens from ``epochs`` passes over ``unique_tokens`` unique tokens.

    ``D' = U (1 + r* (1 - exp(-R / r*)))`` for ``R = epochs - 1 > 0`` repetitions, else
    ``epochs · U``; ``r_star`` = 15.4 is the fit of Muennighoff et al. (2023).
    """
    u, e = np.asarray(unique_tokens), np.asarray(epochs)
    _broadcast("unique_tokens and epochs", u, e)
    value = np.where(e <= 1.0, e, 1.0 + r_star * -np.expm1(-np.maximum(e - 1.0, 0.0) / r_star))
    return _out(u * value, u, e)
