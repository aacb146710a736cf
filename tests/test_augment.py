"""Invariance-based augmentation: transforms against exact array operations, DNA helpers
against naive string code, and the bad inputs every public function must refuse."""

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


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8])
def test_transforms_preserve_shape_and_dtype(dtype):
    imgs = np.random.default_rng(0).integers(0, 17, size=(5, 8, 7)).astype(dtype)
    for out in (
        A.translate(imgs, (1, -2)),
        A.rotate(imgs, 30.0),
        A.flip_horizontal(imgs),
        A.random_shift(2)(imgs, 1),
        A.random_rotation(20)(imgs, 1),
    ):
        assert out.shape == imgs.shape and out.dtype == imgs.dtype


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
    # integer images survive an exact quarter turn unchanged in value
    ints = np.arange(16, dtype=np.int64).reshape(1, 4, 4)
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


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: A.translate(np.zeros((8, 8)), (1, 1)), "images"),
        (lambda: A.rotate(np.zeros((2, 2, 8, 8)), 10), "images"),
        (lambda: A.flip_horizontal(np.zeros(5)), "images"),
        (lambda: A.translate(np.zeros((2, 4, 4)), (0.5, 1)), "shifts"),
        (lambda: A.translate(np.zeros((2, 4, 4)), np.zeros((3, 2))), "shifts"),
        (lambda: A.translate(np.zeros((2, 4, 4)), (np.nan, 1)), "shifts"),
        (lambda: A.rotate(np.zeros((2, 4, 4)), [1.0, 2.0, 3.0]), "angles"),
        (lambda: A.rotate(np.zeros((2, 4, 4)), 10, order=3), "order"),
        (lambda: A.translate(np.zeros((2, 4, 4), dtype=int), (1, 1), fill=0.5), "fill"),
        (lambda: A.rotate(np.full((1, 3, 3), np.nan), 10), "images"),
        (lambda: A.random_shift(-1), "max_shift"),
        (lambda: A.random_rotation(200), "max_degrees"),
        (lambda: A.random_rotation(15, order=2), "order"),
        (lambda: A.fixed_rotation(90, order=-1), "order"),
    ],
)
def test_image_bad_inputs_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_image_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="images"):
        A.translate(np.array([[["a"]]]), (0, 0))
    with pytest.raises(TypeError, match="max_shift"):
        A.random_shift(1.5)
    with pytest.raises(TypeError, match="order"):
        A.random_rotation(15, order=1.0)


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


