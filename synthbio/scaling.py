"""Scaling laws: how error falls with data and compute, and what a finite stock of data allows.

Three pieces:

* fitting power laws ``y = c + a x**(-alpha)`` to measured errors
  (:func:`power_law`, :func:`fit_power_law`), the data multiple that buys a
  given factor of improvement (:func:`improvement_cost`), and measuring
  learning curves on real data sets with scikit-learn (:func:`learning_curve`);
* the parametric language-model loss of Hoffmann et al. (2022),
  ``L(N, D) = E + A / N**alpha + B / D**beta``, with the published fit
  (:data:`CHINCHILLA`) and Epoch AI's replication (:data:`EPOCH_REPLICATION`),
  and the compute-optimal split of a budget ``C = 6 N D`` in closed form
  (:func:`chinchilla_loss`, :func:`compute_optimal`); the exponents of the
  earlier, pure power laws of Kaplan et al. (2020) (:data:`KAPLAN`);
* the value of repeated data, from the data-constrained scaling law of
  Muennighoff et al. (2023) (:func:`effective_data`).

References
----------
Kaplan, J. et al. (2020). Scaling laws for neural language models. arXiv:2001.08361.

Hoffmann, J. et al. (2022). Training compute-optimal large language models.
*NeurIPS 35*. arXiv:2203.15556.

Besiroglu, T., Erdil, E., Barnett, M. & You, J. (2024). Chinchilla scaling: a
replication attempt. arXiv:2404.10102.

Muennighoff, N. et al. (2023). Scaling data-constrained language models.
*NeurIPS 36*. arXiv:2305.16264.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._validate import (
    RNGLike,
    as_generator,
    bounded_array,
    check_memory,
    check_work,
    finite_array,
    flag,
    integer,
    labels_array,
    positive_real,
    real,
    reject_bools,
)

__all__ = [
    "PowerLawFit",
    "power_law",
    "fit_power_law",
    "improvement_cost",
    "LearningCurve",
    "learning_curve",
    "ScalingLawParams",
    "CHINCHILLA",
    "EPOCH_REPLICATION",
    "KAPLAN",
    "chinchilla_loss",
    "compute_optimal",
    "effective_data",
]

_ALPHA_MAX = 10.0


# --------------------------------------------------------------------------- power laws


def power_law(x: Any, a: float, alpha: float, c: float = 0.0) -> Any:
    """The power law ``c + a * x**(-alpha)``.

    Parameters
    ----------
    x
        Positive values (scalar or array), e.g. training-set sizes.
    a
        Scale of the reducible part (> 0).
    alpha
        Exponent (≥ 0): the reducible part falls by ``2**alpha`` when ``x`` doubles.
    c
        Irreducible floor (≥ 0), the value approached as ``x → ∞``.

    Returns
    -------
    float or numpy.ndarray
        Same shape as ``x``.
    """
    arr = finite_array("x", x, min_size=1)
    if np.any(arr <= 0):
        raise ValueError("x must be positive for a power law")
    a = real("a", a, minimum=0.0, open_min=True)
    alpha = real("alpha", alpha, minimum=0.0)
    c = real("c", c, minimum=0.0)
    out = c + a * arr ** (-alpha)
    return float(out) if np.ndim(x) == 0 else out


@dataclass(frozen=True)
class PowerLawFit:
    """The result of :func:`fit_power_law`.

    Attributes
    ----------
    a, alpha, c
        Fitted ``y ≈ c + a x**(-alpha)`` (``c = 0`` when the fit had no floor).
    alpha_ci
        Interval for ``alpha`` at level ``confidence``: ``alpha ± t·alpha_se``
        with the Student-t quantile on ``n_points - n_params`` degrees of
        freedom (1-D ``y``) or ``replicates - 1`` (2-D ``y``).
    alpha_se
        Bootstrap standard error of ``alpha`` (for 2-D ``y``, with the
        small-sample factor ``sqrt(R / (R - 1))``).
    a_ci, c_ci
        Bootstrap percentile intervals for ``a`` and ``c``.
    c_se
        Bootstrap standard error of ``c`` (0 when ``c`` was fixed).
    confidence
        Level of the intervals, e.g. 0.95.
    irreducible
        Whether ``c`` was fitted (``True``) or fixed at 0.
    boot
        The bootstrap estimates, shape ``(n_boot, 3)``, columns ``a, alpha, c``.
    """

    a: float
    alpha: float
    c: float
    alpha_ci: tuple[float, float]
    alpha_se: float
    a_ci: tuple[float, float]
    c_ci: tuple[float, float]
    c_se: float
    confidence: float
    irreducible: bool
    boot: np.ndarray = field(repr=False)

    def predict(self, x: Any) -> Any:
        """The fitted curve at ``x``."""
        return power_law(x, self.a, self.alpha, self.c)

    @property
    def halving_factor(self) -> float:
        """How many times more data halves the reducible error, ``2**(1/alpha)``."""
        return float(2.0 ** (1.0 / self.alpha)) if self.alpha > 0 else float("inf")


def _loglog_ols(lx: np.ndarray, ly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares line ``ly ≈ log a - alpha lx`` for each row of ``ly``; returns (a, alpha)."""
    dx = lx - lx.mean()
    slope = (ly - ly.mean(axis=-1, keepdims=True)) @ dx / (dx @ dx)
    intercept = ly.mean(axis=-1) - slope * lx.mean()
    return np.exp(intercept), -slope


