/* The runtime: one Pyodide worker per browser tab, shared by every demo on every
 * page (Material's instant navigation keeps it alive between pages).
 *
 *   import {getRuntime, ndarray, toTyped} from "./pyodide-runtime.js";
 *   const rt = getRuntime();
 *   rt.onStatus(({state, detail}) => ...);          // "idle" | "loading" | "ready" | "error"
 *   const out = await rt.call("demos.imageops", "conv2d", [img, kernel], {stride: 2});
 *   rt.interrupt();                                   // stop a runaway computation
 *
 * Arrays travel as {__ndarray__: true, dtype, shape, data: TypedArray}; use
 * ndarray(typedArray, shape) to build one and toTyped(rec) to read one back.
 * Errors reject with an Error whose .record is the error record of demos/errors.py
 * (./errors.js: the worker hands its definition over when Python starts).
 */
import {recordError, setContract, stoppedRecord} from "./errors.js";

  // Everything is found relative to this script (assets/js/), not to the page: with
  // instant navigation the page's URL changes while the worker lives on.
  const SITE_ROOT = new URL("../../", import.meta.url);

  function metaContent(name) {
    const el = document.querySelector(`meta[name="${name}"]`);
    return el ? el.content : "";
  }

  /** URLs of the self-hosted runtime (empty with the CDN), listed by the site build. */
  function runtimeFileURLs(indexURL) {
    const el = document.querySelector('meta[name="course-runtime-cache"]');
    const names = el && el.dataset.files ? el.dataset.files.split(",").filter(Boolean) : [];
    return names.map((n) => new URL(n, indexURL).href);
  }

  /** The self-hosted runtime's URLs (none with the CDN: not ours to keep). */
  function selfHostedRuntimeURLs() {
    if (metaContent("course-pyodide-index")) return [];
    return runtimeFileURLs(new URL("assets/vendor/pyodide/", SITE_ROOT).href);
  }

  /** Keep the Python runtime in the service worker's runtime cache, so that every demo
   * runs without network, on pages never opened too. offline.js calls this as soon as
   * the service worker is active (a lecture hall often has no network, and the teacher
   * cannot know which demo they will need); the runtime calls it again once Python has
   * run. The service worker fetches the files itself (assets/js/sw-runtime.js) and
   * skips those it already has. */
  export function keepRuntimeOffline() { keepOffline(selfHostedRuntimeURLs()); }

  function keepOffline(urls) {
    const el = document.querySelector('meta[name="course-runtime-cache"]');
    const sw = navigator.serviceWorker;
    if (!el || !el.content || !urls.length || !sw || !metaContent("course-sw")) return;
    sw.ready.then((reg) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => {
        if (event.data && event.data.ok) document.documentElement.dataset.courseOffline = "python";
      };
      reg.active.postMessage({type: "CACHE_RUNTIME", cache: el.content, urls}, [channel.port2]);
    });
  }

  /** A call stopped by «Detener», as demos.errors.record(KeyboardInterrupt()) says it;
   * code "restarted" when the worker was replaced (Python's state is gone). */
  function stoppedError(code) {
    return recordError({...stoppedRecord(), code});
  }

  class Runtime {
    constructor() {
      this.state = "idle";
      this.detail = "";
      this.listeners = new Set();
      this.pending = new Map();
      this.nextId = 1;
      this.worker = null;
      this.interruptBuffer = null;  // with isolation: the SIGINT flag Python polls
      this.stopBelow = null;        // ...and the first call id «Detener» did not stop
      this.snapshot = null;  // see setSnapshot
      this.stopped = 0;  // calls with a smaller id were made before the last «Detener»
      this.readyPromise = null;
    }

    onStatus(fn) {
      this.listeners.add(fn);
      fn({state: this.state, detail: this.detail});
      return () => this.listeners.delete(fn);
    }

    /** Also as <html data-python-state>: offline.js waits for a start to end. */
    setStatus(state, detail) {
      this.state = state;
      this.detail = detail || "";
      document.documentElement.dataset.pythonState = state;
      for (const fn of this.listeners) fn({state, detail: this.detail});
    }

    /** How Python started ("used" | "made" | "none", then "stored" once a made memory
     * snapshot is cached), also as <html data-python-start> for tests and benchmarks. */
    setSnapshot(state) {
      this.snapshot = state;
      document.documentElement.dataset.pythonStart = state;
    }

    /** Start the worker (once); resolves when NumPy is ready, rejects with the reason. */
    start() {
      if (this.readyPromise) return this.readyPromise;
      const indexURL = metaContent("course-pyodide-index") || new URL("assets/vendor/pyodide/", SITE_ROOT).href;
      const workerURL = new URL("assets/js/pyodide-worker.js", SITE_ROOT).href;
      // The demos' Python code: one wheel built by the site (sitebuild/wheel.py), named
      // with its sha256 in the page, so the worker runs exactly this build's modules.
      const wheelMeta = document.querySelector('meta[name="course-demos-wheel"]');
      const wheel = wheelMeta && wheelMeta.content ? new URL(wheelMeta.content, document.baseURI).href : "";
      const wheelSha256 = wheelMeta ? wheelMeta.dataset.sha256 || "" : "";
      // The NumPy wheel is fetched while Pyodide boots, not after it (cold start).
      const runtimeFiles = runtimeFileURLs(indexURL);
      const prefetch = runtimeFiles.filter((u) => u.endsWith(".whl"));
      this.readyPromise = new Promise((resolve, reject) => {
        if (typeof Worker === "undefined") {
          const why = "Este navegador no admite Web Workers.";
          this.setStatus("error", why);
          reject(new Error(why));
          return;
        }
        let worker;
        try {
          worker = new Worker(workerURL);
        } catch (err) {
          this.setStatus("error", `No se pudo iniciar el worker de Python: ${err.message}`);
          reject(err);
          return;
        }
        this.worker = worker;
        if (self.crossOriginIsolated && typeof SharedArrayBuffer !== "undefined") {
          this.interruptBuffer = new Uint8Array(new SharedArrayBuffer(1));
          this.stopBelow = new Int32Array(new SharedArrayBuffer(4));
        }
        worker.onmessage = (event) => {
          const msg = event.data;
          if (msg.type === "status") {
            this.setStatus(msg.state, msg.detail);
            if (msg.state === "ready") {
              setContract(msg.contract);
              this.setSnapshot(msg.snapshot); resolve(this); keepOffline(runtimeFiles);
            }
            if (msg.state === "error") reject(new Error(msg.detail));
          } else if (msg.type === "snapshot") {
            this.setSnapshot(msg.state);
          } else if (msg.type === "result" || msg.type === "error") {
            const p = this.pending.get(msg.id);
            if (!p) return;
            this.pending.delete(msg.id);
            if (msg.type === "result") p.resolve(msg.value);
            else {
              p.reject(recordError(msg.error));
            }
          }
        };
        worker.onerror = (event) => {
          const why = `El worker de Python falló: ${event.message || "no se pudo cargar"}`;
          this.setStatus("error", why);
          reject(new Error(why));
        };
        this.setStatus("loading", "Cargando Python (Pyodide)…");
        const snapshotCache = metaContent("course-runtime-cache");
        worker.postMessage({type: "init", indexURL, wheel, wheelSha256, prefetch, snapshotCache,
                            interruptBuffer: this.interruptBuffer, stopBelow: this.stopBelow});
      });
      this.readyPromise.catch(() => {});  // callers see the rejection; avoid noise
      return this.readyPromise;
    }

    /** Call demos.<module>.<func>(*args, **kwargs) in the worker. */
    async call(module, func, args = [], kwargs = {}) {
      const id = this.nextId++;  // now: «Detener» pressed while this call waits stops it too
      // Post to the worker whose start we awaited: if interrupt() replaced it meanwhile
      // (a restart without isolation), wait for the new one's init instead of posting to
      // a worker that has no Python yet.
      for (;;) {
        const ready = this.start();
        await ready;
        if (this.readyPromise === ready) break;
      }
      if (id < this.stopped) throw stoppedError(this.interruptBuffer ? "interrupted" : "restarted");
      return new Promise((resolve, reject) => {
        this.pending.set(id, {resolve, reject});
        const transfer = [];
        this.worker.postMessage({type: "call", id, module, func, args, kwargs}, transfer);
      });
    }

    get interruptible() { return this.interruptBuffer !== null; }

    /** Stop every call made so far, the running one and those queued behind it (another
     * widget's call may be running when «Detener» is pressed). With cross-origin isolation
     * Python gets a KeyboardInterrupt (state kept) and the worker skips the queued calls;
     * without it the worker is replaced. */
    interrupt() {
      this.stopped = this.nextId;
      if (this.interruptBuffer) {
        Atomics.store(this.stopBelow, 0, this.stopped);  // first, so the worker never misses it
        Atomics.store(this.interruptBuffer, 0, 2);       // SIGINT
        return;
      }
      if (!this.worker) return;
      this.worker.terminate();
      this.worker = null;
      this.readyPromise = null;
      for (const [, p] of this.pending) p.reject(stoppedError("restarted"));
      this.pending.clear();
      this.start();
    }
  }

  let instance = null;
  /** The one runtime of this tab (created on first use; nothing starts until start()). */
  export function getRuntime() { return instance || (instance = new Runtime()); }
  // Arrays: the typed array <-> ndarray record code lives in arrays.js (pure, tested under node).
  export {ndarray, toTyped} from "./arrays.js";
