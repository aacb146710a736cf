"""Argument checks for synthbio's public functions, declared once per parameter.

A public function states what each parameter accepts with ``@checked(name=Constraint)``;
the decorator checks and converts the arguments before the body runs. A bad value raises
:class:`TypeError` (wrong kind) or :class:`ValueError` (out of range) with a message that
names the argument and what is allowed. The bad-input sweep (``tests/test_bad_inputs.py``)
reads the same declarations: ``Constraint.cases(valid)`` lists ``(class, rule, value)``
triples, rule "refuse" (must raise, naming the argument), "refuse_or_finite" (or answer
with finite numbers) or "accept" (the same answer as for the valid value).
"""

from __future__ import annotations

import functools
import inspect
import numbers
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeAlias, TypeVar

import numpy as np

#: What every ``rng`` parameter accepts: a non-negative int seed, a
#: :class:`numpy.random.Generator`, or ``None`` for fresh OS entropy.
RNGLike: TypeAlias = int | np.integer | np.random.Generator | None

NAN, INF = float("nan"), float("inf")
_INT64_MAX = 2**63 - 1
#: Counts above 2**53 are not exact in float64 and their sums leave int64.
MAX_COUNT = 2**53
#: Largest array one call may allocate (bytes); Binder gives about 2 GB in all.
MEMORY_LIMIT = 2**30
#: Most elementary steps (array elements touched) one call may take, about a minute of work.
WORK_LIMIT = 2 * 10**10
#: Largest magnitude accepted where a value is squared or multiplied (its square stays finite).
MAX_MAGNITUDE = 1e150
#: Range of a positive physical constant or rate: subnormal and overflowing sizes are refused.
TINY, HUGE = 1e-100, 1e100


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
    kind = type(rng).__name__
    raise TypeError(f"{name} must be an int seed, a numpy Generator or None, got {kind}")


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
    if minimum is not None and value < minimum:
        bound = f"≥ {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be {bound}, got {value}")
    if maximum is not None and value > maximum:
        bound = f"≤ {maximum}" if minimum is None else f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be {bound}, got {value}")
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
    low, high = "-inf" if minimum is None else minimum, "inf" if maximum is None else maximum
    allowed = f"{'(' if open_min else '['}{low}, {high}{')' if open_max else ']'}"
    if minimum is not None and (value < minimum or (open_min and value == minimum)):
        raise ValueError(f"{name} must lie in {allowed}, got {value}")
    if maximum is not None and (value > maximum or (open_max and value == maximum)):
        raise ValueError(f"{name} must lie in {allowed}, got {value}")
    return value


def finite_array(
    name: str, value: Any, *, ndim: int | tuple[int, ...] | None = None, min_size: int = 1
) -> np.ndarray:
    """A float array: NaN, inf, strings, complex values and wrong shapes are refused.

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
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        dims = " or ".join(map(str, allowed))
        raise ValueError(f"{name} must have {dims} dimension(s), got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


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


def reject_bools(name: str, value: Any) -> None:
    """Refuse a bool or an array of bools where numbers or counts are expected."""
    try:
        booleans = isinstance(value, (bool, np.bool_)) or np.asarray(value).dtype == np.bool_
    except Exception:  # ragged input: the caller's own check names it
        return
    if booleans:
        raise TypeError(f"{name} must be numbers, got booleans")


def count_array(name: str, value: Any, *, ndim: int | tuple[int, ...] = 1) -> np.ndarray:
    """An int64 array of non-negative whole numbers (at most 2**53)."""
    reject_bools(name, value)
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


def _bytes(n: float) -> str:
    units = (("EiB", 2**60), ("PiB", 2**50), ("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20))
    return next(
        (f"{n / size:.3g} {unit}" for unit, size in units if n >= size), f"{n / 2**10:.3g} KiB"
    )


def check_memory(names: str, elements: float, *, itemsize: int = 8, what: str = "") -> None:
    """Refuse, before allocating, ``elements`` items beyond :data:`MEMORY_LIMIT` bytes.

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


# --- declared constraints ----------------------------------------------------------------------

