"""A miniature CLIP (Radford et al., 2021, arXiv:2103.00020): digits and Spanish captions in one space.

Two encoders map an image and a caption to unit vectors; training (``clip_loss``) pulls a
digit's vector towards its caption's and away from the other captions of the batch.
Zero-shot classification then needs no classifier: compare a digit with «un cero» … «un
nueve» and take the most similar. The text encoder's token states are also what the
miniature Stable Diffusion's U-Net reads through cross-attention.

- Image: a small Vision Transformer (Dosovitskiy et al., 2021): 49 patch tokens from a
  convolutional stem, a learned class token, learned positions, pre-norm blocks; the class
  token's final state is the image's vector.
- Text: token embeddings + learned positions, pre-norm blocks with the padding masked; the
  state of the ``<fin>`` token is the caption's vector (CLIP reads its end token too).
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from demos import vocabulary

from .transformer import ConvStem, TransformerBlock

__all__ = ["ImageEncoder", "TextEncoder", "MiniCLIP", "mini_clip", "clip_loss"]


class ImageEncoder(nn.Module):
    """ViT: (N, 1, 28, 28) -> (N, embed_dim); ``return_weights`` adds each block's attention."""

    def __init__(self, dim=64, depth=3, heads=4, embed_dim=64, image_size=28):
        super().__init__()
        self.patch = ConvStem(1, dim)
        side = math.ceil(math.ceil(image_size / 2) / 2)
        self.grid = side
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, side * side + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(TransformerBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, embed_dim, bias=False)

    def forward(self, x, return_weights=False):
        tokens = self.patch(x).flatten(2).transpose(1, 2)  # (N, 49, dim), row by row
        h = torch.cat([self.cls.expand(len(x), -1, -1), tokens], dim=1) + self.pos
        weights = []
        for block in self.blocks:
            if return_weights:
                h, w = block(h, return_weights=True)
                weights.append(w)
            else:
                h = block(h)
        out = self.proj(self.norm(h[:, 0]))
        return (out, weights) if return_weights else out


class TextEncoder(nn.Module):
    """Token ids (N, CONTEXT) -> caption vectors (N, embed_dim), or every token's state."""

    def __init__(self, dim=64, depth=2, heads=4, embed_dim=64, vocab_size=len(vocabulary.WORDS),
                 context=vocabulary.CONTEXT):
        super().__init__()
        self.token = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(1, context, dim) * 0.02)
        self.blocks = nn.ModuleList(TransformerBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, embed_dim, bias=False)

    @staticmethod
    def key_mask(ids):
        """True for real tokens (words and <fin>), False for padding."""
        return ids != vocabulary.INDEX[vocabulary.PAD]

    def token_states(self, ids):
        """(states (N, CONTEXT, dim) after the final LayerNorm, key mask (N, CONTEXT))."""
        mask = self.key_mask(ids)
        h = self.token(ids) + self.pos[:, : ids.shape[1]]
        for block in self.blocks:
            h = block(h, key_mask=mask)
        return self.norm(h), mask

    def forward(self, ids):
        states, _ = self.token_states(ids)
        end = (ids == vocabulary.INDEX[vocabulary.END]).float().argmax(dim=1)  # where <fin> is
        return self.proj(states[torch.arange(len(ids)), end])


class MiniCLIP(nn.Module):
    """Both encoders and the learned temperature: logits = exp(logit_scale) * cosine similarity."""

    def __init__(self, dim=64, image_depth=3, text_depth=2, heads=4, embed_dim=64):
        super().__init__()
        self.config = dict(dim=dim, image_depth=image_depth, text_depth=text_depth, heads=heads,
                           embed_dim=embed_dim)
        self.image = ImageEncoder(dim, image_depth, heads, embed_dim)
        self.text = TextEncoder(dim, text_depth, heads, embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))  # CLIP's initial temperature

    def encode_image(self, x):
        return F.normalize(self.image(x), dim=-1)

    def encode_text(self, ids):
        return F.normalize(self.text(ids), dim=-1)

    def forward(self, x, ids):
        """Logits (N_images, N_captions): scaled cosine similarities."""
        scale = self.logit_scale.clamp(max=math.log(100)).exp()  # CLIP caps the scale at 100
        return scale * self.encode_image(x) @ self.encode_text(ids).T


def mini_clip(*, dim=64, image_depth=3, text_depth=2, heads=4, embed_dim=64):
    """The course's mini-CLIP: about 0.28 M parameters with the defaults."""
    for name, value in (("dim", dim), ("image_depth", image_depth), ("text_depth", text_depth),
                        ("heads", heads), ("embed_dim", embed_dim)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    return MiniCLIP(dim, image_depth, text_depth, heads, embed_dim)


def clip_loss(logits, same=None):
    """Symmetric InfoNCE: cross-entropy over the rows (image -> caption) and the columns.

    ``same`` (N, N) boolean: which captions match which images. Plain CLIP has one match
    per row (the diagonal, the default); when digits share a caption every match counts
    as a positive, with the target probability spread evenly over them.
    """
    n = logits.shape[0]
    same = torch.eye(n, dtype=torch.bool, device=logits.device) if same is None else same
    target = same.float()
    rows = -(target / target.sum(1, keepdim=True) * logits.log_softmax(dim=1)).sum(1).mean()
    cols = -(target.T / target.T.sum(1, keepdim=True) * logits.T.log_softmax(dim=1)).sum(1).mean()
    return (rows + cols) / 2
