/* Keyboard access to scrollable regions (axe: scrollable-region-focusable): a code
 * cell, a row of tabs or a wide table that scrolls must be reachable with Tab so a
 * keyboard user can scroll it. Material does this for its own code blocks only. */
(function () {
  "use strict";
  function scrollable(el) {
    const style = getComputedStyle(el);
    const x = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth;
    const y = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
    return x || y;
  }
  function mark() {
    const root = document.querySelector("article") || document.body;
    root.querySelectorAll("div, pre, figure, .tabbed-labels").forEach((el) => {
      if (el.hasAttribute("tabindex") || !scrollable(el)) return;
      if (el.querySelector("a[href], button, input, select, textarea, [tabindex]")) return;
      el.setAttribute("tabindex", "0");
    });
  }
  function onPage() {
    if (document.readyState === "complete") requestAnimationFrame(mark);
    else window.addEventListener("load", () => requestAnimationFrame(mark), {once: true});
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  else onPage();
  window.addEventListener("resize", () => requestAnimationFrame(mark));
})();
