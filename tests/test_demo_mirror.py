"""The presenter view drives the audience window's demos (docs/assets/js/demo-mirror.js).

Two pages of one browser context (BroadcastChannel reaches across them): the audience in
slide mode and the presenter view. The presenter runs no Python while the audience is
there; what the presenter does on a demo happens on the projector, and the presenter
shows the projector's result. Alone, or once the audience leaves, it runs its own.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, RUNTIME_MODULE, open_slide_with_demo, page_without_the_mounter

LECTURE = "lectures/02-convolucion/"
SHOWN = ".slides-viewport .slide-frame:not([hidden])"
PYODIDE_WORKER = "assets/js/pyodide-worker.js"


def pyodide_workers(page) -> int:
    return sum(w.url.endswith(PYODIDE_WORKER) for w in page.workers)


def runtime(page) -> dict:
    """The page's own runtime: its state and whether it made a worker."""
    return page.evaluate(f"async () => {{ const rt = (await {RUNTIME_MODULE}).getRuntime();"
                         " return {state: rt.state, worker: Boolean(rt.worker)}; }")


def attr(page, sel: str, name: str):
    return page.eval_on_selector(sel, "(el, n) => el.getAttribute(n)", name)


def same_on_both(audience, asel, presenter, psel, name: str, value: str, timeout=15_000):
    """Wait until the attribute `name` is `value` on the audience's demo, then on the presenter's."""
    for page, sel in ((audience, asel), (presenter, psel)):
        page.wait_for_function("([s, n, v]) => document.querySelector(s)?.getAttribute(n) === v",
                               arg=[sel, name, value], timeout=timeout)


def canvases(page, sel: str) -> list[str]:
    return page.eval_on_selector(sel, "el => [...el.querySelectorAll('canvas')].map(c => c.toDataURL())")


def open_presenter(context, url: str, n: int):
    presenter = context.new_page()
    presenter.goto(url + f"?presenter#slide-{n}")
    presenter.wait_for_function("() => ['remote', 'local'].includes(document.documentElement.dataset.demoMirror)")
    return presenter


