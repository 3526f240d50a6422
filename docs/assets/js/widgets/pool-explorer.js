/* pool-explorer: max or average pooling, window size and stride, on the 4×4 example
 * matrix (numbers visible) and on a photo, both by imageops in the browser.
 *
 *   <div class="demo" data-demo="pool-explorer" data-sample="chelsea"></div>
 */
import {h, uid, guardKeys, coalesce, numberControl, readNumber, imageSource, drawGrid, fitCell,
         onResize, rows, canvasFigure, fmt, placeErrors, ndarray, inputError, isInterrupted,
         toRecord} from "./common.js";

  // The 4×4 example of the lectures (CS231n): 2×2 max pooling with stride 2 gives [[6, 8], [3, 4]].
  const MATRIX = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]];

export default {name: "pool-explorer", mount(el, {runtime: rt, ui}) {
    guardKeys(el);
    const modeId = uid("cw-mode");
    const mode = h("select", {id: modeId},
      h("option", {value: "max"}, "Agrupación máxima (max pooling)"),
      h("option", {value: "avg"}, "Agrupación promedio (average pooling)"));
    mode.addEventListener("change", () => update());
    const size = numberControl({label: "Tamaño de la ventana", name: "size", min: 1, max: 6, value: 2, onChange: () => update()});
    const stride = numberControl({label: "Paso (stride)", name: "stride", min: 1, max: 6, value: 2, onChange: () => update()});
    const params = h("fieldset", {class: "cw-fieldset"}, h("legend", {text: "Pooling"}),
      h("div", {class: "cw-control"}, h("label", {for: modeId}, "Tipo"), mode), size.el, stride.el);

    const mIn = canvasFigure("Matriz 4×4", {pixelated: false});
    const mOut = canvasFigure("Resultado", {pixelated: false});
    const pIn = canvasFigure("Foto");
    const pOut = canvasFigure("Foto tras la agrupación");
    const result = h("p", {class: "cw-result", "aria-live": "polite"});
    const source = imageSource(rt, el, {
      sample: el.dataset.sample || "chelsea",
      onImage(img) {
        ui.drawImage(pIn.canvas, img);
        const [hh, ww] = img.shape;
        pIn.cap.textContent = `Foto: ${ww}×${hh} px`;
        pIn.canvas.setAttribute("aria-label", `Foto de entrada de ${ww}×${hh} píxeles`);
        update();
      },
      onError(err) { ui.error(err); },
    });
    el.append(params, h("div", {class: "cw-matrices"}, mIn.fig, mOut.fig), source.el,
              h("div", {class: "demo-row cw-images"}, pIn.fig, pOut.fig), result);
    placeErrors(el, params);

    let matrixOut = null;
    function drawMatrices() {
      const cell = fitCell(el, 8, 0.8);
      drawGrid(mIn.canvas, MATRIX, {cell, label: "Matriz de entrada"});
      if (matrixOut) drawGrid(mOut.canvas, matrixOut, {cell, decimals: 2, label: "Resultado de la agrupación"});
    }
    drawMatrices();
    onResize(el, drawMatrices);

    async function compute() {
      const s = readNumber(size, "Tamaño de la ventana"), st = readNumber(stride, "Paso");
      if (s.error || st.error) {
        ui.error(s.error || st.error);
        result.textContent = "Sin resultado: corrige el valor indicado.";
        return;
      }
      const func = mode.value === "max" ? "max_pool2d" : "avg_pool2d";
      const matrixRec = ndarray(Float64Array.from(MATRIX.flat()), [4, 4]);
      const img = source.current();
      const [m, p] = await Promise.allSettled([
        rt.call("demos.imageops", func, [matrixRec, s.value, st.value]),
        img ? rt.call("demos.samples", "pool_preview", [img, mode.value, s.value, st.value]) : Promise.resolve(null),
      ]);
      for (const r of [m, p]) {
        if (r.status === "rejected" && isInterrupted(r.reason)) throw r.reason;
      }
      const errors = [];  // records: the matrix's and the photo's
      if (m.status === "fulfilled") {
        matrixOut = rows(m.value);
        mOut.fig.classList.remove("cw-stale");
        mOut.cap.textContent = `Resultado ${m.value.shape.join("×")}`;
        el.dataset.matrixOut = JSON.stringify(matrixOut);
      } else {
        matrixOut = null;
        mOut.canvas.width = mOut.canvas.height = 1;
        mOut.canvas.setAttribute("aria-label", "Sin resultado");
        mOut.cap.textContent = "Resultado: —";
        el.dataset.matrixOut = "";
        errors.push({...toRecord(m.reason), where: "Matriz 4×4"});
      }
      if (p.status === "fulfilled" && p.value) {
        const out = p.value;
        ui.drawImage(pOut.canvas, out.image);
        pOut.fig.classList.remove("cw-stale");
        const [oh, ow] = out.shape;
        pOut.canvas.style.width = `${Math.min(100, 100 * ow / img.shape[1])}%`;
        pOut.cap.textContent = `Foto tras la agrupación: ${ow}×${oh} px`;
        pOut.canvas.setAttribute("aria-label", `Foto tras la agrupación, ${ow}×${oh} píxeles`);
        el.dataset.photoShape = out.shape.join(",");
      } else if (p.status === "rejected") {
        pOut.fig.classList.add("cw-stale");
        el.dataset.photoShape = "";
        errors.push({...toRecord(p.reason), where: "Foto"});
      }
      drawMatrices();
      if (errors.length) {  // one message per distinct cause, the first named field marked
        const causes = [...new Set(errors.map((e) => e.message))];  // the same bad window: said once
        const text = causes.length === 1 ? causes[0] : errors.map((e) => `${e.where}: ${e.message}`).join(" · ");
        const field = (errors.find((e) => e.field) || {}).field || null;
        ui.error(inputError(text, {field, code: errors[0].code || "bad_parameter"}));
        result.textContent = "Sin resultado: corrige el valor indicado.";
        return;
      }
      ui.error(null);
      const kind = mode.value === "max" ? "el máximo" : "el promedio";
      result.textContent = `Cada ventana de ${s.value}×${s.value}, movida de ${st.value} en ${st.value}, se resume con ${kind}: `
        + `la matriz pasa de 4×4 a ${matrixOut.length}×${matrixOut[0].length}`
        + (el.dataset.photoShape ? ` y la foto a ${el.dataset.photoShape.split(",").slice(0, 2).reverse().join("×")} px.` : ".")
        + ` Resultado: ${matrixOut.map((row) => "[" + row.map(fmt).join(", ") + "]").join(" ")}.`;
    }
    const update = coalesce(el, compute);
    source.start();
    update();
}};
