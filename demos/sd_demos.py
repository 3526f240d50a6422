"""What the miniature Stable Diffusion's widgets call: CLIP scores, latents, text-to-image, img2img.

Why apart from netdemos.py: these three widgets share three networks (mini-CLIP, the
latent autoencoder, the latent U-Net), loaded once through ``netdemos.load`` and kept
there; this module holds the sample in progress and turns the reader's input (a drawing,
a prompt, a strength) into a clear Spanish message when it cannot be used, without
losing what the widget shows.
"""

from __future__ import annotations

import numpy as np

from . import netdemos, nn, vocabulary
from .errors import InputError
from .miniature_sd import LatentSampler, img2img_timesteps

F32 = np.float32
_STATE: dict = {"digit": None, "weights": None, "sampler": None, "prompt": None}
BLANK = ("El dibujo está vacío: dibuja un dígito con el ratón o el dedo (trazo claro sobre fondo negro), "
         "o elige uno de los dígitos de prueba.")


def _nets(*names):
    return [netdemos._get(n)["model"] for n in names]


def _digit(image=None, sample=None) -> np.ndarray:
    """A 28x28 digit in [0, 1]: a held-out sample by index, or a drawing centred as MNIST's."""
    if sample is not None:
        images = netdemos._get("clip")["sd"]["samples.images"]
        i = int(sample)
        if not 0 <= i < len(images):
            raise InputError(f"No hay dígito de prueba número {i}", field="sample", code="out_of_range")
        return (images[i] / F32(255)).astype(F32)
    if image is None:
        raise InputError(BLANK, field="image", code="blank_drawing")
    a = np.asarray(image, dtype=F32)
    digit = nn.preprocess_digit(a / F32(255) if a.max() > 1 else a)["digit"]
    if digit is None:
        raise InputError(BLANK, field="image", code="blank_drawing")
    return digit


def prompt_notes(text: str) -> dict:
    """Tokens of a prompt and, in Spanish, what the network will not read (each said once)."""
    tok = vocabulary.tokenize(text)
    notes = []
    for w in tok["unknown"]:
        notes.append(f"«{w}» no está en el vocabulario y se ignora (¿quizá {', '.join('«%s»' % s for s in tok['suggestions'][w])}?).")
    if tok["truncated"]:
        notes.append(f"El texto pasa de {vocabulary.CONTEXT - 1} palabras: se ignoran las últimas "
                     f"({' '.join(tok['truncated'])}).")
    if not tok["words"]:
        notes.append("Sin palabras conocidas: es el texto vacío, y la muestra es incondicional (sin guía de texto).")
    return {**tok, "notes": notes, "vocabulary": [w for w in vocabulary.WORDS if w not in (vocabulary.PAD, vocabulary.END)]}


# ----------------------------------------------------------------------------- clip-explorer

def clip_scores(captions, image=None, sample=None) -> dict:
    """Probabilities of each caption for one digit: softmax of exp(logit_scale) * cosine.

    Also keeps the class token's attention of every layer for ``clip_attention``.
    """
    clip, = _nets("clip")
    captions = [str(c) for c in captions]
    if not captions:
        raise InputError("Escribe al menos un texto para comparar con el dígito.", field="captions", code="empty")
    notes = {c: prompt_notes(c)["notes"] for c in captions}
    digit = _digit(image, sample)
    vec, weights = clip.encode_image(digit[None, None], trace=True)
    txt = clip.encode_text(np.array([vocabulary.tokenize(c)["ids"] for c in captions]))
    cos = (vec @ txt.T)[0]
    probs = nn.softmax(clip.scale * cos)
    _STATE["digit"], _STATE["weights"] = digit, weights
    return {"digit": digit, "cosine": cos.astype(F32), "probs": probs.astype(F32), "captions": captions,
            "notes": notes, "temperature": 1 / clip.scale, "layers": len(weights), "heads": weights[0].shape[1]}


