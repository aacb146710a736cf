"""Rules-based generators: a pendulum, a game and a mechanistic cell.

A rules-based generator produces training data from equations or rules rather
than from a model fitted to data. This module holds three of them, each small
enough to check against an exact answer:

* **Physics.** :func:`pendulum` integrates the (damped) pendulum for many
  initial conditions at once; :func:`pendulum_exact` and
  :func:`pendulum_period` are the closed forms of the undamped swing released
  from rest (Jacobi elliptic functions). :func:`fit_step_model` learns a
  one-step map from simulated pairs, the "world model" that the chapter rolls
  out against the equations.
* **Games.** :class:`TicTacToe` states, exact :func:`minimax_value`, UCT Monte
  Carlo tree search (:func:`mcts_policy`) and :func:`self_play`, which turns
  the rules plus a policy into positions labelled with game outcomes.
* **A mechanistic cell.** :func:`telegraph` simulates the two-state promoter
  model exactly with the Gillespie algorithm, all cells advancing together in
  array operations; :func:`telegraph_moments` and :func:`telegraph_pmf` give
  its stationary theory and :func:`fit_telegraph` recovers the rates from
  counts by maximum likelihood.

References
----------
Kocsis, L. & Szepesvári, C. (2006). Bandit based Monte-Carlo planning.
*ECML 2006*, LNCS 4212, 282–293.

Gillespie, D. T. (1977). Exact stochastic simulation of coupled chemical
reactions. *J. Phys. Chem.* 81, 2340–2361.

Peccoud, J. & Ycart, B. (1995). Markovian modeling of gene-product synthesis.
*Theor. Popul. Biol.* 48, 222–234.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np

from ._validate import (
    HUGE,
    RNGLike,
    as_generator,
    check_memory,
    check_work,
    finite_array,
    integer,
    positive_real,
    real,
    reject_bools,
    scaled_array,
)

__all__ = [
    "GRAVITY",
    "PolynomialStepModel",
    "SelfPlayData",
    "TelegraphResult",
    "TicTacToe",
    "count_games",
    "fit_step_model",
    "fit_telegraph",
    "mcts_policy",
    "minimax_value",
    "minimax_values",
    "pendulum",
    "pendulum_dataset",
    "pendulum_energy",
    "pendulum_exact",
    "pendulum_period",
    "position_labels",
    "random_play_outcomes",
    "reachable_states",
    "self_play",
    "telegraph",
    "telegraph_moments",
    "telegraph_pmf",
]

#: Standard gravity in m s⁻², the default for the pendulum.
GRAVITY = 9.80665


# --------------------------------------------------------------------------
# Physics: the pendulum
# --------------------------------------------------------------------------


def _time_grid(t: Any, name: str = "t") -> np.ndarray:
    t = finite_array(name, t, ndim=1, min_size=1)
    if np.any(np.diff(t) < 0):
        raise ValueError(f"{name} must be non-decreasing (the times at which to report the state)")
    return t


def _pendulum_constants(length: float, gravity: float) -> tuple[float, float]:
    length = positive_real("length", length)
    gravity = positive_real("gravity", gravity)
    return length, gravity


def pendulum(
    theta0: Any,
    omega0: Any,
    t: Any,
    *,
    length: float = 1.0,
    gravity: float = GRAVITY,
    damping: Any = 0.0,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> np.ndarray:
    """Integrate the damped pendulum for many initial conditions at once.

    Solves ``θ'' = -(g/L) sin θ - γ θ'`` with SciPy's DOP853 integrator; all
    initial conditions form one state vector, so a single call advances them
    together.

    Parameters
    ----------
    theta0, omega0
        Initial angle (rad) and angular velocity (rad s⁻¹); broadcast against
        each other (and ``damping``) to any shape ``S``.
    t
        Non-decreasing times (s) at which to report the state; the
        integration starts at ``t[0]``.
    length, gravity
        Pendulum length (m) and gravitational acceleration (m s⁻²), positive.
    damping
        Linear damping rate γ (s⁻¹), ≥ 0: one value for all pendulums, or an
        array that gives each its own (broadcast with ``theta0`` and ``omega0``),
        as when the damping of a simulated population is randomised.
    rtol, atol
        Solver tolerances: ``rtol`` in (0, 1), ``atol`` > 0 (in the units of the state).

    Returns
    -------
    numpy.ndarray
        Shape ``S + (len(t), 2)``: angle and angular velocity at each time.
    """
    from scipy.integrate import solve_ivp

    length, gravity = _pendulum_constants(length, gravity)
    gam = scaled_array("damping", damping)
    if np.any(gam < 0):
        raise ValueError(f"damping must be >= 0 (a rate in s^-1), got a minimum of {gam.min()}")
    # a relative tolerance of 1 or more allows errors as large as the state itself
    # (SciPy raises an rtol below 100 · machine epsilon to that value, with a warning)
    rtol = real("rtol", rtol, minimum=1e-13, maximum=1.0, open_max=True)
    atol = positive_real("atol", atol)
    th = scaled_array("theta0", theta0)
    om = scaled_array("omega0", omega0)
    try:
        th, om, gam = np.broadcast_arrays(th, om, gam)
    except ValueError:
        raise ValueError(
            f"theta0, omega0 and damping must broadcast together, got shapes {th.shape}, "
            f"{om.shape} and {gam.shape}"
        ) from None
    t = _time_grid(t)
    # the solver resolves every swing (or turn): its steps grow with the fastest rate (heavy
    # damping is stiff, and the implicit solver below takes the slow time scale instead)
    rate = np.sqrt(gravity / length) + float(np.max(np.abs(om)))
    check_work(
        "t, omega0, length, gravity",
        th.size * (rate * (t[-1] - t[0]) + 1.0) * 1e3 * np.log10(1.0 / rtol),
        what="solver steps × pendulums",
    )
    shape = th.shape
    n = th.size
    y0 = np.concatenate([th.ravel(), om.ravel()])
    w2 = gravity / length
    damping = gam.ravel().copy()  # one rate per pendulum
    top = float(damping.max()) if n else 0.0

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        theta, omega = y[:n], y[n:]
        return np.concatenate([omega, -w2 * np.sin(theta) - damping * omega])

    def jac(_t: float, y: np.ndarray) -> Any:
        from scipy import sparse

        eye = sparse.identity(n, format="csc")
        return sparse.block_array(
            [[None, eye], [sparse.diags(-w2 * np.cos(y[:n])), sparse.diags(-damping)]],
            format="csc",
        )

    # Heavy damping (γ ≫ √(g/L)) makes the system stiff: the velocity relaxes on the time
    # scale 1/γ and an explicit solver would need about γ · (t_end - t_0) steps. An implicit
    # method with the exact (sparse) Jacobian takes the slow time scale instead.
    stiff = top**2 > 100.0 * w2 and top * (t[-1] - t[0]) > 1e4
    if t[-1] == t[0]:
        states = np.repeat(y0[:, None], t.size, axis=1)
    else:
        # repeated times are allowed: solve at the distinct ones and copy the state back
        distinct, back = np.unique(t, return_inverse=True)
        sol = solve_ivp(
            rhs,
            (t[0], t[-1]),
            y0,
            t_eval=distinct,
            rtol=rtol,
            atol=atol,
            **({"method": "Radau", "jac": jac} if stiff else {"method": "DOP853"}),
        )
        if not sol.success:  # pragma: no cover - neither solver fails on this smooth system
            raise RuntimeError(f"pendulum integration failed: {sol.message}")
        states = sol.y[:, np.ravel(back)]
    out = np.stack([states[:n], states[n:]], axis=-1)  # (n, len(t), 2)
    return out.reshape(shape + (t.size, 2))


def pendulum_energy(
    theta: Any, omega: Any, *, length: float = 1.0, gravity: float = GRAVITY
) -> np.ndarray:
    """Mechanical energy per unit mass, ``½ L² ω² + g L (1 - cos θ)`` (J kg⁻¹).

    Conserved by the undamped pendulum; the zero is the bob at rest at the bottom.
    """
    length, gravity = _pendulum_constants(length, gravity)
    theta = finite_array("theta", theta)
    omega = finite_array("omega", omega)
    with np.errstate(over="ignore"):
        out = 0.5 * length**2 * omega**2 + gravity * length * (1.0 - np.cos(theta))
    if not np.all(np.isfinite(out)):
        raise ValueError("omega, length and gravity are too large: the energy overflows float64")
    return out


def _amplitude(theta0: Any) -> np.ndarray:
    th = finite_array("theta0", theta0)
    if np.any(np.abs(th) >= np.pi):
        raise ValueError("theta0 must lie in (-π, π): a pendulum released at ±π never swings")
    return th


def _half_angle_terms(th: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``k = sin(θ₀/2)``, ``m = k²`` and ``m₁ = 1 - m = cos²(θ₀/2)``, each to full precision.

    Near the top (θ₀ → ±π) the complement ``m₁`` is computed from the cosine,
    not as ``1 - m``, which would keep none of its digits.
    """
    k = np.sin(th / 2.0)
    return k, k**2, np.cos(th / 2.0) ** 2


