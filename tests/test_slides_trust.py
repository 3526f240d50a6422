"""The deck in the room (issue «Trust in the room»), in Debian's Chromium: every deck
key after a click in a demo, the fit after the fonts arrive, the presenter's clock and
readability, and print showing demos as they are.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from conftest import local_context, open_slide_with_demo, wait_for_demo

LECTURE_02 = "lectures/02-convolucion/"


def hash_is(page, n: int):
    page.wait_for_function("n => location.hash === '#slide-' + n", arg=n, timeout=5_000)


def settled(page, sel: str):
    """Wait until the demo's Python is ready and everything asked of it is drawn."""
    assert wait_for_demo(page, sel) == "ready"
    page.wait_for_function("""sel => { const d = document.querySelector(sel);
        return Number(d.dataset.done) > 0 && d.dataset.done === d.dataset.requested && d.dataset.busy !== 'true'; }""", arg=sel)


def tool(page) -> str:
    return page.evaluate("() => document.querySelector('.slides-deck').dataset.tool || ''")


def test_every_deck_key_works_after_a_click_in_a_demo(page, server):
    """A demo's button keeps no key: after a click on «Paso siguiente», L, D, C, O, Home
    and number + Enter drive the deck; a number field keeps its digits."""
    n, sel = open_slide_with_demo(page, server.url + LECTURE_02, "conv-steps")
    hash_is(page, n)
    settled(page, sel)
    button = page.locator(sel).get_by_role("button", name="Paso siguiente")

    def click():
        button.click()
        assert page.evaluate("() => document.activeElement.closest('.demo') !== null")

    click()
    page.keyboard.press("l")
    assert tool(page) == "laser"
    click()
    page.keyboard.press("d")
    assert tool(page) == "pen"
    # A stroke, then C clears it (the pen's layer takes the pointer: press D again to click).
    frame = page.locator(".slide-frame:not([hidden])").bounding_box()
    page.mouse.move(frame["x"] + 100, frame["y"] + 100)
    page.mouse.down()
    page.mouse.move(frame["x"] + 200, frame["y"] + 120)
    page.mouse.up()
    strokes = "() => document.querySelector('.slide-ink-canvas').dataset.strokes"
    assert page.evaluate(strokes) == "1"
    page.keyboard.press("d")
    assert tool(page) == ""
    click()
    page.keyboard.press("c")
    assert page.evaluate(strokes) == "0"

    click()
    page.keyboard.press("o")
    assert page.locator(".slides-deck.is-overview").count() == 1
    page.keyboard.press("Escape")
    assert page.locator(".slides-deck.is-overview").count() == 0
    hash_is(page, n)

    def back():  # by the deck's own keys (a new hash would make Material render the page again)
        for d in str(n):
            page.keyboard.press(d)
        page.keyboard.press("Enter")
        hash_is(page, n)

    click()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    hash_is(page, 3)
    back()
    click()
    page.keyboard.press("Home")
    hash_is(page, 1)
    back()
    click()
    page.keyboard.press("End")
    page.wait_for_function("n => location.hash !== '#slide-' + n", arg=n)
    back()

    # A select keeps no key either (the deck's arrows do not change it).
    select = page.locator(sel).locator("select").first
    select.focus()
    page.keyboard.press("l")
    assert tool(page) == "laser"
    page.keyboard.press("ArrowRight")
    hash_is(page, n + 1)
    assert not page.watch.console_errors


def test_a_number_field_keeps_its_digits(page, server):
    """Digits typed in a demo's number field are the field's: no jump, no «Ir a…» in the
    bar, no laser for an "l"; Esc leaves the field and the deck's keys are back."""
    n, sel = open_slide_with_demo(page, server.url + LECTURE_02, "output-size-quiz")
    hash_is(page, n)
    assert wait_for_demo(page, sel) == "ready"
    field = page.locator(sel).locator("input[inputmode=numeric]").first
    field.fill("")
    page.keyboard.type("12")
    assert field.input_value() == "12"
    page.keyboard.press("Enter")
    hash_is(page, n)
    assert "Ir a" not in page.inner_text(".slides-counter")
    page.keyboard.press("l")  # a letter typed in a field is not the laser
    assert tool(page) == ""
    # Esc leaves the field, and the deck's keys are back.
    page.keyboard.press("Escape")
    page.keyboard.press("l")
    assert tool(page) == "laser"
    assert not page.watch.console_errors


