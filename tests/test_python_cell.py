"""The lecture Python cells: the exercises' CodeMirror editor, the reader's code kept per
cell across reloads (with «Restaurar el original»), a time limit like the exercises', and
other widgets saying «esperando a Python…» while a cell holds Python."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from conftest import wait_for_demo
from demos import usercode

CELL = '[data-demo="python-cell"]'
POOL = '[data-demo="pool-explorer"]'


def test_a_runaway_loop_stops_at_the_limit_in_python():
    t = time.monotonic()
    err = usercode.run("n = 0\nwhile True:\n    n += 1", np.ones((2, 2), np.uint8), time_limit=0.3)["error"]
    took = time.monotonic() - t
    assert 0.3 <= took < 2, took
    assert err["code"] == "timeout" and re.fullmatch(  # stopped on the loop's line 2 or 3
        r"Tiempo agotado: tu código pasó de 0\.3 s \(línea [23] de tu código\)\. ¿Un bucle que no termina\?", err["message"])
    # NumPy's own work is not traced: a fast cell is as fast as before.
    assert "image" in usercode.run("return img * 2", np.ones((500, 500)), time_limit=0.3)


def cell_code(page, sel=CELL) -> str:
    page.wait_for_selector(f"{sel} .cm-content")
    # CodeMirror draws only the lines in view: read its document through its own module.
    return page.evaluate("""async sel => {
        const main = document.querySelector('script[src$="assets/js/main.js"]').src;
        const cm = await import(new URL('../vendor/codemirror/codemirror.js', main).href);
        return cm.EditorView.findFromDOM(document.querySelector(sel + ' .cm-editor')).state.doc.toString(); }""", sel)


def set_code(page, code, sel=CELL):
    page.click(f"{sel} .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)


def runs(page, sel=CELL) -> int:
    return int(page.eval_on_selector(sel, "el => el.dataset.runs"))


def run_and_wait(page, sel=CELL, timeout=60_000):
    before = runs(page, sel)
    page.click(f"{sel} button:has-text('Ejecutar')")
    page.wait_for_function("([s, b]) => +document.querySelector(s).dataset.runs > b", arg=[sel, before], timeout=timeout)


def open_cell(page, url):
    page.goto(url + "lectures/01-fundamentos/")
    assert wait_for_demo(page, CELL) == "ready"
    page.wait_for_function("s => document.querySelector(s).dataset.editor === 'codemirror'", arg=CELL)
    page.wait_for_function("s => +document.querySelector(s).dataset.runs >= 1", arg=CELL, timeout=60_000)


def test_the_cell_uses_codemirror_and_keeps_the_readers_code(server, page):
    open_cell(page, server.url)
    original = cell_code(page)
    # Tab indents (the editor's, not the browser's focus move) and code is highlighted.
    set_code(page, "x = img\nif True:")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.insert_text("x = 255 - img\nreturn x")
    assert cell_code(page).startswith("x = img\nif True:\n    ")
    assert page.locator(f"{CELL} .cm-content span[class]").count() > 0  # highlighted tokens
    edited = cell_code(page)
    page.reload()
    open_cell(page, server.url)
    assert cell_code(page) == edited
    reset = page.locator(f"{CELL} button", has_text="Restaurar el original").first  # lecture 1 has two cells
    assert reset.is_enabled()
    reset.click()
    assert cell_code(page) == original and reset.is_disabled()
    page.reload()
    open_cell(page, server.url)
    assert cell_code(page) == original


def test_a_cell_shows_the_photo_only_when_its_code_uses_it(server, page):
    """Lecture 1's gradient check never names «img»: no photo picker nor input on the
    screen (the slide has room for the code). Code that uses «img» shows them at its run."""
    open_cell(page, server.url)
    cell = page.locator(CELL).first
    picker, photo = cell.locator(":scope > .cw-source"), cell.locator(".cw-images > .cw-figure").first
    assert not picker.is_visible() and not photo.is_visible()
    set_code(page, "return 255 - img")
    assert not picker.is_visible()  # typing leaves the slide as it is
    cell.locator("button", has_text="Ejecutar").click()
    page.wait_for_function("s => +document.querySelector(s).dataset.runs >= 2", arg=CELL, timeout=60_000)
    assert picker.is_visible() and photo.is_visible()


def test_a_runaway_loop_stops_at_the_limit_and_others_wait(server, page):
    page.goto(server.url + "demos/")
    assert wait_for_demo(page, CELL) == "ready"
    page.wait_for_function("s => document.querySelector(s).dataset.editor === 'codemirror'", arg=CELL)
    page.wait_for_function("s => +document.querySelector(s).dataset.runs >= 1", arg=CELL, timeout=60_000)
    page.wait_for_function("s => document.querySelector(s).dataset.matrixOut", arg=POOL, timeout=60_000)
    set_code(page, "n = 0\nwhile True:\n    n += 1")
    before = runs(page)
    t = time.monotonic()
    page.click(f"{CELL} button:has-text('Ejecutar')")
    page.wait_for_function("s => document.querySelector(s).dataset.busy === 'true'", arg=CELL)
    # Meanwhile the pooling widget is asked for a new result: it says it waits.
    page.fill(f"{POOL} input[data-field=size]", "3")
    page.wait_for_selector(f"{POOL} .cw-waiting")
    assert page.inner_text(f"{POOL} .cw-waiting") == "esperando a Python…"
    page.wait_for_function("([s, b]) => +document.querySelector(s).dataset.runs > b", arg=[CELL, before], timeout=30_000)
    took = time.monotonic() - t
    assert 4.5 <= took < 9, took  # Python's own limit (5 s), not the watchdog's restart
    box = page.inner_text(f"{CELL} > .demo-error")
    assert re.search(r"Tiempo agotado: tu código pasó de 5 s \(línea [23] de tu código\)", box), box
    # The pool's wait ends with its new result, and the notice goes.
    page.wait_for_function("s => JSON.parse(document.querySelector(s).dataset.matrixOut || '[]').length === 1", arg=POOL)
    assert page.locator(f"{POOL} .cw-waiting").count() == 0
    assert page.eval_on_selector(POOL, "el => el.dataset.matrixOut") == "[[7]]"  # 3×3 max of the 4×4, stride 2


def test_ctrl_enter_runs_an_exercise_without_adding_a_line(server, page):
    """The exercises' editor has the same CodeMirror set-up: Ctrl+Enter runs the code
    instead of CodeMirror's own «insert a blank line»."""
    sel = '[data-demo="exercise"][data-exercise="conv2d"]'
    page.goto(server.url + "ejercicios/")
    wait_for_demo(page, sel)
    page.locator(sel).scroll_into_view_if_needed()
    page.wait_for_function("s => document.querySelector(s).dataset.ready === 'true'", arg=sel, timeout=60_000)
    before = cell_code(page, sel)
    page.click(f"{sel} .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("s => document.querySelector(s).dataset.busy === 'false' && "
                           "!/Cargando|Escribe la función|Esperando|Ejecutando/.test(document.querySelector(s + ' .ex-result').textContent)",
                           arg=sel, timeout=60_000)
    assert cell_code(page, sel) == before


