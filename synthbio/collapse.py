"""Copies of copies: what happens when a model is trained on its own samples.

Every generation here fits a model to data, samples a new data set from the
fit, and hands that data set to the next generation. Three generators are
covered, from the simplest to a richer one:

* the empirical distribution of categories (a jar of marbles, cell-type
  labels): resampling it is the Wright–Fisher process of population
  genetics, :func:`resample_chain`, with exact loss probabilities from
  :func:`loss_probability` and the expected number of categories left,
  :func:`expected_categories_left` (:func:`expected_types_left` for
  corpora with tens of thousands of items, such as the word types of a text);
* a normal distribution refitted by maximum likelihood (or with the unbiased
  variance), :func:`gaussian_chain`, with the closed forms
  :func:`expected_variance`, :func:`expected_log_variance`,
  :func:`expected_mean_sq_error` (each also for accumulated data) and the
  exact distribution of the fitted variance, :func:`prob_variance_below`;
* a one-dimensional Gaussian mixture refitted by EM, :func:`mixture_chain`,
  and a class-conditional Gaussian generator of cells in PCA space,
  :func:`celltype_chain`, whose within-type spread shrinks on average as
  :func:`expected_spread_ratio` computes.

Replicate chains are an array axis throughout. In every result, generation 0
is the starting point (the real jar, the true distribution, the real data) and
generation ``g`` is what ``g`` rounds of fit-and-sample produced.

References
----------
Shumailov, I., Shumaylov, Z., Zhao, Y., Gal, Y., Papernot, N. and Anderson, R.
(2023). The curse of recursion: training on generated data makes models
forget. arXiv:2305.17493.

Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the
curse of recursion by accumulating real and synthetic data. arXiv:2404.01413.

Kimura, M. (1962). On the probability of fixation of mutant genes in a
population. *Genetics* 47, 713–719.

Gil-Pelaez, J. (1951). Note on the inversion theorem. *Biometrika* 38,
481–482.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ._validate import (
    MAX_MAGNITUDE,
    RNGLike,
    as_generator,
    bounded_array,
    check_memory,
    check_work,
    count_array,
    finite_array,
    flag,
    integer,
    positive_real,
    real,
)

__all__ = [
    "CellTypeChain",
    "GaussianPath",
    "MixtureChain",
    "celltype_chain",
    "expected_categories_left",
    "expected_log_variance",
    "expected_mean_sq_error",
    "expected_spread_ratio",
    "expected_types_left",
    "expected_variance",
    "expected_w2_sq",
    "fit_mixture",
    "gaussian_chain",
    "loss_probability",
    "mixture_chain",
    "normal_tail_mass",
    "prob_variance_below",
    "resample_chain",
    "tail_mass",
    "w2_gaussian",
]


# --------------------------------------------------------------------------
# Categories: the Wright–Fisher process
# --------------------------------------------------------------------------


def _counts_1d(counts: Any) -> np.ndarray:
    if isinstance(counts, (str, bytes)) or np.isscalar(counts):
        raise TypeError(
            f"counts must be a 1-D array of category counts, got {type(counts).__name__}"
        )
    arr = count_array("counts", counts, ndim=1)
    if arr.sum() == 0:
        raise ValueError("counts must contain at least one item (total > 0)")
    return arr


def resample_chain(
    counts: Any,
    generations: int,
    *,
    sample_size: int | None = None,
    replicates: int = 1,
    rng: RNGLike = None,
) -> np.ndarray:
    """Category counts of a data set that is resampled from itself, generation after generation.

    Generation ``g + 1`` draws ``sample_size`` items with replacement from the
    category frequencies of generation ``g``: the model is the empirical
    distribution, and the next data set is a sample of it. This is the
    Wright–Fisher model of genetic drift. A category that reaches zero can
    never come back.

    Parameters
    ----------
    counts
        Starting counts per category (1-D, non-negative, total > 0).
    generations
        Rounds of resampling (≥ 0).
    sample_size
        Items per generation; defaults to the starting total.
    replicates
        Independent chains (≥ 1).
    rng
        Seed or generator.

    Returns
    -------
    numpy.ndarray of int64, shape ``(replicates, generations + 1, n_categories)``
        Row ``[r, 0]`` is ``counts``; every later row sums to ``sample_size``.
    """
    arr = _counts_1d(counts)
    generations = integer("generations", generations, minimum=0)
    replicates = integer("replicates", replicates, minimum=1)
    size = int(arr.sum()) if sample_size is None else integer("sample_size", sample_size, minimum=1)
    check_memory(
        "replicates, generations",
        replicates * (generations + 1.0) * arr.size,
        what="replicates × (generations + 1) × categories counts",
    )
    gen = as_generator(rng)
    out = np.empty((replicates, generations + 1, arr.size), dtype=np.int64)
    out[:, 0] = arr
    for g in range(1, generations + 1):
        prev = out[:, g - 1]
        out[:, g] = gen.multinomial(size, prev / prev.sum(axis=1, keepdims=True))
    return out


def _check_dense(names: str, size: int, total: int, rows: int, generations: int) -> None:
    """Refuse the exact Wright–Fisher route up front when its dense matrices cannot fit."""
    elements = (size + 1.0) ** 2 + (total + 1.0) * (size + 1.0) + rows * (size + 1.0)
    check_memory(
        names,
        elements,
        what=f"dense ({size + 1} × {size + 1}) transition matrices; "
        "for large data sets use expected_types_left, which follows fewer states",
    )
    check_memory("generations", rows * (generations + 1.0))
    # matrix products run at many flops per step: count ten flops as one step
    check_work(f"{names}, generations", rows * (size + 1.0) ** 2 * max(generations, 1) / 10)


def _binomial_transition(size: int, from_total: int | None = None) -> np.ndarray:
    """``T[i, j] = P(j of size | frequency i / from_total)`` for the Wright–Fisher step."""
    from scipy.special import gammaln, xlog1py, xlogy

    from_total = size if from_total is None else from_total
    freq = np.arange(from_total + 1)[:, None] / from_total
    j = np.arange(size + 1)
    log_choose = gammaln(size + 1) - gammaln(j + 1) - gammaln(size - j + 1)
    return np.exp(log_choose[None, :] + xlogy(j[None, :], freq) + xlog1py(size - j[None, :], -freq))


def loss_probability(
    k: Any, total: int, generations: int, *, sample_size: int | None = None
) -> np.ndarray:
    """Exact probability that a category with ``k`` of ``total`` items is gone by each generation.

    A single category against all the others is a two-type Wright–Fisher
    chain: given ``j`` of ``M`` items, the next generation holds
    ``Binomial(M, j / M)`` of them. Propagating the exact distribution gives
    ``P(count = 0 at generation g)``; it rises towards ``1 - k/total``, the
    probability that the category is eventually lost (Kimura 1962).

    Parameters
    ----------
    k
        Starting count(s) of the category: an int or a 1-D array of ints in
        ``[0, total]``.
    total
        Items in the starting data set (≥ 1).
    generations
        Rounds of resampling (≥ 0).
    sample_size
        Items per generation after the first; defaults to ``total``.

    Returns
    -------
    numpy.ndarray, shape ``(generations + 1,)`` for an int ``k``, else ``(len(k), generations + 1)``
    """
    return _loss_probability(k, total, generations, sample_size, "")


def _loss_probability(
    k: Any, total: Any, generations: Any, sample_size: Any, names: str
) -> np.ndarray:
    """The body of :func:`loss_probability`; ``names`` label the sizes in errors."""
    total = integer("total", total, minimum=1)
    generations = integer("generations", generations, minimum=0)
    size = total if sample_size is None else integer("sample_size", sample_size, minimum=1)
    scalar = np.ndim(k) == 0
    ks = np.array([integer("k", k, minimum=0, maximum=total)]) if scalar else count_array("k", k)
    if np.any(ks > total):
        raise ValueError(f"k must be in [0, {total}], got a maximum of {int(ks.max())}")
    if generations:
        _check_dense(names or "total, sample_size", size, total, ks.size, generations)
    out = np.empty((ks.size, generations + 1))
    out[:, 0] = ks == 0
    if generations:
        step = _binomial_transition(size)
        first = (step if size == total else _binomial_transition(size, total))[ks]
        dist = first
        out[:, 1] = dist[:, 0]
        for g in range(2, generations + 1):
            dist = dist @ step
            out[:, g] = dist[:, 0]
    out = np.clip(out, 0.0, 1.0)
    return out[0] if scalar else out


def expected_categories_left(
    counts: Any, generations: int, *, sample_size: int | None = None
) -> np.ndarray:
    """Exact expected number of categories still present after each generation of resampling.

    By linearity, ``E[# present at g] = sum_i (1 - P(category i lost by g))``,
    each term from :func:`loss_probability`.

    Returns
    -------
    numpy.ndarray, shape ``(generations + 1,)``
    """
    arr = _counts_1d(counts)
    lost = _loss_probability(
        arr, int(arr.sum()), generations, sample_size, "counts (their total), sample_size"
    )
    return (1.0 - lost).sum(axis=0)


def expected_types_left(k: Any, total: int, generations: int, *, states: int = 2000) -> np.ndarray:
    """Expected number of categories still present after each generation, for large data sets.

    Every generation draws ``total`` items from the previous one's
    frequencies; a category held by ``k`` of them is held by
    ``Binomial(total, k / total)`` in the next. The answer is the
    Wright–Fisher sum ``sum_i (1 - P(category i lost by g))`` of
    :func:`expected_categories_left`, computed on a truncated state space so
    that it works for corpora of tens of thousands of items: each category's
    count is followed on ``0, ..., states`` only. A path that climbs above
    ``states`` is dropped, and a category that starts above it counts as
    never lost. Both errors are smaller than the chance that a count of
    ``states`` dies out within ``generations``, which is at most
    ``q_g ** states`` with ``q_0 = 0``, ``q_g = exp(q_{g-1} - 1)`` (the
    Binomial(N, j/N) step is dominated by a Poisson(j) one, a critical
    branching process); for 2000 states and 100 generations that is below
    ``1e-16`` per category. With ``states >= total`` the result is exact.

    The categories need not be disjoint (a word pair holds two words), since
    an expectation is a sum over categories whatever their dependence.

    Parameters
    ----------
    k
        Items held by each category (1-D, integers in ``[0, total]``).
    total
        Items per generation (≥ 1).
    generations
        Rounds of resampling (≥ 0).
    states
        Largest count followed (≥ 1).

    Returns
    -------
    numpy.ndarray, shape ``(generations + 1,)``
    """
    from scipy.special import gammaln, xlog1py, xlogy

    if isinstance(k, (str, bytes)) or np.isscalar(k):
        raise TypeError(f"k must be a 1-D array of category counts, got {type(k).__name__}")
    ks_all = count_array("k", k, ndim=1)
    total = integer("total", total, minimum=1)
    generations = integer("generations", generations, minimum=0)
    states = integer("states", states, minimum=1)
    if ks_all.size and ks_all.max() > total:
        raise ValueError(f"k must be in [0, {total}], got a maximum of {int(ks_all.max())}")
    top = min(total, states)
    check_memory("generations", generations + 1.0)
    present = ks_all[ks_all > 0]
    ks, n_k = np.unique(present[present <= top], return_counts=True)
    check_memory(
        "states, total",
        (top + 1.0) ** 2 + ks.size * (top + 1.0),
        what=f"a dense ({top + 1} × {top + 1}) transition matrix",
    )
    # matrix products run at many flops per step: count ten flops as one step
    check_work("states, generations", ks.size * (top + 1.0) ** 2 * max(generations, 1) / 10)
    j = np.arange(top + 1)
    freq = j[:, None] / total
    log_choose = gammaln(total + 1) - gammaln(j + 1) - gammaln(total - j + 1)
    log_step = log_choose[None, :] + xlogy(j[None, :], freq) + xlog1py(total - j[None, :], -freq)
    step = np.exp(log_step)
    dist = np.zeros((ks.size, top + 1))
    dist[np.arange(ks.size), ks] = 1.0
    out = np.empty(generations + 1)
    out[0] = present.size
    for g in range(1, generations + 1):
        dist = dist @ step
        out[g] = present.size - float(n_k @ np.clip(dist[:, 0], 0.0, 1.0))
    return out


# --------------------------------------------------------------------------
# A normal distribution refitted to its own samples
# --------------------------------------------------------------------------


class GaussianPath(NamedTuple):
    """Fitted means and standard deviations of :func:`gaussian_chain`.

    Each field has shape ``(replicates, generations + 1)``.
    """

    mean: np.ndarray
    std: np.ndarray


def _check_n_ddof(n: Any, ddof: Any) -> tuple[int, int]:
    n = integer("n", n, minimum=2)
    ddof = integer("ddof", ddof, minimum=0, maximum=n - 1)
    return n, ddof


def _combine(
    n_a: np.ndarray | int,
    mean_a: np.ndarray,
    m2_a: np.ndarray,
    n_b: int,
    mean_b: np.ndarray,
    m2_b: np.ndarray,
) -> tuple[Any, np.ndarray, np.ndarray]:
    """Pool two samples' (count, mean, sum of squared deviations) exactly (Chan et al.)."""
    n = n_a + n_b
    if n_b == 0:
        return n_a, mean_a, m2_a
    if np.all(np.asarray(n_a) == 0):
        return n_b, mean_b, m2_b
    delta = mean_b - mean_a
    mean = mean_a + delta * (n_b / n)
    m2 = m2_a + m2_b + delta**2 * (n_a * n_b / n)
    return n, mean, m2


def _batch_stats(x: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    m = x.shape[-1]
    if m == 0:
        zero = np.zeros(x.shape[:-1])
        return 0, zero, zero
    mean = x.mean(axis=-1)
    return m, mean, ((x - mean[..., None]) ** 2).sum(axis=-1)


def gaussian_chain(
    n: int,
    generations: int,
    *,
    replicates: int = 1,
    ddof: int = 0,
    real_fraction: float = 0.0,
    accumulate: bool = False,
    loc: float = 0.0,
    scale: float = 1.0,
    rng: RNGLike = None,
) -> GaussianPath:
    """Refit a normal distribution to samples of its previous fit, generation after generation.

    Generation 0 is the truth, ``N(loc, scale²)``. Model 1 is fitted to ``n``
    real points. Model ``g + 1`` is fitted to a training set built from ``n``
    new points: ``round(real_fraction · n)`` fresh real points and the rest
    sampled from model ``g``. With ``accumulate=False`` the new points replace
    the old training set; with ``accumulate=True`` they are added to all
    earlier data, real and synthetic (Gerstgrasser et al. 2024). A fit is the
    sample mean and the standard deviation with ``ddof`` (0: maximum
    likelihood; 1: square root of the unbiased variance).

    Parameters
    ----------
    n
        New points per generation (≥ 2).
    generations
        Number of fitted models (≥ 0).
    replicates
        Independent chains (≥ 1).
    ddof
        Delta degrees of freedom of the variance, in ``[0, n - 1]``.
    real_fraction
        Share of each generation's new points that are fresh real data, in ``[0, 1]``.
    accumulate
        Keep all earlier data instead of replacing it.
    loc, scale
        The true distribution (``scale > 0``).
    rng
        Seed or generator.

    Returns
    -------
    GaussianPath
        ``mean`` and ``std``, each of shape ``(replicates, generations + 1)``;
        column 0 holds ``loc`` and ``scale``.

    References
    ----------
    Shumailov et al. (2023), arXiv:2305.17493; Gerstgrasser et al. (2024),
    arXiv:2404.01413.
    """
    n, ddof = _check_n_ddof(n, ddof)
    generations = integer("generations", generations, minimum=0)
    replicates = integer("replicates", replicates, minimum=1)
    real_fraction = real("real_fraction", real_fraction, minimum=0.0, maximum=1.0)
    accumulate = flag("accumulate", accumulate)
    loc = real("loc", loc, minimum=-MAX_MAGNITUDE, maximum=MAX_MAGNITUDE)
    scale = real("scale", scale, minimum=0.0, maximum=MAX_MAGNITUDE, open_min=True)
    check_memory("replicates, generations", 2.0 * replicates * (generations + 1))
    check_memory("replicates, n", 2.0 * replicates * n, what="one generation's samples")
    check_work("replicates, n, generations", float(replicates) * n * max(generations, 1))
    gen = as_generator(rng)
    n_real = round(real_fraction * n)
    means = np.empty((replicates, generations + 1))
    stds = np.empty((replicates, generations + 1))
    means[:, 0], stds[:, 0] = loc, scale
    pool_n: Any = 0
    pool_mean = np.zeros(replicates)
    pool_m2 = np.zeros(replicates)
    for g in range(1, generations + 1):
        n_fresh = n if g == 1 else n_real
        fresh = loc + scale * gen.standard_normal((replicates, n_fresh))
        synth = means[:, g - 1, None] + stds[:, g - 1, None] * gen.standard_normal(
            (replicates, n - n_fresh)
        )
        b_n, b_mean, b_m2 = _combine(*_batch_stats(fresh), *_batch_stats(synth))
        if accumulate:
            pool_n, pool_mean, pool_m2 = _combine(pool_n, pool_mean, pool_m2, b_n, b_mean, b_m2)
        else:
            pool_n, pool_mean, pool_m2 = b_n, b_mean, b_m2
        means[:, g] = pool_mean
        stds[:, g] = np.sqrt(pool_m2 / (pool_n - ddof))
    return GaussianPath(means, stds)


def _generations_array(generations: Any) -> tuple[np.ndarray, bool]:
    if np.ndim(generations) == 0:
        return np.array([integer("generations", generations, minimum=0)]), True
    return count_array("generations", generations, ndim=(1, 2)), False


def expected_variance(
    generations: Any, n: int, *, ddof: int = 0, sigma2: float = 1.0, accumulate: bool = False
) -> Any:
    """Mean fitted variance after ``generations`` rounds of :func:`gaussian_chain` (no real data).

    Replacing data: given model ``g``, the next fit's sum of squared
    deviations is ``σ_g² χ²_{n-1}``, so
    ``E[σ²_{g+1} | σ²_g] = σ²_g (n - 1)/(n - ddof)`` and

    ``E[σ²_g] = sigma2 · ((n - 1)/(n - ddof))**g``.

    With ``ddof = 0`` (maximum likelihood) the mean shrinks geometrically;
    with ``ddof = 1`` it stays at ``sigma2`` for ever, although almost every
    single chain still collapses (see :func:`expected_log_variance`).

    Accumulating data (``accumulate=True``): after ``t`` generations the pool
    holds ``t n`` points with sum of squared deviations ``M_t``. A new batch
    of ``n`` points from model ``t - 1`` adds, on average, ``(n - 1) σ²_{t-1}``
    within the batch and ``σ²_{t-1} (t - 1)/t`` for the shift of the pooled
    mean, so with ``σ²_{t-1} = M_{t-1} / ((t - 1) n - ddof)``

    ``E[M_t] = E[M_{t-1}] (1 + (n - 1 + (t - 1)/t) / ((t - 1) n - ddof))``,
    ``E[M_1] = (n - 1) sigma2`` and ``E[σ²_t] = E[M_t] / (t n - ddof)``.

    Parameters
    ----------
    generations
        Int or array of ints ≥ 0 (model ``g``; 0 is the truth).
    n
        Points per generation (≥ 2).
    ddof
        As in :func:`gaussian_chain`, in ``[0, n - 1]``.
    sigma2
        The true variance (> 0).
    accumulate
        Keep all earlier data instead of replacing it, as in :func:`gaussian_chain`.

    Returns
    -------
    float or numpy.ndarray
        One value per generation.
    """
    g, scalar = _generations_array(generations)
    n, ddof = _check_n_ddof(n, ddof)
    sigma2 = real("sigma2", sigma2, minimum=0.0, open_min=True)
    accumulate = flag("accumulate", accumulate)
    if accumulate:
        out = sigma2 * _accumulated_variance(int(g.max()), n, ddof)[g]
    else:
        out = sigma2 * ((n - 1) / (n - ddof)) ** g.astype(float)
    return float(out[0]) if scalar else out


def _accumulated_variance(generations: int, n: int, ddof: int) -> np.ndarray:
    """``E[σ²_t] / σ²``, ``t = 0..generations``, when all data are kept (expected_variance)."""
    out = np.ones(generations + 1)
    if generations == 0:
        return out
    t = np.arange(2, generations + 1, dtype=float)
    growth = 1.0 + (n - 1 + (t - 1) / t) / ((t - 1) * n - ddof)
    m2 = (n - 1) * np.concatenate(([1.0], np.cumprod(growth)))  # E[M_t] / σ², t = 1..G
    out[1:] = m2 / (np.arange(1, generations + 1) * n - ddof)
    return out


def expected_log_variance(generations: Any, n: int, *, ddof: int = 0, sigma2: float = 1.0) -> Any:
    """Mean of ``log σ²_g`` in :func:`gaussian_chain`: the typical path of the fitted variance.

    ``log σ²_g = log sigma2 + sum_{t ≤ g} log(χ²_{n-1, t} / (n - ddof))`` with
    independent terms, and ``E[log χ²_ν] = ψ(ν/2) + log 2``, so

    ``E[log σ²_g] = log sigma2 + g (ψ((n - 1)/2) + log 2 - log(n - ddof))``.

    The bracket is negative for every ``ddof ≤ 1`` (Jensen's inequality), so
    the typical chain's variance decays like ``exp(g · bracket)`` even when its
    mean does not: the law of large numbers applied to ``log σ²_g / g``.

    Parameters
    ----------
    generations
        Int or array of ints ≥ 0 (model ``g``; 0 is the truth).
    n
        Points per generation (≥ 2).
    ddof
        As in :func:`gaussian_chain`, in ``[0, n - 1]``.
    sigma2
        The true variance (> 0).

    Returns
    -------
    float or numpy.ndarray
        One value per generation.
    """
    from scipy.special import digamma

    g, scalar = _generations_array(generations)
    n, ddof = _check_n_ddof(n, ddof)
    sigma2 = real("sigma2", sigma2, minimum=0.0, open_min=True)
    rate = digamma((n - 1) / 2) + np.log(2.0) - np.log(n - ddof)
    out = np.log(sigma2) + g * rate
    return float(out[0]) if scalar else out


def prob_variance_below(generations: Any, n: int, *, ddof: int = 0, ratio: float = 1.0) -> Any:
    """Exact ``P(σ²_g < ratio · σ²)`` in :func:`gaussian_chain` (replacing data, no real data).

    ``log(σ²_g / σ²)`` is the sum of ``g`` independent terms
    ``log(χ²_{n-1} / (n - ddof))``, whose characteristic function is
    ``E[(χ²_ν)^{iu}] (n - ddof)^{-iu} = 2^{iu} Γ(ν/2 + iu) / Γ(ν/2) (n - ddof)^{-iu}``.
    Raising it to the power ``g`` and inverting it (Gil-Pelaez 1951),

    ``P(S < x) = 1/2 - (1/π) ∫_0^∞ Im(e^{-iux} φ(u)^g) / u du``,  ``x = log ratio``,

    gives the distribution of the fitted variance without simulation. For
    ``g = 1`` it is ``scipy.stats.chi2.cdf(ratio (n - ddof), n - 1)``.

    Parameters
    ----------
    generations
        Int or array of ints ≥ 0 (model ``g``; 0 is the truth, whose variance
        is below ``ratio · σ²`` only when ``ratio > 1``).
    n
        Points per generation (≥ 2).
    ddof
        As in :func:`gaussian_chain`, in ``[0, n - 1]``.
    ratio
        The threshold as a multiple of the true variance (> 0).

    Returns
    -------
    float or numpy.ndarray
        One probability per generation.
    """
    from scipy.integrate import IntegrationWarning, quad
    from scipy.special import loggamma

    g, scalar = _generations_array(generations)
    n, ddof = _check_n_ddof(n, ddof)
    if n > 10**7:  # the characteristic function's peak gets too narrow for quadrature
        raise ValueError(f"n must be ≤ 10**7 for the exact inversion, got {n}")
    ratio = positive_real("ratio", ratio)
    check_work("generations", float(g.size) * 1e5, what="one quadrature per generation")
    x = np.log(ratio)
    a = (n - 1) / 2
    shift = np.log(2.0) - np.log(n - ddof)

    def log_cf(u: float) -> complex:
        return complex(1j * u * shift + loggamma(a + 1j * u) - loggamma(a))

    out = np.empty(g.shape, dtype=float)
    for idx, gi in np.ndenumerate(g):
        if gi == 0:
            out[idx] = float(x > 0)
            continue
        upper = 1.0  # integrate until |φ|^g < e^-60
        while gi * log_cf(upper).real > -60.0:
            upper *= 2.0

        def integrand(u: float, gi: int = int(gi)) -> float:
            if u == 0.0:
                return 0.0
            return float(np.exp(gi * log_cf(u) - 1j * u * x).imag / u)

        with warnings.catch_warnings():
            warnings.simplefilter("error", IntegrationWarning)
            try:
                value, _ = quad(integrand, 0.0, upper, limit=400, epsabs=1e-12, epsrel=1e-10)
            except IntegrationWarning:
                raise ValueError(
                    f"n = {n}, ratio = {ratio:g} and generations = {int(gi)} are out of reach of "
                    "the exact inversion (its integral does not converge to 1e-12): the "
                    "probability is too close to 0 or 1, or n too large; estimate it by "
                    "simulation with gaussian_chain"
                ) from None
        out[idx] = min(max(0.5 - value / np.pi, 0.0), 1.0)
    return float(out.ravel()[0]) if scalar else out


def expected_mean_sq_error(
    generations: Any, n: int, *, ddof: int = 0, sigma2: float = 1.0, accumulate: bool = False
) -> Any:
    """Mean squared error of the fitted mean, ``E[(μ_g - μ)²]``, in :func:`gaussian_chain`.

    Replacing data: each fit's mean is the previous mean plus
    ``σ_{t-1} Z_t / sqrt(n)`` with ``Z_t`` independent of the past, so the
    errors add up:

    ``E[(μ_g - μ)²] = (sigma2 / n) · sum_{t=0}^{g-1} ((n - 1)/(n - ddof))**t``.

    The mean performs a random walk: its error grows with every generation
    (linearly for ``ddof = 1``) instead of staying at the ``sigma2 / n`` of
    one fit to real data.

    Accumulating data (``accumulate=True``): the ``t``-th batch moves the
    pooled mean by only ``σ_{t-1} Z_t / (t sqrt(n))``, so

    ``E[(μ_g - μ)²] = (1 / n) · sum_{t=1}^{g} E[σ²_{t-1}] / t²``

    with ``E[σ²_t]`` from :func:`expected_variance` (``accumulate=True``);
    it stays below ``sigma2 π² / (6 n)`` (Gerstgrasser et al. 2024).

    Parameters
    ----------
    generations
        Int or array of ints ≥ 0 (model ``g``; 0 is the truth).
    n
        Points per generation (≥ 2).
    ddof
        As in :func:`gaussian_chain`, in ``[0, n - 1]``.
    sigma2
        The true variance (> 0).
    accumulate
        Keep all earlier data instead of replacing it, as in :func:`gaussian_chain`.

    Returns
    -------
    float or numpy.ndarray
        One value per generation.
    """
    g, scalar = _generations_array(generations)
    n, ddof = _check_n_ddof(n, ddof)
    sigma2 = real("sigma2", sigma2, minimum=0.0, open_min=True)
    accumulate = flag("accumulate", accumulate)
    if accumulate:
        top = int(g.max())
        k = np.arange(1, top + 1, dtype=float)
        steps = _accumulated_variance(top, n, ddof)[:-1] / k**2 if top else np.zeros(0)
        out = sigma2 / n * np.concatenate(([0.0], np.cumsum(steps)))[g]
        return float(out[0]) if scalar else out
    r = (n - 1) / (n - ddof)
    gf = g.astype(float)
    total = gf if r == 1.0 else (1.0 - r**gf) / (1.0 - r)
    out = sigma2 / n * total
    return float(out[0]) if scalar else out


def expected_w2_sq(generations: Any, n: int, *, ddof: int = 0, sigma2: float = 1.0) -> Any:
    """Mean squared 2-Wasserstein distance from the truth in :func:`gaussian_chain`.

    This is ``E[W2²(model g, truth)]``.

    ``W2² = (μ_g - μ)² + (σ_g - σ)²`` (see :func:`w2_gaussian`). The first
    term is :func:`expected_mean_sq_error`. For the second, each step
    multiplies ``σ`` by an independent ``sqrt(χ²_{n-1} / (n - ddof))``, whose
    mean is ``c = sqrt(2 / (n - ddof)) Γ(n/2) / Γ((n - 1)/2)``, so
    ``E[σ_g] = σ c**g`` and

    ``E[W2²] = E[(μ_g - μ)²] + E[σ_g²] - 2 σ² c**g + σ²``.

    Parameters
    ----------
    generations
        Int or array of ints ≥ 0 (model ``g``; 0 is the truth).
    n
        Points per generation (≥ 2).
    ddof
        As in :func:`gaussian_chain`, in ``[0, n - 1]``.
    sigma2
        The true variance (> 0).

    Returns
    -------
    float or numpy.ndarray
        One value per generation.
    """
    from scipy.special import gammaln

    g, scalar = _generations_array(generations)
    n, ddof = _check_n_ddof(n, ddof)
    sigma2 = real("sigma2", sigma2, minimum=0.0, open_min=True)
    c = np.exp(0.5 * np.log(2.0 / (n - ddof)) + gammaln(n / 2) - gammaln((n - 1) / 2))
    out = (
        np.asarray(expected_mean_sq_error(g, n, ddof=ddof, sigma2=sigma2))
        + np.asarray(expected_variance(g, n, ddof=ddof, sigma2=sigma2))
        - 2.0 * sigma2 * c ** g.astype(float)
        + sigma2
    )
    return float(out[0]) if scalar else out


def w2_gaussian(mu1: Any, sigma1: Any, mu2: Any, sigma2: Any) -> Any:
    """2-Wasserstein distance between ``N(mu1, sigma1²)`` and ``N(mu2, sigma2²)``.

    For one-dimensional normals the optimal transport map is affine, and
    ``W2 = sqrt((mu1 - mu2)² + (sigma1 - sigma2)²)`` (Givens and Shortt 1984).

    Parameters
    ----------
    mu1, sigma1, mu2, sigma2
        Means and standard deviations (≥ 0); arrays broadcast.

    Returns
    -------
    float or numpy.ndarray
    """
    m1, s1 = finite_array("mu1", mu1), finite_array("sigma1", sigma1)
    m2, s2 = finite_array("mu2", mu2), finite_array("sigma2", sigma2)
    if np.any(s1 < 0) or np.any(s2 < 0):
        raise ValueError("sigma1 and sigma2 must be ≥ 0 (standard deviations)")
    try:
        np.broadcast_shapes(m1.shape, s1.shape, m2.shape, s2.shape)
    except ValueError:
        raise ValueError(
            f"mu1, sigma1, mu2 and sigma2 must broadcast together, got shapes {m1.shape}, "
            f"{s1.shape}, {m2.shape} and {s2.shape}"
        ) from None
    with np.errstate(over="ignore"):  # hypot does not overflow while the distance is finite
        out = np.hypot(m1 - m2, s1 - s2)
    if not np.all(np.isfinite(out)):
        raise ValueError("mu1, sigma1, mu2 and sigma2 are too large: the distance overflows")
    return float(out) if out.ndim == 0 else out


def tail_mass(samples: Any, threshold: float, *, center: float = 0.0, axis: int = -1) -> Any:
    """Share of ``samples`` farther than ``threshold`` from ``center``, along ``axis``.

    With standardised data, ``threshold = 2`` or ``3`` follows the mass
    beyond ±2σ or ±3σ of the original distribution.

    Parameters
    ----------
    samples
        Finite values; the samples of one data set run along ``axis``.
    threshold
        Distance from ``center`` (≥ 0); points strictly farther count.
    center
        The reference point.
    axis
        The sample axis.

    Returns
    -------
    float or numpy.ndarray
        The share per data set (the other axes).
    """
    x = finite_array("samples", samples)
    if x.ndim == 0:
        raise ValueError("samples must be an array with a sample axis, got a single number")
    threshold = real("threshold", threshold, minimum=0.0)
    center = real("center", center)
    axis = integer("axis", axis, minimum=-x.ndim, maximum=x.ndim - 1)
    out = (np.abs(x - center) > threshold).mean(axis=axis)
    return float(out) if np.ndim(out) == 0 else out


def normal_tail_mass(mu: Any, sigma: Any, threshold: float, *, center: float = 0.0) -> Any:
    """Exact ``P(|X - center| > threshold)`` for ``X ~ N(mu, sigma²)``; arguments broadcast.

    A zero ``sigma`` is a point mass at ``mu``.

    Parameters
    ----------
    mu, sigma
        Mean and standard deviation (≥ 0); arrays broadcast.
    threshold
        Distance from ``center`` (≥ 0).
    center
        The reference point.

    Returns
    -------
    float or numpy.ndarray
    """
    from scipy.special import ndtr

    m, s = finite_array("mu", mu), finite_array("sigma", sigma)
    if np.any(s < 0):
        raise ValueError("sigma must be ≥ 0 (a standard deviation)")
    threshold = real("threshold", threshold, minimum=0.0)
    center = real("center", center)
    hi, lo = center + threshold, center - threshold
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # z = ±inf is exact
        safe = np.where(s > 0, s, 1.0)
        smooth = ndtr((lo - m) / safe) + ndtr((m - hi) / safe)
    out = np.where(s > 0, smooth, (np.abs(m - center) > threshold).astype(float))
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------
# A richer generator: a Gaussian mixture refitted by EM
# --------------------------------------------------------------------------

_VAR_FLOOR = 1e-8  # relative to the data's variance; keeps EM away from zero-width components


def _em_steps(
    x: np.ndarray, w: np.ndarray, mu: np.ndarray, var: np.ndarray, steps: int, floor: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``steps`` EM iterations for 1-D mixtures; x (R, n), parameters (R, K).

    Dead components stay dead. Work arrays are laid out (R, K, n) so that
    sums over components run along a middle axis, vectorised over the n
    points. Also returns each row's mean log-likelihood per point under the
    parameters the last step started from.
    """
    alive = w > 0
    xs = x[:, None, :]
    x_sq = (x * x)[:, :, None]
    loglik = np.full(x.shape[0], -np.inf)
    for _ in range(steps):
        logp = (np.log(np.where(alive, w, 1.0)) - 0.5 * np.log(2 * np.pi * var))[
            :, :, None
        ] - 0.5 * (xs - mu[:, :, None]) ** 2 / var[:, :, None]
        logp[~alive] = -np.inf
        top = logp.max(axis=1, keepdims=True)
        logp -= top
        resp = np.exp(logp)
        total = resp.sum(axis=1, keepdims=True)
        loglik = (np.log(total) + top).mean(axis=(1, 2))
        resp /= total
        nk = resp.sum(axis=2)
        alive = nk > 1e-10
        safe = np.where(alive, nk, 1.0)
        w = np.where(alive, nk / x.shape[1], 0.0)
        mu = np.where(alive, np.matmul(resp, x[:, :, None])[:, :, 0] / safe, mu)
        second = np.matmul(resp, x_sq)[:, :, 0] / safe
        var = np.where(alive, second - mu**2, var)
        var = np.maximum(var, floor[:, None])
    return w, mu, var, loglik


def _em(
    x: np.ndarray,
    w: np.ndarray,
    mu: np.ndarray,
    var: np.ndarray,
    steps: int,
    floor: np.ndarray,
    tol: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """EM for 1-D mixtures: ``steps`` iterations, or with ``tol`` until convergence.

    With ``tol``, each row iterates until one EM step raises its mean
    log-likelihood per point by less than ``tol`` (EM never lowers it), at
    most ``steps`` times; converged rows drop out of the work arrays.
    """
    if tol is None:
        return _em_steps(x, w, mu, var, steps, floor)[:3]
    w, mu, var = w.copy(), mu.copy(), var.copy()
    rows = np.arange(x.shape[0])
    before = np.full(x.shape[0], -np.inf)
    for _ in range(steps):
        nw, nmu, nvar, ll = _em_steps(x[rows], w[rows], mu[rows], var[rows], 1, floor[rows])
        w[rows], mu[rows], var[rows] = nw, nmu, nvar
        going = ll - before[rows] >= tol
        before[rows] = ll
        rows = rows[going]
        if rows.size == 0:
            break
    return w, mu, var


def _mixture_start(x: np.ndarray, components: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    qs = (np.arange(components) + 0.5) / components
    mu = np.quantile(x, qs, axis=1).T
    var = np.repeat(x.var(axis=1, keepdims=True), components, axis=1)
    w = np.full(mu.shape, 1.0 / components)
    return w, mu, var


def fit_mixture(
    x: Any, components: int, *, steps: int = 300
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood 1-D Gaussian mixture by EM, one fit per row of ``x``.

    EM starts from equal weights, means at evenly spaced quantiles and the
    data's variance, and runs ``steps`` iterations.

    Parameters
    ----------
    x
        Data, shape ``(n,)`` or ``(replicates, n)`` with ``n ≥ 2``.
    components
        Mixture components (≥ 1).
    steps
        EM iterations (≥ 1).

    Returns
    -------
    weights, means, sds
        Each of shape ``(components,)`` or ``(replicates, components)``.
    """
    arr = bounded_array("x", x, ndim=(1, 2))
    if arr.shape[-1] < 2:
        raise ValueError(f"x must hold at least 2 points per row, got {arr.shape[-1]}")
    components = integer("components", components, minimum=1, maximum=arr.shape[-1])
    steps = integer("steps", steps, minimum=1)
    check_work(
        "steps, components, x",
        float(steps) * arr.size * components,
        what="EM steps × points × components",
    )
    x2 = np.atleast_2d(arr)
    floor = _VAR_FLOOR * np.maximum(x2.var(axis=1), 1e-300)
    w, mu, var = _em(x2, *_mixture_start(x2, components), steps, floor)
    sd = np.sqrt(var)
    return (w[0], mu[0], sd[0]) if arr.ndim == 1 else (w, mu, sd)


def _sample_mixture(
    gen: np.random.Generator, w: np.ndarray, mu: np.ndarray, sd: np.ndarray, n: int
) -> np.ndarray:
    cum = np.cumsum(w, axis=1)
    cum /= cum[:, -1:]
    u = gen.random((w.shape[0], n))
    comp = (u[:, :, None] > cum[:, None, :]).sum(axis=2)
    comp = np.minimum(comp, w.shape[1] - 1)
    return np.take_along_axis(mu, comp, 1) + np.take_along_axis(sd, comp, 1) * gen.standard_normal(
        (w.shape[0], n)
    )


@dataclass(frozen=True)
class MixtureChain:
    """Result of :func:`mixture_chain`.

    Attributes
    ----------
    samples
        Shape ``(replicates, generations + 1, n)``; generation 0 is the real data.
    weights, means, sds
        Shape ``(replicates, generations + 1, components)``: the mixture
        fitted to each generation's samples (generation ``g + 1`` is sampled
        from fit ``g``).
    """

    samples: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray


def mixture_chain(
    x: Any,
    generations: int,
    *,
    components: int = 3,
    em_steps: int = 25,
    tol: float | None = None,
    rng: RNGLike = None,
) -> MixtureChain:
    """Refit a 1-D Gaussian mixture to samples of its previous fit, generation after generation.

    The real data ``x`` (one row per replicate chain) is fitted with
    :func:`fit_mixture`; each later generation draws as many points from the
    last fit, and EM refits the mixture, starting from the previous
    parameters (warm start, ``em_steps`` iterations; the first fit runs 200),
    or, with ``tol``, until convergence. A component whose
    weight reaches zero is gone for good, like a lost colour in
    :func:`resample_chain`.

    Parameters
    ----------
    x
        Real data, shape ``(n,)`` or ``(replicates, n)``, ``n ≥ 2``.
    generations
        Rounds of fit-and-sample (≥ 0).
    components
        Mixture components (≥ 1).
    em_steps
        EM iterations per refit (≥ 1); with ``tol``, the most allowed.
    tol
        If given (> 0), every fit runs EM until one step raises the mean
        log-likelihood per point by less than ``tol`` (or ``em_steps`` steps
        have run; the first fit allows at least 200), so that the result
        does not depend on an arbitrary number of steps.
    rng
        Seed or generator.

    Returns
    -------
    MixtureChain
        Samples and fitted parameters of every generation.

    References
    ----------
    Dempster, Laird and Rubin (1977), *J. R. Stat. Soc. B* 39, 1–38 (EM);
    Shumailov et al. (2023), arXiv:2305.17493.
    """
    arr = bounded_array("x", x, ndim=(1, 2))
    if arr.shape[-1] < 2:
        raise ValueError(f"x must hold at least 2 points per row, got {arr.shape[-1]}")
    generations = integer("generations", generations, minimum=0)
    components = integer("components", components, minimum=1, maximum=arr.shape[-1])
    em_steps = integer("em_steps", em_steps, minimum=1)
    check_memory("generations, x", (generations + 1.0) * (arr.size + 3 * components))
    check_work(
        "em_steps, generations, components, x",
        (max(200, em_steps) + float(generations) * em_steps) * arr.size * components,
        what="EM steps × points × components over all generations",
    )
    if tol is not None:
        tol = real("tol", tol, minimum=0.0, open_min=True)
    gen = as_generator(rng)
    x2 = np.atleast_2d(arr)
    reps, n = x2.shape
    floor = _VAR_FLOOR * np.maximum(x2.var(axis=1), 1e-300)
    samples = np.empty((reps, generations + 1, n))
    ws = np.empty((reps, generations + 1, components))
    mus, sds = np.empty_like(ws), np.empty_like(ws)
    samples[:, 0] = x2
    first = 200 if tol is None else max(200, em_steps)
    w, mu, var = _em(x2, *_mixture_start(x2, components), first, floor, tol)
    ws[:, 0], mus[:, 0], sds[:, 0] = w, mu, np.sqrt(var)
    for g in range(1, generations + 1):
        samples[:, g] = _sample_mixture(gen, w, mu, np.sqrt(var), n)
        w, mu, var = _em(samples[:, g], w, mu, var, em_steps, floor, tol)
        ws[:, g], mus[:, g], sds[:, g] = w, mu, np.sqrt(var)
    return MixtureChain(samples, ws, mus, sds)


# --------------------------------------------------------------------------
# Cells: a class-conditional Gaussian generator in a low-dimensional embedding
# --------------------------------------------------------------------------


def expected_spread_ratio(k: Any, total: int, generations: int) -> np.ndarray:
    """Exact mean spread of a surviving type in :func:`celltype_chain`, relative to the real cells.

    Refitting a type's covariance by maximum likelihood from ``c`` cells drawn
    from it multiplies its expected total variance (the trace) by
    ``1 - 1/c``. The type's count ``c_t`` performs the Wright–Fisher chain of
    :func:`loss_probability`, independently of the cells' positions, so the
    spread relative to the real cells has mean
    ``E[prod_{t ≤ g} (1 - 1/c_t) | c_g > 0]``. Propagating the exact count
    distribution with the weight ``1 - 1/c`` at every step gives it without
    simulation. A type reduced to one cell keeps its place with zero spread.

    Parameters
    ----------
    k
        Starting count(s) of the type: an int or a 1-D array of ints in ``[1, total]``.
    total
        Cells per generation (≥ 1), as in :func:`celltype_chain` with ``n`` unset.
    generations
        Rounds of fit-and-sample (≥ 0).

    Returns
    -------
    numpy.ndarray, shape ``(generations + 1,)`` for an int ``k``, else ``(len(k), generations + 1)``
        ``1`` at generation 0; ``0`` where the type can no longer survive.
    """
    total = integer("total", total, minimum=1)
    generations = integer("generations", generations, minimum=0)
    scalar = np.ndim(k) == 0
    ks = np.array([integer("k", k, minimum=1, maximum=total)]) if scalar else count_array("k", k)
    if np.any(ks < 1) or np.any(ks > total):
        raise ValueError(f"k must be in [1, {total}] (a type with cells), got {ks.tolist()}")
    _check_dense("total", total, total, 2 * ks.size, generations)
    out = np.ones((ks.size, generations + 1))
    if generations:
        step = _binomial_transition(total)
        weight = np.concatenate(([0.0], 1.0 - 1.0 / np.arange(1, total + 1)))
        dist = np.zeros((ks.size, total + 1))
        dist[np.arange(ks.size), ks] = 1.0
        weighted = dist.copy()
        for g in range(1, generations + 1):
            dist = dist @ step
            weighted = (weighted @ step) * weight
            alive = dist[:, 1:].sum(axis=1)
            out[:, g] = np.where(alive > 0, weighted.sum(axis=1) / np.where(alive > 0, alive, 1), 0)
    out = np.clip(out, 0.0, 1.0)
    return out[0] if scalar else out


@dataclass(frozen=True)
class CellTypeChain:
    """Result of :func:`celltype_chain`.

    Attributes
    ----------
    categories
        Cell-type names, in the order of the last axis.
    counts
        Cells of each type, shape ``(replicates, generations + 1, n_types)``.
    spread
        Total variance (trace of the covariance, ML) of each type's cells in
        each generation, same shape; NaN where a type has no cells.
    """

    categories: tuple[str, ...]
    counts: np.ndarray
    spread: np.ndarray


def celltype_chain(
    X: Any,
    labels: Any,
    generations: int,
    *,
    n: int | None = None,
    replicates: int = 1,
    rng: RNGLike = None,
) -> CellTypeChain:
    """Recursively resample a class-conditional Gaussian generator of cells.

    The generator is fitted to labelled cells (rows of ``X``, e.g. principal
    components): the share of each cell type, and for each type the mean and
    maximum-likelihood covariance of its cells. A generation draws ``n``
    cells, first their types from the shares, then each cell from its type's
    Gaussian, and the next generator is fitted to them. The type counts
    perform the Wright–Fisher process of :func:`resample_chain`; a type that
    draws no cells is lost for good.

    Parameters
    ----------
    X
        Real cells, shape ``(cells, dims)``.
    labels
        One label per cell (strings or ints).
    generations
        Rounds of fit-and-sample (≥ 0).
    n
        Cells per generation; defaults to the number of real cells.
    replicates
        Independent chains (≥ 1).
    rng
        Seed or generator.

    Returns
    -------
    CellTypeChain
        Type names, counts and spreads; generation 0 describes the real cells.
    """
    data = bounded_array("X", X, ndim=2)
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.shape[0] != data.shape[0]:
        raise ValueError(
            f"labels must be 1-D with one label per row of X ({data.shape[0]}), "
            f"got shape {lab.shape}"
        )
    if not np.issubdtype(lab.dtype, np.integer):  # NumPy turns NaN among strings into "nan"
        items = labels.tolist() if isinstance(labels, np.ndarray) else list(labels)
        missing = [v is None or (isinstance(v, float) and np.isnan(v)) for v in items]
        if any(missing):
            raise ValueError(
                f"labels must name a cell type for every cell, got {sum(missing)} missing "
                "(None or NaN)"
            )
        if len({isinstance(v, str) for v in items}) > 1:  # NumPy would turn 0 into "0"
            raise TypeError("labels must be all strings or all numbers, got a mix of both")
    generations = integer("generations", generations, minimum=0)
    replicates = integer("replicates", replicates, minimum=1)
    n = data.shape[0] if n is None else integer("n", n, minimum=1)
    check_memory("replicates, generations", replicates * (generations + 1.0) * data.shape[0])
    check_memory(
        "replicates, n", float(replicates) * n * data.shape[1], what="one generation's cells"
    )
    check_work(
        "replicates, n, generations", float(replicates) * n * data.shape[1] * max(generations, 1)
    )
    gen = as_generator(rng)
    cats, codes = np.unique(lab.astype(str), return_inverse=True)
    k, d = cats.size, data.shape[1]
    counts = np.zeros((replicates, generations + 1, k), dtype=np.int64)
    spread = np.full((replicates, generations + 1, k), np.nan)
    mean = np.zeros((replicates, k, d))
    cov = np.zeros((replicates, k, d, d))
    for j in range(k):
        xj = data[codes == j]
        counts[:, 0, j] = xj.shape[0]
        mean[:, j] = xj.mean(axis=0)
        cov[:, j] = np.cov(xj, rowvar=False, ddof=0).reshape(d, d)
        spread[:, 0, j] = np.trace(cov[0, j])
    for g in range(1, generations + 1):
        prev = counts[:, g - 1]
        counts[:, g] = gen.multinomial(n, prev / prev.sum(axis=1, keepdims=True))
        evals, evecs = np.linalg.eigh(cov)  # (R, K, d), (R, K, d, d)
        root = evecs * np.sqrt(np.clip(evals, 0.0, None))[..., None, :]
        new_mean, new_cov = mean.copy(), cov.copy()
        for j in range(k):
            c = counts[:, g, j]
            cmax = int(c.max())
            if cmax == 0:
                continue
            z = gen.standard_normal((replicates, cmax, d))
            x = mean[:, j, None, :] + np.matmul(z, np.swapaxes(root[:, j], 1, 2))
            mask = (np.arange(cmax)[None, :] < c[:, None]).astype(float)
            alive = c > 0
            safe = np.where(alive, c, 1)[:, None]
            m = (x * mask[..., None]).sum(axis=1) / safe
            dev = (x - m[:, None, :]) * mask[..., None]
            s = np.matmul(np.swapaxes(dev, 1, 2), dev) / safe[..., None]
            new_mean[alive, j], new_cov[alive, j] = m[alive], s[alive]
            spread[alive, g, j] = np.trace(s[alive], axis1=1, axis2=2)
        mean, cov = new_mean, new_cov
    return CellTypeChain(tuple(str(c) for c in cats), counts, spread)
