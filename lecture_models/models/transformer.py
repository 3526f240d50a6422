"""The transformer's parts, written out: multi-head attention, the pre-norm block, patch tokens.

Why our own attention instead of ``nn.MultiheadAttention``: the lecture reads it line by
line (queries, keys, values, the scaled dot product, heads), cross-attention needs keys
and values of another width than the queries, and the page draws the attention weights,
so ``forward(..., return_weights=True)`` gives them per head. The tests check it equals
``nn.MultiheadAttention`` with the same weights.

Masks follow ``F.scaled_dot_product_attention``: a boolean ``key_mask`` (N, S) is True
where a key may be attended to (a real token) and False for padding.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["MultiHeadAttention", "MLP", "TransformerBlock", "ConvStem"]


class MultiHeadAttention(nn.Module):
    """softmax(Q K^T / sqrt(d_head)) V in ``heads`` heads, then one output projection.

    Q comes from ``x`` (N, L, dim); K and V from ``context`` (N, S, context_dim), which
    is ``x`` itself for self-attention and the text's token states for cross-attention.
    """

    def __init__(self, dim, heads=4, context_dim=None):
        super().__init__()
        if dim % heads:
            raise ValueError(f"dim ({dim}) must be divisible by heads ({heads})")
        context_dim = dim if context_dim is None else context_dim
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(context_dim, dim)
        self.v = nn.Linear(context_dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, context=None, key_mask=None, return_weights=False):
        context = x if context is None else context
        n, length, dim = x.shape
        split = lambda t: t.reshape(n, t.shape[1], self.heads, dim // self.heads).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q(x)), split(self.k(context)), split(self.v(context))  # (N, heads, *, d_head)
        mask = None if key_mask is None else key_mask[:, None, None, :]  # same for every head and query
        if return_weights:  # the explicit formula, to hand the weights to the page
            scores = q @ k.transpose(-1, -2) / math.sqrt(dim // self.heads)
            if mask is not None:
                scores = scores.masked_fill(~mask, float("-inf"))
            weights = scores.softmax(dim=-1)  # (N, heads, L, S): each row sums to 1
            h = weights @ v
        else:
            h = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        y = self.out(h.transpose(1, 2).reshape(n, length, dim))
        return (y, weights) if return_weights else y


class MLP(nn.Sequential):
    """Linear -> GELU -> Linear, 4x wider inside (the transformer's position-wise network).

    GELU in its tanh form (as GPT-2): the page's NumPy has tanh but no erf.
    """

    def __init__(self, dim, hidden=None):
        super().__init__(nn.Linear(dim, hidden or 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(hidden or 4 * dim, dim))


class TransformerBlock(nn.Module):
    """Pre-norm block: x + Attention(LN(x)), then x + MLP(LN(x)) (ViT, GPT-2 and CLIP's order)."""

    def __init__(self, dim, heads=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = MultiHeadAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim)

    def forward(self, x, key_mask=None, return_weights=False):
        h = self.attn(self.norm1(x), key_mask=key_mask, return_weights=return_weights)
        h, weights = h if return_weights else (h, None)
        x = x + h
        x = x + self.mlp(self.norm2(x))
        return (x, weights) if return_weights else x


class ConvStem(nn.Sequential):
    """Patch tokens from two 3x3 stride-2 convolutions: 28x28 -> 14x14 -> 7x7 = 49 tokens.

    A ViT's patch embedding is one convolution with kernel = stride = patch size; a small
    convolutional stem in its place (Xiao et al., 2021, arXiv:2106.14881) makes the same
    49 tokens, each seeing a 4x4 patch and its border, and trains faster on 8,000 digits.
    """

    def __init__(self, in_channels, dim):
        super().__init__(nn.Conv2d(in_channels, dim // 2, 3, stride=2, padding=1), nn.GELU(approximate="tanh"),
                         nn.Conv2d(dim // 2, dim, 3, stride=2, padding=1))
