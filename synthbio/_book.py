"""The book's table of contents, read by the seed sweep, the benchmarks and the tests."""

from __future__ import annotations

from pathlib import Path


def toc_files(root: Path) -> list[str]:
    """Every page named in ``root/_toc.yml`` (the root page first), in reading order."""
    import yaml  # a test and docs dependency, imported only when the book is read

    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    found = [str(toc["root"])]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return found


def toc_notebooks(root: Path) -> list[Path]:
    """The chapters: pages of ``_toc.yml`` that are notebooks, in reading order."""
    return [
        Path(root) / f"{f}.ipynb" for f in toc_files(root) if (Path(root) / f"{f}.ipynb").exists()
    ]
