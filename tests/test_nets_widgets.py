"""The trained-network widgets in Chromium, against demos.nn / lecture_models computed here natively.

digit-explorer: a held-out digit drawn with synthetic pointer events gets PyTorch's class;
zeroing a kernel changes the logits as NumPy predicts. diffusion-sampler: a sample
completes (equal to NumPy's DDIM from the same seed) and can be interrupted, then works
again; «misma semilla, otra clase» shows the two images PyTorch's DDIM gives from one x_T,
in reading and slide mode, by keyboard. segmenter: the Dice shown for a generated scene is lecture_models.metrics'.
optimizer-playground: a clicked start and a too-large rate show divergence.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from conftest import ROOT, open_slide_with_demo
from demos import nn, optim
from lecture_models.metrics import dice_score
from lecture_models.models import diffusion as tdiff
from lecture_models.models import lenet5

MODELS = ROOT / "docs" / "assets" / "models"
DIGITS = '[data-demo="digit-explorer"]'
SAMPLER = '[data-demo="diffusion-sampler"]'
SEG = '[data-demo="segmenter"]'
OPT = '[data-demo="optimizer-playground"]'


def _weights(name):
    if not (MODELS / f"{name}.npz").is_file():
        pytest.skip(f"{name}.npz not made yet: python -m lecture_models figures --only {name}")
    return nn.load_weights((MODELS / f"{name}.npz").read_bytes(), run=name)


def _ready(page, sel, timeout=120_000):
    page.locator(sel).scroll_into_view_if_needed()
    page.wait_for_function("s => { const el = document.querySelector(s); return el && el.dataset.ready === 'true'; }",
                           arg=sel, timeout=timeout)


def _settled(page, sel):
    page.wait_for_function("s => { const el = document.querySelector(s);"
                           " return el.dataset.done === el.dataset.requested && el.dataset.busy !== 'true'; }", arg=sel)


def _draw(page, digit, pad, pen=10):
    """Trace the digit's ink pixels row by row as strokes on the 280x280 pad (10 px per MNIST pixel)."""
    # Images above the pad load lazily and would move it mid-stroke: load them all first.
    page.evaluate("() => Promise.all([...document.images].map((i) => { i.loading = 'eager';"
                  " return i.decode().catch(() => {}); }))")
    # Centre the pad: strokes near the top would land on the sticky header instead.
    pad.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top > 80 && r.bottom < innerHeight; }",
                           arg=pad.element_handle())
    box = pad.bounding_box()
    scale = box["width"] / 28
    for r in range(28):
        ink = np.flatnonzero(digit[r] > 110)
        if not len(ink):
            continue
        runs = np.split(ink, np.flatnonzero(np.diff(ink) > 1) + 1)
        for run in runs:
            y = box["y"] + (r + 0.5) * scale
            page.mouse.move(box["x"] + (run[0] + 0.5) * scale, y)
            page.mouse.down()
            page.mouse.move(box["x"] + (run[-1] + 0.5) * scale, y, steps=2)
            page.mouse.up()


