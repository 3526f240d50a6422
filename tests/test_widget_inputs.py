"""One input behaviour across the widgets: numbers.js (decimal comma or point, empty and
non-numeric boxes named, huge values refused, bounds said), Spanish Python errors with
Python's own text kept in the trace, Spanish plurals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import open_slide_with_demo, wait_for_demo
from demos import usercode

NUMBERS = ("import(new URL('widgets/numbers.js',"
           " document.querySelector('script[src$=\"assets/js/main.js\"]').src))")


@pytest.mark.parametrize("code, phrase, original", [
    ("return 1/0", "División por cero (línea 1 de tu código)", "ZeroDivisionError: division by zero"),
    ("return (", "Error de sintaxis: '(' was never closed (línea 1 de tu código)", "SyntaxError"),
    ("return nada", "El nombre «nada» no está definido (línea 1 de tu código)", "NameError: name 'nada' is not defined"),
    ("return [1][5]", "Índice fuera de rango (línea 1 de tu código)", "IndexError: list index out of range"),
    ("return img + 'a'", "Tipos de datos incompatibles en una operación (línea 1 de tu código)", "did not contain a loop"),
    ("return len(5)", "Tipos de datos incompatibles en una operación (línea 1 de tu código)", "TypeError: object of type 'int' has no len()"),
])
def test_python_errors_are_said_in_spanish_with_the_original_in_the_trace(code, phrase, original):
    err = usercode.run(code, np.ones((2, 2), np.uint8))["error"]
    assert err["kind"] == "python" and err["message"] == phrase, err["message"]
    assert original in err["traceback"], err["traceback"]
    assert not err["message"].startswith(err["type"])  # no English class name first


# (typed text, options) -> the value, or the start of the Spanish message (hand-derived).
CASES = [
    ("2,5", {}, 2.5), ("0.5", {}, 0.5), ("−1", {}, -1), (" 35 ", {}, 35), (",5", {}, 0.5),
    ("", {"label": "Semilla"}, "Escribe un número en «Semilla»."),
    ("abc", {"label": "Pasos"}, "«abc» no es un número"),
    ("1e400", {"label": "Pasos"}, "«Pasos» es demasiado grande"),
    ("99999999999", {"label": "n"}, "«n» es demasiado grande"),
    ("2,5", {"label": "Pasos", "integer": True, "min": 1, "max": 5000}, "«Pasos» debe ser un número entero (entre 1 y 5000)."),
    ("99999", {"label": "Pasos", "integer": True, "min": 1, "max": 5000}, "«Pasos» debe estar entre 1 y 5000; has escrito 99999."),
    ("21", {"label": "Guía s", "min": 0, "max": 20}, "«Guía s» debe estar entre 0 y 20; has escrito 21."),
    ("2.5.1", {"label": "x"}, "«2.5.1» no es un número"),
]


def test_one_number_reading_for_every_widget(server, page):
    page.goto(server.url)
    got = page.evaluate("""async (cases) => { const m = await %s;
        return cases.map(([t, o]) => { const r = m.parseNumber(t, o); return r.error === undefined ? r.value : r.error; }); }""" % NUMBERS,
        [[t, o] for t, o, _ in CASES])
    for (text, opts, want), value in zip(CASES, got):
        if isinstance(want, str):
            assert isinstance(value, str) and value.startswith(want), (text, value)
        else:
            assert value == want, (text, value)
    plurals = page.evaluate(f"async () => {{ const m = await {NUMBERS}; return [m.plural(1, 'paso'), m.plural(2, 'paso'), m.plural(1, 'intento'), m.plural(0, 'intento')]; }}")
    assert plurals == ["1 paso", "2 pasos", "1 intento", "0 intentos"]


def test_widgets_accept_a_decimal_comma_and_name_bad_boxes(server, page):
    page.goto(server.url + "demos/")
    quiz = '[data-demo="output-size-quiz"]'
    wait_for_demo(page, quiz)
    page.wait_for_function("s => document.querySelector(s).dataset.output", arg=quiz)
    # The quiz: «2,5» is read as 2.5 (Python then says a size is whole), never «not a number».
    page.fill(f"{quiz} [data-field=k]", "2,5")
    page.wait_for_function("s => document.querySelector(s).dataset.errorCode", arg=quiz)
    text = page.inner_text(f"{quiz} > .demo-error")
    assert "no es un número" not in text and "Error:" not in text, text
    page.fill(f"{quiz} [data-field=k]", "")
    page.wait_for_function("s => document.querySelector(s).dataset.errorCode === 'empty'", arg=quiz)
    assert "Escribe un número en «Núcleo k»" in page.inner_text(f"{quiz} > .demo-error")
    assert page.get_attribute(f"{quiz} [data-field=k]", "aria-invalid") == "true"
    page.fill(f"{quiz} [data-field=k]", "5")
    page.wait_for_function("s => document.querySelector(s).dataset.output === '28'", arg=quiz)


def test_optimizer_steps_box_refuses_in_spanish(server, page):
    sel = '[data-demo="optimizer-playground"]'
    page.goto(server.url + "lectures/01-fundamentos/")
    wait_for_demo(page, sel)
    page.wait_for_function("s => document.querySelector(s).dataset.final", arg=sel, timeout=60_000)
    for text, want in [("99999", "«Iteraciones» debe estar entre 1 y 5000"), ("abc", "«abc» no es un número"),
                       ("", "Escribe un número en «Iteraciones»")]:
        page.fill(f"{sel} [data-field=steps]", text)
        page.wait_for_function("([s, w]) => document.querySelector(s + ' > .demo-error').textContent.includes(w)", arg=[sel, want])
        box = page.inner_text(f"{sel} > .demo-error")
        assert "Traceback" not in box and "Traza" not in box, box
    before = page.eval_on_selector(sel, "el => el.dataset.final")
    page.fill(f"{sel} [data-field=steps]", "1")
    page.wait_for_function("([s, b]) => document.querySelector(s + ' > .demo-error').hidden && document.querySelector(s).dataset.final !== b", arg=[sel, before])


def test_diffusion_sampler_waits_for_its_network_and_names_empty_boxes(server, page):
    sel = '[data-demo="diffusion-sampler"]'
    page.route("**/assets/models/diffusion*.npz", lambda route: page.wait_for_timeout(3000) or route.continue_())
    page.goto(server.url + "lectures/08-difusion/")
    page.eval_on_selector(sel, "el => el.scrollIntoView()")
    go = page.locator(f"{sel} button", has_text="Generar")
    assert go.is_disabled() and "cargando la red" in go.inner_text()
    page.wait_for_function("s => document.querySelector(s).dataset.ready === 'true'", arg=sel, timeout=120_000)
    assert go.is_enabled() and go.inner_text() == "Generar"
    for field, want in [("seed", "Escribe un número en «Semilla»."), ("guidance", "Escribe un número en «Guía s».")]:
        page.fill(f"{sel} [data-field={field}]", "")
        go.click()
        page.wait_for_function("([s, w]) => document.querySelector(s + ' > .demo-error').textContent.includes(w)", arg=[sel, want])
        assert page.get_attribute(f"{sel} [data-field={field}]", "aria-invalid") == "true"
        assert page.eval_on_selector(sel, "el => el.dataset.state") != "running"
        page.fill(f"{sel} [data-field={field}]", "0,5" if field == "guidance" else "0")
    page.fill(f"{sel} [data-field=steps]", "1")
    go.click()
    page.wait_for_function("s => document.querySelector(s).dataset.state === 'done'", arg=sel, timeout=60_000)
    assert "Listo: 1 paso DDIM" in page.inner_text(f"{sel} .cw-result") and "guía s = 0,5" in page.inner_text(f"{sel} .cw-result")


def test_a_matrix_typed_in_one_kernel_cell_becomes_the_kernel_without_enter(server, page):
    """A matrix in the hint's format, typed key by key into one cell (no Enter, focus
    stays), becomes the 3×3 kernel: the output is the Sobel x preset's, to the value."""
    sel = '[data-demo="conv-explorer"]'
    page.goto(server.url + "demos/")
    wait_for_demo(page, sel)
    page.wait_for_function("s => document.querySelector(s).dataset.range", arg=sel, timeout=60_000)
    page.wait_for_function("s => document.querySelector(s).dataset.done === document.querySelector(s).dataset.requested", arg=sel)
    sobel = page.eval_on_selector(sel, "el => el.dataset.range")  # the preset on this page: sobel_x
    cell = page.locator(f'{sel} [data-cell="1,1"]')
    cell.fill("7")
    page.wait_for_function("([s, r]) => document.querySelector(s).dataset.range !== r", arg=[sel, sobel])
    first = page.locator(f'{sel} [data-cell="0,0"]')
    first.click()
    first.press("Control+a")
    first.press_sequentially("-1 0 1; -2 0 2; -1 0 1", delay=20)
    page.wait_for_function("([s, r]) => document.querySelector(s).dataset.range === r", arg=[sel, sobel], timeout=30_000)
    values = page.eval_on_selector_all(f"{sel} .cw-kernel input", "els => els.map(e => e.value)")
    assert values == ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]
    assert page.eval_on_selector(sel, "el => el.dataset.errorCode") == ""


