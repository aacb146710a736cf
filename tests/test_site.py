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
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import nbformat
import pytest
import yaml

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


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                pages.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return pages


PAGES = toc_pages()
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


@functools.lru_cache(maxsize=None)
def parse(path: Path) -> _Anchors:
    p = _Anchors()
    p.feed(path.read_text(errors="replace"))
    return p


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        _missing("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,900"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _open(driver, url: str) -> None:
    driver.get(url)
    driver.get_log("browser")  # start each page with an empty console … after loading it below
    driver.get(url)
    # wait for MathJax to finish typesetting where the page loads it
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const mj = window.MathJax;"
        "if (mj && mj.startup && mj.startup.promise) { mj.startup.promise.then(() => done(true), () => done(false)); }"
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
        names = [c.metadata["mystnb"]["figure"]["name"] for c in nb.cells
                 if c.cell_type == "code" and "figure" in c.metadata.get("mystnb", {})]
        from docutils.nodes import make_id

        for fig in names:
            # Sphinx turns a figure's name into an HTML id the docutils way (fig_a -> fig-a)
            width = browser.execute_script(
                "const f = document.getElementById(arguments[0]);"
                "const i = f && f.querySelector('img'); return i ? i.naturalWidth : -1;", make_id(fig))
            assert width > 0, f"{page}: figure {fig} is missing or did not load"
        n_plots = browser.execute_script("return document.querySelectorAll('.cell_output img').length;")
        n_show = sum(c.source.count("plt.show()") for c in nb.cells if c.cell_type == "code")
        assert n_plots >= n_show, f"{page}: {n_show} figures drawn but {n_plots} on the page"

        # 5. launch buttons point at this repository, branch and notebook
        repo = REPOSITORY["url"].rstrip("/").split("github.com/")[1]
        binder = browser.execute_script(
            "return Array.from(document.querySelectorAll('a')).map(a => a.href)"
            ".filter(h => h.includes('mybinder.org'));")
        assert binder, f"{page}: no Binder launch button"
        expected = f"mybinder.org/v2/gh/{repo}/{REPOSITORY['branch']}?urlpath=lab/tree/{page}.ipynb"
        assert any(expected in h for h in binder), f"{page}: Binder links {binder} do not open {expected}"
        thebe = browser.execute_script("return document.querySelectorAll('.btn-launch-thebe').length;")
        assert thebe > 0, f"{page}: no live-code (Thebe) button"

        # 6. exercise solutions are hidden until clicked
        solutions = browser.find_elements("css selector", "div.solution.dropdown")
        assert solutions, f"{page}: no exercise solutions"
        for sol in solutions:
            body = sol.find_elements("css selector", "section")
            assert body and not body[0].is_displayed(), f"{page}: a solution is visible before clicking"
        from selenium.webdriver.support.ui import WebDriverWait

        wait = WebDriverWait(browser, 10)
        button = wait.until(lambda d: solutions[0].find_element("css selector", "button.toggle-button"))
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
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
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
        "return document.querySelectorAll('table.claims-ledger-claims tbody tr').length;")
    assert rows == sum(len(ch["claims"]) for ch in book["chapters"]), "ledger rows ≠ claims recorded"
    chapters = {p.split("/")[-1] for p in PAGES if (ROOT / f"{p}.ipynb").exists()}
    assert {ch["chapter"] for ch in book["chapters"]} == chapters, "the ledger misses a chapter"
    for ch in book["chapters"]:
        section = browser.find_element("id", f"ledger-{ch['chapter'].replace('_', '-')}")
        assert section.is_displayed()
    held = browser.find_elements("css selector", ".claims-ledger-held")
    assert len(held) >= 0.99 * len(real), f"only {len(held)} of {len(real)} claims shown as held"
    browser.set_window_size(1280, 900)
    assert browser.save_screenshot(str(SHOTS / "book_claims_top.png"))


def test_api_pages_render_their_functions():
    """Each API page shows rendered signatures, never raw reStructuredText."""
    if not (SITE / "index.html").exists():
        _missing(f"no built site at {SITE}: run `make book` first")
    pages = [p for p in PAGES if p.startswith("book/api/") and not p.endswith("index")]
    assert pages, "no API pages in _toc.yml"
    for page in pages:
        html = (SITE / f"{page}.html").read_text()
        text = html.split('<main', 1)[-1]
        for raw in (".. automodule::", ".. py:function::", ":members:", ".. rubric::", ":param "):
            assert raw not in text, f"{page}: raw reStructuredText {raw!r} shown to readers"
        assert text.count('class="sig-name descname"') >= 1, f"{page}: no function signature rendered"


def _emulate(driver, width: int, height: int = 900, mobile: bool = False) -> None:
    """Lay the page out at ``width`` CSS pixels (headless windows cannot go below 500 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 2 if mobile else 1,
        "mobile": mobile})


_VISIBLE = ("return Array.from(document.querySelectorAll(arguments[0]))"
            ".filter(b => b.offsetParent !== null && b.getBoundingClientRect().width > 0);")


@pytest.mark.parametrize("width", [390, 900, 1400])
def test_navigation_opens_at_every_width(server, browser, width):
    """The menu (☰) and "Contents" buttons a reader sees must open what they promise."""
    try:
        _emulate(browser, width, 844 if width < 500 else 900, mobile=width < 500)
        _open(browser, _page_url(server, "book/marbles"))
        toggles = browser.execute_script(_VISIBLE, ".primary-toggle")
        assert toggles, f"{width}px: no visible menu button"
        if width >= 992:  # desktop: the button hides and shows the primary sidebar
            shown = "return !document.querySelector('#pst-primary-sidebar')" \
                    ".classList.contains('pst-sidebar-hidden');"
            before = browser.execute_script(shown)
            toggles[0].click()
            assert browser.execute_script(shown) != before, f"{width}px: ☰ did not toggle the menu"
        else:  # phone and tablet: the button opens the menu as a dialog with the chapters
            toggles[0].click()
            opened = browser.execute_script(
                "const d = document.querySelector('#pst-primary-sidebar-modal');"
                "return d && d.open && d.querySelectorAll('a.reference').length;")
            assert opened, f"{width}px: ☰ did not open the menu"
            browser.save_screenshot(str(SHOTS / f"nav_menu_{width}.png"))
            browser.execute_script("document.querySelector('#pst-primary-sidebar-modal').close();")
        contents = browser.execute_script(_VISIBLE, ".secondary-toggle")
        if width < 1200:  # below that the page's contents live behind the "Contents" button
            assert contents, f"{width}px: no visible Contents button"
            contents[0].click()
            opened = browser.execute_script(
                "const d = document.querySelector('#pst-secondary-sidebar-modal');"
                "return d && d.open && d.querySelectorAll('a').length;")
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
        "!!i.closest('a'), i.naturalHeight, i.getBoundingClientRect().height]);")
    assert images, f"{page}: no figures"
    for natural, shown, alt, in_figure, linked, natural_h, shown_h in images:
        assert natural >= 2 * shown - 2, f"{page}: a figure has {natural} px for {shown:.0f} shown"
        assert abs(shown_h / shown - natural_h / natural) < 0.02 * natural_h / natural + 0.01, (
            f"{page}: a figure is distorted ({shown:.0f}×{shown_h:.0f} shown, "
            f"{natural}×{natural_h} drawn)")
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
            "return [document.documentElement.scrollWidth, window.innerWidth];")
        assert wide[0] <= wide[1], f"{page}: {wide[0]} px wide at a {wide[1]} px viewport"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
