/* draw-pad: a canvas to draw a digit on with mouse, pen or finger (light stroke on black),
 * with «Deshacer» and «Borrar». Shared by clip-explorer and text-to-image (img2img).
 *
 *   const pad = drawPad({onChange, label});  el.append(pad.root);
 *   pad.gray()   -> Uint8Array(SIDE*SIDE) of the drawing, or null when nothing is drawn
 *   pad.clear()
 *
 * Python centres and scales the drawing as MNIST does (demos/nn.py preprocess_digit). */
import {h} from "./common.js";

export const SIDE = 280;  // canvas pixels: 10 per MNIST pixel

/** Give a pixel canvas its shown size, `var(--cw-<kind>)`: a fixed size in reading mode and a
 * share of the slide on a slide (nets.css sets the variables). Inline, so that no general
 * canvas rule of the slide stage (height: auto from a 28-pixel bitmap) overrides it. */
const READING = {thumb: "140px", chan: "56px", tiny: "60px", word: "72px"};
export function sized(canvas, kind) {
  canvas.style.width = canvas.style.height = `var(--cw-${kind}, ${READING[kind]})`;
  canvas.style.maxWidth = "none";
  return canvas;
}

export function drawPad({onChange = () => {}, label = "Lienzo para dibujar un dígito"} = {}) {
  const canvas = h("canvas", {width: SIDE, height: SIDE, class: "cw-drawpad", tabindex: "0", role: "img",
                              "aria-label": `${label} con el ratón, el dedo o un lápiz`});
  const width = h("input", {type: "range", min: "8", max: "32", value: "20", "aria-label": "Grosor del trazo"});
  const undo = h("button", {type: "button"}, "Deshacer");
  const clear = h("button", {type: "button"}, "Borrar");
  const ctx = canvas.getContext("2d");
  let strokes = [], current = null;

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
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * SIDE / r.width, (e.clientY - r.top) * SIDE / r.height];
  };
  canvas.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
    current = {width: Number(width.value), points: [at(e)]};
    redraw();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!current) return;
    current.points.push(at(e));
    redraw();
  });
  const end = () => {
    if (!current) return;
    strokes.push(current);
    current = null;
    redraw();
    onChange();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.style.touchAction = "none";
  undo.addEventListener("click", () => { strokes.pop(); redraw(); onChange(); });
  clear.addEventListener("click", () => { strokes = []; redraw(); onChange(); });
  redraw();

  const root = h("div", {class: "cw-drawpad-box"}, canvas,
    h("div", {class: "cw-controls"}, h("label", {class: "cw-control"}, "Grosor ", width), undo, clear));
  return {
    root, canvas,
    gray() {
      if (!strokes.length) return null;
      const img = ctx.getImageData(0, 0, SIDE, SIDE).data;
      const g = new Uint8Array(SIDE * SIDE);
      for (let p = 0; p < g.length; p++) g[p] = img[4 * p];
      return g;
    },
    clear() { strokes = []; redraw(); },
  };
}
