"""Tic-tac-toe, solved: the referee for generated game data.

:func:`game_tree` holds every position legal play reaches, with its exact values;
:func:`minimax_values` gives the perfect-play value of any boards. A board is
nine cells, row by row: +1 for X (who moves first), -1 for O, 0 empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Check, checked, finite_array, reject_bools

__all__ = ["GameTree", "game_tree", "minimax_values"]

_LINES = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6))


def _outcome(board: tuple[int, ...]) -> int | None:
    """+1 if X has three in a row, -1 if O has, 0 for a full board, None while play goes on."""
    for a, b, c in _LINES:
        if board[a] == board[b] == board[c] != 0:
            return board[a]
    return None if 0 in board else 0


@dataclass(frozen=True)
class GameTree:
    """Every position reachable in legal play, numbered in order of moves made (0: empty board).

    Attributes
    ----------
    boards
        ``(5478, 9)`` int8 boards; ``index`` maps a board (a tuple) to its number.
    player
        Who moves next in each position, +1 (X) or -1 (O).
    children, moves
        For each position, the positions each legal move leads to, and the cells played.
    outcome, value
        The result of a finished game (None while play goes on) and the minimax value
        under perfect play, from X's side: +1 X wins (can force a win), 0 draw, -1 O.
    n_games
        Number of distinct games from the position to the end.
    random_play
        ``(5478, 3)`` exact probabilities of (X wins, draw, O wins) under uniformly random play.
    """

    boards: np.ndarray
    index: dict[tuple[int, ...], int]
    player: tuple[int, ...]
    children: tuple[tuple[int, ...], ...]
    moves: tuple[tuple[int, ...], ...]
    outcome: tuple[int | None, ...]
    value: np.ndarray
    n_games: np.ndarray
    random_play: np.ndarray


def game_tree() -> GameTree:
    """The whole game, built (once) by breadth-first search and solved backwards."""
    return _solve()


@cache
def _solve() -> GameTree:
    boards: list[tuple[int, ...]] = [(0,) * 9]
    index = {boards[0]: 0}
    children: list[tuple[int, ...]] = []
    moves: list[tuple[int, ...]] = []
    for board in boards:  # the list grows as new positions are found
        player = 1 if sum(board) == 0 else -1
        free = [i for i in range(9) if board[i] == 0] if _outcome(board) is None else []
        kids = [board[:i] + (player,) + board[i + 1 :] for i in free]
        for kid in kids:
            if kid not in index:
                index[kid] = len(boards)
                boards.append(kid)
        children.append(tuple(index[kid] for kid in kids))
        moves.append(tuple(free))
    outcome = tuple(_outcome(b) for b in boards)
    to_move = tuple(1 if sum(b) == 0 else -1 for b in boards)
    value, n_games = np.zeros(len(boards), int), np.zeros(len(boards), int)
    random_play = np.zeros((len(boards), 3))
    for i in reversed(range(len(boards))):  # children come after their parents
        below, end = list(children[i]), outcome[i]
        if end is not None:
            value[i], n_games[i] = end, 1
            random_play[i, 1 - end] = 1.0
        else:
            value[i] = (value[below] * to_move[i]).max() * to_move[i]  # the mover's best
            n_games[i] = n_games[below].sum()
            random_play[i] = random_play[below].mean(axis=0)
    for arr in (value, n_games, random_play):
        arr.setflags(write=False)  # shared by every caller
    return GameTree(
        boards=np.array(boards, dtype=np.int8),
        index=index,
        player=to_move,
        children=tuple(children),
        moves=tuple(moves),
        outcome=outcome,
        value=value,
        n_games=n_games,
        random_play=random_play,
    )


def _legal_boards(name: str, value: Any) -> np.ndarray:
    """The numbers (in :func:`game_tree`) of an ``(n, 9)`` array of legal boards."""
    reject_bools(name, value)
    arr = finite_array(name, value, ndim=2)
    if arr.shape[1] != 9 or not np.all(np.isin(arr, (-1, 0, 1))):
        raise ValueError(f"{name} must be rows of 9 cells, each +1 (X), -1 (O) or 0 (empty)")
    index = _solve().index
    rows = [tuple(int(v) for v in row) for row in arr]
    bad = [i for i, row in enumerate(rows) if row not in index]
    if bad:
        raise ValueError(f"{name}[{bad[0]}] is not a position reachable in legal play")
    return np.array([index[row] for row in rows], dtype=int)


_BOARDS = Check(
    _legal_boards,
    refuse=[
        ("string", "abc"),
        ("eight cells", [[0] * 8]),
        ("cell value 2", [[2] + [0] * 8]),
        ("NaN cell", [[np.nan] + [0] * 8]),
        ("illegal position", [[1, 1] + [0] * 7]),
        ("complex", [[1j] + [0] * 8]),
    ],
)


@checked(boards=_BOARDS)
def minimax_values(boards: ArrayLike) -> np.ndarray:
    """Perfect-play value of each row of an ``(n, 9)`` array of legal boards (+1, 0 or -1)."""
    return _solve().value[np.asarray(boards)]
