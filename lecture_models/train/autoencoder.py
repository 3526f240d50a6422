"""Training loop of the latent autoencoder: reconstruction + a small KL term, AdamW, cosine decay.

Why a separate, first stage: as in Stable Diffusion, the autoencoder is trained once and
frozen; the diffusion then learns on its latents, which are 4x smaller per side.
"""
import math

import torch

from ..models.autoencoder import autoencoder_loss
from .resume import StepCheckpoint


def train_autoencoder(model, x, *, steps, batch_size=128, lr=2e-3, beta=0.02, seed=0, ctx=None, ckpt_key=None,
                      ckpt_every=200):
    """Train on digits x (N, 1, 28, 28) in [0, 1]; returns {"loss", "recon", "kl"}, one float per step each."""
    device = x.device
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    g = torch.Generator(device=device).manual_seed(seed)
    hist = torch.zeros(3, steps, device=device)
    saver = StepCheckpoint(ctx, ckpt_key, objects={"model": model, "opt": opt, "sched": sched},
                           tensors={"hist": hist}, rng=g, every=ckpt_every)
    start = saver.restore(steps)
    model.train()
    it = range(start, steps)
    if ctx is not None:
        it = ctx.progress_bar(it, "autocodificador")
    for step in it:
        idx = torch.randint(len(x), (batch_size,), generator=g, device=device)
        loss, recon, kl = autoencoder_loss(model, x[idx], beta, generator=g)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        hist[:, step] = torch.stack([loss, recon, kl]).detach()
        saver.after_step(step, steps)
    model.eval()
    loss, recon, kl = hist.tolist()
    return {"loss": loss, "recon": recon, "kl": kl}
