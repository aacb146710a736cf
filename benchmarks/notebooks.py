"""Execute every chapter in a fresh kernel and report wall time and peak memory.

Usage (from the repository root, with the project's environment)::

    python benchmarks/notebooks.py                 # every notebook in _toc.yml
    python benchmarks/notebooks.py book/marbles.ipynb
    python benchmarks/notebooks.py --output benchmarks/results.md

Peak memory is the largest resident set size of the kernel process and all
its children, sampled every 20 ms. The script prints a Markdown table and
exits with status 1 when a notebook breaks the book's budgets (see
``CONTRIBUTING.md``: ≤ 60 s and ≤ 1.5 GB per notebook, a median ≤ 20 s, ≤ 5 min
for all of them, ``import synthbio`` ≤ 0.5 s).
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import psutil
from jupyter_client import KernelManager
from nbclient import NotebookClient
from tqdm import tqdm

from synthbio._book import toc_notebooks

ROOT = Path(__file__).resolve().parents[1]
BUDGET_WALL_S = 60.0
BUDGET_RSS_MB = 1536.0
BUDGET_TOTAL_S = 300.0
BUDGET_MEDIAN_S = 20.0
BUDGET_IMPORT_S = 0.5


@dataclass
class Row:
    notebook: str
    wall_s: float
    peak_mb: float
    cells: int

    @property
    def ok(self) -> bool:
        return self.wall_s <= BUDGET_WALL_S and self.peak_mb <= BUDGET_RSS_MB


class _PeakRSS(threading.Thread):
    """Samples the summed RSS of a process tree until stopped."""

    def __init__(self, km: KernelManager, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.km, self.interval = km, interval
        self.peak = 0
        self._halt = threading.Event()

    def _pid(self) -> int | None:
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None) if prov is not None else None
        return getattr(proc, "pid", None)

    def run(self) -> None:
        while not self._halt.is_set():
            pid = self._pid()
            if pid is not None:
                try:
                    root = psutil.Process(pid)
                    procs = [root, *root.children(recursive=True)]
                    total = 0
                    for p in procs:
                        try:
                            total += p.memory_info().rss
                        except psutil.Error:
                            pass
                    self.peak = max(self.peak, total)
                except psutil.Error:
                    pass
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def run_notebook(path: Path, timeout: int = 600) -> Row:
    """Execute one notebook in a fresh ``python3`` kernel; return its benchmark row."""
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name="python3")
    client = NotebookClient(
        nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}
    )
    monitor = _PeakRSS(km)
    monitor.start()
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        wall = time.perf_counter() - start
        peak = monitor.stop()
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    return Row(str(path.relative_to(ROOT)), wall, peak / 2**20, cells)


def import_time() -> float:
    """Seconds for ``import synthbio`` in a fresh interpreter (best of three)."""
    code = "import time; t = time.perf_counter(); import synthbio; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
        )
        for _ in range(3)
    ]
    return min(runs)


def machine() -> str:
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {psutil.cpu_count()} cores, "
        f"{mem:.0f} GiB RAM, Python {platform.python_version()}"
    )


def table(rows: list[Row], imp: float) -> str:
    lines = [
        f"Machine: {machine()}  ",
        f"Budgets: ≤ {BUDGET_WALL_S:.0f} s and ≤ {BUDGET_RSS_MB:.0f} MB per notebook, "
        f"median ≤ {BUDGET_MEDIAN_S:.0f} s, ≤ {BUDGET_TOTAL_S:.0f} s in all, "
        f"`import synthbio` ≤ {BUDGET_IMPORT_S} s.",
        "",
        "| notebook | code cells | wall time (s) | peak memory (MB) | within budget |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.notebook} | {r.cells} | {r.wall_s:.1f} | {r.peak_mb:.0f} | "
            f"{'yes' if r.ok else '**no**'} |"
        )
    total = sum(r.wall_s for r in rows)
    lines.append(
        f"| **all** | {sum(r.cells for r in rows)} | {total:.1f} | "
        f"{max((r.peak_mb for r in rows), default=0):.0f} (max) | "
        f"{'yes' if total <= BUDGET_TOTAL_S else '**no**'} |"
    )
    median = float(np.median([r.wall_s for r in rows])) if rows else 0.0
    lines.append(
        f"| median | | {median:.1f} | | {'yes' if median <= BUDGET_MEDIAN_S else '**no**'} |"
    )
    lines += [
        "",
        f"`import synthbio`: {imp * 1000:.0f} ms "
        f"({'within' if imp <= BUDGET_IMPORT_S else '**over**'} budget)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help="notebooks to run (default: every notebook in _toc.yml)",
    )
    parser.add_argument("--output", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks(ROOT)
    rows = []
    with tqdm(paths, desc="notebooks", unit="nb", file=sys.stderr) as bar:
        for path in bar:
            bar.set_postfix_str(path.name)
            rows.append(run_notebook(path))
    imp = import_time()
    text = table(rows, imp)
    print(text)
    if args.output:
        args.output.write_text("# Benchmark results\n\n" + text + "\n")
    total = sum(r.wall_s for r in rows)
    median = float(np.median([r.wall_s for r in rows])) if rows else 0.0
    whole_book = len(rows) == len(toc_notebooks(ROOT))
    ok = (
        all(r.ok for r in rows)
        and imp <= BUDGET_IMPORT_S
        and (not whole_book or (total <= BUDGET_TOTAL_S and median <= BUDGET_MEDIAN_S))
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
