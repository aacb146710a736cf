"""A sweep of bad inputs over synthbio's public functions.

For every public function we keep one valid call (``VALID``). The sweep then
replaces one argument at a time with values of the wrong type, NaN, inf,
negative numbers, empty or wrongly shaped arrays and out-of-range values, and
requires each call to fail cleanly: ``ValueError`` or ``TypeError`` whose
message names the argument — never an IndexError, a ZeroDivisionError, a
warning, or a silently returned result. ``ALLOWED`` lists the substitutions
that are legitimately valid for a parameter (for example a negative ``axis``).
"""

from __future__ import annotations

import importlib
import inspect
import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest

from synthbio import marbles

NAN, INF = float("nan"), float("inf")

# One valid call per public function: module.function -> keyword arguments.
VALID: dict[str, dict[str, Any]] = {
    "stats.mean_se": {"samples": [1.0, 2.0, 4.0]},
    "stats.rmse_se": {"errors": [1.0, -2.0, 0.5]},
    "stats.loglog_slope": {"x": [1.0, 2.0, 4.0], "y": [1.0, 0.5, 0.25]},
    "marbles.colours": {"counts": dict(marbles.JAR)},
    "marbles.draw": {"counts": dict(marbles.JAR), "n": 25, "replicates": 3, "rng": 0},
    "marbles.repeated_batches": {"counts": dict(marbles.JAR), "batch": 25, "batches": 3, "rng": 0},
    "marbles.prob_none": {"counts": dict(marbles.JAR), "n": 25, "group": ["red"]},
    "marbles.prob_at_least_one": {"counts": dict(marbles.JAR), "n": 25, "colour": "red"},
    "marbles.prob_all_present": {"counts": dict(marbles.JAR), "n": 25, "group": ["red", "green"]},
    "marbles.draws_needed": {"counts": dict(marbles.JAR), "colour": "red", "prob": 0.95},
    "marbles.pair_pmf": {"counts": dict(marbles.JAR), "n": 25, "colour_a": "red", "colour_b": "green"},
    "marbles.proportion_mse": {"counts": dict(marbles.JAR), "colour": "red", "n": 25},
    "marbles.good_turing_missing_mass": {"sample_counts": [20, 3, 1, 1, 0]},
    "marbles.chao1": {"sample_counts": [20, 3, 1, 1, 0]},
    "marbles.unseen_mass": {"counts": dict(marbles.JAR), "sample_counts": [20, 3, 1, 1, 0]},
    "marbles.expected_unseen_mass": {"counts": dict(marbles.JAR), "n": 25},
    "marbles.expected_good_turing": {"counts": dict(marbles.JAR), "n": 25},
    "plotting.use_style": {"context": "notebook"},
}

# Substitutions that are legitimately valid: (function, parameter) -> predicate on the value.
def _finite_numeric_array(v: Any) -> bool:
    try:
        arr = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.ndim >= 1 and arr.size > 0 and bool(np.all(np.isfinite(arr)))


def _draw_sizes(v: Any) -> bool:  # vectorised draw sizes: an array of whole numbers >= 0
    return isinstance(v, list) and all(isinstance(x, int) and x >= 0 for x in v)


ALLOWED: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("*", "rng"): lambda v: v is None,  # None means fresh OS entropy, as in NumPy
    ("stats.mean_se", "samples"): _finite_numeric_array,  # any finite replicates, any sign
    ("stats.rmse_se", "errors"): _finite_numeric_array,
    ("marbles.draw", "replicates"): lambda v: v is None,  # one draw instead of a batch
    ("marbles.prob_none", "n"): _draw_sizes,
    ("marbles.prob_at_least_one", "n"): _draw_sizes,
    ("marbles.prob_all_present", "n"): _draw_sizes,
    ("marbles.proportion_mse", "n"): _draw_sizes,
}

# Functions whose job is to accept anything (claims report on any value) are swept in test_claims.
NOT_SWEPT = {"claims", "plotting.label_panels", "plotting.use_style"}