def clip_attention(layer: int, head: int = -1) -> dict:
    """Where the class token looks in layer ``layer``: its attention over the 7x7 patches (head -1: mean)."""
    w = _STATE["weights"]
    if w is None:
        raise InputError("Primero elige o dibuja un dígito.", code="no_digit")
    layer, head = int(layer), int(head)
    if not 0 <= layer < len(w) or not -1 <= head < w[layer].shape[1]:
        raise InputError("Capa o cabeza fuera de rango", field="layer", code="out_of_range")
    a = w[layer][0].mean(axis=0) if head < 0 else w[layer][0, head]
    row = a[0, 1:]  # the class token's row, without itself: 49 patches
    side = int(round(np.sqrt(len(row))))
    return {"map": row.reshape(side, side).astype(F32), "to_itself": float(a[0, 0])}


def clip_matrix(count: int = 8) -> dict:
    """Similarity matrix of ``count`` held-out digits and their captions «un X»: the picture of InfoNCE."""
    clip, = _nets("clip")
    sd = netdemos._get("clip")["sd"]
    count = max(2, min(int(count), len(sd["samples.labels"])))
    images = (sd["samples.images"][:count] / F32(255)).astype(F32)[:, None]
    labels = [int(v) for v in sd["samples.labels"][:count]]
    captions = [vocabulary.caption(d) for d in labels]
    logits = clip.scale * clip.encode_image(images) @ clip.encode_text(
        np.array([vocabulary.tokenize(c)["ids"] for c in captions])).T
    return {"images": images[:, 0], "captions": captions, "logits": logits.astype(F32),
            "row_probs": nn.softmax(logits, axis=1).astype(F32)}


# ----------------------------------------------------------------------------- latent-explorer

def latent_view(image=None, sample=None) -> dict:
    """A digit, its 4x8x8 latent and the decoded image."""
    ae, = _nets("latent_ae")
    digit = _digit(image, sample)
    z = ae.encode(digit[None, None])
    return {"digit": digit, "latent": z[0], "decoded": ae.decode(z)[0, 0]}


def latent_interpolate(a: int, b: int, count: int = 7) -> dict:
    """Decoded images along the straight line between two held-out digits' latents, and the same in pixels."""
    ae, = _nets("latent_ae")
    count = max(2, min(int(count), 12))
    xa, xb = _digit(sample=a), _digit(sample=b)
    za, zb = ae.encode(xa[None, None]), ae.encode(xb[None, None])
    w = np.linspace(0, 1, count, dtype=F32)[:, None, None, None]
    latent = ae.decode((1 - w) * za + w * zb)[:, 0]
    pixels = ((1 - w[:, 0]) * xa + w[:, 0] * xb).astype(F32)
    return {"latent": latent, "pixels": pixels}


def latent_noise(sample: int, amount: float, seed: int = 0) -> dict:
    """The same Gaussian noise level added to the latent (then decoded) and to the pixels.

    Latents have unit variance and pixels [0, 1]: ``amount`` is a fraction of each one's
    spread (std of the training latents, 1; std of the digit's pixels), so both get as much."""
    amount = float(amount)
    if not 0 <= amount <= 2:
        raise InputError("La cantidad de ruido debe estar entre 0 y 2", field="amount", code="out_of_range")
    ae, = _nets("latent_ae")
    x = _digit(sample=sample)
    z = ae.encode(x[None, None])
    rng = np.random.default_rng(int(seed))
    noisy_z = z + F32(amount) * rng.standard_normal(z.shape).astype(F32)
    noisy_x = np.clip(x + F32(amount * x.std()) * rng.standard_normal(x.shape).astype(F32), 0, 1)
    return {"latent": ae.decode(noisy_z)[0, 0], "pixels": noisy_x.astype(F32)}


# ----------------------------------------------------------------------------- text-to-image

def _states(prompts):
    clip, = _nets("clip")
    return clip.token_states(np.array([vocabulary.tokenize(p)["ids"] for p in prompts]))


