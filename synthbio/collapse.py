"""Closed forms for copies of copies: what refitting a model to its own samples loses.

The exact answers the chapter *Copies of copies* checks its refit chains against.
Generation 0 is the truth, generation ``g`` what ``g`` rounds of fit-and-sample produced.

* Categories resampled from their own frequencies (the Wright–Fisher process):
  :func:`loss_probability`, :func:`expected_categories_left`, :func:`expected_spread_ratio`.
* A normal distribution refitted to ``n`` of its own samples: :func:`expected_variance`,
  :func:`expected_log_variance`, :func:`prob_variance_below`,
  :func:`expected_mean_sq_error`, :func:`expected_w2_sq` and :func:`w2_gaussian`.

References
----------
* Shumailov, I. et al. (2023). The curse of recursion: training on generated data makes
  models forget. arXiv:2305.17493.
* Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of
  recursion by accumulating real and synthetic data. arXiv:2404.01413.
* Kimura, M. (1962). On the probability of fixation of mutant genes in a population.
  *Genetics* 47, 713–719.
* Gil-Pelaez, J. (1951). Note on the inversion theorem. *Biometrika* 38, 481–482.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Flag, Int, Positive, check_memory, check_work, checked

__all__ = [
    "expected_categories_left",
    "expected_log_variance",
    "expected_mean_sq_error",
    "expected_spread_ratio",
    "expected_variance",
    "expected_w2_sq",
    "loss_probability",
    "prob_variance_below",
    "w2_gaussian",
]

_COUNTS = Array(ndim=(0, 1), counts=True)  # one count or a 1-D array of counts


# --- Categories: the Wright–Fisher process ---------------------------------------------------


def _transition(total: int, top: int, names: str, rows: int, generations: int) -> np.ndarray:
    """``T[i, j] = P(j items next | i items now)``, ``i, j ≤ top``: Binomial(total, i / total)."""
    from scipy import stats

    check_memory(names, (top + 1.0) ** 2 + rows * (top + 1.0), what="a dense transition matrix")
    check_memory("generations", max(rows, 1) * (generations + 1.0))
    # a matrix product runs at many flops per step: count ten flops as one step
    check_work(f"{names}, generations", rows * (top + 1.0) ** 2 * max(generations, 1) / 10)
    i = np.arange(top + 1)
    return stats.binom.pmf(i[None, :], total, i[:, None] / total)


def _lost(ks: np.ndarray, total: int, generations: int, top: int, names: str) -> np.ndarray:
    """P(count 0 by generation g) for starting counts ``ks ≤ top`` (paths above top drop out)."""
    step = _transition(total, top, names, ks.size, generations)  # Binomial(total, i / total)
    dist = np.zeros((ks.size, top + 1))  # one row per starting count: P(count = j)
    dist[np.arange(ks.size), ks] = 1.0
    out = np.empty((ks.size, generations + 1))
    out[:, 0] = dist[:, 0]
    for g in range(1, generations + 1):
        dist = dist @ step  # one generation of resampling
        out[:, g] = dist[:, 0]  # P(count = 0): the category is gone
    return np.clip(out, 0.0, 1.0)


def _within(name: str, values: np.ndarray, low: int, high: int) -> None:
    if values.size and (values.min() < low or values.max() > high):
        raise ValueError(
            f"{name} must be in [{low}, {high}], got values from {values.min()} to {values.max()}"
        )


@checked(k=_COUNTS, total=Int(min=1), generations=Int(min=0))
def loss_probability(k: ArrayLike, total: int, generations: int) -> np.ndarray:
    """Exact probability that a category with ``k`` of ``total`` items is gone by generation g.

    A category with ``j`` items has ``Binomial(total, j / total)`` next; the limit is
    ``1 - k / total`` (Kimura 1962).

    Returns
    -------
    numpy.ndarray
        Shape ``(generations + 1,)`` for one ``k``, else ``(len(k), generations + 1)``.
    """
    k = np.asarray(k)
    _within("k", k, 0, total)
    lost = _lost(k.ravel(), total, generations, total, "total")
    return lost[0] if k.ndim == 0 else lost


@checked(
    counts=Array(ndim=1, counts=True),
    generations=Int(min=0),
    total=Int(min=1, optional=True),
    states=Int(min=1),
)
def expected_categories_left(
    counts: ArrayLike, generations: int, *, total: int | None = None, states: int = 2000
) -> np.ndarray:
    """Expected number of categories still present after each generation of resampling.

    Uses :func:`loss_probability`'s chain with ``total`` items per generation (default
    ``counts.sum()``). Counts above ``states`` count as never lost (error < 1e-16 per category
    for 2000 states and 100 generations); ``states ≥ total`` is exact.

    Returns
    -------
    numpy.ndarray, shape ``(generations + 1,)``
    """
    counts = np.asarray(counts)
    total = int(counts.sum()) if total is None else total
    if total == 0:
        raise ValueError("counts must hold at least one item (total > 0)")
    _within("counts", counts, 0, total)
    top = min(total, states)
    present = counts[counts > 0]
    ks, n_k = np.unique(present[present <= top], return_counts=True)
    lost = _lost(ks, total, generations, top, "states, total")
    return present.size - n_k @ lost


@checked(k=_COUNTS, total=Int(min=1), generations=Int(min=0))
def expected_spread_ratio(k: ArrayLike, total: int, generations: int) -> np.ndarray:
    """Mean spread of a surviving type, relative to the real cells, when a generator is refitted.

    ``E[prod_{t ≤ g}(1 - 1/c_t) | c_g > 0]`` for a count ``c_t`` following the Wright–Fisher
    chain with ``total`` cells per generation (an ML covariance keeps ``1 - 1/c`` of its trace).

    Returns
    -------
    numpy.ndarray
        Shape ``(generations + 1,)`` for one ``k`` in ``[1, total]``, else
        ``(len(k), generations + 1)``; 0 where the type can no longer survive.
    """
    k = np.asarray(k)
    _within("k", k, 1, total)
    ks = k.ravel()
    step = _transition(total, total, "total", 2 * ks.size, generations)
    weight = np.r_[0.0, 1.0 - 1.0 / np.arange(1, total + 1)]
    dist = np.zeros((ks.size, total + 1))
    dist[np.arange(ks.size), ks] = 1.0
    weighted = dist.copy()
    out = np.ones((ks.size, generations + 1))
    for g in range(1, generations + 1):
        dist, weighted = dist @ step, (weighted @ step) * weight
        alive = dist[:, 1:].sum(axis=1)
        out[:, g] = np.where(alive > 0, weighted.sum(axis=1) / np.where(alive > 0, alive, 1), 0)
    out = np.clip(out, 0.0, 1.0)
    return out[0] if k.ndim == 0 else out


# --- A normal refitted to n of its own samples ----------------------------------------------
# Model g + 1: mean and SD (with ``ddof``) of n points drawn from model g; with ``accumulate``
# each fit uses all points so far (Gerstgrasser et al. 2024).

_GAUSS = dict(generations=_COUNTS, n=Int(min=2), ddof=Int(min=0), sigma2=Positive())


def _ddof(n: int, ddof: int) -> None:
    if ddof > n - 1:
        raise ValueError(f"ddof must be in [0, n - 1] = [0, {n - 1}], got {ddof}")


def _result(out: np.ndarray) -> float | np.ndarray:
    return float(out) if np.ndim(out) == 0 else out


def _accumulated_variance(top: int, n: int, ddof: int) -> np.ndarray:
    """``E[σ²_t] / σ²``, ``t = 0..top``, when all data are kept."""
    check_memory("generations", top + 1.0)
    t = np.arange(2, top + 1, dtype=float)
    growth = 1.0 + (n - 1 + (t - 1) / t) / ((t - 1) * n - ddof)
    m2 = (n - 1) * np.cumprod(np.r_[1.0, growth])[:top]  # E[M_t] / σ², t = 1..top
    return np.r_[1.0, m2 / (np.arange(1, top + 1) * n - ddof)]


@checked(**_GAUSS, accumulate=Flag())
def expected_variance(
    generations: ArrayLike, n: int, *, ddof: int = 0, sigma2: float = 1.0, accumulate: bool = False
) -> float | np.ndarray:
    """Mean fitted variance of model ``g``: ``sigma2 ((n - 1)/(n - ddof))**g`` when replacing.

    With ``accumulate``, the exact mean under the pooling of Gerstgrasser et al. (2024).
    """
    _ddof(n, ddof)
    g = np.asarray(generations)
    if accumulate:
        return _result(sigma2 * _accumulated_variance(int(g.max()), n, ddof)[g])
    return _result(sigma2 * ((n - 1) / (n - ddof)) ** g.astype(float))


@checked(**_GAUSS)
def expected_log_variance(
    generations: ArrayLike, n: int, *, ddof: int = 0, sigma2: float = 1.0
) -> float | np.ndarray:
    """Mean of ``log σ²_g`` (replacing data): the typical path of the fitted variance."""
    from scipy.special import digamma

    _ddof(n, ddof)
    rate = digamma((n - 1) / 2) + np.log(2.0) - np.log(n - ddof)
    return _result(np.log(sigma2) + np.asarray(generations) * rate)


@checked(generations=_COUNTS, n=Int(min=2, max=10**7), ddof=Int(min=0), ratio=Positive())
def prob_variance_below(
    generations: ArrayLike, n: int, *, ddof: int = 0, ratio: float = 1.0
) -> float | np.ndarray:
    """Exact ``P(σ²_g < ratio σ²)`` when replacing data.

    ``log(σ²_g / σ²)`` sums ``g`` independent ``log(χ²_{n-1} / (n - ddof))``; its
    characteristic function is inverted numerically (Gil-Pelaez 1951).
    """
    from scipy.integrate import IntegrationWarning, quad
    from scipy.special import loggamma, polygamma

    _ddof(n, ddof)
    g = np.asarray(generations)
    check_work("generations", float(g.size) * 1e5, what="one quadrature per generation")
    x, a, shift = np.log(ratio), (n - 1) / 2, np.log(2.0) - np.log(n - ddof)

    def log_cf(u: float) -> complex:
        return complex(1j * u * shift + loggamma(a + 1j * u) - loggamma(a))

    out = np.empty(g.shape)
    for idx, gi in np.ndenumerate(g):
        if gi == 0:
            out[idx] = float(x > 0)
            continue
        upper = 1.0 / np.sqrt(gi * polygamma(1, a))  # the width of |φ|^g; go on to e^-60
        while gi * log_cf(upper).real > -60.0:
            upper *= 2.0

        def integrand(u: float, gi: int = int(gi)) -> float:
            return 0.0 if u == 0.0 else float(np.exp(gi * log_cf(u) - 1j * u * x).imag / u)

        with warnings.catch_warnings():
            warnings.simplefilter("error", IntegrationWarning)
            try:
                value, _ = quad(integrand, 0.0, upper, limit=400, epsabs=1e-12, epsrel=1e-10)
            except IntegrationWarning:
                raise ValueError(
                    f"n = {n}, ratio = {ratio:g} and generations = {int(gi)} are out of reach "
                    "of the exact inversion (the probability is too close to 0 or 1); "
                    "estimate it by simulation"
                ) from None
        out[idx] = min(max(0.5 - value / np.pi, 0.0), 1.0)
    return _result(out)


@checked(**_GAUSS, accumulate=Flag())
def expected_mean_sq_error(
    generations: ArrayLike, n: int, *, ddof: int = 0, sigma2: float = 1.0, accumulate: bool = False
) -> float | np.ndarray:
    """Mean squared error of the fitted mean, ``E[(μ_g - μ)²]``.

    Replacing: ``(sigma2 / n) sum_{t<g} ((n - 1)/(n - ddof))**t``; accumulating:
    ``(1/n) sum_{t ≤ g} E[σ²_{t-1}] / t²``, below ``sigma2 π² / (6 n)``.
    """
    _ddof(n, ddof)
    g = np.asarray(generations)
    if accumulate:
        top = int(g.max())
        steps = _accumulated_variance(top, n, ddof)[:-1] / np.arange(1, top + 1) ** 2
        return _result(sigma2 / n * np.r_[0.0, np.cumsum(steps)][g])
    r, gf = (n - 1) / (n - ddof), g.astype(float)
    return _result(sigma2 / n * (gf if r == 1.0 else (1.0 - r**gf) / (1.0 - r)))


@checked(**_GAUSS)
def expected_w2_sq(
    generations: ArrayLike, n: int, *, ddof: int = 0, sigma2: float = 1.0
) -> float | np.ndarray:
    """Mean squared 2-Wasserstein distance of model ``g`` from the truth (replacing data).

    ``E[(μ_g - μ)²] + E[σ²_g] - 2 σ² c**g + σ²`` with ``c = E[sqrt(χ²_{n-1} / (n - ddof))]``.
    """
    from scipy.special import gammaln

    _ddof(n, ddof)
    g = np.asarray(generations)
    c = np.exp(0.5 * np.log(2.0 / (n - ddof)) + gammaln(n / 2) - gammaln((n - 1) / 2))
    mse = expected_mean_sq_error(g, n, ddof=ddof, sigma2=sigma2)
    var = expected_variance(g, n, ddof=ddof, sigma2=sigma2)
    return _result(np.asarray(mse) + var - 2.0 * sigma2 * c ** g.astype(float) + sigma2)


_SD = Array(positive=True, low=0.0)


@checked(mu1=Array(), sigma1=_SD, mu2=Array(), sigma2=_SD)
def w2_gaussian(
    mu1: ArrayLike, sigma1: ArrayLike, mu2: ArrayLike, sigma2: ArrayLike
) -> float | np.ndarray:
    """2-Wasserstein distance between ``N(mu1, sigma1²)`` and ``N(mu2, sigma2²)``; arrays broadcast.

    ``sqrt((mu1 - mu2)² + (sigma1 - sigma2)²)`` (Givens and Shortt 1984).
    """
    args = [np.asarray(a) for a in (mu1, sigma1, mu2, sigma2)]
    try:
        np.broadcast_shapes(*(a.shape for a in args))
    except ValueError:
        raise ValueError(
            "mu1, sigma1, mu2 and sigma2 must broadcast together, got shapes "
            + ", ".join(str(a.shape) for a in args)
        ) from None
    return _result(np.hypot(args[0] - args[2], args[1] - args[3]))
