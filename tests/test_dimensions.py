"""Tests of synthbio.dimensions: the Pi theorem, sphere drag and similar points."""

from __future__ import annotations

import math

import numpy as np
import pint
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthbio import dimensions as dm

PENDULUM = {"t": "s", "l": "m", "m": "kg", "g": "m/s**2"}
SPHERE = {"F": "N", "rho": "kg/m**3", "mu": "Pa*s", "D": "m", "v": "m/s"}
PIPE = {"dp": "Pa", "L": "m", "eps": "m", "D": "m", "rho": "kg/m**3", "mu": "Pa*s", "v": "m/s"}
SEDIMENTATION = {
    "v": "m/s",
    "D": "m",
    "mu": "Pa*s",
    "drho": "kg/m**3",
    "g": "m/s**2",
    "rho": "kg/m**3",
}
CLASSIC = {"pendulum": PENDULUM, "sphere": SPHERE, "pipe": PIPE, "sedimentation": SEDIMENTATION}
LETTERS = ("mass", "length", "time", "current")


def as_vector(group, names):
    return [group.get(n, 0) for n in names]


# ------------------------------------------------------------------ dimension matrix


def test_dimension_matrix_of_sphere_drag():
    matrix, dims, names = dm.dimension_matrix(SPHERE)
    assert dims == ("mass", "length", "time")
    assert names == ("F", "rho", "mu", "D", "v")
    # newton = kg m s^-2, density = kg m^-3, Pa s = kg m^-1 s^-1
    expected = [[1, 1, 1, 0, 0], [1, -3, -1, 1, 1], [-2, 0, -1, 0, -1]]
    np.testing.assert_array_equal(matrix, expected)


def test_mapping_and_unit_string_and_pint_objects_agree():
    ureg = pint.UnitRegistry()
    as_strings = dm.dimension_matrix({"a": "kg/m**3", "b": "[length]/[time]"})
    as_maps = dm.dimension_matrix(
        {"a": {"mass": 1, "[length]": -3}, "b": {"length": 1, "time": -1}}
    )
    as_pint = dm.dimension_matrix({"a": ureg.Quantity(1.0, "g/cm**3"), "b": ureg.Unit("km/h")})
    for other in (as_maps, as_pint):
        np.testing.assert_array_equal(as_strings.matrix, other.matrix)
        assert as_strings.dimensions == other.dimensions


def test_dimensionless_variable_is_its_own_group():
    variables = {"theta": "dimensionless", "l": "m", "g": "m/s**2", "t": "s"}
    matrix, _, _ = dm.dimension_matrix(variables)
    np.testing.assert_array_equal(matrix[:, 0], 0)
    groups = dm.pi_groups(variables)
    assert {"theta": 1} in groups
    assert len(groups) == 2


@pytest.mark.parametrize(
    "variables, match",
    [
        ({}, "variables must name at least one"),
        ({"x": "furlongs_per_blorp"}, r"variables\['x'\]: pint cannot parse"),
        ({"x": None}, r"variables\['x'\] gives no dimensions"),
        ({"x": ""}, r"variables\['x'\] is an empty unit string"),
        ({"x": "  "}, r"variables\['x'\] is an empty unit string"),
        ({"x": {}}, r"variables\['x'\] is an empty mapping"),
        ({"x": {"length": float("nan")}}, r"variables\['x'\]\['length'\] must be finite"),
    ],
)
def test_bad_variables_raise_value_error(variables, match):
    with pytest.raises(ValueError, match=match):
        dm.dimension_matrix(variables)
    with pytest.raises(ValueError, match=match):
        dm.pi_groups(variables)


@pytest.mark.parametrize(
    "variables, match",
    [
        (["m", "s"], "variables must be a mapping"),
        ({"x": 3}, r"variables\['x'\] must be a unit string or a mapping"),
        ({"x": {"length": "one"}}, r"variables\['x'\]\['length'\] must be a real number"),
        ({1: "m"}, "non-empty string names"),
    ],
)
def test_wrong_types_raise_type_error(variables, match):
    with pytest.raises(TypeError, match=match):
        dm.dimension_matrix(variables)


# ------------------------------------------------------------------------ Pi groups


