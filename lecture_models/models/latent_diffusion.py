"""The miniature Stable Diffusion's U-Net: noise prediction on 4x8x8 latents, conditioned on text.

The pixel model of ``diffusion.py`` adds one class vector to the time embedding. Here, as
in Stable Diffusion (Rombach et al., 2022), the condition is a caption: the frozen
mini-CLIP text encoder turns it into one state per token, and a transformer block at each
resolution lets every latent position read them through cross-attention (queries from
the image, keys and values from the words), after a self-attention among positions.
The empty prompt (only ``<fin>``) is the "no condition" of classifier-free guidance, so
training replaces a caption by it with probability ``p_uncond``.

Levels 8x8 and 4x4: ResBlock + SpatialTransformer down, the same in the middle and up.
"""

import torch
import torch.nn as nn

from demos import vocabulary

from .diffusion import GROUPS, ResBlock, ddim_step, timestep_embedding
from .transformer import MLP, MultiHeadAttention

__all__ = ["SpatialTransformer", "LatentUNet", "latent_unet", "empty_prompt_ids", "latent_loss", "sample_latents",
           "img2img_timesteps"]


class SpatialTransformer(nn.Module):
    """Positions of a feature map as tokens: self-attention, cross-attention to the text, MLP.

    ``return_weights`` gives the cross-attention weights (N, heads, H*W, tokens): for each
    position, how much it reads each word (each row sums to 1 over the real tokens).
    """

    def __init__(self, channels, context_dim, heads=4):
        super().__init__()
        self.norm = nn.GroupNorm(GROUPS, channels)
        self.norm1 = nn.LayerNorm(channels)
        self.self_attn = MultiHeadAttention(channels, heads)
        self.norm2 = nn.LayerNorm(channels)
        self.cross_attn = MultiHeadAttention(channels, heads, context_dim=context_dim)
        self.norm3 = nn.LayerNorm(channels)
        self.mlp = MLP(channels)
        self.proj_out = nn.Linear(channels, channels)
        nn.init.zeros_(self.proj_out.weight)  # starts as the identity: a calm start, as Stable Diffusion's
        nn.init.zeros_(self.proj_out.bias)

    def forward(self, x, context, key_mask, return_weights=False):
        n, c, h, w = x.shape
        t = self.norm(x).flatten(2).transpose(1, 2)  # (N, H*W, C)
        t = t + self.self_attn(self.norm1(t))
        cross = self.cross_attn(self.norm2(t), context, key_mask, return_weights=return_weights)
        cross, weights = cross if return_weights else (cross, None)
        t = t + cross
        t = t + self.mlp(self.norm3(t))
        y = x + self.proj_out(t).transpose(1, 2).reshape(n, c, h, w)
        return (y, weights) if return_weights else y


class LatentUNet(nn.Module):
    """eps_theta(z_t, t, text): same shape in and out, (N, 4, 8, 8)."""

    def __init__(self, latent_channels=4, base_channels=32, context_dim=64, heads=4, latent_size=8):
        super().__init__()
        self.latent_channels, self.latent_size, self.base_channels = latent_channels, latent_size, base_channels
        c1, c2 = base_channels, 2 * base_channels
        emb = 4 * base_channels
        self.time_mlp = nn.Sequential(nn.Linear(base_channels, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.conv_in = nn.Conv2d(latent_channels, c1, 3, padding=1)
        self.down0 = ResBlock(c1, c1, emb)
        self.attn_down0 = SpatialTransformer(c1, context_dim, heads)
        self.downsample = nn.Conv2d(c1, c1, 3, stride=2, padding=1)  # 8 -> 4
        self.down1 = ResBlock(c1, c2, emb)
        self.attn_down1 = SpatialTransformer(c2, context_dim, heads)
        self.mid1 = ResBlock(c2, c2, emb)
        self.attn_mid = SpatialTransformer(c2, context_dim, heads)
        self.mid2 = ResBlock(c2, c2, emb)
        self.up1 = ResBlock(c2 + c2, c2, emb)
        self.attn_up1 = SpatialTransformer(c2, context_dim, heads)
        self.upsample = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c2, c2, 3, padding=1))
        self.up0 = ResBlock(c2 + c1, c1, emb)
        self.attn_up0 = SpatialTransformer(c1, context_dim, heads)
        self.conv_out = nn.Sequential(nn.GroupNorm(GROUPS, c1), nn.SiLU(), nn.Conv2d(c1, latent_channels, 3, padding=1))
        nn.init.zeros_(self.conv_out[-1].weight)
        nn.init.zeros_(self.conv_out[-1].bias)

    ATTENTION = ("attn_down0", "attn_down1", "attn_mid", "attn_up1", "attn_up0")

    def forward(self, z, t, context, key_mask, return_weights=False):
        """``context`` (N, tokens, context_dim) and ``key_mask`` (N, tokens) from the text encoder."""
        n = z.shape[0]
        t = torch.as_tensor(t, device=z.device).reshape(-1).expand(n)
        emb = self.time_mlp(timestep_embedding(t, self.base_channels))
        weights = {}

        def attend(name, h):
            out = getattr(self, name)(h, context, key_mask, return_weights=return_weights)
            if return_weights:
                out, weights[name] = out
            return out

        h = self.conv_in(z)
        s0 = h = attend("attn_down0", self.down0(h, emb))
        h = self.downsample(h)
        s1 = h = attend("attn_down1", self.down1(h, emb))
        h = self.mid2(attend("attn_mid", self.mid1(h, emb)), emb)
        h = attend("attn_up1", self.up1(torch.cat([h, s1], dim=1), emb))
        h = self.upsample(h)
        h = attend("attn_up0", self.up0(torch.cat([h, s0], dim=1), emb))
        out = self.conv_out(h)
        return (out, weights) if return_weights else out