def test_augment_bad_inputs(digits):
    X, y = digits[0][:5], digits[1][:5]
    with pytest.raises(ValueError, match="transforms"):
        A.augment(X, y, "zoom", copies=1)
    with pytest.raises(TypeError, match="transforms"):
        A.augment(X, y, [3], copies=1)
    with pytest.raises(ValueError, match="copies"):
        A.augment(X, y, "shift", copies=-1)
    with pytest.raises(TypeError, match="copies"):
        A.augment(X, y, "shift", copies=1.0)
    with pytest.raises(ValueError, match="y"):
        A.augment(X, y[:4], "shift", copies=1)
    with pytest.raises(ValueError, match="X"):
        A.augment(np.zeros(5), y, "shift", copies=1)


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


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: A.one_hot("ACGN"), ValueError, "seqs"),
        (lambda: A.one_hot("acgt"), ValueError, "seqs"),
        (lambda: A.one_hot(["ACG", "AC"]), ValueError, "seqs"),
        (lambda: A.one_hot([]), ValueError, "seqs"),
        (lambda: A.one_hot(42), TypeError, "seqs"),
        (lambda: A.reverse_complement("ACGU"), ValueError, "seqs"),
        (lambda: A.reverse_complement(np.zeros((2, 5, 3))), ValueError, "seqs"),
        (lambda: A.plant_motif(10, 20, "ACGX"), ValueError, "motif"),
        (lambda: A.plant_motif(10, 5, "ACGTAC"), ValueError, "length"),
        (lambda: A.plant_motif(0, 20, "ACG"), ValueError, "n"),
        (lambda: A.plant_motif(10, 20, "ACG", strand="sense"), ValueError, "strand"),
        (
            lambda: A.plant_motif(10, 20, "ACG", positive_fraction=1.5),
            ValueError,
            "positive_fraction",
        ),
        (lambda: A.kmer_counts(A.one_hot(["ACGT"]), 5), ValueError, "k"),
        (lambda: A.kmer_counts(np.ones((1, 4, 4)), 2), ValueError, "one-hot"),
        (lambda: A.count_sites(A.one_hot(["ACGT"]), "ACGTA"), ValueError, "motif"),
        (lambda: A.count_sites(np.zeros((1, 6, 4)), "ACG"), ValueError, "one-hot"),
    ],
)
def test_dna_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("strand", ["forward", "reverse", "both"])
def test_plant_motif_puts_the_motif_where_it_says(strand):
    motif = "AGATAAGC"
    d = A.plant_motif(400, 30, motif, strand=strand, rng=11)
    assert len(d.seqs) == 400 and all(len(s) == 30 for s in d.seqs)
    rc = A.reverse_complement(motif)
    for s, y, p, sg in zip(d.seqs, d.y, d.position, d.strand):
        if y == 1:
            assert s[p : p + 8] == (motif if sg == 1 else rc)
        else:
            assert p == -1 and sg == 0
    pos = d.strand[d.y == 1]
    if strand == "forward":
        assert np.all(pos == 1)
    elif strand == "reverse":
        assert np.all(pos == -1)
    else:
        assert 0.35 < np.mean(pos == 1) < 0.65
    assert 0.4 < d.y.mean() < 0.6
    assert d.X.shape == (400, 30, 4)


def test_plant_motif_reproducible_and_fraction_edges():
    a = A.plant_motif(50, 20, "ACG", rng=3)
    b = A.plant_motif(50, 20, "ACG", rng=3)
    assert a.seqs == b.seqs and np.array_equal(a.y, b.y)
    assert A.plant_motif(30, 20, "ACG", positive_fraction=0.0, rng=1).y.sum() == 0
    assert A.plant_motif(30, 20, "ACG", positive_fraction=1.0, rng=1).y.sum() == 30


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


@settings(max_examples=40, deadline=None)
@given(
    seqs=st.lists(st.text(alphabet="ACGT", min_size=10, max_size=10), min_size=1, max_size=5),
    motif=st.text(alphabet="ACGT", min_size=1, max_size=3),
)
def test_count_sites_matches_naive_counting(seqs, motif):
    X = A.one_hot(seqs)
    rc = naive_rc(motif)
    fwd = [sum(s[i : i + len(motif)] == motif for i in range(11 - len(motif))) for s in seqs]
    both = [sum(s[i : i + len(motif)] in (motif, rc) for i in range(11 - len(motif))) for s in seqs]
    assert np.array_equal(A.count_sites(X, motif, both_strands=False), fwd)
    assert np.array_equal(A.count_sites(X, motif), both)


