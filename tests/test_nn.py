"""demos.nn against torch.nn layer by layer (random shapes) and against the lecture_models networks.

The real-weights equalities (the exported .npz files) are in tests/test_nets_export.py.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from demos import nn
from lecture_models.models import diffusion as tdiff
from lecture_models.models import lenet5, unet

ATOL = 1e-4


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _close(got, ref, atol=ATOL):
    ref = ref.detach().numpy() if isinstance(ref, torch.Tensor) else ref
    assert got.shape == ref.shape
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, ref, rtol=0, atol=atol)


def _conv_cases(count, seed=0):
    """(N, C, H, W, O, kh, kw, stride, padding, dilation, groups) that fit."""
    rng, cases = np.random.default_rng(seed), []
    while len(cases) < count:
        g = int(rng.choice([1, 1, 2, 3]))
        c, o = g * int(rng.integers(1, 4)), g * int(rng.integers(1, 4))
        h, w = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        kh, kw, s, p, d = (int(v) for v in (rng.integers(1, 6), rng.integers(1, 6), rng.integers(1, 4),
                                            rng.integers(0, 3), rng.integers(1, 3)))
        if d * (kh - 1) + 1 <= h + 2 * p and d * (kw - 1) + 1 <= w + 2 * p:
            cases.append((int(rng.integers(1, 3)), c, h, w, o, kh, kw, s, p, d, g))
    return cases


@pytest.mark.parametrize("case", _conv_cases(40))
def test_conv2d_matches_torch(case):
    n, c, h, w, o, kh, kw, s, p, d, g = case
    rng = np.random.default_rng(hash(case) % 2**32)
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    wt = rng.standard_normal((o, c // g, kh, kw)).astype(np.float32)
    b = rng.standard_normal(o).astype(np.float32)
    ref = F.conv2d(_t(x), _t(wt), _t(b), stride=s, padding=p, dilation=d, groups=g)
    _close(nn.conv2d(x, wt, b, stride=s, padding=p, dilation=d, groups=g), ref)


@pytest.mark.parametrize("seed", range(20))
def test_conv_transpose2d_matches_torch(seed):
    rng = np.random.default_rng(seed)
    n, c, o = (int(v) for v in rng.integers(1, 4, 3))
    h, w, kh, kw = (int(v) for v in rng.integers(1, 6, 4))
    s, d = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    op = int(rng.integers(0, max(s, d)))
    p = int(rng.integers(0, 2))
    if (h - 1) * s - 2 * p + d * (kw - 1) + op + 1 < 1 or (w - 1) * s - 2 * p + d * (kw - 1) + op + 1 < 1:
        p = 0
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    wt = rng.standard_normal((c, o, kh, kw)).astype(np.float32)
    b = rng.standard_normal(o).astype(np.float32)
    ref = F.conv_transpose2d(_t(x), _t(wt), _t(b), stride=s, padding=p, output_padding=op, dilation=d)
    _close(nn.conv_transpose2d(x, wt, b, stride=s, padding=p, output_padding=op, dilation=d), ref)


@pytest.mark.parametrize("seed", range(6))
def test_elementwise_pool_norm_layers_match_torch(seed):
    rng = np.random.default_rng(seed)
    n, c, h, w = int(rng.integers(1, 3)), 8 * int(rng.integers(1, 3)), int(rng.integers(4, 11)), int(rng.integers(4, 11))
    x = (3 * rng.standard_normal((n, c, h, w))).astype(np.float32)
    tx = _t(x)
    _close(nn.relu(x), F.relu(tx))
    _close(nn.silu(x), F.silu(tx))
    _close(nn.silu(100 * x), F.silu(100 * tx), atol=1e-3)  # no overflow far out
    for k, s in ((2, None), (3, 2), (2, 1)):
        _close(nn.max_pool(x, k, s), F.max_pool2d(tx, k, s))
        _close(nn.avg_pool(x, k, s), F.avg_pool2d(tx, k, s))
    mean, var = rng.standard_normal(c).astype(np.float32), rng.uniform(0.1, 2, c).astype(np.float32)
    gamma, beta = rng.standard_normal(c).astype(np.float32), rng.standard_normal(c).astype(np.float32)
    ref = F.batch_norm(tx, _t(mean), _t(var), _t(gamma), _t(beta), training=False)
    _close(nn.batch_norm(x, mean, var, gamma, beta), ref)
    for groups in (1, 4, 8):
        _close(nn.group_norm(x, groups, gamma, beta), F.group_norm(tx, groups, _t(gamma), _t(beta)))
    _close(nn.upsample_nearest(x), F.interpolate(tx, scale_factor=2, mode="nearest"))
    wl, bl = rng.standard_normal((5, w)).astype(np.float32), rng.standard_normal(5).astype(np.float32)
    _close(nn.linear(x, wl, bl), F.linear(tx, _t(wl), _t(bl)))
    table = rng.standard_normal((11, 6)).astype(np.float32)
    idx = rng.integers(0, 11, 7)
    _close(nn.embedding(table, idx), F.embedding(torch.from_numpy(idx), _t(table)))
    _close(nn.softmax(x), F.softmax(tx, -1))


def test_timestep_embedding_matches_torch():
    t = np.array([0, 1, 17, 500, 999])
    _close(nn.timestep_embedding(t, 32), tdiff.timestep_embedding(torch.from_numpy(t), 32), atol=2e-4)


@pytest.mark.parametrize("channels,hw", [(16, 4), (32, 7)])
def test_self_attention_matches_torch(channels, hw):
    torch.manual_seed(channels)
    block = tdiff.SelfAttention(channels).eval()
    for p in block.parameters():  # non-trivial affine GroupNorm too
        torch.nn.init.normal_(p, std=0.3)
    x = torch.randn(2, channels, hw, hw)
    sd = {k: v.numpy() for k, v in block.state_dict().items()}
    sd = {f"a.{k}": v for k, v in sd.items()}
    got, attn = nn.SelfAttention(sd, "a", tdiff.HEADS, tdiff.GROUPS).forward(x.numpy(), trace=True)
    with torch.no_grad():
        _close(got, block(x))
    assert attn.shape == (2, tdiff.HEADS, hw * hw, hw * hw)
    np.testing.assert_allclose(attn.sum(-1), 1, atol=1e-5)


def _np_sd(model):
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def test_lenet_logits_and_every_activation_match_torch():
    torch.manual_seed(0)
    model = lenet5().eval()
    x = torch.rand(3, 1, 28, 28)
    refs = {}
    names = {"c1": "c1", "s2": "s2", "c3": "c3", "s4": "s4", "c5": "c5", "f6": "f6", "output": "output"}
    hooks = [getattr(model, m).register_forward_hook(lambda mod, i, o, k=k: refs.setdefault(k, o))
             for k, m in names.items()]
    with torch.no_grad():
        ref = model(x)
    for hk in hooks:
        hk.remove()
    got, acts = nn.LeNet5(_np_sd(model)).forward(x.numpy(), trace=True)
    _close(got, ref)
    for k in ("c1", "s2", "c3", "s4", "output"):
        _close(acts[k], refs[k])
    _close(acts["c1_act"], F.relu(refs["c1"]))
    _close(acts["c5"], F.relu(refs["c5"]))  # named after the layer, after its ReLU
    _close(acts["f6"], F.relu(refs["f6"]))
    assert acts["input"].shape == (3, 1, 32, 32)


def test_lenet_switching_maps_off_and_editing_kernels_follow_torch():
    torch.manual_seed(1)
    model = lenet5().eval()
    x = torch.rand(2, 1, 28, 28)
    net = nn.LeNet5(_np_sd(model))
    w = net.params["c3.weight"].copy()
    w[4] = 0
    with torch.no_grad():
        model.c3.weight[4] = 0
        ref = model(x)
    _close(net.forward(x.numpy(), params={"c3.weight": w}), ref)
    # Zeroing a C3 kernel with no bias is not the same as switching the map off: both checked.
    keep = (torch.arange(16) != 7).float()[None, :, None, None]
    with torch.no_grad():
        h = model.s2(F.relu(model.c1(F.pad(x, (2, 2, 2, 2)))))
        h = torch.flatten(model.s4(F.relu(model.c3(h)) * keep), 1)
        ref_off = model.output(F.relu(model.f6(F.relu(model.c5(h)))))
    _close(net.forward(x.numpy(), params={"c3.weight": w}, off={"c3": [7]}), ref_off)


@pytest.mark.parametrize("batch_norm", [True, False])
def test_unet_logits_and_blocks_match_torch(batch_norm):
    torch.manual_seed(2)
    model = unet(in_channels=1, num_classes=11, depth=3, base_channels=4, batch_norm=batch_norm)
    model.train()
    with torch.no_grad():  # non-trivial BatchNorm running statistics
        for _ in range(3):
            model(torch.rand(4, 1, 32, 32))
    model.eval()
    x = torch.rand(2, 1, 32, 32)
    with torch.no_grad():
        ref = model(x)
        ref_inc = model.inc(x)
    got, acts = nn.UNet(_np_sd(model), {"depth": 3, "batch_norm": batch_norm}).forward(x.numpy(), trace=True)
    _close(got, ref)
    _close(acts["inc"], ref_inc)
    assert acts["down3"].shape == (2, 32, 4, 4)


def _diffusion_model(seed=3):
    torch.manual_seed(seed)
    model = tdiff.diffusion_unet(base_channels=8, num_classes=10).eval()
    for p in model.parameters():  # conv_out starts at zero: give it weights so the test means something
        if p.ndim >= 1:
            torch.nn.init.normal_(p, std=0.15)
    cfg = {"base_channels": 8, "num_classes": 10, "channel_mults": [1, 2, 2], "image_size": 28,
           "attention": True, "groups": tdiff.GROUPS, "heads": tdiff.HEADS}
    return model, nn.DiffusionUNet(_np_sd(model), cfg)


def test_diffusion_unet_matches_torch_for_classes_and_no_class():
    model, net = _diffusion_model()
    x = torch.randn(3, 1, 28, 28)
    for y in (torch.tensor([0, 7, 10]), None):
        with torch.no_grad():
            ref = model(x, torch.tensor(421), y)
        _close(net(x.numpy(), 421, None if y is None else y.numpy()), ref)


@pytest.mark.parametrize("steps", [1, 2, 3, 7, 10, 25, 50, 99, 100, 250])
def test_ddim_timesteps_equal_torch_linspace_round(steps):
    assert nn.ddim_timesteps(1000, steps) == torch.linspace(999, 0, steps).round().long().tolist()


@pytest.mark.parametrize("scale", [0.0, 1.0, 3.0])
def test_ddim_sample_from_the_same_noise_matches_torch(scale):
    model, net = _diffusion_model(4)
    schedule = tdiff.NoiseSchedule(1000)
    y = torch.tensor([3, 10])
    g = torch.Generator().manual_seed(5)
    x_T = torch.randn((2, 1, 28, 28), generator=g)
    ref = tdiff.sample(model, schedule, y, guidance_scale=scale, steps=6,
                       generator=torch.Generator().manual_seed(5))
    sampler = nn.DDIMSampler(net, schedule.alphas_cumprod.numpy(), y.numpy(), steps=6, guidance_scale=scale,
                             x_T=x_T.numpy())
    x, x0 = sampler.step()  # one denoising step, checked on its own first
    eps = tdiff._guided_eps(model, x_T, torch.tensor(999), y, scale)
    ab = schedule.alphas_cumprod
    _close(x, tdiff.ddim_step(x_T, eps, ab[999], ab[sampler.timesteps[1]], 0.0))
    _close(sampler.run(), ref)
    assert len(sampler.trajectory) == 7 and len(sampler.x0_hats) == 6


def test_preprocess_digit_crops_scales_and_centres_the_mass():
    img = np.zeros((100, 80))
    img[10:70, 30:45] = 1.0  # a tall bar off-centre
    out = nn.preprocess_digit(img)
    assert out["crop"].shape == (60, 15)
    assert max(out["box"].shape) == 20 and out["box"].shape == (20, 5)
    d = out["digit"]
    assert d.shape == (28, 28) and d.dtype == np.float32
    cy = (d.sum(1) @ np.arange(28)) / d.sum()
    cx = (d.sum(0) @ np.arange(28)) / d.sum()
    assert abs(cy - 13.5) <= 0.5 and abs(cx - 13.5) <= 0.5
    np.testing.assert_allclose(d.sum(), out["box"].sum(), rtol=1e-6)  # nothing cut off
    assert nn.preprocess_digit(np.zeros((50, 50)))["digit"] is None


def test_missing_or_wrong_weights_say_which_command_makes_them(tmp_path):
    with pytest.raises(nn.WeightsError, match=r"python -m lecture_models figures --only lenet"):
        nn.load_weights(None, run="lenet")
    with pytest.raises(nn.WeightsError, match=r"--only unet"):
        nn.load_weights(b"not a zip file", run="unet")
    path = tmp_path / "w.npz"
    np.savez(path, __config__=np.array('{"network": "unet"}'), x=np.zeros(2, np.float16))
    with pytest.raises(nn.WeightsError, match=r"no de 'lenet5'.*--only lenet"):
        nn.load_weights(path.read_bytes(), run="lenet", expect="lenet5")
    sd, cfg = nn.load_weights(path.read_bytes(), run="unet", expect="unet")
    assert sd["x"].dtype == np.float32 and cfg == {"network": "unet"}
    with pytest.raises(nn.WeightsError, match=r"c1.weight.*--only lenet"):
        nn.LeNet5(sd)


def test_weights_error_reaches_the_page_as_an_input_record():
    """A missing weights file is shown as its message alone (kind "input"), never as
    «ValueError: ...» with a traceback."""
    from demos import errors

    with pytest.raises(nn.WeightsError) as info:
        nn.load_weights(None, run="lenet")
    rec = errors.record(info.value)
    assert rec["kind"] == "input" and rec["code"] == "missing_file" and rec["traceback"] == ""
    with pytest.raises(nn.WeightsError) as info:
        nn.load_weights(b"not a zip file", run="lenet")
    assert errors.record(info.value)["code"] == "mismatched_file"
    assert rec["message"].startswith("No están los pesos") and "Error" not in rec["message"]
