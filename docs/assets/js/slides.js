/* Presentation mode: every page is also a slide deck, built from the same HTML.
 *
 * Why our own small layer and not reveal.js: reveal.js wants its own DOM of
 * <section>s, so the article would have to be cloned and its live demos mounted a
 * second time. Here the page's own nodes are *moved* into slide frames and moved
 * back on exit, so a demo keeps its state and listeners, and Material's instant
 * navigation keeps working (we set up on `document$` and tear down on the next page).
 *
 * Slides: the `#` title + first paragraph is slide 1, each `##` starts a slide,
 * `<hr class="slide-break">` forces one. `details.notes` are speaker notes (hidden
 * in slides, shown in the presenter view); lists with class `incremental` reveal one
 * item per "next". Enter: the "Presentar" button, key P, or `?slides`; `?presenter`
 * is the presenter view, `?slides&print` one slide per printed page. `#slide-N`
 * (1-based) is kept in the URL. Slides are a 1280×720 canvas scaled to the screen;
 * content taller than a slide is zoomed down (to MIN_FIT at most), then scrolls.
 */
import {h} from "./dom.js";
import {onEachPage} from "./pages.js";

  const W = 1280, H = 720;    // logical slide canvas, 16:9
  const BAR = 34;             // px under the slide: progress, controls, "N / M"
  const MIN_FIT = 0.6;        // overflowing content shrinks this far, then scrolls
  const DEFAULT_MINUTES = 45;
  const FLAGS = ["slides", "presenter", "print"];
  const SKIP = ".slides-enter, .md-content__button";  // page chrome left in the article
  const TYPING = "input, textarea, select, [contenteditable]:not([contenteditable='false']), .demo";
  const nativeReplaceState = History.prototype.replaceState;

  /* ---------- small helpers ---------- */

  /* Material Design Icons paths (the site's fonts may lack these symbols). */
  const ICONS = {
    prev: "M15.41 16.58 10.83 12l4.58-4.59L14 6l-6 6 6 6z",
    next: "M8.59 16.58 13.17 12 8.59 7.41 10 6l6 6-6 6z",
    grid: "M3 11h8V3H3m0 18h8v-8H3m10 8h8v-8h-8m0-10v8h8V3",
    presenter: "M2 3h10a2 2 0 0 1 2-2 2 2 0 0 1 2 2h10v2h-1v11h-5.75L17 22h-2l-1.75-6h-2.5L9 22H7l1.75-6H3V5H2V3m3 2v9h14V5H5z",
    fullscreen: "M5 5h5v2H7v3H5V5m9 0h5v5h-2V7h-3V5m3 9h2v5h-5v-2h3v-3m-7 3v2H5v-5h2v3h3z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    play: "M8 5.14v14l11-7z",
  };
  function icon(name) {
    const span = h("span", {class: "slides-icon", "aria-hidden": "true"});
    span.innerHTML = `<svg viewBox="0 0 24 24" focusable="false"><path d="${ICONS[name]}"/></svg>`;
    return span;
  }

  const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
  const claim = (e) => { e.preventDefault(); e.stopPropagation(); };
  const mmss = (s) => {
    const a = Math.abs(Math.trunc(s));
    return (s < 0 ? "−" : "") + String(Math.floor(a / 60)).padStart(2, "0") + ":" + String(a % 60).padStart(2, "0");
  };

  function headingText(el) {
    const c = el.cloneNode(true);
    c.querySelectorAll(".headerlink").forEach((a) => a.remove());
    return c.textContent.trim();
  }

  /** The query string without our flags, as a list of "k=v" parts. */
  function otherParams() {
    return location.search.slice(1).split("&")
      .filter((p) => p && !FLAGS.some((f) => p === f || p.startsWith(f + "=")));
  }

  function slideURL(mode, n) {
    const flags = {slides: ["slides"], print: ["slides", "print"], presenter: ["presenter"]}[mode];
    return location.pathname + "?" + [...otherParams(), ...flags].join("&") + "#slide-" + n;
  }

  function readingURL(hash) {
    const rest = otherParams();
    return location.pathname + (rest.length ? "?" + rest.join("&") : "") + (hash ? "#" + hash : "");
  }

  function slideFromHash() {
    const m = /^#slide-(\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) - 1 : null;
  }

  /** Group the article's top-level nodes into slides (arrays of nodes). */
  function splitSlides(article) {
    const groups = [];
    let cur = null, title = false, titlePara = false;
    const start = () => groups.push(cur = []);
    for (const node of Array.from(article.childNodes)) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.matches(SKIP)) continue;
        const notes = node.matches("details.notes");
        if (node.tagName === "H2" || node.matches("hr.slide-break")) { start(); title = false; }
        else if (node.tagName === "H1" && !groups.length) { start(); title = true; }
        else if (!cur) start();
        else if (title && !notes && (titlePara || node.tagName !== "P")) { start(); title = false; }
        else if (title && node.tagName === "P") titlePara = true;
      } else if (!cur) {
        if (node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) continue;
        start();
      }
      cur.push(node);
    }
    return groups.filter((g) => g.some((n) => n.nodeType === Node.ELEMENT_NODE || n.textContent.trim()));
  }

  /** The lists marked `incremental` (attr_list puts the class on the last item's <p>). */
  function incrementalItems(root) {
    const lists = new Set();
    root.querySelectorAll(".incremental").forEach((m) => {
      const list = m.matches("ul, ol") ? m : (m.closest("li") ? m.closest("ul, ol") : m.querySelector("ul, ol"));
      if (list && root.contains(list)) lists.add(list);
    });
    const items = [];
    for (const list of lists) items.push(...Array.from(list.children).filter((li) => li.tagName === "LI"));
    return items.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }

  /* ---------- the deck ---------- */

  class Deck {
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
      const groups = splitSlides(article);
      const n = groups.length;

      this.viewport = h("div", {class: "slides-viewport", tabindex: "-1"});
      let last = document.title;
      this.slides = groups.map((nodes, i) => {
        const head = nodes.find((x) => x.nodeType === 1 && /^H[12]$/.test(x.tagName));
        const label = head ? (last = headingText(head)) : `${last} (cont.)`;
        const content = h("div", {class: "slide-content"});
        content.append(...nodes);
        const section = h("section", {
          class: "slide" + (i === 0 && head && head.tagName === "H1" ? " slide--title" : ""),
          role: "region", "aria-roledescription": "diapositiva", "aria-label": `${label} (${i + 1} de ${n})`,
        }, content);
        const jump = h("button", {type: "button", class: "slide-jump", "aria-label": `Ir a la diapositiva ${i + 1}: ${label}`},
          h("span", {"aria-hidden": "true", text: String(i + 1)}));
        jump.addEventListener("click", () => { this.setOverview(false); this.go(i, 0); });
        const frame = h("div", {class: "slide-frame", hidden: mode !== "print"}, section, jump);
        this.viewport.append(frame);
        const items = incrementalItems(content);
        items.forEach((li) => li.classList.add("inc-item"));
        return {frame, section, content, items, label, head};
      });

      this.progress = h("span");
      this.counter = h("p", {class: "slides-counter", "aria-hidden": "true"});
      this.live = h("p", {class: "slides-sr", "aria-live": "polite", "aria-atomic": "true"});
      const button = (name, label, fn, key) => {
        const b = h("button", {type: "button", "aria-label": label, title: `${label} (${key})`, "aria-keyshortcuts": key}, icon(name));
        b.addEventListener("click", fn);
        return b;
      };
      const controls = h("div", {class: "slides-controls", role: "toolbar", "aria-label": "Controles de la presentación"},
        button("prev", "Anterior", () => this.prev(), "ArrowLeft"),
        button("next", "Siguiente", () => this.next(), "ArrowRight"),
        mode === "slides" ? button("grid", "Vista general", () => this.setOverview(!this.overview), "O") : "",
        mode === "slides" ? button("presenter", "Vista del ponente", () => this.openPresenter(), "S") : "",
        button("fullscreen", "Pantalla completa", toggleFullscreen, "F"),
        button("close", "Salir de la presentación", () => this.onExit(), "Escape"));
      this.bar = h("div", {class: "slides-bar"},
        h("div", {class: "slides-progress", "aria-hidden": "true"}, this.progress), controls, this.counter);
      this.root = h("div", {class: "slides-deck md-typeset", "data-mode": mode}, this.viewport, this.bar, this.live);
      if (mode === "presenter") this.root.append(this.buildPresenter());

      document.body.append(this.root);
      document.documentElement.classList.add("slides-active");
      this.pageStyle = h("style", {text: `@page { size: ${W}px ${H}px; margin: 0; }`});
      document.head.append(this.pageStyle);
      this.keepURL();
      this.listen();

      let i = typeof start === "number" ? start : 0;
      if (start && typeof start === "object") i = Math.max(0, this.slides.findIndex((s) => s.content.contains(start)));
      this.layout();
      this.go(clamp(i, 0, n - 1), 0, {broadcast: false});
      if (mode === "print") this.fitVisible();
      if (mode === "presenter") this.post({type: "hello"});
      if (mode !== "print") this.viewport.focus({preventScroll: true});
    }

    /* Material's navigation.tracking rewrites the URL's hash from the table of
     * contents when the window scrolls; while the deck is up, any URL it writes
     * becomes the current slide's, so `#slide-N` survives. Removed on exit. */
    keepURL() {
      const deck = this;
      history.replaceState = function (state, title, url) {
        return nativeReplaceState.call(history, state, title, url === undefined ? url : deck.url());
      };
    }

    url() { return slideURL(this.mode, this.index + 1); }

    listen() {
      const opts = {signal: this.abort.signal};
      window.addEventListener("resize", () => { this.layout(); this.fitVisible(); }, opts);
      window.addEventListener("hashchange", () => {
        const i = slideFromHash();
        if (i !== null) this.go(i, 0);
      }, opts);
      if (document.fonts) document.fonts.ready.then(() => this.root.isConnected && this.fitVisible());
      // Content that grows later (a demo's result, an image) is fitted again.
      let queued = false;
      this.resizeObserver = new ResizeObserver(() => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(() => { queued = false; if (this.root.isConnected) this.fitVisible(); });
      });
      this.slides.forEach((s) => this.resizeObserver.observe(s.content));
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
      if (this.mode !== "print" && typeof BroadcastChannel === "function") {
        this.channel = new BroadcastChannel("course-slides:" + location.pathname);
        this.channel.onmessage = ({data}) => {
          if (data.type === "goto") this.go(data.slide, data.step, {broadcast: false});
          else if (data.type === "hello" && this.mode === "slides") this.post({type: "goto", slide: this.index, step: this.step});
        };
      }
    }

    post(msg) { if (this.channel) this.channel.postMessage(msg); }

    /** Scale the 1280×720 canvas to the space available (CSS reads --s). */
    layout() {
      const vw = document.documentElement.clientWidth, vh = window.innerHeight;
      let s = 1;  // print: full size
      if (this.overview) {
        const cols = this.cols = clamp(Math.floor(vw / 320), 2, 5);
        s = (vw - 48 - 16 * (cols - 1)) / cols / W;
        this.root.style.setProperty("--cols", cols);
      } else if (this.mode === "presenter") {
        const r = this.viewport.getBoundingClientRect();
        s = Math.min((r.width - 16) / W, (r.height - 16) / H);
      } else if (this.mode === "slides") s = Math.min(vw / W, (vh - BAR) / H);
      this.root.style.setProperty("--s", Math.max(0.05, s).toFixed(4));
      if (this.nextBox) this.nextBox.style.setProperty("--s", (this.nextBox.clientWidth / W).toFixed(4));
    }

    /** Zoom a slide's content down until it fits; below MIN_FIT, let it scroll. */
    fit(slide) {
      const sec = slide.section, box = slide.content;
      box.style.zoom = "";
      sec.classList.remove("slide--scroll");
      sec.removeAttribute("tabindex");
      const fits = () => sec.scrollHeight <= sec.clientHeight + 1;
      if (fits()) return;
      box.style.zoom = MIN_FIT;
      if (!fits()) {
        sec.classList.add("slide--scroll");
        sec.tabIndex = 0;  // a scrollable region must be reachable by keyboard
        return;
      }
      let lo = MIN_FIT, hi = 1;
      for (let k = 0; k < 6; k++) {
        const mid = (lo + hi) / 2;
        box.style.zoom = mid;
        if (fits()) lo = mid; else hi = mid;
      }
      box.style.zoom = lo.toFixed(3);
    }

    fitVisible() { this.slides.forEach((s) => { if (!s.frame.hidden) this.fit(s); }); }

    /** Show slide i with `step` incremental items revealed (Infinity: all). */
    go(i, step = 0, {broadcast = true} = {}) {
      i = clamp(i | 0, 0, this.slides.length - 1);
      const slide = this.slides[i];
      const changed = i !== this.index;
      this.index = i;
      this.step = clamp(step, 0, slide.items.length);
      if (this.mode !== "print") this.slides.forEach((s, k) => {
        s.frame.hidden = !this.overview && k !== i;
        s.frame.classList.toggle("is-current", k === i);
      });
      slide.items.forEach((li, k) => li.classList.toggle("inc-pending", k >= this.step));
      const n = this.slides.length;
      this.progress.style.width = `${(100 * (i + 1)) / n}%`;
      this.showCounter();
      if (changed) {
        this.live.textContent = `Diapositiva ${i + 1} de ${n}`;
        if (this.mode !== "print") this.fit(slide);
        slide.section.scrollTop = 0;
      }
      nativeReplaceState.call(history, history.state, "", this.url());
      if (this.mode === "presenter") this.updatePresenter();
      if (broadcast) this.post({type: "goto", slide: i, step: this.step});
    }

    showCounter() {
      this.counter.textContent = this.typed ? `Ir a ${this.typed}…` : `${this.index + 1} / ${this.slides.length}`;
    }

    next() {
      const s = this.slides[this.index];
      if (this.step < s.items.length) this.go(this.index, this.step + 1);
      else if (this.index < this.slides.length - 1) this.go(this.index + 1, 0);
    }

    prev() {
      if (this.step > 0) this.go(this.index, this.step - 1);
      else if (this.index > 0) this.go(this.index - 1, Infinity);
    }

    setOverview(on) {
      if (this.mode !== "slides" || on === this.overview) return;
      this.overview = on;
      this.root.classList.toggle("is-overview", on);
      this.slides.forEach((s, k) => {
        s.frame.hidden = !on && k !== this.index;
        s.section.inert = on;  // in the grid only the thumbnails' buttons take focus
      });
      this.layout();
      if (on) { this.fitVisible(); this.slides[this.index].frame.querySelector(".slide-jump").focus(); }
      else this.viewport.focus({preventScroll: true});
    }

    openPresenter() {
      window.open(slideURL("presenter", this.index + 1), "course-presenter:" + location.pathname, "popup,width=1280,height=800");
    }

    /* ---------- presenter view: next slide, notes, clock ---------- */

    buildPresenter() {
      this.nextBox = h("div", {class: "presenter-next-box"});
      this.notesBox = h("div", {class: "presenter-notes-body"});
      this.elapsed = h("strong", {class: "presenter-elapsed"});
      this.remaining = h("strong", {class: "presenter-remaining"});
      const minutes = h("input", {type: "number", min: "1", max: "600", step: "1", value: String(DEFAULT_MINUTES), id: "presenter-minutes"});
      const reset = h("button", {type: "button", text: "Reiniciar"});
      this.minutes = DEFAULT_MINUTES;
      this.t0 = Date.now();
      minutes.addEventListener("input", () => { this.minutes = Math.max(1, Number(minutes.value) || DEFAULT_MINUTES); this.tick(); });
      reset.addEventListener("click", () => { this.t0 = Date.now(); this.tick(); });
      this.clock = setInterval(() => this.tick(), 1000);
      const panel = h("aside", {class: "presenter-panel", "aria-label": "Vista del ponente"},
        h("section", {class: "presenter-next", "aria-label": "Siguiente diapositiva"},
          h("h2", {text: "Siguiente"}), this.nextBox),
        h("section", {class: "presenter-notes", "aria-label": "Notas del ponente"},
          h("h2", {text: "Notas"}), this.notesBox),
        h("section", {class: "presenter-clock", "aria-label": "Tiempo"},
          h("p", {}, "Transcurrido ", this.elapsed), h("p", {}, "Restante ", this.remaining),
          h("p", {}, h("label", {for: "presenter-minutes", text: "Duración (min) "}), minutes, " ", reset)));
      this.tick();
      return panel;
    }

    tick() {
      const t = (Date.now() - this.t0) / 1000, left = this.minutes * 60 - t;
      this.elapsed.textContent = mmss(t);
      this.remaining.textContent = mmss(left);
      this.remaining.classList.toggle("is-over", left < 0);
    }

    updatePresenter() {
      const next = this.slides[this.index + 1];
      this.nextBox.replaceChildren();
      if (next) {
        // A picture of the next slide: a clone without ids, inert, canvases copied.
        const copy = next.section.cloneNode(true);
        copy.querySelectorAll("[id]").forEach((x) => x.removeAttribute("id"));
        copy.querySelectorAll(".inc-pending").forEach((x) => x.classList.remove("inc-pending"));
        const src = next.section.querySelectorAll("canvas"), dst = copy.querySelectorAll("canvas");
        dst.forEach((c, k) => {
          c.width = src[k].width; c.height = src[k].height;
          if (c.width && c.height) c.getContext("2d").drawImage(src[k], 0, 0);
        });
        for (const a of ["role", "aria-roledescription", "aria-label", "tabindex"]) copy.removeAttribute(a);
        copy.classList.add("slide--preview");
        this.nextBox.append(h("div", {class: "slide-frame", "aria-hidden": "true", inert: true}, copy));
      } else this.nextBox.append(h("p", {text: "Fin de la presentación."}));
      this.layout();
      const notes = Array.from(this.slides[this.index].section.querySelectorAll("details.notes"));
      this.notesBox.replaceChildren();
      for (const d of notes) {
        for (const child of d.children) {
          if (child.tagName === "SUMMARY") continue;
          const c = child.cloneNode(true);
          c.querySelectorAll("[id]").forEach((x) => x.removeAttribute("id"));
          this.notesBox.append(c);
        }
      }
      if (!notes.length) this.notesBox.append(h("p", {class: "presenter-none", text: "Sin notas para esta diapositiva."}));
    }

    /* ---------- keys ---------- */

    /** Returns true when the key was ours. */
    handleKey(e) {
      const k = e.key;
      if (this.mode === "print") {
        if (k === "Escape") { this.onExit(); return true; }
        return false;
      }
      if (this.overview) {
        if (k === "Escape" || k === "o" || k === "O") { this.setOverview(false); return true; }
        const d = {ArrowRight: 1, ArrowLeft: -1, ArrowDown: this.cols, ArrowUp: -this.cols}[k];
        if (!d) return false;  // Tab, Enter and Space act on the focused thumbnail
        const jumps = Array.from(this.viewport.querySelectorAll(".slide-jump"));
        const at = Math.max(0, jumps.indexOf(document.activeElement));
        jumps[clamp(at + d, 0, jumps.length - 1)].focus();
        return true;
      }
      if (/^[0-9]$/.test(k)) {
        this.typed = (this.typed + k).slice(-4);
        clearTimeout(this.typedTimer);
        this.typedTimer = setTimeout(() => { this.typed = ""; this.showCounter(); }, 3000);
        this.showCounter();
        return true;
      }
      if (k === "Enter" && this.typed) {
        const n = parseInt(this.typed, 10);
        this.typed = "";
        this.go(n - 1, 0);
        return true;
      }
      if (this.typed) { this.typed = ""; this.showCounter(); }
      const onButton = e.target instanceof Element && e.target.closest("button, summary");
      switch (k) {
        case "ArrowRight": case "PageDown": this.next(); return true;
        case "ArrowLeft": case "PageUp": this.prev(); return true;
        case " ":
          if (onButton) return false;  // Space presses the focused button
          if (e.shiftKey) this.prev(); else this.next();
          return true;
        case "Home": this.go(0, 0); return true;
        case "End": this.go(this.slides.length - 1, Infinity); return true;
        case "f": case "F": toggleFullscreen(); return true;
        case "o": case "O": this.setOverview(true); return this.mode === "slides";
        case "s": case "S": if (this.mode !== "slides") return false; this.openPresenter(); return true;
        case "Escape": this.onExit(); return true;
        default: return false;
      }
    }

    /** Put every node back where it was and remove the deck. */
    destroy() {
      this.abort.abort();
      this.resizeObserver.disconnect();
      if (this.channel) this.channel.close();
      clearInterval(this.clock);
      clearTimeout(this.typedTimer);
      delete history.replaceState;  // back to History.prototype's
      for (const s of this.slides) {
        s.items.forEach((li) => li.classList.remove("inc-item", "inc-pending"));
        s.content.style.zoom = "";
      }
      this.article.append(...this.nodes);
      this.root.remove();
      this.pageStyle.remove();
      document.documentElement.classList.remove("slides-active");
    }
  }

  /* ---------- one controller per page (instant navigation makes many) ---------- */

  function setupPage() {
    // Only pages with sections (`##`) are decks; a notebook's headings sit inside cells.
    const article = document.querySelector("article.md-content__inner");
    if (!article || !article.querySelector(":scope > h2")) return null;
    const ctl = {article, deck: null, button: null, abort: new AbortController()};
    const opts = {signal: ctl.abort.signal};

    const enter = (mode, start) => {
      if (ctl.deck) return;
      ctl.deck = new Deck(article, mode, start ?? sectionInView(article), exit);
    };
    const exit = () => {
      const deck = ctl.deck;
      if (!deck) return;
      ctl.deck = null;
      // Back to reading mode at the same place: the slide's heading or first block.
      const slide = deck.slides[deck.index];
      const anchor = deck.index === 0 ? null : slide.head
        || Array.from(slide.content.children).find((x) => !x.matches("hr.slide-break, details.notes"));
      deck.destroy();
      nativeReplaceState.call(history, history.state, "", readingURL(anchor && anchor.tagName === "H2" ? anchor.id : ""));
      const header = document.querySelector(".md-header");
      const top = anchor ? anchor.getBoundingClientRect().top + window.scrollY - (header ? header.offsetHeight : 0) - 8 : 0;
      window.scrollTo(0, Math.max(0, top));
      ctl.button.focus({preventScroll: true});
    };

    ctl.button = h("button", {type: "button", class: "slides-enter", title: "Presentar como diapositivas (tecla P)", "aria-keyshortcuts": "P"},
      icon("play"), "Presentar");
    ctl.button.addEventListener("click", () => enter("slides"), opts);
    const h1 = article.querySelector(":scope > h1");
    if (h1) h1.before(ctl.button); else article.prepend(ctl.button);

    // Capture phase on window: we see keys before Material's shortcuts (its "p" is
    // "previous page", its "s" opens search) and stop the ones we use.
    window.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || e.isComposing) return;
      if (e.target instanceof Element && e.target.closest(TYPING)) return;
      if (ctl.deck) { if (ctl.deck.handleKey(e)) claim(e); return; }
      if (e.key === "p" || e.key === "P") { claim(e); enter("slides"); }
    }, {capture: true, ...opts});
    // Esc inside a demo or a field that did not use it: leave the control, so the
    // next Esc (or arrow) drives the deck again.
    window.addEventListener("keydown", (e) => {
      if (ctl.deck && e.key === "Escape" && !e.defaultPrevented && e.target instanceof Element
          && e.target.closest(TYPING)) ctl.deck.viewport.focus({preventScroll: true});
    }, opts);
    window.addEventListener("hashchange", () => {
      if (!ctl.deck && slideFromHash() !== null) enter("slides", slideFromHash());
    }, opts);

    const q = new URLSearchParams(location.search);
    const mode = q.has("presenter") ? "presenter" : q.has("slides") ? (q.has("print") ? "print" : "slides")
      : slideFromHash() !== null ? "slides" : null;
    if (mode) enter(mode, slideFromHash() ?? 0);

    ctl.destroy = () => {
      ctl.abort.abort();
      if (ctl.deck) ctl.deck.destroy();
      ctl.deck = null;
      ctl.button.remove();
    };
    ctl.enter = enter;
    ctl.exit = exit;
    return ctl;
  }

  /** The heading of the section being read, so P starts where the reader is. */
  function sectionInView(article) {
    if (window.scrollY < 10) return 0;
    const header = document.querySelector(".md-header");
    const limit = (header ? header.offsetHeight : 0) + 16;
    let found = null;
    for (const h2 of article.querySelectorAll(":scope > h2")) {
      if (h2.getBoundingClientRect().top <= limit) found = h2; else break;
    }
    return found || 0;
  }

  let current = null;
  function onDocument() {
    if (current) current.destroy();
    current = setupPage();
  }
  export const CourseSlides = {
    enter(mode = "slides") { if (current) current.enter(mode); },
    exit() { if (current) current.exit(); },
    get deck() { return current && current.deck; },
  };
  onEachPage(onDocument);
