"""The pendulum simulator against its closed forms (elliptic period and swing, energy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from synthbio import pendulum as p


def test_undamped_pendulum_conserves_energy_to_solver_tolerance():
    th0 = np.array([0.1, 1.0, 2.5, -3.0])
    om0 = np.array([0.0, 2.0, -1.0, 0.5])
    t = np.linspace(0, 20, 401)
    traj = p.simulate(th0, om0, t)
    assert traj.shape == (4, 401, 2)
    e = p.energy(traj[..., 0], traj[..., 1])
    drift = np.abs(e / e[:, :1] - 1).max()
    assert drift < 1e-8


def test_damped_pendulum_loses_energy_monotonically():
    traj = p.simulate(1.0, 0.0, np.linspace(0, 10, 200), damping=0.4)
    e = p.energy(traj[:, 0], traj[:, 1])
    assert np.all(np.diff(e) <= 1e-12)
    assert e[-1] < 0.1 * e[0]


def test_small_oscillation_matches_linear_damped_solution():
    # θ'' + γθ' + w²θ = 0 for small θ: underdamped closed form
    g, L, gam, th0 = 9.81, 2.0, 0.3, 1e-4
    w2 = g / L
    wd = math.sqrt(w2 - gam**2 / 4)
    t = np.linspace(0, 8, 50)
    lin = th0 * np.exp(-gam * t / 2) * (np.cos(wd * t) + gam / (2 * wd) * np.sin(wd * t))
    got = p.simulate(th0, 0.0, t, length=L, gravity=g, damping=gam)[:, 0]
    assert np.abs(got - lin).max() < 1e-4 * th0  # O(θ³) nonlinearity only


def test_period_and_exact_solution_agree_with_integrator():
    th0 = np.array([0.2, 1.5, 3.0])
    period = p.period(th0)
    assert period[0] == pytest.approx(2 * np.pi * np.sqrt(1 / p.GRAVITY), rel=3e-3)
    # integrate the period by quadrature of dt = dθ / ω(θ) as a second route
    for a, T in zip(th0, period):
        k = np.sin(a / 2)
        quad = (
            4
            * np.sqrt(1 / p.GRAVITY)
            * integrate.quad(lambda u, k=k: 1.0 / np.sqrt(1 - (k * np.sin(u)) ** 2), 0, np.pi / 2)[
                0
            ]
        )
        assert T == pytest.approx(quad, rel=1e-10)
    t = np.linspace(0, 10, 301)
    exact = p.exact(th0, t)
    num = p.simulate(th0, 0.0, t)[..., 0]
    assert np.abs(exact - num).max() < 1e-7
    back = p.simulate(th0[0], 0.0, [0.0, period[0]])  # released from rest, back after one period
    assert back[-1, 0] == pytest.approx(th0[0], abs=1e-8)


def test_pendulum_shapes_and_constant_time():
    out = p.simulate(np.zeros((2, 3)), 1.0, [0.0, 0.5, 1.0])
    assert out.shape == (2, 3, 3, 2)
    still = p.simulate([0.3], [0.1], [2.0, 2.0])
    assert np.allclose(still[0, :, 0], 0.3)


def test_pendulum_dataset_is_reproducible_and_noisy():
    X1, y1 = p.dataset(50, horizon=1.0, noise=0.1, rng=3)
    X2, y2 = p.dataset(50, horizon=1.0, noise=0.1, rng=3)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    clean = p.simulate(X1[:, 0], X1[:, 1], [0, 1.0])[:, -1, 0]
    resid = y1 - clean
    assert 0.05 < resid.std() < 0.2
    assert np.all(np.abs(X1[:, 0]) <= 1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"length": -1.0}, "length"),
        ({"gravity": 0.0}, "gravity"),
        ({"damping": -0.1}, "damping"),
    ],
)
def test_pendulum_rejects_bad_constants(kwargs, match):
    with pytest.raises(ValueError, match=match):
        p.simulate(0.1, 0.0, [0, 1], **kwargs)


def test_pendulum_rejects_bad_inputs():
    with pytest.raises(ValueError, match="t must be non-decreasing"):
        p.simulate(0.1, 0.0, [1.0, 0.0])
    with pytest.raises(ValueError, match="theta0"):
        p.simulate(np.nan, 0.0, [0, 1])
    with pytest.raises(ValueError, match="broadcast"):
        p.simulate([0.1, 0.2], [0.0, 0.1, 0.2], [0, 1])
    with pytest.raises(ValueError, match="theta0"):
        p.period(np.pi)
    with pytest.raises(TypeError, match="n"):
        p.dataset(10.0, horizon=1.0)
    with pytest.raises(ValueError, match="horizon"):
        p.dataset(10, horizon=0.0)
    with pytest.raises(ValueError, match="damping"):
        p.dataset(10, horizon=1.0, damping=-0.1)


def test_heavily_damped_pendulum_is_solved_quickly_and_matches_the_overdamped_limit():
    # with damping ≫ √(g/L) the explicit solver needed ~damping·t steps (hours for 1e9 s⁻¹);
    # the slow motion then obeys γ θ' = -(g/L) sin θ: tan(θ/2) = tan(θ0/2) exp(-(g/L) t / γ)
    import time

    theta0, t = np.array([0.1, 0.5, 2.0]), np.linspace(0.0, 1000.0, 5)
    for damping in (1e4, 1e9):
        start = time.perf_counter()
        out = p.simulate(theta0, 0.0, t, damping=damping, gravity=9.8)
        assert time.perf_counter() - start < 10.0
        limit = 2 * np.arctan(np.tan(theta0[:, None] / 2) * np.exp(-9.8 * t / damping))
        assert out[..., 0] == pytest.approx(limit, abs=1e-6)


def test_pendulum_refuses_a_relative_tolerance_of_one_or_more():
    with pytest.raises(ValueError, match="rtol"):
        p.simulate(0.1, 0.0, [0.0, 1.0], rtol=1.0)


def test_pendulum_takes_one_damping_per_pendulum():
    # an array of dampings gives each pendulum its own, as separate scalar calls would
    t = np.linspace(0.0, 3.0, 31)
    gam = np.array([0.0, 0.3, 1.5])
    together = p.simulate([0.5, 0.5, 0.5], 0.2, t, damping=gam)
    for g, traj in zip(gam, together):
        assert np.abs(traj - p.simulate(0.5, 0.2, t, damping=g)).max() < 1e-8
    # damping broadcasts with the starting states: a column of rates against a row of angles
    grid = p.simulate([[0.1, 0.4]], 0.0, [0.0, 1.0], damping=[[0.0], [0.5]])
    assert grid.shape == (2, 2, 2, 2)
    assert abs(grid[1, 1, -1, 0] - p.simulate(0.4, 0.0, [0.0, 1.0], damping=0.5)[-1, 0]) < 1e-9
    # small swings against the linear underdamped closed form, each with its own rate
    w2, th0 = p.GRAVITY, 1e-4
    wd = np.sqrt(w2 - gam[:, None] ** 2 / 4)
    lin = (
        th0
        * np.exp(-gam[:, None] * t / 2)
        * (np.cos(wd * t) + gam[:, None] / (2 * wd) * np.sin(wd * t))
    )
    assert np.abs(p.simulate(th0, 0.0, t, damping=gam)[..., 0] - lin).max() < 1e-4 * th0


def test_pendulum_rejects_bad_per_pendulum_damping():
    with pytest.raises(ValueError, match="damping"):
        p.simulate([0.1, 0.2], 0.0, [0, 1], damping=[0.1, -0.1])
    with pytest.raises(ValueError, match="damping"):
        p.simulate([0.1, 0.2], 0.0, [0, 1], damping=[0.1, 0.2, 0.3])  # does not broadcast
    with pytest.raises(ValueError, match="damping"):
        p.simulate(0.1, 0.0, [0, 1], damping=np.nan)
    with pytest.raises(TypeError, match="damping"):
        p.simulate(0.1, 0.0, [0, 1], damping="0.3")
    # heavy damping in one pendulum of many still switches to the stiff solver
    out = p.simulate([0.5, 0.5], 0.0, [0.0, 1e3], damping=[1e4, 0.5])
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("delta", [1e-2, 1e-5, 1e-7])
def test_period_near_the_top_against_decimal_agm(delta):
    """Issue #23: ellipk lost the period's digits as θ₀ → π (6.4e-4 off at π - 1e-7)."""
    for theta0 in (np.pi - delta, -(np.pi - delta)):
        assert p.period(theta0) == pytest.approx(_decimal_period(theta0), rel=1e-13)
        assert p.period(theta0, length=2.5, gravity=3.0) == pytest.approx(
            _decimal_period(theta0, 2.5, 3.0), rel=1e-13
        )


