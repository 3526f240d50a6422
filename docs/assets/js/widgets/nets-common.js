/* Shared by the trained-network widgets (digit-explorer, segmenter, diffusion-sampler):
 * fetch a weights file once per tab, load it into Python, show its provenance (rendered
 * at build time), and reload it transparently after the Python worker was restarted. */
import {h, toRecord} from "./common.js";
import {ndarray, toTyped} from "../pyodide-runtime.js";
import {assetError, fetchAsset} from "../fetch-asset.js";

const SITE_ROOT = new URL("../../../", import.meta.url);
const COMMAND = (run) => `python -m lecture_models figures --only ${run}`;
let manifestPromise = null;

// Our stylesheet (keeps mkdocs.yml's extra_css untouched). Added again by every mount
// (whenVisible): Material's instant navigation, a new #slide-N hash too, renders the page
// again and drops what we added to <head>, while this module stays loaded.
function ensureStyles() {
  if (document.querySelector("link[data-nets-css]")) return;
  const link = Object.assign(document.createElement("link"), {
    rel: "stylesheet", href: new URL("assets/css/nets.css", SITE_ROOT).href,
  });
  link.dataset.netsCss = "";
  document.head.append(link);
}
ensureStyles();
const bytesCache = new Map();

export {ndarray, toTyped};

/** A network's entry of assets/models/provenance.json (null if missing): the file to
 * fetch, its sha256 and the provenance line rendered by the site build from the manifest
 * (sitebuild/captions.py), shown as it is. */
export function modelEntry(name) {
  if (!manifestPromise) {
    manifestPromise = fetch(new URL("assets/models/provenance.json", SITE_ROOT))
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}));
  }
  return manifestPromise.then((m) => m[name] || null);
}

async function weightBytes(name, entry) {
  if (!bytesCache.has(name)) {
    const url = new URL(entry ? entry.file : `assets/models/${name}.npz`, SITE_ROOT);
    const what = `los pesos de la red «${name}»`;
    bytesCache.set(name, fetchAsset(url, what).catch((err) => {
      if (err.record.code !== "missing_file") throw err;  // offline: its own message
      throw assetError(`${err.message} Genéralos con: ${COMMAND(name)}`, "missing_file", err.record.traceback);
    }).then(async (r) => {
      const buf = new Uint8Array(await r.arrayBuffer());
      if (entry && entry.sha256 && crypto.subtle) {
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
        const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
        if (hex !== entry.sha256) {
          throw assetError(`Los pesos de la red «${name}» no coinciden con el manifiesto `
            + `(${url.pathname}). Genéralos de nuevo con: ${COMMAND(name)}`, "mismatched_file");
        }
      }
      return buf;
    }));
    bytesCache.get(name).catch(() => bytesCache.delete(name));
  }
  return bytesCache.get(name);
}

/** A loaded network: net.summary, net.call(func, args, kwargs) (reloads after a worker restart).
 * `module`: the Python module whose functions net.call runs (demos.netdemos, or
 * demos.sd_demos for the miniature Stable Diffusion, which keeps its networks loaded here too). */
export async function loadNet(runtime, name, {module = "demos.netdemos"} = {}) {
  const entry = await modelEntry(name);
  const bytes = await weightBytes(name, entry);
  const load = () => runtime.call("demos.netdemos", "load", [name, ndarray(bytes, [bytes.length]),
                                                             entry ? entry.sha256 : null]);
  const summary = await load();
  return {
    summary,
    entry,
    reload: load,
    async call(func, args = [], kwargs = {}) {
      try {
        return await runtime.call(module, func, args, kwargs);
      } catch (err) {
        if (toRecord(err).code !== "not_loaded") throw err;
        await load();  // the worker was restarted (an interrupt without isolation): load again once
        return runtime.call(module, func, args, kwargs);
      }
    },
  };
}

/** «Pesos: lenet.npz (119 KB, float16, sha256 1a2b3c4d…), 61 706 parámetros · …» under a
 * widget: the line the site build rendered from the manifest. */
export function provenance(entry) {
  return h("p", {class: "cw-provenance",
                 text: entry ? entry.text : "Procedencia de los pesos: no figura en el manifiesto."});
}

/** Paint a float array (H, W) on a canvas with a grey ramp from lo to hi (auto range if omitted). */
export function paintGray(canvas, data, hgt, wid, {lo, hi, colormap} = {}) {
  if (lo === undefined || hi === undefined) {
    lo = Infinity; hi = -Infinity;
    for (const v of data) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  const span = hi - lo || 1;
  // Resize only when the size changes: assigning width reallocates and clears the canvas,
  // which for the ~50 maps redrawn on every stroke costs more than painting them.
  if (canvas.width !== wid) canvas.width = wid;
  if (canvas.height !== hgt) canvas.height = hgt;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(wid, hgt);
  for (let p = 0; p < hgt * wid; p++) {
    const g = Math.max(0, Math.min(1, (data[p] - lo) / span));
    const [r, gg, b] = colormap ? colormap(g) : [255 * g, 255 * g, 255 * g];
    img.data[4 * p] = r; img.data[4 * p + 1] = gg; img.data[4 * p + 2] = b; img.data[4 * p + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** A record's (H, W) view: [typed array, H, W]. */
export function plane(rec) {
  const [hh, ww] = rec.shape.slice(-2);
  return [toTyped(rec), hh, ww];
}

export function pct(v) {
  return `${(100 * v).toLocaleString("es-ES", {maximumFractionDigits: 1})} %`;
}

/** The result line's text after a failure. ui.error(err) already shows the record's
 * message (once, marking the field or cell it names), so this line only points at it
 * instead of repeating it; a stop with «Detener» says just that. */
export function errorText(err) {
  const rec = toRecord(err);
  if (rec.kind === "interrupted") return "Detenido.";
  if (rec.field || rec.cell) return "Sin resultado: corrige el valor marcado (el aviso de la demo dice por qué).";
  return "Sin resultado: el aviso de la demo dice por qué.";
}

/** Run fn once, when el first comes near the viewport (the weights are fetched only then). */
export function whenVisible(el, fn) {
  ensureStyles();
  if (typeof IntersectionObserver === "undefined") { fn(); return () => {}; }
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { io.disconnect(); fn(); }
  }, {rootMargin: "200px"});
  io.observe(el);
  return () => io.disconnect();
}
