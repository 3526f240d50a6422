"""Class-conditional DDPM with classifier-free guidance, small enough to train on MNIST on a CPU.

Training (Ho, Jain & Abbeel, 2020, arXiv:2006.11239): noise a clean image x0 in one shot,
x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, and train a U-Net eps_theta(x_t, t, y) to
predict eps with a plain mean squared error (``loss``). Sampling (``sample``) starts from
x_T ~ N(0, I) and removes the predicted noise step by step.
Classifier-free guidance (Ho & Salimans, 2022, arXiv:2207.12598): in training the label is
swapped for a "no class" token with probability p_uncond, so one network learns both
eps(x_t, t, y) and eps(x_t, t, null); sampling uses eps_null + s * (eps_y - eps_null),
where s > 1 trades diversity for samples that look more like their class.

From here to Stable Diffusion (Rombach et al., 2022, arXiv:2112.10752, "latent diffusion"):
- the same process runs on a small latent (4x64x64) made by a pretrained VAE encoder, not on
  512x512x3 pixels; the VAE decoder turns the final latent back into an image;
- the condition is a text prompt encoded by a frozen CLIP text encoder (77 token vectors)
  instead of one learned vector per class, and the "no class" token becomes the empty prompt;
- the U-Net reads those tokens through cross-attention (queries from image features, keys
  and values from text) next to the self-attention used here, instead of adding the
  condition to the time embedding; guidance and fast samplers such as DDIM are as below.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._checks import check_positive_int

__all__ = ["timestep_embedding", "ResBlock", "SelfAttention", "DiffusionUNet", "diffusion_unet",
           "NoiseSchedule", "loss", "ddim_step", "sample"]

GROUPS = 8  # GroupNorm groups; also the reason base_channels must be a multiple of 8
HEADS = 4   # attention heads at the coarsest level


# ----------------------------------------------------------------------------- the network

def timestep_embedding(t, dim, max_period=10000):
    """Sinusoidal features of the integer step t (as Transformer positions), shape (N, dim).

    Sines at geometric frequencies give every t a distinct, smoothly varying code the MLP can read.
    """
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, device=t.device) / half)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


# --8<-- [start:resblock]
class ResBlock(nn.Module):
    """(GroupNorm => SiLU => conv) dos veces, con la codificación (instante + clase) sumada entre medias, más un atajo."""

    def __init__(self, in_channels, out_channels, emb_dim, dropout=0.0):
        super().__init__()
        self.norm1 = nn.GroupNorm(GROUPS, in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.emb = nn.Linear(emb_dim, out_channels)  # un desplazamiento por canal: «qué instante, qué clase»
        self.norm2 = nn.GroupNorm(GROUPS, out_channels)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.skip = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(F.silu(emb))[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return self.skip(x) + h
# --8<-- [end:resblock]


class SelfAttention(nn.Module):
    """Every pixel attends to every other pixel: global context at the coarsest resolution.

    Stable Diffusion's U-Net adds cross-attention here, with keys and values from the text.
    """

    def __init__(self, channels):
        super().__init__()
        self.norm = nn.GroupNorm(GROUPS, channels)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        n, c, h, w = x.shape
        qkv = self.qkv(self.norm(x)).reshape(n, 3, HEADS, c // HEADS, h * w)
        q, k, v = qkv.transpose(-1, -2).unbind(1)  # each (n, heads, pixels, c // heads)
        out = F.scaled_dot_product_attention(q, k, v)
        return x + self.proj(out.transpose(-1, -2).reshape(n, c, h, w))


class DiffusionUNet(nn.Module):
    """eps_theta(x_t, t, y): predicts the noise in x_t. Same shape in and out.

    One ResBlock per resolution level on the way down and up (skips concatenated, as in
    U-Net), a stride-2 conv to go down and nearest upsampling + conv to go up.
    """

    def __init__(self, in_channels=1, image_size=28, base_channels=32, num_classes=10,
                 channel_mults=(1, 2, 2), attention=True, dropout=0.0):
        super().__init__()
        self.in_channels, self.image_size, self.num_classes = in_channels, image_size, num_classes
        self.base_channels = base_channels
        chs = [base_channels * m for m in channel_mults]
        levels = len(chs)
        emb_dim = 4 * base_channels

        self.time_mlp = nn.Sequential(nn.Linear(base_channels, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        # num_classes + 1 rows: index num_classes is the "no class" token used for guidance.
        self.class_emb = nn.Embedding(num_classes + 1, emb_dim) if num_classes else None

        self.conv_in = nn.Conv2d(in_channels, chs[0], 3, padding=1)
        self.down_blocks = nn.ModuleList(
            ResBlock(chs[max(i - 1, 0)], chs[i], emb_dim, dropout) for i in range(levels))
        self.downsamples = nn.ModuleList(nn.Conv2d(c, c, 3, stride=2, padding=1) for c in chs[:-1])

        self.mid1 = ResBlock(chs[-1], chs[-1], emb_dim, dropout)
        self.mid_attn = SelfAttention(chs[-1]) if attention else nn.Identity()
        self.mid2 = ResBlock(chs[-1], chs[-1], emb_dim, dropout)

        # Up path, coarsest level first: input = features from below + the skip of this level.
        self.up_blocks = nn.ModuleList(
            ResBlock(chs[min(i + 1, levels - 1)] + chs[i], chs[i], emb_dim, dropout)
            for i in reversed(range(levels)))
        self.upsamples = nn.ModuleList(
            nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c, c, 3, padding=1))
            for c in reversed(chs[1:]))

        self.conv_out = nn.Sequential(nn.GroupNorm(GROUPS, chs[0]), nn.SiLU(),
                                      nn.Conv2d(chs[0], in_channels, 3, padding=1))
        # Start by predicting eps = 0 (as the DDPM code does): a calm, stable start of training.
        nn.init.zeros_(self.conv_out[-1].weight)
        nn.init.zeros_(self.conv_out[-1].bias)

    def forward(self, x, t, y=None):
        n = x.shape[0]
        k = 2 ** len(self.downsamples)
        if x.shape[-2] % k or x.shape[-1] % k:
            raise ValueError(f"H and W must be divisible by {k}, got {x.shape[-2]}x{x.shape[-1]}")
        t = torch.as_tensor(t, device=x.device).reshape(-1).expand(n)
        emb = self.time_mlp(timestep_embedding(t, self.base_channels))
        if self.class_emb is not None:
            y = torch.full((n,), self.num_classes, device=x.device) if y is None else y
            emb = emb + self.class_emb(torch.as_tensor(y, device=x.device).long().reshape(-1))

        h = self.conv_in(x)
        skips = []
        for i, block in enumerate(self.down_blocks):
            h = block(h, emb)
            skips.append(h)
            if i < len(self.downsamples):
                h = self.downsamples[i](h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for i, block in enumerate(self.up_blocks):
            h = block(torch.cat([h, skips.pop()], dim=1), emb)
            if i < len(self.upsamples):
                h = self.upsamples[i](h)
        return self.conv_out(h)


def diffusion_unet(*, in_channels=1, image_size=28, base_channels=32, num_classes=10,
                   channel_mults=(1, 2, 2), attention=True, dropout=0.0):
    """Noise-prediction U-Net for DDPM; num_classes=0 makes it unconditional.

    Defaults (28x28 MNIST: levels 28, 14, 7) give about 0.8 M parameters.
    """
    for name, value in (("in_channels", in_channels), ("image_size", image_size),
                        ("base_channels", base_channels)):
        check_positive_int(name, value)
    if base_channels % GROUPS:
        raise ValueError(f"base_channels must be a multiple of {GROUPS} (GroupNorm groups), got {base_channels}")
    if not isinstance(num_classes, int) or num_classes < 0:
        raise ValueError(f"num_classes must be an int >= 0 (0 = unconditional), got {num_classes!r}")
    channel_mults = tuple(channel_mults)
    if not channel_mults or not all(isinstance(m, int) and m >= 1 for m in channel_mults):
        raise ValueError(f"channel_mults must be a non-empty sequence of positive ints, got {channel_mults!r}")
    k = 2 ** (len(channel_mults) - 1)
    if image_size % k:
        raise ValueError(f"image_size must be divisible by 2**(len(channel_mults) - 1) = {k}, got {image_size}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    return DiffusionUNet(in_channels, image_size, base_channels, num_classes, channel_mults, attention, dropout)


# ----------------------------------------------------------------------------- the noise

# --8<-- [start:schedule]
class NoiseSchedule:
    """The fixed forward process q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I).

    Steps are indexed t = 0 .. num_steps - 1 (the paper's t = 1 .. T).
    ``linear``: betas from 1e-4 to 0.02 as in DDPM for T = 1000, scaled by 1000 / T so that any
    T still ends near pure noise. ``cosine``: abar_t follows a squared cosine (Nichol &
    Dhariwal, 2021, arXiv:2102.09672), which destroys information more evenly over the steps.
    """

    def __init__(self, num_steps=1000, kind="linear", beta_start=1e-4, beta_end=0.02, cosine_s=0.008):
        if not isinstance(num_steps, int) or num_steps < 2:
            raise ValueError(f"num_steps must be an int >= 2, got {num_steps!r}")
        if kind == "linear":
            scale = 1000 / num_steps
            if not 0 < scale * beta_start <= scale * beta_end < 1:
                raise ValueError(f"need 0 < beta_start <= beta_end and beta_end * 1000 / num_steps < 1, "
                                 f"got {beta_start}, {beta_end}, num_steps={num_steps}")
            betas = torch.linspace(scale * beta_start, scale * beta_end, num_steps, dtype=torch.float64)
        elif kind == "cosine":
            s = torch.arange(num_steps + 1, dtype=torch.float64) / num_steps
            f = torch.cos((s + cosine_s) / (1 + cosine_s) * math.pi / 2) ** 2
            betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)  # clip: the last step would have beta = 1
        else:
            raise ValueError(f"kind must be 'linear' or 'cosine', got {kind!r}")
        self.num_steps, self.kind = num_steps, kind
        # --8<-- [start:q-sample]
        # Productos en float64, guardados luego en float32 como el modelo.
        self.betas = betas.float()
        self.alphas = (1 - betas).float()
        self.alphas_cumprod = torch.cumprod(1 - betas, dim=0).float()

    def q_sample(self, x0, t, noise):
        """Salta directamente al instante t: sqrt(abar_t) x0 + sqrt(1 - abar_t) ruido (t: un instante por imagen)."""
        ab = self.alphas_cumprod.to(x0.device)[t].reshape(-1, *[1] * (x0.ndim - 1))
        return ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        # --8<-- [end:q-sample]
# --8<-- [end:schedule]


def _rand(fn, *args, generator=None, device=None, **kwargs):
    """Draw on the generator's device (so results repeat for a fixed seed) and move to ``device``."""
    gen_device = generator.device if generator is not None else device
    return fn(*args, generator=generator, device=gen_device, **kwargs).to(device)


# --8<-- [start:loss]
def loss(model, x0, y, p_uncond=0.1, *, schedule=None, generator=None):
    """DDPM's simple loss ||eps - eps_theta(x_t, t, y)||^2 at a random step t per image.

    With probability ``p_uncond`` a label becomes the "no class" token (index num_classes),
    which is all classifier-free guidance needs at training time. ``schedule`` defaults to
    ``NoiseSchedule()`` (linear, 1000 steps); use the same one for sampling.
    """
    if not 0.0 <= p_uncond <= 1.0:
        raise ValueError(f"p_uncond must be in [0, 1], got {p_uncond!r}")
    schedule = NoiseSchedule() if schedule is None else schedule
    # --8<-- [start:loss-body]
    n, device = x0.shape[0], x0.device
    t = _rand(torch.randint, 0, schedule.num_steps, (n,), generator=generator, device=device)
    noise = _rand(torch.randn, x0.shape, generator=generator, device=device)
    if model.num_classes:
        y = torch.as_tensor(y, device=device).long().reshape(-1)
        drop = _rand(torch.rand, (n,), generator=generator, device=device) < p_uncond
        y = torch.where(drop, torch.full_like(y, model.num_classes), y)
    x_t = schedule.q_sample(x0, t, noise)
    return F.mse_loss(model(x_t, t, y), noise)
    # --8<-- [end:loss-body]
# --8<-- [end:loss]


# ----------------------------------------------------------------------------- sampling

# --8<-- [start:guided-eps]
def _guided_eps(model, x, t, y, guidance_scale):
    """eps_null + s * (eps_y - eps_null); s = 1 es el condicional sin más, s = 0 el incondicional.

    (Ho y Salimans escriben (1 + w) eps_y - w eps_null, es decir, s = 1 + w.)
    """
    if not model.num_classes or guidance_scale == 1:
        return model(x, t, y)
    null = torch.full_like(y, model.num_classes)
    if guidance_scale == 0:
        return model(x, t, null)
    eps_y, eps_null = model(torch.cat([x, x]), t, torch.cat([y, null])).chunk(2)
    return eps_null + guidance_scale * (eps_y - eps_null)
# --8<-- [end:guided-eps]


# --8<-- [start:ddim-step]
def ddim_step(x_t, eps, ab_t, ab_prev, eta, noise=None, clip_x0=True):
    """One update from step t to an earlier step (Song, Meng & Ermon, 2021, arXiv:2010.02502).

    Predict x0 from the noise estimate, then move to abar_prev along (x0, eps) plus fresh
    noise of std sigma. With eta = 1 and consecutive steps this is exactly DDPM's ancestral
    step (Ho et al., Algorithm 2, with sigma_t^2 = the posterior variance beta~_t);
    with eta = 0 it is deterministic. Any eta can skip steps (a subsequence of timesteps,
    Song et al. section 4.2); eta = 0 gives the best samples when the steps are few.
    """
    x0 = (x_t - (1 - ab_t).sqrt() * eps) / ab_t.sqrt()
    if clip_x0:  # data live in [-1, 1]; re-derive eps so that x0 and eps stay consistent
        x0 = x0.clamp(-1, 1)
        eps = (x_t - ab_t.sqrt() * x0) / (1 - ab_t).sqrt()
    sigma = eta * ((1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)).sqrt()
    x_prev = ab_prev.sqrt() * x0 + (1 - ab_prev - sigma**2).clamp(min=0).sqrt() * eps
    if noise is not None:
        x_prev = x_prev + sigma * noise
    return x_prev
# --8<-- [end:ddim-step]


# --8<-- [start:sample]
@torch.no_grad()
def sample(model, schedule, y, *, guidance_scale=3.0, steps=None, eta=None, clip_x0=True,
           generator=None, return_trajectory=False):
    """Generate one image per label in ``y``; images of shape (N, C, image_size, image_size) in [-1, 1].

    ``y``: class indices (N,) (the index num_classes means "no class"), or an int N for N
    unconditional samples. ``steps=None``: DDPM ancestral sampling over all T steps
    (eta defaults to 1). ``steps=k``: DDIM on k evenly spaced steps (eta defaults to 0,
    deterministic given x_T), e.g. k = 50 samples MNIST on a CPU in seconds.
    ``generator`` fixes all the randomness. With ``return_trajectory=True`` also returns
    every intermediate x_t, stacked as (k + 1, N, C, H, W), from pure noise to the image.
    """
    T = schedule.num_steps
    if steps is None:
        timesteps = list(range(T - 1, -1, -1))
        eta = 1.0 if eta is None else eta
    else:
        if not isinstance(steps, int) or not 1 <= steps <= T:
            raise ValueError(f"steps must be an int in [1, {T}] or None, got {steps!r}")
        timesteps = torch.linspace(T - 1, 0, steps).round().long().tolist()
        eta = 0.0 if eta is None else eta
    if guidance_scale < 0:
        raise ValueError(f"guidance_scale must be >= 0, got {guidance_scale!r}")

    device = next(model.parameters()).device
    if isinstance(y, int):
        y = torch.full((y,), model.num_classes, dtype=torch.long, device=device)
    y = torch.as_tensor(y, device=device).long().reshape(-1)
    if model.num_classes and ((y < 0) | (y > model.num_classes)).any():
        raise ValueError(f"labels must be in [0, {model.num_classes}] ({model.num_classes} = no class)")
    shape = (len(y), model.in_channels, model.image_size, model.image_size)
    ab = schedule.alphas_cumprod.to(device)

    was_training = model.training
    model.eval()
    try:  # give the model back in its mode even if a step fails (or is interrupted)
        # --8<-- [start:sample-loop]
        x = _rand(torch.randn, shape, generator=generator, device=device)  # x_T
        trajectory = [x]
        for i, t in enumerate(timesteps):
            ab_prev = ab[timesteps[i + 1]] if i + 1 < len(timesteps) else torch.ones((), device=device)
            eps = _guided_eps(model, x, torch.tensor(t, device=device), y, guidance_scale)
            noise = _rand(torch.randn, shape, generator=generator, device=device) if eta > 0 else None
            x = ddim_step(x, eps, ab[t], ab_prev, eta, noise, clip_x0)
            if return_trajectory:
                trajectory.append(x)
        # --8<-- [end:sample-loop]
    finally:
        model.train(was_training)
    return (x, torch.stack(trajectory)) if return_trajectory else x
# --8<-- [end:sample]
