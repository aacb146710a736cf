"""The built site, opened in a real browser (headless Chromium driven by Selenium).

Run after the book is built (`make test` builds it first). In CI the test
fails when the site or the browser is missing; on a developer's machine it
skips with the reason. Screenshots of every page land in _build/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import nbformat
import pytest
import yaml

from synthbio._book import toc_files

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
IN_CI = bool(os.environ.get("CI"))


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason + " (CI must install it: see .ci/run)")
    pytest.skip(reason)


PAGES = toc_files(ROOT)
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]


class _Anchors(HTMLParser):
    """Collects element ids and link targets of one HTML file."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a and a["id"]:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


@functools.cache
def parse(path: Path) -> _Anchors:
    p = _Anchors()
    p.feed(path.read_text(errors="replace"))
    return p


def _serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    httpd = _serve(SITE)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        _missing(
            "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    driver = _start_browser()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def _open(driver, url: str) -> None:
    driver.get(url)
    driver.get_log("browser")  # start each page with an empty console … after loading it below
    driver.get(url)
    # wait for MathJax to finish typesetting where the page loads it
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const mj = window.MathJax;"
        "if (mj && mj.startup && mj.startup.promise) {"
        "  mj.startup.promise.then(() => done(true), () => done(false)); }"
        "else { done(null); }"
    )


def _page_url(base: str, page: str) -> str:
    return urljoin(base, page + ".html")


@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(server, browser, page):
    url = _page_url(server, page)
    _open(browser, url)
    name = page.replace("/", "_")

    # 1. no JavaScript errors in the console
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"{page}: console errors: {json.dumps(errors, indent=1)[:2000]}"

    # 2. every image loaded
    broken = browser.execute_script(
        "return Array.from(document.images)"
        ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);"
    )
    assert not broken, f"{page}: images that did not load: {broken}"

    # 3. math rendered: no raw TeX delimiters left in the prose (code excluded)
    prose = browser.execute_script(
        "const main = document.querySelector('main') || document.body;"
        "const c = main.cloneNode(true);"
        "c.querySelectorAll('pre, code, .highlight, script, style').forEach(e => e.remove());"
        "return c.innerText;"
    )
    for raw in ("$$", "\\(", "\\[", "\\frac", "\\binom"):
        assert raw not in prose, f"{page}: unrendered math ({raw!r}) in the text"
    source = ROOT / f"{page}.ipynb"
    has_math = source.exists() and "$" in "".join(
        c.source for c in nbformat.read(source, as_version=4).cells if c.cell_type == "markdown"
    )
    if has_math:
        n_math = browser.execute_script("return document.querySelectorAll('mjx-container').length;")
        assert n_math > 0, f"{page}: the page has math but MathJax rendered none"

    # 4. figures the notebook produced are on the page, loaded
    if source.exists():
        nb = nbformat.read(source, as_version=4)
        names = [
            c.metadata["mystnb"]["figure"]["name"]
            for c in nb.cells
            if c.cell_type == "code" and "figure" in c.metadata.get("mystnb", {})
        ]
        from docutils.nodes import make_id

        for fig in names:
            # Sphinx turns a figure's name into an HTML id the docutils way (fig_a -> fig-a)
            width = browser.execute_script(
                "const f = document.getElementById(arguments[0]);"
                "const i = f && f.querySelector('img'); return i ? i.naturalWidth : -1;",
                make_id(fig),
            )
            assert width > 0, f"{page}: figure {fig} is missing or did not load"
        n_plots = browser.execute_script(
            "return document.querySelectorAll('.cell_output img').length;"
        )
        n_show = sum(c.source.count("plt.show()") for c in nb.cells if c.cell_type == "code")
        assert n_plots >= n_show, f"{page}: {n_show} figures drawn but {n_plots} on the page"

        # 5. launch buttons point at this repository, branch and notebook
        repo = REPOSITORY["url"].rstrip("/").split("github.com/")[1]
        binder = browser.execute_script(
            "return Array.from(document.querySelectorAll('a')).map(a => a.href)"
            ".filter(h => h.includes('mybinder.org'));"
        )
        assert binder, f"{page}: no Binder launch button"
        expected = f"mybinder.org/v2/gh/{repo}/{REPOSITORY['branch']}?urlpath=lab/tree/{page}.ipynb"
        assert any(expected in h for h in binder), (
            f"{page}: Binder links {binder} do not open {expected}"
        )
        thebe = browser.execute_script(
            "return document.querySelectorAll('.btn-launch-thebe').length;"
        )
        assert thebe > 0, f"{page}: no live-code (Thebe) button"

        # 6. exercise solutions are hidden until clicked
        solutions = browser.find_elements("css selector", "div.solution.dropdown")
        assert solutions, f"{page}: no exercise solutions"
        for sol in solutions:
            body = sol.find_elements("css selector", "section")
            assert body and not body[0].is_displayed(), (
                f"{page}: a solution is visible before clicking"
            )
        from selenium.webdriver.support.ui import WebDriverWait

        wait = WebDriverWait(browser, 10)
        button = wait.until(
            lambda d: solutions[0].find_element("css selector", "button.toggle-button")
        )
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        body = solutions[0].find_elements("css selector", "section")[0]
        try:  # the toggle animates open; give a loaded machine time
            wait.until(lambda d: body.is_displayed())
        except Exception:
            pytest.fail(f"{page}: clicking the toggle did not reveal the solution")

    # 7. a screenshot of the whole page for reviewers
    height = browser.execute_script("return Math.min(document.body.scrollHeight, 16000);")
    browser.set_window_size(1280, max(900, height))
    assert browser.save_screenshot(str(SHOTS / f"{name}.png"))
    browser.set_window_size(1280, 900)


