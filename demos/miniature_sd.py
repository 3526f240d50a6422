"""The miniature Stable Diffusion in NumPy: mini-CLIP, latent autoencoder, latent U-Net, sampler.

Each class reads the ``state_dict`` exported by ``python -m lecture_models figures --only
miniature_sd`` and computes what its PyTorch twin in ``lecture_models.models`` computes
(the tests compare them on the same inputs), returning the attention weights the widgets
draw. Same file natively and in Pyodide.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import vocabulary
from .nn import _get, _resblock, architecture, conv2d, conv_transpose2d, ddim_step, ddim_timesteps, group_norm, linear, silu
from .nn import timestep_embedding, upsample_nearest
from .transformer import MultiHeadAttention, TransformerBlock, conv_stem, layer_norm, mlp

F32 = np.float32
RUN = "miniature_sd"
PAD = 2  # 28x28 digits padded to 32x32 for the autoencoder
__all__ = ["MiniCLIP", "LatentAutoencoder", "LatentUNet", "LatentSampler", "token_ids", "sigmoid"]


def sigmoid(x):
    return (0.5 * (1 + np.tanh(0.5 * x))).astype(F32, copy=False)


def token_ids(prompts) -> np.ndarray:
    """(N, CONTEXT) token ids of prompts (unknown words dropped: ``vocabulary.tokenize`` says which)."""
    return np.array([vocabulary.tokenize(p)["ids"] for p in prompts], dtype=np.int64)


class MiniCLIP:
    """lecture_models.models.clip.MiniCLIP: unit vectors for digits and captions, and the temperature."""

    def __init__(self, sd: Mapping, config: Mapping):
        self.sd = dict(sd)
        self.heads = int(config["heads"])
        self.image_blocks = [TransformerBlock(self.sd, f"image.blocks.{i}", self.heads)
                             for i in range(int(config["image_depth"]))]
        self.text_blocks = [TransformerBlock(self.sd, f"text.blocks.{i}", self.heads)
                            for i in range(int(config["text_depth"]))]
        _get(self.sd, "logit_scale", run=RUN)

    @property
    def scale(self) -> float:
        """exp(logit_scale), capped at 100 as in training: 1 / temperature."""
        return float(np.exp(min(float(self.sd["logit_scale"]), np.log(100))))

    def encode_image(self, x, *, trace: bool = False):
        """Digits (N, 1, 28, 28) in [0, 1] -> unit vectors (N, embed); with trace, each block's attention."""
        sd = self.sd
        tokens = conv_stem(np.asarray(x, dtype=F32), sd, "image.patch")
        n = len(tokens)
        h = np.concatenate([np.broadcast_to(sd["image.cls"], (n, 1, tokens.shape[-1])), tokens], axis=1)
        h = (h + sd["image.pos"]).astype(F32)
        weights = []
        for block in self.image_blocks:
            h, w = block(h)
            weights.append(w)
        v = linear(layer_norm(h[:, 0], sd["image.norm.weight"], sd["image.norm.bias"]), sd["image.proj.weight"])
        v = (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(F32)
        return (v, weights) if trace else v

    def token_states(self, ids):
        """(states (N, CONTEXT, dim), key mask (N, CONTEXT)): what the U-Net's cross-attention reads."""
        sd = self.sd
        ids = np.asarray(ids, dtype=np.int64)
        mask = ids != vocabulary.INDEX[vocabulary.PAD]
        h = (sd["text.token.weight"][ids] + sd["text.pos"][:, : ids.shape[1]]).astype(F32)
        for block in self.text_blocks:
            h, _ = block(h, key_mask=mask)
        return layer_norm(h, sd["text.norm.weight"], sd["text.norm.bias"]), mask

    def encode_text(self, ids):
        """Token ids (N, CONTEXT) -> unit vectors (N, embed), read at each caption's <fin>."""
        ids = np.asarray(ids, dtype=np.int64)
        states, _ = self.token_states(ids)
        end = np.argmax(ids == vocabulary.INDEX[vocabulary.END], axis=1)
        v = linear(states[np.arange(len(ids)), end], self.sd["text.proj.weight"])
        return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(F32)

    def logits(self, x, ids):
        """exp(logit_scale) * cosine similarities, (N_images, N_captions)."""
        return (self.scale * self.encode_image(x) @ self.encode_text(ids).T).astype(F32)


class LatentAutoencoder:
    """lecture_models.models.autoencoder.LatentAutoencoder: digit <-> scaled 4x8x8 latent."""

    def __init__(self, sd: Mapping, config: Mapping):
        self.sd = dict(sd)
        self.scale_factor = F32(_get(self.sd, "scale_factor", run=RUN))

    def moments(self, x):
        """(mean, logvar) of the unscaled latent, each (N, 4, 8, 8)."""
        sd = self.sd
        h = np.pad(np.asarray(x, dtype=F32), [(0, 0), (0, 0), (PAD, PAD), (PAD, PAD)])
        h = silu(conv2d(h, sd["encoder.0.weight"], sd["encoder.0.bias"], padding=1))
        h = silu(conv2d(h, sd["encoder.2.weight"], sd["encoder.2.bias"], stride=2, padding=1))
        h = silu(conv2d(h, sd["encoder.4.weight"], sd["encoder.4.bias"], stride=2, padding=1))
        h = conv2d(h, sd["encoder.6.weight"], sd["encoder.6.bias"], padding=1)
        c = h.shape[1] // 2
        return h[:, :c], np.clip(h[:, c:], -30, 20)

    def encode(self, x):
        """Digits (N, 1, 28, 28) in [0, 1] -> scaled latents (N, 4, 8, 8): the encoder's mean x scale."""
        return (self.moments(x)[0] * self.scale_factor).astype(F32)

    def decode(self, z):
        """Scaled latents (N, 4, 8, 8) -> digits (N, 1, 28, 28) in [0, 1]."""
        sd = self.sd
        h = np.asarray(z, dtype=F32) / self.scale_factor
        h = silu(conv2d(h, sd["decoder.0.weight"], sd["decoder.0.bias"], padding=1))
        h = silu(conv_transpose2d(h, sd["decoder.2.weight"], sd["decoder.2.bias"], stride=2, padding=1))
        h = silu(conv_transpose2d(h, sd["decoder.4.weight"], sd["decoder.4.bias"], stride=2, padding=1))
        h = conv2d(h, sd["decoder.6.weight"], sd["decoder.6.bias"], padding=1)
        return sigmoid(h[..., PAD:-PAD, PAD:-PAD])


class _SpatialTransformer:
    def __init__(self, sd: Mapping, prefix: str, heads: int, groups: int):
        self.sd, self.p, self.groups = sd, prefix, groups
        self.self_attn = MultiHeadAttention(sd, f"{prefix}.self_attn", heads)
        self.cross_attn = MultiHeadAttention(sd, f"{prefix}.cross_attn", heads)

    def __call__(self, x, context, key_mask):
        """(x + the block's output, cross-attention weights (N, heads, H*W, tokens))."""
        sd, p = self.sd, self.p
        n, c, h, w = x.shape
        t = group_norm(x, self.groups, sd[f"{p}.norm.weight"], sd[f"{p}.norm.bias"]).reshape(n, c, h * w).transpose(0, 2, 1)
        t = t + self.self_attn(layer_norm(t, sd[f"{p}.norm1.weight"], sd[f"{p}.norm1.bias"]))[0]
        cross, weights = self.cross_attn(layer_norm(t, sd[f"{p}.norm2.weight"], sd[f"{p}.norm2.bias"]), context, key_mask)
        t = t + cross
        t = t + mlp(layer_norm(t, sd[f"{p}.norm3.weight"], sd[f"{p}.norm3.bias"]), sd, f"{p}.mlp")
        out = linear(t, sd[f"{p}.proj_out.weight"], sd[f"{p}.proj_out.bias"]).transpose(0, 2, 1).reshape(n, c, h, w)
        return (x + out).astype(F32), weights


class LatentUNet:
    """lecture_models.models.latent_diffusion.LatentUNet: eps(z_t, t, text)."""

    ATTENTION = ("attn_down0", "attn_down1", "attn_mid", "attn_up1", "attn_up0")

    def __init__(self, sd: Mapping, config: Mapping):
        self.sd = dict(sd)
        self.base_channels = int(config["base_channels"])
        self.latent_channels = int(config["latent_channels"])
        self.latent_size = int(config["latent_size"])
        heads = int(config["heads"])
        self.groups = g = architecture(config, "groups", run=RUN)
        self.blocks = {name: _SpatialTransformer(self.sd, name, heads, g) for name in self.ATTENTION}
        _get(self.sd, "conv_out.2.weight", run=RUN)

    def __call__(self, z, t, context, key_mask, *, trace: bool = False):
        """Predicted noise (N, 4, 8, 8); with trace also {block name: cross-attention weights}."""
        sd, g = self.sd, self.groups
        z = np.asarray(z, dtype=F32)
        n = len(z)
        t = np.broadcast_to(np.asarray(t).reshape(-1), (n,))
        emb = linear(silu(linear(timestep_embedding(t, self.base_channels), sd["time_mlp.0.weight"],
                                 sd["time_mlp.0.bias"])), sd["time_mlp.2.weight"], sd["time_mlp.2.bias"])
        e = silu(emb.astype(F32))
        weights = {}

        def attend(name, h):
            h, weights[name] = self.blocks[name](h, context, key_mask)
            return h

        h = conv2d(z, sd["conv_in.weight"], sd["conv_in.bias"], padding=1)
        s0 = h = attend("attn_down0", _resblock(sd, "down0", h, e, g))
        h = conv2d(h, sd["downsample.weight"], sd["downsample.bias"], stride=2, padding=1)
        s1 = h = attend("attn_down1", _resblock(sd, "down1", h, e, g))
        h = _resblock(sd, "mid2", attend("attn_mid", _resblock(sd, "mid1", h, e, g)), e, g)
        h = attend("attn_up1", _resblock(sd, "up1", np.concatenate([h, s1], axis=1), e, g))
        h = conv2d(upsample_nearest(h), sd["upsample.1.weight"], sd["upsample.1.bias"], padding=1)
        h = attend("attn_up0", _resblock(sd, "up0", np.concatenate([h, s0], axis=1), e, g))
        h = silu(group_norm(h, g, sd["conv_out.0.weight"], sd["conv_out.0.bias"]))
        out = conv2d(h, sd["conv_out.2.weight"], sd["conv_out.2.bias"], padding=1)
        return (out, weights) if trace else out


def img2img_timesteps(num_steps: int, steps: int, strength: float) -> list[int]:
    """The last round(steps * strength) steps of a full DDIM schedule (lecture_models' img2img_timesteps)."""
    full = ddim_timesteps(num_steps, steps)
    k = int(round(steps * float(strength)))
    return full[steps - k:]


class LatentSampler:
    """DDIM on latents with classifier-free guidance, one step at a time (the page draws each).

    ``context``/``key_mask``: the prompt's token states (1 or N rows); ``null_*``: the empty
    prompt's. Each step keeps the conditional branch's cross-attention weights (``weights``).
    """

    def __init__(self, unet: LatentUNet, alphas_cumprod, context, key_mask, null_context, null_mask, *,
                 z_T, timesteps, guidance_scale: float = 3.0):
        self.unet, self.ab = unet, np.asarray(alphas_cumprod, dtype=F32)
        self.z = np.asarray(z_T, dtype=F32)
        n = len(self.z)
        self.context = np.concatenate([np.broadcast_to(context, (n,) + context.shape[1:]),
                                       np.broadcast_to(null_context, (n,) + null_context.shape[1:])]).astype(F32)
        self.mask = np.concatenate([np.broadcast_to(key_mask, (n,) + key_mask.shape[1:]),
                                    np.broadcast_to(null_mask, (n,) + null_mask.shape[1:])])
        self.timesteps, self.i = list(timesteps), 0
        self.guidance_scale = F32(guidance_scale)
        self.weights = None

    @property
    def done(self) -> bool:
        return self.i >= len(self.timesteps)

    def step(self):
        """Advance one step; returns (z after the step, z0 predicted at this step)."""
        i, ts = self.i, self.timesteps
        t = ts[i]
        ab_prev = self.ab[ts[i + 1]] if i + 1 < len(ts) else F32(1)
        n = len(self.z)
        eps_both, weights = self.unet(np.concatenate([self.z, self.z]), t, self.context, self.mask, trace=True)
        eps_c, eps_u = eps_both[:n], eps_both[n:]
        eps = eps_u + self.guidance_scale * (eps_c - eps_u)
        self.z, z0 = ddim_step(self.z, eps, self.ab[t], ab_prev, clip_x0=False)  # latents are not bounded
        self.weights = {k: w[:n] for k, w in weights.items()}
        self.i += 1
        return self.z, z0

    def run(self):
        while not self.done:
            self.step()
        return self.z
