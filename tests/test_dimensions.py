"""Tests of synthbio.dimensions: the dimension matrix, Pi groups and their values."""

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
    a = dm.dimension_matrix(SPHERE)
    matrix, dims, names = a.matrix, a.dimensions, a.variables
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
    matrix = dm.dimension_matrix(variables).matrix
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
        ({"x": ""}, r"variables\['x'\] gives no dimensions"),
        ({"x": "  "}, r"variables\['x'\] gives no dimensions"),
        ({"x": {}}, r"variables\['x'\] gives no dimensions"),
        ({"x": {"length": float("nan")}}, r"variables\['x'\]\['length'\] must be a finite"),
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
    a = dm.dimension_matrix(variables)
    matrix, names = a.matrix, a.variables
    groups = dm.pi_groups(variables)
    assert len(groups) == len(names) - np.linalg.matrix_rank(matrix)
    for g in groups:
        assert dm.is_dimensionless(g, variables)
        assert all(isinstance(e, int) and e != 0 for e in g.values())
    ureg = pint.UnitRegistry()
    theirs = pint.pi_theorem(variables, ureg)
    assert len(theirs) == len(groups)
    assert dm.equivalent_groups(groups, theirs)


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
        (["rho", "D"], "repeating must name 3 different variables"),
        (["rho", "D", "nope"], "repeating must name 3 different variables"),
        (["rho", "D", "D"], "repeating must name 3 different variables"),
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
    # pint takes dimension strings such as "[mass]**1 * [length]**-2"
    as_strings = {k: " * ".join(f"[{d}]**{e}" for d, e in v.items()) for k, v in variables.items()}
    theirs = pint.pi_theorem(as_strings, pint.UnitRegistry())
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


def test_tied_dimensions_give_rank_below_their_count():
    # mass and time only ever appear as M·T⁻², so the rank (2) is below the number of dimensions (3)
    variables = {"F": "N", "p": "Pa", "A": "m**2", "s": "N/m"}
    assert len(dm.dimension_matrix(variables).dimensions) == 3
    groups = dm.pi_groups(variables)
    assert len(groups) == 2 and all(dm.is_dimensionless(g, variables) for g in groups)


# ------------------------------------------------------- dimensionless and equivalence


def test_is_dimensionless():
    assert dm.is_dimensionless({"rho": 1, "v": 1, "D": 1, "mu": -1}, SPHERE)
    assert dm.is_dimensionless({"rho": 0.5, "v": 0.5, "D": 0.5, "mu": -0.5}, SPHERE)
    assert not dm.is_dimensionless({"F": 1, "rho": -1, "v": -2}, SPHERE)  # an area


@pytest.mark.parametrize(
    "group, exc, match",
    [
        ({}, ValueError, "group must map at least one variable"),
        ({"x": 1}, ValueError, r"group names \['x'\]"),
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
    with pytest.raises(ValueError, match=r"values must give \['F'\]"):
        dm.group_value({"F": 1}, values)
    with pytest.raises(ValueError, match=r"values\['mu'\] must be"):
        dm.group_value({"mu": 1}, {"mu": -1.0})


def test_format_group():
    assert dm.format_group({"rho": 1, "v": 1, "D": 1, "mu": -1}) == "ρ·v·D / μ"
    assert dm.format_group({"F": 1, "rho": -1, "D": -2, "v": -2}) == "F / (ρ·D²·v²)"
    assert dm.format_group({"t": 2, "g": 1, "l": -1}, symbols={"t": "T"}) == "T²·g / l"
    assert dm.format_group({"D": -1}) == "1 / D"
    assert dm.format_group({"a": 0.5, "b": -2, "c": -1}) == "a¹ᐟ² / (b²·c)"
    assert dm.format_group({"rho": 1, "mu": -1}, symbols={}) == "ρ / μ"
    with pytest.raises(ValueError, match="group must map at least one"):
        dm.format_group({})
    with pytest.raises(TypeError, match="symbols must be a mapping"):
        dm.format_group({"rho": 1}, symbols="rho")
    with pytest.raises(TypeError, match="symbols must be a mapping name -> display string"):
        dm.format_group({"rho": 1}, symbols={"rho": 1.0})


def test_reynolds_number_broadcasts_and_refuses_non_physical_values():
    assert dm.reynolds_number(1000.0, 1e-3, 1e-3, 0.1) == pytest.approx(100.0, rel=1e-12)
    np.testing.assert_allclose(
        dm.reynolds_number(1000.0, 1e-3, [1e-3, 2e-3], 0.1), [100.0, 200.0], rtol=1e-12
    )
    with pytest.raises(ValueError, match="speed"):
        dm.reynolds_number(1000.0, 1e-3, 1e-3, -0.1)


def test_empty_lists_of_groups_compare():
    assert dm.equivalent_groups([], [])  # a problem without Pi groups
    with pytest.raises(TypeError, match="first must be a list of groups"):
        dm.equivalent_groups("rho", [])
