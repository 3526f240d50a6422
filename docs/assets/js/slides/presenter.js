/* The presenter view (`?presenter`, key S from the slides): the slide the room sees,
 * the next one as large text, the speaker notes (`details.notes`, figure provenance
 * and `{ .reading-only }` text) and the talk's clock against its planned duration
 * (front matter `minutes:`). It drives the audience's window through sync.js.
 */
import {h} from "../dom.js";
import {clamp} from "./place.js";
import {slideURL} from "./url.js";

const DEFAULT_MINUTES = 45;
const ON_TIME = 60;         // seconds ahead of or behind plan still shown as on time
const NOTES_SIZE_KEY = "course-slides:notes-size";

/** Seconds as «mm:ss», «−mm:ss» when negative. */
export const mmss = (s) => {
  const a = Math.abs(Math.trunc(s));
  return (s < 0 ? "−" : "") + String(Math.floor(a / 60)).padStart(2, "0") + ":" + String(a % 60).padStart(2, "0");
};

/** Seconds ahead of plan (negative: behind): the plan gives every slide from the one
 * the clock started on (`from`) to the last the same time, out of `total` seconds. */
export function secondsAhead({total, elapsed, index, from, count}) {
  return (total * (index - from)) / Math.max(1, count - from) - elapsed;
}

/** The pace's words and class for `ahead` seconds. */
export function paceText(ahead) {
  if (Math.abs(ahead) <= ON_TIME) return {text: "A tiempo", cls: "is-on-time"};
  return {text: `${ahead > 0 ? "Adelantado" : "Retrasado"} ${mmss(Math.abs(ahead))}`, cls: ahead > 0 ? "is-ahead" : "is-behind"};
}

/** Open (or bring back) the presenter window of this page, at slide `index`. */
export function openPresenter(index) {
  window.open(slideURL("presenter", index + 1), "course-presenter:" + location.pathname, "popup,width=1280,height=800");
}

/** The next slide for the presenter, as text large enough to read at a glance: its
 * title and its first few blocks, each cut to a line or two (a demo, a figure or a
 * formula named, not drawn). */
function previewOf(slide) {
  const out = [h("p", {class: "presenter-next-title", text: slide.label})];
  const skip = "h1, h2, hr, details, .reading-only, .slides-enter, .slides-cites-note, script, style";
  for (const el of slide.content.children) {
    if (out.length > 3) break;
    if (el.matches(skip)) continue;
    const named = (text) => out.push(h("p", {class: "presenter-next-thing", text}));
    if (el.matches(".demo")) named("▶ Demo en vivo");
    else if (el.matches("figure, p:has(> img:only-child)")) named("▣ " + (el.querySelector("figcaption")?.textContent.trim() || "Figura"));
    else if (el.matches("div.arithmatex")) named("∑ Fórmula");
    else if (el.matches(".highlight, pre, .tabbed-set")) named("</> " + (el.querySelector("code")?.textContent.trim().split("\n")[0] || "Código"));
    else if (el.matches("p, ul, ol, blockquote, .admonition")) {
      // The text itself, math as typeset, cut by CSS to two lines (a list: three items).
      const copy = el.cloneNode(true);
      copy.querySelectorAll("[id]").forEach((x) => x.removeAttribute("id"));
      copy.removeAttribute("id");
      if (copy.matches("ul, ol")) Array.from(copy.children).slice(3).forEach((li) => li.remove());
      copy.querySelectorAll(".inc-pending").forEach((x) => x.classList.remove("inc-pending"));
      out.push(copy);
    }
  }
  return out;
}

