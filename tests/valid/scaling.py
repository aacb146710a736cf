"""One valid call per public function of synthbio.scaling (read by test_bad_inputs)."""

from synthbio import scaling

_SIZES = [10.0, 20.0, 40.0, 80.0, 160.0, 320.0]
_ERRORS = [0.1 + 2.0 * n**-0.5 * (1.0 + 0.02 * (-1) ** i) for i, n in enumerate(_SIZES)]

VALID = {
    "scaling.power_law": {"x": [1.0, 10.0, 100.0], "a": 2.0, "alpha": 0.5, "c": 0.1},
    "scaling.fit_power_law": {
        "x": _SIZES,
        "y": _ERRORS,
        "irreducible": True,
        "confidence": 0.9,
        "replicates": 20,
        "rng": 0,
    },
    "scaling.improvement_cost": {"alpha": [0.28, 0.5], "factor": 2.0},
    "scaling.chinchilla_loss": {"N": 1e9, "D": [1e10, 2e10], "params": scaling.CHINCHILLA},
    "scaling.compute_optimal": {"C": [1e21, 1e23], "params": scaling.CHINCHILLA},
    "scaling.effective_data": {"unique_tokens": 1e9, "epochs": [1.0, 4.0], "r_star": 15.4},
}
