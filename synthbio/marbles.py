"""The essay's jar of marbles: what a finite sample can and cannot tell you.

A jar holds ``N`` marbles of several colours; a *draw* takes ``n`` of them. The
colour counts of a draw without replacement follow the multivariate
hypergeometric distribution, and with replacement (or from an unlimited
population) the multinomial distribution. Everything a model can learn about
the jar from a draw is in those counts, which is why the jar is the book's
first picture of "if it is not in the data, it is not in the model".

Counts can be given as a mapping ``colour -> count`` (such as :data:`JAR`) or
as a 1-D array of counts; results keep the mapping's order.

References
----------
Good, I. J. (1953). The population frequencies of species and the estimation
of population parameters. *Biometrika* 40, 237–264.

Chao, A. (1984). Nonparametric estimation of the number of classes in a
population. *Scandinavian Journal of Statistics* 11, 265–270.

Chao, A. (2005). Species estimation and applications. In *Encyclopedia of
Statistical Sciences*, 2nd ed., vol. 12, 7907–7916. Wiley.

Chiu, C.-H., Wang, Y.-T., Walther, B. A. & Chao, A. (2014). An improved
nonparametric lower bound of species richness via a modified Good–Turing
frequency formula. *Biometrics* 70, 671–682.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import combinations
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln

from ._validate import RNGLike, as_generator, check_memory, count_array, flag, integer, real

__all__ = [
    "JAR",
    "POPULATION",
    "colours",
    "draw",
    "repeated_batches",
    "prob_none",
    "prob_at_least_one",
    "prob_all_present",
    "draws_needed",
    "pair_pmf",
    "proportion_mse",
    "good_turing_missing_mass",
    "chao1",
    "unseen_mass",
    "expected_unseen_mass",
    "expected_good_turing",
    "expected_chao1",
]

Counts = Mapping[str, int] | Sequence[int] | np.ndarray
Colour = str | int

#: The essay's jar of 1000 marbles. (The essay lists 990 black, which would make
#: 1001 marbles; 989 black keeps the 1000 it promises.) Read-only.
JAR: Mapping[str, int] = MappingProxyType(
    {"black": 989, "red": 5, "green": 3, "blue": 2, "yellow": 1}
)

#: The population the jar was sampled from (per 1000 marbles), the essay's
#: "true data set" with 2 yellow per 1000 where the jar happened to get 1.
#: Use it with ``replace=True`` (an unlimited population). Read-only.
POPULATION: Mapping[str, int] = MappingProxyType(
    {"black": 988, "red": 5, "green": 3, "blue": 2, "yellow": 2}
)

# Exact probabilities use a table of running products (distinct group sizes ×
# draw size, or distinct draw sizes × group size) while it has at most this
# many entries (8 MB); beyond it, scipy.stats.hypergeom, whose memory grows
# only with the number of colours.
_EXACT_ELEMENTS = 1_000_000


def _parse(counts: Any) -> tuple[tuple[str, ...] | None, np.ndarray]:
    """Return (labels or None, int64 counts), validating the jar."""
    if isinstance(counts, Mapping):
        labels = tuple(counts.keys())
        if not all(isinstance(k, str) for k in labels):
            raise TypeError("counts given as a mapping must have string colour names as keys")
        values: Any = list(counts.values())
    elif isinstance(counts, (str, bytes)) or np.isscalar(counts):
        raise TypeError(
            "counts must be a mapping colour -> count or a 1-D array of counts, "
            f"got {type(counts).__name__}"
        )
    else:
        labels, values = None, counts
    arr = count_array("counts", values, ndim=1)
    if arr.sum() == 0:
        raise ValueError("counts must contain at least one marble (total > 0)")
    return labels, arr


def colours(counts: Counts) -> tuple[str, ...]:
    """The colour names of a jar, in the order every result uses.

    For counts given as an array the names are ``"0", "1", …``.
    """
    labels, arr = _parse(counts)
    return labels if labels is not None else tuple(str(i) for i in range(arr.size))


def _index(
    labels: tuple[str, ...] | None, arr: np.ndarray, colour: Any, name: str = "colour"
) -> int:
    if isinstance(colour, str):
        if labels is None:
            raise ValueError(
                f"{name} {colour!r} is a name, but counts has no colour names; pass an index"
            )
        if colour not in labels:
            raise ValueError(f"{name} must be one of {list(labels)}, got {colour!r}")
        return labels.index(colour)
    if isinstance(colour, (bool, np.bool_)) or not isinstance(colour, (int, np.integer)):
        raise TypeError(
            f"{name} must be a colour name or an int index, got {type(colour).__name__}"
        )
    if not 0 <= int(colour) < arr.size:
        raise ValueError(f"{name} index must be in [0, {arr.size - 1}], got {colour}")
    return int(colour)


def _sizes(n: Any, total: int | None, name: str = "n") -> np.ndarray:
    """Validate draw sizes (an int or an integer array) against the jar's total."""
    if np.ndim(n) == 0:
        sizes = np.array([integer(name, n, minimum=0)])
    else:
        sizes = count_array(name, n, ndim=(1, 2, 3))
    if total is not None and sizes.size and sizes.max() > total:
        raise ValueError(
            f"{name} must be ≤ the number of marbles ({total}) when drawing without "
            f"replacement, got {int(sizes.max())}"
        )
    return sizes


