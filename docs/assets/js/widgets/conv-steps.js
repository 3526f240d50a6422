/* conv-steps: a small convolution computed window by window. The window is outlined on
 * the (padded) input, its element-wise products and their sum are shown, and the
 * output fills in cell by cell. Python (samples.conv_steps -> imageops.conv2d_steps)
 * computes every step once; the buttons only move through them.
 *
 *   <div class="demo" data-demo="conv-steps"></div>                 (seed 004's 5×5 example)
 *   <div class="demo" data-demo="conv-steps" data-matrix="[[...]]" data-kernel="[[...]]"></div>
 */
import {h, uid, guardKeys, coalesce, drawGrid, fitCell, rows, canvasFigure, fmt, player, ndarray,
         isInterrupted} from "./common.js";
import {grow, spanDemo, watch, widestCell} from "./canvas.js";

  const MATRICES = {
    seed004: {
      image: [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]],
      kernel: [[1, 0, 1], [0, 1, 0], [1, 0, 1]],
    },
  };

  function parseMatrix(text, fallback) {
    if (!text) return fallback;
    try { return JSON.parse(text); } catch (err) { return fallback; }
  }

  const MIN_CELL = 34;  // on a slide: numbers of about 17 px, 16 px on the screen at the smallest fit

  const par = (v) => (v < 0 ? `(${fmt(v)})` : fmt(v));  // (-1)×(-1), not -1×-1

