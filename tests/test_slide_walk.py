"""Every slide of every lecture, as a projector shows it (issue 11).

One Chromium page walks the seven lectures; on each lecture, with its demos' Python
ready, the deck is measured at 1280×720, 1920×1080 and 1024×768, all slides in one
`page.evaluate`. A slide fails when it overflows (it would be cut off or scroll), when
any visible text is under 16 px on the screen, or when prose is under 22 px. The size
on the screen is the CSS font size times every scale above the element (transforms
and CSS zoom), read as `getBoundingClientRect().width / offsetWidth`.

Text that is drawn rather than typeset is measured too (the readability contract):
- a canvas declares the size it draws its text at, `data-text-px`, in canvas pixels; on
  the screen that is data-text-px × (shown width ÷ canvas.width). The page is
  instrumented (CANVAS_PROBE) to record the smallest font each canvas really drew with,
  so a canvas that draws text without declaring it, or declares more than it drew, fails;
- an SVG image (diagrams, plots): its smallest font size in viewBox units (read from the
  file in the browser, through each label's transforms) × (drawn width ÷ viewBox width);
- a raster figure of docs/figures/: the label height its builder recorded in
  manifest.json (`label_px`, image pixels at the saved dpi) × (drawn width ÷ natural
  width); a PNG figure without `label_px` fails.
A canvas that draws text must also be drawn at the size it is shown (its bitmap within
1.5 px of its on-screen width in device pixels), and a slide with a demo must stay
still once its demos settled: a zoom that keeps changing over 24 frames fails.
"""

from __future__ import annotations

import os
import warnings

import pytest

import json

from conftest import ROOT

LECTURES = sorted(p.stem for p in (ROOT / "docs" / "lectures").glob("[0-9][0-9]-*.md"))
VIEWPORTS = ((1280, 720), (1920, 1080), (1024, 768))
MIN_TEXT = 16.0   # any visible text, screen px
MIN_PROSE = 22.0  # running text: paragraphs and list items outside demos, tables, code
MIN_FIT = 0.85

# Slides that do not fit yet, as (lecture, slide title as the deck labels it, "WxH"):
# none, drawn text included. Keep it that way: re-cut a slide that fails (fewer lines, a
# 10-20 line excerpt, text to the speaker notes or `{ .reading-only }`), redraw a figure
# with larger labels, rather than listing it here; the list only shrinks.
# `SLIDE_WALK_LIST=1 pytest tests/test_slide_walk.py -s` prints the failing keys.
KNOWN_OFFENDERS: set[tuple[str, str, str]] = set()

# Before any page script: each canvas remembers the smallest font (in canvas pixels,
# through the context's transform) it drew text with since it was last resized or cleared.
CANVAS_PROBE = r"""
(() => {
  const C2D = window.CanvasRenderingContext2D;
  if (!C2D) return;
  for (const name of ["fillText", "strokeText"]) {
    const draw = C2D.prototype[name];
    C2D.prototype[name] = function (...args) {
      const m = /(\d+(?:\.\d+)?)px/.exec(this.font), t = this.getTransform();
      const px = m ? parseFloat(m[1]) * Math.sqrt(Math.abs(t.a * t.d - t.b * t.c)) : 0;
      if (String(args[0]).trim()) this.canvas.__textPx = Math.min(this.canvas.__textPx ?? Infinity, px);
      return draw.apply(this, args);
    };
  }
  const clear = C2D.prototype.clearRect;
  C2D.prototype.clearRect = function (x, y, w, h) {
    if (x <= 0 && y <= 0 && x + w >= this.canvas.width && y + h >= this.canvas.height) delete this.canvas.__textPx;
    return clear.call(this, x, y, w, h);
  };
  for (const dim of ["width", "height"]) {
    const d = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, dim);
    Object.defineProperty(HTMLCanvasElement.prototype, dim, {...d, set(v) { delete this.__textPx; d.set.call(this, v); }});
  }
})();
"""


