"""Augmentation by invariance: image and DNA transforms, and transformed copies of a data set.

A transformation ``g`` is an invariance of a task when ``label(g(x)) = label(x)``;
:func:`augment` adds randomly transformed copies of real examples under their
labels. Images are stacks ``(n, h, w)``; DNA is one-hot ``(n, L, 4)`` with channels
in the order ``A, C, G, T`` (:data:`BASES`), so complementing reverses the last axis.

References
----------
Simard, P. Y., Steinkraus, D. & Platt, J. C. (2003). *ICDAR*, 958–963.
Shorten, C. & Khoshgoftaar, T. M. (2019). *Journal of Big Data* 6, 60.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    Array,
    Check,
    Int,
    Labels,
    Real,
    RNGLike,
    Seed,
    as_generator,
    check_memory,
    checked,
)

__all__ = [
    "BASES",
    "TRANSFORMS",
    "Transform",
    "always_flip",
    "augment",
    "fixed_rotation",
    "flip_horizontal",
    "kmer_counts",
    "load_digits_images",
    "one_hot",
    "random_rotation",
    "random_shift",
    "rc_transform",
    "reverse_complement",
    "rotate",
    "shuffle_transform",
    "translate",
]

#: The DNA alphabet in one-hot channel order (A↔T and C↔G are mirror images).
BASES = "ACGT"
_COMPLEMENT = str.maketrans("ACGT", "TGCA")
_IMAGES = Array(ndim=3)


def _per_image(name: str, arr: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Broadcast a parameter given once for all images, or once per image, to ``shape``."""
    try:
        return np.broadcast_to(arr, shape)
    except ValueError:
        raise ValueError(
            f"{name} must have shape {shape[1:]} or {shape}, not {arr.shape}"
        ) from None


def _shifts(name: str, value: Any) -> np.ndarray:
    arr = Array(ndim=(1, 2), max_abs=2.0**31)(name, value)
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must be whole numbers of pixels")
    return arr.astype(np.int64)


_SHIFTS = Check(
    _shifts, refuse=[("non-integer", [0.5, 1]), ("NaN", [np.nan, 0]), ("bool", [True, False])]
)


@checked(images=_IMAGES, shifts=_SHIFTS, fill=Real())
def translate(images: ArrayLike, shifts: ArrayLike, *, fill: float = 0.0) -> np.ndarray:
    """Shift images by whole pixels ``(down, right)``; uncovered pixels take the value ``fill``.

    ``shifts`` has shape ``(2,)`` (every image alike) or ``(n, 2)`` (one per image).
    """
    arr = np.asarray(images)
    n, h, w = arr.shape
    s = _per_image("shifts", np.asarray(shifts), (n, 2))
    rows = np.arange(h)[None, :] - s[:, :1]  # (n, h): the source row of each target row
    cols = np.arange(w)[None, :] - s[:, 1:]  # (n, w)
    inside = ((rows >= 0) & (rows < h))[:, :, None] & ((cols >= 0) & (cols < w))[:, None, :]
    rows, cols = np.clip(rows, 0, h - 1)[:, :, None], np.clip(cols, 0, w - 1)[:, None, :]
    return np.where(inside, arr[np.arange(n)[:, None, None], rows, cols], fill)


@checked(images=_IMAGES, angles=Array(ndim=(0, 1)), fill=Real(), order=Int(0, 1))
def rotate(
    images: ArrayLike, angles: ArrayLike, *, fill: float = 0.0, order: int = 1
) -> np.ndarray:
    """Rotate images counter-clockwise about their centre by ``angles`` degrees.

    ``angles`` is one angle or one per image; ``order`` 1 interpolates bilinearly
    (and blurs a little), 0 copies the nearest source pixel. All images are resampled
    at once by :func:`scipy.ndimage.map_coordinates`; uncovered pixels take ``fill``.
    """
    from scipy import ndimage

    arr = np.asarray(images)
    n, h, w = arr.shape
    theta = np.deg2rad(_per_image("angles", np.asarray(angles), (n,)))[:, None, None]
    y, x = np.meshgrid(np.arange(h) - (h - 1) / 2, np.arange(w) - (w - 1) / 2, indexing="ij")
    # the output pixel (y, x) reads the input rotated back by theta (rows grow downwards);
    # rounding snaps pixel centres that trigonometry puts 1e-16 off the grid back onto it
    src_y = np.round(np.cos(theta) * y + np.sin(theta) * x + (h - 1) / 2, 9)
    src_x = np.round(-np.sin(theta) * y + np.cos(theta) * x + (w - 1) / 2, 9)
    image = np.broadcast_to(np.arange(n, dtype=float)[:, None, None], src_y.shape)
    coords = np.stack([image, src_y, src_x])  # the image index is exact, so images never mix
    return ndimage.map_coordinates(arr, coords, order=order, cval=fill, prefilter=False)