def test_internal_links_and_anchors_resolve():
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    bad = []
    checked = 0
    for page in PAGES:
        path = SITE / f"{page}.html"
        assert path.exists(), f"{page}.html was not built"
        for href in parse(path).links:
            parts = urlparse(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            checked += 1
            if not target.exists():
                bad.append(f"{page}: {href} (no file)")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in parse(target).ids
            ):
                bad.append(f"{page}: {href} (no anchor #{parts.fragment})")
    assert checked > 50, "too few links checked: is the site built?"
    assert not bad, "broken internal links:\n" + "\n".join(bad)


def test_figures_have_a_solid_background():
    """Output images must be opaque so they read in the theme's dark mode."""
    from PIL import Image

    images = sorted((SITE / "_images").glob("*.png")) if (SITE / "_images").exists() else []
    if not images:
        _missing("no figures in the built site")
    transparent = []
    for png in images:
        with Image.open(png) as im:
            if im.mode in ("RGBA", "LA") or "transparency" in im.info:
                alpha = im.convert("RGBA").getchannel("A")
                if alpha.getextrema()[0] < 255:
                    transparent.append(png.name)
    assert not transparent, f"figures with transparent pixels: {transparent}"


def test_claims_ledger_page(server, browser):
    """The ledger lists every claim of every chapter, as the sweep recorded them."""
    ledger = ROOT / "_build" / "claims" / "ledger.json"
    if not ledger.exists():
        _missing("no claims ledger: run the seed sweep (make sweep) before building")
    book = json.loads(ledger.read_text())
    _open(browser, _page_url(server, "book/claims"))
    totals = browser.find_element("css selector", ".claims-ledger-totals").text
    real = [c for ch in book["chapters"] for c in ch["claims"] if c["kind"] != "pin"]
    assert f"{len(real)} claims in {len(book['chapters'])} chapters" in totals, totals
    rows = browser.execute_script(
        "return document.querySelectorAll('table.claims-ledger-claims tbody tr').length;"
    )
    assert rows == sum(len(ch["claims"]) for ch in book["chapters"]), (
        "ledger rows ≠ claims recorded"
    )
    chapters = {p.split("/")[-1] for p in PAGES if (ROOT / f"{p}.ipynb").exists()}
    assert {ch["chapter"] for ch in book["chapters"]} == chapters, "the ledger misses a chapter"
    for ch in book["chapters"]:
        section = browser.find_element("id", f"ledger-{ch['chapter'].replace('_', '-')}")
        assert section.is_displayed()
    held = browser.find_elements("css selector", ".claims-ledger-held")
    assert len(held) >= 0.99 * len(real), f"only {len(held)} of {len(real)} claims shown as held"
    browser.set_window_size(1280, 900)
    assert browser.save_screenshot(str(SHOTS / "book_claims_top.png"))


