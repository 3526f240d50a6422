/* transposed-steps: a transposed convolution built input cell by input cell. Each cell
 * scales a copy of the kernel by its value and adds it into the output, at stride times
 * its position; overlapping copies add up. Python (samples.transpose_steps ->
 * imageops.conv_transpose2d_steps) computes the contributions and the running sums.
 *
 *   <div class="demo" data-demo="transposed-steps"></div>    (seed 001: [[0,1],[2,3]] * [[1,2],[3,4]])
 */
import {h, uid, guardKeys, coalesce, drawGrid, fitCell, onResize, rows, canvasFigure, fmt, player, ndarray,
         isInterrupted} from "./common.js";

  const SEED001 = {image: [[0, 1], [2, 3]], kernel: [[1, 2], [3, 4]]};

  function parseMatrix(text, fallback) {
    if (!text) return fallback;
    try { return JSON.parse(text); } catch (err) { return fallback; }
  }

export default {name: "transposed-steps", mount(el, {runtime: rt, ui}) {
    guardKeys(el);
    const image = parseMatrix(el.dataset.matrix, SEED001.image);
    const kernel = parseMatrix(el.dataset.kernel, SEED001.kernel);
    const asRec = (m) => ndarray(Float64Array.from(m.flat()), [m.length, m[0].length]);

    const strideId = uid("cw-s");
    const strideSel = h("select", {id: strideId}, [1, 2].map((n) => h("option", {value: n}, String(n))));
    const settings = h("div", {class: "cw-row"},
      h("div", {class: "cw-control"}, h("label", {for: strideId}, "Paso (stride)"), strideSel));
    const inFig = canvasFigure("Entrada", {pixelated: false});
    const kFig = canvasFigure("Núcleo", {pixelated: false});
    const cFig = canvasFigure("Aporte de la celda (valor × núcleo)", {pixelated: false});
    const sFig = canvasFigure("Salida acumulada", {pixelated: false});
    const text = h("p", {class: "cw-step-text", "aria-live": "polite"});
    let data = null;
    const steps = player(el, {onStep: draw, total: () => (data ? data.steps.length : 0), reserve: [text]});
    const mats = h("div", {class: "cw-matrices"}, inFig.fig, kFig.fig, cFig.fig, sFig.fig);
    el.append(settings, steps.bar, mats, text);

    function draw(i) {
      if (!data) return;
      const x = image, k = kernel;
      const out = rows(data.output);
      const [oh, ow] = data.output.shape;
      const cell = fitCell(mats, x[0].length + k[0].length + 2 * ow + 3);
      const step = i >= 0 ? data.steps[i] : null;
      const here = step ? new Set([step.cell.join(",")]) : new Set();
      drawGrid(inFig.canvas, x, {cell, accent: here, highlight: here, label: "Entrada"});
      drawGrid(kFig.canvas, k, {cell, label: "Núcleo"});
      const zeros = out.map((row) => row.map(() => 0));
      const pasted = new Set();
      if (step) {
        const [t, l] = step.top_left;
        for (let r = 0; r < k.length; r++) for (let c = 0; c < k[0].length; c++) {
          if (t + r >= 0 && t + r < oh && l + c >= 0 && l + c < ow) pasted.add(`${t + r},${l + c}`);
        }
      }
      const empty = new Set(step ? [] : zeros.flatMap((row, r) => row.map((_, c) => `${r},${c}`)));
      drawGrid(cFig.canvas, step ? rows(step.contribution) : zeros,
               {cell, accent: pasted, highlight: pasted, blank: empty, label: "Aporte de la celda actual"});
      const sum = step ? rows(step.running_sum) : zeros;
      drawGrid(sFig.canvas, sum, {cell, highlight: pasted, label: "Salida acumulada"});
      el.dataset.step = String(i);
      el.dataset.sum = JSON.stringify(sum);
      if (!step) {
        text.textContent = `Salida de ${oh}×${ow}, vacía. Cada uno de los ${data.steps.length} valores de la entrada `
          + "añadirá una copia del núcleo multiplicada por él. Pulsa «Paso siguiente».";
        return;
      }
      const [r, c] = step.cell;
      const done = i === data.steps.length - 1 ? " Es la salida final." : "";
      text.textContent = `Paso ${i + 1} de ${data.steps.length}: la celda (${r + 1}, ${c + 1}) vale ${fmt(step.value)}; `
        + `el núcleo × ${fmt(step.value)} se suma a la salida desde la celda (${step.top_left[0] + 1}, ${step.top_left[1] + 1}).`
        + ` Salida acumulada: ${sum.map((row) => "[" + row.map(fmt).join(", ") + "]").join(" ")}.${done}`;
    }

    async function compute() {
      try {
        data = await rt.call("demos.samples", "transpose_steps", [asRec(image), asRec(kernel)],
                             {stride: Number(strideSel.value)});
        ui.error(null);
      } catch (err) {
        if (isInterrupted(err)) throw err;
        data = null;
        ui.error(err);
        return;
      }
      el.dataset.output = JSON.stringify(rows(data.output));
      steps.stop();
      steps.go(-1);
      steps.measure();
    }
    const update = coalesce(el, compute);
    strideSel.addEventListener("change", update);
    const unwatch = onResize(mats, () => { steps.measure(); draw(steps.index); });
    update();
    return () => { unwatch(); steps.stop(); };
}};