@checked(images=_IMAGES)
def flip_horizontal(images: ArrayLike) -> np.ndarray:
    """Mirror each image left to right."""
    return np.asarray(images)[:, :, ::-1].copy()


@dataclass(frozen=True)
class Transform:
    """A named random transformation: ``func(X, rng)`` returns the batch ``X`` transformed."""

    name: str
    func: Callable[[np.ndarray, np.random.Generator], np.ndarray] = field(repr=False)

    def __call__(self, X: ArrayLike, rng: RNGLike = None) -> np.ndarray:
        """Apply the transform to the batch ``X`` with randomness from ``rng``."""
        return self.func(np.asarray(X), as_generator(rng))


@checked(max_shift=Int(min=0), fill=Real())
def random_shift(max_shift: int = 1, *, fill: float = 0.0) -> Transform:
    """Shift each image by independent whole-pixel steps drawn from ``[-max_shift, max_shift]``."""

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return translate(X, rng.integers(-max_shift, max_shift + 1, size=(len(X), 2)), fill=fill)

    return Transform(f"shift ≤ {max_shift} px", func)


def _interpolation(order: int) -> str:
    return "" if order == 1 else " (nearest pixel)"


@checked(max_degrees=Real(0, 180), fill=Real(), order=Int(0, 1))
def random_rotation(max_degrees: float = 15.0, *, fill: float = 0.0, order: int = 1) -> Transform:
    """Rotate each image by an angle drawn uniformly from ``[-max_degrees, max_degrees]``."""

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return rotate(X, rng.uniform(-max_degrees, max_degrees, len(X)), fill=fill, order=order)

    return Transform(f"rotation ≤ {max_degrees:g}°{_interpolation(order)}", func)


@checked(degrees=Real(), fill=Real(), order=Int(0, 1))
def fixed_rotation(degrees: float = 180.0, *, fill: float = 0.0, order: int = 1) -> Transform:
    """Rotate every image by the same angle (180° is *not* a symmetry of digits)."""

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return rotate(X, degrees, fill=fill, order=order)

    return Transform(f"rotation by {degrees:g}°{_interpolation(order)}", func)


def always_flip() -> Transform:
    """Mirror every image left to right (*not* a symmetry of digits)."""
    return Transform("horizontal flip", lambda X, rng: flip_horizontal(X))


def rc_transform() -> Transform:
    """Replace every one-hot sequence by its reverse complement (the other strand)."""
    return Transform("reverse complement", lambda X, rng: np.asarray(reverse_complement(X)))