def test_material_shortcuts_never_leave_the_deck(page, server):
    """Material's "n" (next page) and "/" (search) must not fire under a deck, even from
    a demo's button."""
    n, sel = open_slide_with_demo(page, server.url + LECTURE_02, "conv-steps")
    hash_is(page, n)
    settled(page, sel)
    page.locator(sel).get_by_role("button", name="Paso siguiente").click()
    page.keyboard.press("n")
    page.locator(".slides-viewport").focus()
    page.keyboard.press("n")
    page.keyboard.press(",")
    page.wait_for_timeout(300)  # a navigation would have started by now
    assert LECTURE_02 in page.url and page.locator(".slides-deck").count() == 1


# Lecture 8's VAE loss as it was (two formulas on one line): 1337 px wide with KaTeX's
# fonts on a 1280×720 slide, narrower with the fallback font the fit first saw.
WIDE_FORMULA = (r"\mathcal{L}_{\text{VAE}} = \underbrace{\mathbb{E}_{q}\big[-\log p(\mathbf{x}\mid\mathbf{z})\big]}_{\text{reconstrucción}}"
                r" + \underbrace{\operatorname{KL}\big(q(\mathbf{z}\mid\mathbf{x})\,\Vert\,\mathcal{N}(0, I)\big)}_{\text{regularización}},"
                r" \qquad \operatorname{KL} = \tfrac12\sum_j\big(\mu_j^2 + \sigma_j^2 - \log\sigma_j^2 - 1\big)")
PUT_FORMULA = """([sel, tex]) => { const d = document.createElement('div');
    d.className = 'arithmatex'; d.id = 'wide';
    katex.render(tex, d, {displayMode: true}); document.querySelector(sel).append(d); }"""
ZOOM = "() => document.querySelector('#wide').closest('.slide-content').style.zoom || '1'"
FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
FORMULA_FITS = """() => { const d = document.querySelector('#wide .katex-display');
    return d.scrollWidth <= d.clientWidth + 1; }"""


def test_the_fit_runs_again_when_the_fonts_arrive(browser, server):
    """KaTeX's fonts load when a slide with math is first shown, after the deck fitted
    it with a narrower fallback font: when they arrive, the slide is fitted again and
    the formula is not cut."""
    ctx = local_context(browser, viewport={"width": 1280, "height": 754}, service_workers="block")
    held, released = [], []
    ctx.route("**/katex/fonts/*", lambda route: route.continue_() if released else held.append(route))
    try:
        page = ctx.new_page()
        page.goto(server.url + "presentar/?slides#slide-2")
        page.wait_for_selector(".slides-deck", state="attached")
        page.evaluate(PUT_FORMULA, [".slide-frame:nth-child(3) .slide-content", WIDE_FORMULA])
        page.keyboard.press("PageDown")
        page.wait_for_function("() => location.hash === '#slide-3'")
        for _ in range(250):  # the shown formula asks for its fonts
            if held:
                break
            page.wait_for_timeout(20)
        assert held, "the slide's math asked for no KaTeX font"
        assert page.evaluate("() => document.fonts.status") == "loading"
        before = page.evaluate(ZOOM)
        released.append(True)
        for route in held:
            route.continue_()
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        page.wait_for_function(FRAMES)
        after = page.evaluate(ZOOM)
        assert after != before  # the fonts changed the formula's width: this test bites
        assert page.evaluate(FORMULA_FITS)
        # The same fit as a visit with the fonts there from the start.
        page.keyboard.press("PageUp")
        page.keyboard.press("PageDown")
        page.wait_for_function("() => location.hash === '#slide-3'")
        assert page.evaluate(ZOOM) == after
    finally:
        ctx.close()


