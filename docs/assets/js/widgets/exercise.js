/* exercise: a graded exercise. The student writes a NumPy function in a CodeMirror editor;
 * «Comprobar» runs it in Pyodide (demos/grader.py) against the answers PyTorch computed
 * when the site was built (assets/exercises/<id>.json). Hints open one at a time; the
 * solution after `attempts` failed checks, or earlier with a confirmation. The code and
 * the progress stay in localStorage (exercise-store.js).
 *
 *   <div class="demo" data-demo="exercise" data-exercise="conv2d"></div>   (in Markdown;
 *   the build puts the statement inside it)
 *
 * For tests and assistive technology the root carries data-result (passed | failed |
 * error, after «Comprobar»), data-checks (checks finished), data-attempts (failed ones),
 * data-hints, data-solution (shown | hidden), data-editor (codemirror | textarea); the
 * verdict is also announced by an aria-live line.
 */
import {h, uid, guardKeys, plural, withWatchdog} from "./common.js";
import * as store from "../exercise-store.js";
import {fetchAsset} from "../fetch-asset.js";
import {codeEditor} from "./code-editor.js";

const SPEC_BASE = new URL("../../exercises/", import.meta.url);
// The grader stops a loop of the student's Python itself (with the line); this is for
// code stuck where Python cannot see it (inside NumPy): then the worker is restarted.
const WATCHDOG_GRACE_S = 5;

/** The worker restarted under us (our watchdog, or another widget's «Detener»). */
function wasInterrupted(err) {
  const rec = err && (err.record || err.python);
  return !!rec && (rec.kind === "interrupted" || rec.type === "KeyboardInterrupt");
}

