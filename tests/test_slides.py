"""Presentation mode (docs/assets/js/slides.js) on the sample deck docs/presentar.md.

Runs in Debian's Chromium. The page has 10 slides: title, 8 `##` sections and one
forced `<hr class="slide-break">` (slide 7); slide 4 has a 3-item incremental list and
slide 5 the conv-proof demo.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from conftest import wait_for_demo
from test_site import SEED_004_RESULT

SLIDES = 10
DEMO_SLIDE = 5
VISIBLE_SLIDES = "section.slide[role=region][aria-roledescription=diapositiva]:visible"
MINUTES = 30  # docs/presentar.md front matter `minutes:`


@pytest.fixture(scope="module")
def deck_url(server):
    return server.url + "presentar/"


def state(page) -> dict:
    """Where the deck is: slide number (from the URL), counter text, active flag."""
    return page.evaluate("""() => ({
        active: document.documentElement.classList.contains('slides-active'),
        url: location.search + location.hash,
        counter: document.querySelector('.slides-counter')?.textContent || null,
        live: document.querySelector('.slides-sr')?.textContent || null,
        pending: document.querySelectorAll('.inc-pending').length,
    })""")


def at(page, n: int):
    page.wait_for_function("n => location.hash === '#slide-' + n", arg=n, timeout=5_000)
    assert page.locator(VISIBLE_SLIDES).count() == 1
    assert page.inner_text(".slides-counter") == f"{n} / {SLIDES}"


def test_enter_and_leave_by_button_key_and_url(page, deck_url):
    page.goto(deck_url)
    assert not state(page)["active"]
    button = page.get_by_role("button", name="Presentar")
    button.click()
    at(page, 1)
    assert state(page)["url"] == "?slides#slide-1"
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar").first.is_visible()
    page.keyboard.press("Escape")
    assert not state(page)["active"] and state(page)["url"] == ""
    assert page.locator(".slides-deck").count() == 0 and page.locator("article .demo").count() == 1

    page.keyboard.press("p")
    at(page, 1)
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    at(page, 3)
    page.keyboard.press("Escape")  # back to reading at the same section
    assert state(page)["url"] == "#teclas"
    box = page.locator("#teclas").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2

    page.goto(deck_url + "?slides")
    at(page, 1)


def test_navigation_keys_and_incremental_list(page, deck_url):
    page.goto(deck_url + "?slides")
    page.keyboard.press("ArrowRight")
    at(page, 2)
    assert state(page)["live"] == f"Diapositiva 2 de {SLIDES}"
    page.keyboard.press(" ")
    at(page, 3)
    page.keyboard.press("PageDown")
    at(page, 4)
    assert state(page)["pending"] == 3  # the incremental list starts hidden...
    for left in (2, 1, 0):
        page.keyboard.press("ArrowRight")
        assert state(page)["pending"] == left  # ...and shows one item per "next"
    at(page, 4)
    page.keyboard.press("ArrowRight")
    at(page, 5)
    page.keyboard.press("PageUp")
    at(page, 4)
    assert state(page)["pending"] == 0  # coming back, the list is complete
    page.keyboard.press("ArrowLeft")
    assert state(page)["pending"] == 1
    page.keyboard.press("End")
    at(page, SLIDES)
    page.keyboard.press("Home")
    at(page, 1)
    page.keyboard.press("ArrowLeft")
    at(page, 1)
    page.keyboard.press("7")
    page.keyboard.press("Enter")
    at(page, 7)
    # Overview: every slide is a thumbnail; Enter on one jumps to it.
    page.keyboard.press("o")
    assert page.locator(VISIBLE_SLIDES).count() == SLIDES
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    at(page, 5)
    # Up and down move by a whole row of thumbnails.
    page.keyboard.press("o")
    cols = int(page.evaluate("() => getComputedStyle(document.querySelector('.slides-deck')).getPropertyValue('--cols')"))
    assert 2 <= cols <= SLIDES - 5
    focused = "() => document.activeElement.getAttribute('aria-label')"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused).startswith(f"Ir a la diapositiva {5 + cols}:")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(focused).startswith(f"Ir a la diapositiva {5 - cols}:")
    page.keyboard.press("Escape")
    at(page, 5)
    assert not page.watch.console_errors


def test_touch_swipe(browser, deck_url):
    ctx = browser.new_context(has_touch=True)
    page = ctx.new_page()
    try:
        page.goto(deck_url + "?slides#slide-2")
        swipe = """dx => { const v = document.querySelector('.slides-viewport');
            const t = (x) => [new Touch({identifier: 1, target: v, clientX: x, clientY: 300})];
            v.dispatchEvent(new TouchEvent('touchstart', {touches: t(600), changedTouches: t(600), bubbles: true}));
            v.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: t(600 + dx), bubbles: true})); }"""
        page.evaluate(swipe, -200)
        at(page, 3)
        page.evaluate(swipe, 200)
        page.evaluate(swipe, 200)
        at(page, 1)
    finally:
        ctx.close()


def test_deep_link_and_reload(page, deck_url):
    page.goto(deck_url + "?slides#slide-6")
    at(page, 6)
    page.keyboard.press("ArrowRight")
    at(page, 7)  # the forced slide break
    page.reload()
    at(page, 7)
    assert "Con un proyector" in page.locator(VISIBLE_SLIDES).inner_text()


def clock_text(page, sel: str) -> int:
    """A presenter clock's "mm:ss" (or "−mm:ss") as seconds."""
    text = page.inner_text(sel)
    m = re.fullmatch(r"(−?)(\d+):(\d\d)", text)
    assert m, text
    return (-1 if m[1] else 1) * (int(m[2]) * 60 + int(m[3]))


