"""One valid call per public function of synthbio.singlecell (read by test_bad_inputs)."""

import numpy as np

from synthbio import singlecell as sc1

_SC = sc1.simulate_counts(200, 30, n_types=2, modules=3, null_fraction=0.3, rng=0)
sc1.embed(_SC, 5, rng=0)
_SC_MASKED, _SC_HIDDEN = sc1.mask_counts(_SC, 0.1, rng=0)
_SC_IMPUTED = sc1.impute_knn(_SC_MASKED, 5, use_rep="X_pca", copy=True).layers["imputed"]
_SC_COORDS = np.column_stack([np.linspace(0.0, 1.0, 12), np.cos(np.arange(12.0))])

VALID = {
    "singlecell.simulate_counts": {
        "n_cells": 40,
        "n_genes": 12,
        "n_types": 2,
        "modules": 2,
        "null_fraction": 0.25,
        "type_fractions": [0.5, 0.5],
        "dispersion": 0.3,
        "effect": 1.0,
        "program_sd": 0.4,
        "programs": [[1.0, -1.0], [-1.0, 1.0]],
        "rng": 0,
    },
    "singlecell.mask_counts": {"adata": _SC, "fraction": 0.1, "layer": None, "rng": 0},
    "singlecell.heldout_error": {
        "imputed": np.asarray(_SC_IMPUTED, dtype=float),
        "hidden": _SC_HIDDEN,
        "truth_values": _SC.layers["truth"][_SC_HIDDEN.rows, _SC_HIDDEN.cols],
        "log": True,
    },
    "singlecell.embed": {
        "adata": _SC,
        "n_pcs": 5,
        "layer": None,
        "key_added": "X_pca",
        "copy": True,
        "rng": 0,
    },
    "singlecell.knn_operator": {"X": _SC_COORDS, "n_neighbors": 3},
    "singlecell.diffusion_operator": {"X": _SC_COORDS, "knn": 3, "decay": 1.0},
    "singlecell.impute_knn": {
        "adata": _SC_MASKED,
        "n_neighbors": 5,
        "layer": None,
        "n_pcs": 5,
        "use_rep": "X_pca",
        "key_added": "imputed",
        "copy": True,
        "rng": 0,
    },
    "singlecell.impute_diffusion": {
        "adata": _SC_MASKED,
        "t": 2,
        "knn": 3,
        "decay": 1.0,
        "n_pcs": 5,
        "layer": None,
        "use_rep": "X_pca",
        "key_added": "imputed",
        "copy": True,
        "rng": 0,
    },
    "singlecell.impute_lowrank": {
        "adata": _SC_MASKED,
        "rank": 3,
        "layer": None,
        "key_added": "imputed",
        "copy": True,
        "rng": 0,
    },
    "singlecell.impute_prior": {
        "adata": _SC_MASKED,
        "groups": list(_SC.var["module"]),
        "layer": None,
        "key_added": "imputed",
        "copy": True,
    },
}