def _check_drawable(arr: np.ndarray) -> None:
    if arr.sum() >= 10**9:
        raise ValueError(
            "counts must total fewer than 10**9 marbles to draw without replacement (NumPy's "
            f"sampler), got {int(arr.sum()):.3g}; draw with replace=True from such a population"
        )


def draw(
    counts: Counts,
    n: int,
    *,
    replicates: int | None = None,
    replace: bool = False,
    rng: RNGLike = None,
) -> np.ndarray:
    """Per-colour counts of a random draw of ``n`` marbles.

    Parameters
    ----------
    counts
        The jar (mapping colour -> count, or 1-D counts).
    n
        Marbles per draw; at most the jar's total when ``replace=False``.
    replicates
        ``None`` for one draw (shape ``(n_colours,)``), or the number of
        independent draws (shape ``(replicates, n_colours)``).
    replace
        ``False``: without replacement (multivariate hypergeometric).
        ``True``: with replacement, i.e. from a population with the jar's
        proportions (multinomial).
    rng
        Seed or generator.

    Returns
    -------
    numpy.ndarray of int64
        Colour counts in the order of :func:`colours`; each row sums to ``n``.
    """
    replace = flag("replace", replace)
    _, arr = _parse(counts)
    n = integer("n", n, minimum=0, maximum=None if replace else int(arr.sum()))
    size = None if replicates is None else integer("replicates", replicates, minimum=1)
    check_memory("replicates", (size or 1) * float(arr.size))
    if not replace:
        _check_drawable(arr)
    gen = as_generator(rng)
    if replace:
        out = gen.multinomial(n, arr / arr.sum(), size=size)
    else:
        out = gen.multivariate_hypergeometric(arr, n, size=size, method="marginals")
    return np.asarray(out, dtype=np.int64)


def repeated_batches(
    counts: Counts, batch: int, batches: int, *, replicates: int = 1, rng: RNGLike = None
) -> np.ndarray:
    """Cumulative colour counts over repeated batches drawn from one fixed jar.

    This is "training longer" on the same data set: each batch of ``batch``
    marbles is drawn without replacement, the marbles go back into the jar
    between batches, and the counts are added up.

    Returns
    -------
    numpy.ndarray of int64, shape ``(replicates, batches, n_colours)``
        Element ``[r, m]`` holds the counts seen in the first ``m + 1`` batches.
    """
    _, arr = _parse(counts)
    batch = integer("batch", batch, minimum=1, maximum=int(arr.sum()))
    batches = integer("batches", batches, minimum=1)
    replicates = integer("replicates", replicates, minimum=1)
    check_memory("replicates, batches", float(replicates) * batches * arr.size)
    _check_drawable(arr)
    gen = as_generator(rng)
    one = gen.multivariate_hypergeometric(
        arr, batch, size=(replicates, batches), method="marginals"
    )
    return np.cumsum(one, axis=1, dtype=np.int64)