def test_notes_presenter_view_and_sync(context, deck_url):
    """S opens the presenter view; the two windows follow each other both ways."""
    audience = context.new_page()
    audience.goto(deck_url + "?slides")
    notes = audience.locator(VISIBLE_SLIDES).locator("details.notes")
    assert notes.count() == 1 and not notes.is_visible()
    with context.expect_page() as popup:
        audience.keyboard.press("s")
    presenter = popup.value
    presenter.wait_for_selector(".presenter-notes-body")
    assert "?presenter#slide-1" in presenter.url
    assert "Empieza presentando" in presenter.inner_text(".presenter-notes-body")
    assert "Entrar y salir" in presenter.inner_text(".presenter-next-box")

    audience.keyboard.press("ArrowRight")
    presenter.wait_for_function("() => location.hash === '#slide-2'", timeout=5_000)
    assert "Si compartes" in presenter.inner_text(".presenter-notes-body")
    presenter.locator(".slides-viewport").focus()
    presenter.keyboard.press("ArrowRight")
    at(audience, 3)
    presenter.keyboard.press("End")
    at(audience, SLIDES)
    assert "Fin de la presentación" in presenter.inner_text(".presenter-next-box")

    # Two audience windows of the same page stay together too.
    other = context.new_page()
    other.goto(deck_url + "?slides#slide-2")
    other.keyboard.press("ArrowRight")
    at(audience, 3)
    presenter.wait_for_function("() => location.hash === '#slide-3'", timeout=5_000)
    audience.keyboard.press("Home")
    at(other, 1)

    # The presenter blanks the audience's screen and brings it back.
    presenter.wait_for_function("() => location.hash === '#slide-1'", timeout=5_000)
    presenter.keyboard.press("b")
    audience.wait_for_selector(".slides-blank", state="visible", timeout=5_000)
    assert presenter.locator(".slides-blank").is_visible()  # dimmed, with a label, for the presenter
    presenter.keyboard.press("b")
    audience.wait_for_selector(".slides-blank", state="hidden", timeout=5_000)


