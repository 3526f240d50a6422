"""Data augmentation on the device, a whole batch at a time.

Why: per-sample PIL transforms in DataLoader workers dominate the time of small
models (airbench's lesson); here every transform is a few tensor ops on the
batch, random numbers come from an explicit generator (reproducible, resumable).
Inputs: float tensors [N, C, H, W] in [0, 1].
"""
import math

import torch
import torch.nn.functional as F


def _rand(n, generator, device, low=-1.0, high=1.0):
    return torch.rand(n, generator=generator, device=device) * (high - low) + low


# --8<-- [start:affine]
def random_affine(x, *, generator, degrees=15.0, translate=0.1, scale=(0.9, 1.1)):
    """Rotación (±degrees), desplazamiento (±translate) y zoom aleatorios: un affine_grid + grid_sample."""
    n, dev = x.shape[0], x.device
    angle = _rand(n, generator, dev) * math.radians(degrees)
    s = _rand(n, generator, dev, *scale)
    tx, ty = _rand(n, generator, dev) * 2 * translate, _rand(n, generator, dev) * 2 * translate
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
# --8<-- [end:affine]


def random_flip(x, *, generator, p=0.5):
    """Horizontal flip of a random subset (harmless for photos, harmful for digits: a flipped 2 is no 2)."""
    flip = torch.rand(x.shape[0], generator=generator, device=x.device) < p
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def random_brightness(x, *, generator, amount=0.3):
    """Scale contrast and shift brightness by up to ±amount."""
    n, dev = x.shape[0], x.device
    gain = 1 + _rand(n, generator, dev) * amount
    bias = _rand(n, generator, dev) * amount / 2
    return (x * gain[:, None, None, None] + bias[:, None, None, None]).clamp(0, 1)


def gaussian_noise(x, *, generator, std=0.15):
    """Additive Gaussian noise (sensor noise)."""
    noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    return (x + std * noise).clamp(0, 1)


# --8<-- [start:cutout]
def cutout(x, *, generator, size=10):
    """Zero a random size x size square per image (DeVries & Taylor 2017)."""
    n, _, h, w = x.shape
    cy = torch.randint(0, h, (n,), generator=generator, device=x.device)
    cx = torch.randint(0, w, (n,), generator=generator, device=x.device)
    ys = torch.arange(h, device=x.device)[None, :, None]
    xs = torch.arange(w, device=x.device)[None, None, :]
    inside = ((ys - cy[:, None, None]).abs() <= size // 2) & ((xs - cx[:, None, None]).abs() <= size // 2)
    return x * (~inside)[:, None].to(x.dtype)
# --8<-- [end:cutout]


TRANSFORMS = {
    "affine": random_affine,
    "flip": random_flip,
    "brightness": random_brightness,
    "noise": gaussian_noise,
    "cutout": cutout,
}

# Spanish names for figure labels.
LABELS = {
    "affine": "rotación + desplazamiento",
    "flip": "volteo horizontal",
    "brightness": "brillo/contraste",
    "noise": "ruido gaussiano",
    "cutout": "cutout (cuadrado a ceros)",
}


class Augment:
    """Compose transforms: Augment(affine={"degrees": 10}, cutout={}) then aug(x, generator)."""

    def __init__(self, **transforms):
        unknown = set(transforms) - set(TRANSFORMS)
        if unknown:
            raise ValueError(f"unknown transforms {sorted(unknown)}; known: {sorted(TRANSFORMS)}")
        self.transforms = [(TRANSFORMS[k], dict(v or {})) for k, v in transforms.items()]
        self.names = list(transforms)

    @torch.no_grad()
    def __call__(self, x, generator):
        for fn, kw in self.transforms:
            x = fn(x, generator=generator, **kw)
        return x

    def __repr__(self):
        return f"Augment({', '.join(self.names)})"


# --8<-- [start:digits]
def digits_augment():
    """El aumento de los dígitos de MNIST: giros y desplazamientos pequeños, contraste, cutout (sin volteos)."""
    return Augment(affine={"degrees": 12, "translate": 0.08, "scale": (0.9, 1.1)},
                   brightness={"amount": 0.3}, cutout={"size": 8})
# --8<-- [end:digits]
