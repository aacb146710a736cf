"""Physics-informed fitting: a known rate law used as a constraint instead of extra data.

A flexible curve, a sum of Chebyshev polynomials for ``ln y`` (linear in its
coefficients), is fitted to a few noisy observations of a time course. On its
own (:func:`fit_data_only`, a smoothing spline of ``ln y``) it follows the
points and knows nothing beyond them. :func:`fit_physics_informed` adds a
second term to the loss: the residual of a first-order rate law
``dy/dt = y g(y; θ)`` at *collocation* times spread over the whole domain,
including times without any data. The unknown physical parameters ``θ``
(for logistic growth the rate ``r`` and the carrying capacity ``K``) are
fitted jointly with the curve. This is the idea of physics-informed neural
networks, with a model small enough that the fit is a non-linear
least-squares problem solved by :func:`scipy.optimize.least_squares`.
:func:`bootstrap` puts bands on either fit, by resampling residuals at the
fixed observation times; :func:`fit_replicates` fits many simulated data sets
at once for learning curves.

The running example is logistic growth of a cell population,
``dN/dt = r N (1 - N/K)`` (:func:`logistic_growth`); the wrong-physics
counterpart is exponential growth (:data:`EXPONENTIAL`); a second system is
Michaelis–Menten substrate depletion (:func:`michaelis_menten_depletion`).

References
----------
Verhulst, P.-F. (1838). Notice sur la loi que la population suit dans son
accroissement. *Correspondance mathématique et physique* 10, 113–121.

Raissi, M., Perdikaris, P. & Karniadakis, G. E. (2019). Physics-informed
neural networks. *Journal of Computational Physics* 378, 686–707.

Karniadakis, G. E. et al. (2021). Physics-informed machine learning.
*Nature Reviews Physics* 3, 422–440.

Efron, B. (1979). Bootstrap methods: another look at the jackknife.
*Annals of Statistics* 7, 1–26.

Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap Methods and their
Application*. Cambridge University Press.

Schnell, S. & Mendoza, C. (1997). Closed form solution for time-dependent
enzyme kinetics. *Journal of Theoretical Biology* 187, 207–212.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._validate import (
    HUGE,
    TINY,
    RNGLike,
    as_generator,
    check_memory,
    check_work,
    finite_array,
    integer,
    positive_real,
    real,
    scaled_array,
)

__all__ = [
    "EXPONENTIAL",
    "LOGISTIC",
    "MICHAELIS_MENTEN",
    "SMOOTHING_GRID",
    "BOOTSTRAP_METHODS",
    "Basis",
    "Bootstrap",
    "Fit",
    "RateLaw",
    "Replicates",
    "bootstrap",
    "fit_data_only",
    "fit_physics_informed",
    "fit_replicates",
    "logistic_growth",
    "logistic_inflection",
    "make_basis",
    "michaelis_menten_depletion",
    "noisy_observations",
]

Array = np.ndarray


# ---------------------------------------------------------------------------
# closed forms


def logistic_growth(t: Any, r: float, K: float, N0: float) -> Array:
    """Closed-form solution of the logistic equation ``dN/dt = r N (1 - N/K)``.

    Parameters
    ----------
    t
        Times (any shape), in the unit whose inverse is the unit of ``r``.
    r
        Intrinsic growth rate, > 0 (per unit of time).
    K
        Carrying capacity, > 0 (same unit as ``N0``).
    N0
        Population at ``t = 0``, > 0.

    Returns
    -------
    numpy.ndarray
        ``N(t) = K / (1 + (K/N0 - 1) exp(-r t))``, the shape of ``t``.

    References
    ----------
    Verhulst (1838), *Correspondance mathématique et physique* 10, 113–121.
    """
    t = finite_array("t", t, ndim=None)
    r = positive_real("r", r)
    K = positive_real("K", K)
    N0 = positive_real("N0", N0)
    with np.errstate(over="ignore"):  # exp(-r t) = inf where the curve is at 0 already
        return K / (1.0 + (K / N0 - 1.0) * np.exp(-r * t))


def logistic_inflection(r: float, K: float, N0: float) -> float:
    """Time at which logistic growth is fastest (``N = K/2``): ``ln(K/N0 - 1) / r``.

    Parameters
    ----------
    r, K, N0
        As in :func:`logistic_growth`; ``N0`` must be below ``K/2`` so that the
        inflection lies in the future.
    """
    r = positive_real("r", r)
    K = positive_real("K", K)
    N0 = positive_real("N0", N0)
    if N0 >= K / 2:
        raise ValueError(f"N0 must lie in (0, K/2) = (0, {K / 2:g}), got {N0:g}")
    return float(np.log(K / N0 - 1.0) / r)


def michaelis_menten_depletion(t: Any, Vmax: float, Km: float, S0: float) -> Array:
    """Substrate left at time ``t`` under Michaelis–Menten kinetics, in closed form.

    Solves ``dS/dt = -Vmax S / (Km + S)`` with ``S(0) = S0`` through the
    Lambert W function: ``S(t) = Km W((S0/Km) exp((S0 - Vmax t)/Km))``.

    Parameters
    ----------
    t
        Times ≥ 0 (any shape).
    Vmax
        Maximal rate, > 0 (concentration per unit of time).
    Km
        Michaelis constant, > 0 (concentration).
    S0
        Initial substrate concentration, > 0.

    Returns
    -------
    numpy.ndarray
        ``S(t)``, the shape of ``t``.

    References
    ----------
    Schnell & Mendoza (1997), *Journal of Theoretical Biology* 187, 207–212.
    """
    from scipy.special import lambertw

    t = finite_array("t", t, ndim=None)
    if np.any(t < 0):
        raise ValueError("t must be ≥ 0 (the solution starts from S0 at t = 0)")
    Vmax = positive_real("Vmax", Vmax)
    Km = positive_real("Km", Km)
    S0 = positive_real("S0", S0)
    # W(x e^x) with x = (S0 - Vmax t)/Km + ln(S0/Km); evaluate the argument in logs
    log_arg = np.log(S0 / Km) + (S0 - Vmax * t) / Km
    with np.errstate(over="ignore"):
        arg = np.exp(log_arg)
    w = np.real(lambertw(arg))
    # for huge arguments exp overflows; there W(e^a) ≈ a - ln a (+ ln a / a)
    big = ~np.isfinite(arg)
    if np.any(big):
        a = log_arg[big]
        w[big] = a - np.log(a) + np.log(a) / a
    return Km * w


def noisy_observations(
    truth: Any, *, noise: float, replicates: int | None = None, rng: RNGLike = None
) -> Array:
    """Observations with multiplicative log-normal noise: ``y = truth · exp(noise · ε)``.

    Parameters
    ----------
    truth
        Noise-free values, > 0, 1-D (one time course).
    noise
        Standard deviation of ``ln y`` (≈ the relative error for small values), ≥ 0.
    replicates
        Number of independent noisy copies; ``None`` for a single 1-D course.
    rng
        Seed, :class:`numpy.random.Generator` or ``None``.

    Returns
    -------
    numpy.ndarray
        Shape ``truth.shape`` or ``(replicates, truth.size)``.
    """
    truth = finite_array("truth", truth, ndim=1)
    if np.any(truth <= 0):
        raise ValueError("truth must be > 0 for multiplicative noise")
    noise = real("noise", noise, minimum=0)
    gen = as_generator(rng)
    shape = (
        truth.shape
        if replicates is None
        else (
            integer("replicates", replicates, minimum=1),
            truth.size,
        )
    )
    check_memory("replicates", float(math.prod(shape)))
    with np.errstate(over="ignore", under="ignore"):
        out = truth * np.exp(noise * gen.standard_normal(shape))
    if not np.all(np.isfinite(out) & (out > 0)):
        raise ValueError(
            f"noise = {noise:g} is too large: truth · exp(noise · ε) overflows or underflows "
            "float64 (noise is the standard deviation of ln y)"
        )
    return out


# ---------------------------------------------------------------------------
# rate laws


@dataclasses.dataclass(frozen=True)
class RateLaw:
    """A first-order rate law for a positive quantity, ``dy/dt = y · g(y; θ)``.

    Laws are written through the *per-capita* rate ``g = (dy/dt)/y``, the
    derivative of ``ln y``: growth laws are naturally stated that way, and
    the fits below model ``ln y``. The parameters ``θ`` are positive.

    Attributes
    ----------
    name
        Short name, e.g. ``"logistic"``.
    param_names
        Names of the entries of ``θ``.
    per_capita
        ``g(y, θ)``, vectorised over ``y``.
    d_dy
        ``∂g/∂y``, the shape of ``y``.
    d_dtheta
        ``∂g/∂θ``, shape ``y.shape + (len(θ),)``.
    guess
        ``guess(t, y)`` returns a rough, positive starting value of ``θ`` from data.
    """

    name: str
    param_names: tuple[str, ...]
    per_capita: Callable[[Array, Array], Array]
    d_dy: Callable[[Array, Array], Array]
    d_dtheta: Callable[[Array, Array], Array]
    guess: Callable[[Array, Array], Array]

    def rhs(self, y: Any, theta: Any) -> Array:
        """The rate ``dy/dt = y · g(y; θ)``."""
        y = np.asarray(y, dtype=float)
        return y * self.per_capita(y, np.asarray(theta, dtype=float))

    def residual(self, fit: Fit, t: Any) -> Array:
        """Residual ``d ln y/dt - g(y; θ)`` of a physics-informed ``fit`` at times ``t``.

        The residual is per unit time.
        """
        missing = [k for k in self.param_names if k not in fit.params]
        if missing:
            raise ValueError(
                f"fit has no fitted value for {missing}; pass a fit made with this law"
            )
        theta = np.array([fit.params[k] for k in self.param_names])
        return fit.derivative(t) / fit.predict(t) - self.per_capita(fit.predict(t), theta)


def _log_slope(t: Array, y: Array) -> float:
    ly = np.log(y)
    dt = t - t.mean()
    return float(abs(dt @ (ly - ly.mean())) / (dt @ dt))


LOGISTIC = RateLaw(
    name="logistic",
    param_names=("r", "K"),
    per_capita=lambda n, p: p[0] * (1.0 - n / p[1]),
    d_dy=lambda n, p: np.full_like(n, -p[0] / p[1]),
    d_dtheta=lambda n, p: np.stack([1.0 - n / p[1], p[0] * n / p[1] ** 2], axis=-1),
    guess=lambda t, y: np.array([max(_log_slope(t, y), 1e-3 / np.ptp(t)), 2.0 * np.max(y)]),
)
"""Logistic growth ``dN/dt = r N (1 - N/K)``, parameters ``(r, K)``."""

EXPONENTIAL = RateLaw(
    name="exponential",
    param_names=("r",),
    per_capita=lambda n, p: np.full_like(n, p[0]),
    d_dy=lambda n, p: np.zeros_like(n),
    d_dtheta=lambda n, p: np.ones_like(n)[..., None],
    guess=lambda t, y: np.array([max(_log_slope(t, y), 1e-3 / np.ptp(t))]),
)
"""Exponential growth ``dN/dt = r N``, parameter ``(r,)``: logistic growth without a ceiling."""

MICHAELIS_MENTEN = RateLaw(
    name="michaelis_menten",
    param_names=("Vmax", "Km"),
    per_capita=lambda s, p: -p[0] / (p[1] + s),
    d_dy=lambda s, p: p[0] / (p[1] + s) ** 2,
    d_dtheta=lambda s, p: np.stack([-1.0 / (p[1] + s), p[0] / (p[1] + s) ** 2], axis=-1),
    guess=lambda t, y: np.array([np.ptp(y) / np.ptp(t) + 1e-12 * np.max(y), float(np.median(y))]),
)
"""Substrate depletion ``dS/dt = -Vmax S / (Km + S)``, parameters ``(Vmax, Km)``."""

_LAWS = {law.name: law for law in (LOGISTIC, EXPONENTIAL, MICHAELIS_MENTEN)}


def _law(value: Any) -> RateLaw:
    if isinstance(value, RateLaw):
        return value
    if isinstance(value, str) and value in _LAWS:
        return _LAWS[value]
    raise TypeError(f"ode_residual must be a RateLaw or one of {sorted(_LAWS)}, got {value!r}")


# ---------------------------------------------------------------------------
# basis


@dataclasses.dataclass(frozen=True)
class Basis:
    """Chebyshev polynomials of degree ``0 … size - 1`` on the domain ``[start, stop]``.

    The curve ``u(t) = Φ(t) @ c`` is linear in its coefficients ``c``. Inside
    ``[start, stop]`` the polynomials are well conditioned; outside they grow
    fast, so the domain should cover every time at which the curve is used.
    """

    start: float
    stop: float
    size: int

    @property
    def span(self) -> float:
        """Length of the domain, ``stop - start``."""
        return self.stop - self.start

    def _x(self, t: Any) -> Array:
        return 2.0 * (np.atleast_1d(np.asarray(t, dtype=float)) - self.start) / self.span - 1.0

    def _derivative(self, t: Any, order: int) -> Array:
        d = np.polynomial.chebyshev.chebder(np.eye(self.size), m=order, axis=0)
        v = np.polynomial.chebyshev.chebvander(self._x(t), self.size - 1 - order)
        return v @ d * (2.0 / self.span) ** order

    def design(self, t: Any) -> Array:
        """Matrix of basis values at times ``t``, shape ``(len(t), size)``."""
        return np.polynomial.chebyshev.chebvander(self._x(t), self.size - 1)

    def derivative(self, t: Any) -> Array:
        """Matrix of first time derivatives ``d/dt``, shape ``(len(t), size)``."""
        return self._derivative(t, 1)

    def roughness(self, points: int = 201) -> Array:
        """Penalty matrix ``Ω`` with ``c @ Ω @ c`` = mean over the domain of ``(T² u'')²``.

        ``T`` is the length of the domain, so the penalty is dimensionless and
        the same for any unit of time; the mean is taken on ``points``
        equally spaced times.
        """
        grid = np.linspace(self.start, self.stop, points)
        d2 = self._derivative(grid, 2) * self.span**2
        return d2.T @ d2 / points


def make_basis(start: float, stop: float, size: int = 24) -> Basis:
    """Build a :class:`Basis` of ``size`` Chebyshev polynomials on ``[start, stop]``.

    Parameters
    ----------
    start, stop
        The domain, ``start < stop``; it should contain every time at which
        the fitted curve is evaluated.
    size
        Number of basis functions, in ``[3, 100]`` (polynomial degree ``size - 1``).
    """
    start = real("start", start)
    stop = real("stop", stop)
    if not stop > start:
        raise ValueError(f"stop must be greater than start, got start={start}, stop={stop}")
    size = integer("size", size, minimum=3, maximum=100)
    return Basis(start=start, stop=stop, size=size)


# ---------------------------------------------------------------------------
# fits

#: Tiny ridge on the coefficients, for numerical stability only.
_EPS = 1e-10

#: Candidate smoothing penalties searched by leave-one-out cross-validation.
SMOOTHING_GRID: Array = np.logspace(-10, 2, 25)


@dataclasses.dataclass(frozen=True)
class Fit:
    """A fitted curve ``y(t) = scale · exp(Φ(t) @ coef)`` and, if physics-informed, its parameters.

    The flexible model is linear in its coefficients on the log scale,
    ``ln(y/scale) = Φ c``, so fitted curves stay positive and relative
    (multiplicative) errors are weighted equally at every level.

    Attributes
    ----------
    basis
        The :class:`Basis` ``Φ``.
    coef
        Coefficients, shape ``(basis.size,)``.
    scale
        Data scale (the largest ``y``); coefficients describe ``ln(y / scale)``.
    params
        Fitted physical parameters by name (empty for a data-only fit).
    smoothing
        The roughness penalty used.
    law
        Name of the rate law used as a constraint, or ``None``.
    converged
        Whether the optimiser reported success (always ``True`` for a linear fit).
    """

    basis: Basis
    coef: Array
    scale: float
    params: dict[str, float]
    smoothing: float
    law: str | None = None
    converged: bool = True

    def predict(self, t: Any) -> Array:
        """The fitted curve at times ``t`` (1-D), which must lie in the basis domain.

        Raises
        ------
        ValueError
            If a time lies outside ``[basis.start, basis.stop]``, where the
            polynomials grow so fast that the curve overflows; fit with a basis
            covering every time at which the curve is needed.
        """
        t = finite_array("t", t, ndim=(0, 1))
        _within(
            self.basis,
            np.atleast_1d(t),
            "t",
            "refit with basis=make_basis(start, stop) covering every time you predict at",
        )
        return self.scale * np.exp(self.basis.design(t) @ self.coef)

    def derivative(self, t: Any) -> Array:
        """The fitted curve's time derivative at times ``t`` (1-D), inside the basis domain."""
        t = finite_array("t", t, ndim=(0, 1))
        return self.predict(t) * (self.basis.derivative(t) @ self.coef)


