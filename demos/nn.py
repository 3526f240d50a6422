"""The course's trained networks in plain NumPy, for the page: LeNet-5, U-Net, diffusion U-Net.

The layers mirror ``torch.nn`` (same ``state_dict`` names and shapes, NCHW layout, float32)
so the weights exported by ``python -m lecture_models figures`` load unchanged, and every
forward can return each intermediate activation by layer name for the widgets to draw.
The same file runs natively (tests compare it with PyTorch layer by layer) and in the
browser through Pyodide (NumPy 2.0.2, no SciPy).

Convolution is im2col: the k*k shifted strided slices of the padded input (taken with
``imageops._tap``) are stacked once and multiplied by the weights in one ``einsum``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping

import numpy as np

from .errors import InputError
from .imageops import _area_axis0, _tap, avg_pool2d, max_pool2d, output_size, transposed_output_size

__all__ = [
    "WeightsError", "architecture", "load_weights", "conv2d", "conv_transpose2d", "linear", "relu", "silu",
    "max_pool", "avg_pool", "batch_norm", "group_norm", "upsample_nearest", "embedding",
    "timestep_embedding", "softmax", "attention", "LeNet5", "UNet", "DiffusionUNet", "SelfAttention",
    "ddim_timesteps", "ddim_step", "DDIMSampler", "preprocess_digit", "dice_per_class",
]

F32 = np.float32
MAKE_COMMAND = "python -m lecture_models figures --only {run}"


class WeightsError(InputError):
    """The weights file is missing or does not fit the network: the message names the command.

    An InputError, so its record is of kind "input": the page shows the message once, as
    it is, without a type name or a traceback. Code (demos.errors.CODES): "missing_file"
    (no file), "mismatched_file" (a damaged file or one made for other code, the default)
    or "not_loaded" (not loaded in this Python yet).
    """

    def __init__(self, message: str, *, code: str = "mismatched_file"):
        super().__init__(message, code=code)


# ----------------------------------------------------------------------------- weights

def load_weights(source, *, run: str, expect: str | None = None) -> tuple[dict, dict]:
    """(state_dict as float32 arrays, config dict) from an exported .npz (path, bytes or file).

    ``run`` names the figure run that writes the file, for the message when it is missing
    or is not the network ``expect``ed.
    """
    command = MAKE_COMMAND.format(run=run)
    if source is None:
        raise WeightsError(f"No están los pesos de la red «{run}». Genéralos con: {command}", code="missing_file")
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            source = io.BytesIO(bytes(source))
        with np.load(source, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError) as e:
        raise WeightsError(f"El archivo de pesos de «{run}» falta o está dañado ({e}). "
                           f"Vuelve a generarlo con: {command}") from None
    if "__config__" not in arrays:
        raise WeightsError(f"El archivo de pesos de «{run}» no tiene configuración. Vuelve a generarlo con: {command}")
    config = json.loads(str(arrays.pop("__config__")))
    if expect is not None and config.get("network") != expect:
        raise WeightsError(f"El archivo de pesos de «{run}» es de la red {config.get('network')!r}, no de "
                           f"{expect!r}. Vuelve a generarlo con: {command}")
    sd = {k: (v.astype(F32) if v.dtype.kind == "f" else v) for k, v in arrays.items()}
    return sd, config


def _get(sd: Mapping, key: str, shape=None, *, run: str = "?") -> np.ndarray:
    if key not in sd:
        raise WeightsError(f"Al archivo de pesos le falta «{key}». Vuelve a generarlo con: "
                           f"{MAKE_COMMAND.format(run=run)}")
    a = sd[key]
    if shape is not None and tuple(a.shape) != tuple(shape):
        raise WeightsError(f"«{key}» tiene forma {tuple(a.shape)} y la red espera {tuple(shape)}. "
                           f"Vuelve a generarlo con: {MAKE_COMMAND.format(run=run)}")
    return a


# ----------------------------------------------------------------------------- layers

def _hwnc_pad(x: np.ndarray, p: int) -> np.ndarray:
    """(N, C, H, W) -> zero-padded (H + 2p, W + 2p, N, C) view/copy: imageops' layout for taps."""
    a = x.transpose(2, 3, 0, 1)
    return np.pad(a, [(p, p), (p, p), (0, 0), (0, 0)]) if p else a


