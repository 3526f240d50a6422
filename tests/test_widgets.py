"""The live widgets: their Python side natively, then the widgets themselves in Chromium.

Browser tests drive the real controls (fill, click, keyboard, file input) on the demos
page, compare what the widgets draw with ``demos.imageops`` computed here natively, and
check that every bad input gives a clear inline message and that the widget keeps
working afterwards (a good input right after gives the right output). One page load per
group of cases: Pyodide takes several seconds to start.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, RUNTIME_MODULE, open_slide_with_demo, page_without_the_mounter, wait_for_demo
from demos import imageops as ops
from demos import bridge, errors, samples, usercode
from demos.errors import INTERRUPTED, InputError

SAMPLES = ROOT / "docs" / "assets" / "samples"
CONV = '[data-demo="conv-explorer"]'
STEPS = '[data-demo="conv-steps"]'
POOL = '[data-demo="pool-explorer"]'
TRANS = '[data-demo="transposed-steps"]'
QUIZ = '[data-demo="output-size-quiz"]'
CELL = '[data-demo="python-cell"]'


def sample(name: str) -> np.ndarray:
    return np.asarray(Image.open(SAMPLES / f"{name}.png"))


def png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, "PNG")
    return buf.getvalue()


# ============================================================ Python side, natively

def test_samples_are_small_public_domain_photos():
    files = sorted(SAMPLES.glob("*.png"))
    assert {p.stem for p in files} == {"camera", "astronaut", "coffee", "chelsea"}
    assert sum(p.stat().st_size for p in files) < 400_000
    readme = (SAMPLES / "README.md").read_text()
    for p in files:
        assert max(Image.open(p).size) <= 256 and p.name in readme
    assert "CC0" in readme and "dominio público" in readme.lower()


def test_conv_preview_is_conv2d_then_display_scaling():
    img = sample("camera")[:40, :50]
    out = samples.conv_preview(img, [["1/16", "1/8", "1/16"], ["1/8", "1/4", "1/8"], ["1/16", "1/8", "1/16"]],
                               stride=2, padding=1.0, dilation=1)
    ref = ops.conv2d(img.astype(np.float32), ops.KERNELS["gaussian"], stride=2, padding=1)
    np.testing.assert_array_equal(out["image"], ops.normalize_for_display(ref)[0])
    assert out["shape"] == [20, 25] and out["min"] == pytest.approx(ref.min())
    with pytest.raises(ValueError, match="como máximo 64"):
        samples.conv_preview(img, [["1"]], padding=1000)


def test_prepare_photo_grays_flattens_alpha_and_downscales():
    rgba = np.zeros((600, 300, 4), np.uint8)
    rgba[..., :3], rgba[..., 3] = 100, 255
    rgba[0, 0, 3] = 0  # a transparent pixel is laid on white
    out = samples.prepare_photo(rgba)
    assert out["gray"] and out["downscaled"] and out["image"].shape == (256, 128)
    assert out["original"] == [600, 300] and out["image"].dtype == np.uint8
    color = samples.prepare_photo(np.dstack([np.full((2, 3, 3), [10, 20, 30], np.uint8), np.full((2, 3), 255, np.uint8)]))
    assert color["image"].shape == (2, 3, 3) and not color["downscaled"]
    with pytest.raises(ValueError, match="RGBA"):
        samples.prepare_photo(np.zeros((4, 4, 3), np.uint8))


def test_steps_records_match_imageops():
    rec = samples.conv_steps([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]],
                             [[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    assert [s["total"] for s in rec["steps"]] == [4, 3, 4, 2, 4, 3, 2, 3, 4]
    tr = samples.transpose_steps([[0, 1], [2, 3]], [[1, 2], [3, 4]])
    np.testing.assert_array_equal(tr["steps"][-1]["running_sum"], [[0, 1, 2], [2, 10, 10], [6, 17, 12]])


@pytest.mark.parametrize("question, answer, correct, phrase", [
    ("lenet-conv", "5", True, "Correcto"),
    ("lenet-conv", "4", False, "sería"),
    ("lenet-conv", "40", False, "mayor que la entrada"),
    ("lenet-pool", " 2 ", True, "Correcto"),
    ("lenet-pool", "1", False, "no mira todos los píxeles"),
    ("lenet-conv", "5,0", True, "Correcto"),  # a decimal comma, as every box reads it
])
def test_quiz_answers_are_checked_with_the_formula(question, answer, correct, phrase):
    res = samples.check_answer(question, answer)
    assert res["correct"] is correct and phrase in res["message"]


@pytest.mark.parametrize("answer, phrase", [("", "Escribe"), ("abc", "no es un número entero"),
                                            ("2.5", "no es un número entero"), ("2,5", "«2,5» no es un número entero"),
                                            ("0", "al menos 1")])
def test_quiz_rejects_what_is_not_a_size(answer, phrase):
    with pytest.raises(ValueError, match=phrase):
        samples.check_answer("lenet-conv", answer)


def test_usercode_returns_the_image_or_the_last_expression():
    img = np.arange(12, dtype=np.uint8).reshape(3, 4)
    out = usercode.run("print('hola')\nreturn 255 - img", img)
    np.testing.assert_array_equal(out["image"], 255 - img)
    assert out["stdout"] == "hola\n" and not out["stretched"]
    last = usercode.run("img.astype(float) * -1", img)  # stretched for display: min black
    assert last["stretched"] and last["image"][0, 0] == 255 and last["min"] == -11


@pytest.mark.parametrize("code, kind, type_, phrase", [
    ("x = 1\nreturn img / nombre_sin_definir", "python", "NameError", "línea 2 de tu código"),
    ("while False:\n    pass\nraise KeyboardInterrupt", "interrupted", "KeyboardInterrupt", "Detener"),
    ("return (", "python", "SyntaxError", "never closed"),
    ("return img.ravel()", "input", "ResultError", "forma (12,)"),
    ("return img[None, None]", "input", "ResultError", "forma (1, 1, 3, 4)"),
    ("return img * np.nan", "input", "ResultError", "12 NaN"),
    ("x = 1", "input", "ResultError", "no devolvió nada"),
    ("return 'hola'", "input", "ResultError", "no una imagen"),
    ("return np.zeros((0, 4))", "input", "ResultError", "vacía"),
])
def test_usercode_errors_are_readable(code, kind, type_, phrase):
    out = usercode.run(code, np.ones((3, 4), np.uint8))
    err = out["error"]
    assert (err["kind"], err["type"]) == (kind, type_) and phrase in err["message"]
    assert "usercode.py" not in err["traceback"] and "imageops.py" not in err["traceback"]
    assert err["traceback"] == "" or kind == "python"  # the reader's input needs no traceback


CAMERA_CELL = [["0", "0", "0"], ["0", "1", "0"], ["0", "0", "0"]]


def with_cell(text, r=1, c=2):
    grid = [row[:] for row in CAMERA_CELL]
    grid[r][c] = text
    return grid


@pytest.mark.parametrize("call, field, cell, code, phrase", [
    (lambda img: samples.conv_preview(img, with_cell("1/0")), "kernel", [1, 2], "division_by_zero",
     "La celda (2, 3) del núcleo divide por cero"),
    (lambda img: samples.conv_preview(img, with_cell("1e308")), "kernel", [1, 2], "overflow", "se desborda"),
    (lambda img: samples.conv_preview(img.astype(float), with_cell("1e308")), "kernel", [1, 2], "overflow",
     "se desborda"),  # float64 all the way: the sum, not the cast, overflows
    (lambda img: samples.conv_preview(img, with_cell("abc")), "kernel", [1, 2], "not_a_number", "no es un número"),
    (lambda img: samples.conv_preview(img, CAMERA_CELL, stride=0), "stride", None, "too_small", "El paso (stride)"),
    (lambda img: samples.conv_preview(img, CAMERA_CELL, dilation=1.5), "dilation", None, "not_integer", "1.5"),
    (lambda img: samples.conv_preview(img, CAMERA_CELL, dilation=200), "dilation", None, "does_not_fit", "dilatado"),
    (lambda img: samples.conv_preview(img, CAMERA_CELL, padding=65), "padding", None, "too_large", "máximo 64"),
    (lambda img: samples.pool_preview(img, "max", 300), "size", None, "does_not_fit", "ventana"),
    (lambda img: ops.output_size(float("1" + "0" * 308), 3), "n", None, "too_large", "demasiado grande"),
    (lambda img: ops.output_size(32, 3, stride=1e308), "stride", None, "too_large", "demasiado grande"),
    (lambda img: samples.check_answer("lenet-conv", "9" * 400), "answer", None, "too_large", "demasiado grande"),
])
def test_bad_input_is_a_record_naming_field_cell_and_cause(call, field, cell, code, phrase):
    """What the widgets mark comes from the record, never from the message's words."""
    img = sample("camera")
    rec = bridge.call("demos.samples", "kernel_presets")  # warm import, and a call that works
    assert isinstance(rec, list)
    with pytest.raises(InputError) as info:
        call(img)
    rec = bridge.record(info.value)
    assert (rec["kind"], rec["field"], rec["cell"], rec["code"]) == ("input", field, cell, code), rec
    assert phrase in rec["message"] and "Error" not in rec["message"] and rec["traceback"] == ""
    assert len(rec["message"]) < 200 and "00000" not in rec["message"]  # never echoes 300 digits


