"""Dimensional analysis: the Buckingham Pi theorem as exact integer linear algebra.

If ``n`` variables have a dimension matrix of rank ``r``, every law between them is a law
between ``n - r`` dimensionless products of powers, the *Pi groups*, whose exponent vectors
span the null space of the matrix (Buckingham 1914, *Physical Review* 4, 345–376).
:func:`pi_groups` computes that null space by rational Gaussian elimination, so exponents
are small integers rather than rounded floats, and picks a readable basis.

A variable's dimensions are a unit string that pint parses (``"kg/m**3"``, ``"Pa*s"``,
``"[length]/[time]"``, ``"dimensionless"``) or a mapping from base dimension to exponent
(``{"mass": 1, "length": -3}``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import Array, Check, checked

__all__ = [
    "BASE_DIMENSIONS",
    "DimensionMatrix",
    "dimension_matrix",
    "equivalent_groups",
    "format_group",
    "group_value",
    "is_dimensionless",
    "pi_groups",
    "reynolds_number",
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

_MAX_CANDIDATES = 1000  # above this many candidate repeating sets, pi_groups picks greedily

DimensionSpec = str | Mapping[str, float]
Group = Mapping[str, float]
Rows = list[list[Fraction]]


@dataclasses.dataclass(frozen=True)
class DimensionMatrix:
    """A dimension matrix: ``matrix[i, j]`` is the exponent of dimension ``i`` in variable ``j``.

    ``dimensions`` labels the rows (the base dimensions that occur, in
    :data:`BASE_DIMENSIONS` order), ``variables`` the columns (in the order given).
    """

    matrix: np.ndarray
    dimensions: tuple[str, ...]
    variables: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


def _fraction(name: str, value: Any) -> Fraction:
    """An exponent as an exact fraction: finite, real, at most 1000, small denominator."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if not math.isfinite(float(value)) or abs(float(value)) > 1000:
        raise ValueError(f"{name} must be a finite exponent in [-1000, 1000], got {value}")
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    frac = Fraction(float(value)).limit_denominator(1000)
    if abs(float(frac) - float(value)) > 1e-9:
        raise ValueError(f"{name} must be a rational number with a small denominator, got {value}")
    return frac


def _parse_spec(where: str, spec: Any) -> dict[str, Fraction]:
    """The dimensions of one variable as base dimension -> non-zero exponent."""
    if isinstance(spec, str) and spec.strip():
        try:  # dimensions such as "[length]/[time]", or units ("dimensionless" too)
            reg = _registry()
            dims = reg.get_dimensionality(spec) if "[" in spec else reg.parse_expression(spec)
            raw = dict(getattr(dims, "dimensionality", dims))
        except Exception as exc:  # noqa: BLE001 - pint raises many error types for bad strings
            raise ValueError(f"{where}: pint cannot parse the unit {spec!r} ({exc})") from None
    elif hasattr(spec, "dimensionality"):  # a pint Unit or Quantity
        raw = dict(spec.dimensionality)
    elif isinstance(spec, Mapping) and spec:
        raw = dict(spec)
    elif spec is None or isinstance(spec, (str, Mapping)):
        raise ValueError(
            f"{where} gives no dimensions; give a unit string, a mapping of base dimensions "
            "to exponents, or 'dimensionless' for a pure number"
        )
    else:
        raise TypeError(f"{where} must be a unit string or a mapping, got {type(spec).__name__}")
    out: dict[str, Fraction] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not key.strip("[] "):
            raise TypeError(f"{where} must have base-dimension names as keys, got {key!r}")
        dim = key.strip().strip("[]").strip()
        out[dim] = out.get(dim, Fraction(0)) + _fraction(f"{where}[{key!r}]", value)
    return {d: e for d, e in out.items() if e != 0}


def _parse(variables: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...], Rows]:
    """Names, base dimensions and the exact dimension matrix (a list of rows)."""
    names = tuple(variables)
    specs = {key: _parse_spec(f"variables[{key!r}]", variables[key]) for key in names}
    present = {d for spec in specs.values() for d in spec}
    dims = tuple(d for d in BASE_DIMENSIONS if d in present)
    dims += tuple(sorted(present - set(BASE_DIMENSIONS)))
    return names, dims, [[specs[v].get(d, Fraction(0)) for v in names] for d in dims]


