"""synthbio: the helper package behind the book *Synthetic data in biology and ML*.

Each chapter of the book has one module here (``synthbio.marbles`` for the
marble jar, ...). Modules are imported lazily, so ``import synthbio`` stays
fast and pulls in neither scanpy nor scikit-learn until a chapter needs them.

>>> import synthbio
>>> from synthbio import marbles
>>> marbles.prob_at_least_one(marbles.JAR, 25, "yellow")
0.025...
"""

from __future__ import annotations

import importlib
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
    "simulate",
    "dimensions",
    "physics",
    "collapse",
    "singlecell",
    "audit",
)

__all__ = ["__version__", *SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'synthbio' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