def _jacobi_sn_dn(u: np.ndarray, m: np.ndarray, m1: np.ndarray) -> tuple[np.ndarray, ...]:
    """Jacobi ``sn``, ``cn``, ``dn`` of ``u`` for ``0 ≤ m < 1``, by the AGM and Landen's descent.

    The arithmetic–geometric mean of ``1`` and ``√m₁`` (Abramowitz & Stegun
    16.4) takes ``m₁`` itself, so it keeps its accuracy as ``m → 1`` (where
    :func:`scipy.special.ellipj` switches to a non-periodic approximation).
    ``dn`` comes from ``dn² = m₁ + m cn²``, a sum of two non-negative terms.
    """
    a, b, c = np.ones_like(m1), np.sqrt(m1), np.sqrt(m)
    a_list, c_list = [a], [c]
    for _ in range(60):  # quadratic convergence: about 8 steps even for m1 = 1e-300
        if np.all(np.abs(c) <= 1e-17 * a):
            break
        a, b, c = (a + b) / 2.0, np.sqrt(a * b), (a - b) / 2.0
        a_list.append(a)
        c_list.append(c)
    steps = len(a_list) - 1
    phi = (2.0**steps) * a_list[-1] * u
    for j in range(steps, 0, -1):
        phi = 0.5 * (phi + np.arcsin(np.clip(c_list[j] / a_list[j] * np.sin(phi), -1.0, 1.0)))
    sn, cn = np.sin(phi), np.cos(phi)
    dn = np.sqrt(m1 + m * cn**2)
    return sn, cn, dn


def pendulum_period(theta0: Any, *, length: float = 1.0, gravity: float = GRAVITY) -> np.ndarray:
    """Exact period (s) of the undamped pendulum released from rest at ``theta0``.

    ``T = 4 √(L/g) K(m)`` with ``m = sin²(θ₀/2)`` and ``K`` the complete
    elliptic integral of the first kind; for small angles ``T → 2π √(L/g)``.
    ``K`` comes from :func:`scipy.special.ellipkm1` at ``1 - m = cos²(θ₀/2)``,
    so the period keeps its accuracy as θ₀ approaches ±π (where it diverges
    like ``4 √(L/g) log(8 / (π - |θ₀|))``).
    """
    from scipy.special import ellipkm1

    length, gravity = _pendulum_constants(length, gravity)
    th = _amplitude(theta0)
    _, _, m1 = _half_angle_terms(th)
    return 4.0 * np.sqrt(length / gravity) * ellipkm1(m1)


def pendulum_exact(
    theta0: Any, t: Any, *, length: float = 1.0, gravity: float = GRAVITY
) -> np.ndarray:
    """Closed-form angle of the undamped pendulum released from rest.

    ``θ(t) = 2 arcsin(k sn(K(m) - t √(g/L) | m))`` with ``k = sin(θ₀/2)``,
    ``m = k²`` and ``sn`` the Jacobi elliptic sine. The argument is reduced
    modulo the period ``4K`` of ``sn``, and ``sn`` comes from the
    arithmetic–geometric mean with the complementary parameter ``cos²(θ₀/2)``,
    so swings released close to the top (θ₀ = π - 1e-7) stay periodic and
    accurate; the angle is returned as ``2 atan2(k sn, dn)``, which keeps its
    digits at the turning points.

    Parameters
    ----------
    theta0
        Release angles (rad) in (-π, π), any shape ``S``.
    t
        Times (s) since release, 1-D (any order, repeats allowed).

    Returns
    -------
    numpy.ndarray
        Angles of shape ``S + (len(t),)``.
    """
    from scipy.special import ellipkm1

    length, gravity = _pendulum_constants(length, gravity)
    th = _amplitude(theta0)
    t = finite_array("t", t, ndim=1)
    k, m, m1 = (x[..., None] for x in _half_angle_terms(th))
    quarter = ellipkm1(m1)  # K(m)
    u = quarter - t * np.sqrt(gravity / length)
    u = u - 4.0 * quarter * np.round(u / (4.0 * quarter))  # into [-2K, 2K]
    sn, _, dn = _jacobi_sn_dn(u, m, m1)
    return 2.0 * np.arctan2(k * sn, dn)


