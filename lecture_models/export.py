"""Export trained networks for the page: docs/assets/models/<net>.npz + a manifest entry.

Why here and not in figures/: the figure runs call it with the model they just trained,
and nothing in train/ or models/ depends on it. The page's NumPy code (demos/nn.py) reads
the file; the manifest (docs/figures/manifest.json, key "models") records how it was made
(sha256, parameters, metrics, run, device) and the page shows that under each widget.

Weights are stored as float16 (half the bytes) after rounding the model itself to float16
values (``rounded``), so the metrics recorded are those of exactly what the page runs and
NumPy and PyTorch compare equal on the same numbers. The .npz is written reproducibly
(fixed zip timestamps, sorted keys): same weights, same bytes, same sha256.
"""
import copy
import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import torch

from .figures import manifest, provenance

MAX_BYTES = 3 * 1024 * 1024
MODELS_KEY = "models"


def models_dir(out_dir) -> Path:
    """docs/figures -> docs/assets/models (the site layout); any other --out keeps them in <out>/models."""
    return manifest.models_dir(out_dir)  # one rule, which manifest.problems() checks too


@torch.no_grad()
def rounded(model: torch.nn.Module, dtype=torch.float16) -> torch.nn.Module:
    """A float32 copy of model (eval mode) whose floating weights and buffers are rounded through dtype."""
    m = copy.deepcopy(model).float().eval()
    for t in list(m.parameters()) + list(m.buffers()):
        if t.is_floating_point():
            t.copy_(t.to(dtype).float())
    return m


def npz_bytes(arrays: dict) -> bytes:
    """An .npz (deflated) whose bytes depend only on the arrays: fixed timestamps, sorted names."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            arr = io.BytesIO()
            np.lib.format.write_array(arr, np.asarray(arrays[name]), allow_pickle=False)
            z.writestr(info, arr.getvalue())
    return buf.getvalue()


def state_arrays(model: torch.nn.Module, dtype=np.float16) -> dict:
    """state_dict as NumPy arrays: floats in dtype, BatchNorm's step counters dropped."""
    out = {}
    for k, v in model.state_dict().items():
        if k.endswith("num_batches_tracked"):
            continue
        a = v.detach().cpu().numpy()
        out[k] = a.astype(dtype) if a.dtype.kind == "f" else a
    return out


def export_weights(ctx, name: str, model: torch.nn.Module, *, network: str, config: dict, metrics: dict,
                   data: str, extra_arrays: dict | None = None, dtype=np.float16, note: str = "") -> Path:
    """Write <models_dir>/<name>.npz from model (plus extra_arrays as given) and record it in the manifest."""
    arrays = state_arrays(model, dtype)
    parameters = sum(p.numel() for p in model.parameters())
    cfg = {"network": network, "dtype": np.dtype(dtype).name, **config}
    arrays["__config__"] = np.array(json.dumps(cfg, sort_keys=True))
    for k, v in (extra_arrays or {}).items():
        arrays[k] = np.asarray(v)
    blob = npz_bytes(arrays)
    if len(blob) > MAX_BYTES:
        raise ValueError(f"{name}.npz would be {len(blob) / 2**20:.1f} MiB, over the {MAX_BYTES / 2**20:.0f} MiB limit")
    path = models_dir(ctx.out_dir) / f"{name}.npz"
    manifest.write_atomic(path, blob)
    fields = {"file": f"assets/models/{name}.npz", "network": network, "sha256": hashlib.sha256(blob).hexdigest(),
              "bytes": len(blob), "dtype": cfg["dtype"], "parameters": parameters, "config": config}
    if note:
        fields["note"] = note
    entry = provenance.entry(ctx, data=data, metrics=metrics, **fields)
    manifest.update(ctx.out_dir, {name: entry}, section=MODELS_KEY)
    return path


def amend_config(out_dir, name: str, reason: str, **fields) -> Path:
    """Add architecture constants to an exported file's config without retraining: same
    weights, a new config, so a new sha256. The manifest entry keeps its training
    provenance and records the amendment (what was added, why, by which commit)."""
    path = manifest.models_dir(out_dir) / f"{name}.npz"
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    cfg = json.loads(str(arrays["__config__"]))
    cfg.update(fields)
    arrays["__config__"] = np.array(json.dumps(cfg, sort_keys=True))
    blob = npz_bytes(arrays)
    manifest.write_atomic(path, blob)
    entry = manifest.load(out_dir)[MODELS_KEY][name]
    entry["config"] = {**entry["config"], **fields}
    entry.update(sha256=hashlib.sha256(blob).hexdigest(), bytes=len(blob))
    entry.setdefault("amended", []).append({"config": fields, "reason": reason,
                                           "git_commit": provenance.git_commit()})
    manifest.update(out_dir, {name: entry}, section=MODELS_KEY)
    return path
