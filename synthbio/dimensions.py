"""Dimensional analysis: the Buckingham Pi theorem as integer linear algebra.

A physical law cannot depend on the units it is written in. If ``n`` variables
are built from ``k`` base dimensions (mass, length, time, ...) and their
dimension matrix has rank ``r``, every law between them can be rewritten as a
law between ``n - r`` dimensionless products of powers, the *Pi groups*. The
exponent vectors of those products are the null space of the dimension matrix.

This module computes that null space exactly (rational Gaussian elimination,
so exponents come out as small integers, not rounded floats), chooses a
readable basis, compares it with :func:`pint.pi_theorem`, and uses the theorem
as a generator of synthetic data: :func:`similar_points` rescales measured
points by a change of units, which leaves every Pi group, and therefore the
physics, unchanged. The running example is the drag on a sphere
(:func:`drag_coefficient`, :func:`drag_force`, :func:`terminal_speed`).

Dimensions of a variable are given either as a unit string that pint parses
(``"kg/m**3"``, ``"Pa*s"``, ``"[length]/[time]"``) or as a mapping from base
dimension to exponent (``{"mass": 1, "length": -3}``).

References
----------
Buckingham, E. (1914). On physically similar systems; illustrations of the use
of dimensional equations. *Physical Review* 4, 345–376.

Schiller, L. & Naumann, A. (1933). Über die grundlegenden Berechnungen bei der
Schwerkraftaufbereitung. *Zeitschrift des Vereines Deutscher Ingenieure* 77,
318–320.

Purcell, E. M. (1977). Life at low Reynolds number. *American Journal of
Physics* 45, 3–11.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import combinations
from types import MappingProxyType
from typing import Any, NamedTuple, cast

import numpy as np

from ._validate import (
    RNGLike,
    as_generator,
    check_memory,
    finite_array,
    integer,
    positive_real,
    real,
    reject_bools,
)

__all__ = [
    "BASE_DIMENSIONS",
    "DRAG_CRISIS_RE",
    "SPHERE_DRAG",
    "STANDARD_GRAVITY",
    "DimensionMatrix",
    "TransferResult",
    "dimension_matrix",
    "drag_coefficient",
    "drag_force",
    "equivalent_groups",
    "fit_predict_log",
    "format_group",
    "group_value",
    "is_dimensionless",
    "measure_drag",
    "pi_groups",
    "pint_pi_groups",
    "reynolds_number",
    "scale_transfer_experiment",
    "similar_points",
    "terminal_speed",
]

#: Base dimensions in the order rows of a dimension matrix use; others follow alphabetically.
BASE_DIMENSIONS: tuple[str, ...] = (
    "mass",
    "length",
    "time",
    "current",
    "temperature",
    "substance",
    "luminosity",
)

#: Standard gravity in m/s² (exact by definition).
STANDARD_GRAVITY = 9.80665

#: Schiller–Naumann holds up to about this Reynolds number; above it ``C_d`` ≈ 0.44.
NEWTON_REGIME_RE = 1000.0

#: Upper end of the drag correlation. Near ``Re ≈ 2–3·10⁵`` the boundary layer of a
#: smooth sphere turns turbulent and ``C_d`` drops from about 0.44 to about 0.1
#: (the drag crisis), which the correlation does not model.
DRAG_CRISIS_RE = 2.0e5

# Above this many candidate sets of repeating variables, pi_groups picks them greedily.
_MAX_CANDIDATES = 1000

DimensionSpec = str | Mapping[str, float]
Group = Mapping[str, float]


class DimensionMatrix(NamedTuple):
    """A dimension matrix with its labels; unpacks as ``matrix, dimensions, variables``."""

    #: Exponents, shape (number of base dimensions, number of variables).
    matrix: np.ndarray
    #: Row labels, the base dimensions that occur, e.g. ``("mass", "length", "time")``.
    dimensions: tuple[str, ...]
    #: Column labels, the variable names, in the order given.
    variables: tuple[str, ...]


# --------------------------------------------------------------------------- parsing


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


def _fraction(name: str, value: Any) -> Fraction:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite, got {value}")
    # An exponent beyond this is a typo, and its powers overflow. typeshed's numbers.Real
    # declares abs() -> _RealLike, which has no ordering; at run time any Real compares.
    if abs(value) > 1000:  # type: ignore[operator]
        raise ValueError(f"{name} must lie in [-1000, 1000], got {value}")
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    frac = Fraction(float(value)).limit_denominator(1000)
    if abs(float(frac) - float(value)) > 1e-9:
        raise ValueError(f"{name} must be a rational number with a small denominator, got {value}")
    return frac


def _dimension_name(key: Any, name: str) -> str:
    if not isinstance(key, str) or not key.strip("[] "):
        raise TypeError(f"{name} must have base-dimension names as keys, got {key!r}")
    return key.strip().strip("[]").strip()


def _parse_spec(name: str, spec: Any) -> dict[str, Fraction]:
    """The dimensions of one variable as base dimension -> non-zero exponent."""
    where = f"variables[{name!r}]"
    if spec is None:
        raise ValueError(
            f"{where} gives no dimensions; give a unit string, a mapping of base "
            "dimensions to exponents, or 'dimensionless' for a pure number"
        )
    if isinstance(spec, str):
        if not spec.strip():
            raise ValueError(
                f"{where} is an empty unit string; give a unit such as 'm/s', "
                "or 'dimensionless' for a pure number"
            )
        ureg = _registry()
        try:
            if "[" in spec:  # dimensions such as "[length]/[time]"
                dims = ureg.get_dimensionality(spec)
            else:  # units; parse_expression also reads "dimensionless"
                dims = ureg.parse_expression(spec).dimensionality
        except Exception as exc:  # noqa: BLE001 - pint raises many error types for bad strings
            raise ValueError(f"{where}: pint cannot parse the unit {spec!r} ({exc})") from None
        raw: Mapping[Any, Any] = dict(dims)
    elif hasattr(spec, "dimensionality"):  # a pint Unit or Quantity
        raw = dict(spec.dimensionality)
    elif isinstance(spec, Mapping):
        if not spec:
            raise ValueError(
                f"{where} is an empty mapping; give base dimensions and exponents, "
                "or 'dimensionless' for a pure number"
            )
        raw = spec
    else:
        raise TypeError(
            f"{where} must be a unit string or a mapping base dimension -> exponent, "
            f"got {type(spec).__name__}"
        )
    out: dict[str, Fraction] = {}
    for key, value in raw.items():
        dim = _dimension_name(key, where)
        exponent = _fraction(f"{where}[{key!r}]", value)
        out[dim] = out.get(dim, Fraction(0)) + exponent
    return {d: e for d, e in out.items() if e != 0}


def _parse_variables(
    variables: Any,
) -> tuple[tuple[str, ...], tuple[str, ...], list[list[Fraction]]]:
    """Names, base dimensions and the exact dimension matrix (list of rows)."""
    if not isinstance(variables, Mapping):
        raise TypeError(
            "variables must be a mapping name -> dimensions (unit string or mapping), "
            f"got {type(variables).__name__}"
        )
    if not variables:
        raise ValueError("variables must name at least one variable, got an empty mapping")
    names = tuple(variables.keys())
    for key in names:
        if not isinstance(key, str) or not key:
            raise TypeError(f"variables must have non-empty string names as keys, got {key!r}")
    specs = {key: _parse_spec(key, variables[key]) for key in names}
    present = {d for spec in specs.values() for d in spec}
    dims = tuple(d for d in BASE_DIMENSIONS if d in present) + tuple(
        sorted(present - set(BASE_DIMENSIONS))
    )
    rows = [[specs[v].get(d, Fraction(0)) for v in names] for d in dims]
    return names, dims, rows


def dimension_matrix(variables: Mapping[str, DimensionSpec]) -> DimensionMatrix:
    """The dimension matrix of a set of variables.

    Parameters
    ----------
    variables
        Maps each variable's name to its dimensions: a unit string that pint
        parses (``"N"``, ``"kg/m**3"``, ``"[length]/[time]"``,
        ``"dimensionless"``) or a mapping base dimension -> exponent
        (``{"mass": 1, "length": -3}``; square brackets around names are
        optional).

    Returns
    -------
    DimensionMatrix
        ``matrix`` of shape (base dimensions, variables), whose entry ``[i, j]``
        is the exponent of dimension ``i`` in variable ``j``; ``dimensions``
        (only those that occur, in :data:`BASE_DIMENSIONS` order) and
        ``variables`` (in the order given).

    Raises
    ------
    ValueError
        If ``variables`` is empty, a unit string is unknown to pint, or a
        variable gives no dimensions (``None``, ``""`` or ``{}``).
    """
    names, dims, rows = _parse_variables(variables)
    matrix = np.array([[float(x) for x in row] for row in rows], dtype=float).reshape(
        len(dims), len(names)
    )
    return DimensionMatrix(matrix, dims, names)


# --------------------------------------------------------------------- exact algebra


def _rref(rows: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form over the rationals, and the pivot columns."""
    m = [list(r) for r in rows]
    pivots: list[int] = []
    if not m:
        return m, pivots
    n_cols = len(m[0])
    lead = 0
    for col in range(n_cols):
        pivot_row = next((i for i in range(lead, len(m)) if m[i][col] != 0), None)
        if pivot_row is None:
            continue
        m[lead], m[pivot_row] = m[pivot_row], m[lead]
        p = m[lead][col]
        m[lead] = [x / p for x in m[lead]]
        for i in range(len(m)):
            if i != lead and m[i][col] != 0:
                f = m[i][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[lead])]
        pivots.append(col)
        lead += 1
        if lead == len(m):
            break
    return m, pivots


