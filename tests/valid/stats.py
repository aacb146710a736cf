"""One valid call per public function of synthbio.stats (read by test_bad_inputs)."""

VALID = {
    "stats.mean_se": {"samples": [1.0, 2.0, 4.0], "axis": 0},
    "stats.rmse_se": {"errors": [1.0, -2.0, 0.5], "axis": 0},
    "stats.loglog_slope": {"x": [1.0, 2.0, 4.0], "y": [1.0, 0.5, 0.3], "y_se": [0.1, 0.1, 0.1]},
    "stats.nearest_neighbours": {
        "reference": [[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]],
        "query": [[0.1, 0.1]],
        "n_neighbors": 2,
    },
}
