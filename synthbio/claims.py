"""Claim checks: the prose of the book, held to account by its own code.

A claim check is one visible line in a chapter. It prints one short verdict
line in the rendered page and raises :class:`ClaimError` (an
:class:`AssertionError`) carrying the claim's words when the claim does not
hold, so that executing the notebook under nbval fails.

A claim must hold for *any* seed, not only the chapter's default: the seed
sweep (``make test``, ``make seeds``) re-runs every chapter under other seeds
and requires every claim to hold there too. The kinds of claim:

* :func:`check` — two independent routes agree within a tolerance stated from
  their precision: a closed form against a computation, our code against a
  published value or another library, or an exact value against the rounded
  number the prose states (``kind=``);
* :func:`check_mc` — a Monte Carlo estimate from ``n`` replicates agrees with
  an exact value (or exceeds / stays below a bound), the tolerance a
  Student-t quantile times the estimate's standard error;
* :func:`check_proportion` — a count of successes out of ``trials`` is
  consistent with a probability (or exceeds / stays below it), judged by an
  exact Clopper–Pearson interval, which is right for rare events;
* :func:`check_less` / :func:`check_greater` / :func:`check_between` — a bound
  the prose states, for values that do not depend on the random stream (or
  whose margin the chapter has made robust);
* :func:`check_true` — a logical statement;
* :func:`pin` — not a claim: a value that only this run's random stream
  reproduces. Pins are checked at the chapter's default seed only, are
  rendered differently and are left out of the claim count.

Every check can also write a record of itself (kind, words, the two values,
the tolerance, the verdict) to the JSON-lines file named by the environment
variable ``SYNTHBIO_CLAIMS_LOG``; the seed sweep collects these records into
the book's claims ledger. With ``SYNTHBIO_CLAIMS=record`` a failing claim is
recorded and printed with ✗ instead of raising, so that a sweep counts every
claim of a chapter rather than stopping at the first failure.
"""

from __future__ import annotations

import json
import numbers
import os
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "ClaimError",
    "KINDS",
    "check",
    "check_mc",
    "check_proportion",
    "check_less",
    "check_greater",
    "check_between",
    "check_true",
    "pin",
]

#: Kinds a claim can have, as the ledger groups them.
KINDS = (
    "closed form",
    "published value",
    "other library",
    "stated value",
    "Monte Carlo",
    "proportion",
    "bound",
    "logical",
    "pin",
)
_ROUTE_KINDS = KINDS[:4]
_ALTERNATIVES = ("two-sided", "greater", "less")
#: Default false-alarm probability of one Monte Carlo or proportion claim
#: (about that of a 4-sigma normal test, two-sided).
FALSE_ALARM = 1e-4


class ClaimError(AssertionError):
    """A claim made in the book's prose does not hold for the computed numbers."""


# --------------------------------------------------------------------------- helpers


def _fmt(x: Any) -> str:
    if isinstance(x, str):
        return x
    arr = np.asarray(x)
    if arr.ndim == 0:
        v = arr.item()
        if isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, numbers.Integral):
            return f"{v:,}"
        if isinstance(v, numbers.Real):
            return f"{float(v):.4g}"
        return repr(v)
    with np.printoptions(precision=3, threshold=6, edgeitems=2, floatmode="maxprec"):
        return np.array2string(arr, separator=", ")


def _claim_text(claim: Any) -> str:
    if not isinstance(claim, str) or not claim.strip():
        raise TypeError("claim must be a non-empty string stating what the prose says")
    return " ".join(claim.split())