def _variables(name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping name -> unit, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must name at least one variable, got an empty mapping")
    if not all(isinstance(key, str) and key for key in value):
        raise TypeError(f"{name} must have non-empty string names as keys, got {list(value)}")
    _parse(value)  # refuses unknown units and bad exponents, naming the variable
    return value


def _group(name: str, value: Any) -> dict[str, Fraction]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping name -> exponent, got {type(value).__name__}")
    if not value or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{name} must map at least one variable name to an exponent")
    return {key: _fraction(f"{name}[{key!r}]", e) for key, e in value.items()}


def _groups(name: str, value: Any) -> list[dict[str, Fraction]]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of groups (mappings name -> exponent)")
    return [_group(f"{name}[{i}]", g) for i, g in enumerate(value)]


def _names(name: str, value: Any) -> list[str]:
    if hasattr(value, "tolist") and not isinstance(value, str):  # a pandas Series or an array
        value = value.tolist()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of variable names, got {value!r}")
    if not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must contain variable names (strings), got {value!r}")
    return list(value)


def _positive_values(name: str, value: Any) -> dict[str, np.ndarray]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping name -> positive value, got {value!r}")
    return {k: _SI(f"{name}[{k!r}]", v) for k, v in value.items()}


def _symbols(name: str, value: Any) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(s, str) for s in value.values()):
        raise TypeError(f"{name} must be a mapping name -> display string, got {value!r}")
    return value


#: A positive quantity in SI units, in [1e-30, 1e30] so products of a few stay finite.
_SI = Array(positive=True, low=1e-30, high=1e30)
_VARIABLES = Check(
    _variables,
    [
        ("empty", {}),
        ("not a mapping", ["F", "N"]),
        ("unknown unit", {"F": "no_such_unit"}),
        ("no dimensions", {"F": None}),
        ("NaN exponent", {"F": {"mass": math.nan}}),
        ("bool exponent", {"F": {"mass": True}}),
    ],
)
_GROUP = Check(_group, [("empty", {}), ("NaN exponent", {"F": math.nan}), ("list", ["F"])])
_GROUPS = Check(_groups, [("a group, not a list", {"F": 1}), ("string", "F")])
_NAMES = Check(_names, [("one string", "rho"), ("number", 3)], optional=True)


@checked(variables=_VARIABLES)
def dimension_matrix(variables: Mapping[str, DimensionSpec]) -> DimensionMatrix:
    """The dimension matrix of ``variables``, a mapping name -> unit string or exponents."""
    names, dims, rows = _parse(variables)
    matrix = np.array(rows, dtype=float).reshape(len(dims), len(names))
    return DimensionMatrix(matrix, dims, names)


