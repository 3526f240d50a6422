"""Offline after the first visit: the service worker (Workbox, sitebuild/sw.py) keeps the
pages, the assets and, once a demo has run, the Python runtime."""

from __future__ import annotations

import json
import re

from conftest import RUNTIME_MODULE, SiteServer, wait_for_demo
from test_python_cell import set_code

SEED_004_RESULT = [4, 3, 4, 2, 4, 3, 2, 3, 4]
DEMO = '[data-demo="conv-proof"]'


def visit_until_cached(page, url):
    page.goto(url)
    assert wait_for_demo(page, DEMO) == "ready"
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => document.documentElement.dataset.courseOffline === 'python'")


def test_visited_page_reloads_offline_and_its_demo_computes(server, context):
    page = context.new_page()
    page.goto(server.url)
    # A runtime cache of an earlier build: deleted once this build's runtime is kept.
    page.evaluate("() => caches.open('curso-python-0123456789ab').then((c) => c.put('/old', new Response('x')))")
    visit_until_cached(page, server.url + "laboratorio/")
    names = page.evaluate("() => caches.keys()")
    current = page.get_attribute('meta[name="course-runtime-cache"]', "content")
    assert current in names and "curso-python-0123456789ab" not in names, names
    context.set_offline(True)
    try:
        page.reload()
        assert wait_for_demo(page, DEMO) == "ready"
        page.wait_for_function(f"() => document.querySelector('{DEMO}').dataset.result")
        assert json.loads(page.get_attribute(DEMO, "data-result")) == SEED_004_RESULT
        assert page.locator("article h1").inner_text().startswith("Laboratorio")
        # Another page of the site, never opened, is in the precache too.
        page.goto(server.url + "lectures/03-clasificacion/")
        assert page.locator("article h1").count() == 1
    finally:
        context.set_offline(False)


REGISTER_SPY = """(() => {
    const sw = navigator.serviceWorker, register = sw.register.bind(sw);
    sw.register = (...args) => {
        (window.__registeredWhile ||= []).push(document.documentElement.dataset.pythonState || "no-python");
        return register(...args);
    };
})()"""


def test_the_service_worker_is_installed_once_python_has_started(server, context):
    """Installing the service worker downloads the whole precache (11 MB): offline.js
    registers it only after the page's load and once its Python is no longer starting,
    so the first start of Python has the cores to itself."""
    page = context.new_page()
    page.add_init_script(REGISTER_SPY)
    for path, state in (("laboratorio/", "ready"), ("glosario/", "no-python")):
        page.goto(server.url + path)
        page.wait_for_function("() => window.__registeredWhile", timeout=120_000)
        assert page.evaluate("() => window.__registeredWhile") == [state], path
    page.close()


def python_start(page) -> str:
    """How the page's Python started: "made" (fresh, a memory snapshot made; "stored"
    once cached) or "used" (restored from one)."""
    state = page.evaluate(f"async () => (await {RUNTIME_MODULE}).getRuntime().snapshot")
    return "made" if state == "stored" else state


def demo_result(page):
    page.wait_for_function(f"() => document.querySelector('{DEMO}').dataset.result")
    return json.loads(page.get_attribute(DEMO, "data-result"))


SPOIL_SNAPSHOT = """async (kind) => {
    const name = document.querySelector('meta[name="course-runtime-cache"]').content;
    const key = new URL("../assets/vendor/pyodide/memory-snapshot.bin", location.href).href;
    const bytes = new Uint8Array(kind === "damaged" ? 4096 : 144 + 20 * 1024 * 1024);
    if (kind === "damaged") bytes.fill(7);
    else new Uint32Array(bytes.buffer, 0, 4).set([0x706e7300, 144, 2, 0]);  // whole, build id 0
    await (await caches.open(name)).put(key, new Response(bytes));
}"""