def _numeric(name: str, x: Any) -> np.ndarray:
    """``x`` as a float array; refuses text, complex, booleans and empty input."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a number or an array of numbers, got the string {x!r}")
    try:
        raw = np.asarray(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {x!r}") from None
    if raw.dtype.kind in "USV":
        raise TypeError(f"{name} must be numbers, got text {_fmt(raw)}")
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got complex {_fmt(raw)}")
    if raw.dtype.kind == "b":
        raise TypeError(
            f"{name} must be numbers, got booleans; state a logical claim with check_true"
        )
    if raw.dtype.kind == "O":
        flat = raw.ravel().tolist()
        if any(isinstance(v, (str, bytes, bool, np.bool_, complex)) or v is None for v in flat):
            raise TypeError(f"{name} must be real numbers, got {_fmt(raw)}")
    try:
        arr = raw.astype(float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {x!r}") from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty: a claim about no values would hold vacuously")
    return arr


def _tolerance(name: str, x: Any) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a finite real number, got {x!r}")
    x = float(x)
    if not np.isfinite(x):
        raise TypeError(f"{name} must be a finite real number, got {x!r}")
    if x < 0:
        raise ValueError(f"{name} must be ≥ 0, got {x}")
    return x


def _false_alarm(x: Any) -> float:
    x = _tolerance("false_alarm", x)
    if not 0 < x < 0.5:
        raise ValueError(f"false_alarm must be in (0, 0.5), got {x}")
    return x


def _alternative(alt: Any) -> str:
    if alt not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {_ALTERNATIVES}, got {alt!r}")
    return str(alt)


def _broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in arrays.items())
        raise ValueError(f"shapes do not match: {shapes}") from None


def _default_seed_run() -> bool:
    return not os.environ.get("SYNTHBIO_SEED", "").strip()


def _record(kind: str, claim: str, ok: bool | None, value: Any, expected: Any, rule: str) -> None:
    path = os.environ.get("SYNTHBIO_CLAIMS_LOG")
    if not path:
        return
    entry = {
        "kind": kind,
        "claim": claim,
        "ok": ok,
        "value": _fmt(value),
        "expected": _fmt(expected),
        "rule": rule,
    }
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _report(
    ok: bool, kind: str, claim: str, value: Any, expected: Any, relation: str, rule: str
) -> None:
    """Print one line (✓ or ✗), record it, and raise unless recording."""
    _record(kind, claim, ok, value, expected, rule)
    detail = f"{_fmt(value)} {relation} {_fmt(expected)}"
    if rule:
        detail += f" ({rule})"
    if ok:
        print(f"✓ {claim} — {detail}")
        return
    if os.environ.get("SYNTHBIO_CLAIMS", "").strip().lower() == "record":
        print(f"✗ {claim} — {detail}")
        return
    raise ClaimError(f"claim does not hold — {claim}: {detail}")


# --------------------------------------------------------------------------- checks


def check(
    claim: str,
    value: ArrayLike,
    expected: ArrayLike,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    kind: str = "closed form",
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
        library's answer, or the rounded number the prose states. Arrays are
        compared elementwise.
    rtol, atol
        Relative and absolute tolerance, as in :func:`numpy.isclose`. State
        them from the precision of the two routes, not from what passes.
        ``rtol`` defaults to 1e-9 when no ``atol`` is given, else to 0.
    kind
        Which route ``expected`` is: ``"closed form"``, ``"published value"``,
        ``"other library"`` or ``"stated value"`` (the prose's rounded number
        for a value that does not depend on the random stream). A simulated
        value belongs in :func:`check_mc` or :func:`check_proportion`.

    Raises
    ------
    ClaimError
        If any element differs by more than the tolerance, or is NaN.
    """
    claim = _claim_text(claim)
    if kind not in _ROUTE_KINDS:
        raise ValueError(f"kind must be one of {_ROUTE_KINDS}, got {kind!r}")
    atol = _tolerance("atol", atol)
    rtol = _tolerance("rtol", (1e-9 if atol == 0 else 0.0) if rtol is None else rtol)
    v, e = _broadcast(value=_numeric("value", value), expected=_numeric("expected", expected))
    ok = bool(np.all(np.isclose(v, e, rtol=rtol, atol=atol, equal_nan=False)))
    tol = [f"rtol {rtol:g}"] if rtol else []
    tol += [f"atol {atol:g}"] if atol else []
    _report(ok, kind, claim, value, expected, "≈" if ok else "≉", ", ".join(tol) or "exact")


def _t_quantile(prob: float, n: np.ndarray) -> np.ndarray:
    from scipy import stats

    return np.asarray(stats.t.ppf(prob, df=n - 1))


