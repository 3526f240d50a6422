/* The mounter: finds <div class="demo" data-demo="NAME"> on each page and mounts the
 * widget of that name from widgets/index.js. Each demo gets a status line that says
 * whether Python is loading, ready, or why it failed; the rest of the page never
 * depends on it.
 *
 *   export default {name: "conv-proof", mount(el, {runtime, ui}) { ...; return teardown; }}
 *
 * Python starts only when it is needed: when a demo comes near the viewport, when the
 * reader uses one, or when slide mode opens on a page with demos. Until then the
 * `runtime` a widget gets holds its calls back (nothing is downloaded), so widgets
 * need not know. `<html data-python>` says "none" (no demo on the page), "checking",
 * "waiting" (demos, none near: nothing will load until one is) or "started".
 *
 * `ui` offers small helpers shared by every widget: ui.status(text, kind),
 * ui.error(err) (shows an error record's message once and marks the field or kernel
 * cell it names: elements with data-field="<field>" or data-cell="<row>,<col>"),
 * ui.drawMatrix(canvas, rec), ui.drawImage(canvas, rec).
 * A widget that runs no Python is listed in python-gate.js's PYTHON_FREE: it gets no
 * runtime and no Python status line, is marked data-state="ready" once mounted, and
 * never opens the page's gate (a page with only such demos downloads no Pyodide).
 * The gate's rules (python-gate.js) are also applied by python-early.js as soon as the
 * content is parsed, which may have started Python before this module runs.
 * Every demo also gets the framework's slide stage (common.js stage(): layout, key Z).
 * Before the next page (instant navigation) each mount's teardown is called.
 */
