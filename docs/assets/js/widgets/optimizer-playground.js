/* optimizer-playground: SGD, momentum and Adam from a point the reader clicks on a 2-D loss
 * surface (Rosenbrock or an ill-conditioned quadratic), with a learning-rate slider; the
 * steps are computed by demos/optim.py (PyTorch's update rules) in the browser.
 *
 *   <div class="demo" data-demo="optimizer-playground"></div>
 *
 * State: data-diverged (JSON list of methods that diverged), data-final (JSON final losses). */
import {h, guardKeys, coalesce, readBox} from "./common.js";
import {paintGray, plane, toTyped, whenVisible} from "./nets-common.js";
import {declareText, fitSquare, watch} from "./canvas.js";

const SIDE = 320;
const METHODS = [["sgd", "SGD", "#d62728"], ["momentum", "Momento (0,9)", "#1f77b4"], ["adam", "Adam", "#2ca02c"]];

function terrain(g) {
  return [Math.round(40 + 200 * g), Math.round(60 + 170 * g), Math.round(110 + 110 * g)];
}

export default {
  name: "optimizer-playground",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let grid = null, start = null, paths = null;
    const surface = h("select", {"aria-label": "Superficie de pérdida"},
      h("option", {value: "quadratic"}, "Cuadrática mal condicionada (κ = 50)"),
      h("option", {value: "rosenbrock"}, "Rosenbrock (valle curvo)"));
    const lr = h("input", {type: "range", min: "-4", max: "0", step: "0.05", value: "-1.5", "aria-label": "log10 de la tasa de aprendizaje"});
    const lrText = h("output", {});
    const MAX_STEPS = 5000;  // demos/optim.py's limit
    const steps = h("input", {type: "text", inputmode: "numeric", autocomplete: "off", value: "200", size: "5",
                              class: "cw-numbox", "data-field": "steps", "aria-label": "Número de iteraciones"});
    // The start point is a slider's value (role=slider, focus.js): focused, it keeps its arrows
    // (they move the point, never the slides), Home puts the point back where the surface starts.
    const canvas = h("canvas", {width: SIDE, height: SIDE, tabindex: "0", role: "slider", class: "cw-surface",
                                "aria-label": "Punto de partida sobre la superficie de pérdida: pulsa o usa las flechas; Inicio lo devuelve a su sitio",
                                "aria-orientation": "horizontal", "aria-valuemin": "0", "aria-valuemax": "1", "aria-valuenow": "0",
                                "aria-valuetext": "Cargando la superficie…"});
    const bg = document.createElement("canvas");
    const live = h("p", {class: "cw-result", "aria-live": "polite"});
    const legend = h("p", {class: "cw-legend"}, ...METHODS.map(([, label, c]) =>
      h("span", {class: "cw-key"}, h("span", {class: "cw-swatch cw-swatch--mark", style: `background:${c}`, "aria-hidden": "true"}), label)));
    el.append(h("div", {class: "cw-controls"}, h("label", {}, "Superficie ", surface),
                h("label", {}, "Tasa de aprendizaje ", lr, " ", lrText), h("label", {}, "Iteraciones ", steps)),
              h("figure", {class: "cw-figure"}, canvas, h("figcaption", {text: "Pulsa (o usa las flechas) para mover el punto de partida"})),
              legend, live);

    const rate = () => 10 ** Number(lr.value);
    const toPx = ([x, y]) => {
      const [x0, x1, y0, y1] = grid.extent;
      return [(x - x0) / (x1 - x0) * SIDE, (y1 - y) / (y1 - y0) * SIDE];
    };
    const fromPx = (px, py) => {
      const [x0, x1, y0, y1] = grid.extent;
      return [x0 + (x1 - x0) * px / SIDE, y1 - (y1 - y0) * py / SIDE];
    };

    /** The slider's value: x (the arrows ← → move it; ↑ ↓ move y, said in the value's text). */
    function sayStart() {
      if (!grid || !start) return;
      const [x0, x1] = grid.extent, f = (v) => v.toFixed(2).replace(".", ",").replace("-", "−");
      canvas.setAttribute("aria-valuemin", String(x0));
      canvas.setAttribute("aria-valuemax", String(x1));
      canvas.setAttribute("aria-valuenow", String(Math.round(start[0] * 1000) / 1000));
      canvas.setAttribute("aria-valuetext", `x = ${f(start[0])}, y = ${f(start[1])}`);
      el.dataset.start = JSON.stringify(start);
    }

    function draw() {
      if (!grid) return;
      sayStart();
      // Drawn at the size it is shown; the label 20 CSS px on a slide (>= 16 on the screen), 14 when reading.
      const {ctx: c, css, k} = fitSquare(canvas, SIDE);
      c.imageSmoothingEnabled = true;
      c.drawImage(bg, 0, 0, SIDE, SIDE);
      const [mx, my] = toPx(grid.minimum);
      const font = (el.closest(".slides-deck") ? 20 : 14) * SIDE / css;
      c.font = `${font}px sans-serif`;
      c.fillStyle = "#fff";
      c.textAlign = mx > SIDE / 2 ? "right" : "left";
      c.fillText("★ mínimo", mx + (mx > SIDE / 2 ? -4 : 4), my < font + 4 ? my + font + 4 : my - 4);
      c.textAlign = "left";
      declareText(canvas, font, k);
      c.beginPath(); c.arc(mx, my, 3, 0, 2 * Math.PI); c.fill();
      if (!paths) return;
      for (const [m, , color] of METHODS) {
        const t = paths[m], pts = toTyped(t.path);
        c.strokeStyle = color;
        c.lineWidth = 2;
        c.beginPath();
        for (let i = 0; i < pts.length / 2; i++) {
          const [px, py] = toPx([pts[2 * i], pts[2 * i + 1]]);
          const cx = Math.max(-SIDE, Math.min(2 * SIDE, px)), cy = Math.max(-SIDE, Math.min(2 * SIDE, py));
          i ? c.lineTo(cx, cy) : c.moveTo(cx, cy);
        }
        c.stroke();
      }
      const [sx, sy] = toPx(start);
      c.fillStyle = "#000";
      c.beginPath(); c.arc(sx, sy, 4, 0, 2 * Math.PI); c.fill();
    }

    async function compute() {
      lrText.textContent = rate().toPrecision(2);
      try {
        if (!grid || grid.surface !== surface.value) {
          grid = await runtime.call("demos.optim", "surface_grid", [surface.value, 160]);
          grid.surface = surface.value;
          start = grid.start;
          const [z, hh, ww] = plane(grid.z);
          paintGray(bg, z, hh, ww, {colormap: terrain});
        }
        const n = readBox(steps, "Iteraciones", {min: 1, max: MAX_STEPS, integer: true});
        if (n.error) { ui.error(n.error); live.textContent = "Sin resultado: corrige el número de iteraciones."; return; }
        paths = await runtime.call("demos.optim", "trajectories", [surface.value, start, rate(), n.value]);
        const diverged = METHODS.map(([m]) => m).filter((m) => paths[m].diverged);
        el.dataset.diverged = JSON.stringify(diverged);
        el.dataset.final = JSON.stringify(Object.fromEntries(METHODS.map(([m]) => [m, toTyped(paths[m].loss).at(-1)])));
        live.textContent = METHODS.map(([m, label]) => `${label}: ${paths[m].verdict}`).join(". ") + ".";
        ui.error(null);
        draw();
      } catch (err) { ui.error(err); }
    }
    const update = coalesce(el, compute);
    canvas.addEventListener("click", (e) => {
      canvas.focus({preventScroll: true});
      if (!grid) return;
      const r = canvas.getBoundingClientRect();
      start = fromPx((e.clientX - r.left) * SIDE / r.width, (e.clientY - r.top) * SIDE / r.height);
      update();
    });
    canvas.addEventListener("keydown", (e) => {
      const d = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1]}[e.key];
      if (!(d || e.key === "Home" || e.key === "End") || !grid) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.key === "End") return;  // a slider's key with no meaning for a point: kept from the deck, nothing moves
      const [x0, x1] = grid.extent;
      const step = (x1 - x0) / 40;
      start = d ? [start[0] + d[0] * step, start[1] + d[1] * step] : grid.start;
      sayStart();
      update();
    });
    for (const c of [surface, lr, steps]) c.addEventListener("input", update);
    const unwatch = whenVisible(el, update);
    const unwatchSize = watch(canvas, draw);  // a new size or scale on the screen: drawn again for it
    return () => { unwatch(); unwatchSize(); };
  },
};