def _fit_floor(
    x: np.ndarray, y: np.ndarray, start: tuple[float, float, float] | None = None
) -> tuple[float, float, float]:
    """Fit ``log y ≈ log(c + a x**-alpha)`` with ``c ≥ 0`` by bounded least squares."""
    from scipy.optimize import least_squares

    lx, ly = np.log(x), np.log(y)

    def resid(theta: np.ndarray) -> np.ndarray:
        log_a, alpha, c = theta
        return np.log(c + np.exp(log_a - alpha * lx)) - ly

    if start is None:
        # profile a grid of floors: for each, a straight line through log(y - c0)
        best, start = np.inf, None
        for frac in (0.0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.99):
            c0 = frac * y.min()
            a0, al0 = _loglog_ols(lx, np.log(y - c0)[None, :])
            alpha0 = float(np.clip(al0[0], 1e-3, _ALPHA_MAX))
            theta = np.array([np.log(a0[0]), alpha0, c0])
            cost = float(np.sum(resid(theta) ** 2))
            if cost < best:
                best, start = cost, (theta[0], theta[1], theta[2])
    theta0 = np.array(start, dtype=float)
    theta0[1] = np.clip(theta0[1], 1e-6, _ALPHA_MAX)
    theta0[2] = max(theta0[2], 0.0)
    sol = least_squares(
        resid,
        theta0,
        bounds=([-np.inf, 0.0, 0.0], [np.inf, _ALPHA_MAX, np.inf]),
        x_scale="jac",
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
    )
    log_a, alpha, c = sol.x
    return float(np.exp(log_a)), float(alpha), float(c)