def test_drawing_a_held_out_digit_gives_pytorchs_class(page, server, site_dir):
    sd, cfg = _weights("lenet")
    model = lenet5().eval()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items() if not k.startswith("samples")})
    page.goto(server.url + "lectures/03-clasificacion/")
    _ready(page, DIGITS)
    # The weights' provenance is the line the site build rendered (sitebuild/captions.py).
    rendered = json.loads((site_dir / "assets/models/provenance.json").read_text(encoding="utf-8"))["lenet"]["text"]
    assert rendered.startswith("Pesos: lenet.npz") and "exactitud en prueba" in rendered
    assert page.locator(f"{DIGITS} .cw-provenance").inner_text() == rendered
    page.fill(f"{DIGITS} input[type=range]", "10")
    pad = page.locator(f"{DIGITS} canvas.cw-drawpad")
    page.click(f"{DIGITS} button:has-text('Borrar')")
    _settled(page, DIGITS)
    assert page.get_attribute(DIGITS, "data-prediction") == ""
    assert "Dibuja un dígito" in page.inner_text(f"{DIGITS} .cw-result")
    images, labels, tpred = sd["samples.images"], sd["samples.labels"], sd["samples.torch_pred"]
    checked = 0
    for i in np.flatnonzero(labels == tpred)[:3]:
        page.click(f"{DIGITS} button:has-text('Borrar')")
        _settled(page, DIGITS)
        page.wait_for_function(f"() => document.querySelector('{DIGITS}').dataset.prediction === ''")
        _draw(page, images[i], pad)
        # The drawing is queued after the last stroke: wait for its prediction, not the cleared one.
        page.wait_for_function(f"() => document.querySelector('{DIGITS}').dataset.prediction !== ''")
        _settled(page, DIGITS)
        with torch.no_grad():
            ref = int(model(torch.from_numpy(images[i][None, None] / np.float32(255))).argmax())
        assert page.get_attribute(DIGITS, "data-prediction") == str(ref), f"sample {i}"
        probs = json.loads(page.get_attribute(DIGITS, "data-probabilities"))
        assert len(probs) == 10 and abs(sum(probs) - 1) < 1e-5 and int(np.argmax(probs)) == ref
        checked += 1
    assert checked == 3
    page.click(f"{DIGITS} button:has-text('Deshacer')")  # undo keeps the widget working
    _settled(page, DIGITS)


def test_zeroing_a_kernel_changes_the_logits_as_numpy_predicts(page, server):
    sd, cfg = _weights("lenet")
    page.goto(server.url + "lectures/03-clasificacion/")
    _ready(page, DIGITS)
    page.click(f"{DIGITS} .cw-sample >> nth=0")
    page.wait_for_function(f"() => document.querySelector('{DIGITS}').dataset.logits")
    raw = page.get_attribute(DIGITS, "data-logits")
    before = json.loads(raw)
    digit = sd["samples.images"][0][None, None] / np.float32(255)
    net = nn.LeNet5(sd, cfg)
    np.testing.assert_allclose(before, net(digit)[0], atol=1e-4)
    _, acts = net.forward(digit, trace=True)
    m = int(acts["c3_act"][0].sum(axis=(1, 2)).argmax())  # the most active C3 map: zeroing it must matter
    page.click(f"{DIGITS} .cw-maps canvas[role=button] >> nth={6 + m}")  # C1 has 6 maps, then C3
    page.wait_for_selector(f"{DIGITS} .cw-kernel-panel:not([hidden]) table.cw-kernel")
    page.click(f"{DIGITS} button:has-text('Poner a cero')")
    page.wait_for_function("b => document.querySelector('[data-demo=\"digit-explorer\"]').dataset.logits !== b",
                           arg=raw)
    after = json.loads(page.get_attribute(DIGITS, "data-logits"))
    w = net.params["c3.weight"].copy()
    w[m] = 0
    np.testing.assert_allclose(after, net.forward(digit, params={"c3.weight": w})[0], atol=1e-4)
    assert np.abs(np.array(after) - before).max() > 1e-3
    # A kernel cell that is not a number: a clear message, nothing changes, the widget keeps working.
    page.fill(f"{DIGITS} table.cw-kernel input >> nth=0", "abc")
    page.click(f"{DIGITS} .cw-kernel-cell button:has-text('Aplicar') >> nth=0")
    assert "no es un número" in page.inner_text(f"{DIGITS} .demo-error")
    page.click(f"{DIGITS} button:has-text('Restablecer la red')")
    page.wait_for_function("b => document.querySelector('[data-demo=\"digit-explorer\"]').dataset.logits === b",
                           arg=raw)