@pytest.mark.parametrize("problem", CLASSIC, ids=str)
def test_classic_problems_count_dimensionless_and_match_pint(problem):
    variables = CLASSIC[problem]
    matrix, _, names = dm.dimension_matrix(variables)
    groups = dm.pi_groups(variables)
    assert len(groups) == len(names) - np.linalg.matrix_rank(matrix)
    for g in groups:
        assert dm.is_dimensionless(g, variables)
        assert all(isinstance(e, int) and e != 0 for e in g.values())
    ureg = pint.UnitRegistry()
    theirs = pint.pi_theorem(variables, ureg)
    assert len(theirs) == len(groups)
    assert dm.equivalent_groups(groups, theirs)
    assert dm.equivalent_groups(groups, dm.pint_pi_groups(variables))


def test_readable_forms_of_classic_groups():
    assert dm.pi_groups(PENDULUM) == [{"t": 2, "l": -1, "g": 1}]
    # the Reynolds number appears the right way up
    reynolds = {"rho": 1, "mu": -1, "D": 1, "v": 1}
    assert reynolds in dm.pi_groups(SPHERE)
    # with the textbook repeating variables, the drag-coefficient form
    cd_form = dm.pi_groups(SPHERE, repeating=["rho", "D", "v"])
    assert cd_form == [{"F": 1, "rho": -1, "D": -2, "v": -2}, reynolds]
    pipe = dm.pi_groups(PIPE)
    assert {"L": 1, "D": -1} in pipe and {"eps": 1, "D": -1} in pipe


@pytest.mark.parametrize(
    "repeating, match",
    [
        (["rho", "D"], "exactly 3 variable"),
        (["rho", "D", "nope"], "'nope', which is not one of"),
        (["rho", "D", "D"], "'D' twice"),
    ],
)
def test_bad_repeating_raises(repeating, match):
    with pytest.raises(ValueError, match=match):
        dm.pi_groups(SPHERE, repeating=repeating)


def test_dependent_repeating_variables_raise():
    # pressure and energy density share their dimensions, so they cannot both repeat
    variables = {"F": "N", "rho": "kg/m**3", "p": "Pa", "E": "J/m**3", "v": "m/s", "D": "m"}
    with pytest.raises(ValueError, match="dependent dimensions"):
        dm.pi_groups(variables, repeating=["p", "E", "rho"])


def test_repeating_must_be_a_sequence_of_names():
    with pytest.raises(TypeError, match="repeating must be a sequence"):
        dm.pi_groups(SPHERE, repeating="rho")


@st.composite
def dimension_problems(draw):
    k = draw(st.integers(1, 4))
    n = draw(st.integers(1, 7))
    entries = draw(st.lists(st.integers(-3, 3), min_size=k * n, max_size=k * n))
    matrix = np.array(entries).reshape(k, n)
    variables = {
        f"x{j}": {LETTERS[i]: int(matrix[i, j]) for i in range(k) if matrix[i, j] != 0}
        or "dimensionless"
        for j in range(n)
    }
    return matrix, variables


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dimension_problems())
def test_random_dimension_matrices(problem):
    matrix, variables = problem
    n = matrix.shape[1]
    rank = np.linalg.matrix_rank(matrix)
    groups = dm.pi_groups(variables)
    assert len(groups) == n - rank
    names = list(variables)
    vectors = np.array([as_vector(g, names) for g in groups], dtype=float).reshape(len(groups), n)
    # every group is dimensionless, by the package's exact test and by float algebra
    assert all(dm.is_dimensionless(g, variables) for g in groups)
    np.testing.assert_array_equal(matrix @ vectors.T, 0)
    # the groups are independent, so they are a basis of the null space
    if groups:
        assert np.linalg.matrix_rank(vectors) == len(groups)
        # each has coprime integer exponents and a positive first exponent
        for g in groups:
            exps = list(g.values())
            assert math.gcd(*map(abs, exps)) == 1
            assert exps[0] > 0