def fit_power_law(
    x: Any,
    y: Any,
    *,
    irreducible: bool = True,
    confidence: float = 0.95,
    n_boot: int = 200,
    rng: RNGLike = None,
) -> PowerLawFit:
    """Fit ``y ≈ c + a x**(-alpha)`` in log space, with bootstrap intervals.

    The fit minimises the squared differences of ``log y`` and the log of the
    model, so every point counts by its *relative* error, as is natural for
    errors spanning orders of magnitude. Without a floor
    (``irreducible=False``) this is a straight line in log–log coordinates; with
    one, a bounded nonlinear least-squares problem (``c ≥ 0``).

    Parameters
    ----------
    x
        Positive values, 1-D (e.g. training-set sizes), at least two distinct.
    y
        Positive values: 1-D with one value per ``x``, or 2-D with replicates
        along axis 0 (e.g. repeats of a learning curve), in which case the
        column means are fitted.
    irreducible
        Fit a floor ``c ≥ 0`` (3 parameters) or fix ``c = 0`` (2 parameters).
    confidence
        Level of the bootstrap intervals, in (0, 1).
    n_boot
        Bootstrap replicates (≥ 20). For 1-D ``y`` the bootstrap resamples
        the log-space residuals of the fit; for 2-D ``y`` it resamples the
        replicate rows, which keeps the correlation between points of one
        curve.
    rng
        Seed or generator for the bootstrap.

    Returns
    -------
    PowerLawFit

    Raises
    ------
    ValueError
        Fewer points than parameters plus one (one more is needed to see the
        noise), non-positive or non-finite ``x`` or ``y``, mismatched lengths.

    References
    ----------
    Efron, B. (1979). Bootstrap methods: another look at the jackknife.
    *Annals of Statistics* 7, 1–26.
    """
    from scipy.stats import t as student_t

    irreducible = flag("irreducible", irreducible)
    x = finite_array("x", x, ndim=1)
    y = finite_array("y", y, ndim=(1, 2))
    k = 3 if irreducible else 2
    if x.size < k + 1:
        raise ValueError(
            f"x must have at least {k + 1} points to fit {k} parameters and see the noise, "
            f"got {x.size}"
        )
    if y.shape[-1] != x.size:
        raise ValueError(
            f"y must have one value per x ({x.size}) along its last axis, got shape {y.shape}"
        )
    if y.ndim == 2 and y.shape[0] < 2:
        raise ValueError(f"y given as 2-D must have at least 2 replicate rows, got {y.shape[0]}")
    if np.any(x <= 0):
        raise ValueError("x must be positive for a power law")
    if np.any(y <= 0):
        raise ValueError("y must be positive for a fit in log space")
    for name, arr in (("x", x), ("y", y)):  # logs, powers and their exponentials stay finite
        if arr.max() > 1e100 or arr.min() < 1e-100:
            raise ValueError(
                f"{name} must lie in [1e-100, 1e100], got {arr.min():g}..{arr.max():g}"
            )
    if np.unique(x).size < 2:
        raise ValueError("x must take at least two different values")
    confidence = real(
        "confidence", confidence, minimum=0.0, maximum=1.0, open_min=True, open_max=True
    )
    n_boot = integer("n_boot", n_boot, minimum=20)
    check_memory("n_boot", 4.0 * n_boot * x.size, what="bootstrap resamples")
    check_work("n_boot", n_boot * 1e4, what="one non-linear fit per resample")
    gen = as_generator(rng)

    lx = np.log(x)
    y_mean = y.mean(axis=0) if y.ndim == 2 else y

    def fit_many(curves: np.ndarray, start: tuple[float, float, float] | None) -> np.ndarray:
        if not irreducible:
            a, alpha = _loglog_ols(lx, np.log(curves))
            return np.column_stack([a, alpha, np.zeros_like(a)])
        return np.array([_fit_floor(x, row, start) for row in curves])

    a, alpha, c = fit_many(y_mean[None, :], None)[0]
    fitted = c + a * x ** (-alpha)
    if y.ndim == 1:
        resid = np.log(y) - np.log(fitted)
        resid = (resid - resid.mean()) * np.sqrt(x.size / (x.size - k))
        draws = resid[gen.integers(0, x.size, size=(n_boot, x.size))]
        curves = fitted[None, :] * np.exp(draws)
    else:
        rows = gen.integers(0, y.shape[0], size=(n_boot, y.shape[0]))
        curves = y[rows].mean(axis=1)
    boot = fit_many(curves, (np.log(a), alpha, c))
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.quantile(boot, [tail, 1.0 - tail], axis=0)
    # The interval for alpha is alpha ± t·se: the bootstrap spread is a normal-theory
    # standard error, and with a dozen points (or a handful of replicate curves) the
    # Student-t quantile restores the coverage that a plain percentile interval loses.
    if y.ndim == 1:
        dof, se = x.size - k, float(boot[:, 1].std(ddof=1))
    else:
        m = y.shape[0]
        dof, se = m - 1, float(boot[:, 1].std(ddof=1) * np.sqrt(m / (m - 1)))
    half = float(student_t.ppf(1.0 - tail, dof)) * se
    return PowerLawFit(
        a=float(a),
        alpha=float(alpha),
        c=float(c),
        alpha_ci=(float(alpha - half), float(alpha + half)),
        alpha_se=se,
        a_ci=(float(lo[0]), float(hi[0])),
        c_ci=(float(lo[2]), float(hi[2])),
        c_se=float(
            boot[:, 2].std(ddof=1)
            * (1.0 if y.ndim == 1 else np.sqrt(y.shape[0] / (y.shape[0] - 1)))
        ),
        confidence=confidence,
        irreducible=bool(irreducible),
        boot=boot,
    )


