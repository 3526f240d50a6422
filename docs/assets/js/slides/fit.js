/* Fitting slides to the screen. A slide is a canvas of about 1280×720 logical px that
 * takes the screen's shape and is scaled to it, never below MIN_SCALE (so type stays
 * large on a 1024×768 projector). Content that does not fit is zoomed down to MIN_FIT
 * at most (width and height); a slide that still does not fit is marked
 * `slide--overflow`, reported on the console and in the bar: never a scroll bar.
 * Printing zooms as far as needed, so each page holds a whole slide. canvasFor() is
 * the pure arithmetic (Node tests it); the Fitter measures the page.
 */
import {clamp} from "./place.js";

export const W = 1280, H = 720;    // logical slide canvas, 16:9
export const BAR = 34;             // px under the slide: progress, controls, "N / M"
export const MIN_FIT = 0.85;       // overflowing content shrinks this far, then it is an error
export const PRINT_MIN_FIT = 0.2;  // on paper a slide shrinks as far as needed
export const MIN_SCALE = 0.95;     // smaller screens get a smaller logical canvas instead
/* Boxes that scroll by themselves: their overflow means the slide does not fit. */
const SCROLLERS = "pre > code, .md-typeset__scrollwrap, div.arithmatex, .katex-display, .tabbed-content";
/* Diagrams and figures, whose labels are sized for the reading column: a slide with
 * room draws them larger, up to MAX_GROW times (figures are saved at 150 dpi, so a
 * slide seldom enlarges their pixels). */
export const DIAGRAMS = 'img[src*="diagrams/"][src$=".svg"], img[src*="figures/"]';
const MAX_GROW = 3;
/* The code editors of the lectures' Python cells: CSS gives each a quarter of the slide,
 * the fit grows it into the room the slide has left, no taller than its code. */
export const EDITORS = ".demo .cw-code-box .cm-editor";
/* The lines of a highlighted code block (pymdownx.highlight's line_spans). */
const WRAPPABLE = "pre > code > span[id^='__span-']";

/** The logical canvas (cw×ch) and its scale s for a window of vw×vh px. The audience's
 * canvas takes the screen's shape: about 1280×720, smaller when the screen is (so the
 * scale stays >= MIN_SCALE). The presenter copies the audience's canvas (`audience`),
 * so the same content fits and the ink lands on the same words, drawn in its viewport
 * (`box`: {width, height}); print is 1280×720 at full size. The overview's grid has
 * `cols` columns of thumbnails. */
export function canvasFor({mode, vw, vh, overview = false, audience = null, box = null}) {
  let s = 1, cw = W, ch = H, cols = null;
  if (mode === "slides") {
    const avail = vh - BAR;
    s = Math.max(MIN_SCALE, Math.min(vw / W, avail / H));
    cw = Math.floor(vw / s); ch = Math.floor(avail / s);
  } else if (mode === "presenter" && audience) {
    ({w: cw, h: ch} = audience);
  }
  if (overview) {
    cols = clamp(Math.floor(vw / 320), 2, 5);
    s = (vw - 48 - 16 * (cols - 1)) / cols / cw;
  } else if (mode === "presenter") {
    s = Math.min((box.width - 16) / cw, (box.height - 16) / ch);
  }
  return {cw, ch, s: Math.max(0.05, s), cols};
}

/** True when the content fits the slide: not taller or wider than it, and no box
 * inside (code, table, display math) wider than its column, nor one that would
 * scroll. A formula that spills sideways fits nothing even when the spill stays in
 * the slide's margin (it is cut there, or runs into it). Demos size their own boxes. */
