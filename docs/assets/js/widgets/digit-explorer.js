/* digit-explorer: draw a digit and watch the LeNet-5 of the figures run decide, computed by
 * NumPy in the browser (demos/netdemos.py + demos/nn.py) from docs/assets/models/lenet.npz.
 *
 *   <div class="demo" data-demo="digit-explorer"></div>
 *
 * State for tests and assistive technology: data-prediction, data-probabilities (JSON),
 * data-logits (JSON), data-ready ("true" once the weights are loaded), plus an aria-live line. */
import {h, guardKeys, coalesce, canvasFigure, fmt, parseNumber} from "./common.js";
import {loadNet, provenance, paintGray, plane, pct, errorText, ndarray, toTyped, whenVisible} from "./nets-common.js";
import {grow, watch} from "./canvas.js";

const SIDE = 280;  // drawing canvas, 10 canvas pixels per MNIST pixel
// On a slide the maps are --cw-map CSS px square and the pipeline's thumbnails --cw-thumb
// (nets.css): each as large as the slide's room allows, within these (canvas.js grow).
const MAP_MIN = 24, MAP_MAX = 96, THUMB_MIN = 40, THUMB_MAX = 120;
// The traced layers: [activation key, name, the convolution whose kernels it shows]. Their
// sizes (maps, side, kernel) come from the loaded network (netdemos.load's "layers").
const LAYERS = [["c1_act", "C1", "c1"], ["s2", "S2", null], ["c3_act", "C3", "c3"], ["s4", "S4", null]];

/** «C1: conv 5×5 + ReLU», «S2: max-pool 2×2»: from the sizes, not restated. */
function layerTitle(name, key, layers, config, prev) {
  const {kernel, side} = layers[key];
  if (kernel) return `${name}: conv ${kernel}×${kernel} + ${config.activation === "tanh" ? "tanh" : "ReLU"}`;
  const f = Math.round(layers[prev].side / side);
  return `${name}: ${config.pooling === "avg" ? "average" : "max"}-pool ${f}×${f}`;
}

function heat(g) {  // white -> red for the occlusion drop
  return [255, Math.round(255 * (1 - g)), Math.round(255 * (1 - g))];
}

