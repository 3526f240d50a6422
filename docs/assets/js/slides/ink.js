/* Ink on the slide: B or "." blanks the screen, L is a laser pointer, D a pen, C clears
 * the current slide's ink. Positions travel as fractions of the canvas, so the
 * presenter's pointer lands on the same words in the audience's window (sync.js). */
import {h} from "../dom.js";
import {clamp} from "./place.js";

export class Ink {
  constructor(deck) {
    this.deck = deck;
    this.blanked = false;
    this.tool = null;           // null | "laser" | "pen"
    this.strokes = new Map();   // slide index -> [[x, y], ...] strokes, in canvas fractions
    this.canvas = h("canvas", {class: "slide-ink-canvas", "aria-hidden": "true"});
    this.laser = h("div", {class: "slide-laser", hidden: true, "aria-hidden": "true"});
    this.layer = h("div", {class: "slide-ink"}, this.canvas, this.laser);
    this.blankLayer = h("div", {class: "slides-blank", hidden: true},
      h("p", {text: "Pantalla en negro (B para volver)"}));
  }

  /** The pointer over the current slide: the laser follows it, the pen draws. */
  listen(opts) {
    const viewport = this.deck.viewport, layer = this.layer;
    viewport.addEventListener("pointermove", (e) => {
      if (this.tool === "laser") this.pointLaser(this.toCanvas(e), true);
    }, opts);
    viewport.addEventListener("pointerleave", () => { if (this.tool === "laser") this.pointLaser(null, true); }, opts);
    let drawing = false;
    layer.addEventListener("pointerdown", (e) => {
      if (this.tool !== "pen" || e.button !== 0) return;
      drawing = true;
      layer.setPointerCapture?.(e.pointerId);
      this.penTo("start", this.toCanvas(e), true);
      e.preventDefault();
    }, opts);
    layer.addEventListener("pointermove", (e) => { if (drawing) this.penTo("move", this.toCanvas(e), true); }, opts);
    const stop = () => { drawing = false; };
    layer.addEventListener("pointerup", stop, opts);
    layer.addEventListener("pointercancel", stop, opts);
  }

  /** The slide now shown gets the ink layer, with its own strokes and no laser dot. */
  showOn(slide) {
    slide.frame.append(this.layer);
    this.pointLaser(null, false);
  }

  setBlank(on, {broadcast = true} = {}) {
    this.blanked = on;
    this.blankLayer.hidden = !on;
    this.deck.root.classList.toggle("is-blank", on);
    if (broadcast) this.deck.sync.post({type: "blank", on});
  }

  setTool(tool) {
    this.tool = this.tool === tool ? null : tool;
    this.deck.root.dataset.tool = this.tool || "";
    if (this.tool !== "laser") this.pointLaser(null, true);
  }

  /** Pointer position over the current slide, as fractions of the canvas. */
  toCanvas(e) {
    const d = this.deck, r = d.slides[d.index].frame.getBoundingClientRect();
    return [clamp((e.clientX - r.left) / r.width, 0, 1), clamp((e.clientY - r.top) / r.height, 0, 1)];
  }

  pointLaser(at, broadcast) {
    this.laser.hidden = !at;
    if (at) { this.laser.style.left = `${100 * at[0]}%`; this.laser.style.top = `${100 * at[1]}%`; }
    if (broadcast) this.deck.sync.post({type: "laser", at});
  }

  penTo(op, at, broadcast) {
    const i = this.deck.index, list = this.strokes.get(i) || [];
    this.strokes.set(i, list);
    if (op === "start" || !list.length) list.push([at]); else list[list.length - 1].push(at);
    this.redraw();
    if (broadcast) this.deck.sync.post({type: "pen", slide: i, op, at});
  }

  clear(i, broadcast) {
    this.strokes.delete(i);
    if (i === this.deck.index) this.redraw();
    if (broadcast) this.deck.sync.post({type: "clear", slide: i});
  }

  /** Draw the current slide's strokes; the canvas has the frame's screen pixels. */
  redraw() {
    const c = this.canvas, r = this.layer.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(r.width * dpr)), hgt = Math.max(1, Math.round(r.height * dpr));
    if (c.width !== w || c.height !== hgt) { c.width = w; c.height = hgt; }
    const g = c.getContext("2d");
    g.clearRect(0, 0, w, hgt);
    const strokes = this.strokes.get(this.deck.index) || [];
    g.lineCap = g.lineJoin = "round";
    g.lineWidth = Math.max(2, 0.005 * w);
    g.strokeStyle = "#e53935";
    for (const pts of strokes) {
      g.beginPath();
      pts.forEach(([x, y], k) => (k ? g.lineTo(x * w, y * hgt) : g.moveTo(x * w, y * hgt)));
      if (pts.length === 1) g.lineTo(pts[0][0] * w + 0.5, pts[0][1] * hgt);
      g.stroke();
    }
    c.dataset.strokes = String(strokes.length);
  }
}