P = ParamSpec("P")
R = TypeVar("R")
Case = tuple[str, str, Any]


def _with_first(arr: np.ndarray, value: Any) -> Any:
    """The array as nested lists with its first entry replaced (keeps Python ints exact)."""
    out = arr.astype(object)
    out.flat[0] = value
    return out.tolist()


class Constraint:
    """What one parameter accepts; ``optional=True`` also lets ``None`` through unchanged."""

    optional: bool = False

    def __call__(self, name: str, value: Any) -> Any:
        if value is None and self.optional:
            return None
        if value is None:
            raise TypeError(f"{name} is required, got None")
        return self.check(name, value)

    def check(self, name: str, value: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def cases(self, valid: Any) -> list[Case]:
        """Values this parameter must refuse or handle, derived from one valid value."""
        return [] if self.optional else [("None", "refuse", None)]


class Int(Constraint):
    """A whole number (not a bool) in ``[min, max]``."""

    def __init__(self, min: int | None = None, max: int | None = None, *, optional: bool = False):
        self.min, self.max, self.optional = min, max, optional

    def check(self, name: str, value: Any) -> int:
        return integer(name, value, minimum=self.min, maximum=self.max)

    def cases(self, valid: Any) -> list[Case]:
        out = super().cases(valid) + [
            ("numeric string", "refuse", str(valid)),
            ("float", "refuse", float(valid) + 0.5),
            ("NaN", "refuse", NAN),
            ("bool", "refuse", True),
            ("complex", "refuse", complex(valid, 1.0)),
            ("int64 overflow", "refuse", 2**64),
            ("list", "refuse", [valid, valid]),
        ]
        if self.min is not None:
            out.append(("below minimum", "refuse", self.min - 1))
        if self.max is not None:
            return out + [("above maximum", "refuse", self.max + 1)]
        return out + [
            ("huge size", "refuse_or_finite", 10**12),
            ("2**62", "refuse_or_finite", 2**62),
        ]


class Real(Constraint):
    """A finite real number in the given bounds (``open_min``/``open_max`` exclude them)."""

    def __init__(
        self,
        min: float | None = None,
        max: float | None = None,
        *,
        open_min: bool = False,
        open_max: bool = False,
        optional: bool = False,
    ):
        self.min, self.max, self.optional = min, max, optional
        self.open_min, self.open_max = open_min, open_max

    def check(self, name: str, value: Any) -> float:
        bounds = dict(minimum=self.min, maximum=self.max)
        return real(name, value, **bounds, open_min=self.open_min, open_max=self.open_max)

    def cases(self, valid: Any) -> list[Case]:
        out = super().cases(valid) + [
            ("numeric string", "refuse", repr(float(valid))),
            ("NaN", "refuse", NAN),
            ("inf", "refuse", INF),
            ("-inf", "refuse", -INF),
            ("bool", "refuse", True),
            ("complex", "refuse", complex(valid, 1.0)),
            ("list", "refuse", [valid, valid]),
        ]
        if self.min is not None:
            out.append(("below minimum", "refuse", self.min if self.open_min else self.min - 1))
        if self.max is not None:
            out.append(("above maximum", "refuse", self.max if self.open_max else self.max + 1))
        for v in (1e300, -1e300, 5e-324):
            if (self.min is None or v > self.min) and (self.max is None or v < self.max):
                out.append(("extreme magnitude", "refuse_or_finite", v))
        return out


class Positive(Real):
    """A positive physical constant, rate or scale in ``[low, high]`` (1e-100 to 1e100).

    Values outside are almost surely unit mistakes; their products, squares or
    reciprocals would leave float64.
    """

    def __init__(self, low: float = TINY, high: float = HUGE, *, optional: bool = False):
        super().__init__(0.0, None, open_min=True, optional=optional)
        self.low, self.high = low, high

    def check(self, name: str, value: Any) -> float:
        value = real(name, value, minimum=0.0, open_min=True)
        if not self.low <= value <= self.high:
            raise ValueError(f"{name} must lie in [{self.low:g}, {self.high:g}], got {value:g}")
        return value

    def cases(self, valid: Any) -> list[Case]:
        out = [c for c in super().cases(valid) if c[0] != "extreme magnitude"]
        return out + [("extreme magnitude", "refuse", v) for v in (self.high * 10, self.low / 10)]


class Flag(Constraint):
    """True or False (a NumPy bool too); ints and strings are refused."""

    def check(self, name: str, value: Any) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
        return bool(value)

    def cases(self, valid: Any) -> list[Case]:
        return super().cases(valid) + [("string", "refuse", str(valid)), ("int", "refuse", 1)]


class Seed(Constraint):
    """An ``rng``: a non-negative int seed, a :class:`numpy.random.Generator`, or ``None``."""

    optional = True

    def check(self, name: str, value: Any) -> np.random.Generator:
        return as_generator(value, name)

    def cases(self, valid: Any) -> list[Case]:
        bad = [("numeric string", "7"), ("negative", -1), ("float", 2.5), ("bool", True)]
        return [(cls, "refuse", v) for cls, v in [*bad, ("complex", 1 + 1j)]]


class OneOf(Constraint):
    """One of a fixed set of options (strings or other hashable values)."""

    def __init__(self, *options: Any, optional: bool = False):
        self.options, self.optional = options, optional

    def check(self, name: str, value: Any) -> Any:
        try:
            if value in self.options and not isinstance(value, (bool, np.bool_)):
                return value
        except TypeError:  # unhashable or ambiguous comparisons
            pass
        allowed = ", ".join(repr(o) for o in self.options)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")

    def cases(self, valid: Any) -> list[Case]:
        bad = [("unknown option", "no-such-option"), ("number", 7), ("list", [valid])]
        return super().cases(valid) + [(cls, "refuse", v) for cls, v in bad]


class Array(Constraint):
    """A finite real array (NaN, inf, complex, strings, bools and wrong shapes refused).

    ``ndim`` the allowed dimensions; ``min_size`` the fewest elements; ``max_abs`` the
    largest magnitude (entries are squared downstream); ``positive`` requires every
    entry in ``[low, high]``; ``counts`` requires non-negative whole numbers (int64).
    """

    def __init__(
        self,
        ndim: int | tuple[int, ...] | None = None,
        *,
        min_size: int = 1,
        max_abs: float = MAX_MAGNITUDE,
        positive: bool = False,
        low: float = TINY,
        high: float = HUGE,
        counts: bool = False,
        optional: bool = False,
    ):
        self.ndim, self.min_size, self.max_abs = ndim, min_size, max_abs
        self.positive, self.low, self.high = positive, low, high
        self.counts, self.optional = counts, optional

    def check(self, name: str, value: Any) -> np.ndarray:
        if self.counts:
            return count_array(name, value, ndim=self.ndim if self.ndim is not None else (0, 1, 2))
        reject_bools(name, value)
        if not self.positive:
            return bounded_array(
                name, value, max_abs=self.max_abs, ndim=self.ndim, min_size=self.min_size
            )
        arr = finite_array(name, value, ndim=self.ndim, min_size=self.min_size)
        if arr.size and np.max(np.abs(arr)) > self.high:
            big = np.max(np.abs(arr))
            raise ValueError(f"{name} must have magnitudes at most {self.high:g}, got {big:g}")
        if arr.size and np.min(arr) < self.low:
            low = np.min(arr)
            raise ValueError(f"{name} must be ≥ {self.low:g} (positive), got a minimum of {low:g}")
        return arr

    def cases(self, valid: Any) -> list[Case]:
        arr = np.asarray(valid)
        out = super().cases(valid) + [
            ("string", "refuse", "abc"),
            ("NaN", "refuse", np.full(arr.shape, NAN)),
            ("inf", "refuse", np.full(arr.shape, INF)),
            ("complex", "refuse", arr + 1j),
            ("numeric string", "refuse", arr.astype(str).tolist()),
            ("bool", "refuse", arr != 0),
        ]
        if arr.size:
            out += [
                ("None in array", "refuse", _with_first(arr, None)),
                ("mixed types", "refuse", _with_first(arr, str(arr.flat[0]))),
                ("int64 overflow", "refuse", _with_first(arr, 2**64)),
                ("extreme magnitude", "refuse_or_finite", _with_first(arr, 1e300)),
                ("subnormal", "refuse_or_finite", _with_first(arr, 5e-324)),
            ]
        if self.min_size >= 1:
            out.append(("empty", "refuse", []))
        allowed = (self.ndim,) if isinstance(self.ndim, int) else self.ndim
        if allowed is not None and arr.ndim + 1 not in allowed:
            out.append(("wrong shape", "refuse", arr.reshape(1, *arr.shape)))
        if self.counts or self.positive:
            out.append(("negative", "refuse", -np.abs(arr) - 1))
        if self.counts:
            out.append(("non-integer", "refuse", arr + 0.5))
        if arr.ndim in (1, 2) and arr.size:
            import pandas as pd

            index = np.arange(len(arr)) + 10
            table = pd.Series(arr, index=index) if arr.ndim == 1 else pd.DataFrame(arr, index=index)
            out.append(("pandas", "accept", table))
        if arr.ndim == 2 and arr.size:
            from scipy import sparse

            out.append(("sparse", "refuse_or_finite", sparse.csr_matrix(arr)))
        return out


class Labels(Constraint):
    """Class labels: 1-D, all numbers or all strings (bools are labels too); no None or NaN."""

    def __init__(self, *, optional: bool = False):
        self.optional = optional

    def check(self, name: str, value: Any) -> np.ndarray:
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
                f"{name} must be numbers or strings of one kind (no integers beyond int64), "
                "got dtype object"
            )
        return arr

    def cases(self, valid: Any) -> list[Case]:
        arr = np.asarray(valid)
        other = 0 if arr.dtype.kind == "U" else "a"
        return super().cases(valid) + [
            ("scalar", "refuse", "abc"),
            ("None in array", "refuse", _with_first(arr, None)),
            ("NaN in array", "refuse", _with_first(arr, NAN)),
            ("complex", "refuse", _with_first(arr, 1j)),
            ("mixed types", "refuse", _with_first(arr, other)),
        ]


