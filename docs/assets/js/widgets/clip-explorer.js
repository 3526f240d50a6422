/* clip-explorer: the course's mini-CLIP, live. Draw a digit (or pick a held-out one), write
 * captions, and read the probabilities CLIP gives them (softmax of the similarities over the
 * learned temperature): zero-shot classification. Also the ViT's class-token attention over
 * the 7×7 patches, per layer and head, and the similarity matrix of a batch of digits and
 * captions, the picture of the contrastive (InfoNCE) loss.
 *
 *   <div class="demo" data-demo="clip-explorer"></div>
 *
 * State: data-scores (JSON caption -> probability), data-top (the most probable caption),
 * data-ready, data-requested / data-done (equal once the latest drawing or caption
 * change has its scores), and an aria-live line. Computed by demos/sd_demos.py from assets/models/clip.npz. */
import {h, guardKeys} from "./common.js";
import {loadNet, provenance, paintGray, plane, pct, errorText, ndarray, toTyped, whenVisible} from "./nets-common.js";
import {drawPad, SIDE, sized} from "./draw-pad.js";

const DIGITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"];
const PRESETS = {
  digits: () => DIGITS.map((d) => `un ${d}`),
  thickness: (d) => [`un ${d} grueso`, `un ${d} fino`],
  slant: (d) => [`un ${d} recto`, `un ${d} inclinado a la derecha`, `un ${d} inclinado a la izquierda`],
};

function heat(g) {  // black -> orange -> yellow: where the class token looks
  return [Math.round(255 * Math.min(1, 2 * g)), Math.round(255 * Math.max(0, 2 * g - 0.6)), 0];
}

