"""The transformer's layers in NumPy, equal to ``lecture_models.models.transformer`` and ``torch.nn``.

LayerNorm, GELU (tanh form), multi-head attention that returns its weights (self- and
cross-attention, with a padding mask), the pre-norm block and the ViT's convolutional
stem. The mini-CLIP, the latent U-Net's cross-attention and the pixel diffusion model's
bottleneck all compute attention with ``nn.attention``: one formula in the page.

Pyodide's NumPy has no BLAS: heads are one batched ``matmul`` (never a loop over heads
or tokens). Weights come as the ``state_dict`` arrays of the PyTorch modules.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .nn import attention, conv2d, linear

F32 = np.float32
__all__ = ["layer_norm", "gelu", "dense", "attention", "MultiHeadAttention", "mlp", "TransformerBlock", "conv_stem"]


def layer_norm(x, weight=None, bias=None, eps: float = 1e-5):
    """nn.LayerNorm over the last axis: (x - mean) / sqrt(var + eps), then the affine map."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    out = (x - mean) / np.sqrt(var + F32(eps))
    if weight is not None:
        out = out * weight + bias
    return out.astype(F32, copy=False)


def gelu(x):
    """nn.GELU(approximate="tanh"): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    Written x (1 + 0.044715 x x): ``x**3`` is a call to powf per element, 40x slower natively
    and 2x in Pyodide than two products (tests/benchmarks/bench_sd.py)."""
    return (0.5 * x * (1 + np.tanh(F32(np.sqrt(2 / np.pi)) * x * (1 + F32(0.044715) * (x * x))))).astype(F32, copy=False)


def dense(x, weight, bias=None):
    """nn.Linear as nn.linear computes it, but one einsum on the rows: Pyodide's NumPy has no
    BLAS, and its matmul fallback is about 1.5x slower on the attention's and MLP's shapes."""
    out = np.einsum("ij,kj->ik", x.reshape(-1, x.shape[-1]), weight).reshape(x.shape[:-1] + (weight.shape[0],))
    return out + bias if bias is not None else out


class MultiHeadAttention:
    """lecture_models' MultiHeadAttention: q, k, v linear maps, heads, attention, out projection."""

    def __init__(self, sd: Mapping, prefix: str, heads: int):
        self.w = {n: (sd[f"{prefix}.{n}.weight"], sd[f"{prefix}.{n}.bias"]) for n in ("q", "k", "v", "out")}
        self.heads = heads

    def __call__(self, x, context=None, key_mask=None):
        """(output (N, L, dim), weights (N, heads, L, S))."""
        context = x if context is None else context
        n, length, dim = x.shape
        d = dim // self.heads

        def split(t):
            return t.reshape(n, t.shape[1], self.heads, d).transpose(0, 2, 1, 3)

        q, k, v = (split(dense(t, *self.w[name])) for name, t in (("q", x), ("k", context), ("v", context)))
        mask = None if key_mask is None else np.asarray(key_mask, dtype=bool)[:, None, :]
        h, weights = attention(q, k, v, mask)
        return dense(h.transpose(0, 2, 1, 3).reshape(n, length, dim), *self.w["out"]).astype(F32), weights


def mlp(x, sd: Mapping, prefix: str):
    """Linear -> GELU -> Linear (the ``MLP`` nn.Sequential: indices 0 and 2)."""
    h = gelu(dense(x, sd[f"{prefix}.0.weight"], sd[f"{prefix}.0.bias"]))
    return dense(h, sd[f"{prefix}.2.weight"], sd[f"{prefix}.2.bias"]).astype(F32, copy=False)


class TransformerBlock:
    """Pre-norm: x + attention(LN(x)), then x + MLP(LN(x)); returns (x, attention weights)."""

    def __init__(self, sd: Mapping, prefix: str, heads: int):
        self.sd, self.prefix = sd, prefix
        self.attn = MultiHeadAttention(sd, f"{prefix}.attn", heads)

    def __call__(self, x, key_mask=None):
        sd, p = self.sd, self.prefix
        h, weights = self.attn(layer_norm(x, sd[f"{p}.norm1.weight"], sd[f"{p}.norm1.bias"]), key_mask=key_mask)
        x = x + h
        x = x + mlp(layer_norm(x, sd[f"{p}.norm2.weight"], sd[f"{p}.norm2.bias"]), sd, f"{p}.mlp")
        return x.astype(F32, copy=False), weights


def conv_stem(x, sd: Mapping, prefix: str):
    """ConvStem: 3x3 stride-2 conv, GELU, 3x3 stride-2 conv; (N, 1, 28, 28) -> (N, 49, dim) tokens, row by row."""
    h = gelu(conv2d(x, sd[f"{prefix}.0.weight"], sd[f"{prefix}.0.bias"], stride=2, padding=1))
    h = conv2d(h, sd[f"{prefix}.2.weight"], sd[f"{prefix}.2.bias"], stride=2, padding=1)
    n, c = h.shape[:2]
    return np.ascontiguousarray(h.reshape(n, c, -1).transpose(0, 2, 1))