def test_bridge_sends_records_and_one_interrupt_message():
    out = bridge.call("demos.imageops", "output_size", [32, 5], {"stride": 0})
    assert out["__error__"]["kind"] == "input" and out["__error__"]["field"] == "stride"
    out = bridge.call("demos.imageops", "no_such_function")
    assert out["__error__"]["kind"] == "input" and out["__error__"]["code"] == "not_in_api"
    stopped = bridge.record(KeyboardInterrupt())
    cell = usercode.run("raise KeyboardInterrupt", np.ones((2, 2), np.uint8))["error"]
    assert stopped["kind"] == cell["kind"] == "interrupted"
    assert stopped["message"] == cell["message"] == INTERRUPTED
    # The runtime's own "Detener" without isolation (a new worker) says the same words:
    # the worker hands this record over at start-up (errors.js's stoppedRecord).
    assert errors.contract()["interrupted"] == stopped


@pytest.mark.parametrize("text, grid", [
    ("1 0 -1; 2 0 -2; 1 0 -1", [["1", "0", "-1"], ["2", "0", "-2"], ["1", "0", "-1"]]),
    ("1/9 1/9\n1/9 1/9", [["1/9", "1/9"], ["1/9", "1/9"]]),
    ("[[1, 2], [3, 4]]", [["1", "2"], ["3", "4"]]),
    ("0,5 1 -0,5; 1 0 1; -0,5 1 0,5", [["0.5", "1", "-0.5"], ["1", "0", "1"], ["-0.5", "1", "0.5"]]),
])
def test_a_pasted_matrix_splits_into_kernel_cells(text, grid):
    assert samples.kernel_cells(text) == grid
    np.testing.assert_array_equal(ops.parse_kernel(grid), ops.parse_kernel(text))


@pytest.mark.parametrize("text", ["1 0 -1", "1 2; 3", "; ;", "1 0 0 0 0 0 0 0; " * 8])
def test_a_pasted_matrix_must_be_square_and_small(text):
    with pytest.raises(InputError) as info:
        samples.kernel_cells(text)
    assert info.value.field == "kernel"


def test_usercode_traceback_shows_only_the_readers_lines():
    err = usercode.run("def f(a):\n    return a[100]\nreturn f(img)", np.ones((3, 4)))["error"]
    assert err["type"] == "IndexError"
    assert re.findall(r'File "([^"]+)", line (\d+)', err["traceback"]) == [("<tu código>", "3"), ("<tu código>", "2")]
    assert "return a[100]" in err["traceback"]


# -------------------------------------------------------------------- helpers

def open_demos(page, url):
    page.goto(url + "demos/")
    wait_for_demo(page, CONV)  # Python starts once a demo is near; then every demo computes
    page.wait_for_function(
        "() => [...document.querySelectorAll('.demo')].every(e => ['ready', 'error'].includes(e.dataset.state))",
        timeout=120_000)
    assert page.eval_on_selector(CONV, "el => el.dataset.state") == "ready", page.inner_text(f"{CONV} .demo-status")


