"""Training loop of the latent diffusion U-Net: DDPM's loss on latents, conditioned on caption tokens.

The autoencoder and the text encoder are frozen, so their outputs are computed once: the
latents of all digits, and the token states of every distinct caption (a few hundred).
Each step draws digits, a caption per digit (attributes dropped at random, and with
probability ``p_uncond`` the empty prompt, for classifier-free guidance), and regresses
the noise. An EMA of the weights is what samples (as in ``train/diffusion.py``).
"""
import copy
import math

import torch

from ..data.captions import draw_captions
from ..models.latent_diffusion import latent_loss
from .diffusion import ema_update
from .resume import StepCheckpoint


def caption_bank(text_encoder, variants, empty_ids):
    """Distinct captions (K, CONTEXT) with the empty prompt first, their states and masks."""
    ids = torch.unique(torch.cat([empty_ids, variants.reshape(-1, variants.shape[-1])]), dim=0)
    ids = torch.cat([empty_ids, ids[~(ids == empty_ids).all(1)]])
    with torch.no_grad():
        states, mask = text_encoder.token_states(ids)
    return ids, states, mask


def train_latent_diffusion(unet, schedule, z, variants, bank, *, steps, batch_size=128, lr=2e-3, p_uncond=0.1,
                           seed=0, ema_decay=0.999, warmup=100, ctx=None, ckpt_key=None, ckpt_every=200):
    """Train ``unet`` on scaled latents z (N, 4, 8, 8) with caption variants (N, 4, CONTEXT).

    ``bank`` = (ids, states, mask) from ``caption_bank``; row 0 is the empty prompt.
    Returns {"loss": one float per step, "ema": the EMA copy (eval mode)}.
    """
    device = z.device
    bank_ids, bank_states, bank_mask = bank
    ema = copy.deepcopy(unet).requires_grad_(False)
    opt = torch.optim.AdamW(unet.parameters(), lr=lr, weight_decay=0.0)
    warmup = max(1, min(warmup, steps // 5))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))))
    g = torch.Generator(device=device).manual_seed(seed)
    losses = torch.zeros(steps, device=device)
    saver = StepCheckpoint(ctx, ckpt_key, objects={"model": unet, "ema": ema, "opt": opt, "sched": sched},
                           tensors={"losses": losses}, rng=g, every=ckpt_every)
    start = saver.restore(steps)
    unet.train()
    it = range(start, steps)
    if ctx is not None:
        it = ctx.progress_bar(it, "difusión latente")
    for step in it:
        idx = torch.randint(len(z), (batch_size,), generator=g, device=device)
        ids = draw_captions(variants[idx], g)
        row = (ids[:, None, :] == bank_ids[None]).all(-1).float().argmax(1)  # which bank caption
        drop = torch.rand(batch_size, generator=g, device=device) < p_uncond
        row = torch.where(drop, torch.zeros_like(row), row)
        loss = latent_loss(unet, z[idx], bank_states[row], bank_mask[row], schedule, generator=g)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        ema_update(ema, unet, min(ema_decay, (1 + step) / (10 + step)))
        losses[step] = loss.detach()
        saver.after_step(step, steps)
    return {"loss": losses.tolist(), "ema": ema.eval()}
