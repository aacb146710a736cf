"""One valid call per public function of synthbio.collapse (read by test_bad_inputs)."""

_GAUSS = {"generations": [0, 1, 5], "n": 10, "ddof": 1, "sigma2": 2.0}

VALID = {
    "collapse.loss_probability": {"k": [0, 1, 3], "total": 6, "generations": 3},
    "collapse.expected_categories_left": {
        "counts": [3, 2, 1],
        "generations": 3,
        "total": 6,
        "states": 6,
    },
    "collapse.expected_spread_ratio": {"k": [1, 3], "total": 6, "generations": 3},
    "collapse.expected_variance": {**_GAUSS, "accumulate": True},
    "collapse.expected_log_variance": _GAUSS,
    "collapse.prob_variance_below": {"generations": [0, 1, 5], "n": 10, "ddof": 1, "ratio": 1.5},
    "collapse.expected_mean_sq_error": {**_GAUSS, "accumulate": True},
    "collapse.expected_w2_sq": _GAUSS,
    "collapse.w2_gaussian": {"mu1": [0.0, 1.0], "sigma1": [1.0, 2.0], "mu2": 0.0, "sigma2": 1.0},
}
