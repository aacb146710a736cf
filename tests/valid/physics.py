"""One valid call per public function of synthbio.physics (read by test_bad_inputs)."""

import numpy as np

from synthbio import physics

_T_OBS = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
# logistic growth (r = 1, K = 10, N0 = 0.5) with ±2 % alternating errors
_Y_OBS = [10.0 / (1.0 + 19.0 * np.exp(-t)) * (1.0 + 0.02 * (-1) ** i) for i, t in enumerate(_T_OBS)]

VALID = {
    "physics.make_basis": {"start": 0.0, "stop": 10.0, "size": 8},
    "physics.fit_data_only": {
        "t": _T_OBS,
        "y": _Y_OBS,
        "basis": physics.make_basis(0.0, 6.0, 8),
        "smoothing": 0.01,
    },
    "physics.fit_physics_informed": {
        "t": _T_OBS,
        "y": _Y_OBS,
        "rate_law": "logistic",
        "collocation": np.linspace(0.0, 8.0, 9),
        "weight": 1.0,
        "basis": physics.make_basis(0.0, 8.0, 12),
        "params0": [1.0, 10.0],
    },
}