def figure_label_px() -> dict[str, float | None]:
    """{file name: label height in image pixels} for the raster figures (manifest.json)."""
    data = json.loads((ROOT / "docs" / "figures" / "manifest.json").read_text(encoding="utf-8"))
    return {name: e.get("label_px") for name, e in data["figures"].items() if name.endswith(".png")}


MEASURE = r"""
async ({minText, minProse, minFit, labelPx}) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))));
  const SKIP = ".katex-mathml, .slides-sr, .md-clipboard, .headerlink, svg title";
  const PROSE = "p, li, dd, blockquote";
  const NOT_PROSE = ".demo, table, pre, code, .katex, sup, sub, figcaption, .admonition-title, summary, .tabbed-labels";
  const scaleOf = (el) => {
    if (el instanceof HTMLElement && el.offsetWidth > 0) return el.getBoundingClientRect().width / el.offsetWidth;
    if (el instanceof SVGGraphicsElement) {
      const b = el.getBBox();
      return b.height ? el.getBoundingClientRect().height / b.height : null;
    }
    return null;
  };
  const demosSettled = (sec) => Array.from(sec.querySelectorAll(".demo")).every((d) =>
    ["ready", "error"].includes(d.dataset.state) && d.dataset.busy !== "true");
  // An SVG file's smallest label in viewBox units: the file drawn inline at its viewBox
  // size, off screen, each label's font size through its transforms (cached per file).
  const svgFonts = window.__walkSvgFonts || (window.__walkSvgFonts = new Map());
  const svgFont = async (src) => {
    if (!svgFonts.has(src)) {
      const svg = new DOMParser().parseFromString(await (await fetch(src)).text(), "image/svg+xml").documentElement;
      const vb = (svg.getAttribute("viewBox") || "").trim().split(/[\s,]+/).map(Number);
      const vw = vb[2] || parseFloat(svg.getAttribute("width")), vh = vb[3] || parseFloat(svg.getAttribute("height"));
      svg.setAttribute("width", vw); svg.setAttribute("height", vh);
      const holder = document.createElement("div");
      holder.style.cssText = "position:absolute;left:-20000px;top:0;";
      holder.append(document.importNode(svg, true));
      document.documentElement.append(holder);
      let min = Infinity, sample = "";
      for (const t of holder.querySelectorAll("text, tspan")) {
        if (!t.textContent.trim() || (t.tagName === "text" && t.querySelector("tspan"))) continue;
        const m = t.getScreenCTM();
        const px = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
        if (px < min) { min = px; sample = t.textContent.trim().slice(0, 40); }
      }
      holder.remove();
      svgFonts.set(src, {min, sample, vw, vh});
    }
    return svgFonts.get(src);
  };
  // Drawn text: canvases (data-text-px), SVG images and raster figures (label_px).
  const inspectDrawn = async (sec) => {
    const problems = [];
    let worst = null;
    const note = (px, sample) => { if (!worst || px < worst.px) worst = {px, sample}; };
    for (const c of sec.querySelectorAll("canvas")) {
      const r = c.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || !c.width || getComputedStyle(c).visibility !== "visible") continue;
      const drawn = c.__textPx, declared = parseFloat(c.dataset.textPx);
      const name = c.getAttribute("aria-label") || c.className || "canvas";
      if (drawn === undefined) continue;
      // Drawn at the size it is shown: a bitmap the browser scales draws thin strokes
      // (minus signs) unevenly, one column bolder than the next.
      const shownPx = r.width * devicePixelRatio;
      if (Math.abs(c.width - shownPx) > 1.5)
        problems.push({kind: `lienzo «${name.slice(0, 40)}» dibujado a ${c.width} px y mostrado a ${shownPx.toFixed(1)} px`, size: null});
      if (!(declared > 0)) problems.push({kind: `lienzo que dibuja texto sin data-text-px «${name.slice(0, 40)}»`, size: null});
      else if (drawn < declared - 0.5) problems.push({kind: `lienzo «${name.slice(0, 40)}»: data-text-px ${declared} pero dibuja a ${drawn.toFixed(1)}`, size: null});
      note(Math.min(declared > 0 ? declared : Infinity, drawn) * r.width / c.width, `lienzo «${name.slice(0, 40)}»`);
    }
    for (const img of sec.querySelectorAll("img")) {
      if (img.closest(SKIP)) continue;
      // A lazy image not yet loaded has no natural size (its measure would be NaN and pass
      // unseen): load it as a reader who reaches the slide would, then measure it.
      if (!img.naturalWidth) { img.loading = "eager"; await img.decode().catch(() => {}); }
      const r = img.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const src = img.currentSrc || img.src, file = decodeURIComponent(src.split(/[?#]/)[0].split("/").pop());
      if (!img.naturalWidth) { problems.push({kind: `imagen sin cargar: ${file}`, size: null}); continue; }
      if (/\.svg$/i.test(file)) {
        const f = await svgFont(src);
        if (f.min === Infinity) continue;
        const shown = Math.min(r.width, r.height * f.vw / f.vh);  // object-fit: contain
        note(f.min * shown / f.vw, `${file}: «${f.sample}»`);
      } else if (/\/figures\//.test(src) && file in labelPx) {
        if (!labelPx[file]) { problems.push({kind: `figura ${file} sin label_px en manifest.json`, size: null}); continue; }
        const nw = img.naturalWidth, nh = img.naturalHeight;
        const shown = Math.min(r.width, r.height * nw / nh);
        note(labelPx[file] * shown / nw, `${file} (etiquetas)`);
      }
    }
    if (worst && worst.px < minText) problems.push({kind: `texto dibujado de ${worst.px.toFixed(2)} px: ${worst.sample}`, size: worst.px});
    return {minDrawn: worst && worst.px, problems};
  };
  const inspect = (sec) => {
    const problems = [];
    const content = sec.querySelector(".slide-content");
    const zoom = parseFloat(content.style.zoom || "1");
    if (sec.classList.contains("slide--overflow")) problems.push({kind: "no cabe", size: null});
    if (sec.scrollHeight > sec.clientHeight + 1 || sec.scrollWidth > sec.clientWidth + 1)
      problems.push({kind: `desborda ${sec.scrollWidth}×${sec.scrollHeight} en ${sec.clientWidth}×${sec.clientHeight}`, size: null});
    if (zoom < minFit - 1e-3) problems.push({kind: `zoom ${zoom}`, size: null});
    for (const el of sec.querySelectorAll("*")) {
      if (el.closest(".demo")) continue;
      const cs = getComputedStyle(el);
      if (!/(auto|scroll)/.test(cs.overflowX + cs.overflowY)) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        problems.push({kind: `barra de desplazamiento en <${el.tagName.toLowerCase()} class="${el.className}">`, size: null});
    }
    const box = sec.getBoundingClientRect();
    let worstText = null, worstProse = null, cut = null;
    const walker = document.createTreeWalker(sec, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest(SKIP)) continue;
      range.selectNodeContents(node);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 1 && r.height > 1);
      if (!rects.length) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility !== "visible" || parseFloat(cs.opacity) === 0) continue;
      const scale = scaleOf(el);
      if (!scale) continue;
      const px = parseFloat(cs.fontSize) * scale;
      const sample = text.slice(0, 40);
      if (!worstText || px < worstText.px) worstText = {px, sample};
      if (el.closest(PROSE) && !el.closest(NOT_PROSE) && (!worstProse || px < worstProse.px)) worstProse = {px, sample};
      // A demo's scroll box (print() output) or a clamped status line clips its text: what it hides is not cut.
      let clip = null;
      for (let a = el; a && el.closest(".demo") && !a.classList.contains("demo"); a = a.parentElement) {
        const o = getComputedStyle(a);
        if (/(auto|scroll|hidden|clip)/.test(o.overflowX + o.overflowY)) { clip = a.getBoundingClientRect(); break; }
      }
      for (const r of rects) {
        if (clip && (r.top >= clip.bottom - 1 || r.bottom <= clip.top + 1 || r.left >= clip.right - 1 || r.right <= clip.left + 1)) continue;
        if (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.top < box.top - 1) cut = cut || {sample};
      }
    }
    if (worstText && worstText.px < minText) problems.push({kind: `texto de ${worstText.px.toFixed(1)} px «${worstText.sample}»`, size: worstText.px});
    if (worstProse && worstProse.px < minProse) problems.push({kind: `prosa de ${worstProse.px.toFixed(1)} px «${worstProse.sample}»`, size: worstProse.px});
    if (cut) problems.push({kind: `cortado: «${cut.sample}»`, size: null});
    return {zoom, minText: worstText && worstText.px, minProse: worstProse && worstProse.px, problems};
  };
  const n = document.querySelectorAll(".slides-deck section.slide").length;
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    // The deck's own keys (a new hash would make Material render the page again).
    const key = (k) => document.body.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true, cancelable: true}));
    for (const d of String(i + 1)) key(d);
    key("Enter");
    if (location.hash !== "#slide-" + (i + 1)) throw new Error("the deck did not move to slide " + (i + 1));
    const sec = document.querySelector(".slides-deck .slide-frame:not([hidden]) > section.slide");
    // Every incremental item shown (they keep their space while hidden anyway).
    sec.querySelectorAll(".inc-pending").forEach((x) => x.classList.remove("inc-pending"));
    // The deck fits a slide as it shows it; only demos change it later (their results,
    // and the refit that follows on the next frames).
    // ...until the slide stops changing: same zoom and height on two frames in a row.
    const settle = async () => {
      const probe = () => sec.querySelector(".slide-content").style.zoom + "/" + sec.scrollHeight;
      for (let t = 0, last = null; t < 30 && probe() !== last; t++) { last = probe(); await frame(); }
    };
    if (sec.querySelector(".demo")) {
      for (let t = 0; t < 200 && !demosSettled(sec); t++) await new Promise((r) => setTimeout(r, 50));
    }
    // Every slide, not only those with demos: the fit grows diagrams on the frames after
    // the slide is shown, and a slide measured before that passed or failed by chance.
    await frame();
    await settle();
    // Tabs start on their first one (Material links tabs of the same name across sets:
    // a switch on an earlier slide may have turned this one).
    const firstTabs = Array.from(sec.querySelectorAll(".tabbed-set > input[type=radio]:first-child")).filter((t) => !t.checked);
    if (firstTabs.length) { firstTabs.forEach((t) => t.click()); await frame(); await settle(); }
    // A slide with a demo then stays still: its widgets' redraws and the fit must not
    // chase each other (the zoom going back and forth every few frames, for ever).
    const zooms = [];
    if (sec.querySelector(".demo")) {
      const content = sec.querySelector(".slide-content");
      const mo = new MutationObserver(() => { if (content.style.zoom && content.style.zoom !== zooms.at(-1)) zooms.push(content.style.zoom); });
      zooms.push(content.style.zoom || "1");
      mo.observe(content, {attributes: true, attributeFilter: ["style"]});
      for (let t = 0; t < 24; t++) await frame();
      mo.disconnect();
    }
    const label = (sec.getAttribute("aria-label") || "").replace(/ \(\d+ de \d+\)$/, "");
    const row = {slide: i + 1, label, ms: 0, settled: demosSettled(sec), ...inspect(sec)};
    if (zooms.length > 2) row.problems.push({kind: `la diapositiva no se queda quieta: zoom ${zooms.slice(0, 6).join(" → ")}`, size: null});
    const drawn = await inspectDrawn(sec);
    row.minDrawn = drawn.minDrawn;
    row.problems.push(...drawn.problems);
    // A tabbed code block (PyTorch / Keras) is measured with each of its tabs shown:
    // the deck refits when the teacher switches (its ResizeObserver, on the next frames).
    for (const set of sec.querySelectorAll(".tabbed-set")) {
      const tabs = Array.from(set.querySelectorAll(":scope > input[type=radio]"));
      const names = Array.from(set.querySelectorAll(":scope > .tabbed-labels > label"), (l) => l.textContent.trim());
      for (let k = 1; k < tabs.length; k++) {
        tabs[k].click();
        await frame();
        await settle();
        const more = inspect(sec);
        row.zoom = Math.min(row.zoom, more.zoom);
        row.problems.push(...more.problems.map((p) => ({...p, kind: `pestaña «${names[k]}»: ${p.kind}`})));
        if (more.minText !== null && (row.minText === null || more.minText < row.minText)) row.minText = more.minText;
        if (more.minProse !== null && (row.minProse === null || more.minProse < row.minProse)) row.minProse = more.minProse;
      }
      if (tabs.length > 1) { tabs[0].click(); await frame(); await settle(); }
    }
    row.ms = Math.round(performance.now() - t0);
    out.push(row);
  }
  return out;
}
"""


