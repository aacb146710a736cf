"""Small Sphinx fixes for the synthbio site (loaded through _config.yml's local_extensions).

The menu and "Contents" buttons: both themes bind their click handlers to the first
toggle button of each kind, a hidden duplicate in the book theme's layout
(pydata-sphinx-theme issue #2451); ``static/synthbio_nav.js`` forwards clicks from
the visible buttons to it.

Figures: each captioned figure's image gets its caption as alt text. ``static/synthbio.css``
keeps pages within a phone's width (long inline code wraps, display maths scrolls with
a visible scroll bar), keeps the 2× density figures in proportion, and wraps code when
printing.

"Live code" offline: ``static/synthbio_livecode.js`` replaces sphinx-thebe's endless
"Loading thebe from CDN..." with a message saying live code needs a connection.

sphinx-thebe 0.3 registers its inline configuration script once per
``env-before-read-docs`` event, which Jupyter Book emits more than once per
build; the page then declares ``const THEBE_JS_URL`` twice and the browser
reports a SyntaxError on every page. We drop repeated script entries from each
page's context before it is rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _dedupe_scripts(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        key = (str(getattr(js, "filename", js) or ""), str(attrs.get("body", "")))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    context["script_files"] = unique


def _figure_alt_text(app: Any, doctree: Any, docname: str) -> None:
    """Give every captioned figure's image its caption as alt text (not the hash filename)."""
    from docutils import nodes

    for figure in doctree.findall(nodes.figure):
        caption = next(iter(figure.findall(nodes.caption)), None)
        if caption is None:
            continue
        text = " ".join(caption.astext().split())
        for image in figure.findall(nodes.image):
            if not image.get("alt") or image["alt"] == image.get("uri"):
                image["alt"] = text


def _static(app: Any, config: Any) -> None:
    folder = str(Path(__file__).parent / "static")
    if folder not in config.html_static_path:
        config.html_static_path.append(folder)


def setup(app: Any) -> dict:
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("config-inited", _static)
    app.add_js_file("synthbio_nav.js")
    app.add_js_file("synthbio_livecode.js")
    app.add_css_file("synthbio.css")
    app.connect("doctree-resolved", _figure_alt_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