@pytest.mark.parametrize("delta", [1e-3, 1e-5, 1e-7])
def test_exact_swing_near_the_top_against_quadrature_and_periodicity(delta):
    """Issue #23: from half a period on, the angle near the top was wrong by 2π."""
    theta0 = np.pi - delta
    omega = math.sqrt(p.GRAVITY)
    period = _decimal_period(theta0)  # an independent period (decimal AGM)
    angles = [theta0 - 2 * delta, theta0 - 100 * delta, 3.0, 2.0, 1.0, 0.3, 0.0]
    times = np.array([_time_to_reach(a, theta0, omega) for a in angles])
    want = np.array(angles)
    # the first quarter, its mirror images in the half period, then several periods later
    for shift, sign, mirror in [
        (0, 1, False),
        (0.5, -1, True),
        (0.5, -1, False),
        (1.0, 1, True),
        (3.0, 1, False),
        (7.5, -1, True),
    ]:
        t = shift * period + (-times if mirror else times)
        got = p.exact(theta0, t)
        assert np.abs(got - sign * want).max() < 1e-8, (shift, mirror, got - sign * want)
    assert np.all(np.abs(p.exact(theta0, np.linspace(0, 5 * period, 999))) <= theta0)


@pytest.mark.parametrize("delta", [1e-2, 1e-3])
def test_exact_swing_near_the_top_against_integrator(delta):
    from scipy.integrate import solve_ivp

    theta0 = np.pi - delta
    t = np.linspace(0.0, 1.25 * _decimal_period(theta0), 401)
    sol = solve_ivp(
        lambda _t, y: [y[1], -p.GRAVITY * np.sin(y[0])],
        (0.0, t[-1]),
        [theta0, 0.0],
        method="DOP853",
        t_eval=t,
        rtol=1e-13,
        atol=1e-15,
    )
    # the integrator's own error grows near the unstable top (7e-7 at δ = 1e-3)
    assert np.abs(p.exact(theta0, t) - sol.y[0]).max() < 1e-3 * delta