def improvement_cost(alpha: Any, factor: float = 2.0) -> Any:
    """How many times more data divides the reducible error ``a x**(-alpha)`` by ``factor``.

    Multiplying ``x`` by ``k`` divides ``a x**(-alpha)`` by ``k**alpha``, so
    dividing it by ``factor`` takes ``factor**(1/alpha)`` times the data,
    whatever ``x`` and ``a`` were: each fixed *factor* of improvement costs a
    fixed *factor* of data, and ``m`` halvings cost ``2**(m/alpha)``. (Counted
    in absolute units of error instead, reaching an error ``e`` takes
    ``x = (a/e)**(1/alpha)``, a power of ``1/e``, not an exponential.)

    Parameters
    ----------
    alpha
        Exponent of the power law, positive (scalar or array).
    factor
        Improvement: the reducible error is divided by this number (> 1);
        2 gives the halving cost ``2**(1/alpha)``.

    Returns
    -------
    float or numpy.ndarray
        Same shape as ``alpha``; ``inf`` where the multiple overflows a float.
    """
    arr = finite_array("alpha", alpha, min_size=1)
    if np.any(arr <= 0):
        raise ValueError(
            f"alpha must be positive (an exponent > 0), got a minimum of {arr.min():g}"
        )
    factor = real("factor", factor, minimum=1.0, open_min=True)
    with np.errstate(over="ignore"):
        out = np.power(factor, 1.0 / arr)
    return float(out) if np.ndim(alpha) == 0 else out


# --------------------------------------------------------------------------- learning curves


@dataclass(frozen=True)
class LearningCurve:
    """Held-out error against training-set size, from :func:`learning_curve`.

    Attributes
    ----------
    sizes
        Training-set sizes, increasing.
    errors
        Held-out error for each repeat and size, shape ``(repeats, len(sizes))``.
    mean, se, sd
        Mean over repeats, its standard error and the standard deviation.
    splits
        For each repeat, ``(train_pool, test)`` index arrays; the model at
        size ``s`` was trained on ``train_pool[:s]``.
    """

    sizes: np.ndarray
    errors: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    sd: np.ndarray
    splits: tuple[tuple[np.ndarray, np.ndarray], ...] = field(repr=False)


def learning_curve(
    X: Any,
    y: Any,
    sizes: Any,
    *,
    estimator: Any = None,
    repeats: int = 5,
    test_size: float = 0.25,
    rng: RNGLike = None,
) -> LearningCurve:
    """Held-out error of a scikit-learn estimator refitted on growing nested subsets.

    For each repeat the samples are shuffled once; the first ``test_size``
    share is held out, and the estimator is fitted on the first ``s``
    remaining samples for each ``s`` in ``sizes`` (so smaller training sets
    are nested in larger ones, as in :func:`sklearn.model_selection.learning_curve`).
    The error is ``1 - estimator.score(X_test, y_test)``: the misclassification
    rate for a classifier, ``1 - R²`` for a regressor.

    Parameters
    ----------
    X
        Features, shape ``(n_samples, n_features)``.
    y
        Targets, length ``n_samples``.
    sizes
        Training-set sizes: increasing whole numbers, each at least 2 and at
        most the number of samples left after the test split.
    estimator
        A scikit-learn estimator (cloned for every fit). Default: standardise
        the features, then multinomial logistic regression.
    repeats
        Independent shuffles (≥ 2, for a standard error).
    test_size
        Held-out share of the samples, in (0, 1).
    rng
        Seed or generator for the shuffles.

    Returns
    -------
    LearningCurve
    """
    from sklearn.base import clone, is_classifier
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = bounded_array("X", X, ndim=2)
    y = labels_array("y", y)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must be 1-D with one target per row of X ({X.shape[0]}), got shape {y.shape}"
        )
    if np.issubdtype(y.dtype, np.number) and not np.all(np.isfinite(y)):
        raise ValueError("y must be finite (no NaN or inf): one target per sample")
    repeats = integer("repeats", repeats, minimum=2)
    check_memory("repeats", 4.0 * repeats * X.shape[0])
    check_work("repeats", repeats * 1e3 * X.shape[0], what="one fit per size and repeat")
    test_size = real("test_size", test_size, minimum=0.0, maximum=1.0, open_min=True, open_max=True)
    n = X.shape[0]
    n_test = int(round(test_size * n))
    n_pool = n - n_test
    if n_test < 1 or n_pool < 2:
        raise ValueError(
            f"test_size={test_size} leaves {n_test} test and {n_pool} training samples; "
            "need ≥ 1 and ≥ 2"
        )
    if np.ndim(sizes) != 1:
        raise ValueError("sizes must be a 1-D sequence of training-set sizes")
    sizes_f = finite_array("sizes", sizes, ndim=1)
    if np.any(sizes_f != np.round(sizes_f)):
        raise ValueError("sizes must be whole numbers")
    sz = sizes_f.astype(np.int64)
    if sz.min() < 2 or sz.max() > n_pool:
        raise ValueError(
            f"sizes must lie in [2, {n_pool}] (the samples left after the test split), "
            f"got {sz.min()}..{sz.max()}"
        )
    if np.any(np.diff(sz) <= 0):
        raise ValueError("sizes must be strictly increasing")
    if estimator is None:
        estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    elif not (hasattr(estimator, "fit") and hasattr(estimator, "score")):
        raise TypeError("estimator must be a scikit-learn estimator with fit and score")
    gen = as_generator(rng)
    classifier = is_classifier(estimator)

    errors = np.empty((repeats, sz.size))
    splits = []
    for r in range(repeats):
        perm = gen.permutation(n)
        test, pool = perm[:n_test], perm[n_test:]
        splits.append((pool, test))
        for j, s in enumerate(sz):
            train = pool[:s]
            if classifier and np.unique(y[train]).size < 2:  # e.g. sizes=[2]: one class seen
                model = DummyClassifier(strategy="most_frequent").fit(X[train], y[train])
            else:
                model = clone(estimator).fit(X[train], y[train])
            errors[r, j] = 1.0 - model.score(X[test], y[test])
    sd = errors.std(axis=0, ddof=1)
    return LearningCurve(
        sizes=sz,
        errors=errors,
        mean=errors.mean(axis=0),
        se=sd / np.sqrt(repeats),
        sd=sd,
        splits=tuple(splits),
    )