def test_chapters_link_to_their_claims(server, browser):
    """Under each chapter's title a working link leads to that chapter's claims in the ledger."""
    ledger = ROOT / "_build" / "claims" / "ledger.json"
    if not ledger.exists():
        _missing("no claims ledger: run the seed sweep (make sweep) before building")
    counts = {
        ch["chapter"]: sum(1 for c in ch["claims"] if c["kind"] != "pin")
        for ch in json.loads(ledger.read_text())["chapters"]
    }
    for page in [p for p in PAGES if (ROOT / f"{p}.ipynb").exists()]:
        name = page.split("/")[-1]
        _open(browser, _page_url(server, page))
        link = browser.find_element("css selector", "p.claims-ledger-link a")
        line = link.find_element("xpath", "..").text
        assert f"its {counts[name]} claims" in line, f"{page}: {line!r}"
        _open(browser, link.get_attribute("href"))
        target = browser.execute_script("return location.hash.slice(1);")
        assert target == f"ledger-{name.replace('_', '-')}", f"{page} links to #{target}"
        assert browser.find_element("id", target).is_displayed()


def test_api_pages_render_their_functions():
    """Each API page shows rendered signatures, never raw reStructuredText."""
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    pages = [p for p in PAGES if p.startswith("book/api/") and not p.endswith("index")]
    assert pages, "no API pages in _toc.yml"
    for page in pages:
        html = (SITE / f"{page}.html").read_text()
        text = html.split("<main", 1)[-1]
        for raw in (".. automodule::", ".. py:function::", ":members:", ".. rubric::", ":param "):
            assert raw not in text, f"{page}: raw reStructuredText {raw!r} shown to readers"
        assert text.count('class="sig-name descname"') >= 1, (
            f"{page}: no function signature rendered"
        )
        # sphinx.ext.viewcode: every documented function links to its highlighted source
        sources = re.findall(r'<a class="reference internal" href="([^"]*_modules/[^"#]*)', html)
        assert sources, f"{page}: no [source] links (sphinx.ext.viewcode)"
        for href in set(sources):
            target = (SITE / page).parent / href
            assert target.resolve().exists(), f"{page}: [source] link {href} is broken"


