/* canvas: every widget canvas is drawn at the size it is shown, and says how large it
 * draws its text (the readability contract, tests/test_slide_walk.py).
 *
 * - prepare(canvas, w, h): the canvas is laid out at w×h CSS px and its bitmap is that
 *   size times every scale above it (the slide's transform, the fit's CSS zoom) times
 *   devicePixelRatio, so the browser never scales the drawing down (a 1 px minus sign
 *   drawn for 207 px and shown at 197 px vanishes). The context draws in CSS px.
 * - declareText(canvas, px, k): `data-text-px`, the font size in canvas pixels.
 * - watch(el, redraw): redraw when the width, the scale on the screen, the slide or the
 *   demo's zoom (Z) changes.
 * - grow(el, layout, lo, hi): on a slide, the largest size in [lo, hi] at which the slide
 *   still fits unzoomed (like slides.js does for figures); under Z, the demo's own box.
 */

/** Screen px per CSS px of `el` (transforms and CSS zoom above it; 1 if not laid out). */
export function screenScale(el) {
  for (let a = el; a; a = a.parentElement) {
    if (a.offsetWidth > 0) return a.getBoundingClientRect().width / a.offsetWidth;
  }
  return 1;
}

/** Lay the canvas out at w×h CSS px and size its bitmap to the screen. The stylesheet's
 * caps (max-width: 100% of a narrow column, a slide's max-height) still apply unless
 * `uncapped` (a widget that sizes itself with grow): the drawing is then made for the
 * smaller size they leave, its shape kept. Returns {ctx, w, h, k}: the context drawing
 * in CSS px, the size shown in CSS px, and canvas px per CSS px. */
export function prepare(canvas, w, h, {uncapped = false} = {}) {
  const place = (a, b) => { canvas.style.width = `${a}px`; canvas.style.height = `${b}px`; };
  canvas.style.maxHeight = uncapped ? "none" : "";
  place(w, h);
  // clientWidth/Height are whole pixels (under a fit's CSS zoom too): a cap is only what takes more than 1 px.
  const cw = canvas.clientWidth || w, ch = canvas.clientHeight || h;
  const f = Math.min(cw < w - 1 ? cw / w : 1, ch < h - 1 ? ch / h : 1);
  if (f < 1) { w = Math.max(1, Math.floor(w * f)); h = Math.max(1, Math.floor(h * f)); place(w, h); }
  const k = screenScale(canvas) * (window.devicePixelRatio || 1);
  const bw = Math.max(1, Math.round(w * k)), bh = Math.max(1, Math.round(h * k));
  if (canvas.width !== bw) canvas.width = bw;
  if (canvas.height !== bh) canvas.height = bh;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(bw / w, 0, 0, bh / h, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return {ctx, w, h, k: bw / w};
}

/** Record the font size the canvas draws its text at, in canvas pixels. */
export function declareText(canvas, cssPx, k) {
  canvas.dataset.textPx = (Math.floor(cssPx * k * 10) / 10).toString();
}

/** Call redraw (once per frame at most) when el's width or its scale on the screen
 * changes, when a slide opens or changes, and when the demo is zoomed (Z) or given back.
 * Returns the function that stops watching. */
export function watch(el, redraw) {
  let last = "", queued = false;
  // The slide's fit zooms its content (style.zoom) and Z toggles data-zoomed: neither
  // resizes el in its own px. Observed on el's ancestors of the moment (slides.js moves
  // the page into its deck after the widgets mount).
  const mo = new MutationObserver(() => queue());
  let watched = [];
  const attach = () => {
    const now = [];
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (a.classList.contains("slide-content") || a.classList.contains("demo")) now.push(a);
    }
    if (now.length === watched.length && now.every((a, i) => a === watched[i])) return;
    mo.disconnect();
    now.forEach((a) => mo.observe(a, {attributes: true, attributeFilter: ["style", "data-zoomed"]}));
    watched = now;
  };
  const check = () => {
    queued = false;
    if (!el.isConnected) return;
    attach();
    const demo = el.closest(".demo");
    const now = [el.clientWidth, screenScale(el).toFixed(4), demo ? demo.dataset.zoomed : "",
                 document.documentElement.classList.contains("slides-mode")].join("/");
    if (now !== last) { last = now; redraw(); }
  };
  function queue() { if (!queued) { queued = true; requestAnimationFrame(check); } }
  attach();
  const ro = typeof ResizeObserver !== "undefined" ? new ResizeObserver(queue) : null;
  if (ro) ro.observe(el);
  const events = ["course:slides-open", "course:slides-close", "course:slide-change"];
  events.forEach((e) => document.addEventListener(e, queue));
  window.addEventListener("resize", queue);
  return () => {
    mo.disconnect();
    if (ro) ro.disconnect();
    events.forEach((e) => document.removeEventListener(e, queue));
    window.removeEventListener("resize", queue);
  };
}

