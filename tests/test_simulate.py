"""Rules-based generators against closed forms, published counts and exact search."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy import stats as sps

from synthbio import simulate as s
from synthbio.stats import mean_se

# ---------------------------------------------------------------- pendulum


def test_undamped_pendulum_conserves_energy_to_solver_tolerance():
    th0 = np.array([0.1, 1.0, 2.5, -3.0])
    om0 = np.array([0.0, 2.0, -1.0, 0.5])
    t = np.linspace(0, 20, 401)
    traj = s.pendulum(th0, om0, t)
    assert traj.shape == (4, 401, 2)
    e = s.pendulum_energy(traj[..., 0], traj[..., 1])
    drift = np.abs(e / e[:, :1] - 1).max()
    assert drift < 1e-8


def test_damped_pendulum_loses_energy_monotonically():
    traj = s.pendulum(1.0, 0.0, np.linspace(0, 10, 200), damping=0.4)
    e = s.pendulum_energy(traj[:, 0], traj[:, 1])
    assert np.all(np.diff(e) <= 1e-12)
    assert e[-1] < 0.1 * e[0]


def test_small_oscillation_matches_linear_damped_solution():
    # θ'' + γθ' + w²θ = 0 for small θ: underdamped closed form
    g, L, gam, th0 = 9.81, 2.0, 0.3, 1e-4
    w2 = g / L
    wd = math.sqrt(w2 - gam**2 / 4)
    t = np.linspace(0, 8, 50)
    lin = th0 * np.exp(-gam * t / 2) * (np.cos(wd * t) + gam / (2 * wd) * np.sin(wd * t))
    got = s.pendulum(th0, 0.0, t, length=L, gravity=g, damping=gam)[:, 0]
    assert np.abs(got - lin).max() < 1e-4 * th0  # O(θ³) nonlinearity only


def test_period_and_exact_solution_agree_with_integrator():
    th0 = np.array([0.2, 1.5, 3.0])
    period = s.pendulum_period(th0)
    assert period[0] == pytest.approx(2 * np.pi * np.sqrt(1 / s.GRAVITY), rel=3e-3)
    # integrate the period by quadrature of dt = dθ / ω(θ) as a second route
    for a, T in zip(th0, period):
        k = np.sin(a / 2)
        quad = (
            4
            * np.sqrt(1 / s.GRAVITY)
            * integrate.quad(lambda u, k=k: 1.0 / np.sqrt(1 - (k * np.sin(u)) ** 2), 0, np.pi / 2)[
                0
            ]
        )
        assert T == pytest.approx(quad, rel=1e-10)
    t = np.linspace(0, 10, 301)
    exact = s.pendulum_exact(th0, t)
    num = s.pendulum(th0, 0.0, t)[..., 0]
    assert np.abs(exact - num).max() < 1e-7
    back = s.pendulum(th0[0], 0.0, [0.0, period[0]])  # released from rest, back after one period
    assert back[-1, 0] == pytest.approx(th0[0], abs=1e-8)


def test_pendulum_shapes_and_constant_time():
    out = s.pendulum(np.zeros((2, 3)), 1.0, [0.0, 0.5, 1.0])
    assert out.shape == (2, 3, 3, 2)
    still = s.pendulum([0.3], [0.1], [2.0, 2.0])
    assert np.allclose(still[0, :, 0], 0.3)


def test_pendulum_dataset_is_reproducible_and_noisy():
    X1, y1 = s.pendulum_dataset(50, horizon=1.0, noise=0.1, rng=3)
    X2, y2 = s.pendulum_dataset(50, horizon=1.0, noise=0.1, rng=3)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    clean = s.pendulum(X1[:, 0], X1[:, 1], [0, 1.0])[:, -1, 0]
    resid = y1 - clean
    assert 0.05 < resid.std() < 0.2
    assert np.all(np.abs(X1[:, 0]) <= 1.0)


def test_step_model_recovers_a_linear_map_exactly():
    rng = np.random.default_rng(0)
    A = np.array([[0.9, 0.1], [-0.2, 0.95]])
    x = rng.normal(size=(100, 2))
    m = s.fit_step_model(x, x @ A.T, degree=1)
    assert np.allclose(m.step(x), x @ A.T, atol=1e-12)
    roll = m.rollout(x[:3], 4)
    assert roll.shape == (5, 3, 2)
    assert np.allclose(roll[-1], x[:3] @ np.linalg.matrix_power(A, 4).T, atol=1e-12)


def test_step_model_learns_pendulum_one_step():
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.uniform(-1, 1, 500), rng.uniform(-2, 2, 500)])
    nxt = s.pendulum(x[:, 0], x[:, 1], [0, 0.05])[:, -1]
    m = s.fit_step_model(x, nxt, degree=5)
    assert np.abs(m.step(x) - nxt).max() < 1e-4


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
        s.pendulum(0.1, 0.0, [0, 1], **kwargs)


def test_pendulum_rejects_bad_inputs():
    with pytest.raises(ValueError, match="t must be non-decreasing"):
        s.pendulum(0.1, 0.0, [1.0, 0.0])
    with pytest.raises(ValueError, match="theta0"):
        s.pendulum(np.nan, 0.0, [0, 1])
    with pytest.raises(ValueError, match="broadcast"):
        s.pendulum([0.1, 0.2], [0.0, 0.1, 0.2], [0, 1])
    with pytest.raises(ValueError, match="theta0"):
        s.pendulum_period(np.pi)
    with pytest.raises(TypeError, match="n"):
        s.pendulum_dataset(10.0, horizon=1.0)
    with pytest.raises(ValueError, match="horizon"):
        s.pendulum_dataset(10, horizon=0.0)
    with pytest.raises(ValueError, match="states"):
        s.fit_step_model(np.zeros((10, 3)), np.zeros((10, 3)))
    with pytest.raises(ValueError, match="degree"):
        s.fit_step_model(np.zeros((10, 2)), np.zeros((10, 2)), degree=0)
    m = s.fit_step_model(np.random.default_rng(0).normal(size=(20, 2)), np.zeros((20, 2)), degree=1)
    with pytest.raises(ValueError, match="n_steps"):
        m.rollout([0.0, 0.0], -1)
    with pytest.raises(ValueError, match="x0"):
        m.rollout([0.0, 0.0, 0.0], 2)


# ---------------------------------------------------------------- tic-tac-toe


def test_tictactoe_has_5478_positions_and_is_a_draw():
    states = s.reachable_states()
    assert len(states) == 5478  # published count of legal reachable positions
    assert len({st.board for st in states}) == 5478
    assert s.minimax_value(s.TicTacToe()) == 0
    assert s.count_games() == 255_168  # published number of distinct games


def test_random_play_outcomes_match_published_game_counts_and_simulation():
    p = s.random_play_outcomes()
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    # the exact rationals under uniform random play: X wins 737/1260, draw 8/63
    assert p[0] == pytest.approx(737 / 1260, abs=1e-12)
    assert p[1] == pytest.approx(8 / 63, abs=1e-12)
    d = s.self_play(3000, 1, policy="random", rng=5)
    freq = np.array([(d.game_outcomes == v).mean() for v in (1, 0, -1)])
    se = np.sqrt(p * (1 - p) / 3000)
    assert np.all(np.abs(freq - p) < 4 * se)


def test_state_properties_and_moves():
    st0 = s.TicTacToe()
    assert st0.player == 1 and st0.legal_moves() == tuple(range(9)) and not st0.is_terminal
    st1 = st0.play(4)
    assert st1.board[4] == 1 and st1.player == -1 and 4 not in st1.legal_moves()
    won = s.TicTacToe((1, 1, 1, -1, -1, 0, 0, 0, 0))
    assert won.winner == 1 and won.is_terminal and won.outcome == 1 and won.legal_moves() == ()
    assert s.minimax_value(won) == 1
    draw = s.TicTacToe((1, -1, 1, 1, -1, -1, -1, 1, 1))
    assert draw.outcome == 0 and draw.winner == 0
    assert str(st1).splitlines()[1] == ".X."


@pytest.mark.parametrize(
    "board, match",
    [
        ((1, 1, 0, 0, 0, 0, 0, 0, 0), "#X - #O"),
        ((-1, 0, 0, 0, 0, 0, 0, 0, 0), "#X - #O"),
        ((1, 1, 1, -1, -1, -1, 0, 0, 0), "both players"),
        ((1, 1, 1, -1, -1, -1, 1, 0, -1), "both players"),
        ((1, 1, 1, -1, -1, 0, -1, 0, 0), "X has won"),
        ((-1, -1, -1, 1, 1, 0, 1, 1, 0), "O has won"),
        ((2, 0, 0, 0, 0, 0, 0, 0, 0), r"\+1 \(X\), -1 \(O\) or 0"),
        ((0,) * 8, "9 cells"),
    ],
)
def test_invalid_states_raise(board, match):
    with pytest.raises(ValueError, match=match):
        s.TicTacToe(board)


def test_illegal_moves_and_bad_types_raise():
    st1 = s.TicTacToe().play(0)
    with pytest.raises(ValueError, match="already taken"):
        st1.play(0)
    with pytest.raises(ValueError, match="move"):
        st1.play(9)
    with pytest.raises(TypeError, match="move"):
        st1.play(1.0)
    with pytest.raises(ValueError, match="game is over"):
        s.TicTacToe((1, 1, 1, -1, -1, 0, 0, 0, 0)).play(5)
    with pytest.raises(TypeError, match="state"):
        s.TicTacToe("X........")
    with pytest.raises(ValueError, match="game is over"):
        s.mcts_policy((1, 1, 1, -1, -1, 0, 0, 0, 0), 10)
    with pytest.raises(ValueError, match="n_simulations"):
        s.mcts_policy(s.TicTacToe(), 0)
    with pytest.raises(ValueError, match="policy"):
        s.self_play(1, 1, policy="greedy")
    with pytest.raises(TypeError, match="policy"):
        s.self_play(1, 1, policy=3)
    with pytest.raises(ValueError, match="policy"):
        s.self_play(1, 1, policy=lambda state, rng: 0)  # cell 0 is taken on move 2
    with pytest.raises(ValueError, match="n_games"):
        s.self_play(0, 1)
    with pytest.raises(TypeError, match="data"):
        s.position_labels("not data")


def _optimal_moves(state: s.TicTacToe) -> set[int]:
    vals = {m: s.minimax_value(state.play(m)) for m in state.legal_moves()}
    best = max(vals.values()) if state.player == 1 else min(vals.values())
    return {m for m, v in vals.items() if v == best}


@pytest.mark.parametrize(
    "board",
    [
        (1, 1, 0, -1, -1, 0, 0, 0, 0),  # X wins at 2
        (1, -1, 1, 0, 0, 0, 0, 0, 0),  # O must take the centre
        (1, 0, -1, 0, 1, 0, 0, 0, 0),  # O must block at 8
        (1, -1, 0, 0, -1, 0, 1, 0, 0),  # X wins at 3 rather than blocking at 7
    ],
)
def test_mcts_with_many_simulations_picks_a_minimax_optimal_move(board):
    state = s.TicTacToe(board)
    p = s.mcts_policy(state, 3000, rng=0)
    assert p.sum() == pytest.approx(1.0)
    assert np.all(p[[i for i in range(9) if board[i] != 0]] == 0)
    assert int(np.argmax(p)) in _optimal_moves(state)


def test_mcts_is_reproducible():
    a = s.mcts_policy(s.TicTacToe(), 200, rng=7)
    b = s.mcts_policy(s.TicTacToe(), 200, rng=7)
    assert np.array_equal(a, b)


def test_self_play_data_are_consistent_and_strong_play_draws():
    d = s.self_play(6, 1500, rng=1)
    assert d.boards.shape == (len(d.outcomes), 9)
    # every game starts from the empty board and each label is its game's outcome
    assert np.sum(d.ply == 0) == 6
    assert np.array_equal(d.outcomes, d.game_outcomes[d.game])
    assert np.all(d.game_outcomes == 0)  # strong search draws, as perfect play does
    boards, labels, counts = s.position_labels(d)
    assert counts.sum() == len(d.outcomes)
    assert np.array_equal(labels, s.minimax_values(boards))


def test_corner_player_only_plays_corners_while_they_are_free():
    d = s.self_play(20, 1, policy=("random", "corners"), rng=2)
    o_turn = d.ply % 2 == 1
    for g in range(20):
        rows = np.flatnonzero(d.game == g)
        for r in rows:
            if o_turn[r] and r + 1 in rows:
                before, after = d.boards[r], d.boards[r + 1]
                moved = int(np.flatnonzero(before != after)[0])
                free_corners = [c for c in (0, 2, 6, 8) if before[c] == 0]
                if free_corners:
                    assert moved in free_corners


def test_position_labels_average_outcomes():
    d = s.SelfPlayData(
        boards=np.array([[0] * 9, [0] * 9, [1] + [0] * 8], dtype=np.int8),
        outcomes=np.array([1, -1, 1]),
        game=np.array([0, 1, 1]),
        ply=np.array([0, 0, 1]),
        game_outcomes=np.array([1, -1]),
    )
    _, labels, counts = s.position_labels(d)
    assert counts.tolist() == [2, 1] and labels.tolist() == [0.0, 1.0]


ALL_STATES = s.reachable_states()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 5477))
def test_minimax_is_consistent_with_children(i):
    state = ALL_STATES[i]
    v = s.minimax_value(state)
    assert v in (-1, 0, 1)
    if state.is_terminal:
        assert v == state.outcome
    else:
        kids = [s.minimax_value(state.play(m)) for m in state.legal_moves()]
        assert v == (max(kids) if state.player == 1 else min(kids))


# ---------------------------------------------------------------- telegraph

RATES = (0.5, 5.0, 100.0, 1.0)


def test_telegraph_mean_fano_and_zeros_match_theory():
    r = s.telegraph(*RATES, n_cells=20_000, t_end=12.0, rng=11)
    th = s.telegraph_moments(*RATES)
    groups = r.counts.reshape(20, 1000)
    m, m_se = mean_se(r.counts)
    assert abs(m - th["mean"]) < 4 * m_se
    fano, fano_se = mean_se(groups.var(axis=1, ddof=1) / groups.mean(axis=1))
    assert abs(fano - th["fano"]) < 4 * fano_se
    z, z_se = mean_se(r.counts == 0)
    assert abs(z - th["p_zero"]) < 4 * z_se
    assert r.n_events.max() > 0 and r.counts.min() >= 0


def test_telegraph_moments_closed_forms():
    th = s.telegraph_moments(*RATES)
    assert th["mean"] == pytest.approx(100 * 0.5 / 5.5)
    assert th["fano"] == pytest.approx(1 + 100 * 5 / (5.5 * 6.5))
    # P(0) two ways: Kummer-transformed 1F1 and the Beta mixture of Poisson zeros
    a, b, K = 0.5, 5.0, 100.0
    quad = integrate.quad(lambda p: np.exp(-K * p) * sps.beta(a, b).pdf(p), 0, 1, limit=200)[0]
    assert th["p_zero"] == pytest.approx(quad, rel=1e-7)
    # constitutive limit: k_off → 0 makes the counts Poisson
    po = s.telegraph_moments(1.0, 1e-12, 10.0, 1.0)
    assert po["fano"] == pytest.approx(1.0, abs=1e-8)
    assert po["p_zero"] == pytest.approx(np.exp(-10.0), rel=1e-6)


def test_telegraph_pmf_is_a_distribution_with_the_right_moments():
    n = np.arange(0, 600)
    p = s.telegraph_pmf(n, *RATES)
    th = s.telegraph_moments(*RATES)
    assert p.sum() == pytest.approx(1.0, abs=1e-10)
    mean = (n * p).sum()
    assert mean == pytest.approx(th["mean"], rel=1e-9)
    assert (n**2 * p).sum() - mean**2 == pytest.approx(th["variance"], rel=1e-9)
    assert p[0] == pytest.approx(th["p_zero"], rel=1e-12)
    # Poisson–beta mixture by quadrature for a few counts
    for k in (1, 7, 40):
        quad = integrate.quad(
            lambda q, k=k: sps.poisson(100 * q).pmf(k) * sps.beta(0.5, 5).pdf(q), 0, 1, limit=200
        )[0]
        assert p[k] == pytest.approx(quad, rel=1e-6)


@pytest.mark.parametrize("k_tx", [250.0, 2000.0])  # either side of the direct-1F1 limit
def test_telegraph_theory_stays_finite_for_large_burst_sizes(k_tx):
    th = s.telegraph_moments(0.5, 5.0, k_tx, 1.0)
    quad = integrate.quad(
        lambda q: np.exp(-k_tx * q) * sps.beta(0.5, 5.0).pdf(q),
        0,
        1,
        limit=500,
        points=[1e-6, 1e-4, 1e-2],
    )[0]
    assert th["p_zero"] == pytest.approx(quad, rel=1e-8)
    n = np.arange(0, int(2 * k_tx))
    p = s.telegraph_pmf(n, 0.5, 5.0, k_tx, 1.0)
    assert np.all(np.isfinite(p))
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (n * p).sum() == pytest.approx(th["mean"], rel=1e-9)


def test_telegraph_records_trajectories():
    times = np.linspace(0, 5, 11)
    r = s.telegraph(*RATES, n_cells=30, t_end=5.0, rng=4, record_times=times)
    assert r.trajectory.shape == (30, 11)
    assert np.all(r.trajectory[:, 0] == 0)  # cells start empty
    assert np.array_equal(r.trajectory[:, -1], r.counts)
    r2 = s.telegraph(*RATES, n_cells=30, t_end=5.0, rng=4)
    assert np.array_equal(r2.counts, r.counts)  # recording does not touch the random stream


def test_fit_telegraph_recovers_rates_from_exact_samples():
    rng = np.random.default_rng(0)
    p = rng.beta(0.5, 5.0, 20_000)
    counts = rng.poisson(100 * p)
    fit = s.fit_telegraph(counts)
    assert fit["k_on"] == pytest.approx(0.5, rel=0.1)
    assert fit["k_tx"] / fit["k_off"] == pytest.approx(20.0, rel=0.1)


@pytest.mark.parametrize("i, name", [(0, "k_on"), (1, "k_off"), (2, "k_tx"), (3, "k_deg")])
def test_telegraph_rejects_non_positive_rates(i, name):
    rates = list(RATES)
    rates[i] = -1.0
    with pytest.raises(ValueError, match=name):
        s.telegraph(*rates, n_cells=5, t_end=1.0)
    with pytest.raises(ValueError, match=name):
        s.telegraph_moments(*rates)


def test_telegraph_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_cells"):
        s.telegraph(*RATES, n_cells=0, t_end=1.0)
    with pytest.raises(TypeError, match="n_cells"):
        s.telegraph(*RATES, n_cells=2.5, t_end=1.0)
    with pytest.raises(ValueError, match="t_end"):
        s.telegraph(*RATES, n_cells=3, t_end=0.0)
    with pytest.raises(ValueError, match="record_times"):
        s.telegraph(*RATES, n_cells=3, t_end=1.0, record_times=[0.0, 2.0])
    with pytest.raises(ValueError, match="k_on"):
        s.telegraph(float("nan"), 1.0, 1.0, 1.0, n_cells=3, t_end=1.0)
    with pytest.raises(ValueError, match="max_events"):
        s.telegraph(*RATES, n_cells=3, t_end=10.0, max_events=5)
    with pytest.raises(ValueError, match="n must be non-negative"):
        s.telegraph_pmf([-1], *RATES)
    with pytest.raises(ValueError, match="counts"):
        s.fit_telegraph(np.full(20, 3))
    with pytest.raises(ValueError, match="counts"):
        s.fit_telegraph([1.5] * 20)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(0.05, 5.0), st.floats(0.5, 50.0), st.floats(0.2, 3.0))
def test_telegraph_theory_properties(k_on, k_off, k_tx, k_deg):
    th = s.telegraph_moments(k_on, k_off, k_tx, k_deg)
    assert th["fano"] >= 1.0  # bursting only adds noise to Poisson
    assert 0.0 < th["p_zero"] < 1.0
    # zeros are at least as common as for a Poisson with the same mean (Jensen)
    assert th["p_zero"] >= np.exp(-th["mean"]) * (1 - 1e-9)
    p = s.telegraph_pmf(np.arange(3), k_on, k_off, k_tx, k_deg)
    assert np.all((p >= 0) & (p <= 1))


def test_heavily_damped_pendulum_is_solved_quickly_and_matches_the_overdamped_limit():
    # with damping ≫ √(g/L) the explicit solver needed ~damping·t steps (hours for 1e9 s⁻¹);
    # the slow motion then obeys γ θ' = -(g/L) sin θ: tan(θ/2) = tan(θ0/2) exp(-(g/L) t / γ)
    import time

    theta0, t = np.array([0.1, 0.5, 2.0]), np.linspace(0.0, 1000.0, 5)
    for damping in (1e4, 1e9):
        start = time.perf_counter()
        out = s.pendulum(theta0, 0.0, t, damping=damping, gravity=9.8)
        assert time.perf_counter() - start < 10.0
        limit = 2 * np.arctan(np.tan(theta0[:, None] / 2) * np.exp(-9.8 * t / damping))
        assert out[..., 0] == pytest.approx(limit, abs=1e-6)


def test_pendulum_refuses_a_relative_tolerance_of_one_or_more():
    with pytest.raises(ValueError, match="rtol"):
        s.pendulum(0.1, 0.0, [0.0, 1.0], rtol=1.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -1])
def test_minimax_values_names_boards(bad):
    # NaN and inf cells used to raise "cannot convert float NaN to integer" or OverflowError
    boards = np.zeros((2, 9))
    boards[1, 0] = bad
    with pytest.raises((ValueError, TypeError), match="boards"):
        s.minimax_values(boards)


def test_telegraph_names_record_times():
    with pytest.raises(ValueError, match="record_times"):
        s.telegraph(1.0, 1.0, 1.0, 1.0, n_cells=2, t_end=1.0, rng=0, record_times=[0.5, 0.2])


def test_telegraph_theory_refuses_transcription_beyond_its_range():
    # k_tx / k_deg = 1e9 used to build a 1e9-term series (8 GB) instead of failing
    with pytest.raises(ValueError, match="k_tx"):
        s.telegraph_moments(1.0, 1.0, 1e9, 1.0)
    with pytest.raises(ValueError, match="k_tx"):
        s.telegraph_pmf([0, 1], 1.0, 1.0, 1e9, 1.0)


def test_step_model_features_are_the_monomials():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3, 2))
    m = s.fit_step_model(rng.normal(size=(40, 2)), rng.normal(size=(40, 2)), degree=4)
    expected = x[..., None, 0] ** m.powers[:, 0] * x[..., None, 1] ** m.powers[:, 1]
    assert m.features(x).shape == (4, 3, len(m.powers))
    assert np.allclose(m.features(x), expected, rtol=1e-14, atol=0)


# ------------------------------------------------- per-pendulum damping, moment start


def test_pendulum_takes_one_damping_per_pendulum():
    # an array of dampings gives each pendulum its own, as separate scalar calls would
    t = np.linspace(0.0, 3.0, 31)
    gam = np.array([0.0, 0.3, 1.5])
    together = s.pendulum([0.5, 0.5, 0.5], 0.2, t, damping=gam)
    for g, traj in zip(gam, together):
        assert np.abs(traj - s.pendulum(0.5, 0.2, t, damping=g)).max() < 1e-8
    # damping broadcasts with the starting states: a column of rates against a row of angles
    grid = s.pendulum([[0.1, 0.4]], 0.0, [0.0, 1.0], damping=[[0.0], [0.5]])
    assert grid.shape == (2, 2, 2, 2)
    assert abs(grid[1, 1, -1, 0] - s.pendulum(0.4, 0.0, [0.0, 1.0], damping=0.5)[-1, 0]) < 1e-9
    # small swings against the linear underdamped closed form, each with its own rate
    w2, th0 = s.GRAVITY, 1e-4
    wd = np.sqrt(w2 - gam[:, None] ** 2 / 4)
    lin = (
        th0
        * np.exp(-gam[:, None] * t / 2)
        * (np.cos(wd * t) + gam[:, None] / (2 * wd) * np.sin(wd * t))
    )
    assert np.abs(s.pendulum(th0, 0.0, t, damping=gam)[..., 0] - lin).max() < 1e-4 * th0


def test_pendulum_rejects_bad_per_pendulum_damping():
    with pytest.raises(ValueError, match="damping"):
        s.pendulum([0.1, 0.2], 0.0, [0, 1], damping=[0.1, -0.1])
    with pytest.raises(ValueError, match="damping"):
        s.pendulum([0.1, 0.2], 0.0, [0, 1], damping=[0.1, 0.2, 0.3])  # does not broadcast
    with pytest.raises(ValueError, match="damping"):
        s.pendulum(0.1, 0.0, [0, 1], damping=np.nan)
    with pytest.raises(TypeError, match="damping"):
        s.pendulum(0.1, 0.0, [0, 1], damping="0.3")
    # heavy damping in one pendulum of many still switches to the stiff solver
    out = s.pendulum([0.5, 0.5], 0.0, [0.0, 1e3], damping=[1e4, 0.5])
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("a, b, big_k", [(0.5, 5.0, 100.0), (2.0, 1.0, 10.0), (0.1, 0.2, 3.0)])
def test_moment_rates_invert_the_exact_factorial_moments(a, b, big_k):
    # E[n(n-1)...(n-r+1)] = K^r (a)_r / (a+b)_r, checked against sums over the exact pmf
    from scipy.special import poch

    n = np.arange(0, 4000)
    pmf = s.telegraph_pmf(n, a, b, big_k, 1.0)
    fact = [
        float(pmf @ (n * (n - 1) * (n - 2)))
        if r == 3
        else float(pmf @ (n * (n - 1)))
        if r == 2
        else float(pmf @ n)
        for r in (1, 2, 3)
    ]
    assert fact == pytest.approx(
        [big_k**r * poch(a, r) / poch(a + b, r) for r in (1, 2, 3)], rel=1e-8
    )
    # the moment solver inverts them exactly
    rates = s._moment_rates_from_factorial(*fact)
    assert rates == pytest.approx([a, b, big_k], rel=1e-6)


def test_moment_rates_refuse_underdispersed_counts_and_fit_still_runs():
    counts = np.array([2, 3, 3, 3, 4] * 4)  # less dispersed than a Poisson
    assert s._moment_rates(counts.astype(float)) is None
    fit = s.fit_telegraph(counts)
    assert all(np.isfinite(v) and v > 0 for k, v in fit.items() if k != "log_likelihood")


def test_fit_telegraph_starts_from_the_moment_estimates():
    # from exact Poisson-Beta samples, the moment start is already near the maximum likelihood
    rng = np.random.default_rng(1)
    counts = rng.poisson(100 * rng.beta(0.5, 5.0, 20_000))
    start = s._moment_rates(counts.astype(float))
    fit = s.fit_telegraph(counts)
    assert start is not None
    assert start == pytest.approx([fit["k_on"], fit["k_off"], fit["k_tx"]], rel=0.5)


# 50 digits of π for the decimal routes below
_PI_DEC = "3.14159265358979323846264338327950288419716939937510"


def _decimal_period(theta0, length=1.0, gravity=s.GRAVITY):
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


@pytest.mark.parametrize("delta", [1e-2, 1e-5, 1e-7])
def test_period_near_the_top_against_decimal_agm(delta):
    """Issue #23: ellipk lost the period's digits as θ₀ → π (6.4e-4 off at π - 1e-7)."""
    for theta0 in (np.pi - delta, -(np.pi - delta)):
        assert s.pendulum_period(theta0) == pytest.approx(_decimal_period(theta0), rel=1e-13)
        assert s.pendulum_period(theta0, length=2.5, gravity=3.0) == pytest.approx(
            _decimal_period(theta0, 2.5, 3.0), rel=1e-13
        )


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


