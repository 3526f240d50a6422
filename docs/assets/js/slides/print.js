/* Print shows demos as they are: at print time each demo of the deck is frozen into a
 * still, so the page holds what the room saw, not an empty shell. A canvas becomes an
 * <img> of its current pixels (one never drawn is left out rather than printed blank),
 * a field or list shows its value as text, a textarea its whole text; the buttons are
 * hidden by CSS (slides.css, @media print). Nothing of a demo is changed: the stills
 * sit beside the live nodes, shown only in print, and are removed after printing.
 * With `?slides&print&notes` each slide is followed by its speaker notes.
 */
import {h} from "../dom.js";

const STILL = "print-still", FROZEN = "has-print-still";

/** True when every pixel of the canvas is the same (never drawn, or cleared). */
function blank(canvas) {
  try {
    const {width: w, height: hgt} = canvas;
    const g = canvas.getContext("2d", {willReadFrequently: true});
    if (!g) return false;  // a WebGL canvas: trust it
    const d = new Uint32Array(g.getImageData(0, 0, w, hgt).data.buffer);
    return d.every((x) => x === d[0]);
  } catch (err) { return false; }
}

/** The value of a form field as the room sees it. */
function shownValue(f) {
  if (f.matches("select")) return Array.from(f.selectedOptions, (o) => o.textContent.trim()).join(", ");
  if (f.matches("[type=checkbox], [type=radio]")) return f.checked ? "☑" : "☐";
  return f.value;
}

/** Replace (for print only) every demo's canvases and fields under `root` by stills. */
export function freezeDemos(root) {
  thawDemos(root);
  for (const demo of root.querySelectorAll(".demo")) {
    for (const c of demo.querySelectorAll("canvas")) {
      const w = c.offsetWidth, hgt = c.offsetHeight;  // measured before the canvas is hidden
      if (!c.width || !c.height || !w) continue;  // not shown: nothing to print
      const cs = getComputedStyle(c), margin = cs.margin, align = cs.verticalAlign;
      c.classList.add(FROZEN);
      if (blank(c)) continue;
      const img = h("img", {class: STILL, src: c.toDataURL(), alt: c.getAttribute("aria-label") || ""});
      Object.assign(img.style, {width: `${w}px`, height: `${hgt}px`, margin, verticalAlign: align});
      c.after(img);
    }
    for (const f of demo.querySelectorAll("input:not([type=hidden], [type=button], [type=submit]), select, textarea")) {
      if (!f.offsetWidth && !f.matches("textarea")) continue;
      f.classList.add(FROZEN);
      f.after(h(f.matches("textarea") ? "pre" : "span", {class: `${STILL} print-value`, text: shownValue(f)}));
    }
  }
}

/** Remove the stills: the live demos are shown again. */
export function thawDemos(root) {
  root.querySelectorAll("." + STILL).forEach((x) => x.remove());
  root.querySelectorAll("." + FROZEN).forEach((x) => x.classList.remove(FROZEN));
}

/** After each slide frame, a page with its speaker notes (`?slides&print&notes`). */
export function addNotesPages(slides) {
  slides.forEach((s, i) => {
    const notes = s.section.querySelectorAll("details.notes");
    if (!notes.length) return;
    const page = h("div", {class: "print-notes"}, h("p", {class: "print-notes-title", text: `Notas · ${i + 1}. ${s.label}`}));
    for (const d of notes) {
      for (const child of d.children) {
        if (child.tagName === "SUMMARY") continue;
        const c = child.cloneNode(true);
        c.querySelectorAll("[id]").forEach((x) => x.removeAttribute("id"));
        page.append(c);
      }
    }
    s.frame.after(page);
  });
}
