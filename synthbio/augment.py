"""Invariance-based augmentation: symmetries that add data, and false ones that add bias.

A rules-based generator of synthetic data rests on an invariance: a
transformation ``g`` of an input ``x`` that leaves its label unchanged,
``label(g(x)) = label(x)``. Applying random ``g`` to real examples makes as many
new, still-true, training examples as we like. When the rule is wrong — ``g``
changes the label for some inputs — the synthetic examples carry that error
into the model as a bias.

This module holds the transformations the book uses:

* images of shape ``(n, h, w)``: :func:`translate`, :func:`rotate`,
  :func:`flip_horizontal`, and the random versions :func:`random_shift`,
  :func:`random_rotation`, :func:`fixed_rotation`, :func:`always_flip`;
* DNA: :func:`one_hot`, :func:`reverse_complement`, :func:`plant_motif`,
  :func:`kmer_counts`, :func:`count_sites`, and the random transforms :func:`rc_transform` and
  :func:`shuffle_transform`;
* :func:`augment`, which adds randomly transformed copies of a training set,
  and :func:`nearest_neighbour`, :func:`fit_score`, :func:`replicate_fits` and
  :func:`replicate_recipes`, the small classifier experiments (one nearest
  neighbour or logistic regression) of the chapter.

References
----------
Simard, P. Y., Steinkraus, D. & Platt, J. C. (2003). Best practices for
convolutional neural networks applied to visual document analysis. *ICDAR*,
958–963.

Shorten, C. & Khoshgoftaar, T. M. (2019). A survey on image data augmentation
for deep learning. *Journal of Big Data* 6, 60.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._validate import (
    MAX_MAGNITUDE,
    RNGLike,
    as_generator,
    bounded_array,
    check_memory,
    finite_array,
    flag,
    integer,
    labels_array,
    real,
    reject_bools,
)

__all__ = [
    "BASES",
    "TRANSFORMS",
    "FitResult",
    "MotifData",
    "Replicates",
    "Transform",
    "always_flip",
    "augment",
    "count_sites",
    "fit_score",
    "fixed_rotation",
    "flip_horizontal",
    "kmer_counts",
    "load_digits_images",
    "nearest_neighbour",
    "one_hot",
    "plant_motif",
    "random_rotation",
    "random_shift",
    "rc_transform",
    "replicate_fits",
    "replicate_recipes",
    "reverse_complement",
    "rotate",
    "shuffle_transform",
    "translate",
]

#: The DNA alphabet in one-hot channel order. A↔T and C↔G are mirror images in
#: this order, so complementing a one-hot array reverses its last axis.
BASES = "ACGT"
_COMPLEMENT = str.maketrans("ACGT", "TGCA")


# ---------------------------------------------------------------------------
# images
# ---------------------------------------------------------------------------


def _images(images: Any, name: str = "images") -> np.ndarray:
    """Validate a stack of images of shape (n, h, w); keep its dtype."""
    arr = np.asarray(images)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must be a numeric array of shape (n, h, w), got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real pixel values, got complex values")
    if arr.ndim != 3:
        raise ValueError(f"{name} must have 3 dimensions (n, h, w), got shape {arr.shape}")
    if arr.shape[1] < 1 or arr.shape[2] < 1:
        raise ValueError(f"{name} must have positive height and width, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def _per_image(name: str, value: Any, n: int, tail: tuple[int, ...]) -> np.ndarray:
    """Broadcast a per-image parameter to shape (n, *tail) as floats."""
    arr = finite_array(name, value, ndim=(len(tail), len(tail) + 1))
    want = (n, *tail)
    try:
        return np.broadcast_to(arr, want).astype(float)
    except ValueError:
        raise ValueError(
            f"{name} must have shape {tail or '()'} (one for all images) or {want}, got {arr.shape}"
        ) from None


def _examples(name: str, X: Any, *, min_ndim: int = 1, min_size: int = 0) -> np.ndarray:
    """Validate a batch of numeric examples (examples first); keep its dtype."""
    try:
        arr = np.asarray(X)
    except Exception as exc:  # noqa: BLE001 - ragged nested lists and the like
        raise TypeError(f"{name} must be a numeric array, examples first: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must be a numeric array, examples first, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got complex values")
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s) (examples first), "
            f"got shape {arr.shape}"
        )
    if len(arr) < min_size:
        raise ValueError(f"{name} must contain at least {min_size} example(s), got {len(arr)}")
    if np.issubdtype(arr.dtype, np.inexact) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    if np.issubdtype(arr.dtype, np.inexact) and arr.size and np.abs(arr).max() > MAX_MAGNITUDE:
        raise ValueError(
            f"{name} must have magnitudes at most {MAX_MAGNITUDE:g} (distances are "
            f"squared), got {np.abs(arr).max():g}"
        )
    return arr


def _labels(name: str, y: Any, n: int, of: str) -> np.ndarray:
    """Validate labels: 1-D, one per example of ``of``, and no NaN or inf among numbers."""
    arr = labels_array(name, y)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(
            f"{name} must be 1-D with one label per example of {of} ({n}), got shape {arr.shape}"
        )
    if np.issubdtype(arr.dtype, np.inexact) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must not contain NaN or inf labels")
    return arr


def _test_sets(tests: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Validate ``tests``: a non-empty mapping name -> (X, y) with one label per example."""
    if not isinstance(tests, Mapping):
        raise TypeError(
            f"tests must be a non-empty mapping name -> (X, y), got {type(tests).__name__}"
        )
    if not tests:
        raise ValueError("tests must be a non-empty mapping name -> (X, y), got an empty mapping")
    out = {}
    for name, pair in tests.items():
        where = f"tests[{name!r}]"
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(f"{where} must be a pair (X, y), got {type(pair).__name__}")
        Xt = _examples(f"{where} X", pair[0], min_size=1)
        out[name] = (Xt, _labels(f"{where} y", pair[1], len(Xt), f"{where} X"))
    return out