def test_python_starts_again_from_its_memory_snapshot_and_survives_a_bad_one(server, context):
    """The first start stores Python's start-up memory; the next page restores it
    (pyodide-worker.js). A damaged copy, or a whole one of another Pyodide build, is
    dropped: Python starts the plain way and stores a good one. The demo computes the
    same numbers every time."""
    starts = []
    for spoil in ("damaged", "other build", None, None):
        page = context.new_page()
        page.goto(server.url + "laboratorio/")
        assert wait_for_demo(page, DEMO) == "ready"
        starts.append(python_start(page))
        assert demo_result(page) == SEED_004_RESULT
        if starts[-1] == "made":  # the copy is written after "ready": wait, then spoil it
            page.wait_for_function("() => document.documentElement.dataset.pythonStart === 'stored'")
        if spoil:
            page.evaluate(SPOIL_SNAPSHOT, spoil)
        page.close()
    assert starts == ["made", "made", "made", "used"]


def test_a_new_build_replaces_the_cache_and_says_so(site_dir, tmp_path, context):
    """A changed file gives a new service worker; the page offers it in Spanish and,
    accepted, shows the new content from the new cache."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    srv = SiteServer(site)
    try:
        page = context.new_page()
        visit_until_cached(page, srv.url + "laboratorio/")
        index = site / "laboratorio" / "index.html"
        index.write_text(index.read_text().replace("</h1>", " (versión 2)</h1>", 1))
        sw = site / "sw.js"
        # The build's precache manifest records each file's revision: bump this one.
        text = sw.read_text()
        text, n = re.subn(r'(url:"laboratorio/index\.html",revision:")[0-9a-f]+"', r'\g<1>0000new"', text)
        assert n == 1, "precache entry for laboratorio/index.html not found in sw.js"
        sw.write_text(text)
        page.reload()
        assert "versión 2" not in page.locator("article h1").inner_text()  # still the cached build
        page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
        notice = page.locator('.course-notice[data-kind="update"]')
        notice.wait_for()
        assert "versión nueva del curso" in notice.inner_text()
        notice.get_by_role("button", name="Actualizar").click()
        page.wait_for_function("() => (document.querySelector('article h1') || {}).textContent?.includes('versión 2')")
    finally:
        srv.close()


def test_second_load_through_the_service_worker_is_cross_origin_isolated(server, context):
    """The test server sends no COOP/COEP (like GitHub Pages): the first load is not
    isolated; once the service worker controls the page, a reload is, and «Detener»
    stops Python through the interrupt buffer: the same worker goes on."""
    cell = '[data-demo="python-cell"]'
    page = context.new_page()
    page.goto(server.url + "demos/")
    assert page.evaluate("self.crossOriginIsolated") is False
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()
    assert page.evaluate("self.crossOriginIsolated") is True
    assert wait_for_demo(page, cell) == "ready"
    page.wait_for_function(f"() => +document.querySelector('{cell}').dataset.runs >= 1")
    assert page.evaluate(f"async () => (await {RUNTIME_MODULE}).getRuntime().interruptible") is True
    page.evaluate(f"async () => {{ window.__worker = (await {RUNTIME_MODULE}).getRuntime().worker; }}")
    set_code(page, "n = 0\nwhile True:\n    n += 1", cell)
    page.click(f"{cell} button:has-text('Ejecutar')")
    page.wait_for_function("sel => document.querySelector(sel).dataset.busy === 'true'", arg=cell)
    page.click(f"{cell} button:has-text('Detener')")
    page.wait_for_function("sel => document.querySelector(sel).dataset.busy !== 'true'", arg=cell)
    assert "interrumpida" in page.inner_text(f"{cell} > .demo-error")
    assert page.evaluate(f"async () => (await {RUNTIME_MODULE}).getRuntime().worker === window.__worker")


# ---------------------------------------------------------------- every demo, offline

EVERY_DEMO_SETTLED = """async () => {
    // Every demo of the page, in order: brought into view (Python and the weights start
    // only near a demo), then waited for until it is ready and has drawn all it was asked.
    const settled = (el) => (el.dataset.ready === "true" || ["ready", "done"].includes(el.dataset.state))
        && el.dataset.busy !== "true"
        && (el.dataset.requested === undefined || el.dataset.done === el.dataset.requested);
    const failed = (el) => el.dataset.state === "error" || el.dataset.ready === "error" || Boolean(el.dataset.errorCode);
    const out = [];
    for (const el of document.querySelectorAll("[data-demo]")) {
        el.scrollIntoView({block: "center"});
        const t0 = performance.now();
        while (!settled(el) && !failed(el) && performance.now() - t0 < 90000) {
            await new Promise((r) => setTimeout(r, 100));
        }
        const box = el.querySelector(".demo-error");
        out.push({demo: el.dataset.demo, ok: settled(el) && !failed(el),
                  error: (box && !box.hidden ? box.textContent : "") || el.dataset.errorCode || ""});
    }
    return out;
}"""


def test_every_demo_works_offline_on_pages_never_opened(server, context, site_dir):
    """A teacher opens only the home page online; in the lecture hall, with no network,
    every page with a demo works, the three trained networks included (the service worker
    precaches the weights and fetches the Python runtime as soon as it is installed)."""
    pages = [p for p in ("laboratorio/", "demos/", "ejercicios/", *(
        f"lectures/{d.parent.name}/" for d in sorted((site_dir / "lectures").glob("*/index.html"))))
        if 'data-demo="' in (site_dir / p / "index.html").read_text()]
    assert len(pages) >= 7, pages
    page = context.new_page()
    page.goto(server.url)
    assert page.locator("[data-demo]").count() == 0  # the home page runs no Python
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
    page.wait_for_function("() => document.documentElement.dataset.courseOffline === 'python'", timeout=120_000)
    context.set_offline(True)
    try:
        families = set()
        for path in pages:
            page.goto(server.url + path)
            results = page.evaluate(EVERY_DEMO_SETTLED)
            assert results and all(r["ok"] for r in results), (path, [r for r in results if not r["ok"]])
            families |= {r["demo"] for r in results}
            if path == "laboratorio/":
                assert demo_result(page) == SEED_004_RESULT
            if page.locator('[data-demo="digit-explorer"]').count():
                sample = page.locator('[data-demo="digit-explorer"] .cw-sample').first
                sample.click()
                page.wait_for_function("() => document.querySelector('[data-demo=\"digit-explorer\"]').dataset.prediction")
                assert page.get_attribute('[data-demo="digit-explorer"]', "data-prediction") == \
                    sample.get_attribute("data-torch-pred")
            if page.locator('[data-demo="segmenter"]').count():
                page.wait_for_function("() => document.querySelector('[data-demo=\"segmenter\"]').dataset.dice")
                dice = [d for d in json.loads(page.get_attribute('[data-demo="segmenter"]', "data-dice")).values()
                        if d is not None]
                assert dice and sum(dice) / len(dice) > 0.5, dice
            if page.locator('[data-demo="diffusion-sampler"]').count():
                sampler = '[data-demo="diffusion-sampler"]'
                page.fill(f"{sampler} input[aria-label='Pasos DDIM']", "4")
                page.click(f"{sampler} button:has-text('Generar')")
                page.wait_for_function(f"() => document.querySelector(`{sampler}`).dataset.state === 'done'",
                                       timeout=60_000)
                sample = json.loads(page.get_attribute(sampler, "data-sample"))
                assert len(sample) == 28 * 28 and -1 <= min(sample) < max(sample) <= 1
        assert {"digit-explorer", "segmenter", "diffusion-sampler", "conv-proof", "exercise"} <= families
    finally:
        context.set_offline(False)


def test_weights_that_cannot_be_fetched_give_a_spanish_message(server, context):
    """No copy kept and no network: the network demo says so in Spanish and says what to
    do, never a raw «TypeError: Failed to fetch»."""
    context.route("**/assets/models/*.npz", lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    page.goto(server.url + "lectures/08-difusion/")
    sampler = '[data-demo="diffusion-sampler"]'
    page.locator(sampler).scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelector(`{sampler}`).dataset.errorCode", timeout=120_000)
    assert page.get_attribute(sampler, "data-error-code") == "offline"
    text = page.inner_text(f"{sampler} .demo-error")
    assert "Abre el curso una vez con conexión" in text and "TypeError" not in text and "Failed" not in text