@settings(max_examples=30, deadline=None)
@given(
    seqs=st.lists(st.text(alphabet="ACGT", min_size=12, max_size=12), min_size=1, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_shuffle_keeps_composition_and_rc_transform_is_reverse_complement(seqs, seed):
    X = A.one_hot(seqs)
    shuffled = A.shuffle_transform()(X, seed)
    assert shuffled.shape == X.shape and shuffled.dtype == X.dtype
    assert np.array_equal(A.kmer_counts(shuffled, 1), A.kmer_counts(X, 1))
    Xa, _ = A.augment(X, np.zeros(len(seqs), dtype=int), "reverse_complement", copies=1)
    assert np.array_equal(Xa[len(seqs) :], A.one_hot(A.reverse_complement(seqs)))


# ---------------------------------------------------------------- classifiers


def test_fit_score_nearest_neighbour_recalls_its_training_set(digits):
    X, y = digits[0][:200], digits[1][:200]
    res = A.fit_score(X, y, {"train": (X, y)}, model="nearest")
    assert res.accuracy["train"] == 1.0
    assert np.array_equal(res.predictions["train"], y)


def test_fit_score_logistic_separates_kmer_signal():
    d = A.plant_motif(300, 40, "AGATAAGC", strand="forward", rng=4)
    test = A.plant_motif(300, 40, "AGATAAGC", strand="forward", rng=5)
    res = A.fit_score(
        d.X,
        d.y,
        {"test": (test.X, test.y)},
        model="logistic",
        features=lambda X: A.kmer_counts(X, 4),
    )
    assert res.accuracy["test"] > 0.85  # well above the 0.5 of guessing
    with pytest.raises(ValueError, match="model"):
        A.fit_score(d.X, d.y, {"t": (test.X, test.y)}, model="forest")
    with pytest.raises(ValueError, match="C"):
        A.fit_score(d.X, d.y, {"t": (test.X, test.y)}, model="logistic", C=0)


def test_replicate_fits_is_paired_and_consistent(digits):
    X, y = digits
    tests = {"test": (X[1500:], y[1500:])}
    kw = {"n_train": 60, "seeds": [0, 1, 2]}
    a = A.replicate_fits(X[:1500], y[:1500], tests, transforms=[], copies=0, **kw)
    b = A.replicate_fits(X[:1500], y[:1500], tests, transforms=[], copies=0, **kw)
    assert np.array_equal(a.accuracy["test"], b.accuracy["test"])
    conf = a.confusion["test"]
    assert conf.shape == (3, 10, 10)
    assert np.all(conf.sum(axis=(1, 2)) == len(y) - 1500)
    assert np.allclose(np.trace(conf, axis1=1, axis2=2) / (len(y) - 1500), a.accuracy["test"])
    # exact copies add nothing to a nearest-neighbour classifier: same real data, same answers
    c = A.replicate_fits(X[:1500], y[:1500], tests, transforms=[], copies=2, **kw)
    assert np.array_equal(a.accuracy["test"], c.accuracy["test"])
    with pytest.raises(ValueError, match="n_train"):
        A.replicate_fits(X[:10], y[:10], tests, n_train=11, transforms=[], copies=0, seeds=[0])
    with pytest.raises(ValueError, match="seeds"):
        A.replicate_fits(X[:10], y[:10], tests, n_train=5, transforms=[], copies=0, seeds=[-1])


def test_replicate_recipes_draws_fresh_data_and_pairs_the_recipes(digits):
    X, y = digits
    calls = []

    def make_data(gen):
        order = gen.permutation(len(y))
        calls.append(order[:5])
        test, pool = order[:300], order[300:600]
        return X[pool], y[pool], {"test": (X[test], y[test])}

    recipes = {"none": ([], 0), "copies": ([], 2), "flip": ("flip", 1)}
    res = A.replicate_recipes(make_data, recipes, n_train=60, seeds=[3, 4, 5])
    assert list(res) == list(recipes) and len(calls) == 3
    assert not np.array_equal(calls[0], calls[1])  # every replicate draws its own data
    again = A.replicate_recipes(make_data, recipes, n_train=60, seeds=[3, 4, 5])
    assert np.array_equal(res["flip"].accuracy["test"], again["flip"].accuracy["test"])
    # paired: exact copies add nothing to a nearest-neighbour classifier trained on the same
    # real examples and scored on the same test set
    assert np.array_equal(res["none"].accuracy["test"], res["copies"].accuracy["test"])
    assert np.array_equal(res["none"].confusion["test"], res["copies"].confusion["test"])
    conf = res["flip"].confusion["test"]
    assert conf.shape == (3, 10, 10) and np.all(conf.sum(axis=(1, 2)) == 300)
    assert np.allclose(np.trace(conf, axis1=1, axis2=2) / 300, res["flip"].accuracy["test"])
    # one replicate of replicate_recipes is replicate_fits on that replicate's data, with the
    # training seed the replicate's generator draws after making its data
    gen = np.random.default_rng(4)
    Xp, yp, tests = make_data(gen)
    one = A.replicate_fits(
        Xp, yp, tests, n_train=60, transforms="flip", copies=1, seeds=[int(gen.integers(2**63))]
    )
    assert one.accuracy["test"][0] == res["flip"].accuracy["test"][1]


def test_replicate_recipes_bad_inputs(digits):
    X, y = digits
    ok = lambda gen: (X[:50], y[:50], {"t": (X[50:80], y[50:80])})  # noqa: E731
    with pytest.raises(TypeError, match="make_data"):
        A.replicate_recipes("data", {"none": ([], 0)}, n_train=5, seeds=[0])
    with pytest.raises(TypeError, match="make_data"):
        A.replicate_recipes(lambda gen: X[:50], {"none": ([], 0)}, n_train=5, seeds=[0])
    with pytest.raises(ValueError, match="n_train"):
        A.replicate_recipes(ok, {"none": ([], 0)}, n_train=51, seeds=[0])
    with pytest.raises(ValueError, match="recipes"):
        A.replicate_recipes(ok, {"bad": ("no-such-transform", 1)}, n_train=5, seeds=[0])
    with pytest.raises(TypeError, match="recipes"):
        A.replicate_recipes(ok, {"bad": "flip"}, n_train=5, seeds=[0])
    changing = iter([{"a": (X[50:60], y[50:60])}, {"b": (X[50:60], y[50:60])}])
    with pytest.raises(ValueError, match="same test sets"):
        A.replicate_recipes(
            lambda gen: (X[:50], y[:50], next(changing)), {"none": ([], 0)}, n_train=5, seeds=[0, 1]
        )


def test_nearest_neighbour_matches_scikit_learn(digits):
    from sklearn.neighbors import KNeighborsClassifier

    X, y = digits
    F = X.reshape(len(X), -1)
    Xa, ya = A.augment(X[:300], y[:300], ["shift", "rotate"], copies=2, rng=8)
    Fa = Xa.reshape(len(Xa), -1)
    ours = A.nearest_neighbour(Fa, ya, F[300:])
    theirs = KNeighborsClassifier(1).fit(Fa, ya).predict(F[300:])
    assert np.mean(ours == theirs) > 0.999  # equal up to exact distance ties
    # a training point is its own nearest neighbour
    assert np.array_equal(A.nearest_neighbour(F[:100], y[:100], F[:100]), y[:100])
    with pytest.raises(ValueError, match="F_test"):
        A.nearest_neighbour(F[:10], y[:10], F[:5, :10])
    with pytest.raises(ValueError, match="y_train"):
        A.nearest_neighbour(F[:10], y[:9], F[:5])
    with pytest.raises(ValueError, match="F_train"):
        A.nearest_neighbour(F[0], y[:1], F[:5])


def test_fill_must_fit_the_image_dtype():
    imgs = np.zeros((1, 3, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="fill"):
        A.translate(imgs, (1, 0), fill=-1)
    with pytest.raises(ValueError, match="fill"):
        A.rotate(imgs, 10, fill=300)
    assert A.translate(imgs, (1, 0), fill=255)[0, 0, 0] == 255
    with pytest.raises(TypeError):
        A.TRANSFORMS["zoom"] = A.always_flip  # the registry is read-only


# ---------------------------------------------------------------- refusals found by the sweep


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (
            lambda: A.augment(np.full((2, 3, 3), np.nan), [0, 1], "shift", copies=1),
            ValueError,
            "X must be finite",
        ),
        (
            lambda: A.augment(np.zeros((2, 3, 3)), [0.0, np.nan], "shift", copies=1),
            ValueError,
            "y must not contain NaN",
        ),
        (
            lambda: A.augment(np.zeros((1, 1, 9)), [0, 1], "shift", copies=1),
            ValueError,
            r"y must be 1-D with one label per example of X \(1\)",
        ),
        (
            lambda: A.count_sites(A.one_hot(["ACGT"]), "AC", both_strands="yes"),
            TypeError,
            "both_strands must be True or False",
        ),
        (
            lambda: A.reverse_complement(np.full((1, 3, 4), np.nan)),
            ValueError,
            "seqs must be one-hot",
        ),
        (lambda: A.reverse_complement(2 * A.one_hot("ACG")), ValueError, "seqs must be one-hot"),
        (
            lambda: A.nearest_neighbour([[0.0], [1.0]], [np.nan, 1.0], [[0.5]]),
            ValueError,
            "y_train must not contain NaN",
        ),
        (lambda: A.fit_score(5, [0], {"t": ([[0.0]], [0])}), ValueError, "X_train must have"),
        (
            lambda: A.fit_score([[0.0], [np.inf]], [0, 1], {"t": ([[0.0]], [0])}),
            ValueError,
            "X_train must be finite",
        ),
        (
            lambda: A.fit_score([[0.0], [1.0]], [0, 1], {"t": -1}),
            TypeError,
            r"tests\['t'\] must be a pair",
        ),
        (
            lambda: A.fit_score([[0.0], [1.0]], [0, 1], {"t": ([[0.0, 1.0]], [0])}),
            ValueError,
            r"tests\['t'\] X must have shape \(1, 1\)",
        ),
        (
            lambda: A.fit_score(
                [[0.0], [1.0]],
                [0, 1],
                {"t": ([[0.0]], [0])},
                features=lambda X: np.full((len(X), 2), np.nan),
            ),
            ValueError,
            r"features\(X_train\) must be finite",
        ),
        (
            lambda: A.replicate_fits(
                np.zeros((4, 2, 2)),
                [0, 1, 0, 1],
                {"t": (np.zeros((1, 2, 2)), [0])},
                n_train=2,
                transforms=[],
                copies=0,
                seeds=5,
            ),
            TypeError,
            "seeds must be a sequence",
        ),
        (
            lambda: A.replicate_fits(
                np.zeros((4, 2, 2)),
                [0, 1, 0, 1],
                {"t": 0.5},
                n_train=2,
                transforms=[],
                copies=0,
                seeds=[0],
            ),
            TypeError,
            r"tests\['t'\] must be a pair",
        ),
        (
            lambda: A.replicate_fits(
                np.full((4, 2, 2), np.nan),
                [0, 1, 0, 1],
                {"t": (np.zeros((1, 2, 2)), [0])},
                n_train=2,
                transforms="flip",
                copies=1,
                seeds=[0],
            ),
            ValueError,
            "X_pool must be finite",
        ),
    ],
)
def test_bad_inputs_found_by_the_sweep(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_labels_need_not_be_numbers():
    # string labels and negative labels remain valid
    F = [[0.0], [1.0], [5.0]]
    assert list(A.nearest_neighbour(F, ["a", "b", "c"], [[4.0]])) == ["c"]
    Xa, ya = A.augment(np.zeros((2, 3, 3)), ["six", "nine"], "flip", copies=1)
    assert list(ya) == ["six", "nine"] * 2 and Xa.shape == (4, 3, 3)
    res = A.fit_score(F, [-1, -2, -3], {"t": ([[0.9]], [-2])})
    assert res.accuracy["t"] == 1.0


def test_valid_inputs_of_other_containers_are_accepted():
    """Issue #23: a list for reverse_complement and a pandas Series for one_hot were refused."""
    import pandas as pd

    assert A.reverse_complement(["ACGT", "TTGA"]) == ["ACGT", "TCAA"]
    series = pd.Series(["ACGT", "TTGA"], index=[10, 11])
    assert np.array_equal(A.one_hot(series), A.one_hot(["ACGT", "TTGA"]))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: A.augment(np.zeros((2, 3, 3)), [0, 1], "flip", copies=10**12, rng=0), "copies"),
        (lambda: A.plant_motif(10**12, 12, "ACG", rng=0), "n, length"),
        (lambda: A.augment(np.zeros((2, 3, 3)), [0, None], "flip", rng=0), "y"),
        (lambda: A.augment(np.zeros((2, 3, 3)), [0, "a"], "flip", rng=0), "y"),
        (lambda: A.flip_horizontal(np.zeros((2, 3, 3)) + 1j), "images"),
        (lambda: A.count_sites(A.one_hot(["ACGT"]), "ACG", both_strands="no"), "both_strands"),
    ],
)
def test_hostile_inputs_are_refused(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
