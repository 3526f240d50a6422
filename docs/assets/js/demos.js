/* The mounter: finds <div class="demo" data-demo="NAME"> on each page and mounts the
 * widget of that name from widgets/index.js. Each demo gets a status line that says
 * whether Python is loading, ready, or why it failed; the rest of the page never
 * depends on it.
 *
 *   export default {name: "conv-proof", mount(el, {runtime, ui}) { ...; return teardown; }}
 *
 * `ui` offers small helpers shared by every widget: ui.status(text, kind),
 * ui.error(err) (shows a Python traceback readably), ui.drawMatrix(canvas, rec),
 * ui.drawImage(canvas, rec). Before the next page (instant navigation) each mount's
 * teardown is called.
 */
import {getRuntime, toTyped} from "./pyodide-runtime.js";
import {onEachPage} from "./pages.js";
import * as widgets from "./widgets/index.js";

  const registry = new Map(Object.values(widgets).map((w) => [w.name, w]));

  const STATE_TEXT = {
    idle: "Python aún no se ha cargado.",
    loading: "Cargando Python (Pyodide)…",
    ready: "Python listo.",
    error: "No se pudo cargar Python en el navegador.",
  };

  function makeUI(el) {
    let status = el.querySelector(":scope > .demo-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "demo-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      el.prepend(status);
    }
    let errorBox = el.querySelector(":scope > .demo-error");
    if (!errorBox) {
      errorBox = document.createElement("div");
      errorBox.className = "demo-error";
      errorBox.setAttribute("role", "alert");
      errorBox.hidden = true;
      el.append(errorBox);
    }
    return {
      status(text, kind = "info") {
        status.textContent = text;
        status.dataset.kind = kind;
      },
      error(err) {
        if (!err) { errorBox.hidden = true; errorBox.textContent = ""; return; }
        errorBox.hidden = false;
        errorBox.textContent = "";
        const p = document.createElement("p");
        const py = err.python;
        p.textContent = py ? `${py.type}: ${py.message}` : String(err.message || err);
        errorBox.append(p);
        if (py && py.traceback && py.type !== "ValueError") {
          const details = document.createElement("details");
          const summary = document.createElement("summary");
          summary.textContent = "Traza de Python";
          const pre = document.createElement("pre");
          pre.textContent = py.traceback;
          details.append(summary, pre);
          errorBox.append(details);
        }
      },
      drawMatrix,
      drawImage,
    };
  }

  /** Paint a 2-D ndarray record on a canvas as grey cells with their values. */
  function drawMatrix(canvas, rec, {cell = 48, decimals = 0} = {}) {
    const [h, w] = rec.shape;
    const data = toTyped(rec);
    canvas.width = w * cell;
    canvas.height = h * cell;
    const ctx = canvas.getContext("2d");
    let lo = Infinity, hi = -Infinity;
    for (const v of data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const span = hi - lo || 1;
    ctx.font = `${Math.round(cell * 0.38)}px sans-serif`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const v = data[i * w + j];
        const g = Math.round(255 * (v - lo) / span);
        ctx.fillStyle = `rgb(${g},${g},${g})`;
        ctx.fillRect(j * cell, i * cell, cell, cell);
        ctx.strokeStyle = "#888";
        ctx.strokeRect(j * cell + 0.5, i * cell + 0.5, cell - 1, cell - 1);
        ctx.fillStyle = g > 127 ? "#000" : "#fff";
        ctx.fillText(v.toFixed(decimals), j * cell + cell / 2, i * cell + cell / 2);
      }
    }
    canvas.setAttribute("aria-label", describeMatrix(data, h, w, decimals));
  }

  function describeMatrix(data, h, w, decimals) {
    const rows = [];
    for (let i = 0; i < h; i++) {
      rows.push(Array.from(data.slice(i * w, (i + 1) * w), (v) => v.toFixed(decimals)).join(", "));
    }
    return `Matriz ${h}×${w}: ` + rows.join("; ");
  }

  /** Paint a uint8 (H, W) or (H, W, 3) ndarray record as an image. */
  function drawImage(canvas, rec) {
    const [h, w, c = 1] = rec.shape;
    const src = toTyped(rec);
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(w, h);
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < 3; k++) img.data[4 * p + k] = src[p * c + (c === 1 ? 0 : k)];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function mount(el) {
    if (el.dataset.mounted) return null;
    el.dataset.mounted = "true";
    const name = el.dataset.demo;
    const ui = makeUI(el);
    const widget = registry.get(name);
    if (!widget) {
      ui.status(`Demo desconocida: «${name}».`, "error");
      return null;
    }
    const rt = getRuntime();
    const unsubscribe = rt.onStatus(({state, detail}) => {
      const text = state === "error"
        ? `${STATE_TEXT.error} Motivo: ${detail}. El resto de la página sigue disponible.`
        : (detail || STATE_TEXT[state]);
      ui.status(text, state);
      el.dataset.state = state;
    });
    rt.start();
    let teardown = null;
    try {
      teardown = widget.mount(el, {runtime: rt, ui});
    } catch (err) {
      ui.status(`La demo «${name}» falló al iniciarse: ${err.message}`, "error");
    }
    return () => {
      unsubscribe();
      if (typeof teardown === "function") teardown();
    };
  }

  let teardowns = [];
  /** Tear down the previous page's demos, then mount this page's. */
  function mountAll() {
    for (const teardown of teardowns) teardown();
    teardowns = [];
    document.querySelectorAll(".demo[data-demo]").forEach((el) => {
      const teardown = mount(el);
      if (teardown) teardowns.push(teardown);
    });
  }

  onEachPage(mountAll);
