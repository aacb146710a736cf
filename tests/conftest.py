"""Test configuration: no network, a non-interactive plotting backend."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "offline"))

import guard  # noqa: E402

os.environ.setdefault("MPLBACKEND", "Agg")
# Every Jupyter kernel started by the tests (nbval, the determinism test) runs
# IPython's startup files from here, which install the same network guard.
os.environ["IPYTHONDIR"] = str(HERE / "offline" / "ipython")
guard.install()
