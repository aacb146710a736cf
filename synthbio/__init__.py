"""synthbio: the helper package behind the book *Synthetic data in biology and ML*.

Each module holds one idea (``synthbio.marbles`` for the marble jar,
``synthbio.pendulum`` for the pendulum and its closed forms, ...). Modules are
imported lazily, so ``import synthbio`` stays fast and pulls in neither scanpy
nor scikit-learn until a chapter needs them.

>>> import synthbio
>>> from synthbio import marbles
>>> round(marbles.prob_at_least_one(marbles.JAR, 25, "yellow"), 12)
0.025
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__version__ = "0.1.0"

#: The topic modules; each is imported on first attribute access.
SUBMODULES = (
    "claims",
    "plotting",
    "stats",
    "marbles",
    "scaling",
    "augment",
    "pendulum",
    "games",
    "telegraph",
    "dimensions",
    "physics",
    "collapse",
    "missing",
    "singlecell",
    "audit",
)

__all__ = ["__version__", "seed", *SUBMODULES]


def seed(default: int) -> int:
    """The chapter's seed: ``SYNTHBIO_SEED`` from the environment if set, else ``default``.

    Every chapter starts with ``SEED = synthbio.seed(<its default>)`` and draws
    all its randomness from ``SEED``, so the seed sweep (``make seeds``) can
    re-run it under other seeds and check that its claims still hold.

    >>> seed(20240501)  # with SYNTHBIO_SEED unset
    20240501
    """
    if isinstance(default, bool) or not isinstance(default, int) or default < 0:
        raise TypeError(f"default must be a non-negative int, got {default!r}")
    text = os.environ.get("SYNTHBIO_SEED", "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"SYNTHBIO_SEED must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise ValueError(f"SYNTHBIO_SEED must be a non-negative integer, got {text!r}")
    return value


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'synthbio' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
