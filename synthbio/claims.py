"""Claim checks: the prose of the book, held to account by its own code.

A claim check is one visible line in a chapter. It prints a readable verdict
in the rendered page and raises :class:`ClaimError` (an
:class:`AssertionError`) carrying the claim's words when the claim stops
holding, so that executing the notebook under nbval fails.

Three forms cover the book:

* :func:`check` — two routes agree within a stated tolerance, e.g. a closed
  form against a published value;
* :func:`check_mc` — a Monte Carlo estimate agrees with an exact value within
  ``z`` standard errors, the tolerance following from the simulation's own
  error;
* :func:`check_less` / :func:`check_greater` / :func:`check_between` — an
  inequality the prose states ("falls below", "at least twice").
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "ClaimError",
    "check",
    "check_mc",
    "check_less",
    "check_greater",
    "check_between",
]


class ClaimError(AssertionError):
    """A claim made in the book's prose does not hold for the computed numbers."""


def _fmt(x: Any) -> str:
    arr = np.asarray(x)
    if arr.ndim == 0:
        v = arr.item()
        if isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, numbers.Integral):
            return f"{v:,}"
        return f"{v:.6g}"
    with np.printoptions(precision=4, threshold=8, edgeitems=3):
        return np.array2string(arr, separator=", ")


def _claim_text(claim: Any) -> str:
    if not isinstance(claim, str) or not claim.strip():
        raise TypeError("claim must be a non-empty string stating what the prose says")
    return claim.strip()


def _numeric(name: str, x: Any) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {x!r}") from None
    return arr


def _tolerance(name: str, x: float) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real) or not np.isfinite(x):
        raise TypeError(f"{name} must be a finite real number, got {x!r}")
    if x < 0:
        raise ValueError(f"{name} must be ≥ 0, got {x}")
    return float(x)


def _report(ok: bool, claim: str, detail: str) -> None:
    if ok:
        print(f"✓ {claim}\n    {detail}")
        return
    raise ClaimError(f"claim does not hold — {claim}: {detail}")


def check(
    claim: str, value: Any, expected: Any, *, rtol: float = 1e-9, atol: float = 0.0
) -> None:
    """Assert that ``value`` equals ``expected`` within ``atol + rtol·|expected|``.

    Parameters
    ----------
    claim
        The statement in the prose that this check holds, in words.
    value
        What the chapter computed (a number or an array).
    expected
        The independent route: a closed form, a published value, another
        library's answer. Arrays are compared elementwise.
    rtol, atol
        Relative and absolute tolerance, as in :func:`numpy.isclose`. State
        them from the precision of the two routes, not from what passes.

    Raises
    ------
    ClaimError
        If any element differs by more than the tolerance, or is NaN.
    """
    claim = _claim_text(claim)
    rtol, atol = _tolerance("rtol", rtol), _tolerance("atol", atol)
    v, e = _numeric("value", value), _numeric("expected", expected)
    try:
        ok = bool(np.all(np.isclose(v, e, rtol=rtol, atol=atol, equal_nan=False)))
    except ValueError:
        raise ValueError(f"value shape {v.shape} does not match expected shape {e.shape}") from None
    tol = []
    if rtol:
        tol.append(f"rtol={rtol:g}")
    if atol:
        tol.append(f"atol={atol:g}")
    sign = "≈" if ok else "≉"
    _report(ok, claim, f"{_fmt(value)} {sign} {_fmt(expected)} ({', '.join(tol) or 'exact'})")


def check_mc(claim: str, estimate: Any, expected: Any, *, se: Any, z: float = 4.0) -> None:
    """Assert that a Monte Carlo ``estimate`` is within ``z`` standard errors of ``expected``.

    Parameters
    ----------
    claim
        The statement in the prose, in words.
    estimate
        The simulated value (a number or array), e.g. a mean over replicates.
    expected
        The exact value the simulation should reproduce.
    se
        The standard error of ``estimate`` (same shape or a scalar), computed
        from the replicates, e.g. with :func:`synthbio.stats.mean_se`.
    z
        How many standard errors to allow. The default of 4 makes a false
        alarm for a correct claim a 1-in-16 000 event per element.
    """
    claim = _claim_text(claim)
    z = _tolerance("z", z)
    est, exp_, s = _numeric("estimate", estimate), _numeric("expected", expected), _numeric("se", se)
    if np.any(~np.isfinite(s)) or np.any(s < 0):
        raise ValueError("se must be finite and ≥ 0")
    gap = np.abs(est - exp_)
    ok = bool(np.all(np.isfinite(gap)) and np.all(gap <= z * s))
    zs = np.where(s > 0, gap / np.where(s > 0, s, 1.0), np.where(gap == 0, 0.0, np.inf))
    sign = "≈" if ok else "≉"
    _report(
        ok,
        claim,
        f"{_fmt(estimate)} {sign} {_fmt(expected)} (|gap| = {_fmt(np.max(zs))} SE, allowed {z:g} SE)",
    )


def check_less(claim: str, value: Any, bound: Any) -> None:
    """Assert that ``value < bound`` (elementwise for arrays)."""
    claim = _claim_text(claim)
    v, b = _numeric("value", value), _numeric("bound", bound)
    ok = bool(np.all(v < b))
    _report(ok, claim, f"{_fmt(value)} {'<' if ok else '≮'} {_fmt(bound)}")


def check_greater(claim: str, value: Any, bound: Any) -> None:
    """Assert that ``value > bound`` (elementwise for arrays)."""
    claim = _claim_text(claim)
    v, b = _numeric("value", value), _numeric("bound", bound)
    ok = bool(np.all(v > b))
    _report(ok, claim, f"{_fmt(value)} {'>' if ok else '≯'} {_fmt(bound)}")


def check_between(claim: str, value: Any, low: Any, high: Any) -> None:
    """Assert that ``low ≤ value ≤ high`` (elementwise for arrays)."""
    claim = _claim_text(claim)
    v, lo, hi = _numeric("value", value), _numeric("low", low), _numeric("high", high)
    if np.any(lo > hi):
        raise ValueError(f"low must be ≤ high, got low={_fmt(low)}, high={_fmt(high)}")
    ok = bool(np.all((lo <= v) & (v <= hi)))
    word = "in" if ok else "not in"
    _report(ok, claim, f"{_fmt(value)} {word} [{_fmt(low)}, {_fmt(high)}]")