function fitsIn(sec, box) {
  // Strict: a canvas pixel is up to 1.5 pixels on a large screen.
  if (sec.scrollHeight > sec.clientHeight || sec.scrollWidth > sec.clientWidth) return false;
  for (const el of box.querySelectorAll(SCROLLERS)) {
    if (el.closest(".demo")) continue;
    if (el.scrollWidth > el.clientWidth + 1) return false;
    // Taller than its box counts only where the box would scroll (KaTeX's struts poke
    // out of a visible one by a few pixels, harmlessly).
    const cs = getComputedStyle(el);
    if (/(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1) return false;
  }
  return true;
}

/** The largest zoom in [min, 1] at which the content fits; false (at min) if none. */
function zoomToFit(sec, box, min) {
  box.style.zoom = "";
  if (fitsIn(sec, box)) return true;
  box.style.zoom = min;
  if (!fitsIn(sec, box)) return false;
  let lo = min, hi = 1;  // lo fits, hi does not
  for (let k = 0; k < 7; k++) {
    const mid = (lo + hi) / 2;
    box.style.zoom = mid;
    if (fitsIn(sec, box)) lo = mid; else hi = mid;
  }
  // Rounded down (lo rounded up may not fit); pixel snapping under CSS zoom is not
  // monotonic, so the rounded zoom is checked too.
  for (let z = Math.floor(lo * 1000) / 1000; z >= min; z = Math.round((z - 0.005) * 1000) / 1000) {
    box.style.zoom = String(z);
    if (fitsIn(sec, box)) return true;
  }
  box.style.zoom = String(min);
  return true;
}

/** Draw the slide's diagrams as large as the slide allows unzoomed: one factor for
 * all (at most MAX_GROW) on the height they have (course.css caps it); never wider than
 * their column (CSS max-width), the drawing contained in the box with its shape kept. */
function growDiagrams(sec, box) {
  const imgs = Array.from(box.querySelectorAll(DIAGRAMS)).filter((i) => !i.closest(".demo"));
  imgs.forEach(resetDiagram);
  if (!imgs.length) return;
  box.style.zoom = "";
  const base = imgs.map((i) => i.offsetHeight);
  if (base.some((x) => !x) || !fitsIn(sec, box)) return;
  // No taller than the column's width allows (an image past it would only gain margins).
  // The shape comes from the file once loaded, before that from the size the build wrote.
  const tallest = imgs.map((i) => {
    const column = i.parentElement.closest("p, figure, div, li, td, th");
    const w = i.naturalWidth || +i.getAttribute("width"), h = i.naturalHeight || +i.getAttribute("height");
    return w && h && column ? column.clientWidth * h / w : Infinity;
  });
  const set = (f) => imgs.forEach((i, k) => {
    const h = Math.max(base[k], Math.min(base[k] * f, tallest[k]));
    Object.assign(i.style, {height: `${Math.floor(h)}px`, width: "auto", maxWidth: "100%",
                            maxHeight: "none", objectFit: "contain"});
  });
  let lo = 1, hi = MAX_GROW;  // lo fits
  set(hi);
  if (fitsIn(sec, box)) return;
  for (let k = 0; k < 6; k++) {
    const mid = (lo + hi) / 2;
    set(mid);
    if (fitsIn(sec, box)) lo = mid; else hi = mid;
  }
  if (lo === 1) imgs.forEach(resetDiagram); else set(lo);
}

/** Fit a slide with code editors: each as tall as its code (the whole cell in view) at
 * the largest zoom (>= min) that fits; code too long for that gets, at the smallest zoom,
 * an editor as tall as the slide has room for, and scrolls inside it. The height is then
 * pinned in px at that zoom (wrapped lines depend on it), so the teacher's typing never
 * changes it: no refit, the slide stays still. A demo zoomed to the whole slide (Z)
 * keeps its CSS height. Returns null when the slide has no editor to grow, else
 * whether it fits (its zoom set). */
function growEditors(sec, box, min) {
  const eds = Array.from(box.querySelectorAll(EDITORS));
  eds.forEach((e) => { e.style.height = ""; });
  const grow = eds.filter((e) => !e.closest(".cw-zoomed"));
  if (!grow.length) return null;
  const pin = (hs) => grow.forEach((e, k) => { e.style.height = `${Math.floor(hs ? hs[k] : e.offsetHeight)}px`; });
  grow.forEach((e) => { e.style.height = "auto"; });
  if (zoomToFit(sec, box, min)) { pin(); return true; }
  // At the smallest zoom: between the CSS height (a quarter of the slide) and the code's.
  const full = grow.map((e) => e.offsetHeight);
  grow.forEach((e) => { e.style.height = ""; });
  const base = grow.map((e) => e.offsetHeight);
  const at = (f) => base.map((b, k) => b + (full[k] - b) * f);
  if (!fitsIn(sec, box)) return false;
  let lo = 0, hi = 1;  // lo fits
  for (let k = 0; k < 8; k++) {
    const mid = (lo + hi) / 2;
    pin(at(mid));
    if (fitsIn(sec, box)) lo = mid; else hi = mid;
  }
  pin(at(lo));
  return true;
}

export function resetDiagram(img) {
  Object.assign(img.style, {height: "", width: "", maxWidth: "", maxHeight: "", objectFit: ""});
}

/** The deck's fitting: the canvas's size and scale (CSS reads --s, --cw, --ch), each
 * shown slide's zoom, and the bar's warning for a slide that does not fit. */
export class Fitter {
  constructor(deck) {
    this.deck = deck;
    this.cw = W; this.ch = H;  // logical canvas, set by layout()
    this.cols = 1;             // thumbnails per row in the overview
    this.audience = null;      // presenter: the audience window's canvas
  }

  layout() {
    const d = this.deck, vw = document.documentElement.clientWidth;
    const c = canvasFor({mode: d.mode, vw, vh: window.innerHeight, overview: d.overview,
                         audience: this.audience,
                         box: d.mode === "presenter" ? d.viewport.getBoundingClientRect() : null});
    this.cw = c.cw; this.ch = c.ch;
    if (d.mode === "slides") d.sync.post({type: "canvas", w: this.cw, h: this.ch});
    if (c.cols) { this.cols = c.cols; d.root.style.setProperty("--cols", c.cols); }
    d.root.style.setProperty("--s", c.s.toFixed(4));
    d.root.style.setProperty("--cw", this.cw + "px");
    d.root.style.setProperty("--ch", this.ch + "px");
    if (d.ink.canvas.isConnected) d.ink.redraw();
  }

  /** Zoom a slide's content down (to MIN_FIT at most) until it fits in height and
   * width; a slide that still does not fit is an error, marked and reported. */
  fit(slide) {
    const d = this.deck, sec = slide.section, box = slide.content;
    const min = d.mode === "print" ? PRINT_MIN_FIT : MIN_FIT;
    sec.classList.remove("slide--wrap");
    growDiagrams(sec, box);
    let ok = growEditors(sec, box, min) ?? zoomToFit(sec, box, min);
    // Code or a formula wider than the slide even at the smallest zoom: long code lines
    // wrap, with a hanging indent under their own indentation (CSS reads --lead), a
    // formula wraps after an operator, and it fits again.
    if (!ok && box.querySelector(WRAPPABLE + ", .katex-display")) {
      for (const line of box.querySelectorAll(WRAPPABLE)) line.style.setProperty("--lead", /^ */.exec(line.textContent)[0].length);
      sec.classList.add("slide--wrap");
      ok = zoomToFit(sec, box, min);
    }
    const was = sec.classList.contains("slide--overflow");
    sec.classList.toggle("slide--overflow", !ok);
    if (!ok && !was) {
      const i = d.slides.indexOf(slide);
      console.warn(`slides: la diapositiva ${i + 1} («${slide.label}») de ${location.pathname} no cabe en ${this.cw}×${this.ch}`);
    }
    if (slide === d.slides[d.index]) this.showWarning();
  }

  fitVisible() { this.deck.slides.forEach((s) => { if (!s.frame.hidden) this.fit(s); }); }

  showWarning() {
    const d = this.deck, over = d.slides[d.index].section.classList.contains("slide--overflow");
    d.warn.textContent = over ? "⚠ Esta diapositiva no cabe" : "";
  }

  /** The slide's content as the article had it. */
  reset(slide) {
    slide.content.style.zoom = "";
    slide.content.querySelectorAll(DIAGRAMS).forEach(resetDiagram);
    slide.content.querySelectorAll(EDITORS).forEach((e) => { e.style.height = ""; });
  }
}
