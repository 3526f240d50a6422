/* Presentation mode: every page is also a slide deck, built from the same HTML.
 *
 * Why our own small layer and not reveal.js: reveal.js wants its own DOM of
 * <section>s, so the article would have to be cloned and its live demos mounted a
 * second time. Here the page's own nodes are *moved* into slide frames and moved
 * back on exit, so a demo keeps its state and listeners, and Material's instant
 * navigation keeps working (we set up on `document$` and tear down on the next page).
 * The shape is reveal.js's, though: a small core (slides/deck.js) and one module per
 * job in slides/: split, fit, keys, presenter and sync, ink, url, citations, print.
 *
 * Enter: the "Presentar" button, key P (F5 on a remote), or `?slides`; `?presenter` is
 * the presenter view, `?slides&print` one slide per printed page (`&notes`: with the
 * speaker notes). `#slide-N` (1-based) is kept in the URL. This module is the page's
 * part: the button, the keys that open a deck, and the way back to reading.
 */
import {onEachPage} from "./pages.js";
import {Deck} from "./slides/deck.js";
import {enterButton} from "./slides/chrome.js";
import {listenForKeys} from "./slides/keys.js";
import {modeFromURL, readingURL, slideFromHash, writeURL} from "./slides/url.js";

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

/** One page's presentation: null for a page that is no deck. */
function setupPage() {
  // Only pages with sections (`##`) are decks; a notebook's headings sit inside cells.
  const article = document.querySelector("article.md-content__inner");
  if (!article || !article.querySelector(":scope > h2")) return null;
  const page = {article, deck: null, button: enterButton(), abort: new AbortController()};
  const opts = {signal: page.abort.signal};

  page.enter = (mode, start) => {
    if (page.deck) return;
    page.deck = new Deck(article, mode, start ?? sectionInView(article), page.exit);
  };
  page.exit = () => {
    const deck = page.deck;
    if (!deck) return;
    page.deck = null;
    // Back to reading mode at the same place: the slide's heading or first block.
    const slide = deck.slides[deck.index];
    const anchor = deck.index === 0 ? null : slide.head
      || Array.from(slide.content.children).find((x) => !x.matches("hr.slide-break, details.notes"));
    deck.destroy();
    writeURL(readingURL(anchor && anchor.tagName === "H2" ? anchor.id : ""));
    const header = document.querySelector(".md-header");
    const top = anchor ? anchor.getBoundingClientRect().top + window.scrollY - (header ? header.offsetHeight : 0) - 8 : 0;
    window.scrollTo(0, Math.max(0, top));
    page.button.focus({preventScroll: true});
  };
  page.destroy = () => {
    page.abort.abort();
    if (page.deck) page.deck.destroy();
    page.deck = null;
    page.button.remove();
  };

  page.button.addEventListener("click", () => page.enter("slides"), opts);
  const h1 = article.querySelector(":scope > h1");
  if (h1) h1.before(page.button); else article.prepend(page.button);
  listenForKeys(page, opts);
  window.addEventListener("hashchange", () => {
    if (!page.deck && slideFromHash() !== null) page.enter("slides", slideFromHash());
  }, opts);

  const mode = modeFromURL();
  if (mode) page.enter(mode, slideFromHash() ?? 0);
  return page;
}

let current = null;
export const CourseSlides = {
  enter(mode = "slides") { if (current) current.enter(mode); },
  exit() { if (current) current.exit(); },
  get deck() { return current && current.deck; },
};
onEachPage(() => {
  if (current) current.destroy();
  current = setupPage();
});