def test_a_diffusion_sample_completes_and_can_be_interrupted(page, server):
    sd, cfg = _weights("diffusion")
    page.goto(server.url + "lectures/08-difusion/")
    _ready(page, SAMPLER)
    page.select_option(f"{SAMPLER} select[aria-label='Clase pedida']", "3")
    page.fill(f"{SAMPLER} input[aria-label='Pasos DDIM']", "4")
    page.fill(f"{SAMPLER} input[aria-label='Semilla']", "5")
    page.click(f"{SAMPLER} button:has-text('Generar')")
    page.wait_for_function(f"() => document.querySelector('{SAMPLER}').dataset.state === 'done'", timeout=60_000)
    got = np.array(json.loads(page.get_attribute(SAMPLER, "data-sample"))).reshape(28, 28)
    ref = nn.DDIMSampler(nn.DiffusionUNet(sd, cfg), sd["schedule.alphas_cumprod"], 3, steps=4, guidance_scale=3.0,
                         seed=5).run()[0, 0]
    np.testing.assert_allclose(got, ref, atol=2e-3)  # the page rounds to 3 decimals
    page.fill(f"{SAMPLER} input[aria-label='Pasos DDIM']", "200")
    page.click(f"{SAMPLER} button:has-text('Generar')")
    page.wait_for_function(f"() => (document.querySelector('{SAMPLER}').dataset.step || '').startsWith('2/200')")
    page.click(f"{SAMPLER} button:has-text('Detener')")
    page.wait_for_function(f"() => document.querySelector('{SAMPLER}').dataset.state === 'idle'")
    assert "detenido" in page.inner_text(f"{SAMPLER} .cw-result")
    page.fill(f"{SAMPLER} input[aria-label='Pasos DDIM']", "2")
    page.click(f"{SAMPLER} button:has-text('Generar')")
    page.wait_for_function(f"() => document.querySelector('{SAMPLER}').dataset.state === 'done'")
    page.fill(f"{SAMPLER} input[aria-label='Pasos DDIM']", "0")
    page.click(f"{SAMPLER} button:has-text('Generar')")
    assert "«Pasos» debe estar entre 1 y 200; has escrito 0." in page.inner_text(f"{SAMPLER} .demo-error")
    assert page.get_attribute(f"{SAMPLER} [data-field=steps]", "aria-invalid") == "true"


def _torch_ddim_from_seed(sd, cfg, labels, steps, scale, seed):
    """PyTorch's DDIM (lecture_models' _guided_eps and ddim_step) for each label, all from the
    one x_T the page draws: NumPy's default_rng(seed), standard normal, float32."""
    kw = {k: cfg[k] for k in ("in_channels", "image_size", "base_channels", "num_classes", "attention")}
    model = tdiff.diffusion_unet(channel_mults=tuple(cfg["channel_mults"]), **kw).eval()
    model.load_state_dict({k: torch.from_numpy(sd[k]) if k in sd else v for k, v in model.state_dict().items()})
    x_T = torch.from_numpy(np.random.default_rng(seed).standard_normal((1, 1, 28, 28)).astype(np.float32))
    ab = tdiff.NoiseSchedule(cfg["T"]).alphas_cumprod
    ts = torch.linspace(cfg["T"] - 1, 0, steps).round().long().tolist()
    out = []
    with torch.no_grad():
        for label in labels:
            x, y = x_T, torch.tensor([cfg["num_classes"] if label is None else label])
            for i, t in enumerate(ts):
                ab_prev = ab[ts[i + 1]] if i + 1 < len(ts) else torch.ones(())
                x = tdiff.ddim_step(x, tdiff._guided_eps(model, x, torch.tensor(t), y, scale), ab[t], ab_prev, 0.0)
            out.append(x[0, 0].numpy())
    return out