def test_display_math_wider_than_its_box_is_an_overflow(page, server):
    """A formula that cannot be broken and spills out of the column, even only into
    the slide's margin, is reported like any slide that does not fit."""
    page.set_viewport_size({"width": 1280, "height": 754})  # the column is 1120 px wide
    page.goto(server.url + "presentar/?slides#slide-2")
    page.wait_for_selector(".slides-deck", state="attached")
    # A bar 1380 px wide at zoom 1 (sized from a 10 em one): 1173 px at the smallest zoom
    # (0.85), 53 px into the 80 px margin.
    page.evaluate(PUT_FORMULA, [".slide-frame:not([hidden]) .slide-content", r"\rule{10em}{0.3em}"])
    em = page.evaluate("() => document.querySelector('#wide .rule').offsetWidth / 10")
    page.evaluate("() => document.getElementById('wide').remove()")
    page.evaluate(PUT_FORMULA, [".slide-frame:not([hidden]) .slide-content", rf"\rule{{{1380 / em:.3f}em}}{{0.3em}}"])
    page.wait_for_selector(".slide-frame:not([hidden]) section.slide--overflow", timeout=5_000)
    assert "no cabe" in page.inner_text(".slides-warn")


def screen_px(page, sel: str) -> float:
    """The smallest font size on the screen of the text under `sel`: CSS size times every
    scale above it (rect width / offsetWidth)."""
    return page.evaluate("""sel => Math.min(...Array.from(document.querySelectorAll(sel + ', ' + sel + ' *'))
        .filter((el) => el instanceof HTMLElement && el.offsetWidth > 0 && el.textContent.trim()
                        && !el.closest('.katex-mathml'))
        .map((el) => parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().width / el.offsetWidth))""", sel)


def test_presenter_clock_waits_for_the_talk_and_reads_at_1366(browser, server):
    """Opened on slide 6, the presenter's clock stays at 00:00 (no «Adelantado 08:32»)
    until the first slide change; it shows the plan, the wall clock, and the next slide
    and the notes in type of at least 16 px on a 1366×768 laptop."""
    ctx = local_context(browser, viewport={"width": 1366, "height": 768})
    try:
        ctx.clock.install(time=datetime(2026, 1, 1, 9, 5, 0))
        ctx.clock.pause_at(datetime(2026, 1, 1, 9, 5, 0, 500_000))
        page = ctx.new_page()
        page.goto(server.url + "presentar/?presenter#slide-6")
        page.wait_for_selector(".presenter-notes-body")
        hash_is(page, 6)
        ctx.clock.run_for("00:08")
        assert page.inner_text(".presenter-elapsed") == "00:00"
        assert page.inner_text(".presenter-remaining") == "30:00"
        assert page.inner_text(".presenter-planned") == "de 30:00"
        assert page.inner_text(".presenter-wallclock") == "09:05"
        assert "Adelantado" not in page.inner_text(".presenter-pace") and "Retrasado" not in page.inner_text(".presenter-pace")
        # Readable: the next slide as text, the notes.
        assert "Con un proyector" in page.inner_text(".presenter-next-box")
        assert screen_px(page, ".presenter-next-box") >= 16
        assert screen_px(page, ".presenter-notes-body") >= 16
        assert screen_px(page, ".presenter-clock") >= 16
        # The first slide change starts the talk; the plan runs from where it started.
        page.locator(".slides-viewport").focus()
        page.keyboard.press("PageDown")
        hash_is(page, 7)
        ctx.clock.run_for("01:00")
        assert page.inner_text(".presenter-elapsed") == "01:00"
        assert page.inner_text(".presenter-wallclock") == "09:06"
        # Slide 7 of 10, started on 6: 1/5 of 30 min planned (6:00) after 1:00.
        assert page.inner_text(".presenter-pace") == "Adelantado 05:00"
    finally:
        ctx.close()


