"""Physics-informed fitting: a known rate law used as a constraint instead of extra data.

A curve for ``ln y`` (:class:`Basis`) is fitted to the data alone (:func:`fit_data_only`) or
to the data and a rate law ``dy/dt = y g(y; θ)`` with ``θ`` fitted jointly
(:func:`fit_physics_informed`; Raissi, Perdikaris & Karniadakis 2019, *J. Comput. Phys.* 378,
686–707); both return a :class:`Fit`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Check, Int, Real, checked, finite_array

__all__ = [
    "EXPONENTIAL",
    "LOGISTIC",
    "MICHAELIS_MENTEN",
    "SMOOTHING_GRID",
    "Basis",
    "Fit",
    "RateLaw",
    "fit_data_only",
    "fit_physics_informed",
    "make_basis",
]


@dataclasses.dataclass(frozen=True)
class RateLaw:
    """A rate law ``dy/dt = y · g(y; θ)`` for a positive quantity, with parameters ``θ > 0``.

    ``per_capita`` is ``g``; ``d_dy`` and ``d_dtheta`` are ``∂g/∂y`` and ``∂g/∂θ`` (shape
    ``y.shape + (len(θ),)``); ``guess(t, y)`` gives a starting ``θ`` from data.
    """

    name: str
    param_names: tuple[str, ...]
    per_capita: Callable[[np.ndarray, np.ndarray], np.ndarray]
    d_dy: Callable[[np.ndarray, np.ndarray], np.ndarray]
    d_dtheta: Callable[[np.ndarray, np.ndarray], np.ndarray]
    guess: Callable[[np.ndarray, np.ndarray], np.ndarray]

    def rhs(self, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
        """The rate ``dy/dt = y · g(y; θ)``."""
        y = np.asarray(y, dtype=float)
        return y * self.per_capita(y, np.asarray(theta, dtype=float))


def _log_slope(t: np.ndarray, y: np.ndarray) -> float:
    dt, ly = t - t.mean(), np.log(y)
    return max(float(abs(dt @ (ly - ly.mean())) / (dt @ dt)), 1e-3 / float(np.ptp(t)))


LOGISTIC = RateLaw(
    name="logistic",
    param_names=("r", "K"),
    per_capita=lambda n, p: p[0] * (1.0 - n / p[1]),
    d_dy=lambda n, p: np.full_like(n, -p[0] / p[1]),
    d_dtheta=lambda n, p: np.stack([1.0 - n / p[1], p[0] * n / p[1] ** 2], axis=-1),
    guess=lambda t, y: np.array([_log_slope(t, y), 2.0 * np.max(y)]),
)
"""Logistic growth ``dN/dt = r N (1 - N/K)``, parameters ``(r, K)``."""

EXPONENTIAL = RateLaw(
    name="exponential",
    param_names=("r",),
    per_capita=lambda n, p: np.full_like(n, p[0]),
    d_dy=lambda n, p: np.zeros_like(n),
    d_dtheta=lambda n, p: np.ones_like(n)[..., None],
    guess=lambda t, y: np.array([_log_slope(t, y)]),
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


@dataclasses.dataclass(frozen=True)
class Basis:
    """Chebyshev polynomials of degree ``0 … size - 1`` on the domain ``[start, stop]``.

    Outside the domain they grow fast: it should cover every time at which a curve is used.
    """

    start: float
    stop: float
    size: int

    @property
    def span(self) -> float:
        """Length of the domain, ``stop - start``."""
        return self.stop - self.start

    def _derivative(self, t: ArrayLike, order: int) -> np.ndarray:
        x = 2.0 * (np.atleast_1d(np.asarray(t, dtype=float)) - self.start) / self.span - 1.0
        d = np.polynomial.chebyshev.chebder(np.eye(self.size), m=order, axis=0)
        v = np.polynomial.chebyshev.chebvander(x, self.size - 1 - order)
        return v @ d * (2.0 / self.span) ** order

    def design(self, t: ArrayLike) -> np.ndarray:
        """Basis values at times ``t``, shape ``(len(t), size)``."""
        return self._derivative(t, 0)

    def derivative(self, t: ArrayLike) -> np.ndarray:
        """First time derivatives of the basis at times ``t``, shape ``(len(t), size)``."""
        return self._derivative(t, 1)

    def roughness(self, points: int = 201) -> np.ndarray:
        """Penalty ``Ω``: ``c @ Ω @ c`` is the mean over the domain of ``(span² u'')²``."""
        d2 = self._derivative(np.linspace(self.start, self.stop, points), 2) * self.span**2
        return d2.T @ d2 / points


@checked(start=Real(), stop=Real(), size=Int(3, 100))
def make_basis(start: float, stop: float, size: int = 24) -> Basis:
    """A :class:`Basis` of ``size`` Chebyshev polynomials on ``[start, stop]``, ``start < stop``."""
    if not stop > start:
        raise ValueError(f"stop must be greater than start, got start={start}, stop={stop}")
    return Basis(start=start, stop=stop, size=size)


class _Times(Array):
    """Observation times: 1-D, finite, strictly increasing."""

    def check(self, name: str, value: Any) -> np.ndarray:
        t = super().check(name, value)
        if np.any(np.diff(t) <= 0):
            raise ValueError(f"{name} must be strictly increasing (sorted times, no repeats)")
        return t

    def cases(self, valid: Any) -> list[tuple[str, str, Any]]:
        return super().cases(valid) + [("unsorted", "refuse", np.asarray(valid)[::-1])]


def _rate_law(name: str, value: Any) -> RateLaw:
    if isinstance(value, RateLaw):
        return value
    if isinstance(value, str) and value in _LAWS:
        return _LAWS[value]
    raise TypeError(f"{name} must be a RateLaw or one of {sorted(_LAWS)}, got {value!r}")


def _basis(name: str, value: Any) -> Basis:
    if not isinstance(value, Basis):
        raise TypeError(f"{name} must be a Basis from make_basis or None, got {value!r}")
    return value


_TIMES = _Times(ndim=1)
_Y = Array(ndim=(1, 2), positive=True)
_BASIS = Check(_basis, [("number", 24), ("string", "chebyshev")], optional=True)
_RATE_LAW = Check(_rate_law, [("unknown name", "gompertz"), ("number", 1.0)])

#: Candidate roughness penalties searched by leave-one-out cross-validation.
SMOOTHING_GRID: np.ndarray = np.logspace(-10, 2, 25)
_EPS = 1e-10  # a tiny ridge on the coefficients, for numerical stability only


@dataclasses.dataclass(frozen=True)
class Fit:
    """Fitted curves ``y(t) = scale · exp(Φ(t) @ coef)``, for one data set or ``R`` of them.

    For ``R`` data sets ``coef`` is ``(R, size)`` and the other fields have shape ``(R,)``.
    ``scale`` is the largest observation; ``params`` the law's parameters by name (empty for
    data only); ``dof`` the effective number of parameters; ``converged`` the optimiser's flag.
    """

    basis: Basis
    coef: np.ndarray
    scale: float | np.ndarray
    params: dict[str, float | np.ndarray]
    smoothing: float | np.ndarray
    dof: float | np.ndarray
    law: str | None = None
    converged: bool | np.ndarray = True

    def predict(self, t: ArrayLike) -> np.ndarray:
        """The curve(s) at times ``t`` in the basis domain: ``(len(t),)`` or ``(R, len(t))``."""
        t = np.atleast_1d(finite_array("t", t, ndim=(0, 1)))
        _within(self.basis, t, "t")
        return np.asarray(self.scale)[..., None] * np.exp(self.coef @ self.basis.design(t).T)

    def derivative(self, t: ArrayLike) -> np.ndarray:
        """The time derivative of the curve(s) at times ``t``, shaped as :meth:`predict`."""
        return self.predict(t) * (self.coef @ self.basis.derivative(t).T)


def _within(basis: Basis, t: np.ndarray, name: str) -> None:
    slack = 1e-9 * basis.span
    if t.min() < basis.start - slack or t.max() > basis.stop + slack:
        raise ValueError(
            f"{name} must lie in the basis domain [{basis.start:g}, {basis.stop:g}], got "
            f"[{t.min():g}, {t.max():g}]; pass basis=make_basis(start, stop) covering these times"
        )


def _check_data(t: np.ndarray, y: np.ndarray, minimum: int) -> None:
    if y.shape[-1] != t.size:
        raise ValueError(f"t and y must have the same length, got {t.size} and {y.shape[-1]}")
    if t.size < minimum:
        raise ValueError(f"t and y need at least {minimum} observations, got {t.size}")


def _result(y: np.ndarray, basis: Basis, coef: np.ndarray, scale: np.ndarray, **fields: Any) -> Fit:
    """A :class:`Fit` from per-row arrays; one data set (1-D ``y``) gives plain numbers."""
    if y.ndim == 2:
        return Fit(basis, coef, scale, **fields)
    fields = {k: v[0].item() if isinstance(v, np.ndarray) else v for k, v in fields.items()}
    fields["params"] = {k: float(v[0]) for k, v in fields["params"].items()}
    return Fit(basis, coef[0], float(scale[0]), **fields)


def _loo_smoothing(phi: np.ndarray, targets: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Leave-one-out choice from :data:`SMOOTHING_GRID` for each row of ``targets`` (R, n)."""
    n, p = phi.shape
    a = phi.T @ phi / n + SMOOTHING_GRID[:, None, None] * omega + _EPS * np.eye(p)
    hat = phi @ np.linalg.solve(a, np.broadcast_to(phi.T / n, (len(a), *phi.T.shape)))
    fitted = np.einsum("lij,rj->lri", hat, targets)
    leverage = np.clip(1.0 - np.diagonal(hat, axis1=1, axis2=2), 1e-12, None)
    score = np.mean(((targets - fitted) / leverage[:, None, :]) ** 2, axis=2)
    return SMOOTHING_GRID[np.argmin(score, axis=0)]