def test_presenter_drives_the_audience_demo_with_one_python(context, server):
    url = server.url + LECTURE
    audience = context.new_page()
    n, asel = open_slide_with_demo(audience, url, "conv-steps")
    audience.wait_for_function("s => document.querySelector(s)?.dataset.done === '1'", arg=asel, timeout=120_000)
    assert attr(audience, asel, "data-step") == "-1"

    presenter = open_presenter(context, url, n)
    psel = f'{SHOWN} [data-demo="conv-steps"]'
    assert presenter.evaluate("() => document.documentElement.dataset.demoMirror") == "remote"
    assert presenter.evaluate("() => document.documentElement.dataset.pythonEarly") == "presenter"
    assert attr(presenter, psel, "data-mirror") == "remote"
    # The presenter shows the audience's demo as it is: its computed output, its step.
    same_on_both(audience, asel, presenter, psel, "data-output", attr(audience, asel, "data-output"))
    assert attr(presenter, psel, "data-step") == "-1"

    # «Paso siguiente» on the laptop moves the projector's demo, and the laptop shows it.
    presenter.locator(f"{psel} button", has_text="Paso siguiente").click()
    same_on_both(audience, asel, presenter, psel, "data-step", "0")
    text = audience.inner_text(f"{asel} .cw-step-text")
    assert text.startswith("Paso 1 de 9")
    presenter.wait_for_function("([s, t]) => document.querySelector(s + ' .cw-step-text').textContent === t",
                                arg=[psel, text])
    presenter.locator(f"{psel} button", has_text="Paso siguiente").click()
    same_on_both(audience, asel, presenter, psel, "data-step", "1")
    # Its canvases too, pixel for pixel (the window outlined on the input, the output so far).
    presenter.wait_for_function("([s, urls]) => { const c = [...document.querySelectorAll(s + ' canvas')];"
                                " return c.length === urls.length && c.every((x, k) => x.toDataURL() === urls[k]); }",
                                arg=[psel, canvases(audience, asel)], timeout=10_000)

    # A node inserted before the figures moves them among their siblings: the presenter's
    # copy makes a canvas anew that the projector did not redraw, and asks for it.
    audience.eval_on_selector(f"{asel} .cw-matrices", "m => m.prepend(document.createElement('span'))")
    presenter.wait_for_function("s => document.querySelector(s + ' .cw-matrices > span')", arg=psel)
    presenter.wait_for_function("([s, urls]) => { const c = [...document.querySelectorAll(s + ' canvas')];"
                                " return c.length === urls.length && c.every((x, k) => x.toDataURL() === urls[k]); }",
                                arg=[psel, canvases(audience, asel)], timeout=10_000)

    # A select changed on the laptop recomputes on the projector (padding 1: a 5×5 output).
    presenter.select_option(f"{psel} select >> nth=1", "1")
    audience.wait_for_function("s => document.querySelector(s).dataset.done === '2'", arg=asel, timeout=30_000)
    assert audience.eval_on_selector(f"{asel} select >> nth=1", "s => s.value") == "1"
    output = attr(audience, asel, "data-output")
    assert len(eval(output)) == 5
    same_on_both(audience, asel, presenter, psel, "data-output", output)
    same_on_both(audience, asel, presenter, psel, "data-step", "-1")

    # A photo chosen on the laptop is read and shown on the projector.
    m = presenter.evaluate("() => [...document.querySelectorAll('.slides-viewport .slide-frame')]"
                           ".findIndex(f => f.querySelector('[data-demo=conv-explorer]')) + 1")
    presenter.evaluate("m => { location.hash = 'slide-' + m; }", m)
    ca = cp = f'{SHOWN} [data-demo="conv-explorer"]'
    audience.wait_for_function("s => Number(document.querySelector(s)?.dataset.loaded) >= 1", arg=ca, timeout=60_000)
    presenter.set_input_files(f"{cp} input[type=file]", str(ROOT / "docs/assets/samples/coffee.png"))
    audience.wait_for_function("s => document.querySelector(s).dataset.loaded === '2'", arg=ca, timeout=30_000)
    notice = audience.inner_text(f"{ca} .cw-notice")
    assert "coffee.png" in notice
    presenter.wait_for_function("([s, t]) => document.querySelector(s + ' .cw-notice').textContent === t", arg=[cp, notice])

    # Typing in a number field: the output-size calculator, on another slide.
    m = presenter.evaluate("() => [...document.querySelectorAll('.slides-viewport .slide-frame')]"
                           ".findIndex(f => f.querySelector('[data-demo=output-size-quiz]')) + 1")
    presenter.evaluate("m => { location.hash = 'slide-' + m; }", m)
    audience.wait_for_function("m => location.hash === '#slide-' + m", arg=m)
    qa = qp = f'{SHOWN} [data-demo="output-size-quiz"]'
    audience.wait_for_function("s => Number(document.querySelector(s)?.dataset.done) >= 1", arg=qa, timeout=30_000)
    before = attr(audience, qa, "data-output")
    presenter.locator(f"{qp} input[data-field=n]").fill("64")
    audience.wait_for_function("([s, b]) => document.querySelector(s).dataset.output !== b", arg=[qa, before])
    assert audience.eval_on_selector(f"{qa} input[data-field=n]", "i => i.value") == "64"
    same_on_both(audience, qa, presenter, qp, "data-output", attr(audience, qa, "data-output"))

    # One Python for the two windows: the audience's.
    assert pyodide_workers(audience) == 1
    assert pyodide_workers(presenter) == 0
    assert runtime(presenter) == {"state": "idle", "worker": False}
    assert "pythonStart" not in presenter.evaluate("() => ({...document.documentElement.dataset})")

    # The projector's window reloads: the presenter waits for it and drives the new one.
    presenter.evaluate("() => { const html = document.documentElement; window.mirrorStates = [];"
                       " new MutationObserver(() => mirrorStates.push(html.dataset.demoMirror))"
                       ".observe(html, {attributes: true, attributeFilter: ['data-demo-mirror']}); }")
    # The presenter "is typing" in the field while the new page's first mirror arrives (the
    # race that once left «64» there for good): its value must follow once the edit is old.
    presenter.evaluate("s => { document.querySelector(s + ' input[data-field=n]').mirrorEdited ="
                       " performance.now() + 6000; }", qp)
    audience.reload()
    presenter.wait_for_function("() => mirrorStates.at(-1) === 'remote'", timeout=10_000)
    assert presenter.evaluate("() => mirrorStates") == ["waiting", "remote"]
    audience.wait_for_function("s => Number(document.querySelector(s)?.dataset.done) >= 1", arg=qa, timeout=120_000)
    assert audience.eval_on_selector(f"{qa} input[data-field=n]", "i => i.value") == "32"  # a new page
    same_on_both(audience, qa, presenter, qp, "data-output", attr(audience, qa, "data-output"))
    presenter.wait_for_function("s => document.querySelector(s + ' input[data-field=n]').value === '32'", arg=qp)
    presenter.locator(f"{qp} input[data-field=k]").fill("3")
    audience.wait_for_function("s => document.querySelector(s).dataset.output === '30'", arg=qa)
    same_on_both(audience, qa, presenter, qp, "data-output", attr(audience, qa, "data-output"))
    assert pyodide_workers(audience) == 1
    assert pyodide_workers(presenter) == 0

    # The audience leaves: the presenter takes over and runs its demos itself.
    audience.close()
    presenter.wait_for_function("() => document.documentElement.dataset.demoMirror === 'local'")
    presenter.wait_for_function("s => document.querySelector(s)?.dataset.state === 'ready'", arg=qp, timeout=120_000)
    assert attr(presenter, qp, "data-mirror") is None
    assert pyodide_workers(presenter) == 1


