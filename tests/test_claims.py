"""Claim checks must pass quietly on true claims and fail loudly, with the claim's words."""

from __future__ import annotations

import numpy as np
import pytest

from synthbio.claims import ClaimError, check, check_between, check_greater, check_less, check_mc


def test_check_passes_and_prints(capsys):
    check("one third", 1 / 3, 0.3333333333, rtol=1e-9)
    out = capsys.readouterr().out
    assert out.startswith("✓ one third\n") and "≈" in out


def test_check_fails_with_the_claims_words():
    with pytest.raises(ClaimError, match="P\\(yellow\\) is 2.5 %"):
        check("P(yellow) is 2.5 %", 0.03, 0.025, rtol=1e-6)
    assert issubclass(ClaimError, AssertionError)


def test_check_arrays_and_nan():
    check("arrays", np.array([1.0, 2.0]), [1.0, 2.0 + 1e-12], rtol=1e-9)
    with pytest.raises(ClaimError):
        check("one element off", np.array([1.0, 2.1]), [1.0, 2.0], rtol=1e-3)
    with pytest.raises(ClaimError):
        check("nan never matches", float("nan"), float("nan"), rtol=1.0)
    with pytest.raises(ValueError, match="shape"):
        check("shapes", np.ones(2), np.ones(3))


def test_check_atol_only():
    check("rounded", 0.6234, 0.62, atol=0.005, rtol=0)
    with pytest.raises(ClaimError):
        check("rounded", 0.6264, 0.62, atol=0.005, rtol=0)


def test_check_mc_uses_standard_errors():
    check_mc("mean", 0.51, 0.5, se=0.01, z=4)
    with pytest.raises(ClaimError, match="5 SE"):
        check_mc("mean", 0.55, 0.5, se=0.01, z=4)
    with pytest.raises(ClaimError):
        check_mc("zero se needs exact", 0.5000001, 0.5, se=0.0)
    check_mc("zero se exact", 0.5, 0.5, se=0.0)
    with pytest.raises(ValueError, match="se"):
        check_mc("negative se", 0.5, 0.5, se=-1.0)


def test_inequalities():
    check_less("less", 1, 2)
    check_greater("greater", 3, 2)
    check_between("between", 0.5, 0, 1)
    with pytest.raises(ClaimError, match="less"):
        check_less("less", 2, 2)
    with pytest.raises(ClaimError):
        check_greater("greater", np.array([3, 1]), 2)
    with pytest.raises(ClaimError):
        check_between("between", 1.5, 0, 1)
    with pytest.raises(ClaimError):
        check_less("nan is not less", float("nan"), 1.0)
    with pytest.raises(ValueError, match="low"):
        check_between("bad bounds", 0.5, 1, 0)


@pytest.mark.parametrize("claim", ["", "   ", None, 3])
def test_claim_must_be_words(claim):
    with pytest.raises(TypeError, match="claim"):
        check(claim, 1, 1)


def test_bad_tolerances():
    with pytest.raises(ValueError, match="rtol"):
        check("x", 1, 1, rtol=-1)
    with pytest.raises(TypeError, match="atol"):
        check("x", 1, 1, atol="0.1")
    with pytest.raises(TypeError, match="value"):
        check("x", "abc", 1)
