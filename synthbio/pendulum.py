"""The pendulum as a data generator, with the closed forms that check it.

:func:`simulate` integrates the damped pendulum ``θ'' = -(g/L) sin θ - γ θ'`` for
many starting states at once; :func:`exact`, :func:`period` and :func:`energy`
are the closed forms of the undamped swing (Jacobi elliptic functions) that it
is checked against; :func:`dataset` draws starting states and the angle reached.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Int, Positive, Real, RNGLike, Seed, check_memory, check_work, checked

__all__ = ["GRAVITY", "dataset", "energy", "exact", "period", "simulate"]

#: Standard gravity in m s⁻², the default for the pendulum.
GRAVITY = 9.80665

_CONSTANTS = {"length": Positive(), "gravity": Positive()}


@checked(
    theta0=Array(),
    omega0=Array(),
    t=Array(ndim=1),
    damping=Array(),
    rtol=Real(1e-13, 1.0, open_max=True),
    atol=Positive(),
    **_CONSTANTS,
)
def simulate(
    theta0: ArrayLike,
    omega0: ArrayLike,
    t: ArrayLike,
    *,
    length: float = 1.0,
    gravity: float = GRAVITY,
    damping: ArrayLike = 0.0,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> np.ndarray:
    """Angle and angular velocity at non-decreasing times ``t`` (s): shape ``S + (len(t), 2)``.

    ``theta0`` (rad), ``omega0`` (rad s⁻¹) and ``damping`` γ ≥ 0 (s⁻¹) broadcast
    to the shape ``S`` of the batch; ``length`` in m, ``gravity`` in m s⁻².
    SciPy's DOP853 advances all pendulums as one system (Radau with the exact
    Jacobian when heavy damping makes it stiff) to tolerances ``rtol``, ``atol``.
    """
    from scipy import sparse
    from scipy.integrate import solve_ivp

    if np.any(np.diff(t := np.asarray(t)) < 0):
        raise ValueError("t must be non-decreasing (the times at which to report the state)")
    if np.any(np.asarray(damping) < 0):
        raise ValueError("damping must be >= 0 (a rate in s^-1)")
    try:
        th, om, gam = np.broadcast_arrays(theta0, omega0, damping)
    except ValueError:
        raise ValueError("theta0, omega0 and damping must broadcast together") from None
    w2, span, n = gravity / length, t[-1] - t[0], th.size
    rate = np.sqrt(w2) + float(np.max(np.abs(om)))  # the solver resolves every swing or turn
    check_work("t, omega0, length, gravity", n * (rate * span + 1.0) * 1e3 * np.log10(1 / rtol))
    y0, gam = np.concatenate([th.ravel(), om.ravel()]), gam.ravel()

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        return np.concatenate([y[n:], -w2 * np.sin(y[:n]) - gam * y[n:]])

    def jac(_t: float, y: np.ndarray) -> Any:
        blocks = [
            [None, sparse.identity(n)],
            [sparse.diags(-w2 * np.cos(y[:n])), sparse.diags(-gam)],
        ]
        return sparse.block_array(blocks, format="csc")

    # heavy damping is stiff: an implicit method takes the slow time scale, not 1/γ
    stiff = gam.max() ** 2 > 100 * w2 and gam.max() * span > 1e4
    kw = {"method": "Radau", "jac": jac} if stiff else {"method": "DOP853"}
    states = np.repeat(y0[:, None], t.size, axis=1)
    if span > 0:  # repeated times are allowed: solve at the distinct ones
        distinct, back = np.unique(t, return_inverse=True)
        sol = solve_ivp(rhs, (t[0], t[-1]), y0, t_eval=distinct, rtol=rtol, atol=atol, **kw)
        states = sol.y[:, np.ravel(back)]
    return np.stack([states[:n], states[n:]], axis=-1).reshape(th.shape + (t.size, 2))


@checked(theta=Array(), omega=Array(), **_CONSTANTS)
def energy(
    theta: ArrayLike, omega: ArrayLike, *, length: float = 1.0, gravity: float = GRAVITY
) -> np.ndarray:
    """Energy per unit mass ``½ L² ω² + g L (1 - cos θ)`` (J kg⁻¹), zero at rest at the foot."""
    with np.errstate(over="ignore"):
        out = 0.5 * length**2 * np.square(omega) + gravity * length * (1.0 - np.cos(theta))
    if not np.all(np.isfinite(out)):
        raise ValueError("omega, length and gravity are too large: the energy overflows float64")
    return out


def _swing(theta0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``k = sin(θ₀/2)``, ``m = k²``, ``m₁ = cos²(θ₀/2)`` (not ``1 - m``: exact near the top)."""
    if np.any(np.abs(theta0) >= np.pi):
        raise ValueError("theta0 must lie in (-π, π): a pendulum released at ±π never swings")
    k = np.sin(theta0 / 2.0)
    return k, k**2, np.cos(theta0 / 2.0) ** 2