/** The slide (or, under Z, the zoomed demo) that el must fit in, or null in reading mode
 * or on a slide that is not shown. */
function room(el) {
  const demo = el.closest(".demo");
  if (demo && demo.classList.contains("cw-zoomed")) return {box: demo, content: null};
  const sec = el.closest(".slides-deck section.slide");
  if (!sec || sec.closest("[hidden]") || !sec.clientHeight) return null;
  return {box: sec, content: sec.querySelector(".slide-content")};
}

/** Lay out at the largest integer size in [lo, hi] (layout(size) draws at that size) at
 * which the slide fits unzoomed, or under Z the zoomed demo without scrolling; a slide
 * that does not fit even at lo may still grow what does not make it taller (the other
 * column). lo when nothing fits (the slide's fit then zooms it). In reading mode (or on a slide not shown)
 * the reading size. Returns the size. */
export function grow(el, layout, reading, lo, hi) {
  const r = room(el);
  if (!r) { layout(reading); return reading; }
  lo = Math.floor(lo);
  hi = Math.max(lo, Math.floor(hi));
  const zoom = r.content ? r.content.style.zoom : "";
  if (r.content) r.content.style.zoom = "";
  // A size fits when the box does not scroll, or scrolls no more than at lo (a slide too
  // full anyway is zoomed by its fit: growing must not make that zoom smaller).
  layout(lo);
  const [maxH, maxW] = [Math.max(r.box.clientHeight, r.box.scrollHeight), Math.max(r.box.clientWidth, r.box.scrollWidth)];
  const fits = () => r.box.scrollHeight <= maxH && r.box.scrollWidth <= maxW;
  let best = lo;
  layout(hi);
  if (fits()) best = hi;
  else {
    let a = lo, b = hi;  // a fits (or is the floor), b does not
    while (b - a > 1) {
      const m = Math.floor((a + b) / 2);
      layout(m);
      if (fits()) a = m; else b = m;
    }
    best = a;
  }
  // Drawn at the fit's zoom (the bitmap follows the screen); slides.js refits if it must.
  if (r.content) r.content.style.zoom = zoom;
  layout(best);
  return best;
}

/** A number grid: cells of `cell` CSS px (fewer if CSS narrows the canvas), its numbers
 * as large as the cell and the widest number allow (a true minus sign, readable from the
 * back). opts: cell, uncapped (see prepare), format (number -> text), decimals, highlight (Set of "r,c":
 * outlined), accent (filled orange), muted (grey, e.g. padding zeros), blank (drawn
 * empty), label (aria text prefix). Returns the text size in CSS px. */