def _rank(rows: list[list[Fraction]]) -> int:
    return len(_rref(rows)[1])


def _columns(rows: list[list[Fraction]], cols: Sequence[int]) -> list[list[Fraction]]:
    return [[row[c] for c in cols] for row in rows]


def _integer_vector(vec: Sequence[Fraction]) -> list[int]:
    """Scale a rational vector to coprime integers (sign unchanged)."""
    denom = 1
    for x in vec:
        denom = denom * x.denominator // math.gcd(denom, x.denominator)
    ints = [int(x * denom) for x in vec]
    g = functools.reduce(math.gcd, (abs(i) for i in ints), 0)
    return [i // g for i in ints] if g > 1 else ints


def _groups_for(rows: list[list[Fraction]], n: int, repeating: Sequence[int]) -> list[list[int]]:
    """One integer group per non-repeating variable, solved against the repeating ones."""
    others = [j for j in range(n) if j not in repeating]
    r = len(repeating)
    if r == 0:
        basis = [[Fraction(int(i == j)) for i in range(n)] for j in others]
        return [_integer_vector(v) for v in basis]
    reduced, _ = _rref(_columns(rows, list(repeating) + others))
    groups = []
    for jj, j in enumerate(others):
        vec = [Fraction(0)] * n
        vec[j] = Fraction(1)
        for i, c in enumerate(repeating):
            vec[c] = -reduced[i][r + jj]
        groups.append(_integer_vector(vec))
    return groups


def _orient(vec: list[int]) -> list[int]:
    """Make the first variable (in the order given) that occurs carry a positive exponent."""
    first = next(x for x in vec if x != 0)
    return vec if first > 0 else [-x for x in vec]


def _resolve_repeating(
    names: tuple[str, ...], repeating: Any, rank: int, label: str = "repeating"
) -> list[int]:
    if hasattr(repeating, "to_numpy") and hasattr(repeating, "index"):  # a pandas Series
        repeating = repeating.tolist()
    if isinstance(repeating, str) or not isinstance(repeating, Sequence):
        raise TypeError(
            f"{label} must be a sequence of variable names, got {type(repeating).__name__}"
        )
    idx = []
    for name in repeating:
        if name not in names:
            raise ValueError(f"{label} names {name!r}, which is not one of {list(names)}")
        if names.index(name) in idx:
            raise ValueError(f"{label} names {name!r} twice")
        idx.append(names.index(name))
    if len(idx) != rank:
        raise ValueError(
            f"{label} must name exactly {rank} variable(s) (the rank of the dimension "
            f"matrix), got {len(idx)}"
        )
    return idx


def pi_groups(
    variables: Mapping[str, DimensionSpec], *, repeating: Sequence[str] | None = None
) -> list[dict[str, int]]:
    """A basis of dimensionless groups: ``n - rank`` products of powers with integer exponents.

    Each group is the product of one *non-repeating* variable with powers of
    ``rank`` *repeating* variables, as in the textbook method. Unless
    ``repeating`` is given, the repeating set is the one that makes the
    exponents smallest (sum of absolute values), ties going to sets made of
    variables listed later, so that the first-listed variable (put the
    quantity of interest first) appears in one group only. Each group is
    scaled to coprime integers and oriented so that its earliest-listed
    variable has a positive exponent, which gives the usual Reynolds form
    ``density·speed·length/viscosity`` rather than its inverse.

    Parameters
    ----------
    variables
        As in :func:`dimension_matrix`.
    repeating
        Optional names of ``rank`` variables with independent dimensions to
        use as repeating variables.

    Returns
    -------
    list of dict
        One mapping name -> non-zero integer exponent per group, in the order
        of the non-repeating variables.

    References
    ----------
    Buckingham, E. (1914). *Physical Review* 4, 345–376.
    """
    names, _, rows = _parse_variables(variables)
    n = len(names)
    rank = _rank(rows)
    if repeating is not None:
        chosen = _resolve_repeating(names, repeating, rank)
        if rank and _rank(_columns(rows, chosen)) < rank:
            raise ValueError(
                f"repeating variables {list(repeating)} have dependent dimensions; "
                f"choose {rank} whose dimensions are independent"
            )
        best = _groups_for(rows, n, chosen)
    elif math.comb(n, rank) <= _MAX_CANDIDATES:
        best, best_key = [], None
        for combo in combinations(range(n), rank):
            if rank and _rank(_columns(rows, combo)) < rank:
                continue
            groups = _groups_for(rows, n, combo)
            key = (sum(abs(e) for g in groups for e in g), tuple(-c for c in reversed(combo)))
            if best_key is None or key < best_key:
                best, best_key = groups, key
    else:  # greedy: pivots of the columns taken from the last variable backwards
        _, piv = _rref(_columns(rows, list(range(n - 1, -1, -1))))
        best = _groups_for(rows, n, sorted(n - 1 - p for p in piv))
    return [{names[i]: e for i, e in enumerate(_orient(g)) if e != 0} for g in best]


def pint_pi_groups(variables: Mapping[str, DimensionSpec]) -> list[dict[str, float]]:
    """The Pi groups that :func:`pint.pi_theorem` finds, for comparison with :func:`pi_groups`.

    Mapping specifications are turned into pint dimension strings first.
    pint cannot handle a variable without dimensions; such variables raise
    ``ValueError`` here.
    """
    import pint

    names, dims, rows = _parse_variables(variables)
    quantities = {}
    for j, name in enumerate(names):
        parts = [f"[{d}]**{float(rows[i][j])!r}" for i, d in enumerate(dims) if rows[i][j] != 0]
        if not parts:
            raise ValueError(f"variables[{name!r}] is dimensionless, which pint.pi_theorem rejects")
        quantities[name] = " * ".join(parts)
    found = pint.pi_theorem(quantities, _registry())
    return [{k: float(v) for k, v in g.items() if v != 0} for g in found]


def _group_exponents(name: str, group: Any, names: Sequence[str]) -> list[Fraction]:
    if not isinstance(group, Mapping):
        raise TypeError(
            f"{name} must be a mapping variable -> exponent, got {type(group).__name__}"
        )
    if not group:
        raise ValueError(f"{name} must name at least one variable, got an empty mapping")
    vec = [Fraction(0)] * len(names)
    for key, value in group.items():
        if key not in names:
            raise ValueError(
                f"{name} names {key!r}, which is not one of the variables {list(names)}"
            )
        vec[names.index(key)] = _fraction(f"{name}[{key!r}]", value)
    return vec


def is_dimensionless(group: Group, variables: Mapping[str, DimensionSpec]) -> bool:
    """Whether the product ``∏ variable**exponent`` of ``group`` has no dimensions (exactly).

    Parameters
    ----------
    group
        Maps variable names (keys of ``variables``) to exponents.
    variables
        As in :func:`dimension_matrix`.
    """
    names, _, rows = _parse_variables(variables)
    vec = _group_exponents("group", group, names)
    return all(sum(a * x for a, x in zip(row, vec)) == 0 for row in rows)


def equivalent_groups(first: Sequence[Group], second: Sequence[Group]) -> bool:
    """Whether two lists of groups generate the same dimensionless products.

    Two bases of Pi groups describe the same physics when each group of one
    is a product of powers of the groups of the other: equal up to sign of the
    exponents (inversion), powers and products. That holds exactly when the
    exponent vectors span the same rational vector space, which is tested by
    comparing ranks: ``rank(A) == rank(B) == rank([A; B])``.
    """
    for label, groups in (("first", first), ("second", second)):
        if isinstance(groups, (str, bytes, Mapping)) or not isinstance(groups, Sequence):
            raise TypeError(f"{label} must be a list of groups (mappings name -> exponent)")
    names = sorted({k for g in [*first, *second] for k in g})
    a = [_group_exponents(f"first[{i}]", g, names) for i, g in enumerate(first)]
    b = [_group_exponents(f"second[{i}]", g, names) for i, g in enumerate(second)]
    ra, rb = _rank(a), _rank(b)
    return ra == rb == _rank(a + b)


def group_value(group: Group, values: Mapping[str, Any]) -> np.ndarray:
    """The numerical value of ``∏ values[name]**exponent``, broadcast over arrays.

    Parameters
    ----------
    group
        Maps names to exponents.
    values
        Maps each name in ``group`` to a positive number or array (in
        consistent units, e.g. SI).
    """
    if not isinstance(values, Mapping):
        raise TypeError(
            f"values must be a mapping name -> positive array, got {type(values).__name__}"
        )
    exps = _group_exponents(
        "group", group, list(group.keys()) if isinstance(group, Mapping) else []
    )
    out: Any = np.float64(1.0)
    for key, e in zip(group.keys(), exps):
        if key not in values:
            raise ValueError(f"values must give {key!r}, which the group uses")
        if e == 0:
            continue
        arr = _positive(f"values[{key!r}]", values[key])
        out = out * arr ** float(e)
    return np.asarray(out, dtype=float)


_SUPERSCRIPTS = str.maketrans("-0123456789/", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹ᐟ")


def format_group(group: Group, symbols: Mapping[str, str] | None = None) -> str:
    """A group as readable text, e.g. ``{"rho": 1, "v": 1, "D": 1, "mu": -1}`` -> ``"ρ·v·D / μ"``.

    Parameters
    ----------
    group
        Maps names to exponents (integers or simple fractions).
    symbols
        Optional display symbol for each name; Greek names such as ``"rho"``
        and ``"mu"`` are shown as letters by default.
    """
    if not isinstance(group, Mapping) or not group:
        raise TypeError("group must be a non-empty mapping name -> exponent")
    greek = {
        "rho": "ρ",
        "mu": "μ",
        "nu": "ν",
        "eps": "ε",
        "sigma": "σ",
        "omega": "ω",
        "theta": "θ",
        "drho": "Δρ",
        "dp": "Δp",
        "lambda": "λ",
        "tau": "τ",
    }
    if symbols is None:
        symbols = {}
    if not isinstance(symbols, Mapping):
        raise TypeError(
            f"symbols must be a mapping name -> display string, got {type(symbols).__name__}"
        )
    for key, sym in symbols.items():
        if not isinstance(sym, str):
            raise TypeError(f"symbols[{key!r}] must be a display string, got {type(sym).__name__}")

    def term(name: str, e: Fraction) -> str:
        sym = symbols.get(name, greek.get(name, name))
        return sym if e == 1 else sym + str(e).translate(_SUPERSCRIPTS)

    exps = {k: _fraction(f"group[{k!r}]", v) for k, v in group.items()}
    top = [term(k, e) for k, e in exps.items() if e > 0]
    bottom = [term(k, -e) for k, e in exps.items() if e < 0]
    text = "·".join(top) or "1"
    if bottom:
        text += " / " + ("·".join(bottom) if len(bottom) == 1 else "(" + "·".join(bottom) + ")")
    return text


# ------------------------------------------------------------------------ sphere drag


#: Range of the physical quantities accepted (SI units): wide enough for any sphere, fluid or
#: planet, narrow enough that products such as ρ·v²·D² stay finite in float64.
_PHYSICAL = (1e-30, 1e30)


def _positive(name: str, value: Any) -> np.ndarray:
    reject_bools(name, value)
    arr = finite_array(name, value, min_size=1)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be positive (> 0), got a minimum of {arr.min():g}")
    if arr.min() < _PHYSICAL[0] or arr.max() > _PHYSICAL[1]:
        raise ValueError(
            f"{name} must lie in [{_PHYSICAL[0]:g}, {_PHYSICAL[1]:g}] (SI units), "
            f"got {arr.min():g}..{arr.max():g}"
        )
    return arr


def _out(x: np.ndarray) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def reynolds_number(density: Any, viscosity: Any, diameter: Any, speed: Any) -> Any:
    """Reynolds number ``Re = density·speed·diameter / viscosity`` (SI units), broadcast."""
    rho, mu = _positive("density", density), _positive("viscosity", viscosity)
    d, v = _positive("diameter", diameter), _positive("speed", speed)
    return _out(rho * v * d / mu)


def drag_coefficient(reynolds: Any, *, model: str = "schiller-naumann") -> Any:
    """Drag coefficient of a smooth sphere as a function of the Reynolds number.

    Parameters
    ----------
    reynolds
        Positive Reynolds number(s).
    model
        ``"schiller-naumann"`` (default): ``24/Re·(1 + 0.15 Re**0.687)`` below
        ``Re = 1000`` and the constant 0.44 above (Newton's regime), up to
        :data:`DRAG_CRISIS_RE` (``2·10⁵``). Beyond it lies the drag crisis,
        where the real ``C_d`` falls to about 0.1; the correlation does not
        model it, so larger Reynolds numbers raise ``ValueError`` rather than
        return a silently wrong 0.44.
        ``"stokes"``: ``24/Re``, the creeping-flow limit, accurate for ``Re ≪ 1``
        (no upper limit is enforced: the caller chose the limit law).

    Returns
    -------
    float or ndarray
        ``C_d = F / (½ ρ v² · π D²/4)``.

    References
    ----------
    Schiller, L. & Naumann, A. (1933). *Z. Ver. Dtsch. Ing.* 77, 318–320.
    """
    re = _positive("reynolds", reynolds)
    if model == "stokes":
        return _out(24.0 / re)
    if model != "schiller-naumann":
        raise ValueError(f"model must be 'schiller-naumann' or 'stokes', got {model!r}")
    if np.any(re > DRAG_CRISIS_RE):
        raise ValueError(
            f"reynolds must be ≤ {DRAG_CRISIS_RE:.0e} for the Schiller–Naumann/Newton drag "
            f"correlation, got a maximum of {re.max():.3g}: near Re ≈ 2–3e5 a smooth sphere "
            "passes through the drag crisis (C_d drops from about 0.44 to about 0.1), "
            "which the correlation does not model"
        )
    return _out(_schiller_naumann(re))


def _schiller_naumann(re: np.ndarray) -> np.ndarray:
    """The correlation without the range check, for root finding that may overshoot it."""
    return np.where(re < NEWTON_REGIME_RE, 24.0 / re * (1.0 + 0.15 * re**0.687), 0.44)


def drag_force(
    density: Any, viscosity: Any, diameter: Any, speed: Any, *, model: str = "schiller-naumann"
) -> Any:
    """Drag force (N) on a sphere moving steadily through a fluid, ``C_d(Re)·½ρv²·πD²/4``.

    Parameters
    ----------
    density
        Fluid density, kg/m³.
    viscosity
        Dynamic viscosity of the fluid, Pa·s.
    diameter
        Sphere diameter, m.
    speed
        Speed of the sphere relative to the fluid, m/s.
    model
        Passed to :func:`drag_coefficient`. With ``"stokes"`` the result is
        exactly Stokes' law ``3π·viscosity·diameter·speed``.

    Raises
    ------
    ValueError
        If the Reynolds number exceeds :data:`DRAG_CRISIS_RE` (default model).
    """
    rho, mu = _positive("density", density), _positive("viscosity", viscosity)
    d, v = _positive("diameter", diameter), _positive("speed", speed)
    try:
        cd = np.asarray(drag_coefficient(rho * v * d / mu, model=model))
    except ValueError as exc:
        if "reynolds" not in str(exc):
            raise
        raise ValueError(f"density, viscosity, diameter and speed give a {exc}") from None
    return _out(cd * 0.5 * rho * v**2 * np.pi * d**2 / 4.0)


def measure_drag(
    density: Any,
    viscosity: Any,
    diameter: Any,
    speed: Any,
    *,
    rel_noise: float = 0.05,
    rng: RNGLike = None,
) -> np.ndarray:
    """Synthetic drag "measurements": :func:`drag_force` times log-normal noise.

    Each force is multiplied by ``exp(rel_noise·Z)`` with ``Z`` standard
    normal, so ``rel_noise`` is the standard deviation of the log error
    (about the relative error for small values).
    """
    rel_noise = real("rel_noise", rel_noise, minimum=0.0, maximum=1.0)
    gen = as_generator(rng)
    force = np.asarray(drag_force(density, viscosity, diameter, speed), dtype=float)
    return force * np.exp(rel_noise * gen.standard_normal(force.shape))


def terminal_speed(
    particle_density: Any,
    fluid_density: Any,
    viscosity: Any,
    diameter: Any,
    *,
    acceleration: Any = STANDARD_GRAVITY,
) -> Any:
    """Settling speed (m/s) of a sphere where drag balances its apparent weight.

    Solves ``(ρ_p − ρ_f)·a·πD³/6 = drag_force(ρ_f, μ, D, v)`` for ``v`` by
    bisection on ``log v`` (vectorised), using the Schiller–Naumann drag.
    For ``Re ≪ 1`` this tends to Stokes' settling speed
    ``(ρ_p − ρ_f)·a·D²/(18μ)``. Raises ``ValueError`` if the solution lies
    beyond :data:`DRAG_CRISIS_RE`, where the correlation does not hold.

    Parameters
    ----------
    particle_density, fluid_density
        kg/m³; the particle must be denser than the fluid.
    viscosity
        Pa·s.
    diameter
        m.
    acceleration
        m/s²: gravity by default, or a centrifuge's ``ω²r``.
    """
    rho_p = _positive("particle_density", particle_density)
    rho_f = _positive("fluid_density", fluid_density)
    mu, d = _positive("viscosity", viscosity), _positive("diameter", diameter)
    a = _positive("acceleration", acceleration)
    if np.any(rho_p <= rho_f):
        raise ValueError("particle_density must exceed fluid_density for the sphere to settle")
    rho_p, rho_f, mu, d, a = np.broadcast_arrays(rho_p, rho_f, mu, d, a)
    weight = (rho_p - rho_f) * a * np.pi * d**3 / 6.0
    # Upper bound: the drag is at least Stokes' drag and at least 0.43·½ρv²·πD²/4 (C_d never
    # drops below 0.438), so the speed is at most the smaller of the two speeds these give.
    # Lower bound: below Re = 1000 the speed is Stokes' speed / (1 + 0.15 Re^0.687) ≥ 1/18.3
    # of it, above it is Newton's speed (C_d = 0.44), so the root lies within e^2.9 of the
    # upper bound and a bracket 40 wide in log v always holds it.
    stokes = weight / (3.0 * np.pi * mu * d)
    newton = np.sqrt(weight / (0.43 * 0.5 * rho_f * np.pi * d**2 / 4.0))
    hi = np.log(np.minimum(stokes, newton))
    lo = hi - 40.0
    for _ in range(80):  # halves a bracket of width 40 to ~3e-23 in log v
        mid = 0.5 * (lo + hi)
        u = np.exp(mid)
        drag = _schiller_naumann(rho_f * u * d / mu) * 0.5 * rho_f * u**2 * np.pi * d**2 / 4.0
        too_fast = drag > weight
        hi = np.where(too_fast, mid, hi)
        lo = np.where(too_fast, lo, mid)
    v = np.exp(0.5 * (lo + hi))
    re = rho_f * v * d / mu
    if np.any(re > DRAG_CRISIS_RE):
        raise ValueError(
            f"particle_density, fluid_density, viscosity, diameter and acceleration give a "
            f"settling speed at Re = {re.max():.3g}, beyond the drag correlation's "
            f"range (Re ≤ {DRAG_CRISIS_RE:.0e}, below the drag crisis); use a smaller or "
            "lighter sphere, a more viscous fluid or a smaller acceleration"
        )
    return _out(v)


# ------------------------------------------------------------------ synthetic points


def similar_points(
    point: Mapping[str, Any],
    scales: Mapping[str, tuple[float, float]],
    variables: Mapping[str, DimensionSpec],
    *,
    n: int = 1,
    rng: RNGLike = None,
) -> dict[str, np.ndarray]:
    """New parameter sets with the same Pi groups as ``point``: a change of units.

    Multiplying every base dimension by a factor (mass by ``λ_M``, length by
    ``λ_L``, time by ``λ_T``, ...) multiplies each variable by
    ``∏ λ_d**A[d, j]`` and leaves every dimensionless group unchanged, so the
    new points obey any law the old ones obey. You choose the factors through
    ``rank`` variables with independent dimensions (the *repeating*
    variables): each is multiplied by a log-uniform random factor from its
    range, and all other variables follow.

    Parameters
    ----------
    point
        Maps every variable name to a positive value or array (several
        measured points, broadcast together).
    scales
        Maps exactly ``rank`` variables with independent dimensions to a
        factor range ``(low, high)``, ``0 < low <= high``; ``(c, c)`` scales by
        exactly ``c`` and ``(1, 1)`` keeps a variable fixed.
    variables
        As in :func:`dimension_matrix`.
    n
        Number of new points per point given.
    rng
        Seed or generator for the factors.

    Returns
    -------
    dict
        Maps each variable to an array of shape ``(n, *shape of point)``.
    """
    names, _, rows = _parse_variables(variables)
    n = integer("n", n, minimum=1)
    check_memory("n", n * (len(variables) + 2.0), what="n points of every variable")
    gen = as_generator(rng)
    if not isinstance(point, Mapping):
        raise TypeError(
            f"point must be a mapping name -> positive value, got {type(point).__name__}"
        )
    missing = [v for v in names if v not in point]
    if missing:
        raise ValueError(f"point must give a value for every variable; missing {missing}")
    values = np.broadcast_arrays(*[_positive(f"point[{v!r}]", point[v]) for v in names])
    if not isinstance(scales, Mapping):
        raise TypeError(
            f"scales must be a mapping variable -> (low, high), got {type(scales).__name__}"
        )
    rank = _rank(rows)
    chosen = (
        _resolve_repeating(names, list(scales.keys()), rank, "scales") if scales or rank else []
    )
    if rank and _rank(_columns(rows, chosen)) < rank:
        raise ValueError(
            f"scales must name {rank} variables with independent dimensions; "
            f"{list(scales)} are dependent"
        )
    log_factors = []
    for name in scales:
        rng_pair = scales[name]
        if (
            isinstance(rng_pair, (str, bytes))
            or not isinstance(rng_pair, Sequence)
            or len(rng_pair) != 2
        ):
            raise TypeError(f"scales[{name!r}] must be a pair (low, high)")
        low = real(f"scales[{name!r}] low", rng_pair[0], minimum=0.0, open_min=True)
        high = real(f"scales[{name!r}] high", rng_pair[1], minimum=low)
        u = gen.uniform(0.0, 1.0, size=(n, *values[0].shape))
        log_factors.append(np.log(low) + u * (np.log(high) - np.log(low)))
    a = np.array([[float(x) for x in row] for row in rows]).reshape(len(rows), len(names))
    if rank:
        # log-scale of each base dimension from the repeating variables, then of every variable
        transfer = a.T @ np.linalg.pinv(a[:, chosen].T)  # (variables, repeating)
        stacked = np.stack(log_factors, axis=-1)  # (n, *shape, repeating)
        log_all = stacked @ transfer.T  # (n, *shape, variables)
    else:
        log_all = np.zeros((n, *values[0].shape, len(names)))
    return {v: values[j] * np.exp(log_all[..., j]) for j, v in enumerate(names)}


# ------------------------------------------------------- transfer to an unseen scale


def fit_predict_log(
    train: Mapping[str, Any],
    target: str,
    test: Mapping[str, Any],
    *,
    features: Sequence[str],
    degree: int = 3,
) -> np.ndarray:
    """Fit ``log target`` as a polynomial in the logs of ``features``; predict it on ``test``.

    A deliberately ordinary learner (least squares on polynomial features of
    standardised logs): it interpolates well where it has data and
    extrapolates badly where it has none, which is what the chapter needs to
    show.

    Parameters
    ----------
    train, test
        Map names to positive 1-D arrays of equal length (``test`` needs only
        the features); pandas DataFrames work too. ``train`` needs at least as
        many points as the polynomial has coefficients,
        ``comb(len(features) + degree, degree)``.
    target
        Name of the variable to predict (a key of ``train``).
    features
        Names of the input variables.
    degree
        Total degree of the polynomial, 1 to 5.

    Returns
    -------
    ndarray
        Predicted ``target`` at the test points.
    """
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    degree = integer("degree", degree, minimum=1, maximum=5)
    if hasattr(features, "to_numpy") and hasattr(features, "index"):  # a pandas Series
        features = cast(Any, features).tolist()
    if isinstance(features, str) or not isinstance(features, Sequence) or not features:
        raise TypeError("features must be a non-empty sequence of variable names")
    if not all(isinstance(f, str) for f in features):
        raise TypeError(f"features must be variable names (strings), got {list(features)!r}")
    if not isinstance(target, str):
        raise TypeError(f"target must be a variable name (str), got {type(target).__name__}")
    for label, data, keys in (("train", train, features), ("test", test, features)):
        if not (isinstance(data, Mapping) or hasattr(data, "columns")):
            raise TypeError(f"{label} must be a mapping (or DataFrame) name -> positive array")
        for key in keys:
            if key not in data:
                raise ValueError(f"{label} must give {key!r}")
    if target not in train:
        raise ValueError(f"target {target!r} is not given by train, which has {list(train)}")

    def design(data: Mapping[str, Any], label: str) -> np.ndarray:
        cols = [np.log(_positive(f"{label}[{k!r}]", data[k]).ravel()) for k in features]
        if len({c.size for c in cols}) != 1:
            raise ValueError(f"{label} arrays must all have the same length")
        return np.column_stack(cols)

    x_train = design(train, "train")
    y_train = np.log(_positive(f"train[{target!r}]", train[target]).ravel())
    if y_train.size != x_train.shape[0]:
        raise ValueError(f"train[{target!r}] must have the same length as the features")
    terms = math.comb(len(features) + degree, degree)
    if x_train.shape[0] < terms:
        raise ValueError(
            f"train must have at least {terms} points to fit a degree-{degree} polynomial in "
            f"{len(features)} feature(s), got {x_train.shape[0]}"
        )
    model = make_pipeline(StandardScaler(), PolynomialFeatures(degree), LinearRegression())
    model.fit(x_train, y_train)
    return np.exp(model.predict(design(test, "test")))


@dataclasses.dataclass(frozen=True)
class TransferResult:
    """One run of :func:`scale_transfer_experiment`.

    Attributes
    ----------
    rmse
        Root-mean-square error of ``log F`` on the held-out points, for each
        training set: ``"measured"`` (measurements only), ``"similar"``
        (plus synthetic points from :func:`similar_points`) and ``"naive"``
        (plus synthetic points that only change the diameter).
    train
        The three training sets, each a mapping ``"D"``, ``"v"``, ``"F"`` -> array.
    test
        The held-out points: ``"D"``, ``"v"`` and the true ``"F"``.
    predicted
        Each model's predicted ``F`` at the held-out points.
    """

    rmse: dict[str, float]
    train: dict[str, dict[str, np.ndarray]]
    test: dict[str, np.ndarray]
    predicted: dict[str, np.ndarray]


#: The sphere-drag problem (force, fluid density, viscosity, diameter, speed; SI units).
SPHERE_DRAG: Mapping[str, str] = MappingProxyType(
    {"F": "N", "rho": "kg/m**3", "mu": "Pa*s", "D": "m", "v": "m/s"}
)


def _log_uniform(gen: np.random.Generator, bounds: tuple[float, float], size: Any) -> np.ndarray:
    lo, hi = np.log(bounds[0]), np.log(bounds[1])
    return np.exp(gen.uniform(lo, hi, size))


def _bounds(name: str, value: Any) -> tuple[float, float]:
    if hasattr(value, "to_numpy") and hasattr(value, "index"):  # a pandas Series
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high)")
    low = positive_real(f"{name} low", value[0], low=_PHYSICAL[0], high=_PHYSICAL[1])
    high = positive_real(f"{name} high", value[1], low=low, high=_PHYSICAL[1])
    return low, high


def scale_transfer_experiment(
    *,
    n_measured: int = 60,
    n_test: int = 200,
    copies: int = 20,
    measured_diameter: tuple[float, float] = (0.5e-3, 2e-3),
    test_diameter: tuple[float, float] = (5e-3, 20e-3),
    reynolds: tuple[float, float] = (0.1, 1000.0),
    density: float = 1000.0,
    viscosity: float = 1.0e-3,
    rel_noise: float = 0.05,
    degree: int = 3,
    rng: RNGLike = None,
) -> TransferResult:
    """Test whether synthetic data carry a drag model to a scale it was never measured at.

    Spheres in one fluid: ``n_measured`` noisy drag measurements
    (:func:`measure_drag`) on small spheres (diameters log-uniform in
    ``measured_diameter``, Reynolds numbers log-uniform in ``reynolds``), and
    ``n_test`` held-out spheres of larger diameters (``test_diameter``) over
    the same Reynolds range, with their true drag. Three training sets for
    :func:`fit_predict_log` (``log F`` as a polynomial in ``log D``, ``log v``):

    * ``"measured"``: the measurements only;
    * ``"similar"``: plus ``copies`` points per measurement from
      :func:`similar_points`, diameters scaled into the test range with
      density and viscosity kept, so the speed and force follow the Pi groups;
    * ``"naive"``: plus ``copies`` points per measurement whose diameter is
      scaled by the same factors while speed and force are kept, which
      changes the Reynolds number and the drag coefficient of each point.

    Returns
    -------
    TransferResult
    """
    n_measured = integer("n_measured", n_measured, minimum=10)
    degree = integer("degree", degree, minimum=1, maximum=5)
    if n_measured < math.comb(2 + degree, degree):
        raise ValueError(
            f"n_measured must be at least {math.comb(2 + degree, degree)} to fit a degree-{degree} "
            f"polynomial in log D and log v, got {n_measured}"
        )
    n_test = integer("n_test", n_test, minimum=2)
    copies = integer("copies", copies, minimum=1)
    check_memory("n_measured, n_test, copies", 8.0 * (n_measured + n_test) * (copies + 1))
    d_meas = _bounds("measured_diameter", measured_diameter)
    d_test = _bounds("test_diameter", test_diameter)
    re_bounds = _bounds("reynolds", reynolds)
    rho = positive_real("density", density, low=_PHYSICAL[0], high=_PHYSICAL[1])
    mu = positive_real("viscosity", viscosity, low=_PHYSICAL[0], high=_PHYSICAL[1])
    gen = as_generator(rng)

    d = _log_uniform(gen, d_meas, n_measured)
    v = _log_uniform(gen, re_bounds, n_measured) * mu / (rho * d)
    f = measure_drag(rho, mu, d, v, rel_noise=rel_noise, rng=gen)
    dt = _log_uniform(gen, d_test, n_test)
    vt = _log_uniform(gen, re_bounds, n_test) * mu / (rho * dt)
    test = {"D": dt, "v": vt, "F": np.asarray(drag_force(rho, mu, dt, vt))}

    factor = (d_test[0] / d_meas[1], d_test[1] / d_meas[0])  # reaches every test diameter
    point = {"F": f, "rho": rho, "mu": mu, "D": d, "v": v}
    sim = similar_points(
        point, {"rho": (1, 1), "mu": (1, 1), "D": factor}, SPHERE_DRAG, n=copies, rng=gen
    )
    lam = _log_uniform(gen, factor, (copies, n_measured))
    naive = {"D": d * lam, "v": np.broadcast_to(v, lam.shape), "F": np.broadcast_to(f, lam.shape)}

    measured = {"D": d, "v": v, "F": f}
    train = {
        "measured": measured,
        "similar": {k: np.concatenate([measured[k], sim[k].ravel()]) for k in measured},
        "naive": {k: np.concatenate([measured[k], naive[k].ravel()]) for k in measured},
    }
    predicted, rmse = {}, {}
    for name, data in train.items():
        predicted[name] = fit_predict_log(data, "F", test, features=("D", "v"), degree=degree)
        rmse[name] = float(np.sqrt(np.mean(np.log(predicted[name] / test["F"]) ** 2)))
    return TransferResult(rmse=rmse, train=train, test=test, predicted=predicted)
