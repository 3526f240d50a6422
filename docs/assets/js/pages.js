/* One way to run code for every page: Material's instant navigation swaps pages without
 * reloading, announcing each new one on `window.document$`; without it, run once. */

/** Call fn() now for this page and again for each page reached by instant navigation. */
export function onEachPage(fn) {
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(() => fn());
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => fn(), {once: true});
  else fn();
}
