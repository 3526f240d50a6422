"""F2 runs: segmentation scenes, resumable training loops, and --quick smoke runs of unet, dcgan, diffusion.

The smoke runs need the MNIST file (`make data`) and are skipped with that hint
when it is absent; they go through the real command line in a subprocess.
"""
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lecture_models.data import mnist
from lecture_models.data.segmentation import NUM_CLASSES, STROKE, make_scenes
from lecture_models.figures import RunContext, manifest
from lecture_models.models.dcgan import dcgan_discriminator, dcgan_generator
from lecture_models.models.diffusion import NoiseSchedule, diffusion_unet
from lecture_models.models.unet import unet
from lecture_models.train.device import predict
from lecture_models.train.diffusion import ema_update, train_diffusion
from lecture_models.train.gan import train_gan
from lecture_models.train.resume import StepCheckpoint
from lecture_models.train.segmentation import (evaluate_segmentation, predict_labels, segmentation_loss,
                                               train_segmentation)

ROOT = Path(__file__).resolve().parents[1]
HAVE_MNIST = mnist.npz_path().is_file()
pytestmark = pytest.mark.usefixtures("one_thread")


def _fake_digits(m=40, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(m, 784, generator=g), torch.randint(0, 10, (m,), generator=g)


def test_scenes_are_deterministic_for_a_seed():
    imgs, labels = _fake_digits()
    a = make_scenes(imgs, labels, 16, seed=3)
    b = make_scenes(imgs, labels, 16, seed=3)
    c = make_scenes(imgs, labels, 16, seed=4)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[1], c[1])