# --8<-- [start:conv2d]
def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: int = 1,
           padding: int = 0, dilation: int = 1, groups: int = 1) -> np.ndarray:
    """F.conv2d for x (N, C, H, W), weight (O, C // groups, kh, kw): im2col and one einsum."""
    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    if c != cg * groups or o % groups:
        raise ValueError(f"conv2d: {c} canales de entrada no encajan con pesos {weight.shape} y groups={groups}")
    oh = output_size(h, kh, stride, padding, dilation)
    ow = output_size(w, kw, stride, padding, dilation)
    ap = _hwnc_pad(x, padding)
    taps = [_tap(ap, i * dilation, j * dilation, stride, oh, ow) for i in range(kh) for j in range(kw)]
    # Stacking the taps before the channels keeps each copied run C long, and each column
    # (tap, channel) contiguous: the layout einsum's inner dot product runs fastest on.
    cols = np.stack(taps, axis=3).reshape(oh * ow, n, kh * kw, groups, cg)  # (L, N, kh*kw, G, C/G)
    cols = cols.transpose(0, 1, 3, 2, 4).reshape(oh * ow, n, groups, kh * kw * cg)  # (L, N, G, K)
    wmat = weight.transpose(0, 2, 3, 1).reshape(groups, o // groups, kh * kw * cg)  # (G, O/G, K)
    # einsum, not matmul: Pyodide's NumPy has no BLAS, and einsum's unrolled contiguous
    # loop is about twice as fast as matmul's fallback there (tests/benchmarks/bench_nets.py).
    out = np.einsum("lngk,gok->ngol", cols, wmat).reshape(n, o, oh, ow)
    if bias is not None:
        out += bias.reshape(1, o, 1, 1)
    return out.astype(x.dtype, copy=False)
# --8<-- [end:conv2d]


def conv_transpose2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: int = 1,
                     padding: int = 0, output_padding: int = 0, dilation: int = 1) -> np.ndarray:
    """F.conv_transpose2d (groups = 1), weight (C, O, kh, kw): one matmul, then each tap added to its slice."""
    n, c, h, w = x.shape
    c2, o, kh, kw = weight.shape
    if c != c2:
        raise ValueError(f"conv_transpose2d: {c} canales de entrada y pesos {weight.shape}")
    oh = transposed_output_size(h, kh, stride, padding, output_padding, dilation)
    ow = transposed_output_size(w, kw, stride, padding, output_padding, dilation)
    full_h = (h - 1) * stride + dilation * (kh - 1) + 1 + output_padding
    full_w = (w - 1) * stride + dilation * (kw - 1) + 1 + output_padding
    # Each input pixel times the whole kernel: (N, H, W, O, kh, kw).
    contrib = np.matmul(x.transpose(0, 2, 3, 1), weight.reshape(c, o * kh * kw)).reshape(n, h, w, o, kh, kw)
    full = np.zeros((full_h, full_w, n, o), dtype=x.dtype)  # imageops' (H, W, ...) layout for _tap
    for i in range(kh):
        for j in range(kw):
            _tap(full, i * dilation, j * dilation, stride, h, w)[...] += contrib[..., i, j].transpose(1, 2, 0, 3)
    out = full[padding: padding + oh, padding: padding + ow].transpose(2, 3, 0, 1)
    if bias is not None:
        out = out + bias.reshape(1, o, 1, 1)
    return np.ascontiguousarray(out, dtype=x.dtype)


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """F.linear: x @ weight.T + bias."""
    out = x @ weight.T
    return out + bias if bias is not None else out


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0, dtype=x.dtype)


def silu(x: np.ndarray) -> np.ndarray:
    """x * sigmoid(x), written with tanh so that large |x| never overflows exp."""
    return (x * (0.5 * (1 + np.tanh(0.5 * x)))).astype(x.dtype, copy=False)


def _pool(pool, x: np.ndarray, size: int, stride: int | None) -> np.ndarray:
    """imageops' (H, W, C) pooling applied to (N, C, H, W) by viewing it as (H, W, N*C)."""
    n, c, h, w = x.shape
    out = pool(x.transpose(2, 3, 0, 1).reshape(h, w, n * c), size, stride)
    return np.ascontiguousarray(out.reshape(out.shape[0], out.shape[1], n, c).transpose(2, 3, 0, 1))


