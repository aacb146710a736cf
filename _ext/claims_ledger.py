"""The claims ledger: a page listing every claim the book makes and how it fared.

The seed sweep (``tests/seed_sweep.py``, run by ``make test``, ``make book``
and ``make seeds``) executes every chapter under its default seed and under
other seeds, and writes ``_build/claims/ledger.json``: for every claim check,
its chapter, words, kind, the two values compared at the default seed, the
rule (tolerance) and its verdict at every seed. The ``claims-ledger`` directive
turns that file into the page: totals at the top, a table by kind, one table
per chapter. A missing ledger is a build warning (an error in the strict build).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from synthbio.claims import KINDS

LOGGER = logging.getLogger(__name__)
LEDGER = Path("_build") / "claims" / "ledger.json"
KIND_ORDER = list(KINDS)  # the kinds synthbio.claims records, in the ledger's order
KIND_MEANING = {
    "closed form": "a computation against a formula derived in the chapter",
    "published value": "our number against a value published elsewhere",
    "other library": "our code against another library's answer",
    "stated value": "an exact computed value against the rounded number the prose writes",
    "Monte Carlo": (
        "a simulated mean against an exact value or a bound, within a t-quantile of its SE"
    ),
    "proportion": (
        "a count of events against a probability, with an exact (Clopper–Pearson) interval"
    ),
    "bound": "an inequality the prose states",
    "logical": "a yes/no statement",
    "pin": "not a claim: a value only the default seed reproduces (not counted)",
}


def _para(text: str, cls: str | None = None) -> nodes.paragraph:
    p = nodes.paragraph(text=text)
    if cls:
        p["classes"].append(cls)
    return p


def _table(headers: list[str], rows: list[list[Any]], widths: list[int], cls: str) -> nodes.table:
    table = nodes.table(classes=["claims-ledger-table", cls])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for w in widths:
        group += nodes.colspec(colwidth=w)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for h in headers:
        row += nodes.entry("", _para(h))
    head += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.Node) else _para(str(cell))
            row += entry
        body += row
    return table


def _verdict(claim: dict, seeds: list[str]) -> tuple[str, str]:
    if claim["kind"] == "pin":
        return "◦ pinned", "pin"
    if claim["failed_seeds"] or claim["missing_seeds"]:
        bad = claim["failed_seeds"] + claim["missing_seeds"]
        return f"✗ {claim['held']}/{len(seeds)} (failed at seed {', '.join(bad)})", "failed"
    return f"✓ {claim['held']}/{len(seeds)}", "held"


def _seed_names(seeds: list[str]) -> str:
    others = [s for s in seeds if s != "default"]
    return "each chapter's default seed" + (f" and seeds {', '.join(others)}" if others else "")


class ClaimsLedger(SphinxDirective):
    """``{claims-ledger}``: render ``_build/claims/ledger.json`` as tables."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / LEDGER
        self.env.note_dependency(str(path))
        if not path.exists():
            LOGGER.warning(
                "claims ledger %s is missing: run `make seeds` or `make test` first",
                path,
                location=self.get_location(),
            )
            return [_para("The ledger has not been generated for this build: run `make book`.")]
        book = json.loads(path.read_text())
        seeds = book["seeds"]
        chapters = book["chapters"]
        claims = [c for ch in chapters for c in ch["claims"]]
        real = [c for c in claims if c["kind"] != "pin"]
        held_all = [c for c in real if not c["failed_seeds"] and not c["missing_seeds"]]
        verdicts = sum(c["checked"] for c in real)
        held = sum(c["held"] for c in real)
        out: list[nodes.Node] = []
        totals = nodes.paragraph(classes=["claims-ledger-totals"])
        totals += nodes.strong(
            text=f"{len(real)} claims in {len(chapters)} chapters; "
            f"{len(held_all)} held at every seed "
        )
        totals += nodes.Text(
            f"({held} of {verdicts} claim × seed verdicts, "
            f"{100 * held / max(verdicts, 1):.1f} %). Seeds: "
            f"{_seed_names(seeds)}. Sweep run {book['created']}."
        )
        pins = len(claims) - len(real)
        if pins:
            totals += nodes.Text(f" {pins} pinned values are listed but not counted.")
        out.append(totals)

        by_kind = Counter(c["kind"] for c in claims)
        kind_held = Counter(c["kind"] for c in held_all)
        rows = [
            [k, KIND_MEANING[k], by_kind[k], "–" if k == "pin" else kind_held[k]]
            for k in KIND_ORDER
            if by_kind[k]
        ]
        out.append(
            _table(
                ["kind", "what is compared", "claims", "held at every seed"],
                rows,
                [14, 50, 8, 10],
                "claims-ledger-kinds",
            )
        )

        rows = []
        for ch in chapters:
            cl = [c for c in ch["claims"] if c["kind"] != "pin"]
            ok = sum(1 for c in cl if not c["failed_seeds"] and not c["missing_seeds"])
            walls = [r["wall_s"] for r in ch["runs"].values()]
            stopped = [s for s, r in ch["runs"].items() if r["error"]]
            ref = nodes.paragraph()
            ref += nodes.reference(
                "", ch["chapter"], internal=True, refid=nodes.make_id(f"ledger-{ch['chapter']}")
            )
            rows.append(
                [
                    ref,
                    len(cl),
                    ok,
                    f"{min(walls):.0f}–{max(walls):.0f} s" if walls else "–",
                    "stopped at seed " + ", ".join(stopped) if stopped else "ran",
                ]
            )
        out.append(
            _table(
                ["chapter", "claims", "held at every seed", "run time", "runs"],
                rows,
                [22, 8, 10, 10, 14],
                "claims-ledger-chapters",
            )
        )

        for ch in chapters:
            section = nodes.section(ids=[nodes.make_id(f"ledger-{ch['chapter']}")])
            title = ch["chapter"].replace("_", " ").capitalize()
            section += nodes.title(text=title)
            rows = []
            for i, c in enumerate(ch["claims"], 1):
                verdict, cls = _verdict(c, seeds)
                compared = f"{c['value']} vs {c['expected']}"
                if c["rule"]:
                    compared += f" ({c['rule']})"
                claim = _para(c["claim"])
                mark = _para(verdict, f"claims-ledger-{cls}")
                rows.append([i, claim, c["kind"], compared, mark])
            if rows:
                section += _table(
                    ["#", "claim", "kind", "default seed: value vs reference", "seeds"],
                    rows,
                    [4, 46, 12, 28, 12],
                    "claims-ledger-claims",
                )
            else:
                section += _para("This chapter recorded no claims.")
            out.append(section)
        return out