def _emulate(driver, width: int, height: int = 900, mobile: bool = False) -> None:
    """Lay the page out at ``width`` CSS pixels (headless windows cannot go below 500 px)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": 2 if mobile else 1,
            "mobile": mobile,
        },
    )


_VISIBLE = (
    "return Array.from(document.querySelectorAll(arguments[0]))"
    ".filter(b => b.offsetParent !== null && b.getBoundingClientRect().width > 0);"
)


@pytest.mark.parametrize("width", [390, 900, 1400])
def test_navigation_opens_at_every_width(server, browser, width):
    """The menu (☰) and "Contents" buttons a reader sees must open what they promise."""
    try:
        _emulate(browser, width, 844 if width < 500 else 900, mobile=width < 500)
        _open(browser, _page_url(server, "book/marbles"))
        toggles = browser.execute_script(_VISIBLE, ".primary-toggle")
        assert toggles, f"{width}px: no visible menu button"
        if width >= 992:  # desktop: the button hides and shows the primary sidebar
            shown = (
                "return !document.querySelector('#pst-primary-sidebar')"
                ".classList.contains('pst-sidebar-hidden');"
            )
            before = browser.execute_script(shown)
            toggles[0].click()
            assert browser.execute_script(shown) != before, f"{width}px: ☰ did not toggle the menu"
        else:  # phone and tablet: the button opens the menu as a dialog with the chapters
            toggles[0].click()
            opened = browser.execute_script(
                "const d = document.querySelector('#pst-primary-sidebar-modal');"
                "return d && d.open && d.querySelectorAll('a.reference').length;"
            )
            assert opened, f"{width}px: ☰ did not open the menu"
            browser.save_screenshot(str(SHOTS / f"nav_menu_{width}.png"))
            browser.execute_script("document.querySelector('#pst-primary-sidebar-modal').close();")
        contents = browser.execute_script(_VISIBLE, ".secondary-toggle")
        if width < 1200:  # below that the page's contents live behind the "Contents" button
            assert contents, f"{width}px: no visible Contents button"
            contents[0].click()
            opened = browser.execute_script(
                "const d = document.querySelector('#pst-secondary-sidebar-modal');"
                "return d && d.open && d.querySelectorAll('a').length;"
            )
            assert opened, f"{width}px: Contents did not open the page's contents"
            browser.save_screenshot(str(SHOTS / f"nav_contents_{width}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


CHAPTERS = [p for p in PAGES if (ROOT / f"{p}.ipynb").exists()]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page", CHAPTERS)
def test_figures_are_sharp_and_described(server, browser, page, width):
    """Figures carry ≥ 2× the pixels they are shown with, keep their shape, and have alt text."""
    _emulate(browser, width, 844 if width < 500 else 900, mobile=width < 500)
    try:
        _check_figures(browser, _page_url(server, page), page)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _check_figures(browser, url: str, page: str) -> None:
    _open(browser, url)
    images = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img')).map(i => ["
        "i.naturalWidth, i.getBoundingClientRect().width, i.alt, !!i.closest('figure'),"
        "!!i.closest('a'), i.naturalHeight, i.getBoundingClientRect().height]);"
    )
    assert images, f"{page}: no figures"
    for natural, shown, alt, in_figure, linked, natural_h, shown_h in images:
        assert natural >= 2 * shown - 2, f"{page}: a figure has {natural} px for {shown:.0f} shown"
        assert abs(shown_h / shown - natural_h / natural) < 0.02 * natural_h / natural + 0.01, (
            f"{page}: a figure is distorted ({shown:.0f}×{shown_h:.0f} shown, "
            f"{natural}×{natural_h} drawn)"
        )
        assert linked, f"{page}: a figure does not open at full size"
        if in_figure:
            assert len(alt) > 20 and not alt.endswith(".png"), f"{page}: figure alt text {alt!r}"


@pytest.mark.parametrize("page", PAGES)
def test_page_fits_a_phone(server, browser, page):
    """At 390 px (a phone, emulated) nothing makes the page scroll sideways."""
    try:
        _emulate(browser, 390, 844, mobile=True)
        _open(browser, _page_url(server, page))
        wide = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];"
        )
        # A mobile browser widens its layout viewport to fit content that overflows, so
        # innerWidth grows with the page: compare both with the phone's 390 px.
        assert wide[1] == 390, f"{page}: the layout viewport widened to {wide[1]} px"
        assert wide[0] <= 390, f"{page}: {wide[0]} px wide at a 390 px viewport"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


CLAIM_CALL_JS = r"/\bcheck(?:_mc|_proportion|_less|_greater|_between|_true)?\(/"


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_opens_on_colab_and_downloads_with_outputs(server, browser, page):
    """Colab opens this chapter from the repository; the executed notebook downloads."""
    from urllib.request import urlopen

    _open(browser, _page_url(server, page))
    repo = REPOSITORY["url"].rstrip("/").split("github.com/")[1]
    expected = (
        f"https://colab.research.google.com/github/{repo}/blob/{REPOSITORY['branch']}/{page}.ipynb"
    )
    colab = browser.execute_script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.href)"
        ".filter(h => h.includes('colab.research.google.com'));"
    )
    assert colab == [expected], f"{page}: Colab links {colab}, expected [{expected}]"
    html = (SITE / f"{page}.html").read_text()
    assert "git+https://github.com/" not in html, f"{page}: the install cell is shown on the site"

    link = browser.execute_script(
        "const a = document.querySelector('a.btn-download-executed-notebook-button');"
        "return a ? [a.href, a.getAttribute('download')] : null;"
    )
    assert link, f"{page}: no download of the notebook with outputs"
    href, download = link
    assert download == page.split("/")[-1] + ".ipynb", f"{page}: the link saves as {download!r}"
    with urlopen(href, timeout=30) as response:
        nb = nbformat.reads(response.read().decode(), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code if c.source.strip()), (
        f"{page}: the downloaded notebook was not executed"
    )
    images = sum(
        "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
        for c in code
        for o in c.outputs
    )
    shown = browser.execute_script("return document.querySelectorAll('.cell_output img').length;")
    assert images >= shown > 0, f"{page}: {images} figures in the download, {shown} on the page"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{page}: the downloaded notebook has errors"


# Text a reader should never see: TeX that MathJax did not typeset, and reStructuredText
# that was not parsed (code blocks and typeset maths are taken out first).
_PROSE = (
    "const main = document.querySelector('main') || document.body;"
    "const c = main.cloneNode(true);"
    "c.querySelectorAll('pre, code, .highlight, script, style, mjx-container, .cell_input,"
    " .cell_output, .headerlink').forEach(e => e.remove());"
    "return c.textContent;"
)
RAW_TEX = re.compile(r"\$|\\\(|\\\)|\\\[|\\\]|\\[A-Za-z]{2,}")
RAW_REST = (
    ".. py:",
    ".. automodule::",
    ".. autofunction::",
    ".. rubric::",
    ":param ",
    ":members:",
    ":rtype:",
    ".. math::",
    ":func:`",
    ":class:`",
    ":mod:`",
    ":math:`",
)


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_tex_or_rest_on_the_page(server, browser, page):
    _open(browser, _page_url(server, page))
    prose = browser.execute_script(_PROSE)
    leftovers = sorted({m.group(0) for m in RAW_TEX.finditer(prose)})
    context = [
        prose[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
        for m in list(RAW_TEX.finditer(prose))[:3]
    ]
    assert not leftovers, f"{page}: raw TeX {leftovers} in the text, e.g. {context}"
    rest = [r for r in RAW_REST if r in prose]
    assert not rest, f"{page}: raw reStructuredText {rest} in the text"
    errors = browser.execute_script("return document.querySelectorAll('mjx-merror').length;")
    assert not errors, f"{page}: MathJax reports {errors} TeX errors"


@pytest.mark.parametrize("page", CHAPTERS)
def test_claim_checks_are_collapsed(server, browser, page):
    """Cells that call check*(…) show their input only after a click ("Show code cell source")."""
    nb = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    claim = re.compile(r"\bcheck(?:_mc|_proportion|_less|_greater|_between|_true)?\(")
    in_notebook = sum(
        1
        for c in nb.cells
        if c.cell_type == "code"
        and claim.search(c.source)
        and not {"remove-cell", "remove-input"} & set(c.metadata.get("tags", []))
    )
    _open(browser, _page_url(server, page))
    cells = browser.execute_script(
        f"const re = {CLAIM_CALL_JS};"
        "return Array.from(document.querySelectorAll('div.cell')).map(c => {"
        "  const i = c.querySelector('.cell_input');"
        "  if (!i || !re.test(i.textContent)) return null;"
        "  return [c.classList.contains('tag_hide-input'),"
        "          !!i.closest('details:not([open])'), i.checkVisibility(),"
        "          i.textContent.trim().split('\\n')[0].slice(0, 80)];"
        "}).filter(x => x);"
    )
    assert len(cells) == in_notebook > 0, (
        f"{page}: {in_notebook} claim-check cells in the notebook, {len(cells)} on the page"
    )
    shown = [
        first for tagged, closed, visible, first in cells if not (tagged and closed) or visible
    ]
    assert not shown, (
        f"{page}: {len(shown)} of {len(cells)} claim-check cells show their input "
        f"(tag them hide-input), e.g. {shown[:3]}"
    )


@pytest.mark.parametrize("page", CHAPTERS)
def test_figures_are_numbered_by_chapter(page):
    """Captions read "Figure <chapter>.<n>", numbered from 1 in every chapter."""
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    html = (SITE / f"{page}.html").read_text()
    numbers = re.findall(r'<span class="caption-number">Fig(?:ure|\.) ([\d.]+)', html)
    chapter = CHAPTERS.index(page) + 1
    assert numbers, f"{page}: no numbered figure"
    assert numbers == [f"{chapter}.{i}" for i in range(1, len(numbers) + 1)], (
        f"{page}: figures numbered {numbers}, expected {chapter}.1, {chapter}.2, …"
    )


REVIEW_PAGES = ("book/intro", "book/model_collapse", "book/api/claims")


def take_review_screenshots(driver, base: str, label: str) -> list[Path]:
    """Desktop (1400 px) and phone (390 px) shots of the intro, a chapter and an API page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for page in REVIEW_PAGES:
        for width in (1400, 390):
            try:
                _emulate(driver, width, 900 if width > 500 else 844, mobile=width < 500)
                _open(driver, _page_url(base, page))
                height = driver.execute_script(
                    "return Math.min(document.documentElement.scrollHeight, 8000);"
                )
                _emulate(driver, width, height, mobile=width < 500)
                path = SHOTS / f"{label}_{page.removeprefix('book/').replace('/', '_')}_{width}.png"
                driver.execute_cdp_cmd(
                    "Emulation.setDeviceMetricsOverride",
                    {
                        "width": width,
                        "height": height,
                        "deviceScaleFactor": 1,
                        "mobile": width < 500,
                    },
                )
                assert driver.save_screenshot(str(path))
                written.append(path)
            finally:
                driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return written