def bad_values(valid: Any) -> list[Any]:
    """Wrong values for a parameter, chosen from the kind of its valid value."""
    if isinstance(valid, bool):
        return ["yes", 2.5]
    if isinstance(valid, int):
        return ["7", 2.5, NAN, INF, -1, -(10**9), None, [1, 2]]
    if isinstance(valid, float):
        return ["0.5", NAN, INF, -INF, -1.0, 1e9, None]
    if isinstance(valid, str):
        return [7, "no-such-option", None]
    if isinstance(valid, Mapping):
        return ["jar", {}, {k: -1 for k in valid}, {k: NAN for k in valid}, {k: 0.5 for k in valid}, 3]
    if isinstance(valid, (list, tuple, np.ndarray)):
        arr = np.asarray(valid)
        out: list[Any] = ["abc", [], 5 if arr.ndim else [[1]], np.full(arr.shape, NAN)]
        if np.issubdtype(arr.dtype, np.number):
            out += [np.full(arr.shape, INF), -np.abs(arr) - 1, arr.reshape(1, 1, -1)]
        return out
    return []


def public_functions() -> list[str]:
    names = []
    for modname in sorted({k.split(".")[0] for k in VALID}):
        mod = importlib.import_module(f"synthbio.{modname}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                names.append(f"{modname}.{name}")
    return names


def resolve(qualname: str) -> Callable[..., Any]:
    modname, fname = qualname.split(".")
    return getattr(importlib.import_module(f"synthbio.{modname}"), fname)


def test_every_public_function_has_a_valid_call():
    missing = [q for q in public_functions() if q not in VALID and q not in NOT_SWEPT
               and q.split(".")[0] not in NOT_SWEPT]
    assert not missing, f"add a valid call for: {missing}"


def cases() -> list[tuple[str, str, Any]]:
    out = []
    for qualname, kwargs in VALID.items():
        if qualname in NOT_SWEPT:
            continue
        for param, valid in kwargs.items():
            for bad in bad_values(valid):
                allowed = ALLOWED.get((qualname, param)) or ALLOWED.get(("*", param))
                if allowed is not None and allowed(bad):
                    continue
                out.append((qualname, param, bad))
    return out


CASES = cases()


def test_the_sweep_is_large():
    assert len(CASES) >= 100, len(CASES)


@pytest.mark.parametrize("qualname", sorted(VALID))
def test_valid_calls_succeed(qualname):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve(qualname)(**VALID[qualname])


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) < 30 else text[:27] + "..."


@pytest.mark.parametrize(("qualname", "param", "bad"), CASES,
                         ids=[f"{q}-{p}-{_short(b)}" for q, p, b in CASES])
def test_bad_input_is_refused_clearly(qualname, param, bad):
    kwargs = dict(VALID[qualname], **{param: bad})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = resolve(qualname)(**kwargs)
        except (ValueError, TypeError) as exc:
            message = str(exc)
            assert param in message or param.rstrip("_") in message, (
                f"{qualname}({param}={_short(bad)}) raised {type(exc).__name__} "
                f"without naming {param!r}: {message}"
            )
            return
        except Exception as exc:  # noqa: BLE001 - the point is to catch the wrong kinds
            pytest.fail(f"{qualname}({param}={_short(bad)}) raised {type(exc).__name__}: {exc}")
    pytest.fail(f"{qualname}({param}={_short(bad)}) accepted a bad value and returned "
                f"{_short(result)}")


def test_nan_never_hides_in_results():
    """Where a function accepts its input, its output must not silently contain NaN."""
    for qualname, kwargs in VALID.items():
        if qualname in NOT_SWEPT:
            continue
        out = resolve(qualname)(**kwargs)
        values = [out] if np.isscalar(out) else (list(out) if isinstance(out, tuple) else [out])
        for v in values:
            if isinstance(v, (float, np.floating)):
                assert not math.isnan(v), qualname
            elif isinstance(v, np.ndarray) and np.issubdtype(v.dtype, np.floating):
                assert not np.isnan(v).any(), qualname