import {getRuntime} from "./pyodide-runtime.js";
import {onEachPage} from "./pages.js";
import {needsPython, watchNear} from "./python-gate.js";
import {mountDemos} from "./demo-mirror.js";
import {drawGrid, drawImage, rows, stage, toRecord} from "./widgets/common.js";
import * as widgets from "./widgets/index.js";

  const registry = new Map(Object.values(widgets).map((w) => [w.name, w]));

  const STATE_TEXT = {
    idle: "Python se cargará al llegar a esta demo.",
    loading: "Cargando Python (Pyodide)…",
    ready: "Python listo.",
    error: "No se pudo cargar Python en el navegador.",
  };

  // A demo's result lines (widgets.css gives them a fixed place on a slide).
  const RESULT_LINES = ".cw-result, .cw-formula, .cw-feedback, .cw-step-text";

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
    /** On a slide the error floats over the bottom of the demo (widgets.css), which is
     * where most demos' result line is: it must not hide it. When that line sits in the
     * right column the error keeps to the left of it, else it ends just above it. Only
     * its placement changes: nothing in the demo moves, the slide keeps its zoom. */
    function placeError() {
      Object.assign(errorBox.style, {right: "", bottom: ""});
      if (errorBox.hidden || !el.closest(".slides-deck") || el.classList.contains("cw-zoomed")) return;
      const lines = [...el.querySelectorAll(RESULT_LINES)].filter((n) => n.getClientRects().length);
      if (!lines.length) return;
      const demo = el.getBoundingClientRect(), scale = demo.width / (el.offsetWidth || 1) || 1;
      const last = lines.map((n) => n.getBoundingClientRect()).reduce((a, b) => (b.bottom > a.bottom ? b : a));
      const err = errorBox.getBoundingClientRect();
      if (err.right <= last.left || last.right <= err.left || err.bottom <= last.top || last.bottom <= err.top) return;
      if (last.left - demo.left > demo.width * 0.3) errorBox.style.right = `${(demo.right - last.left) / scale + 8}px`;
      else errorBox.style.bottom = `${(demo.bottom - last.top) / scale + 4}px`;
    }
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => placeError()).observe(el);
    const marked = new Set();
    function mark(rec) {
      for (const node of marked) node.removeAttribute("aria-invalid");
      marked.clear();
      if (!rec) return;
      const where = rec.cell ? `[data-cell="${rec.cell[0]},${rec.cell[1]}"]`
        : rec.field ? `[data-field="${CSS.escape(rec.field)}"]` : null;
      if (!where) return;
      for (const node of el.querySelectorAll(where)) {
        node.setAttribute("aria-invalid", "true");
        marked.add(node);
      }
    }
    return {
      status(text, kind = "info") {
        status.textContent = text;
        status.dataset.kind = kind;
      },
      /** Show an error (an Error with .record, a record, or null to clear) once. */
      error(err) {
        const rec = err ? toRecord(err) : null;
        mark(rec);
        el.dataset.errorCode = rec ? rec.code || rec.kind : "";
        if (!rec) { errorBox.hidden = true; errorBox.textContent = ""; return; }
        errorBox.hidden = false;
        errorBox.textContent = "";
        const p = document.createElement("p");
        p.textContent = rec.message;  // Spanish (demos/bridge.py); Python's own text is in the trace
        errorBox.append(p);
        if (rec.kind === "python" && rec.traceback) {
          const details = document.createElement("details");
          const summary = document.createElement("summary");
          summary.textContent = "Traza de Python";
          const pre = document.createElement("pre");
          pre.textContent = rec.traceback;
          details.append(summary, pre);
          errorBox.append(details);
        }
        // The teacher can put the message away (on a slide it floats over the demo); the
        // field stays marked and the next error shows the box again. Its «×» is drawn by
        // CSS, so the box's text is the message alone.
        const close = document.createElement("button");
        close.type = "button";
        close.className = "demo-error-close";
        close.title = "Cerrar el mensaje";
        close.setAttribute("aria-label", "Cerrar el mensaje");
        close.addEventListener("click", () => { errorBox.hidden = true; });
        errorBox.append(close);
        placeError();
      },
      drawMatrix(canvas, rec, opts = {}) { drawGrid(canvas, rows(rec), {cell: 48, ...opts}); },
      drawImage,
    };
  }

  /** The runtime as a widget sees it: calls wait until the page's gate opens. */
  function gated(rt, gate) {
    return {
      call: async (...args) => { await gate.opened; return rt.call(...args); },
      start() { gate.open(); return rt.start(); },
      onStatus: (fn) => rt.onStatus(fn),
      interrupt: () => rt.interrupt(),
      get state() { return rt.state; },
      get interruptible() { return rt.interruptible; },
    };
  }

  /** Opens once for the page: a demo near the viewport, a first touch, slides opening. */
  function pageGate(rt, demos) {
    let open;
    const gate = {opened: new Promise((resolve) => { open = resolve; }), isOpen: false};
    const root = document.documentElement;
    const cleanups = [];
    gate.open = () => {
      if (gate.isOpen) return;
      gate.isOpen = true;
      root.dataset.python = "started";
      for (const undo of cleanups.splice(0)) undo();
      rt.start();
      open();
    };
    gate.close = () => { for (const undo of cleanups.splice(0)) undo(); };
    if (!demos.length) { root.dataset.python = "none"; return gate; }
    if (rt.state !== "idle") { gate.open(); return gate; }  // started on an earlier page
    root.dataset.python = "checking";
    cleanups.push(watchNear(demos, {
      near: () => gate.open(),
      none() { if (root.dataset.python === "checking") root.dataset.python = "waiting"; },  // none near
    }));
    const touch = () => gate.open();
    for (const el of demos) {
      for (const type of ["pointerdown", "keydown", "focusin"]) {
        el.addEventListener(type, touch, {capture: true});
        cleanups.push(() => el.removeEventListener(type, touch, {capture: true}));
      }
    }
    document.addEventListener("course:slides-open", touch);
    cleanups.push(() => document.removeEventListener("course:slides-open", touch));
    return gate;
  }

  function mount(el, runtime) {
    if (el.dataset.mounted) return null;
    el.dataset.mounted = "true";
    const name = el.dataset.demo;
    const ui = makeUI(el);
    const widget = registry.get(name);
    if (!widget) {
      ui.status(`Demo desconocida: «${name}».`, "error");
      return null;
    }
    if (!needsPython(el)) runtime = null;
    const unsubscribe = !runtime ? () => {} : runtime.onStatus(({state, detail}) => {
      const text = state === "error"
        ? `${STATE_TEXT.error} Motivo: ${detail}. El resto de la página sigue disponible.`
        : state === "idle" ? STATE_TEXT.idle : (detail || STATE_TEXT[state]);
      ui.status(text, state);
      el.dataset.state = state;
    });
    const unstage = stage(el);
    let teardown = null;
    try {
      teardown = widget.mount(el, {runtime, ui});
      // A widget without Python has no runtime to wait for: it is ready once mounted.
      if (!runtime) el.dataset.state = "ready";
    } catch (err) {
      ui.status(`La demo «${name}» falló al iniciarse: ${err.message}`, "error");
      el.dataset.state = "error";
    }
    return () => {
      unsubscribe();
      unstage();
      if (typeof teardown === "function") teardown();
    };
  }

  /** Mount these demos behind one gate (opened at once with `open`: the slides opened
   * before); returns their teardown. */
  function mountLocal(demos, {open = false} = {}) {
    const teardowns = [];
    const rt = getRuntime();
    const gate = pageGate(rt, demos.filter(needsPython));
    if (open && demos.some(needsPython)) gate.open();
    teardowns.push(gate.close);
    const runtime = gated(rt, gate);
    for (const el of demos) {
      const teardown = mount(el, runtime);
      if (teardown) teardowns.push(teardown);
    }
    return () => { for (const teardown of teardowns) teardown(); };
  }

  let teardown = () => {};
  /** Tear down the previous page's demos, then mount this page's (in the presenter
   * view, as mirrors of the audience window's: demo-mirror.js). */
  function mountAll() {
    teardown();
    teardown = mountDemos(Array.from(document.querySelectorAll(".demo[data-demo]")), mountLocal);
  }

  onEachPage(mountAll);