@checked(theta0=Array(), **_CONSTANTS)
def period(theta0: ArrayLike, *, length: float = 1.0, gravity: float = GRAVITY) -> np.ndarray:
    """Exact period (s) of the undamped swing released from rest at ``theta0`` (rad).

    ``T = 4 √(L/g) K(m)`` with ``m = sin²(θ₀/2)``; ``K`` is taken from
    :func:`scipy.special.ellipkm1` at ``1 - m = cos²(θ₀/2)``, so the period
    keeps its digits as θ₀ approaches ±π.
    """
    from scipy.special import ellipkm1

    return 4.0 * np.sqrt(length / gravity) * ellipkm1(_swing(np.asarray(theta0))[2])


@checked(theta0=Array(), t=Array(ndim=1), **_CONSTANTS)
def exact(
    theta0: ArrayLike, t: ArrayLike, *, length: float = 1.0, gravity: float = GRAVITY
) -> np.ndarray:
    """Closed-form angle (rad) of the undamped pendulum released from rest at ``theta0``.

    ``θ(t) = 2 arcsin(k sn(K(m) - t √(g/L) | m))`` with ``k = sin(θ₀/2)``, ``m = k²``.
    ``sn`` comes from the arithmetic–geometric mean of ``1`` and ``cos(θ₀/2)``
    and Landen's descent (Abramowitz & Stegun 16.4), with its argument reduced
    modulo the period, so swings released just below the top stay accurate.
    Returns shape ``theta0.shape + (len(t),)``.
    """
    from scipy.special import ellipkm1

    k, m, m1 = (x[..., None] for x in _swing(np.asarray(theta0)))
    quarter = ellipkm1(m1)  # K(m)
    u = quarter - t * np.sqrt(gravity / length)
    u = u - 4.0 * quarter * np.round(u / (4.0 * quarter))  # into [-2K, 2K]
    a, b, c = [np.ones_like(m1)], np.sqrt(m1), [np.sqrt(m)]
    while np.any(np.abs(c[-1]) > 1e-17 * a[-1]) and len(a) < 60:  # about 8 steps at worst
        a, b, c = a + [(a[-1] + b) / 2.0], np.sqrt(a[-1] * b), c + [(a[-1] - b) / 2.0]
    phi = 2.0 ** (len(a) - 1) * a[-1] * u
    for aj, cj in zip(a[:0:-1], c[:0:-1]):
        phi = 0.5 * (phi + np.arcsin(np.clip(cj / aj * np.sin(phi), -1.0, 1.0)))
    return 2.0 * np.arctan2(k * np.sin(phi), np.sqrt(m1 + m * np.cos(phi) ** 2))  # = 2 arcsin(k sn)


@checked(n=Int(min=1), horizon=Positive(), damping=Real(0.0), noise=Real(0.0), rng=Seed())
def dataset(
    n: int, *, horizon: float, damping: float = 0.0, noise: float = 0.0, rng: RNGLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Starting states ``X`` (θ₀, ω₀), ``(n, 2)``, and the angles ``y`` ``horizon`` s later.

    ``X`` is uniform on ``[-1, 1]²`` (rad, rad s⁻¹); ``y`` has Gaussian
    measurement noise of standard deviation ``noise`` (rad).
    """
    check_memory("n", 8.0 * n)
    gen = np.random.default_rng(rng)
    X = gen.uniform(-1.0, 1.0, (n, 2))
    y = simulate(X[:, 0], X[:, 1], [0.0, horizon], damping=damping)[:, -1, 0]
    return X, y + gen.normal(0.0, noise, n) if noise > 0 else y
