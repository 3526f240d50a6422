"""The platform: a strict, offline site whose demos run NumPy in the browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import (COLOUR_RULES, ROOT, RUNTIME_MODULE, PageWatch, SiteServer, build_site, built_pages,
                      local_context, wait_for_demo)

SEED_004_RESULT = [4, 3, 4, 2, 4, 3, 2, 3, 4]


def test_every_page_is_built(site_dir):
    pages = built_pages(site_dir)
    assert "" in pages and "laboratorio/" in pages
    # Pyodide core and NumPy are served by the site itself.
    pyodide = site_dir / "assets" / "vendor" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    for entry in lock["packages"].values():
        assert (pyodide / entry["file_name"]).exists()
    assert (site_dir / "demos" / "imageops.py").exists()


def test_demos_run_from_one_hash_checked_wheel(server, site_dir, context, browser):
    """The worker loads demos/ as the one wheel the page names (sha256 included), not as
    loose files; a wheel whose bytes differ from that hash is refused with a clear reason."""
    import hashlib
    import zipfile

    (whl,) = (site_dir / "demos").glob("demos-*-py3-none-any.whl")
    names = set(zipfile.ZipFile(whl).namelist())
    assert "demos/bridge.py" in names and not any("exercises" in n for n in names)
    page = context.new_page()
    requested = []
    page.on("request", lambda r: "/demos/" in r.url and requested.append(r.url.rsplit("/", 1)[1]))
    page.goto(server.url + "laboratorio/")
    meta = page.locator('meta[name="course-demos-wheel"]')
    assert meta.get_attribute("data-sha256") == hashlib.sha256(whl.read_bytes()).hexdigest()
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
    assert requested == [whl.name.replace("+", "%2B")] or requested == [whl.name], requested

    other = browser.new_context(service_workers="block")  # the route must see the request
    tampered = other.new_page()
    tampered.route("**/demos/*.whl", lambda route: route.fulfill(
        body=whl.read_bytes() + b"\0", content_type="application/octet-stream"))
    tampered.goto(server.url + "laboratorio/")
    assert wait_for_demo(tampered, '[data-demo="conv-proof"]') == "error"
    assert "no coincide" in tampered.inner_text('[data-demo="conv-proof"] .demo-status')
    other.close()


def linkcheck(url: str) -> subprocess.CompletedProcess:
    """linkchecker from `url`, following every link on the local server (others ignored)."""
    return subprocess.run(
        [sys.executable, "-m", "linkcheck", "--no-status", "--no-warnings", "-o", "text",
         "--no-robots", "--ignore-url=^(?!http://127\\.0\\.0\\.1)", url],
        capture_output=True, text=True, timeout=600,
    )


def test_no_broken_internal_links(server):
    """Every page, image, script and stylesheet reachable from the home page exists."""
    proc = linkcheck(server.url)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_link_checker_catches_a_broken_link(tmp_path):
    """The same linkcheck call, on a two-page site with one good link, one broken link and
    one missing image: it fails and names both (a copy of the whole site would only repeat
    the crawl above)."""
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "index.html").write_text("<!doctype html><title>ok</title><p>ok</p>")
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>x</title><a href="ok/">ok</a>'
        '<a href="no-such-page/">x</a><img src="missing.png" alt="x">')
    srv = SiteServer(tmp_path)
    try:
        proc = linkcheck(srv.url)
    finally:
        srv.close()
    assert proc.returncode != 0
    assert "no-such-page" in proc.stdout and "missing.png" in proc.stdout
    assert "/ok/" not in proc.stdout.replace("no-such-page", ""), proc.stdout


@pytest.fixture(scope="module")
def light_walk(server, site_dir, browser, axe):
    """Every page once, light scheme, its demos ready: per page, what left the machine,
    what failed, what the console reported, and axe's serious findings (one walk for the
    two tests below: the page loads, not the checks, are what costs)."""
    ctx = local_context(browser, color_scheme="light")
    page = ctx.new_page()
    page.watch = PageWatch(page)
    found = {}
    try:
        for path in built_pages(site_dir):
            page.watch.clear()
            page.goto(server.url + path, wait_until="load")
            if page.query_selector(".demo"):
                wait_for_demo(page, ".demo")
            page.wait_for_load_state("networkidle")
            w = page.watch
            found[path] = {"external": list(w.external), "failed": list(w.failed),
                           "console": list(w.console_errors), "axe": axe(page, f"{path}: ")}
    finally:
        ctx.close()
    return found


def test_pages_make_no_external_request_and_log_no_error(light_walk):
    for path, f in light_walk.items():
        assert not f["external"], f"{path}: requests off the machine: {f['external']}"
        assert not f["failed"], f"{path}: failed requests: {f['failed']}"
        assert not f["console"], f"{path}: console errors: {f['console']}"


def test_math_is_typeset(server, page):
    page.goto(server.url + "laboratorio/")
    page.wait_for_selector(".arithmatex .katex", timeout=10_000)
    # Inline and display math both rendered, no KaTeX error left in the page.
    assert page.locator(".arithmatex .katex-display").count() >= 1
    assert page.locator(".katex-error").count() == 0


def test_numpy_in_the_browser_computes_seed_004_example(server, page):
    page.goto(server.url + "laboratorio/")
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
    page.wait_for_function("() => document.querySelector('[data-demo=\"conv-proof\"]').dataset.result")
    result = json.loads(page.get_attribute('[data-demo="conv-proof"]', "data-result"))
    assert result == SEED_004_RESULT
    assert "NumPy" in page.inner_text('[data-demo="conv-proof"] .demo-status')


def test_demo_says_why_when_pyodide_is_missing(server, context):
    """Pyodide blocked: the page stays readable and the demo names what failed."""
    context.route("**/assets/vendor/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(server.url + "laboratorio/")
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "error"
    status = page.inner_text('[data-demo="conv-proof"] .demo-status')
    assert "No se pudo cargar Python" in status and "Motivo" in status
    assert "pyodide" in status.lower()
    assert page.locator("article h1").inner_text().startswith("Laboratorio")
    assert page.locator("article").inner_text().count("Convolución") >= 1


def test_missing_cache_and_registry_give_a_clear_error(tmp_path):
    """No cache and no registry: the build names the file and the command to fetch it."""
    code = (
        "import sys; from pathlib import Path; from sitebuild import vendor\n"
        "try:\n    vendor.prepare(Path(sys.argv[1]))\n"
        "except vendor.VendorError as e:\n    print(e); sys.exit(3)\n"
    )
    env = {**os.environ, "PATH": str(tmp_path / "no-bin"), "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache")], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "pyodide@0.27.7" in proc.stdout and "make vendor" in proc.stdout


def test_cdn_setting_switches_pyodide_source(tmp_path):
    dest = tmp_path / "site"
    proc = build_site(dest, {"PYODIDE_SOURCE": "cdn"})
    assert proc.returncode == 0, proc.stderr
    html = (dest / "laboratorio" / "index.html").read_text()
    assert 'content="https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"' in html
    assert not (dest / "assets" / "vendor" / "pyodide").exists()


def test_axe_no_serious_violations(light_walk):
    problems = [line for f in light_walk.values() for line in f["axe"]]
    assert not problems, "\n".join(problems)


def test_axe_finds_no_colour_problem_in_the_dark_scheme(server, site_dir, browser, axe):
    """Only colours change with the scheme, so the dark pass runs axe's colour rules
    (those it runs by default: AA contrast and links told apart from text)."""
    ctx = browser.new_context(color_scheme="dark")
    page = ctx.new_page()
    problems = []
    try:
        for path in built_pages(site_dir):
            page.goto(server.url + path, wait_until="load")
            problems += axe(page, f"{path}: ", only=COLOUR_RULES)
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("sub_path", ["", "curso/"])
def test_site_link_keeps_instant_navigation_and_python_on_any_host(site_dir, tmp_path, context, sub_path):
    """Served on a random port (and under /curso/, like a GitHub project site), a site
    link swaps the page without a reload and the tab's Python worker lives on."""
    if sub_path:
        root = tmp_path / "root"
        root.mkdir()
        (root / sub_path.rstrip("/")).symlink_to(site_dir, target_is_directory=True)
    srv = SiteServer(root if sub_path else site_dir)
    try:
        page = context.new_page()
        wasm = []
        page.on("request", lambda r: r.url.endswith("pyodide.asm.wasm") and wasm.append(r.url))
        page.goto(srv.url + sub_path + "laboratorio/")
        assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
        page.evaluate("window.__sameDocument = true")  # a full reload would drop it
        page.click('.md-sidebar--primary a.md-nav__link[href$="lectures/02-convolucion/"]')
        page.wait_for_url(srv.url + sub_path + "lectures/02-convolucion/")
        assert wait_for_demo(page, ".demo[data-demo]") == "ready"
        assert page.evaluate("window.__sameDocument === true"), "the site link reloaded the page"
        assert len(wasm) == 1, f"Python runtime requested again: {wasm}"
    finally:
        srv.close()


