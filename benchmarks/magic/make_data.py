"""Simulate counts, hide a share of the non-zero entries, and save what both methods need.

Runs in the main environment (it uses synthbio's simulator and masking helper)::

    .venv/bin/python benchmarks/magic/make_data.py --cells 50000 --genes 2000

Writes ``<data-dir>/counts_<cells>x<genes>.npz`` with

* the masked counts as CSR arrays (``data``, ``indices``, ``indptr``, ``shape``);
* the hidden entries: ``rows``, ``cols``, ``values`` (the counts that were hidden) and
  ``expected`` (the simulator's true expression λ at those entries);
* ``meta`` (a JSON string: settings, seed, synthbio version).

The data directory lies outside the repository (default ``/work/magic_data``).
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import synthbio.singlecell as sc1  # noqa: E402

DATA_DIR = Path("/work/magic_data")


def data_path(data_dir: Path, cells: int, genes: int) -> Path:
    return data_dir / f"counts_{cells}x{genes}.npz"


def _mask(adata, fraction: float, seed: int):
    """Call synthbio's masking helper with whatever signature it has today."""
    params = inspect.signature(sc1.mask_counts).parameters
    kwargs = {"rng": seed}
    if "layer" in params:  # scanpy-style API: counts read from a layer (None means X)
        kwargs["layer"] = None
    masked, hidden = sc1.mask_counts(adata, fraction, **kwargs)
    return masked, hidden


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cells", type=int, default=50_000)
    ap.add_argument("--genes", type=int, default=2_000)
    ap.add_argument("--types", type=int, default=8, help="cell types in the simulation")
    ap.add_argument("--modules", type=int, default=20, help="co-expression modules")
    ap.add_argument("--fraction", type=float, default=0.1, help="share of non-zeros hidden")
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    sim = sc1.simulate_counts(
        args.cells,
        args.genes,
        n_types=args.types,
        modules=args.modules,
        rng=args.seed,
    )
    t_sim = time.perf_counter() - t0
    masked, hidden = _mask(sim, args.fraction, args.seed + 1)
    x = masked.X if masked.X is not None else masked.layers["counts"]
    x = sp.csr_matrix(x, dtype=np.float32)
    truth = np.asarray(sim.layers["truth"])
    expected = truth[hidden.rows, hidden.cols].astype(np.float64)
    del truth, sim
    depth = np.asarray(x.sum(axis=1)).ravel()
    meta = {
        "cells": args.cells,
        "genes": args.genes,
        "types": args.types,
        "modules": args.modules,
        "fraction": args.fraction,
        "seed": args.seed,
        "hidden": int(hidden.rows.size),
        "nnz_after_mask": int(x.nnz),
        "density_after_mask": x.nnz / (x.shape[0] * x.shape[1]),
        "median_depth_after_mask": float(np.median(depth)),
        "simulate_seconds": round(t_sim, 2),
        "simulator": "synthbio.singlecell.simulate_counts (gamma-Poisson, defaults otherwise)",
        "mask": "synthbio.singlecell.mask_counts",
    }
    args.data_dir.mkdir(parents=True, exist_ok=True)
    out = data_path(args.data_dir, args.cells, args.genes)
    np.savez(
        out,
        data=x.data,
        indices=x.indices,
        indptr=x.indptr,
        shape=np.array(x.shape),
        rows=hidden.rows.astype(np.int64),
        cols=hidden.cols.astype(np.int64),
        values=np.asarray(hidden.values, dtype=np.float64),
        expected=expected,
        meta=json.dumps(meta),
    )
    print(f"wrote {out}: {json.dumps(meta)}")


if __name__ == "__main__":
    main()
