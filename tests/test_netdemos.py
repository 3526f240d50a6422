"""demos.netdemos, the widgets' Python side, on the exported weights (what the page calls)."""

import copy
from pathlib import Path

import numpy as np
import pytest
import torch

from demos import netdemos as nd
from demos import nn
from lecture_models.models import lenet5

MODELS = Path(__file__).resolve().parents[1] / "docs" / "assets" / "models"


def _bytes(name):
    path = MODELS / f"{name}.npz"
    if name == "diffusion" and not path.is_file():
        pytest.skip("diffusion.npz not made yet: python -m lecture_models figures --only diffusion")
    return np.frombuffer(path.read_bytes(), np.uint8)


@pytest.fixture(scope="module")
def lenet():
    summary = nd.load("lenet", _bytes("lenet"), "x")
    sd, _ = nn.load_weights(_bytes("lenet").tobytes(), run="lenet")
    model = lenet5().eval()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items() if not k.startswith("samples")})
    return summary, model


def _reference_digit(img):
    """MNIST's preprocessing of a held-out digit drawn 10x larger, computed apart from
    demos/nn.py: the bounding box of the ink (> 0.05), torch's 10x10 average pooling (the
    digits' longer side is 20 pixels: scale exactly 1/10), pasted in the 28x28 field and
    shifted by whole pixels, without leaving it, so that scipy's centre of mass lands on the
    centre (13.5, 13.5)."""
    from scipy import ndimage

    big = np.kron(img, np.ones((10, 10), np.uint8)).astype(np.float64) / 255
    rows, cols = np.nonzero(big > 0.05)
    crop = big[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]
    assert max(crop.shape) == 200, "a held-out digit whose longer side is not 20 pixels"
    box = torch.nn.functional.avg_pool2d(torch.from_numpy(crop)[None, None], 10)[0, 0].numpy()
    nh, nw = box.shape
    top, left = (28 - nh) // 2, (28 - nw) // 2
    field = np.zeros((28, 28))
    field[top: top + nh, left: left + nw] = box
    cy, cx = ndimage.center_of_mass(field)
    dy = int(np.clip(round(13.5 - cy), -top, 28 - nh - top))
    dx = int(np.clip(round(13.5 - cx), -left, 28 - nw - left))
    return np.roll(field, (dy, dx), axis=(0, 1)), (dy, dx)


def test_a_drawn_held_out_digit_gets_pytorchs_class(lenet):
    """The page's preprocessing equals an independent one, and its class and probabilities
    are PyTorch's LeNet-5's on that independently preprocessed digit."""
    summary, model = lenet
    imgs = summary["samples"]["images"]
    shifts = set()
    for i, img in enumerate(imgs):
        res = nd.digit_predict(np.kron(img, np.ones((10, 10), np.uint8)))
        digit, shift = _reference_digit(img)
        shifts.add(shift)
        np.testing.assert_allclose(res["stages"]["digit"], digit, atol=1e-6, err_msg=f"sample {i}")
        with torch.no_grad():
            ref = model(torch.from_numpy(digit.astype(np.float32))[None, None]).softmax(1)[0].numpy()
        assert res["prediction"] == int(ref.argmax())
        np.testing.assert_allclose(res["probabilities"], ref, atol=1e-5)
        assert res["maps"]["c1_act"].shape == (6, 28, 28) and res["maps"]["s4"].shape == (16, 5, 5)
    assert any(dy != dx for dy, dx in shifts)  # the samples tell rows from columns


def test_empty_canvas_and_scribble_are_said_plainly(lenet):
    assert nd.digit_predict(np.zeros((280, 280), np.uint8))["message"] == "Dibuja un dígito."
    scribble = np.zeros((280, 280), np.uint8)
    rng = np.random.default_rng(0)
    scribble[rng.integers(0, 280, 4000), rng.integers(0, 280, 4000)] = 255
    res = nd.digit_predict(scribble)
    pred, conf = int(np.argmax(res["probabilities"])), max(res["probabilities"])
    assert res["low_confidence"] is True and conf < nd.LOW_CONFIDENCE  # noise is no digit
    assert res["message"] == (f"La red no está segura: lo más probable es un {pred}, pero solo con un "
                              f"{100 * conf:.0f} % de probabilidad.")
    clear = nd.digit_predict(digit=lenet[0]["samples"]["images"][0])
    assert clear["low_confidence"] is False and clear["message"].startswith(f"La red ve un {clear['prediction']} (")