def walk_lecture(page, url: str) -> list[dict]:
    """Open a lecture as slides, wait for its demos' Python, measure it at every size."""
    page.set_viewport_size({"width": VIEWPORTS[0][0], "height": VIEWPORTS[0][1]})
    page.goto(url + "?slides#slide-1")
    page.wait_for_selector(".slides-deck section.slide")
    # Every image loaded first (lazy ones too): one arriving mid-walk refits its slide after
    # it was measured, and the walk then passed or failed by chance.
    page.evaluate("""() => Promise.all(Array.from(document.images, (i) => { i.loading = 'eager';
        return i.decode().catch(() => {}); }))""")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.demo')).every((d) => ['ready', 'error'].includes(d.dataset.state))
            && Array.from(document.images).every((i) => i.complete) && document.fonts.status === 'loaded'""",
        timeout=120_000,
    )
    results = []
    for w, h in VIEWPORTS:
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_function("w => document.documentElement.clientWidth === w", arg=w)
        rows = page.evaluate(MEASURE, {"minText": MIN_TEXT, "minProse": MIN_PROSE, "minFit": MIN_FIT,
                                       "labelPx": figure_label_px()})
        for r in rows:
            r["size"] = f"{w}x{h}"
        results += rows
    return results


def report(lecture: str, rows: list[dict]) -> list[str]:
    """One line per failing slide and size: lecture, slide number and title, problems."""
    return [f"{lecture} diapositiva {r['slide']} «{r['label']}» a {r['size']}: " + "; ".join(p["kind"] for p in r["problems"])
            for r in rows if r["problems"]]


@pytest.fixture(scope="module")
def walk_page(browser, server):
    ctx = browser.new_context()
    ctx.add_init_script(CANVAS_PROBE)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.mark.parametrize("lecture", [*LECTURES, "presentar", "ejercicios"])
def test_every_slide_fits_and_reads_from_the_back(walk_page, server, lecture):
    # The sample deck and the graded exercises (a teacher presents them too) as well.
    path = f"{lecture}/" if lecture in ("presentar", "ejercicios") else f"lectures/{lecture}/"
    rows = walk_lecture(walk_page, server.url + path)
    assert rows, "no slides measured"
    key = lambda r: (lecture, r["label"], r["size"])
    failing = {key(r) for r in rows if r["problems"]}
    if os.environ.get("SLIDE_WALK_LIST"):
        print("".join(f"\n    {k!r}," for k in sorted(failing)))
    if os.environ.get("SLIDE_WALK_DRAWN"):  # the smallest drawn text of each slide that has some
        print("".join(f"\n    {lecture} {r['slide']} «{r['label'][:40]}» {r['size']}: {r['minDrawn']:.1f} px"
                      for r in rows if r.get("minDrawn") is not None))
    known = {k for k in KNOWN_OFFENDERS if k[0] == lecture}
    new = failing - known
    fixed = sorted(known - failing)
    bad = [r for r in rows if key(r) in new]
    # The worst offenders first: the smallest text, then the slides that do not fit.
    bad.sort(key=lambda r: (min([p["size"] for p in r["problems"] if p["size"]] or [99]), r["slide"]))
    if fixed:
        warnings.warn(f"these slides pass now, remove them from KNOWN_OFFENDERS: {fixed}")
    assert not new, f"{len(new)} slide×size fail:\n" + "\n".join(report(lecture, bad)[:40])
