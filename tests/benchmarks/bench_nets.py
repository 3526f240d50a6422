"""The trained-network widgets' speed: demos.nn in Pyodide vs native NumPy vs torch CPU.

    PYTHONPATH=.:tests python tests/benchmarks/bench_nets.py [--reps N] [--site DIR]

Timed inside Python (perf_counter, median of N) on the exported weights
(docs/assets/models/*.npz), in Debian's Chromium (headless, the page's worker) and natively,
and the same networks in PyTorch on the CPU (1 thread and default threads):
  * LeNet-5: preprocessing of a 280×280 canvas + forward with every activation;
  * occlusion map (8×8 grey patch, stride 2: 121 images in one batch);
  * one diffusion step with guidance (batch of 2) and a 25-step DDIM sample;
  * U-Net on one 64×64 scene;
  * in the browser also the worker round trip of digit_predict (canvas sent, maps back), and
    the widgets' own paths: a held-out digit clicked in digit-explorer until every map is
    drawn (the «forward plus redraw» target), and «Generar» in diffusion-sampler until a
    25-step sample is done (every step drawn).
Targets (for the report, never asserted): LeNet forward + redraw ≤ 50 ms, occlusion ≤ 1 s,
diffusion step ≤ 100 ms, 25-step sample ≤ 3 s, U-Net 64×64 ≤ 500 ms (in Pyodide).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]

MODELS = ROOT / "docs" / "assets" / "models"
NETS = ("lenet", "unet", "diffusion")

# Runs in both Pythons once the three networks are loaded in demos.netdemos; prints one JSON line.
TIMING = r'''
import json, time
import numpy as np
from demos import netdemos as nd

def median_ms(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]

img = nd._NETS["lenet"]["sd"]["samples.images"][0]
canvas = np.kron(img, np.ones((10, 10), np.uint8))
nd.digit_reset()
nd.digit_predict(canvas)
scene = nd.unet_scene(0)
def sample():
    nd.diffusion_start(7, 3.0, 25, 0)
    for _ in range(25):
        nd.diffusion_step()
def step():
    nd.diffusion_start(7, 3.0, 25, 0)
    t = time.perf_counter(); nd.diffusion_step(); return (time.perf_counter() - t) * 1000
steps = sorted(step() for _ in range(REPS))
print(json.dumps({
    "lenet": median_ms(lambda: nd.digit_predict(canvas), REPS),
    "occlusion": median_ms(lambda: nd.digit_occlusion(8, 2), max(3, REPS // 5)),
    "diffusion_step": steps[len(steps) // 2],
    "sample25": median_ms(sample, 3),
    "unet": median_ms(lambda: nd.unet_segment(scene["image"]), max(3, REPS // 3)),
}))
return img
'''


def native(reps: int) -> dict:
    from demos import netdemos as nd
    from demos import usercode

    for name in NETS:
        nd.load(name, np.frombuffer((MODELS / f"{name}.npz").read_bytes(), np.uint8))
    out = usercode.run(TIMING.replace("REPS", str(reps)), np.zeros((1, 1), np.uint8))
    assert "error" not in out, out
    return json.loads(out["stdout"].strip().splitlines()[-1])


def torch_numbers(reps: int, threads: int | None) -> dict:
    import torch

    from demos import nn
    from lecture_models.models import diffusion as tdiff
    from lecture_models.models import lenet5, unet

    def config(name):
        return nn.load_weights((MODELS / f"{name}.npz").read_bytes(), run=name)[1]

    old = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)

    def med(fn, n):
        fn()
        ts = []
        for _ in range(n):
            t = time.perf_counter(); fn(); ts.append((time.perf_counter() - t) * 1000)
        return sorted(ts)[len(ts) // 2]

    def load(name, model):
        sd, cfg = nn.load_weights((MODELS / f"{name}.npz").read_bytes(), run=name)
        model.load_state_dict({k: torch.from_numpy(sd[k]) if k in sd else v for k, v in model.state_dict().items()})
        return model.eval(), sd, cfg

    out = {}
    with torch.no_grad():
        le, sd, _ = load("lenet", lenet5())
        x = torch.from_numpy(sd["samples.images"][:1, None] / np.float32(255))
        out["lenet"] = med(lambda: le(x), reps)
        out["occlusion"] = med(lambda: le(x.expand(121, 1, 28, 28).contiguous()), reps)
        cfg = config("diffusion")
        kw = {k: cfg[k] for k in ("in_channels", "image_size", "base_channels", "num_classes", "attention")}
        dm, _, _ = load("diffusion", tdiff.diffusion_unet(channel_mults=tuple(cfg["channel_mults"]), **kw))
        schedule = tdiff.NoiseSchedule(cfg["T"])
        xt, y = torch.randn(1, 1, 28, 28), torch.tensor([7])
        out["diffusion_step"] = med(lambda: tdiff._guided_eps(dm, xt, torch.tensor(999), y, 3.0), reps)
        out["sample25"] = med(lambda: tdiff.sample(dm, schedule, y, guidance_scale=3.0, steps=25), 3)
        cfg = config("unet")
        kw = {k: cfg[k] for k in ("in_channels", "num_classes", "depth", "base_channels", "batch_norm", "bilinear")}
        un, sd, _ = load("unet", unet(**kw))
        s = torch.from_numpy(sd["scenes.images"][:1, None] / np.float32(255))
        out["unet"] = med(lambda: un(s), reps)
    torch.set_num_threads(old)
    return out


def _progress(what: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def _page_ready(page, sel):
    page.eval_on_selector(sel, "el => el.scrollIntoView({block: 'center'})")  # Python starts near a demo
    page.wait_for_function("s => document.querySelector(s).dataset.ready === 'true'", arg=sel, timeout=180_000)


def browser_numbers(url: str, reps: int) -> dict:
    from conftest import CHROMIUM, CHROMIUM_ARGS, RUNTIME_MODULE
    from playwright.sync_api import sync_playwright

    digits, sampler = '[data-demo="digit-explorer"]', '[data-demo="diffusion-sampler"]'
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "lectures/03-clasificacion/")
        _page_ready(page, digits)
        # The widget's own path: a held-out digit clicked -> canvas read, sent to the worker,
        # LeNet-5 with every activation, probabilities and all feature maps drawn, next frame.
        redraw = page.evaluate("""async ([sel, reps]) => {
            const el = document.querySelector(sel), samples = el.querySelectorAll('.cw-sample');
            // The widget sets data-logits in the same synchronous pass that draws the bars and maps.
            const drawn = () => new Promise((resolve, reject) => {
                setTimeout(() => reject(new Error('digit-explorer: no redraw within 60 s')), 60_000);
                const before = el.dataset.logits;
                const obs = new MutationObserver(() => {
                    if (el.dataset.logits && el.dataset.logits !== before) { obs.disconnect(); resolve(); }
                });
                obs.observe(el, {attributes: true, attributeFilter: ['data-logits']});
            });
            const times = [];
            for (let i = 0; i <= reps; i++) {
                const t = performance.now(), done = drawn();
                samples[i % samples.length].click();
                await done;
                await new Promise((r) => requestAnimationFrame(() => r()));
                if (i) times.push(performance.now() - t);
            }
            times.sort((a, b) => a - b);
            return times[times.length >> 1];
        }""", [digits, reps])
        _progress("digit-explorer redraw measured")
        rt = f"(await {RUNTIME_MODULE})"
        for name in NETS:
            page.evaluate(f"""async ([name, url]) => {{
                const {{getRuntime, ndarray}} = {rt};
                const buf = new Uint8Array(await (await fetch(url)).arrayBuffer());
                await getRuntime().call("demos.netdemos", "load", [name, ndarray(buf, [buf.length]), null]);
            }}""", [name, url + f"assets/models/{name}.npz"])
        _progress("networks loaded in the worker")
        code = TIMING.replace("REPS", str(reps))
        inside = page.evaluate(f"""async (code) => {{
            const {{getRuntime, ndarray}} = {rt};
            let out;
            for (let i = 0; i < 2; i++) {{  // the second run: Chromium's optimised WebAssembly
                out = await getRuntime().call("demos.usercode", "run", [code, ndarray(new Uint8Array(1), [1, 1])]);
                if (out.error) throw new Error(out.error.traceback || out.error.message);
            }}
            return JSON.parse(out.stdout.trim().split("\\n").pop());
        }}""", code)
        _progress("timings inside Pyodide done")
        trip = page.evaluate(f"""async (reps) => {{
            const {{getRuntime, ndarray}} = {rt};
            const c = new Uint8Array(280 * 280);
            for (let i = 60; i < 220; i++) for (let j = 130; j < 150; j++) c[i * 280 + j] = 255;
            const rec = ndarray(c, [280, 280]);
            const times = [];
            for (let i = 0; i <= reps; i++) {{
                const t = performance.now();
                await getRuntime().call("demos.netdemos", "digit_predict", [rec]);
                if (i) times.push(performance.now() - t);
            }}
            times.sort((a, b) => a - b);
            return times[times.length >> 1];
        }}""", reps)
        _progress("round trip measured")
        # The sampler's own path: «Generar» -> 25 steps, each x_t and x0 drawn -> done.
        page.goto(url + "lectures/08-difusion/")
        _page_ready(page, sampler)
        page.fill(f"{sampler} input[aria-label='Pasos DDIM']", "25")
        sample_page = []
        for _ in range(3):  # the fastest: a new page's worker starts on unoptimised WebAssembly
            sample_page.append(page.evaluate("""async (sel) => {
                const el = document.querySelector(sel), t = performance.now();
                [...el.querySelectorAll('button')].find((b) => b.textContent === 'Generar').click();
                await new Promise((resolve, reject) => {
                    setTimeout(() => reject(new Error('diffusion-sampler: no sample within 120 s')), 120_000);
                    const obs = new MutationObserver(() => {
                        if (['done', 'error'].includes(el.dataset.state)) { obs.disconnect(); resolve(); }
                    });
                    obs.observe(el, {attributes: true, attributeFilter: ['data-state']});
                });
                if (el.dataset.state !== 'done') throw new Error('the sample failed');
                return performance.now() - t;
            }""", sampler))
        browser.close()
    return {"inside": inside, "trip": trip, "redraw": redraw, "sample_page": min(sample_page)}


def _ratio(a: float, b: float) -> str:
    r = a / b
    return f"{r:6.0f}" if r >= 10 else f"{r:6.1f}" if r >= 0.1 else f"{r:6.2f}"


def main() -> None:
    from conftest import SiteServer, site_or_build

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--site", type=Path, help="an already built site")
    args = parser.parse_args()
    site = site_or_build(args.site)
    srv = SiteServer(site)
    try:
        b = browser_numbers(srv.url, args.reps)
    finally:
        srv.close()
    n = native(args.reps)
    t1 = torch_numbers(args.reps, 1)
    tn = torch_numbers(args.reps, None)
    i = b["inside"]
    # (label, Pyodide ms, key of the same computation natively and in torch, target ms)
    rows = [("LeNet-5 click -> forward + all maps drawn (page)", b["redraw"], "lenet", 50),
            ("  of which: preprocess + forward (Python)", i["lenet"], "lenet", None),
            ("  digit_predict worker round trip", b["trip"], "lenet", None),
            ("occlusion map (121 images, one batch)", i["occlusion"], "occlusion", 1000),
            ("diffusion step (guided: batch of 2)", i["diffusion_step"], "diffusion_step", 100),
            ("25-step DDIM sample (Python)", i["sample25"], "sample25", 3000),
            ("25-step sample, «Generar» -> done (page)", b["sample_page"], "sample25", 3000),
            ("U-Net on a 64×64 scene", i["unet"], "unet", 500)]
    print(f"\nTrained networks on the exported weights, median of {args.reps}, ms "
          "(ratios: Pyodide time / native time)")
    print(f"{'':50s}{'Pyodide':>9s}{'target':>8s}{'':6s}{'NumPy':>8s}{'×':>6s}{'torch1':>9s}{'×':>6s}{'torch':>10s}{'×':>6s}")
    for label, ms, k, target in rows:
        verdict = "" if target is None else ("ok" if ms <= target else "OVER")
        tgt = "" if target is None else str(target)
        print(f"{label:50s}{ms:9.1f}{tgt:>8s}{verdict:>6s}{n[k]:8.1f}{_ratio(ms, n[k])}{t1[k]:9.2f}{_ratio(ms, t1[k])}"
              f"{tn[k]:10.2f}{_ratio(ms, tn[k])}")
    print(f"\nMachine: {os.cpu_count()} CPUs (shared: other work may run), NumPy {np.__version__} native, "
          f"torch {__import__('torch').__version__} CPU; torch1 = 1 thread. Pyodide 0.27.7 (NumPy 2.0.2, no BLAS) "
          "in Debian's Chromium, headless.")


if __name__ == "__main__":
    main()