export function paintGrid(canvas, values, opts = {}) {
  const rows = values.length, cols = rows ? values[0].length : 0;
  const {decimals = 0, highlight = new Set(), accent = new Set(), blank = new Set(),
         muted = new Set(), format = (v) => String(v)} = opts;
  const {ctx, w, k} = prepare(canvas, Math.max(1, cols) * (opts.cell || 40), Math.max(1, rows) * (opts.cell || 40),
                              {uncapped: opts.uncapped});
  const cell = w / Math.max(1, cols);
  let lo = Infinity, hi = -Infinity;
  for (const row of values) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo || 1;
  const texts = values.map((row) => row.map((v) => format(v, {decimals})));
  const shown = (t) => t.replace(/^-/, "−");
  ctx.font = "100px sans-serif";
  let widest = 0.6;  // em per character of the widest number
  for (const row of texts) for (const t of row) widest = Math.max(widest, ctx.measureText(shown(t)).width / 100);
  const font = Math.max(1, Math.floor(2 * Math.min(cell * 0.62, (cell - 8) / widest)) / 2);
  ctx.font = `${font}px sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const aria = [];
  for (let i = 0; i < rows; i++) {
    const rowText = [];
    for (let j = 0; j < cols; j++) {
      const key = `${i},${j}`, v = values[i][j];
      const x = j * cell, y = i * cell;
      if (blank.has(key)) {
        ctx.fillStyle = "#fafafa";
        ctx.fillRect(x, y, cell, cell);
        rowText.push("·");
      } else {
        const g = Math.round(245 - 110 * (v - lo) / span);  // light cells: dark text stays >= 4.5:1
        ctx.fillStyle = accent.has(key) ? "#ffcc80" : muted.has(key) ? "#e6e6e6"
          : `rgb(${g},${g},${Math.min(255, g + 12)})`;
        ctx.fillRect(x, y, cell, cell);
        ctx.fillStyle = muted.has(key) ? "#555" : "#111";
        ctx.fillText(shown(texts[i][j]), x + cell / 2, y + cell / 2);
        rowText.push(texts[i][j]);
      }
      ctx.strokeStyle = "#777";
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
    }
    aria.push(rowText.join(", "));
  }
  // The highlighted window: one thick outline around its cells.
  ctx.strokeStyle = "#d84315";
  ctx.lineWidth = 3;
  for (const key of highlight) {
    const [i, j] = key.split(",").map(Number);
    ctx.strokeRect(j * cell + 1.5, i * cell + 1.5, cell - 3, cell - 3);
  }
  declareText(canvas, font, k);
  const label = opts.label ? opts.label + ". " : "";
  canvas.setAttribute("aria-label", `${label}Matriz ${rows}×${cols}: ${aria.join("; ")}`);
  return font;
}

/** The largest cell (CSS px, at most `cap`) that fits `cols` cells in the container's
 * width at the slide's zoom 1 (what fitCell computes, without its reading-size cap). */
export function widestCell(container, cols, cap = 120) {
  let zoom = 1;
  for (let a = container; a && !a.classList.contains("slide"); a = a.parentElement) zoom *= parseFloat(a.style.zoom) || 1;
  const width = (container.clientWidth || 600) * Math.min(1, zoom);
  return Math.max(22, Math.min(cap, Math.floor(width / Math.max(cols, 1)) - 2));
}

/** On a slide (not under Z), the demo's figure group takes the demo's whole width, below
 * its controls, instead of the stage's right column: a row of grids needs it. */
export function spanDemo(group, on = true) {
  const slide = on && group.closest(".slides-deck") && !group.closest(".cw-zoomed");
  group.style.gridColumn = slide ? "1 / -1" : "";
  group.style.gridRow = slide ? "auto" : "";
}

/** For a square canvas whose CSS sets its size (the optimizer's surface): its bitmap the
 * size it is shown, the context drawing in `logical` units across. Returns {ctx, css, k}:
 * the CSS width, and canvas px per logical unit. */
export function fitSquare(canvas, logical) {
  const css = canvas.clientWidth || logical;
  // The width on the screen as laid out (clientWidth is rounded to a whole px: 1% off).
  const shown = canvas.getBoundingClientRect().width || css * screenScale(canvas);
  const b = Math.max(1, Math.round(shown * (window.devicePixelRatio || 1)));
  if (canvas.width !== b) canvas.width = b;
  if (canvas.height !== b) canvas.height = b;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(b / logical, 0, 0, b / logical, 0, 0);
  return {ctx, css, k: b / logical};
}