@settings(max_examples=30, deadline=None)
@given(dimension_problems())
def test_random_problems_agree_with_pint(problem):
    matrix, variables = problem
    if np.any(np.all(matrix == 0, axis=0)):
        return  # pint.pi_theorem cannot take dimensionless variables
    ours = dm.pi_groups(variables)
    theirs = dm.pint_pi_groups(variables)
    assert len(ours) == len(theirs)
    assert dm.equivalent_groups(ours, theirs)


def test_many_variables_search_and_greedy_choice():
    # 12 variables of rank 3: comb(12, 3) = 220 candidate repeating sets are searched
    variables = {f"L{i}": "m" for i in range(4)} | {f"T{i}": "s" for i in range(4)}
    variables |= {f"M{i}": "kg" for i in range(4)}
    groups = dm.pi_groups(variables)
    assert len(groups) == 9
    assert all(sorted(map(abs, g.values())) == [1, 1] for g in groups)  # simple ratios
    # 40 variables: comb(40, 3) = 9880 exceeds the search limit, so repeating variables are greedy
    many = {f"L{i}": "m" for i in range(14)} | {f"T{i}": "s" for i in range(13)}
    many |= {f"M{i}": "kg" for i in range(13)}
    assert math.comb(40, 3) > dm._MAX_CANDIDATES
    groups = dm.pi_groups(many)
    assert len(groups) == 37
    assert all(dm.is_dimensionless(g, many) for g in groups)
    vectors = np.array([as_vector(g, list(many)) for g in groups])
    assert np.linalg.matrix_rank(vectors) == 37


def test_similar_points_when_dimensions_are_tied():
    # mass and time only ever appear as M·T⁻², so the rank (2) is below the number of dimensions (3)
    variables = {"F": "N", "p": "Pa", "A": "m**2", "s": "N/m"}
    _, dims, _ = dm.dimension_matrix(variables)
    assert len(dims) == 3
    groups = dm.pi_groups(variables)
    assert len(groups) == 2
    point = {"F": 3.0, "p": 2.0, "A": 5.0, "s": 7.0}
    new = dm.similar_points(point, {"p": (0.1, 10), "A": (0.1, 10)}, variables, n=6, rng=0)
    for g in groups:
        np.testing.assert_allclose(dm.group_value(g, new), dm.group_value(g, point), rtol=1e-12)


def test_pint_pi_groups_rejects_dimensionless():
    with pytest.raises(ValueError, match=r"variables\['a'\] is dimensionless"):
        dm.pint_pi_groups({"a": "dimensionless", "b": "m"})


# ------------------------------------------------------- dimensionless and equivalence


def test_is_dimensionless():
    assert dm.is_dimensionless({"rho": 1, "v": 1, "D": 1, "mu": -1}, SPHERE)
    assert dm.is_dimensionless({"rho": 0.5, "v": 0.5, "D": 0.5, "mu": -0.5}, SPHERE)
    assert not dm.is_dimensionless({"F": 1, "rho": -1, "v": -2}, SPHERE)  # an area


@pytest.mark.parametrize(
    "group, exc, match",
    [
        ({}, ValueError, "group must name at least one"),
        ({"x": 1}, ValueError, "group names 'x'"),
        ({"F": "1"}, TypeError, r"group\['F'\] must be a real number"),
        ([("F", 1)], TypeError, "group must be a mapping"),
    ],
)
def test_is_dimensionless_bad_group(group, exc, match):
    with pytest.raises(exc, match=match):
        dm.is_dimensionless(group, SPHERE)


def test_equivalent_groups_up_to_sign_inversion_and_products():
    re = {"rho": 1, "mu": -1, "D": 1, "v": 1}
    cd = {"F": 1, "rho": -1, "D": -2, "v": -2}
    stokes = {"F": 1, "mu": -1, "D": -1, "v": -1}  # = cd * re
    inverse_re = {k: -e for k, e in re.items()}
    assert dm.equivalent_groups([re, cd], [inverse_re, stokes])
    assert dm.equivalent_groups([re, cd], [{k: 2 * e for k, e in re.items()}, stokes])
    assert not dm.equivalent_groups([re, cd], [re])
    assert not dm.equivalent_groups([re], [cd])
    with pytest.raises(TypeError, match="first must be a list of groups"):
        dm.equivalent_groups(re, [cd])


