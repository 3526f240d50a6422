"""The miniature Stable Diffusion's speed: demos.miniature_sd in Pyodide vs native NumPy vs torch CPU.

    PYTHONPATH=.:tests python tests/benchmarks/bench_sd.py [--reps N] [--site DIR] [--no-page]

Timed inside Python (perf_counter, median of N) on the exported weights (clip.npz,
latent_ae.npz, latent_unet.npz), through what the widgets call (demos.sd_demos), in
Debian's Chromium (headless, the page's worker) and natively; the same computation with
the PyTorch twins (lecture_models.models) on the CPU, 1 thread and default threads:
  (a) text to image, «un siete», guidance 3, 25 DDIM steps, the final decode included:
      the widget's Python path (t2i_start + 25 x t2i_step, which also decodes every step's
      z0 estimate and gathers the attention maps) and the bare computation (two token
      states, 25 guided U-Net calls, one decode: what torch's sample_latents + decode do);
      also one guided U-Net call (batch of 2) alone;
  (b) clip_scores of a drawn 280×280 digit against the 10 captions «un cero» … «un nueve»
      (torch: the 28×28 digit, no preprocessing, as bench_nets' LeNet-5);
  (c) one decode of a 4×8×8 latent;
  in the browser also «Generar» in text-to-image until the 25-step sample is drawn.
Targets (for the report, never asserted): (a) ≤ 2 s, (b) ≤ 50 ms, (c) ≤ 20 ms in Pyodide.

Then a profile of each path (one run, self time of each layer function, wrapped in place
in demos.nn, demos.transformer and demos.miniature_sd): which layer dominates.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "docs" / "assets" / "models"
NETS = ("clip", "latent_ae", "latent_unet")
TARGETS = {"t2i_page": 2000, "t2i": 2000, "t2i_core": 2000, "clip10": 50, "decode": 20}

# Runs in both Pythons once the three networks are loaded in demos.netdemos (it is executed
# through demos.usercode.run, compiled under its own file name so that usercode's time-limit
# tracer never traces it); prints one JSON line.
TIMING = r'''
import json, sys, time
sys.settrace(None)  # usercode's time-limit tracer would otherwise see every Python call
import numpy as np
from demos import miniature_sd as msd, netdemos as nd, nn, sd_demos as sdd, transformer as tf, vocabulary

REPS = __REPS__
PROMPT = "un siete"
CAPTIONS = [vocabulary.caption(d) for d in range(10)]
clip, ae, unet = (nd._get(n)["model"] for n in ("clip", "latent_ae", "latent_unet"))
ab = nd._get("latent_unet")["sd"]["schedule.alphas_cumprod"]
canvas = np.kron(nd._get("clip")["sd"]["samples.images"][0], np.ones((10, 10), np.uint8))  # a 280x280 drawing
z1 = np.random.default_rng(1).standard_normal((1, 4, 8, 8)).astype(np.float32)

def median_ms(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]

def t2i():  # the widget's calls
    out = sdd.t2i_start(PROMPT, 3.0, 25, 0)
    while not out["done"]:
        out = sdd.t2i_step()
    return out["sample"]

def t2i_core():  # the computation alone, as torch's sample_latents + decode
    ctx, mask = clip.token_states(msd.token_ids([PROMPT]))
    null, null_mask = clip.token_states(msd.token_ids([""]))
    z = np.random.default_rng(0).standard_normal((1, 4, 8, 8)).astype(np.float32)
    s = msd.LatentSampler(unet, ab, ctx, mask, null, null_mask, z_T=z, timesteps=nn.ddim_timesteps(len(ab), 25),
                          guidance_scale=3.0)
    return ae.decode(s.run())

ctx2 = np.concatenate([clip.token_states(msd.token_ids([PROMPT]))[0], clip.token_states(msd.token_ids([""]))[0]])
mask2 = np.concatenate([clip.token_states(msd.token_ids([PROMPT]))[1], clip.token_states(msd.token_ids([""]))[1]])
z2 = np.concatenate([z1, z1])
PATHS = {
    "t2i": (t2i, 3),
    "t2i_core": (t2i_core, 3),
    "unet_step": (lambda: unet(z2, 500, ctx2, mask2, trace=True), REPS),
    "clip10": (lambda: sdd.clip_scores(CAPTIONS, image=canvas), REPS),
    "decode": (lambda: ae.decode(z1), REPS),
}
times = {k: median_ms(fn, reps) for k, (fn, reps) in PATHS.items()}

# Profile: self time of each layer function (nested calls subtracted), one run of each path.
LAYERS = ("conv2d", "conv_transpose2d", "linear", "dense", "attention", "softmax", "layer_norm", "group_norm", "gelu", "silu",
          "mlp", "upsample_nearest", "timestep_embedding", "preprocess_digit", "ddim_step", "sigmoid")
MODULES = (nn, tf, msd, sdd)
acc, stack = {}, []

def wrap(name, fn):
    def timed(*a, **k):
        stack.append(0.0)
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            dt = time.perf_counter() - t
            inner = stack.pop()
            acc[name] = acc.get(name, 0.0) + dt - inner
            if stack:
                stack[-1] += dt
    return timed

saved = []
for mod in MODULES:
    for name in LAYERS:
        fn = getattr(mod, name, None)
        if callable(fn):
            saved.append((mod, name, fn))
wrapped = {}
for mod, name, fn in saved:
    wrapped.setdefault(id(fn), wrap(name, fn))
    setattr(mod, name, wrapped[id(fn)])
profile = {}
try:
    for k, (fn, _) in PATHS.items():
        acc.clear()
        t = time.perf_counter(); fn(); total = (time.perf_counter() - t) * 1000
        prof = {n: v * 1000 for n, v in acc.items()}
        prof["(rest)"] = total - sum(prof.values())
        profile[k] = {"total": total, "self_ms": prof}
finally:
    for mod, name, fn in saved:
        setattr(mod, name, fn)
print(json.dumps({"times": times, "profile": profile}))
'''


def _timing_code(reps: int) -> str:
    """usercode.run's body: exec the timing code under a file name the time-limit tracer skips."""
    src = TIMING.replace("__REPS__", str(reps))
    return f"ns = {{'__name__': 'bench_sd'}}\nexec(compile({src!r}, '<bench_sd>', 'exec'), ns)\nimg"