export default {
  name: "digit-explorer",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let net = null, last = null, strokes = [], current = null, selected = null, alive = true;

    // ---- drawing canvas
    const pad = h("canvas", {width: SIDE, height: SIDE, class: "cw-drawpad", tabindex: "0", role: "img",
                             "aria-label": "Lienzo para dibujar un dígito con el ratón, el dedo o un lápiz"});
    const width = h("input", {type: "range", min: "8", max: "32", value: "20", "aria-label": "Grosor del trazo"});
    const clear = h("button", {type: "button"}, "Borrar");
    const undo = h("button", {type: "button"}, "Deshacer");
    const occl = h("button", {type: "button"}, "Mapa de oclusión");
    const reset = h("button", {type: "button"}, "Restablecer la red");
    const live = h("p", {class: "cw-result", "aria-live": "polite", text: "Cargando la red…"});
    occl.disabled = reset.disabled = true;  // until the network has loaded
    const ctx = pad.getContext("2d");

    function redraw() {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, SIDE, SIDE);
      ctx.strokeStyle = "#fff";
      ctx.lineCap = ctx.lineJoin = "round";
      for (const s of strokes.concat(current ? [current] : [])) {
        ctx.lineWidth = s.width;
        ctx.beginPath();
        ctx.moveTo(s.points[0][0], s.points[0][1]);
        for (const [x, y] of s.points) ctx.lineTo(x, y);
        if (s.points.length === 1) ctx.lineTo(s.points[0][0] + 0.01, s.points[0][1]);
        ctx.stroke();
      }
    }
    const at = (e) => {
      const r = pad.getBoundingClientRect();
      return [(e.clientX - r.left) * SIDE / r.width, (e.clientY - r.top) * SIDE / r.height];
    };
    pad.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      pad.setPointerCapture && pad.setPointerCapture(e.pointerId);
      current = {width: Number(width.value), points: [at(e)]};
      redraw();
    });
    pad.addEventListener("pointermove", (e) => {
      if (!current) return;
      current.points.push(at(e));
      redraw();
    });
    const end = () => {
      if (!current) return;
      strokes.push(current);
      current = null;
      redraw();
      update();
    };
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointercancel", end);
    pad.style.touchAction = "none";
    clear.addEventListener("click", () => { strokes = []; redraw(); update(); });
    undo.addEventListener("click", () => { strokes.pop(); redraw(); update(); });
    redraw();

    // ---- preprocessing, probabilities, maps
    const stages = [canvasFigure("1. recorte al trazo"), canvasFigure("2. caja de 20×20"),
                    canvasFigure("3. centro de masa en 28×28")];
    const bars = h("div", {class: "cw-bars", role: "list", "aria-label": "Probabilidad de cada clase"});
    const barEls = Array.from({length: 10}, (_, d) => {
      const fill = h("span", {class: "cw-bar-fill"});
      const val = h("span", {class: "cw-bar-value", text: "—"});
      const row = h("div", {class: "cw-bar", role: "listitem"}, h("span", {class: "cw-bar-label", text: String(d)}),
                    h("span", {class: "cw-bar-track"}, fill), val);
      bars.append(row);
      return {row, fill, val};
    });
    const mapsBox = h("div", {class: "cw-maps"});
    const mapCanvases = {};
    function buildMaps(layers, config) {
      LAYERS.forEach(([key, name, layer], i) => {
        const n = layers[key].maps;
        const title = layerTitle(name, key, layers, config, i ? LAYERS[i - 1][0] : null);
        const row = h("div", {class: "cw-map-row"}, h("p", {class: "cw-map-title", text: title}));
        mapCanvases[key] = Array.from({length: n}, (_, m) => {
          const c = h("canvas", {class: "cw-pixels cw-map", role: layer ? "button" : "img", tabindex: layer ? "0" : null,
                                 "aria-label": `${title}, mapa ${m + 1}` + (layer ? " (pulsa para ver sus núcleos)" : "")});
          if (layer) {
            const pick = (e) => {
              const r = c.getBoundingClientRect();
              const size = layers[key].side;
              const col = e && e.clientX !== undefined && r.width ? Math.floor((e.clientX - r.left) * size / r.width) : 0;
              const rw = e && e.clientY !== undefined && r.height ? Math.floor((e.clientY - r.top) * size / r.height) : 0;
              select(layer, m, Math.max(0, Math.min(size - 1, rw)), Math.max(0, Math.min(size - 1, col)));
            };
            c.addEventListener("click", pick);
            c.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(layer, m, 0, 0); } });
          }
          row.append(c);
          return c;
        });
        mapsBox.append(row);
      });
    }

    // ---- kernel panel
    const kernelBox = h("div", {class: "cw-kernel-panel", hidden: true});
    const occlFig = canvasFigure("Oclusión: caída de la probabilidad");
    // Its detail («… al tapar con un cuadrado gris de 4×4») is for reading mode and Z: on a
    // slide the caption stays three short lines.
    const occlCap = (head, detail) => {
      occlFig.cap.textContent = head;
      if (detail) occlFig.cap.append(h("span", {class: "cw-secondary", text: detail}));
    };

    // ---- strip of held-out digits
    const strip = h("div", {class: "cw-strip cw-secondary", role: "group", "aria-label": "Dígitos de prueba que la red no vio"});

    const stagesRow = h("div", {class: "demo-row cw-stages"}, ...stages.map((s) => s.fig), occlFig.fig);
    el.classList.add("cw-digit-stage");  // on a slide: pad, pipeline and bars on the left, the maps on the right (nets.css)
    el.append(
      h("div", {class: "demo-row"},
        h("figure", {class: "cw-figure"}, pad, h("figcaption", {class: "cw-secondary", text: "Dibuja aquí un dígito (0-9)"})),
        h("div", {class: "cw-controls", role: "group", "aria-label": "Lienzo"}, clear, undo,
          h("label", {}, "Grosor ", width), occl, reset)),
      stagesRow,
      bars, live, mapsBox, kernelBox,
      h("p", {class: "cw-map-title cw-secondary", text: "Dígitos de prueba (✗: la red se equivoca):"}), strip);

    function setState(res) {
      last = res;
      if (res.empty) {
        el.dataset.prediction = "";
        el.dataset.probabilities = "";
        el.dataset.logits = "";
        live.textContent = "Dibuja un dígito.";
        for (const b of barEls) { b.fill.style.width = "0"; b.val.textContent = "—"; b.row.classList.remove("cw-top"); }
        return;
      }
      el.dataset.prediction = String(res.prediction);
      el.dataset.probabilities = JSON.stringify(res.probabilities);
      el.dataset.logits = JSON.stringify(res.logits);
      live.textContent = res.message;
      res.probabilities.forEach((p, d) => {
        const b = barEls[d];
        b.fill.style.width = `${100 * p}%`;
        b.val.textContent = pct(p);
        b.row.classList.toggle("cw-top", d === res.prediction);
        b.row.setAttribute("aria-label", `${d}: ${pct(p)}`);
      });
      const st = res.stages;
      for (const [fig, key] of [[stages[0], "crop"], [stages[1], "box"], [stages[2], "digit"]]) {
        const [d, hh, ww] = plane(st[key]);
        paintGray(fig.canvas, d, hh, ww, {lo: 0, hi: 1});
      }
      for (const [key] of LAYERS) {
        const rec = res.maps[key];
        const [n, hh, ww] = rec.shape;
        const all = toTyped(rec);
        for (let m = 0; m < n; m++) {
          const d = all.subarray(m * hh * ww, (m + 1) * hh * ww);
          paintGray(mapCanvases[key][m], d, hh, ww);
          const layer = key.slice(0, 2);
          const off = (res.off[layer] || []).includes(m);
          mapCanvases[key][m].classList.toggle("cw-off", off);
        }
      }
    }

    async function compute() {
      if (!net) return;
      const img = ctx.getImageData(0, 0, SIDE, SIDE).data;
      const gray = new Uint8Array(SIDE * SIDE);
      for (let p = 0; p < gray.length; p++) gray[p] = img[4 * p];
      try {
        setState(await net.call("digit_predict", [ndarray(gray, [SIDE, SIDE])]));
        ui.error(null);
        if (selected) await showKernel();
      } catch (err) { ui.error(err); live.textContent = errorText(err); }
    }
    const update = coalesce(el, compute);

    async function run(func, args) {
      try {
        const res = await net.call(func, args);
        if (res && !res.empty) setState(res);
        ui.error(null);
        if (selected) await showKernel();
      } catch (err) { ui.error(err); }
    }

    /** The kernel editor is a panel over the demo on a slide (widgets.css): closing it
     * gives the maps back; focus returns to the map it was opened from. */
    function closeKernel() {
      const from = selected && mapCanvases[(selected.layer === "c1" ? "c1_act" : "c3_act")][selected.m];
      selected = null;
      kernelBox.hidden = true;
      kernelBox.textContent = "";
      if (from) from.focus();
    }
    kernelBox.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && el.closest(".slides-deck")) { e.stopPropagation(); closeKernel(); }
    });

    async function select(layer, m, row, col) {
      if (!net) return;
      selected = {layer, m, row, col};
      await showKernel();
    }

    async function showKernel() {
      const {layer, m, row, col} = selected;
      const k = await net.call("digit_kernel", [layer, m, row, col]);
      const [cin, kh, kw] = k.kernels.shape;
      const ker = toTyped(k.kernels);
      kernelBox.hidden = false;
      kernelBox.textContent = "";
      const title = `${layer.toUpperCase()}, mapa ${m + 1}: ${cin} núcleo${cin > 1 ? "s" : ""} de ${kh}×${kw}, sesgo ${fmt(k.bias)}`
        + (k.edited ? " (editado)" : "") + (k.off ? " — mapa apagado" : "");
      const close = h("button", {type: "button", class: "cw-panel-close", "aria-label": "Cerrar el editor de núcleos"}, "✕ Cerrar");
      close.addEventListener("click", closeKernel);
      kernelBox.append(close, h("p", {class: "cw-map-title", text: title}));
      if (k.patch) {
        kernelBox.append(h("p", {text: `Valor en la fila ${row + 1}, columna ${col + 1} del mapa: ${fmt(k.value)} `
          + `= Σ (parche × núcleo) + sesgo; el parche de entrada que lo produce está bajo cada núcleo.`}));
      }
      const grids = h("div", {class: "cw-kernels"});
      const patch = k.patch ? toTyped(k.patch) : null;
      for (let c = 0; c < cin; c++) {
        const table = h("table", {class: "cw-kernel", "aria-label": `Núcleo ${c + 1} del mapa ${m + 1}`});
        const inputs = [];
        for (let i = 0; i < kh; i++) {
          const tr = h("tr");
          for (let j = 0; j < kw; j++) {
            const inp = h("input", {type: "text", inputmode: "decimal", size: "4", value: fmt(ker[(c * kh + i) * kw + j]),
                                    "aria-label": `Núcleo ${c + 1}, fila ${i + 1}, columna ${j + 1}`});
            inputs.push(inp);
            tr.append(h("td", {}, inp));
          }
          table.append(tr);
        }
        const apply = h("button", {type: "button"}, "Aplicar");
        apply.addEventListener("click", () => {
          const read = inputs.map((inp) => parseNumber(inp.value, {label: inp.getAttribute("aria-label")}));
          const bad = read.findIndex((r) => r.error);
          inputs.forEach((inp) => inp.removeAttribute("aria-invalid"));
          if (bad >= 0) {
            inputs[bad].setAttribute("aria-invalid", "true");
            ui.error(new Error(read[bad].error));
            return;
          }
          const vals = read.map((r) => r.value);
          run("digit_edit", [layer, m, c, vals]);
        });
        const cell = h("div", {class: "cw-kernel-cell"}, table, apply);
        if (patch) {
          const pc = h("canvas", {class: "cw-pixels cw-patch", role: "img", "aria-label": `Parche de entrada ${c + 1}`});
          paintGray(pc, patch.subarray(c * kh * kw, (c + 1) * kh * kw), kh, kw);
          cell.append(pc);
        }
        grids.append(cell);
      }
      const zero = h("button", {type: "button"}, "Poner a cero los núcleos de este mapa");
      zero.addEventListener("click", () => run("digit_zero", [layer, m]));
      const sw = h("button", {type: "button", "aria-pressed": String(!!k.off)}, k.off ? "Encender el mapa" : "Apagar el mapa");
      sw.addEventListener("click", () => run("digit_switch", [layer, m, !!k.off]));
      kernelBox.append(grids, h("div", {class: "cw-controls"}, zero, sw));
    }

    reset.addEventListener("click", () => { selected = null; kernelBox.hidden = true; run("digit_reset", []); });
    occl.addEventListener("click", async () => {
      if (!last || last.empty) { live.textContent = "Dibuja un dígito."; return; }
      try {
        const o = await net.call("digit_occlusion", []);
        const [d, hh, ww] = plane(o.drop);
        paintGray(occlFig.canvas, d, hh, ww, {lo: 0, hi: Math.max(1e-6, o.base), colormap: heat});
        occlCap(`Oclusión: caída de p(${o.class})`, ` al tapar con un cuadrado gris de ${o.patch}×${o.patch}`);
        el.dataset.occlusion = JSON.stringify(Array.from(d, (v) => Math.round(v * 1e4) / 1e4));
      } catch (err) { ui.error(err); }
    });

    function paintSample(images, i, canvas) {
      const d = images.subarray(i * 784, (i + 1) * 784);
      paintGray(canvas, d, 28, 28, {lo: 0, hi: 255});
      return d;
    }

    async function start() {
      try {
        net = await loadNet(runtime, "lenet");
      } catch (err) {
        ui.error(err);
        live.textContent = errorText(err);
        el.dataset.ready = "error";
        return;
      }
      if (!alive) return;
      buildMaps(net.summary.layers, net.summary.config);
      stopWatch = watch(mapsBox, layout);
      const s = net.summary.samples;
      const images = toTyped(s.images);
      s.labels.forEach((label, i) => {
        const wrong = s.torch_pred[i] !== label;
        const c = h("canvas", {class: "cw-pixels"});
        const b = h("button", {type: "button", class: wrong ? "cw-sample cw-wrong" : "cw-sample",
                               "aria-label": `Dígito de prueba: un ${label}` + (wrong ? `; la red dice ${s.torch_pred[i]}` : ""),
                               "data-label": String(label), "data-torch-pred": String(s.torch_pred[i])},
                     c, h("span", {text: wrong ? `✗ ${label}→${s.torch_pred[i]}` : String(label)}));
        const d = paintSample(images, i, c);
        b.addEventListener("click", () => {
          strokes = [];
          redraw();
          ctx.imageSmoothingEnabled = false;
          ctx.drawImage(c, 0, 0, SIDE, SIDE);
          net.call("digit_predict", [], {digit: ndarray(Float32Array.from(d, (v) => v / 255), [28, 28])})
            .then(setState).catch((err) => ui.error(err));
        });
        strip.append(b);
      });
      el.append(provenance(net.entry));
      el.dataset.ready = "true";
      occl.disabled = reset.disabled = false;
      live.textContent = "Dibuja un dígito.";
      update();
    }
    /** On a slide (and under Z) the maps and thumbnails take the room the slide has left. */
    let stopWatch = () => {};
    function layout() {
      const size = (name) => (v) => { if (v) el.style.setProperty(name, `${v}px`); else el.style.removeProperty(name); };
      // The maps first (the right column), then the thumbnails in what the left column has left.
      size("--cw-thumb")(0);
      grow(mapsBox, size("--cw-map"), 0, MAP_MIN, MAP_MAX);
      grow(stagesRow, size("--cw-thumb"), 0, THUMB_MIN, THUMB_MAX);
    }
    const unwatch = whenVisible(el, start);
    return () => { alive = false; unwatch(); stopWatch(); };
  },
};
