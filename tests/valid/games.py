"""One valid call per public function of synthbio.games (read by test_bad_inputs)."""

VALID = {
    "games.game_tree": {},
    "games.minimax_values": {"boards": [[0] * 9, [1, 0, 0, 0, 0, 0, 0, 0, 0]]},
}
