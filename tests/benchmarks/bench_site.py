"""Site start-up benchmark: how long until NumPy is ready, first paint, bytes moved.

Measured in fresh browser contexts (cold HTTP cache) against the built site served on
127.0.0.1, so the numbers are what a reader on a fast local network would see. Printed
as a table; never asserted.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, build_site  # noqa: E402

RUNS = 5


def measure(browser, url: str, demo: bool) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    sizes = []
    page.on("requestfinished", lambda r: sizes.append(r))
    t0 = time.perf_counter()
    page.goto(url, wait_until="load")
    ready_s = None
    if demo:
        page.wait_for_function(
            "() => ['ready','error'].includes(document.querySelector('.demo').dataset.state)", timeout=120_000)
        ready_s = time.perf_counter() - t0
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
    page.wait_for_load_state("networkidle")
    total = 0
    for r in sizes:
        try:
            s = r.sizes()
            total += s["responseBodySize"] + s["responseHeadersSize"]
        except Exception:
            pass
    ctx.close()
    return {"ready_s": ready_s, "fcp_ms": fcp, "bytes": total}


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        proc = build_site(site)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        srv = SiteServer(site)
        lecture = next((p for p in ("lectures/01-fundamentos/", "laboratorio/") if (site / p).exists()))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                demo = [measure(browser, srv.url + "laboratorio/", True) for _ in range(RUNS)]
                page = [measure(browser, srv.url + lecture, False) for _ in range(RUNS)]
                browser.close()
        finally:
            srv.close()
    med = statistics.median
    print(f"\nSite start-up (median of {RUNS} fresh browser contexts, local server)")
    print(f"{'measure':<44}{'median':>12}{'min':>12}{'max':>12}")
    rows = [
        ("navigation -> NumPy ready (s)", [d["ready_s"] for d in demo], "{:.2f}"),
        ("first contentful paint, demo page (ms)", [d["fcp_ms"] for d in demo], "{:.0f}"),
        (f"first contentful paint, {lecture} (ms)", [d["fcp_ms"] for d in page], "{:.0f}"),
        ("bytes transferred, demo page (MB)", [d["bytes"] / 1e6 for d in demo], "{:.2f}"),
        ("bytes transferred, lecture page (MB)", [d["bytes"] / 1e6 for d in page], "{:.2f}"),
    ]
    for name, vals, fmt in rows:
        vals = [v for v in vals if v is not None]
        if vals:
            print(f"{name:<44}{fmt.format(med(vals)):>12}{fmt.format(min(vals)):>12}{fmt.format(max(vals)):>12}")


if __name__ == "__main__":
    main()
