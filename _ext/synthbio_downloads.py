"""Offer each chapter's executed notebook, with its outputs, for download.

The theme's download menu offers the page's source, which for a chapter is the
notebook as stored: code and prose without outputs. The build executes each chapter
through jupyter-cache (``execute_notebooks: cache``); this extension takes the chapter's
outputs from that cache, merges them into the stored notebook and writes the result into
the site as ``_notebooks/<page>.ipynb``, then adds an entry for it at the top of the
download menu of the chapter's page; the stored notebook stays in the menu, labelled as
the one without outputs. (MyST-NB's own copy in ``_build/jupyter_execute`` cannot be
used: when a notebook comes from the cache rather than a fresh run, MyST-NB 1.x writes
it there without its outputs.)
``static/synthbio_downloads.js`` marks the links as downloads, so a browser saves
the file rather than showing its JSON.

The PDF of the whole book: ``make pdf`` builds ``_build/latex/synthbio.pdf``. When it
exists, the HTML build copies it into the site as ``synthbio.pdf`` and the
``{book-pdf}`` directive (used on the intro) links it with its size; without it the
directive says how to make one, so the site never links a missing file.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.util.docutils import SphinxDirective

FOLDER = "_notebooks"
LABEL = "download-executed-notebook-button"


def _executed(app: Any, pagename: str) -> Any:
    """The chapter's stored notebook with the outputs of its cached execution, or None."""
    import nbformat
    from jupyter_cache import get_cache

    # MyST-NB settles the cache's path (by default _build/.jupyter_cache) when the build starts
    path = Path(
        getattr(app.env.mystnb_config, "execution_cache_path", "")
        or Path(app.outdir).parent / ".jupyter_cache"
    )
    if not path.is_dir():
        return None
    notebook = nbformat.read(app.env.doc2path(pagename), as_version=4)
    cache = get_cache(path)
    try:
        _, executed = cache.merge_match_into_notebook(notebook)
    except KeyError:  # not executed through the cache (e.g. execute_notebooks: off)
        return None
    return executed


def _add_download(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if doctree is None or not str(app.env.doc2path(pagename)).endswith(".ipynb"):
        return  # chapters only: pages written in Markdown have their own download entries
    executed = _executed(app, pagename)
    if executed is None:
        return
    import nbformat

    target = Path(app.outdir) / FOLDER / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, target)
    url = context["pathto"](f"{FOLDER}/{pagename}.ipynb", 1)
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for button in group["buttons"]:
            if button.get("label") == "download-source-button":
                button["text"] = ".ipynb (no outputs)"
                button["tooltip"] = "Download the notebook as stored, without outputs"
        group["buttons"].insert(
            0,
            {
                "type": "link",
                "url": url,
                "text": ".ipynb (with outputs)",
                "icon": "fas fa-book",
                "tooltip": "Download the notebook as executed for this page, with every output",
                "label": LABEL,
            },
        )


PDF_NAME = "synthbio.pdf"


def _pdf(app: Any) -> Path:
    return Path(app.outdir).parent / "latex" / PDF_NAME


class BookPdf(SphinxDirective):
    """A sentence linking the PDF of the whole book, or saying how to build it."""

    def run(self) -> list:
        from docutils import nodes

        if self.env.app.builder.format != "html":
            return []  # the PDF itself needs no link to itself
        para = nodes.paragraph()
        pdf = _pdf(self.env.app)
        if pdf.exists():
            up = "../" * self.env.docname.count("/")
            size = pdf.stat().st_size / 1e6
            para += nodes.Text("The whole book as one PDF: ")
            para += nodes.reference(
                "",
                f"{PDF_NAME} ({size:.0f} MB)",
                refuri=up + PDF_NAME,
                classes=["synthbio-book-pdf"],
            )
            para += nodes.Text(", typeset with LaTeX by ")
            para += nodes.literal("", "make pdf")
            para += nodes.Text(".")
        else:
            para += nodes.Text("A PDF of the whole book is typeset with LaTeX by ")
            para += nodes.literal("", "make pdf")
            para += nodes.Text(" (see the README); this copy of the site was built without it.")
        # Sphinx re-reads the page when the PDF is missing or newer than the page
        self.env.note_dependency(str(pdf))
        return [para]


def _copy_pdf(app: Any, exception: Exception | None) -> None:
    pdf = _pdf(app)
    if exception is None and app.builder.format == "html" and pdf.exists():
        shutil.copy2(pdf, Path(app.outdir) / PDF_NAME)


def setup(app: Any) -> dict:
    # after sphinx-book-theme builds its header buttons (priority 501)
    app.connect("html-page-context", _add_download, priority=600)
    app.add_directive("book-pdf", BookPdf)
    app.connect("build-finished", _copy_pdf)
    app.add_js_file("synthbio_downloads.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