def _depend_on_ledger(app: Any, doctree: nodes.document) -> None:
    """A chapter is read again when the ledger changes, so its link's claim count stays true."""
    if app.env.docname.startswith("book/") and (Path(app.srcdir) / LEDGER).exists():
        app.env.note_dependency(str(Path(app.srcdir) / LEDGER))


def _link_chapter(app: Any, doctree: nodes.document, docname: str) -> None:
    """Under each chapter's title, a line linking the page to its claims in the ledger."""
    if app.builder.format != "html" or not docname.startswith("book/"):
        return
    path = Path(app.srcdir) / LEDGER
    if not path.exists():
        return
    chapters = {ch["chapter"]: ch for ch in json.loads(path.read_text())["chapters"]}
    ch = chapters.get(docname.removeprefix("book/"))
    top = next(iter(doctree.findall(nodes.section)), None)
    if ch is None or top is None:
        return
    n = sum(1 for c in ch["claims"] if c["kind"] != "pin")
    uri = (
        app.builder.get_relative_uri(docname, "book/claims")
        + "#"
        + nodes.make_id(f"ledger-{ch['chapter']}")
    )
    para = nodes.paragraph(classes=["claims-ledger-link"])
    para += nodes.Text(f"Every number on this page is computed by its code and checked: its {n} ")
    para += nodes.reference("", "claims and how each fared at every seed", refuri=uri)
    para += nodes.Text(" are in the claims ledger.")
    title = next((i for i, node in enumerate(top.children) if isinstance(node, nodes.title)), 0)
    top.insert(title + 1, para)


def _static(app: Any, config: Any) -> None:
    folder = str(Path(__file__).parent / "static")
    if folder not in config.html_static_path:
        config.html_static_path.append(folder)


def setup(app: Any) -> dict:
    app.add_directive("claims-ledger", ClaimsLedger)
    app.connect("config-inited", _static)
    app.connect("doctree-read", _depend_on_ledger)
    app.connect("doctree-resolved", _link_chapter)
    app.add_css_file("claims_ledger.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
