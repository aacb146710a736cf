"""The solved game of tic-tac-toe against published counts, exact rationals and brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthbio import games

TREE = games.game_tree()


def _brute_minimax(board: tuple[int, ...]) -> int:
    """Perfect-play value by plain recursion over moves, without the tree."""
    lines = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6))
    for a, b, c in lines:
        if board[a] == board[b] == board[c] != 0:
            return board[a]
    if 0 not in board:
        return 0
    player = 1 if sum(board) == 0 else -1
    kids = [
        _brute_minimax(board[:i] + (player,) + board[i + 1 :]) for i in range(9) if not board[i]
    ]
    return max(kids) if player == 1 else min(kids)


def test_tree_has_the_published_counts_and_the_game_is_a_draw():
    assert len(TREE.boards) == len(TREE.index) == 5478  # legal positions reachable in play
    assert len({tuple(b) for b in TREE.boards.tolist()}) == 5478
    assert TREE.n_games[0] == 255_168  # published number of distinct games
    assert TREE.value[0] == 0
    assert TREE.boards[0].tolist() == [0] * 9 and TREE.player[0] == 1
    finished = [i for i, o in enumerate(TREE.outcome) if o is not None]
    assert len(finished) == 958  # published number of terminal positions
    assert all(TREE.children[i] == () for i in finished)


def test_random_play_is_the_exact_rationals():
    p = TREE.random_play[0]
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    # the exact rationals under uniform random play: X wins 737/1260, draw 8/63
    assert p[0] == pytest.approx(737 / 1260, abs=1e-12)
    assert p[1] == pytest.approx(8 / 63, abs=1e-12)


def test_children_moves_and_players_agree_with_the_boards():
    for i in (0, 1, 100, 2000, 5000):
        board = TREE.boards[i]
        for child, cell in zip(TREE.children[i], TREE.moves[i]):
            diff = np.flatnonzero(TREE.boards[child] != board)
            assert diff.tolist() == [cell] and TREE.boards[child][cell] == TREE.player[i]
            assert child > i and TREE.player[child] == -TREE.player[i]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 5477))
def test_minimax_matches_brute_force_and_children(i):
    board = tuple(int(v) for v in TREE.boards[i])
    assert TREE.value[i] == _brute_minimax(board)
    if TREE.outcome[i] is not None:
        assert TREE.value[i] == TREE.outcome[i] and TREE.n_games[i] == 1
    else:
        kids = TREE.value[list(TREE.children[i])]
        assert TREE.value[i] == (kids.max() if TREE.player[i] == 1 else kids.min())


def test_minimax_values_of_boards():
    boards = [[0] * 9, [1, 1, 0, -1, -1, 0, 0, 0, 0], [1, 1, 1, -1, -1, 0, 0, 0, 0]]
    assert games.minimax_values(boards).tolist() == [0, 1, 1]
    o_to_move = [1, -1, 1, 0, 0, 0, 1, 0, -1]  # O cannot block both of X's threats (3 and 4)
    assert games.minimax_values([o_to_move]).tolist() == [1]


@pytest.mark.parametrize(
    "boards, match",
    [
        ([[1, 1, 0, 0, 0, 0, 0, 0, 0]], r"boards\[0\] is not a position"),  # two X, no O
        ([[0] * 9, [-1, 0, 0, 0, 0, 0, 0, 0, 0]], r"boards\[1\] is not a position"),
        ([[1, 1, 1, -1, -1, -1, 0, 0, 0]], "not a position"),  # both have three in a row
        ([[1, 1, 1, -1, -1, 0, -1, 0, 0]], "not a position"),  # X won but O moved last
        ([[2, 0, 0, 0, 0, 0, 0, 0, 0]], r"\+1 \(X\), -1 \(O\) or 0"),
        ([[0] * 8], "9 cells"),
        ([0] * 9, "dimension"),
    ],
)
def test_illegal_boards_are_refused(boards, match):
    with pytest.raises(ValueError, match=match):
        games.minimax_values(boards)


def test_tree_arrays_are_read_only():
    with pytest.raises(ValueError):
        TREE.value[0] = 1