export default {name: "conv-steps", mount(el, {runtime: rt, ui}) {
    guardKeys(el);
    const preset = MATRICES[el.dataset.matrix] || MATRICES.seed004;
    const image = parseMatrix(el.dataset.matrix && !MATRICES[el.dataset.matrix] ? el.dataset.matrix : "", preset.image);
    const kernel = parseMatrix(el.dataset.kernel, preset.kernel);
    const asRec = (m) => ndarray(Float64Array.from(m.flat()), [m.length, m[0].length]);

    const strideId = uid("cw-s"), padId = uid("cw-p");
    const strideSel = h("select", {id: strideId}, [1, 2].map((n) => h("option", {value: n}, String(n))));
    const padSel = h("select", {id: padId}, [0, 1, 2].map((n) => h("option", {value: n}, String(n))));
    const settings = h("div", {class: "cw-row"},
      h("div", {class: "cw-control"}, h("label", {for: strideId}, "Paso (stride)"), strideSel),
      h("div", {class: "cw-control"}, h("label", {for: padId}, "Relleno (padding)"), padSel));

    const inFig = canvasFigure("Entrada (con el relleno en gris)", {pixelated: false});
    const kFig = canvasFigure("Núcleo", {pixelated: false});
    const outFig = canvasFigure("Salida", {pixelated: false});
    const products = h("table", {class: "cw-products"});
    const productsBox = h("div", {class: "cw-products-box"}, products);
    const sum = h("p", {class: "cw-step-text", "aria-live": "polite"});
    const mats = h("div", {class: "cw-matrices"}, inFig.fig, kFig.fig, outFig.fig);
    let data = null;
    const steps = player(el, {onStep: draw, total: () => (data ? data.steps.length : 0), reserve: [productsBox, sum]});
    el.append(settings, steps.bar, mats, productsBox, sum);

    let cell = 0;
    /** The grids' cell: as large as the slide's room allows (the reading size at least). */
    function layout() {
      if (!data) return;
      const cols = data.padded.shape[1] + data.kernel.shape[1] + data.output.shape[1] + 2;
      if (productsBox.parentElement !== el) mats.after(productsBox);
      // On a slide, grids too wide for the stage's right column (the 9×9 X) take the demo's width, under the controls.
      spanDemo(mats, false);
      let widest = widestCell(mats, cols);
      if (widest < 40 && mats.closest(".slides-deck") && !mats.closest(".cw-zoomed")) {
        spanDemo(mats);
        widest = widestCell(mats, cols);
        // The grids then leave the row's right part empty (the 5×5 at 1024×768): the products
        // table goes there, beside them, rather than under them, where the cells stay large.
        const beside = besideCell(cols);
        if (beside >= 40) { mats.append(productsBox); widest = beside; }
      }
      grow(mats, (c) => { cell = c; draw(steps.index); }, fitCell(mats, cols), MIN_CELL, widest);
    }

    /** The cell that fits `cols` cells and the products table (as wide as its first step's) in the grids' row. */
    function besideCell(cols) {
      const shown = steps.index;
      draw(0);
      const table = products.offsetWidth;
      draw(shown);
      const width = widestCell(mats, 1, 1e5) + 2;  // the row's width at the slide's zoom 1
      return Math.floor((width - table - 20) / cols) - 2;
    }

    function draw(i) {
      if (!data) return;
      const padded = rows(data.padded), k = rows(data.kernel), out = rows(data.output);
      const p = Number(padSel.value);
      const muted = new Set();
      padded.forEach((row, r) => row.forEach((_, c) => {
        if (r < p || c < p || r >= padded.length - p || c >= row.length - p) muted.add(`${r},${c}`);
      }));
      const step = i >= 0 ? data.steps[i] : null;
      const win = new Set();
      if (step) for (const r of step.rows) for (const c of step.cols) win.add(`${r},${c}`);
      drawGrid(inFig.canvas, padded, {cell, uncapped: true, muted, highlight: win, accent: win, label: "Entrada"});
      drawGrid(kFig.canvas, k, {cell, uncapped: true, decimals: 2, label: "Núcleo"});
      const blank = new Set();
      out.forEach((row, r) => row.forEach((_, c) => {
        if (r * row.length + c > i) blank.add(`${r},${c}`);
      }));
      const here = step ? new Set([step.position.join(",")]) : new Set();
      drawGrid(outFig.canvas, out, {cell, uncapped: true, blank, accent: here, highlight: here, decimals: 2, label: "Salida calculada hasta ahora"});
      el.dataset.step = String(i);
      products.textContent = "";
      if (!step) {
        sum.textContent = `Listo: ${data.steps.length} ventanas. Pulsa «Paso siguiente» o «Reproducir».`;
        return;
      }
      const w = rows(step.window), pr = rows(step.products);
      products.append(h("caption", {text: "Productos elemento a elemento (entrada × núcleo)"}),
        ...w.map((row, r) => h("tr", {}, row.map((v, c) => h("td", {}, `${par(v)}×${par(k[r][c])} = ${fmt(pr[r][c])}`)))));
      const [r0, c0] = step.position;
      sum.textContent = `Paso ${i + 1} de ${data.steps.length}: ventana en filas ${step.rows[0] + 1}–${step.rows.at(-1) + 1}`
        + ` y columnas ${step.cols[0] + 1}–${step.cols.at(-1) + 1} de la entrada con relleno. `
        + `Suma de los productos: ${pr.flat().map(fmt).join(" + ")} = ${fmt(step.total)} → salida (${r0 + 1}, ${c0 + 1}).`;
      el.dataset.total = String(step.total);
    }

    async function compute() {
      try {
        data = await rt.call("demos.samples", "conv_steps", [asRec(image), asRec(kernel)],
                             {stride: Number(strideSel.value), padding: Number(padSel.value)});
        ui.error(null);
      } catch (err) {
        if (isInterrupted(err)) throw err;
        data = null;
        ui.error(err);
        return;
      }
      const [oh, ow] = data.output.shape;
      outFig.cap.textContent = `Salida ${oh}×${ow}`;
      el.dataset.output = JSON.stringify(rows(data.output));
      steps.stop();
      layout();  // the grids' place first: the reserved heights are measured where the texts will be
      steps.go(-1);
      steps.measure();
      layout();
    }
    const update = coalesce(el, compute);
    strideSel.addEventListener("change", update);
    padSel.addEventListener("change", update);
    const unwatch = watch(mats, () => { layout(); steps.measure(); layout(); });
    update();
    return () => { unwatch(); steps.stop(); };
}};
