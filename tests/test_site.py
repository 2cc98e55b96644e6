"""The reader's site of ``make site``: built once, then checked as files and in a real browser.

The site is built once per session into a temporary folder, with the interactive charts written
afresh for the Explore page, as ``make site`` does. The build-only checks read
the files; the browser checks serve the site on ``http://127.0.0.1:<free port>`` with a threaded
``http.server`` and drive Debian's Chromium (``/usr/bin/chromium``) headless through Playwright.
Without Chromium the browser checks are skipped; ``apt-get install chromium`` provides it (never
``playwright install``).

The browser checks wait for what they check, not for a fixed time per page. A page is read once its
``load`` event has fired (its scripts, stylesheets, images and frames are in) and every request it
made is answered. Each page is opened once for the module, in one browser context, and stays open:
the checks that read it share that visit (the Explore page, with its three plotly frames, takes
seconds to load), and when the module ends every page must have been quiet for 500 ms (as
Playwright's ``networkidle``) and have neither erred, failed a request nor asked another host since
it loaded. No host but the test server resolves in the browser: a request to another host is
recorded and fails at once.

With ``MINSK_MOSCOW_SHOTS=1`` every page's full-page screenshot is written to ``build/site-shots/``
for a person to review the layout (``MINSK_MOSCOW_SHOTS=1 pytest tests/test_site.py``): they take
seconds, and no check reads them.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

import minsk_moscow as mm
from minsk_moscow import site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # only the test server's address resolves: a request to another host fails at once (`_visit` records
    # it), and no request has to be intercepted on its way (which cost a quarter of a second a page)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", None, ""}
"""Hosts of the URLs a page may load: the test server, and files (``file:``, ``data:``) have none."""
VIEWPORT = {"width": 1280, "height": 800}
SHOTS_DIR = mm.PROJECT_ROOT / "build" / "site-shots"
SHOTS = os.environ.get("MINSK_MOSCOW_SHOTS", "0") not in {"", "0"}
"""Whether to write each page's full-page screenshot to :data:`SHOTS_DIR` (``MINSK_MOSCOW_SHOTS=1``)."""
SETTLE_TIMEOUT_S = 30.0
"""How long a page may take, after ``load``, to get an answer to every request it made."""
QUIET_S = 0.5
"""How long every page opened must have made no request when the module ends, as ``networkidle``."""
NOTEBOOK_PAGES = [path.stem for path in sorted(mm.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
PAGES = ["index", *NOTEBOOK_PAGES, "explore", "glossary", "developers", "genindex", "search"]


# --- building the site once -------------------------------------------------------------------------


@dataclass
class Built:
    """The site built for this session, and what the checks need to know about its build."""

    html: Path
    src: Path
    charts: list[site.Chart]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the site once, with the real interactive charts (written afresh, as `make site` does)."""
    from minsk_moscow.interactive import write_interactive

    charts_dir = tmp_path_factory.mktemp("interactive")
    write_interactive(mm.load_corpus(), charts_dir)
    root = tmp_path_factory.mktemp("site")
    site.build_site(root / "html", src_dir=root / "src", interactive=charts_dir)
    return Built(root / "html", root / "src", site.interactive_charts(charts_dir))


def _cells(notebook: Path) -> list[dict[str, Any]]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


class _PageParser(HTMLParser):
    """Collect the ids, images and frames of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self.iframes: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(str(values[key]))
        if tag == "img":
            self.images.append(values)
        elif tag == "iframe":
            self.iframes.append(values)


def _plain_quotes(text: str) -> str:
    """Undo Sphinx's typographic quotes, to compare page text with its source."""
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


def _parse(text: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(text)
    return parser


# --- build-only checks ---------------------------------------------------------------------------------


def test_the_site_has_the_front_page_the_notebooks_explore_and_glossary(built: Built) -> None:
    assert sorted(path.stem for path in built.html.glob("*.html")) == sorted(PAGES)


def test_no_page_loads_a_script_or_stylesheet_from_another_host(built: Built) -> None:
    assert site.remote_assets(built.html) == []


def test_code_is_folded_in_the_copies(built: Built) -> None:
    for name in NOTEBOOK_PAGES:
        code = [cell for cell in _cells(built.src / f"{name}.ipynb") if cell["cell_type"] == "code"]
        assert code and all("hide-input" in cell["metadata"]["tags"] for cell in code), name


def test_the_builder_only_reads_the_notebooks(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(mm.NOTEBOOKS_DIR, notebooks)
    before = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in notebooks.glob("*.ipynb")}
    site.prepare_source(tmp_path / "src", notebooks_dir=notebooks, interactive=None)
    after = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in notebooks.glob("*.ipynb")}
    assert after == before and len(before) == len(NOTEBOOK_PAGES)


def test_every_figure_is_shown_with_its_alt_text(built: Built) -> None:
    alt = site.read_figure_alt(site.DOCS_DIR / "figure_alt.csv")
    shown: list[str] = []
    for page in PAGES:
        for image in _parse((built.html / f"{page}.html").read_text(encoding="utf-8")).images:
            assert (image.get("alt") or "").strip(), f"{page}.html: image {image.get('src')} has no alt text"
            shown.append(str(image["alt"]))
    saved = {
        site.figure_name("".join(cell["source"]))
        for name in NOTEBOOK_PAGES
        for cell in _cells(built.src / f"{name}.ipynb")
        if cell["cell_type"] == "code"
    }
    assert saved - {None} and {alt[name] for name in saved - {None}} <= set(shown)


def test_the_glossary_defines_the_method_terms(built: Built) -> None:
    ids = _parse((built.html / "glossary.html").read_text(encoding="utf-8")).ids
    for term in ["NMF", "TF-IDF", "VADER", "Cohen-s-kappa", "adjusted-Rand-index-ARI", "KWIC", "sublinear-tf"]:
        assert f"term-{term}" in ids, term


def test_the_explore_page_frames_each_interactive_chart(built: Built) -> None:
    text = (built.html / "explore.html").read_text(encoding="utf-8")
    frames = _parse(text).iframes
    text = _plain_quotes(html.unescape(text))
    assert [frame["src"] for frame in frames] == [f"interactive/{chart.file.name}" for chart in built.charts]
    for chart in built.charts:
        assert (built.html / "interactive" / chart.file.name).is_file()
        assert _plain_quotes(chart.title) in text and _plain_quotes(chart.description) in text


def test_without_interactive_charts_the_explore_page_says_how_to_get_them(tmp_path: Path) -> None:
    assert site.interactive_charts(tmp_path / "missing") == [] == site.interactive_charts(tmp_path)
    assert "built by `make run`" in site.explore_page([])


def test_a_chart_without_description_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("<html><head><title>No description</title></head></html>", encoding="utf-8")
    with pytest.raises(site.SiteError, match="bad.html"):
        site.interactive_charts(tmp_path)


def test_a_figure_without_alt_text_is_an_error(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(site.DOCS_DIR, docs)
    rows = (docs / "figure_alt.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (docs / "figure_alt.csv").write_text("".join(row for row in rows if not row.startswith("04_long_run,")))
    with pytest.raises(site.SiteError, match="04_long_run"):
        site.prepare_source(tmp_path / "src", docs=docs, interactive=None)


def test_readme_links_that_span_lines_are_rewritten() -> None:
    text = "see [the tone\nnotebook](notebooks/04_relation_tone.ipynb) and [code](src/minsk_moscow/site.py)"
    targets = {"notebooks/04_relation_tone.ipynb": "04_relation_tone.ipynb"}
    assert site.rewrite_links(text, base="", targets=targets) == (
        "see [the tone\nnotebook](04_relation_tone.ipynb) and code"
    )


def test_links_in_code_blocks_stay_and_images_without_alt_get_it() -> None:
    text = "```\n[x](notebooks/a.ipynb)\n```\n![](../figures/01_timeline.png)\n"
    targets = {"notebooks/a.ipynb": "a.ipynb", "figures/01_timeline.png": "figures/01_timeline.png"}
    assert site.rewrite_links(text, base="notebooks", targets=targets, alt={"01_timeline": "Timeline"}) == (
        "```\n[x](notebooks/a.ipynb)\n```\n![Timeline](figures/01_timeline.png)\n"
    )


def test_the_builder_never_deletes_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(site.SiteError, match="not deleting"):
        site.run_sphinx(tmp_path / "nowhere", tmp_path)
    assert (tmp_path / "precious.txt").exists()


# --- the browser ---------------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve the site without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(built: Built) -> Iterator[str]:
    """Serve the built site on a free port of 127.0.0.1 for the session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(built.html)))
    # polled every 50 ms (not 0.5 s), so that shutting it down takes no half second
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (skips the browser checks when it is not installed).

    Module-scoped, so Playwright's event loop is closed before other test files (nbval) run.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            f"no {CHROMIUM}: install Debian's Chromium with `apt-get install chromium` to run the browser checks"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """What happened while a page loaded: its status, errors and any request to another host; and after."""

    status: int
    errors: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    late_errors: list[str] = field(default_factory=list)
    """The errors once the page had loaded (checked when the module ends, see :func:`opened`)."""
    late_remote: list[str] = field(default_factory=list)
    """The requests to another host once the page had loaded."""
    loaded: bool = field(default=False, repr=False)
    pending: set[Request] = field(default_factory=set, repr=False)
    """The requests not answered yet."""
    last_request: float = field(default_factory=time.monotonic, repr=False)
    """When a request was last made or answered (``time.monotonic()``)."""

    def error(self, text: str) -> None:
        """Record an error, a late one once the page has loaded."""
        (self.late_errors if self.loaded else self.errors).append(text)

    def ask(self, url: str) -> None:
        """Record a request to another host, a late one once the page has loaded."""
        (self.late_remote if self.loaded else self.remote).append(url)

    def quiet(self) -> bool:
        """Whether every request is answered and none was made or answered for :data:`QUIET_S`."""
        return not self.pending and time.monotonic() - self.last_request >= QUIET_S


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One 1280 x 800 browser context for the module's pages."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh page, for a check that navigates."""
    page = context.new_page()
    yield page
    page.close()


def _visit(page: Page, url: str, *, ready: str | None = None) -> Visit:
    """Open ``url``, recording console errors, page errors and (failed) requests to other hosts.

    Returns once the page has loaded (``load``: its scripts, stylesheets, images and frames), the
    selector ``ready`` (if given) is on it and every request it made is answered. What comes after
    goes to the visit's ``late_errors`` and ``late_remote``, for as long as the page is open.
    """
    visit = Visit(status=0)

    def on_console(message: Any) -> None:
        if message.type == "error":
            visit.error(f"console: {message.text}")

    def on_request(request: Request) -> None:
        visit.pending.add(request)
        visit.last_request = time.monotonic()
        if urlsplit(request.url).hostname not in LOCAL_HOSTS:
            visit.ask(request.url)  # and the request fails: no other host resolves (CHROMIUM_ARGS)

    def on_answered(request: Request) -> None:
        visit.pending.discard(request)
        visit.last_request = time.monotonic()

    def on_failed(request: Request) -> None:
        on_answered(request)
        visit.error(f"request failed: {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.error(f"page error: {error}"))
    page.on("request", on_request)
    page.on("requestfinished", on_answered)
    page.on("requestfailed", on_failed)
    response = page.goto(url, wait_until="load")
    visit.status = response.status if response else 0
    if ready is not None:
        page.wait_for_selector(ready, timeout=10_000)
    assert _wait_for(page, lambda: not visit.pending), (
        f"{url}: no answer after {SETTLE_TIMEOUT_S:.0f} s to {sorted(request.url for request in visit.pending)}"
    )
    visit.loaded = True
    return visit


def _wait_for(page: Page, done: Callable[[], bool]) -> bool:
    """Let Playwright deliver the browser's events until ``done()``: ``False`` if that takes too long."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(10)
    return True


class _Opened:
    """Pages opened once for the module and kept open, each visit shared by the checks that read it.

    A check may change a page it shares only if it puts it back as it was.
    """

    def __init__(self, context: BrowserContext) -> None:
        self._context = context
        self._pages: dict[str, tuple[Page, Visit]] = {}

    def __call__(self, url: str, *, ready: str | None = None) -> tuple[Page, Visit]:
        """The page at ``url`` as loaded (see :func:`_visit`), and what happened while it loaded."""
        if url not in self._pages:
            page = self._context.new_page()
            try:
                self._pages[url] = (page, _visit(page, url, ready=ready))
            except BaseException:
                page.close()
                raise
        return self._pages[url]

    def late_problems(self) -> dict[str, list[str]]:
        """What each page did wrong once loaded, after being quiet for :data:`QUIET_S` (or not at all)."""
        problems = {}
        for url, (page, visit) in self._pages.items():
            quiet = _wait_for(page, visit.quiet)
            late = visit.late_errors + [f"asked another host for {remote}" for remote in visit.late_remote]
            if not quiet:
                unanswered = sorted(request.url for request in visit.pending)
                late.append(f"never quiet for {QUIET_S} s within {SETTLE_TIMEOUT_S:.0f} s; unanswered: {unanswered}")
            if late:
                problems[url] = late
        return problems

    def close(self) -> None:
        for page, _ in self._pages.values():
            page.close()


@pytest.fixture(scope="module")
def opened(context: BrowserContext) -> Iterator[_Opened]:
    """Open each page at most once for the module; when it ends, check what the pages did after loading.

    Each page must by then have made no request for :data:`QUIET_S` (what Playwright's ``networkidle``
    waits for), and none may have erred, failed a request or asked another host since it loaded. All
    pages wait out those 500 ms together, instead of each visit on its own; a failure is reported at
    the teardown of the module's last test, naming each page and what it did.
    """
    pages = _Opened(context)
    yield pages
    try:
        problems = pages.late_problems()
    finally:
        pages.close()
    if problems:
        report = "".join(f"\n{url}: {late}" for url, late in problems.items())
        pytest.fail(f"pages that erred, failed a request or asked another host after loading:{report}", pytrace=False)


_IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = "eager"; });
  const loaded = (img) => img.complete ? Promise.resolve() : new Promise((done) => {
    img.addEventListener("load", done); img.addEventListener("error", done); });
  await Promise.race([Promise.all(images.map(loaded)), new Promise((done) => setTimeout(done, 15000))]);
  return images.map((img) => ({src: img.currentSrc || img.src, alt: img.getAttribute("alt"), width: img.naturalWidth}));
}"""

_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const wide = [];
  for (const el of document.querySelectorAll("#main-content *")) {
    const box = el.getBoundingClientRect();
    if ((box.width > width || box.right > width + 1) && !clipped(el)) wide.push(`${name(el)} (${Math.round(box.width)} px)`);
  }
  const article = document.querySelector("article.bd-article");
  const column = article ? article.getBoundingClientRect().right : width;
  const spill = [];
  for (const el of article ? article.querySelectorAll("*") : []) {
    const box = el.getBoundingClientRect();
    if (box.right > column + 1 && !clipped(el)) spill.push(`${name(el)} (right edge ${Math.round(box.right)} > ${Math.round(column)})`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10), spill: spill.slice(0, 10)};
}"""


class _LinkTargets:
    """Fetch each internal page once and remember its ids, to check links and their anchors."""

    def __init__(self) -> None:
        self._ids: dict[str, set[str] | int] = {}

    def check(self, url: str) -> str | None:
        """``None`` if ``url`` resolves (status 200, and its ``#anchor`` exists), else the problem."""
        page, fragment = urldefrag(url)
        if page not in self._ids:
            try:
                with urllib.request.urlopen(page, timeout=10) as response:
                    body = response.read()
                    is_html = response.headers.get_content_type() == "text/html"
                    self._ids[page] = _parse(body.decode("utf-8")).ids if is_html else set()
            except urllib.error.HTTPError as error:
                self._ids[page] = error.code
        ids = self._ids[page]
        if isinstance(ids, int):
            return f"{url}: status {ids}"
        if fragment and unquote(fragment) not in ids:
            return f"{url}: no element with id {unquote(fragment)!r}"
        return None


@pytest.fixture(scope="session")
def link_targets() -> _LinkTargets:
    return _LinkTargets()


@pytest.mark.parametrize("name", PAGES)
def test_each_page_loads_cleanly_with_images_links_and_no_overflow(
    name: str, opened: _Opened, base_url: str, link_targets: _LinkTargets
) -> None:
    page, visit = opened(f"{base_url}{name}.html")
    assert visit.status == 200
    images = page.evaluate(_IMAGES_JS)
    if SHOTS:
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / f"{name}.png"), full_page=True)

    assert visit.errors == [], f"{name}: {visit.errors}"
    assert visit.remote == [], f"{name} asked another host for {visit.remote}"
    broken = [image["src"] for image in images if image["width"] == 0 or not (image["alt"] or "").strip()]
    assert broken == [], f"{name}: images not loaded or without alt text: {broken}"

    hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    internal = sorted({href for href in hrefs if href.startswith(base_url)})
    assert internal, f"{name} links nowhere"
    problems = [problem for href in internal if (problem := link_targets.check(href))]
    assert problems == [], f"{name}: broken links {problems}"

    layout = page.evaluate(_OVERFLOW_JS)
    assert layout["scrollWidth"] <= layout["width"], f"{name} scrolls sideways: {layout}"
    assert layout["wide"] == [], f"{name}: elements wider than the window: {layout['wide']}"
    assert layout["spill"] == [], f"{name}: elements sticking out of the text column: {layout['spill']}"


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_code_is_hidden_until_asked_for_and_outputs_show(name: str, opened: _Opened, base_url: str) -> None:
    page, _ = opened(f"{base_url}{name}.html")
    cells = page.locator("div.cell")
    assert cells.count() > 0 and cells.count() == page.locator("div.cell.tag_hide-input").count()
    inputs = page.locator("div.cell_input")
    assert inputs.count() == cells.count()
    assert not any(inputs.nth(i).is_visible() for i in range(inputs.count())), "a code input is shown by default"
    figures = page.locator("div.cell_output img")
    assert all(figures.nth(i).is_visible() for i in range(figures.count()))
    toggle = page.locator("div.cell details > summary").first
    toggle.click()
    assert inputs.first.is_visible(), "the toggle does not show the code"
    toggle.click()  # fold it again: the page is shared with the other checks that read it
    assert not inputs.first.is_visible(), "the toggle does not hide the code again"
    assert page.locator("#pst-page-toc-nav a").count() >= 3, "no 'On this page' contents"


@pytest.mark.parametrize("name", ["index", NOTEBOOK_PAGES[-1], "explore", "search"])
def test_pages_work_opened_from_disk(name: str, opened: _Opened, built: Built) -> None:
    page, visit = opened((built.html / f"{name}.html").as_uri())
    assert visit.errors == [] and visit.remote == [], f"{name}: {visit}"
    images = page.evaluate(_IMAGES_JS)
    assert all(image["width"] > 0 for image in images), f"{name}: images not loaded from disk"


def test_the_glossary_page_explains_nmf(opened: _Opened, base_url: str) -> None:
    page, _ = opened(f"{base_url}glossary.html")
    term = page.locator("dl.glossary dt", has_text="NMF").first
    assert term.is_visible()
    assert "non-negative" in term.locator("xpath=following-sibling::dd[1]").inner_text().lower()


def test_every_notebook_is_one_sidebar_click_from_the_front_page(page: Page, base_url: str) -> None:
    front = f"{base_url}index.html"
    _visit(page, front)
    for i, name in enumerate(NOTEBOOK_PAGES):
        if i:
            page.go_back(wait_until="load")  # to the front page
        assert page.url == front, f"{name}: not back on the front page but on {page.url}"
        page.locator(f'nav.bd-docs-nav a[href="{name}.html"]').click()
        page.wait_for_url(f"{base_url}{name}.html")
        assert page.locator("article h1").first.inner_text().startswith(name[:2]), name


def test_the_explore_page_sizes_each_chart_frame_to_fit(opened: _Opened, base_url: str, built: Built) -> None:
    page, visit = opened(f"{base_url}explore.html")
    assert visit.errors == []
    frames = page.locator("iframe.explore-frame")
    assert frames.count() == len(built.charts) > 0
    for i, chart in enumerate(built.charts):
        element = frames.nth(i).element_handle()
        assert element is not None
        content = element.content_frame()
        assert content is not None and content.title() == chart.title
        page.wait_for_function(
            "frame => frame.getBoundingClientRect().height >= frame.contentDocument.documentElement.scrollHeight",
            arg=element,
            timeout=5000,
        )
        assert page.get_by_role("heading", name=chart.title).is_visible()


def test_search_finds_a_glossary_term(opened: _Opened, base_url: str) -> None:
    # loaded once the search says it has finished (and each result's summary is fetched)
    page, visit = opened(f"{base_url}search.html?q=silhouette", ready="#search-results p.search-summary:not(:empty)")
    page.wait_for_selector("#search-results ul.search li", timeout=10_000)
    assert visit.errors == []
    assert page.locator("#search-results ul.search li a", has_text="Glossary").count() >= 1