class Check(Constraint):
    """A constraint written as a function ``check(name, value) -> value`` with its bad values.

    ``refuse`` lists ``(class, value)`` pairs that must be refused; ``derive(valid)`` may add
    ``(class, rule, value)`` cases built from the valid value (an AnnData view to accept, an
    empty AnnData to refuse). Use it for a module's own kind of value (a marble jar, an
    AnnData with a counts layer, a one-hot DNA array).
    """

    def __init__(
        self,
        check: Callable[[str, Any], Any],
        refuse: Sequence[tuple[str, Any]] = (),
        *,
        derive: Callable[[Any], list[Case]] | None = None,
        optional: bool = False,
    ):
        self._check, self._refuse, self.optional = check, tuple(refuse), optional
        self._derive = derive

    def check(self, name: str, value: Any) -> Any:
        return self._check(name, value)

    def cases(self, valid: Any) -> list[Case]:
        out = super().cases(valid) + [(cls, "refuse", v) for cls, v in self._refuse]
        return out + (self._derive(valid) if self._derive else [])


def checked(**constraints: Constraint) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare what each parameter accepts; the arguments are checked and converted on entry.

    >>> @checked(n=Int(min=1), p=Real(0, 1))
    ... def f(n, p=0.5):
    ...     return n * p
    >>> f(4)
    2.0
    >>> f(0)
    Traceback (most recent call last):
    ValueError: n must be ≥ 1, got 0
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        sig = inspect.signature(fn)
        unknown = set(constraints) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{fn.__name__} has no parameter(s) {sorted(unknown)}")

        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()  # defaults are converted too (rng=None -> a Generator)
            for name, value in bound.arguments.items():
                if name in constraints:
                    bound.arguments[name] = constraints[name](name, value)
            return fn(*bound.args, **bound.kwargs)

        inner.__constraints__ = constraints  # type: ignore[attr-defined]
        return inner

    return wrap
