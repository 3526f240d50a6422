/* python-cell: the reader's own NumPy code on a photo. The code receives the photo as
 * `img` and returns an image (demos/usercode.py runs it); errors show as a short
 * traceback of the reader's lines. "Detener" stops a runaway loop with rt.interrupt():
 * a KeyboardInterrupt when the page is cross-origin isolated, otherwise a fresh Python
 * worker. Either way the cell keeps working without reloading the page. A new photo
 * re-runs the code only if its last run succeeded (never a loop just stopped).
 *
 *   <div class="demo" data-demo="python-cell" data-sample="astronaut"></div>
 */
import {h, uid, guardKeys, imageSource, canvasFigure, fmt, placeErrors, inputError, isInterrupted, holdPython,
        withWatchdog} from "./common.js";
import {codeEditor} from "./code-editor.js";

  // The reader's code runs at most this long (demos/usercode.py stops it at their line,
  // as the exercises do); a loop stuck inside NumPy gets WATCHDOG_GRACE_S more, then the
  // worker is restarted.
  const TIME_LIMIT_S = 5;
  const WATCHDOG_GRACE_S = 5;
  const STORE = "course-cell:";

  /** A cell's key in localStorage: its page, its place on the page and its original code
   * (a lecture that changes a cell's example starts that cell afresh). */
  function storeKey(el, initial) {
    const index = [...document.querySelectorAll('.demo[data-demo="python-cell"]')].indexOf(el);
    let hash = 0;
    for (const ch of initial) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
    return `${STORE}${location.pathname}#${index}:${(hash >>> 0).toString(36)}`;
  }
  function loadCode(key) {
    try { return localStorage.getItem(key); } catch (err) { return null; }
  }
  function saveCode(key, code) {
    try { if (code === null) localStorage.removeItem(key); else localStorage.setItem(key, code); } catch (err) { /* private mode */ }
  }

  const EXAMPLE = [
    "# img: la foto actual, un array de NumPy (alto × ancho, o alto × ancho × 3)",
    "# con valores de 0 a 255. Devuelve otra imagen con «return».",
    "gris = img.mean(axis=2) if img.ndim == 3 else img.astype(float)",
    "bordes = np.abs(gris[:, 1:] - gris[:, :-1])  # diferencia entre vecinos horizontales",
    "return bordes",
    "",
  ].join("\n");

