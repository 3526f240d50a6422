"""Argument and input checks shared by the model builders.

They turn the obscure errors that a wrong size produces deep inside a network
("Given input size: (256x1x1). Calculated output size: (256x0x0)") into a
ValueError that names the model and the size it needs.
"""

import torch


def check_positive_int(name: str, value) -> int:
    """Raise ValueError unless `value` is a positive int (bools are rejected)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def check_choice(name: str, value, choices: tuple) -> str:
    """Raise ValueError unless `value` is one of `choices`."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_image_batch(x: torch.Tensor, *, model: str, in_channels: int, min_size: int) -> None:
    """Raise ValueError unless x is (B, in_channels, H, W) with H, W >= min_size."""
    if x.dim() != 4:
        raise ValueError(f"{model} expects a 4-D batch (B, C, H, W), got shape {tuple(x.shape)}")
    if x.shape[1] != in_channels:
        raise ValueError(f"{model} expects {in_channels} input channels, got {x.shape[1]}")
    h, w = x.shape[-2:]
    if h < min_size or w < min_size:
        raise ValueError(f"{model} needs inputs of at least {min_size}x{min_size}, got {h}x{w}")