def settle(page, sel, before=None, timeout=60_000):
    """Wait until everything the widget was asked for (after `before` requests) is drawn."""
    page.wait_for_function(
        """([sel, before]) => { const el = document.querySelector(sel);
             return +el.dataset.requested > before && el.dataset.done === el.dataset.requested
                    && el.dataset.busy !== 'true'; }""",
        arg=[sel, -1 if before is None else before], timeout=timeout)


def requested(page, sel) -> int:
    return int(page.eval_on_selector(sel, "el => el.dataset.requested"))


def act(page, sel, action):
    """Do `action` (which triggers an update) and wait for its result."""
    before = requested(page, sel)
    action()
    settle(page, sel, before)


def error_text(page, sel) -> str:
    box = page.locator(f"{sel} > .demo-error")
    return box.inner_text() if box.is_visible() else ""


def marked(page, sel) -> list[str]:
    """The controls marked aria-invalid, by their data-field / data-cell."""
    return page.eval_on_selector_all(f"{sel} [aria-invalid=true]", """els => els.map(e =>
        e.dataset.cell !== undefined ? `data-cell="${e.dataset.cell}"` : `data-field="${e.dataset.field}"`)""")


def shown_once(page, sel):
    """The error's message appears once in the widget, without a Python class name."""
    message = page.inner_text(f"{sel} > .demo-error p").strip()
    assert message and not re.match(r"\w*Error:", message), message
    assert page.inner_text(sel).count(message) == 1, page.inner_text(sel)


def canvas_pixels(page, sel, index) -> np.ndarray:
    w, h, data = page.eval_on_selector(sel, """(el, i) => {
        const c = el.querySelectorAll('canvas')[i];
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let s = '';
        for (let k = 0; k < d.length; k += 8192) s += String.fromCharCode.apply(null, d.subarray(k, k + 8192));
        return [c.width, c.height, btoa(s)];
    }""", index)
    return np.frombuffer(base64.b64decode(data), np.uint8).reshape(h, w, 4)


def pick_photo(page, sel, name):
    """Choose a sample photo and wait until the widget has it."""
    before = int(page.eval_on_selector(sel, "el => el.dataset.loaded"))
    page.select_option(f"{sel} .cw-source select", name)
    page.wait_for_function("([sel, b]) => +document.querySelector(sel).dataset.loaded > b", arg=[sel, before])