def test_group_value_is_the_reynolds_number():
    values = {"rho": 1000.0, "mu": 1e-3, "D": 1e-3, "v": np.array([0.1, 1.0])}
    re = dm.group_value({"rho": 1, "mu": -1, "D": 1, "v": 1}, values)
    np.testing.assert_allclose(re, [100.0, 1000.0], rtol=1e-12)
    np.testing.assert_allclose(re, dm.reynolds_number(1000.0, 1e-3, 1e-3, [0.1, 1.0]), rtol=1e-12)
    with pytest.raises(ValueError, match="values must give 'F'"):
        dm.group_value({"F": 1}, values)
    with pytest.raises(ValueError, match=r"values\['mu'\] must be positive"):
        dm.group_value({"mu": 1}, {"mu": -1.0})


# --------------------------------------------------------------------------- drag


def test_drag_reduces_to_stokes_law_at_low_reynolds():
    rho, mu, d = 1000.0, 1e-3, 1e-6
    v = np.array([1e-6, 1e-5, 1e-4])  # Re = 1e-6 ... 1e-4
    stokes = 3 * np.pi * mu * d * v
    np.testing.assert_allclose(dm.drag_force(rho, mu, d, v, model="stokes"), stokes, rtol=1e-12)
    # the Schiller-Naumann correction is 0.15 Re^0.687 < 0.15 * (1e-4)^0.687 < 3e-4
    np.testing.assert_allclose(dm.drag_force(rho, mu, d, v), stokes, rtol=3e-4)
    assert np.all(dm.drag_force(rho, mu, d, v) > stokes)


def test_drag_coefficient_regimes_join_continuously():
    below = dm.drag_coefficient(np.nextafter(1000.0, 0))
    above = dm.drag_coefficient(1000.0)
    assert above == 0.44
    assert abs(below - above) / above < 0.01
    # Schiller-Naumann at Re = 1: 24 * 1.15
    assert dm.drag_coefficient(1.0) == pytest.approx(27.6, rel=1e-12)
    re = np.logspace(-3, 2.999, 200)
    assert np.all(np.diff(dm.drag_coefficient(re)) < 0)
    assert np.all(
        np.asarray(dm.drag_coefficient(re)) >= np.asarray(dm.drag_coefficient(re, model="stokes"))
    )


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: dm.drag_coefficient(-1.0), ValueError, "reynolds must be positive"),
        (lambda: dm.drag_coefficient(np.nan), ValueError, "reynolds must be finite"),
        (lambda: dm.drag_coefficient(1.0, model="newton"), ValueError, "model must be"),
        (lambda: dm.drag_force(1000, 1e-3, 0.0, 1.0), ValueError, "diameter must be positive"),
        (
            lambda: dm.drag_force("water", 1e-3, 1e-3, 1.0),
            TypeError,
            "density must contain numbers",
        ),
        (
            lambda: dm.reynolds_number(1000, -1e-3, 1e-3, 1.0),
            ValueError,
            "viscosity must be positive",
        ),
        (lambda: dm.measure_drag(1000, 1e-3, 1e-3, 1.0, rel_noise=-0.1), ValueError, "rel_noise"),
    ],
)
def test_drag_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_measure_drag_noise():
    args = (1000.0, 1e-3, 1e-3, np.full(20_000, 0.01))
    assert np.array_equal(dm.measure_drag(*args, rel_noise=0.0, rng=0), dm.drag_force(*args))
    ratio = np.log(dm.measure_drag(*args, rel_noise=0.05, rng=1) / dm.drag_force(*args))
    se = 0.05 / np.sqrt(2 * (ratio.size - 1))
    assert abs(ratio.std(ddof=1) - 0.05) < 4 * se
    assert np.array_equal(dm.measure_drag(*args, rng=3), dm.measure_drag(*args, rng=3))