def _check_data(t: Any, y: Any, minimum: int, name: str = "y") -> tuple[Array, Array]:
    t = scaled_array("t", t, ndim=1)
    y = scaled_array(name, y, ndim=(1, 2))
    if y.shape[-1] != t.size:
        raise ValueError(f"t and {name} must have the same length, got {t.size} and {y.shape[-1]}")
    if t.size < minimum:
        raise ValueError(f"t and {name} need at least {minimum} observations, got {t.size}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing (sorted observation times, no repeats)")
    if np.any(y <= 0):
        raise ValueError(f"{name} must be > 0 (the curve is fitted to ln y)")
    if np.any(y < TINY):
        raise ValueError(f"{name} must be ≥ {TINY:g} (the curve is fitted to ln y)")
    return t, y


def _scale(y: Array) -> Array:
    return np.max(y, axis=-1, keepdims=True)


def _basis_or_default(basis: Any, start: float, stop: float) -> Basis:
    if basis is None:
        return make_basis(start, stop)
    if not isinstance(basis, Basis):
        raise TypeError(
            f"basis must be a Basis from make_basis or None, got {type(basis).__name__}"
        )
    return basis


def _within(
    basis: Basis,
    t: Array,
    name: str,
    hint: str = "pass basis=make_basis(start, stop) covering these times, or basis=None",
) -> None:
    """Refuse evaluation times outside the basis domain, where the polynomials explode."""
    slack = 1e-9 * basis.span
    if t.min() < basis.start - slack or t.max() > basis.stop + slack:
        raise ValueError(
            f"{name} must lie in the basis domain [{basis.start:g}, {basis.stop:g}] (the "
            f"polynomials grow fast outside it), got [{t.min():g}, {t.max():g}]; {hint}"
        )


