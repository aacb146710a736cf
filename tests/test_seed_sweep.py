"""The seed sweep's bookkeeping: claims matched across seeds, failures and gaps reported."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("seed_sweep", ROOT / "tests" / "seed_sweep.py")
sweep = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sweep)


def rec(claim, ok, kind="Monte Carlo", value="0.5"):
    return {"kind": kind, "claim": claim, "ok": ok, "value": value, "expected": "0.5", "rule": ""}


def run(seed, records, error=None, chapter="ch"):
    return {"chapter": chapter, "seed": seed, "wall_s": 1.0, "error": error, "records": records}


def test_claims_are_matched_across_seeds_and_failures_counted():
    runs = [
        run("default", [rec("a", True), rec("b", True), rec("b", True), rec("p", True, "pin")]),
        run("1", [rec("a", True), rec("b", True), rec("b", False), rec("p", None, "pin")]),
    ]
    book = sweep.ledger(runs, ["default", "1"], ["ch"])
    claims = book["chapters"][0]["claims"]
    assert [c["claim"] for c in claims] == ["a", "b", "b", "p"]  # repeated words stay apart
    assert claims[2]["failed_seeds"] == ["1"] and claims[1]["failed_seeds"] == []
    assert claims[3]["checked"] == 1  # a pin is checked at the default seed only
    text, share, problems = sweep.summary(book)
    assert share == 5 / 6 and any("✗ b" in p for p in problems)


def test_words_that_change_with_the_seed_are_a_problem():
    runs = [run("default", [rec("x = 0.31", True)]), run("1", [rec("x = 0.33", True)])]
    book = sweep.ledger(runs, ["default", "1"], ["ch"])
    _, share, problems = sweep.summary(book)
    assert share < 1 and sum("not made at seeds" in p for p in problems) == 2


def test_a_chapter_that_stops_is_reported():
    runs = [run("default", [rec("a", True)]), run("1", [], error="ZeroDivisionError")]
    book = sweep.ledger(runs, ["default", "1"], ["ch"])
    _, _, problems = sweep.summary(book)
    assert any("stopped: ZeroDivisionError" in p for p in problems)
