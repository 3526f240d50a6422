"""Train and evaluate an image classifier on tensors that already live on the device.

Why this loop and not a DataLoader: the MNIST-sized data fits in device memory,
so a batch is one index into a tensor (airbench style): no worker processes, no
per-sample Python. Every epoch draws its shuffling and augmentation from a
generator seeded by (seed, key, epoch), and a checkpoint is written after every
epoch, so a killed run resumes at the last epoch and ends with the same numbers.
On CUDA: bf16 autocast and channels_last; on CPU: float32, deterministic.
"""
import math
import time
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F

from .device import autocast, predict, prepare
from .resume import StepCheckpoint, stable_hash


@dataclass
class History:
    """Curves of one training: per step and per epoch."""

    steps_per_epoch: int = 0
    step_loss: list = field(default_factory=list)  # training loss of each step
    step_acc: list = field(default_factory=list)  # training accuracy of each batch
    train_loss: list = field(default_factory=list)  # per epoch, mean over its steps
    train_acc: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)  # per epoch, on the held-out split
    test_acc: list = field(default_factory=list)
    time_s: list = field(default_factory=list)  # cumulative training seconds (no evaluation)

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        return cls(**d)


@torch.no_grad()
def evaluate(model, x, y, *, batch_size: int = 1000):
    """(mean cross-entropy, accuracy) of model on (x, y)."""
    logits = predict(model, x, batch_size=batch_size)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


# --8<-- [start:lr-schedule]
def lr_at(step: int, total: int, lr: float, schedule: str, warmup: float = 0.1) -> float:
    """Learning rate for a step: 'constant', 'cosine' or 'onecycle' (linear warm-up then linear decay)."""
    # --8<-- [start:lr-body]
    if schedule == "constant":
        return lr
    frac = step / max(total, 1)
    if schedule == "cosine":
        return lr * 0.5 * (1 + math.cos(math.pi * frac))
    if schedule == "onecycle":
        if frac < warmup:
            return lr * (0.1 + 0.9 * frac / warmup)
        return lr * max(0.0, (1 - frac) / (1 - warmup))
    raise ValueError(f"unknown schedule {schedule!r}")
    # --8<-- [end:lr-body]
# --8<-- [end:lr-schedule]


def make_optimizer(model, name: str, lr: float, *, weight_decay=0.0, momentum=0.9):
    if name == "adam":
        return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, nesterov=True, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r}")


def train_classifier(model, data, *, ctx, ckpt_key: str, epochs: int | None = None, steps: int | None = None,
                     lr: float = 2e-3, batch_size: int = 128, optimizer: str = "adam", weight_decay: float = 0.0,
                     momentum: float = 0.9, label_smoothing: float = 0.0, schedule: str = "onecycle",
                     augment=None, steps_per_epoch: int | None = None, evaluate_every_epoch: bool = True,
                     desc: str | None = None) -> History:
    """Train `model` on data = (x_train, y_train, x_test, y_test), all tensors on ctx.device.

    Give `epochs` (full passes) or `steps` (optimizer steps, evaluated every
    `steps_per_epoch` steps). `augment(x, generator)` runs on the device on each
    batch. Resumes from ctx.checkpoint(ckpt_key) when its configuration matches.
    """
    x_tr, y_tr, x_te, y_te = data
    dev = x_tr.device
    n = len(x_tr)
    spe = steps_per_epoch or math.ceil(n / batch_size)
    if (epochs is None) == (steps is None):
        raise ValueError("give exactly one of epochs or steps")
    total = steps if steps is not None else epochs * spe
    n_epochs = math.ceil(total / spe)

    model.to(dev)
    if dev.type == "cuda":
        model.to(memory_format=torch.channels_last)
    opt = make_optimizer(model, optimizer, lr, weight_decay=weight_decay, momentum=momentum)
    config = dict(model=type(model).__name__, params=sum(p.numel() for p in model.parameters()), n=n,
                  total=total, spe=spe, lr=lr, batch_size=batch_size, optimizer=optimizer,
                  weight_decay=weight_decay, momentum=momentum, label_smoothing=label_smoothing,
                  schedule=schedule, augment=repr(augment))
    # Each epoch reseeds its own generator from (seed, key, epoch): no random state to save.
    saver = StepCheckpoint(ctx, ckpt_key, objects={"model": model, "optimizer": opt}, tensors={}, rng=None,
                           every=1, config=config, unit="epoch")
    start_epoch = saver.restore(n_epochs)
    hist = History.from_dict(saver.extra) if saver.extra else History(steps_per_epoch=spe)

    key_hash = stable_hash(ckpt_key)
    bar = ctx.progress_bar(total, desc or ckpt_key)
    bar.update(start_epoch * spe)
    model.train()
    for epoch in range(start_epoch, n_epochs):
        seed = (ctx.seed_for(epoch + 1) ^ key_hash) % (2**63)
        torch.manual_seed(seed)  # dropout etc. also replay identically after a resume
        gen = torch.Generator(device=dev)
        gen.manual_seed(seed)
        n_steps = min(spe, total - epoch * spe)
        # Enough shuffled indices for this epoch's steps (several passes if spe > n / batch_size).
        passes = math.ceil(n_steps * batch_size / n)
        order = torch.cat([torch.randperm(n, generator=gen, device=dev) for _ in range(passes)])
        losses = torch.zeros(n_steps, device=dev)
        correct = torch.zeros(n_steps, device=dev)
        ctx.synchronize()
        t0 = time.perf_counter()
        for i in range(n_steps):
            step = epoch * spe + i
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, lr, schedule)
            idx = order[i * batch_size:(i + 1) * batch_size]
            if len(idx) == 0:  # a last partial pass may run short
                idx = order[:batch_size]
            xb, yb = x_tr[idx], y_tr[idx]
            if augment is not None:
                xb = augment(xb, gen)
            # --8<-- [start:step]
            with autocast(dev):
                logits = model(prepare(xb))
                loss = F.cross_entropy(logits.float(), yb, label_smoothing=label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            # --8<-- [end:step]
            losses[i] = loss.detach()
            correct[i] = (logits.argmax(1) == yb).float().mean()
            bar.update(1)
        ctx.synchronize()
        elapsed = time.perf_counter() - t0
        hist.step_loss += losses.tolist()
        hist.step_acc += correct.tolist()
        hist.train_loss.append(losses.mean().item())
        hist.train_acc.append(correct.mean().item())
        hist.time_s.append((hist.time_s[-1] if hist.time_s else 0.0) + elapsed)
        if evaluate_every_epoch or epoch == n_epochs - 1:
            te_loss, te_acc = evaluate(model, x_te, y_te)
            model.train()
            hist.test_loss.append(te_loss)
            hist.test_acc.append(te_acc)
            bar.set_postfix(loss=f"{hist.train_loss[-1]:.3f}", test_acc=f"{te_acc:.4f}")
        saver.after_step(epoch, n_epochs, extra=hist.as_dict())
    bar.close()
    model.eval()
    return hist