def _compare_by_keyboard(page, sel, sd, cfg, steps):
    """Class 3 and, by keyboard, «7» from the same seed: the two images PyTorch gives from one x_T."""
    page.select_option(f"{sel} select[aria-label='Clase pedida']", "3")
    page.fill(f"{sel} input[aria-label='Pasos DDIM']", str(steps))
    page.fill(f"{sel} input[aria-label='Semilla']", "5")
    other = page.locator(f"{sel} select[aria-label='Otra clase, misma semilla']")
    other.focus()
    for _ in range(int(other.input_value()) + 1, 8):  # «1» -> «7» with the arrow key
        page.keyboard.press("ArrowDown")
    assert other.input_value() == "7"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Comparar"
    page.keyboard.press("Enter")
    page.wait_for_function("s => document.querySelector(s).dataset.state === 'done'", arg=sel, timeout=60_000)
    assert json.loads(page.get_attribute(sel, "data-compare")) == [3, 7]
    got = [np.array(json.loads(page.get_attribute(sel, a))).reshape(28, 28) for a in ("data-sample", "data-sample-other")]
    ref = _torch_ddim_from_seed(sd, cfg, [3, 7], steps, 3.0, 5)
    for g, r in zip(got, ref):
        np.testing.assert_allclose(g, r, atol=2e-3)  # the page rounds to 3 decimals
    assert np.abs(got[0] - got[1]).max() > 0.5  # the class, not the noise, tells them apart
    assert "«3» a la izquierda y «7» a la derecha" in page.inner_text(f"{sel} .cw-result")
    # Both shown side by side, and at step 0 both canvases show the very same x_T.
    pair = page.locator(f"{sel} canvas[aria-label='Imagen x_t'], {sel} canvas[aria-label^='Imagen x_t de la otra']")
    assert pair.count() == 2 and all(pair.nth(i).is_visible() for i in range(2))
    a, b = pair.nth(0).bounding_box(), pair.nth(1).bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and b["x"] >= a["x"] + a["width"] - 1
    grey = "cs => cs.map(c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).filter((_, i) => i % 4 == 0))"
    shown = np.array(pair.evaluate_all(grey), dtype=float).reshape(2, 28, 28)  # the last step, drawn on [-1, 1]
    np.testing.assert_allclose(shown, np.clip((np.array(ref) + 1) / 2, 0, 1) * 255, atol=1.5)
    page.fill(f"{sel} input[aria-label='Paso mostrado']", "0")
    first = pair.evaluate_all(grey)
    assert len(first[0]) == 28 * 28 and first[0] == first[1]


def test_same_seed_other_class_side_by_side_equals_pytorch(page, server):
    sd, cfg = _weights("diffusion")
    page.goto(server.url + "lectures/08-difusion/")
    _ready(page, SAMPLER)
    _compare_by_keyboard(page, SAMPLER, sd, cfg, 4)
    # The same class twice is not a comparison: a clear message on the field, nothing runs.
    page.select_option(f"{SAMPLER} select[aria-label='Otra clase, misma semilla']", "3")
    page.click(f"{SAMPLER} button:has-text('Comparar')")
    assert "distinta de la primera" in page.inner_text(f"{SAMPLER} .demo-error")
    assert page.get_attribute(f"{SAMPLER} select[aria-label='Otra clase, misma semilla']", "aria-invalid") == "true"
    assert page.get_attribute(SAMPLER, "data-state") == "done"
    # The widget keeps working: a single sample again, the second image gone.
    page.fill(f"{SAMPLER} input[aria-label='Pasos DDIM']", "2")
    page.click(f"{SAMPLER} button:has-text('Generar')")
    page.wait_for_function(f"() => document.querySelector('{SAMPLER}').dataset.state === 'done'")
    assert page.get_attribute(SAMPLER, "data-compare") is None
    assert page.locator(f"{SAMPLER} canvas[aria-label^='Imagen x_t de la otra']").count() == 0
    assert page.inner_text(f"{SAMPLER} .demo-error").strip() == ""


def test_same_seed_other_class_on_a_slide(browser, server):
    sd, cfg = _weights("diffusion")
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        n, sel = open_slide_with_demo(page, server.url + "lectures/08-difusion/", "diffusion-sampler")
        page.wait_for_function("s => document.querySelector(s)?.dataset.ready === 'true'", arg=sel, timeout=120_000)
        _compare_by_keyboard(page, sel, sd, cfg, 3)
        page.wait_for_function("n => location.hash === '#slide-' + n", arg=n)  # the keys stayed in the demo
        slide = page.locator(sel).evaluate("el => el.closest('.slide').getBoundingClientRect().toJSON()")
        other = page.locator(f"{sel} canvas[aria-label^='Imagen x_t de la otra']").bounding_box()
        assert slide["top"] <= other["y"] and other["y"] + other["height"] <= slide["bottom"] + 1
    finally:
        ctx.close()


