"""Training loop of the mini-CLIP: symmetric InfoNCE over batches of digits and their captions.

Each step draws a batch, one caption per digit (attributes dropped at random), and pulls
matching pairs together (``clip_loss``, every digit sharing the caption counts as a
match). AdamW with a one-cycle schedule; random shifts of up to 2 pixels as augmentation.
"""
import torch

from ..data.captions import draw_captions
from ..models.clip import clip_loss
from .resume import StepCheckpoint


def random_shift(x, generator, max_shift=2):
    """Each image moved by up to max_shift pixels in x and y (zeros enter at the border)."""
    n = len(x)
    pad = torch.nn.functional.pad(x, (max_shift,) * 4)
    dy, dx = (torch.randint(0, 2 * max_shift + 1, (2, n), generator=generator, device=generator.device)
              .to(x.device))
    rows = (dy[:, None] + torch.arange(x.shape[-2], device=x.device))[:, :, None]
    cols = (dx[:, None] + torch.arange(x.shape[-1], device=x.device))[:, None, :]
    return pad[torch.arange(n, device=x.device)[:, None, None], 0, rows, cols][:, None]


def train_clip(model, x, variants, *, steps, batch_size=256, lr=2e-3, weight_decay=0.05, seed=0,
               ctx=None, ckpt_key=None, ckpt_every=100):
    """Train ``model`` (MiniCLIP) on digits x (N, 1, 28, 28) in [0, 1] with caption variants (N, 4, CONTEXT).

    Returns {"loss": one float per step}.
    """
    device = x.device
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos" not in n]
    other = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "pos" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": other, "weight_decay": 0.0}],
                            lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    g = torch.Generator(device=device).manual_seed(seed)
    losses = torch.zeros(steps, device=device)
    saver = StepCheckpoint(ctx, ckpt_key, objects={"model": model, "opt": opt, "sched": sched},
                           tensors={"losses": losses}, rng=g, every=ckpt_every)
    start = saver.restore(steps)
    model.train()
    it = range(start, steps)
    if ctx is not None:
        it = ctx.progress_bar(it, "mini-CLIP")
    for step in it:
        idx = torch.randint(len(x), (batch_size,), generator=g, device=device)
        ids = draw_captions(variants[idx], g)
        same = (ids[:, None, :] == ids[None, :, :]).all(-1)
        loss = clip_loss(model(random_shift(x[idx], g), ids), same)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses[step] = loss.detach()
        saver.after_step(step, steps)
    model.eval()
    return {"loss": losses.tolist()}
