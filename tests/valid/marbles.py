"""One valid call per public function of synthbio.marbles (read by test_bad_inputs)."""

from synthbio import marbles

JAR = dict(marbles.JAR)
SAMPLE = [20, 3, 1, 1, 0]

VALID = {
    "marbles.colours": {"counts": JAR},
    "marbles.draw": {
        "counts": JAR,
        "n": 25,
        "replicates": 3,
        "replace": False,
        "rng": 0,
    },
    "marbles.repeated_batches": {
        "counts": JAR,
        "batch": 25,
        "batches": 3,
        "replicates": 2,
        "rng": 0,
    },
    "marbles.prob_none": {"counts": JAR, "n": 25, "group": ["red"], "replace": False},
    "marbles.prob_at_least_one": {"counts": JAR, "n": 25, "colour": "red", "replace": False},
    "marbles.prob_all_present": {
        "counts": JAR,
        "n": 25,
        "group": ["red", "green"],
        "replace": False,
    },
    "marbles.draws_needed": {"counts": JAR, "colour": "red", "prob": 0.95, "replace": False},
    "marbles.proportion_mse": {
        "counts": JAR,
        "colour": "red",
        "n": 25,
        "target": 0.002,
        "replace": False,
        "batches": 2,
    },
    "marbles.good_turing_missing_mass": {"sample_counts": SAMPLE},
    "marbles.chao1": {"sample_counts": SAMPLE},
    "marbles.expected_unseen_mass": {"counts": JAR, "n": 25, "replace": False},
    "marbles.expected_good_turing": {"counts": JAR, "n": 25, "replace": False},
    "marbles.expected_chao1": {"counts": JAR, "n": 25},
}
