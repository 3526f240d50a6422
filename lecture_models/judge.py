"""The course's LeNet-5 as a judge of generated and reconstructed digits.

Why: "looks like a 7" needs a measure. The LeNet-5 trained by the `lenet` run (98.8 %
on the held-out digits) reads its exported weights (docs/assets/models/lenet.npz, the
very numbers the page runs) and classifies what the autoencoder and the miniature Stable
Diffusion produce: the quality bars of the tests and the manifest are its verdicts.
"""
from pathlib import Path

import numpy as np
import torch

from . import paths
from .models.lenet import lenet5


def load_lenet(path=None, device="cpu"):
    """The exported LeNet-5 in eval mode (float16 weights read as float32); by default
    lenet.npz of ``paths.weights_dir()``."""
    path = Path(path) if path is not None else paths.weights_dir() / "lenet.npz"
    with np.load(path, allow_pickle=False) as z:
        sd = {k: torch.from_numpy(z[k].astype(np.float32)) for k in z.files
              if not k.startswith(("samples.", "__"))}
    model = lenet5()
    model.load_state_dict(sd)
    return model.to(device).eval()


@torch.no_grad()
def classify(model, images):
    """Predicted digit per image; images (N, 1, 28, 28) or (N, 28, 28) in [0, 1]."""
    x = torch.as_tensor(images, dtype=torch.float32)
    x = x.reshape(-1, 1, 28, 28).to(next(model.parameters()).device)
    return model(x).argmax(1).cpu()
