/* Keyboard access to scrollable regions (axe: scrollable-region-focusable): a code
 * cell, a row of tabs or a wide table that scrolls must be reachable with Tab so a
 * keyboard user can scroll it. Material does this for its own code blocks only.
 *
 * A region can start to scroll long after the page loaded: a Python cell prints, a
 * web font arrives and widens the tab labels, the window narrows, slide mode moves the
 * article. So the marking re-runs whenever the content changes (MutationObserver) or a
 * region changes size (ResizeObserver), once per frame at most. `<html data-a11y>` is
 * "pending" while a pass is due and "ready" after it (tests wait on it). */
import {onEachPage} from "./pages.js";

  const CANDIDATES = "div, pre, figure, .tabbed-labels";
  const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  let mutations = null, resizes = null, frame = 0, loaded = false;

  function scrollable(el) {
    const style = getComputedStyle(el);
    const x = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth;
    const y = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
    return x || y;
  }
  function roots() {
    const found = Array.from(document.querySelectorAll("article, .slides-deck"));
    return found.length ? found : [document.body];
  }
  function mark() {
    frame = 0;
    for (const root of roots()) {
      root.querySelectorAll(CANDIDATES).forEach((el) => {
        if (el.hasAttribute("tabindex") || !scrollable(el)) return;
        if (el.querySelector(FOCUSABLE)) return;
        el.setAttribute("tabindex", "0");
      });
    }
    watchSizes();
    if (loaded) document.documentElement.dataset.a11y = "ready";
  }
  function schedule() {
    document.documentElement.dataset.a11y = "pending";
    if (!frame) frame = requestAnimationFrame(mark);
  }
  /** Scrolling starts when a region or what it holds changes size: watch both. */
  function watchSizes() {
    if (!resizes) return;
    for (const root of roots()) {
      root.querySelectorAll("pre, .tabbed-labels, .md-typeset__table, .highlight").forEach((el) => {
        if (el.dataset.a11yWatched) return;
        el.dataset.a11yWatched = "true";
        resizes.observe(el);
        for (const child of el.children) resizes.observe(child);
      });
    }
  }
  function onPage() {
    if (mutations) mutations.disconnect();
    if (resizes) resizes.disconnect();
    mutations = new MutationObserver(schedule);
    mutations.observe(document.body, {childList: true, subtree: true, characterData: true,
                                      attributes: true, attributeFilter: ["class", "style", "hidden", "open"]});
    resizes = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(schedule);
    loaded = document.readyState === "complete";
    if (!loaded) {
      window.addEventListener("load", () => { loaded = true; schedule(); }, {once: true});
    }
    schedule();
  }
  onEachPage(onPage);
  window.addEventListener("resize", schedule);
  if (document.fonts) document.fonts.addEventListener("loadingdone", schedule);