def _fill(fill: Any, dtype: np.dtype) -> float:
    value = real("fill", fill)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        if not float(value).is_integer() or not info.min <= value <= info.max:
            raise ValueError(
                f"fill must be a whole number in [{info.min}, {info.max}] for {dtype} images, "
                f"got {value}"
            )
    return value


def translate(images: Any, shifts: Any, *, fill: float = 0.0) -> np.ndarray:
    """Shift each image by a whole number of pixels, filling uncovered pixels with ``fill``.

    Parameters
    ----------
    images
        Array of shape ``(n, h, w)``.
    shifts
        Integer ``(down, right)`` shifts in pixels: shape ``(2,)`` for the same
        shift of every image, or ``(n, 2)`` for one shift per image. Positive
        values move the content down and to the right.
    fill
        Value of the pixels uncovered by the shift (and of every pixel when a
        shift exceeds the image size).

    Returns
    -------
    numpy.ndarray
        The shifted images, same shape and dtype as ``images``.
    """
    arr = _images(images)
    n, h, w = arr.shape
    reject_bools("shifts", shifts)
    s = _per_image("shifts", shifts, n, (2,))
    if np.any(s != np.round(s)):
        raise ValueError("shifts must be whole numbers of pixels")
    s = s.astype(np.int64)
    fill = _fill(fill, arr.dtype)
    rows = np.arange(h)[None, :] - s[:, :1]  # (n, h) source row of each target row
    cols = np.arange(w)[None, :] - s[:, 1:]  # (n, w)
    ok = ((rows >= 0) & (rows < h))[:, :, None] & ((cols >= 0) & (cols < w))[:, None, :]
    src = arr[
        np.arange(n)[:, None, None],
        np.clip(rows, 0, h - 1)[:, :, None],
        np.clip(cols, 0, w - 1)[:, None, :],
    ]
    return np.where(ok, src, np.asarray(fill).astype(arr.dtype))


def rotate(images: Any, angles: Any, *, fill: float = 0.0, order: int = 1) -> np.ndarray:
    """Rotate each image about its centre by ``angles`` degrees (counter-clockwise).

    Every image is resampled at once with :func:`scipy.ndimage.map_coordinates`
    on the stacked array; the image index is an exact integer coordinate, so
    images never mix.

    Parameters
    ----------
    images
        Array of shape ``(n, h, w)``.
    angles
        Angle in degrees, a scalar for all images or shape ``(n,)``.
    fill
        Value of output pixels whose source lies outside the image.
    order
        Interpolation order: 0 (nearest pixel) or 1 (bilinear).

    Returns
    -------
    numpy.ndarray
        The rotated images, same shape and dtype as ``images`` (integer images
        are rounded back to integers).
    """
    from scipy import ndimage

    arr = _images(images)
    n, h, w = arr.shape
    theta = np.deg2rad(_per_image("angles", angles, n, ()))
    order = integer("order", order, minimum=0, maximum=1)
    fill = _fill(fill, arr.dtype)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    y, x = np.meshgrid(np.arange(h) - cy, np.arange(w) - cx, indexing="ij")
    # the output pixel at (y, x) takes its value from the input rotated back by theta;
    # rows grow downwards, so a counter-clockwise turn on screen is this map:
    c, s = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    src_y = c * y + s * x + cy
    src_x = -s * y + c * x + cx
    # trig round-off puts exact pixel centres 1e-16 off the grid; snap them back
    coords = np.stack(
        [
            np.broadcast_to(np.arange(n, dtype=float)[:, None, None], src_y.shape),
            np.round(src_y, 9),
            np.round(src_x, 9),
        ]
    )
    out = ndimage.map_coordinates(
        arr.astype(float), coords, order=order, mode="constant", cval=fill, prefilter=False
    )
    if np.issubdtype(arr.dtype, np.integer) or arr.dtype == np.bool_:
        out = np.round(out)
    return out.astype(arr.dtype)


def flip_horizontal(images: Any) -> np.ndarray:
    """Mirror each image left to right (no pixel is uncovered, so there is no fill).

    Parameters
    ----------
    images
        Array of shape ``(n, h, w)``.

    Returns
    -------
    numpy.ndarray
        ``images[:, :, ::-1]`` as a new array of the same dtype.
    """
    return _images(images)[:, :, ::-1].copy()


