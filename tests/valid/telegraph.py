"""One valid call per public function of synthbio.telegraph (read by test_bad_inputs)."""

_RATES = {"k_on": 1.0, "k_off": 1.0, "k_tx": 5.0, "k_deg": 1.0}

VALID = {
    "telegraph.moments": dict(_RATES),
    "telegraph.pmf": {"n": [0, 1, 2, 5], **_RATES},
}
