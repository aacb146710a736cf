"""The seed sweep: run every chapter under several seeds and record every claim.

Usage (from the repository root, with the project's environment)::

    python tests/seed_sweep.py                       # default seeds + 2 others, all chapters
    python tests/seed_sweep.py --seeds 10 --min-held 0.99
    python tests/seed_sweep.py book/marbles.ipynb --seeds 5

Each chapter reads its seed with ``synthbio.seed(default)``, which returns
``SYNTHBIO_SEED`` when that is set. The sweep executes each chapter once with
``SYNTHBIO_SEED`` unset (the chapter's own default) and once for each of the
seeds 1, 2, …, K, every time in a fresh kernel with ``SYNTHBIO_CLAIMS=record``
(a failing claim is recorded and the chapter goes on) and
``SYNTHBIO_CLAIMS_LOG`` naming a file that receives one JSON line per claim.

It writes the claims ledger (``_build/claims/ledger.json`` by default; the
book's claims-ledger page is built from it), prints a table of claims held per
chapter, lists every claim that failed with its seed, and exits with status 1
when the share of claims that held is below ``--min-held`` (1.0 by default:
every claim at every seed), when a chapter stops with an error, or when a
claim's words change with the seed (then the ledger could not match them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from synthbio._book import toc_notebooks

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = "default"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_chapter(path: str, seed: str, threads: int) -> dict:
    """Execute one chapter at one seed; return its claim records, wall time and error."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "claims.jsonl"
        env = dict(os.environ)
        env.pop("SYNTHBIO_SEED", None)
        if seed != DEFAULT:
            env["SYNTHBIO_SEED"] = seed
        env.update(
            SYNTHBIO_CLAIMS="record",
            SYNTHBIO_CLAIMS_LOG=str(log),
            MPLBACKEND="Agg",
            IPYTHONDIR=str(ROOT / "tests" / "offline" / "ipython"),  # the network guard
        )
        if threads:
            for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                env[var] = str(threads)
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(Path(path).parent)}},
        )
        error = None
        start = time.perf_counter()
        try:
            # the kernel's own stderr carries only ZMQ start-up chatter; errors come as messages
            client.execute(env=env, stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            error = ANSI.sub("", str(exc)).strip().splitlines()[-1][:500]
        except Exception as exc:  # a dead kernel or a timeout is a failed run too
            error = f"{type(exc).__name__}: {exc}"[:500]
        wall = time.perf_counter() - start
        records = []
        if log.exists():
            records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return {
        "chapter": Path(path).stem,
        "seed": seed,
        "wall_s": wall,
        "error": error,
        "records": records,
    }


def _keyed(records: list[dict]) -> dict[tuple[str, str, int], dict]:
    """Records keyed by (kind, words, occurrence), so repeated words stay apart."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out = {}
    for r in records:
        base = (r["kind"], r["claim"])
        out[(*base, seen[base])] = r
        seen[base] += 1
    return out


def ledger(runs: list[dict], seeds: list[str], order: list[str]) -> dict:
    """Merge the runs into the ledger: one entry per claim with its verdict at every seed."""
    by_chapter: dict[str, dict[str, dict]] = defaultdict(dict)
    for run in runs:
        by_chapter[run["chapter"]][run["seed"]] = run
    chapters = []
    for name in order:
        runs_here = by_chapter.get(name, {})
        keyed = {s: _keyed(r["records"]) for s, r in runs_here.items()}
        reference = list(keyed.get(DEFAULT, {}).keys())
        for s in seeds:  # claims that only some seeds reached, in first-seen order
            for k in keyed.get(s, {}):
                if k not in reference:
                    reference.append(k)
        claims = []
        for key in reference:
            kind, words, _ = key
            default = keyed.get(DEFAULT, {}).get(key)
            verdicts = {}
            for s in seeds:
                rec = keyed.get(s, {}).get(key)
                verdicts[s] = None if rec is None else rec["ok"]
            shown = default or next(keyed[s][key] for s in seeds if key in keyed.get(s, {}))
            missing = [
                s
                for s in seeds
                if verdicts[s] is None and kind != "pin" and not runs_here.get(s, {}).get("error")
            ]
            claims.append(
                {
                    "kind": kind,
                    "claim": words,
                    "value": shown["value"],
                    "expected": shown["expected"],
                    "rule": shown["rule"],
                    "verdicts": verdicts,
                    "held": sum(v is True for v in verdicts.values()),
                    "checked": sum(v is not None for v in verdicts.values()),
                    "failed_seeds": [s for s, v in verdicts.items() if v is False],
                    "missing_seeds": missing,
                    "details": {
                        s: f"{keyed[s][key]['value']} vs {keyed[s][key]['expected']}"
                        for s, v in verdicts.items()
                        if v is False
                    },
                }
            )
        chapters.append(
            {
                "chapter": name,
                "runs": {
                    s: {"wall_s": round(r["wall_s"], 1), "error": r["error"]}
                    for s, r in runs_here.items()
                },
                "claims": claims,
            }
        )
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seeds": seeds,
        "chapters": chapters,
    }


def summary(book: dict) -> tuple[str, float, list[str]]:
    """A Markdown table per chapter, the share of claim verdicts that held, and the problems."""
    lines = [
        "| chapter | claims | pins | held (claim × seed) | failed | wall time per run (s) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    problems: list[str] = []
    held = checked = 0
    for ch in book["chapters"]:
        claims = [c for c in ch["claims"] if c["kind"] != "pin"]
        pins = [c for c in ch["claims"] if c["kind"] == "pin"]
        h = sum(c["held"] for c in claims)
        n = sum(c["checked"] for c in claims) + sum(len(c["missing_seeds"]) for c in claims)
        held, checked = held + h, checked + n
        walls = ", ".join(f"{r['wall_s']:.0f}" for r in ch["runs"].values())
        lines.append(
            f"| {ch['chapter']} | {len(claims)} | {len(pins)} | {h}/{n} | {n - h} | {walls} |"
        )
        for s, r in ch["runs"].items():
            if r["error"]:
                problems.append(f"{ch['chapter']} (seed {s}) stopped: {r['error']}")
        for c in ch["claims"]:
            for s in c["failed_seeds"]:
                problems.append(f"{ch['chapter']} (seed {s}) ✗ {c['claim']} — {c['details'][s]}")
            if c["missing_seeds"]:
                problems.append(
                    f"{ch['chapter']}: claim not made at seeds {c['missing_seeds']} "
                    f"(its words change with the seed?) — {c['claim']}"
                )
    share = held / checked if checked else 0.0
    lines.append(f"| **all** | | | {held}/{checked} ({100 * share:.1f} %) | {checked - held} | |")
    return "\n".join(lines), share, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="chapters (default: all in _toc.yml)"
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=2,
        help="how many other seeds (1, 2, …) besides each chapter's default",
    )
    parser.add_argument("--first-seed", type=int, default=1, help="the first of the other seeds")
    parser.add_argument("--jobs", type=int, default=2, help="chapters executed at once")
    parser.add_argument(
        "--min-held",
        type=float,
        default=1.0,
        help="share of claim verdicts that must hold (default 1.0: all)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "claims" / "ledger.json")
    args = parser.parse_args(argv)
    if args.seeds < 0 or args.jobs < 1 or not 0 <= args.min_held <= 1:
        parser.error("--seeds ≥ 0, --jobs ≥ 1 and 0 ≤ --min-held ≤ 1")

    paths = [p.resolve() for p in args.notebooks] or toc_notebooks(ROOT)
    seeds = [DEFAULT] + [str(args.first_seed + i) for i in range(args.seeds)]
    tasks = [(str(p), s) for s in seeds for p in paths]
    threads = 1 if args.jobs > 1 else 0
    runs = []
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_chapter, p, s, threads): (p, s) for p, s in tasks}
        for i, fut in enumerate(as_completed(futures), 1):
            run = fut.result()
            runs.append(run)
            bad = sum(r["ok"] is False for r in run["records"])
            flag = "error" if run["error"] else (f"{bad} failed" if bad else "ok")
            print(
                f"[{i}/{len(tasks)}] {run['chapter']} seed {run['seed']}: "
                f"{len(run['records'])} checks, {flag}, {run['wall_s']:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    book = ledger(runs, seeds, [p.stem for p in paths])
    book["wall_s"] = round(time.perf_counter() - start, 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(book, indent=1, ensure_ascii=False) + "\n")

    text, share, problems = summary(book)
    print(f"Seed sweep: seeds {', '.join(seeds)} ({book['wall_s']:.0f} s)\n")
    print(text)
    if problems:
        print("\nProblems:")
        for p in problems:
            print(f"- {p}")
    errors = [p for p in problems if "stopped:" in p or "not made at seeds" in p]
    ok = share >= args.min_held and not errors and bool(book["chapters"])
    print(
        f"\n{'PASS' if ok else 'FAIL'}: {100 * share:.2f} % of claim verdicts held "
        f"(required {100 * args.min_held:.0f} %); ledger written to {args.output}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