@checked(t=_TIMES, y=_Y, basis=_BASIS, smoothing=Real(0, 1e8, optional=True))
def fit_data_only(
    t: ArrayLike, y: ArrayLike, *, basis: Basis | None = None, smoothing: float | None = None
) -> Fit:
    """Fit the flexible curve to the observations alone: a smoothing spline of ``ln y``.

    Minimises ``mean_i (v(t_i) - ln(y_i/s))² + smoothing · mean_t (T² v''(t))²`` over the
    log-curve ``v = Φ c`` (``s = max y``, ``T`` the length of the basis domain).

    Parameters
    ----------
    t, y
        Times (strictly increasing, at least 3) and observations > 0, ``y`` of shape
        ``(len(t),)`` or ``(R, len(t))`` for ``R`` data sets.
    basis
        By default 24 Chebyshev polynomials on ``[t[0], t[-1]]``.
    smoothing
        ``None`` chooses it per data set from :data:`SMOOTHING_GRID` by leave-one-out CV.
    """
    assert isinstance(t, np.ndarray) and isinstance(y, np.ndarray)  # converted by @checked
    _check_data(t, y, 3)
    basis = make_basis(t[0], t[-1]) if basis is None else basis
    _within(basis, t, "t")
    ys = np.atleast_2d(y)
    scale = ys.max(axis=1)
    targets, phi, omega = np.log(ys / scale[:, None]), basis.design(t), basis.roughness()
    lam = _loo_smoothing(phi, targets, omega) if smoothing is None else np.full(len(ys), smoothing)
    gram = phi.T @ phi / t.size + lam[:, None, None] * omega + _EPS * np.eye(basis.size)
    coef = np.linalg.solve(gram, (targets @ phi / t.size)[..., None])[..., 0]
    dof = np.trace(np.linalg.solve(gram, phi.T @ phi / t.size), axis1=1, axis2=2)
    ok = np.ones(len(ys), bool)
    return _result(y, basis, coef, scale, params={}, smoothing=lam, dof=dof, converged=ok)


