/* Registers the service worker that keeps the course usable offline (sitebuild/sw.py
 * builds it with Workbox), and tells the reader when a new version of the course has
 * been downloaded: the new cache takes over only when they accept, so a lecture in
 * progress never changes under the teacher's feet. */
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="course-sw"]');
  if (!meta || !meta.content || !("serviceWorker" in navigator)) return;
  const swURL = new URL(meta.content, location.href);
  // Self-hosted Python: the service worker makes the site's responses cross-origin
  // isolated (sw-runtime.js), so «Detener» interrupts Python in place. Not with the
  // CDN, whose files would then need CORP headers the page cannot promise.
  const cdn = document.querySelector('meta[name="course-pyodide-index"]');
  if (!cdn || !cdn.content) swURL.searchParams.set("coi", "1");
  let accepted = false;
  // The runtime module of this page (the same instance main.js's demos use).
  const runtimeModule = new URL("pyodide-runtime.js", document.currentScript.src).href;

  function notice(text, action) {
    let box = document.querySelector(".course-notice");
    if (!box) {
      box = document.createElement("div");
      box.className = "course-notice";
      box.setAttribute("role", "status");
      document.body.append(box);
    }
    box.textContent = text;
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button md-button--primary";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      box.append(" ", button);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "course-notice__close";
    close.setAttribute("aria-label", "Cerrar aviso");
    close.textContent = "×";
    close.addEventListener("click", () => box.remove());
    box.append(close);
    return box;
  }

  function offerUpdate(worker) {
    const box = notice("Hay una versión nueva del curso, ya descargada.", {
      label: "Actualizar",
      run() {
        accepted = true;
        worker.postMessage({type: "SKIP_WAITING"});
      },
    });
    box.dataset.kind = "update";
  }

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });

  /** Run fn once the page has loaded, python-early.js has decided whether this page
   * starts Python (at the first frame: <html data-python-early>; a hidden tab draws no
   * frame and does not wait) and Python is not starting (<html data-python-state>, set
   * by pyodide-runtime.js). Installing the service worker downloads the whole precache
   * (11 MB) and writes it to disk, about a second of CPU that would otherwise slow
   * Python's first start on the same cores. */
  function whenSettled(fn) {
    const html = document.documentElement;
    const early = document.querySelector('script[src$="python-early.js"]');
    const settled = () => (!early || "pythonEarly" in html.dataset || document.visibilityState === "hidden")
      && html.dataset.pythonState !== "loading";
    let done = false;
    const check = () => {
      if (done || !settled()) return;
      done = true;
      watch.disconnect();
      document.removeEventListener("visibilitychange", check);
      fn();
    };
    const watch = new MutationObserver(check);
    const go = () => {
      watch.observe(html, {attributes: true, attributeFilter: ["data-python-early", "data-python-state"]});
      document.addEventListener("visibilitychange", check);
      check();
    };
    if (document.readyState === "complete") go();
    else window.addEventListener("load", go, {once: true});
  }

  whenSettled(() => navigator.serviceWorker.register(swURL.href).then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) offerUpdate(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const worker = reg.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state !== "installed") return;
        if (navigator.serviceWorker.controller) offerUpdate(worker);
        else {
          const box = notice("El curso ya está guardado en este navegador: funciona sin conexión.");
          box.dataset.kind = "offline-ready";
          setTimeout(() => box.dataset.kind === "offline-ready" && box.remove(), 8000);
        }
      });
    });
    // Offline means every demo, on pages never opened too: once the pages are kept, the
    // service worker also keeps the Python runtime (17 MB, once per build; the weights
    // and samples the demos fetch are in the precache). <html data-course-offline="python">
    // says it is complete.
    navigator.serviceWorker.ready
      .then(() => import(runtimeModule))
      .then((m) => m.keepRuntimeOffline())
      .catch(() => { /* the demos still run online */ });
  }).catch(() => { /* no offline copy (private mode, http on another host): the site still works */ }));
})();
