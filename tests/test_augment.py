"""Invariance-based augmentation: transforms against exact array operations, DNA helpers
against naive string code. Bad inputs are swept from the declarations (test_bad_inputs)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthbio import augment as A

dna = st.text(alphabet="ACGT", min_size=1, max_size=40)


@pytest.fixture(scope="module")
def digits():
    return A.load_digits_images()


def naive_rc(s: str) -> str:
    pairs = {"A": "T", "C": "G", "G": "C", "T": "A"}
    return "".join(pairs[b] for b in reversed(s))


# ---------------------------------------------------------------- images


def test_transforms_return_float_images_of_the_same_shape():
    imgs = np.random.default_rng(0).integers(0, 17, size=(5, 8, 7)).astype(np.uint8)
    for out in (
        A.translate(imgs, (1, -2)),
        A.rotate(imgs, 30.0),
        A.flip_horizontal(imgs),
        A.random_shift(2)(imgs, 1),
        A.random_rotation(20)(imgs, 1),
    ):
        assert out.shape == imgs.shape and out.dtype == np.float64


def test_translate_by_zero_is_identity(digits):
    imgs = digits[0][:50]
    assert np.array_equal(A.translate(imgs, (0, 0)), imgs)
    assert np.array_equal(A.translate(imgs, np.zeros((50, 2), dtype=int)), imgs)


def test_translate_moves_content_and_fills():
    img = np.arange(12.0).reshape(1, 3, 4) + 1
    down = A.translate(img, (1, 0), fill=-1)[0]
    assert np.array_equal(down[0], [-1, -1, -1, -1])
    assert np.array_equal(down[1:], img[0, :2])
    right = A.translate(img, (0, 2))[0]
    assert np.array_equal(right[:, :2], np.zeros((3, 2)))
    assert np.array_equal(right[:, 2:], img[0, :, :2])
    # a shift past the border leaves only fill
    assert np.all(A.translate(img, (0, 9), fill=7)[0] == 7)
    # a shift and its inverse restore the interior
    back = A.translate(A.translate(img, (1, 1)), (-1, -1))[0]
    assert np.array_equal(back[:2, :3], img[0, :2, :3])


def test_translate_per_image_shifts_match_one_at_a_time(digits):
    imgs = digits[0][:6]
    shifts = np.array([[0, 0], [1, 0], [0, -1], [-2, 3], [1, 1], [3, -3]])
    batch = A.translate(imgs, shifts)
    for i in range(6):
        assert np.array_equal(batch[i], A.translate(imgs[i : i + 1], shifts[i])[0])


def test_rotate_zero_and_full_turn_are_identity(digits):
    imgs = digits[0][:40]
    assert np.allclose(A.rotate(imgs, 0.0), imgs, atol=1e-12)
    assert np.allclose(A.rotate(imgs, 360.0), imgs, atol=1e-9)
    assert np.allclose(A.rotate(imgs, -720.0), imgs, atol=1e-9)


def test_rotate_quarter_turns_match_numpy(digits):
    imgs = digits[0][:20]
    assert np.allclose(A.rotate(imgs, 90.0), np.rot90(imgs, 1, axes=(1, 2)), atol=1e-9)
    assert np.allclose(A.rotate(imgs, 180.0), imgs[:, ::-1, ::-1], atol=1e-9)
    assert np.allclose(A.rotate(imgs, -90.0), np.rot90(imgs, -1, axes=(1, 2)), atol=1e-9)
    ints = np.arange(16, dtype=np.int64).reshape(1, 4, 4)  # an exact quarter turn
    assert np.array_equal(A.rotate(ints, 90, order=0), np.rot90(ints, 1, axes=(1, 2)))


def test_rotate_per_image_angles_do_not_mix_images(digits):
    imgs = digits[0][:4]
    angles = np.array([0.0, 90.0, 180.0, 33.0])
    batch = A.rotate(imgs, angles)
    for i in range(4):
        assert np.allclose(batch[i], A.rotate(imgs[i : i + 1], angles[i])[0], atol=1e-12)


def test_rotate_fills_uncovered_corners():
    img = np.ones((1, 9, 9))
    out = A.rotate(img, 45.0, fill=0.0)[0]
    assert out[0, 0] == 0.0 and out[4, 4] == pytest.approx(1.0)


@settings(max_examples=30, deadline=None)
@given(angle=st.floats(-720, 720, allow_nan=False))
def test_rotate_keeps_values_in_range(angle):
    imgs = np.random.default_rng(1).random((3, 6, 6))
    out = A.rotate(imgs, angle, fill=0.0)
    assert out.shape == imgs.shape
    assert out.min() >= -1e-12 and out.max() <= 1 + 1e-12


def test_nearest_pixel_rotation_turns_without_blurring(digits):
    # a solid 3 × 3 block of ink on a 9 × 9 canvas, turned by 30°
    img = np.zeros((1, 9, 9))
    img[0, 3:6, 3:6] = 1.0
    sharp = A.fixed_rotation(30.0, order=0)(img)[0]
    blurred = A.fixed_rotation(30.0)(img)[0]
    # nearest pixel: every pixel is ink or paper; bilinear: the edges turn grey
    assert set(np.unique(sharp)) == {0.0, 1.0}
    assert np.any((blurred > 1e-9) & (blurred < 1 - 1e-9))
    # every pixel a nearest-pixel turn makes is a copy of a pixel of its image (or blank fill)
    imgs = digits[0][:30]
    out = A.random_rotation(15.0, order=0)(imgs, 3)
    for before, after in zip(imgs, out):
        assert np.isin(after, np.append(before, 0.0)).all()
    # a quarter turn of a square image by nearest pixel is numpy's exact rot90
    assert np.array_equal(A.fixed_rotation(90.0, order=0)(imgs), np.rot90(imgs, 1, axes=(1, 2)))


def test_rotation_order_changes_interpolation_not_angles(digits):
    imgs = digits[0][:12]
    angles = np.random.default_rng(7).uniform(-15.0, 15.0, size=len(imgs))
    for order in (0, 1):
        turned = A.random_rotation(15.0, order=order)(imgs, 7)
        assert np.array_equal(turned, A.rotate(imgs, angles, order=order))
    assert A.random_rotation(15.0, order=0).name == "rotation ≤ 15° (nearest pixel)"
    assert A.random_rotation(15.0).name == "rotation ≤ 15°"


def test_flip_is_an_involution_and_a_mirror(digits):
    imgs = digits[0][:30]
    assert np.array_equal(A.flip_horizontal(imgs), imgs[:, :, ::-1])
    assert np.array_equal(A.flip_horizontal(A.flip_horizontal(imgs)), imgs)


# ---------------------------------------------------------------- augment


def test_augment_keeps_real_data_first_and_carries_labels(digits):
    X, y = digits[0][:25], digits[1][:25]
    Xa, ya = A.augment(X, y, ["shift", "rotate"], copies=3, rng=0)
    assert Xa.shape == (100, 8, 8) and ya.shape == (100,)
    assert np.array_equal(Xa[:25], X)
    assert np.array_equal(ya, np.tile(y, 4))
    assert not np.array_equal(Xa[25:50], X)  # the copies were transformed


def test_augment_is_reproducible_and_seed_dependent(digits):
    X, y = digits[0][:30], digits[1][:30]
    a, _ = A.augment(X, y, "shift", copies=2, rng=5)
    b, _ = A.augment(X, y, "shift", copies=2, rng=5)
    c, _ = A.augment(X, y, "shift", copies=2, rng=6)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_augment_copies_zero_and_empty_chain(digits):
    X, y = digits[0][:10], digits[1][:10]
    X0, y0 = A.augment(X, y, "rotate", copies=0)
    assert np.array_equal(X0, X) and np.array_equal(y0, y)
    Xe, _ = A.augment(X, y, [], copies=2)
    assert np.array_equal(Xe, np.concatenate([X, X, X]))


def test_augment_false_invariances_are_the_exact_transforms(digits):
    X, y = digits[0][:10], digits[1][:10]
    Xr, _ = A.augment(X, y, "rotate180", copies=1)
    assert np.allclose(Xr[10:], X[:, ::-1, ::-1], atol=1e-9)
    Xf, _ = A.augment(X, y, "flip", copies=1)
    assert np.array_equal(Xf[10:], X[:, :, ::-1])


def test_random_shift_stays_within_its_range():
    # one lit pixel in the middle: after a shift of at most 1 it is within 1 of (3, 3)
    X = np.zeros((200, 7, 7))
    X[:, 3, 3] = 1
    out = A.random_shift(1)(X, 3)
    rows, cols = np.nonzero(out)[1:]
    assert out.sum() == 200
    assert set(rows) <= {2, 3, 4} and set(cols) <= {2, 3, 4}
    assert len(set(zip(rows, cols))) == 9  # every one of the 9 shifts occurs


def test_load_digits_images(digits):
    X, y = digits
    assert X.shape == (1797, 8, 8) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


# ---------------------------------------------------------------- DNA


def test_one_hot_known_values():
    assert np.array_equal(A.one_hot("ACGT"), np.eye(4, dtype=np.uint8))
    batch = A.one_hot(["AAT", "GCA"])
    assert batch.shape == (2, 3, 4) and batch.dtype == np.uint8
    assert np.array_equal(batch.argmax(2), [[0, 0, 3], [2, 1, 0]])


@given(dna)
def test_one_hot_rows_sum_to_one_and_decode(s):
    x = A.one_hot(s)
    assert np.all(x.sum(axis=1) == 1)
    assert "".join(A.BASES[i] for i in x.argmax(axis=1)) == s


def test_reverse_complement_known_values():
    assert A.reverse_complement("AACG") == "CGTT"
    assert A.reverse_complement("GATTACA") == "TGTAATC"
    assert A.reverse_complement(["AC", "GG"]) == ["GT", "CC"]
    assert A.reverse_complement("CACGTG") == "CACGTG"  # the E-box is its own reverse complement


@given(dna)
def test_reverse_complement_is_an_involution_on_strings_and_arrays(s):
    assert A.reverse_complement(s) == naive_rc(s)
    assert A.reverse_complement(A.reverse_complement(s)) == s
    x = A.one_hot(s)
    assert np.array_equal(A.reverse_complement(A.reverse_complement(x)), x)
    # string and one-hot routes agree
    assert np.array_equal(A.reverse_complement(x), A.one_hot(naive_rc(s)))
    assert np.array_equal(A.reverse_complement(x[None])[0], A.one_hot(naive_rc(s)))


@settings(max_examples=40, deadline=None)
@given(
    seqs=st.lists(st.text(alphabet="ACGT", min_size=6, max_size=6), min_size=1, max_size=5),
    k=st.integers(1, 3),
)
def test_kmer_counts_match_naive_counting(seqs, k):
    counts = A.kmer_counts(A.one_hot(seqs), k)
    assert counts.shape == (len(seqs), 4**k)
    for row, s in zip(counts, seqs):
        for j in range(4**k):
            word = "".join(A.BASES[(j // 4 ** (k - 1 - i)) % 4] for i in range(k))
            naive = sum(s[i : i + k] == word for i in range(len(s) - k + 1))
            assert row[j] == naive


@settings(max_examples=30, deadline=None)
@given(
    seqs=st.lists(st.text(alphabet="ACGT", min_size=12, max_size=12), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_shuffle_keeps_composition_and_rc_transform_is_reverse_complement(seqs, seed):
    X = A.one_hot(seqs)
    shuffled = A.shuffle_transform()(X, seed)
    assert shuffled.shape == X.shape
    assert np.array_equal(A.kmer_counts(shuffled, 1), A.kmer_counts(X, 1))
    Xa, _ = A.augment(X, np.zeros(len(seqs), dtype=int), "reverse_complement", copies=1)
    assert np.array_equal(Xa[len(seqs) :], A.one_hot(A.reverse_complement(seqs)))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: A.translate(np.zeros((2, 4, 4)), (0.5, 1)), "shifts must be whole"),
        (lambda: A.translate(np.zeros((2, 4, 4)), np.zeros((3, 2))), r"shifts must have shape"),
        (lambda: A.rotate(np.zeros((2, 4, 4)), [1.0, 2.0, 3.0]), r"angles must have shape"),
        (lambda: A.augment(np.zeros((5, 2, 2)), [0] * 4, "shift", copies=1), "y must be 1-D"),
        (lambda: A.augment(np.zeros((5, 2, 2)), [0] * 5, "zoom", copies=1), "transforms"),
        (lambda: A.augment(np.zeros((5, 2, 2)), [0] * 5, [3], copies=1), "transforms"),
        (lambda: A.augment(np.zeros((2, 3, 3)), [0, 1], "flip", copies=10**12), "copies"),
        (lambda: A.one_hot(["ACG", "AC"]), "same length"),
        (lambda: A.one_hot("acgt"), "seqs"),
        (lambda: A.reverse_complement("ACGU"), "seqs"),
        (lambda: A.reverse_complement(np.zeros((2, 5, 3))), "seqs must be one-hot"),
        (lambda: A.kmer_counts(A.one_hot(["ACGT"]), 5), "k must be at most"),
        (lambda: A.kmer_counts(np.ones((1, 4, 4)), 2), "one-hot"),
    ],
)
def test_bad_inputs_name_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_labels_need_not_be_numbers_and_other_containers_are_accepted():
    import pandas as pd

    Xa, ya = A.augment(np.zeros((2, 3, 3)), ["six", "nine"], "flip", copies=1)
    assert list(ya) == ["six", "nine"] * 2 and Xa.shape == (4, 3, 3)
    assert A.reverse_complement(["ACGT", "TTGA"]) == ["ACGT", "TCAA"]
    series = pd.Series(["ACGT", "TTGA"], index=[10, 11])
    assert np.array_equal(A.one_hot(series), A.one_hot(["ACGT", "TTGA"]))
    with pytest.raises(TypeError):
        A.TRANSFORMS["zoom"] = A.always_flip  # the registry is read-only
