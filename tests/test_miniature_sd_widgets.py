"""The miniature Stable Diffusion's widgets in Chromium (lecture 9), against PyTorch and NumPy here.

text-to-image: «un siete» generates a sample the course's LeNet-5 classifies as 7; a
sample can be stopped and the widget works again; bad input (unknown words, an empty
drawing) is a message and nothing is lost; img2img at strength 0 returns the
autoencoder's reconstruction of the drawing. clip-explorer: the top caption for held-out
digits drawn with pointer events equals the PyTorch mini-CLIP's. latent-explorer shows a
digit, its latent and the decoded image. Each also on a slide at 1280×720.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from conftest import ROOT, open_slide_with_demo
from demos import nn, vocabulary
from demos import miniature_sd as msd
from lecture_models.judge import classify, load_lenet
from lecture_models.models.clip import mini_clip
from test_nets_widgets import _draw

LECTURE = "lectures/09-transformers/"
T2I = '[data-demo="text-to-image"]'
CLIP = '[data-demo="clip-explorer"]'
LATENT = '[data-demo="latent-explorer"]'
MODELS = ROOT / "docs" / "assets" / "models"


def _ready(page, sel, timeout=120_000):
    page.locator(sel).scroll_into_view_if_needed()
    page.wait_for_function("s => document.querySelector(s).dataset.ready === 'true'", arg=sel, timeout=timeout)


def _state(page, sel, state, timeout=60_000):
    page.wait_for_function("([s, v]) => document.querySelector(s).dataset.state === v", arg=[sel, state], timeout=timeout)


def _sample(page):
    return np.array(json.loads(page.get_attribute(T2I, "data-sample"))).reshape(28, 28)


def test_typing_un_siete_generates_a_seven_and_stop_works(page, server):
    page.goto(server.url + LECTURE)
    _ready(page, T2I)
    page.fill(f"{T2I} input[aria-label='Texto (prompt)']", "un siete")
    page.click(f"{T2I} button:has-text('Generar')")
    _state(page, T2I, "done")
    assert page.get_attribute(T2I, "data-prompt") == "un siete"
    img = _sample(page)
    assert img.min() >= 0 and img.max() <= 1
    assert int(classify(load_lenet(), img[None])[0]) == 7
    assert len(page.locator(f"{T2I} .cw-attn-row canvas").all()) == 3  # «un», «siete», ⟨fin⟩
    # Stop a long run, then generate again.
    page.fill(f"{T2I} input[aria-label='Pasos DDIM']", "100")
    page.click(f"{T2I} button:has-text('Generar')")
    # Past step 2 and still running (a step can take less than a frame: never wait for «2/100» itself).
    page.wait_for_function(f"""() => {{ const el = document.querySelector('{T2I}'), m = /^(\\d+)\\/100$/.exec(el.dataset.step || '');
        return m && +m[1] >= 2 && el.dataset.state === 'running'; }}""")
    page.click(f"{T2I} button:has-text('Detener')")
    _state(page, T2I, "idle")
    assert "detenido" in page.inner_text(f"{T2I} .cw-result")
    page.fill(f"{T2I} input[aria-label='Pasos DDIM']", "3")
    page.fill(f"{T2I} input[aria-label='Texto (prompt)']", "un ocho morado")
    page.click(f"{T2I} button:has-text('Generar')")
    _state(page, T2I, "done")
    assert "«morado» no está en el vocabulario" in page.inner_text(f"{T2I} .cw-result")
    page.fill(f"{T2I} input[aria-label='Pasos DDIM']", "0")
    page.click(f"{T2I} button:has-text('Generar')")
    assert "«Pasos» debe estar entre 1 y 100" in page.inner_text(f"{T2I} .demo-error")
    assert not page.watch.console_errors and not page.watch.external


def test_img2img_at_strength_zero_is_the_autoencoders_reconstruction(page, server):
    sd, cfg = nn.load_weights((MODELS / "latent_ae.npz").read_bytes(), run="miniature_sd")
    ae = msd.LatentAutoencoder(sd, cfg)
    images = nn.load_weights((MODELS / "clip.npz").read_bytes(), run="miniature_sd")[0]["samples.images"]
    page.goto(server.url + LECTURE)
    _ready(page, T2I)
    page.click(f"{T2I} summary")
    page.click(f"{T2I} button:has-text('Desde el dibujo')")  # nothing drawn yet: a message, nothing lost
    _state(page, T2I, "error")
    assert "El dibujo está vacío" in page.inner_text(f"{T2I} .demo-error")
    page.fill(f"{T2I} input[aria-label='Intensidad de img2img']", "0")
    page.fill(f"{T2I} input[aria-label='Grosor del trazo']", "10")
    _draw(page, images[1], page.locator(f"{T2I} canvas.cw-drawpad"))
    page.click(f"{T2I} button:has-text('Desde el dibujo')")
    _state(page, T2I, "done")
    start = np.array(json.loads(page.get_attribute(T2I, "data-start"))).reshape(28, 28).astype(np.float32)
    ref = ae.decode(ae.encode(start[None, None]))[0, 0]
    np.testing.assert_allclose(_sample(page), ref, atol=5e-3)  # the page sends both rounded to 3 decimals
    assert "reconstrucción del autocodificador" in page.inner_text(f"{T2I} .cw-result")
    # Without a mouse: a held-out digit as the starting point, chosen from a list.
    page.select_option(f"{T2I} select[aria-label='Punto de partida de img2img']", "2")
    page.focus(f"{T2I} button:has-text('Desde el dibujo')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {{ const d = document.querySelector('{T2I}').dataset;"
                           " return d.state === 'done' && d.sample && d.start !== undefined; }")
    page.wait_for_function(f"() => document.querySelector('{T2I} .cw-result').textContent.includes('dígito de prueba')")
    held_out = images[2][None, None] / np.float32(255)
    np.testing.assert_allclose(_sample(page), ae.decode(ae.encode(held_out))[0, 0], atol=5e-3)


def test_clip_explorer_top_caption_for_drawn_digits_equals_pytorch(page, server):
    sd, cfg = nn.load_weights((MODELS / "clip.npz").read_bytes(), run="miniature_sd")
    model = mini_clip(**{k: cfg[k] for k in ("dim", "image_depth", "text_depth", "heads", "embed_dim")})
    model.load_state_dict({k: torch.from_numpy(sd[k]) for k in model.state_dict()})
    model.eval()
    captions = [vocabulary.caption(d) for d in range(10)]
    ids = torch.tensor(msd.token_ids(captions))
    page.goto(server.url + LECTURE)
    _ready(page, CLIP)
    pad = page.locator(f"{CLIP} canvas.cw-drawpad")
    page.fill(f"{CLIP} input[aria-label='Grosor del trazo']", "10")  # one MNIST pixel per traced row
    checked = 0
    for i in range(6):
        img = sd["samples.images"][i]
        with torch.no_grad():
            ref = captions[int((model.encode_image(torch.from_numpy(img[None, None] / np.float32(255)))
                                @ model.encode_text(ids).T).argmax())]
        if ref != captions[int(sd["samples.labels"][i])]:
            continue  # only digits the model itself gets right: a drawing keeps their class
        page.click(f"{CLIP} button:has-text('Borrar')")
        _draw(page, img, pad)
        page.wait_for_function(f"() => {{ const d = document.querySelector('{CLIP}').dataset;"
                               " return d.done === d.requested; }")
        scores = json.loads(page.get_attribute(CLIP, "data-scores"))
        assert list(scores) == captions and abs(sum(scores.values()) - 1) < 1e-3
        assert page.get_attribute(CLIP, "data-top") == ref, f"sample {i}"
        checked += 1
        if checked == 3:
            break
    assert checked == 3


def test_latent_explorer_and_clip_explorer_run_on_a_slide(browser, server):
    from conftest import local_context

    ctx = local_context(browser, viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        for demo, sel in (("latent-explorer", LATENT), ("clip-explorer", CLIP)):
            n, shown = open_slide_with_demo(page, server.url + LECTURE, demo)
            page.wait_for_function("s => document.querySelector(s).dataset.ready === 'true'", arg=shown, timeout=120_000)
            assert not page.locator(f"{shown} .demo-error:visible").count()
    finally:
        ctx.close()