def t2i_start(prompt: str, guidance: float = 3.0, steps: int = 25, seed: int = 0, *, other: str | None = None,
              image=None, strength: float | None = None, sample: int | None = None) -> dict:
    """Begin a sample: text to image, two prompts from the same noise, or img2img from a drawing
    (or, with ``sample``, from a held-out digit: img2img without a mouse).

    img2img (``strength`` given): the drawing's latent z0 is noised to the step where the last
    round(steps * strength) DDIM steps begin, with the seed's noise; strength 0 runs none
    and the result is the autoencoder's reconstruction of the drawing.
    """
    unet, ae = _nets("latent_unet", "latent_ae")
    guidance, steps, seed = float(guidance), int(steps), int(seed)
    if not 1 <= steps <= 100:
        raise InputError("El número de pasos debe estar entre 1 y 100", field="steps", code="out_of_range")
    if not 0 <= guidance <= 20:
        raise InputError("La escala de guía debe estar entre 0 y 20", field="guidance", code="out_of_range")
    prompts = [str(prompt)] + ([str(other)] if other is not None else [])
    info = [prompt_notes(p) for p in prompts]
    ctx, mask = _states(prompts)
    null, null_mask = _states([""])
    ab = netdemos._get("latent_unet")["sd"]["schedule.alphas_cumprod"]
    shape = (1, unet.latent_channels, unet.latent_size, unet.latent_size)
    noise = np.random.default_rng(seed).standard_normal(shape).astype(F32)
    if strength is None:
        timesteps = nn.ddim_timesteps(len(ab), steps)
        z = noise
        start = None
    else:
        strength = float(strength)
        if not 0 <= strength <= 1:
            raise InputError("La intensidad debe estar entre 0 y 1 (0: el dibujo tal cual; 1: ruido puro)",
                             field="strength", code="out_of_range")
        start = _digit(image, sample)
        z0 = ae.encode(start[None, None])
        timesteps = img2img_timesteps(len(ab), steps, strength)
        z = z0 if not timesteps else (np.sqrt(ab[timesteps[0]]) * z0 + np.sqrt(1 - ab[timesteps[0]]) * noise).astype(F32)
    z = np.repeat(z, len(prompts), axis=0)
    _STATE["sampler"] = s = LatentSampler(unet, ab, ctx, mask, null, null_mask, z_T=z, timesteps=timesteps,
                                          guidance_scale=guidance)
    _STATE["prompt"] = info
    out = {"timesteps": timesteps, "latent": s.z[0], "image": ae.decode(s.z[:1])[0, 0],
           "words": [i["words"] for i in info], "notes": [i["notes"] for i in info], "done": s.done}
    if start is not None:
        out["start"] = start
    if s.done:  # img2img at strength 0: the reconstruction is the result
        out["sample"] = out["image"]
    return out


def t2i_step() -> dict:
    """One DDIM step: the latent, the image decoded from this step's z0 estimate, the words' attention maps.

    ``attention``: for each prompt, (real tokens, 8, 8): how much each latent position reads
    each word, averaged over heads and the two 8x8 transformer blocks; at every position the
    values over the tokens sum to 1.
    """
    s = _STATE["sampler"]
    if s is None or s.done:
        raise InputError("No hay ninguna muestra en curso: pulsa «Generar».", code="no_sample")
    ae, = _nets("latent_ae")
    z, z0 = s.step()
    maps = []
    for k, info in enumerate(_STATE["prompt"]):
        w = (s.weights["attn_down0"][k] + s.weights["attn_up0"][k]).mean(axis=0) / 2  # (64 positions, tokens)
        n_real = len(info["words"]) + 1  # the words and <fin>
        side = int(round(np.sqrt(w.shape[0])))
        maps.append(w[:, :n_real].T.reshape(n_real, side, side).astype(F32))
    images = ae.decode(z0)[:, 0]
    out = {"i": s.i, "t": s.timesteps[s.i - 1], "latent": z[0], "image": images[0], "attention": maps[0],
           "tokens": _STATE["prompt"][0]["words"] + [vocabulary.END], "done": s.done}
    if len(z) > 1:
        out["image_other"], out["attention_other"] = images[1], maps[1]
    if s.done:
        final = ae.decode(z)[:, 0]
        out["sample"] = final[0]
        if len(z) > 1:
            out["sample_other"] = final[1]
    return out