def _load_native():
    from demos import netdemos as nd

    for name in NETS:
        nd.load(name, np.frombuffer((MODELS / f"{name}.npz").read_bytes(), np.uint8))


def native(reps: int) -> dict:
    """In a child process with one OpenBLAS thread: Pyodide has one thread, and on a busy machine
    OpenBLAS's threads make a 50x64 @ 64x256 product take 25 ms instead of 0.06 ms."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    res = subprocess.run([sys.executable, __file__, "--native", str(reps)], env=env, capture_output=True, text=True,
                         check=False)
    if res.returncode:
        raise RuntimeError(f"native timing failed:\n{res.stdout}\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _native_here(reps: int) -> None:
    from demos import usercode

    _load_native()
    out = usercode.run(_timing_code(reps), np.zeros((1, 1), np.uint8), time_limit=3600)
    assert "error" not in out, out
    print(out["stdout"].strip().splitlines()[-1])


def torch_numbers(reps: int, threads: int | None) -> dict:
    import torch

    from demos import miniature_sd as msd
    from demos import nn, vocabulary
    from lecture_models.models.autoencoder import latent_autoencoder
    from lecture_models.models.clip import mini_clip
    from lecture_models.models.diffusion import NoiseSchedule
    from lecture_models.models.latent_diffusion import latent_unet, sample_latents

    def load(name, build, keys):
        sd, cfg = nn.load_weights((MODELS / f"{name}.npz").read_bytes(), run="miniature_sd")
        model = build(**{k: cfg[k] for k in keys if k in cfg})
        state = model.state_dict()
        missing = [k for k in state if k not in sd]
        assert not missing, f"{name}.npz lacks {missing[:5]}"
        model.load_state_dict({k: torch.from_numpy(np.asarray(sd[k])).to(v.dtype).reshape(v.shape)
                               for k, v in state.items()})
        return model.eval(), sd, cfg

    old = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)

    def med(fn, n):
        fn()
        ts = []
        for _ in range(n):
            t = time.perf_counter(); fn(); ts.append((time.perf_counter() - t) * 1000)
        return sorted(ts)[len(ts) // 2]

    out = {}
    with torch.no_grad():
        clip, sd, _ = load("clip", mini_clip, ("dim", "image_depth", "text_depth", "heads", "embed_dim"))
        ae, _, _ = load("latent_ae", latent_autoencoder, ("channels", "latent_channels"))
        unet, usd, ucfg = load("latent_unet", latent_unet,
                               ("latent_channels", "base_channels", "context_dim", "heads", "latent_size"))
        schedule = NoiseSchedule(int(ucfg["T"]))
        schedule.alphas_cumprod = torch.from_numpy(np.asarray(usd["schedule.alphas_cumprod"], np.float32))
        ids = torch.tensor(msd.token_ids([vocabulary.caption(d) for d in range(10)]))
        x = torch.from_numpy(sd["samples.images"][:1, None] / np.float32(255))

        def scores():
            scale = clip.logit_scale.clamp(max=np.log(100)).exp()
            return (scale * clip.encode_image(x) @ clip.encode_text(ids).T).softmax(-1)

        out["clip10"] = med(scores, reps)
        z1 = torch.from_numpy(np.random.default_rng(1).standard_normal((1, 4, 8, 8)).astype(np.float32))
        out["decode"] = med(lambda: ae.decode(z1), reps)
        prompt, empty = torch.tensor(msd.token_ids(["un siete"])), torch.tensor(msd.token_ids([""]))

        def t2i():
            ctx, mask = clip.text.token_states(prompt)
            null, null_mask = clip.text.token_states(empty)
            z = sample_latents(unet, schedule, ctx, mask, null, null_mask, guidance_scale=3.0, steps=25,
                               z_T=torch.from_numpy(np.random.default_rng(0).standard_normal((1, 4, 8, 8)).astype(np.float32)))
            return ae.decode(z)

        out["t2i_core"] = out["t2i"] = out["t2i_page"] = med(t2i, 3)
        ctx, mask = clip.text.token_states(torch.cat([prompt, empty]))
        out["unet_step"] = med(lambda: unet(torch.cat([z1, z1]), 500, ctx, mask, return_weights=True), reps)
    torch.set_num_threads(old)
    return out


def _progress(what: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def browser_numbers(url: str, reps: int, page_path: bool = True) -> dict:
    from conftest import CHROMIUM, CHROMIUM_ARGS, RUNTIME_MODULE
    from playwright.sync_api import sync_playwright

    t2i = '[data-demo="text-to-image"]'
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "lectures/09-transformers/")
        page.eval_on_selector(t2i, "el => el.scrollIntoView({block: 'center'})")  # Python starts near a demo
        page.wait_for_function("s => document.querySelector(s).dataset.ready === 'true'", arg=t2i, timeout=240_000)
        _progress("text-to-image ready")
        rt = f"(await {RUNTIME_MODULE})"
        for name in NETS:  # the widget loaded them already; again, so that the timing code's are these files
            page.evaluate(f"""async ([name, url]) => {{
                const {{getRuntime, ndarray}} = {rt};
                const buf = new Uint8Array(await (await fetch(url)).arrayBuffer());
                await getRuntime().call("demos.netdemos", "load", [name, ndarray(buf, [buf.length]), null]);
            }}""", [name, url + f"assets/models/{name}.npz"])
        inside = page.evaluate(f"""async (code) => {{
            const {{getRuntime, ndarray}} = {rt};
            let out;
            for (let i = 0; i < 2; i++) {{  // the second run: Chromium's optimised WebAssembly
                out = await getRuntime().call("demos.usercode", "run", [code, ndarray(new Uint8Array(1), [1, 1])],
                                              {{time_limit: 3600}});
                if (out.error) throw new Error(out.error.traceback || out.error.message);
            }}
            return JSON.parse(out.stdout.trim().split("\\n").pop());
        }}""", _timing_code(reps))
        _progress("timings inside Pyodide done")
        sample_page = []
        for _ in range(3 if page_path else 0):  # after the timings above: the worker's WebAssembly is optimised by now
            sample_page.append(page.evaluate("""async (sel) => {
                const el = document.querySelector(sel), t = performance.now();
                [...el.querySelectorAll('button')].find((b) => b.textContent === 'Generar').click();
                await new Promise((resolve, reject) => {
                    setTimeout(() => reject(new Error('text-to-image: no sample within 180 s')), 180_000);
                    const obs = new MutationObserver(() => {
                        if (['done', 'error'].includes(el.dataset.state)) { obs.disconnect(); resolve(); }
                    });
                    obs.observe(el, {attributes: true, attributeFilter: ['data-state']});
                });
                if (el.dataset.state !== 'done') throw new Error('the sample failed');
                return performance.now() - t;
            }""", t2i))
        _progress("«Generar» measured")
        browser.close()
    return {"inside": inside, "sample_page": min(sample_page) if sample_page else None}


def _ratio(a: float, b: float) -> str:
    r = a / b
    return f"{r:6.0f}" if r >= 10 else f"{r:6.1f}" if r >= 0.1 else f"{r:6.2f}"


def _profile_table(label: str, prof: dict) -> None:
    print(f"\nProfile, {label}: self time of each layer function, one run, ms (share of the total)")
    paths = [("t2i", "text to image, widget path"), ("t2i_core", "text to image, bare"),
             ("unet_step", "one guided U-Net call"), ("clip10", "clip_scores, 10 captions"), ("decode", "one decode")]
    for key, name in paths:
        p = prof[key]
        parts = sorted(p["self_ms"].items(), key=lambda kv: -kv[1])
        shown = ", ".join(f"{n} {ms:.1f} ({100 * ms / p['total']:.0f}%)" for n, ms in parts if ms >= 0.02 * p["total"])
        print(f"  {name:28s}{p['total']:9.1f}: {shown}")


def main() -> None:
    from conftest import SiteServer, site_or_build

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--site", type=Path, help="an already built site")
    parser.add_argument("--no-page", action="store_true", help="skip the «Generar» click in the page")
    parser.add_argument("--native", type=int, metavar="REPS", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.native:
        _native_here(args.native)
        return
    missing = [n for n in NETS if not (MODELS / f"{n}.npz").exists()]
    if missing:
        print(f"bench_sd: no weights for {', '.join(missing)} in {MODELS}; make figures ARGS='--only miniature_sd'")
        return
    site = site_or_build(args.site)
    srv = SiteServer(site)
    try:
        b = browser_numbers(srv.url, args.reps, not args.no_page)
    finally:
        srv.close()
    n = native(args.reps)
    t1 = torch_numbers(args.reps, 1)
    tn = torch_numbers(args.reps, None)
    i, nt = b["inside"]["times"], n["times"]
    nt["t2i_page"] = nt["t2i"]
    rows = [("(a) «Generar» -> 25-step sample drawn (page)", b["sample_page"], "t2i_page", 2000),
            ("(a) t2i_start + 25 t2i_step (widget Python)", i["t2i"], "t2i", 2000),
            ("    bare: 25 guided steps + one decode", i["t2i_core"], "t2i_core", 2000),
            ("    one guided U-Net call (batch of 2)", i["unet_step"], "unet_step", None),
            ("(b) clip_scores, 280×280 drawing, 10 captions", i["clip10"], "clip10", 50),
            ("(c) one decode of a 4×8×8 latent", i["decode"], "decode", 20)]
    print(f"\nMiniature Stable Diffusion on the exported weights, median of {args.reps} (3 for a sample), ms "
          "(ratios: Pyodide time / the other's time)")
    print(f"{'':50s}{'Pyodide':>9s}{'target':>8s}{'':6s}{'NumPy':>8s}{'×':>6s}{'torch1':>9s}{'×':>6s}{'torch':>10s}{'×':>6s}")
    for label, ms, k, target in rows:
        if ms is None:
            continue
        verdict = "" if target is None else ("ok" if ms <= target else "OVER")
        tgt = "" if target is None else str(target)
        print(f"{label:50s}{ms:9.1f}{tgt:>8s}{verdict:>6s}{nt[k]:8.1f}{_ratio(ms, nt[k])}{t1[k]:9.2f}{_ratio(ms, t1[k])}"
              f"{tn[k]:10.2f}{_ratio(ms, tn[k])}")
    print("torch's (a) is sample_latents + decode for every (a) row; its (b) skips the 280×280 preprocessing.")
    _profile_table("Pyodide", b["inside"]["profile"])
    _profile_table("native NumPy", n["profile"])
    print(f"\nMachine: {os.cpu_count()} CPUs (shared: other work may run), NumPy {np.__version__} native, "
          f"(1 OpenBLAS thread), torch {__import__('torch').__version__} CPU; torch1 = 1 thread, torch = its default threads (on a busy 2-CPU machine they fight the other work: "
          "read that column with care). Pyodide 0.27.7 (NumPy 2.0.2, no BLAS) "
          "in Debian's Chromium, headless.")


if __name__ == "__main__":
    main()
