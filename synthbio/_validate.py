"""Argument checks shared by every public helper of synthbio.

Each function raises :class:`TypeError` for a value of the wrong kind and
:class:`ValueError` for a value out of range, and the message always names the
argument and what is allowed, so a reader who passes a bad value learns how to
fix the call.
"""

from __future__ import annotations

import numbers
from typing import Any, TypeAlias

import numpy as np

#: What every ``rng`` parameter accepts (see :func:`as_generator`): a non-negative int
#: seed, a :class:`numpy.random.Generator`, or ``None`` for fresh OS entropy.
RNGLike: TypeAlias = int | np.integer | np.random.Generator | None

_INT64_MAX = 2**63 - 1
#: Counts above 2**53 are not exact in float64 and their sums leave int64.
MAX_COUNT = 2**53


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
    if not -_INT64_MAX <= value <= _INT64_MAX:  # NumPy would wrap it or raise OverflowError
        raise ValueError(f"{name} must fit in a 64-bit integer (|{name}| < 2**63), got {value}")
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
    allowed = (
        f"{lo}{'-inf' if minimum is None else minimum}, {'inf' if maximum is None else maximum}{hi}"
    )
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
    """Convert ``value`` to a float array, refusing NaN, inf, strings, complex and wrong shapes.

    A single bool is refused (it is a flag, not a number); arrays of bools are 0/1 data.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number or an array of numbers, not the bool {value}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be array-like of numbers: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must contain numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must contain real numbers, got complex values ({arr.dtype})")
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
    """Convert ``value`` to an int64 array of non-negative whole numbers (at most 2**53)."""
    try:
        booleans = np.asarray(value).dtype == np.bool_
    except Exception:  # ragged lists and the like: finite_array names them below
        booleans = False
    if booleans:
        raise TypeError(f"{name} must be counts (whole numbers), got booleans")
    arr = finite_array(name, value, ndim=ndim)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative counts, got a minimum of {arr.min()}")
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must be whole numbers (counts), got non-integer values")
    if arr.size and arr.max() > MAX_COUNT:
        raise ValueError(
            f"{name} must be counts of at most 2**53 (exact in float64), got {arr.max():.3g}"
        )
    return arr.astype(np.int64)


def flag(name: str, value: Any) -> bool:
    """Check that ``value`` is a bool (or a NumPy bool); return it as a Python bool.

    Strings such as ``"False"`` are truthy and ints are easy to confuse with
    counts, so anything but a bool is a :class:`TypeError` naming the argument.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


#: Largest array one call may allocate (bytes); Binder gives about 2 GB in all.
MEMORY_LIMIT = 2**30
#: Most elementary steps (array elements touched) one call may take, about a minute of work.
WORK_LIMIT = 2 * 10**10
#: Largest magnitude accepted where a value is squared or multiplied (its square stays finite).
MAX_MAGNITUDE = 1e150


def _bytes(n: float) -> str:
    for unit, size in (
        ("EiB", 2**60),
        ("PiB", 2**50),
        ("TiB", 2**40),
        ("GiB", 2**30),
        ("MiB", 2**20),
    ):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 2**10:.3g} KiB"


def check_memory(names: str, elements: float, *, itemsize: int = 8, what: str = "") -> None:
    """Refuse, before allocating, an array of ``elements`` items larger than :data:`MEMORY_LIMIT`.

    ``names`` are the arguments that set the size (they appear in the message).
    """
    need = float(elements) * itemsize
    if need > MEMORY_LIMIT:
        detail = f" ({what})" if what else ""
        raise ValueError(
            f"{names} too large: the result{detail} would need {_bytes(need)} of memory "
            f"({float(elements):.3g} values); the limit is {_bytes(MEMORY_LIMIT)}"
        )


def check_work(names: str, steps: float, *, what: str = "") -> None:
    """Refuse, before starting, a computation of more than :data:`WORK_LIMIT` elementary steps."""
    if float(steps) > WORK_LIMIT:
        detail = f" ({what})" if what else ""
        raise ValueError(
            f"{names} too large: the computation{detail} would take about {float(steps):.3g} "
            f"steps; the limit is {WORK_LIMIT:.0e} (about a minute)"
        )


def bounded_array(
    name: str, value: Any, *, max_abs: float = MAX_MAGNITUDE, **kwargs: Any
) -> np.ndarray:
    """:func:`finite_array` that also refuses entries beyond ``max_abs`` in magnitude."""
    arr = finite_array(name, value, **kwargs)
    if arr.size and np.max(np.abs(arr)) > max_abs:
        raise ValueError(
            f"{name} must have entries of magnitude at most {max_abs:g} (their squares must stay "
            f"finite), got {np.max(np.abs(arr)):.3g}"
        )
    return arr


#: Range of a positive physical constant or rate: subnormal and overflowing sizes are refused.
TINY, HUGE = 1e-100, 1e100


def positive_real(name: str, value: Any, *, low: float = TINY, high: float = HUGE) -> float:
    """A positive finite number in ``[low, high]`` (by default 1e-100 to 1e100).

    Physical constants, rates and scales outside this range are almost surely
    unit mistakes, and their products, squares or reciprocals leave float64.
    """
    value = real(name, value, minimum=0.0, open_min=True)
    if not low <= value <= high:
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}], got {value:g}")
    return value


def scaled_array(
    name: str,
    value: Any,
    *,
    positive: bool = False,
    low: float = TINY,
    high: float = HUGE,
    **kwargs: Any,
) -> np.ndarray:
    """:func:`finite_array` with magnitudes at most ``high`` (``positive``: in [low, high])."""
    arr = finite_array(name, value, **kwargs)
    if arr.size and np.max(np.abs(arr)) > high:
        raise ValueError(
            f"{name} must have magnitudes at most {high:g}, got {np.max(np.abs(arr)):g}"
        )
    if positive and arr.size and np.min(arr) < low:
        raise ValueError(f"{name} must be ≥ {low:g} (positive), got a minimum of {np.min(arr):g}")
    return arr


def reject_bools(name: str, value: Any) -> None:
    """Refuse a bool or an array of bools where numbers or counts are expected."""
    try:
        booleans = isinstance(value, (bool, np.bool_)) or np.asarray(value).dtype == np.bool_
    except Exception:  # ragged input: the caller's own check names it
        return
    if booleans:
        raise TypeError(f"{name} must be numbers, got booleans")


def labels_array(name: str, value: Any) -> np.ndarray:
    """Class labels: 1-D, all numbers or all strings, no None, NaN or complex values."""
    if isinstance(value, (str, bytes)) or np.isscalar(value):
        raise TypeError(f"{name} must be a 1-D array of labels, got {type(value).__name__}")
    items = list(value.tolist() if hasattr(value, "tolist") else value)
    if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in items):
        raise ValueError(f"{name} must not contain NaN or None labels (one label per item)")
    if any(isinstance(v, complex) for v in items):
        raise TypeError(f"{name} must be real numbers or strings, got complex values")
    if len({isinstance(v, str) for v in items}) > 1:
        raise TypeError(f"{name} must be all strings or all numbers, got a mix of both")
    try:
        arr = np.asarray(items)
    except Exception as exc:
        raise TypeError(f"{name} must be a 1-D array of labels: {exc}") from None
    if arr.dtype == object:
        raise TypeError(
            f"{name} must be numbers or strings of one kind (no integers beyond "
            f"int64), got dtype object"
        )
    return arr