def max_pool(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """F.max_pool2d (no padding, floor mode) on (N, C, H, W)."""
    return _pool(max_pool2d, x, size, stride)


def avg_pool(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """F.avg_pool2d (no padding, floor mode) on (N, C, H, W)."""
    return _pool(avg_pool2d, x, size, stride)


def batch_norm(x: np.ndarray, mean, var, weight=None, bias=None, eps: float = 1e-5) -> np.ndarray:
    """BatchNorm2d in eval mode: the running statistics, then the affine map."""
    scale = 1 / np.sqrt(var + eps)
    if weight is not None:
        scale = scale * weight
    shift = -mean * scale + (bias if bias is not None else 0)
    return (x * scale.reshape(1, -1, 1, 1) + shift.reshape(1, -1, 1, 1)).astype(x.dtype, copy=False)


def group_norm(x: np.ndarray, groups: int, weight=None, bias=None, eps: float = 1e-5) -> np.ndarray:
    """F.group_norm: mean and (biased) variance over each group of channels and all pixels."""
    n, c = x.shape[:2]
    g = x.reshape(n, groups, -1)
    mean = g.mean(axis=-1, keepdims=True)
    var = g.var(axis=-1, keepdims=True)
    out = ((g - mean) / np.sqrt(var + eps)).reshape(x.shape)
    if weight is not None:
        out = out * weight.reshape(1, c, 1, 1) + bias.reshape(1, c, 1, 1)
    return out.astype(x.dtype, copy=False)


def upsample_nearest(x: np.ndarray, scale: int = 2) -> np.ndarray:
    """nn.Upsample(scale_factor=scale, mode="nearest") for an integer scale."""
    return x.repeat(scale, axis=-2).repeat(scale, axis=-1)


def embedding(table: np.ndarray, index) -> np.ndarray:
    """nn.Embedding: one row of the table per index."""
    return table[np.asarray(index, dtype=np.intp)]


def timestep_embedding(t, dim: int, max_period: float = 10000.0) -> np.ndarray:
    """Sinusoidal features of the step t, shape (N, dim), as lecture_models' timestep_embedding."""
    half = dim // 2
    freqs = np.exp(-math.log(max_period) * np.arange(half, dtype=F32) / half).astype(F32)
    args = np.asarray(t, dtype=F32).reshape(-1)[:, None] * freqs[None, :]
    return np.concatenate([np.sin(args), np.cos(args)], axis=1).astype(F32)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def attention(q, k, v, key_mask=None):
    """softmax(q k^T / sqrt(d)) v over the last two axes; returns (output, weights).

    q (..., L, d), k and v (..., S, d); key_mask (..., S) boolean, True where a key may be
    read (padding False: weight 0). Each row of the weights sums to 1. The one attention
    of the page: the diffusion U-Net's bottleneck, the mini-CLIP and the latent U-Net.
    """
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(F32(q.shape[-1]))
    if key_mask is not None:
        scores = np.where(np.asarray(key_mask, dtype=bool)[..., None, :], scores, F32(-np.inf))
    weights = softmax(scores, axis=-1).astype(F32, copy=False)
    return (weights @ v).astype(F32, copy=False), weights


# ----------------------------------------------------------------------------- LeNet-5

class LeNet5:
    """lecture_models.models.lenet5 (ReLU, max pooling) from its state_dict.

    ``forward(x, trace=True)`` also returns the activations named as in the figure:
    input (32x32 after padding), c1, c1_act, s2, c3, c3_act, s4, c5, f6, output.
    ``off`` switches feature maps off: {"c1": [map indices], "c3": [...]} zeroes them after the ReLU.
    """

    RUN = "lenet"

    def __init__(self, sd: Mapping, config: Mapping | None = None):
        config = dict(config or {})
        self.activation = config.get("activation", "relu")
        self.pooling = config.get("pooling", "max")
        g = lambda k, s=None: _get(sd, k, s, run=self.RUN)  # noqa: E731
        self.params = {
            "c1.weight": g("c1.weight"), "c1.bias": g("c1.bias"),
            "c3.weight": g("c3.weight"), "c3.bias": g("c3.bias"),
            "c5.weight": g("c5.weight", (120, 400)), "c5.bias": g("c5.bias", (120,)),
            "f6.weight": g("f6.weight", (84, 120)), "f6.bias": g("f6.bias", (84,)),
            "output.weight": g("output.weight"), "output.bias": g("output.bias"),
        }

    def _act(self, x):
        return relu(x) if self.activation == "relu" else np.tanh(x)

    def _pool(self, x):
        return max_pool(x, 2) if self.pooling == "max" else avg_pool(x, 2)

    def forward(self, x, *, trace: bool = False, off: Mapping | None = None, params: Mapping | None = None):
        """Logits (N, classes) of x (N, 1, 28, 28) or (N, 1, 32, 32); with trace, (logits, activations)."""
        p = {**self.params, **(params or {})}
        x = np.asarray(x, dtype=F32)
        if x.ndim == 2:
            x = x[None, None]
        if x.shape[-2:] == (28, 28):
            x = np.pad(x, [(0, 0), (0, 0), (2, 2), (2, 2)])
        elif x.shape[-2:] != (32, 32):
            raise ValueError(f"LeNet-5 necesita entradas de 28×28 o 32×32, no {x.shape[-2]}×{x.shape[-1]}")
        acts = {"input": x}
        h = acts["c1"] = conv2d(x, p["c1.weight"], p["c1.bias"])
        h = acts["c1_act"] = self._mask(self._act(h), (off or {}).get("c1"))
        h = acts["s2"] = self._pool(h)
        h = acts["c3"] = conv2d(h, p["c3.weight"], p["c3.bias"])
        h = acts["c3_act"] = self._mask(self._act(h), (off or {}).get("c3"))
        h = acts["s4"] = self._pool(h)
        h = acts["c5"] = self._act(linear(h.reshape(len(h), -1), p["c5.weight"], p["c5.bias"]))
        h = acts["f6"] = self._act(linear(h, p["f6.weight"], p["f6.bias"]))
        out = acts["output"] = linear(h, p["output.weight"], p["output.bias"])
        return (out, acts) if trace else out

    @staticmethod
    def _mask(h, maps):
        if maps is None or len(maps) == 0:
            return h
        h = h.copy()
        h[:, np.asarray(list(maps), dtype=np.intp)] = 0
        return h

    __call__ = forward


# ----------------------------------------------------------------------------- U-Net

class UNet:
    """lecture_models.models.unet (transposed-conv upsampling, with or without BatchNorm)."""

    RUN = "unet"

    def __init__(self, sd: Mapping, config: Mapping):
        self.sd = {k: v for k, v in sd.items()}
        self.depth = int(config["depth"])
        self.batch_norm = bool(config.get("batch_norm", True))
        if config.get("bilinear"):
            raise WeightsError("La U-Net exportada usa interpolación bilineal, que esta versión no implementa")
        _get(self.sd, "outc.conv.weight", run=self.RUN)

    def _double(self, prefix, x, acts):
        sd, i = self.sd, 0
        for k in range(2):
            key = f"{prefix}.double_conv.{i}"
            w = _get(sd, f"{key}.weight", run=self.RUN)
            x = conv2d(x, w, sd.get(f"{key}.bias"), padding=1)
            i += 1
            if self.batch_norm:
                bn = f"{prefix}.double_conv.{i}"
                x = batch_norm(x, sd[f"{bn}.running_mean"], sd[f"{bn}.running_var"], sd[f"{bn}.weight"],
                               sd[f"{bn}.bias"])
                i += 1
            x = relu(x)
            i += 1
        acts[prefix] = x
        return x

    def forward(self, x, *, trace: bool = False):
        """Logits (N, classes, H, W) of x (N, 1, H, W); with trace, (logits, activations by block)."""
        x = np.asarray(x, dtype=F32)
        k = 2 ** self.depth
        if x.shape[-2] % k or x.shape[-1] % k:
            raise ValueError(f"El alto y el ancho deben ser múltiplos de {k}; la imagen es {x.shape[-2]}×{x.shape[-1]}")
        acts = {}
        h = self._double("inc", x, acts)
        skips = [h]
        for i in range(1, self.depth + 1):
            h = self._double(f"down{i}.maxpool_conv.1", max_pool(h, 2), acts)
            acts[f"down{i}"] = h
            skips.append(h)
        skips.pop()
        for j in range(1, self.depth + 1):
            up = conv_transpose2d(h, self.sd[f"up{j}.up.weight"], self.sd[f"up{j}.up.bias"], stride=2)
            h = self._double(f"up{j}.conv", np.concatenate([skips.pop(), up], axis=1), acts)
            acts[f"up{j}"] = h
        out = acts["outc"] = conv2d(h, self.sd["outc.conv.weight"], self.sd["outc.conv.bias"])
        return (out, acts) if trace else out

    __call__ = forward


# ----------------------------------------------------------------------------- diffusion

def architecture(config: Mapping, key: str, *, run: str) -> int:
    """An architecture constant the exported config carries (GroupNorm groups, attention
    heads): read from the file, never restated here; a file without it is from older code."""
    if key not in config:
        raise WeightsError(f"El archivo de pesos de «{run}» no dice su «{key}» (es de una versión anterior). "
                           f"Vuelve a generarlo con: {MAKE_COMMAND.format(run=run)}")
    return int(config[key])


def _resblock(sd, prefix, x, emb_silu, groups: int):
    """ResBlock of lecture_models.models.diffusion (dropout is off in eval)."""
    h = conv2d(silu(group_norm(x, groups, sd[f"{prefix}.norm1.weight"], sd[f"{prefix}.norm1.bias"])),
               sd[f"{prefix}.conv1.weight"], sd[f"{prefix}.conv1.bias"], padding=1)
    h = h + linear(emb_silu, sd[f"{prefix}.emb.weight"], sd[f"{prefix}.emb.bias"])[:, :, None, None]
    h = conv2d(silu(group_norm(h, groups, sd[f"{prefix}.norm2.weight"], sd[f"{prefix}.norm2.bias"])),
               sd[f"{prefix}.conv2.weight"], sd[f"{prefix}.conv2.bias"], padding=1)
    skip = conv2d(x, sd[f"{prefix}.skip.weight"], sd[f"{prefix}.skip.bias"]) if f"{prefix}.skip.weight" in sd else x
    return skip + h


class SelfAttention:
    """The bottleneck's multi-head self-attention (GroupNorm, 1x1 qkv, softmax(q k^T / sqrt d) v, 1x1 proj)."""

    def __init__(self, sd: Mapping, prefix: str, heads: int, groups: int):
        self.sd, self.prefix, self.heads, self.groups = sd, prefix, heads, groups

    def forward(self, x, *, trace: bool = False):
        sd, p = self.sd, self.prefix
        n, c, h, w = x.shape
        qkv = conv2d(group_norm(x, self.groups, sd[f"{p}.norm.weight"], sd[f"{p}.norm.bias"]),
                     sd[f"{p}.qkv.weight"], sd[f"{p}.qkv.bias"])
        qkv = qkv.reshape(n, 3, self.heads, c // self.heads, h * w).swapaxes(-1, -2)
        q, k, v = qkv[:, 0], qkv[:, 1], qkv[:, 2]  # (n, heads, pixels, d)
        out, attn = attention(q, k, v)  # attn: (n, heads, pixels, pixels)
        out = out.swapaxes(-1, -2).reshape(n, c, h, w)
        y = x + conv2d(out.astype(F32), sd[f"{p}.proj.weight"], sd[f"{p}.proj.bias"])
        return (y, attn) if trace else y

    __call__ = forward


class DiffusionUNet:
    """lecture_models.models.diffusion.DiffusionUNet: eps_theta(x_t, t, y)."""

    RUN = "diffusion"

    def __init__(self, sd: Mapping, config: Mapping):
        self.sd = dict(sd)
        self.base_channels = int(config["base_channels"])
        self.num_classes = int(config["num_classes"])
        self.levels = len(config["channel_mults"])
        self.image_size = int(config["image_size"])
        self.in_channels = int(config.get("in_channels", 1))
        self.groups = architecture(config, "groups", run=self.RUN)
        self.attention = (SelfAttention(self.sd, "mid_attn", architecture(config, "heads", run=self.RUN), self.groups)
                          if config.get("attention", True) else None)
        _get(self.sd, "conv_out.2.weight", run=self.RUN)

    def forward(self, x, t, y=None, *, trace: bool = False):
        """Predicted noise, same shape as x (N, C, H, W); y = None or num_classes means «no class»."""
        sd = self.sd
        x = np.asarray(x, dtype=F32)
        n = len(x)
        t = np.broadcast_to(np.asarray(t).reshape(-1), (n,))
        emb = linear(silu(linear(timestep_embedding(t, self.base_channels), sd["time_mlp.0.weight"],
                                 sd["time_mlp.0.bias"])), sd["time_mlp.2.weight"], sd["time_mlp.2.bias"])
        if self.num_classes:
            y = np.full(n, self.num_classes) if y is None else np.broadcast_to(np.asarray(y).reshape(-1), (n,))
            emb = emb + embedding(sd["class_emb.weight"], y)
        e = silu(emb.astype(F32))
        acts = {}
        h = conv2d(x, sd["conv_in.weight"], sd["conv_in.bias"], padding=1)
        skips = []
        for i in range(self.levels):
            h = acts[f"down{i}"] = _resblock(sd, f"down_blocks.{i}", h, e, self.groups)
            skips.append(h)
            if i < self.levels - 1:
                h = conv2d(h, sd[f"downsamples.{i}.weight"], sd[f"downsamples.{i}.bias"], stride=2, padding=1)
        h = acts["mid1"] = _resblock(sd, "mid1", h, e, self.groups)
        if self.attention is not None:
            h, acts["attention"] = self.attention(h, trace=True)
        h = acts["mid2"] = _resblock(sd, "mid2", h, e, self.groups)
        for i in range(self.levels):
            h = acts[f"up{i}"] = _resblock(sd, f"up_blocks.{i}", np.concatenate([h, skips.pop()], axis=1), e, self.groups)
            if i < self.levels - 1:
                h = conv2d(upsample_nearest(h), sd[f"upsamples.{i}.1.weight"], sd[f"upsamples.{i}.1.bias"], padding=1)
        h = silu(group_norm(h, self.groups, sd["conv_out.0.weight"], sd["conv_out.0.bias"]))
        out = conv2d(h, sd["conv_out.2.weight"], sd["conv_out.2.bias"], padding=1)
        return (out, acts) if trace else out

    __call__ = forward

    def guided_eps(self, x, t, y, guidance_scale: float):
        """eps_null + s (eps_y - eps_null), as lecture_models' _guided_eps (s = 1: conditional only)."""
        if not self.num_classes or guidance_scale == 1:
            return self(x, t, y)
        null = np.full(len(x), self.num_classes)
        if guidance_scale == 0:
            return self(x, t, null)
        y = np.broadcast_to(np.asarray(y).reshape(-1), (len(x),))
        both = self(np.concatenate([x, x]), t, np.concatenate([y, null]))
        eps_y, eps_null = both[: len(x)], both[len(x):]
        return (eps_null + F32(guidance_scale) * (eps_y - eps_null)).astype(F32)


def ddim_timesteps(num_steps: int, steps: int) -> list[int]:
    """torch.linspace(T - 1, 0, steps).round() in float32, computed the way PyTorch does it."""
    if steps == 1:
        return [num_steps - 1]
    start, end = F32(num_steps - 1), F32(0)
    step = (end - start) / F32(steps - 1)
    idx = np.arange(steps)
    half = steps // 2
    vals = np.where(idx < half, start + step * idx.astype(F32), end - step * (steps - 1 - idx).astype(F32))
    return [int(v) for v in np.round(vals.astype(F32))]


def ddim_step(x_t, eps, ab_t, ab_prev, clip_x0: bool = True):
    """Deterministic DDIM update (eta = 0); returns (x_prev, x0_hat). Mirrors lecture_models' ddim_step."""
    ab_t, ab_prev = F32(ab_t), F32(ab_prev)
    x0 = (x_t - np.sqrt(1 - ab_t) * eps) / np.sqrt(ab_t)
    if clip_x0:
        x0 = np.clip(x0, -1, 1)
        eps = (x_t - np.sqrt(ab_t) * x0) / np.sqrt(1 - ab_t)
    x_prev = np.sqrt(ab_prev) * x0 + np.sqrt(max(F32(1) - ab_prev, F32(0))) * eps
    return x_prev.astype(F32), x0.astype(F32)


class DDIMSampler:
    """A DDIM sample one step at a time, so the page can draw (and interrupt) between steps.

    ``y`` is one label or several (None or num_classes: no class); without ``x_T`` every
    row starts from the seed's one noise image, so two classes can be compared from the same x_T.
    """

    def __init__(self, model: DiffusionUNet, alphas_cumprod, y, *, steps: int, guidance_scale: float = 3.0,
                 x_T=None, seed: int = 0):
        self.model, self.ab = model, np.asarray(alphas_cumprod, dtype=F32)
        self.timesteps = ddim_timesteps(len(self.ab), int(steps))
        self.y = np.asarray([model.num_classes if y is None else y]).reshape(-1)
        if x_T is None:  # one x_T from the seed for every row: same seed, same noise, whatever the class
            shape = (1, model.in_channels, model.image_size, model.image_size)
            x_T = np.repeat(np.random.default_rng(seed).standard_normal(shape).astype(F32), len(self.y), axis=0)
        self.x = np.asarray(x_T, dtype=F32)
        self.guidance_scale, self.i = float(guidance_scale), 0
        self.trajectory, self.x0_hats = [self.x], []

    @property
    def done(self) -> bool:
        return self.i >= len(self.timesteps)

    def step(self):
        """Advance one step; returns (x_t after the step, x0_hat predicted at this step)."""
        i, ts = self.i, self.timesteps
        t = ts[i]
        ab_prev = self.ab[ts[i + 1]] if i + 1 < len(ts) else F32(1)
        eps = self.model.guided_eps(self.x, t, self.y, self.guidance_scale)
        self.x, x0 = ddim_step(self.x, eps, self.ab[t], ab_prev)
        self.i += 1
        self.trajectory.append(self.x)
        self.x0_hats.append(x0)
        return self.x, x0

    def run(self):
        while not self.done:
            self.step()
        return self.x


# ----------------------------------------------------------------------------- drawn digits

# --8<-- [start:preprocess]
def preprocess_digit(img, *, threshold: float = 0.05) -> dict:
    """MNIST's own preprocessing for a drawn digit (any size, ink bright on black, [0, 1]).

    1. crop to the bounding box of the stroke; 2. scale it (area averaging, aspect kept) so
    its longer side is 20 pixels; 3. paste it in a 28x28 field so that its centre of mass
    falls on the centre (14, 14). Returns every stage, for the widget to show; ``digit``
    is None when the canvas is empty.
    """
    a = np.asarray(img, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"La imagen del dígito debe ser 2-D, no {a.ndim}-D")
    ink = a > threshold
    if not ink.any():
        return {"crop": None, "box": None, "digit": None, "shift": None}
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    crop = a[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]
    h, w = crop.shape
    scale = 20 / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    box = np.swapaxes(_area_axis0(np.swapaxes(_area_axis0(crop, nh), 0, 1), nw), 0, 1)
    box = np.clip(box, 0, 1)
    field = np.zeros((28, 28))
    top, left = (28 - nh) // 2, (28 - nw) // 2
    field[top: top + nh, left: left + nw] = box
    mass = field.sum()
    cy = (field.sum(axis=1) @ np.arange(28)) / mass
    cx = (field.sum(axis=0) @ np.arange(28)) / mass
    dy, dx = int(round(13.5 - cy)), int(round(13.5 - cx))
    # Shift without wrapping: keep the whole box inside the field.
    dy = min(max(dy, -top), 28 - nh - top)
    dx = min(max(dx, -left), 28 - nw - left)
    digit = np.zeros((28, 28), dtype=F32)
    digit[top + dy: top + dy + nh, left + dx: left + dx + nw] = box
    return {"crop": crop.astype(F32), "box": box.astype(F32), "digit": digit, "shift": (dy, dx)}
# --8<-- [end:preprocess]


def dice_per_class(pred, target, num_classes: int) -> list:
    """Dice of hard label maps per class, as lecture_models.metrics.dice_score (None where undefined)."""
    p, t = np.asarray(pred).reshape(-1), np.asarray(target).reshape(-1)
    out = []
    for c in range(num_classes):
        pc, tc = p == c, t == c
        total = int(pc.sum() + tc.sum())
        out.append(None if total == 0 else 2 * int((pc & tc).sum()) / total)
    return out
