"""Time magic-impute's ``magic.MAGIC`` on a saved masked-count matrix (one run).

Runs in the side environment (magic-impute needs numpy < 2)::

    /work/venv-magic/bin/python benchmarks/magic/run_magic.py \
        /work/magic_data/counts_50000x2000.npz --variant matched \
        --out /work/magic_data/results/50000x2000_magic-matched_1.npz

Variants (the timer covers normalisation, ``MAGIC.fit_transform`` and the rescaling):

``matched``
    The same input and the same graph definition as synthbio's defaults. Counts are
    scaled to the median depth (exactly synthbio's normalisation) and given to MAGIC as a
    sparse matrix; ``MAGIC(knn=4, knn_max=14, decay=1, t=3, n_pca=50, solver="exact",
    n_jobs=-1)``. graphtools counts the cell itself on top of ``knn`` and ``knn_max``,
    so this is synthbio's ``knn=5, knn_max=15`` (bandwidth at the 5th nearest cell,
    itself first; 15 cells listed). ``n_jobs=-1`` lets the neighbour search use both
    cores, as synthbio's threads do. The imputed values are multiplied by
    ``depth / median depth`` (synthbio does the same inside its function).
``default``
    MAGIC as its tutorial runs it: ``scprep.normalize.library_size_normalize``
    (to the median library size) then ``scprep.transform.sqrt``, then ``MAGIC()`` with
    every default (``knn=5, knn_max=15, decay=1, t=3, n_pca=100, solver="exact",
    n_jobs=1``). To put the result on the counts scale it is squared and multiplied by
    ``depth / median depth``.

Differences that remain in ``matched``: graphtools builds the neighbour graph from a
truncated SVD of the sparse scaled counts (no centring, no log), synthbio from a PCA of
their ``log1p``; graphtools drops kernel values below 1e-4 (none of the 15 listed
neighbours is that far with decay 1 and the bandwidth at the 5th); the kernel, its
symmetrisation ``(K + Kᵀ)/2``, the row normalisation and ``t`` are the same.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import Timer, depth_scale, load_counts, save_result  # noqa: E402

VARIANTS = {
    "matched": {
        "knn": 4,
        "knn_max": 14,
        "decay": 1,
        "t": 3,
        "n_pca": 50,
        "solver": "exact",
        "n_jobs": -1,
    },
    "default": {},
}


def impute(x: sp.csr_matrix, variant: str, seed: int) -> np.ndarray:
    """MAGIC's imputed values on the counts scale (cells × genes, dense)."""
    import magic
    import scprep

    op = magic.MAGIC(**VARIANTS[variant], random_state=seed, verbose=1)
    if variant == "matched":
        norm, depth, target = depth_scale(x)
        out = np.asarray(op.fit_transform(norm.astype(np.float32)))
    else:
        depth = np.asarray(x.sum(axis=1), dtype=np.float64).ravel()
        target = float(np.median(depth))
        norm = scprep.normalize.library_size_normalize(x, rescale="median")
        out = np.asarray(op.fit_transform(scprep.transform.sqrt(norm)))
        out = out * out
    out *= (depth / target)[:, None]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import graphtools  # noqa: F401  (imports off the clock, as for synthbio)
    import magic  # noqa: F401
    import scprep  # noqa: F401

    x, rows, cols, meta = load_counts(args.data)
    with Timer() as timer:
        out = impute(x, args.variant, args.seed)
    values = out[rows, cols]
    settings = dict(magic.MAGIC(**VARIANTS[args.variant]).get_params())
    settings.pop("verbose", None)
    settings.pop("random_state", None)
    record = timer.record()
    record.update(
        method="magic",
        variant=f"magic-{args.variant}",
        size=f"{meta['cells']}x{meta['genes']}",
        settings=settings,
        version=version("magic-impute"),
        versions={
            p: version(p)
            for p in ("magic-impute", "graphtools", "scprep", "numpy", "scipy", "scikit-learn")
        },
        input=(
            "median-depth-scaled counts, sparse"
            if args.variant == "matched"
            else "scprep library_size_normalize(median) + sqrt; output squared"
        ),
    )
    save_result(args.out, values, record)


if __name__ == "__main__":
    main()
