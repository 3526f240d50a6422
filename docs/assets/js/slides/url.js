/* The deck's place in the URL: `?slides#slide-N` (1-based), `?presenter`, `?slides&print`.
 *
 * Material's navigation.tracking rewrites the URL's hash from the table of contents
 * when the window scrolls (and the deck's opening moves the whole article, so it does).
 * While a deck is up its URL must stay the slide's, so `#slide-N` survives: keepURL()
 * puts it back after any other code replaced it, without touching history.replaceState
 * itself. The pure helpers take the URL's parts as arguments (Node tests them).
 */

export const FLAGS = ["slides", "presenter", "print"];

/** The query string without our flags, as a list of "k=v" parts. */
export function otherParams(search = location.search) {
  return search.slice(1).split("&")
    .filter((p) => p && !FLAGS.some((f) => p === f || p.startsWith(f + "=")));
}

/** The URL of slide n (1-based) in a mode: "slides" | "print" | "presenter". */
export function slideURL(mode, n, {pathname = location.pathname, search = location.search} = {}) {
  const flags = {slides: ["slides"], print: ["slides", "print"], presenter: ["presenter"]}[mode];
  return pathname + "?" + [...otherParams(search), ...flags].join("&") + "#slide-" + n;
}

/** The reading page's URL (our flags gone), at `hash` if one is given. */
export function readingURL(hash, {pathname = location.pathname, search = location.search} = {}) {
  const rest = otherParams(search);
  return pathname + (rest.length ? "?" + rest.join("&") : "") + (hash ? "#" + hash : "");
}

/** The slide index (0-based) that `#slide-N` names, or null. */
export function slideFromHash(hash = location.hash) {
  const m = /^#slide-(\d+)$/.exec(hash);
  return m ? parseInt(m[1], 10) - 1 : null;
}

/** The mode a page's URL opens in: "presenter" | "slides" | "print", or null (reading). */
export function modeFromURL(search = location.search, hash = location.hash) {
  const q = new URLSearchParams(search);
  if (q.has("presenter")) return "presenter";
  if (q.has("slides")) return q.has("print") ? "print" : "slides";
  return slideFromHash(hash) !== null ? "slides" : null;
}

/** Replace the current entry's URL, keeping its state (Material keeps the scroll there). */
export function writeURL(url) {
  history.replaceState(history.state, "", url);
}

/** While `signal` is not aborted, put `urlOf()` back whenever other code replaces the
 * URL (history.replaceState stays the browser's own). The Navigation API announces every URL change, replaceState's included; a
 * browser without it gets the URL back shortly after each scroll or resize, the only
 * moments Material's tracking writes it (250 ms after the window stops). */
export function keepURL(urlOf, signal) {
  const restore = () => {
    const want = new URL(urlOf(), location.href).href;
    if (location.href !== want) writeURL(want);
  };
  const nav = window.navigation;
  if (nav && typeof nav.addEventListener === "function") {
    // Only a replaced entry whose URL changed: a pushed one (instant navigation, a typed
    // `#slide-N` that the deck's hashchange is about to follow) or a step back is the
    // reader's, and a replace that keeps the URL (Material saving the scroll) is none.
    nav.addEventListener("currententrychange", (e) => {
      if (e.navigationType === "replace" && e.from && e.from.url !== location.href) restore();
    }, {signal});
    return;
  }
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(restore, 400); };
  window.addEventListener("scroll", later, {signal, passive: true});
  window.addEventListener("resize", later, {signal});
  signal.addEventListener("abort", () => clearTimeout(timer));
}
