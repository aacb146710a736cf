"""Bad inputs, generated from what each public function declares it accepts.

Every public function of synthbio states its parameters' constraints once, with
``@checked(name=Constraint, ...)`` (see ``synthbio/_validate.py``). This sweep reads those
declarations: for every parameter it asks the constraint for the values it must handle
(``Constraint.cases(valid)`` gives ``(class, rule, value)`` triples) and substitutes them,
one at a time, into the function's one valid call from ``tests/valid/<module>.py``.

Rules:

* ``refuse``: the call raises ``ValueError`` or ``TypeError`` whose message names the
  parameter (wrong types, NaN, inf, complex, bools for numbers, numeric strings, None in an
  array, out-of-range values, wrong shapes, empty input, integers beyond int64);
* ``refuse_or_finite``: refused as above, or answered with finite numbers (huge sizes,
  entries of ±1e300 or 5e-324, sparse matrices);
* ``accept``: the same answer as the valid value (pandas objects, AnnData views).

Every call runs under a time limit (a hang fails), with warnings turned into errors, and
must leave its arguments unmodified. ``EXEMPT`` lists the documented exceptions.
Set ``SYNTHBIO_SWEEP_LOG=<dir>`` to write one JSON line per failing call.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import json
import math
import numbers
import os
import signal
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import synthbio

VALID_DIR = Path(__file__).parent / "valid"
CALL_SECONDS = 4.0  # per call; hangs fail instead of stalling the suite
#: The claims module reports on any value by design; it has its own sweep in test_claims.
NOT_SWEPT = {"claims"}

#: The documented exceptions (at most ten): "module.function" -> why it is not held to a rule.
EXEMPT: dict[str, str] = {}
#: Functions whose valid results hold NaN or inf by design (documented in their docstrings).
NAN_BY_DESIGN: dict[str, str] = {}


def _load_valid() -> dict[str, dict[str, Any]]:
    valid: dict[str, dict[str, Any]] = {}
    for path in sorted(VALID_DIR.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_valid_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        valid.update(module.VALID)
    return valid


VALID = _load_valid()


def public_functions() -> list[str]:
    names = []
    for modname in synthbio.SUBMODULES:
        if modname in NOT_SWEPT:
            continue
        mod = importlib.import_module(f"synthbio.{modname}")
        for name in getattr(mod, "__all__", []):
            if inspect.isfunction(getattr(mod, name)):
                names.append(f"{modname}.{name}")
    return names


FUNCTIONS = [q for q in public_functions() if q not in EXEMPT]


def resolve(qualname: str) -> Callable[..., Any]:
    modname, fname = qualname.split(".")
    return getattr(importlib.import_module(f"synthbio.{modname}"), fname)


def declared(qualname: str) -> dict[str, Any]:
    return getattr(resolve(qualname), "__constraints__", {})


def test_exceptions_are_few():
    assert len(EXEMPT) + len(NAN_BY_DESIGN) <= 10


def test_every_public_function_has_a_valid_call():
    missing = [q for q in FUNCTIONS if q not in VALID]
    assert not missing, f"add a valid call in tests/valid/ for: {missing}"
    stale = [q for q in VALID if q not in FUNCTIONS]
    assert not stale, f"valid calls for functions that are not public: {stale}"


def test_every_parameter_is_declared():
    """Each parameter of each public function states what it accepts (with @checked)."""
    missing = []
    for qualname in FUNCTIONS:
        params = inspect.signature(resolve(qualname)).parameters.values()
        names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        missing += [f"{qualname}({n})" for n in names if n not in declared(qualname)]
    assert not missing, f"declare these parameters with @checked: {missing}"


def test_valid_calls_cover_every_declared_parameter():
    """The sweep substitutes into the valid call, so each declared parameter appears in it."""
    missing = [
        f"{q}({p})" for q in FUNCTIONS if q in VALID for p in declared(q) if p not in VALID[q]
    ]
    assert not missing, f"give these parameters a value in the valid call: {missing}"


@pytest.mark.parametrize("qualname", [q for q in FUNCTIONS if q in VALID])
def test_valid_call_succeeds_with_finite_result(qualname):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = resolve(qualname)(**VALID[qualname])
    if qualname not in NAN_BY_DESIGN:
        assert not _non_finite(out), f"{qualname} returned NaN or inf for its valid call"


# --- the sweep --------------------------------------------------------------------------------


def sweep_cases() -> dict[tuple[str, str], list[tuple[str, str, Any]]]:
    """(function, class) -> [(parameter, rule, value)], from the declarations."""
    out: dict[tuple[str, str], list[tuple[str, str, Any]]] = {}
    for qualname in FUNCTIONS:
        if qualname not in VALID:
            continue
        for param, constraint in declared(qualname).items():
            if param not in VALID[qualname]:
                continue
            for cls, rule, value in constraint.cases(VALID[qualname][param]):
                out.setdefault((qualname, cls), []).append((param, rule, value))
    return out


CASES = sweep_cases()


def test_the_sweep_is_large():
    assert sum(map(len, CASES.values())) >= 1000, sum(map(len, CASES.values()))


class _CallTimeout(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` cannot swallow it."""