export default {name: "python-cell", mount(el, {runtime: rt, ui}) {
    guardKeys(el);
    const codeId = uid("cw-code"), helpId = uid("cw-help");
    const initial = el.dataset.code || EXAMPLE;  // a lecture may bring its own example
    const key = storeKey(el, initial);
    const saved = loadCode(key);
    let editor = null, alive = true;
    const codeBox = h("div", {class: "cw-code-box", "data-field": "code"});
    const currentCode = () => (editor ? editor.get() : saved ?? initial);
    const runBtn = h("button", {type: "button"}, "▶ Ejecutar");
    const stopBtn = h("button", {type: "button", disabled: true}, "■ Detener");
    const resetBtn = h("button", {type: "button", disabled: saved === null}, "Restaurar el original");
    const result = h("p", {class: "cw-result", role: "status", "aria-live": "polite"});
    // A box of fixed height that scrolls when print() says much: reachable with Tab from
    // the start (not only once a11y.js notices it scrolls, after the output arrived).
    const stdout = h("pre", {class: "cw-stdout", "aria-label": "Salida de print()", tabindex: "0"});
    const input = canvasFigure("Entrada (img)");
    const output = canvasFigure("Lo que devuelve tu código");
    const source = imageSource(rt, el, {
      sample: el.dataset.sample || "camera",
      onImage(img) {
        ui.drawImage(input.canvas, img);
        const [hh, ww, c = 1] = img.shape;
        input.cap.textContent = `Entrada (img): forma (${img.shape.join(", ")}), uint8`;
        input.canvas.setAttribute("aria-label", `Foto de entrada de ${ww}×${hh} píxeles${c > 1 ? " en color" : " en gris"}`);
        if (lastOk) { run(); return; }
        ui.error(null);  // that error was about the previous photo (or a stopped loop)
        output.fig.classList.add("cw-stale");
        result.textContent = "Foto nueva. Pulsa «Ejecutar» para probar tu código con ella.";
      },
      onError(err) { ui.error(err); },
    });
    el.append(source.el,
      h("p", {id: codeId, class: "cw-code-label"}, "Tu código (Python con NumPy como np)"),
      h("p", {id: helpId, class: "cw-hint"},
        `Recibe la foto en «img» y devuelve una imagen con «return». Tab sangra (Esc y luego Tab sale del editor); `
        + `Ctrl+Enter ejecuta; tu código se guarda en este navegador. Se detiene a los ${TIME_LIMIT_S} s; `
        + "«Detener» lo corta antes."),
      codeBox, h("div", {class: "cw-controls"}, runBtn, stopBtn, resetBtn), result, stdout,
      h("div", {class: "demo-row cw-images"}, input.fig, output.fig));
    placeErrors(el, stdout);
    // A cell whose example never names «img» (a gradient check, the X of lecture 2) shows
    // no photo: the picker and the input stay hidden until the reader's code uses it (said
    // at mount and at each run, never while typing, so the slide stays still). A cell made
    // for a photo always shows it.
    const usesImg = (code) => /\bimg\b/.test(code);
    const showPhoto = () => el.classList.toggle("cw-no-photo", !usesImg(initial) && !usesImg(currentCode()));
    showPhoto();

    let running = false, runs = 0, lastOk = true;  // the example runs on the first photo
    el.dataset.runs = "0";

    async function run() {
      showPhoto();
      if (running) return;
      const img = source.current();
      if (!img) { ui.error(inputError("La foto aún no está lista.", {field: "image", code: "not_ready"})); return; }
      running = true;
      runBtn.setAttribute("aria-disabled", "true");  // not disabled: keyboard focus stays on it
      stopBtn.disabled = false;
      el.dataset.busy = "true";
      result.textContent = rt.state === "ready" ? "Ejecutando tu código…" : "Esperando a Python…";
      stdout.textContent = "";
      const release = holdPython(el);  // other widgets say «esperando a Python…» meanwhile
      let timedOut = false;
      try {
        const call = rt.call("demos.usercode", "run", [currentCode(), img], {time_limit: TIME_LIMIT_S});
        const {out} = await withWatchdog(rt, call, TIME_LIMIT_S + WATCHDOG_GRACE_S);
        if (!out) {
          timedOut = true;
          throw inputError(`Tiempo agotado: tu código no terminó en ${TIME_LIMIT_S + WATCHDOG_GRACE_S} s y Python se ha `
            + "reiniciado. ¿Un bucle que no termina? Corrígelo y ejecútalo de nuevo.", {field: "code", code: "timeout"});
        }
        stdout.textContent = out.stdout || "";
        stdout.scrollTop = stdout.scrollHeight;  // like a terminal: the last lines in view (a slide's box is short)
        lastOk = !out.error;
        if (out.error) {
          ui.error(out.error);
          result.textContent = isInterrupted(out.error) ? "Detenido. Puedes corregir el código y ejecutarlo de nuevo."
            : "Tu código no se pudo usar: el motivo está debajo.";
          output.fig.classList.add("cw-stale");
        } else {
          ui.error(null);
          ui.drawImage(output.canvas, out.image);
          output.fig.classList.remove("cw-stale");
          const [oh, ow] = out.shape;
          output.canvas.style.width = `${Math.min(100, 100 * ow / img.shape[1])}%`;
          output.cap.textContent = `Resultado: forma (${out.shape.join(", ")}), ${out.dtype}`;
          output.canvas.setAttribute("aria-label", `Imagen devuelta por tu código, ${ow}×${oh} píxeles`);
          result.textContent = `Tu código devolvió un array ${out.dtype} de forma (${out.shape.join(", ")}) `
            + `con valores de ${fmt(out.min)} a ${fmt(out.max)}`
            + (out.stretched ? "; se muestra reescalado: mínimo en negro, máximo en blanco." : ".");
          el.dataset.outputShape = out.shape.join(",");
        }
      } catch (err) {  // the worker was replaced ("Detener" without isolation) or failed
        lastOk = false;
        ui.error(err);
        result.textContent = timedOut ? "Tiempo agotado: el motivo está debajo." : isInterrupted(err)
          ? "Detenido: Python se está reiniciando (unos segundos); luego puedes ejecutar de nuevo."
          : "No se pudo ejecutar: el motivo está debajo.";
        output.fig.classList.add("cw-stale");
      } finally {
        release();
        running = false;
        runBtn.removeAttribute("aria-disabled");
        stopBtn.disabled = true;
        el.dataset.busy = "false";
        el.dataset.runs = String(++runs);
      }
    }

    runBtn.addEventListener("click", run);
    stopBtn.addEventListener("click", () => {
      result.textContent = "Deteniendo…";
      rt.interrupt();
    });
    resetBtn.addEventListener("click", () => {
      if (!editor) return;
      editor.set(initial);
      saveCode(key, null);
      resetBtn.disabled = true;
      result.textContent = "Código original restaurado.";
      editor.focus();
    });
    codeEditor(codeBox, {
      doc: saved ?? initial, labelId: codeId, describedBy: helpId, onRun: run,
      onChange: () => {
        const text = editor.get();
        saveCode(key, text === initial ? null : text);
        resetBtn.disabled = text === initial;
      },
    }).then((ed) => {
      if (!alive) { ed.destroy(); return; }
      editor = ed;
      el.dataset.editor = ed.kind;
    });
    const onSlides = () => editor && editor.refresh();
    const events = ["course:slides-open", "course:slides-close", "course:slide-change"];
    for (const ev of events) document.addEventListener(ev, onSlides);
    source.start();
    return () => {
      alive = false;
      for (const ev of events) document.removeEventListener(ev, onSlides);
      if (editor) editor.destroy();
    };
}};
