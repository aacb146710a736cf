"""Time ``synthbio.singlecell.impute_diffusion`` on a saved masked-count matrix (one run).

Runs in the main environment::

    .venv/bin/python benchmarks/magic/run_synthbio.py /work/magic_data/counts_50000x2000.npz \
        --out /work/magic_data/results/50000x2000_synthbio_1.npz

The masked counts go into an AnnData (counts in ``X``, or in ``layers["counts"]`` when
the function reads a ``layer=``). The timer covers the call to ``impute_diffusion`` only:
depth scaling, PCA, kNN graph, diffusion operator, ``t`` sparse-dense products and the
rescaling to each cell's depth all happen inside it. The imputed expected counts at the
hidden entries are saved with wall time, peak resident memory and the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import Timer, load_counts, save_result  # noqa: E402


def _import_synthbio(root: Path):
    """synthbio from ``root`` (the repository by default), plus what it imports lazily."""
    sys.path.insert(0, str(root))
    global synthbio, sc1
    import anndata  # noqa: F401
    import sklearn.neighbors  # noqa: F401  (imported inside the call; keep imports off the clock)
    import sklearn.utils.extmath  # noqa: F401

    import synthbio
    import synthbio.singlecell as sc1

    if "sc.pp." in inspect.getsource(sc1):  # the function runs scanpy: import it off the clock
        import scanpy  # noqa: F401

    return synthbio, sc1


#: Internal steps of impute_diffusion timed separately (those that exist in the version run).
STAGES = ["_counts", "_normalise", "_pca", "_neighbours", "diffusion_operator", "_smooth"]


def _time_stages(module) -> dict:
    """Wrap the module's internal steps so that each call adds its wall and CPU time."""
    import functools
    import time

    stages: dict = {}
    for name in STAGES:
        fn = getattr(module, name, None)
        if not callable(fn):
            raise AttributeError(f"synthbio.singlecell has no stage {name!r}: update STAGES")

        def timed(*a, _fn=fn, _name=name, **k):
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                return _fn(*a, **k)
            finally:
                st = stages.setdefault(_name, [0.0, 0.0])
                st[0] += time.perf_counter() - w0
                st[1] += time.process_time() - c0

        setattr(module, name, functools.wraps(fn)(timed))
    return stages


#: synthbio's defaults, written out (knn_max is fixed at 3 × knn = 15, as in MAGIC).
SETTINGS = {"t": 3, "knn": 5, "decay": 1.0, "n_pcs": 50}


def run(x: sp.csr_matrix, seed: int) -> tuple[tuple[object, str, dict], Timer]:
    """Call impute_diffusion with today's signature; return (result, key, kwargs) and the timer."""
    import anndata as ad

    params = inspect.signature(sc1.impute_diffusion).parameters
    kwargs: dict = dict(SETTINGS, rng=seed)
    if "layer" in params:
        adata = ad.AnnData(X=None, layers={"counts": x}, shape=x.shape)
        kwargs["layer"] = "counts"
    else:
        adata = ad.AnnData(X=x)
    key = "imputed"
    if "key_added" in params:
        kwargs["key_added"] = key
    if "copy" in params:
        kwargs["copy"] = False  # scanpy style: write into the object we pass
    stages = _time_stages(sc1)
    with Timer() as timer:
        out = sc1.impute_diffusion(adata, **kwargs)
    timer.stages = stages
    result = out if out is not None else adata
    shown = {k: v for k, v in kwargs.items() if k != "rng"}
    return (result, key, shown), timer


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--synthbio-root",
        type=Path,
        default=HERE.parents[1],
        help="directory holding the synthbio package (default: this repository)",
    )
    args = ap.parse_args(argv)

    _import_synthbio(args.synthbio_root)
    x, rows, cols, meta = load_counts(args.data)
    (result, key, kwargs), timer = run(x, args.seed)
    layer = result.layers[key]
    values = np.asarray(layer[rows, cols]).ravel()
    info = result.uns.get("imputation", result.uns.get(key, {}))
    record = timer.record()
    record["stage_times"] = {k: [round(w, 2), round(c, 2)] for k, (w, c) in timer.stages.items()}
    record.update(
        method="synthbio",
        variant="synthbio",
        size=f"{meta['cells']}x{meta['genes']}",
        settings=kwargs,
        signature=str(inspect.signature(sc1.impute_diffusion)),
        uns=str(info),
        version=getattr(synthbio, "__version__", "?"),
        synthbio_file=str(Path(sc1.__file__).resolve()),
        synthbio_sha256=hashlib.sha256(Path(sc1.__file__).read_bytes()).hexdigest()[:12],
        input="raw masked counts (AnnData); depth scaling inside the call",
    )
    save_result(args.out, values, record)


if __name__ == "__main__":
    main()
