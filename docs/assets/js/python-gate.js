/* When a page needs Python: the rules shared by the mounter's gate (demos.js) and the
 * early start (python-early.js), so both decide the same way.
 *
 * A demo needs Python unless its widget is listed in PYTHON_FREE (read here, before any
 * widget module loads, so the early start can tell without loading them). A demo is
 * near when it is within NEAR of the viewport.
 */

/** Widgets that run no Python: a page with only these downloads no Pyodide. */
export const PYTHON_FREE = new Set(["exercise-progress"]);

/** Start Python this far before a demo scrolls into view. */
export const NEAR = "600px 0px";

export function needsPython(el) { return !PYTHON_FREE.has(el.dataset.demo); }

/** The page's demos that run Python. */
export function pythonDemos(root = document) {
  return Array.from(root.querySelectorAll(".demo[data-demo]")).filter(needsPython);
}

/** Calls near() once any of `els` is near the viewport, none() each time the observer
 * reports and none is; returns the function that stops watching. Without
 * IntersectionObserver every demo counts as near. */
export function watchNear(els, {near, none = () => {}}) {
  if (typeof IntersectionObserver === "undefined") { queueMicrotask(near); return () => {}; }
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) near();
    else none();
  }, {rootMargin: NEAR});
  els.forEach((el) => io.observe(el));
  return () => io.disconnect();
}