def _limited_call(fn: Callable[..., Any], kwargs: dict[str, Any], seconds: float) -> Any:
    def _alarm(signum: int, frame: Any) -> None:
        raise _CallTimeout

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _short(v: Any) -> str:
    text = repr(v).replace("\n", " ")
    return text if len(text) < 40 else text[:37] + "..."


def _failure(qualname: str, param: str, cls: str, rule: str, bad: Any) -> str | None:
    """Run one call with ``param=bad``; describe what went wrong, or return None."""
    kwargs = dict(VALID[qualname], **{param: bad})
    before = {k: _fingerprint(v) for k, v in kwargs.items()}
    fn = resolve(qualname)
    label = f"{qualname}({param}={_short(bad)}) [{cls}, {rule}]"
    refused = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = _limited_call(fn, kwargs, CALL_SECONDS)
        except _CallTimeout:
            return f"hang: {label} ran longer than {CALL_SECONDS} s"
        except (ValueError, TypeError) as exc:
            if rule == "accept":
                return f"refused: {label} refused a valid input: {type(exc).__name__}: {exc}"
            if param not in str(exc) and param.rstrip("_") not in str(exc):
                return f"unnamed: {label} raised {type(exc).__name__} without naming it: {exc}"
            refused = True
        except Exception as exc:  # noqa: BLE001 - the point is to catch the wrong kinds
            return f"crash: {label} raised {type(exc).__name__}: {str(exc)[:200]}"
    changed = [k for k, v in kwargs.items() if _fingerprint(v) != before[k]]
    if changed:
        return f"mutation: {label} modified its argument(s) {changed}"
    if refused:
        return None
    if rule == "refuse":
        return f"silent: {label} accepted the value and returned {_short(out)}"
    if qualname not in NAN_BY_DESIGN and _non_finite(out):
        return f"nonfinite: {label} returned NaN or inf: {_short(out)}"
    if rule == "accept":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = fn(**VALID[qualname])
        if not _same(out, plain):
            return f"different: {label} differs from the result for the valid value"
    return None


@pytest.mark.parametrize(
    ("qualname", "cls"), sorted(CASES), ids=[f"{q}-{c}" for q, c in sorted(CASES)]
)
def test_declared_bad_inputs(qualname, cls):
    failures = [
        f
        for param, rule, bad in CASES[qualname, cls]
        if (f := _failure(qualname, param, cls, rule, bad)) is not None
    ]
    log_dir = os.environ.get("SYNTHBIO_SWEEP_LOG")
    if log_dir and failures:
        with open(os.path.join(log_dir, f"{os.getpid()}.jsonl"), "a", encoding="utf-8") as fh:
            for f in failures:
                fh.write(json.dumps({"function": qualname, "class": cls, "failure": f}) + "\n")
    assert not failures, "\n".join(failures)


