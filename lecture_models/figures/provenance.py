"""Provenance: how a figure or a weights file was made, built in one place for both.

Why: a figure's caption and a network's «Pesos: …» line under its widget tell the reader
the same facts (data, command, commit, device, seed, time, metrics). One builder makes the
manifest entry for both, so they cannot drift, and the commit is read once per run, not
once per file (two git processes each time).
"""
from __future__ import annotations

import functools
import os
import platform
import subprocess
import time

import numpy as np
import torch

from .. import paths

CPU_NOTE = ("Entrenado en CPU (sin GPU); repetir el comando en la misma máquina, con la misma "
            "semilla y el mismo número de hilos, da el mismo resultado.")
GPU_NOTE = ("Entrenado en GPU: algunas operaciones de CUDA no son deterministas, así que repetir "
            "el comando puede cambiar las últimas cifras.")


def device_name(device: torch.device) -> str:
    """Human name for provenance: 'cpu (2 cores)' or 'NVIDIA H200'."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return f"Apple MPS ({platform.machine()})"
    return f"cpu ({os.cpu_count()} cores)"


@functools.cache
def git_commit() -> str | None:
    """Commit of the code that made the outputs, '+dirty' if lecture_models has uncommitted
    changes; None outside a git checkout (an installed package). Read once per process:
    a run's outputs all come from the same code."""
    root = paths.repo_root()
    if root is None:
        return None
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10).stdout.strip()
        if not sha:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "lecture_models"],
                               cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def jsonable(obj):
    """Tensors, arrays and NumPy scalars as plain JSON values; floats to 6 decimals."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (torch.Tensor, np.ndarray)):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, float):
        return round(obj, 6)
    return obj


def entry(ctx, *, data: str, metrics: dict | None = None, **fields) -> dict:
    """The manifest entry of one output of the run ``ctx`` (a RunContext): what it was made
    from (``data``), how well it did (``metrics``), with which command, code, device, seed
    and time; ``fields`` adds what is particular to the output (a caption, a sha256)."""
    out = {
        "run": ctx.run_name,
        **fields,
        "data": data,
        "metrics": jsonable(metrics or {}),
        "command": ctx.command,
        "git_commit": ctx.commit,
        "device": device_name(ctx.device),
        "device_type": ctx.device.type,
        "torch": torch.__version__,
        "seed": ctx.seed,
        "quick": ctx.quick,
        "duration_s": round(time.perf_counter() - ctx.started, 2),
        "deterministic": ctx.device.type == "cpu",
    }
    if ctx.device.type == "cpu":
        out["cpu_threads"] = torch.get_num_threads()
    out.setdefault("note", CPU_NOTE if ctx.device.type == "cpu" else GPU_NOTE)
    return jsonable(out)