def pendulum_dataset(
    n: int,
    *,
    horizon: float,
    damping: float = 0.0,
    noise: float = 0.0,
    theta_max: float = 1.0,
    omega_max: float = 1.0,
    length: float = 1.0,
    gravity: float = GRAVITY,
    rng: RNGLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Random initial conditions and the angle the pendulum reaches after ``horizon``.

    Initial angles are uniform on ``[-theta_max, theta_max]`` and angular
    velocities on ``[-omega_max, omega_max]``; targets are the simulated angle
    at ``horizon`` seconds plus Gaussian measurement noise of standard
    deviation ``noise`` (rad).

    Returns
    -------
    X, y
        ``X`` of shape ``(n, 2)`` (θ₀, ω₀) and ``y`` of shape ``(n,)``.
    """
    n = integer("n", n, minimum=1)
    horizon = positive_real("horizon", horizon)
    check_memory("n", 8.0 * n, what="states and their trajectories")
    noise = real("noise", noise, minimum=0.0, maximum=HUGE)
    theta_max = real("theta_max", theta_max, minimum=0.0, maximum=np.pi, open_max=True)
    omega_max = real("omega_max", omega_max, minimum=0.0, maximum=HUGE)
    gen = as_generator(rng)
    X = np.column_stack(
        [gen.uniform(-theta_max, theta_max, n), gen.uniform(-omega_max, omega_max, n)]
    )
    traj = pendulum(
        X[:, 0], X[:, 1], [0.0, horizon], length=length, gravity=gravity, damping=damping
    )
    y = traj[:, -1, 0]
    if noise > 0:
        y = y + gen.normal(0.0, noise, n)
    return X, y


def _monomial_powers(degree: int) -> np.ndarray:
    return np.array([(i, d - i) for d in range(degree + 1) for i in range(d, -1, -1)])


@dataclass(frozen=True)
class PolynomialStepModel:
    """A learned one-step map ``x_{t+Δt} = x_t + Φ(x_t) C`` on the state (θ, ω).

    ``Φ`` holds the monomials ``θ^i ω^j`` with ``i + j ≤ degree``.

    Attributes
    ----------
    degree
        Total degree of the polynomial features.
    powers
        ``(n_terms, 2)`` exponents of θ and ω for each feature.
    coef
        ``(n_terms, 2)`` least-squares coefficients for the change in θ and ω.
    """

    degree: int
    powers: np.ndarray
    coef: np.ndarray

    def features(self, x: np.ndarray) -> np.ndarray:
        """Polynomial features of states ``x`` (shape ``(..., 2)``)."""
        x = np.asarray(x, dtype=float)
        # powers 0..degree of θ and of ω by repeated multiplication (much faster than pow)
        ones = np.ones(x.shape[:-1] + (1,))
        th = np.cumprod(np.concatenate([ones, np.repeat(x[..., :1], self.degree, -1)], -1), -1)
        om = np.cumprod(np.concatenate([ones, np.repeat(x[..., 1:2], self.degree, -1)], -1), -1)
        return th[..., self.powers[:, 0]] * om[..., self.powers[:, 1]]

    def step(self, x: Any) -> np.ndarray:
        """Advance states ``x`` (shape ``(..., 2)``) by one learned step."""
        x = finite_array("x", x)
        if x.shape[-1] != 2:
            raise ValueError(f"x must have a last axis of length 2 (θ, ω), got shape {x.shape}")
        return x + self.features(x) @ self.coef

    def rollout(self, x0: Any, n_steps: int) -> np.ndarray:
        """Apply :meth:`step` ``n_steps`` times; returns shape ``(n_steps + 1,) + x0.shape``."""
        n_steps = integer("n_steps", n_steps, minimum=0)
        x = finite_array("x0", x0)
        if x.shape[-1] != 2:
            raise ValueError(f"x0 must have a last axis of length 2 (θ, ω), got shape {x.shape}")
        out = np.empty((n_steps + 1,) + x.shape)
        out[0] = x
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(n_steps):
                out[k + 1] = out[k] + self.features(out[k]) @ self.coef
        return out


def fit_step_model(states: Any, next_states: Any, *, degree: int = 3) -> PolynomialStepModel:
    """Least-squares fit of a :class:`PolynomialStepModel` to pairs of consecutive states.

    Parameters
    ----------
    states, next_states
        Arrays of shape ``(n, 2)``: the state (θ, ω) and the state one time
        step later, e.g. from :func:`pendulum`.
    degree
        Total degree of the polynomial features (1 to 9).
    """
    degree = integer("degree", degree, minimum=1, maximum=9)
    x = scaled_array("states", states, ndim=2)
    y = scaled_array("next_states", next_states, ndim=2)
    if x.shape[1] != 2 or y.shape != x.shape:
        raise ValueError(
            f"states and next_states must both have shape (n, 2), got {x.shape} and {y.shape}"
        )
    powers = _monomial_powers(degree)
    if x.shape[0] < len(powers):
        raise ValueError(f"states must hold at least {len(powers)} pairs for degree {degree}")
    from threadpoolctl import threadpool_limits

    model = PolynomialStepModel(degree, powers, np.zeros((len(powers), 2)))
    # a problem this small gains nothing from BLAS threads, and on a busy machine their
    # hand-offs can cost a hundred times the arithmetic
    with threadpool_limits(limits=1, user_api="blas"):
        with np.errstate(over="ignore", invalid="ignore"):
            feats = model.features(x)
        if not np.all(np.isfinite(feats)):
            raise ValueError(f"states are too large for degree {degree}: their powers overflow")
        coef, *_ = np.linalg.lstsq(feats, y - x, rcond=None)
    return PolynomialStepModel(degree, powers, coef)


# --------------------------------------------------------------------------
# Games: tic-tac-toe
# --------------------------------------------------------------------------

_LINES = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6))
_CORNERS = (0, 2, 6, 8)
Board = tuple  # nine entries: +1 for X, -1 for O, 0 for empty


@cache
def _winner(board: Board) -> int:
    """+1 or -1 if that player has three in a row, else 0 (no validation)."""
    for a, b, c in _LINES:
        s = board[a] + board[b] + board[c]
        if s == 3:
            return 1
        if s == -3:
            return -1
    return 0


@cache
def _terminal_value(board: Board) -> int | None:
    """Outcome (+1 X wins, -1 O wins, 0 draw) of a finished game, None if play goes on."""
    w = _winner(board)
    if w:
        return w
    if 0 not in board:
        return 0
    return None


@cache
def _to_move(board: Board) -> int:
    return 1 if sum(board) == 0 else -1


@cache
def _children(board: Board) -> tuple[tuple[int, Board], ...]:
    """(move, next board) for every legal move of a non-terminal board."""
    if _terminal_value(board) is not None:
        return ()
    p = _to_move(board)
    return tuple((i, board[:i] + (p,) + board[i + 1 :]) for i in range(9) if board[i] == 0)


def _check_board(board: Any, name: str = "state") -> Board:
    if isinstance(board, TicTacToe):
        return board.board
    if isinstance(board, (str, bytes)):
        raise TypeError(f"{name} must be a TicTacToe or a sequence of 9 cells, got a string")
    try:
        arr = np.asarray(board)
    except ValueError:  # ragged input
        raise TypeError(f"{name} must be a TicTacToe or a sequence of 9 cells") from None
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers +1, -1 or 0, got dtype {arr.dtype}")
    if arr.shape != (9,):
        raise ValueError(f"{name} must have exactly 9 cells, got shape {arr.shape}")
    if not np.all(np.isin(arr, (-1, 0, 1))):
        raise ValueError(f"{name} cells must each be +1 (X), -1 (O) or 0 (empty)")
    cells = tuple(int(v) for v in arr)
    nx, no = cells.count(1), cells.count(-1)
    if nx - no not in (0, 1):
        raise ValueError(
            f"{name} is not a legal position: X moves first, so #X - #O must be 0 or 1, "
            f"got {nx} - {no}"
        )
    x_wins = any(cells[a] + cells[b] + cells[c] == 3 for a, b, c in _LINES)
    o_wins = any(cells[a] + cells[b] + cells[c] == -3 for a, b, c in _LINES)
    if x_wins and o_wins:
        raise ValueError(f"{name} is not a legal position: both players have three in a row")
    if x_wins and nx != no + 1:
        raise ValueError(f"{name} is not a legal position: X has won, so X must have moved last")
    if o_wins and nx != no:
        raise ValueError(f"{name} is not a legal position: O has won, so O must have moved last")
    return cells


@dataclass(frozen=True)
class TicTacToe:
    """A legal tic-tac-toe position.

    Cells are numbered 0–8 row by row; each holds +1 (X), -1 (O) or 0
    (empty). X moves first. Construction validates the position, so an
    instance is always reachable in a real game.

    Attributes
    ----------
    board
        The nine cells as a tuple of ints.
    """

    board: Board = (0,) * 9

    def __post_init__(self) -> None:
        object.__setattr__(self, "board", _check_board(self.board))

    @property
    def player(self) -> int:
        """The player to move, +1 (X) or -1 (O)."""
        return _to_move(self.board)

    @property
    def winner(self) -> int:
        """+1 if X has three in a row, -1 if O has, else 0."""
        return _winner(self.board)

    @property
    def is_terminal(self) -> bool:
        """True when someone has won or the board is full."""
        return _terminal_value(self.board) is not None

    @property
    def outcome(self) -> int | None:
        """Final result from X's side (+1, 0, -1), or None while play goes on."""
        return _terminal_value(self.board)

    def legal_moves(self) -> tuple[int, ...]:
        """Empty cells, or () when the game is over."""
        return tuple(m for m, _ in _children(self.board))

    def play(self, move: int) -> TicTacToe:
        """The position after the player to move takes cell ``move``."""
        move = integer("move", move, minimum=0, maximum=8)
        if self.is_terminal:
            raise ValueError(f"move {move} is illegal: the game is over")
        if self.board[move] != 0:
            raise ValueError(f"move {move} is illegal: cell {move} is already taken")
        return TicTacToe(_children(self.board)[self.legal_moves().index(move)][1])

    def __str__(self) -> str:
        sym = {1: "X", -1: "O", 0: "."}
        return "\n".join("".join(sym[self.board[3 * r + c]] for c in range(3)) for r in range(3))


def _as_state(state: Any) -> TicTacToe:
    return state if isinstance(state, TicTacToe) else TicTacToe(state)


@cache
def _minimax(board: Board) -> int:
    v = _terminal_value(board)
    if v is not None:
        return v
    vals = [_minimax(child) for _, child in _children(board)]
    return max(vals) if _to_move(board) == 1 else min(vals)


def minimax_value(state: Any) -> int:
    """Exact game value under perfect play, from X's side: +1 X wins, 0 draw, -1 O wins.

    Memoised over positions, so the whole game tree is searched once.
    """
    return _minimax(_as_state(state).board)


def minimax_values(boards: Any) -> np.ndarray:
    """:func:`minimax_value` of each row of an ``(n, 9)`` array of legal boards."""
    if isinstance(boards, (str, bytes)):
        raise TypeError("boards must be an (n, 9) array of legal boards, got a string")
    try:
        arr = np.asarray(boards)
    except ValueError:  # ragged input
        raise TypeError("boards must be an (n, 9) array of legal boards") from None
    if arr.ndim != 2 or arr.shape[1] != 9:
        raise ValueError(f"boards must have shape (n, 9), got {arr.shape}")
    return np.array(
        [_minimax(_check_board(row, f"boards[{i}]")) for i, row in enumerate(arr)], dtype=int
    )


def reachable_states() -> list[TicTacToe]:
    """Every position reachable from the empty board in legal play (5 478 of them)."""
    seen: dict[Board, None] = {}
    frontier = [(0,) * 9]
    while frontier:
        nxt: list[Board] = []
        for b in frontier:
            if b in seen:
                continue
            seen[b] = None
            nxt.extend(child for _, child in _children(b))
        frontier = nxt
    return [TicTacToe(b) for b in seen]


@cache
def _n_games(board: Board) -> int:
    if _terminal_value(board) is not None:
        return 1
    return sum(_n_games(child) for _, child in _children(board))


def count_games(state: Any = None) -> int:
    """Number of distinct move sequences from ``state`` (default: empty board) to a game's end."""
    return _n_games(_as_state(TicTacToe() if state is None else state).board)


@cache
def _random_outcomes(board: Board) -> tuple[float, float, float]:
    v = _terminal_value(board)
    if v is not None:
        return (float(v == 1), float(v == 0), float(v == -1))
    kids = _children(board)
    acc = np.zeros(3)
    for _, child in kids:
        acc += _random_outcomes(child)
    return tuple(acc / len(kids))


def random_play_outcomes(state: Any = None) -> np.ndarray:
    """Exact probabilities (X wins, draw, O wins) when both sides play uniformly at random."""
    return np.array(_random_outcomes(_as_state(TicTacToe() if state is None else state).board))


class _Tree:
    """Every reachable position as an integer, with its children, mover and outcome.

    Built once on first use; the search then works on integers and lists,
    which keeps a UCT iteration to a few microseconds.
    """

    def __init__(self) -> None:
        boards = [b.board for b in reachable_states()]
        self.index = {b: i for i, b in enumerate(boards)}
        self.boards = boards
        self.value = [_terminal_value(b) for b in boards]
        self.mover = [-_to_move(b) for b in boards]  # who made the move into the position
        self.children = [tuple(self.index[ch] for _, ch in _children(b)) for b in boards]
        self.moves = [tuple(m for m, _ in _children(b)) for b in boards]


@lru_cache(maxsize=1)
def _tree() -> _Tree:
    return _Tree()


def _uct_search(root: int, n_simulations: int, c: float, rnd: random.Random) -> list[int]:
    """Visit counts of the root's children (in :attr:`_Tree.moves` order) after UCT."""
    tree = _tree()
    children, value, mover = tree.children, tree.value, tree.mover
    rand, log, sqrt = rnd.random, math.log, math.sqrt
    visits: dict[int, int] = {root: 0}
    reward: dict[int, float] = {root: 0.0}
    for _ in range(n_simulations):
        node, path = root, [root]
        # selection: descend while every child has been tried, then expand one
        while True:
            kids = children[node]
            if not kids:
                break
            untried = [ch for ch in kids if ch not in visits]
            if untried:
                node = untried[int(rand() * len(untried))]
                visits[node], reward[node] = 0, 0.0
                path.append(node)
                break
            log_n = log(visits[node])
            best, best_score = kids[0], -1.0
            for ch in kids:
                n_ch = visits[ch]
                score = reward[ch] / n_ch + c * sqrt(log_n / n_ch)
                if score > best_score:
                    best, best_score = ch, score
            node = best
            path.append(node)
        # rollout: uniform random play to the end
        end = node
        while (v := value[end]) is None:
            kids = children[end]
            end = kids[int(rand() * len(kids))]
        # backpropagation: reward 1 / ½ / 0 for the player who moved into each node
        for n in path:
            visits[n] += 1
            reward[n] += 0.5 * (1.0 + v * mover[n])
    return [visits.get(ch, 0) for ch in children[root]]


def mcts_policy(
    state: Any,
    n_simulations: int,
    *,
    rng: RNGLike = None,
    exploration: float = 1.0,
) -> np.ndarray:
    """Move probabilities from UCT Monte Carlo tree search with random rollouts.

    Each simulation descends the tree by the UCB1 rule (mean reward plus
    ``exploration · √(ln N / n)``; 1 by default, below the textbook √2,
    which explores too much for searches this small), expands one new position, plays uniformly
    at random to the end and backs the result up (win 1, draw ½, loss 0 for
    the player who made each move). The policy is the share of root visits
    each move received.

    Parameters
    ----------
    state
        A non-terminal :class:`TicTacToe` position (or its 9 cells).
    n_simulations
        Number of search iterations, ≥ 1.
    rng
        Seed or Generator for the random choices.
    exploration
        UCB1 exploration constant, ≥ 0.

    Returns
    -------
    numpy.ndarray
        Length-9 probabilities, zero on illegal moves.

    References
    ----------
    Kocsis & Szepesvári (2006), Bandit based Monte-Carlo planning.
    """
    s = _as_state(state)
    if s.is_terminal:
        raise ValueError("state must be a position where a move is possible; the game is over")
    n_simulations = integer("n_simulations", n_simulations, minimum=1)
    check_work("n_simulations", n_simulations * 1e4, what="tree-search simulations")
    exploration = real("exploration", exploration, minimum=0.0)
    gen = as_generator(rng)
    rnd = random.Random(int(gen.integers(2**63)))
    tree = _tree()
    root = tree.index[s.board]
    p = np.zeros(9)
    p[list(tree.moves[root])] = _uct_search(root, n_simulations, exploration, rnd)
    return p / p.sum()


PolicyLike = str | Callable[[TicTacToe, np.random.Generator], int]


def _corner_move(board: Board, rnd: random.Random) -> int:
    kids = _children(board)
    corners = [m for m, _ in kids if m in _CORNERS]
    pool = corners or [m for m, _ in kids]
    return pool[int(rnd.random() * len(pool))]


@dataclass(frozen=True)
class SelfPlayData:
    """Positions from self-play games, each labelled with its game's outcome.

    Attributes
    ----------
    boards
        ``(n_positions, 9)`` int8 boards: every position in which a move was
        made (terminal positions are not included).
    outcomes
        ``(n_positions,)`` final result of the position's game from X's side
        (+1 X won, 0 draw, -1 O won): the training label.
    game
        ``(n_positions,)`` index of the game each position comes from.
    ply
        ``(n_positions,)`` number of moves already made in the position.
    game_outcomes
        ``(n_games,)`` final result of each game.
    """

    boards: np.ndarray
    outcomes: np.ndarray
    game: np.ndarray
    ply: np.ndarray
    game_outcomes: np.ndarray


def _resolve_policy(policy: Any, name: str) -> PolicyLike:
    if isinstance(policy, str):
        if policy not in ("mcts", "random", "corners"):
            raise ValueError(
                f"{name} must be 'mcts', 'random', 'corners' or a callable, got {policy!r}"
            )
        return policy
    if callable(policy):
        return policy
    raise TypeError(
        f"{name} must be 'mcts', 'random', 'corners' or a callable, got {type(policy).__name__}"
    )


def self_play(
    n_games: int,
    n_simulations: int,
    *,
    rng: RNGLike = None,
    policy: Any = "mcts",
    temperature: float = 0.0,
    exploration: float = 1.0,
) -> SelfPlayData:
    """Play games under the rules and label every position with the game's outcome.

    Parameters
    ----------
    n_games
        Number of games, ≥ 1.
    n_simulations
        UCT iterations per move for the ``"mcts"`` policy, ≥ 1.
    rng
        Seed or Generator; the whole data set is reproducible from it.
    policy
        How moves are chosen: ``"mcts"`` (sample from :func:`mcts_policy`),
        ``"random"`` (uniform over legal moves), ``"corners"`` (a free corner
        if there is one, else any cell, uniformly), or a callable
        ``f(state, rng) -> move``. A pair ``(policy_x, policy_o)`` gives each
        side its own.
    temperature
        For ``"mcts"``: moves are sampled with probability proportional to
        ``visits ** (1 / temperature)``; ``0`` (the default) plays the most
        visited move, ties broken at random.
    exploration
        UCB1 exploration constant of the search, ≥ 0.

    Returns
    -------
    SelfPlayData
    """
    n_games = integer("n_games", n_games, minimum=1)
    n_simulations = integer("n_simulations", n_simulations, minimum=1)
    check_work(
        "n_games, n_simulations",
        n_games * 9.0 * (n_simulations + 1) * 1e4,
        what="games × moves × tree-search simulations",
    )
    temperature = real("temperature", temperature, minimum=0.0)
    exploration = real("exploration", exploration, minimum=0.0)
    if isinstance(policy, tuple):
        if len(policy) != 2:
            raise ValueError(
                f"policy given as a tuple must be (policy_x, policy_o), got {len(policy)} items"
            )
        pol = {
            1: _resolve_policy(policy[0], "policy[0]"),
            -1: _resolve_policy(policy[1], "policy[1]"),
        }
    else:
        p = _resolve_policy(policy, "policy")
        pol = {1: p, -1: p}
    gen = as_generator(rng)
    rnd = random.Random(int(gen.integers(2**63)))
    tree = _tree()
    boards: list[Board] = []
    game_idx: list[int] = []
    plies: list[int] = []
    results: list[int | None] = []
    for g in range(n_games):
        board: Board = (0,) * 9
        ply = 0
        start = len(boards)
        while _terminal_value(board) is None:
            boards.append(board)
            plies.append(ply)
            who = pol[_to_move(board)]
            if who == "random":
                kids = _children(board)
                move = kids[int(rnd.random() * len(kids))][0]
            elif who == "corners":
                move = _corner_move(board, rnd)
            elif who == "mcts":
                root = tree.index[board]
                moves = tree.moves[root]
                v = np.array(_uct_search(root, n_simulations, exploration, rnd), dtype=float)
                if temperature == 0:
                    best = [m for m, c in zip(moves, v) if c == v.max()]
                    move = best[int(rnd.random() * len(best))]
                else:
                    cum = np.cumsum((v / v.max()) ** (1.0 / temperature))
                    move = moves[int(np.searchsorted(cum, rnd.random() * cum[-1], side="right"))]
            else:
                # _resolve_policy admits only the three names above or a callable
                assert not isinstance(who, str)
                move = who(TicTacToe(board), gen)
                if (
                    not isinstance(move, (int, np.integer))
                    or not 0 <= move <= 8
                    or board[move] != 0
                ):
                    raise ValueError(
                        f"policy returned an illegal move {move!r} in position {board}"
                    )
                move = int(move)
            board = board[:move] + (_to_move(board),) + board[move + 1 :]
            ply += 1
        result = _terminal_value(board)
        results.append(result)
        game_idx.extend([g] * (len(boards) - start))
    game_outcomes = np.array(results, dtype=int)
    game_idx_arr = np.array(game_idx, dtype=int)
    return SelfPlayData(
        boards=np.array(boards, dtype=np.int8),
        outcomes=game_outcomes[game_idx_arr],
        game=game_idx_arr,
        ply=np.array(plies, dtype=int),
        game_outcomes=game_outcomes,
    )


def position_labels(data: SelfPlayData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Average the outcome labels of each distinct position in a self-play data set.

    This is the value table a learner would fit to the data in the limit of
    a flexible model: for each position, the mean outcome of the games that
    passed through it.

    Returns
    -------
    boards, labels, counts
        Distinct boards ``(k, 9)``, their mean outcome labels ``(k,)`` and
        how many times each occurs in the data ``(k,)``.
    """
    if not isinstance(data, SelfPlayData):
        raise TypeError(f"data must be a SelfPlayData, got {type(data).__name__}")
    uniq, inverse, counts = np.unique(data.boards, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    labels = np.bincount(inverse, weights=data.outcomes, minlength=len(uniq)) / counts
    return uniq, labels, counts


# --------------------------------------------------------------------------
# A mechanistic cell: the telegraph model of transcription
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TelegraphResult:
    """Output of :func:`telegraph`.

    Attributes
    ----------
    counts
        ``(n_cells,)`` mRNA copies per cell at ``t_end``.
    promoter_on
        ``(n_cells,)`` whether each promoter is on at ``t_end``.
    n_events
        ``(n_cells,)`` number of reactions each cell went through.
    record_times
        The times at which the trajectory was recorded (empty if none).
    trajectory
        ``(n_cells, len(record_times))`` mRNA counts at ``record_times``.
    """

    counts: np.ndarray
    promoter_on: np.ndarray
    n_events: np.ndarray
    record_times: np.ndarray
    trajectory: np.ndarray


def _rates(k_on: float, k_off: float, k_tx: float, k_deg: float) -> tuple[float, ...]:
    return (
        positive_real("k_on", k_on),
        positive_real("k_off", k_off),
        positive_real("k_tx", k_tx),
        positive_real("k_deg", k_deg),
    )


#: Largest ``k_tx / k_deg`` the stationary theory evaluates: its series has about that many
#: terms, so memory and time grow with it (a million copies is far beyond any real gene).
_MAX_TX_RATIO = 1e6


def _theory_rates(k_on: float, k_off: float, k_tx: float, k_deg: float) -> tuple[float, ...]:
    rates = _rates(k_on, k_off, k_tx, k_deg)
    if rates[2] / rates[3] > _MAX_TX_RATIO:
        raise ValueError(
            f"k_tx / k_deg must be ≤ {_MAX_TX_RATIO:g} for the stationary theory (the mean mRNA "
            f"count of an always-on promoter), got {rates[2] / rates[3]:g}"
        )
    return rates


def telegraph(
    k_on: float,
    k_off: float,
    k_tx: float,
    k_deg: float,
    *,
    n_cells: int,
    t_end: float,
    rng: RNGLike = None,
    record_times: Any = None,
    max_events: int = 10_000_000,
) -> TelegraphResult:
    """Exact stochastic simulation of the two-state (telegraph) promoter model.

    Each cell's promoter switches off → on at rate ``k_on`` and on → off at
    rate ``k_off``; an active promoter makes mRNA at rate ``k_tx``; each mRNA
    decays at rate ``k_deg``. Cells start with the promoter off and no mRNA
    at time 0. The Gillespie direct method is run for all cells at once: each
    pass of the loop draws one waiting time and one reaction for every cell
    still running (array operations), so the loop runs over events, never
    over cells.

    Parameters
    ----------
    k_on, k_off, k_tx, k_deg
        Positive rates (per unit time).
    n_cells
        Number of independent cells, ≥ 1.
    t_end
        Time at which the counts are read, > 0. Choose it several times
        ``1/k_deg`` and ``1/(k_on + k_off)`` to reach the stationary state.
    rng
        Seed or Generator.
    record_times
        Optional non-decreasing times in ``[0, t_end]`` at which to record
        every cell's count.
    max_events
        Safety cap on the number of passes of the event loop.

    Returns
    -------
    TelegraphResult

    References
    ----------
    Gillespie (1977); Peccoud & Ycart (1995).
    """
    k_on, k_off, k_tx, k_deg = _rates(k_on, k_off, k_tx, k_deg)
    n_cells = integer("n_cells", n_cells, minimum=1)
    t_end = positive_real("t_end", t_end)
    max_events = integer("max_events", max_events, minimum=1)
    # events per cell: promoter switches, and transcripts made and degraded (≤ k_tx t_end each)
    per_cell = t_end * (2.0 * k_on * k_off / (k_on + k_off) + 2.0 * k_tx * k_on / (k_on + k_off))
    check_work(
        "n_cells, t_end, k_tx",
        n_cells * (per_cell + 1.0),
        what="about (switches + 2 · transcripts) per cell",
    )
    gen = as_generator(rng)
    if record_times is None:
        rec = np.empty(0)
    else:
        rec = _time_grid(record_times, "record_times")
        if rec[0] < 0 or rec[-1] > t_end:
            raise ValueError(f"record_times must lie in [0, t_end] = [0, {t_end}]")
    check_memory("n_cells, record_times", n_cells * (rec.size + 6.0))
    traj = np.zeros((n_cells, rec.size), dtype=np.int64)
    ptr = np.zeros(n_cells, dtype=np.int64)  # next record time of each cell

    t = np.zeros(n_cells)
    m = np.zeros(n_cells, dtype=np.int64)
    on = np.zeros(n_cells, dtype=bool)
    events = np.zeros(n_cells, dtype=np.int64)
    active = np.arange(n_cells)
    for _ in range(max_events):
        if active.size == 0:
            break
        on_a, m_a = on[active], m[active]
        a_switch = np.where(on_a, k_off, k_on)
        a_tx = np.where(on_a, k_tx, 0.0)
        a_deg = k_deg * m_a
        total = a_switch + a_tx + a_deg
        t_next = t[active] + gen.exponential(1.0, active.size) / total
        # record the current state at every record time before the next event
        if rec.size:
            t_stop = np.minimum(t_next, np.nextafter(t_end, np.inf))
            pending = np.flatnonzero(ptr[active] < rec.size)
            while pending.size:
                cells = active[pending]
                due = rec[ptr[cells]] < t_stop[pending]
                if not due.any():
                    break
                cells, sel = cells[due], pending[due]
                traj[cells, ptr[cells]] = m_a[sel]
                ptr[cells] += 1
                pending = sel[ptr[cells] < rec.size]
        done = t_next > t_end
        go = ~done
        idx = active[go]
        u = gen.random(idx.size) * total[go]
        s_sw, s_tx = a_switch[go], a_tx[go]
        is_switch = u < s_sw
        is_tx = ~is_switch & (u < s_sw + s_tx)
        is_deg = ~is_switch & ~is_tx
        on[idx[is_switch]] = ~on[idx[is_switch]]
        m[idx[is_tx]] += 1
        m[idx[is_deg]] -= 1
        t[idx] = t_next[go]
        events[idx] += 1
        active = idx
    else:
        raise ValueError(
            f"max_events = {max_events} passes of the event loop did not reach t_end = {t_end:g} "
            f"(about {per_cell:.3g} events per cell are expected); raise max_events"
        )
    return TelegraphResult(
        counts=m, promoter_on=on, n_events=events, record_times=rec, trajectory=traj
    )


def telegraph_moments(k_on: float, k_off: float, k_tx: float, k_deg: float) -> dict[str, float]:
    """Stationary mean, variance, Fano factor and zero fraction of the telegraph model.

    ``mean = k_tx k_on / ((k_on + k_off) k_deg)``,
    ``Fano = 1 + k_tx k_off / ((k_on + k_off)(k_on + k_off + k_deg))`` and
    ``P(0) = ₁F₁(a; a + b; -K)`` with ``a = k_on/k_deg``, ``b = k_off/k_deg``,
    ``K = k_tx/k_deg`` (the Poisson–beta representation), which must be at most 10⁶.

    Returns
    -------
    dict
        Keys ``"mean"``, ``"variance"``, ``"fano"``, ``"p_zero"``,
        ``"burst_size"`` (``k_tx/k_off``) and ``"burst_frequency"`` (``k_on``).
    """
    k_on, k_off, k_tx, k_deg = _theory_rates(k_on, k_off, k_tx, k_deg)
    s = k_on + k_off
    mean = k_tx * k_on / (s * k_deg)
    fano = 1.0 + k_tx * k_off / (s * (s + k_deg))
    a, b, big_k = k_on / k_deg, k_off / k_deg, k_tx / k_deg
    # Kummer's transformation keeps the series positive: 1F1(a; c; -K) = e^-K 1F1(c - a; c; K)
    p_zero = float(np.exp(_log_scaled_kummer(b, a + b, big_k)))
    return {
        "mean": mean,
        "variance": fano * mean,
        "fano": fano,
        "p_zero": p_zero,
        "burst_size": k_tx / k_off,
        "burst_frequency": k_on,
    }


# Above this K = k_tx/k_deg, e^-K 1F1(b; c; K) is summed in log space instead of
# calling scipy's hyp1f1, whose value overflows long before the product does.
_KUMMER_DIRECT_LIMIT = 300.0


def _log_scaled_kummer(b: float, c: Any, big_k: float) -> np.ndarray:
    """log(e^-K ₁F₁(b; c; K)) for b > 0, c > 0, K > 0, stable for large K."""
    from scipy.special import gammaln, hyp1f1, logsumexp

    c = np.asarray(c, dtype=float)
    if big_k <= _KUMMER_DIRECT_LIMIT:
        return np.log(hyp1f1(b, c, big_k)) - big_k
    # the series' terms peak near j ≈ K and are negligible beyond K + 40√K
    j = np.arange(int(big_k + 40.0 * np.sqrt(big_k) + 50.0))[:, None]
    shared = gammaln(b + j) - gammaln(b) + j * np.log(big_k) - gammaln(j + 1.0)
    flat = c.ravel()
    out = np.empty(flat.size)
    step = max(1, 2_000_000 // j.size)  # bound the work array to about 16 MB
    for start in range(0, flat.size, step):
        cc = flat[start : start + step]
        out[start : start + step] = logsumexp(shared + gammaln(cc) - gammaln(cc + j), axis=0)
    return (out - big_k).reshape(c.shape)


def _log_pmf(n: np.ndarray, a: float, b: float, big_k: float) -> np.ndarray:
    from scipy.special import gammaln

    n = np.asarray(n, dtype=float)
    flat = n.ravel()
    values, inverse = np.unique(flat, return_inverse=True)
    kummer = _log_scaled_kummer(b, a + b + values, big_k)[inverse].reshape(n.shape)
    return (
        n * np.log(big_k)
        - gammaln(n + 1)
        + gammaln(a + n)
        - gammaln(a)
        + gammaln(a + b)
        - gammaln(a + b + n)
        + kummer
    )


def telegraph_pmf(n: Any, k_on: float, k_off: float, k_tx: float, k_deg: float) -> np.ndarray:
    """Stationary probability of ``n`` mRNA copies in the telegraph model.

    ``P(n) = K^n/n! · (a)_n/(a+b)_n · ₁F₁(a+n; a+b+n; -K)``, the Poisson–beta
    mixture of Peccoud & Ycart (1995), evaluated in logs with Kummer's
    transformation.

    Parameters
    ----------
    n
        Non-negative whole counts, any shape.
    k_on, k_off, k_tx, k_deg
        Positive rates, with ``k_tx / k_deg ≤ 10⁶``.
    """
    k_on, k_off, k_tx, k_deg = _theory_rates(k_on, k_off, k_tx, k_deg)
    reject_bools("n", n)
    arr = finite_array("n", n)
    if np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise ValueError("n must be non-negative whole numbers (mRNA counts)")
    return np.exp(_log_pmf(arr, k_on / k_deg, k_off / k_deg, k_tx / k_deg))


def _moment_rates_from_factorial(f1: float, f2: float, f3: float) -> np.ndarray | None:
    """Rates ``(a, b, K) = (k_on, k_off, k_tx) / k_deg`` from the first three factorial moments.

    The stationary counts are Poisson with a Beta-scaled rate, so their
    factorial moments are ``E[n(n-1)…(n-r+1)] = K^r (a)_r / (a+b)_r``. The
    ratios ``r1 = f1, r2 = f2/f1, r3 = f3/f2`` solve exactly for ``a, b, K``
    (Peccoud & Ycart 1995). Returns None when there is no positive, finite
    solution (e.g. counts less dispersed than a Poisson distribution).
    """
    if not (f1 > 0 and f2 > 0 and f3 > 0):
        return None
    r1, r2, r3 = f1, f2 / f1, f3 / f2
    den = r1 * r2 - 2 * r1 * r3 + r2 * r3
    curv = r1 - 2 * r2 + r3
    if den == 0 or curv == 0:
        return None
    rates = np.array(
        [
            2 * r1 * (r3 - r2) / den,
            2 * (r2 - r1) * (r1 - r3) * (r3 - r2) / (den * curv),
            (2 * r1 * r3 - r1 * r2 - r2 * r3) / curv,
        ]
    )
    return rates if bool(np.all(np.isfinite(rates)) and np.all(rates > 0)) else None


def _moment_rates(x: np.ndarray) -> np.ndarray | None:
    """Method-of-moments rates ``(k_on, k_off, k_tx) / k_deg`` from a sample of counts, or None."""
    return _moment_rates_from_factorial(
        float(np.mean(x)), float(np.mean(x * (x - 1))), float(np.mean(x * (x - 1) * (x - 2)))
    )


def fit_telegraph(counts: Any, *, k_deg: float = 1.0) -> dict[str, float]:
    """Maximum-likelihood rates ``k_on, k_off, k_tx`` of the telegraph model from counts.

    The decay rate sets the time unit and is not identifiable from a
    snapshot, so it is given. The likelihood is the stationary
    :func:`telegraph_pmf`; the optimiser (Nelder–Mead on log rates) starts
    from the method-of-moments estimates, which solve the first three
    factorial moments of the counts exactly for the three rates. When the
    sample's moments admit no positive solution, it starts instead from the
    bursty limit: burst frequency ``mean / (Fano − 1)``, ``k_off = 10 k_deg``
    and burst size ``Fano − 1``.

    Parameters
    ----------
    counts
        1-D mRNA counts of independent cells (at least 10, not all equal).
    k_deg
        Known decay rate.

    Returns
    -------
    dict
        ``"k_on"``, ``"k_off"``, ``"k_tx"`` and the maximised mean
        ``"log_likelihood"`` per cell.
    """
    from scipy.optimize import minimize

    k_deg = positive_real("k_deg", k_deg)
    reject_bools("counts", counts)
    x = finite_array("counts", counts, ndim=1, min_size=10)
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("counts must be non-negative whole numbers")
    values, freq = np.unique(x, return_counts=True)
    if values.size < 2:
        raise ValueError(
            "counts must not all be equal: a constant sample has no information on the rates"
        )
    w = freq / freq.sum()
    moments = _moment_rates(x)
    if moments is not None:
        start = np.log(np.clip(moments, 1e-3, 0.5 * _MAX_TX_RATIO) * k_deg)
    else:  # bursty limit: burst frequency from mean and Fano, burst size Fano - 1
        mean, var = float(x.mean()), float(x.var())
        fano = max(var / max(mean, 1e-9), 1.05)
        start = np.log(
            [max(mean / (fano - 1.0), 1e-2) * k_deg, 10.0 * k_deg, (fano - 1.0) * 10.0 * k_deg]
        )

    def nll(log_r: np.ndarray) -> float:
        a, b, big_k = np.exp(log_r) / k_deg
        if not big_k <= _MAX_TX_RATIO:  # beyond the theory's range (and any plausible fit)
            return 1e10
        with np.errstate(all="ignore"):
            lp = _log_pmf(values, a, b, big_k)
        if not np.all(np.isfinite(lp)):
            return 1e10
        return -float(w @ lp)

    best = minimize(
        nll,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 4000, "maxfev": 8000},
    )
    k_on, k_off, k_tx = np.exp(best.x)
    return {
        "k_on": float(k_on),
        "k_off": float(k_off),
        "k_tx": float(k_tx),
        "log_likelihood": float(-best.fun),
    }