# ---------------------------------------------------------------------------
# random transforms and augmentation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Transform:
    """A random, label-preserving (or so we claim) transformation of a batch.

    Attributes
    ----------
    name
        Short description used in legends, e.g. ``"shift ≤ 1 px"``.
    func
        ``func(X, rng) -> X'``: transforms the batch ``X`` with random
        parameters drawn from the :class:`numpy.random.Generator` ``rng``,
        returning an array of the same shape.
    """

    name: str
    func: Callable[[np.ndarray, np.random.Generator], np.ndarray] = field(repr=False)

    def __call__(self, X: Any, rng: RNGLike = None) -> np.ndarray:
        """Apply the transform to the batch ``X`` with randomness from ``rng``."""
        return self.func(np.asarray(X), as_generator(rng))


def random_shift(max_shift: int = 1, *, fill: float = 0.0) -> Transform:
    """Shift each image by independent uniform whole-pixel steps in ``[-max_shift, max_shift]``."""
    m = integer("max_shift", max_shift, minimum=0)
    fill = real("fill", fill)

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return translate(X, rng.integers(-m, m + 1, size=(len(X), 2)), fill=fill)

    return Transform(f"shift ≤ {m} px", func)


def _order_name(order: int) -> str:
    return "" if order == 1 else " (nearest pixel)"


def random_rotation(max_degrees: float = 15.0, *, fill: float = 0.0, order: int = 1) -> Transform:
    """Rotate each image by an angle drawn uniformly from ``[-max_degrees, max_degrees]``.

    ``order`` is the interpolation of :func:`rotate`: 1 (bilinear, the
    default) averages neighbouring pixels and so blurs a little; 0 copies the
    nearest source pixel, which turns the image without blurring it.
    """
    m = real("max_degrees", max_degrees, minimum=0, maximum=180)
    fill = real("fill", fill)
    order = integer("order", order, minimum=0, maximum=1)

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return rotate(X, rng.uniform(-m, m, size=len(X)), fill=fill, order=order)

    return Transform(f"rotation ≤ {m:g}°{_order_name(order)}", func)


def fixed_rotation(degrees: float = 180.0, *, fill: float = 0.0, order: int = 1) -> Transform:
    """Rotate every image by the same angle (180° is *not* a symmetry of digits).

    ``order`` is the interpolation of :func:`rotate` (1 bilinear, 0 nearest pixel).
    """
    d = real("degrees", degrees)
    fill = real("fill", fill)
    order = integer("order", order, minimum=0, maximum=1)

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return rotate(X, d, fill=fill, order=order)

    return Transform(f"rotation by {d:g}°{_order_name(order)}", func)


def always_flip() -> Transform:
    """Mirror every image left to right (*not* a symmetry of digits)."""
    return Transform("horizontal flip", lambda X, rng: flip_horizontal(X))


def rc_transform() -> Transform:
    """Replace every one-hot sequence by its reverse complement (the other strand)."""
    return Transform("reverse complement", lambda X, rng: reverse_complement(X))


def shuffle_transform() -> Transform:
    """Permute the positions of each one-hot sequence at random (destroys motifs)."""

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        X = _onehot_array(X)
        order = rng.permuted(np.broadcast_to(np.arange(X.shape[1]), X.shape[:2]), axis=1)
        return np.take_along_axis(X, order[:, :, None], axis=1)

    return Transform("shuffled positions", func)


#: Transforms by name, with the parameters the chapter uses. ``augment``
#: accepts these names as well as :class:`Transform` objects.
TRANSFORMS: Mapping[str, Callable[[], Transform]] = MappingProxyType(
    {
        "shift": lambda: random_shift(1),
        "rotate": lambda: random_rotation(15.0),
        "rotate180": lambda: fixed_rotation(180.0),
        "flip": always_flip,
        "reverse_complement": rc_transform,
        "shuffle": shuffle_transform,
    }
)

TransformLike = str | Transform


def _transform(spec: Any) -> Transform:
    if isinstance(spec, Transform):
        return spec
    if isinstance(spec, str):
        if spec not in TRANSFORMS:
            raise ValueError(
                f"transforms: unknown transform {spec!r}; choose from {sorted(TRANSFORMS)} "
                "or pass a Transform"
            )
        return TRANSFORMS[spec]()
    raise TypeError(
        f"transforms must contain names from {sorted(TRANSFORMS)} or Transform objects, "
        f"got {type(spec).__name__}"
    )


