"""Stationary theory of the telegraph (two-state promoter) model of transcription.

The promoter switches off → on at rate ``k_on`` and back at ``k_off``; while on
it makes mRNA at rate ``k_tx``; each mRNA decays at rate ``k_deg``. At steady
state the count is Poisson with a Beta-scaled rate (Peccoud & Ycart 1995,
*Theor. Popul. Biol.* 48, 222–234): :func:`moments` and :func:`pmf` give its
closed forms, the yardstick for a simulation or a fit of the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Positive, checked

__all__ = ["Moments", "moments", "pmf"]

_RATES = {"k_on": Positive(), "k_off": Positive(), "k_tx": Positive(), "k_deg": Positive()}
#: Largest ``k_tx / k_deg`` evaluated: the series has about that many terms.
_MAX_TX_RATIO = 1e6
#: Above this ``K = k_tx / k_deg`` the series is summed in logs (scipy's hyp1f1 overflows).
_KUMMER_DIRECT_LIMIT = 300.0


def _ratios(k_on: float, k_off: float, k_tx: float, k_deg: float) -> tuple[float, float, float]:
    if k_tx / k_deg > _MAX_TX_RATIO:
        raise ValueError(f"k_tx / k_deg must be ≤ {_MAX_TX_RATIO:g}, got {k_tx / k_deg:g}")
    return k_on / k_deg, k_off / k_deg, k_tx / k_deg


def _log_scaled_kummer(b: float, c: np.ndarray, big_k: float) -> np.ndarray:
    """``log(e^-K ₁F₁(b; c; K))`` for positive ``b``, ``c``, ``K``, stable for large ``K``."""
    from scipy.special import gammaln, hyp1f1, logsumexp

    if big_k <= _KUMMER_DIRECT_LIMIT:
        return np.log(hyp1f1(b, c, big_k)) - big_k
    # the terms peak near j ≈ K and are negligible beyond K + 40√K
    j = np.arange(int(big_k + 40.0 * np.sqrt(big_k) + 50.0))[:, None]
    shared = gammaln(b + j) - gammaln(b) + j * np.log(big_k) - gammaln(j + 1.0)
    flat, out = c.ravel(), np.empty(c.size)
    step = max(1, 2_000_000 // j.size)  # about 16 MB of work array at a time
    for s in range(0, flat.size, step):
        cc = flat[s : s + step]
        out[s : s + step] = logsumexp(shared + gammaln(cc) - gammaln(cc + j), axis=0)
    return (out - big_k).reshape(c.shape)


@dataclass(frozen=True)
class Moments:
    """Stationary summary of the telegraph model (see :func:`moments`)."""

    mean: float
    variance: float
    fano: float
    p_zero: float
    burst_size: float
    burst_frequency: float


@checked(**_RATES)
def moments(k_on: float, k_off: float, k_tx: float, k_deg: float) -> Moments:
    """Stationary mean, variance, Fano factor, share of zeros, burst size and frequency.

    ``mean = k_tx k_on / ((k_on + k_off) k_deg)``,
    ``Fano = 1 + k_tx k_off / ((k_on + k_off)(k_on + k_off + k_deg))`` and
    ``P(0) = ₁F₁(a; a + b; -K)`` with ``(a, b, K) = (k_on, k_off, k_tx) / k_deg``
    (``K`` at most 10⁶); burst size ``k_tx / k_off``, burst frequency ``k_on``.
    """
    a, b, big_k = _ratios(k_on, k_off, k_tx, k_deg)
    s = k_on + k_off
    mean, fano = k_tx * k_on / (s * k_deg), 1.0 + k_tx * k_off / (s * (s + k_deg))
    # Kummer's transformation keeps the series positive: 1F1(a; c; -K) = e^-K 1F1(c - a; c; K)
    p_zero = float(np.exp(_log_scaled_kummer(b, np.asarray(a + b), big_k)))
    return Moments(mean, fano * mean, fano, p_zero, k_tx / k_off, k_on)


@checked(n=Array(counts=True), **_RATES)
def pmf(n: ArrayLike, k_on: float, k_off: float, k_tx: float, k_deg: float) -> np.ndarray:
    """Stationary probability of ``n`` mRNA copies (any shape of whole counts).

    ``P(n) = K^n/n! · (a)_n/(a+b)_n · ₁F₁(a+n; a+b+n; -K)`` with
    ``(a, b, K) = (k_on, k_off, k_tx) / k_deg``, evaluated in logs.
    """
    from scipy.special import gammaln

    a, b, big_k = _ratios(k_on, k_off, k_tx, k_deg)
    n = np.asarray(n, dtype=float)
    values, inverse = np.unique(n, return_inverse=True)
    kummer = _log_scaled_kummer(b, a + b + values, big_k)[inverse].reshape(n.shape)
    log_p = n * np.log(big_k) - gammaln(n + 1) + gammaln(a + n) - gammaln(a)
    return np.exp(log_p + gammaln(a + b) - gammaln(a + b + n) + kummer)
