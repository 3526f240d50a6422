"""What the network widgets call through the bridge: load a weights file once, then small steps.

Why a module of its own: demos/nn.py is the mirror of lecture_models (tested layer by layer);
this file holds the widgets' state between calls (the loaded networks, the reader's kernel
edits, the digit last drawn, a diffusion sample in progress) and returns only what a widget
draws, as float32 arrays and plain numbers.
"""

from __future__ import annotations

import numpy as np

from . import miniature_sd, nn, vocabulary

F32 = np.float32
LOW_CONFIDENCE = 0.6  # below this the widget says plainly that the network is unsure
_NETS: dict = {}
_STATE: dict = {"digit": None, "edits": {}, "off": {"c1": set(), "c3": set()}, "sampler": None}
_NETWORKS = {"lenet": ("lenet5", nn.LeNet5), "unet": ("unet", nn.UNet), "diffusion": ("diffusion_unet", nn.DiffusionUNet),
             "clip": ("mini_clip", miniature_sd.MiniCLIP), "latent_ae": ("latent_autoencoder", miniature_sd.LatentAutoencoder),
             "latent_unet": ("latent_unet", miniature_sd.LatentUNet)}
_RUNS = {"clip": "miniature_sd", "latent_ae": "miniature_sd", "latent_unet": "miniature_sd"}  # else the run = the name


def load(name: str, data=None, sha256: str | None = None) -> dict:
    """Load docs/assets/models/<name>.npz from its bytes (uint8 array) once; a summary for the widget."""
    if name not in _NETWORKS:
        raise ValueError(f"Red desconocida: {name!r}")
    cached = _NETS.get(name)
    if cached is not None and (sha256 is None or cached["sha256"] == sha256):
        return cached["summary"]
    network, cls = _NETWORKS[name]
    run = _RUNS.get(name, name)
    sd, config = nn.load_weights(None if data is None else np.asarray(data, dtype=np.uint8).tobytes(),
                                 run=run, expect=network)
    if "words" in config and list(config["words"]) != list(vocabulary.WORDS):
        raise nn.WeightsError(f"El archivo de pesos de «{name}» se entrenó con otro vocabulario. Vuelve a generarlo "
                              f"con: {nn.MAKE_COMMAND.format(run=run)}", code="mismatched_file")
    model = cls(sd, config)
    summary = {"name": name, "config": config}
    if name == "lenet":
        summary["samples"] = {"images": sd["samples.images"], "labels": sd["samples.labels"].tolist(),
                              "torch_pred": sd["samples.torch_pred"].tolist()}
        _STATE["edits"], _STATE["off"] = {}, {"c1": set(), "c3": set()}
        summary["layers"] = _lenet_layers(model)
    elif name == "unet":
        summary["scenes"] = len(sd["scenes.images"])
    elif name == "clip":
        summary["samples"] = {"images": sd["samples.images"], "labels": sd["samples.labels"].tolist()}
        summary["vocabulary"] = [w for w in vocabulary.WORDS if w not in (vocabulary.PAD, vocabulary.END)]
    elif name == "latent_ae":
        summary["scale_factor"] = float(model.scale_factor)
    else:
        summary["alphas_cumprod"] = sd["schedule.alphas_cumprod"]
    _NETS[name] = {"model": model, "sd": sd, "config": config, "sha256": sha256, "summary": summary}
    return summary


def _lenet_layers(model) -> dict:
    """Each traced layer's maps, their side and its kernel side, read from the weights and
    one forward pass: the widget draws the network it gets, and restates no layer size."""
    _, acts = model.forward(np.zeros((1, 1, 28, 28), F32), trace=True)
    layers = {}
    for key in ("c1_act", "s2", "c3_act", "s4"):
        _, maps, side, _ = acts[key].shape
        conv = key.split("_")[0]
        kernel = model.params[f"{conv}.weight"].shape[-1] if key.endswith("_act") else None
        layers[key] = {"maps": int(maps), "side": int(side), "kernel": None if kernel is None else int(kernel)}
    return layers


def _get(name: str):
    if name not in _NETS:
        raise nn.WeightsError(f"La red «{name}» aún no está cargada. Si falta el archivo de pesos, "
                              f"genéralo con: {nn.MAKE_COMMAND.format(run=_RUNS.get(name, name))}", code="not_loaded")
    return _NETS[name]


# ----------------------------------------------------------------------------- digit explorer

def _lenet_params():
    net = _get("lenet")["model"]
    params = {}
    for (layer, out_map), kernel in _STATE["edits"].items():
        key = f"{layer}.weight"
        if key not in params:
            params[key] = net.params[key].copy()
        params[key][out_map] = kernel
    return params


def _lenet_forward(x, trace=False):
    net = _get("lenet")["model"]
    off = {k: sorted(v) for k, v in _STATE["off"].items()}
    return net.forward(x, trace=trace, off=off, params=_lenet_params())


