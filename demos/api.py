"""The browser API: every Python function the page may call, with its arguments and result.

Why: the page names Python functions by string (``rt.call("demos.imageops", "conv2d", ...)``),
so this table is the contract between the two languages. ``demos.bridge.call`` refuses any
name that is not listed here (code ``not_in_api``), private helpers included, and
``tests/test_api.py`` resolves every name the JavaScript calls against it and checks that
the declared parameters are the function's own.

Shapes: ``f4[H,W]`` is a float32 array of shape (H, W) (``f`` any float, ``u1`` uint8,
``i4`` int32); arrays travel as typed arrays with their dtype (``demos.bridge``). A result
``{a, b}`` is a dict with those keys. Every call may instead fail with the error record of
``demos.errors``.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from demos.errors import InputError



def fn(returns: str, **args: str) -> dict[str, Any]:
    return {"args": args, "returns": returns}


API: dict[str, dict[str, dict[str, Any]]] = {
    "demos.imageops": {
        "conv2d": fn("f8[H',W']", x="f[H,W]", k="f[kh,kw]", stride="int", padding="int", dilation="int"),
        "max_pool2d": fn("f8[H',W']", x="f[H,W]", size="int", stride="int | None"),
        "avg_pool2d": fn("f8[H',W']", x="f[H,W]", size="int", stride="int | None"),
        "output_size": fn("int", n="int", k="int", stride="int", padding="int", dilation="int"),
    },
    "demos.samples": {
        "prepare_photo": fn("{image f[h,w], downscaled, original [H,W], ...}", rgba="u1[H,W,4]", max_side="int"),
        "kernel_cells": fn("list[list[str]] (the kernel's cells as typed)", text="str", max_size="int"),
        "kernel_presets": fn("list[{name, kernel}]"),
        "conv_preview": fn("{image, shape, min, max, kernel}", img="f[H,W]", kernel="f[k,k] | list",
                           stride="int", padding="int", dilation="int", symmetric="bool"),
        "pool_preview": fn("{image, shape, min, max}", img="f[H,W]", mode="'max' | 'avg'", size="int",
                           stride="int | None"),
        "conv_steps": fn("{padded, kernel, output, ...}", x="f[H,W]", kernel="f[k,k]", stride="int",
                         padding="int", dilation="int"),
        "transpose_steps": fn("{output, contributions, ...}", x="f[H,W]", kernel="f[k,k]", stride="int",
                              padding="int"),
        "check_answer": fn("{correct, output, ...}", question="str", answer="str"),
    },
    "demos.optim": {
        "surface_grid": fn("{z f4[n,n], extent}", surface="str", n="int"),
        "trajectories": fn("{method: {path, loss, diverged, ...}}", surface="str", start="[x, y]", lr="float",
                           steps="int", methods="list[str]"),
    },
    "demos.usercode": {
        "run": fn("{status, stdout, image, ... | error record fields}", code="str", img="f[H,W] | None",
                  time_limit="float"),
    },
    "demos.grader": {
        "run": fn("{status: 'ran', outputs, ...}", code="str", spec="exercise spec (JSON)"),
        "check": fn("{status: 'passed' | 'failed' | 'error', message, line, ...}", code="str",
                    spec="exercise spec (JSON)"),
    },
    "demos.netdemos": {
        "load": fn("{name, config, samples?, scenes?, ...} (the widget's summary)", name="str",
                   data="u1[n] (the .npz bytes)", sha256="str | None"),
        "digit_predict": fn("{empty, prediction, confidence, probabilities, logits, message, stages, maps}",
                            canvas="f[H,W] | None", digit="f4[28,28] | None"),
        "digit_kernel": fn("{kernel, ...}", layer="'c1' | 'c3'", out_map="int", row="int", col="int"),
        "digit_edit": fn("digit_predict's result", layer="str", out_map="int", in_map="int", values="list[float]"),
        "digit_zero": fn("digit_predict's result", layer="str", out_map="int"),
        "digit_switch": fn("digit_predict's result", layer="str", out_map="int", on="bool"),
        "digit_reset": fn("digit_predict's result"),
        "digit_occlusion": fn("{drop f4[n,n], class, patch, stride, base}", patch="int", stride="int",
                              value="float"),
        "unet_scene": fn("{image f4[64,64], mask, index}", index="int"),
        "unet_segment": fn("{classes, probabilities, dice?}", image="f4[64,64]", mask="u1[64,64] | None"),
        "diffusion_start": fn("{x f4[28,28], steps, ...}", label="int | None", guidance="float", steps="int",
                              seed="int", compare="bool", other="int | None"),
        "diffusion_step": fn("{x, x0, t, done, ...}"),
        "diffusion_attention": fn("{map f4[s,s], cell [r,c], t}", row="int", col="int"),
    },
    "demos.sd_demos": {
        "prompt_notes": fn("{tokens, ids, notes, vocabulary}", text="str"),
        "clip_scores": fn("{digit, cosine f4[n], probs f4[n], captions, ...}", captions="list[str]",
                          image="f4[28,28] | None", sample="int | None"),
        "clip_attention": fn("{map f4[s,s], to_itself}", layer="int", head="int"),
        "clip_matrix": fn("{images, captions, logits f4[n,n], ...}", count="int"),
        "latent_view": fn("{digit, latent f4[c,h,w], decoded f4[28,28]}", image="f4[28,28] | None",
                          sample="int | None"),
        "latent_interpolate": fn("{latent, pixels}", a="int", b="int", count="int"),
        "latent_noise": fn("{latent, pixels}", sample="int", amount="float", seed="int"),
        "t2i_start": fn("{latent, steps, tokens, ...}", prompt="str", guidance="float", steps="int", seed="int",
                        other="str | None", image="f4[28,28] | None", strength="float | None",
                        sample="int | None"),
        "t2i_step": fn("{latent, decoded, attention, t, done, ...}"),
    },
}


def resolve(module: str, func: str) -> Callable[..., Any]:
    """The function behind a declared name; anything else is refused (code ``not_in_api``)."""
    declared = API.get(module, {})
    if func not in declared:
        raise InputError(f"La página pidió «{module}.{func}», que no es parte de la API de las demos "
                         f"(demos/api.py).", code="not_in_api")
    return getattr(importlib.import_module(module), func)