def test_review_screenshots(server, browser):
    """Writes _build/screenshots/after_<page>_<width>.png for reviewers (see __main__ below)."""
    written = take_review_screenshots(browser, server, "after")
    assert len(written) == 2 * len(REVIEW_PAGES) and all(p.stat().st_size > 10_000 for p in written)


if __name__ == "__main__":
    # Screenshots of another built site, e.g. an older build for "before" pictures:
    #   python tests/test_site.py /tmp/old_site/html before
    import sys

    httpd = _serve(Path(sys.argv[1]).resolve())
    driver = _start_browser()
    try:
        label = sys.argv[2] if len(sys.argv) > 2 else "before"
        for shot in take_review_screenshots(
            driver, f"http://127.0.0.1:{httpd.server_address[1]}/", label
        ):
            print(shot)
    finally:
        driver.quit()
        httpd.shutdown()


def test_live_code_says_when_it_cannot_start(server, browser):
    """Offline (unpkg.com blocked), "Live code" says it needs a connection instead of spinning."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*unpkg.com*", "*mybinder.org*"]})
    try:
        _open(browser, _page_url(server, CHAPTERS[0]))
        browser.execute_script("initThebeSBT();")
        message = WebDriverWait(browser, 20).until(
            lambda d: d.execute_script(
                "const b = document.querySelector("
                "  '.thebe-launch-button.synthbio-livecode-offline');"
                "return b && b.textContent;"
            )
        )
        assert "internet connection" in message
        browser.get_log("browser")  # the blocked request's console error belongs to this test
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        browser.execute_cdp_cmd("Network.disable", {})


def test_intro_offers_the_pdf_when_built():
    """After `make pdf` the intro links the book's PDF; without it, it says how to make one."""
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    html = (SITE / "book" / "intro.html").read_text()
    link = re.search(r'<a class="[^"]*synthbio-book-pdf[^"]*" href="([^"]+)"', html)
    if (SITE / "synthbio.pdf").exists():
        assert link, "the site has synthbio.pdf but the intro does not link it"
        target = (SITE / "book" / link.group(1)).resolve()
        assert target == (SITE / "synthbio.pdf").resolve()
        assert target.read_bytes()[:5] == b"%PDF-" and target.stat().st_size > 1_000_000
    else:
        # the reader's text: Sphinx splits inline code into one <span> per word
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert not link and "make pdf" in text, "without a PDF the intro must say `make pdf`"