def _initial_curve(law: RateLaw, theta: np.ndarray, y0: float, times: np.ndarray) -> np.ndarray:
    """The law's solution through ``(times[0], y0)``, forwards and backwards in time."""
    from scipy.integrate import solve_ivp

    out, tol = np.full_like(times, y0), {"rtol": 1e-4, "atol": 1e-8 * y0}
    for side in (times >= times[0], times < times[0]):
        if np.any(times[side] != times[0]):
            span = (times[0], times[side][np.argmax(np.abs(times[side] - times[0]))])
            sol = solve_ivp(lambda _t, v: law.rhs(v, theta), span, [y0], dense_output=True, **tol)
            if sol.success:
                out[side] = sol.sol(times[side])[0]
    return out


def _pinn_solve(
    t: np.ndarray,
    y: np.ndarray,
    law: RateLaw,
    colloc: np.ndarray,
    weight: float,
    basis: Basis,
    theta0: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """One physics-informed fit: coefficients, parameters, scale and convergence."""
    from scipy.optimize import least_squares

    if not np.all(np.isfinite(theta0) & (theta0 > 0)):
        raise ValueError(f"starting parameters {law.param_names} must be > 0, got {theta0}")
    s, span, p, k, m, n = float(y.max()), basis.span, basis.size, theta0.size, colloc.size, t.size
    phi, phi_c, dphi_c = basis.design(t), basis.design(colloc), basis.derivative(colloc)
    wd, wp, ridge = np.sqrt(1.0 / n), np.sqrt(weight / m), np.sqrt(_EPS) * np.eye(p)
    # start from the law's own solution through the first observation, drawn by the basis
    times = np.concatenate([t, colloc])
    curve = _initial_curve(law, theta0, float(y[0]), times)
    curve = np.log(np.clip(np.where(np.isfinite(curve), curve, s), 1e-12 * s, 1e12 * s) / s)
    x0 = np.concatenate([np.linalg.lstsq(basis.design(times), curve)[0], np.log(theta0)])

    def fun(x: np.ndarray) -> np.ndarray:  # residuals: data, law at collocation times, ridge
        c, theta = x[:p], np.exp(x[p:])
        with np.errstate(all="ignore"):  # a trial step may overflow; a huge residual rejects it
            phys = span * (dphi_c @ c - law.per_capita(s * np.exp(phi_c @ c), theta))
        r = np.concatenate([wd * (phi @ c - np.log(y / s)), wp * phys, ridge @ c])
        return np.nan_to_num(r, nan=1e100, posinf=1e100, neginf=-1e100)

    def jac(x: np.ndarray) -> np.ndarray:
        c, theta = x[:p], np.exp(x[p:])
        j = np.zeros((n + m + p, p + k))
        with np.errstate(all="ignore"):
            n_c = s * np.exp(phi_c @ c)
            j[:n, :p] = wd * phi
            j[n : n + m, :p] = wp * span * (dphi_c - (law.d_dy(n_c, theta) * n_c)[:, None] * phi_c)
            j[n : n + m, p:] = -wp * span * law.d_dtheta(n_c, theta) * theta
        j[n + m :, :p] = ridge
        return np.nan_to_num(j, nan=0.0, posinf=1e100, neginf=-1e100)

    tol = {"xtol": 1e-10, "ftol": 1e-10, "gtol": 1e-10, "max_nfev": 2000}
    res = least_squares(fun, x0, jac=jac, method="lm", x_scale="jac", **tol)
    return res.x[:p], np.exp(res.x[p:]), s, bool(res.success)


@checked(
    t=_TIMES,
    y=_Y,
    rate_law=_RATE_LAW,
    collocation=Array(ndim=1, min_size=2),
    weight=Real(0, 1e8),
    basis=_BASIS,
    params0=Array(ndim=1, positive=True, optional=True),
)
def fit_physics_informed(
    t: ArrayLike,
    y: ArrayLike,
    *,
    rate_law: RateLaw | str,
    collocation: ArrayLike,
    weight: float = 1.0,
    basis: Basis | None = None,
    params0: ArrayLike | None = None,
) -> Fit:
    """Fit the flexible curve to the data *and* a rate law, identifying the law's parameters.

    Minimises ``mean_i (v(t_i) - ln(y_i/s))² + weight · mean_j T² (v'(τ_j) - g(s e^{v(τ_j)}; θ))²``
    over ``v = Φ c`` and ``log θ`` (``τ_j`` the collocation times; else as :func:`fit_data_only`)
    by Levenberg–Marquardt, started from the law's solution with ``params0``.

    Parameters
    ----------
    t, y
        As in :func:`fit_data_only`, at least ``len(θ) + 2`` times; each row is its own fit.
    rate_law
        A :class:`RateLaw` such as :data:`LOGISTIC`, or the name of one of the three here.
    collocation
        Times at which the law is enforced, including times without data.
    basis
        By default 24 Chebyshev polynomials spanning the data and collocation times.
    params0
        Starting values of ``θ`` (> 0); by default the law's ``guess(t, y)``.
    """
    assert isinstance(t, np.ndarray) and isinstance(y, np.ndarray)  # converted by @checked
    assert isinstance(rate_law, RateLaw) and isinstance(collocation, np.ndarray)
    names = rate_law.param_names
    _check_data(t, y, len(names) + 2)
    if params0 is not None and np.size(params0) != len(names):
        raise ValueError(f"params0 must give {len(names)} values {names}, got {np.size(params0)}")
    if basis is None:
        basis = make_basis(min(t[0], collocation.min()), max(t[-1], collocation.max()))
    _within(basis, t, "t")
    _within(basis, collocation, "collocation")
    solved = [
        _pinn_solve(
            t,
            row,
            rate_law,
            collocation,
            weight,
            basis,
            np.asarray(rate_law.guess(t, row) if params0 is None else params0, dtype=float),
        )
        for row in np.atleast_2d(y)
    ]
    coef, theta, scale, ok = (np.array(v) for v in zip(*solved))
    rows = np.ones(len(ok))
    params = dict(zip(names, theta.T))
    return _result(
        y,
        basis,
        coef,
        scale,
        params=params,
        smoothing=0 * rows,
        dof=(len(names) + 1) * rows,
        law=rate_law.name,
        converged=ok,
    )