def _smoothing_arg(smoothing: Any, allow_loo: bool) -> float | None:
    text = isinstance(smoothing, str)
    if allow_loo and text and smoothing == "loo":
        return None
    allowed = "a number ≥ 0 or 'loo'" if allow_loo else "a number ≥ 0"
    if text:
        raise ValueError(f"smoothing must be {allowed}, got the string {smoothing!r}")
    return real("smoothing", smoothing, minimum=0, maximum=HUGE)


def _solve(phi: Array, targets: Array, counts: Array, penalty: Array) -> Array:
    """Penalised least squares for a batch: counts, targets (R, n); penalty (p, p) or (R, p, p)."""
    w = counts / counts.sum(axis=1, keepdims=True)
    a = np.einsum("ri,ij,ik->rjk", w, phi, phi) + penalty
    b = np.einsum("ri,ij,ri->rj", w, phi, targets)
    return np.linalg.solve(a, b[..., None])[..., 0]


def _loo_smoothing(phi: Array, targets: Array, omega: Array) -> Array:
    """Leave-one-out choice of the smoothing penalty for each row of ``targets`` (R, n)."""
    n, p = phi.shape
    a = phi.T @ phi / n + SMOOTHING_GRID[:, None, None] * omega + _EPS * np.eye(p)
    hat = np.einsum(
        "ip,lpj->lij",
        phi,
        np.linalg.solve(a, np.broadcast_to(phi.T / n, a.shape[:1] + phi.T.shape)),
    )
    fitted = np.einsum("lij,rj->lri", hat, targets)
    leverage = np.clip(1.0 - np.diagonal(hat, axis1=1, axis2=2), 1e-12, None)
    score = np.mean(((targets - fitted) / leverage[:, None, :]) ** 2, axis=2)
    return SMOOTHING_GRID[np.argmin(score, axis=0)]


