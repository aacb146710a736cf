"""One valid call per public function of synthbio.pendulum (read by test_bad_inputs)."""

VALID = {
    "pendulum.simulate": {
        "theta0": [0.1, 0.5],
        "omega0": 0.0,
        "t": [0.0, 0.5, 1.0],
        "length": 1.0,
        "gravity": 9.8,
        "damping": 0.1,
        "rtol": 1e-8,
        "atol": 1e-10,
    },
    "pendulum.energy": {"theta": [0.1, -0.2], "omega": [0.0, 1.0], "length": 1.0, "gravity": 9.8},
    "pendulum.period": {"theta0": [0.1, 1.0], "length": 1.0, "gravity": 9.8},
    "pendulum.exact": {"theta0": [0.1, 1.0], "t": [0.0, 0.5], "length": 1.0, "gravity": 9.8},
    "pendulum.dataset": {"n": 3, "horizon": 0.5, "damping": 0.1, "noise": 0.01, "rng": 0},
}