def test_several_numbers_in_one_box_read_a_decimal_comma(server, page):
    """Issue 19: one reading of a decimal comma. A matrix typed into one kernel cell with
    its numbers separated by spaces reads «0,5» as 0.5 (not 0 and 5: that made rows of
    five numbers), as the hint says; the quiz's LeNet answer «5,0» is 5."""
    sel = '[data-demo="conv-explorer"]'
    page.goto(server.url + "demos/")
    wait_for_demo(page, sel)
    page.wait_for_function("s => document.querySelector(s).dataset.range", arg=sel, timeout=60_000)
    assert "la coma es decimal (0,5 1 -0,5)" in page.inner_text(f"{sel} .cw-hint")
    first = page.locator(f'{sel} [data-cell="0,0"]')
    first.click()
    first.press("Control+a")
    first.press_sequentially("0,5 1 -0,5; 1 0 1; -0,5 1 0,5", delay=10)
    page.wait_for_function("s => ![...document.querySelectorAll(s + ' .cw-kernel input')].some(e => /\\s/.test(e.value))",
                           arg=sel, timeout=30_000)  # the matrix spread over the cells
    values = page.eval_on_selector_all(f"{sel} .cw-kernel input", "els => els.map(e => e.value)")
    assert values == ["0,5", "1", "-0,5", "1", "0", "1", "-0,5", "1", "0,5"]  # shown as written, in Spanish
    assert page.eval_on_selector(sel, "el => el.dataset.errorCode") == ""

    quiz = '[data-demo="output-size-quiz"]'
    form = page.locator(f"{quiz} form[data-question=lenet-conv]")
    form.locator("input").fill("5,0")
    form.locator("button").click()
    page.wait_for_function("f => f.querySelector('.cw-feedback').dataset.ok", arg=form.element_handle())
    assert form.locator(".cw-feedback").get_attribute("data-ok") == "true", form.locator(".cw-feedback").inner_text()
