"""Live demos' speed: NumPy in Pyodide vs native NumPy, and slider-to-canvas latency.

    PYTHONPATH=.:tests python tests/benchmarks/bench_demos.py [--reps N] [--site DIR]

Measures, on this machine, in Debian's Chromium (headless) and natively:
  * a 3×3 convolution of a 512×512 image with demos.imageops.conv2d (float32 and
    float64), timed inside Python (perf_counter, median of N): Pyodide vs native, ratio;
  * the same through the page's worker (rt.call round trip, image sent and returned);
  * the same tap loop writing each product into one preallocated buffer (a proposal
    for imageops.conv2d: fresh large temporaries are slow in WebAssembly);
  * a naive pure-Python double loop for the same convolution (Pyodide and native),
    to show what NumPy's strided slices buy;
  * conv-explorer: time from a slider change (an `input` event) to the output canvas
    drawn, and to the next animation frame, on the gray and the colour 256-px samples.
Targets (for the report, never asserted): ≤ 16 ms per update, Pyodide ≤ 2× native.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np


from conftest import CHROMIUM, CHROMIUM_ARGS, RUNTIME_MODULE, SiteServer, site_or_build
from demos import imageops as ops

# Runs in both Pythons: times conv2d and a naive loop; prints one JSON line.
TIMING = r'''
import json, time
import numpy as np
from demos import imageops as ops

def naive(x, k):
    h, w = len(x) - 2, len(x[0]) - 2
    out = [[0.0] * w for _ in range(h)]
    for i in range(h):
        for j in range(w):
            s = 0.0
            for a in range(3):
                row = x[i + a]
                for b in range(3):
                    s += row[j + b] * k[a][b]
            out[i][j] = s
    return out

def scratch(x, k):
    """conv2d's tap loop with one preallocated product buffer (a proposal, for comparison):
    WebAssembly's allocator makes each fresh temporary of a large array costly."""
    oh, ow = x.shape[0] - 2, x.shape[1] - 2
    k = k.astype(x.dtype)
    out = k[0, 0] * x[:oh, :ow]
    tmp = np.empty_like(out)
    for a in range(3):
        for b in range(3):
            if a or b:
                np.multiply(x[a:a + oh, b:b + ow], k[a, b], out=tmp)
                out += tmp
    return out

def median_ms(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]

