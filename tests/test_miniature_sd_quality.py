"""The trained miniature Stable Diffusion the page runs (clip.npz, latent_ae.npz, latent_unet.npz).

Quality is measured here with PyTorch on exactly the exported float16 values, and judged
by the course's LeNet-5 where "looks like a 7" is the question:
- mini-CLIP: zero-shot accuracy >= 95 % on the 2,000 held-out digits; «grueso» vs «fino»
  picks right >= 85 % of the held-out digits whose thickness is clear (outer thirds);
- autoencoder: LeNet-5 classifies >= 97 % of the held-out reconstructions;
- text to image: «un cero» … «un nueve», 20 seeds each, guidance 3, 25 DDIM steps: LeNet-5
  recognises the prompted digit in >= 90 %; same seed, «grueso» has more ink than «fino»
  in >= 80 % of the pairs (50 pairs: 5 seeds per digit);
- the page's NumPy equals PyTorch on the trained weights (embeddings, decoder, a sample).
"""
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from demos import miniature_sd as msd
from demos import nn, vocabulary
from lecture_models.data.captions import Thresholds
from lecture_models.data.mnist import load_mnist, npz_path
from lecture_models.figures.miniature_sd import generate, thickness_retrieval, zero_shot
from lecture_models.judge import classify, load_lenet
from lecture_models.models.autoencoder import latent_autoencoder
from lecture_models.models.clip import mini_clip
from lecture_models.models.diffusion import NoiseSchedule
from lecture_models.models.latent_diffusion import latent_unet, sample_latents

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "docs" / "assets" / "models"
MANIFEST = ROOT / "docs" / "figures" / "manifest.json"
FILES = {"clip": "mini_clip", "latent_ae": "latent_autoencoder", "latent_unet": "latent_unet"}
pytestmark = pytest.mark.skipif(not npz_path().is_file(), reason="MNIST not fetched (python -m lecture_models data)")


def _torch(model, sd):
    model.load_state_dict({k: torch.from_numpy(np.asarray(sd[k])) for k in model.state_dict()})
    return model.eval()


@pytest.fixture(scope="module")
def nets():
    out = {}
    for name, network in FILES.items():
        sd, cfg = nn.load_weights((MODELS / f"{name}.npz").read_bytes(), run="miniature_sd", expect=network)
        out[name] = (sd, cfg)
    clip_sd, clip_cfg = out["clip"]
    ae_sd, ae_cfg = out["latent_ae"]
    unet_sd, unet_cfg = out["latent_unet"]
    clip = _torch(mini_clip(**{k: clip_cfg[k] for k in ("dim", "image_depth", "text_depth", "heads", "embed_dim")}),
                  clip_sd)
    ae = _torch(latent_autoencoder(channels=ae_cfg["channels"]), ae_sd)
    unet = _torch(latent_unet(base_channels=unet_cfg["base_channels"]), unet_sd)
    return {"clip": clip, "ae": ae, "unet": unet, "sd": out}


@pytest.fixture(scope="module")
def data():
    return load_mnist()


def test_files_are_in_the_manifest_with_provenance_and_fit_the_budget():
    entries = json.loads(MANIFEST.read_text())["models"]
    total = 0
    for name, network in FILES.items():
        blob = (MODELS / f"{name}.npz").read_bytes()
        e = entries[name]
        assert e["sha256"] == hashlib.sha256(blob).hexdigest() and e["bytes"] == len(blob)
        assert e["run"] == "miniature_sd" and e["network"] == network and e["quick"] is False
        assert e["command"].startswith("python -m lecture_models figures") and e["device"] and e["seed"] == 0
        total += len(blob)
    assert total <= 6 * 2**20
    cfg = json.loads(str(np.load(MODELS / "clip.npz")["__config__"]))
    assert cfg["words"] == list(vocabulary.WORDS) and cfg["context"] == vocabulary.CONTEXT


def test_mini_clip_zero_shot_and_thickness(nets, data):
    _, _, x, y = data
    acc, _ = zero_shot(nets["clip"], x, y)
    assert acc >= 0.95, acc
    cfg = nets["sd"]["clip"][1]
    retrieval, n = thickness_retrieval(nets["clip"], x, y, Thresholds(np.array(cfg["captions"]["ink_tertiles"])))
    assert n > 1000 and retrieval >= 0.85, retrieval