def check_mc(
    claim: str,
    estimate: ArrayLike,
    expected: ArrayLike,
    *,
    se: ArrayLike,
    n: ArrayLike,
    alternative: str = "two-sided",
    false_alarm: float = FALSE_ALARM,
) -> None:
    """Hold a Monte Carlo ``estimate`` from ``n`` replicates to an exact value or a bound.

    The tolerance is a Student-t quantile with ``n - 1`` degrees of freedom
    times ``se``, so that a true claim fails with probability at most
    ``false_alarm`` whatever the seed (Bonferroni over the elements of an
    array). Few replicates therefore buy a wide tolerance: with ``n = 5`` the
    quantile is about 15 standard errors, not 4.

    Parameters
    ----------
    claim
        The statement in the prose, in words.
    estimate
        The simulated value (a number or array), e.g. a mean over replicates.
    expected
        The exact value (``alternative="two-sided"``) or the bound the prose
        states (``"greater"``: the true value exceeds it; ``"less"``: it stays
        below it).
    se
        Standard error of ``estimate`` (same shape or a scalar), e.g. from
        :func:`synthbio.stats.mean_se`.
    n
        Number of independent replicates behind ``se`` (≥ 2; an array of the
        estimate's shape is allowed).
    alternative
        ``"two-sided"``: ``|estimate - expected| ≤ t·se``; ``"greater"``:
        ``estimate - t·se > expected``; ``"less"``: ``estimate + t·se < expected``.
    false_alarm
        Probability that a true claim fails, per check.
    """
    claim = _claim_text(claim)
    alternative = _alternative(alternative)
    fa = _false_alarm(false_alarm)
    est, exp_, s, reps = _broadcast(
        estimate=_numeric("estimate", estimate),
        expected=_numeric("expected", expected),
        se=_numeric("se", se),
        n=_numeric("n", n),
    )
    if np.any(~np.isfinite(s)) or np.any(s < 0):
        raise ValueError(f"se must be finite and ≥ 0, got {_fmt(se)}")
    if np.any(reps < 2) or np.any(reps != np.floor(reps)):
        raise ValueError(f"n must be whole numbers of replicates ≥ 2, got {_fmt(n)}")
    tail = fa / (2 if alternative == "two-sided" else 1) / est.size
    q = _t_quantile(1 - tail, reps)
    if alternative == "two-sided":
        ok = bool(np.all(np.abs(est - exp_) <= q * s))
        relation = "≈" if ok else "≉"
    elif alternative == "greater":
        ok = bool(np.all(est - q * s > exp_))
        relation = ">" if ok else "≯"
    else:
        ok = bool(np.all(est + q * s < exp_))
        relation = "<" if ok else "≮"
    qmax = float(np.max(q))
    rule = (
        f"±{qmax:.3g} SE, n = {_fmt(np.min(reps))}"
        if est.size == 1
        else (f"up to ±{qmax:.3g} SE per element, n ≥ {_fmt(np.min(reps))}")
    )
    _report(ok, "Monte Carlo", claim, estimate, expected, relation, rule)


def check_proportion(
    claim: str,
    successes: ArrayLike,
    trials: ArrayLike,
    p: ArrayLike,
    *,
    alternative: str = "two-sided",
    false_alarm: float = FALSE_ALARM,
) -> None:
    """Hold ``successes`` out of ``trials`` to a probability ``p`` with an exact interval.

    The Clopper–Pearson interval at confidence ``1 - false_alarm`` is right
    for rare events, where a normal standard error is not (zero successes
    have a standard error of zero but do not prove ``p = 0``).

    Parameters
    ----------
    successes, trials
        Whole counts, ``0 ≤ successes ≤ trials``, ``trials ≥ 1`` (arrays allowed).
    p
        The exact probability (``"two-sided"``: ``p`` lies in the interval) or
        the bound the prose states (``"greater"``: the interval lies above
        ``p``; ``"less"``: below it).
    alternative, false_alarm
        As in :func:`check_mc`.
    """
    from scipy import stats

    claim = _claim_text(claim)
    alternative = _alternative(alternative)
    fa = _false_alarm(false_alarm)
    k, m, prob = _broadcast(
        successes=_numeric("successes", successes),
        trials=_numeric("trials", trials),
        p=_numeric("p", p),
    )
    if np.any(k != np.floor(k)) or np.any(m != np.floor(m)) or np.any(~np.isfinite(m)):
        raise ValueError("successes and trials must be whole numbers")
    if np.any(m < 1) or np.any(k < 0) or np.any(k > m):
        raise ValueError("need 0 ≤ successes ≤ trials and trials ≥ 1")
    if np.any(~np.isfinite(prob)) or np.any((prob < 0) | (prob > 1)):
        raise ValueError(f"p must be a probability in [0, 1], got {_fmt(p)}")
    tail = fa / (2 if alternative == "two-sided" else 1) / k.size
    lo = np.where(k > 0, stats.beta.ppf(tail, np.maximum(k, 1), m - k + 1), 0.0)
    hi = np.where(k < m, stats.beta.ppf(1 - tail, k + 1, np.maximum(m - k, 1)), 1.0)
    share = k / m
    if alternative == "two-sided":
        ok = bool(np.all((lo <= prob) & (prob <= hi)))
        relation = "≈" if ok else "≉"
    elif alternative == "greater":
        ok = bool(np.all(lo > prob))
        relation = ">" if ok else "≯"
    else:
        ok = bool(np.all(hi < prob))
        relation = "<" if ok else "≮"
    if share.size == 1:
        rule = (
            f"{_fmt(k.item())}/{_fmt(m.item())}, exact interval [{lo.item():.3g}, {hi.item():.3g}]"
        )
    else:
        rule = f"exact intervals, n ≥ {_fmt(np.min(m))} trials"
    _report(ok, "proportion", claim, share if share.size > 1 else share.item(), p, relation, rule)


