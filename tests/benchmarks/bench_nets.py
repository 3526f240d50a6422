"""The trained-network widgets' speed: demos.nn in Pyodide vs native NumPy vs torch CPU.

    PYTHONPATH=.:tests python tests/benchmarks/bench_nets.py [--reps N] [--site DIR]

Timed inside Python (perf_counter, median of N) on the exported weights
(docs/assets/models/*.npz), in Debian's Chromium (headless, the page's worker) and natively,
and the same networks in PyTorch on the CPU (1 thread and default threads):
  * LeNet-5: preprocessing of a 280×280 canvas + forward with every activation;
  * occlusion map (8×8 grey patch, stride 2: 121 images in one batch);
  * one diffusion step with guidance (batch of 2) and a 25-step DDIM sample;
  * U-Net on one 64×64 scene;
  * in the browser also the worker round trip of digit_predict (canvas sent, maps back).
Targets (for the report, never asserted): LeNet forward + redraw ≤ 50 ms, occlusion ≤ 1 s,
diffusion step ≤ 100 ms, 25-step sample ≤ 3 s, U-Net 64×64 ≤ 500 ms (in Pyodide).
"""

from __future__ import annotations

import argparse
import json
import os
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
        _, _, cfg = nn.load_weights((MODELS / "diffusion.npz").read_bytes(), run="diffusion")
        kw = {k: cfg[k] for k in ("in_channels", "image_size", "base_channels", "num_classes", "attention")}
        dm, _, _ = load("diffusion", tdiff.diffusion_unet(channel_mults=tuple(cfg["channel_mults"]), **kw))
        schedule = tdiff.NoiseSchedule(cfg["T"])
        xt, y = torch.randn(1, 1, 28, 28), torch.tensor([7])
        out["diffusion_step"] = med(lambda: tdiff._guided_eps(dm, xt, torch.tensor(999), y, 3.0), reps)
        out["sample25"] = med(lambda: tdiff.sample(dm, schedule, y, guidance_scale=3.0, steps=25), 3)
        _, _, cfg = nn.load_weights((MODELS / "unet.npz").read_bytes(), run="unet")
        kw = {k: cfg[k] for k in ("in_channels", "num_classes", "depth", "base_channels", "batch_norm", "bilinear")}
        un, sd, _ = load("unet", unet(**kw))
        s = torch.from_numpy(sd["scenes.images"][:1, None] / np.float32(255))
        out["unet"] = med(lambda: un(s), reps)
    torch.set_num_threads(old)
    return out


def browser_numbers(url: str, reps: int) -> dict:
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        # The runtime: the classic global, or the ES module's named exports (contract 3).
        page.evaluate("""async () => {
            if (window.CourseRuntime) { window.__nets = {rt: CourseRuntime.get(), nd: CourseRuntime.ndarray}; return; }
            const m = await import(new URL("assets/js/pyodide-runtime.js", document.baseURI).href);
            window.__nets = {rt: m.getRuntime(), nd: m.ndarray};
        }""")
        rt, nd = "window.__nets.rt", "window.__nets.nd"
        for name in NETS:
            page.evaluate(f"""async ([name, url]) => {{
                const buf = new Uint8Array(await (await fetch(url)).arrayBuffer());
                await {rt}.call("demos.netdemos", "load", [name, {nd}(buf, [buf.length]), null]);
            }}""", [name, url + f"assets/models/{name}.npz"])
        code = TIMING.replace("REPS", str(reps))
        inside = page.evaluate(f"""async (code) => {{
            let out;
            for (let i = 0; i < 2; i++) {{  // the second run: Chromium's optimised WebAssembly
                out = await {rt}.call("demos.usercode", "run", [code, {nd}(new Uint8Array(1), [1, 1])]);
                if (out.error) throw new Error(out.error.traceback || out.error.message);
            }}
            return JSON.parse(out.stdout.trim().split("\\n").pop());
        }}""", code)
        trip = page.evaluate(f"""async (reps) => {{
            const c = new Uint8Array(280 * 280);
            for (let i = 60; i < 220; i++) for (let j = 130; j < 150; j++) c[i * 280 + j] = 255;
            const rec = {nd}(c, [280, 280]);
            const times = [];
            for (let i = 0; i <= reps; i++) {{
                const t = performance.now();
                await {rt}.call("demos.netdemos", "digit_predict", [rec]);
                if (i) times.push(performance.now() - t);
            }}
            times.sort((a, b) => a - b);
            return times[times.length >> 1];
        }}""", reps)
        browser.close()
    return {"inside": inside, "trip": trip}


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
    targets = {"lenet": 50, "occlusion": 1000, "diffusion_step": 100, "sample25": 3000, "unet": 500}
    labels = {"lenet": "LeNet-5: preprocess + forward", "occlusion": "occlusion map (121 images)",
              "diffusion_step": "diffusion step (guided, 2×)", "sample25": "25-step DDIM sample",
              "unet": "U-Net 64×64"}
    print(f"\nTrained networks on the exported weights, median of {args.reps}, ms")
    print(f"{'':32s}{'Pyodide':>10s}{'NumPy':>9s}{'ratio':>7s}{'torch1':>9s}{'torch':>9s}{'target':>8s}")
    for k, label in labels.items():
        print(f"{label:32s}{i[k]:10.1f}{n[k]:9.1f}{i[k] / n[k]:7.2f}{t1[k]:9.2f}{tn[k]:9.2f}{targets[k]:8d}"
              f"{'  ok' if i[k] <= targets[k] else '  OVER'}")
    print(f"{'digit_predict round trip (page)':32s}{b['trip']:10.1f}")
    print(f"\nMachine: {os.cpu_count()} CPUs, NumPy {np.__version__} native; torch1 = 1 thread.")


if __name__ == "__main__":
    main()
