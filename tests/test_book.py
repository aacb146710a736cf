"""The book's house rules: table of contents, stored notebooks, environments, CI."""

from __future__ import annotations

import platform
import re
from pathlib import Path

import nbformat
import pytest
import tomllib
import yaml

import synthbio
from synthbio._book import toc_files, toc_notebooks

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CLAIM_CALL = re.compile(r"\bcheck(?:_mc|_proportion|_less|_greater|_between|_true)?\(")
DOWNLOAD = re.compile(
    r"urlretrieve|requests\.get|urlopen|pooch\.|fetch_openml|fetch_20newsgroups|"
    r"datasets\.(?:pbmc3k|paul15|moignard15|burczynski06|ebi_expression_atlas|pbmc3k_processed)\("
)


def notebooks() -> list[Path]:
    return sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def requirement_name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower()


def test_toc_entries_exist():
    for entry in toc_files(ROOT):
        candidates = [ROOT / f"{entry}{ext}" for ext in (".md", ".ipynb")]
        assert any(c.exists() for c in candidates), f"_toc.yml names {entry}, which does not exist"


def test_every_notebook_is_in_toc_and_back():
    in_toc = {e for e in toc_files(ROOT) if (ROOT / f"{e}.ipynb").exists()}
    on_disk = {str(p.relative_to(ROOT).with_suffix("")) for p in notebooks()}
    assert on_disk == in_toc, (
        f"notebooks missing from _toc.yml: {sorted(on_disk - in_toc)}; "
        f"_toc.yml entries without a notebook: {sorted(in_toc - on_disk)}"
    )
    assert on_disk, "the book has no notebooks"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_notebook_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_chapter_anatomy(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert CLAIM_CALL.search(code), f"{path.name} has no claim check"
    assert "default_rng(" in code and "use_style()" in code, (
        "setup must seed an rng and use the style"
    )
    assert re.search(r"^SEED = synthbio\.seed\(\d+\)", code, flags=re.M), (
        f"{path.name}: SEED must come from synthbio.seed(<default>) so the seed sweep can vary it"
    )
    for heading in ("## Exercises", "## Takeaways", "## References"):
        assert heading in text, f"{path.name} lacks a '{heading}' section"
    assert "{solution}" in text and ":class: dropdown" in text, "solutions must be hidden"
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and ":list: bullet" in last.source, (
        "the last cell must be the chapter's bullet-list bibliography"
    )
    assert "{cite" in text, f"{path.name} cites nothing"


def locked(path: Path) -> dict[str, str]:
    """Package name -> exact version in a lock file."""
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\;]+)", path.read_text(), flags=re.M)
    return {canonical(n): v for n, v in pins}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_locks_environment_and_pyproject_agree():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = locked(ROOT / "requirements" / "lock.txt")
    binder = locked(ROOT / "requirements" / "binder.txt")
    everything = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    for text in everything:  # every requirement is locked, at a version it allows
        req = Requirement(text)
        name = canonical(req.name)
        assert name in lock, f"{req.name} is not in requirements/lock.txt: run `make lock`"
        assert req.specifier.contains(lock[name], prereleases=True), (
            f"lock has {req.name}=={lock[name]}, outside pyproject's {req.specifier}"
        )
    for text in project["dependencies"]:  # Binder gets every runtime dependency
        assert canonical(Requirement(text).name) in binder, f"{text} missing from binder.txt"
    differ = {n: (v, lock.get(n)) for n, v in binder.items() if lock.get(n) != v}
    assert not differ, f"binder.txt and lock.txt pin different versions: {differ}"
    for path in ("lock.txt", "binder.txt"):
        text = (ROOT / "requirements" / path).read_text()
        assert re.match(r"# Locked on \d{4}-\d{2}-\d{2}\.", text), f"{path} has no lock date"
        blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", text, flags=re.M)[1:]
        unhashed = [b.split()[0] for b in blocks if "--hash=sha256:" not in b]
        assert blocks and not unhashed, f"{path}: pins without hashes: {unhashed}"
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(conda) == ["pip", f"python={platform.python_version()}"], (
        f"conda installs only pip and the Python release the book is tested with: {conda}"
    )
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["-r requirements/binder.txt"], pip
    assert "pip install --no-deps -e ." in (ROOT / "postBuild").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "-r $(LOCK)" in makefile and "--require-hashes -r $(LOCK)" in makefile


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\s*$", ci, flags=re.M), ".ci/run must call `make test`"