def test_presenter_clock_counts_down_the_planned_minutes(browser, deck_url):
    """The front matter's `minutes:` is the plan; the pace compares it with the slide
    on screen. Time comes from Playwright's clock, so nothing depends on the wall."""
    ctx = browser.new_context()
    try:
        ctx.clock.install(time=datetime(2026, 1, 1, 9, 0, 0))
        ctx.clock.pause_at(datetime(2026, 1, 1, 9, 0, 0, 500_000))
        page = ctx.new_page()
        page.goto(deck_url + "?presenter#slide-1")
        page.wait_for_selector(".presenter-remaining")
        assert page.input_value("#presenter-minutes") == str(MINUTES)
        assert clock_text(page, ".presenter-elapsed") == 0
        assert clock_text(page, ".presenter-remaining") == MINUTES * 60
        page.locator(".slides-viewport").focus()
        page.keyboard.press("t")  # the talk starts (the clock waits for it: test_slides_trust.py)
        ctx.clock.run_for("05:00")
        assert clock_text(page, ".presenter-elapsed") == 300
        assert clock_text(page, ".presenter-remaining") == MINUTES * 60 - 300
        # Slide 1 of 10 after five minutes: behind plan by five minutes.
        assert page.inner_text(".presenter-pace") == "Retrasado 05:00"
        page.locator(".slides-viewport").focus()
        for _ in range(4):
            page.keyboard.press("PageDown")  # slide 4's list takes three steps...
        page.keyboard.press("5")
        page.keyboard.press("Enter")  # ...so jump: slide 5 is planned at 4/10 of 30 min = 12:00
        page.wait_for_function("() => location.hash === '#slide-5'")
        assert page.inner_text(".presenter-pace") == "Adelantado 07:00"
        page.fill("#presenter-minutes", "12")  # planned at 4:48: within a minute is on time
        assert page.inner_text(".presenter-pace") == "A tiempo"
        page.fill("#presenter-minutes", "6")
        assert clock_text(page, ".presenter-remaining") == 60
        assert page.inner_text(".presenter-pace") == "Retrasado 02:36"  # 4/10 of 6 min = 2:24
        ctx.clock.run_for("02:00")
        assert clock_text(page, ".presenter-remaining") == -60
        assert "is-over" in page.get_attribute(".presenter-remaining", "class")
    finally:
        ctx.close()


def test_presenter_enlarges_the_notes(page, deck_url):
    page.goto(deck_url + "?presenter#slide-2")
    body = page.locator(".presenter-notes-body")
    size = lambda: page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.presenter-notes-body p')).fontSize)")
    before = size()
    page.get_by_role("button", name="Notas más grandes").click()
    page.get_by_role("button", name="Notas más grandes").click()
    assert size() == before + 8
    page.locator(".slides-viewport").focus()
    page.keyboard.press("-")
    assert size() == before + 4
    page.reload()  # remembered
    body.wait_for()
    assert size() == before + 4


def test_presenter_opens_on_its_slide_or_joins_the_audience(context, browser, deck_url):
    # Alone, ?presenter#slide-N opens on slide N.
    alone = browser.new_context()
    try:
        p = alone.new_page()
        p.goto(deck_url + "?presenter#slide-3")
        at(p, 3)
        assert "Revelar por pasos" in p.inner_text(".presenter-next-box")
    finally:
        alone.close()
    # Opened later next to an audience window, it jumps to the audience's slide.
    audience = context.new_page()
    audience.goto(deck_url + "?slides#slide-6")
    at(audience, 6)
    presenter = context.new_page()
    presenter.goto(deck_url + "?presenter#slide-1")
    presenter.wait_for_function("() => location.hash === '#slide-6'", timeout=5_000)
    at(audience, 6)


