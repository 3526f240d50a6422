/* The deck: the page's own nodes moved into slide frames (and moved back on exit, so
 * a demo keeps its state and listeners), the current place (slide index and step),
 * go/next/prev and the overview, and the events the widgets listen to. Everything else
 * is a controller with one job, which the core calls by name: fit.js (canvas and zoom),
 * ink.js (blank, laser, pen), sync.js (the other window), presenter.js (notes, clock),
 * keys.js, url.js, print.js.
 *
 * Events on `document`: `course:slides-open`, `course:slides-close` and
 * `course:slide-change` (detail {index, slide}); <html> has `.slides-mode` while a
 * deck is up.
 */
import {h} from "../dom.js";
import {splitSlides, headingText, incrementalItems, slideLabels} from "./split.js";
import {placeAt, nextPlace, prevPlace, clamp} from "./place.js";
import {shortReferences} from "./citations.js";
import {Fitter, W, H} from "./fit.js";
import {Ink} from "./ink.js";
import {Sync} from "./sync.js";
import {Presenter, openPresenter} from "./presenter.js";
import {buildBar} from "./chrome.js";
import {keepURL, slideURL, slideFromHash, writeURL} from "./url.js";
import {deckKey} from "./keys.js";
import {addNotesPages, freezeDemos, thawDemos} from "./print.js";

const emit = (type, detail) => document.dispatchEvent(new CustomEvent(type, {detail}));

export class Deck {
  /** mode: "slides" | "presenter" | "print"; start: slide index or a node to start at. */
  constructor(article, mode, start, onExit) {
    this.article = article;
    this.mode = mode;
    this.onExit = onExit;
    this.nodes = Array.from(article.childNodes);  // original order, restored on exit
    this.abort = new AbortController();
    this.index = -1;
    this.step = 0;
    this.typed = "";
    this.overview = false;
    this.viewport = h("div", {class: "slides-viewport", tabindex: "-1"});
    this.slides = this.build(splitSlides(article));

    this.fitter = new Fitter(this);
    this.ink = new Ink(this);
    const bar = buildBar(this);
    this.root = h("div", {class: "slides-deck md-typeset", "data-mode": mode}, this.viewport, bar, this.live, this.ink.blankLayer);
    this.presenter = mode === "presenter" ? new Presenter(this) : null;
    if (this.presenter) this.root.append(this.presenter.panel);

    document.body.append(this.root);
    document.documentElement.classList.add("slides-active", "slides-mode");
    this.pageStyle = h("style", {text: `@page { size: ${W}px ${H}px; margin: 0; }`});
    document.head.append(this.pageStyle);
    keepURL(() => this.url(), this.abort.signal);
    this.listen();

    const n = this.slides.length;
    let i = typeof start === "number" ? start : 0;
    if (start && typeof start === "object") i = Math.max(0, this.slides.findIndex((s) => s.content.contains(start)));
    emit("course:slides-open", {mode});
    this.fitter.layout();
    this.go(clamp(i, 0, n - 1), 0, {broadcast: false, initial: true});
    // The build makes images lazy for reading (sitebuild/images.py). A deck loads them
    // all now: no figure appears late on the projector, and the PDF has every one.
    for (const img of this.root.querySelectorAll('img[loading="lazy"]')) img.loading = "eager";
    if (mode === "print" && new URLSearchParams(location.search).has("notes")) addNotesPages(this.slides);
    if (mode === "print") this.fitter.fitVisible();
    this.sync.announce();
    if (mode !== "print") this.viewport.focus({preventScroll: true});
  }

  /** One frame per group of nodes: {frame, section, content, items, label, head}. */
  build(groups) {
    const n = groups.length;
    const heads = groups.map((nodes) => nodes.find((x) => x.nodeType === 1 && /^H[12]$/.test(x.tagName)) || null);
    const labels = slideLabels(heads.map((x) => (x ? headingText(x) : null)), document.title);
    return groups.map((nodes, i) => {
      const head = heads[i], label = labels[i];
      const content = h("div", {class: "slide-content"});
      content.append(...nodes);
      const section = h("section", {
        class: "slide" + (i === 0 && head && head.tagName === "H1" ? " slide--title" : ""),
        role: "region", "aria-roledescription": "diapositiva", "aria-label": `${label} (${i + 1} de ${n})`,
      }, content);
      const jump = h("button", {type: "button", class: "slide-jump", "aria-label": `Ir a la diapositiva ${i + 1}: ${label}`},
        h("span", {"aria-hidden": "true", text: String(i + 1)}));
      jump.addEventListener("click", () => { this.setOverview(false); this.go(i, 0); });
      if (head && head.id === "referencias") shortReferences(section, content);
      const frame = h("div", {class: "slide-frame", hidden: this.mode !== "print"}, section, jump);
      this.viewport.append(frame);
      const items = incrementalItems(content);
      items.forEach((li) => li.classList.add("inc-item"));
      return {frame, section, content, items, label, head: head || undefined};
    });
  }

  url() { return slideURL(this.mode, this.index + 1); }