def test_nothing_downloads_at_run_time():
    hits = []
    for path in [*BOOK.rglob("*.ipynb"), *(ROOT / "synthbio").rglob("*.py")]:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if DOWNLOAD.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not hits, "run-time downloads found:\n" + "\n".join(hits)


def test_config_has_the_books_features():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["execute"]["execute_notebooks"] in {"cache", "force"}
    assert cfg["execute"]["timeout"] > 0
    assert cfg["launch_buttons"]["binderhub_url"].startswith("https://")
    assert cfg["launch_buttons"]["thebe"] is True
    ext = cfg["sphinx"]["extra_extensions"]
    assert {"sphinx_exercise", "sphinx.ext.autodoc", "sphinx.ext.napoleon"} <= set(ext)
    assert {"dollarmath", "colon_fence", "deflist"} <= set(cfg["parse"]["myst_enable_extensions"])
    for bib in cfg["bibtex_bibfiles"]:
        assert (ROOT / bib).exists()


# The first cell of every chapter: on Colab (or wherever synthbio is missing) it installs
# synthbio from the repository; tagged remove-cell, so the site does not show it.
INSTALL_CELL = '''# On Colab, or anywhere synthbio is not installed yet, this installs it first.
try:
    import synthbio
except ImportError:
    %pip install --quiet "synthbio @ git+https://github.com/synthbio-book/synthbio"'''


def chapters() -> list[Path]:
    return toc_notebooks(ROOT)


@pytest.mark.parametrize("path", chapters(), ids=lambda p: p.name)
def test_chapter_starts_with_the_install_cell(path):
    """The Colab button works only if the notebook installs synthbio before using it."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "code" and first.source.strip() == INSTALL_CELL, (
        f"{path.name}: the first cell must be exactly the install cell (tests/test_book.py)"
    )
    assert "remove-cell" in first.metadata.get("tags", []), (
        f"{path.name}: tag the install cell remove-cell so the site does not show it"
    )
    others = [i for i, c in enumerate(nb.cells[1:], 1) if "git+https://" in c.source]
    assert not others, f"{path.name}: cells {others} install packages again"
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert f"git+{repo.rstrip('/')}" in INSTALL_CELL, "the install cell names another repository"


def test_config_offers_colab_and_numbered_figures():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert "github.com/" in cfg["repository"]["url"], "Colab opens notebooks from GitHub only"
    sphinx = cfg["sphinx"]["config"]
    assert sphinx["nitpicky"] is True, "an unresolved cross-reference must fail the strict build"
    assert sphinx["numfig"] is True and sphinx["numfig_secnum_depth"] == 1
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbered = [p["caption"] for p in toc["parts"] if p.get("numbered")]
    with_chapters = [
        p["caption"]
        for p in toc["parts"]
        if any((ROOT / f"{c['file']}.ipynb").exists() for c in p["chapters"])
    ]
    assert numbered == with_chapters, "every part with chapters is numbered (Figure 3.2)"


def test_intro_states_the_error_bar_convention():
    intro = (BOOK / "intro.md").read_text()
    assert "±2 standard errors unless the caption says otherwise" in " ".join(intro.split())


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_figures_have_at_most_two_panels_per_row(path):
    """Three plots abreast are unreadable on a phone; image thumbnails may sit three abreast."""
    nb = nbformat.read(path, as_version=4)
    wide = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "imshow" in cell.source:
            continue
        for m in re.finditer(r"subplots\(\s*(\d+)\s*,\s*(\d+)|ncols\s*=\s*(\d+)", cell.source):
            cols = int(m.group(2) or m.group(3))
            if cols > 2:
                wide.append(f"cell {i}: {m.group(0)}")
    assert not wide, f"{path.name}: figures with more than two panels per row: {wide}"


@pytest.mark.parametrize("module", [m for m in synthbio.SUBMODULES if m != "marbles"])
def test_modules_import_without_heavy_libraries(module):
    """`import synthbio.<module>` stays fast: scanpy, scikit-learn, anndata and JAX load
    inside the functions that need them (marbles uses scipy.stats' hypergeometric at once)."""
    import subprocess
    import sys

    heavy = ("scanpy", "sklearn", "anndata", "jax", "scipy.stats")
    code = f"import sys, synthbio.{module}; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"synthbio.{module} imports {out.stdout.strip()}"