def latent_unet(*, latent_channels=4, base_channels=32, context_dim=64, heads=4, latent_size=8):
    """The course's latent U-Net (about 0.75 M parameters with the defaults)."""
    if not isinstance(base_channels, int) or base_channels < GROUPS or base_channels % GROUPS:
        raise ValueError(f"base_channels must be a positive multiple of {GROUPS}, got {base_channels!r}")
    if latent_size % 2:
        raise ValueError(f"latent_size must be even, got {latent_size!r}")
    return LatentUNet(latent_channels, base_channels, context_dim, heads, latent_size)


def empty_prompt_ids(n=1, device=None):
    """Token ids of the empty prompt, ``<fin>`` and padding: the unconditional branch of guidance."""
    return torch.tensor([vocabulary.tokenize("")["ids"]] * n, device=device)


def latent_loss(unet, z0, context, key_mask, schedule, generator=None):
    """DDPM's loss on latents: ||eps - eps_theta(z_t, t, text)||^2 at a random t per latent."""
    n, device = z0.shape[0], z0.device
    gdev = generator.device if generator is not None else device
    t = torch.randint(0, schedule.num_steps, (n,), generator=generator, device=gdev).to(device)
    noise = torch.randn(z0.shape, generator=generator, device=gdev).to(device)
    return torch.nn.functional.mse_loss(unet(schedule.q_sample(z0, t, noise), t, context, key_mask), noise)


def img2img_timesteps(num_steps, steps, strength):
    """The DDIM steps img2img runs: the last round(steps * strength) of a full ``steps`` schedule.

    strength 0 runs none (the input comes back as the autoencoder reconstructs it);
    strength 1 runs them all from pure noise, forgetting the input (as diffusers' pipeline).
    """
    if not 0 <= strength <= 1:
        raise ValueError(f"strength must be in [0, 1], got {strength!r}")
    full = torch.linspace(num_steps - 1, 0, steps).round().long().tolist()
    k = int(round(steps * strength))
    return full[steps - k:]


@torch.no_grad()
def sample_latents(unet, schedule, context, key_mask, null_context, null_mask, *, guidance_scale=3.0, steps=25,
                   z_T=None, generator=None, timesteps=None, return_trajectory=False):
    """Deterministic DDIM (eta = 0) on latents with classifier-free guidance.

    eps = eps(z, empty) + s * (eps(z, text) - eps(z, empty)). No clipping of the predicted
    z0: latents are not bounded as pixels are. ``timesteps`` (img2img) overrides the
    ``steps`` evenly spaced ones; ``z_T`` is then the noised input latent.
    """
    device = next(unet.parameters()).device
    n = context.shape[0]
    shape = (n, unet.latent_channels, unet.latent_size, unet.latent_size)
    if z_T is None:
        gdev = generator.device if generator is not None else device
        z_T = torch.randn(shape, generator=generator, device=gdev).to(device)
    if timesteps is None:
        timesteps = torch.linspace(schedule.num_steps - 1, 0, steps).round().long().tolist()
    ab = schedule.alphas_cumprod.to(device)
    ctx = torch.cat([context, null_context.expand(n, -1, -1)])
    mask = torch.cat([key_mask, null_mask.expand(n, -1)])
    z, trajectory = z_T, [z_T]
    for i, t in enumerate(timesteps):
        ab_prev = ab[timesteps[i + 1]] if i + 1 < len(timesteps) else torch.ones((), device=device)
        if guidance_scale == 1:
            eps = unet(z, t, context, key_mask)
        else:
            eps_c, eps_u = unet(torch.cat([z, z]), t, ctx, mask).chunk(2)
            eps = eps_u + guidance_scale * (eps_c - eps_u)
        z = ddim_step(z, eps, ab[t], ab_prev, 0.0, None, clip_x0=False)
        trajectory.append(z)
    return (z, torch.stack(trajectory)) if return_trajectory else z
