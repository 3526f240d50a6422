/* segmenter: the U-Net of the figures run colours every pixel of a 64×64 scene by class,
 * computed by NumPy in the browser; for the generated test scenes, Dice per class against
 * the true mask. The reader can also draw digits on the scene.
 *
 *   <div class="demo" data-demo="segmenter"></div>
 *
 * State: data-dice (JSON per class name, null where undefined), data-scene, data-labels-sum. */
import {h, guardKeys, coalesce} from "./common.js";
import {loadNet, provenance, errorText, ndarray, toTyped, whenVisible} from "./nets-common.js";

const SIZE = 64, SCALE = 5;

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

export default {
  name: "segmenter",
  mount(el, {runtime, ui}) {
    guardKeys(el);
    let net = null, scene = null, image = new Float32Array(SIZE * SIZE), mask = null, drawing = false, alive = true;
    const pad = h("canvas", {width: SIZE, height: SIZE, class: "cw-pixels cw-drawpad", role: "img", tabindex: "0",
                             "aria-label": "Escena de 64×64 píxeles; se puede dibujar encima"});
    const out = h("canvas", {width: SIZE, height: SIZE, class: "cw-pixels", role: "img", "aria-label": "Predicción de la U-Net"});
    const truth = h("canvas", {width: SIZE, height: SIZE, class: "cw-pixels", role: "img", "aria-label": "Máscara verdadera"});
    for (const c of [pad, out, truth]) c.style.width = `${SIZE * SCALE}px`;
    const next = h("button", {type: "button"}, "Otra escena generada");
    const clear = h("button", {type: "button"}, "Lienzo vacío (dibujar)");
    const live = h("p", {class: "cw-result", "aria-live": "polite", text: "Cargando la red…"});
    next.disabled = clear.disabled = true;  // until the network has loaded: nothing to run yet
    const legend = h("p", {class: "cw-legend"});
    const table = h("table", {class: "cw-dice"});
    el.append(h("div", {class: "cw-controls"}, next, clear),
      h("div", {class: "demo-row"},
        h("figure", {class: "cw-figure"}, pad, h("figcaption", {text: "Imagen (dibuja con el ratón o el dedo)"})),
        h("figure", {class: "cw-figure"}, out, h("figcaption", {text: "U-Net: clase de cada píxel"})),
        h("figure", {class: "cw-figure"}, truth, h("figcaption", {text: "Verdad (escenas generadas)"}))),
      legend, live, table);

    function paint(canvas, labels, base) {
      const ctx = canvas.getContext("2d");
      const img = ctx.createImageData(SIZE, SIZE);
      const colors = net.summary.config.colors.map(rgb);
      for (let p = 0; p < SIZE * SIZE; p++) {
        const g = 0.6 * 255 * base[p];
        const k = labels ? labels[p] : 0;
        const c = k > 0 ? colors[k - 1] : [g, g, g];
        const a = k > 0 ? 0.7 : 0;
        for (let q = 0; q < 3; q++) img.data[4 * p + q] = Math.round(g * (1 - a) + c[q] * a);
        img.data[4 * p + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    }
    function paintImage() {
      const ctx = pad.getContext("2d");
      const img = ctx.createImageData(SIZE, SIZE);
      for (let p = 0; p < SIZE * SIZE; p++) {
        const g = Math.round(255 * image[p]);
        img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = g;
        img.data[4 * p + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    }

    async function compute() {
      if (!net) return;
      try {
        const res = await net.call("unet_segment", [ndarray(image, [SIZE, SIZE]), mask ? ndarray(mask, [SIZE, SIZE]) : null]);
        const labels = toTyped(res.labels);
        paint(out, labels, image);
        const names = net.summary.config.class_names;
        const found = res.present.map((k) => names[k]).join(", ") || "ninguno";
        el.dataset.labelsSum = String(labels.reduce((a, b) => a + b, 0));
        table.textContent = "";
        if (res.dice) {
          const dice = {};
          const values = Array.from(res.dice, (d) => (d === undefined || d === null ? null : d));  // Python None
          values.forEach((d, k) => { dice[names[k]] = d; });
          el.dataset.dice = JSON.stringify(dice);
          table.append(h("caption", {text: "Dice por clase frente a la máscara verdadera (— : la clase no aparece)"}),
            h("tr", {}, ...names.map((n) => h("th", {scope: "col", text: n}))),
            h("tr", {}, ...values.map((d) => h("td", {text: d === null ? "—" : d.toFixed(2).replace(".", ",")}))));
          const digits = values.slice(1).filter((d) => d !== null);
          const mean = digits.length ? digits.reduce((a, b) => a + b, 0) / digits.length : null;
          live.textContent = `Dígitos encontrados: ${found}. Dice medio de los dígitos: `
            + (mean === null ? "—" : mean.toFixed(2).replace(".", ",")) + ".";
        } else {
          el.dataset.dice = "";
          live.textContent = `Dígitos encontrados: ${found}. (Sin máscara verdadera para un dibujo: no hay Dice.)`;
        }
        ui.error(null);
      } catch (err) { ui.error(err); live.textContent = errorText(err); }
    }
    const update = coalesce(el, compute);

    async function loadScene(i) {
      const s = await net.call("unet_scene", [i]);
      scene = s.index;
      image = toTyped(s.image).slice();
      mask = toTyped(s.mask).slice();
      el.dataset.scene = String(scene);
      paintImage();
      paint(truth, mask, image);
      update();
    }
    next.addEventListener("click", () => loadScene(scene === null ? 0 : scene + 1).catch((e) => ui.error(e)));
    clear.addEventListener("click", () => {
      image = new Float32Array(SIZE * SIZE);
      mask = null;
      scene = null;
      el.dataset.scene = "";
      paintImage();
      truth.getContext("2d").clearRect(0, 0, SIZE, SIZE);
      update();
    });

    // Drawing: a soft 2-pixel pen in image coordinates; drawing on a generated scene drops its mask.
    const at = (e) => {
      const r = pad.getBoundingClientRect();
      return [(e.clientX - r.left) * SIZE / r.width, (e.clientY - r.top) * SIZE / r.height];
    };
    function ink([x, y]) {
      for (let i = Math.floor(y - 2); i <= Math.ceil(y + 2); i++) {
        for (let j = Math.floor(x - 2); j <= Math.ceil(x + 2); j++) {
          if (i < 0 || j < 0 || i >= SIZE || j >= SIZE) continue;
          const d = Math.hypot(i + 0.5 - y, j + 0.5 - x);
          image[i * SIZE + j] = Math.max(image[i * SIZE + j], Math.max(0, Math.min(1, 2 - d)));
        }
      }
    }
    let lastPt = null;
    pad.style.touchAction = "none";
    pad.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      drawing = true;
      if (mask) { mask = null; truth.getContext("2d").clearRect(0, 0, SIZE, SIZE); }
      lastPt = at(e);
      ink(lastPt);
      paintImage();
    });
    pad.addEventListener("pointermove", (e) => {
      if (!drawing) return;
      const p = at(e);
      const n = Math.ceil(Math.hypot(p[0] - lastPt[0], p[1] - lastPt[1]) * 2) || 1;
      for (let s = 1; s <= n; s++) ink([lastPt[0] + (p[0] - lastPt[0]) * s / n, lastPt[1] + (p[1] - lastPt[1]) * s / n]);
      lastPt = p;
      paintImage();
    });
    const end = () => { if (drawing) { drawing = false; update(); } };
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointercancel", end);

    const unwatch = whenVisible(el, () => (async () => {
      try {
        net = await loadNet(runtime, "unet");
      } catch (err) { ui.error(err); live.textContent = errorText(err); el.dataset.ready = "error"; return; }
      if (!alive) return;
      const cfg = net.summary.config;
      legend.textContent = "";
      legend.append("Colores: ", ...cfg.colors.map((c, k) => h("span", {class: "cw-swatch", style: `background:${c}`,
                                                                         text: String(k)})));
      el.append(provenance(net.entry));
      el.dataset.ready = "true";
      next.disabled = clear.disabled = false;
      await loadScene(0);
    })().catch((err) => ui.error(err)));
    return () => { alive = false; unwatch(); };
  },
};