def test_terminal_speed_limits():
    g = dm.STANDARD_GRAVITY
    # Stokes limit: a 10 um cell, Re ~ 4e-5
    v = dm.terminal_speed(1070.0, 1000.0, 1e-3, 10e-6)
    stokes = 70.0 * g * (10e-6) ** 2 / (18 * 1e-3)
    assert v == pytest.approx(stokes, rel=1e-3)
    assert v < stokes
    # Newton regime: a 2 cm steel ball in water, C_d = 0.44
    d, dr = 0.02, 7800.0 - 1000.0
    v = dm.terminal_speed(7800.0, 1000.0, 1e-3, d)
    newton = math.sqrt(4 * g * d * dr / (3 * 0.44 * 1000.0))
    assert dm.reynolds_number(1000.0, 1e-3, d, v) > 1000
    assert v == pytest.approx(newton, rel=1e-9)
    # intermediate: the force balance itself, vectorised
    d = np.array([50e-6, 0.5e-3, 2e-3])
    v = dm.terminal_speed(2500.0, 1000.0, 1e-3, d, acceleration=[g, g, 10 * g])
    weight = 1500.0 * np.array([g, g, 10 * g]) * np.pi * d**3 / 6
    np.testing.assert_allclose(dm.drag_force(1000.0, 1e-3, d, v), weight, rtol=1e-9)


def test_terminal_speed_needs_a_denser_particle():
    with pytest.raises(ValueError, match="particle_density must exceed fluid_density"):
        dm.terminal_speed(900.0, 1000.0, 1e-3, 1e-5)


# ----------------------------------------------------------------- similar points


def test_similar_points_keep_every_group():
    rng = np.random.default_rng(7)
    point = {
        "F": rng.uniform(1e-6, 1e-3, 5),
        "rho": 998.0,
        "mu": 1e-3,
        "D": rng.uniform(1e-4, 1e-3, 5),
        "v": rng.uniform(1e-3, 1e-1, 5),
    }
    scales = {"rho": (0.001, 1.0), "D": (0.1, 100.0), "v": (0.5, 2.0)}
    new = dm.similar_points(point, scales, SPHERE, n=8, rng=1)
    assert all(new[k].shape == (8, 5) for k in SPHERE)
    for g in dm.pi_groups(SPHERE):
        before = dm.group_value(g, point)
        np.testing.assert_allclose(
            dm.group_value(g, new), np.broadcast_to(before, (8, 5)), rtol=1e-11
        )
    for name, (low, high) in scales.items():
        factor = new[name] / np.broadcast_to(point[name], (8, 5))
        assert np.all((factor >= low * (1 - 1e-12)) & (factor <= high * (1 + 1e-12)))
    again = dm.similar_points(point, scales, SPHERE, n=8, rng=1)
    assert all(np.array_equal(new[k], again[k]) for k in SPHERE)


def test_similar_points_exact_change_of_units():
    # double every length, keep density and viscosity: speed halves (Re fixed), force is unchanged
    point = {"F": 2.0, "rho": 1000.0, "mu": 1e-3, "D": 1e-3, "v": 0.01}
    new = dm.similar_points(point, {"rho": (1, 1), "mu": (1, 1), "D": (2, 2)}, SPHERE, n=3)
    np.testing.assert_allclose(new["D"], 2e-3, rtol=1e-13)
    np.testing.assert_allclose(new["v"], 0.005, rtol=1e-13)
    np.testing.assert_allclose(new["F"], 2.0, rtol=1e-13)
    np.testing.assert_allclose(new["rho"], 1000.0, rtol=1e-13)


