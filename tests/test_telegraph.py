"""Telegraph-model theory against quadrature of its Poisson–beta mixture and exact moments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy import stats as sps
from scipy.special import poch

from synthbio import telegraph as tg

RATES = (0.5, 5.0, 100.0, 1.0)


def test_moments_closed_forms():
    th = tg.moments(*RATES)
    assert th.mean == pytest.approx(100 * 0.5 / 5.5)
    assert th.fano == pytest.approx(1 + 100 * 5 / (5.5 * 6.5))
    assert th.variance == pytest.approx(th.fano * th.mean)
    assert (th.burst_size, th.burst_frequency) == (20.0, 0.5)
    # P(0) two ways: Kummer-transformed 1F1 and the Beta mixture of Poisson zeros
    a, b, big_k = 0.5, 5.0, 100.0
    quad = integrate.quad(lambda p: np.exp(-big_k * p) * sps.beta(a, b).pdf(p), 0, 1, limit=200)
    assert th.p_zero == pytest.approx(quad[0], rel=1e-7)
    # constitutive limit: k_off → 0 makes the counts Poisson
    po = tg.moments(1.0, 1e-12, 10.0, 1.0)
    assert po.fano == pytest.approx(1.0, abs=1e-8)
    assert po.p_zero == pytest.approx(np.exp(-10.0), rel=1e-6)


def test_pmf_is_a_distribution_with_the_right_moments():
    n = np.arange(0, 600)
    p = tg.pmf(n, *RATES)
    th = tg.moments(*RATES)
    assert p.sum() == pytest.approx(1.0, abs=1e-10)
    mean = (n * p).sum()
    assert mean == pytest.approx(th.mean, rel=1e-9)
    assert (n**2 * p).sum() - mean**2 == pytest.approx(th.variance, rel=1e-9)
    assert p[0] == pytest.approx(th.p_zero, rel=1e-12)
    for k in (1, 7, 40):  # the Poisson–beta mixture by quadrature
        quad = integrate.quad(
            lambda q, k=k: sps.poisson(100 * q).pmf(k) * sps.beta(0.5, 5).pdf(q), 0, 1, limit=200
        )[0]
        assert p[k] == pytest.approx(quad, rel=1e-6)
    assert tg.pmf([[0, 1], [7, 40]], *RATES).shape == (2, 2)


@pytest.mark.parametrize("a, b, big_k", [(0.5, 5.0, 100.0), (2.0, 1.0, 10.0), (0.1, 0.2, 3.0)])
def test_factorial_moments_of_the_pmf(a, b, big_k):
    # E[n(n-1)...(n-r+1)] = K^r (a)_r / (a+b)_r: the identity the chapter's moment fit solves
    n = np.arange(0, 4000)
    p = tg.pmf(n, a, b, big_k, 1.0)
    fact = [float(p @ n), float(p @ (n * (n - 1))), float(p @ (n * (n - 1) * (n - 2)))]
    want = [big_k**r * poch(a, r) / poch(a + b, r) for r in (1, 2, 3)]
    assert fact == pytest.approx(want, rel=1e-8)


@pytest.mark.parametrize("k_tx", [250.0, 2000.0])  # either side of the direct-1F1 limit
def test_theory_stays_finite_for_large_burst_sizes(k_tx):
    th = tg.moments(0.5, 5.0, k_tx, 1.0)
    quad = integrate.quad(
        lambda q: np.exp(-k_tx * q) * sps.beta(0.5, 5.0).pdf(q),
        0,
        1,
        limit=500,
        points=[1e-6, 1e-4, 1e-2],
    )[0]
    assert th.p_zero == pytest.approx(quad, rel=1e-8)
    n = np.arange(0, int(2 * k_tx))
    p = tg.pmf(n, 0.5, 5.0, k_tx, 1.0)
    assert np.all(np.isfinite(p))
    assert p.sum() == pytest.approx(1.0, abs=1e-9)
    assert (n * p).sum() == pytest.approx(th.mean, rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(0.05, 5.0), st.floats(0.5, 50.0), st.floats(0.2, 3.0))
def test_theory_properties(k_on, k_off, k_tx, k_deg):
    th = tg.moments(k_on, k_off, k_tx, k_deg)
    assert th.fano >= 1.0  # bursting only adds noise to Poisson
    assert 0.0 < th.p_zero < 1.0
    # zeros are at least as common as for a Poisson with the same mean (Jensen)
    assert th.p_zero >= np.exp(-th.mean) * (1 - 1e-9)
    p = tg.pmf(np.arange(3), k_on, k_off, k_tx, k_deg)
    assert np.all((p >= 0) & (p <= 1))


@pytest.mark.parametrize("i, name", [(0, "k_on"), (1, "k_off"), (2, "k_tx"), (3, "k_deg")])
def test_non_positive_rates_are_refused(i, name):
    rates = list(RATES)
    rates[i] = -1.0
    with pytest.raises(ValueError, match=name):
        tg.moments(*rates)
    with pytest.raises(ValueError, match=name):
        tg.pmf([0, 1], *rates)


def test_bad_counts_and_rates_beyond_the_theory_are_refused():
    # k_tx / k_deg = 1e9 used to build a 1e9-term series (8 GB) instead of failing
    with pytest.raises(ValueError, match="k_tx"):
        tg.moments(1.0, 1.0, 1e9, 1.0)
    with pytest.raises(ValueError, match="k_tx"):
        tg.pmf([0, 1], 1.0, 1.0, 1e9, 1.0)
    with pytest.raises(ValueError, match="n"):
        tg.pmf([-1], *RATES)
    with pytest.raises(ValueError, match="n"):
        tg.pmf([1.5], *RATES)
    with pytest.raises(TypeError, match="n"):
        tg.pmf([True, False], *RATES)