  listen() {
    const opts = {signal: this.abort.signal};
    this.sync = new Sync(this);
    window.addEventListener("resize", () => { this.fitter.layout(); this.fitter.fitVisible(); }, opts);
    window.addEventListener("hashchange", () => {
      const i = slideFromHash();
      if (i !== null) this.go(i, 0);
    }, opts);
    // Content that grows later (a demo's result, an image) is fitted again, once a frame.
    let queued = false;
    const refit = () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; if (this.root.isConnected) this.fitter.fitVisible(); });
    };
    this.resizeObserver = new ResizeObserver(refit);
    // So is text whose font arrives after the fit: KaTeX's fonts load only when a
    // slide with math is first shown, and its glyphs are wider than the fallback's.
    if (document.fonts) {
      document.fonts.ready.then(refit);
      document.fonts.addEventListener("loadingdone", refit, opts);
    }
    this.slides.forEach((s) => this.resizeObserver.observe(s.content));
    // Printing (the browser's dialog, or print media emulated): demos as stills.
    const printing = (on) => {
      if (on === Boolean(this.frozen)) return;
      this.frozen = on;
      if (on) freezeDemos(this.viewport); else thawDemos(this.viewport);
      this.fitter.fitVisible();
    };
    window.addEventListener("beforeprint", () => printing(true), opts);
    window.addEventListener("afterprint", () => printing(false), opts);
    const printMedia = window.matchMedia("print");
    printMedia.addEventListener("change", () => printing(printMedia.matches), opts);
    // Touch: swipe left/right, but not when the gesture starts inside a demo.
    let touch = null;
    this.viewport.addEventListener("touchstart", (e) => {
      touch = e.touches.length === 1 && !e.target.closest(".demo") && !this.overview
        ? {x: e.touches[0].clientX, y: e.touches[0].clientY} : null;
    }, {passive: true, ...opts});
    this.viewport.addEventListener("touchend", (e) => {
      if (!touch) return;
      const dx = e.changedTouches[0].clientX - touch.x, dy = e.changedTouches[0].clientY - touch.y;
      touch = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) (dx < 0 ? this.next() : this.prev());
    }, opts);
    this.ink.listen(opts);
  }

  /** Show slide i with `step` incremental items revealed (Infinity: all). */
  go(i, step = 0, {broadcast = true, initial = false} = {}) {
    const place = placeAt(this.slides.map((s) => s.items.length), i, step);
    const slide = this.slides[place.index];
    const changed = place.index !== this.index, from = this.index;
    ({index: i, step: this.step} = place);
    this.index = i;
    if (this.mode !== "print") this.slides.forEach((s, k) => {
      s.frame.hidden = !this.overview && k !== i;
      s.frame.classList.toggle("is-current", k === i);
    });
    slide.items.forEach((li, k) => li.classList.toggle("inc-pending", k >= this.step));
    const n = this.slides.length;
    this.progress.style.width = `${(100 * (i + 1)) / n}%`;
    this.showCounter();
    if (changed && !initial && this.presenter) this.presenter.startClock(false, from);  // the talk has begun
    if (changed) {
      this.live.textContent = `Diapositiva ${i + 1} de ${n}`;
      if (this.mode !== "print") {
        this.ink.showOn(slide);
        this.fitter.fit(slide);
        this.ink.redraw();
      }
      slide.section.scrollTop = 0;
      this.fitter.showWarning();
      emit("course:slide-change", {index: i, slide: slide.section});
    }
    writeURL(this.url());
    if (this.presenter) this.presenter.update();
    if (broadcast) this.sync.post({type: "goto", slide: i, step: this.step});
  }

  next() {
    const p = nextPlace(this.slides.map((s) => s.items.length), this);
    if (p) this.go(p.index, p.step);
  }

  prev() {
    const p = prevPlace(this.slides.map((s) => s.items.length), this);
    if (p) this.go(p.index, p.step);
  }

  /** Digits typed to jump to a slide (null: forget them); forgotten after 3 s. */
  type(digit) {
    clearTimeout(this.typedTimer);
    this.typed = digit === null ? "" : (this.typed + digit).slice(-4);
    if (this.typed) this.typedTimer = setTimeout(() => { this.typed = ""; this.showCounter(); }, 3000);
    this.showCounter();
  }

  showCounter() {
    this.counter.textContent = this.typed ? `Ir a ${this.typed}…` : `${this.index + 1} / ${this.slides.length}`;
  }

  setOverview(on) {
    if (this.mode !== "slides" || on === this.overview) return;
    this.overview = on;
    this.root.classList.toggle("is-overview", on);
    this.slides.forEach((s, k) => {
      s.frame.hidden = !on && k !== this.index;
      s.section.inert = on;  // in the grid only the thumbnails' buttons take focus
    });
    this.fitter.layout();
    if (on) { this.fitter.fitVisible(); this.slides[this.index].frame.querySelector(".slide-jump").focus(); }
    else this.viewport.focus({preventScroll: true});
  }

  openPresenter() { openPresenter(this.index); }

  /** Returns true when the key was the deck's (keys.js). */
  handleKey(e) { return deckKey(this, e); }

  /** Put every node back where it was and remove the deck. */
  destroy() {
    this.abort.abort();
    this.resizeObserver.disconnect();
    this.sync.close();
    if (this.presenter) this.presenter.destroy();
    clearTimeout(this.typedTimer);
    thawDemos(this.viewport);
    this.viewport.querySelectorAll(".print-notes").forEach((x) => x.remove());
    for (const s of this.slides) {
      s.items.forEach((li) => li.classList.remove("inc-item", "inc-pending"));
      this.fitter.reset(s);
    }
    this.article.append(...this.nodes);
    this.root.remove();
    this.pageStyle.remove();
    document.documentElement.classList.remove("slides-active", "slides-mode");
    emit("course:slides-close", {mode: this.mode});
  }
}