def load_photo(page, sel, name, mime, data):
    before = int(page.eval_on_selector(sel, "el => el.dataset.loaded"))
    page.set_input_files(f"{sel} input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.wait_for_function("([sel, b]) => +document.querySelector(sel).dataset.loaded > b", arg=[sel, before])
    settle(page, sel)


# ------------------------------------------------------------ lazy start

def test_python_starts_only_near_a_demo_or_when_slides_open(server, page):
    """A lecture read at the top downloads no Python runtime; scrolling to a demo, or
    opening the slides, starts it."""
    page.set_viewport_size({"width": 1280, "height": 720})
    for start in ("scroll", "slides"):
        page.goto(server.url + "lectures/02-convolucion/", wait_until="load")
        # The mounter's own signal that it looked and found no demo near, then quiet network.
        page.wait_for_function("() => document.documentElement.dataset.python === 'waiting'")
        page.wait_for_load_state("networkidle")
        first = page.locator(".demo").first
        assert first.bounding_box()["y"] > 720 + 600  # out of the start margin: a real test
        assert page.evaluate("() => document.documentElement.dataset.python") == "waiting"
        assert not [u for u in page.watch.requests if "/assets/vendor/pyodide/" in u]
        assert page.eval_on_selector(".demo", "el => el.dataset.state") == "idle"
        with page.expect_request(lambda r: r.url.endswith("pyodide.asm.wasm"), timeout=30_000):
            if start == "scroll":
                first.scroll_into_view_if_needed()
            else:  # slides.js announces slide mode; the deck's first demo is minutes away
                page.evaluate("() => document.dispatchEvent(new CustomEvent('course:slides-open'))")
        assert wait_for_demo(page, ".demo") == "ready"
        page.watch.requests.clear()
        page.goto("about:blank")


def test_the_early_start_applies_the_gate_before_the_mounter_loads(server, browser):
    """python-early.js, loaded right after the content, starts Python for a demo in view
    without waiting for the mounter (demos.js loads behind Material's bundle and every
    widget). With the mounter never served, the lab page still starts Python; a lecture
    read at the top and the progress page (a Python-free widget only) do not."""
    with page_without_the_mounter(browser) as (page, wasm):
        for path, decision in (("lectures/02-convolucion/", "not-near"), ("progreso/", "no-demo"),
                               ("laboratorio/", "started")):
            page.goto(server.url + path, wait_until="load")
            page.wait_for_function("() => document.documentElement.dataset.pythonEarly", timeout=30_000)
            assert page.evaluate("() => document.documentElement.dataset.pythonEarly") == decision, path
            assert page.evaluate("() => document.documentElement.dataset.python") is None  # no mounter
            if decision == "started":
                page.wait_for_function("() => document.documentElement.dataset.pythonState === 'ready'",
                                       timeout=120_000)
                assert len(wasm) == 1
            else:
                page.wait_for_load_state("networkidle")
                assert not wasm, f"{path} started Python: {wasm}"


# -------------------------------------------------------------- the slide stage

# Every visible text in an element, with its size on the screen: CSS size times the
# scale of every transform above it (rect.width / offsetWidth), as the audience sees it.
SCREEN_TEXT = """root => {
    const out = [], seen = new Set();
    const add = (el, text) => {
        if (seen.has(el) || !el.offsetWidth || !el.checkVisibility({visibilityProperty: true})) return;
        seen.add(el);
        const px = parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().width / el.offsetWidth;
        out.push([Math.round(px * 10) / 10, el.className || el.tagName, text.slice(0, 40)]);
    };
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) if (n.textContent.trim()) add(n.parentElement, n.textContent.trim());
    root.querySelectorAll("input, select, textarea, button").forEach((el) => add(el, el.value || el.textContent || el.tagName));
    return out;
}"""


@pytest.mark.parametrize("width, height", [(1280, 720), (1024, 768)])
def test_a_demo_on_a_slide_is_large_and_stepping_never_resizes_it(server, browser, width, height):
    """Lecture 2's first step-by-step demo, presented: every text ≥ 16 px on the screen and
    the step sentences ≥ 22 px; stepping keeps its size and the slide's zoom; Z zooms it
    to the whole slide and back."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        n, sel = open_slide_with_demo(page, server.url + "lectures/02-convolucion/", "conv-steps")
        assert wait_for_demo(page, sel) == "ready"
        settle(page, sel)
        # The slide's math fonts arrive after it is shown and the deck fits it again then:
        # measure once that refit is done (on a busy machine it can follow Python's start).
        page.evaluate("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))")
        demo = page.locator(sel)

        def geometry():
            return demo.evaluate("""el => { const r = el.getBoundingClientRect(), s = el.closest('.slide');
                return [r.width, r.height, r.width / el.offsetWidth, s.getBoundingClientRect().width / s.offsetWidth]; }""")

        before = geometry()
        nxt = demo.locator("button", has_text="Paso siguiente")
        for _ in range(9):
            nxt.click()
            assert geometry() == pytest.approx(before, abs=0.5), page.inner_text(f"{sel} .cw-step-text")
        assert demo.get_attribute("data-step") == "8"
        # Z, with a demo button focused, gives the demo the whole slide at the slide's own
        # scale: every text ≥ 16 px on the screen, the step sentences ≥ 22 px; stepping
        # there keeps its size too. Z again gives it back.
        demo.locator("button", has_text="Reiniciar").focus()  # «Paso siguiente» is disabled now
        page.keyboard.press("z")
        slide = demo.evaluate("el => { const a = el.getBoundingClientRect(), b = el.closest('.slide').getBoundingClientRect();"
                              " return [a.width / b.width, a.height / b.height]; }")
        assert slide == pytest.approx([1, 1], abs=0.01) and demo.get_attribute("data-zoomed") == "true"
        zoomed = geometry()
        page.click(f"{sel} button:has-text('Reiniciar')")
        for _ in range(3):
            nxt.click()
            assert geometry() == pytest.approx(zoomed, abs=0.5)
        texts = demo.evaluate(SCREEN_TEXT)
        assert texts and not [t for t in texts if t[0] < 16], sorted(texts)[:5]
        steps_text = [t for t in texts if "cw-step-text" in t[1]]
        assert steps_text and all(t[0] >= 22 for t in steps_text), steps_text
        nxt.focus()
        page.keyboard.press("z")
        assert demo.get_attribute("data-zoomed") == "false" and geometry() == pytest.approx(before, abs=0.5)
    finally:
        ctx.close()


# ---------------------------------------------------------- conv-explorer

def test_conv_explorer_matches_numpy_and_survives_bad_input(server, page):
    open_demos(page, server.url)
    settle(page, CONV)
    page.wait_for_function(f"() => document.querySelector('{CONV}').dataset.outputShape")
    cells = page.locator(f"{CONV} .cw-kernel input")
    box = {n: page.locator(f"{CONV} input[name={n}]") for n in ("stride", "padding", "dilation")}

    def check_native(name, preset, stride=1, padding=0, dilation=1, symmetric=False):
        """The widget's output against imageops natively with the preset's own kernel
        (ops.KERNELS, not what the widget shows: a preset loaded transposed must fail)."""
        img = sample(name)
        assert (canvas_pixels(page, CONV, 0)[..., :3] == (img[..., None] if img.ndim == 2 else img)).all()
        kernel = np.asarray(ops.KERNELS[preset] if isinstance(preset, str) else preset)
        ref = ops.conv2d(img.astype(np.float32), kernel, stride, padding, dilation)
        want, _ = ops.normalize_for_display(ref, symmetric=symmetric)
        got = canvas_pixels(page, CONV, 1)[..., :3]
        assert got.shape[:2] == ref.shape[:2]
        assert np.abs(got.astype(int) - (want[..., None] if want.ndim == 2 else want)).max() <= 1
        lo, hi = map(float, page.eval_on_selector(CONV, "el => el.dataset.range").split(","))
        assert lo == pytest.approx(ref.min(), rel=1e-5) and hi == pytest.approx(ref.max(), rel=1e-5)

    # Widget output == imageops natively, for a few settings.
    check_native("camera", "sobel_x")  # the default
    act(page, CONV, lambda: page.select_option(f"{CONV} select >> nth=1", "gaussian"))
    act(page, CONV, lambda: box["stride"].fill("2"))
    act(page, CONV, lambda: box["padding"].fill("1"))
    check_native("camera", "gaussian", stride=2, padding=1)
    act(page, CONV, lambda: page.select_option(f"{CONV} select >> nth=1", "laplacian"))
    act(page, CONV, lambda: box["dilation"].fill("2"))
    act(page, CONV, lambda: page.check(f"{CONV} input[type=checkbox]"))
    check_native("camera", "laplacian", stride=2, padding=1, dilation=2, symmetric=True)
    before = int(page.eval_on_selector(CONV, "el => el.dataset.loaded"))
    page.select_option(f"{CONV} select >> nth=0", "astronaut")
    page.wait_for_function(f"() => +document.querySelector('{CONV}').dataset.loaded > {before}")
    settle(page, CONV)
    check_native("astronaut", "laplacian", stride=2, padding=1, dilation=2, symmetric=True)
    act(page, CONV, lambda: page.select_option(f"{CONV} select >> nth=0", "camera"))
    page.wait_for_function(f"() => document.querySelector('{CONV}').dataset.outputShape === '127,127'")
    settle(page, CONV)
    act(page, CONV, lambda: page.uncheck(f"{CONV} input[type=checkbox]"))
    act(page, CONV, lambda: page.select_option(f"{CONV} select >> nth=1", "sobel_x"))
    for name, value in (("stride", "1"), ("padding", "0"), ("dilation", "1")):
        act(page, CONV, lambda: box[name].fill(value))
    assert page.eval_on_selector(CONV, "el => el.dataset.outputShape") == "254,254"

    # The slider moves: 20 changes at once coalesce into one computation in flight plus
    # one with the latest value; the result is the last one asked for.
    runs = int(page.eval_on_selector(CONV, "el => el.dataset.runs"))
    page.eval_on_selector(CONV, """el => { const r = el.querySelector('input[name=stride-range]');
        for (let i = 0; i < 20; i++) { r.value = String(1 + (i % 5)); r.dispatchEvent(new Event('input', {bubbles: true})); } }""")
    settle(page, CONV)
    assert int(page.eval_on_selector(CONV, "el => el.dataset.runs")) - runs == 2
    assert box["stride"].input_value() == "5"
    assert page.eval_on_selector(CONV, "el => el.dataset.outputShape") == "51,51"  # (256-3)//5+1

    # Keyboard: arrows on the slider update the output; keys typed in the widget's
    # controls never reach the page (slide navigation listens there).
    page.eval_on_selector(CONV, "el => { window.__keys = 0; document.addEventListener('keydown', () => window.__keys++); }")
    page.focus(f"{CONV} input[name=stride-range]")
    act(page, CONV, lambda: page.keyboard.press("ArrowLeft"))
    assert box["stride"].input_value() == "4" and page.eval_on_selector(CONV, "el => el.dataset.outputShape") == "64,64"
    act(page, CONV, lambda: page.keyboard.press("Home"))
    cells.nth(0).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("n")
    assert page.evaluate("window.__keys") == 0
    act(page, CONV, lambda: cells.nth(0).fill("-1"))

    # Bad input, each followed by a good one that must give the right output.
    def good(shape="254,254"):
        assert page.eval_on_selector(CONV, "el => el.dataset.outputShape") == shape, error_text(page, CONV)
        assert error_text(page, CONV) == ""

    def restore():
        act(page, CONV, lambda: cells.nth(4).fill("0"))
        for name, value in (("stride", "1"), ("padding", "0"), ("dilation", "1")):
            if box[name].input_value() != value:
                act(page, CONV, lambda: box[name].fill(value))
        good()

    bad_cells = [("abc", "no es un número"), ("NaN", "NaN o infinito"), ("Inf", "NaN o infinito"),
                 ("-inf", "NaN o infinito"), ("1e999", "NaN o infinito"), ("", "está vacía"),
                 ("1/0", "divide por cero"), ("[1]", "no es un número"), ("0x", "no es un número")]
    bad_params = [("stride", "0", "El paso (stride) debe ser un entero"), ("stride", "-2", "se recibió -2"),
                  ("stride", "1.5", "se recibió 1.5"), ("stride", "", "Escribe un número en «Paso»"),
                  ("stride", "1e400", "«Paso»"), ("padding", "-1", "El relleno (padding) debe ser"),
                  ("padding", "0.5", "se recibió 0.5"), ("padding", "1000", "como máximo 64"),
                  ("dilation", "0", "La dilatación (dilation) debe ser"), ("dilation", "-3", "se recibió -3"),
                  ("dilation", "200", "es mayor que la imagen")]
    for text, phrase in bad_cells:
        act(page, CONV, lambda: cells.nth(4).fill(text))
        assert phrase in error_text(page, CONV), (text, error_text(page, CONV))
        assert marked(page, CONV) == ['data-cell="1,1"'], text  # the cell the record names
        shown_once(page, CONV)
        restore()
    # A decimal comma reads as every widget's boxes do: «1,5» is 1.5.
    act(page, CONV, lambda: cells.nth(4).fill("1.5"))
    point = page.eval_on_selector(CONV, "el => el.dataset.range")
    act(page, CONV, lambda: cells.nth(4).fill("1,5"))
    assert error_text(page, CONV) == "" and page.eval_on_selector(CONV, "el => el.dataset.range") == point
    restore()
    for name, value, phrase in bad_params:
        act(page, CONV, lambda: box[name].fill(value))
        assert phrase in error_text(page, CONV), (name, value, error_text(page, CONV))
        assert "cw-stale" in page.get_attribute(f"{CONV} .cw-figure >> nth=1", "class")
        assert marked(page, CONV) == [f'data-field="{name}"'], (name, value)
        shown_once(page, CONV)
        restore()
    assert marked(page, CONV) == []
    act(page, CONV, lambda: box["stride"].fill("100000"))  # huge but valid: one window
    good("1,1")
    restore()

    # Even, 1×1 and larger kernels are valid sizes.
    size = page.locator(f"{CONV} select >> nth=2")
    for n, shape in (("2", "255,255"), ("4", "253,253"), ("1", "256,256"), ("7", "250,250")):
        act(page, CONV, lambda: size.select_option(n))
        good(shape)
    act(page, CONV, lambda: box["dilation"].fill("50"))  # 7×7 dilated by 50 spans 301 > 256
    assert "El núcleo dilatado (301×301) es mayor que la imagen (256×256)" in error_text(page, CONV)
    act(page, CONV, lambda: box["dilation"].fill("1"))
    good("250,250")
    act(page, CONV, lambda: size.select_option("3"))

    # A whole matrix pasted into one cell (as the lectures write it) fills the kernel; typed
    # and confirmed with Enter too; one that is not square is refused, the kernel marked.
    def paste(text):
        cells.nth(0).evaluate("""(e, t) => { const d = new DataTransfer(); d.setData('text/plain', t);
            e.dispatchEvent(new ClipboardEvent('paste', {clipboardData: d, bubbles: true, cancelable: true})); }""", text)

    def values():
        return cells.evaluate_all("els => els.map(e => e.value)")

    act(page, CONV, lambda: paste("1 0 -1; 2 0 -2; 1 0 -1"))
    assert values() == ["1", "0", "-1", "2", "0", "-2", "1", "0", "-1"]
    check_native("camera", [[1, 0, -1], [2, 0, -2], [1, 0, -1]])  # typed by hand: -Sobel x
    cells.nth(4).fill("1 2\n3 4".replace("\n", "; "))
    cells.nth(4).press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('{CONV} .cw-kernel input').length === 4")
    settle(page, CONV)
    assert values() == ["1", "2", "3", "4"] and size.input_value() == "2"
    good("255,255")
    act(page, CONV, lambda: page.select_option(f"{CONV} select >> nth=1", "sobel_x"))
    before = requested(page, CONV)
    paste("1 2 3; 4 5 6")
    page.wait_for_function(f"() => document.querySelector('{CONV} > .demo-error').hidden === false")
    assert "matriz cuadrada" in error_text(page, CONV) and marked(page, CONV) == ['data-field="kernel"']
    shown_once(page, CONV)
    assert requested(page, CONV) == before and values()[0] != "1 2 3; 4 5 6"
    act(page, CONV, lambda: page.select_option(f"{CONV} select >> nth=1", "sobel_x"))
    good()

    # Files: not an image, a corrupt PNG, an empty one; then a huge photo and a 1×1 image.
    for name, mime, data, phrase in (
            ("notas.txt", "text/plain", b"no soy una foto", "no es una imagen"),
            ("rota.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "dañado"),
            ("vacia.png", "image/png", b"", "dañado"),
            ("mitad.png", "image/png", png(sample("coffee"))[:100], "dañado")):
        load_photo(page, CONV, name, mime, data)
        assert phrase in error_text(page, CONV), (name, error_text(page, CONV))
        flip = "1" if cells.nth(4).input_value() == "0" else "0"
        act(page, CONV, lambda: cells.nth(4).fill(flip))  # the previous photo still works
        assert page.eval_on_selector(CONV, "el => el.dataset.outputShape") == "254,254"
    yy, xx = np.mgrid[0:2000, 0:3000]
    big = np.dstack([xx * 255 // 2999, yy * 255 // 1999, np.full_like(xx, 128)]).astype(np.uint8)
    load_photo(page, CONV, "enorme.png", "image/png", png(big))
    notice = page.inner_text(f"{CONV} .cw-notice")
    assert "3000×2000" in notice and "256×171" in notice and "no sale de tu equipo" in notice
    good("169,254,3")
    load_photo(page, CONV, "punto.png", "image/png", png(np.full((1, 1), 200, np.uint8)))
    assert "El núcleo (3×3) es mayor que la imagen (1×1)" in error_text(page, CONV)
    act(page, CONV, lambda: box["padding"].fill("1"))
    good("1,1")
    act(page, CONV, lambda: size.select_option("1"))
    good("3,3")
    act(page, CONV, lambda: box["padding"].fill("0"))
    good("1,1")
    assert page.get_attribute(f"{CONV} canvas >> nth=0", "role") == "img"
    assert "1×1" in page.get_attribute(f"{CONV} canvas >> nth=0", "aria-label")
    assert not page.watch.external and not page.watch.console_errors


# ------------------------------------------- conv-steps, pool, transposed, quiz

def test_step_widgets_pooling_and_quiz(server, page, axe):
    open_demos(page, server.url)
    for sel in (STEPS, TRANS, POOL, QUIZ):
        settle(page, sel)

    # conv-steps: seed 004's example, window by window, by keyboard.
    page.locator(f"{STEPS} button", has_text="Paso siguiente").focus()
    page.keyboard.press("Enter")
    assert page.eval_on_selector(STEPS, "el => el.dataset.total") == "4"
    text = page.inner_text(f"{STEPS} .cw-step-text")
    assert "Paso 1 de 9" in text and "1 + 0 + 1 + 0 + 1 + 0 + 0 + 0 + 1 = 4" in text
    assert page.locator(f"{STEPS} .cw-products td").count() == 9
    for _ in range(8):
        page.keyboard.press("Enter")
    assert page.eval_on_selector(STEPS, "el => el.dataset.step") == "8"
    seed004 = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    want = ops.conv2d(seed004, [[1, 0, 1], [0, 1, 0], [1, 0, 1]]).tolist()
    assert eval(page.eval_on_selector(STEPS, "el => el.dataset.output")) == want == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    page.click(f"{STEPS} button:has-text('Reiniciar')")
    page.click(f"{STEPS} button:has-text('Reproducir')")
    page.wait_for_function(f"() => +document.querySelector('{STEPS}').dataset.step >= 1")
    page.click(f"{STEPS} button:has-text('Pausa')")
    assert page.eval_on_selector(STEPS, "el => el.dataset.playing") == "false"
    act(page, STEPS, lambda: page.select_option(f"{STEPS} select >> nth=1", "1"))  # padding 1
    padded = ops.conv2d(seed004, [[1, 0, 1], [0, 1, 0], [1, 0, 1]], padding=1).tolist()
    assert eval(page.eval_on_selector(STEPS, "el => el.dataset.output")) == padded

    # transposed-steps: seed 001, each cell's scaled kernel added in turn.
    nxt = page.locator(f"{TRANS} button", has_text="Paso siguiente")
    sums = []
    for _ in range(4):
        nxt.click()
        sums.append(eval(page.eval_on_selector(TRANS, "el => el.dataset.sum")))
    assert sums[1] == [[0, 1, 2], [0, 3, 4], [0, 0, 0]]
    assert sums[-1] == ops.conv_transpose2d([[0, 1], [2, 3]], [[1, 2], [3, 4]]).tolist() == [[0, 1, 2], [2, 10, 10], [6, 17, 12]]
    assert nxt.is_disabled()
    act(page, TRANS, lambda: page.select_option(f"{TRANS} select", "2"))
    assert eval(page.eval_on_selector(TRANS, "el => el.dataset.output")) == ops.conv_transpose2d(
        [[0, 1], [2, 3]], [[1, 2], [3, 4]], stride=2).tolist()

    # pool-explorer: the 4×4 example and the photo against imageops; bad sizes.
    matrix = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
    size, stride = page.locator(f"{POOL} input[name=size]"), page.locator(f"{POOL} input[name=stride]")
    chelsea = sample("chelsea")

    def pool_ok(mode, n, s):
        got = eval(page.eval_on_selector(POOL, "el => el.dataset.matrixOut"))
        fn = ops.max_pool2d if mode == "max" else ops.avg_pool2d
        np.testing.assert_allclose(got, fn(matrix, n, s))
        assert page.eval_on_selector(POOL, "el => el.dataset.photoShape") == ",".join(
            map(str, fn(chelsea, n, s).shape))
        assert error_text(page, POOL) == ""

    pool_ok("max", 2, 2)
    assert eval(page.eval_on_selector(POOL, "el => el.dataset.matrixOut")) == [[6, 8], [3, 4]]
    act(page, POOL, lambda: page.select_option(f"{POOL} select >> nth=0", "avg"))
    act(page, POOL, lambda: size.fill("3"))
    act(page, POOL, lambda: stride.fill("1"))
    pool_ok("avg", 3, 1)
    # Averages shown with 3 decimals: 28/9, 31/9, 30/9, 33/9 of the windows, by hand.
    assert "Resultado: [3.111, 3.444] [3.333, 3.667]." in page.inner_text(f"{POOL} .cw-result")
    for ctl, value, phrase in ((size, "0", "El tamaño de la ventana de pooling debe ser"),
                               (size, "", "Escribe un número"), (stride, "0", "El paso (stride) debe ser"),
                               (size, "5", "La ventana de pooling (5×5) es mayor que la imagen (4×4)"),
                               (size, "2.5", "se recibió 2.5")):
        act(page, POOL, lambda: ctl.fill(value))
        assert error_text(page, POOL).count(phrase) == 1, (value, error_text(page, POOL))  # one cause: said once
        assert marked(page, POOL) == [f'data-field="{ctl.get_attribute("name")}"'], value
        shown_once(page, POOL)
        act(page, POOL, lambda: size.fill("2"))
        act(page, POOL, lambda: stride.fill("2"))
        pool_ok("avg", 2, 2)

    # output-size-quiz: the calculator, then LeNet's questions checked by Python.
    fields = {k: page.locator(f"{QUIZ} fieldset input >> nth={i}") for i, k in enumerate(["n", "k", "s", "p", "d"])}
    assert page.eval_on_selector(QUIZ, "el => el.dataset.output") == "28"
    names = {"n": "n", "k": "k", "s": "stride", "p": "padding", "d": "dilation"}
    for (field, value, phrase) in (("k", "40", "es mayor que la entrada con relleno"), ("n", "", "Escribe un número"),
                                   ("s", "0", "El paso (stride) debe ser"), ("p", "-1", "El relleno (padding) debe ser"),
                                   ("d", "0", "La dilatación"), ("k", "2.5", "se recibió 2.5"),
                                   ("n", "1" + "0" * 308, "demasiado grande"), ("s", "9" * 400, "demasiado grande")):
        old = fields[field].input_value()
        act(page, QUIZ, lambda: fields[field].fill(value))
        assert phrase in error_text(page, QUIZ), (field, value, error_text(page, QUIZ))
        assert marked(page, QUIZ) == [f'data-field="{names[field]}"'], (field, value)
        shown_once(page, QUIZ)
        assert "0000000" not in page.inner_text(QUIZ) and "9999999" not in page.inner_text(QUIZ)
        act(page, QUIZ, lambda: fields[field].fill(old))
        assert page.eval_on_selector(QUIZ, "el => el.dataset.output") == "28" and error_text(page, QUIZ) == ""
    for field, value in (("n", "28"), ("k", "2"), ("s", "2"), ("p", "1")):
        act(page, QUIZ, lambda: fields[field].fill(value))
    assert page.eval_on_selector(QUIZ, "el => el.dataset.output") == str(ops.output_size(28, 2, stride=2, padding=1))
    # Each value in its place of the formula (28 + 2 - 1 - 1 = 28, halved, plus one), by hand.
    assert page.inner_text(f"{QUIZ} .cw-formula") == (
        "o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 = ⌊(28 + 2·1 − 1·(2 − 1) − 1) / 2⌋ + 1 = 15")

    def answer(question, value):
        form = page.locator(f"{QUIZ} form[data-question={question}]")
        before = int(form.get_attribute("data-checked") or 0)
        form.locator("input").fill(value)
        form.locator("input").press("Enter")
        page.wait_for_function("([q, b]) => +document.querySelector(`form[data-question=${q}]`).dataset.checked > b",
                               arg=[question, before])
        fb = form.locator(".cw-feedback")
        return fb.get_attribute("data-ok"), fb.inner_text()

    for question, value, ok, phrase in (("lenet-conv", "abc", "false", "no es un número entero"),
                                        ("lenet-conv", "", "false", "Escribe"),
                                        ("lenet-conv", "4", "false", "sería"),
                                        ("lenet-conv", "5", "true", "Correcto"),
                                        ("lenet-pool", "1", "false", "no mira todos"),
                                        ("lenet-pool", "-2", "false", "al menos 1"),
                                        ("lenet-pool", "2", "true", "Correcto")):
        got, text = answer(question, value)
        assert got == ok and phrase in text, (question, value, text)

    # Accessibility: every canvas is an image with a description; every control is named.
    assert page.eval_on_selector_all(".demo canvas", "cs => cs.every(c => c.getAttribute('role') === 'img' && c.getAttribute('aria-label'))")
    unnamed = page.eval_on_selector_all(".demo input, .demo select, .demo textarea", """els => els.filter(e =>
        !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML)""")
    assert not unnamed
    assert not axe(page)
    assert not page.watch.external and not page.watch.console_errors


# ---------------------------------------------------------------- python-cell

def set_code(page, sel, code):
    """Replace a Python cell's code in its CodeMirror editor, as a reader would."""
    page.wait_for_selector(f"{sel} .cm-content")
    page.click(f"{sel} .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)


def run_code(page, code):
    before = int(page.eval_on_selector(CELL, "el => el.dataset.runs"))
    set_code(page, CELL, code)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("([sel, b]) => +document.querySelector(sel).dataset.runs > b", arg=[CELL, before],
                           timeout=60_000)
    return error_text(page, CELL)


def good_code_works(page):
    assert run_code(page, "return img[::2, ::-2]") == ""
    assert page.eval_on_selector(CELL, "el => el.dataset.outputShape") == "128,128,3"
    want = sample("astronaut")[::2, ::-2]
    got = canvas_pixels(page, CELL, 1)[..., :3]
    assert (got == want).all()


def stop_runaway_loop(page):
    before = int(page.eval_on_selector(CELL, "el => el.dataset.runs"))
    set_code(page, CELL, "n = 0\nwhile True:\n    n += 1")
    page.click(f"{CELL} button:has-text('Ejecutar')")
    page.wait_for_function("sel => document.querySelector(sel).dataset.busy === 'true'", arg=CELL)
    page.click(f"{CELL} button:has-text('Detener')")
    page.wait_for_function("([sel, b]) => +document.querySelector(sel).dataset.runs > b", arg=[CELL, before])
    assert error_text(page, CELL) == INTERRUPTED  # the same words however it was stopped


def test_python_cell_bad_code_and_stop_without_isolation(server, page):
    open_demos(page, server.url)
    page.wait_for_function(f"() => +document.querySelector('{CELL}').dataset.runs >= 1")
    assert page.evaluate("self.crossOriginIsolated") is False
    good_code_works(page)
    for code, phrase in (("x = 1\nreturn img / nombre", "El nombre «nombre» no está definido (línea 2 de tu código)"),
                         ("return (", "Error de sintaxis"),
                         ("return img.ravel()", "tiene forma (196608,)"),
                         ("return img[..., None]", "tiene forma (256, 256, 3, 1)"),
                         ("return img * np.nan", "196608 NaN"),
                         ("return img / 0", "infinitos"),
                         ("gris = img.mean(axis=2)", "no devolvió nada"),
                         ("return 'hola'", "no una imagen"),
                         ("raise RuntimeError('a propósito')", "RuntimeError: a propósito")):
        assert phrase in run_code(page, code), (code, error_text(page, CELL))
        good_code_works(page)
    run_code(page, "print('hola', img.shape)\nreturn img")
    assert "hola (256, 256, 3)" in page.inner_text(f"{CELL} .cw-stdout")
    assert "Índice fuera de rango" in run_code(page, "def f(a):\n    return a[999]\nreturn f(img)")
    tb = page.eval_on_selector(f"{CELL} .demo-error pre", "e => e.textContent")
    assert 'File "<tu código>", line 2' in tb and "usercode.py" not in tb and "bridge.py" not in tb
    # A loop that never ends: "Detener" replaces the worker; the cell and the other
    # widgets keep working without reloading the page.
    stop_runaway_loop(page)
    # A new photo after a stopped loop runs nothing and drops the stale error; after a
    # good run, a new photo runs the code again.
    runs = int(page.eval_on_selector(CELL, "el => el.dataset.runs"))
    for name in ("camera", "astronaut"):
        pick_photo(page, CELL, name)
        assert page.eval_on_selector(CELL, "el => [el.dataset.busy, +el.dataset.runs]") == ["false", runs]
        assert error_text(page, CELL) == ""
    good_code_works(page)
    runs = int(page.eval_on_selector(CELL, "el => el.dataset.runs"))
    pick_photo(page, CELL, "camera")
    page.wait_for_function("([sel, r]) => +document.querySelector(sel).dataset.runs > r", arg=[CELL, runs])
    assert page.eval_on_selector(CELL, "el => el.dataset.outputShape") == "128,128"
    pick_photo(page, CELL, "astronaut")
    good_code_works(page)
    act(page, CONV, lambda: page.locator(f"{CONV} input[name=stride]").fill("2"))
    assert page.eval_on_selector(CONV, "el => el.dataset.outputShape") == "127,127"
    # Python restarted under the explorer while it computes (another widget's «Detener»):
    # it asks the new worker again and shows the latest settings, without an error.
    page.evaluate(f"""async () => {{
        const rt = (await {RUNTIME_MODULE}).getRuntime(), worker = rt.worker, post = worker.postMessage.bind(worker);
        worker.postMessage = (msg, transfer) => {{
            post(msg, transfer);
            if (msg.type === "call" && msg.func === "conv_preview") {{ worker.postMessage = post; rt.interrupt(); }}
        }};
    }}""")
    act(page, CONV, lambda: page.locator(f"{CONV} input[name=stride]").fill("3"))
    assert page.eval_on_selector(CONV, "el => el.dataset.outputShape") == "85,85"  # (256 - 3) // 3 + 1
    assert error_text(page, CONV) == ""
    assert not page.watch.external and not page.watch.console_errors


def test_python_cell_stop_with_cross_origin_isolation(isolated_server, page):
    open_demos(page, isolated_server.url)
    page.wait_for_function(f"() => +document.querySelector('{CELL}').dataset.runs >= 1")
    assert page.evaluate("self.crossOriginIsolated") is True
    page.evaluate(f"async () => {{ window.__worker = (await {RUNTIME_MODULE}).getRuntime().worker; }}")
    stop_runaway_loop(page)
    good_code_works(page)
    # A KeyboardInterrupt inside Python: the same worker goes on, nothing reloads.
    assert page.evaluate(f"async () => (await {RUNTIME_MODULE}).getRuntime().worker === window.__worker")
    # «Detener» while another call runs stops the calls queued behind it as well: the
    # endless loops waiting in the worker and in the page behind a long computation never start.
    got = page.evaluate(f"""async () => {{
        const m = await {RUNTIME_MODULE}, rt = m.getRuntime(), img = m.ndarray(new Uint8Array(12), [2, 2, 3]);
        const run = (code) => rt.call("demos.usercode", "run", [code, img]);
        const calls = [run("for i in range(10**8):\\n    pass\\nreturn img"), run("while True:\\n    pass")];
        while (rt.pending.size < 2) await new Promise((resolve) => setTimeout(resolve, 5));  // both posted
        calls.push(run("while True:\\n    pass"));  // not posted yet
        rt.interrupt();
        const hung = new Promise((resolve) => setTimeout(() => resolve("still running after 60 s"), 60000));
        const settled = await Promise.race([Promise.allSettled(calls), hung]);
        if (!Array.isArray(settled)) return settled;
        const after = await run("return img + 1");
        return [...settled.map((s) => s.status === "fulfilled" ? s.value.error.kind : s.reason.record.kind),
                after.shape, rt.worker === window.__worker];
    }}""")
    assert got == ["interrupted", "interrupted", "interrupted", [2, 2, 3], True]