def test_math_in_headings_is_typeset_in_toc_and_search(server, context):
    """Lecture 7's «predecir \\(\\varepsilon\\)» shows as a formula, not as TeX source."""
    page = context.new_page()
    page.goto(server.url + "lectures/08-difusion/")
    link = page.locator('.md-sidebar--secondary .md-nav--secondary a[href$="#aprender-a-quitar-ruido-predecir-varepsilon"]')
    link.locator(".katex").first.wait_for(state="attached")
    assert "\\(" not in link.inner_text() and "varepsilon" not in link.inner_text()
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("predecir")
    results = page.locator(".md-search-result__list")
    results.locator(".katex").first.wait_for(state="attached")
    assert "\\(" not in results.inner_text()


@pytest.mark.parametrize("how", ["click", "key"])
def test_search_index_loads_only_when_search_is_opened(server, page, how):
    """theme-fixes.js holds Material's request for the search index (0.5 MB, then about a
    second of index building) until the reader opens search, by its button or its "/" key;
    the search then works."""
    page.goto(server.url + "glosario/", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.watch.requests if "search_index.json" in u]
    assert page.evaluate("() => document.documentElement.dataset.searchIndex") == "held"
    with page.expect_request(lambda r: "search/search_index.json" in r.url, timeout=30_000):
        if how == "click":
            page.locator("label.md-search__icon, .md-search__input").first.click()
        else:
            page.keyboard.press("/")
    assert page.evaluate("() => document.documentElement.dataset.searchIndex") == "requested"
    page.locator(".md-search__input").press_sequentially("convolución")
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)


