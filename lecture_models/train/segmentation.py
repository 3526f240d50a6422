"""Training loop for semantic segmentation: cross-entropy + soft Dice.

Cross-entropy gives every pixel a useful gradient from the first step; the
Dice term weighs each class by its area, so small digits count as much as the
huge background. Data stay on the device; batches are random index tensors
drawn from a seeded generator whose state is checkpointed, so a killed run
resumes at the last saved step and ends with the same weights.
"""
import torch
import torch.nn.functional as F

from ..metrics import dice_loss, dice_score
from .device import autocast, predict
from .resume import StepCheckpoint


def segmentation_loss(logits, target, dice_weight=1.0):
    """Cross-entropy + dice_weight * soft Dice loss (computed in float32)."""
    logits = logits.float()
    return F.cross_entropy(logits, target) + dice_weight * dice_loss(logits, target)


def train_segmentation(model, x, y, *, steps, lr, batch_size, seed=0, dice_weight=1.0,
                       ctx=None, ckpt_key=None, ckpt_every=50):
    """Train `model` (logits (N, C, H, W)) on images x (N, 1, H, W) and labels y (N, H, W).

    Returns {"loss": [one float per step]}. With `ctx` and `ckpt_key` the state
    is saved every `ckpt_every` steps and a rerun continues from there.
    """
    device = x.device
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    g = torch.Generator().manual_seed(seed)
    losses = torch.zeros(steps, device=device)
    saver = StepCheckpoint(ctx, ckpt_key, objects={"model": model, "opt": opt, "sched": sched},
                           tensors={"losses": losses}, rng=g, every=ckpt_every)
    start = saver.restore(steps)

    model.train()
    steps_iter = range(start, steps)
    if ctx is not None:
        steps_iter = ctx.progress_bar(steps_iter, "U-Net")
    for step in steps_iter:
        idx = torch.randint(len(x), (batch_size,), generator=g).to(device)
        with autocast(device):
            logits = model(x[idx])
        loss = segmentation_loss(logits, y[idx].long(), dice_weight)  # y may be stored as uint8
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses[step] = loss.detach()
        saver.after_step(step, steps)
    return {"loss": losses.tolist()}


def predict_labels(model, x, batch_size=256):
    """Per-pixel argmax labels (N, H, W) in eval mode, batch by batch (the mode is restored)."""
    return predict(model, x, batch_size=batch_size, reduce=lambda logits: logits.argmax(1))


def evaluate_segmentation(model, x, y, num_classes, batch_size=256):
    """Per-class Dice (num_classes,) of the model's predictions on (x, y), and the predictions."""
    pred = predict_labels(model, x, batch_size)
    return dice_score(pred, y, num_classes), pred
