/* conv-explorer: a photo (bundled or the reader's own), an editable kernel and sliders
 * for stride, padding and dilation; NumPy (demos/samples.py -> imageops.conv2d) filters
 * the photo in the browser while the slider moves.
 *
 *   <div class="demo" data-demo="conv-explorer" data-preset="sobel_x" data-sample="camera"></div>
 *
 * Every change asks for one update; at most one computation is in flight and the latest
 * settings win (coalesce in common.js). Bad input is explained inline by Python's
 * message, the box or kernel cell it names is marked, and the widget keeps working.
 * A matrix pasted into a cell ("1 0 -1; 2 0 -2; 1 0 -1") fills the whole kernel.
 */
import {h, uid, guardKeys, coalesce, numberControl, readNumber, imageSource, canvasFigure,
         fmt, placeErrors, rows, isInterrupted} from "./common.js";
import {decimal, DECIMAL_COMMA_RULE} from "./numbers.js";

  /** 0.1111… -> "1/9", 0.0625 -> "1/16": presets read as the lectures write them. */
  // Text that is a whole matrix, not one number: rows split by ";" or lines, brackets,
  // or several numbers separated by spaces.
  const MATRIX = /[;\n[\]]|\S\s+\S/;
  const MATRIX_PAUSE_MS = 700;
  /** Text being typed that is a matrix of several numbers («1 0 -1; 2 0 -2; 1 0 -1»), not
   * one bad cell («[1]», «1 e»: Python explains those at once). */
  const typingMatrix = (text) => MATRIX.test(text.trim())
    && text.split(/[\s,;[\]]+/).filter((t) => /\d/.test(t)).length >= 2;

  function showValue(v) {
    if (Number.isInteger(v)) return String(v);
    for (const den of [2, 4, 8, 9, 16]) {
      const num = v * den;
      if (Math.abs(num - Math.round(num)) < 1e-9) return `${Math.round(num)}/${den}`;
    }
    return decimal(Number(v.toPrecision(6)));  // a cell shows a Spanish decimal
  }