def _log_p_none(total: int, k: ArrayLike, sizes: ArrayLike) -> np.ndarray:
    """Log P(no marble of a group of ``k`` in a draw of ``sizes`` from ``total``), no replacement.

    Broadcasts ``k`` against ``sizes``. ``C(N-k, n) / C(N, n)`` is an exact
    product in either of two orders,
    ``prod_{i<n} (1 - k/(N-i)) = prod_{j<k} (1 - n/(N-j))``, whose factors
    are summed as ``-log1p(M / (N - i - M))`` (``M`` the other argument), a
    form without cancellation however close a factor is to 0 or 1. For many
    sizes at once the cumulative sums for every distinct ``k`` (or ``n``) form
    a table, used for many pairs while it has at most ``_EXACT_ELEMENTS``
    entries. Otherwise each distinct pair is summed on its own over the
    smaller of ``k`` and ``n`` (:func:`_log_p_none_pair`). Relative error
    below 1e-12 on every route (tested against exact rational arithmetic from
    10 to 10^14 marbles).
    """
    k = np.asarray(k, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    kk, nn = np.broadcast_arrays(k, sizes)  # both validated by the caller (one k, or one n)
    out = np.full(kk.shape, -np.inf)
    possible = nn <= total - kk  # otherwise a marble of the group must be drawn
    if not np.any(possible):
        return out
    kp, np_ = kk[possible], nn[possible]
    ks, ns = np.unique(kp), np.unique(np_)
    by_k, by_n = ks.size * int(ns[-1]), ns.size * int(ks[-1])
    pairs, inverse = np.unique(np.stack([kp, np_]), axis=1, return_inverse=True)
    if min(by_k, by_n) > _EXACT_ELEMENTS or pairs.shape[1] <= _FEW_PAIRS:
        values = np.array([_log_p_none_pair(total, int(a), int(b)) for a, b in pairs.T])
        out[possible] = values[np.ravel(inverse)]
        return out
    # rows: the distinct values of one argument; columns: the factors of the other
    rows, steps, row_of, step_of = (ks, ns[-1], kp, np_) if by_k <= by_n else (ns, ks[-1], np_, kp)
    j = np.arange(int(steps), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):  # factors past a row's last valid one
        terms = -np.log1p(rows[:, None] / ((total - rows[:, None]) - j[None, :]))
    cum = np.concatenate([np.zeros((rows.size, 1)), np.cumsum(terms, axis=1)], axis=1)
    out[possible] = cum[np.searchsorted(rows, row_of), step_of]
    return out


# Up to this many distinct (k, n) pairs are summed pair by pair (pairwise summation, a
# relative error near 1e-15) rather than through the table of running sums (near 1e-13).
_FEW_PAIRS = 64
# The product of one pair is summed term by term up to this many factors; beyond it, the
# first _EM_HEAD factors are summed and the rest by the Euler–Maclaurin formula.
_DIRECT_TERMS = 4096
_EM_HEAD = 64
# Gauss–Legendre nodes on [-1, 1] for the Euler–Maclaurin integral
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(20)
# B_2j / (2j)! for j = 1..4
_EM_COEFFS = (1.0 / 12.0, -1.0 / 720.0, 1.0 / 30240.0, -1.0 / 1209600.0)


def _log_p_none_pair(total: int, k: int, n: int) -> float:
    """``log C(N-k, n) / C(N, n)`` for one group size and one draw size.

    With ``m = min(k, n)`` and ``M = max(k, n)`` the log-probability is
    ``sum_{u=u0}^{u0+m-1} g(u)``, ``g(u) = -log1p(M / u)``, ``u0 = N - M - m + 1``:
    every term has the same sign, so the sum has no cancellation. Up to
    ``_DIRECT_TERMS`` terms are added one by one; longer sums add the first
    ``_EM_HEAD`` terms and take the rest from the Euler–Maclaurin formula, with
    the integral of ``g`` by Gauss–Legendre quadrature on pieces that double in
    length away from the singularity of ``g`` at 0 (so each piece is smooth on
    its own scale) and four derivative corrections, whose remainder is below
    1e-20 once ``u ≥ 64``.
    """
    m, big = min(k, n), max(k, n)
    if m == 0:
        return 0.0
    if m + big > total:
        return -np.inf
    u0 = total - big - m + 1  # ≥ 1
    if m <= _DIRECT_TERMS:
        u = float(u0) + np.arange(m, dtype=float)
        return -float(np.sum(np.log1p(big / u)))
    head = -float(np.sum(np.log1p(big / (float(u0) + np.arange(_EM_HEAD, dtype=float)))))
    a, b = float(u0 + _EM_HEAD), float(u0 + m - 1)
    mb = float(big)

    def g(u: Any) -> Any:
        return -np.log1p(mb / u)

    # the integral over [a, b] on pieces [c, 2c]
    edges = [a]
    while edges[-1] * 2.0 < b:
        edges.append(edges[-1] * 2.0)
    edges.append(b)
    lo, hi = np.array(edges[:-1]), np.array(edges[1:])
    half, mid = (hi - lo) / 2.0, (hi + lo) / 2.0
    nodes = mid[:, None] + half[:, None] * _GL_NODES[None, :]
    integral = float(np.sum(half[:, None] * _GL_WEIGHTS[None, :] * g(nodes)))

    def derivative(r: int, u: float) -> float:
        # g^(r)(u) = (-1)^(r-1) (r-1)! (u^-r - (u+M)^-r), the difference written without
        # cancellation as M · sum_{i<r} u^(i-r) (u+M)^(-1-i)
        w = u + mb
        s = mb * sum(u ** (i - r) * w ** (-1 - i) for i in range(r))
        return (-1.0) ** (r - 1) * math.factorial(r - 1) * s

    corr = sum(
        c * (derivative(2 * j + 1, b) - derivative(2 * j + 1, a)) for j, c in enumerate(_EM_COEFFS)
    )
    return head + integral + 0.5 * (g(a) + g(b)) + corr


def _result(values: np.ndarray, n: Any) -> Any:
    return float(values.ravel()[0]) if np.ndim(n) == 0 else values.reshape(np.shape(n))


def _group(labels: tuple[str, ...] | None, arr: np.ndarray, group: Any) -> list[int]:
    if isinstance(group, (str, int, np.integer)):
        group = [group]
    if len({isinstance(c, str) for c in group}) > 1:
        raise TypeError("group must list colour names or indices, not a mix of both")
    idx = [_index(labels, arr, c, "group") for c in group]
    if not idx:
        raise ValueError("group must name at least one colour")
    if len(set(idx)) != len(idx):
        raise ValueError("group must not repeat a colour")
    return idx


def _log_prob_none(total: int, k: int, sizes: np.ndarray, replace: bool) -> np.ndarray:
    if replace:
        if k < total:  # log(1 - k/N) = -log1p(k / (N - k)), exact to rounding for any k < N
            return sizes * -np.log1p(k / (total - k))
        return np.where(sizes == 0, 0.0, -np.inf)
    return _log_p_none(total, np.int64(k), sizes)


def _prob_none(total: int, k: int, sizes: np.ndarray, replace: bool) -> np.ndarray:
    return np.exp(_log_prob_none(total, k, sizes, replace))


def prob_none(
    counts: Counts, n: Any, group: Colour | Sequence[Colour], *, replace: bool = False
) -> Any:
    """Exact probability that no colour of ``group`` appears in a draw of ``n`` marbles.

    Without replacement this is ``C(N - K, n) / C(N, n)`` with ``K`` the
    marbles of those colours; with replacement ``(1 - K/N)**n``. ``n`` may be
    an int or an array of ints (the result then has its shape).
    """
    replace = flag("replace", replace)
    labels, arr = _parse(counts)
    idx = _group(labels, arr, group)
    total = int(arr.sum())
    sizes = _sizes(n, None if replace else total)
    return _result(_prob_none(total, int(arr[idx].sum()), sizes, replace), n)


def prob_at_least_one(counts: Counts, n: Any, colour: Colour, *, replace: bool = False) -> Any:
    """Exact probability that ``colour`` appears at least once in ``n`` draws.

    Parameters
    ----------
    counts
        The jar.
    n
        Draw size (int, or array of ints for a whole curve at once).
    colour
        Colour name (or index for array counts).
    replace
        Draw with replacement (``1 - (1 - k/N)**n``) instead of without
        (``1 - C(N-k, n)/C(N, n)``, the default).

    Examples
    --------
    >>> round(prob_at_least_one(JAR, 25, "yellow"), 12)  # 25/1000 for a single marble
    0.025
    """
    replace = flag("replace", replace)
    labels, arr = _parse(counts)
    i = _index(labels, arr, colour)
    total = int(arr.sum())
    sizes = _sizes(n, None if replace else total)
    # 1 - P(none) through expm1: a rare colour's small probability keeps its digits
    return _result(-np.expm1(_log_prob_none(total, int(arr[i]), sizes, replace)), n)


def prob_all_present(
    counts: Counts, n: Any, group: Sequence[Colour], *, replace: bool = False
) -> Any:
    """Exact probability that every colour of ``group`` appears in ``n`` draws.

    Inclusion–exclusion over the subsets ``S`` of the group:
    ``sum_S (-1)^|S| P(none of S)`` (at most 16 colours).
    """
    replace = flag("replace", replace)
    labels, arr = _parse(counts)
    idx = _group(labels, arr, group)
    if len(idx) > 16:
        raise ValueError(f"group may name at most 16 colours, got {len(idx)}")
    total = int(arr.sum())
    sizes = _sizes(n, None if replace else total)
    acc = np.zeros(sizes.shape)
    for r in range(len(idx) + 1):
        for subset in combinations(idx, r):
            acc += (-1) ** r * _prob_none(total, int(arr[list(subset)].sum()), sizes, replace)
    return _result(np.clip(acc, 0.0, 1.0), n)


def draws_needed(counts: Counts, colour: Colour, prob: float, *, replace: bool = False) -> int:
    """Smallest draw size ``n`` with ``prob_at_least_one(counts, n, colour) ≥ prob``.

    Probabilities within a relative 1e-12 of ``prob`` count as reaching it, so
    that an exact boundary (for a single marble, ``n / N = prob``) is not lost
    to rounding. The answer is at least 1: a draw of no marbles contains no
    colour, however small ``prob`` is.

    Raises
    ------
    ValueError
        If ``prob`` is outside (0, 1], or no draw can reach it (a colour with
        no marbles; ``prob = 1`` with replacement).
    """
    replace = flag("replace", replace)
    labels, arr = _parse(counts)
    i = _index(labels, arr, colour)
    prob = real("prob", prob, minimum=0.0, maximum=1.0, open_min=True)
    k, total = int(arr[i]), int(arr.sum())
    if k == 0:
        raise ValueError(f"colour {colour!r} has no marbles, so no draw can contain it")
    tol = 1e-12 * prob  # relative, so that a tiny prob is not rounded down to zero
    if replace:
        if k == total:
            return 1
        if prob >= 1.0:
            raise ValueError(
                "prob = 1 cannot be reached with replacement unless the jar is one colour"
            )
        guess = max(1, int(np.ceil(np.log1p(-prob) / np.log1p(-k / total))))
        # guard the float rounding of the closed form on both sides
        while guess > 1 and prob_at_least_one(arr, guess - 1, i, replace=True) >= prob - tol:
            guess -= 1
        while prob_at_least_one(arr, guess, i, replace=True) < prob - tol:
            guess += 1
        return guess
    if total - k + 2 <= _EXACT_ELEMENTS:
        curve = -np.expm1(_log_p_none(total, np.int64(k), np.arange(total - k + 2)))
        return int(np.argmax(curve >= prob - tol))
    lo, hi = 0, total - k + 1  # P(hi) = 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if prob_at_least_one(arr, mid, i) >= prob - tol:
            hi = mid
        else:
            lo = mid
    return hi


def pair_pmf(counts: Counts, n: int, colour_a: Colour, colour_b: Colour) -> np.ndarray:
    """Exact joint distribution of the counts of two colours in a draw without replacement.

    Returns
    -------
    numpy.ndarray, shape ``(k_a + 1, k_b + 1)``
        ``P[i, j] = C(k_a, i) C(k_b, j) C(N - k_a - k_b, n - i - j) / C(N, n)``.
    """
    labels, arr = _parse(counts)
    a, b = _index(labels, arr, colour_a, "colour_a"), _index(labels, arr, colour_b, "colour_b")
    if a == b:
        raise ValueError("colour_a and colour_b must be different colours")
    total = int(arr.sum())
    n = integer("n", n, minimum=0, maximum=total)
    ka, kb = int(arr[a]), int(arr[b])
    check_memory(
        "colour_a, colour_b",
        6.0 * (ka + 1) * (kb + 1),
        what=f"a dense ({ka + 1} × {kb + 1}) table of the two colours' counts",
    )
    rest = total - ka - kb
    i = np.arange(ka + 1)[:, None]
    j = np.arange(kb + 1)[None, :]
    m = n - i - j

    def lcomb(top: Any, bottom: Any) -> Any:
        return gammaln(top + 1) - gammaln(bottom + 1) - gammaln(top - bottom + 1)

    valid = (m >= 0) & (m <= rest)
    logp = np.where(
        valid,
        lcomb(ka, i) + lcomb(kb, j) + lcomb(rest, np.clip(m, 0, rest)) - lcomb(total, n),
        -np.inf,
    )
    p = np.exp(logp)
    return p / p.sum()  # removes the last few ulps of rounding; the sum is 1 exactly in theory


def proportion_mse(
    counts: Counts,
    colour: Colour,
    n: Any,
    *,
    target: float | None = None,
    replace: bool = False,
    batches: Any = 1,
) -> Any:
    """Mean squared error of a colour's estimated share, in closed form.

    The estimate is the colour's share among all marbles seen in ``batches``
    independent draws of ``n`` marbles each (each draw without replacement
    unless ``replace``). With ``q`` the jar's share of the colour,

    ``MSE = (q - target)**2 + q (1 - q) / (n · batches) · f``

    where the finite-population correction ``f = (N - n)/(N - 1)`` applies
    without replacement and ``f = 1`` with it. ``target`` defaults to ``q``
    (pure sampling error); set it to a population's share to add the bias of
    a jar that was itself a sample. ``n`` and ``batches`` broadcast.
    """
    replace = flag("replace", replace)
    labels, arr = _parse(counts)
    i = _index(labels, arr, colour)
    total = int(arr.sum())
    q = arr[i] / total
    target = q if target is None else real("target", target, minimum=0.0, maximum=1.0)
    sizes = _sizes(n, None if replace else total).astype(float)
    sizes = sizes.reshape(np.shape(n)) if np.ndim(n) else sizes[0]
    if np.any(np.asarray(sizes) < 1):
        raise ValueError("n must be ≥ 1 to estimate a share")
    m = _sizes(batches, None, "batches").astype(float)
    m = m.reshape(np.shape(batches)) if np.ndim(batches) else m[0]
    if np.any(np.asarray(m) < 1):
        raise ValueError("batches must be ≥ 1")
    fpc = 1.0 if replace else (total - sizes) / (total - 1) if total > 1 else 0.0
    out = (q - target) ** 2 + q * (1 - q) / (sizes * m) * fpc
    return float(out) if np.ndim(out) == 0 else np.asarray(out)


def _sample_counts(sample_counts: Any) -> np.ndarray:
    arr = count_array("sample_counts", sample_counts, ndim=(1, 2))
    if np.any(arr.sum(axis=-1) == 0):
        raise ValueError("sample_counts must describe non-empty samples (each row's total > 0)")
    return arr


def _scalar_or_array(x: np.ndarray) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def good_turing_missing_mass(sample_counts: Any) -> Any:
    """Good–Turing estimate of the probability mass of colours the sample has not seen.

    ``M0 = f1 / n``: the share of the sample made of colours seen exactly once
    estimates the total share of the colours never seen (Good 1953).

    Parameters
    ----------
    sample_counts
        Per-colour counts of one sample (1-D), or one sample per row (2-D).

    Returns
    -------
    float or numpy.ndarray
        One estimate per sample.
    """
    arr = _sample_counts(sample_counts)
    f1 = (arr == 1).sum(axis=-1)
    return _scalar_or_array(f1 / arr.sum(axis=-1))


def chao1(sample_counts: Any) -> Any:
    """Bias-corrected Chao1 estimate of the number of colours, seen and unseen.

    ``S = S_obs + (n - 1)/n · f1 (f1 - 1) / (2 (f2 + 1))`` with ``f1``, ``f2`` the
    numbers of colours seen once and twice (Chao 1984), in the bias-corrected
    form of Chao (2005) and Chiu et al. (2014), which stays finite when
    ``f2 = 0``. It is a lower-bound-type estimator: it uses only the
    singletons and doubletons, so it cannot see further into the tail than
    they reach.
    """
    arr = _sample_counts(sample_counts)
    n = arr.sum(axis=-1)
    s_obs = (arr > 0).sum(axis=-1)
    f1 = (arr == 1).sum(axis=-1)
    f2 = (arr == 2).sum(axis=-1)
    return _scalar_or_array(s_obs + (n - 1) / n * f1 * (f1 - 1) / (2.0 * (f2 + 1)))


def unseen_mass(counts: Counts, sample_counts: Any) -> Any:
    """The true share of the jar made of colours that a sample did not contain."""
    _, arr = _parse(counts)
    samples = _sample_counts(sample_counts)
    if samples.shape[-1] != arr.size:
        raise ValueError(
            f"sample_counts must have one count per colour ({arr.size}), got {samples.shape[-1]}"
        )
    return _scalar_or_array((samples == 0) @ (arr / arr.sum()))


def _miss_with_replacement(arr: np.ndarray, total: int, n: int) -> np.ndarray:
    """``(1 - k_i/N)**n`` for every colour, as ``exp(-n log1p(k_i / (N - k_i)))``."""
    rest = (total - arr).astype(float)
    with np.errstate(divide="ignore"):
        logs = -n * np.log1p(arr / rest) if n else np.zeros(arr.shape)
    return np.exp(logs)


def expected_unseen_mass(counts: Counts, n: int, *, replace: bool = False) -> float:
    """Exact expectation of :func:`unseen_mass` for a draw of ``n`` marbles.

    ``E[M] = sum_i (k_i / N) P(colour i unseen in n draws)``.
    """
    replace = flag("replace", replace)
    _, arr = _parse(counts)
    total = int(arr.sum())
    n = integer("n", n, minimum=0, maximum=None if replace else total)
    p = arr / total
    if replace:
        return float(np.sum(p * _miss_with_replacement(arr, total, n)))
    return float(np.sum(p * np.exp(_log_p_none(total, arr, np.int64(n)))))


def expected_good_turing(counts: Counts, n: int, *, replace: bool = False) -> float:
    """Exact expectation of :func:`good_turing_missing_mass` for a draw of ``n ≥ 1`` marbles.

    With replacement ``E[f1/n] = sum_i p_i (1 - p_i)^(n-1)``: the same sum as
    :func:`expected_unseen_mass` with one draw fewer, which is why Good–Turing
    is nearly unbiased. Without replacement ``P(X_i = 1) = (k_i n / N) ·
    C(N-k_i, n-1) / C(N-1, n-1)``.
    """
    replace = flag("replace", replace)
    _, arr = _parse(counts)
    total = int(arr.sum())
    n = integer("n", n, minimum=1, maximum=None if replace else total)
    p = arr / total
    if replace:
        return float(np.sum(p * _miss_with_replacement(arr, total, n - 1)))
    present = arr > 0
    pn = np.exp(_log_p_none(total - 1, arr[present] - 1, np.int64(n - 1)))
    return float(np.sum(p[present] * pn))


#: Most count combinations :func:`expected_chao1` enumerates.
_MAX_COMBINATIONS = 2_000_000


def expected_chao1(counts: Counts, n: int) -> float:
    """Exact expectation of :func:`chao1` for a draw of ``n ≥ 1`` marbles without replacement.

    Chao1 is a non-linear function of the numbers of colours seen once and
    twice, so its mean has no simple closed form; this function sums it over
    every possible draw, weighted by the multivariate hypergeometric
    probability. The most numerous colour's count is fixed by the others, so
    the sum runs over ``prod(k_i + 1)`` combinations of the other colours
    (at most two million), which is cheap for a jar with a few rare colours.

    Raises
    ------
    ValueError
        If ``n`` is outside ``[1, N]`` or the jar has too many combinations.
    """
    _, arr = _parse(counts)
    total = int(arr.sum())
    n = integer("n", n, minimum=1, maximum=total)
    big = int(np.argmax(arr))
    others = [i for i in range(arr.size) if i != big]
    sizes = [int(arr[i]) + 1 for i in others]
    if float(np.prod(np.array(sizes, dtype=float))) > _MAX_COMBINATIONS:
        raise ValueError(
            f"counts has too many combinations of its rarer colours to enumerate "
            f"(more than {_MAX_COMBINATIONS:,}); estimate the mean of chao1 by simulation"
        )
    grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    rare = np.stack([g.ravel() for g in grids], axis=1) if others else np.zeros((1, 0), int)
    rest = n - rare.sum(axis=1)
    possible = (rest >= 0) & (rest <= arr[big])
    rare, rest = rare[possible], rest[possible]
    full = np.zeros((rest.size, arr.size), dtype=np.int64)
    full[:, others] = rare
    full[:, big] = rest

    def lcomb(top: Any, bottom: Any) -> Any:
        return gammaln(top + 1) - gammaln(bottom + 1) - gammaln(top - bottom + 1)

    logp = lcomb(arr[others], rare).sum(axis=1) + lcomb(arr[big], rest) - lcomb(total, n)
    p = np.exp(logp)
    return float(np.sum(p * chao1(full)) / np.sum(p))  # the sum of p is 1 up to rounding