def test_declarations_refuse_what_the_sweep_expects():
    """The constraints themselves: a refuse case raises, naming the argument (no function)."""
    from synthbio import _validate as v

    examples = [
        (v.Int(min=1), 3),
        (v.Real(0, 1, open_min=True), 0.5),
        (v.Positive(), 2.0),
        (v.Flag(), True),
        (v.Seed(), 0),
        (v.OneOf("a", "b"), "a"),
        (v.Array(ndim=2), [[1.0, 2.0], [3.0, 4.0]]),
        (v.Array(ndim=1, counts=True), [0, 3, 5]),
        (v.Labels(), ["a", "b", "a"]),
    ]
    for constraint, valid in examples:
        constraint("x", valid)
        for cls, rule, bad in constraint.cases(valid):
            if rule != "refuse":
                continue
            with pytest.raises((ValueError, TypeError), match="x"):
                constraint("x", bad)
                pytest.fail(f"{type(constraint).__name__} accepted {cls}: {bad!r}")


# --- comparing results and arguments ------------------------------------------------------------


def _dense(m: Any) -> np.ndarray:
    return np.asarray(m.toarray() if hasattr(m, "toarray") else m)


def _fingerprint(v: Any) -> Any:
    """A comparable summary of a value's contents, to detect mutation."""
    if isinstance(v, np.ndarray):
        if v.dtype == object:
            return ("object array", v.shape, repr(v.tolist()))
        return ("array", v.shape, str(v.dtype), v.tobytes())
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(_fingerprint(x) for x in v))
    if isinstance(v, Mapping):
        return ("mapping", tuple((repr(k), _fingerprint(x)) for k, x in v.items()))
    if hasattr(v, "to_numpy") and hasattr(v, "index"):  # pandas
        return ("pandas", _fingerprint(np.asarray(v.to_numpy())), tuple(v.index))
    if hasattr(v, "obs_names") and hasattr(v, "X"):  # AnnData
        layers = tuple((k, _dense(v.layers[k]).tobytes()) for k in v.layers)
        return ("anndata", _dense(v.X).tobytes(), v.shape, tuple(v.obs.columns), layers)
    if hasattr(v, "toarray"):  # scipy sparse
        return ("sparse", _dense(v).tobytes())
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        fields = dataclasses.fields(v)
        return (
            "dataclass",
            type(v).__name__,
            tuple(_fingerprint(getattr(v, f.name)) for f in fields),
        )
    if isinstance(v, numbers.Number):
        return ("number", repr(v))  # repr: NaN equals itself
    if isinstance(v, (str, bytes, type(None))):
        return v
    return ("object", id(v))


def _non_finite(out: Any) -> bool:
    """Whether a result holds NaN or ±inf (in floats, float arrays, tuples, dataclasses)."""
    if isinstance(out, (float, np.floating)):
        return not math.isfinite(out)
    if isinstance(out, np.ndarray):
        return np.issubdtype(out.dtype, np.inexact) and not bool(np.all(np.isfinite(out)))
    if isinstance(out, (list, tuple)):
        return any(_non_finite(x) for x in out)
    if isinstance(out, Mapping):
        return any(_non_finite(x) for x in out.values())
    if dataclasses.is_dataclass(out) and not isinstance(out, type):
        return any(_non_finite(getattr(out, f.name)) for f in dataclasses.fields(out))
    return False


def _same(a: Any, b: Any) -> bool:
    """Equal results (NaN equal to NaN); objects of unknown kind count as equal."""
    numeric = (np.ndarray, float, np.floating, int, np.integer)
    if isinstance(a, numeric) and isinstance(b, numeric):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if np.issubdtype(a.dtype, np.number) and np.issubdtype(b.dtype, np.number):
            return bool(np.allclose(a, b, rtol=1e-12, atol=0.0, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if hasattr(a, "obs_names") and hasattr(b, "obs_names"):  # AnnData: data, layers, embeddings
        return (
            a.shape == b.shape
            and _same(_dense(a.X), _dense(b.X))
            and a.layers.keys() == b.layers.keys()
            and all(_same(_dense(a.layers[k]), _dense(b.layers[k])) for k in a.layers)
            and a.obsm.keys() == b.obsm.keys()
            and all(_same(_dense(a.obsm[k]), _dense(b.obsm[k])) for k in a.obsm)
        )
    return (a is None) == (b is None)