@pytest.mark.parametrize("delta", [1e-3, 1e-5, 1e-7])
def test_exact_swing_near_the_top_against_quadrature_and_periodicity(delta):
    """Issue #23: from half a period on, the angle near the top was wrong by 2π."""
    theta0 = np.pi - delta
    omega = math.sqrt(s.GRAVITY)
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
        got = s.pendulum_exact(theta0, t)
        assert np.abs(got - sign * want).max() < 1e-8, (shift, mirror, got - sign * want)
    assert np.all(np.abs(s.pendulum_exact(theta0, np.linspace(0, 5 * period, 999))) <= theta0)


@pytest.mark.parametrize("delta", [1e-2, 1e-3])
def test_exact_swing_near_the_top_against_integrator(delta):
    from scipy.integrate import solve_ivp

    theta0 = np.pi - delta
    t = np.linspace(0.0, 1.25 * _decimal_period(theta0), 401)
    sol = solve_ivp(
        lambda _t, y: [y[1], -s.GRAVITY * np.sin(y[0])],
        (0.0, t[-1]),
        [theta0, 0.0],
        method="DOP853",
        t_eval=t,
        rtol=1e-13,
        atol=1e-15,
    )
    # the integrator's own error grows near the unstable top (7e-7 at δ = 1e-3)
    assert np.abs(s.pendulum_exact(theta0, t) - sol.y[0]).max() < 1e-3 * delta


