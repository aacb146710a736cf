"""Helpers shared by the two workers (plain NumPy/SciPy/psutil: runs in either environment)."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp


def load_counts(path: Path) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, dict]:
    """The masked counts (CSR float32), the hidden rows and columns, and the data's metadata."""
    with np.load(path) as f:
        x = sp.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"]))
        rows, cols = f["rows"], f["cols"]
        meta = json.loads(str(f["meta"]))
    return x, rows, cols, meta


def depth_scale(x: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray, float]:
    """Counts scaled to the median depth (the normalisation synthbio applies internally)."""
    depth = np.asarray(x.sum(axis=1), dtype=np.float64).ravel()
    target = float(np.median(depth))
    norm = sp.csr_matrix(sp.diags(target / depth) @ x.astype(np.float64))
    return norm, depth, target


def rss_bytes() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def peak_rss_bytes() -> int:
    """High-water mark of this process's resident memory (Linux reports KiB)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


class Timer:
    """Wall and CPU time of a block (all threads), with the load average and memory around it."""

    def __enter__(self) -> Timer:
        self.uptime_before = uptime()
        self.load_before = os.getloadavg()
        self.rss_before = rss_bytes()
        self.cpu0 = time.process_time()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.cpu0
        self.load_after = os.getloadavg()
        self.uptime_after = uptime()
        self.peak = peak_rss_bytes()

    def record(self) -> dict:
        return {
            "wall_s": self.wall,
            "cpu_s": self.cpu,
            "peak_rss_bytes": self.peak,
            "rss_before_bytes": self.rss_before,
            "load1_before": self.load_before[0],
            "load1_after": self.load_after[0],
            "uptime_before": self.uptime_before,
            "uptime_after": self.uptime_after,
        }


def save_result(path: Path, values: np.ndarray, record: dict) -> None:
    """Imputed values (counts scale) at the hidden entries, and the run's record as JSON."""
    record = dict(
        record, python=platform.python_version(), numpy=np.__version__, cpu_count=os.cpu_count()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, values=np.asarray(values, dtype=np.float64), record=json.dumps(record))
    cpu = record.get("cpu_s", float("nan"))
    peak = record["peak_rss_bytes"] / 2**30
    print(
        f"{path.name}: wall {record['wall_s']:.1f} s, cpu {cpu:.1f} s, peak {peak:.2f} GiB, "
        f"load {record['load1_before']:.2f} -> {record['load1_after']:.2f}"
    )
