"""One provenance builder for figures and weights (lecture_models/figures/provenance.py).

A figure entry and a weights entry of the same run carry the same facts, built once; the
commit is read once per run; the manifest's two sections are written by one public update.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import torch

from lecture_models import export, paths
from lecture_models.figures import manifest, provenance
from lecture_models.figures.base import RunContext

SHARED = ("run", "data", "metrics", "command", "git_commit", "device", "device_type", "torch", "seed",
          "quick", "deterministic", "cpu_threads", "note")


def test_figures_and_weights_get_the_same_facts_from_one_builder(tmp_path, monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting_run(cmd, *a, **k):
        calls.append(cmd)
        return real_run(cmd, *a, **k)

    provenance.git_commit.cache_clear()
    monkeypatch.setattr(subprocess, "run", counting_run)
    out = tmp_path / "docs" / "figures"
    out.mkdir(parents=True)
    ctx = RunContext(device="cpu", seed=3, out_dir=out, cache_dir=tmp_path / "cache", run_name="tiny",
                     command="python -m lecture_models figures --only tiny", progress=False)
    ctx.save_figure("a.png", np.zeros((4, 4)), alt="a", caption="c", data="MNIST", metrics={"accuracy": 0.5})
    ctx.save_figure("b.png", np.ones((4, 4)), alt="b", caption="c", data="MNIST", metrics={"accuracy": 0.5})
    export.export_weights(ctx, "tiny", torch.nn.Linear(2, 1), network="linear", config={"n": 2},
                          metrics={"accuracy": np.float32(0.5)}, data="MNIST")
    git_calls = [c for c in calls if c and c[0] == "git"]
    assert len(git_calls) <= 2, git_calls  # rev-parse and status, once for the whole run
    data = json.loads((out / "manifest.json").read_text())
    fig, weights = data["figures"]["a.png"], data["models"]["tiny"]
    for key in SHARED:
        assert fig[key] == weights[key], key
    assert fig["git_commit"] == ctx.commit == provenance.git_commit()
    assert weights["metrics"] == {"accuracy": 0.5} and isinstance(weights["metrics"]["accuracy"], float)
    assert set(data["figures"]) == {"a.png", "b.png"}  # one section's update keeps the other
    assert manifest.problems(out) == []
    provenance.git_commit.cache_clear()


def test_the_commit_is_none_outside_a_checkout(monkeypatch):
    provenance.git_commit.cache_clear()
    monkeypatch.setattr(paths, "repo_root", lambda: None)
    try:
        assert provenance.git_commit() is None
    finally:
        provenance.git_commit.cache_clear()


def test_locations_are_configurable_and_not_derived_from_site_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("LECTURE_MODELS_DATA", str(tmp_path / "d"))
    monkeypatch.setenv("LECTURE_MODELS_WEIGHTS", str(tmp_path / "w"))
    assert paths.data_dir() == tmp_path / "d" and paths.weights_dir() == tmp_path / "w"
    monkeypatch.delenv("LECTURE_MODELS_DATA")
    monkeypatch.setattr(paths, "repo_root", lambda: None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert paths.data_dir() == tmp_path / "cache" / "lecture-models" / "data"