def test_similar_points_with_no_dimensions():
    variables = {"a": "dimensionless", "b": "dimensionless"}
    new = dm.similar_points({"a": 2.0, "b": 3.0}, {}, variables, n=4)
    np.testing.assert_array_equal(new["a"], 2.0)
    assert new["b"].shape == (4,)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"scales": {"rho": (1, 2), "D": (1, 2)}}, ValueError, "exactly 3 variable"),
        ({"scales": {"rho": (1, 2), "mu": (1, 2), "F": (1, 2)}}, ValueError, "independent"),
        (
            {"scales": {"rho": (2, 1), "D": (1, 2), "v": (1, 2)}},
            ValueError,
            r"scales\['rho'\] high",
        ),
        ({"scales": {"rho": (0, 1), "D": (1, 2), "v": (1, 2)}}, ValueError, r"scales\['rho'\] low"),
        (
            {"scales": {"rho": 2, "D": (1, 2), "v": (1, 2)}},
            TypeError,
            r"scales\['rho'\] must be a pair",
        ),
        ({"n": 0}, ValueError, "n must be"),
        ({"point": {"F": 1.0}}, ValueError, "point must give a value for every variable"),
        (
            {"point": {**dict.fromkeys(SPHERE, 1.0), "v": -1.0}},
            ValueError,
            r"point\['v'\] must be positive",
        ),
        ({"rng": "seed"}, TypeError, "rng must be"),
    ],
)
def test_similar_points_bad_inputs(kwargs, exc, match):
    args = {
        "point": dict.fromkeys(SPHERE, 1.0),
        "scales": {"rho": (1, 2), "D": (1, 2), "v": (1, 2)},
        "variables": SPHERE,
    }
    args.update(kwargs)
    point, scales, variables = args.pop("point"), args.pop("scales"), args.pop("variables")
    with pytest.raises(exc, match=match):
        dm.similar_points(point, scales, variables, **args)


# ------------------------------------------------------------- transfer experiment


def test_fit_predict_log_recovers_a_power_law():
    rng = np.random.default_rng(0)
    train = {"D": rng.uniform(1, 2, 30), "v": rng.uniform(1, 3, 30)}
    train["F"] = 3.0 * train["D"] ** 2 / train["v"]
    test = {"D": np.array([1.5, 4.0]), "v": np.array([2.0, 0.5])}
    pred = dm.fit_predict_log(train, "F", test, features=["D", "v"], degree=1)
    np.testing.assert_allclose(pred, 3.0 * test["D"] ** 2 / test["v"], rtol=1e-9)
    with pytest.raises(ValueError, match="test must give 'v'"):
        dm.fit_predict_log(train, "F", {"D": [1.0]}, features=["D", "v"])
    with pytest.raises(ValueError, match="degree must be"):
        dm.fit_predict_log(train, "F", test, features=["D", "v"], degree=9)
    with pytest.raises(TypeError, match="features must be"):
        dm.fit_predict_log(train, "F", test, features="D")


def test_scale_transfer_experiment_similar_beats_naive():
    out = dm.scale_transfer_experiment(n_measured=40, n_test=50, copies=10, rng=3)
    assert set(out.rmse) == {"measured", "similar", "naive"}
    assert out.rmse["similar"] < 0.1 < out.rmse["naive"]
    assert out.train["similar"]["D"].size == 40 * 11
    assert out.predicted["naive"].shape == (50,)
    again = dm.scale_transfer_experiment(n_measured=40, n_test=50, copies=10, rng=3)
    assert again.rmse == out.rmse
    with pytest.raises(ValueError, match="n_measured must be"):
        dm.scale_transfer_experiment(n_measured=2)
    with pytest.raises(ValueError, match="test_diameter high"):
        dm.scale_transfer_experiment(test_diameter=(2e-3, 1e-3))


def test_format_group():
    assert dm.format_group({"rho": 1, "v": 1, "D": 1, "mu": -1}) == "ρ·v·D / μ"
    assert dm.format_group({"F": 1, "rho": -1, "D": -2, "v": -2}) == "F / (ρ·D²·v²)"
    assert dm.format_group({"t": 2, "g": 1, "l": -1}, symbols={"t": "T"}) == "T²·g / l"
    assert dm.format_group({"D": -1}) == "1 / D"
    with pytest.raises(TypeError, match="group must be a non-empty mapping"):
        dm.format_group({})


@pytest.mark.parametrize("reynolds, standard", [(10.0, 4.2), (100.0, 1.09)])
def test_correlation_close_to_the_standard_drag_curve(reynolds, standard):
    # tabulated drag coefficients of a smooth sphere (Clift, Grace & Weber 1978); the
    # correlation is accurate to a few per cent in this range
    assert dm.drag_coefficient(reynolds) == pytest.approx(standard, rel=0.05)


# ------------------------------------------------------- refusals found by the bad-input sweep


