"""Registry of figure runs: `python -m lecture_models figures --only NAME`.

Each run is a module `lecture_models.figures.<name>` with `run(ctx: RunContext)`.
Imports are lazy, so a broken or slow-to-import run never breaks the others.
To add a run, add one line to RUNS (name -> module path or callable).
"""
import importlib

from .base import RunContext  # noqa: F401

RUNS = {
    # F1: classification, augmentation, explanations, kernels
    "lenet": "lecture_models.figures.lenet",
    "plain_vs_residual": "lecture_models.figures.plain_vs_residual",
    "augmentation": "lecture_models.figures.augmentation",
    "gradcam": "lecture_models.figures.gradcam",
    "kernels": "lecture_models.figures.kernels",
    # F2: segmentation and generative models (add entries here)
    "unet": "lecture_models.figures.unet",
    "dcgan": "lecture_models.figures.dcgan",
    "diffusion": "lecture_models.figures.diffusion",
    # F3: the miniature Stable Diffusion (mini-CLIP, latent autoencoder, latent U-Net)
    "miniature_sd": "lecture_models.figures.miniature_sd",
}


def get_run(name: str):
    """The `run(ctx)` function for `name` (imports its module on first use)."""
    target = RUNS[name]
    if callable(target):
        return target
    return importlib.import_module(target).run