def check_less(claim: str, value: ArrayLike, bound: ArrayLike) -> None:
    """Assert that ``value < bound`` (elementwise for arrays)."""
    claim = _claim_text(claim)
    v, b = _broadcast(value=_numeric("value", value), bound=_numeric("bound", bound))
    ok = bool(np.all(v < b))
    _report(ok, "bound", claim, value, bound, "<" if ok else "≮", "")


def check_greater(claim: str, value: ArrayLike, bound: ArrayLike) -> None:
    """Assert that ``value > bound`` (elementwise for arrays)."""
    claim = _claim_text(claim)
    v, b = _broadcast(value=_numeric("value", value), bound=_numeric("bound", bound))
    ok = bool(np.all(v > b))
    _report(ok, "bound", claim, value, bound, ">" if ok else "≯", "")


def check_between(claim: str, value: ArrayLike, low: ArrayLike, high: ArrayLike) -> None:
    """Assert that ``low ≤ value ≤ high`` (elementwise for arrays)."""
    claim = _claim_text(claim)
    v, lo, hi = _broadcast(
        value=_numeric("value", value), low=_numeric("low", low), high=_numeric("high", high)
    )
    if np.any(lo > hi):
        raise ValueError(f"low must be ≤ high, got low={_fmt(low)}, high={_fmt(high)}")
    ok = bool(np.all((lo <= v) & (v <= hi)))
    interval = f"[{_fmt(low)}, {_fmt(high)}]"
    _report(ok, "bound", claim, value, interval, "in" if ok else "not in", "")


def check_true(claim: str, condition: ArrayLike, *, detail: str = "") -> None:
    """Assert a logical statement: ``condition`` is ``True`` (every element, for arrays).

    Parameters
    ----------
    claim
        The statement in the prose.
    condition
        A bool, or a non-empty array of bools.
    detail
        Optional words shown after the verdict (e.g. what was compared).
    """
    claim = _claim_text(claim)
    if not isinstance(detail, str):
        raise TypeError(f"detail must be a string, got {detail!r}")
    arr = np.asarray(condition)
    if arr.dtype.kind != "b":
        raise TypeError(f"condition must be a bool or an array of bools, got {condition!r}")
    if arr.size == 0:
        raise ValueError("condition is empty: a claim about no values would hold vacuously")
    ok = bool(np.all(arr))
    shown = detail or (f"{int(arr.sum())} of {arr.size} true" if arr.size > 1 else str(ok))
    _record("logical", claim, ok, shown, True, "")
    if ok:
        print(f"✓ {claim} — {shown}")
    elif os.environ.get("SYNTHBIO_CLAIMS", "").strip().lower() == "record":
        print(f"✗ {claim} — {shown}")
    else:
        raise ClaimError(f"claim does not hold — {claim}: {shown}")


def pin(
    claim: str, value: ArrayLike, expected: ArrayLike, *, rtol: float = 1e-9, atol: float = 0.0
) -> None:
    """Pin a value that only this run's random stream reproduces (not a claim).

    Checked only at the chapter's default seed (``SYNTHBIO_SEED`` unset);
    under another seed it is recorded as not checked. Use it sparingly, for a
    number the prose quotes as "in this run"; determinism is tested elsewhere.
    """
    claim = _claim_text(claim)
    rtol, atol = _tolerance("rtol", rtol), _tolerance("atol", atol)
    v, e = _broadcast(value=_numeric("value", value), expected=_numeric("expected", expected))
    if not _default_seed_run():
        _record("pin", claim, None, value, expected, "not checked at this seed")
        print(f"◦ {claim} — {_fmt(value)} (pinned at the default seed only)")
        return
    ok = bool(np.all(np.isclose(v, e, rtol=rtol, atol=atol, equal_nan=False)))
    _record("pin", claim, ok, value, expected, "this run's random stream")
    if ok:
        print(f"◦ {claim} — {_fmt(value)} (this run; pinned at the default seed)")
        return
    if os.environ.get("SYNTHBIO_CLAIMS", "").strip().lower() == "record":
        print(f"✗ {claim} — pinned value changed: {_fmt(value)} ≉ {_fmt(expected)}")
        return
    raise ClaimError(f"pinned value changed — {claim}: {_fmt(value)} ≉ {_fmt(expected)}")
