"""What Binder would do with this repository, done here without Binder.

mybinder.org builds a conda environment from environment.yml (Python from
conda-forge, then its ``pip:`` section, which installs the locked
requirements/binder.txt), runs postBuild, and opens a notebook in a python3
kernel. We cannot reach Binder from CI, so the slow test below repeats those
steps with pip in a fresh virtual environment, on a clean copy of the
repository's tracked files, and executes the first chapter there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "book/marbles.ipynb"
# Code that reads files, or anything that looks like a path outside the repository.
OUTSIDE = re.compile(
    r"\bopen\(|read_csv\(|read_h5ad\(|np\.load\(|loadtxt\(|Path\.home|expanduser|"
    r"['\"](?:/[\w.-]+/|~/|[A-Za-z]:\\)|https?://"
)


def notebooks() -> list[Path]:
    return sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_notebook_needs_nothing_outside_the_repository(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    # The first cell installs synthbio from its repository on Colab, and only when it is not
    # importable (tests/test_book.py holds its exact text); Binder and local runs skip it.
    hits = [
        line.strip()
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and not (i == 0 and "remove-cell" in c.metadata.get("tags", []))
        for line in c.source.splitlines()
        if OUTSIDE.search(line)
    ]
    assert not hits, f"{path.name} reads files or paths outside the repository: {hits}"


def tracked_copy(dest: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for rel in files.stdout.splitlines():
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def test_binder_environment_runs_a_chapter(tmp_path):
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    python = next(d for d in deps if d.startswith("python"))
    assert python.split("=")[-1].startswith("3."), "environment.yml must pin a Python 3 version"
    # conda hands the pip: section to pip as a requirements file beside environment.yml
    requirements = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert requirements, "environment.yml's pip section lists no packages"

    repo = tracked_copy(tmp_path / "repo")
    assert (repo / "postBuild").exists() and (repo / CHAPTER).exists()
    envdir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(envdir)
    bindir = envdir / "bin"
    run_env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(envdir),
    }
    run_env.pop("PYTHONPATH", None)

    def run(*cmd: str, cwd: Path = repo) -> subprocess.CompletedProcess:
        out = subprocess.run(
            cmd, cwd=cwd, env=run_env, capture_output=True, text=True, timeout=1200
        )
        assert out.returncode == 0, (
            f"{' '.join(cmd)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
        )
        return out

    # 1. the environment (nbclient stands in for the Jupyter server Binder's base image provides)
    (repo / "binder-pip.txt").write_text("\n".join(requirements) + "\n")
    run(str(bindir / "python"), "-m", "pip", "install", "--quiet", "-r", "binder-pip.txt")
    run(str(bindir / "python"), "-m", "pip", "install", "--quiet", "nbclient", "nbformat")
    # 2. postBuild, as Binder runs it: from the repository root, with the environment first on PATH
    run("bash", "postBuild")
    # 3. synthbio comes from the copy, not from the developer's checkout
    where = run(
        str(bindir / "python"), "-c", "import synthbio; print(synthbio.__file__)", cwd=tmp_path
    )
    assert str(repo) in where.stdout, f"synthbio imported from {where.stdout.strip()}"
    # 4. the chapter executes top to bottom in a python3 kernel of that environment
    script = (
        "import nbformat, nbclient, sys; "
        f"nb = nbformat.read('{CHAPTER}', as_version=4); "
        "nbclient.NotebookClient(nb, timeout=600, kernel_name='python3', "
        "resources={'metadata': {'path': 'book'}}).execute(); "
        "outs = [o.get('text', '') for c in nb.cells if c.cell_type == 'code' for o in c.outputs]; "
        "print(sum(t.count('✓') for t in outs))"
    )
    done = run(str(bindir / "python"), "-c", script)
    n_checks = int(done.stdout.strip().splitlines()[-1])
    assert n_checks >= 10, f"only {n_checks} claim checks passed on the Binder-like environment"


def test_python_of_this_run_is_supported():
    assert sys.version_info >= (3, 10)
