/* exercise-progress: every exercise of the course with its state in this browser (not
 * tried, failed, solved), and export/import of the student's work as one JSON file.
 *
 *   <div class="demo" data-demo="exercise-progress"></div>
 *
 * Runs no Python (listed in python-gate.js's PYTHON_FREE): it reads localStorage and
 * index.json only. Rows carry data-exercise and data-state (untried | failed | solved);
 * the root carries data-ready once the list is drawn and data-imported after an import.
 */
import {h, uid} from "./common.js";
import * as store from "../exercise-store.js";
import {fetchAsset} from "../fetch-asset.js";

const SITE_ROOT = new URL("../../../", import.meta.url);
const INDEX_URL = new URL("../../exercises/index.json", import.meta.url);
const STATE_TEXT = {untried: "Sin intentar", failed: "Con fallos", solved: "Resuelto"};

export default {
  name: "exercise-progress",
  mount(el, {ui}) {
    let alive = true, list = [];
    const summary = h("p", {class: "ex-progress-summary", role: "status", "aria-live": "polite"}, "Cargando la lista…");
    const tbody = h("tbody");
    const table = h("table", {class: "ex-progress-table"},
      h("caption", {}, "Estado de cada ejercicio en este navegador"),
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "Ejercicio"), h("th", {scope: "col"}, "Estado"),
        h("th", {scope: "col"}, "Comprobaciones"))),
      tbody);
    const exportBtn = h("button", {type: "button", class: "ex-export"}, "Exportar mi trabajo (JSON)");
    const fileId = uid("ex-import");
    const file = h("input", {type: "file", id: fileId, accept: "application/json,.json", class: "ex-import"});
    const notice = h("p", {class: "ex-progress-notice", "aria-live": "polite"});
    el.append(summary, h("div", {class: "md-typeset__scrollwrap"}, h("div", {class: "md-typeset__table"}, table)),
      h("div", {class: "cw-controls"}, exportBtn,
        h("label", {for: fileId, class: "ex-import-label"}, "Importar un archivo exportado:"), file),
      notice);

    function render() {
      tbody.textContent = "";
      const counts = {untried: 0, failed: 0, solved: 0};
      for (const ex of list) {
        const record = store.load(ex.id);
        const state = store.stateOf(record);
        counts[state] += 1;
        const href = new URL(`${ex.url}#ejercicio-${ex.id}`, SITE_ROOT).href;
        tbody.append(h("tr", {"data-exercise": ex.id, "data-state": state},
          h("td", {}, h("a", {href}, ex.title)),
          h("td", {class: `ex-state ex-state-${state}`}, STATE_TEXT[state]
            + (record.solutionShown && state !== "solved" ? " (solución vista)" : "")),
          h("td", {}, String(record.checks))));
      }
      summary.textContent = `${counts.solved} de ${list.length} resueltos, ${counts.failed} con fallos, `
        + `${counts.untried} sin intentar.`;
    }

    exportBtn.addEventListener("click", () => {
      const data = store.exportData(list.map((e) => e.id));
      const blob = new Blob([JSON.stringify(data, null, 1)], {type: "application/json"});
      const a = h("a", {href: URL.createObjectURL(blob), download: "ejercicios-progreso.json"});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      notice.textContent = `Exportados ${Object.keys(data.exercises).length} ejercicios en «ejercicios-progreso.json».`;
    });

    file.addEventListener("change", async () => {
      const f = file.files && file.files[0];
      if (!f) return;
      try {
        const count = store.importData(JSON.parse(await f.text()), list.map((e) => e.id));
        notice.textContent = `Importados ${count} ejercicios de «${f.name}».`;
        render();
        el.dataset.imported = String(count);
      } catch (err) {
        notice.textContent = err instanceof SyntaxError
          ? `«${f.name}» no es un archivo JSON válido.` : `No se pudo importar «${f.name}»: ${err.message}`;
        el.dataset.imported = "error";
      }
      file.value = "";
    });

    const onStorage = () => alive && list.length && render();  // another tab solved one
    window.addEventListener("storage", onStorage);
    fetchAsset(INDEX_URL, "la lista de ejercicios")
      .then((r) => r.json())
      .then((data) => {
        if (!alive) return;
        list = data.exercises;
        render();
        el.dataset.ready = "true";
      })
      .catch((err) => { if (alive) ui.error(err); });
    return () => { alive = false; window.removeEventListener("storage", onStorage); };
  },
};