export default {
  name: "clip-explorer",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let net = null, alive = true, source = {sample: 0}, top = "un cero", busy = null, requested = 0;
    // An emptied canvas (Borrar, or Deshacer down to nothing) goes back to the chosen held-out
    // digit instead of an error: nothing the reader did is wrong, and the demo keeps its layout.
    const pad = drawPad({onChange: () => { source = pad.gray() ? {drawn: true} : {sample: Number(pick.value)}; score(); },
                         label: "Lienzo para dibujar un dígito"});
    const pick = h("select", {"aria-label": "Dígito de prueba (no visto en el entrenamiento)"});
    const captions = h("textarea", {rows: "4", cols: "28", class: "cw-captions", spellcheck: "false",
                                    "aria-label": "Textos a comparar, uno por línea", "data-field": "captions"});
    captions.value = PRESETS.digits().join("\n");
    const preset = h("select", {"aria-label": "Textos de ejemplo"},
      h("option", {value: "digits"}, "«un cero» … «un nueve»"),
      h("option", {value: "thickness"}, "¿grueso o fino?"),
      h("option", {value: "slant"}, "¿recto o inclinado?"));
    const compare = h("button", {type: "button", disabled: true}, "Comparar");
    const bars = h("div", {class: "cw-bars cw-bars-wide", role: "list", "aria-label": "Probabilidad de cada texto"});
    const digitView = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "El dígito que ve CLIP (28×28)"});
    const attn = h("canvas", {class: "cw-pixels", role: "img", "aria-label": "Atención del token de clase sobre los 49 parches"});
    const layer = h("select", {"aria-label": "Capa del ViT"});
    const head = h("select", {"aria-label": "Cabeza de atención"}, h("option", {value: "-1"}, "media"));
    const attnCap = h("figcaption", {text: "Atención del token de clase"});
    const matrixBtn = h("button", {type: "button", disabled: true, "aria-pressed": "false"}, "Matriz de similitud");
    const matrixBox = h("div", {class: "cw-matrix", hidden: true});
    const live = h("p", {class: "cw-result", "aria-live": "polite", text: "Cargando el mini-CLIP…"});
    const field = (label, input) => h("label", {class: "cw-control"}, label, " ", input);
    const textCol = h("div", {class: "cw-col"},
      h("div", {class: "cw-controls"}, field("Textos", preset), compare), captions, bars);
    const figCol = h("div", {class: "cw-col"},
      h("figure", {class: "cw-figure"}, digitView, h("figcaption", {text: "lo que ve (28×28)"})),
      h("figure", {class: "cw-figure"}, attn, attnCap),
      h("div", {class: "cw-controls"}, field("Capa", layer), field("Cabeza", head)));
    // On a slide the drawing and the message sit on the left and the results on the right
    // (widgets.css's stage: a .demo-row goes right); the matrix takes the results' place.
    el.append(
      h("div", {class: "cw-col"}, pad.root, field("O un dígito de prueba:", pick), matrixBtn),
      live,
      h("div", {class: "demo-row"}, textCol, figCol, matrixBox));

    for (const c of [digitView, attn]) sized(c, "thumb");
    function toggleMatrix(on) {
      matrixBox.hidden = !on;
      textCol.hidden = figCol.hidden = on;
      matrixBtn.textContent = on ? "Volver a los textos" : "Matriz de similitud";
      matrixBtn.setAttribute("aria-pressed", String(on));
    }

    const lines = () => captions.value.split("\n").map((s) => s.trim()).filter(Boolean);

    function showScores(r) {
      bars.replaceChildren();
      const probs = Array.from(toTyped(r.probs));
      const best = probs.indexOf(Math.max(...probs));
      const scores = {};
      r.captions.forEach((c, i) => {
        scores[c] = Math.round(probs[i] * 10000) / 10000;
        const fill = h("span", {class: "cw-bar-fill"});
        fill.style.width = `${(100 * probs[i]).toFixed(1)}%`;
        bars.append(h("div", {class: `cw-bar${i === best ? " cw-top" : ""}`, role: "listitem"},
          h("span", {class: "cw-bar-label", text: `«${c}»`}), h("span", {class: "cw-bar-track"}, fill),
          h("span", {class: "cw-bar-value", text: pct(probs[i])})));
      });
      el.dataset.scores = JSON.stringify(scores);
      el.dataset.top = r.captions[best];
      const [d, hh, ww] = plane(r.digit);
      paintGray(digitView, d, hh, ww, {lo: 0, hi: 1});
      const notes = Object.values(r.notes).flat();
      const temp = r.temperature.toLocaleString("es-ES", {maximumFractionDigits: 3});
      live.textContent = `El texto más parecido: «${r.captions[best]}» (${pct(probs[best])}). `
        + `Probabilidades = softmax(similitud coseno / temperatura ${temp}).`
        + (notes.length ? ` ${[...new Set(notes)].join(" ")}` : "");
      const m = /^un (\w+)/.exec(r.captions[best]);
      if (m && DIGITS.includes(m[1])) top = r.captions[best];
      if (layer.options.length !== r.layers) {
        layer.replaceChildren(...Array.from({length: r.layers}, (_, i) => h("option", {value: String(i)}, String(i + 1))));
        layer.value = String(r.layers - 1);
        head.replaceChildren(h("option", {value: "-1"}, "media"),
          ...Array.from({length: r.heads}, (_, i) => h("option", {value: String(i)}, String(i + 1))));
      }
    }

    async function showAttention() {
      try {
        const a = await net.call("clip_attention", [Number(layer.value), Number(head.value)]);
        const [d, hh, ww] = plane(a.map);
        paintGray(attn, d, hh, ww, {lo: 0, colormap: heat});
        attnCap.textContent = `Capa ${Number(layer.value) + 1}, ${head.value === "-1" ? "media de las cabezas" : `cabeza ${Number(head.value) + 1}`}`;
      } catch (err) { ui.error(err); }
    }

    async function score() {
      if (!net) return;
      const run = busy = Symbol("score");
      const number = ++requested;
      el.dataset.requested = String(number);
      const texts = lines();
      let args;
      if (source.drawn) {
        const g = pad.gray();
        args = {image: g ? ndarray(g, [SIDE, SIDE]) : null};
      } else {
        args = {sample: source.sample};
      }
      try {
        const r = await net.call("clip_scores", [texts], args);
        if (run !== busy || !alive) return;
        ui.error(null);
        showScores(r);
        await showAttention();
      } catch (err) {
        if (run !== busy) return;
        ui.error(err);
        live.textContent = errorText(err);
      } finally {
        if (run === busy) el.dataset.done = String(number);  // the latest request has its answer
      }
    }

    async function matrix() {
      try {
        const m = await net.call("clip_matrix", [8]);
        const [probs] = [toTyped(m.row_probs)];
        const n = m.captions.length;
        const imgs = toTyped(m.images);
        const table = h("table", {class: "cw-sim"});
        table.append(h("caption", {text: "Fila: un dígito de prueba; columna: un texto. Cada fila es la softmax de "
          + "las similitudes; InfoNCE quiere la diagonal (cada dígito con su texto)."}));
        table.append(h("tr", {}, h("th", {scope: "col", text: ""}),
          ...m.captions.map((c) => h("th", {scope: "col", text: c.replace("un ", "")}))));
        for (let i = 0; i < n; i++) {
          const thumb = h("canvas", {class: "cw-pixels", role: "img", "aria-label": `Dígito de la fila ${i + 1}`});
          Object.assign(thumb.style, {width: "32px", height: "32px"});
          paintGray(thumb, imgs.subarray(i * 784, (i + 1) * 784), 28, 28, {lo: 0, hi: 1});
          const row = h("tr", {}, h("th", {scope: "row"}, thumb));
          for (let j = 0; j < n; j++) {
            const p = probs[i * n + j];
            const td = h("td", {text: Math.round(100 * p).toString()});
            td.style.background = `rgba(233, 30, 99, ${p.toFixed(3)})`;
            if (p > 0.5) td.style.color = "#fff";
            row.append(td);
          }
          table.append(row);
        }
        matrixBox.replaceChildren(table);
        toggleMatrix(true);
      } catch (err) { ui.error(err); }
    }

    pick.addEventListener("change", () => { source = {sample: Number(pick.value)}; pad.clear(); score(); });
    preset.addEventListener("change", () => {
      const digit = /^un (\w+)/.exec(top)[1];
      captions.value = PRESETS[preset.value](digit).join("\n");
      score();
    });
    compare.addEventListener("click", score);
    captions.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) score(); });
    layer.addEventListener("change", showAttention);
    head.addEventListener("change", showAttention);
    matrixBtn.addEventListener("click", () => (matrixBox.hidden ? matrix() : toggleMatrix(false)));

    const unwatch = whenVisible(el, async () => {
      try {
        net = await loadNet(runtime, "clip", {module: "demos.sd_demos"});
      } catch (err) {
        ui.error(err);
        live.textContent = errorText(err);
        return;
      }
      if (!alive) return;
      const labels = net.summary.samples.labels;
      pick.replaceChildren(...labels.map((d, i) => h("option", {value: String(i)}, `n.º ${i + 1} (un ${DIGITS[d]})`)));
      el.append(provenance(net.entry));
      compare.disabled = matrixBtn.disabled = false;
      el.dataset.ready = "true";
      await score();
    });
    return () => { alive = false; unwatch(); };
  },
};