rng = np.random.default_rng(0)
x64 = rng.random((512, 512)); x32 = x64.astype(np.float32)
k = ops.KERNELS["sobel_x"]
xl, kl = x64.tolist(), k.tolist()
print(json.dumps({
    "conv_f32": median_ms(lambda: ops.conv2d(x32, k), REPS),
    "conv_f64": median_ms(lambda: ops.conv2d(x64, k), REPS),
    "scratch_f32": median_ms(lambda: scratch(x32, k), REPS),
    "scratch_f64": median_ms(lambda: scratch(x64, k), REPS),
    "naive": median_ms(lambda: naive(xl, kl), 1),
}))
return img
'''


def native(reps: int) -> dict:
    from demos import usercode

    out = usercode.run(TIMING.replace("REPS", str(reps)), np.zeros((1, 1), np.uint8))
    assert "error" not in out, out
    return json.loads(out["stdout"].strip().splitlines()[-1])


def browser_numbers(url: str, reps: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "demos/")
        page.eval_on_selector("[data-demo=conv-explorer]", "el => el.scrollIntoView()")  # Python starts near a demo
        page.wait_for_function(
            "() => { const el = document.querySelector('[data-demo=conv-explorer]');"
            " return el.dataset.outputShape && el.dataset.done === el.dataset.requested; }", timeout=180_000)
        code = TIMING.replace("REPS", str(reps))
        # Twice, keeping the second: Chromium first runs WebAssembly through its baseline
        # compiler and swaps in optimised code a little later.
        inside = page.evaluate(f"""async (code) => {{
            const {{getRuntime, ndarray}} = await {RUNTIME_MODULE}, rt = getRuntime();
            let out;
            for (let i = 0; i < 2; i++) {{
                out = await rt.call("demos.usercode", "run",
                    [code, ndarray(new Uint8Array(1), [1, 1])]);
                if (out.error) throw new Error(out.error.traceback || out.error.message);
            }}
            return JSON.parse(out.stdout.trim().split("\\n").pop());
        }}""", code)
        # Round trip through the worker: a 512×512 float32 image there and back.
        trip = page.evaluate(f"""async (reps) => {{
            const {{getRuntime, ndarray}} = await {RUNTIME_MODULE}, rt = getRuntime();
            const x = new Float32Array(512 * 512).map(() => Math.random());
            const k = ndarray(Float64Array.from([-1, 0, 1, -2, 0, 2, -1, 0, 1]), [3, 3]);
            const img = ndarray(x, [512, 512]);
            const times = [];
            for (let i = 0; i <= reps; i++) {{
                const t = performance.now();
                await rt.call("demos.imageops", "conv2d", [img, k]);
                if (i) times.push(performance.now() - t);
            }}
            times.sort((a, b) => a - b);
            return times[times.length >> 1];
        }}""", reps)
        latency = {}
        for sample in ("camera", "astronaut"):
            page.select_option("[data-demo=conv-explorer] select >> nth=0", sample)
            page.wait_for_function(
                "s => { const el = document.querySelector('[data-demo=conv-explorer]');"
                " return el.querySelector('.cw-notice').textContent.includes('256×') && +el.dataset.loaded > 0"
                " && el.dataset.done === el.dataset.requested; }", arg=sample)
            page.wait_for_timeout(300)
            latency[sample] = page.evaluate("""async (reps) => {
                const el = document.querySelector('[data-demo=conv-explorer]');
                const range = el.querySelector('input[name=padding-range]');
                const drawn = () => new Promise((resolve) => {
                    const obs = new MutationObserver(() => {
                        if (el.dataset.done === el.dataset.requested) { obs.disconnect(); resolve(); }
                    });
                    obs.observe(el, {attributes: true, attributeFilter: ['data-done']});
                });
                const update = [], frame = [];
                for (let i = 0; i <= reps; i++) {
                    const t = performance.now();
                    const done = drawn();
                    range.value = String(i % 2);           // padding 0 <-> 1
                    range.dispatchEvent(new Event('input', {bubbles: true}));
                    await done;
                    const t1 = performance.now();
                    await new Promise((r) => requestAnimationFrame(() => r()));
                    if (i) { update.push(t1 - t); frame.push(performance.now() - t); }
                    await new Promise((r) => setTimeout(r, 30));
                }
                const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
                return {update: med(update), frame: med(frame), max: Math.max(...update)};
            }""", reps)
        browser.close()
    return {"inside": inside, "trip": trip, "latency": latency}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--site", type=Path, help="an already built site with the widgets")
    args = parser.parse_args()

    site = site_or_build(args.site)
    srv = SiteServer(site)
    try:
        b = browser_numbers(srv.url, args.reps)
    finally:
        srv.close()
    n = native(args.reps)
    i = b["inside"]
    print(f"\n3×3 convolution of a 512×512 image (demos.imageops.conv2d), median of {args.reps}, ms")
    print(f"{'':34s}{'Pyodide':>10s}{'native':>10s}{'ratio':>8s}")
    for key, label in (("conv_f32", "NumPy, float32"), ("conv_f64", "NumPy, float64"),
                       ("scratch_f32", "  same, one scratch buffer, f32"), ("scratch_f64", "  same, one scratch buffer, f64"),
                       ("naive", "pure-Python loop (1 run)")):
        print(f"{label:34s}{i[key]:10.2f}{n[key]:10.2f}{i[key] / n[key]:8.2f}")
    print(f"{'round trip page→worker→page, f32':34s}{b['trip']:10.2f}")
    print(f"{'naive loop / NumPy f32 in Pyodide':34s}{i['naive'] / i['conv_f32']:10.0f}×")
    print(f"\nconv-explorer, slider change → output canvas drawn (median of {args.reps}, ms)")
    print(f"{'photo':34s}{'drawn':>10s}{'+frame':>10s}{'max':>8s}")
    for sample, label in (("camera", "camera 256×256 gray"), ("astronaut", "astronaut 256×256 RGB")):
        lat = b["latency"][sample]
        print(f"{label:34s}{lat['update']:10.2f}{lat['frame']:10.2f}{lat['max']:8.1f}")
    print(f"\nTargets: ≤ 16 ms per update; Pyodide ≤ 2× native NumPy. Machine: {os.cpu_count()} CPUs, "
          f"NumPy {np.__version__} native, Chromium headless with software rendering.")


if __name__ == "__main__":
    main()
