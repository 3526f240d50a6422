"""Layer-by-layer summary of a model (output shapes, parameters, MACs) from forward hooks.

A MAC is one multiply-accumulate, a*b + c; FLOPs are usually quoted as 2 x MACs.
Only convolutions and linear layers are counted: they hold nearly all the arithmetic of a
CNN (BatchNorm, ReLU and pooling cost one operation per element, which is negligible).
For an output of size H' x W' with C_out channels, a k x k convolution costs
H' * W' * C_out * (C_in / groups) * k * k MACs per image.

Runs on any device, including torch.device("meta"), where nothing is computed: build the
model under `with torch.device("meta"):` to summarise VGG-16 in milliseconds.
"""

from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from .spanish import integer


@dataclass
class LayerRow:
    """One call of one module during the forward pass."""

    name: str  # qualified name, e.g. "layer1.0.conv1"
    type: str  # class name, e.g. "Conv2d"
    output_shape: tuple  # e.g. (1, 64, 56, 56); a tuple of shapes for multiple outputs
    params: int  # parameters owned by this module (counted at its first call only)
    macs: int  # multiply-accumulates per image (conv and linear layers only)


@dataclass
class ModelSummary:
    """Rows in call order, and totals."""

    input_size: tuple
    rows: list[LayerRow] = field(default_factory=list)
    total_params: int = 0
    trainable_params: int = 0
    total_macs: int = 0  # per image

    @property
    def total_flops(self) -> int:
        """Floating-point operations per image, counting a MAC as 2."""
        return 2 * self.total_macs

    def format_markdown(self) -> str:
        return format_markdown(self)


def _shape(out):
    if isinstance(out, torch.Tensor):
        return tuple(out.shape)
    if isinstance(out, (tuple, list)):
        return tuple(_shape(o) for o in out if isinstance(o, (torch.Tensor, tuple, list)))
    return ()


def _first_tensor(out):
    if isinstance(out, torch.Tensor):
        return out
    if isinstance(out, (tuple, list)):
        for o in out:
            t = _first_tensor(o)
            if t is not None:
                return t
    return None


def _macs(module: nn.Module, inputs: tuple, out, batch: int) -> int:
    """Multiply-accumulates per image for conv / linear layers, 0 for anything else."""
    y = _first_tensor(out)
    if y is None:
        return 0
    if isinstance(module, nn.modules.conv._ConvTransposeNd):
        # every input pixel scatters a k x k x (C_out / groups) patch
        x = inputs[0]
        kernel = module.weight[0].numel()  # (C_out / groups) * k * k
        return x.numel() * kernel // batch
    if isinstance(module, nn.modules.conv._ConvNd):
        kernel = module.weight[0].numel()  # (C_in / groups) * k * k
        return y.numel() * kernel // batch
    if isinstance(module, nn.Linear):
        return y.numel() * module.in_features // batch
    return 0


def summary(model: nn.Module, input_size: tuple) -> ModelSummary:
    """Run one forward pass on zeros of `input_size` ((C, H, W) or (B, C, H, W)) in eval mode
    and record every leaf module's output shape, parameters and MACs per image."""
    if len(input_size) == 3:
        input_size = (1, *input_size)
    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    dtype = param.dtype if param is not None and param.is_floating_point() else torch.float32
    batch = input_size[0]
    result = ModelSummary(input_size=tuple(input_size))
    names = {m: n for n, m in model.named_modules()}
    counted: set[int] = set()

    def hook(module, inputs, out):
        params = 0
        if id(module) not in counted:  # a module called twice (e.g. a shared ReLU) owns its params once
            counted.add(id(module))
            params = sum(p.numel() for p in module.parameters(recurse=False))
        result.rows.append(LayerRow(
            name=names[module] or type(module).__name__,
            type=type(module).__name__,
            output_shape=_shape(out),
            params=params,
            macs=_macs(module, inputs, out, batch),
        ))

    # leaves, plus containers that own parameters directly (e.g. a learned position embedding)
    handles = [m.register_forward_hook(hook) for m in model.modules()
               if not list(m.children()) or list(m.parameters(recurse=False))]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(input_size, device=device, dtype=dtype))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()

    result.total_params = sum(p.numel() for p in model.parameters())
    result.trainable_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    result.total_macs = sum(r.macs for r in result.rows)
    return result


def _format_shape(shape) -> str:
    if shape and isinstance(shape[0], tuple):
        return ", ".join(_format_shape(s) for s in shape)
    return "×".join(str(d) for d in shape)


def format_markdown(s: ModelSummary) -> str:
    """A Markdown table of the rows, with a totals line (Spanish headers, for the site)."""
    lines = [
        "| Capa | Tipo | Forma de salida | Parámetros | MACs |",
        "|---|---|---|---:|---:|",
    ]
    for r in s.rows:
        lines.append(f"| `{r.name}` | {r.type} | {_format_shape(r.output_shape)} | "
                     f"{integer(r.params)} | {integer(r.macs)} |")
    lines.append(f"| **Total** | | | **{integer(s.total_params)}** | **{integer(s.total_macs)}** |")
    return "\n".join(lines)


# ---- depth: the longest chain of weighted layers from input to output ----

_WEIGHTED_OPS = {torch.conv1d, torch.conv2d, torch.conv3d,
                 torch.conv_transpose1d, torch.conv_transpose2d, torch.conv_transpose3d, F.linear}


class _DepthMode(TorchFunctionMode):
    """Tags every tensor with the number of conv/linear ops on its longest path from the input."""

    def __init__(self):
        super().__init__()
        self.depth: dict[int, int] = {}
        self.alive: list[torch.Tensor] = []  # keep tensors alive so their ids are not reused

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        inputs = [t for t in _tensors((args, kwargs)) if id(t) in self.depth]
        d = max((self.depth[id(t)] for t in inputs), default=0) + (func in _WEIGHTED_OPS)
        for t in _tensors(out):
            self.depth[id(t)] = max(d, self.depth.get(id(t), 0))
            self.alive.append(t)
        return out


def _tensors(obj):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for o in obj:
            yield from _tensors(o)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _tensors(o)


def weighted_depth(model: nn.Module, input_size: tuple) -> int:
    """Number of conv/linear layers on the longest input-to-output path: how papers count
    layers (VGG-16, ResNet-50, GoogLeNet's 22), ignoring parallel branches and shortcuts."""
    if len(input_size) == 3:
        input_size = (1, *input_size)
    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    was_training = model.training
    mode = _DepthMode()
    try:
        model.eval()
        with torch.no_grad():
            x = torch.zeros(input_size, device=device)
            mode.depth[id(x)] = 0
            with mode:
                out = model(x)
    finally:
        model.train(was_training)
    return max(mode.depth[id(t)] for t in _tensors(out))
