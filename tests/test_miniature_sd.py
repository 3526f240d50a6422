"""The miniature Stable Diffusion's parts: PyTorch modules against torch.nn, NumPy against PyTorch.

Random weights (every parameter drawn, the zero-initialised output layers included), so
the equalities hold whatever training produced; the trained networks' quality is in
tests/test_miniature_sd_quality.py.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from demos import miniature_sd as msd
from demos import transformer as tf
from demos import nn, vocabulary
from lecture_models.data import captions
from lecture_models.models.autoencoder import latent_autoencoder
from lecture_models.models.clip import clip_loss, mini_clip
from lecture_models.models.diffusion import NoiseSchedule
from lecture_models.models.latent_diffusion import (empty_prompt_ids, img2img_timesteps, latent_unet,
                                                    sample_latents)
from lecture_models.models.transformer import MultiHeadAttention, TransformerBlock

TOL = 1e-4


def np_sd(model):
    return {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}


def randomise(model, seed=0, scale=0.2):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + scale * torch.randn(p.shape, generator=g))
            else:
                p.copy_(scale * torch.randn(p.shape, generator=g))
    return model.eval()


def close(a, b, tol=TOL):
    if torch.is_tensor(a):
        a = a.detach().numpy()
    if torch.is_tensor(b):
        b = b.detach().numpy()
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape
    assert np.abs(a - b).max() <= tol, np.abs(a - b).max()


# ----------------------------------------------------------------------------- layers

@pytest.mark.parametrize("shape", [(3, 5, 16), (2, 49, 64), (7, 8)])
def test_layer_norm_and_gelu_equal_torch(shape):
    x = torch.randn(shape) * 3
    w, b = torch.randn(shape[-1]), torch.randn(shape[-1])
    close(tf.layer_norm(x.numpy(), w.numpy(), b.numpy()), F.layer_norm(x, (shape[-1],), w, b))
    close(tf.gelu(x.numpy()), F.gelu(x, approximate="tanh"))


@pytest.mark.parametrize("lq,ls,d", [(5, 5, 8), (64, 8, 16), (1, 3, 4)])
def test_attention_equals_scaled_dot_product_attention(lq, ls, d):
    g = torch.Generator().manual_seed(lq)
    q, k, v = (torch.randn(2, 4, n, d, generator=g) for n in (lq, ls, ls))
    mask = torch.ones(2, ls, dtype=torch.bool)
    mask[1, ls // 2 + 1:] = False  # padding of the second sequence
    out, weights = tf.attention(q.numpy(), k.numpy(), v.numpy(), mask.numpy()[:, None, :])
    close(out, F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None, None, :]))
    np.testing.assert_allclose(weights.sum(-1), 1, atol=1e-5)
    assert (weights[1, ..., ls // 2 + 1:] == 0).all()


def test_our_multi_head_attention_equals_torch_nn_multihead_attention():
    torch.manual_seed(0)
    ours = randomise(MultiHeadAttention(32, heads=4))
    ref = torch.nn.MultiheadAttention(32, 4, batch_first=True).eval()
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([ours.q.weight, ours.k.weight, ours.v.weight]))
        ref.in_proj_bias.copy_(torch.cat([ours.q.bias, ours.k.bias, ours.v.bias]))
        ref.out_proj.weight.copy_(ours.out.weight)
        ref.out_proj.bias.copy_(ours.out.bias)
    x = torch.randn(3, 6, 32)
    mask = torch.tensor([[1] * 6, [1] * 4 + [0] * 2, [1] + [0] * 5], dtype=torch.bool)
    y, w = ours(x, key_mask=mask, return_weights=True)
    y_ref, w_ref = ref(x, x, x, key_padding_mask=~mask, average_attn_weights=False)
    close(y, y_ref.detach(), 1e-5)
    close(w, w_ref.detach(), 1e-6)
    close(ours(x, key_mask=mask), y_ref.detach(), 1e-5)  # the fast path gives the same
    sd = {f"a.{k}": v for k, v in np_sd(ours).items()}
    out, weights = tf.MultiHeadAttention(sd, "a", 4)(x.numpy(), key_mask=mask.numpy())
    close(out, y_ref.detach())
    close(weights, w_ref.detach())


def test_cross_attention_reads_another_width():
    torch.manual_seed(1)
    ours = randomise(MultiHeadAttention(16, heads=2, context_dim=24))
    x, ctx = torch.randn(2, 9, 16), torch.randn(2, 5, 24)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    y, w = ours(x, ctx, mask, return_weights=True)
    sd = {f"c.{k}": v for k, v in np_sd(ours).items()}
    out, weights = tf.MultiHeadAttention(sd, "c", 2)(x.numpy(), ctx.numpy(), mask.numpy())
    close(out, y)
    close(weights, w)
    assert weights.shape == (2, 2, 9, 5)


def test_transformer_block_equals_torch():
    torch.manual_seed(2)
    block = randomise(TransformerBlock(32, heads=4))
    x = torch.randn(2, 7, 32)
    mask = torch.tensor([[1] * 7, [1] * 3 + [0] * 4], dtype=torch.bool)
    y, w = block(x, key_mask=mask, return_weights=True)
    sd = {f"b.{k}": v for k, v in np_sd(block).items()}
    out, weights = tf.TransformerBlock(sd, "b", 4)(x.numpy(), key_mask=mask.numpy())
    close(out, y)
    close(weights, w)


# ----------------------------------------------------------------------------- networks

@pytest.fixture(scope="module")
def clip():
    torch.manual_seed(3)
    model = randomise(mini_clip(), seed=3, scale=0.1)
    return model, msd.MiniCLIP(np_sd(model), model.config)


def test_mini_clip_equals_torch(clip):
    model, page = clip
    x = torch.rand(4, 1, 28, 28)
    ids = torch.tensor(msd.token_ids(["un siete", "un ocho grueso", "", "un uno fino inclinado a la derecha"]))
    with torch.no_grad():
        close(page.encode_image(x.numpy()), model.encode_image(x))
        close(page.encode_text(ids.numpy()), model.encode_text(ids))
        close(page.logits(x.numpy(), ids.numpy()), model(x, ids), 1e-3)  # logits are x 14.3
        states, mask = model.text.token_states(ids)
        s_np, m_np = page.token_states(ids.numpy())
        close(s_np, states)
        assert (m_np == mask.numpy()).all()
        _, w = model.image(x, return_weights=True)
    _, weights = page.encode_image(x.numpy(), trace=True)
    for a, b in zip(weights, w):
        close(a, b)
    assert weights[0].shape == (4, 4, 50, 50)  # class token + 49 patches, 4 heads


def test_autoencoder_equals_torch():
    torch.manual_seed(4)
    model = randomise(latent_autoencoder(), seed=4, scale=0.1)
    model.scale_factor.fill_(0.37)
    page = msd.LatentAutoencoder(np_sd(model), {})
    x = torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        z = model.encode(x)
        close(page.encode(x.numpy()), z)
        assert z.shape == (3, 4, 8, 8)
        close(page.decode(z.numpy()), model.decode(z))


@pytest.fixture(scope="module")
def unet():
    torch.manual_seed(5)
    model = randomise(latent_unet(base_channels=16), seed=5, scale=0.1)
    cfg = dict(base_channels=16, latent_channels=4, latent_size=8, heads=4, groups=8)
    return model, msd.LatentUNet(np_sd(model), cfg)


def test_latent_unet_step_equals_torch_and_cross_attention_sums_to_one(unet, clip):
    model, page = unet
    _, clip_page = clip
    ids = msd.token_ids(["un siete grueso", "un dos"])
    ctx, mask = clip_page.token_states(ids)
    z = torch.randn(2, 4, 8, 8)
    with torch.no_grad():
        eps, w = model(z, 500, torch.from_numpy(ctx), torch.from_numpy(mask), return_weights=True)
    out, weights = page(z.numpy(), 500, ctx, mask, trace=True)
    close(out, eps)
    assert set(weights) == set(model.ATTENTION)
    for name in weights:
        close(weights[name], w[name])
        np.testing.assert_allclose(weights[name].sum(-1), 1, atol=1e-5)  # over the tokens, for every pixel
        assert (weights[name][1, ..., 3:] == 0).all()  # «un dos <fin>»: padding gets nothing


def test_whole_sample_from_the_same_noise_equals_torch(unet, clip):
    model, page = unet
    _, clip_page = clip
    schedule = NoiseSchedule(1000)
    ctx, mask = clip_page.token_states(msd.token_ids(["un tres"]))
    null, null_mask = clip_page.token_states(msd.token_ids([""]))
    z_T = np.random.default_rng(0).standard_normal((1, 4, 8, 8)).astype(np.float32)
    ref = sample_latents(model, schedule, torch.from_numpy(ctx), torch.from_numpy(mask), torch.from_numpy(null),
                         torch.from_numpy(null_mask), guidance_scale=3.0, steps=10, z_T=torch.from_numpy(z_T))
    sampler = msd.LatentSampler(page, schedule.alphas_cumprod.numpy(), ctx, mask, null, null_mask, z_T=z_T,
                                timesteps=msd.ddim_timesteps(1000, 10), guidance_scale=3.0)
    close(sampler.run(), ref, 1e-3)


def test_img2img_schedule_matches_and_strength_zero_runs_no_step():
    for steps, strength in [(25, 0.0), (25, 0.5), (25, 1.0), (10, 0.33)]:
        assert msd.img2img_timesteps(1000, steps, strength) == img2img_timesteps(1000, steps, strength)
    assert img2img_timesteps(1000, 25, 0.0) == []
    assert len(img2img_timesteps(1000, 25, 1.0)) == 25
    with pytest.raises(ValueError):
        img2img_timesteps(1000, 25, 1.5)


# ----------------------------------------------------------------------------- words and captions

def test_tokenizer_reports_unknown_and_truncated_words():
    out = vocabulary.tokenize("Un siete, GRUESO y bonito")
    assert out["words"] == ["un", "siete", "grueso"]
    assert out["unknown"] == ["y", "bonito"]
    assert "siete" in vocabulary.nearest("sieet")
    assert out["ids"][:4] == [vocabulary.INDEX[w] for w in ("un", "siete", "grueso", "<fin>")]
    assert len(out["ids"]) == vocabulary.CONTEXT
    long = vocabulary.tokenize("un siete grueso inclinado a la derecha recto fino")
    assert long["truncated"] == ["recto", "fino"] and long["ids"][-1] == vocabulary.INDEX["<fin>"]
    assert vocabulary.tokenize("")["ids"] == [1] + [0] * 7 == empty_prompt_ids()[0].tolist()


def _stroke(thickness, shear):
    """A vertical bar through the middle, sheared by ``shear`` pixels per row (positive: top to the right)."""
    img = np.zeros((28, 28))
    for r in range(4, 24):
        c = 14 + shear * (14 - r)
        lo = int(round(c - thickness / 2))
        img[r, max(lo, 0): lo + thickness] = 1
    return img


def test_captions_measure_thickness_and_slant_on_hand_made_digits():
    thin, thick = _stroke(2, 0), _stroke(6, 0)
    right, left = _stroke(4, 0.5), _stroke(4, -0.5)  # ink 80: the middle third below
    assert captions.ink([thick])[0] == 3 * captions.ink([thin])[0]
    s = captions.slant([thin, right, left])
    assert abs(s[0]) < 0.01 and s[1] == pytest.approx(0.5, abs=0.05) and s[2] == pytest.approx(-0.5, abs=0.05)
    assert captions.slant_word(s) == ["straight", "right", "left"]
    th = captions.Thresholds.fit(np.stack([_stroke(t, 0) for t in range(1, 8)] * 10), np.repeat(np.arange(10), 7))
    attrs = captions.attributes(np.stack([thin, thick, right]), [7, 7, 1], th)
    assert attrs == [(7, "fino", "straight"), (7, "grueso", "straight"), (1, None, "right")]
    assert vocabulary.caption(7, "grueso", "right") == "un siete grueso inclinado a la derecha"
    variants = captions.caption_variants(attrs)
    g = torch.Generator().manual_seed(0)
    drawn = {tuple(captions.draw_captions(variants[:1].expand(400, -1, -1), g)[i].tolist()) for i in range(400)}
    assert drawn == {tuple(v) for v in variants[0].tolist()}  # all four, attributes dropped at random


def test_clip_loss_is_cross_entropy_both_ways_and_soft_targets_share_the_mass():
    logits = torch.randn(5, 5)
    ref = (F.cross_entropy(logits, torch.arange(5)) + F.cross_entropy(logits.T, torch.arange(5))) / 2
    assert clip_loss(logits).item() == pytest.approx(ref.item(), abs=1e-6)
    same = torch.eye(4, dtype=torch.bool)
    same[0, 1] = same[1, 0] = True  # digits 0 and 1 share a caption
    logits = torch.zeros(4, 4)
    # uniform logits: each row's loss is log 4 whatever the targets
    assert clip_loss(logits, same).item() == pytest.approx(np.log(4), abs=1e-6)
    logits = torch.randn(4, 4) * 3
    target = same.float() / same.float().sum(1, keepdim=True)  # PyTorch's cross-entropy takes probabilities too
    ref = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target.T)) / 2
    assert clip_loss(logits, same).item() == pytest.approx(ref.item(), abs=1e-6)


# ----------------------------------------------------------------------------- the training run

@pytest.mark.training
def test_quick_run_exports_the_three_networks_the_page_loads(tmp_path):
    """`figures --quick --only miniature_sd` (the tests' mode, under a minute on a CPU)."""
    from lecture_models import cli
    from lecture_models.data.mnist import npz_path
    from lecture_models.figures import manifest

    if not npz_path().is_file():
        pytest.skip("MNIST not fetched (python -m lecture_models data)")
    threads, det = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    try:
        code = cli.main(["figures", "--quick", "--only", "miniature_sd", "--device", "cpu", "--threads", "1",
                         "--no-progress", "--out", str(tmp_path), "--cache", str(tmp_path / "cache")])
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(det)
    assert code == 0 and manifest.problems(tmp_path) == []
    data = manifest.load(tmp_path)
    assert data["figures"]["miniature_sd_samples.png"]["quick"] is True
    classes = {"clip": msd.MiniCLIP, "latent_ae": msd.LatentAutoencoder, "latent_unet": msd.LatentUNet}
    for name, cls in classes.items():
        entry = data["models"][name]
        assert entry["run"] == "miniature_sd" and entry["quick"] is True
        sd, cfg = nn.load_weights(
            (tmp_path / "models" / f"{name}.npz").read_bytes(), run="miniature_sd", expect=entry["network"])
        cls(sd, cfg)  # the page's classes read what the run wrote
