"""Argument checks shared by every public helper of synthbio.

Each function raises :class:`TypeError` for a value of the wrong kind and
:class:`ValueError` for a value out of range, and the message always names the
argument and what is allowed, so a reader who passes a bad value learns how to
fix the call.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

RNGLike = "int | np.random.Generator | None"


def as_generator(rng: Any, name: str = "rng") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from a seed, a generator or ``None``."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int seed, a numpy Generator or None, not a bool")
    if isinstance(rng, numbers.Integral):
        if int(rng) < 0:
            raise ValueError(f"{name} must be a non-negative int seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be an int seed, a numpy Generator or None, got {type(rng).__name__}"
    )


def integer(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Check that ``value`` is a whole number (not a bool) in ``[minimum, maximum]``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            raise TypeError(f"{name} must be an int, got the float {value!r}; pass int({value!r})")
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    value = int(value)
    _in_range(name, value, minimum, maximum)
    return value


def real(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    open_min: bool = False,
    open_max: bool = False,
) -> float:
    """Check that ``value`` is a finite real number within the given bounds."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    lo = "(" if open_min else "["
    hi = ")" if open_max else "]"
    allowed = f"{lo}{'-inf' if minimum is None else minimum}, {'inf' if maximum is None else maximum}{hi}"
    if minimum is not None and (value < minimum or (open_min and value == minimum)):
        raise ValueError(f"{name} must lie in {allowed}, got {value}")
    if maximum is not None and (value > maximum or (open_max and value == maximum)):
        raise ValueError(f"{name} must lie in {allowed}, got {value}")
    return value


def _in_range(name: str, value: int, minimum: int | None, maximum: int | None) -> None:
    if minimum is not None and value < minimum:
        bound = f"≥ {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be {bound}, got {value}")
    if maximum is not None and value > maximum:
        bound = f"≤ {maximum}" if minimum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be {bound}, got {value}")


def finite_array(
    name: str, value: Any, *, ndim: int | tuple[int, ...] | None = None, min_size: int = 1
) -> np.ndarray:
    """Convert ``value`` to a float array, refusing NaN, inf, strings and wrong shapes."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be array-like of numbers: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must contain numbers, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, allowed))} dimension(s), "
                f"got shape {arr.shape}"
            )
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def count_array(name: str, value: Any, *, ndim: int | tuple[int, ...] = 1) -> np.ndarray:
    """Convert ``value`` to an int64 array of non-negative whole numbers."""
    arr = finite_array(name, value, ndim=ndim)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative counts, got a minimum of {arr.min()}")
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must be whole numbers (counts), got non-integer values")
    return arr.astype(np.int64)
