"""Figure framework (F1): data split, augmentation, Grad-CAM, CLI errors, smoke runs, kill-and-resume.

The smoke and resume tests need the MNIST file (`make data`); they are skipped with
that hint when it is absent. Everything runs on CPU with one thread.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn

from lecture_models import cli
from lecture_models.data import augment, mnist
from lecture_models.figures import RUNS, manifest
from lecture_models.gradcam import grad_cam

ROOT = Path(__file__).resolve().parents[1]
HAVE_MNIST = mnist.npz_path().is_file()
needs_mnist = pytest.mark.skipif(not HAVE_MNIST, reason="MNIST not fetched: run `make data`")
F1_FIGURES = {
    "lenet": ["lenet_curves.svg", "lenet_feature_maps.png", "lenet_confusion.svg", "lenet_misclassified.png"],
    "plain_vs_residual": ["plain_vs_residual.svg"],
    "augmentation": ["augmentation_grid.png", "augmentation_accuracy.svg"],
    "gradcam": ["gradcam.png"],
    "kernels": ["kernel_effects.png"],
}


@pytest.fixture
def restore_torch():
    """The CLI sets global torch state (threads, deterministic mode): undo it for other tests."""
    threads, det = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    yield
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(det)


# --- data -------------------------------------------------------------------

def test_split_is_stratified_disjoint_and_fixed():
    labels = np.repeat(np.arange(10), mnist.CLASS_COUNTS).astype(np.uint8)
    tr, te = mnist.split_indices(labels)
    assert len(tr) == 8000 and len(te) == 2000
    assert len(np.intersect1d(tr, te)) == 0 and len(np.union1d(tr, te)) == 10000
    per_class = np.bincount(labels[te], minlength=10)
    assert np.all(np.abs(per_class - np.array(mnist.CLASS_COUNTS) / 5) < 1)  # 20 % of each class
    tr2, te2 = mnist.split_indices(labels)
    assert np.array_equal(tr, tr2) and np.array_equal(te, te2)


def test_missing_data_names_package_and_command(tmp_path, monkeypatch):
    monkeypatch.setenv("LECTURE_MODELS_DATA", str(tmp_path))
    with pytest.raises(mnist.DatasetMissingError, match=r"mnist@1\.1\.0.*|python -m lecture_models data"):
        mnist.load_mnist("cpu")


@needs_mnist
def test_load_mnist_shapes_and_counts():
    x_tr, y_tr, x_te, y_te = mnist.load_mnist("cpu")
    assert x_tr.shape == (8000, 1, 28, 28) and x_te.shape == (2000, 1, 28, 28)
    assert x_tr.dtype == torch.float32 and 0 <= x_tr.min() and x_tr.max() <= 1
    counts = torch.bincount(torch.cat([y_tr, y_te]), minlength=10).tolist()
    assert counts == list(mnist.CLASS_COUNTS)


# --- augmentation -------------------------------------------------------------

def test_augment_references():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(5, 1, 12, 12)
    ident = augment.random_affine(x, generator=g, degrees=0, translate=0, scale=(1, 1))
    torch.testing.assert_close(ident, x, atol=1e-5, rtol=0)
    torch.testing.assert_close(augment.random_flip(x, generator=g, p=1.0), torch.flip(x, dims=[-1]))
    cut = augment.cutout(torch.ones(50, 1, 12, 12), generator=g, size=4)
    zeros = (cut == 0).sum(dim=(1, 2, 3))
    assert zeros.max() == 25 and zeros.min() >= 9  # a 5x5 square, clipped at the border
    a = augment.digits_augment()(x, torch.Generator().manual_seed(1))
    b = augment.digits_augment()(x, torch.Generator().manual_seed(1))
    assert torch.equal(a, b) and a.shape == x.shape and 0 <= a.min() and a.max() <= 1


# --- Grad-CAM -------------------------------------------------------------------

def test_grad_cam_equals_cam_for_gap_linear_network():
    """Selvaraju et al. show Grad-CAM = CAM (Zhou et al.) when maps feed global average pooling + linear."""
    torch.manual_seed(0)
    features = nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.ReLU())
    fc = nn.Linear(6, 4)
    model = nn.Sequential(features, nn.AdaptiveAvgPool2d(1), nn.Flatten(), fc)
    x = torch.randn(3, 1, 9, 9)
    target = torch.tensor([0, 2, 3])
    cam, logits = grad_cam(model, features, x, target)
    with torch.no_grad():
        maps = features(x)
        ref = torch.relu(torch.einsum("nk,nkhw->nhw", fc.weight[target], maps))
        ref = ref / ref.amax(dim=(1, 2), keepdim=True)
        torch.testing.assert_close(logits, model(x))
    torch.testing.assert_close(cam, ref, atol=1e-5, rtol=1e-5)
    anti, _ = grad_cam(model, features, x, target, counterfactual=True)
    ref_anti = torch.relu(-torch.einsum("nk,nkhw->nhw", fc.weight[target], maps.detach()))
    torch.testing.assert_close(anti, ref_anti / ref_anti.amax(dim=(1, 2), keepdim=True), atol=1e-5, rtol=1e-5)


# --- CLI errors -----------------------------------------------------------------

def test_unknown_run_exits_2_with_one_line(capsys):
    assert cli.main(["figures", "--only", "nope"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope" in err[0] and "lenet" in err[0]


def test_cuda_without_gpu_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # a machine with no GPU, even on one
    assert cli.main(["figures", "--device", "cuda", "--only", "kernels", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cuda" in err[0].lower()


def test_missing_dataset_exits_2(capsys, tmp_path, monkeypatch, restore_torch):
    monkeypatch.setenv("LECTURE_MODELS_DATA", str(tmp_path / "none"))
    code = cli.main(["figures", "--quick", "--only", "lenet", "--device", "cpu", "--out", str(tmp_path),
                     "--cache", str(tmp_path / "c"), "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "python -m lecture_models data" in err[0]


def test_list_names_every_run(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in RUNS)


# --- smoke runs -----------------------------------------------------------------

@pytest.fixture(scope="module")
def quick_out(tmp_path_factory):
    """All F1 runs with --quick on CPU, once for the module."""
    out = tmp_path_factory.mktemp("figures")
    threads, det = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    t0 = time.perf_counter()
    code = cli.main(["figures", "--quick", "--device", "cpu", "--threads", "1", "--no-progress",
                     "--out", str(out), "--cache", str(out / "cache"), "--only", *F1_FIGURES])
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(det)
    assert code == 0
    return out, time.perf_counter() - t0


@needs_mnist
def test_quick_runs_write_every_figure_with_provenance(quick_out):
    out, _ = quick_out
    assert manifest.problems(out) == []
    figures = manifest.load(out)["figures"]
    for run, names in F1_FIGURES.items():
        for name in names:
            entry = figures[name]
            assert entry["run"] == run and entry["quick"] is True and entry["device"].startswith("cpu")
            assert entry["alt"] and entry["caption"] and entry["data"]
            assert (out / name).stat().st_size > 1000
    assert not (out / "cache" / "checkpoints" / "lenet").exists()  # cleared after a successful run


@needs_mnist
def test_quick_lenet_learns(quick_out):
    out, _ = quick_out
    m = manifest.load(out)["figures"]["lenet_curves.svg"]["metrics"]
    assert m["test_accuracy"] >= 0.90
    assert m["parameters"] == 61706
    svg = (out / "lenet_curves.svg").read_text()
    assert "época" in svg and "<dc:date>" not in svg  # Spanish labels, no date metadata


@needs_mnist
def test_quick_augmentation_metrics_are_sane(quick_out):
    out, _ = quick_out
    figs = manifest.load(out)["figures"]
    aug = figs["augmentation_accuracy.svg"]["metrics"]
    assert aug["train_images"] == 500 and aug["test_accuracy_sin_augment"] > 0.5


# --- kill and resume ------------------------------------------------------------

@needs_mnist
def test_killed_lenet_resumes_to_the_same_result(quick_out, tmp_path):
    """Kill a run after its first checkpoint, rerun it: same metrics as the uninterrupted run."""
    ref = manifest.load(quick_out[0])["figures"]["lenet_curves.svg"]["metrics"]
    out, cache = tmp_path / "out", tmp_path / "cache"
    cmd = [sys.executable, "-m", "lecture_models", "figures", "--quick", "--only", "lenet", "--device", "cpu",
           "--threads", "1", "--no-progress", "--out", str(out), "--cache", str(cache)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ckpt_dir = cache / "checkpoints" / "lenet"
    deadline = time.monotonic() + 120
    while not (ckpt_dir.is_dir() and any(p.suffix == ".pt" for p in ckpt_dir.iterdir())):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no checkpoint written"
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "lenet_curves.svg").exists()
    state = torch.load(next(ckpt_dir.glob("*.pt")), weights_only=True)
    assert 1 <= state["step"] < ref["epochs"]

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"from its checkpoint at epoch {state['step']}/" in rerun.stderr
    got = manifest.load(out)["figures"]["lenet_curves.svg"]["metrics"]
    for k in ("test_accuracy", "test_loss", "epochs", "parameters"):
        assert got[k] == ref[k], k
    assert json.loads((out / "manifest.json").read_text())["figures"]["lenet_curves.svg"]["seed"] == 0