def test_wide_tables_scroll_inside_their_box_on_a_phone(server, browser):
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, service_workers="block")
    try:
        page = ctx.new_page()
        page.goto(server.url + "lectures/02-convolucion/")
        page.wait_for_selector(".md-typeset__scrollwrap .katex")
        widths = page.evaluate("""() => ({
            page: document.documentElement.scrollWidth,
            view: innerWidth,
            wideTables: [...document.querySelectorAll('.md-typeset__scrollwrap')]
                .filter((w) => w.scrollWidth > w.clientWidth + 1).length })""")
        assert widths["wideTables"] >= 1, "no table is wider than the phone: the test proves nothing"
        assert widths["page"] <= widths["view"], f"the page is {widths['page']} px wide on a {widths['view']} px phone"
    finally:
        ctx.close()


def test_progress_page_starts_no_python(server, page):
    """docs/progreso/ holds only exercise-progress (`needsPython: false`): scrolled to and
    clicked, it draws its list and the page never requests the Python runtime."""
    page.goto(server.url + "progreso/")
    demo = '[data-demo="exercise-progress"]'
    page.wait_for_selector(demo + "[data-ready]")
    page.eval_on_selector(demo, "el => el.scrollIntoView({block: 'center'})")
    page.click(demo + " table thead th:last-child")  # the table itself, not one of its links
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.dataset.python") == "none"
    runtime = [u for u in page.watch.requests if "/assets/vendor/pyodide/" in u or "pyodide-worker" in u]
    assert not runtime, f"the progress page loaded Python: {runtime}"
    assert page.locator(demo + " .demo-status").inner_text() == ""


def test_a_call_resumed_across_a_restart_waits_for_the_new_worker(server, page):
    """Without isolation «Detener» replaces the worker. A call made before it (still
    waiting on the old worker's start) is stopped like the rest; one made right after
    runs on the new worker once its Python is ready, never posted before its init."""
    page.goto(server.url + "laboratorio/")
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
    got = page.evaluate(f"""async () => {{
        const rt = (await {RUNTIME_MODULE}).getRuntime();
        if (rt.interruptible) return "isolated";
        const old = rt.worker;
        const size = () => rt.call("demos.imageops", "output_size", [28, 5], {{stride: 2, padding: 1}});
        const before = size();
        rt.interrupt();
        const after = size();
        const first = await before.then(() => "ran", (err) => err.record.kind);
        return [first, await after, rt.worker !== old];
    }}""")
    assert got == ["interrupted", 13, True]


