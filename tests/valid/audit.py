"""One valid call per public function of synthbio.audit (read by test_bad_inputs)."""

import numpy as np

_AU_REAL = np.column_stack([np.linspace(-1.0, 1.0, 12), np.cos(np.arange(12.0))])
_AU_SYN = _AU_REAL[::-1] * 0.8 + 0.3
_AU_QUERY = np.column_stack([np.linspace(-0.9, 0.9, 6), np.sin(np.arange(6.0))])
_AU_LABELS = [0, 1] * 6

VALID = {
    "audit.c2st_auc": {
        "real": _AU_REAL,
        "synthetic": _AU_SYN,
        "n_neighbors": 3,
        "folds": 2,
        "permutations": 2,
        "rng": 0,
    },
    "audit.mmd": {
        "real": _AU_REAL,
        "synthetic": _AU_SYN,
        "bandwidth": 1.0,
        "permutations": 2,
        "rng": 0,
    },
    "audit.precision_recall": {"real": _AU_REAL, "synthetic": _AU_SYN, "n_neighbors": 3},
    "audit.on_real_manifold": {"real": _AU_REAL, "query": _AU_QUERY, "n_neighbors": 3},
    "audit.nearest_real_distance": {"real": _AU_REAL, "synthetic": _AU_SYN},
    "audit.neighbour_purity": {
        "real": _AU_REAL,
        "y": _AU_LABELS,
        "query": _AU_QUERY,
        "n_neighbors": 3,
    },
    "audit.tstr": {
        "real_train": _AU_REAL,
        "synthetic_train": _AU_SYN,
        "real_test": _AU_QUERY,
        "y_real_train": _AU_LABELS,
        "y_synthetic": _AU_LABELS,
        "y_real_test": [0, 1] * 3,
        "C": 1.0,
    },
}