def shuffle_transform() -> Transform:
    """Permute the positions of each one-hot sequence at random (destroys motifs)."""

    def func(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        order = rng.permuted(np.broadcast_to(np.arange(X.shape[1]), X.shape[:2]), axis=1)
        return np.take_along_axis(X, order[:, :, None], axis=1)

    return Transform("shuffled positions", func)


#: Transforms by name, with the parameters the chapter uses.
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


def _transforms(name: str, value: Any) -> list[Transform]:
    specs = [value] if isinstance(value, str | Transform) else value
    if isinstance(specs, bytes | Mapping) or not isinstance(specs, Sequence):
        raise TypeError(f"{name} must be a name, a Transform or a sequence of them, got {value!r}")
    bad = [
        s
        for s in specs
        if not isinstance(s, Transform) and not (isinstance(s, str) and s in TRANSFORMS)
    ]
    if bad:
        raise ValueError(f"{name}: {bad[0]!r} is neither a Transform nor in {sorted(TRANSFORMS)}")
    return [s if isinstance(s, Transform) else TRANSFORMS[s]() for s in specs]


_TRANSFORMS = Check(_transforms, refuse=[("unknown name", "zoom"), ("number", 7), ("bytes", b"x")])


@checked(X=Array(ndim=(2, 3, 4)), y=Labels(), transforms=_TRANSFORMS, copies=Int(min=0), rng=Seed())
def augment(
    X: ArrayLike,
    y: ArrayLike,
    transforms: str | Transform | Sequence[str | Transform],
    *,
    copies: int,
    rng: RNGLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The real examples followed by ``copies`` transformed copies of them, with their labels.

    Each copy applies every transform in ``transforms`` (names from :data:`TRANSFORMS`
    or :class:`Transform` objects, in order) with fresh random parameters; the labels
    are carried along unchanged, which is the claim of invariance.

    Returns
    -------
    X_aug, y_aug
        ``(copies + 1) * n`` examples; the first ``n`` are the real ones, in order.
    """
    X, y = np.asarray(X), np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must be 1-D with one label per example of X ({len(X)}), got {y.shape}")
    check_memory("copies", (copies + 1.0) * X.size, what="(copies + 1) × the examples")
    synth = np.concatenate([X] * copies) if copies else X[:0]
    for transform in cast(list[Transform], transforms):  # converted by the declaration
        synth = transform(synth, rng) if len(synth) else synth
    return np.concatenate([X, synth]), np.concatenate([y] * (copies + 1))


def load_digits_images() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1797 bundled 8 × 8 digits as images in ``[0, 1]`` (ink = 1), and labels.

    References
    ----------
    Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits. UCI.
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.images / 16.0, d.target.astype(np.int64)


def _seqs(name: str, value: Any) -> str | list[str]:
    """One DNA string, or a list, tuple, array or Series of them (letters ACGT)."""
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list | tuple) or (hasattr(value, "tolist") and np.ndim(value) == 1):
        items = list(value.tolist() if hasattr(value, "tolist") else value)
    else:
        raise TypeError(f"{name} must be a DNA string or a sequence of them, got {value!r}")
    bad = [s for s in items if not isinstance(s, str) or not s or set(s) - set(BASES)]
    if bad or not items:
        raise ValueError(f"{name} must be DNA strings of A, C, G, T, got {bad[:1] or items}")
    return value if isinstance(value, str) else items


def _one_hot(name: str, value: Any, ndim: tuple[int, ...] = (3,)) -> np.ndarray:
    arr = Array(ndim=ndim)(name, value)
    if arr.shape[-1] != 4 or np.any((arr != 0) & (arr != 1)) or np.any(arr.sum(axis=-1) != 1):
        raise ValueError(f"{name} must be one-hot DNA (one 1 in 4 channels per position)")
    return arr


def _dna(name: str, value: Any) -> str | list[str] | np.ndarray:
    if isinstance(value, np.ndarray) and value.dtype.kind not in "USO":
        return _one_hot(name, value, ndim=(2, 3))
    return _seqs(name, value)


_SEQS = Check(
    _seqs, refuse=[("letters", "ACGX"), ("number", 7), ("bytes", b"ACGT"), ("None", [None])]
)


@checked(seqs=_SEQS)
def one_hot(seqs: str | Sequence[str]) -> np.ndarray:
    """Encode DNA strings of equal length as ``uint8`` one-hot ``(L, 4)`` or ``(n, L, 4)``."""
    items = [seqs] if isinstance(seqs, str) else list(seqs)
    if len({len(s) for s in items}) != 1:
        raise ValueError(
            f"seqs must all have the same length, got {sorted({len(s) for s in items})}"
        )
    codes = np.frombuffer("".join(items).encode("ascii"), dtype=np.uint8).reshape(len(items), -1)
    out = (codes[:, :, None] == np.frombuffer(BASES.encode(), dtype=np.uint8)).astype(np.uint8)
    return out[0] if isinstance(seqs, str) else out


_NOT_ONE_HOT = [("not one-hot", np.full((1, 3, 4), 0.5)), ("NaN", np.full((1, 3, 4), np.nan))]
_STRANDS = Check(
    _dna, refuse=[*_NOT_ONE_HOT, ("letters", ["ACGX"]), ("3 channels", np.eye(3)[None])]
)


@checked(seqs=_STRANDS)
def reverse_complement(seqs: str | Sequence[str] | np.ndarray) -> str | list[str] | np.ndarray:
    """The opposite strand read 5'→3', for a string, a list of strings or a one-hot array."""
    if isinstance(seqs, str):
        return seqs.translate(_COMPLEMENT)[::-1]
    if isinstance(seqs, list):
        return [s.translate(_COMPLEMENT)[::-1] for s in seqs]
    return np.asarray(seqs)[..., ::-1, ::-1].copy()


_ONE_HOT = Check(_one_hot, refuse=[*_NOT_ONE_HOT, ("string", "ACGT"), ("2-D", np.eye(4))])


@checked(X=_ONE_HOT, k=Int(1, 8))
def kmer_counts(X: ArrayLike, k: int) -> np.ndarray:
    """Count every k-mer of each one-hot sequence, the "spectrum" features ``(n, 4**k)``.

    Column ``j`` counts the k-mer whose letters are the base-4 digits of ``j``, first
    letter most significant. Leslie, Eskin & Noble (2002), *Pac. Symp. Biocomput.*, 564–575.
    """
    idx = np.asarray(X).argmax(axis=2)  # (n, L) letters as 0..3
    n, L = idx.shape
    if k > L:
        raise ValueError(f"k must be at most the sequence length {L}, got {k}")
    code = sum(idx[:, j : L - k + 1 + j] * 4 ** (k - 1 - j) for j in range(k))
    flat = code + (np.arange(n) * 4**k)[:, None]
    return np.bincount(flat.ravel(), minlength=n * 4**k).reshape(n, 4**k)