def test_figures_load_when_the_reader_nears_them_and_all_at_once_in_slides(server, browser):
    """A lecture read at the top does not download its figures further down (lazy, their
    box kept: sitebuild/images.py); scrolling to one loads it; slide mode, and so print,
    loads every image of the deck at once (none arrives late on the projector)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, service_workers="block")
    try:
        page = ctx.new_page()
        figure = 'article img[src$="figures/kernel_effects.png"]'
        asked = []
        page.on("request", lambda r: r.url.endswith("kernel_effects.png") and asked.append(r.url))
        page.goto(server.url + "lectures/02-convolucion/", wait_until="load")
        page.wait_for_load_state("networkidle")
        box = page.locator(figure).bounding_box()
        assert box["y"] > 3 * 720 and box["height"] > 200  # far below, and its box is kept
        assert not asked, "a figure far below the first screen was downloaded"
        page.locator(figure).scroll_into_view_if_needed()
        page.wait_for_function(f"() => document.querySelector('{figure}').naturalWidth > 0")
        assert abs(page.locator(figure).bounding_box()["height"] - box["height"]) < 1  # nothing moved
        for mode in ("slides", "slides&print"):
            page.goto(server.url + f"lectures/02-convolucion/?{mode}", wait_until="load")
            page.wait_for_selector(".slides-deck")
            page.wait_for_function("""() => [...document.querySelectorAll('.slides-deck img')]
                .every((img) => img.loading === 'eager' && img.complete && img.naturalWidth > 0)""", timeout=60_000)
    finally:
        ctx.close()


STYLE_DIFF = """([scheme, css]) => {
    // Every computed style of the notebook's elements (and of their ::before/::after
    // when drawn) in `scheme`, then again with `css` appended: the differences, at most 10.
    document.body.setAttribute('data-md-color-scheme', scheme);
    // One element per ancestry of tags and classes (and first/last child): the others are
    // styled alike, and checking the thousands of highlighted tokens one by one takes minutes.
    const kinds = new Map();
    const path = (el) => el.classList.contains('jupyter-wrapper') ? 'W'
        : path(el.parentElement) + '>' + el.tagName + '.' + [...el.classList].sort().join('.');
    document.querySelectorAll('.jupyter-wrapper, .jupyter-wrapper *').forEach((el) => {
        const key = path(el) + (el.previousElementSibling ? '' : ':first') + (el.nextElementSibling ? '' : ':last');
        if (!kinds.has(key)) kinds.set(key, el);
    });
    const els = [...kinds.values()];
    const snapshot = () => els.flatMap((el) => [null, '::before', '::after'].map((pseudo) => {
        const cs = getComputedStyle(el, pseudo);
        if (pseudo && cs.content === 'none') return '';
        let text = '';
        for (let k = 0; k < cs.length; k++) text += cs[k] + ':' + cs.getPropertyValue(cs[k]) + ';';
        return text;
    }));
    const before = snapshot();
    const extra = document.createElement('style');
    extra.textContent = css;
    document.body.append(extra);
    const after = snapshot();
    extra.remove();
    const diffs = [];
    after.forEach((text, i) => {
        if (text === before[i] || diffs.length >= 10) return;
        const el = els[Math.floor(i / 3)], old = new Set(before[i].split(';'));
        diffs.push(`${scheme} <${el.tagName.toLowerCase()} class="${el.className}">${['', '::before', '::after'][i % 3]}: `
                   + text.split(';').filter((d) => !old.has(d)).slice(0, 4).join('; '));
    });
    return {elements: els.length, diffs};
}"""


@pytest.mark.parametrize("notebook", ["03-taller-mnist", "07-difusion"])
def test_notebook_pages_carry_only_the_styles_they_use_and_look_the_same(server, site_dir, page, notebook):
    """A notebook page's inline Jupyter CSS is pruned to its own classes (575 KB -> about
    50 KB); adding JupyterLab's whole stylesheet back changes no computed style of any
    element or pseudo-element of the notebook, in the light and the dark scheme."""
    from importlib import resources

    from sitebuild import notebook_css

    html = (site_dir / "notebooks" / notebook / "index.html").read_text()
    inline = sum(len(m.group(2)) for m in notebook_css.STYLE.finditer(html))
    assert inline < 100_000, f"{notebook}: {inline} bytes of inline notebook CSS"
    assets = resources.files("mkdocs_jupyter") / "templates" / "mkdocs_html" / "assets"
    full = (assets / "index.css").read_text() + (assets / "theme-light.css").read_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + f"notebooks/{notebook}/")
    page.wait_for_selector(".jupyter-wrapper .jp-Cell")
    for scheme in ("default", "slate"):
        found = page.evaluate(STYLE_DIFF, [scheme, full])
        assert found["elements"] > 100
        assert not found["diffs"], "styles differ with the full stylesheet:\n" + "\n".join(found["diffs"])