def _data_only_batch(
    t: Array, ys: Array, basis: Basis, smoothing: float | None
) -> tuple[Array, Array, Array]:
    """Data-only fits of every row of ys.

    Returns coefficients (R, p), scales (R, 1) and penalties (R,).
    """
    s = _scale(ys)
    phi, omega = basis.design(t), basis.roughness()
    lam = (
        _loo_smoothing(phi, np.log(ys / s), omega)
        if smoothing is None
        else np.full(ys.shape[0], smoothing)
    )
    penalty = lam[:, None, None] * omega + _EPS * np.eye(basis.size)
    return _solve(phi, np.log(ys / s), np.ones_like(ys), penalty), s, lam


def fit_data_only(
    t: Any, y: Any, *, basis: Basis | None = None, smoothing: float | str = "loo"
) -> Fit:
    """Fit the flexible curve to the observations alone (penalised least squares).

    Minimises ``mean_i (v(t_i) - ln(y_i/s))² + smoothing · mean_t (T² v''(t))²``
    over the coefficients of the log-curve ``v = Φ c``, with ``s = max y`` and
    ``T`` the length of the basis domain: a smoothing spline of ``ln y`` built
    from polynomials. Beyond the data the roughness penalty makes ``ln y``
    continue as straight as it can, that is, at its last growth rate.

    Parameters
    ----------
    t
        Observation times, strictly increasing, at least 3.
    y
        Observations, > 0, same length as ``t``.
    basis
        The curve's basis; by default 24 Chebyshev polynomials on ``[t[0], t[-1]]``.
        :meth:`Fit.predict` refuses times outside it, so pass a wider basis to
        extrapolate beyond the data.
    smoothing
        Roughness penalty ≥ 0, or ``"loo"`` (default) to choose it from
        :data:`SMOOTHING_GRID` by leave-one-out cross-validation.

    Returns
    -------
    Fit
    """
    t, y = _check_data(t, y, 3)
    if y.ndim != 1:
        raise ValueError(
            f"y must have 1 dimension(s), got shape {y.shape}; use fit_replicates for many"
        )
    basis = _basis_or_default(basis, t[0], t[-1])
    _within(basis, t, "t", "pass basis=make_basis(start, stop) covering the data, or None")
    coef, s, lam = _data_only_batch(t, y[None], basis, _smoothing_arg(smoothing, True))
    return Fit(basis=basis, coef=coef[0], scale=float(s[0, 0]), params={}, smoothing=float(lam[0]))