# The shown slide's cell: its whole code in view (the editor does not scroll), inside the
# slide, at a zoom the fit allows; the editor's height in px (pinned, so typing never refits).
SHOWN_CODE = """sel => {
    const sec = document.querySelector('.slide-frame:not([hidden]) > section.slide');
    const ed = document.querySelector(sel + ' .cm-editor'), s = ed.querySelector('.cm-scroller');
    const lines = ed.querySelectorAll('.cm-line');
    const last = lines[lines.length - 1].getBoundingClientRect(), box = s.getBoundingClientRect();
    return {hidden: s.scrollHeight - s.clientHeight, lastInView: last.bottom <= box.bottom + 1
              && last.bottom <= sec.getBoundingClientRect().bottom + 1,
            zoom: parseFloat(sec.querySelector('.slide-content').style.zoom || '1'),
            overflow: sec.classList.contains('slide--overflow'), pinned: ed.style.height};
}"""


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_cell_on_a_slide_shows_all_its_code(server, browser, size):
    """The slide's fit grows the editor to its code (issue 19: it was a quarter of the slide,
    and the last lines were cut); lecture 2's receptive-field cell is 18 lines long."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    try:
        page.goto(server.url + "lectures/02-convolucion/?slides")
        page.wait_for_selector(".slides-deck .slide-frame")
        n = page.evaluate("() => [...document.querySelectorAll('.slide-frame')].findIndex(f => "
                          "/campo receptivo/.test(f.querySelector('[data-demo=python-cell]')?.dataset.code || '')) + 1")
        page.evaluate("n => { location.hash = 'slide-' + n; }", n)
        sel = f'.slide-frame:not([hidden]) {CELL}'
        assert wait_for_demo(page, sel) == "ready"
        page.wait_for_function("s => document.querySelector(s).dataset.editor === 'codemirror'", arg=sel)
        page.wait_for_function("s => +document.querySelector(s).dataset.runs >= 1", arg=sel, timeout=60_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        shown = page.evaluate(SHOWN_CODE, sel)
        assert shown["hidden"] <= 1 and shown["lastInView"], shown
        assert shown["zoom"] >= 0.85 and not shown["overflow"], shown
        assert shown["pinned"].endswith("px"), shown
    finally:
        ctx.close()