def test_exact_swing_matches_scipy_ellipj_away_from_the_top():
    from scipy.special import ellipj, ellipk

    th0 = np.array([-2.5, -0.3, 0.0, 0.7, 2.0, 3.0])
    t = np.linspace(-3.0, 12.0, 97)
    k = np.sin(th0 / 2)[:, None]
    sn = ellipj(ellipk(k**2) - t * np.sqrt(s.GRAVITY), k**2)[0]
    ref = 2 * np.arcsin(np.clip(k * sn, -1, 1))
    assert np.abs(s.pendulum_exact(th0, t) - ref).max() < 1e-9


def test_pendulum_accepts_repeated_times():
    """Issue #23: repeated times (documented as allowed) failed inside SciPy."""
    t = [0.0, 0.5, 0.5, 1.0, 1.0]
    out = s.pendulum([0.1, 0.5], 0.0, t)
    ref = s.pendulum([0.1, 0.5], 0.0, [0.0, 0.5, 1.0])
    assert out.shape == (2, 5, 2)
    assert np.array_equal(out[:, [0, 1, 3]], ref) and np.array_equal(out[:, 2], out[:, 1])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: s.mcts_policy([0] * 9, n_simulations=10**12, rng=0), "n_simulations"),
        (lambda: s.self_play(10**12, 5, rng=0), "n_games"),
        (lambda: s.telegraph(1.0, 1.0, 5.0, 1.0, n_cells=10**12, t_end=1.0, rng=0), "n_cells"),
        (lambda: s.telegraph(1.0, 1.0, 1e300, 1.0, n_cells=2, t_end=1.0, rng=0), "k_tx"),
        (lambda: s.pendulum_dataset(10**12, rng=0), "n"),
        (lambda: s.pendulum_dataset(3, horizon=1e300, rng=0), "horizon"),
        (lambda: s.pendulum(0.1, 1e300, [0.0, 1.0]), "omega0"),
        (lambda: s.pendulum(0.1, True, [0.0, 1.0]), "omega0"),
        (lambda: s.pendulum_period(1.0, gravity=5e-324), "gravity"),
        (lambda: s.telegraph_pmf([True, False], 1.0, 1.0, 5.0, 1.0), "n"),
        (lambda: s.fit_telegraph(np.arange(12) % 2 == 0, k_deg=1.0), "counts"),
    ],
)
def test_huge_sizes_extreme_values_and_bools_are_refused_quickly(call, match):
    import time

    start = time.perf_counter()
    with pytest.raises((ValueError, TypeError), match=match):
        call()
    assert time.perf_counter() - start < 1.0
