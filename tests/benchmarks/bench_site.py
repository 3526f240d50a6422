"""Site start-up benchmark: time to "NumPy ready" cold and warm, and bytes per page.

- cold: a fresh browser context (empty HTTP cache, no service worker) opens the demo
  page; the clock runs from navigation to the demo's "ready".
- warm: the same context after one visit (service worker installed, Python runtime and
  Python's start-up memory snapshot in its cache) opens the page again in a new tab, so
  Python boots again from the cache, restoring the snapshot (pyodide-worker.js).
- bytes: what each page transfers when read at the top in a fresh context (page
  requests only), and the size of the service worker's precache (downloaded once in
  the background after the first visit).

Against the built site served on 127.0.0.1. Printed as a table; never asserted.
Goals on the course machine: warm <= 1.5 s, cold <= 3 s. The browser runs with the
tests' arguments (conftest.CHROMIUM_ARGS): each measurement opens a new tab, and
Chromium would otherwise load its omnibox popup for it at the same moment.
"""

from __future__ import annotations

import gzip
import re
import statistics
import tempfile
import time
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, build_site, built_pages

RUNS = 5
DEMO_PAGE = "laboratorio/"
READY = "() => ['ready','error'].includes((document.querySelector('.demo') || {dataset: {}}).dataset.state)"


def time_to_ready(ctx, url: str, start: str) -> float:
    """Seconds from navigation to the demo's "ready"; `start` is how Python must have
    started ("made": fresh, "used": from the memory snapshot), so a warm run that fell
    back to a fresh start is not reported as warm."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(READY, timeout=120_000, polling=20)
    elapsed = time.perf_counter() - t0
    state = page.eval_on_selector(".demo", "el => el.dataset.state")
    if start == "made":  # the next start needs the copy in the cache
        page.wait_for_function("() => document.documentElement.dataset.pythonStart === 'stored'", timeout=60_000)
    how = page.evaluate("() => document.documentElement.dataset.pythonStart")
    page.close()
    if state != "ready":
        raise SystemExit(f"demo failed to start at {url}")
    if how.replace("stored", "made") != start:
        raise SystemExit(f"Python started as {how!r}, expected {start!r} at {url}")
    return elapsed


# What a static host (GitHub Pages, nginx) sends gzip-compressed; the local server sends none.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


def page_bytes(browser, url: str) -> tuple[int, int]:
    """(bytes as served here, bytes as a host that gzips text would send them)."""
    ctx = browser.new_context(service_workers="block")
    page = ctx.new_page()
    done = []
    page.on("requestfinished", lambda r: done.append(r))
    page.goto(url, wait_until="load")
    try:
        page.wait_for_load_state("networkidle", timeout=60_000)
    except Exception:  # a page that starts Python keeps the network busy longer
        pass
    total = gzipped = 0
    for r in done:
        try:
            s = r.sizes()
            head, body = s["responseHeadersSize"], s["responseBodySize"]
            total += head + body
            kind = (r.response().headers.get("content-type") or "")
            gzipped += head + (len(gzip.compress(r.response().body(), 6)) if kind.startswith(COMPRESSIBLE) else body)
        except Exception:
            pass
    ctx.close()
    return total, gzipped


def precache_bytes(site: Path) -> int:
    sw = site / "sw.js"
    if not sw.exists():
        return 0
    urls = re.findall(r'url:"([^"]+)"', sw.read_text())
    return sum((site / u).stat().st_size for u in urls if (site / u).exists())


def report_times(cold: list[float], warm: list[float]) -> None:
    med = statistics.median
    print(f"\nSite start-up (median of {RUNS}, local server, {DEMO_PAGE})")
    print(f"{'measure':<44}{'median':>10}{'min':>10}{'max':>10}")
    for name, vals in (("cold: navigation -> NumPy ready (s)", cold), ("warm: navigation -> NumPy ready (s)", warm)):
        print(f"{name:<44}{med(vals):>10.2f}{min(vals):>10.2f}{max(vals):>10.2f}")
    print(f"{'warm / cold':<44}{med(warm) / med(cold):>10.2f}")
    print(f"{'goals: warm <= 1.5 s, cold <= 3 s':<44}{'met' if med(warm) <= 1.5 and med(cold) <= 3 else 'not met':>10}",
          flush=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        proc = build_site(site)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        srv = SiteServer(site)
        url = srv.url + DEMO_PAGE
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                cold = []
                for _ in range(RUNS):
                    ctx = browser.new_context()
                    cold.append(time_to_ready(ctx, url, "made"))
                    ctx.close()
                ctx = browser.new_context()
                first = ctx.new_page()
                first.goto(url)
                first.wait_for_function(READY, timeout=120_000)
                first.wait_for_function("() => document.documentElement.dataset.courseOffline === 'python'",
                                        timeout=120_000)
                first.wait_for_function("() => document.documentElement.dataset.pythonStart === 'stored'",
                                        timeout=120_000)
                first.close()
                warm = [time_to_ready(ctx, url, "used") for _ in range(RUNS)]
                ctx.close()
                report_times(cold, warm)
                pages = {path or "(inicio)": page_bytes(browser, srv.url + path) for path in built_pages(site)}
                browser.close()
        finally:
            srv.close()
        pre = precache_bytes(site)
    print("\nBytes per page, read at the top (no service worker): as served here, and with gzip")
    print("as a static host sends text (goal: under 2 MB)")
    for path, (n, z) in pages.items():
        print(f"  {path:<42}{n / 1e6:>10.2f} MB{z / 1e6:>10.2f} MB")
    print(f"  {'service-worker precache (once, background)':<42}{pre / 1e6:>10.2f} MB")


if __name__ == "__main__":
    main()
