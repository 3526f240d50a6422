/* The one code editor of the site, for the lecture Python cells and the graded exercises:
 * the CodeMirror 6 bundle (sitebuild/editor, assets/vendor/codemirror/codemirror.js: line
 * numbers, Python highlighting, Tab indents), or a plain textarea if the bundle cannot
 * load, so a cell or an exercise works either way.
 *
 *   const ed = await codeEditor(parent, {doc, labelId, describedBy, onChange, onRun,
 *                                        textareaClass, maxRows});
 *   ed.get(), ed.set(text), ed.focus(), ed.refresh(), ed.destroy(), ed.kind
 */
import {h} from "./common.js";

const EDITOR_URL = new URL("../../vendor/codemirror/codemirror.js", import.meta.url).href;
let editorModule = null;

function loadEditor() {
  if (!editorModule) editorModule = import(EDITOR_URL);
  return editorModule;
}

/** `textareaClass` and `maxRows` shape the fallback textarea (the exercises' grows with
 * the code; a lecture cell's stops at 24 rows). */
export async function codeEditor(parent, {doc, labelId, describedBy, onChange = () => {}, onRun = () => {},
                                          textareaClass = "cw-code", maxRows = 24}) {
  try {
    const cm = await loadEditor();
    const view = new cm.EditorView({
      parent,
      state: cm.EditorState.create({
        doc,
        extensions: [
          cm.basicSetup,
          cm.highlighting,  // the default colours with every token >= 4.5:1 (axe)
          cm.python(),
          cm.EditorView.lineWrapping,
          cm.indentUnit.of("    "),
          cm.keymap.of([{key: "Mod-Enter", run: () => { onRun(); return true; }}, cm.indentWithTab]),
          cm.EditorView.contentAttributes.of({"aria-labelledby": labelId, "aria-describedby": describedBy}),
          cm.EditorView.updateListener.of((u) => { if (u.docChanged) onChange(); }),
        ],
      }),
    });
    // Ctrl+Enter runs: caught before CodeMirror's own keymap (basicSetup binds Mod-Enter
    // to «insert a blank line», and this bundle exports no Prec to outrank it).
    parent.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); e.stopPropagation(); onRun(); }
    }, {capture: true});
    return {
      kind: "codemirror",
      get: () => view.state.doc.toString(),
      set: (text) => view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}}),
      focus: () => view.focus(),
      refresh: () => view.requestMeasure(),
      destroy: () => view.destroy(),
    };
  } catch (err) {
    console.warn("CodeMirror no se pudo cargar; se usa un área de texto", err);
    const area = h("textarea", {class: textareaClass, spellcheck: "false", autocapitalize: "off", autocomplete: "off",
                                "aria-labelledby": labelId, "aria-describedby": describedBy,
                                rows: Math.min(maxRows, Math.max(8, doc.split("\n").length + 1))});
    area.value = doc;
    area.addEventListener("input", onChange);
    area.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); onRun(); } });
    parent.append(area);
    return {kind: "textarea", get: () => area.value, set: (t) => { area.value = t; onChange(); },
            focus: () => area.focus(), refresh() {}, destroy: () => area.remove()};
  }
}