def test_scene_labels_match_the_pasted_digits():
    imgs, labels = _fake_digits()
    x, y, info = make_scenes(imgs, labels, 32, seed=0, max_digits=3)
    assert x.shape == (32, 1, 64, 64) and y.shape == (32, 64, 64) and y.dtype == torch.long
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert 0 <= y.min() and y.max() < NUM_CLASSES
    digits = imgs.reshape(-1, 28, 28)
    expected_x = torch.zeros(32, 64, 64)
    expected_y = torch.zeros(32, 64, 64, dtype=torch.long)
    for n in range(32):
        used = info["index"][n] >= 0
        assert 1 <= used.sum() <= 3
        for cell in range(4):
            k = info["index"][n, cell].item()
            if k < 0:
                continue
            top = (cell // 2) * 32 + info["offset"][n, cell, 0].item()
            left = (cell % 2) * 32 + info["offset"][n, cell, 1].item()
            expected_x[n, top:top + 28, left:left + 28] = digits[k]
            expected_y[n, top:top + 28, left:left + 28] = (digits[k] > STROKE) * (labels[k] + 1)
    assert torch.equal(x[:, 0], expected_x)
    assert torch.equal(y, expected_y)


def test_scene_classes_cover_background_and_digits():
    imgs, labels = _fake_digits(m=200)
    _, y, _ = make_scenes(imgs, labels, 64, seed=1)
    assert set(y.unique().tolist()) == set(range(NUM_CLASSES))


# --- training loops: a killed run resumes to the same weights ----------------------

class _Killed(Exception):
    pass


class _KilledAfter(RunContext):
    """RunContext whose progress bar dies after `after` steps, like a run killed mid-way."""

    after = 3

    def progress_bar(self, iterable_or_total, desc=""):
        for i, item in enumerate(iterable_or_total):
            if i == self.after:
                raise _Killed
            yield item


def _resumed_equals_straight(tmp_path, build, train):
    """train(model, ctx) straight vs killed after 3 steps (checkpoint at 2) and rerun."""
    ref_model = build()
    ref = train(ref_model, None)
    kw = dict(device="cpu", cache_dir=tmp_path, run_name="t", progress=False)
    with pytest.raises(_Killed):
        train(build(), _KilledAfter(**kw))
    assert any(tmp_path.rglob("*.pt"))
    model = build()
    got = train(model, RunContext(**kw))
    for a, b in zip(ref_model.state_dict().values(), model.state_dict().values()):
        assert torch.equal(a, b)
    return ref, got


def test_segmentation_training_resumes(tmp_path):
    imgs, labels = _fake_digits()
    x, y, _ = make_scenes(imgs, labels, 16, seed=0)

    def build():
        torch.manual_seed(0)
        return unet(in_channels=1, num_classes=NUM_CLASSES, depth=2, base_channels=8)

    def train(model, ctx):
        return train_segmentation(model, x, y.to(torch.uint8), steps=5, lr=1e-2, batch_size=4, seed=1,
                                  ctx=ctx, ckpt_key="seg", ckpt_every=2)

    ref, got = _resumed_equals_straight(tmp_path, build, train)
    assert got["loss"] == ref["loss"] and len(ref["loss"]) == 5
    dice, pred = evaluate_segmentation(build(), x, y, NUM_CLASSES)
    assert dice.shape == (NUM_CLASSES,) and pred.shape == y.shape


def test_gan_training_resumes_with_snapshots(tmp_path):
    x = torch.rand(32, 1, 28, 28) * 2 - 1
    z = torch.randn(3, 8)

    def build():
        torch.manual_seed(0)
        return torch.nn.ModuleList([
            dcgan_generator(latent_dim=8, out_channels=1, image_size=28, base_channels=8),
            dcgan_discriminator(in_channels=1, image_size=28, base_channels=8)])

    def train(pair, ctx):
        return train_gan(pair[0], pair[1], x, steps=5, batch_size=8, seed=1, fixed_z=z,
                         snapshot_steps=(0, 3, 5), ctx=ctx, ckpt_key="gan", ckpt_every=2)

    ref, got = _resumed_equals_straight(tmp_path, build, train)
    assert got["d_loss"] == ref["d_loss"] and got["g_loss"] == ref["g_loss"]
    assert sorted(got["snapshots"]) == [0, 3, 5]
    for s in (0, 3, 5):
        assert got["snapshots"][s].shape == (3, 1, 28, 28)
        assert torch.equal(got["snapshots"][s], ref["snapshots"][s])
    assert not torch.equal(got["snapshots"][0], got["snapshots"][5])  # G changed


def test_diffusion_training_resumes_with_ema(tmp_path):
    x = torch.rand(32, 1, 28, 28) * 2 - 1
    y = torch.randint(0, 10, (32,))
    schedule = NoiseSchedule(100)

    def build():
        torch.manual_seed(0)
        return diffusion_unet(base_channels=8, channel_mults=(1, 2), attention=False)

    def train(model, ctx):
        return train_diffusion(model, schedule, x, y, steps=5, batch_size=8, lr=1e-3, seed=1,
                               ctx=ctx, ckpt_key="diff", ckpt_every=2)

    ref, got = _resumed_equals_straight(tmp_path, build, train)
    assert got["loss"] == ref["loss"]
    for a, b in zip(ref["ema"].state_dict().values(), got["ema"].state_dict().values()):
        assert torch.equal(a, b)
    assert not got["ema"].training


def test_ema_update_is_a_lerp():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    expected = 0.9 * a.weight.detach() + 0.1 * b.weight.detach()
    ema_update(a, b, 0.9)
    assert torch.allclose(a.weight, expected)




class _FailsOnSecondBatch(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.modes = []

    def forward(self, x):
        self.modes.append(self.training)
        if len(self.modes) == 2:
            raise RuntimeError("boom")
        return torch.zeros(len(x), 3, *x.shape[2:])


@pytest.mark.parametrize("infer", [predict, predict_labels])
@pytest.mark.parametrize("training", [True, False])
def test_inference_gives_the_model_back_in_its_mode_when_a_batch_fails(infer, training):
    model = _FailsOnSecondBatch().train(training)
    with pytest.raises(RuntimeError, match="boom"):
        infer(model, torch.zeros(4, 1, 2, 2), batch_size=2)
    assert model.modes == [False, False] and model.training is training


def test_predict_labels_are_the_argmax_batch_by_batch():
    torch.manual_seed(0)
    model = torch.nn.Conv2d(1, 3, 3, padding=1).train()
    x = torch.randn(5, 1, 4, 4)
    assert torch.equal(predict_labels(model, x, batch_size=2), model(x).argmax(1))
    assert model.training

def test_the_last_step_is_saved_when_steps_is_not_a_multiple_of_every(tmp_path):
    """5 steps, a checkpoint every 3: saved after step 3 and after step 5, so a rerun of the
    finished run trains nothing."""
    ctx = RunContext(device="cpu", cache_dir=tmp_path, run_name="t", progress=False)

    def saver(losses):
        return StepCheckpoint(ctx, "k", objects={}, tensors={"losses": losses}, rng=torch.Generator(), every=3)

    first = saver(torch.zeros(5))
    saved = []
    for step in range(first.restore(5), 5):
        first.tensors["losses"][step] = step + 1
        first.after_step(step, 5)
        state = ctx.checkpoint("k").load()
        saved.append(state and state["step"])
    assert saved == [None, None, 3, 3, 5]
    again = saver(torch.zeros(5))
    assert again.restore(5) == 5
    assert again.tensors["losses"].tolist() == [1, 2, 3, 4, 5]


def test_ema_warms_up_from_a_small_decay():
    """Step 0 uses decay min(ema_decay, 1/10): the EMA moves 90 % of the way to the trained weights."""
    x = torch.rand(8, 1, 28, 28) * 2 - 1
    y = torch.randint(0, 10, (8,))
    for ema_decay, weight in ((0.999, 0.9), (0.05, 0.95)):
        torch.manual_seed(0)
        model = diffusion_unet(base_channels=8, channel_mults=(1, 2), attention=False)
        init = {k: v.clone() for k, v in model.state_dict().items()}
        out = train_diffusion(model, NoiseSchedule(100), x, y, steps=1, batch_size=4, lr=1e-2, seed=1,
                              ema_decay=ema_decay)
        trained = model.state_dict()
        for k, e in out["ema"].state_dict().items():
            if e.dtype.is_floating_point and not torch.equal(init[k], trained[k]):
                torch.testing.assert_close(e, torch.lerp(init[k], trained[k], weight))


def test_segmentation_loss_is_cross_entropy_plus_weighted_dice():
    # Uniform logits over C = 4 classes: cross-entropy is ln 4 at every pixel, and the soft
    # Dice of class c with n_c of P = 8 pixels is (2 n_c/4 + 1) / (P/4 + n_c + 1) (eps = 1).
    target = torch.tensor([[[0, 0, 0, 1], [1, 2, 2, 2]]])
    dice = sum((2 * n / 4 + 1) / (8 / 4 + n + 1) for n in (3, 2, 3, 0)) / 4
    logits = torch.zeros(1, 4, 2, 4)
    for w in (0.0, 0.5, 2.0):
        assert segmentation_loss(logits, target, w).item() == pytest.approx(math.log(4) + w * (1 - dice), abs=1e-6)


# --- the three runs through the command line ---------------------------------------

F2_FIGURES = {
    "unet": ["unet_dice.svg", "unet_overlays.png"],
    "dcgan": ["dcgan_samples.png"],
    "diffusion": ["diffusion_samples.png", "diffusion_trajectory.png", "diffusion_guidance.png"],
}


@pytest.fixture(scope="module")
def quick_out(tmp_path_factory):
    """`python -m lecture_models figures --quick --only unet dcgan diffusion` on CPU, once."""
    if not HAVE_MNIST:
        pytest.skip("MNIST not fetched: run `make data` (python -m lecture_models data)")
    out = tmp_path_factory.mktemp("figures")
    cmd = [sys.executable, "-m", "lecture_models", "figures", "--quick", "--only", *F2_FIGURES,
           "--device", "cpu", "--threads", "1", "--no-progress", "--out", str(out), "--cache", str(out / "cache")]
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_quick_runs_write_figures_in_the_manifest(quick_out):
    assert manifest.problems(quick_out) == []
    figures = manifest.load(quick_out)["figures"]
    assert set(figures) == {n for names in F2_FIGURES.values() for n in names}
    for run, names in F2_FIGURES.items():
        for name in names:
            entry = figures[name]
            assert entry["run"] == run and entry["quick"] is True and entry["device"].startswith("cpu")
            assert "MNIST" in entry["data"] and entry["alt"] and entry["caption"] and entry["metrics"]
            assert (quick_out / name).stat().st_size > 1000
    svg = (quick_out / "unet_dice.svg").read_text()
    assert "Clase" in svg and "fondo" in svg  # Spanish labels
    assert "determinista" in figures["unet_overlays.png"]["caption"]  # scenes said to come from the seed
    assert not any((quick_out / "cache").rglob("*.pt"))  # checkpoints cleared after success


def test_quick_unet_learns(quick_out):
    m = manifest.load(quick_out)["figures"]["unet_dice.svg"]["metrics"]
    assert m["loss_last"] < 0.8 * m["loss_first"]
    assert m["dice_per_class"]["fondo"] > 0.9  # background is learnt first
    digits = [v for name, v in m["dice_per_class"].items() if name != "fondo"]
    assert m["mean_dice"] == pytest.approx(sum(digits) / len(digits), abs=1e-3)
    # Predicting only background scores 0 on the digits; 150 quick CPU steps reach 0.07.
    assert m["mean_dice"] > 0.03


def test_quick_dcgan_trains(quick_out):
    m = manifest.load(quick_out)["figures"]["dcgan_samples.png"]["metrics"]
    assert m["snapshot_steps"][0] == 0 and m["snapshot_steps"][-1] == m["steps"]
    assert m["d_loss_final"] < math.log(4)  # D beats chance (2 ln 2 = both halves at p = 1/2)
    assert math.isfinite(m["g_loss_final"])


def test_quick_diffusion_learns(quick_out):
    m = manifest.load(quick_out)["figures"]["diffusion_samples.png"]["metrics"]
    assert m["loss_final"] < 0.5 * m["loss_first"]  # eps-MSE starts near 1 (predicting 0)
    assert m["sampling_steps"] <= 10
