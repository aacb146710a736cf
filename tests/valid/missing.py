"""One valid call per public function of synthbio.missing (read by test_bad_inputs)."""

import numpy as np

_MI_X = np.column_stack([np.linspace(0.0, 1.0, 20), np.cos(np.arange(20.0)), np.arange(20.0)])

VALID = {
    "missing.missing_mask": {
        "X": _MI_X,
        "fraction": 0.3,
        "mechanism": "MAR",
        "column": 1,
        "driver": 2,
        "strength": 1.0,
        "rng": 0,
    },
    "missing.pool_rubin": {"estimates": [1.0, 1.2, 0.9], "variances": [0.04, 0.05, 0.04]},
    "missing.simulate_cite": {
        "n_cells": 30,
        "n_background_genes": 4,
        "shares": (0.4, 0.2, 0.3, 0.1),
        "capture": 0.3,
        "background": 5.0,
        "noise": 0.5,
        "rng": 0,
    },
}