def test_zeroing_a_kernel_and_switching_a_map_off_change_the_logits_as_torch_does(lenet):
    summary, model = lenet
    nd.digit_reset()
    base = nd.digit_predict(digit=summary["samples"]["images"][0])
    zeroed = nd.digit_zero("c1", 2)
    # The references are PyTorch's LeNet-5 with the same edit (not the NumPy net under test).
    edited = copy.deepcopy(model)
    x = torch.from_numpy(np.asarray(summary["samples"]["images"][0], np.float32) / 255)[None, None]
    with torch.no_grad():
        edited.c1.weight[2] = 0
        expect = edited(x)[0].numpy()
    np.testing.assert_allclose(zeroed["logits"], expect, atol=1e-4)
    assert np.abs(np.array(zeroed["logits"]) - base["logits"]).max() > 1e-3
    off = nd.digit_switch("c3", 5, False)
    edited.c3.register_forward_hook(lambda module, inputs, out: out.index_fill(1, torch.tensor([5]), 0.0))
    with torch.no_grad():
        expect = edited(x)[0].numpy()  # map 5 of C3 dead (ReLU(0) = 0: before or after it, the same)
    np.testing.assert_allclose(off["logits"], expect, atol=1e-4)
    assert np.abs(np.array(off["logits"]) - zeroed["logits"]).max() > 1e-3
    k = nd.digit_kernel("c3", 5, 3, 4)
    assert k["off"] and k["patch"].shape == (6, 5, 5) and k["value"] == pytest.approx(k["value_check"], abs=1e-4)
    with pytest.raises(ValueError, match="25 números"):
        nd.digit_edit("c1", 0, 0, [1, 2, 3])
    nd.digit_edit("c1", 0, 0, np.eye(5).ravel())
    assert np.array_equal(nd.digit_kernel("c1", 0)["kernels"][0], np.eye(5))
    assert nd.digit_reset()["logits"] == pytest.approx(base["logits"], abs=1e-6)


def test_occlusion_map_is_the_probability_drop(lenet):
    summary, _ = lenet
    nd.digit_reset()
    base = nd.digit_predict(digit=summary["samples"]["images"][1])
    o = nd.digit_occlusion(patch=8, stride=4)
    assert o["drop"].shape == (6, 6) and o["class"] == base["prediction"]
    assert o["base"] == pytest.approx(max(base["probabilities"]), abs=1e-6)
    assert o["drop"].max() <= o["base"] + 1e-6


def test_segmenter_calls():
    nd.load("unet", _bytes("unet"))
    s = nd.unet_scene(3)
    out = nd.unet_segment(s["image"], s["mask"])
    assert out["labels"].shape == (64, 64) and len(out["dice"]) == 11
    with pytest.raises(ValueError, match="64×64"):
        nd.unet_segment(np.zeros((32, 32)))


def test_sampler_calls():
    summary = nd.load("diffusion", _bytes("diffusion"))
    first = nd.diffusion_start(7, 3.0, 5, 1)
    ref = nn.DDIMSampler(nd._NETS["diffusion"]["model"], summary["alphas_cumprod"], 7, steps=5, guidance_scale=3.0,
                         seed=1)
    np.testing.assert_array_equal(first["x"], ref.x[0, 0])
    for _ in range(5):
        step = nd.diffusion_step()
    np.testing.assert_allclose(step["x"], ref.run()[0, 0], atol=1e-6)
    assert step["done"]
    with pytest.raises(ValueError, match="en curso"):
        nd.diffusion_step()


def test_same_seed_other_class_runs_both_from_one_noise():
    """The pair is two single samples from the same seed, run as one batch: same x_T, each class's own image."""
    summary = nd.load("diffusion", _bytes("diffusion"))
    model = nd._NETS["diffusion"]["model"]
    first = nd.diffusion_start(7, 3.0, 4, 2, compare=True, other=None)
    np.testing.assert_array_equal(first["x"], first["x_other"])
    assert first["labels"] == [7, None]
    for _ in range(4):
        step = nd.diffusion_step()
    for label, key in ((7, "x"), (None, "x_other")):
        ref = nn.DDIMSampler(model, summary["alphas_cumprod"], label, steps=4, guidance_scale=3.0, seed=2).run()
        np.testing.assert_allclose(step[key], ref[0, 0], atol=1e-4)  # batch of 4 vs 2: float32 rounding
    assert np.abs(step["x"] - step["x_other"]).max() > 0.1  # the class, not the noise, makes them differ
    with pytest.raises(ValueError, match="otra clase distinta"):
        nd.diffusion_start(7, 3.0, 4, 2, compare=True, other="7")


def test_attention_map_of_a_picked_pixel_is_a_distribution():
    nd.load("diffusion", _bytes("diffusion"))
    nd.diffusion_start(2, 3.0, 10, 0)
    nd.diffusion_step()
    a = nd.diffusion_attention(27, 0)
    assert a["map"].shape == (7, 7) and a["cell"] == [6, 0]
    assert a["map"].sum() == pytest.approx(1, abs=1e-5) and (a["map"] >= 0).all()
