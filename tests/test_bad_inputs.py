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

from synthbio import augment, dimensions, marbles

NAN, INF = float("nan"), float("inf")

# Small valid arguments shared by several calls below.
_IMAGES = np.linspace(0.0, 1.0, 48).reshape(3, 4, 4)
_POOL = np.linspace(0.0, 1.0, 96).reshape(6, 4, 4)
_ONEHOT = augment.one_hot(["ACGT", "TTGA"])
_FEATURES = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
_DRAG = dict(dimensions.SPHERE_DRAG)
_RE = {"rho": 1, "v": 1, "D": 1, "mu": -1}
_LOG_TRAIN = {"D": [1.0, 1.2, 1.5, 2.0, 2.5, 3.0], "v": [1.0, 3.0, 2.0, 1.5, 2.5, 1.2]}
_LOG_TRAIN["F"] = [3.0 * d**2 / v for d, v in zip(_LOG_TRAIN["D"], _LOG_TRAIN["v"])]

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
    # augment: tiny images (3 of 4×4), short one-hot DNA, 2-D features
    "augment.translate": {"images": _IMAGES, "shifts": (1, 1), "fill": 0.0},
    "augment.rotate": {"images": _IMAGES, "angles": 30.0, "fill": 0.0, "order": 1},
    "augment.flip_horizontal": {"images": _IMAGES},
    "augment.random_shift": {"max_shift": 1, "fill": 0.0},
    "augment.random_rotation": {"max_degrees": 15.0, "fill": 0.0},
    "augment.fixed_rotation": {"degrees": 180.0, "fill": 0.0},
    "augment.always_flip": {},
    "augment.rc_transform": {},
    "augment.shuffle_transform": {},
    "augment.augment": {"X": _IMAGES, "y": [0, 1, 1], "transforms": "shift", "copies": 2, "rng": 0},
    "augment.load_digits_images": {},
    "augment.one_hot": {"seqs": ["ACGT", "TTGA"]},
    "augment.reverse_complement": {"seqs": _ONEHOT},
    "augment.plant_motif": {"n": 10, "length": 12, "motif": "ACG", "strand": "both",
                            "positive_fraction": 0.5, "rng": 0},
    "augment.kmer_counts": {"X": _ONEHOT, "k": 2},
    "augment.count_sites": {"X": _ONEHOT, "motif": "ACG", "both_strands": True},
    "augment.nearest_neighbour": {"F_train": _FEATURES, "y_train": [0, 0, 1, 1],
                                  "F_test": [[0.1, 0.2], [2.9, 3.0]]},
    "augment.fit_score": {"X_train": _FEATURES, "y_train": [0, 0, 1, 1],
                          "tests": {"test": ([[0.1, 0.2], [2.9, 3.0]], [0, 1])},
                          "model": "nearest", "C": 1.0},
    "augment.replicate_fits": {"X_pool": _POOL, "y_pool": [0, 1, 0, 1, 0, 1],
                               "tests": {"test": (_IMAGES, [0, 1, 1])}, "n_train": 3,
                               "transforms": "flip", "copies": 1, "seeds": [0, 1],
                               "model": "nearest", "C": 1.0},
    # dimensions: the sphere-drag problem
    "dimensions.dimension_matrix": {"variables": _DRAG},
    "dimensions.pi_groups": {"variables": _DRAG, "repeating": ["rho", "D", "v"]},
    "dimensions.pint_pi_groups": {"variables": _DRAG},
    "dimensions.is_dimensionless": {"group": _RE, "variables": _DRAG},
    "dimensions.equivalent_groups": {"first": [_RE],
                                     "second": [{"rho": -1, "v": -1, "D": -1, "mu": 1}]},
    "dimensions.group_value": {"group": _RE,
                               "values": {"rho": 1000.0, "v": 0.1, "D": 1e-3, "mu": 1e-3}},
    "dimensions.format_group": {"group": _RE, "symbols": {"rho": "ρ"}},
    "dimensions.reynolds_number": {"density": 1000.0, "viscosity": 1e-3, "diameter": 1e-3,
                                   "speed": 0.1},
    "dimensions.drag_coefficient": {"reynolds": 10.0, "model": "stokes"},
    "dimensions.drag_force": {"density": 1000.0, "viscosity": 1e-3, "diameter": 1e-3,
                              "speed": [0.01, 0.1], "model": "schiller-naumann"},
    "dimensions.measure_drag": {"density": 1000.0, "viscosity": 1e-3, "diameter": 1e-3,
                                "speed": 0.1, "rel_noise": 0.05, "rng": 0},
    "dimensions.terminal_speed": {"particle_density": 2500.0, "fluid_density": 1000.0,
                                  "viscosity": 1e-3, "diameter": 1e-4, "acceleration": 9.80665},
    "dimensions.similar_points": {"point": {"F": 1e-6, "rho": 1000.0, "mu": 1e-3, "D": 1e-3,
                                            "v": 0.01},
                                  "scales": {"rho": (1, 1), "mu": (1, 1), "D": (0.5, 2.0)},
                                  "variables": _DRAG, "n": 2, "rng": 0},
    "dimensions.fit_predict_log": {"train": _LOG_TRAIN, "target": "F",
                                   "test": {"D": [1.5, 2.5], "v": [2.0, 1.0]},
                                   "features": ["D", "v"], "degree": 1},
    "dimensions.scale_transfer_experiment": {
        "n_measured": 10, "n_test": 2, "copies": 1, "measured_diameter": (0.5e-3, 2e-3),
        "test_diameter": (5e-3, 20e-3), "reynolds": (0.1, 1000.0), "density": 1000.0,
        "viscosity": 1e-3, "rel_noise": 0.05, "degree": 1, "rng": 0},
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