export default {
  name: "exercise",
  mount(el, {runtime, ui}) {
    const id = el.dataset.exercise;
    let alive = true, spec = null, editor = null, busy = false;
    let record = store.load(id);
    guardKeys(el);

    const labelId = uid("ex-label"), helpId = uid("ex-help");
    const runBtn = h("button", {type: "button", class: "ex-run"}, "▶ Ejecutar");
    const checkBtn = h("button", {type: "button", class: "ex-check"}, "✓ Comprobar");
    const hintBtn = h("button", {type: "button", class: "ex-hint-button"}, "Pista");
    const solutionBtn = h("button", {type: "button", class: "ex-solution-button"}, "Ver la solución");
    const resetBtn = h("button", {type: "button", class: "ex-reset"}, "Restablecer");
    const result = h("p", {class: "ex-result", role: "status", "aria-live": "polite"});
    const cases = h("ul", {class: "ex-cases", "aria-label": "Casos comprobados"});
    const stdoutText = h("pre", {class: "ex-stdout"});
    const stdout = h("div", {class: "ex-stdout-box", hidden: true}, h("p", {class: "ex-stdout-label"}, "Salida de print():"), stdoutText);
    const trace = h("details", {class: "ex-trace", hidden: true}, h("summary", {}, "Traza de Python"), h("pre"));
    const hints = h("ol", {class: "ex-hints", "aria-label": "Pistas"});
    const confirm = h("div", {class: "ex-confirm", role: "group", "aria-label": "Confirmar", hidden: true},
      h("p", {}, "¿Ver la solución ya? Intentarlo un poco más es lo que más enseña."),
      h("button", {type: "button", class: "ex-confirm-yes"}, "Sí, ver la solución"),
      h("button", {type: "button", class: "ex-confirm-no"}, "Seguir intentándolo"));
    const solutionCode = h("pre", {class: "ex-solution-code"}, h("code"));
    const useSolution = h("button", {type: "button", class: "ex-use-solution"}, "Copiar la solución al editor");
    const solution = h("div", {class: "ex-solution", hidden: true},
      h("p", {class: "ex-solution-title"}, h("strong", {}, "Solución")), solutionCode, useSolution);
    const editorBox = h("div", {class: "ex-editor"});
    const body = h("div", {class: "ex-body"},
      h("p", {id: labelId, class: "ex-label"}, "Tu código"),
      h("p", {id: helpId, class: "ex-help"},
        "Tab sangra (Esc y luego Tab sale del editor); Ctrl+Enter ejecuta. Tu código se guarda en este navegador."),
      editorBox,
      h("div", {class: "cw-controls ex-controls"}, runBtn, checkBtn, hintBtn, solutionBtn, resetBtn),
      result, cases, stdout, trace, hints, confirm, solution);
    el.append(body);
    const buttons = [runBtn, checkBtn, hintBtn, solutionBtn, resetBtn];
    buttons.forEach((b) => { b.disabled = true; });
    el.dataset.checks = "0";
    el.dataset.solution = "hidden";
    result.textContent = "Cargando el ejercicio…";

    function setBusy(on) {
      busy = on;
      el.dataset.busy = on ? "true" : "false";
      for (const b of [runBtn, checkBtn]) {
        if (on) b.setAttribute("aria-disabled", "true"); else b.removeAttribute("aria-disabled");
      }
    }

    function showHints() {
      const n = Math.min(record.hints, spec.hints.length);
      while (hints.children.length < n) {
        const li = h("li");
        li.innerHTML = spec.hintsHtml[hints.children.length];
        hints.append(li);
      }
      el.dataset.hints = String(n);
      hintBtn.disabled = n >= spec.hints.length;
      hintBtn.textContent = n >= spec.hints.length ? "No hay más pistas"
        : `Pista ${n + 1} de ${spec.hints.length}`;
    }

    function updateSolutionButton() {
      const free = record.failures >= spec.attempts, left = spec.attempts - record.failures;
      solutionBtn.textContent = record.solutionShown ? "Solución a la vista"
        : free ? "Ver la solución" : `Ver la solución (${left === 1 ? "queda" : "quedan"} ${plural(left, "intento")})`;
      solutionBtn.disabled = record.solutionShown;
      el.dataset.attempts = String(record.failures);
    }

    function revealSolution() {
      confirm.hidden = true;
      solution.hidden = false;
      solutionCode.firstChild.textContent = spec.solution;
      record = store.save(id, {solutionShown: true});
      el.dataset.solution = "shown";
      updateSolutionButton();
    }

    function showOutput(out) {
      stdout.hidden = !out.stdout;
      stdoutText.textContent = out.stdout || "";
      trace.hidden = !out.traceback;
      trace.querySelector("pre").textContent = out.traceback || "";
      if (out.line && editor) el.dataset.errorLine = String(out.line); else delete el.dataset.errorLine;
    }

    function showCases(list) {
      cases.textContent = "";
      for (const c of list || []) {
        cases.append(h("li", {class: c.ok ? "ex-case-ok" : "ex-case-bad"},
          h("span", {class: "ex-mark", "aria-hidden": "true"}, c.ok ? "✓" : "✗"),
          ` ${c.ok ? "Superado" : "Falla"}: ${c.name}`));
      }
    }

    /** Call the grader with a watchdog; resolve to its record, or to a timeout record. */
    async function grade(func) {
      await runtime.start();
      const limit = spec.time_limit + WATCHDOG_GRACE_S;
      const call = runtime.call("demos.grader", func, [editor.get(), spec.raw])
        .catch((err) => { if (wasInterrupted(err)) return null; throw err; });
      const {out} = await withWatchdog(runtime, call, limit);
      if (out) return out;
      return {status: "error", code: "timeout", cases: [], stdout: "", traceback: "", line: null,
              message: `Tiempo agotado: tu código no terminó en ${limit} s y Python se ha reiniciado. `
                + "¿Un bucle que no termina? Corrígelo y vuelve a intentarlo."};
    }

    async function run() {
      if (busy || !spec) return;
      setBusy(true);
      result.textContent = runtime.state === "ready" ? "Ejecutando tu código…" : "Esperando a Python…";
      try {
        const out = await grade("run");
        if (!alive) return;
        result.textContent = out.message;
        result.dataset.kind = out.status === "error" ? "error" : "info";
        showCases([]);
        showOutput(out);
      } catch (err) {
        if (alive) ui.error(err);
      } finally {
        if (alive) setBusy(false);
      }
    }

    async function check() {
      if (busy || !spec) return;
      setBusy(true);
      delete el.dataset.result;
      result.textContent = runtime.state === "ready" ? "Comprobando…" : "Esperando a Python…";
      try {
        const out = await grade("check");
        if (!alive) return;
        ui.error(null);
        const passed = out.status === "passed";
        record = store.save(id, {
          code: editor.get(), checks: record.checks + 1, passed: record.passed || passed,
          failures: record.failures + (passed ? 0 : 1), lastResult: out.status,
        });
        result.textContent = out.message + (!passed && record.failures === spec.attempts && !record.solutionShown
          ? ` Ya puedes ver la solución si la necesitas.` : "");
        result.dataset.kind = passed ? "ready" : "error";
        showCases(out.cases);
        showOutput(out);
        updateSolutionButton();
        el.dataset.result = out.status;
      } catch (err) {
        if (!alive) return;
        ui.error(err);
        el.dataset.result = "error";
        result.textContent = `No se pudo comprobar: ${err.message}`;
      } finally {
        if (alive) {
          setBusy(false);
          el.dataset.checks = String(Number(el.dataset.checks) + 1);
        }
      }
    }

    runBtn.addEventListener("click", run);
    checkBtn.addEventListener("click", check);
    hintBtn.addEventListener("click", () => {
      record = store.save(id, {hints: record.hints + 1});
      showHints();
      const shown = hints.lastElementChild;  // move focus to the new hint: it is read out
      if (shown) { shown.setAttribute("tabindex", "-1"); shown.focus(); }
    });
    solutionBtn.addEventListener("click", () => {
      if (record.failures >= spec.attempts) revealSolution();
      else { confirm.hidden = false; confirm.querySelector(".ex-confirm-yes").focus(); }
    });
    confirm.querySelector(".ex-confirm-yes").addEventListener("click", revealSolution);
    confirm.querySelector(".ex-confirm-no").addEventListener("click", () => { confirm.hidden = true; editor.focus(); });
    useSolution.addEventListener("click", () => { editor.set(spec.solution); editor.focus(); });
    resetBtn.addEventListener("click", () => {
      editor.set(spec.starter);
      record = store.save(id, {code: spec.starter});
      result.textContent = "Código inicial restablecido (Ctrl+Z lo deshace).";
      result.dataset.kind = "info";
      editor.focus();
    });

    // On a slide the statement keeps its column's height and scrolls inside it: it says so
    // (exercises.css) while more of it lies below, so the room never misses the rest.
    const statement = el.querySelector(":scope > .ex-statement");
    const more = () => {
      if (statement) statement.dataset.more = String(statement.scrollHeight - statement.scrollTop > statement.clientHeight + 2);
    };
    if (statement) statement.addEventListener("scroll", more, {passive: true});
    const sized = statement && typeof ResizeObserver !== "undefined" ? new ResizeObserver(more) : null;
    if (sized) [statement, ...statement.children].forEach((node) => sized.observe(node));  // its box, and its content (math typeset late)
    const onSlides = () => { if (editor) editor.refresh(); more(); };
    for (const ev of ["course:slides-open", "course:slides-close", "course:slide-change"]) document.addEventListener(ev, onSlides);

    (async () => {
      try {
        const resp = await fetchAsset(new URL(`${id}.json`, SPEC_BASE), `el ejercicio «${id}»`);
        const raw = await resp.json();
        if (!alive) return;
        spec = {...raw, raw, hintsHtml: raw.hints.map(hintHtml)};
        editor = await codeEditor(editorBox, {
          doc: typeof record.code === "string" ? record.code : spec.starter,
          labelId, describedBy: helpId, onRun: run,
          onChange: () => { record = store.save(id, {code: editor.get()}); },
          textareaClass: "ex-textarea", maxRows: Infinity,
        });
        if (!alive) { editor.destroy(); return; }
        el.dataset.editor = editor.kind;
        buttons.forEach((b) => { b.disabled = false; });
        showHints();
        updateSolutionButton();
        if (record.solutionShown) revealSolution();
        const state = store.stateOf(record);
        result.textContent = state === "solved" ? "Ya lo resolviste en este navegador; puedes repasarlo."
          : state === "failed" ? `Llevas ${record.failures} intento${record.failures === 1 ? "" : "s"} fallido${record.failures === 1 ? "" : "s"}; tu código se ha recuperado.`
          : `Escribe la función «${spec.function}» y pulsa «Comprobar».`;
        el.dataset.ready = "true";
      } catch (err) {
        if (alive) { ui.error(err); result.textContent = `El ejercicio no se pudo cargar: ${err.message}`; }
      }
    })();

    return () => {
      alive = false;
      for (const ev of ["course:slides-open", "course:slides-close", "course:slide-change"]) document.removeEventListener(ev, onSlides);
      if (editor) editor.destroy();
      if (sized) sized.disconnect();
    };
  },
};

/** Hints are short Markdown-ish text: `code` and $math$ (typeset when KaTeX is there). */
function hintHtml(text) {
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return esc(text)
    .replace(/`([^`]+)`/g, (_, c) => `<code>${c}</code>`)
    .replace(/\*\*([^*]+)\*\*/g, (_, b) => `<strong>${b}</strong>`)
    .replace(/\$([^$]+)\$/g, (_, m) => {
      const tex = m.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      if (window.katex) {
        try { return window.katex.renderToString(tex, {throwOnError: false}); } catch (err) { /* fall through */ }
      }
      return `<span class="arithmatex">\\(${m}\\)</span>`;
    });
}
