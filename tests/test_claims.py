"""Claim checks must pass quietly on true claims, fail loudly on false ones, and never vacuously."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

import synthbio
from synthbio.claims import (
    ClaimError,
    check,
    check_between,
    check_greater,
    check_less,
    check_mc,
    check_proportion,
    check_true,
    pin,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in ("SYNTHBIO_SEED", "SYNTHBIO_CLAIMS", "SYNTHBIO_CLAIMS_LOG"):
        monkeypatch.delenv(var, raising=False)


def test_check_passes_with_one_short_line(capsys):
    check("one third", 1 / 3, 0.3333333333, rtol=1e-9)
    out = capsys.readouterr().out
    assert out.startswith("✓ one third — ") and "≈" in out and out.count("\n") == 1


def test_check_fails_with_the_claims_words():
    with pytest.raises(ClaimError, match="P\\(yellow\\) is 2.5 %"):
        check("P(yellow) is 2.5 %", 0.03, 0.025, rtol=1e-6)
    assert issubclass(ClaimError, AssertionError)


def test_check_arrays_nan_and_shapes():
    check("arrays", np.array([1.0, 2.0]), [1.0, 2.0 + 1e-12], rtol=1e-9)
    with pytest.raises(ClaimError):
        check("one element off", np.array([1.0, 2.1]), [1.0, 2.0], rtol=1e-3)
    with pytest.raises(ClaimError):
        check("nan never matches", float("nan"), float("nan"), rtol=1.0)
    with pytest.raises(ValueError, match="value .*expected"):
        check("shapes", np.ones(2), np.ones(3))


def test_check_kinds():
    check("rounded", 0.6234, 0.62, atol=0.005, rtol=0, kind="stated value")
    with pytest.raises(ClaimError):
        check("rounded", 0.6264, 0.62, atol=0.005, rtol=0, kind="stated value")
    with pytest.raises(ValueError, match="kind"):
        check("x", 1, 1, kind="Monte Carlo")


@pytest.mark.parametrize(
    "bad, error",
    [
        ([], ValueError),
        (np.array([]), ValueError),
        (1 + 2j, TypeError),
        ("1.0", TypeError),
        (["1.0", "2.0"], TypeError),
        (True, TypeError),
        (np.array([True]), TypeError),
        ([None, 1.0], TypeError),
        ({"a": 1}, TypeError),
    ],
)
def test_no_check_passes_vacuously_or_on_wrong_kinds(bad, error):
    for call in (
        lambda: check("x", bad, 1),
        lambda: check_less("x", bad, 1),
        lambda: check_greater("x", bad, 0),
        lambda: check_between("x", bad, 0, 1),
        lambda: check_mc("x", bad, 1, se=0.1, n=10),
    ):
        with pytest.raises(error):
            call()


def test_tolerances_accept_any_real_number():
    check("fraction", 1.0, 1.001, rtol=Fraction(1, 100))
    check("numpy scalar", 1.0, 1.001, rtol=np.float32(0.01))
    with pytest.raises(ValueError, match="rtol"):
        check("x", 1, 1, rtol=-1)
    with pytest.raises(TypeError, match="atol"):
        check("x", 1, 1, atol="0.1")
    with pytest.raises(TypeError, match="rtol"):
        check("x", 1, 1, rtol=float("inf"))


@pytest.mark.parametrize("claim", ["", "   ", None, 3])
def test_claim_must_be_words(claim):
    with pytest.raises(TypeError, match="claim"):
        check(claim, 1, 1)


# ------------------------------------------------------------------------- Monte Carlo


def test_check_mc_uses_a_t_quantile_for_few_replicates(capsys):
    # 5 SE off: fails with many replicates, passes with 5 (t quantile ≈ 15.5)
    with pytest.raises(ClaimError):
        check_mc("mean", 0.55, 0.5, se=0.01, n=1000)
    check_mc("mean", 0.55, 0.5, se=0.01, n=5)
    assert "n = 5" in capsys.readouterr().out
    with pytest.raises(ClaimError):
        check_mc("zero se needs exact", 0.5000001, 0.5, se=0.0, n=10)
    check_mc("zero se exact", 0.5, 0.5, se=0.0, n=10)


@pytest.mark.parametrize("n", [3, 5, 20, 1000])
def test_check_mc_false_alarm_rate_is_as_promised(n):
    """A true claim fails with probability ≤ false_alarm: exact t distribution of the gap."""
    rng = np.random.default_rng(n)
    reps = rng.normal(size=(5_000, n))
    mean = reps.mean(axis=1)
    se = reps.std(axis=1, ddof=1) / np.sqrt(n)
    fails = 0
    for m, s in zip(mean, se):
        try:
            check_mc("unbiased", m, 0.0, se=s, n=n, false_alarm=0.05)
        except ClaimError:
            fails += 1
    # expected 250 failures of 5 000 at false_alarm 0.05; a 5-sigma binomial band
    assert abs(fails - 250) < 5 * np.sqrt(250 * 0.95), fails


def test_check_mc_alternatives():
    check_mc("clearly above", 1.0, 0.5, se=0.01, n=30, alternative="greater")
    with pytest.raises(ClaimError):
        check_mc("barely above", 0.52, 0.5, se=0.01, n=30, alternative="greater")
    check_mc("clearly below", 0.0, 0.5, se=0.01, n=30, alternative="less")
    with pytest.raises(ClaimError):
        check_mc("not below", 0.6, 0.5, se=0.01, n=30, alternative="less")
    with pytest.raises(ValueError, match="alternative"):
        check_mc("x", 1, 1, se=0.1, n=10, alternative="bigger")


def test_check_mc_bad_arguments():
    with pytest.raises(ValueError, match="se"):
        check_mc("negative se", 0.5, 0.5, se=-1.0, n=10)
    with pytest.raises(ValueError, match="n must"):
        check_mc("one replicate", 0.5, 0.5, se=0.1, n=1)
    with pytest.raises(ValueError, match="n must"):
        check_mc("fractional n", 0.5, 0.5, se=0.1, n=2.5)
    with pytest.raises(TypeError):
        check_mc("no n", 0.5, 0.5, se=0.1)
    with pytest.raises(ValueError, match="false_alarm"):
        check_mc("x", 0.5, 0.5, se=0.1, n=10, false_alarm=0.7)


def test_check_mc_bonferroni_over_elements(capsys):
    check_mc("array", [0.5, 0.7], [0.5, 0.7], se=[0.01, 0.02], n=100)
    assert "per element" in capsys.readouterr().out


# ------------------------------------------------------------------------- proportions


def test_check_proportion_rare_events():
    check_proportion("no loss in 100 chains at p = 3e-4", 0, 100, 3.2e-4)
    with pytest.raises(ClaimError):
        check_proportion("30 expected, none seen", 0, 100_000, 3e-4)
    check_proportion("a clear majority", 60, 100, 0.2, alternative="greater")
    with pytest.raises(ClaimError):
        check_proportion("not clearly above", 30, 100, 0.2, alternative="greater")


@pytest.mark.parametrize("p, trials", [(3.2e-4, 100), (0.05, 40), (0.5, 1000)])
def test_check_proportion_false_alarm_is_exactly_bounded(p, trials):
    """Sum the binomial probability of every count the check rejects: ≤ false_alarm."""
    rejected = 0.0
    for k in range(trials + 1):
        try:
            check_proportion("p", k, trials, p, false_alarm=0.01)
        except ClaimError:
            rejected += stats.binom.pmf(k, trials, p)
    assert rejected <= 0.01


def test_check_proportion_bad_arguments():
    with pytest.raises(ValueError, match="successes"):
        check_proportion("x", 5, 3, 0.5)
    with pytest.raises(ValueError, match="whole"):
        check_proportion("x", 1.5, 3, 0.5)
    with pytest.raises(ValueError, match="p must"):
        check_proportion("x", 1, 3, 1.5)


# ------------------------------------------------------------------------- bounds, logic, pins


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


def test_check_true():
    check_true("a fact", 1 < 2)
    check_true("all of them", np.array([True, True]))
    with pytest.raises(ClaimError, match="a falsehood"):
        check_true("a falsehood", False)
    with pytest.raises(ClaimError):
        check_true("not all", np.array([True, False]))
    with pytest.raises(TypeError, match="condition"):
        check_true("a number is not a truth", 1)
    with pytest.raises(ValueError, match="empty"):
        check_true("nothing", np.array([], dtype=bool))


def test_pins_are_checked_only_at_the_default_seed(monkeypatch, capsys):
    pin("this run's value", 0.31, 0.31)
    with pytest.raises(ClaimError, match="pinned"):
        pin("this run's value", 0.33, 0.31)
    monkeypatch.setenv("SYNTHBIO_SEED", "7")
    pin("this run's value", 0.33, 0.31)
    assert "default seed only" in capsys.readouterr().out


def test_record_mode_and_the_log(monkeypatch, tmp_path, capsys):
    log = tmp_path / "claims.jsonl"
    monkeypatch.setenv("SYNTHBIO_CLAIMS_LOG", str(log))
    monkeypatch.setenv("SYNTHBIO_CLAIMS", "record")
    check("right", 1.0, 1.0)
    check("wrong", 1.0, 2.0)  # recorded, not raised
    check_mc("mc", 0.5, 0.5, se=0.1, n=10)
    check_true("logic", False)
    assert "✗ wrong" in capsys.readouterr().out
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["claim"], r["kind"], r["ok"]) for r in records] == [
        ("right", "closed form", True),
        ("wrong", "closed form", False),
        ("mc", "Monte Carlo", True),
        ("logic", "logical", False),
    ]


# ------------------------------------------------------------------------- seeds


def test_seed_reads_the_environment(monkeypatch):
    assert synthbio.seed(123) == 123
    monkeypatch.setenv("SYNTHBIO_SEED", " 9 ")
    assert synthbio.seed(123) == 9
    monkeypatch.setenv("SYNTHBIO_SEED", "nine")
    with pytest.raises(ValueError, match="SYNTHBIO_SEED"):
        synthbio.seed(123)
    monkeypatch.setenv("SYNTHBIO_SEED", "-1")
    with pytest.raises(ValueError, match="SYNTHBIO_SEED"):
        synthbio.seed(123)
    with pytest.raises(TypeError, match="default"):
        synthbio.seed(1.5)  # type: ignore[arg-type]