export default {name: "conv-explorer", mount(el, {runtime: rt, ui}) {
    guardKeys(el);
    let size = 3;
    let cells = [];  // rows of <input>
    let presets = [];
    let matrixTimer = null;

    // ---- kernel
    const presetId = uid("cw-preset"), sizeId = uid("cw-ksize");
    const presetSel = h("select", {id: presetId}, h("option", {value: ""}, "Personalizado"));
    const sizeSel = h("select", {id: sizeId, "data-field": "kernel"},
      [1, 2, 3, 4, 5, 6, 7].map((n) => h("option", {value: n, selected: n === 3}, `${n}×${n}`)));
    const grid = h("div", {class: "cw-kernel", role: "group", "aria-label": "Núcleo (filtro) editable"});
    const kernelBox = h("fieldset", {class: "cw-fieldset"}, h("legend", {text: "Núcleo"}),
      h("div", {class: "cw-row"},
        h("div", {class: "cw-control"}, h("label", {for: presetId}, "Filtro predefinido"), presetSel),
        h("div", {class: "cw-control"}, h("label", {for: sizeId}, "Tamaño"), sizeSel)),
      grid,
      h("p", {class: "cw-hint", text: "Escribe números: -1, 0,5 (o 0.5) o fracciones como 1/9; o pega o escribe una matriz "
        + "entera en una celda, por ejemplo 1 0 -1; 2 0 -2; 1 0 -1. " + DECIMAL_COMMA_RULE}));

    function buildGrid(values) {
      grid.textContent = "";
      grid.style.gridTemplateColumns = `repeat(${size}, minmax(2.8em, 4.2em))`;
      cells = values.map((row, i) => row.map((v, j) => {
        const input = h("input", {type: "text", inputmode: "decimal", value: v, size: 4, "data-cell": `${i},${j}`,
                                  "aria-label": `Núcleo, fila ${i + 1}, columna ${j + 1}`});
        input.addEventListener("input", () => {
          presetSel.value = "";
          // A whole matrix being typed into one cell becomes the kernel once typing pauses
          // (no Enter needed); until then nothing is computed from the half-typed text.
          clearTimeout(matrixTimer);
          if (typingMatrix(input.value)) { matrixTimer = setTimeout(() => pasteMatrix(input.value), MATRIX_PAUSE_MS); return; }
          update();
        });
        input.addEventListener("paste", (event) => {
          const text = event.clipboardData && event.clipboardData.getData("text");
          if (text && MATRIX.test(text.trim())) { event.preventDefault(); pasteMatrix(text); }
        });
        input.addEventListener("change", () => {
          if (MATRIX.test(input.value.trim())) { clearTimeout(matrixTimer); pasteMatrix(input.value); }
        });
        grid.append(input);
        return input;
      }));
    }
    // The cells as typed: Python's parse_kernel reads each («0,5», «1/9», «−1»: imageops.decimal_comma).
    function readGrid() { return cells.map((row) => row.map((c) => c.value)); }
    /** A whole matrix typed or pasted into one cell: Python splits it as parse_kernel
     * reads text (decimal commas included); a square one of 1..7 rows becomes the kernel, cell by cell. */
    async function pasteMatrix(text) {
      let grid;
      try {
        grid = await rt.call("demos.samples", "kernel_cells", [text], {max_size: 7});
      } catch (err) {
        ui.error(err);  // the kernel and its output stay; the message says what to paste
        return;
      }
      size = grid.length;
      sizeSel.value = String(size);
      presetSel.value = "";
      buildGrid(grid.map((row) => row.map(decimal)));  // «0,5», as the reader wrote it
      update();
    }
    function resize(n) {
      const old = readGrid(), m = old.length, o = Math.floor((n - m) / 2);
      size = n;
      buildGrid(Array.from({length: n}, (_, i) => Array.from({length: n}, (_, j) => {
        const r = i - o, c = j - o;
        return r >= 0 && r < m && c >= 0 && c < m ? old[r][c] : "0";
      })));
    }
    function applyPreset(name) {
      const p = presets.find((q) => q.name === name);
      if (!p) return;
      const values = rows(p.kernel).map((row) => row.map(showValue));
      size = values.length;
      sizeSel.value = String(size);
      presetSel.value = name;
      buildGrid(values);
    }
    presetSel.addEventListener("change", () => { applyPreset(presetSel.value); update(); });
    sizeSel.addEventListener("change", () => { resize(Number(sizeSel.value)); presetSel.value = ""; update(); });
    buildGrid([["0", "0", "0"], ["0", "1", "0"], ["0", "0", "0"]]);

    // ---- hyper-parameters
    const stride = numberControl({label: "Paso (stride)", name: "stride", min: 1, max: 5, value: 1, onChange: () => update()});
    const padding = numberControl({label: "Relleno (padding)", name: "padding", min: 0, max: 5, value: 0, onChange: () => update()});
    const dilation = numberControl({label: "Dilatación", name: "dilation", min: 1, max: 5, value: 1, onChange: () => update()});
    const symId = uid("cw-sym");
    const symmetric = h("input", {type: "checkbox", id: symId});
    symmetric.addEventListener("change", () => update());
    const params = h("fieldset", {class: "cw-fieldset"}, h("legend", {text: "Hiperparámetros"}),
      stride.el, padding.el, dilation.el,
      h("div", {class: "cw-control cw-check"}, symmetric,
        h("label", {for: symId}, "Escala centrada en cero (gris medio = 0)")));

    // ---- images
    const input = canvasFigure("Entrada");
    const output = canvasFigure("Salida");
    const result = h("p", {class: "cw-result"});
    const live = h("p", {class: "cw-sr", "aria-live": "polite"});
    const source = imageSource(rt, el, {
      sample: el.dataset.sample || "camera",
      onImage(img) {
        ui.drawImage(input.canvas, img);
        const [hh, ww, c = 1] = img.shape;
        input.cap.textContent = `Entrada: ${ww}×${hh} px${c > 1 ? ", color" : ", gris"}`;
        input.canvas.setAttribute("aria-label", `Foto de entrada de ${ww}×${hh} píxeles${c > 1 ? " en color" : " en gris"}`);
        update();
      },
      onError(err) { ui.error(err); },
    });
    const top = h("div", {class: "cw-row cw-top"}, kernelBox, params);
    el.append(source.el, top, h("div", {class: "demo-row cw-images"}, input.fig, output.fig), result, live);
    placeErrors(el, top);

    // ---- the computation
    let liveTimer = null;
    function say(text) {  // screen readers hear the result once the slider rests
      result.textContent = text;
      clearTimeout(liveTimer);
      liveTimer = setTimeout(() => { live.textContent = text; }, 400);
    }
    function fail(err) {
      ui.error(err);  // the message, once, and the box or cell it names marked
      output.fig.classList.add("cw-stale");
      output.canvas.setAttribute("aria-label", "Salida sin actualizar: corrige el error indicado");
      say("Sin resultado: corrige el error indicado.");
      el.dataset.outputShape = "";
    }

    async function compute() {
      const img = source.current();
      if (!img) return;
      const values = {};
      for (const [key, ctl, name] of [["stride", stride, "Paso"], ["padding", padding, "Relleno"], ["dilation", dilation, "Dilatación"]]) {
        const r = readNumber(ctl, name);
        if (r.error) { fail(r.error); return; }
        values[key] = r.value;
      }
      let out;
      try {
        out = await rt.call("demos.samples", "conv_preview", [img, readGrid()],
                            {...values, symmetric: symmetric.checked});
      } catch (err) {
        if (isInterrupted(err)) throw err;  // coalesce asks again
        fail(err);
        return;
      }
      ui.error(null);
      ui.drawImage(output.canvas, out.image);
      output.fig.classList.remove("cw-stale");
      const [ih, iw] = img.shape, [oh, ow, c = 1] = out.shape;
      output.canvas.style.width = `${Math.min(100, 100 * ow / iw)}%`;
      output.cap.textContent = `Salida: ${ow}×${oh} px`;
      const [kh] = out.kernel.shape;
      const {stride: s, padding: p, dilation: d} = values;
      const formula = `⌊(${ih} + 2·${p} − ${d}·(${kh}−1) − 1)/${s}⌋ + 1 = ${oh}`;
      const scale = symmetric.checked
        ? `gris medio = 0, blanco = ${fmt(out.shown[1])}, negro = ${fmt(out.shown[0])}`
        : `negro = mínimo, blanco = máximo`;
      const text = `Salida de ${ow}×${oh} px (alto: ${formula}). Valores de ${fmt(out.min)} a ${fmt(out.max)}; ${scale}.`;
      say(text);
      output.canvas.setAttribute("aria-label", `Foto filtrada de ${ow}×${oh} píxeles; valores de ${fmt(out.min)} a ${fmt(out.max)}`);
      el.dataset.outputShape = out.shape.join(",");
      el.dataset.range = `${out.min},${out.max}`;
    }
    const update = coalesce(el, compute);

    rt.call("demos.samples", "kernel_presets").then((list) => {
      presets = list;
      for (const p of list) presetSel.append(h("option", {value: p.name}, p.label));
      applyPreset(el.dataset.preset || "sobel_x");
      update();
      el.dataset.ready = "true";  // the presets are in: what the reader types is no longer overwritten
    }).catch((err) => ui.error(err));
    source.start();
}};