def _initial_curve(law: RateLaw, theta: Array, t0: float, y0: float, times: Array) -> Array:
    """Solve the rate law from (t0, y0) with parameters theta, forwards and backwards."""
    from scipy.integrate import solve_ivp

    out = np.full_like(times, y0)
    for side in (times >= t0, times < t0):
        if not np.any(side) or np.all(times[side] == t0):
            continue
        ts = times[side]
        end = ts.max() if ts.max() > t0 else ts.min()
        sol = solve_ivp(
            lambda _t, v: law.rhs(v, theta),
            (t0, end),
            [y0],
            dense_output=True,
            rtol=1e-4,
            atol=1e-8 * abs(y0),
        )
        if sol.success:
            out[side] = sol.sol(ts)[0]
    return out


def _pinn_solve(
    t: Array,
    y: Array,
    counts: Array,
    law: RateLaw,
    colloc: Array,
    weight: float,
    basis: Basis,
    smoothing: float,
    theta0: Array,
) -> tuple[Array, Array, float, bool]:
    """One physics-informed fit; returns coefficients, parameters, scale and convergence."""
    from scipy.optimize import least_squares

    if np.any(~np.isfinite(theta0)) or np.any(theta0 <= 0):
        raise ValueError(
            f"starting parameters must be finite and > 0 for {law.param_names}, got {theta0}"
        )
    s = float(_scale(y)[0])
    span = basis.span
    lu = np.log(y / s)
    phi, phi_c, dphi_c = basis.design(t), basis.design(colloc), basis.derivative(colloc)
    p, k, m, n = basis.size, theta0.size, colloc.size, t.size
    wd = np.sqrt(counts / counts.sum())
    wp = np.sqrt(weight / m)
    chol = np.linalg.cholesky(smoothing * basis.roughness() + _EPS * np.eye(p)).T

    # start from the law's own solution with the starting parameters
    seen = counts > 0
    times = np.concatenate([t, colloc])
    curve = _initial_curve(law, theta0, float(t[seen][0]), float(y[seen][0]), times)
    curve = np.log(np.clip(np.where(np.isfinite(curve), curve, s), 1e-12 * s, 1e12 * s) / s)
    coef0 = _solve(
        np.vstack([phi, phi_c]), curve[None], np.ones((1, times.size)), 1e-8 * np.eye(p)
    )[0]
    x0 = np.concatenate([coef0, np.log(theta0)])

    def fun(x: Array) -> Array:
        c, theta = x[:p], np.exp(x[p:])
        # a trial step of the optimiser can overflow the curve or the parameters; a huge
        # residual there makes it reject the step instead of leaking a warning or NaN
        with np.errstate(all="ignore"):
            phys = span * (dphi_c @ c - law.per_capita(s * np.exp(phi_c @ c), theta))
        r = np.concatenate([wd * (phi @ c - lu), wp * phys, chol @ c])
        return np.nan_to_num(r, nan=1e100, posinf=1e100, neginf=-1e100)

    def jac(x: Array) -> Array:
        c, theta = x[:p], np.exp(x[p:])
        j = np.zeros((n + m + p, p + k))
        with np.errstate(all="ignore"):
            n_c = s * np.exp(phi_c @ c)
            j[:n, :p] = wd[:, None] * phi
            j[n : n + m, :p] = wp * span * (dphi_c - (law.d_dy(n_c, theta) * n_c)[:, None] * phi_c)
            j[n : n + m, p:] = -wp * span * law.d_dtheta(n_c, theta) * theta
        j[n + m :, :p] = chol
        return np.nan_to_num(j, nan=0.0, posinf=1e100, neginf=-1e100)

    res = least_squares(
        fun,
        x0,
        jac=jac,
        method="lm",
        x_scale="jac",
        xtol=1e-10,
        ftol=1e-10,
        gtol=1e-10,
        max_nfev=2000,
    )
    return res.x[:p], np.exp(res.x[p:]), s, bool(res.success)