def digit_predict(canvas=None, *, digit=None) -> dict:
    """Preprocess a drawn canvas (H, W; ink bright, 0-255 or 0-1), or take a 28x28 digit; classify it.

    Returns the preprocessing stages, the ten probabilities, the prediction (None for an
    empty canvas) and every layer's feature maps (after the ReLU for C1 and C3).
    """
    if digit is not None:
        d = np.asarray(digit, dtype=F32)
        d = d / F32(255) if d.max() > 1 else d
        stages = {"crop": d, "box": d, "digit": d}
    else:
        a = np.asarray(canvas, dtype=F32)
        a = a / F32(255) if a.max() > 1 else a
        stages = nn.preprocess_digit(a)
    if stages["digit"] is None:
        _STATE["digit"] = None
        return {"empty": True, "prediction": None, "probabilities": None, "message": "Dibuja un dígito."}
    _STATE["digit"] = stages["digit"]
    logits, acts = _lenet_forward(stages["digit"][None, None], trace=True)
    probs = nn.softmax(logits[0].astype(np.float64))
    pred = int(probs.argmax())
    conf = float(probs[pred])
    if conf < LOW_CONFIDENCE:
        message = (f"La red no está segura: lo más probable es un {pred}, pero solo con un "
                   f"{100 * conf:.0f} % de probabilidad.")
    else:
        message = f"La red ve un {pred} ({100 * conf:.0f} % de probabilidad)."
    return {
        "empty": False, "prediction": pred, "confidence": conf, "low_confidence": conf < LOW_CONFIDENCE,
        "probabilities": [float(p) for p in probs], "logits": [float(v) for v in logits[0]], "message": message,
        "stages": {"crop": stages["crop"], "box": stages["box"], "digit": stages["digit"]},
        "maps": {k: acts[k][0] for k in ("c1_act", "s2", "c3_act", "s4")},
        "off": {k: sorted(v) for k, v in _STATE["off"].items()},
    }


_SOURCE = {"c1": ("input", 1), "c3": ("s2", 2)}  # layer -> (its input activation, stride of one map pixel to the input)


def digit_kernel(layer: str, out_map: int, row: int = 0, col: int = 0) -> dict:
    """The kernels of one C1/C3 map (in_channels, 5, 5), its bias, and the input patch under (row, col)."""
    if layer not in _SOURCE:
        raise ValueError(f"Solo C1 y C3 tienen núcleos: {layer!r}")
    net = _get("lenet")["model"]
    w = _lenet_params().get(f"{layer}.weight", net.params[f"{layer}.weight"])
    out_map = int(out_map)
    out = {"kernels": w[out_map], "bias": float(net.params[f"{layer}.bias"][out_map]),
           "edited": (layer, out_map) in _STATE["edits"], "off": out_map in _STATE["off"][layer]}
    if _STATE["digit"] is not None:
        _, acts = _lenet_forward(_STATE["digit"][None, None], trace=True)
        src = acts[_SOURCE[layer][0]][0]
        r, c = int(row), int(col)
        patch = src[:, r: r + 5, c: c + 5]
        out["patch"] = patch
        out["value"] = float(acts[layer][0, out_map, r, c])
        out["value_check"] = float((patch * w[out_map]).sum() + out["bias"])
    return out


def digit_edit(layer: str, out_map: int, in_map: int, values) -> dict:
    """Replace one 5x5 kernel (values: 25 numbers or 5x5) of a C1/C3 map; returns the new prediction."""
    if layer not in _SOURCE:
        raise ValueError(f"Solo C1 y C3 tienen núcleos: {layer!r}")
    net = _get("lenet")["model"]
    v = np.asarray(values, dtype=np.float64)
    if v.size != 25 or not np.all(np.isfinite(v)):
        raise ValueError("Cada núcleo tiene 5×5 = 25 números finitos")
    key = (layer, int(out_map))
    kernel = _STATE["edits"].get(key, net.params[f"{layer}.weight"][int(out_map)].copy())
    kernel[int(in_map)] = v.reshape(5, 5).astype(F32)
    _STATE["edits"][key] = kernel
    return _after_edit()


def digit_zero(layer: str, out_map: int) -> dict:
    """Zero every kernel of one map (the bias stays)."""
    net = _get("lenet")["model"]
    _STATE["edits"][(layer, int(out_map))] = np.zeros_like(net.params[f"{layer}.weight"][int(out_map)])
    return _after_edit()


def digit_switch(layer: str, out_map: int, on: bool) -> dict:
    """Switch a feature map on or off (off: zero after the ReLU, as if the neuron were dead)."""
    (_STATE["off"][layer].discard if on else _STATE["off"][layer].add)(int(out_map))
    return _after_edit()


def digit_reset() -> dict:
    """Undo every kernel edit and switch every map back on; returns the new prediction."""
    _STATE["edits"], _STATE["off"] = {}, {"c1": set(), "c3": set()}
    return _after_edit()


def _after_edit():
    return digit_predict(digit=_STATE["digit"]) if _STATE["digit"] is not None else {"empty": True}