# --------------------------------------------------------------------------- language-model scaling


@dataclass(frozen=True)
class ScalingLawParams:
    """Parameters of ``L(N, D) = E + A / N**alpha + B / D**beta`` (loss in nats per token).

    Attributes
    ----------
    E, A, B, alpha, beta
        The fitted constants; ``N`` counts parameters and ``D`` training tokens.
    source
        Where the numbers come from.
    key
        Its key in the book's bibliography.
    """

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str
    key: str

    def __post_init__(self) -> None:
        # the law needs finite constants, positive coefficients and exponents, and E ≥ 0
        real("E", self.E, minimum=0.0)
        for name in ("A", "B", "alpha", "beta"):
            positive_real(name, getattr(self, name))
        for name in ("source", "key"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(
                    f"{name} must be a string, got {type(getattr(self, name)).__name__}"
                )

    @property
    def a(self) -> float:
        """Exponent ``a = beta / (alpha + beta)`` of the compute-optimal size, ``N_opt ∝ C**a``."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        """Exponent of the compute-optimal data, ``D_opt ∝ C**b``: ``alpha / (alpha + beta)``."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def G(self) -> float:
        """Prefactor of ``N_opt = G (C/6)**a``: ``(alpha A / (beta B))**(1 / (alpha + beta))``."""
        return (self.alpha * self.A / (self.beta * self.B)) ** (1.0 / (self.alpha + self.beta))


#: Hoffmann et al. (2022), Approach 3, as rounded in the paper's text.
CHINCHILLA = ScalingLawParams(
    E=1.69,
    A=406.4,
    B=410.7,
    alpha=0.34,
    beta=0.28,
    source="Hoffmann et al. (2022), Training compute-optimal large language models, Approach 3 "
    "(eq. 10), arXiv:2203.15556",
    key="hoffmann2022training",
)

#: Besiroglu et al. (2024), the refit of Approach 3 on data reconstructed from
#: Hoffmann et al.'s figure.
EPOCH_REPLICATION = ScalingLawParams(
    E=1.8172,
    A=482.01,
    B=2085.43,
    alpha=0.3478,
    beta=0.3658,
    source="Besiroglu, Erdil, Barnett & You (2024), Chinchilla scaling: a replication attempt, "
    "arXiv:2404.10102",
    key="besiroglu2024chinchilla",
)


#: Kaplan et al. (2020), the earlier, pure power laws (no irreducible term) of
#: the loss of language models: ``L(N) = (N_c / N)**alpha_N`` for models trained
#: to convergence (``N`` counts non-embedding parameters), ``L(D) = (D_c / D)**alpha_D``
#: for large models stopped early on ``D`` tokens, ``L(C) ∝ C**(-alpha_C)`` along the
#: compute-efficient frontier, and the compute-optimal allocation
#: ``N_opt ∝ C**N_opt_exponent``, ``D_opt ∝ C**D_opt_exponent``.
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


def _params(params: Any) -> ScalingLawParams:
    if not isinstance(params, ScalingLawParams):
        raise TypeError(
            f"params must be a ScalingLawParams (e.g. CHINCHILLA), got {type(params).__name__}"
        )
    return params


def _positive(name: str, value: Any) -> np.ndarray:
    reject_bools(name, value)
    arr = finite_array(name, value)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be positive, got a minimum of {arr.min():g}")
    return arr


def _out(arr: np.ndarray, *inputs: Any) -> Any:
    return float(arr) if all(np.ndim(v) == 0 for v in inputs) else arr


def chinchilla_loss(N: Any, D: Any, params: ScalingLawParams = CHINCHILLA) -> Any:
    """Predicted loss ``E + A / N**alpha + B / D**beta`` of ``N`` parameters on ``D`` tokens.

    ``N`` and ``D`` broadcast against each other.

    References
    ----------
    Hoffmann, J. et al. (2022). Training compute-optimal large language models. arXiv:2203.15556.
    """
    p = _params(params)
    n, d = _positive("N", N), _positive("D", D)
    try:
        out = p.E + p.A * n ** (-p.alpha) + p.B * d ** (-p.beta)
    except ValueError:
        raise ValueError(f"N and D must broadcast, got shapes {n.shape} and {d.shape}") from None
    return _out(out, N, D)


def compute_optimal(C: Any, params: ScalingLawParams = CHINCHILLA) -> tuple[Any, Any]:
    """Model size and token count that minimise the loss for a compute budget ``C = 6 N D`` FLOPs.

    Substituting ``D = C / (6 N)`` and setting the derivative in ``N`` to zero gives

    ``N_opt = G (C/6)**a``, ``D_opt = (C/6)**b / G``,
    ``G = (alpha A / (beta B))**(1/(alpha+beta))``, ``a = beta/(alpha+beta)``, ``b = 1 - a``.

    Parameters
    ----------
    C
        Training compute in FLOPs (positive; scalar or array).
    params
        The fitted law.

    Returns
    -------
    N_opt, D_opt
        Floats for a scalar ``C``, else arrays of its shape.

    References
    ----------
    Hoffmann, J. et al. (2022). Training compute-optimal large language models. arXiv:2203.15556.
    """
    p = _params(params)
    c6 = _positive("C", C) / 6.0
    n_opt = p.G * c6**p.a
    d_opt = c6**p.b / p.G
    return _out(n_opt, C), _out(d_opt, C)


def effective_data(unique_tokens: Any, epochs: Any, r_star: float = 15.4) -> Any:
    """Effective number of tokens from ``epochs`` passes over ``unique_tokens`` unique tokens.

    The first pass counts in full; the ``R = epochs - 1`` repetitions are
    worth less and less, ``D' = U (1 + r* (1 - exp(-R / r*)))``, which tends to
    ``(1 + r*) U`` however long one trains. For ``epochs ≤ 1`` every token seen
    is new and ``D' = epochs · U``.

    Parameters
    ----------
    unique_tokens
        Unique tokens ``U`` (positive).
    epochs
        Passes over the data (positive; ``numpy.inf`` gives the limit).
        Broadcasts with ``unique_tokens``.
    r_star
        The repetition "half-life" ``R*_D`` (positive); 15.4 is the fit of Muennighoff et al.

    Returns
    -------
    float or numpy.ndarray

    References
    ----------
    Muennighoff, N. et al. (2023). Scaling data-constrained language models. arXiv:2305.16264.
    """
    u = _positive("unique_tokens", unique_tokens)
    try:
        raw = np.asarray(epochs)
    except (TypeError, ValueError):
        raise TypeError("epochs must be a positive number or an array of them") from None
    if raw.dtype.kind not in "iuf":  # bools, complex numbers, strings, None
        raise TypeError(f"epochs must be a positive number or an array of them, got {raw.dtype}")
    e = raw.astype(float)
    if e.size == 0:
        raise ValueError("epochs must hold at least one value")
    if np.any(np.isnan(e)) or np.any(e <= 0):
        raise ValueError("epochs must be positive (not NaN); numpy.inf gives the limit")
    r_star = positive_real("r_star", r_star)
    repeats = np.maximum(e - 1.0, 0.0)
    value = np.where(e <= 1.0, e, 1.0 + r_star * -np.expm1(-repeats / r_star))
    try:
        out = u * value
    except ValueError:
        raise ValueError(
            f"unique_tokens and epochs must broadcast, got shapes {u.shape} and {e.shape}"
        ) from None
    return _out(out, unique_tokens, epochs)
