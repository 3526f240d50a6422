/* conv-proof, the platform's proof: seed 004's 5×5 image and 3×3 filter, convolved by
 * NumPy in the browser (demos/imageops.py) and drawn.
 *
 *   <div class="demo" data-demo="conv-proof"></div>
 */
import {ndarray, toTyped} from "./common.js";

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
    ui.drawMatrix(canvases[0], asRec(image));
    ui.drawMatrix(canvases[1], asRec(kernel));
    rt.call("demos.imageops", "conv2d", [asRec(image), asRec(kernel)])
      .then((out) => {
        ui.drawMatrix(canvases[2], out);
        el.dataset.result = JSON.stringify(Array.from(toTyped(out)));
        ui.status("Calculado por NumPy en tu navegador.", "ready");
      })
      .catch((err) => ui.error(err));
}};