def augment(
    X: Any,
    y: Any,
    transforms: TransformLike | Sequence[TransformLike],
    *,
    copies: int,
    rng: RNGLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the real data followed by ``copies`` randomly transformed copies of it.

    Each copy applies every transform in ``transforms`` in turn, with fresh
    random parameters for every example and copy; labels are carried along
    unchanged — which is exactly the claim of invariance being made.

    Parameters
    ----------
    X
        Examples, first axis indexing them (images ``(n, h, w)``, one-hot
        sequences ``(n, L, 4)``).
    y
        Labels, shape ``(n,)``.
    transforms
        A name from :data:`TRANSFORMS`, a :class:`Transform`, or a sequence of
        them (composed in order). An empty sequence makes exact copies.
    copies
        Number of synthetic copies per real example (0 returns the data).
    rng
        Seed or generator for the transforms' random parameters.

    Returns
    -------
    X_aug, y_aug
        Arrays with ``(copies + 1) * n`` examples; the first ``n`` are the
        real ones, in their original order.
    """
    X = _examples("X", X, min_ndim=2)
    y = _labels("y", y, len(X), "X")
    copies = integer("copies", copies, minimum=0)
    check_memory("copies", (copies + 1.0) * X.size, what="(copies + 1) × the examples")
    specs = [transforms] if isinstance(transforms, (str, Transform)) else transforms
    if not isinstance(specs, Sequence):
        raise TypeError("transforms must be a name, a Transform or a sequence of them")
    chain = [_transform(s) for s in specs]
    gen = as_generator(rng)
    synth = np.concatenate([X] * copies) if copies else X[:0]
    for t in chain:
        if len(synth):
            synth = t(synth, gen)
    return np.concatenate([X, synth.astype(X.dtype, copy=False)]), np.concatenate(
        [y] * (copies + 1)
    )


def load_digits_images() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8×8 handwritten digits as images scaled to ``[0, 1]``.

    Returns
    -------
    images, labels
        ``images`` of shape ``(1797, 8, 8)`` (float, ink = 1) and integer labels
        0–9. The data ship with scikit-learn; nothing is downloaded.

    References
    ----------
    Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten
    Digits. UCI Machine Learning Repository.
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.images / 16.0, d.target.astype(np.int64)


# ---------------------------------------------------------------------------
# DNA
# ---------------------------------------------------------------------------


def _check_seq(name: str, s: Any) -> str:
    if not isinstance(s, str):
        raise TypeError(
            f"{name} must be a DNA string or a sequence of them, got {type(s).__name__}"
        )
    bad = set(s) - set(BASES)
    if bad:
        raise ValueError(f"{name} may contain only the letters A, C, G, T; found {sorted(bad)}")
    return s


def _seq_list(seqs: Any, name: str = "seqs") -> list[str]:
    if isinstance(seqs, str):
        return [_check_seq(name, seqs)]
    if isinstance(seqs, np.ndarray) and seqs.dtype.kind in "US":
        seqs = seqs.tolist()
    if hasattr(seqs, "to_numpy") and hasattr(seqs, "index"):  # a pandas Series of strings
        seqs = seqs.tolist()
    if not isinstance(seqs, Sequence) or isinstance(seqs, (bytes, bytearray)):
        raise TypeError(f"{name} must be a DNA string or a sequence of strings")
    out = [_check_seq(name, s) for s in seqs]
    if not out:
        raise ValueError(f"{name} must contain at least one sequence")
    return out


def _onehot_array(X: Any, name: str = "seqs") -> np.ndarray:
    arr = np.asarray(X)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must be a numeric one-hot array, got dtype {arr.dtype}")
    if arr.ndim not in (2, 3) or arr.shape[-1] != 4:
        raise ValueError(
            f"{name} must have shape (L, 4) or (n, L, 4) as one-hot DNA, got {arr.shape}"
        )
    if arr.ndim == 2:
        raise ValueError(f"{name}: expected a batch (n, L, 4); wrap a single sequence as arr[None]")
    return arr


def _strict_onehot(X: Any, name: str = "X") -> np.ndarray:
    arr = _onehot_array(X, name)
    if np.any((arr != 0) & (arr != 1)) or np.any(arr.sum(axis=2) != 1):
        raise ValueError(f"{name} must be one-hot: exactly one 1 per position, zeros elsewhere")
    return arr


def one_hot(seqs: str | Sequence[str]) -> np.ndarray:
    """Encode DNA strings as one-hot arrays with channels in the order ``A, C, G, T``.

    Parameters
    ----------
    seqs
        One string or a sequence of strings of equal length, letters ``ACGT``.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of shape ``(L, 4)`` for one string, ``(n, L, 4)`` for many.
    """
    single = isinstance(seqs, str)
    lst = _seq_list(seqs)
    lengths = {len(s) for s in lst}
    if len(lengths) != 1:
        raise ValueError(f"seqs must all have the same length, got lengths {sorted(lengths)}")
    codes = np.frombuffer("".join(lst).encode("ascii"), dtype=np.uint8).reshape(len(lst), -1)
    lut = np.zeros(256, dtype=np.int64)
    lut[np.frombuffer(BASES.encode(), dtype=np.uint8)] = np.arange(4)
    out = (lut[codes][:, :, None] == np.arange(4)).astype(np.uint8)
    return out[0] if single else out


def reverse_complement(seqs: Any) -> Any:
    """The sequence of the opposite DNA strand, read 5'→3'.

    Works on a string, a list of strings, or a one-hot array of shape
    ``(L, 4)`` or ``(n, L, 4)`` (channels ``A, C, G, T``: complementing
    reverses the channel axis; every position must hold exactly one 1).
    Applying it twice returns the input.

    Parameters
    ----------
    seqs
        DNA as a string, a sequence of strings, or a one-hot array.

    Returns
    -------
    str, list of str or numpy.ndarray
        Same kind as the input.
    """
    if isinstance(seqs, str):
        return _check_seq("seqs", seqs).translate(_COMPLEMENT)[::-1]
    if isinstance(seqs, np.ndarray) and seqs.dtype.kind not in "US":
        arr = np.asarray(seqs)
        if arr.ndim == 2:
            return _strict_onehot(arr[None], "seqs")[0, ::-1, ::-1].copy()
        return _strict_onehot(arr, "seqs")[:, ::-1, ::-1].copy()
    return [s.translate(_COMPLEMENT)[::-1] for s in _seq_list(seqs)]


@dataclass(frozen=True)
class MotifData:
    """Random DNA with a motif planted in the positive class.

    Attributes
    ----------
    seqs
        The sequences, as strings.
    y
        Labels: 1 if a motif was planted, else 0.
    position
        Start of the planted motif on the forward strand (-1 for negatives).
    strand
        +1 if the motif was planted as given, -1 if as its reverse complement,
        0 for negatives.
    motif
        The motif.
    """

    seqs: list[str]
    y: np.ndarray
    position: np.ndarray
    strand: np.ndarray
    motif: str

    @property
    def X(self) -> np.ndarray:
        """One-hot encoding of :attr:`seqs`, shape ``(n, L, 4)``."""
        return one_hot(self.seqs)


def plant_motif(
    n: int,
    length: int,
    motif: str,
    *,
    strand: str = "both",
    positive_fraction: float = 0.5,
    rng: RNGLike = None,
) -> MotifData:
    """Make random DNA (uniform, independent bases) with ``motif`` planted in the positives.

    Parameters
    ----------
    n
        Number of sequences (≥ 1).
    length
        Length of each sequence (at least the motif's length).
    motif
        The binding site, letters ``ACGT``.
    strand
        ``"forward"``: every positive carries the motif as given;
        ``"both"``: each positive carries the motif or its reverse complement
        with probability 1/2 each, as a protein binding double-stranded DNA
        would see it; ``"reverse"``: always the reverse complement.
    positive_fraction
        Probability that a sequence is a positive, in ``[0, 1]``.
    rng
        Seed or generator.

    Returns
    -------
    MotifData
        Sequences, labels, motif positions and strands.
    """
    n = integer("n", n, minimum=1)
    motif = _check_seq("motif", motif)
    if not motif:
        raise ValueError("motif must have at least one letter")
    length = integer("length", length, minimum=len(motif))
    check_memory("n, length", 6.0 * n * length, what="sequences and their one-hot codes")
    if strand not in ("both", "forward", "reverse"):
        raise ValueError(f"strand must be 'both', 'forward' or 'reverse', got {strand!r}")
    p = real("positive_fraction", positive_fraction, minimum=0, maximum=1)
    gen = as_generator(rng)
    codes = gen.integers(0, 4, size=(n, length))
    y = (gen.random(n) < p).astype(np.int64)
    k = len(motif)
    pos = gen.integers(0, length - k + 1, size=n)
    if strand == "both":
        sgn = np.where(gen.random(n) < 0.5, 1, -1)
    else:
        sgn = np.full(n, 1 if strand == "forward" else -1)
    fwd = np.array([BASES.index(b) for b in motif])
    site = np.where(sgn[:, None] == 1, fwd[None, :], (3 - fwd[::-1])[None, :])
    rows = np.flatnonzero(y)
    cols = pos[rows, None] + np.arange(k)
    codes[rows[:, None], cols] = site[rows]
    letters = np.frombuffer(BASES.encode(), dtype="S1")[codes]
    seqs = [r.tobytes().decode("ascii") for r in letters]
    return MotifData(
        seqs=seqs,
        y=y,
        position=np.where(y == 1, pos, -1),
        strand=np.where(y == 1, sgn, 0),
        motif=motif,
    )


def kmer_counts(X: Any, k: int) -> np.ndarray:
    """Count every k-mer in each one-hot sequence (the "spectrum" features of a sequence).

    Parameters
    ----------
    X
        One-hot DNA of shape ``(n, L, 4)`` (channels ``A, C, G, T``).
    k
        k-mer length, ``1 ≤ k ≤ min(L, 8)``.

    Returns
    -------
    numpy.ndarray
        Integer array ``(n, 4**k)``; column ``j`` counts the k-mer whose letters
        are the base-4 digits of ``j`` (most significant first).

    References
    ----------
    Leslie, C., Eskin, E. & Noble, W. S. (2002). The spectrum kernel: a string
    kernel for SVM protein classification. *Pacific Symposium on
    Biocomputing*, 564–575.
    """
    arr = _strict_onehot(X)
    n, L, _ = arr.shape
    k = integer("k", k, minimum=1, maximum=min(L, 8))
    idx = arr.argmax(axis=2).astype(np.int64)  # (n, L)
    code = np.zeros((n, L - k + 1), dtype=np.int64)
    for j in range(k):  # k ≤ 8 steps, each over the whole batch
        code = code * 4 + idx[:, j : L - k + 1 + j]
    flat = code + (np.arange(n) * 4**k)[:, None]
    return np.bincount(flat.ravel(), minlength=n * 4**k).reshape(n, 4**k)


def count_sites(X: Any, motif: str, *, both_strands: bool = True) -> np.ndarray:
    """Count exact occurrences of ``motif`` in each one-hot sequence.

    Parameters
    ----------
    X
        One-hot DNA of shape ``(n, L, 4)``.
    motif
        The site, letters ``ACGT``, no longer than ``L``.
    both_strands
        Also count occurrences of the reverse complement (what a protein that
        binds double-stranded DNA sees). A palindromic site is counted once
        per position.

    Returns
    -------
    numpy.ndarray
        Integer counts, shape ``(n,)``.
    """
    arr = _strict_onehot(X)
    motif = _check_seq("motif", motif)
    both_strands = flag("both_strands", both_strands)
    L = arr.shape[1]
    k = len(motif)
    if not 1 <= k <= L:
        raise ValueError(f"motif must have between 1 and {L} letters, got {k}")
    idx = arr.argmax(axis=2)
    windows = np.lib.stride_tricks.sliding_window_view(idx, k, axis=1)  # (n, L-k+1, k)
    fwd = np.array([BASES.index(b) for b in motif])
    hit = np.all(windows == fwd, axis=2)
    if both_strands:
        hit |= np.all(windows == 3 - fwd[::-1], axis=2)
    return hit.sum(axis=1)


# ---------------------------------------------------------------------------
# the chapter's classifier experiment
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FitResult:
    """Accuracy of one fitted classifier on several test sets.

    Attributes
    ----------
    accuracy
        Test-set name → fraction of correct predictions.
    predictions
        Test-set name → predicted labels.
    """

    accuracy: dict[str, float]
    predictions: dict[str, np.ndarray]


_MODELS = ("nearest", "logistic")


def _flatten(A: np.ndarray) -> np.ndarray:
    return np.asarray(A).reshape(len(A), -1)


def nearest_neighbour(F_train: Any, y_train: Any, F_test: Any) -> np.ndarray:
    """Label each test row with the label of its nearest training row (Euclidean distance).

    Squared distances are computed as ``|a|² − 2 a·b + |b|²`` in one matrix
    product; ties go to the training row that comes first.

    Parameters
    ----------
    F_train
        Training features, shape ``(m, d)``.
    y_train
        Training labels, shape ``(m,)``.
    F_test
        Test features, shape ``(t, d)``.

    Returns
    -------
    numpy.ndarray
        Predicted labels, shape ``(t,)``.

    References
    ----------
    Cover, T. M. & Hart, P. E. (1967). Nearest neighbor pattern
    classification. *IEEE Transactions on Information Theory* 13, 21–27.
    """
    A = bounded_array("F_train", F_train, ndim=2)
    B = bounded_array("F_test", F_test, ndim=2)
    y = _labels("y_train", y_train, len(A), "F_train")
    if A.shape[1] != B.shape[1]:
        raise ValueError(
            f"F_test must have as many columns as F_train ({A.shape[1]}), got {B.shape[1]}"
        )
    d2 = (A * A).sum(axis=1)[None, :] - 2.0 * (B @ A.T)  # |b|² is the same for a whole row
    return y[np.argmin(d2, axis=1)]


def fit_score(
    X_train: Any,
    y_train: Any,
    tests: Mapping[str, tuple[Any, Any]],
    *,
    model: str = "nearest",
    features: Callable[[np.ndarray], np.ndarray] | None = None,
    C: float = 1.0,
) -> FitResult:
    """Fit a simple classifier and score it on every test set.

    Parameters
    ----------
    X_train, y_train
        Training examples (any shape, examples first) and labels.
    tests
        Name → ``(X, y)`` test set.
    model
        ``"nearest"``: one-nearest-neighbour (Euclidean) — a new example
        takes the label of the most similar training example;
        ``"logistic"``: L2-regularised multinomial logistic regression.
    features
        Map from a batch of examples to a 2-D feature matrix; by default each
        example is flattened.
    C
        Inverse regularisation strength of the logistic model, > 0.

    Returns
    -------
    FitResult
    """
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    if model not in _MODELS:
        raise ValueError(f"model must be one of {_MODELS}, got {model!r}")
    C = real("C", C, minimum=0, open_min=True)
    feat = _flatten if features is None else features
    if not callable(feat):
        raise TypeError("features must be a callable mapping examples to a 2-D array")
    X_train = _examples("X_train", X_train, min_size=1)
    y_train = _labels("y_train", y_train, len(X_train), "X_train")
    test_sets = _test_sets(tests)
    label = "X_train" if features is None else "features(X_train)"
    # These problems are small: one BLAS thread is faster than many, and on a shared
    # machine far faster than threads that wait for busy cores.
    with threadpool_limits(limits=1):
        F_train = finite_array(label, feat(X_train), ndim=2)
        if len(F_train) != len(X_train):
            raise ValueError(f"{label} must have one row per example, got shape {F_train.shape}")
        if model == "nearest":

            def predict(F: np.ndarray) -> np.ndarray:
                return nearest_neighbour(F_train, y_train, F)

        else:
            predict = LogisticRegression(C=C, max_iter=2000).fit(F_train, y_train).predict
        acc, pred = {}, {}
        for name, (Xt, yt) in test_sets.items():
            where = f"tests[{name!r}] X" if features is None else f"features(tests[{name!r}] X)"
            F_test = finite_array(where, feat(Xt), ndim=2)
            if F_test.shape != (len(Xt), F_train.shape[1]):
                raise ValueError(
                    f"{where} must have shape ({len(Xt)}, {F_train.shape[1]}) like {label}, "
                    f"got {F_test.shape}"
                )
            p = predict(F_test)
            pred[name] = p
            acc[name] = float(np.mean(p == yt))
    return FitResult(accuracy=acc, predictions=pred)


@dataclass(frozen=True)
class Replicates:
    """Accuracies and confusion matrices of a training recipe over several seeds.

    Attributes
    ----------
    seeds
        The seeds, one per replicate.
    accuracy
        Test-set name → accuracies, shape ``(R,)``.
    confusion
        Test-set name → confusion counts, shape ``(R, K, K)``; entry
        ``[r, i, j]`` counts examples of true class ``labels[i]`` predicted as
        ``labels[j]`` in replicate ``r``.
    labels
        The class labels indexing the confusion matrices.
    """

    seeds: np.ndarray
    accuracy: dict[str, np.ndarray]
    confusion: dict[str, np.ndarray]
    labels: np.ndarray


def replicate_fits(
    X_pool: Any,
    y_pool: Any,
    tests: Mapping[str, tuple[Any, Any]],
    *,
    n_train: int,
    transforms: TransformLike | Sequence[TransformLike],
    copies: int,
    seeds: Sequence[int],
    model: str = "nearest",
    features: Callable[[np.ndarray], np.ndarray] | None = None,
    C: float = 1.0,
) -> Replicates:
    """Train on ``n_train`` real examples (+ augmentation) once per seed, and score.

    For each seed ``s`` a generator ``default_rng(s)`` first draws the
    training examples from the pool without replacement, then the
    augmentation's random parameters. Two recipes run with the same seeds
    therefore see the same real training examples, so their accuracies can be
    compared seed by seed (paired differences). The pool and the test sets
    stay fixed, so the spread over seeds leaves out the luck of which examples
    were drawn for testing; :func:`replicate_recipes` redraws those as well.

    Parameters
    ----------
    X_pool, y_pool
        The real examples available for training.
    tests
        Name → ``(X, y)`` test set.
    n_train
        Real training examples per replicate, in ``[1, len(X_pool)]``.
    transforms, copies
        The augmentation, as in :func:`augment` (``copies=0`` for none).
    seeds
        One non-negative int seed per replicate.
    model, features, C
        The classifier, as in :func:`fit_score`.

    Returns
    -------
    Replicates
    """
    X_pool = _examples("X_pool", X_pool, min_ndim=2, min_size=1)
    y_pool = _labels("y_pool", y_pool, len(X_pool), "X_pool")
    n_train = integer("n_train", n_train, minimum=1, maximum=len(X_pool))
    seed_arr = _seed_list(seeds)
    tests = _test_sets(tests)
    runs = []
    for seed in seed_arr:
        gen = np.random.default_rng(int(seed))
        res = _fit_once(
            gen,
            X_pool,
            y_pool,
            tests,
            n_train,
            transforms,
            copies,
            model=model,
            features=features,
            C=C,
        )
        runs.append({name: (yt, res.predictions[name]) for name, (_, yt) in tests.items()})
    return _collect(seed_arr, runs, _all_labels(runs, y_pool))


def _seed_list(seeds: Any) -> np.ndarray:
    if hasattr(seeds, "to_numpy") and hasattr(seeds, "index"):  # a pandas Series
        seeds = seeds.tolist()
    if isinstance(seeds, (str, bytes, Mapping)) or not isinstance(seeds, (Sequence, np.ndarray)):
        raise TypeError(f"seeds must be a sequence of int seeds, got {type(seeds).__name__}")
    out = np.asarray([integer("seeds", s, minimum=0) for s in seeds], dtype=np.int64)
    if out.size == 0:
        raise ValueError("seeds must contain at least one seed")
    return out


def _fit_once(
    gen: np.random.Generator,
    X_pool: np.ndarray,
    y_pool: np.ndarray,
    tests: dict[str, tuple[np.ndarray, np.ndarray]],
    n_train: int,
    transforms: Any,
    copies: int,
    **fit: Any,
) -> FitResult:
    """Draw ``n_train`` real examples with ``gen``, augment them with ``gen``, fit and score."""
    idx = gen.choice(len(X_pool), size=n_train, replace=False)
    Xa, ya = augment(X_pool[idx], y_pool[idx], transforms, copies=copies, rng=gen)
    return fit_score(Xa, ya, tests, **fit)


_Run = dict[str, tuple[np.ndarray, np.ndarray]]  # test-set name -> (true, predicted) labels


def _all_labels(runs: list[_Run], *pools: np.ndarray) -> np.ndarray:
    """Every class label that occurs in the pools, the test sets or the predictions."""
    parts = [part for run in runs for pair in run.values() for part in pair]
    return np.unique(np.concatenate([*pools, *parts]))


def _collect(seeds: np.ndarray, runs: list[_Run], labels: np.ndarray) -> Replicates:
    """Accuracies and confusion matrices from each replicate's (true, predicted) labels."""
    names = list(runs[0])
    K = len(labels)
    acc = {k: np.empty(len(runs)) for k in names}
    conf = {k: np.zeros((len(runs), K, K), dtype=np.int64) for k in names}
    for r, run in enumerate(runs):
        for name in names:
            yt, pred = run[name]
            acc[name][r] = float(np.mean(pred == yt))
            ti, pi = np.searchsorted(labels, yt), np.searchsorted(labels, pred)
            conf[name][r] = np.bincount(ti * K + pi, minlength=K * K).reshape(K, K)
    return Replicates(seeds=seeds, accuracy=acc, confusion=conf, labels=labels)


def _recipe_list(recipes: Any) -> dict[str, tuple[Any, int]]:
    """Validate ``recipes``: a non-empty mapping name -> (transforms, copies)."""
    if not isinstance(recipes, Mapping):
        raise TypeError(
            "recipes must be a non-empty mapping name -> (transforms, copies), "
            f"got {type(recipes).__name__}"
        )
    if not recipes:
        raise ValueError("recipes must be a non-empty mapping name -> (transforms, copies)")
    out = {}
    for name, pair in recipes.items():
        where = f"recipes[{name!r}]"
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(f"{where} must be a pair (transforms, copies), got {pair!r}")
        transforms, copies = pair
        copies = integer(f"{where} copies", copies, minimum=0)
        specs = [transforms] if isinstance(transforms, (str, Transform)) else transforms
        if isinstance(specs, (bytes, Mapping)) or not isinstance(specs, Sequence):
            raise TypeError(f"{where} transforms must be a name, a Transform or a sequence of them")
        try:
            for spec in specs:
                _transform(spec)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{where}: {exc}") from None
        out[name] = (transforms, copies)
    return out


def replicate_recipes(
    make_data: Callable[[np.random.Generator], Any],
    recipes: Mapping[str, tuple[TransformLike | Sequence[TransformLike], int]],
    *,
    n_train: int,
    seeds: Sequence[int],
    model: str = "nearest",
    features: Callable[[np.ndarray], np.ndarray] | None = None,
    C: float = 1.0,
) -> dict[str, Replicates]:
    """Compare augmentation recipes over replicates that each draw their own data.

    :func:`replicate_fits` keeps the pool and the test sets fixed, so its
    spread over seeds measures only the draw of the training examples. Here
    every replicate starts afresh: for each seed ``s`` a generator
    ``default_rng(s)`` first makes the replicate's data with ``make_data`` —
    its pool of real examples and its test sets — and then a training seed.
    Every recipe then draws the *same* ``n_train`` real examples from that
    pool (a generator from the training seed), augments them with its own
    transforms, and is scored on the same test sets. Replicates are therefore
    independent draws of everything random in the experiment (a mean over
    them has an honest standard error), and within a replicate the recipes
    are paired.

    Parameters
    ----------
    make_data
        ``make_data(gen) -> (X_pool, y_pool, tests)``: one replicate's real
        examples available for training and its test sets (name → ``(X, y)``,
        the same names in every replicate), drawn with the
        :class:`numpy.random.Generator` ``gen``.
    recipes
        Name → ``(transforms, copies)``, the augmentation as in :func:`augment`
        (``([], 0)`` for none).
    n_train
        Real training examples per replicate, at least 1 and at most the pool.
    seeds
        One non-negative int seed per replicate.
    model, features, C
        The classifier, as in :func:`fit_score`.

    Returns
    -------
    dict
        Recipe name → :class:`Replicates` (one row per seed; the confusion
        matrices of all recipes share one list of labels).
    """
    if not callable(make_data):
        raise TypeError(
            f"make_data must be a function gen -> (X_pool, y_pool, tests), got {make_data!r}"
        )
    recipes = _recipe_list(recipes)
    n_train = integer("n_train", n_train, minimum=1)
    seed_arr = _seed_list(seeds)
    if model not in _MODELS:
        raise ValueError(f"model must be one of {_MODELS}, got {model!r}")
    C = real("C", C, minimum=0, open_min=True)
    runs: dict[str, list[_Run]] = {name: [] for name in recipes}
    pools, names = [], None
    for seed in seed_arr:
        gen = np.random.default_rng(int(seed))
        data = make_data(gen)
        if isinstance(data, (str, bytes)) or not isinstance(data, Sequence) or len(data) != 3:
            raise TypeError("make_data must return a triple (X_pool, y_pool, tests)")
        X_pool = _examples("make_data's X_pool", data[0], min_ndim=2, min_size=1)
        y_pool = _labels("make_data's y_pool", data[1], len(X_pool), "X_pool")
        tests = _test_sets(data[2])
        if names is None:
            names = list(tests)
        elif list(tests) != names:
            raise ValueError(
                f"make_data must return the same test sets in every replicate, got {list(tests)} "
                f"after {names}"
            )
        if n_train > len(X_pool):
            raise ValueError(
                f"n_train must be at most the pool's {len(X_pool)} examples, got {n_train}"
            )
        pools.append(y_pool)
        train_seed = int(gen.integers(2**63))
        for name, (transforms, copies) in recipes.items():
            res = _fit_once(
                np.random.default_rng(train_seed),
                X_pool,
                y_pool,
                tests,
                n_train,
                transforms,
                copies,
                model=model,
                features=features,
                C=C,
            )
            runs[name].append({k: (yt, res.predictions[k]) for k, (_, yt) in tests.items()})
    labels = _all_labels([run for name in recipes for run in runs[name]], *pools)
    return {name: _collect(seed_arr, runs[name], labels) for name in recipes}