def test_laser_and_pen_reach_the_audience(context, deck_url):
    audience = context.new_page()
    audience.goto(deck_url + "?slides#slide-2")
    presenter = context.new_page()
    presenter.goto(deck_url + "?presenter#slide-2")
    presenter.wait_for_function("() => location.hash === '#slide-2'")
    frame = presenter.locator(".slides-viewport .slide-frame:not([hidden])")
    box = frame.bounding_box()
    presenter.locator(".slides-viewport").focus()
    presenter.keyboard.press("l")
    presenter.mouse.move(box["x"] + 0.25 * box["width"], box["y"] + 0.5 * box["height"])
    audience.wait_for_selector(".slide-laser", state="visible", timeout=5_000)
    dot = audience.locator(".slide-laser").bounding_box()
    screen = audience.locator(".slide-frame:not([hidden])").bounding_box()
    fx = (dot["x"] + dot["width"] / 2 - screen["x"]) / screen["width"]
    fy = (dot["y"] + dot["height"] / 2 - screen["y"]) / screen["height"]
    assert abs(fx - 0.25) < 0.01 and abs(fy - 0.5) < 0.01, (fx, fy)
    presenter.keyboard.press("l")  # laser off
    audience.wait_for_selector(".slide-laser", state="hidden", timeout=5_000)

    presenter.keyboard.press("d")
    presenter.mouse.move(box["x"] + 0.2 * box["width"], box["y"] + 0.3 * box["height"])
    presenter.mouse.down()
    for k in range(1, 11):
        presenter.mouse.move(box["x"] + (0.2 + 0.04 * k) * box["width"], box["y"] + 0.3 * box["height"])
    presenter.mouse.up()
    audience.wait_for_function("() => document.querySelector('.slide-ink-canvas').dataset.strokes === '1'", timeout=5_000)
    # Ink on the audience's canvas along the stroke, none off it.
    ink = """([fx, fy]) => { const c = document.querySelector('.slide-ink-canvas');
        const d = c.getContext('2d').getImageData(Math.round(fx * c.width), Math.round(fy * c.height), 1, 1).data;
        return d[3]; }"""
    assert audience.evaluate(ink, [0.4, 0.3]) > 0
    assert audience.evaluate(ink, [0.4, 0.7]) == 0
    presenter.keyboard.press("c")
    audience.wait_for_function("() => document.querySelector('.slide-ink-canvas').dataset.strokes === '0'", timeout=5_000)
    assert audience.evaluate(ink, [0.4, 0.3]) == 0


def test_blank_screen_and_f5(page, deck_url):
    page.goto(deck_url)
    page.evaluate("() => { window.notReloaded = true; }")
    page.keyboard.press("F5")  # a remote's start button: the show, not a reload
    at(page, 1)
    assert page.evaluate("() => window.notReloaded")
    for key in ("b", "."):
        page.keyboard.press(key)
        assert page.locator(".slides-blank").is_visible()
        page.keyboard.press(key)
        assert not page.locator(".slides-blank").is_visible()
        at(page, 1)
    page.keyboard.press("b")
    page.keyboard.press("PageDown")  # any other key brings the slide back, and acts
    assert not page.locator(".slides-blank").is_visible()
    at(page, 2)
    page.keyboard.press("Escape")
    # Shift+F5 starts at the section being read.
    page.locator("#teclas").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, document.querySelector('#teclas').getBoundingClientRect().top + scrollY - 60)")
    page.keyboard.press("Shift+F5")
    at(page, 3)
    assert page.evaluate("() => window.notReloaded")


def test_demo_runs_inside_a_slide(page, deck_url):
    page.goto(deck_url + f"?slides#slide-{DEMO_SLIDE}")
    demo = page.locator(VISIBLE_SLIDES).locator('.demo[data-demo="conv-proof"]')
    assert demo.count() == 1 and page.locator(".demo").count() == 1  # moved, not cloned
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
    page.wait_for_function("() => document.querySelector('[data-demo=\"conv-proof\"]').dataset.result")
    assert json.loads(demo.get_attribute("data-result")) == SEED_004_RESULT
    page.keyboard.press("Escape")
    at_home = page.locator("article .demo[data-demo=conv-proof]")
    assert at_home.count() == 1 and json.loads(at_home.get_attribute("data-result")) == SEED_004_RESULT
    assert not page.watch.console_errors and not page.watch.external


