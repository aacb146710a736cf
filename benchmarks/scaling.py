"""How the helpers that do real work scale with problem size.

Usage::

    python benchmarks/scaling.py                      # every benchmark
    python benchmarks/scaling.py draw telegraph_pmf   # some of them
    python benchmarks/scaling.py --output benchmarks/scaling.md

For each helper and size it records the wall time (best of a few runs for
fast calls) and the peak memory NumPy and Python allocated during the call
(tracemalloc), then fits the growth exponent b in time ∝ size^b on log-log
axes. A linear algorithm shows b ≈ 1; b near 2 flags a quadratic one.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from synthbio.stats import loglog_slope


@dataclass
class Bench:
    name: str
    what: str  # what the size counts
    sizes: list[int]
    make: Callable[[int], Callable[[], object]]  # size -> a call to time (setup excluded)
    repeat: int = 3


def _draw(size: int) -> Callable[[], object]:
    from synthbio import marbles

    return lambda: marbles.draw(marbles.JAR, 25, replicates=size, rng=0)


def _loss_probability(size: int) -> Callable[[], object]:
    from synthbio import collapse

    return lambda: collapse.loss_probability([1, 2, 5], size, 50)


def _telegraph_pmf(size: int) -> Callable[[], object]:
    from synthbio import telegraph

    n = np.arange(size)
    return lambda: telegraph.pmf(n, 1.0, 2.0, size / 4, 1.0)


def _nearest_neighbours(size: int) -> Callable[[], object]:
    from synthbio import stats

    points = np.random.default_rng(0).normal(size=(size, 10))
    return lambda: stats.nearest_neighbours(points, n_neighbors=15)


def _counts(n_cells: int):
    from synthbio import singlecell

    adata = singlecell.simulate_counts(n_cells, 2000, rng=0)
    del adata.layers["truth"]  # the simulator's λ; the imputers never read it
    return adata


def _impute_knn(size: int) -> Callable[[], object]:
    from synthbio import singlecell

    adata = _counts(size)
    return lambda: singlecell.impute_knn(adata)


def _impute_diffusion(size: int) -> Callable[[], object]:
    from synthbio import singlecell

    adata = _counts(size)
    return lambda: singlecell.impute_diffusion(adata)


BENCHES = [
    Bench("draw", "replicates of 25 draws", [10**3, 10**4, 10**5, 10**6], _draw),
    Bench(
        "loss_probability",
        "jar size (Wright-Fisher states), 50 generations",
        [100, 300, 1000],
        _loss_probability,
    ),
    Bench(
        "telegraph_pmf",
        "counts evaluated (mean count = size / 4)",
        [1000, 3000, 10_000],
        _telegraph_pmf,
    ),
    Bench(
        "nearest_neighbours",
        "points in 10-D, 15 neighbours each",
        [10**3, 10**4, 10**5],
        _nearest_neighbours,
        repeat=1,
    ),
    Bench("impute_knn", "cells × 2000 genes", [10_000, 50_000, 100_000], _impute_knn, repeat=1),
    Bench(
        "impute_diffusion",
        "cells × 2000 genes",
        [10_000, 50_000, 100_000],
        _impute_diffusion,
        repeat=1,
    ),
]


def measure(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time over ``repeat`` runs, and the peak traced memory of one run (MB)."""
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t)
    return best, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--output", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHES if not args.names or b.name in args.names]
    unknown = set(args.names) - {b.name for b in BENCHES}
    if unknown:
        parser.error(
            f"unknown benchmarks {sorted(unknown)}; choose from {[b.name for b in BENCHES]}"
        )
    lines = ["# Scaling of synthbio's helpers", ""]
    total = sum(len(b.sizes) for b in chosen)
    with tqdm(total=total, desc="scaling", unit="size", file=sys.stderr) as bar:
        for bench in chosen:
            rows = []
            for size in bench.sizes:
                bar.set_postfix_str(f"{bench.name} {size:,}")
                try:
                    call = bench.make(size)
                except ImportError as exc:  # an optional dependency is missing
                    rows = None
                    lines += [f"## {bench.name}", "", f"not measured: {exc}", ""]
                    bar.update(len(bench.sizes))
                    break
                wall, peak = measure(call, bench.repeat)
                rows.append((size, wall, peak))
                bar.update(1)
            if not rows:
                continue
            sizes, walls, peaks = (np.array(c, dtype=float) for c in zip(*rows))
            slope = (
                loglog_slope(sizes, np.maximum(walls, 1e-6))[0] if len(rows) >= 3 else float("nan")
            )
            mslope = (
                loglog_slope(sizes, np.maximum(peaks, 1e-3))[0] if len(rows) >= 3 else float("nan")
            )
            lines += [
                f"## {bench.name}",
                "",
                f"size = {bench.what}",
                "",
                "| size | wall time (s) | peak memory (MB) |",
                "| ---: | ---: | ---: |",
            ]
            lines += [f"| {int(s):,} | {w:.3f} | {p:.1f} |" for s, w, p in rows]
            lines += ["", f"Growth: time ∝ size^{slope:.2f}, memory ∝ size^{mslope:.2f}.", ""]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
