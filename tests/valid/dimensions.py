"""One valid call per public function of synthbio.dimensions (read by test_bad_inputs)."""

_DRAG = {"F": "N", "rho": "kg/m**3", "mu": "Pa*s", "D": "m", "v": "m/s"}
_RE = {"rho": 1, "v": 1, "D": 1, "mu": -1}

VALID = {
    "dimensions.dimension_matrix": {"variables": _DRAG},
    "dimensions.pi_groups": {"variables": _DRAG, "repeating": ["rho", "D", "v"]},
    "dimensions.is_dimensionless": {"group": _RE, "variables": _DRAG},
    "dimensions.equivalent_groups": {
        "first": [_RE],
        "second": [{"rho": -1, "v": -1, "D": -1, "mu": 1}],
    },
    "dimensions.group_value": {
        "group": _RE,
        "values": {"rho": 1000.0, "v": 0.1, "D": 1e-3, "mu": 1e-3},
    },
    "dimensions.format_group": {"group": _RE, "symbols": {"rho": "ρ"}},
    "dimensions.reynolds_number": {
        "density": 1000.0,
        "viscosity": 1e-3,
        "diameter": 1e-3,
        "speed": 0.1,
    },
}
