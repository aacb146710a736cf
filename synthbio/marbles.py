"""The essay's jar of marbles: exact probabilities for what a finite sample contains.

A jar is a mapping ``colour -> count`` (such as :data:`JAR`) or a 1-D array of counts;
results keep its order. Coverage estimators: Good–Turing (Good 1953, *Biometrika* 40, 237)
and bias-corrected Chao1 (Chao 1984, *Scand. J. Stat.* 11, 265; Chiu et al. 2014).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from . import _validate as v
from ._validate import Array, Check, Flag, Int, Real, RNGLike, Seed, checked

__all__ = ["JAR", "POPULATION", "colours", "draw", "repeated_batches", "prob_none"]
__all__ += ["prob_at_least_one", "prob_all_present", "draws_needed"]
__all__ += ["proportion_mse", "good_turing_missing_mass", "chao1", "expected_unseen_mass"]
__all__ += ["expected_good_turing", "expected_chao1"]

Counts = Mapping[str, int] | ArrayLike
Colour = str | int

#: The essay's jar of 1000 marbles (989 black, not the essay's 990, so that it holds 1000).
JAR = MappingProxyType({"black": 989, "red": 5, "green": 3, "blue": 2, "yellow": 1})
#: The population the jar was sampled from, per 1000 marbles (2 yellow where the jar got 1).
POPULATION = MappingProxyType({"black": 988, "red": 5, "green": 3, "blue": 2, "yellow": 2})


@dataclass(frozen=True)
class _Jar:
    labels: tuple[str, ...]  # "0", "1", … for counts given as an array
    counts: np.ndarray  # int64, total in [1, 2**53]
    total: int

    def index(self, colour: Colour, name: str) -> int:
        if isinstance(colour, str):
            if colour not in self.labels:
                raise ValueError(f"{name} must be one of {list(self.labels)}, got {colour!r}")
            return self.labels.index(colour)
        if not 0 <= colour < self.counts.size:
            raise ValueError(f"{name} index must be in [0, {self.counts.size - 1}], got {colour}")
        return int(colour)

    def indices(self, group: Sequence[Colour]) -> list[int]:
        idx = [self.index(c, "group") for c in group]
        if len(set(idx)) < len(idx):
            raise ValueError("group must not repeat a colour")
        return idx

    def check_size(self, n: ArrayLike, replace: bool, name: str = "n") -> None:
        if not replace and np.max(n) > self.total:
            raise ValueError(f"{name} must be ≤ {self.total} (the jar's marbles), got {np.max(n)}")


def _jar(name: str, value: Any) -> _Jar:
    if isinstance(value, _Jar):
        return value
    labels = tuple(value) if isinstance(value, Mapping) else ()
    if not all(isinstance(c, str) for c in labels):
        raise TypeError(f"{name} given as a mapping must have string colour names as keys")
    if isinstance(value, (str, bytes)) or np.isscalar(value):
        raise TypeError(f"{name} must be a mapping colour -> count or a 1-D array of counts")
    arr = v.count_array(name, list(value.values()) if labels else value, ndim=1)
    if not 0 < arr.sum(dtype=float) <= v.MAX_COUNT:
        raise ValueError(f"{name} must hold between 1 and 2**53 marbles")
    return _Jar(labels or tuple(map(str, range(arr.size))), arr, int(arr.sum()))


def _colour(name: str, value: Any) -> Colour:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (str, int, np.integer)):
        raise TypeError(f"{name} must be a colour name or an int index, got {value!r}")
    return str(value) if isinstance(value, str) else int(value)


def _group(name: str, value: Any) -> tuple[Colour, ...]:
    value = [value] if isinstance(value, (str, int, np.integer)) else value
    if not isinstance(value, (list, tuple, np.ndarray)) or len(value) == 0:
        raise TypeError(f"{name} must be a colour or a non-empty list of colours, got {value!r}")
    return tuple(_colour(name, c) for c in value)


_BAD = [("string", "abc"), ("NaN", [math.nan, 1]), ("negative", [-1, 3]), ("complex", [1j, 2])]
_BAD += [("bools", [True, False]), ("non-integer", [1.5, 2]), ("empty", [0, 0])]
_COUNTS = Check(_jar, refuse=_BAD + [("scalar", 5), ("int keys", {1: 3}), ("2-D", [[1, 2]])])
_COLOUR = Check(_colour, refuse=[("bool", True), ("float", 1.5), ("unknown", "?"), ("index", 9)])
_GROUP = Check(_group, refuse=[("empty", []), ("repeated", [1, 1]), ("float", [1.5])])
#: Draw sizes: an int or an array of ints (int64 on arrival).
_SIZES = Array(ndim=(0, 1, 2, 3), counts=True)
_DRAW = {"counts": _COUNTS, "n": _SIZES, "replace": Flag()}


@checked(counts=_COUNTS)
def colours(counts: Counts) -> tuple[str, ...]:
    """The colour names of a jar in the order of every result (``"0", "1", …`` for arrays)."""
    return _jar("counts", counts).labels


@checked(counts=_COUNTS, n=Int(0), replicates=Int(1, optional=True), replace=Flag(), rng=Seed())
def draw(
    counts: Counts,
    n: int,
    *,
    replicates: int | None = None,
    replace: bool = False,
    rng: RNGLike = None,
) -> np.ndarray:
    """Colour counts of ``replicates`` draws of ``n`` marbles (one if None), hypergeometric.

    With ``replace=True`` the counts are multinomial with the jar's shares.
    """
    jar, gen = _jar("counts", counts), np.random.default_rng(rng)
    jar.check_size(n, replace)
    if not replace and jar.total >= 10**9:  # NumPy's limit
        raise ValueError("counts must total < 10**9 marbles to draw without replacement")
    v.check_memory("replicates", (replicates or 1) * float(jar.counts.size))
    if replace:
        out = gen.multinomial(n, jar.counts / jar.total, size=replicates)
    else:
        out = gen.multivariate_hypergeometric(jar.counts, n, size=replicates, method="marginals")
    return np.asarray(out, dtype=np.int64)


@checked(counts=_COUNTS, batch=Int(1), batches=Int(1), replicates=Int(1), rng=Seed())
def repeated_batches(
    counts: Counts, batch: int, batches: int, *, replicates: int = 1, rng: RNGLike = None
) -> np.ndarray:
    """Colour counts seen in the first ``m + 1`` of ``batches`` draws of ``batch``, at ``[r, m]``.

    "Training longer": each batch is drawn without replacement and then put back.
    """
    jar, gen = _jar("counts", counts), np.random.default_rng(rng)
    jar.check_size(batch, False, "batch")
    if jar.total >= 10**9:
        raise ValueError("counts must total < 10**9 marbles to draw without replacement")
    v.check_memory("replicates, batches", float(replicates) * batches * jar.counts.size)
    one = gen.multivariate_hypergeometric(jar.counts, batch, size=(replicates, batches))
    return np.cumsum(one, axis=1, dtype=np.int64)


def _log_p_none(total: int, k: int, n: int) -> float:
    """``log C(N-k, n) / C(N, n)``, no marble of a group of ``k`` in a draw of ``n`` from ``N``.

    The ratio is a product over the smaller ``m`` of ``k`` and ``n`` of the factors
    ``1 - M/(N - i)``, ``M`` the larger; each log, ``-log1p(M / (N - M - i))``, has the
    same sign and no cancellation, so the sum is exact to rounding at any jar size.
    """
    m, big = min(k, n), max(k, n)
    if m + big > total:
        return -math.inf
    out = 0.0
    for start in range(0, m, 10**6):  # chunks keep the memory small
        u = (total - big - start) - np.arange(min(10**6, m - start), dtype=float)
        out -= float(np.sum(np.log1p(big / u)))
    return out


def _log_none(total: int, k: ArrayLike, n: ArrayLike, replace: bool) -> np.ndarray:
    """Log P(no marble of a group of ``k``) in draws of ``n``; ``k`` and ``n`` broadcast."""
    kk, nn = np.broadcast_arrays(np.asarray(k, dtype=np.int64), np.asarray(n, dtype=np.int64))
    if replace:  # n log(1 - k/N) as -n log1p(k / (N - k)), exact to rounding
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(nn == 0, 0.0, -nn * np.log1p(kk / (total - kk)))
    pairs, inverse = np.unique(np.stack([kk.ravel(), nn.ravel()]), axis=1, return_inverse=True)
    factors = np.where(pairs.sum(axis=0) <= total, pairs.min(axis=0), 0).sum()
    if factors > 10**8:  # about a second
        raise ValueError(f"counts, n too large: the exact product needs {factors:.3g} factors")
    values = np.array([_log_p_none(total, int(a), int(b)) for a, b in pairs.T])
    return values[np.ravel(inverse)].reshape(kk.shape)


def _out(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


@checked(**_DRAW, group=_GROUP)
def prob_none(
    counts: Counts, n: ArrayLike, group: Colour | Sequence[Colour], *, replace: bool = False
) -> float | np.ndarray:
    """Exact probability that no colour of ``group`` is in a draw of ``n`` (int or array).

    ``C(N - K, n) / C(N, n)``, ``K`` the group's marbles; ``(1 - K/N)**n`` with replacement.
    """
    jar = _jar("counts", counts)
    jar.check_size(n, replace)
    k = jar.counts[jar.indices(_group("group", group))].sum()
    return _out(np.exp(_log_none(jar.total, k, n, replace)))


@checked(**_DRAW, colour=_COLOUR)
def prob_at_least_one(
    counts: Counts, n: ArrayLike, colour: Colour, *, replace: bool = False
) -> float | np.ndarray:
    """Exact probability that ``colour`` appears in a draw of ``n`` (int or array)."""
    jar = _jar("counts", counts)
    jar.check_size(n, replace)
    k = jar.counts[jar.index(colour, "colour")]
    # 1 - P(none) through expm1: a rare colour's small probability keeps its digits
    return _out(-np.expm1(_log_none(jar.total, k, n, replace)))


@checked(**_DRAW, group=_GROUP)
def prob_all_present(
    counts: Counts, n: ArrayLike, group: Sequence[Colour], *, replace: bool = False
) -> float | np.ndarray:
    """Exact probability that every colour of ``group`` (≤ 16) appears in a draw of ``n``."""
    jar = _jar("counts", counts)
    jar.check_size(n, replace)
    idx = jar.indices(_group("group", group))
    if len(idx) > 16:
        raise ValueError(f"group may name at most 16 colours, got {len(idx)}")
    acc = np.zeros(np.shape(n))  # inclusion–exclusion: sum over subsets S of (-1)^|S| P(none of S)
    for r in range(len(idx) + 1):
        for subset in combinations(idx, r):
            k = jar.counts[list(subset)].sum()
            acc += (-1) ** r * np.exp(_log_none(jar.total, k, n, replace))
    return _out(np.clip(acc, 0.0, 1.0))


@checked(counts=_COUNTS, colour=_COLOUR, prob=Real(0, 1, open_min=True), replace=Flag())
def draws_needed(counts: Counts, colour: Colour, prob: float, *, replace: bool = False) -> int:
    """Smallest draw size ``n ≥ 1`` with ``prob_at_least_one(counts, n, colour) ≥ prob``.

    A relative 1e-12 below ``prob`` counts as reaching it (an exact ``n / N = prob`` stays).
    """
    jar = _jar("counts", counts)
    k, total = int(jar.counts[jar.index(colour, "colour")]), jar.total
    if k == 0:
        raise ValueError(f"colour {colour!r} has no marbles, so no draw can contain it")
    if replace and prob == 1 and k < total:
        raise ValueError("prob = 1 cannot be reached with replacement unless the jar is one colour")
    reach, cap = prob * (1 - 1e-12), 2**62 if replace else total - k + 1  # cap: enough

    def seen(n: int) -> bool:
        return -math.expm1(float(_log_none(total, k, n, replace))) >= reach

    lo, hi = 0, 1  # P(lo) < prob ≤ P(hi): double hi, then halve the interval
    while not seen(hi):
        lo, hi = hi, min(2 * hi, cap)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if seen(mid) else (mid, hi)
    return hi


@checked(**_DRAW, colour=_COLOUR, target=Real(0, 1, optional=True), batches=_SIZES)
def proportion_mse(
    counts: Counts,
    colour: Colour,
    n: ArrayLike,
    *,
    target: float | None = None,
    replace: bool = False,
    batches: ArrayLike = 1,
) -> float | np.ndarray:
    """Mean squared error of a colour's share among ``batches`` draws of ``n`` marbles.

    ``(q - target)**2 + q (1 - q) / (n · batches) · (N - n)/(N - 1)``, ``q`` the jar's share
    (no finite-population factor with replacement); ``target`` defaults to ``q``.
    """
    jar = _jar("counts", counts)
    jar.check_size(n, replace)
    if np.min(n) < 1 or np.min(batches) < 1:
        raise ValueError("n and batches must be ≥ 1 to estimate a share")
    q = jar.counts[jar.index(colour, "colour")] / jar.total
    target = q if target is None else target
    size = np.asarray(n, dtype=float)
    fpc = 1.0 if replace or jar.total == 1 else (jar.total - size) / (jar.total - 1)
    out = (q - target) ** 2 + q * (1 - q) / (size * np.asarray(batches, dtype=float)) * fpc
    return float(out) if np.ndim(out) == 0 else np.asarray(out)


def _samples(sample_counts: ArrayLike) -> np.ndarray:
    arr = np.asarray(sample_counts)
    if np.any(arr.sum(axis=-1) == 0):
        raise ValueError("sample_counts must describe non-empty samples (each row's total > 0)")
    return arr


@checked(sample_counts=Array(ndim=(1, 2), counts=True))
def good_turing_missing_mass(sample_counts: ArrayLike) -> float | np.ndarray:
    """Good–Turing estimate ``f1 / n`` of the share of colours unseen in each sample (row)."""
    arr = _samples(sample_counts)
    return _out((arr == 1).sum(axis=-1) / arr.sum(axis=-1))


@checked(sample_counts=Array(ndim=(1, 2), counts=True))
def chao1(sample_counts: ArrayLike) -> float | np.ndarray:
    """Bias-corrected Chao1 estimate of the number of colours in each sample's (row's) jar.

    ``f1``, ``f2``: the numbers of colours seen once and twice; finite when ``f2 = 0``.
    """
    arr = _samples(sample_counts)
    n = arr.sum(axis=-1)
    f1, f2 = (arr == 1).sum(axis=-1), (arr == 2).sum(axis=-1)
    return _out((arr > 0).sum(axis=-1) + (n - 1) / n * f1 * (f1 - 1) / (2.0 * (f2 + 1)))


@checked(counts=_COUNTS, n=Int(0), replace=Flag())
def expected_unseen_mass(counts: Counts, n: int, *, replace: bool = False) -> float:
    """Exact mean share of the jar in colours a draw of ``n`` misses: ``sum_i p_i P(X_i = 0)``."""
    jar = _jar("counts", counts)
    jar.check_size(n, replace)
    p_none = np.exp(_log_none(jar.total, jar.counts, n, replace))
    return float(np.sum(jar.counts / jar.total * p_none))


@checked(counts=_COUNTS, n=Int(1), replace=Flag())
def expected_good_turing(counts: Counts, n: int, *, replace: bool = False) -> float:
    """Exact mean of :func:`good_turing_missing_mass` for a draw of ``n ≥ 1``.

    ``sum_i p_i P(colour i unseen in the other n - 1 draws)``: nearly the unseen mass.
    """
    jar = _jar("counts", counts)
    jar.check_size(n, replace)
    k = jar.counts[jar.counts > 0]
    total = jar.total if replace else jar.total - 1
    p_none = np.exp(_log_none(total, k if replace else k - 1, n - 1, replace))
    return float(np.sum(k / jar.total * p_none))


@checked(counts=_COUNTS, n=Int(1))
def expected_chao1(counts: Counts, n: int) -> float:
    """Exact mean of :func:`chao1` for a draw of ``n ≥ 1`` without replacement.

    An average over every draw (the ``prod(k_i + 1)`` counts of all colours but the most
    numerous, at most two million), weighted by its multivariate hypergeometric probability.
    """
    jar = _jar("counts", counts)
    jar.check_size(n, False)
    big = int(np.argmax(jar.counts))
    others = np.delete(np.arange(jar.counts.size), big)
    sizes = jar.counts[others] + 1
    if float(np.prod(sizes.astype(float))) > 2e6:
        raise ValueError("counts has over two million draws to average; simulate instead")
    rare = np.indices(tuple(sizes)).reshape(sizes.size, int(np.prod(sizes))).T
    rest = n - rare.sum(axis=1)
    keep = (rest >= 0) & (rest <= jar.counts[big])
    full = np.zeros((int(keep.sum()), jar.counts.size), dtype=np.int64)
    full[:, others], full[:, big] = rare[keep], rest[keep]
    p = stats.multivariate_hypergeom.pmf(full, m=jar.counts, n=n)
    return float(np.sum(p * chao1(full)) / np.sum(p))  # the sum of p is 1 up to rounding