def _rref(rows: Rows) -> tuple[Rows, list[int]]:
    """Reduced row echelon form over the rationals, and the pivot columns."""
    m, pivots = [list(r) for r in rows], list[int]()
    for col in range(len(m[0]) if m else 0):
        lead = len(pivots)
        pivot = next((i for i in range(lead, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[lead], m[pivot] = m[pivot], m[lead]
        m[lead] = [x / m[lead][col] for x in m[lead]]
        for i in range(len(m)):
            if i != lead and m[i][col] != 0:
                m[i] = [a - m[i][col] * b for a, b in zip(m[i], m[lead])]
        pivots.append(col)
        if len(pivots) == len(m):
            break
    return m, pivots


def _rank(rows: Rows, cols: Sequence[int] | None = None) -> int:
    return len(_rref([[row[c] for c in cols] for row in rows] if cols is not None else rows)[1])


def _integer_vector(vec: Sequence[Fraction]) -> list[int]:
    """Scale a rational vector to coprime integers, the first non-zero entry positive."""
    denom = math.lcm(*(x.denominator for x in vec))
    ints = [int(x * denom) for x in vec]
    g = math.gcd(*ints) * (1 if next(i for i in ints if i) > 0 else -1)
    return [i // g for i in ints]


def _groups_for(rows: Rows, n: int, repeating: Sequence[int]) -> list[list[int]]:
    """One integer group per non-repeating variable, solved against the repeating ones."""
    others = [j for j in range(n) if j not in repeating]
    reduced = _rref([[row[c] for c in [*repeating, *others]] for row in rows])[0]
    groups = []
    for jj, j in enumerate(others):
        vec = [Fraction(int(i == j)) for i in range(n)]
        for i, c in enumerate(repeating):
            vec[c] = -reduced[i][len(repeating) + jj]
        groups.append(_integer_vector(vec))
    return groups


@checked(variables=_VARIABLES, repeating=_NAMES)
def pi_groups(
    variables: Mapping[str, DimensionSpec], *, repeating: Sequence[str] | None = None
) -> list[dict[str, int]]:
    """A basis of ``n - rank`` dimensionless groups with small integer exponents.

    Each group is one *non-repeating* variable times powers of ``rank`` *repeating* ones.
    Unless ``repeating`` names them, the repeating set is the one with the smallest exponents
    (sum of absolute values), ties going to variables listed later, so the first-listed
    variable (put the quantity of interest first) appears in one group only. Each group is
    scaled to coprime integers, its earliest-listed variable with a positive exponent
    (``density·speed·length/viscosity`` rather than its inverse).

    Returns
    -------
    list of dict
        One mapping name -> non-zero integer exponent per group.
    """
    names, _, rows = _parse(variables)
    n, rank = len(names), _rank(rows)
    if repeating is not None:
        unknown = [v for v in repeating if v not in names]
        if unknown or len(set(repeating)) != len(repeating) or len(repeating) != rank:
            raise ValueError(
                f"repeating must name {rank} different variables (the rank of the dimension "
                f"matrix) from {list(names)}, got {list(repeating)}"
            )
        chosen = [names.index(v) for v in repeating]
        if _rank(rows, chosen) < rank:
            raise ValueError(f"repeating variables {list(repeating)} have dependent dimensions")
        best = _groups_for(rows, n, chosen)
    elif math.comb(n, rank) <= _MAX_CANDIDATES:
        candidates = [c for c in combinations(range(n), rank) if _rank(rows, c) == rank]
        options = [(_groups_for(rows, n, c), tuple(-i for i in reversed(c))) for c in candidates]
        best = min(options, key=lambda o: (sum(abs(e) for g in o[0] for e in g), o[1]))[0]
    else:  # greedy: pivots of the columns taken from the last variable backwards
        pivots = _rref([row[::-1] for row in rows])[1]
        best = _groups_for(rows, n, sorted(n - 1 - p for p in pivots))
    return [{names[i]: e for i, e in enumerate(g) if e != 0} for g in best]


@checked(group=_GROUP, variables=_VARIABLES)
def is_dimensionless(group: Group, variables: Mapping[str, DimensionSpec]) -> bool:
    """Whether ``∏ variable**exponent`` over ``group`` (name -> exponent) has no dimensions."""
    names, _, rows = _parse(variables)
    unknown = [k for k in group if k not in names]
    if unknown:
        raise ValueError(f"group names {unknown}, which are not among variables {list(names)}")
    vec = [Fraction(group.get(v, 0)) for v in names]
    return all(sum(a * x for a, x in zip(row, vec)) == 0 for row in rows)


@checked(first=_GROUPS, second=_GROUPS)
def equivalent_groups(first: Sequence[Group], second: Sequence[Group]) -> bool:
    """Whether two lists of groups generate the same dimensionless products.

    Bases of Pi groups are equal up to inversion, powers and products of groups exactly when
    their exponent vectors span the same space: ``rank(A) == rank(B) == rank([A; B])``.
    """
    names = sorted({k for g in [*first, *second] for k in g})
    a, b = ([[Fraction(g.get(v, 0)) for v in names] for g in gs] for gs in (first, second))
    return _rank(a) == _rank(b) == _rank(a + b)


@checked(group=_GROUP, values=Check(_positive_values, [("list", [1.0]), ("number", 1.0)]))
def group_value(group: Group, values: Mapping[str, ArrayLike]) -> np.ndarray:
    """The value of ``∏ values[name]**exponent`` (positive values in consistent units)."""
    missing = [k for k in group if k not in values]
    if missing:
        raise ValueError(f"values must give {missing}, which the group uses")
    out = np.ones(())
    for key, e in group.items():
        out = out * np.asarray(values[key]) ** float(e)
    return out


_SUPERSCRIPTS = str.maketrans("-0123456789/", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹ᐟ")
_GREEK = {"rho": "ρ", "mu": "μ", "nu": "ν", "eps": "ε", "sigma": "σ", "omega": "ω", "theta": "θ"}
_GREEK |= {"tau": "τ", "lambda": "λ", "drho": "Δρ", "dp": "Δp"}


@checked(group=_GROUP, symbols=Check(_symbols, [("list", ["ρ"])], optional=True))
def format_group(group: Group, symbols: Mapping[str, str] | None = None) -> str:
    """A group as text: ``{"rho": 1, "v": 1, "D": 1, "mu": -1}`` -> ``"ρ·v·D / μ"``.

    ``symbols`` maps names to display symbols; Greek names such as ``"rho"`` become letters.
    """
    shown = {**_GREEK, **(symbols or {})}

    def term(name: str, e: float) -> str:
        return shown.get(name, name) + ("" if e == 1 else str(Fraction(e)).translate(_SUPERSCRIPTS))

    top = "·".join(term(k, e) for k, e in group.items() if e > 0) or "1"
    bottom = [term(k, -e) for k, e in group.items() if e < 0]
    if len(bottom) > 1:
        return f"{top} / ({'·'.join(bottom)})"
    return f"{top} / {bottom[0]}" if bottom else top


@checked(density=_SI, viscosity=_SI, diameter=_SI, speed=_SI)
def reynolds_number(
    density: ArrayLike, viscosity: ArrayLike, diameter: ArrayLike, speed: ArrayLike
) -> float | np.ndarray:
    """Reynolds number ``Re = density·speed·diameter / viscosity`` (SI units), broadcast."""
    assert isinstance(density, np.ndarray) and isinstance(viscosity, np.ndarray)
    re = density * np.asarray(speed) * np.asarray(diameter) / viscosity
    return float(re) if re.ndim == 0 else re