def _pinn_args(
    t: Array,
    y: Array,
    law: RateLaw,
    collocation: Any,
    weight: Any,
    basis: Any,
    smoothing: Any,
    params0: Any,
    t_new: Array | None = None,
) -> tuple[Array, float, Basis, float, Array | None]:
    """Validate the physics-informed fit's arguments; ``params0=None`` gives ``None``.

    The default basis spans the data, the collocation times and ``t_new`` (prediction times).
    """
    colloc = scaled_array("collocation", collocation, ndim=1, min_size=2)
    weight = real("weight", weight, minimum=0, maximum=HUGE)
    times = [t, colloc] if t_new is None else [t, colloc, t_new]
    basis = _basis_or_default(basis, min(v.min() for v in times), max(v.max() for v in times))
    smoothing = _smoothing_arg(smoothing, False)
    if params0 is None:
        theta0 = None
    else:
        theta0 = scaled_array("params0", params0, ndim=1)
        if theta0.size != len(law.param_names):
            raise ValueError(
                f"params0 must give {len(law.param_names)} values {law.param_names}, "
                f"got {theta0.size}"
            )
        if np.any(theta0 <= 0):
            raise ValueError(
                f"params0 must be > 0 for every parameter {law.param_names}, got {theta0}"
            )
    return colloc, weight, basis, smoothing, theta0


def _start(law: RateLaw, theta0: Array | None, t: Array, y: Array) -> Array:
    return np.asarray(law.guess(t, y), dtype=float) if theta0 is None else theta0


def fit_physics_informed(
    t: Any,
    y: Any,
    *,
    ode_residual: RateLaw | str,
    collocation: Any,
    weight: float = 1.0,
    basis: Basis | None = None,
    smoothing: float = 0.0,
    params0: Sequence[float] | None = None,
) -> Fit:
    """Fit the flexible curve to the data *and* to a rate law, identifying its parameters.

    Minimises, over the curve's coefficients ``c`` and the law's parameters
    ``θ`` (kept positive by fitting ``log θ``),

    ``mean_i (v(t_i) - ln(y_i/s))² + weight · mean_j T² (v'(τ_j) - g(s e^{v(τ_j)}; θ))²
    + smoothing · mean_t (T² v''(t))²``,

    where ``v = Φ c`` is the log-curve ``ln(y/s)`` with ``s = max y``, ``g``
    the law's per-capita rate, ``τ_j`` the collocation times and ``T`` the
    length of the basis domain, so every term is dimensionless: the physics
    term asks that the curve's relative growth rate be the law's. With
    ``weight = 0`` this is :func:`fit_data_only` with the same ``smoothing``;
    as ``weight`` grows the curve is forced onto a solution of the law. The
    problem is non-linear and is solved by :func:`scipy.optimize.least_squares`
    (Levenberg–Marquardt, exact Jacobian), started from the law's numerical
    solution with ``params0`` through the first observation.

    Parameters
    ----------
    t
        Observation times, strictly increasing; at least ``len(θ) + 2`` of them.
    y
        Observations, > 0, same length as ``t``.
    ode_residual
        The rate law: :data:`LOGISTIC`, :data:`EXPONENTIAL`,
        :data:`MICHAELIS_MENTEN`, their names, or any :class:`RateLaw`.
    collocation
        Times at which the law is enforced (1-D, at least 2), typically a grid
        over the whole domain, including where there are no data.
    weight
        Weight of the physics term, ≥ 0.
    basis
        The curve's basis; by default 24 Chebyshev polynomials spanning data
        and collocation times.
    smoothing
        Roughness penalty, ≥ 0 (the physics term usually makes it unnecessary).
    params0
        Starting values of ``θ`` (all > 0); by default the law's ``guess(t, y)``.

    Returns
    -------
    Fit
        With ``params`` holding the identified ``θ`` and ``converged`` the optimiser's verdict.

    References
    ----------
    Raissi, Perdikaris & Karniadakis (2019), *J. Comput. Phys.* 378, 686–707;
    Karniadakis et al. (2021), *Nat. Rev. Phys.* 3, 422–440.
    """
    law = _law(ode_residual)
    t, y = _check_data(t, y, len(law.param_names) + 2)
    if y.ndim != 1:
        raise ValueError(
            f"y must have 1 dimension(s), got shape {y.shape}; use fit_replicates for many"
        )
    colloc, weight, basis, smoothing, theta0 = _pinn_args(
        t, y, law, collocation, weight, basis, smoothing, params0
    )
    coef, theta, s, ok = _pinn_solve(
        t, y, np.ones(t.size), law, colloc, weight, basis, smoothing, _start(law, theta0, t, y)
    )
    return Fit(
        basis=basis,
        coef=coef,
        scale=s,
        params=dict(zip(law.param_names, map(float, theta))),
        smoothing=smoothing,
        law=law.name,
        converged=ok,
    )


# ---------------------------------------------------------------------------
# uncertainty and replicates


@dataclasses.dataclass(frozen=True)
class Bootstrap:
    """Bootstrap replicates of a fit: predictions and, if physics-informed, parameters.

    Attributes
    ----------
    t
        Times of the predictions.
    predictions
        Shape ``(replicates, len(t))``.
    params
        Shape ``(replicates, len(param_names))`` (no columns for a data-only fit).
    param_names
        Names of the parameter columns.
    converged
        Per replicate, whether the optimiser reported success.
    """

    t: Array
    predictions: Array
    params: Array
    param_names: tuple[str, ...]
    converged: Array

    def band(self, level: float = 0.9) -> tuple[Array, Array]:
        """Pointwise percentile band of the predictions holding ``level`` of the replicates."""
        level = real("level", level, minimum=0, maximum=1, open_min=True, open_max=True)
        lo, hi = np.quantile(self.predictions, [(1 - level) / 2, (1 + level) / 2], axis=0)
        return lo, hi

    def param_interval(self, level: float = 0.9) -> dict[str, tuple[float, float]]:
        """Percentile interval of each parameter holding ``level`` of the replicates."""
        level = real("level", level, minimum=0, maximum=1, open_min=True, open_max=True)
        q = np.quantile(self.params, [(1 - level) / 2, (1 + level) / 2], axis=0)
        return {k: (float(lo), float(hi)) for k, lo, hi in zip(self.param_names, *q)}

    def param_se(self) -> dict[str, float]:
        """Bootstrap standard error of each parameter (standard deviation over replicates)."""
        return dict(zip(self.param_names, map(float, self.params.std(axis=0, ddof=1))))


