"""How every loop runs a model on its device: bf16 autocast and channels_last on CUDA only,
and batched inference in eval mode that always gives the model back in the mode it had.

Why one place: the classifier, segmentation and diffusion loops must agree on precision
(CPU stays float32 and deterministic), and a failed forward pass must not leave a model
in eval mode (or in train mode) behind the caller's back.
"""

import contextlib

import torch


def autocast(device):
    """bf16 autocast on CUDA; nothing on CPU, where it is slower and not deterministic."""
    return torch.autocast("cuda", dtype=torch.bfloat16, enabled=torch.device(device).type == "cuda")


def prepare(x):
    """channels_last on CUDA (faster convolutions with bf16); unchanged on CPU."""
    if x.device.type == "cuda" and x.dim() == 4:
        return x.contiguous(memory_format=torch.channels_last)
    return x


@contextlib.contextmanager
def eval_mode(model):
    """model.eval() for the block, then the mode it had before, even if the block raises."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


@torch.no_grad()
def predict(model, x, *, batch_size: int = 1000, reduce=None):
    """Float32 outputs for all of x, batch by batch, in eval mode; `reduce` (e.g. argmax)
    is applied to each batch's output so that only what is kept is stored."""
    out = []
    with eval_mode(model):
        for i in range(0, len(x), batch_size):
            with autocast(x.device):
                y = model(prepare(x[i:i + batch_size])).float()
            out.append(y if reduce is None else reduce(y))
    return torch.cat(out)
