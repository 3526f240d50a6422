/* Python's early start. The mounter (demos.js) loads after Material's bundle, KaTeX and
 * every widget module, about half a second into a page load on the course machine. This
 * module, loaded `async` by overrides/main.html right after the page's content, applies
 * the same rule as the mounter's gate (python-gate.js) as soon as the content is laid
 * out: a demo that runs Python near the viewport starts the tab's one runtime now. The
 * gate then finds it started and opens. Nothing else starts here, so a page read at the
 * top still downloads no Python. `<html data-python-early>` says what it decided:
 * "started", "not-near", "no-demo" or "presenter". */
import {getRuntime} from "./pyodide-runtime.js";
import {pythonDemos, watchNear} from "./python-gate.js";

const html = document.documentElement;
const demos = pythonDemos();
if (!demos.length) html.dataset.pythonEarly = "no-demo";
// The presenter view first asks whether the audience window runs the demos (demo-mirror.js).
else if (new URLSearchParams(location.search).has("presenter")) html.dataset.pythonEarly = "presenter";
else {
  const stop = watchNear(demos, {
    near() { stop(); html.dataset.pythonEarly = "started"; getRuntime().start(); },
    none() { stop(); html.dataset.pythonEarly = "not-near"; },
  });
}
