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
 * in slides, shown in the presenter view), and so is text marked `{ .reading-only }`
 * (a hint for the reader, such as "change the stride and watch"); lists with class
 * `incremental` reveal one item per "next". Enter: the "Presentar" button, key P, or `?slides`; `?presenter`
 * is the presenter view, `?slides&print` one slide per printed page. `#slide-N`
 * (1-based) is kept in the URL. Slides are a canvas of about 1280×720 logical px that
 * takes the screen's shape and is scaled to it, never below MIN_SCALE (so type stays
 * large on a 1024×768 projector). Content that does not fit is zoomed down to MIN_FIT
 * at most (width and height); a slide that still does not fit is marked
 * `slide--overflow`, reported on the console and in the bar: never a scroll bar.
 * Printing zooms as far as needed, so each page holds a whole slide.
 *
 * Keys for remotes: PageUp/PageDown move the deck from anywhere; every other deck key
 * too, except the keys a focused text field or slider keeps (focus.js: typing and the
 * caret, a slider's arrows). B or "." blanks the screen, F5 starts the show,
 * L is a laser pointer, D a pen, C clears the ink; the presenter window drives the
 * audience's through a BroadcastChannel.
 *
 * Events on `document` for the widgets: `course:slides-open`, `course:slides-close`
 * and `course:slide-change` (detail {index, slide}); <html> has `.slides-mode`
 * while a deck is up.
 */
import {h} from "./dom.js";
import {onEachPage} from "./pages.js";
import {keyOwner, ownsKey} from "./focus.js";
import {addNotesPages, freezeDemos, thawDemos} from "./slides/print.js";

  const W = 1280, H = 720;    // logical slide canvas, 16:9
  const BAR = 34;             // px under the slide: progress, controls, "N / M"
  const MIN_FIT = 0.85;       // overflowing content shrinks this far, then it is an error
  const PRINT_MIN_FIT = 0.2;  // on paper a slide shrinks as far as needed
  const MIN_SCALE = 0.95;     // smaller screens get a smaller logical canvas instead
  const DEFAULT_MINUTES = 45;
  const ON_TIME = 60;         // seconds ahead of or behind plan still shown as on time
  const FLAGS = ["slides", "presenter", "print"];
  const SKIP = ".slides-enter, .md-content__button";  // page chrome left in the article
  /* Boxes that scroll by themselves: their overflow means the slide does not fit. */
  const SCROLLERS = "pre > code, .md-typeset__scrollwrap, div.arithmatex, .katex-display, .tabbed-content";
  /* Diagrams and figures, whose labels are sized for the reading column: a slide with
   * room draws them larger, up to MAX_GROW times (figures are saved at 150 dpi, so a
   * slide seldom enlarges their pixels). */
  const DIAGRAMS = 'img[src*="diagrams/"][src$=".svg"], img[src*="figures/"]';
  const MAX_GROW = 3;
  /* The lines of a highlighted code block (pymdownx.highlight's line_spans). */
  const WRAPPABLE = "pre > code > span[id^='__span-']";
  const NOTES_SIZE_KEY = "course-slides:notes-size";

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

  function resetDiagram(img) {
    Object.assign(img.style, {height: "", width: "", maxWidth: "", maxHeight: "", objectFit: ""});
  }

  function headingText(el) {
    const c = el.cloneNode(true);
    c.querySelectorAll(".headerlink, .katex-mathml").forEach((a) => a.remove());  // math once, as shown
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

  /** «He et al. (2016)» for one entry of the generated reference list ("A. B. Author, C.
   * Other y D. Last (2016). «Title». ..."), or null when the entry has no "(year)". */
  function shortCitation(li) {
    const m = /^\s*(.+?)\s+\((\d{4}[a-z]?)\)/.exec(li.textContent);
    if (!m) return null;
    const etAl = /\s+et al\.$/.test(m[1]);
    const authors = m[1].replace(/\s+et al\.$/, "").split(/,\s*|\s+[ye]\s+/).filter(Boolean);
    const surname = (a) => a.replace(/^(?:\p{Lu}\.(?:\s+|-))+/u, "").trim();
    const n = etAl ? Infinity : authors.length;
    const who = n === 1 ? surname(authors[0]) : n === 2 ? `${surname(authors[0])} y ${surname(authors[1])}`
      : `${surname(authors[0])} et al.`;
    return `${who} (${m[2]})`;
  }

  /** The «Referencias» slide: whole citations are unreadable from the back of a room
   * and never fit one slide, so the slide lists them short, in columns, and says where
   * the full list is. The reading page keeps its list (CSS only hides it on the slide). */
  function shortReferences(section, content) {
    const list = content.querySelector(":scope > ul, :scope > ol");
    const cites = list ? Array.from(list.children).map(shortCitation) : [];
    if (!cites.length || cites.includes(null)) return;
    cites.sort((a, b) => a.localeCompare(b, "es"));
    section.classList.add("slide--references");
    list.after(h("ul", {class: "slides-cites"}, ...cites.map((text) => h("li", {text}))),
      h("p", {class: "slides-cites-note",
        text: `Títulos, revistas y enlaces de ${cites.length === 1 ? "la referencia" : `las ${cites.length} referencias`}: al final de esta página, en modo lectura.`}));
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
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
      this.blanked = false;
      this.tool = null;           // null | "laser" | "pen"
      this.strokes = new Map();   // slide index -> [[x, y], ...] strokes, in canvas fractions
      this.cw = W; this.ch = H;   // logical canvas, set by layout()
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
        if (head && head.id === "referencias") shortReferences(section, content);
        const frame = h("div", {class: "slide-frame", hidden: mode !== "print"}, section, jump);
        this.viewport.append(frame);
        const items = incrementalItems(content);
        items.forEach((li) => li.classList.add("inc-item"));
        return {frame, section, content, items, label, head};
      });

      this.inkCanvas = h("canvas", {class: "slide-ink-canvas", "aria-hidden": "true"});
      this.laser = h("div", {class: "slide-laser", hidden: true, "aria-hidden": "true"});
      this.ink = h("div", {class: "slide-ink"}, this.inkCanvas, this.laser);
      this.blankLayer = h("div", {class: "slides-blank", hidden: true},
        h("p", {text: "Pantalla en negro (B para volver)"}));
      this.warn = h("p", {class: "slides-warn", role: "status"});
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
        h("div", {class: "slides-progress", "aria-hidden": "true"}, this.progress), controls, this.warn, this.counter);
      this.root = h("div", {class: "slides-deck md-typeset", "data-mode": mode}, this.viewport, this.bar, this.live, this.blankLayer);
      if (mode === "presenter") this.root.append(this.buildPresenter());

      document.body.append(this.root);
      document.documentElement.classList.add("slides-active", "slides-mode");
      this.pageStyle = h("style", {text: `@page { size: ${W}px ${H}px; margin: 0; }`});
      document.head.append(this.pageStyle);
      this.keepURL();
      this.listen();

      let i = typeof start === "number" ? start : 0;
      if (start && typeof start === "object") i = Math.max(0, this.slides.findIndex((s) => s.content.contains(start)));
      document.dispatchEvent(new CustomEvent("course:slides-open", {detail: {mode}}));
      this.layout();
      this.go(clamp(i, 0, n - 1), 0, {broadcast: false, initial: true});
      // The build makes images lazy for reading (sitebuild/images.py). A deck loads them
      // all now: no figure appears late on the projector, and the PDF has every one.
      for (const img of this.root.querySelectorAll('img[loading="lazy"]')) img.loading = "eager";
      if (mode === "print" && new URLSearchParams(location.search).has("notes")) addNotesPages(this.slides);
      if (mode === "print") this.fitVisible();
      if (mode === "presenter") this.post({type: "hello"});
      else this.post({type: "canvas", w: this.cw, h: this.ch});

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
      // Content that grows later (a demo's result, an image) is fitted again, once a frame.
      let queued = false;
      const refit = () => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(() => { queued = false; if (this.root.isConnected) this.fitVisible(); });
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
        this.fitVisible();
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
      if (this.mode !== "print" && typeof BroadcastChannel === "function") {
        this.channel = new BroadcastChannel("course-slides:" + location.pathname);
        this.channel.onmessage = ({data}) => this.receive(data);
      }
      // Laser and pen: the pointer over the current slide, in fractions of the canvas.
      this.viewport.addEventListener("pointermove", (e) => {
        if (this.tool === "laser") this.pointLaser(this.toCanvas(e), true);
      }, opts);
      this.viewport.addEventListener("pointerleave", () => { if (this.tool === "laser") this.pointLaser(null, true); }, opts);
      let drawing = false;
      this.ink.addEventListener("pointerdown", (e) => {
        if (this.tool !== "pen" || e.button !== 0) return;
        drawing = true;
        this.ink.setPointerCapture?.(e.pointerId);
        this.penTo("start", this.toCanvas(e), true);
        e.preventDefault();
      }, opts);
      this.ink.addEventListener("pointermove", (e) => { if (drawing) this.penTo("move", this.toCanvas(e), true); }, opts);
      const stop = () => { drawing = false; };
      this.ink.addEventListener("pointerup", stop, opts);
      this.ink.addEventListener("pointercancel", stop, opts);
    }

    /** A message from the other window of this page (presenter or audience). */
    receive(data) {
      switch (data.type) {
        // A presenter that joins is shown the audience's slide: not yet the talk's start.
        case "goto": this.go(data.slide, data.step, {broadcast: false, initial: Boolean(data.join)}); break;
        case "hello":  // a presenter opened later: it follows this audience window
          if (this.mode !== "slides") break;
          this.post({type: "canvas", w: this.cw, h: this.ch});
          this.post({type: "goto", slide: this.index, step: this.step, join: true});
          if (this.blanked) this.post({type: "blank", on: true});
          break;
        case "canvas":
          if (this.mode !== "presenter") break;
          this.audienceCanvas = {w: data.w, h: data.h};
          this.layout();
          this.fitVisible();
          this.redrawInk();
          break;
        case "blank": this.setBlank(data.on, {broadcast: false}); break;
        case "laser": this.pointLaser(data.at, false); break;
        case "pen": if (data.slide === this.index) this.penTo(data.op, data.at, false); break;
        case "clear": this.clearInk(data.slide, false); break;
      }
    }

    post(msg) { if (this.channel) this.channel.postMessage(msg); }

    /** Size the logical canvas and its scale to the space available (CSS reads --s,
     * --cw, --ch). The audience's canvas takes the screen's shape: about 1280×720,
     * smaller when the screen is (so the scale stays >= MIN_SCALE). The presenter
     * copies the audience's canvas, so the same content fits and the ink lands
     * on the same words; print is 1280×720 at full size. */
    layout() {
      const vw = document.documentElement.clientWidth, vh = window.innerHeight;
      let s = 1;  // print: full size
      if (this.mode === "slides") {
        const avail = vh - BAR;
        s = Math.max(MIN_SCALE, Math.min(vw / W, avail / H));
        this.cw = Math.floor(vw / s); this.ch = Math.floor(avail / s);
        this.post({type: "canvas", w: this.cw, h: this.ch});
      } else if (this.mode === "presenter") {
        ({w: this.cw, h: this.ch} = this.audienceCanvas || {w: W, h: H});
      }
      if (this.overview) {
        const cols = this.cols = clamp(Math.floor(vw / 320), 2, 5);
        s = (vw - 48 - 16 * (cols - 1)) / cols / this.cw;
        this.root.style.setProperty("--cols", cols);
      } else if (this.mode === "presenter") {
        const r = this.viewport.getBoundingClientRect();
        s = Math.min((r.width - 16) / this.cw, (r.height - 16) / this.ch);
      }
      this.root.style.setProperty("--s", Math.max(0.05, s).toFixed(4));
      this.root.style.setProperty("--cw", this.cw + "px");
      this.root.style.setProperty("--ch", this.ch + "px");

      if (this.inkCanvas.isConnected) this.redrawInk();
    }

    /** Zoom a slide's content down (to MIN_FIT at most) until it fits in height and
     * width; a slide that still does not fit is an error, marked and reported. */
    fit(slide) {
      const sec = slide.section, box = slide.content;
      const min = this.mode === "print" ? PRINT_MIN_FIT : MIN_FIT;
      sec.classList.remove("slide--wrap");
      growDiagrams(sec, box);
      let ok = zoomToFit(sec, box, min);
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
        const i = this.slides.indexOf(slide);
        console.warn(`slides: la diapositiva ${i + 1} («${slide.label}») de ${location.pathname} no cabe en ${this.cw}×${this.ch}`);
      }
      if (slide === this.slides[this.index]) this.showWarning();
    }

    fitVisible() { this.slides.forEach((s) => { if (!s.frame.hidden) this.fit(s); }); }

    showWarning() {
      const over = this.slides[this.index].section.classList.contains("slide--overflow");
      this.warn.textContent = over ? "⚠ Esta diapositiva no cabe" : "";
    }

    /* ---------- blank screen, laser pointer, pen ---------- */

    setBlank(on, {broadcast = true} = {}) {
      this.blanked = on;
      this.blankLayer.hidden = !on;
      this.root.classList.toggle("is-blank", on);
      if (broadcast) this.post({type: "blank", on});
    }

    setTool(tool) {
      this.tool = this.tool === tool ? null : tool;
      this.root.dataset.tool = this.tool || "";
      if (this.tool !== "laser") this.pointLaser(null, true);
    }

    /** Pointer position over the current slide, as fractions of the canvas. */
    toCanvas(e) {
      const r = this.slides[this.index].frame.getBoundingClientRect();
      return [clamp((e.clientX - r.left) / r.width, 0, 1), clamp((e.clientY - r.top) / r.height, 0, 1)];
    }

    pointLaser(at, broadcast) {
      this.laser.hidden = !at;
      if (at) { this.laser.style.left = `${100 * at[0]}%`; this.laser.style.top = `${100 * at[1]}%`; }
      if (broadcast) this.post({type: "laser", at});
    }

    penTo(op, at, broadcast) {
      const list = this.strokes.get(this.index) || [];
      this.strokes.set(this.index, list);
      if (op === "start" || !list.length) list.push([at]); else list[list.length - 1].push(at);
      this.redrawInk();
      if (broadcast) this.post({type: "pen", slide: this.index, op, at});
    }

    clearInk(i, broadcast) {
      this.strokes.delete(i);
      if (i === this.index) this.redrawInk();
      if (broadcast) this.post({type: "clear", slide: i});
    }

    /** Draw the current slide's strokes; the canvas has the frame's screen pixels. */
    redrawInk() {
      const c = this.inkCanvas, r = this.ink.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(r.width * dpr)), hgt = Math.max(1, Math.round(r.height * dpr));
      if (c.width !== w || c.height !== hgt) { c.width = w; c.height = hgt; }
      const g = c.getContext("2d");
      g.clearRect(0, 0, w, hgt);
      const strokes = this.strokes.get(this.index) || [];
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


    /** Show slide i with `step` incremental items revealed (Infinity: all). */
    go(i, step = 0, {broadcast = true, initial = false} = {}) {
      i = clamp(i | 0, 0, this.slides.length - 1);
      const slide = this.slides[i];
      const changed = i !== this.index, from = this.index;
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
      if (changed && !initial) this.startClock(false, from);  // the talk has begun
      if (changed) {
        this.live.textContent = `Diapositiva ${i + 1} de ${n}`;
        if (this.mode !== "print") {
          slide.frame.append(this.ink);
          this.pointLaser(null, false);
          this.fit(slide);
          this.redrawInk();
        }
        slide.section.scrollTop = 0;
        this.showWarning();
        document.dispatchEvent(new CustomEvent("course:slide-change", {detail: {index: i, slide: slide.section}}));
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
      return this.panel;
    }

    /** Start the talk's clock now, from the slide on screen (restart: from zero again). */
    startClock(restart = false, from = this.index) {
      if (this.mode !== "presenter" || (this.t0 !== null && !restart)) return;
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
     * where the plan (the same time for every slide from the one the clock started on
     * to the last) expects the talk to be now, against the slide on screen. */
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
      const from = this.startSlide, span = Math.max(1, this.slides.length - from);
      const ahead = (total * (this.index - from)) / span - t;
      this.pace.textContent = Math.abs(ahead) <= ON_TIME ? "A tiempo"
        : `${ahead > 0 ? "Adelantado" : "Retrasado"} ${mmss(Math.abs(ahead))}`;
      this.pace.dataset.ahead = String(Math.round(ahead));
      this.pace.className = "presenter-pace " + (Math.abs(ahead) <= ON_TIME ? "is-on-time" : ahead > 0 ? "is-ahead" : "is-behind");
    }

    updatePresenter() {
      const next = this.slides[this.index + 1];
      this.nextBox.replaceChildren(...(next ? previewOf(next) : [h("p", {text: "Fin de la presentación."})]));
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
      // Figure provenance and text marked `{ .reading-only }` are hidden on the slide;
      // the presenter still sees them.
      const sources = Array.from(this.slides[this.index].section.querySelectorAll(".figure-provenance, .reading-only"));
      if (sources.length) {
        this.notesBox.append(h("ul", {class: "presenter-sources"},
          ...sources.map((x) => h("li", {text: x.textContent.trim()}))));
      }
      this.tick();
    }


    /* ---------- keys ---------- */

    /** Returns true when the key was ours. The caller has left the keys a focused text
     * field or slider keeps (focus.js) to it; every other key is the deck's to take. */
    handleKey(e) {
      const k = e.key;
      if (this.mode === "print") {
        if (k === "Escape") { this.onExit(); return true; }
        return false;
      }
      if (k === "F5") { if (!document.fullscreenElement) toggleFullscreen(); return true; }  // a remote's start button: never a reload
      if (this.blanked && !["b", "B", "."].includes(k)) {
        this.setBlank(false);
        if (k === "Escape") return true;
      }
      if (k === "PageDown" || k === "PageUp") {
        this.setOverview(false);
        if (k === "PageDown") this.next(); else this.prev();
        return true;
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
      // Space presses the deck's own buttons and a collapsible's summary; a demo's button
      // was clicked already, the next Space is the remote's.
      const onButton = e.target instanceof Element && e.target.closest("button, summary") && !e.target.closest(".demo");
      switch (k) {
        case "ArrowRight": this.next(); return true;
        case "ArrowLeft": this.prev(); return true;
        case " ":
          if (onButton) return false;
          if (e.shiftKey) this.prev(); else this.next();
          return true;
        case "b": case "B": case ".": this.setBlank(!this.blanked); return true;
        case "l": case "L": this.setTool("laser"); return true;
        case "d": case "D": this.setTool("pen"); return true;
        case "c": case "C": this.clearInk(this.index, true); return true;
        case "t": case "T":
          if (this.mode !== "presenter") return false;
          this.startClock(this.t0 !== null);
          return true;
        case "+": case "=": case "-":
          if (this.mode !== "presenter") return false;
          this.notesSize(k === "-" ? -1 : 1);
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
      thawDemos(this.viewport);
      this.viewport.querySelectorAll(".print-notes").forEach((x) => x.remove());
      delete history.replaceState;  // back to History.prototype's
      for (const s of this.slides) {
        s.items.forEach((li) => li.classList.remove("inc-item", "inc-pending"));
        s.content.style.zoom = "";
        s.content.querySelectorAll(DIAGRAMS).forEach(resetDiagram);
      }
      this.article.append(...this.nodes);
      this.root.remove();
      this.pageStyle.remove();
      document.documentElement.classList.remove("slides-active", "slides-mode");
      document.dispatchEvent(new CustomEvent("course:slides-close", {detail: {mode: this.mode}}));

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
      const t = e.target instanceof Element ? e.target : null;
      if (ownsKey(t, e.key)) return;  // typing in a field, a slider's arrows
      if (ctl.deck) {
        if (e.key === "Escape" && leavesControl(t)) return;  // leave the control first (below)
        if (ctl.deck.handleKey(e)) claim(e);
        return;
      }
      if (e.key === "F5") {  // a remote's start button: F5 from the start, Shift+F5 from here
        claim(e);
        enter("slides", e.shiftKey ? undefined : 0);
        if (!document.fullscreenElement) toggleFullscreen();
        return;
      }
      if (e.key === "p" || e.key === "P") { claim(e); enter("slides"); }
    }, {capture: true, ...opts});

    // After the control had its turn (bubbling, on document: before Material's shortcuts
    // on window). Esc inside a demo or a field that did not use it leaves the control, so
    // the next Esc exits; and while a deck is up, Material's one-letter shortcuts ("n"
    // next page, "p", "/" search) never take the room off the talk.
    document.addEventListener("keydown", (e) => {
      if (!ctl.deck || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target instanceof Element ? e.target : null;
      if (e.key === "Escape" && !e.defaultPrevented && leavesControl(t)) ctl.deck.viewport.focus({preventScroll: true});
      else if (e.key.length === 1 && !ownsKey(t, e.key)) e.stopPropagation();
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

  /** Esc on a demo's control or in a field first gives the focus back to the deck. */
  const leavesControl = (t) => Boolean(t && (t.closest(".demo") || keyOwner(t)));

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