def test_page_clip_equals_torch_on_trained_weights(nets, data):
    sd, cfg = nets["sd"]["clip"]
    page = msd.MiniCLIP(sd, cfg)
    x = data[2][:64]
    ids = torch.tensor(msd.token_ids([vocabulary.caption(d) for d in range(10)] + ["un siete grueso", ""]))
    with torch.no_grad():
        assert np.abs(page.encode_image(x.numpy()) - nets["clip"].encode_image(x).numpy()).max() <= 1e-4
        assert np.abs(page.encode_text(ids.numpy()) - nets["clip"].encode_text(ids).numpy()).max() <= 1e-4


def test_autoencoder_reconstructions_are_recognised_by_lenet(nets, data):
    _, _, x, y = data
    with torch.no_grad():
        rec = torch.cat([nets["ae"](x[i:i + 500]) for i in range(0, len(x), 500)])
    assert (classify(load_lenet(), rec) == y).float().mean().item() >= 0.97
    page = msd.LatentAutoencoder(*nets["sd"]["latent_ae"])
    with torch.no_grad():
        z = nets["ae"].encode(x[:32])
        assert np.abs(page.encode(x[:32].numpy()) - z.numpy()).max() <= 1e-4
        assert np.abs(page.decode(z.numpy()) - nets["ae"].decode(z).numpy()).max() <= 1e-4
    assert abs(float(z.std()) - 1) < 0.3  # the scale factor makes latents about unit variance


@pytest.fixture(scope="module")
def samples(nets):
    schedule = NoiseSchedule(1000)
    kw = dict(steps=25, guidance=3.0, device="cpu")
    run = lambda prompts, seeds: generate(nets["unet"], nets["ae"], nets["clip"], schedule, prompts, seeds, **kw)  # noqa: E731
    digits = run([vocabulary.caption(d) for d in range(10)], list(range(20)))
    # 5 seeds per digit under both words: 50 same-seed pairs (one batch of 100 samples)
    pairs = run([vocabulary.caption(d, w) for w in ("grueso", "fino") for d in range(10)], list(range(100, 105)))
    return {"digits": digits, "thick": pairs[:10], "thin": pairs[10:]}


def test_lenet_recognises_the_prompted_digit(samples):
    pred = classify(load_lenet(), samples["digits"].reshape(-1, 28, 28)).reshape(10, 20)
    assert (pred == torch.arange(10)[:, None]).float().mean().item() >= 0.90


def test_thick_has_more_ink_than_thin_from_the_same_seed(samples):
    assert (samples["thick"].sum((2, 3)) > samples["thin"].sum((2, 3))).mean() >= 0.80


def test_page_sample_equals_torch_from_the_same_noise(nets):
    clip_page = msd.MiniCLIP(*nets["sd"]["clip"])
    unet_sd, unet_cfg = nets["sd"]["latent_unet"]
    page = msd.LatentUNet(unet_sd, unet_cfg)
    ctx, mask = clip_page.token_states(msd.token_ids(["un siete inclinado a la derecha"]))
    null, null_mask = clip_page.token_states(msd.token_ids([""]))
    z_T = np.random.default_rng(3).standard_normal((1, 4, 8, 8)).astype(np.float32)
    ab = unet_sd["schedule.alphas_cumprod"]
    ref = sample_latents(nets["unet"], NoiseSchedule(1000), torch.from_numpy(ctx), torch.from_numpy(mask),
                         torch.from_numpy(null), torch.from_numpy(null_mask), guidance_scale=3.0, steps=25,
                         z_T=torch.from_numpy(z_T))
    got = msd.LatentSampler(page, ab, ctx, mask, null, null_mask, z_T=z_T, timesteps=msd.ddim_timesteps(1000, 25),
                            guidance_scale=3.0).run()
    assert np.abs(got - ref.numpy()).max() <= 1e-3  # 25 steps of float32 rounding on unit-variance latents
    ae = msd.LatentAutoencoder(*nets["sd"]["latent_ae"])
    with torch.no_grad():
        assert np.abs(ae.decode(got) - nets["ae"].decode(ref).numpy()).max() <= 1e-3