def test_presenter_alone_runs_its_demos_until_an_audience_opens(context, server):
    url = server.url + LECTURE
    presenter = open_presenter(context, url, 1)
    assert presenter.evaluate("() => document.documentElement.dataset.demoMirror") == "local"
    n = presenter.evaluate("() => [...document.querySelectorAll('.slides-viewport .slide-frame')]"
                           ".findIndex(f => f.querySelector('[data-demo=conv-steps]')) + 1")
    presenter.evaluate("n => { location.hash = 'slide-' + n; }", n)
    psel = f'{SHOWN} [data-demo="conv-steps"]'
    presenter.wait_for_function("s => document.querySelector(s)?.dataset.done === '1'", arg=psel, timeout=120_000)
    assert attr(presenter, psel, "data-mirror") is None
    presenter.locator(f"{psel} button", has_text="Paso siguiente").click()
    presenter.wait_for_function("s => document.querySelector(s).dataset.step === '0'", arg=psel)
    assert presenter.inner_text(f"{psel} .cw-step-text").startswith("Paso 1 de 9")
    assert pyodide_workers(presenter) == 1
    assert runtime(presenter) == {"state": "ready", "worker": True}

    # The projector's window opens now: it takes the demos over, and the presenter drives it.
    audience = context.new_page()
    audience.goto(url + f"?slides#slide-{n}")
    asel = f'{SHOWN} [data-demo="conv-steps"]'
    presenter.wait_for_function("() => document.documentElement.dataset.demoMirror === 'remote'", timeout=10_000)
    audience.wait_for_function("s => document.querySelector(s)?.dataset.done === '1'", arg=asel, timeout=120_000)
    same_on_both(audience, asel, presenter, psel, "data-step", "-1")
    assert attr(presenter, psel, "data-mirror") == "remote"
    presenter.locator(f"{psel} button", has_text="Paso siguiente").click()
    same_on_both(audience, asel, presenter, psel, "data-step", "0")
    assert presenter.locator(f"{psel} button", has_text="Paso siguiente").count() == 1  # one widget, not two

    # The presenter window is closed and opened again: the new one drives the projector.
    presenter.close()
    audience.wait_for_function("() => document.documentElement.dataset.demoMirror === undefined")
    again = open_presenter(context, url, n)
    assert again.evaluate("() => document.documentElement.dataset.demoMirror") == "remote"
    same_on_both(audience, asel, again, psel, "data-step", "0")
    again.locator(f"{psel} button", has_text="Paso siguiente").click()
    same_on_both(audience, asel, again, psel, "data-step", "1")
    assert pyodide_workers(again) == 0


def test_the_early_start_leaves_the_presenter_to_ask_first(browser, server):
    """python-early.js starts Python for a demo in view before the mounter loads; in the
    presenter view it does not (the audience window may run the demos). The lab page has a
    demo at the top; the mounter is never served, so only the early start could start it."""
    with page_without_the_mounter(browser) as (page, wasm):
        page.goto(server.url + "laboratorio/?presenter", wait_until="load")
        page.wait_for_function("() => document.documentElement.dataset.pythonEarly", timeout=30_000)
        assert page.evaluate("() => document.documentElement.dataset.pythonEarly") == "presenter"
        page.wait_for_load_state("networkidle")
        assert not wasm


@pytest.mark.parametrize("pictures", ["bitmaps", "data URLs"])
def test_presenter_draws_on_the_audience_canvas(context, server, pictures):
    """A drag on a canvas (LeNet's drawing pad) is drawn on the projector, which classifies
    it; the presenter shows the projector's pad, bars and maps: as ImageBitmaps, or as PNG
    data URLs where the browser has no createImageBitmap."""
    url = server.url + "lectures/03-clasificacion/"
    audience = context.new_page()
    if pictures == "data URLs":
        audience.add_init_script("delete window.createImageBitmap")
    n, asel = open_slide_with_demo(audience, url, "digit-explorer")
    audience.wait_for_function("s => document.querySelector(s)?.dataset.ready === 'true'", arg=asel, timeout=180_000)
    presenter = open_presenter(context, url, n)
    psel = f'{SHOWN} [data-demo="digit-explorer"]'
    presenter.wait_for_function("s => document.querySelector(s)?.dataset.ready === 'true'", arg=psel)
    box = presenter.locator(f"{psel} canvas.cw-drawpad").bounding_box()
    x = box["x"] + 0.5 * box["width"]
    presenter.mouse.move(x, box["y"] + 0.2 * box["height"])
    presenter.mouse.down()
    for k in range(1, 13):  # a vertical stroke: a «1»
        presenter.mouse.move(x, box["y"] + (0.2 + 0.05 * k) * box["height"])
    presenter.mouse.up()
    audience.wait_for_function("s => document.querySelector(s).dataset.prediction === '1'", arg=asel, timeout=30_000)
    same_on_both(audience, asel, presenter, psel, "data-logits", attr(audience, asel, "data-logits"))
    presenter.wait_for_function("([s, urls]) => { const c = [...document.querySelectorAll(s + ' canvas')];"
                                " return c.length === urls.length && c.every((x, k) => x.toDataURL() === urls[k]); }",
                                arg=[psel, canvases(audience, asel)], timeout=10_000)
    by_url = presenter.eval_on_selector(psel, "el => [...el.querySelectorAll('canvas')].filter(c => c.mirrorURL).length")
    assert (by_url > 0) == (pictures == "data URLs")
    assert pyodide_workers(presenter) == 0