export class Presenter {
  constructor(deck) {
    this.deck = deck;
    this.nextBox = h("div", {class: "presenter-next-box"});
    this.notesBox = h("div", {class: "presenter-notes-body"});
    this.elapsed = h("strong", {class: "presenter-elapsed"});
    this.plannedText = h("span", {class: "presenter-planned"});
    this.remaining = h("strong", {class: "presenter-remaining"});
    this.pace = h("strong", {class: "presenter-pace"});
    this.wall = h("strong", {class: "presenter-wallclock"});
    // The lecture's planned duration: front matter `minutes:`, emitted as a meta tag.
    const planned = Number(document.querySelector('meta[name="course:minutes"]')?.content) || DEFAULT_MINUTES;
    const minutes = h("input", {type: "number", min: "1", max: "600", step: "1", value: String(planned), id: "presenter-minutes"});
    this.startButton = h("button", {type: "button", class: "presenter-start", "aria-keyshortcuts": "T"});
    this.minutes = planned;
    // The clock waits for the talk: it starts on the first slide change or with T
    // (or the button), not when this window opens.
    this.t0 = null;
    minutes.addEventListener("input", () => { this.minutes = Math.max(1, Number(minutes.value) || planned); this.tick(); });
    this.startButton.addEventListener("click", () => this.startClock(true));
    this.clock = setInterval(() => this.tick(), 1000);
    const sizeButton = (text, label, d) => {
      const b = h("button", {type: "button", class: "presenter-size", text, "aria-label": label, title: `${label} (${d > 0 ? "+" : "−"})`});
      b.addEventListener("click", () => this.notesSize(d));
      return b;
    };
    this.panel = h("aside", {class: "presenter-panel", "aria-label": "Vista del ponente"},
      h("section", {class: "presenter-next", "aria-label": "Siguiente diapositiva"},
        h("h2", {text: "Siguiente"}), this.nextBox),
      h("section", {class: "presenter-notes", "aria-label": "Notas del ponente"},
        h("div", {class: "presenter-notes-head"}, h("h2", {text: "Notas"}),
          sizeButton("A−", "Notas más pequeñas", -1), sizeButton("A+", "Notas más grandes", 1)),
        this.notesBox),
      h("section", {class: "presenter-clock", "aria-label": "Tiempo"},
        h("p", {}, "Transcurrido ", this.elapsed, " ", this.plannedText),
        h("p", {}, "Restante ", this.remaining),
        h("p", {}, this.pace),
        h("p", {}, "Hora ", this.wall),
        h("p", {}, h("label", {for: "presenter-minutes", text: "Duración (min) "}), minutes, " ", this.startButton)));
    let size = 20;
    try { size = Number(localStorage.getItem(NOTES_SIZE_KEY)) || size; } catch (e) { /* storage off */ }
    this.notesSize(0, size);
    this.tick();
  }

  get started() { return this.t0 !== null; }

  /** Start the talk's clock now, from the slide on screen (restart: from zero again). */
  startClock(restart = false, from = this.deck.index) {
    if (this.t0 !== null && !restart) return;
    this.t0 = Date.now();
    this.startSlide = Math.max(0, from);
    this.tick();
  }

  /** Enlarge (d > 0) or shrink the notes, 16 to 48 px; remembered for next time. */
  notesSize(d, px = this.notesPx) {
    this.notesPx = clamp(px + 4 * d, 16, 48);
    this.panel.style.setProperty("--notes-size", this.notesPx + "px");
    this.notesBox.dataset.size = String(this.notesPx);
    try { localStorage.setItem(NOTES_SIZE_KEY, String(this.notesPx)); } catch (e) { /* storage off */ }
  }

  /** Elapsed time against the plan, remaining time, the wall clock and the pace:
   * where the plan expects the talk to be now, against the slide on screen. */
  tick() {
    const now = new Date();
    this.wall.textContent = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
    const started = this.t0 !== null;
    const t = started ? (now.getTime() - this.t0) / 1000 : 0, total = this.minutes * 60, left = total - t;
    this.elapsed.textContent = mmss(t);
    this.plannedText.textContent = `de ${mmss(total)}`;
    this.remaining.textContent = mmss(left);
    this.remaining.classList.toggle("is-over", left < 0);
    this.startButton.textContent = started ? "Reiniciar" : "Empezar";
    this.startButton.title = started ? "Reiniciar el reloj (T)" : "Empezar el reloj (T o al pasar de diapositiva)";
    if (!started) {
      this.pace.textContent = "El reloj empieza con la charla";
      this.pace.className = "presenter-pace is-waiting";
      delete this.pace.dataset.ahead;
      return;
    }
    const d = this.deck;
    const ahead = secondsAhead({total, elapsed: t, index: d.index, from: this.startSlide, count: d.slides.length});
    const pace = paceText(ahead);
    this.pace.textContent = pace.text;
    this.pace.dataset.ahead = String(Math.round(ahead));
    this.pace.className = "presenter-pace " + pace.cls;
  }

  /** The next slide's preview and the current one's notes. */
  update() {
    const d = this.deck, next = d.slides[d.index + 1], section = d.slides[d.index].section;
    this.nextBox.replaceChildren(...(next ? previewOf(next) : [h("p", {text: "Fin de la presentación."})]));
    const notes = Array.from(section.querySelectorAll("details.notes"));
    this.notesBox.replaceChildren();
    for (const n of notes) {
      for (const child of n.children) {
        if (child.tagName === "SUMMARY") continue;
        const c = child.cloneNode(true);
        c.querySelectorAll("[id]").forEach((x) => x.removeAttribute("id"));
        this.notesBox.append(c);
      }
    }
    if (!notes.length) this.notesBox.append(h("p", {class: "presenter-none", text: "Sin notas para esta diapositiva."}));
    // Figure provenance and text marked `{ .reading-only }` are hidden on the slide;
    // the presenter still sees them.
    const sources = Array.from(section.querySelectorAll(".figure-provenance, .reading-only"));
    if (sources.length) {
      this.notesBox.append(h("ul", {class: "presenter-sources"},
        ...sources.map((x) => h("li", {text: x.textContent.trim()}))));
    }
    this.tick();
  }

  destroy() { clearInterval(this.clock); }
}
