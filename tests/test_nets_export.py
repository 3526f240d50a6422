"""The exported weights the page runs (docs/assets/models/*.npz): manifest, quality, NumPy == PyTorch.

Bounds: the files hold float16 values; PyTorch here loads exactly those values (upcast to
float32), so NumPy and PyTorch compute on the same numbers and must agree to 1e-4. What
float16 storage costs against the float32 training weights is recorded by the export in
the manifest (``float16_max_abs_*``) and bounded below.
"""

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from demos import nn
from lecture_models.data.mnist import load_mnist, npz_path
from lecture_models.metrics import dice_score
from lecture_models.models import diffusion as tdiff
from lecture_models.models import lenet5, unet

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "docs" / "assets" / "models"
MANIFEST = ROOT / "docs" / "figures" / "manifest.json"
ATOL = 1e-4
needs_mnist = pytest.mark.skipif(not npz_path().is_file(), reason="MNIST not fetched (python -m lecture_models data)")


# Committed with the figures; diffusion's full CPU run (~45 min on a busy machine) is not yet.
REQUIRED = ("lenet", "unet", "diffusion")


def _load(name, network):
    path = MODELS / f"{name}.npz"
    if name not in REQUIRED and not path.is_file():
        pytest.skip(f"{path.name} not made yet: python -m lecture_models figures --only {name}")
    assert path.is_file(), f"{path} missing: python -m lecture_models figures --only {name}"
    return nn.load_weights(path.read_bytes(), run=name, expect=network)


def _torch(model, sd):
    keys = model.state_dict().keys()
    model.load_state_dict({k: torch.from_numpy(sd[k]) if k in sd else model.state_dict()[k] for k in keys})
    return model.eval()


def _close(got, ref, atol=ATOL):
    ref = ref.detach().numpy() if isinstance(ref, torch.Tensor) else ref
    assert got.shape == ref.shape and got.dtype == np.float32
    diff = float(np.abs(got - ref).max())
    assert diff <= atol, f"max abs diff {diff:.2e} > {atol:.0e}"
    return diff


@pytest.mark.parametrize("name,network", [("lenet", "lenet5"), ("unet", "unet"), ("diffusion", "diffusion_unet")])
def test_weights_file_is_in_the_manifest_with_its_provenance(name, network):
    sd, cfg = _load(name, network)
    entry = json.loads(MANIFEST.read_text())["models"][name]
    path = MODELS / f"{name}.npz"
    blob = path.read_bytes()
    assert entry["sha256"] == hashlib.sha256(blob).hexdigest() and entry["bytes"] == len(blob) <= 3 * 2**20
    assert entry["file"] == f"assets/models/{name}.npz" and entry["run"] == name and entry["network"] == network
    assert entry["quick"] is False and entry["device"] and entry["command"].startswith("python -m lecture_models")
    float_params = sum(v.size for k, v in sd.items() if "." in k and not k.split(".")[0] in ("samples", "scenes", "schedule")
                       and not k.endswith(("running_mean", "running_var")))
    assert float_params == entry["parameters"]
    assert cfg["dtype"] == "float16"


@needs_mnist
def test_lenet_numpy_equals_torch_logits_and_every_activation_on_the_held_out_digits():
    sd, cfg = _load("lenet", "lenet5")
    model = _torch(lenet5(), sd)
    x = load_mnist()[2]
    refs = {}
    hooks = [getattr(model, k).register_forward_hook(lambda m, i, o, k=k: refs.setdefault(k, o))
             for k in ("c1", "s2", "c3", "s4", "c5", "f6")]
    with torch.no_grad():
        ref = model(x)
    for h in hooks:
        h.remove()
    got, acts = nn.LeNet5(sd, cfg).forward(x.numpy(), trace=True)
    _close(got, ref)
    for k in ("c1", "s2", "c3", "s4"):
        _close(acts[k], refs[k])
    _close(acts["c5"], torch.relu(refs["c5"]))
    _close(acts["f6"], torch.relu(refs["f6"]))


@needs_mnist
def test_page_lenet_reaches_98_5_percent_and_float16_costs_nothing():
    sd, cfg = _load("lenet", "lenet5")
    _, _, x, y = load_mnist()
    acc = float((nn.LeNet5(sd, cfg)(x.numpy()).argmax(1) == y.numpy()).mean())
    entry = json.loads(MANIFEST.read_text())["models"]["lenet"]["metrics"]
    assert len(y) == 2000 and acc >= 0.985
    assert acc == pytest.approx(entry["test_accuracy"], abs=1e-6)
    assert abs(entry["test_accuracy"] - entry["test_accuracy_float32"]) <= 0.001
    assert entry["float16_max_abs_logit_diff"] < 0.05