def test_a_presenter_joining_the_audience_does_not_start_the_clock(context, server):
    audience = context.new_page()
    audience.goto(server.url + "presentar/?slides#slide-6")
    hash_is(audience, 6)
    presenter = context.new_page()
    presenter.goto(server.url + "presentar/?presenter#slide-1")
    hash_is(presenter, 6)  # it joined the audience...
    assert presenter.inner_text(".presenter-elapsed") == "00:00"  # ...and waits for the talk
    audience.keyboard.press("ArrowRight")
    hash_is(presenter, 7)
    presenter.wait_for_function("() => document.querySelector('.presenter-pace').dataset.ahead !== undefined")


PRINTED = """() => {
    const shown = (el) => { const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
    const uniform = (src) => {
        const c = document.createElement('canvas');
        c.width = src.naturalWidth || src.width; c.height = src.naturalHeight || src.height;
        const g = c.getContext('2d'); g.drawImage(src, 0, 0);
        const d = new Uint32Array(g.getImageData(0, 0, c.width, c.height).data.buffer);
        return d.every((x) => x === d[0]);
    };
    const deck = document.querySelector('.slides-deck');
    const pictures = [...deck.querySelectorAll('.demo canvas, .demo img')].filter(shown);
    return {
        pictures: pictures.length,
        blank: pictures.filter(uniform).map((x) => x.getAttribute('aria-label') || x.alt || x.className),
        canvases: pictures.filter((x) => x.tagName === 'CANVAS').length,
        buttons: [...deck.querySelectorAll('.demo button')].filter(shown).map((b) => b.textContent.trim()),
        clipped: [...deck.querySelectorAll('pre, textarea, .cm-scroller')].filter(shown)
            .filter((x) => x.scrollHeight > x.clientHeight + 1).map((x) => x.className + ': ' + x.textContent.slice(0, 30)),
    };
}"""


def test_print_shows_demos_as_they_are(page, server):
    """On paper a demo is a still of what it shows: canvases as pictures (none blank), no
    live button, no clipped code or output."""
    url = server.url + LECTURE_02
    page.goto(url + "?slides&print")
    page.wait_for_selector(".slides-deck", state="attached")
    for k in range(page.locator(".slides-deck .demo").count()):  # Python starts near a demo
        page.evaluate("k => document.querySelectorAll('.slides-deck .demo')[k].scrollIntoView({block: 'center'})", k)
        page.wait_for_function("k => document.querySelectorAll('.slides-deck .demo')[k].dataset.state",
                               arg=k, timeout=120_000)
    page.wait_for_function("""() => [...document.querySelectorAll('.slides-deck .demo')].every((d) =>
        ['ready', 'error'].includes(d.dataset.state) && d.dataset.busy !== 'true')""", timeout=120_000)
    page.emulate_media(media="print")
    page.wait_for_selector(".slides-deck img.print-still", state="attached")
    got = page.evaluate(PRINTED)
    assert got["pictures"] >= 5 and got["canvases"] == 0, got
    assert not got["blank"] and not got["buttons"] and not got["clipped"], got
    page.emulate_media(media="screen")  # back: the live demos again
    page.wait_for_function("() => !document.querySelector('.print-still')")


def test_print_with_notes(page, server):
    page.goto(server.url + "presentar/?slides&print&notes")
    page.wait_for_selector(".slides-deck", state="attached")
    page.emulate_media(media="print")
    text = page.inner_text(".slides-deck")
    for note in ("Empieza presentando", "Si compartes", "Pregunta a la sala", "El resultado debe ser 4"):
        assert note in text, note
    # Each slide's notes right after it.
    order = page.evaluate("""() => [...document.querySelector('.slides-viewport').children]
        .map((x) => x.classList.contains('print-notes') ? 'n' : 's').join('')""")
    assert order.startswith("snsn") and "nn" not in order, order
