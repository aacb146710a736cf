"""One valid call per public function of synthbio.augment (read by test_bad_inputs)."""

import numpy as np

from synthbio import augment

_IMAGES = np.linspace(0.0, 1.0, 48).reshape(3, 4, 4)
_ONEHOT = augment.one_hot(["ACGT", "TTGA"])

VALID = {
    "augment.translate": {"images": _IMAGES, "shifts": (1, 1), "fill": 0.0},
    "augment.rotate": {"images": _IMAGES, "angles": 30.0, "fill": 0.0, "order": 1},
    "augment.flip_horizontal": {"images": _IMAGES},
    "augment.random_shift": {"max_shift": 1, "fill": 0.0},
    "augment.random_rotation": {"max_degrees": 15.0, "fill": 0.0, "order": 1},
    "augment.fixed_rotation": {"degrees": 180.0, "fill": 0.0, "order": 1},
    "augment.always_flip": {},
    "augment.rc_transform": {},
    "augment.shuffle_transform": {},
    "augment.augment": {"X": _IMAGES, "y": [0, 1, 1], "transforms": "shift", "copies": 2, "rng": 0},
    "augment.load_digits_images": {},
    "augment.one_hot": {"seqs": ["ACGT", "TTGA"]},
    "augment.reverse_complement": {"seqs": _ONEHOT},
    "augment.kmer_counts": {"X": _ONEHOT, "k": 2},
}
