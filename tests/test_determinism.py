"""Re-running a chapter gives the same text, number for number.

Chapters draw every random number from explicit seeds, so two executions in
fresh kernels must print identical text outputs (tables, claim checks,
numbers). Figures are not compared byte for byte (renderers embed metadata),
but the text around them is. A sample of chapters keeps the suite fast.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ["book/marbles.ipynb", "book/model_collapse.ipynb", "book/generated_cells.ipynb"]
# Wall-clock timings are the one legitimate difference between runs.
TIMING = re.compile(r"\d+(\.\d+)?\s*(ms|s|sec|seconds)\b")


def text_outputs(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    texts = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        # stream chunks depend on flush timing: compare each cell's whole stream text
        stream = "".join(out.text for out in cell.outputs if out.output_type == "stream")
        if stream:
            texts.append(f"[{i}] {stream}")
        for out in cell.outputs:
            if "data" in out:
                for mime in ("text/plain", "text/html", "text/markdown"):
                    if mime in out.data:
                        texts.append(f"[{i}] {mime}: {out.data[mime]}")
    return [TIMING.sub("<time>", t) for t in texts]


@pytest.mark.parametrize("notebook", SAMPLE)
def test_two_runs_print_the_same(notebook):
    path = ROOT / notebook
    first, second = text_outputs(path), text_outputs(path)
    assert len(first) > 5, "the chapter printed almost nothing; is it executing?"
    diffs = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second) and not diffs, f"outputs differ between runs: {diffs[:3]}"