def _resample_counts(gen: np.random.Generator, n: int, replicates: int, distinct: int) -> Array:
    """Multinomial resampling counts, redrawing resamples with fewer than ``distinct`` points."""
    counts = gen.multinomial(n, np.full(n, 1.0 / n), size=replicates).astype(float)
    bad = (counts > 0).sum(axis=1) < distinct
    while np.any(bad):
        counts[bad] = gen.multinomial(n, np.full(n, 1.0 / n), size=int(bad.sum()))
        bad = (counts > 0).sum(axis=1) < distinct
    return counts


#: Ways :func:`bootstrap` makes new data sets.
BOOTSTRAP_METHODS = ("residual", "cases")


def _residual_draws(
    gen: np.random.Generator, log_fit: Array, log_y: Array, dof: float, replicates: int
) -> Array:
    """Resampled log data ``ln ŷ + e*``: centred residuals inflated by ``sqrt(n / (n - dof))``."""
    n = log_y.size
    if n - dof < 1:
        raise ValueError(
            f"the fit uses about {dof:.1f} effective parameters for {n} observations, leaving "
            "no residuals to resample; use more observations, more smoothing or method='cases'"
        )
    e = log_y - log_fit
    e = (e - e.mean()) * np.sqrt(n / (n - dof))
    return log_fit + e[gen.integers(0, n, size=(replicates, n))]


def bootstrap(
    t: Any,
    y: Any,
    t_new: Any,
    *,
    replicates: int = 200,
    rng: RNGLike = None,
    ode_residual: RateLaw | str | None = None,
    collocation: Any = None,
    weight: float = 1.0,
    basis: Basis | None = None,
    smoothing: float | str | None = None,
    params0: Sequence[float] | None = None,
    method: str = "residual",
) -> Bootstrap:
    """Refit to resampled data sets, to put bands on predictions and parameters.

    With ``method="residual"`` (default) the observation times stay fixed, as
    they are in a designed time course: the fit's residuals on the log scale,
    centred and inflated by ``sqrt(n / (n - dof))`` for the parameters the fit
    used, are drawn with replacement and added back to the fitted curve,
    ``ln y*_i = ln ŷ_i + e*_i``. Here ``dof`` is the trace of the smoother's hat
    matrix for a data-only fit and ``len(θ) + 1`` (the law's parameters and the
    starting value) for a physics-informed one, whose curve is close to a
    solution of the law. With ``method="cases"`` each replicate draws ``n``
    pairs ``(t_i, y_i)`` with replacement instead, which also varies *where*
    the data are; with a few fixed times this loses the last points of some
    resamples and inflates the spread of what they determine. Data-only
    replicates are solved together as one batch, physics-informed ones one by
    one. Intervals are quantiles of the replicates (:meth:`Bootstrap.band`,
    :meth:`Bootstrap.param_interval`).

    Parameters
    ----------
    t, y
        The observations, as for the fits.
    t_new
        Times at which to predict (1-D), inside the basis domain; the default basis
        spans the data, the collocation times and ``t_new``.
    replicates
        Number of bootstrap resamples, ≥ 2.
    rng
        Seed, Generator or ``None``.
    ode_residual, collocation, weight, basis, params0
        As in :func:`fit_physics_informed`; ``ode_residual=None`` for data only.
    smoothing
        The roughness penalty. ``None`` (default) means the fit's own default:
        for data only, the penalty chosen by leave-one-out on the original
        data (kept fixed across resamples); for physics-informed fits, 0.
    method
        ``"residual"`` or ``"cases"`` (see above).

    Returns
    -------
    Bootstrap

    References
    ----------
    Efron (1979), *Annals of Statistics* 7, 1–26; Davison & Hinkley (1997),
    *Bootstrap Methods and their Application*, §6.2 (resampling residuals).
    """
    replicates = integer("replicates", replicates, minimum=2)
    check_work("replicates", replicates * 1e5, what="one fit per replicate")
    t_new = scaled_array("t_new", t_new, ndim=1)
    gen = as_generator(rng)
    if not isinstance(method, str) or method not in BOOTSTRAP_METHODS:
        raise ValueError(f"method must be one of {BOOTSTRAP_METHODS}, got {method!r}")
    if ode_residual is None:
        t, y = _check_data(t, y, 3)
        basis = _basis_or_default(basis, min(t[0], t_new.min()), max(t[-1], t_new.max()))
        _within(basis, t_new, "t_new")
        fit = fit_data_only(t, y, basis=basis, smoothing="loo" if smoothing is None else smoothing)
        phi = fit.basis.design(t)
        penalty = fit.smoothing * fit.basis.roughness() + _EPS * np.eye(fit.basis.size)
        log_y = np.log(y / fit.scale)
        if method == "cases":
            counts = _resample_counts(gen, t.size, replicates, 3)
            targets = np.broadcast_to(log_y, counts.shape)
        else:
            gram = phi.T @ phi / t.size + penalty
            dof = float(np.trace(phi @ np.linalg.solve(gram, phi.T / t.size)))  # trace of the hat
            targets = _residual_draws(gen, phi @ fit.coef, log_y, dof, replicates)
            counts = np.ones_like(targets)
        coef = _solve(phi, targets, counts, penalty)
        pred = fit.scale * np.exp(coef @ fit.basis.design(t_new).T)
        return Bootstrap(t_new, pred, np.empty((replicates, 0)), (), np.ones(replicates, bool))
    law = _law(ode_residual)
    t, y = _check_data(t, y, len(law.param_names) + 2)
    colloc, weight, basis, smoothing, theta0 = _pinn_args(
        t,
        y,
        law,
        collocation,
        weight,
        basis,
        0.0 if smoothing is None else smoothing,
        params0,
        t_new,
    )
    _within(basis, t_new, "t_new")
    start = _start(law, theta0, t, y)
    ones = np.ones(t.size)
    if method == "cases":
        counts = _resample_counts(gen, t.size, replicates, len(law.param_names) + 1)
        data = np.broadcast_to(y, counts.shape)
    else:
        coef, theta, s, _ = _pinn_solve(t, y, ones, law, colloc, weight, basis, smoothing, start)
        log_fit = np.log(s) + basis.design(t) @ coef
        dof = len(law.param_names) + 1  # the law's parameters and the starting value
        data = np.exp(_residual_draws(gen, log_fit, np.log(y), dof, replicates))
        counts = np.ones_like(data)
        start = theta
    phi_new = basis.design(t_new)
    pred = np.empty((replicates, t_new.size))
    params = np.empty((replicates, len(law.param_names)))
    ok = np.empty(replicates, bool)
    for b in range(replicates):  # each replicate is its own non-linear solve
        coef, params[b], s, ok[b] = _pinn_solve(
            t, data[b], counts[b], law, colloc, weight, basis, smoothing, start
        )
        pred[b] = s * np.exp(phi_new @ coef)
    return Bootstrap(t_new, pred, params, law.param_names, ok)