def test_exact_swing_matches_scipy_ellipj_away_from_the_top():
    from scipy.special import ellipj, ellipk

    th0 = np.array([-2.5, -0.3, 0.0, 0.7, 2.0, 3.0])
    t = np.linspace(-3.0, 12.0, 97)
    k = np.sin(th0 / 2)[:, None]
    sn = ellipj(ellipk(k**2) - t * np.sqrt(p.GRAVITY), k**2)[0]
    ref = 2 * np.arcsin(np.clip(k * sn, -1, 1))
    assert np.abs(p.exact(th0, t) - ref).max() < 1e-9


def test_pendulum_accepts_repeated_times():
    """Issue #23: repeated times (documented as allowed) failed inside SciPy."""
    t = [0.0, 0.5, 0.5, 1.0, 1.0]
    out = p.simulate([0.1, 0.5], 0.0, t)
    ref = p.simulate([0.1, 0.5], 0.0, [0.0, 0.5, 1.0])
    assert out.shape == (2, 5, 2)
    assert np.array_equal(out[:, [0, 1, 3]], ref) and np.array_equal(out[:, 2], out[:, 1])


# 50 digits of π for the decimal routes below
_PI_DEC = "3.14159265358979323846264338327950288419716939937510"


def _decimal_period(theta0, length=1.0, gravity=p.GRAVITY):
    """T = 4 √(L/g) · π / (2 AGM(1, cos(θ₀/2))) in 50-digit decimal arithmetic."""
    from decimal import Decimal, localcontext

    with localcontext() as ctx:
        ctx.prec = 50
        half = (Decimal(_PI_DEC) - Decimal(abs(float(theta0)))) / 2  # cos(θ₀/2) = sin(half)
        sin_half, term, j = Decimal(0), half, 1
        while abs(term) > Decimal(10) ** -60:  # the sine's Taylor series
            sin_half += term
            term = -term * half * half / ((2 * j) * (2 * j + 1))
            j += 1
        a, b = Decimal(1), sin_half
        for _ in range(40):
            a, b = (a + b) / 2, (a * b).sqrt()
        big_k = Decimal(_PI_DEC) / (2 * a)
        return float(4 * (Decimal(length) / Decimal(gravity)).sqrt() * big_k)


def _time_to_reach(theta, theta0, omega):
    """Time for the swing released at θ₀ > 0 to first reach θ in [0, θ₀], by quadrature.

    With sin(θ/2) = k sin ψ the time is (1/ω) ∫_0^X dx / √(m₁ + m sin² x),
    X = π/2 - ψ, a smooth integrand whose peak of width √m₁ at x = 0 gets
    break points of its own.
    """
    k, m1 = math.sin(theta0 / 2), math.cos(theta0 / 2) ** 2
    x_end = math.acos(min(1.0, math.sin(theta / 2) / k))  # π/2 - ψ
    width = math.sqrt(m1)
    points = [p for p in width * 10.0 ** np.arange(0, 12) if p < x_end]
    val, _ = integrate.quad(
        lambda x: 1.0 / math.sqrt(m1 + k * k * math.sin(x) ** 2),
        0.0,
        x_end,
        points=points or None,
        epsabs=0.0,
        epsrel=1e-13,
        limit=500,
    )
    return val / omega


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: p.dataset(10**12, horizon=1.0, rng=0), "n"),
        (lambda: p.dataset(3, horizon=1e300, rng=0), "horizon"),
        (lambda: p.simulate(0.1, 1e300, [0.0, 1.0]), "omega0"),
        (lambda: p.simulate(0.1, True, [0.0, 1.0]), "omega0"),
        (lambda: p.period(1.0, gravity=5e-324), "gravity"),
    ],
)
def test_huge_sizes_extreme_values_and_bools_are_refused_quickly(call, match):
    import time

    start = time.perf_counter()
    with pytest.raises((ValueError, TypeError), match=match):
        call()
    assert time.perf_counter() - start < 1.0
