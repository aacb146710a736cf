"""Monte Carlo helpers: standard errors and log-log slopes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthbio import stats
from synthbio._validate import as_generator, count_array, finite_array, integer, real


def test_mean_se_matches_definition():
    x = np.arange(10.0)
    m, se = stats.mean_se(x)
    assert m == pytest.approx(4.5)
    assert se == pytest.approx(np.std(x, ddof=1) / np.sqrt(10))


def test_mean_se_along_axis_and_errors():
    x = np.ones((5, 3))
    m, se = stats.mean_se(x, axis=0)
    assert m.shape == (3,) and np.all(se == 0)
    with pytest.raises(ValueError, match="at least 2 replicates"):
        stats.mean_se([1.0])
    with pytest.raises(ValueError, match="finite"):
        stats.mean_se([1.0, np.nan])


def test_rmse_se_delta_method():
    rng = np.random.default_rng(0)
    err = rng.normal(0, 2.0, size=200_000)
    r, se = stats.rmse_se(err)
    assert abs(r - 2.0) < 4 * se
    # the delta-method SE of the RMSE of N(0, s^2) errors is s / sqrt(2 R)
    assert se == pytest.approx(2.0 / np.sqrt(2 * err.size), rel=0.05)


@settings(max_examples=30, deadline=None)
@given(alpha=st.floats(-2, 2), a=st.floats(0.1, 10))
def test_loglog_slope_exact_power_law(alpha, a):
    x = np.logspace(0, 4, 9)
    slope, se = stats.loglog_slope(x, a * x**alpha)
    assert slope == pytest.approx(alpha, abs=1e-9)
    assert se < 1e-6


def test_loglog_slope_propagated_se_is_calibrated():
    rng = np.random.default_rng(1)
    x = np.logspace(1, 3, 6)
    y_se = 0.05 * x**-0.5
    slopes = []
    for _ in range(2000):
        y = x**-0.5 + rng.normal(0, y_se)
        slopes.append(stats.loglog_slope(x, y, y_se)[0])
    _, se = stats.loglog_slope(x, x**-0.5, y_se)
    assert np.std(slopes) == pytest.approx(se, rel=0.1)


def test_loglog_slope_bad_input():
    with pytest.raises(ValueError, match="positive"):
        stats.loglog_slope([1, 2, 3], [1, -1, 2])
    with pytest.raises(ValueError, match="same length"):
        stats.loglog_slope([1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="at least 3"):
        stats.loglog_slope([1, 2], [1, 2])
    with pytest.raises(ValueError, match="two different"):
        stats.loglog_slope([2, 2, 2], [1, 2, 3])


def test_validators():
    assert isinstance(as_generator(3), np.random.Generator)
    g = np.random.default_rng(1)
    assert as_generator(g) is g
    with pytest.raises(TypeError, match="rng"):
        as_generator("seed")
    with pytest.raises(TypeError, match="rng"):
        as_generator(True)
    with pytest.raises(ValueError, match="rng"):
        as_generator(-1)
    with pytest.raises(TypeError, match="n must be an int"):
        integer("n", 2.0)
    with pytest.raises(ValueError, match=r"n must be in \[0, 5\]"):
        integer("n", 6, minimum=0, maximum=5)
    with pytest.raises(ValueError, match=r"p must lie in \(0.0, 1.0\]"):
        real("p", 0.0, minimum=0.0, maximum=1.0, open_min=True)
    with pytest.raises(ValueError, match="finite"):
        real("p", float("inf"))
    with pytest.raises(TypeError, match="numbers"):
        finite_array("x", ["a", "b"])
    with pytest.raises(ValueError, match="dimension"):
        finite_array("x", np.ones((2, 2)), ndim=1)
    with pytest.raises(ValueError, match="non-negative"):
        count_array("c", [1, -1])
    with pytest.raises(ValueError, match="whole numbers"):
        count_array("c", [1.5])


def test_mean_se_takes_booleans_as_zero_one():
    m, se = stats.mean_se(np.array([True, False, True, True]))
    assert m == pytest.approx(0.75)
    assert se == pytest.approx(np.std([1, 0, 1, 1], ddof=1) / 2)
    with pytest.raises(ValueError, match="axis"):
        stats.mean_se(np.ones((3, 2)), axis=2)


def test_rmse_se_of_zero_errors_is_zero_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r, se = stats.rmse_se(np.zeros((4, 2)))
    assert np.all(r == 0) and np.all(se == 0)


def test_nearest_neighbours_against_brute_force():
    rng = np.random.default_rng(2)
    ref, query = rng.normal(size=(40, 3)), rng.normal(size=(7, 3))
    dist, idx = stats.nearest_neighbours(ref, query, n_neighbors=3)
    full = np.linalg.norm(query[:, None, :] - ref[None, :, :], axis=-1)
    assert np.array_equal(idx, np.argsort(full, axis=1)[:, :3])
    assert dist == pytest.approx(np.sort(full, axis=1)[:, :3])
    # query=None: each row's neighbours among the others (itself left out)
    dist, idx = stats.nearest_neighbours(ref, n_neighbors=2)
    self_dist = np.linalg.norm(ref[:, None] - ref[None], axis=-1) + np.diag(np.full(40, np.inf))
    assert np.array_equal(idx, np.argsort(self_dist, axis=1)[:, :2])
    with pytest.raises(ValueError, match="n_neighbors"):
        stats.nearest_neighbours(ref[:3], n_neighbors=3)
    with pytest.raises(ValueError, match="columns"):
        stats.nearest_neighbours(ref, query[:, :2])