def digit_occlusion(patch: int = 8, stride: int = 2, value: float = 0.5) -> dict:
    """Slide a grey patch over the digit: drop of the predicted class's probability at each place.

    All positions go through the network as one batch. Returns the (n, n) map of drops and
    the class it refers to.
    """
    d = _STATE["digit"]
    if d is None:
        raise ValueError("Dibuja un dígito primero")
    patch, stride = int(patch), int(stride)
    base = nn.softmax(_lenet_forward(d[None, None]).astype(np.float64))[0]
    cls = int(base.argmax())
    starts = list(range(0, 28 - patch + 1, stride))
    batch = np.repeat(d[None], len(starts) ** 2, axis=0)
    for n, (r, c) in enumerate((r, c) for r in starts for c in starts):
        batch[n, r: r + patch, c: c + patch] = value
    probs = nn.softmax(_lenet_forward(batch[:, None]).astype(np.float64))[:, cls]
    drop = (base[cls] - probs).reshape(len(starts), len(starts))
    return {"drop": drop.astype(F32), "class": cls, "patch": patch, "stride": stride, "base": float(base[cls])}


# ----------------------------------------------------------------------------- segmenter

def unet_scene(index: int) -> dict:
    """One generated test scene shipped with the weights: image (64, 64) in [0, 1] and its true mask."""
    sd = _get("unet")["sd"]
    i = int(index) % len(sd["scenes.images"])
    return {"image": sd["scenes.images"][i].astype(F32) / F32(255), "mask": sd["scenes.masks"][i], "index": i}


def unet_segment(image, mask=None) -> dict:
    """Class of every pixel of a 64x64 image; with the true mask, the Dice of each class."""
    net = _get("unet")
    x = np.asarray(image, dtype=F32)
    x = x / F32(255) if x.max() > 1 else x
    if x.shape != (64, 64):
        raise ValueError(f"La imagen debe ser de 64×64, no {'×'.join(map(str, x.shape))}")
    logits = net["model"](x[None, None])[0]
    labels = logits.argmax(0).astype(np.uint8)
    out = {"labels": labels, "present": sorted(set(np.unique(labels).tolist()) - {0})}
    if mask is not None:
        out["dice"] = nn.dice_per_class(labels, np.asarray(mask), net["config"]["num_classes"])
    return out


# ----------------------------------------------------------------------------- diffusion

def _label(value):
    """A class from the page: None or "" is «no class»."""
    return None if value is None or value == "" else int(value)


def diffusion_start(label=None, guidance: float = 3.0, steps: int = 25, seed: int = 0, *,
                    compare: bool = False, other=None) -> dict:
    """Begin a DDIM sample (label None = no class); returns x_T and the steps to come.

    With ``compare``, a second image of class ``other`` from the very same x_T (same seed)
    runs beside it, one batch: the difference between the two is the class alone.
    """
    net = _get("diffusion")
    steps, guidance = int(steps), float(guidance)
    if not 1 <= steps <= 200:
        raise ValueError("El número de pasos debe estar entre 1 y 200")
    if not 0 <= guidance <= 20:
        raise ValueError("La escala de guía debe estar entre 0 y 20")
    y = _label(label)
    labels = [y]
    if compare:
        if _label(other) == y:
            raise ValueError("Para comparar, elige otra clase distinta de la primera")
        labels.append(_label(other))
    null = net["model"].num_classes
    _STATE["sampler"] = s = nn.DDIMSampler(net["model"], net["sd"]["schedule.alphas_cumprod"],
                                           [null if v is None else v for v in labels], steps=steps,
                                           guidance_scale=guidance, seed=int(seed))
    out = {"x": s.x[0, 0], "timesteps": s.timesteps, "labels": labels}
    if compare:
        out["x_other"] = s.x[1, 0]
    return out


def diffusion_step() -> dict:
    """One denoising step of the sample in progress: x_t after it and the x0 it predicted (and the other class's)."""
    s = _STATE["sampler"]
    if s is None or s.done:
        raise ValueError("No hay ninguna muestra en curso")
    x, x0 = s.step()
    out = {"i": s.i, "t": s.timesteps[s.i - 1], "x": x[0, 0], "x0": x0[0, 0], "done": s.done}
    if len(x) > 1:
        out["x_other"], out["x0_other"] = x[1, 0], x0[1, 0]
    return out


def diffusion_attention(row: int, col: int) -> dict:
    """Where the bottleneck looks from the pixel (row, col) of the current x_t: attention averaged over heads.

    One extra forward of the conditional branch at the step the sample is at; a (h, w) map
    over the bottleneck's pixels (7x7 for 28x28 images) that sums to 1.
    """
    s = _STATE["sampler"]
    if s is None:
        raise ValueError("Genera una muestra primero")
    model = s.model
    if model.attention is None:
        raise ValueError("Esta red no tiene atención")
    t = s.timesteps[min(s.i, len(s.timesteps) - 1)]
    _, acts = model(s.x, t, s.y, trace=True)
    attn = acts["attention"][0].mean(axis=0)  # (pixels, pixels)
    side = int(round(np.sqrt(attn.shape[0])))
    scale = model.image_size / side
    r, c = min(side - 1, int(int(row) / scale)), min(side - 1, int(int(col) / scale))
    return {"map": attn[r * side + c].reshape(side, side).astype(F32), "cell": [r, c], "t": int(t)}