def test_segmenter_dice_matches_lecture_models_metrics(page, server):
    sd, cfg = _weights("unet")
    page.goto(server.url + "lectures/06-segmentacion/")
    _ready(page, SEG)
    page.wait_for_function(f"() => document.querySelector('{SEG}').dataset.dice")
    for scene in (0, 1):
        if scene:
            page.click(f"{SEG} button:has-text('Otra escena')")
            page.wait_for_function(f"() => document.querySelector('{SEG}').dataset.scene === '1'")
            _settled(page, SEG)
        shown = json.loads(page.get_attribute(SEG, "data-dice"))
        x = sd["scenes.images"][scene][None, None] / np.float32(255)
        pred = nn.UNet(sd, cfg)(x)[0].argmax(0)
        ref = dice_score(torch.from_numpy(pred), torch.from_numpy(sd["scenes.masks"][scene].astype(np.int64)), 11)
        for name, value in zip(cfg["class_names"], ref.tolist()):
            assert (shown[name] is None) == bool(np.isnan(value)), name
            if shown[name] is not None:
                assert shown[name] == pytest.approx(value, abs=1e-6)


def test_optimizer_playground_shows_divergence(page, server):
    page.goto(server.url + "lectures/01-fundamentos/")
    page.locator(OPT).scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelector('{OPT}').dataset.final")
    page.fill(f"{OPT} input[type=range]", str(np.log10(0.05)))  # > 2/50 on the quadratic: SGD diverges
    page.wait_for_function(f"() => JSON.parse(document.querySelector('{OPT}').dataset.diverged || '[]').includes('sgd')")
    assert "diverge" in page.inner_text(f"{OPT} .cw-result")
    ref = optim.trajectories("quadratic", optim.SURFACES["quadratic"]["start"], 10 ** np.log10(0.05), 200)
    assert ref["sgd"]["diverged"]


def test_optimizer_start_point_is_a_slider_the_deck_leaves_alone(browser, server):
    """Issue 19: on a slide, arrows on the focused surface moved the slides, not the point.
    The surface is a slider (role=slider, focus.js's ownsKey keeps its arrows): ← → ↑ ↓
    move the start by 1/40 of the extent, the slide stays, Home puts the start back."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        n, sel = open_slide_with_demo(page, server.url + "lectures/01-fundamentos/", "optimizer-playground")
        page.wait_for_function("s => document.querySelector(s)?.dataset.start", arg=sel, timeout=120_000)
        surface = page.locator(f"{sel} canvas.cw-surface")
        assert surface.get_attribute("role") == "slider"
        start = json.loads(page.get_attribute(sel, "data-start"))
        lo, hi = float(surface.get_attribute("aria-valuemin")), float(surface.get_attribute("aria-valuemax"))
        assert float(surface.get_attribute("aria-valuenow")) == pytest.approx(start[0], abs=1e-3)
        demo = page.locator(sel).element_handle()
        surface.focus()
        for key in ["ArrowRight", "ArrowRight", "ArrowUp"]:
            page.keyboard.press(key)
        step = (hi - lo) / 40
        page.wait_for_function("([d, x, n]) => location.hash !== '#slide-' + n"
                               " || Math.abs(JSON.parse(d.dataset.start)[0] - x) < 1e-9", arg=[demo, start[0] + 2 * step, n])
        assert page.evaluate("() => location.hash") == f"#slide-{n}", "the arrows moved the deck"
        moved = json.loads(page.get_attribute(sel, "data-start"))
        assert moved == pytest.approx([start[0] + 2 * step, start[1] + step])
        assert float(surface.get_attribute("aria-valuenow")) == pytest.approx(moved[0], abs=1e-3)
        assert "y = " in surface.get_attribute("aria-valuetext")
        page.keyboard.press("Home")
        page.wait_for_function("([s, x]) => JSON.parse(document.querySelector(s).dataset.start)[0] === x", arg=[sel, start[0]])
        assert page.evaluate("() => location.hash") == f"#slide-{n}"
        # Away from the surface, the arrows drive the deck again.
        page.evaluate("() => document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("n => location.hash === '#slide-' + (n + 1)", arg=n)
    finally:
        ctx.close()
