"""Small Sphinx fixes for the synthbio site (loaded through _config.yml's local_extensions).

sphinx-thebe 0.3 registers its inline configuration script once per
``env-before-read-docs`` event, which Jupyter Book emits more than once per
build; the page then declares ``const THEBE_JS_URL`` twice and the browser
reports a SyntaxError on every page. We drop repeated script entries from each
page's context before it is rendered.
"""

from __future__ import annotations

from typing import Any


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
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


def setup(app: Any) -> dict:
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