def test_remote_keys_from_inside_a_demo(page, deck_url):
    """A clicker's PageDown always moves the deck; arrows and Space too, unless the
    focus is a text field or a slider, whose arrows are their own."""
    page.goto(deck_url + f"?slides#slide-{DEMO_SLIDE}")
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
    page.wait_for_function("() => document.querySelector('[data-demo=\"conv-proof\"]').dataset.result")
    page.locator(VISIBLE_SLIDES).locator(".demo").evaluate("""el => {
        el.querySelector('.demo-row').remove();  // room for the probes on the slide
        const add = (html) => { el.insertAdjacentHTML('beforeend', html); return el.lastElementChild; };
        add('<button type="button" class="probe-button">Paso siguiente</button>')
          .addEventListener('click', () => { el.dataset.clicks = String(1 + Number(el.dataset.clicks || 0)); });
        add('<input type="checkbox" class="probe-check" aria-label="caja">');
        add('<select class="probe-select" aria-label="lista"><option>a</option><option>b</option></select>');
        add('<canvas class="probe-canvas" tabindex="0" width="40" height="20"></canvas>');
        add('<input type="text" class="probe-text" aria-label="texto" value="abcd">');
        add('<input type="range" class="probe-range" aria-label="deslizador" min="0" max="10" value="5">');
    }""")
    def back():  # by the deck's own keys: a new hash would make Material render the page again
        page.locator(".slides-viewport").focus()
        page.keyboard.press(str(DEMO_SLIDE))
        page.keyboard.press("Enter")
        at(page, DEMO_SLIDE)

    for sel in (".probe-button", ".probe-check", ".probe-select", ".probe-canvas"):
        for key in ("PageDown", "ArrowRight", " "):
            page.locator(sel).click() if sel != ".probe-select" else page.locator(sel).focus()
            page.keyboard.press(key)
            at(page, DEMO_SLIDE + 1)
            back()
        page.locator(sel).focus()
        page.keyboard.press("PageUp")
        at(page, DEMO_SLIDE - 1)
        back()
    assert page.locator(".demo").get_attribute("data-clicks") == "3"  # the clicks still work
    assert page.locator(".probe-select").input_value() == "a"  # the deck's arrows did not change it

    text = page.locator(".probe-text")
    text.click()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press(" ")
    at(page, DEMO_SLIDE)
    assert text.input_value() == "ab cd" and text.evaluate("el => el.selectionStart") == 3
    page.keyboard.press("PageDown")
    at(page, DEMO_SLIDE + 1)
    back()
    page.locator(".probe-range").focus()
    page.keyboard.press("ArrowRight")
    at(page, DEMO_SLIDE)
    assert page.locator(".probe-range").input_value() == "6"
    page.keyboard.press("PageDown")
    at(page, DEMO_SLIDE + 1)
    back()
    # Esc leaves the field; then the arrows are the deck's again.
    text.click()
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    at(page, DEMO_SLIDE + 1)
    assert not page.watch.console_errors


def test_slide_mode_events_and_class(page, deck_url):
    page.add_init_script("""window.slideEvents = [];
        for (const t of ['course:slides-open', 'course:slides-close', 'course:slide-change'])
          document.addEventListener(t, (e) => window.slideEvents.push([t, e.detail && e.detail.index,
            e.detail && e.detail.slide ? e.detail.slide.tagName : null,
            document.documentElement.classList.contains('slides-mode')]));""")
    page.goto(deck_url)
    assert not page.evaluate("() => document.documentElement.classList.contains('slides-mode')")
    page.keyboard.press("p")
    at(page, 1)
    page.keyboard.press("ArrowRight")
    at(page, 2)
    page.keyboard.press("Escape")
    assert page.evaluate("() => window.slideEvents") == [
        ["course:slides-open", None, None, True],
        ["course:slide-change", 0, "SECTION", True],
        ["course:slide-change", 1, "SECTION", True],
        ["course:slides-close", None, None, False],
    ]


FILL = """([sel, html]) => { const box = document.querySelector(sel); box.insertAdjacentHTML('beforeend', html); }"""
ZOOM = "() => parseFloat(document.querySelector('.slide-frame:not([hidden]) .slide-content').style.zoom || '1')"
FITS = """() => { const s = document.querySelector('.slide-frame:not([hidden]) section.slide');
    return s.scrollHeight <= s.clientHeight + 1 && s.scrollWidth <= s.clientWidth + 1; }"""