@needs_mnist
def test_held_out_digits_through_the_page_preprocessing_keep_pytorchs_class():
    """500 held-out digits drawn 10x larger (as on the 280x280 canvas), preprocessed like the page."""
    sd, cfg = _load("lenet", "lenet5")
    _, _, x, _ = load_mnist()
    x = x[:500]
    with torch.no_grad():
        ref = _torch(lenet5(), sd)(x).argmax(1).numpy()
    net = nn.LeNet5(sd, cfg)
    big = np.kron(x[:, 0].numpy(), np.ones((10, 10), np.float32))
    digits = np.stack([nn.preprocess_digit(d)["digit"] for d in big])[:, None]
    agree = float((net(digits).argmax(1) == ref).mean())
    assert agree >= 0.99, agree


def test_lenet_strip_of_held_out_digits_includes_misclassified_ones():
    sd, cfg = _load("lenet", "lenet5")
    imgs, labels, tpred = sd["samples.images"], sd["samples.labels"], sd["samples.torch_pred"]
    assert imgs.dtype == np.uint8 and imgs.shape[1:] == (28, 28) and len(imgs) == len(labels) >= 20
    assert (tpred != labels).any() and set(labels.tolist()) == set(range(10))
    np.testing.assert_array_equal(nn.LeNet5(sd, cfg)(imgs[:, None] / np.float32(255)).argmax(1), tpred)


def _diffusion():
    sd, cfg = _load("diffusion", "diffusion_unet")
    kw = {k: cfg[k] for k in ("in_channels", "image_size", "base_channels", "num_classes", "attention")}
    model = _torch(tdiff.diffusion_unet(channel_mults=tuple(cfg["channel_mults"]), **kw), sd)
    return sd, cfg, model, nn.DiffusionUNet(sd, cfg)


def test_diffusion_one_step_and_a_whole_ddim_sample_equal_torch():
    sd, cfg, model, net = _diffusion()
    schedule = tdiff.NoiseSchedule(cfg["T"])
    ab = sd["schedule.alphas_cumprod"]
    np.testing.assert_array_equal(ab, schedule.alphas_cumprod.numpy())
    y = torch.tensor([7, 3, 10])
    x_T = torch.randn((3, 1, 28, 28), generator=torch.Generator().manual_seed(11))
    steps = cfg["sample_steps"]
    sampler = nn.DDIMSampler(net, ab, y.numpy(), steps=steps, guidance_scale=cfg["guidance"], x_T=x_T.numpy())
    x1, _ = sampler.step()
    with torch.no_grad():
        eps = tdiff._guided_eps(model, x_T, torch.tensor(sampler.timesteps[0]), y, cfg["guidance"])
        ref1 = tdiff.ddim_step(x_T, eps, schedule.alphas_cumprod[sampler.timesteps[0]],
                               schedule.alphas_cumprod[sampler.timesteps[1]], 0.0)
    _close(x1, ref1)
    ref = tdiff.sample(model, schedule, y, guidance_scale=cfg["guidance"], steps=steps,
                       generator=torch.Generator().manual_seed(11))
    _close(sampler.run(), ref)


def test_unet_logits_equal_torch_and_numpy_dice_equals_lecture_models_metrics():
    sd, cfg = _load("unet", "unet")
    kw = {k: cfg[k] for k in ("in_channels", "num_classes", "depth", "base_channels", "batch_norm", "bilinear")}
    model = _torch(unet(**kw), sd)
    x = torch.from_numpy(sd["scenes.images"][:, None] / np.float32(255))
    with torch.no_grad():
        ref = model(x)
    got = nn.UNet(sd, cfg)(x.numpy())
    _close(got, ref)
    for pred, mask in zip(got.argmax(1), sd["scenes.masks"]):
        ours = nn.dice_per_class(pred, mask, cfg["num_classes"])
        theirs = dice_score(torch.from_numpy(pred), torch.from_numpy(mask.astype(np.int64)), cfg["num_classes"])
        for a, b in zip(ours, theirs.tolist()):
            assert (a is None and np.isnan(b)) or a == pytest.approx(b, abs=1e-6)


def test_architecture_constants_travel_in_the_exported_config():
    """GroupNorm groups and attention heads are read from the file: the page's code restates
    no layer size, and a file without them is refused as made by other code."""
    from demos import errors
    from lecture_models.models import diffusion as tdiff

    for name in ("diffusion", "latent_unet"):
        _, cfg = nn.load_weights(ROOT / "docs/assets/models" / f"{name}.npz", run=name)
        assert cfg["groups"] == tdiff.GROUPS
    assert nn.load_weights(ROOT / "docs/assets/models/diffusion.npz", run="diffusion")[1]["heads"] == tdiff.HEADS
    sd, cfg = nn.load_weights(ROOT / "docs/assets/models/diffusion.npz", run="diffusion")
    with pytest.raises(nn.WeightsError) as info:
        nn.DiffusionUNet(sd, {k: v for k, v in cfg.items() if k != "groups"})
    assert errors.record(info.value)["code"] == "mismatched_file"
    for path in (ROOT / "demos").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^(GROUPS|HEADS)\s*=", text, re.M), path.name
    digits = (ROOT / "docs/assets/js/widgets/digit-explorer.js").read_text(encoding="utf-8")
    assert not re.search(r"\? 6 : 16|=== \"c1\" \? 28|< 5; [ij]\+\+|\* 25\b", digits)