@dataclasses.dataclass(frozen=True)
class Replicates:
    """Fits of many data sets observed at the same times.

    Attributes
    ----------
    fitted
        Each fit at the observation times, shape ``(replicates, n)``.
    predictions
        Each fit at the evaluation times, shape ``(replicates, len(t_eval))``.
    params
        Physical parameters, shape ``(replicates, k)`` (``k = 0`` for data-only fits).
    converged
        Per replicate, whether the optimiser reported success.
    """

    fitted: Array
    predictions: Array
    params: Array
    converged: Array


def fit_replicates(
    t: Any,
    ys: Any,
    t_eval: Any,
    *,
    ode_residual: RateLaw | str | None = None,
    collocation: Any = None,
    weight: float = 1.0,
    basis: Basis | None = None,
    smoothing: float | str | None = None,
    params0: Sequence[float] | None = None,
) -> Replicates:
    """Fit every row of ``ys`` (one data set per row, all observed at times ``t``).

    Data-only fits (``ode_residual=None``) are solved together as one batch,
    each with its own leave-one-out smoothing unless ``smoothing`` is given;
    physics-informed fits are one non-linear solve per row.

    Parameters
    ----------
    t
        Observation times, strictly increasing.
    ys
        Observations, shape ``(replicates, len(t))``.
    t_eval
        Times at which to report each fitted curve (1-D), inside the basis domain; the
        default basis spans the data, the collocation times and ``t_eval``.
    ode_residual, collocation, weight, basis, params0
        As in :func:`fit_physics_informed`; ``ode_residual=None`` for data only.
    smoothing
        As in :func:`bootstrap`: ``None`` means each fit's own default.

    Returns
    -------
    Replicates
    """
    t_eval = scaled_array("t_eval", t_eval, ndim=1)
    ys = scaled_array("ys", ys, ndim=(1, 2))
    if ode_residual is None:
        t, ys = _check_data(t, ys, 3, "ys")
        ys = np.atleast_2d(ys)
        basis = _basis_or_default(basis, min(t[0], t_eval.min()), max(t[-1], t_eval.max()))
        _within(basis, t_eval, "t_eval")
        coef, s, _ = _data_only_batch(
            t, ys, basis, _smoothing_arg("loo" if smoothing is None else smoothing, True)
        )
        return Replicates(
            fitted=s * np.exp(coef @ basis.design(t).T),
            predictions=s * np.exp(coef @ basis.design(t_eval).T),
            params=np.empty((ys.shape[0], 0)),
            converged=np.ones(ys.shape[0], bool),
        )
    law = _law(ode_residual)
    t, ys = _check_data(t, ys, len(law.param_names) + 2, "ys")
    ys = np.atleast_2d(ys)
    colloc, weight, basis, smoothing, theta0 = _pinn_args(
        t,
        ys[0],
        law,
        collocation,
        weight,
        basis,
        0.0 if smoothing is None else smoothing,
        params0,
        t_eval,
    )
    _within(basis, t_eval, "t_eval")
    fitted = np.empty_like(ys)
    pred = np.empty((ys.shape[0], t_eval.size))
    params = np.empty((ys.shape[0], len(law.param_names)))
    ok = np.empty(ys.shape[0], bool)
    phi, phi_eval = basis.design(t), basis.design(t_eval)
    for j, y in enumerate(ys):  # one non-linear solve per data set
        coef, params[j], scale, ok[j] = _pinn_solve(
            t, y, np.ones(t.size), law, colloc, weight, basis, smoothing, _start(law, theta0, t, y)
        )
        fitted[j], pred[j] = scale * np.exp(phi @ coef), scale * np.exp(phi_eval @ coef)
    return Replicates(fitted=fitted, predictions=pred, params=params, converged=ok)