def grow_until(page, html: str, zoom_below: float):
    """Add `html` to the current slide until the fit zooms it below `zoom_below`."""
    for _ in range(60):
        page.evaluate(FILL, [".slide-frame:not([hidden]) .slide-content", html])
        page.wait_for_function("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
        if page.evaluate(ZOOM) < zoom_below:
            return
    raise AssertionError("the slide never needed a zoom")


def test_fit_takes_the_largest_zoom_that_fits(page, deck_url):
    page.set_viewport_size({"width": 1280, "height": 754})  # canvas 1280×720 at scale 1
    page.goto(deck_url + "?slides#slide-6")
    grow_until(page, "<p>Una línea más para llenar la diapositiva.</p>", 0.999)
    zoom = page.evaluate(ZOOM)
    assert 0.85 <= zoom < 1 and page.evaluate(FITS)
    # The largest: a little more zoom and the slide overflows.
    assert not page.evaluate(f"""() => {{ document.querySelector('.slide-frame:not([hidden]) .slide-content').style.zoom = {zoom + 0.02};
        return ({FITS})(); }}""")
    # Wide code is fitted by width too: zoomed, and no box scrolls sideways.
    page.goto(deck_url + "?slides#slide-2")
    at(page, 2)
    assert page.evaluate(ZOOM) == 1
    page.evaluate(FILL, [".slide-frame:not([hidden]) .slide-content", "<pre><code>" + "ancho " * 14 + "</code></pre>"])
    page.wait_for_function(ZOOM.replace("() =>", "() => 1 >"))
    assert page.evaluate(ZOOM) >= 0.85 and page.evaluate(FITS)
    assert page.evaluate("""() => Array.from(document.querySelectorAll('.slide-frame:not([hidden]) pre > code'))
        .every((c) => c.scrollWidth <= c.clientWidth + 1)""")


LONG_LINE = ("<div class='highlight'><pre><code><span id='__span-9-1'>def f(x):\n</span>"
             "<span id='__span-9-2'>    return x" + " + x" * 60 + "\n</span></code></pre></div>")


def test_code_wider_than_the_slide_wraps_with_a_hanging_indent(page, deck_url):
    """Only when the smallest zoom is not enough: the long line wraps, and its
    continuation starts past the line's own indentation, not at the left margin."""
    page.set_viewport_size({"width": 1280, "height": 754})
    page.goto(deck_url + "?slides#slide-2")
    at(page, 2)
    assert page.locator(".slide--wrap").count() == 0
    page.evaluate(FILL, [".slide-frame:not([hidden]) .slide-content", LONG_LINE])
    page.wait_for_selector(".slide-frame:not([hidden]) section.slide--wrap")
    assert page.evaluate(ZOOM) >= 0.85 and page.evaluate(FITS)
    assert page.locator(".slide-frame:not([hidden]) section.slide--overflow").count() == 0
    rows = page.evaluate("""() => {
        const text = document.getElementById('__span-9-2').lastChild, r = document.createRange();
        r.selectNodeContents(text);
        const code = text.parentElement.closest('code').getBoundingClientRect().left;
        const one = document.createRange();
        one.setStart(text, 0); one.setEnd(text, 1);
        const ch = one.getBoundingClientRect().width;
        const left = new Map();  // row top -> leftmost text on it, in columns from the code box
        for (const x of r.getClientRects()) {
          const top = Math.round(x.top), at = (x.left - code) / ch;
          left.set(top, Math.min(left.get(top) ?? Infinity, at));
        }
        return [...left.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    }""")
    # Every continuation starts 4 + 2 columns past the first row (its 4 spaces included).
    assert len(rows) >= 2 and all(abs(x - rows[0] - 6) < 0.1 for x in rows[1:]), rows


@pytest.mark.parametrize("src, width, height, grown", [
    # course.css caps a diagram on a slide at 350 px high; this slide has room for more.
    ("../lectures/diagrams/01-neurona.svg", 200, 100, "g.offsetHeight > 360"),
    # A figure (1827×716 px) set at 360 px for the reading column takes the slide's width.
    ("../figures/kernel_effects.png", 360, 141, "g.offsetWidth > 900"),
])
def test_a_diagram_grows_into_the_room_its_slide_has(page, deck_url, src, width, height, grown):
    """Diagram and figure labels are sized for the reading column: a slide with room draws
    them larger (up to 3×, still fitting unzoomed, shape kept); reading mode gets them back
    as they were."""
    page.set_viewport_size({"width": 1280, "height": 754})
    page.goto(deck_url)
    page.evaluate("""([src, w, h]) => document.querySelector('article hr.slide-break').insertAdjacentHTML('afterend',
        `<p><img id='grow' src='${src}' width='${w}' height='${h}' alt='x'></p>`)""", [src, width, height])
    page.keyboard.press("p")
    for k in ("7", "Enter"):
        page.keyboard.press(k)
    at(page, 7)
    page.wait_for_function(f"() => {{ const g = document.getElementById('grow'); return {grown}; }}")
    assert page.evaluate(ZOOM) == 1 and page.evaluate(FITS)
    assert page.evaluate("getComputedStyle(document.getElementById('grow')).objectFit") == "contain"  # its shape kept
    box, natural = page.evaluate("() => { const g = document.getElementById('grow');"
                                 " return [g.offsetWidth / g.offsetHeight, g.naturalWidth / g.naturalHeight]; }")
    assert box == pytest.approx(natural, rel=0.03)
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.documentElement.classList.contains('slides-active')")
    assert page.evaluate("() => { const g = document.getElementById('grow'); return [g.getAttribute('style') || '', g.offsetWidth]; }") == ["", width]


def test_references_slide_lists_short_citations(page, server):
    """A lecture's «Referencias» is one readable slide of short citations in slide mode;
    the reading page keeps the whole list."""
    url = server.url + "lectures/07-generativos/"
    page.goto(url)
    full = page.locator("h2#referencias + ul > li")
    n = full.count()
    assert n >= 5 and page.locator(".slides-cites").count() == 0
    page.goto(url + "?slides#slide-1")
    page.wait_for_selector(".slides-deck", state="attached")
    page.keyboard.press("End")
    slide = page.locator(VISIBLE_SLIDES)
    assert slide.get_attribute("aria-label").startswith("Referencias")
    cites = slide.locator(".slides-cites > li").all_inner_texts()
    assert len(cites) == n
    for c in ("Goodfellow et al. (2014)", "Mirza y Osindero (2014)", "Radford et al. (2016)", "Zhou et al. (2016)"):
        assert c in cites, cites
    assert cites == sorted(cites, key=str.lower)
    assert not slide.locator("h2#referencias + ul").is_visible()
    assert f"las {n} referencias" in slide.locator(".slides-cites-note").inner_text()
    assert page.locator(".slide-frame:not([hidden]) section.slide--overflow").count() == 0
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.documentElement.classList.contains('slides-active')")
    assert page.locator(".slides-cites, .slides-cites-note").count() == 0
    assert full.count() == n and full.first.is_visible()


def test_a_slide_that_cannot_fit_is_an_error_not_a_scroll_bar(page, deck_url):
    warnings = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page.goto(deck_url + "?slides#slide-6")
    page.evaluate(FILL, [".slide-frame:not([hidden]) .slide-content", "<p>Demasiado texto.</p>" * 40])
    page.wait_for_selector(".slide-frame:not([hidden]) section.slide--overflow")
    assert page.evaluate(ZOOM) >= 0.85  # never a tiny zoom...
    sec = page.locator(".slide-frame:not([hidden]) section.slide")
    assert sec.evaluate("s => getComputedStyle(s).overflowY") == "hidden" and sec.get_attribute("tabindex") is None  # ...nor a scroll bar
    assert "no cabe" in page.inner_text(".slides-warn")
    assert any("diapositiva 6" in w and "/presentar/" in w for w in warnings), warnings
    page.keyboard.press("ArrowRight")
    assert page.inner_text(".slides-warn") == ""


def test_print_never_truncates(page, deck_url):
    page.goto(deck_url + "?slides&print")
    page.evaluate(FILL, [".slide-frame:nth-child(6) .slide-content", "<p>Demasiado texto.</p>" * 40])
    page.wait_for_function("() => parseFloat(document.querySelector('.slide-frame:nth-child(6) .slide-content').style.zoom) < 0.85")
    assert page.evaluate("""() => Array.from(document.querySelectorAll('section.slide')).every((s) =>
        !s.classList.contains('slide--overflow') && s.scrollHeight <= s.clientHeight + 1)""")


def test_provenance_and_full_source_hidden_in_slides(context, deck_url):
    """Contract 7 and issue 11: figure provenance, the collapsible full file and text
    marked `.reading-only` are for reading; slides hide them, the presenter view lists
    the provenance and the reader's hint."""
    context.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        document.querySelector('#teclas').insertAdjacentHTML('afterend',
          "<figure class='course-figure'><img alt='x' width='40' height='20' src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
          + "<figcaption>Pie de figura<span class='figure-provenance'>Generada por figures.cli</span></figcaption></figure>"
          + "<details class='source'><summary>Archivo completo: demos/imageops.py</summary><pre><code>x = 1</code></pre></details>"
          + "<p class='reading-only'>Cambia el paso y observa</p>");
    });""")
    page = context.new_page()
    page.goto(deck_url)
    assert page.locator("article .figure-provenance").is_visible() and page.locator("article details.source").is_visible()
    assert page.locator("article .reading-only").is_visible()
    page.goto(deck_url + "?slides#slide-3")
    at(page, 3)
    slide = page.locator(VISIBLE_SLIDES)
    assert slide.locator("figcaption").is_visible() and not slide.locator(".figure-provenance").is_visible()
    assert slide.locator("details.source").count() == 1 and not slide.locator("details.source").is_visible()
    assert slide.locator(".reading-only").count() == 1 and not slide.locator(".reading-only").is_visible()
    presenter = context.new_page()
    presenter.goto(deck_url + "?presenter#slide-3")
    presenter.wait_for_function("() => location.hash === '#slide-3'")
    assert "Generada por figures.cli" in presenter.inner_text(".presenter-notes-body")
    assert "Cambia el paso y observa" in presenter.inner_text(".presenter-notes-body")


def test_print_one_page_per_slide(page, deck_url):
    page.goto(deck_url + "?slides&print")
    page.emulate_media(media="print")
    assert page.locator(VISIBLE_SLIDES).count() == SLIDES
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == SLIDES
    assert re.search(rb"/MediaBox\s*\[0 0 960 540\]", pdf)  # 1280×720 px = 16:9 landscape

    # Reading mode prints a clean document: no chrome, no button, no notes.
    page.goto(deck_url)
    page.emulate_media(media="print")
    for sel in (".md-header", ".md-sidebar--primary", ".slides-enter", "details.notes"):
        assert not page.locator(sel).first.is_visible(), sel
    assert page.locator("article h2#teclas").is_visible()


def test_instant_navigation_tears_down_and_sets_up_again(page, deck_url):
    page.goto(deck_url + "?slides#slide-2")
    at(page, 2)
    page.evaluate("""() => { const a = document.createElement('a');
        a.href = new URL('../laboratorio/', location.href).href; document.body.append(a); a.click(); }""")
    page.wait_for_url("**/laboratorio/")
    page.wait_for_selector("article h1")
    assert not state(page)["active"] and page.locator(".slides-deck").count() == 0
    assert page.locator(".slides-enter").count() == 1
    page.keyboard.press("p")
    at_lab = state(page)
    assert at_lab["active"] and at_lab["counter"].endswith("/ 3")
    page.keyboard.press("Escape")
    page.go_back()
    page.wait_for_url("**/presentar/**")
    page.wait_for_selector(".slides-deck")
    assert page.locator(".slides-deck").count() == 1 and page.locator(".slides-enter").count() == 1
    assert not page.watch.console_errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_in_slide_mode(browser, deck_url, scheme, axe):
    ctx = browser.new_context(color_scheme=scheme)
    page = ctx.new_page()
    problems = []
    try:
        for url, keys in ((f"{deck_url}?slides#slide-3", ""), (f"{deck_url}?slides#slide-4", "o")):
            page.goto(url)
            page.wait_for_selector(".slides-deck")
            for key in keys:
                page.keyboard.press(key)
            problems += axe(page, f"{url} {keys}: ")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
