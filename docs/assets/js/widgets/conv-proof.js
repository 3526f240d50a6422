/* conv-proof, the platform's proof: seed 004's 5×5 image and 3×3 filter, convolved by
 * NumPy in the browser (demos/imageops.py) and drawn (again whenever their size or scale
 * on the screen changes: a slide, a projector).
 *
 *   <div class="demo" data-demo="conv-proof"></div>
 */
import {ndarray, toTyped} from "./common.js";
import {grow, spanDemo, watch, widestCell} from "./canvas.js";

export default {name: "conv-proof", mount(el, {runtime: rt, ui}) {
    const image = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]];
    const kernel = [[1, 0, 1], [0, 1, 0], [1, 0, 1]];
    const wrap = document.createElement("div");
    wrap.className = "demo-row";
    const figs = [["Imagen 5×5", image], ["Filtro 3×3", kernel], ["Mapa de características", null]];
    const canvases = figs.map(([label]) => {
      const fig = document.createElement("figure");
      const canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", label);
      const cap = document.createElement("figcaption");
      cap.textContent = label;
      fig.append(canvas, cap);
      wrap.append(fig);
      return canvas;
    });
    el.append(wrap);
    const asRec = (m) => ndarray(Float64Array.from(m.flat()), [m.length, m[0].length]);
    let result = null, cell = 48;
    const draw = () => {
      ui.drawMatrix(canvases[0], asRec(image), {cell, uncapped: true});
      ui.drawMatrix(canvases[1], asRec(kernel), {cell, uncapped: true});
      if (result) ui.drawMatrix(canvases[2], result, {cell, uncapped: true});
    };
    /** On a slide the three grids take the demo's whole width (it has no controls for a
     * left column) with one cell size, as large as the slide's room allows. */
    const layout = () => {
      spanDemo(wrap);
      const cols = 5 + 3 + 3 + 3;  // the grids' columns and about a cell for each gap
      grow(wrap, (c) => { cell = c; draw(); }, 48, 40, widestCell(wrap, cols, 96));
    };
    layout();
    const unwatch = watch(wrap, layout);
    rt.call("demos.imageops", "conv2d", [asRec(image), asRec(kernel)])
      .then((out) => {
        result = out;
        layout();
        el.dataset.result = JSON.stringify(Array.from(toTyped(out)));
        ui.status("Calculado por NumPy en tu navegador.", "ready");
      })
      .catch((err) => ui.error(err));
    return unwatch;
}};