def _finite_real(v: Any) -> bool:  # a finite real number of any sign or size
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _positive_real(v: Any) -> bool:
    return _finite_real(v) and v > 0


def _positive_array(v: Any) -> bool:  # positive finite values, scalar or array of any shape
    return _finite_numeric_array(np.atleast_1d(v)) and bool(np.all(np.asarray(v, dtype=float) > 0))


def _finite_like(valid: Any) -> Callable[[Any], bool]:
    """Finite numbers in the valid value's shape (e.g. its values made negative)."""
    shape = np.shape(valid)
    return lambda v: _finite_numeric_array(v) and np.shape(v) == shape


def _image_stack(v: Any) -> bool:  # any finite (n, h, w) stack, e.g. one image 1 pixel high
    return _finite_numeric_array(v) and np.ndim(v) == 3


def _whole_shift(v: Any) -> bool:  # a (down, right) shift in whole pixels, either sign
    return _finite_numeric_array(v) and np.shape(v) == (2,) and bool(np.all(np.mod(v, 1) == 0))


def _exponents(v: Any) -> bool:  # a non-empty mapping name -> finite real exponent
    return isinstance(v, Mapping) and bool(v) and all(_finite_real(e) for e in v.values())


def _positive_values(v: Any) -> bool:  # a mapping name -> positive finite value
    return isinstance(v, Mapping) and bool(v) and all(_positive_real(x) for x in v.values())


ALLOWED: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("*", "rng"): lambda v: v is None,  # None means fresh OS entropy, as in NumPy
    ("stats.mean_se", "samples"): _finite_numeric_array,  # any finite replicates, any sign
    ("stats.rmse_se", "errors"): _finite_numeric_array,
    ("marbles.draw", "replicates"): lambda v: v is None,  # one draw instead of a batch
    ("marbles.prob_none", "n"): _draw_sizes,
    ("marbles.prob_at_least_one", "n"): _draw_sizes,
    ("marbles.prob_all_present", "n"): _draw_sizes,
    ("marbles.proportion_mse", "n"): _draw_sizes,
    # augment: pixel values, fills and angles may be any finite number, of either sign
    **{(f"augment.{f}", "images"): _image_stack
       for f in ("translate", "rotate", "flip_horizontal")},
    **{(f"augment.{f}", "fill"): _finite_real
       for f in ("translate", "rotate", "random_shift", "random_rotation", "fixed_rotation")},
    ("augment.translate", "shifts"): _whole_shift,  # negative shifts move content up and left
    ("augment.rotate", "angles"): _finite_real,  # any angle in degrees is a rotation (mod 360)
    ("augment.fixed_rotation", "degrees"): _finite_real,
    # pixel values and features may be negative; class labels are arbitrary values
    **{(q, p): _finite_like(VALID[q][p]) for q, p in [
        ("augment.augment", "X"), ("augment.augment", "y"),
        ("augment.nearest_neighbour", "F_train"), ("augment.nearest_neighbour", "y_train"),
        ("augment.nearest_neighbour", "F_test"),
        ("augment.fit_score", "X_train"), ("augment.fit_score", "y_train"),
        ("augment.replicate_fits", "X_pool"), ("augment.replicate_fits", "y_pool"),
    ]},
    ("augment.fit_score", "C"): _positive_real,  # any C > 0 is a regularisation strength
    ("augment.replicate_fits", "C"): _positive_real,
    # dimensions: any positive finite number is a physical density, viscosity, length, speed,
    # acceleration or Reynolds number (the functions are formulas, not lookup tables)
    **{("dimensions.reynolds_number", p): _positive_real
       for p in ("density", "viscosity", "diameter", "speed")},
    **{("dimensions.drag_force", p): _positive_real for p in ("density", "viscosity", "diameter")},
    ("dimensions.drag_force", "speed"): _positive_array,  # broadcasts: any shape, or a scalar
    **{("dimensions.measure_drag", p): _positive_real
       for p in ("density", "viscosity", "diameter", "speed")},
    **{("dimensions.terminal_speed", p): _positive_real
       for p in ("particle_density", "viscosity", "diameter", "acceleration")},
    ("dimensions.drag_coefficient", "reynolds"): _positive_real,
    ("dimensions.scale_transfer_experiment", "density"): _positive_real,
    ("dimensions.scale_transfer_experiment", "viscosity"): _positive_real,
    # exponents may be negative or fractional: 1/Re and sqrt(Re) are dimensionless groups too
    ("dimensions.is_dimensionless", "group"): _exponents,
    ("dimensions.group_value", "group"): _exponents,
    ("dimensions.format_group", "group"): _exponents,
    ("dimensions.format_group", "symbols"): lambda v: v == {},  # no custom symbols
    # an empty list is the basis of a problem without Pi groups (n == rank)
    ("dimensions.equivalent_groups", "first"): lambda v: isinstance(v, list) and not v,
    ("dimensions.equivalent_groups", "second"): lambda v: isinstance(v, list) and not v,
    ("dimensions.group_value", "values"): _positive_values,  # any positive values
    ("dimensions.similar_points", "point"): _positive_values,  # any positive measured point
    ("dimensions.fit_predict_log", "test"): _positive_values,  # one positive point to predict at
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
