/* Small helpers shared by the course's live widgets (no build step).
 *
 *   import {h, uid, coalesce, guardKeys, imageSource, numberControl} from "./common.js";
 *
 * Everything here is plain DOM: real <button>, <input>, <select> with <label for>, so
 * each widget works by keyboard and screen reader, and nothing depends on page scroll or fixed sizes (the
 * same widget must work in reading mode and in slide mode).
 */
import {h, uid} from "../dom.js";
import {makeRecord, recordError} from "../errors.js";
import {ndarray, toTyped} from "../pyodide-runtime.js";
import {parseNumber, plural} from "./numbers.js";
import {coalesce as coalesceJobs} from "./coalesce.js";
import {ownsKey} from "../focus.js";
import {fetchAsset} from "../fetch-asset.js";
import {paintGrid} from "./canvas.js";

  const SITE_ROOT = new URL("../../../", import.meta.url);

  // ------------------------------------------------------------------ errors

  /** Any failure as the error record of demos/errors.py ({kind, message, field, cell,
   * code, ...}): an Error from the runtime carries it (.record), a record is itself,
   * anything else (a JS exception) becomes kind "python" with its message. The one JS
   * conversion. */
  function toRecord(err) {
    if (err && err.record) return err.record;
    if (err && typeof err === "object" && "kind" in err && "message" in err) return err;
    // A plain Error is one of our own Spanish messages: shown as it is, with no «Error:».
    const ours = err instanceof Error && err.name === "Error";
    return makeRecord({kind: ours ? "input" : "python", type: err && err.name, message: String((err && err.message) || err)});
  }

  /** A JS-side input error (checked before Python sees the value), shaped like Python's. */
  function inputError(message, {field = null, cell = null, code = "bad_parameter"} = {}) {
    return recordError({kind: "input", message, type: "InputError", field, cell, code});
  }

  /** True when the run was stopped («Detener»): by a KeyboardInterrupt or a new worker. */
  const isInterrupted = (err) => Boolean(err) && toRecord(err).kind === "interrupted";

  /** Keys a text field or slider keeps (../focus.js: typing, its caret, a slider's
   * arrows) stay in the widget: Material's shortcuts ("n", "p", "s") must not see them.
   * Any other key, and every key on a button, checkbox, select or canvas, goes on to
   * the page: the slide deck's keys work after a click in a demo. */
  function guardKeys(root) {
    root.addEventListener("keydown", (event) => {
      if (ownsKey(event.target, event.key)) event.stopPropagation();
    });
  }

  /** Python is one worker: while a long run holds it (a lecture cell's code), other
   * widgets' calls wait in line. holdPython(owner) marks it held until the returned
   * release() is called; coalesce() then shows «esperando a Python…» on a widget whose
   * computation waits, instead of its stale result. */
  let pythonHolder = null;
  const waitingWidgets = new Set();
  function holdPython(owner) {
    pythonHolder = owner;
    document.documentElement.dataset.pythonBusy = "true";
    for (const show of waitingWidgets) show();
    return () => {
      if (pythonHolder !== owner) return;
      pythonHolder = null;
      delete document.documentElement.dataset.pythonBusy;
    };
  }

  /** Await a runtime call, but interrupt Python if it is still running `seconds` later:
   * the reader's code has its own time limit in Python (usercode, grader), and this is
   * for code stuck where Python cannot see it (inside NumPy): the worker is restarted.
   * Resolves to {out} or {timedOut: true}; any other failure rejects as the call did. */
  async function withWatchdog(runtime, call, seconds) {
    let timer = null, timedOut = false;
    const watchdog = new Promise((resolve) => {
      timer = setTimeout(() => { timedOut = true; runtime.interrupt(); resolve(); }, seconds * 1000);
    });
    try {
      const out = await Promise.race([call, watchdog]);
      return timedOut ? {timedOut: true} : {out};
    } catch (err) {
      if (timedOut) return {timedOut: true};
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The «esperando a Python…» notice over a widget (never changes its height). */
  function waitNotice(el) {
    let notice = null;
    const show = () => {
      if (!pythonHolder || pythonHolder === el || notice) return;
      notice = h("p", {class: "cw-waiting", role: "status"}, "esperando a Python…");
      el.append(notice);
      el.dataset.waiting = "true";
    };
    waitingWidgets.add(show);
    show();
    return () => {
      waitingWidgets.delete(show);
      if (notice) notice.remove();
      delete el.dataset.waiting;
    };
  }

  /** Run `job` at most once at a time; triggers while it runs collapse into one more run
   * with the latest settings (coalesce.js), showing «esperando a Python…» while another
   * widget holds Python and retrying once a call that another widget's «Detener» stopped. */
  function coalesce(el, job) {
    return coalesceJobs(el, job, {wait: waitNotice, isInterrupted});
  }

  /** A labelled slider with a number box beside it, kept in sync. The number box is a
   * text box (a decimal comma or point, like every widget's: numbers.js) that takes any
   * typed value (the Python side explains bad ones); read() returns its text. */
  function numberControl({label, name, min, max, value, step = 1, onChange}) {
    const id = uid("cw-num");
    const range = h("input", {type: "range", id: id + "-r", name: name + "-range", min, max, step, value, "aria-label": label});
    const box = h("input", {type: "text", id, name, value, inputmode: "decimal", autocomplete: "off", class: "cw-numbox",
                            "data-field": name});
    range.addEventListener("input", () => { box.value = range.value; onChange(); });
    box.addEventListener("input", () => {
      const r = parseNumber(box.value);
      if (!r.error) range.value = String(Math.min(max, Math.max(min, r.value)));
      onChange();
    });
    const wrap = h("div", {class: "cw-control"}, h("label", {for: id}, label), range, box);
    return {el: wrap, range, box, name, read: () => box.value.trim()};
  }

  /** A number control's value for Python, {value}, or {error} (an input error naming the
   * control's field) saying why there is none: an empty box, text the browser could not
   * read as a number, or a number too large to be one (1e400). */
  function readNumber(control, label, limits = {}) {
    const r = parseNumber(control.read(), {label, ...limits});
    return r.error ? {error: inputError(r.error, {field: control.name, code: r.code})} : {value: r.value};
  }

  /** Read a plain <input> (data-field names it) with parseNumber: {value} or {error}. */
  function readBox(box, label, limits = {}) {
    return readNumber({read: () => box.value, name: box.dataset.field || null}, label, limits);
  }

  // ------------------------------------------------------------------- stage

  /** The framework's slide stage for one demo (called by the mounter for every widget):
   * the layout itself is CSS under .slides-mode / .slides-deck; here, the key Z zooms
   * the focused demo to the whole slide and back (Esc also gives it back). Returns the
   * teardown. */
  function stage(el) {
    function onKey(event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const zoomed = el.classList.contains("cw-zoomed");
      if (event.key === "Escape" && zoomed) { zoom(false); return; }
      if (event.key !== "z" && event.key !== "Z") return;
      if (!el.closest(".slides-deck") || ownsKey(event.target, event.key)) return;
      event.preventDefault();
      event.stopPropagation();
      zoom(!zoomed);
    }
    /** On: the demo covers the slide at the slide's own scale, undoing the zoom-to-fit
     * of the slide's content (slides.js sets CSS zoom on .slide-content). */
    let holder = null;
    function zoom(on) {
      const box = el.closest(".slide-content");
      const fit = box ? parseFloat(box.style.zoom) || 1 : 1;
      // The demo's place keeps its height while it is lifted out, so the slide is not refitted under it.
      if (on && !holder) {
        holder = h("div", {class: "cw-zoom-holder", "aria-hidden": "true"});
        holder.style.height = `${el.offsetHeight}px`;
        el.before(holder);
      } else if (!on && holder) { holder.remove(); holder = null; }
      el.classList.toggle("cw-zoomed", on);
      el.style.zoom = on && fit !== 1 ? String(1 / fit) : "";
      el.dataset.zoomed = String(on);
    }
    el.addEventListener("keydown", onKey);
    return () => { el.removeEventListener("keydown", onKey); if (el.classList.contains("cw-zoomed")) zoom(false); };
  }

  // ------------------------------------------------------------------ images

  const SAMPLES = [
    ["camera", "Cámara (gris)"],
    ["astronaut", "Astronauta"],
    ["coffee", "Café"],
    ["chelsea", "Gata Chelsea"],
  ];
  const PRE_SIDE = 1024;  // the browser shrinks a huge photo to this before NumPy sees it

  async function decode(blob) {
    let bitmap = await createImageBitmap(blob);
    const {width, height} = bitmap;
    const longest = Math.max(width, height);
    if (longest > PRE_SIDE) {
      const s = PRE_SIDE / longest;
      const small = await createImageBitmap(bitmap, {
        resizeWidth: Math.max(1, Math.round(width * s)),
        resizeHeight: Math.max(1, Math.round(height * s)),
        resizeQuality: "high",
      });
      bitmap.close();
      bitmap = small;
    }
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    return {rgba: new Uint8Array(data.buffer), width: canvas.width, height: canvas.height,
            originalWidth: width, originalHeight: height};
  }

  /** Sample picker + "your own photo" file input. The photo is read in the page
   * (createImageBitmap), never uploaded; Python (samples.prepare_photo) makes it gray or
   * RGB and shrinks it to 256 px. onImage(rec, info) gets the uint8 ndarray record. */
  function imageSource(rt, host, {onImage, onError, sample = "camera"}) {
    const selId = uid("cw-sample"), fileId = uid("cw-file");
    const select = h("select", {id: selId},
      SAMPLES.map(([name, label]) => h("option", {value: name, selected: name === sample}, label)),
      h("option", {value: "own", disabled: true}, "Tu foto"));
    const file = h("input", {type: "file", id: fileId, accept: "image/*"});
    const notice = h("p", {class: "cw-notice", "aria-live": "polite"});
    const el = h("div", {class: "cw-source"},
      h("div", {class: "cw-control"}, h("label", {for: selId}, "Foto de ejemplo"), select),
      h("div", {class: "cw-control cw-secondary"}, h("label", {for: fileId}, "o tu propia foto"), file),
      notice);
    let current = null;
    let loadSeq = 0, loaded = 0;
    host.dataset.loaded = "0";  // photo loads finished, good or bad (tests wait on it)
    const finished = () => { host.dataset.loaded = String(++loaded); };

    async function use(blob, name, own) {
      const seq = ++loadSeq;
      notice.textContent = `Leyendo ${name}…`;
      let pixels;
      try {
        pixels = await decode(blob);
      } catch (err) {
        if (seq !== loadSeq) return;
        const isImage = blob.type && blob.type.startsWith("image/");
        notice.textContent = "";
        onError(new Error(isImage
          ? `No se pudo leer ${name}: el archivo parece dañado o incompleto. Prueba con otra foto.`
          : `${name} no es una imagen que el navegador sepa leer (PNG, JPEG, GIF, WebP…). Elige una foto.`));
        finished();
        return;
      }
      try {
        const rec = ndarray(pixels.rgba, [pixels.height, pixels.width, 4]);
        const prepare = () => rt.call("demos.samples", "prepare_photo", [rec]);
        // Another widget's "Detener" may restart Python under us: ask the new one.
        const out = await prepare().catch((err) => {
          if (isInterrupted(err)) return prepare();
          throw err;
        });
        if (seq !== loadSeq) return;
        const [h0, w0] = out.image.shape;
        let text = `${name}: ${w0}×${h0} px${out.gray ? ", en gris" : ", en color"}.`;
        if (pixels.originalWidth !== w0 || pixels.originalHeight !== h0) {
          text = `${name} medía ${pixels.originalWidth}×${pixels.originalHeight} px; se ha reducido a `
            + `${w0}×${h0} px (promedio por áreas) para que cada cálculo sea instantáneo.`;
        }
        if (own) text += " La foto no sale de tu equipo.";
        notice.textContent = text;
        current = out.image;
        if (own) select.value = "own";
        onImage(out.image, {name, downscaled: out.downscaled});
      } catch (err) {
        if (seq !== loadSeq) return;
        notice.textContent = "";
        onError(err);
      }
      finished();
    }

    async function loadSample(name) {
      try {
        const resp = await fetchAsset(new URL(`assets/samples/${name}.png`, SITE_ROOT),
                                      `la foto de ejemplo «${name}»`);
        await use(await resp.blob(), "Foto de ejemplo", false);
      } catch (err) {
        onError(err);
        finished();
      }
    }

    select.addEventListener("change", () => { if (select.value !== "own") loadSample(select.value); });
    file.addEventListener("change", () => {
      const f = file.files && file.files[0];
      if (!f) return;
      use(f, `«${f.name}»`, true);
    });
    return {el, select, file, notice, current: () => current, start: () => loadSample(select.value)};
  }

  // ----------------------------------------------------------------- drawing

  /** Draw a number grid (canvas.js paintGrid: drawn at the size it is shown, its text
   * size declared) with this module's number format. opts: see paintGrid. */
  function drawGrid(canvas, values, opts = {}) {
    return paintGrid(canvas, values, {format: fmt, ...opts});
  }

  /** A cell size that fits `cols` cells in the container's width: at most 2.75 em of the
   * widget's text (44 px when reading, more on a slide), at least 22 px. */
  function fitCell(container, cols, share = 1) {
    // On a slide, the width as at the slide's zoom 1: zoom-to-fit widens the container (in
    // its own px), and cells sized from that would change the layout the fit just measured.
    let zoom = 1;
    for (let a = container; a && !a.classList.contains("slide"); a = a.parentElement) zoom *= parseFloat(a.style.zoom) || 1;
    const width = (container.clientWidth || 600) * Math.min(1, zoom);
    const em = parseFloat(getComputedStyle(container).fontSize) || 16;
    return Math.max(22, Math.min(Math.round(2.75 * em), Math.floor((width * share) / Math.max(cols, 1)) - 2));
  }

  /** Call fn when the element's width changes (window resize, slide mode, sidebars).
   * Returns the function that stops watching (for the widget's teardown). */
  function onResize(el, fn) {
    if (typeof ResizeObserver === "undefined") return () => {};
    let last = el.clientWidth;
    const observer = new ResizeObserver(() => {
      if (el.clientWidth !== last) { last = el.clientWidth; fn(); }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }

  /** Paint a uint8 (H, W) or (H, W, 3) ndarray record as an image, one pixel per pixel. */
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

  /** ndarray record (2-D) -> array of rows. */
  function rows(rec) {
    const data = toTyped(rec);
    const [r, c = 1] = rec.shape;
    return Array.from({length: r}, (_, i) => Array.from(data.slice(i * c, (i + 1) * c)));
  }

  /** Move demos.js's error box right after `anchor`, next to the controls it is about. */
  function placeErrors(el, anchor) {
    const box = el.querySelector(":scope > .demo-error");
    if (box && anchor) anchor.after(box);
  }

  /** A figure with a canvas (role=img) and a caption. */
  function canvasFigure(caption, {pixelated = true, cls = ""} = {}) {
    const canvas = h("canvas", {role: "img", "aria-label": caption, class: pixelated ? "cw-pixels" : ""});
    const cap = h("figcaption", {text: caption});
    const fig = h("figure", {class: `cw-figure ${cls}`}, canvas, cap);
    return {fig, canvas, cap};
  }

  /** Play/pause/step/reset buttons around a step index (-1 = before the first step).
   * Playing advances every 0.9 s and stops at the last step or when the page is left.
   * `reserve`: nodes whose content changes from step to step (texts, tables); measure()
   * gives each the height of its tallest step, so stepping never resizes the widget (on a
   * slide that would zoom the whole slide out mid-explanation). */
  function player(el, {onStep, total, reserve = []}) {
    let index = -1, timer = null;
    el.dataset.playing = "false";
    const play = h("button", {type: "button", "aria-pressed": "false"}, "▶ Reproducir");
    const next = h("button", {type: "button"}, "Paso siguiente ›");
    const prev = h("button", {type: "button"}, "‹ Paso anterior");
    const reset = h("button", {type: "button"}, "⟲ Reiniciar");
    const bar = h("div", {class: "cw-controls", role: "group", "aria-label": "Controles del paso a paso"},
      play, prev, next, reset);
    function go(i) {
      index = Math.max(-1, Math.min(total() - 1, i));
      onStep(index);
      next.disabled = index >= total() - 1;
      prev.disabled = index < 0;
      if (index >= total() - 1) stop();
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      el.dataset.playing = "false";
      play.setAttribute("aria-pressed", "false");
      play.textContent = "▶ Reproducir";
    }
    play.addEventListener("click", () => {
      if (timer) { stop(); return; }
      if (index >= total() - 1) go(-1);
      play.setAttribute("aria-pressed", "true");
      play.textContent = "⏸ Pausa";
      el.dataset.playing = "true";
      timer = setInterval(() => {
        if (!el.isConnected) { stop(); return; }  // page left (instant navigation)
        go(index + 1);
      }, 900);
      go(index + 1);
    });
    next.addEventListener("click", () => { stop(); go(index + 1); });
    prev.addEventListener("click", () => { stop(); go(index - 1); });
    reset.addEventListener("click", () => { stop(); go(-1); });
    // The reserved heights, kept while the slide's canvas (or the reading column) and the
    // number of steps stay the same: they only grow. Measured afresh under each new zoom of
    // the fit, they could not settle: under a smaller zoom a column is wider in its own
    // px, text wraps less, the heights shrink, the fit picks a larger zoom, the heights
    // grow again... (lecture 2's X slide went 0.855 → 0.889 → 0.855 every few frames).
    let kept = null;
    function measure() {
      if (!reserve.length || !el.offsetParent) return;  // hidden (another slide): later
      const sec = el.closest(".slides-deck section.slide");
      const key = [total(), el.classList.contains("cw-zoomed"),
                   sec ? `${sec.clientWidth}×${sec.clientHeight}` : `${el.clientWidth}`].join("/");
      for (const node of reserve) node.style.minHeight = "";
      const tallest = reserve.map(() => 0);
      for (let i = -1; i < total(); i++) {
        onStep(i);
        reserve.forEach((node, k) => { tallest[k] = Math.max(tallest[k], node.offsetHeight); });
      }
      if (kept && kept.key === key) kept.heights.forEach((h, k) => { tallest[k] = Math.max(tallest[k], h); });
      kept = {key, heights: tallest};
      reserve.forEach((node, k) => { node.style.minHeight = `${tallest[k]}px`; });
      onStep(index);
    }
    return {bar, go, stop, measure, get index() { return index; }};
  }

  /** The one number formatter of the widgets: at most `decimals` (3) decimals, trailing
   * zeros dropped, a decimal point as in NumPy's output and the kernel cells, never -0.
   * Options come as an object so that `values.map(fmt)` (index as 2nd arg) stays right. */
  function fmt(v, {decimals = 3} = {}) {
    if (!Number.isFinite(v)) return String(v);
    const scale = 10 ** decimals;
    const r = Math.round(v * scale) / scale;
    return String(Object.is(r, -0) ? 0 : r);
  }

  export {
    h, uid, guardKeys, coalesce, numberControl, readNumber, imageSource, drawGrid, drawImage, fitCell,
    onResize, rows, canvasFigure, placeErrors, fmt, player, SAMPLES, SITE_ROOT, ndarray, toTyped,
    toRecord, inputError, isInterrupted, stage, parseNumber, plural, readBox, holdPython, withWatchdog,
  };
