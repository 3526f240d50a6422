"""Training loop for a class-conditional diffusion model (DDPM loss, classifier-free guidance).

Each step noises a batch of images at random steps t and regresses the noise
(`lecture_models.models.diffusion.loss`); labels are dropped to the "no
class" token with probability p_uncond so the same network also learns the
unconditional model that guidance needs. An exponential moving average (EMA)
of the weights is kept for sampling, as in DDPM: it averages out the noise of
the last updates and gives visibly cleaner samples after short training.
"""
import copy
import math

import torch

from ..models.diffusion import loss as diffusion_loss
from .device import autocast
from .resume import StepCheckpoint


@torch.no_grad()
def ema_update(ema, model, decay):
    """ema <- decay * ema + (1 - decay) * model, parameters and buffers alike."""
    for e, p in zip(ema.state_dict().values(), model.state_dict().values()):
        if e.dtype.is_floating_point:
            e.lerp_(p, 1 - decay)
        else:
            e.copy_(p)


def train_diffusion(model, schedule, x, y, *, steps, batch_size, lr, seed=0, p_uncond=0.1,
                    ema_decay=0.999, warmup=100, ctx=None, ckpt_key=None, ckpt_every=100):
    """Train noise-prediction `model` on images x (N, C, H, W) in [-1, 1] with labels y (N,).

    Returns {"loss": [one float per step], "ema": EMA copy of the model (eval mode)}.
    Learning rate: linear warm-up over `warmup` steps, then cosine decay to 0.
    With `ctx` and `ckpt_key` the state is saved and a rerun continues from it.
    """
    device = x.device
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    warmup = max(1, min(warmup, steps // 5))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))))
    g = torch.Generator(device=device).manual_seed(seed)  # batches, steps t, noise, label drops
    losses = torch.zeros(steps, device=device)
    saver = StepCheckpoint(ctx, ckpt_key, objects={"model": model, "ema": ema, "opt": opt, "sched": sched},
                           tensors={"losses": losses}, rng=g, every=ckpt_every)
    start = saver.restore(steps)

    model.train()
    steps_iter = range(start, steps)
    if ctx is not None:
        steps_iter = ctx.progress_bar(steps_iter, "difusión")
    for step in steps_iter:
        idx = torch.randint(len(x), (batch_size,), generator=g, device=device)
        with autocast(device):  # the MSE itself is computed in float32 by autocast
            loss = diffusion_loss(model, x[idx], y[idx], p_uncond, schedule=schedule, generator=g)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        # Short runs: a smaller decay early on, so the EMA is not dominated by the random init.
        ema_update(ema, model, min(ema_decay, (1 + step) / (10 + step)))
        losses[step] = loss.detach()
        saver.after_step(step, steps)
    return {"loss": losses.tolist(), "ema": ema.eval()}