def test_terminal_speed_far_into_newtons_regime():
    # a 1 cm sphere, 1500 kg/m³ denser than water, settles in Newton's regime (Re ≈ 6700);
    # its Stokes speed is about 120 times its real speed: the bracket must still hold it
    g, d, dr = dm.STANDARD_GRAVITY, 1e-2, 1500.0
    v = dm.terminal_speed(1000.0 + dr, 1000.0, 1e-3, d)
    assert v == pytest.approx(math.sqrt(4 * g * d * dr / (3 * 0.44 * 1000.0)), rel=1e-9)
    assert dm.NEWTON_REGIME_RE < dm.reynolds_number(1000.0, 1e-3, d, v) < dm.DRAG_CRISIS_RE
    # at low viscosity the Stokes speed is astronomically large, and the root is still found
    # while it stays below the drag crisis: Newton's speed at Re just under 2e5
    mu = 1000.0 * math.sqrt(4 * g * d * dr / (3 * 0.44 * 1000.0)) * d / 1.9e5
    v = dm.terminal_speed(1000.0 + dr, 1000.0, mu, d)
    assert v == pytest.approx(math.sqrt(4 * g * d * dr / (3 * 0.44 * 1000.0)), rel=1e-9)


@pytest.mark.parametrize(
    "call",
    [
        lambda: dm.drag_coefficient(3e5),
        lambda: dm.drag_coefficient([10.0, 1e6]),
        lambda: dm.drag_force(1000.0, 1e-3, 0.1, 5.0),  # a 10 cm ball at 5 m/s: Re = 5e5
        lambda: dm.measure_drag(1000.0, 1e-3, 0.1, 5.0, rng=0),
        lambda: dm.terminal_speed(2500.0, 1000.0, 1e-25, 1e-3),  # once returned Newton's 0.44 law
        lambda: dm.terminal_speed(2500.0, 1000.0, 1e-3, 1e9),
    ],
)
def test_drag_beyond_the_drag_crisis_is_refused(call):
    with pytest.raises(ValueError, match="drag crisis"):
        call()


def test_drag_coefficient_up_to_the_drag_crisis():
    assert dm.DRAG_CRISIS_RE == 2e5
    assert dm.drag_coefficient(dm.DRAG_CRISIS_RE) == 0.44  # the range is closed
    assert dm.drag_coefficient([1e4, 1e5]) == pytest.approx([0.44, 0.44])
    # the creeping-flow limit law is the caller's choice and has no upper limit
    assert dm.drag_coefficient(1e6, model="stokes") == pytest.approx(24e-6)


def test_fit_predict_log_needs_enough_points_and_a_named_target():
    train = {"D": [1.0, 2.0], "v": [1.0, 2.0], "F": [1.0, 4.0]}
    with pytest.raises(ValueError, match="train must have at least 3 points"):
        dm.fit_predict_log(train, "F", {"D": [1.0], "v": [1.0]}, features=["D", "v"], degree=1)
    with pytest.raises(ValueError, match="target 'G' is not given by train"):
        dm.fit_predict_log(train, "G", {"D": [1.0]}, features=["D"], degree=1)
    with pytest.raises(TypeError, match="target must be a variable name"):
        dm.fit_predict_log(train, 7, {"D": [1.0]}, features=["D"], degree=1)
    with pytest.raises(ValueError, match="n_measured must be at least 21"):
        dm.scale_transfer_experiment(n_measured=20, degree=5)


def test_format_group_symbols_must_be_strings():
    assert dm.format_group({"rho": 1, "mu": -1}, symbols={}) == "ρ / μ"
    with pytest.raises(TypeError, match="symbols must be a mapping"):
        dm.format_group({"rho": 1}, symbols="rho")
    with pytest.raises(TypeError, match=r"symbols\['rho'\] must be a display string"):
        dm.format_group({"rho": 1}, symbols={"rho": 1.0})


def test_similar_points_names_scales_and_empty_groups_compare():
    with pytest.raises(ValueError, match=r"scales must name exactly 3 variable\(s\)"):
        dm.similar_points(dict.fromkeys(SPHERE, 1.0), {}, SPHERE)
    assert dm.equivalent_groups([], [])  # a problem without Pi groups
    with pytest.raises(TypeError, match="first must be a list of groups"):
        dm.equivalent_groups("rho", [])
