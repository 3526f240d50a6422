"""Shared fixtures: the built site, a local HTTP server for it, and headless Chromium.

The site is built once per session into a temporary folder with `mkdocs build
--strict` (the build itself is a test: a warning fails it). Browser tests run Debian's
Chromium through Playwright, never a downloaded browser.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium 156 loads its omnibox popup (a WebUI page, about 1 s of CPU) for every new
    # tab, even headless; tests and benchmarks open many tabs and share 2 cores with it.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# A JS expression for page.evaluate: the page's own runtime module (the instance its demos
# use; ES modules load once per URL), e.g. `(await RUNTIME_MODULE).getRuntime().worker`.
RUNTIME_MODULE = ("import(new URL('pyodide-runtime.js',"
                  " document.querySelector('script[src$=\"assets/js/main.js\"]').src))")


def build_site(dest: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=600,
    )


def site_or_build(site: Path | None) -> Path:
    """The benches' site: `site` when given, else a fresh strict build in a temporary folder."""
    if site:
        return site
    import tempfile

    dest = Path(tempfile.mkdtemp()) / "site"
    proc = build_site(dest)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    return dest


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site built once per session. While iterating on tests only, COURSE_SITE=<folder>
    reuses a build made with `mkdocs build --strict -d <folder>` (never set in `make test`)."""
    if os.environ.get("COURSE_SITE"):
        return Path(os.environ["COURSE_SITE"])
    dest = tmp_path_factory.mktemp("site")
    proc = build_site(dest)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return dest


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as URL paths ('' for the home page)."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith("assets/"):
            continue
        pages.append(rel.removesuffix("index.html"))
    return pages


class _Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict = {}

    def end_headers(self):
        for k, v in self.extra_headers.items():
            self.send_header(k, v)
        super().end_headers()

    def log_message(self, *args):  # keep pytest output clean
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the browser dropped a response it no longer needed (a page left mid-load)


class SiteServer:
    """Serves a folder on 127.0.0.1 in a thread; `headers` are added to every response."""

    def __init__(self, root: Path, headers: dict | None = None):
        handler = type("Handler", (_Handler,), {"extra_headers": headers or {}})
        handler = functools.partial(handler, directory=str(root))
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(site_dir):
    srv = SiteServer(site_dir)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def isolated_server(site_dir):
    """The same site with cross-origin isolation, so Pyodide's interrupt buffer works."""
    srv = SiteServer(
        site_dir,
        {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"},
    )
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageWatch:
    """Records what a page requests and logs, to assert that nothing leaves the machine."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", self._on_request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def clear(self):
        """Forget what was recorded (before the next page of a walk)."""
        for seen in (self.requests, self.external, self.failed, self.console_errors):
            seen.clear()

    def _on_request(self, request):
        self.requests.append(request.url)
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            self.external.append(request.url)


def local_context(browser, **options):
    """A browser context in which anything off the machine is aborted (and recorded by
    PageWatch): belt and braces on a machine that may have a network."""
    ctx = browser.new_context(**options)
    ctx.route(
        lambda url: urlparse(url).hostname not in LOCAL_HOSTS and urlparse(url).scheme in ("http", "https"),
        lambda route: route.abort(),
    )
    return ctx


@contextlib.contextmanager
def page_without_the_mounter(browser):
    """A page whose mounter (main.js) is never served, and the Pyodide wasm requests it
    makes: what python-early.js decides on its own. Yields (page, wasm_urls)."""
    ctx = local_context(browser, service_workers="block", viewport={"width": 1280, "height": 720})
    ctx.route("**/assets/js/main.js", lambda route: route.abort())
    try:
        page = ctx.new_page()
        wasm = []
        page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm") and wasm.append(r.url))
        yield page, wasm
    finally:
        ctx.close()


@pytest.fixture
def context(browser):
    ctx = local_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    pg.watch = PageWatch(pg)
    return pg


def open_slide_with_demo(page, url: str, demo: str) -> tuple[int, str]:
    """Open `url` in slide mode on the first slide that holds the demo `demo`; return that
    slide's number and the demo's selector on the shown slide."""
    page.goto(url + "?slides")
    page.wait_for_selector(".slides-deck .slide-frame")
    n = page.evaluate("d => [...document.querySelectorAll('.slide-frame')]"
                      ".findIndex(f => f.querySelector(`[data-demo=${d}]`)) + 1", demo)
    assert n > 0, f"no slide of {url} holds the demo {demo}"
    page.evaluate("n => { location.hash = 'slide-' + n; }", n)
    return n, f'.slide-frame:not([hidden]) [data-demo="{demo}"]'


def wait_for_demo(page, selector: str, timeout: float = 90_000):
    """Scroll the demo into view (Python starts only near a demo), then wait until its
    runtime is ready or failed; return its state."""
    page.wait_for_selector(selector, state="attached", timeout=timeout)
    page.eval_on_selector(selector, "el => el.scrollIntoView({block: 'center'})")
    page.wait_for_function(
        "sel => { const el = document.querySelector(sel); return el && ['ready', 'error'].includes(el.dataset.state); }",
        arg=selector,
        timeout=timeout,
    )
    return page.eval_on_selector(selector, "el => el.dataset.state")


@pytest.fixture(scope="module")
def one_thread():
    """One CPU thread for the tiny models (no OpenMP spin-waiting on a busy shared machine);
    restored after the module. Use with `pytestmark = pytest.mark.usefixtures("one_thread")`."""
    import torch  # here, so that conftest also loads where only NumPy is installed

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# The rules axe runs by default whose outcome depends on the colour scheme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="session")
def axe():
    """check(page, where="", only=None) -> the page's serious and critical axe-core findings,
    one line each, run once the page has loaded and a11y.js has marked its scrollable regions.
    `only` restricts the run to these axe rules (e.g. the colour rules, for a second scheme)."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def check(page, where: str = "", only: list[str] | None = None) -> list[str]:
        page.wait_for_load_state("load")
        page.wait_for_function("() => document.documentElement.dataset.a11y === 'ready'")
        options = {"runOnly": {"type": "rule", "values": only}} if only else None
        return [f"{where}{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
                for v in runner.run(page, options=options).response["violations"]
                if v["impact"] in ("serious", "critical")]

    return check


# ------------------------------------------------------------------ the fast tier

# Fixtures that open Chromium or train a network: a test that uses one (directly or
# through another fixture) is left out of `make test-fast`.
SLOW_FIXTURES = {"browser", "quick_out"}


def pytest_addoption(parser):
    parser.addoption("--fast", action="store_true",
                     help="the edit-test loop: everything except Chromium and training (make test-fast)")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--fast"):
        return
    keep, drop = [], []
    for item in items:
        slow = SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())) or item.get_closest_marker("training")
        (drop if slow else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_configure(config):
    config.addinivalue_line("markers", "training: trains a network (left out of make test-fast)")


# No silent skips under `make test` (COURSE_STRICT=1): tests/strict_skips.py.
from strict_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: E402,F401
