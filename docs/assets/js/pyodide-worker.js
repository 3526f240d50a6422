/* Runs Pyodide + NumPy off the main thread, so the page never freezes while
 * ~15 MB of WebAssembly load or while a demo computes.
 * Protocol (postMessage):
 *   in  {type:"init", indexURL, wheel, wheelSha256, prefetch, snapshotCache, interruptBuffer?, stopBelow?}
 *       (snapshotCache: the Cache Storage name where Python's start-up memory is kept)
 *       (with cross-origin isolation: the SIGINT flag Python polls, and the first call id
 *       «Detener» did not stop; both SharedArrayBuffer views written by the page)
 *       (wheel: URL of the demos' wheel, checked against wheelSha256 before it is unpacked)
 *   in  {type:"call", id, module, func, args, kwargs}
 *   out {type:"status", state:"loading"|"ready"|"error", detail, snapshot?, contract?}
 *       (snapshot, when ready: "used" | "made" | "none", how Python's start went)
 *       (contract, when ready: demos.errors.contract(), the error record for the page)
 *   out {type:"snapshot", state:"stored"}  (after "made": the copy is in the cache)
 *   out {type:"result", id, value} | {type:"error", id, error: record}  (demos/errors.py's record)
 */
"use strict";
let pyodide = null;
let bridge = null;
let interruptBuffer = null, stopBelow = null;
let contract = null;  // demos.errors.contract(): the error record as Python defines it, for the page
let stopped = null;  // demos.errors.record(KeyboardInterrupt()): what a call stopped before it ran gets

function post(msg) { self.postMessage(msg); }

/** The demos' wheel as bytes, refused unless its sha256 is the one the page names
 * (checked where WebCrypto exists: not on a plain-http LAN address). */
async function fetchWheel(url, sha256) {
  const name = url.slice(url.lastIndexOf("/") + 1);
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`No se pudo descargar el código de las demos ${name} (HTTP ${resp.status})`);
  const buf = await resp.arrayBuffer();
  if (sha256 && self.crypto && crypto.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    if (hex !== sha256) throw new Error(`El código de las demos ${name} no coincide con esta versión del curso (sha256).`);
  }
  return buf;
}

// ------------------------------------------------------------ memory snapshot
// Starting the interpreter (≈180 modules imported from the zipped standard library) is
// most of a start. The first start in a browser copies Python's memory right after that
// step into the runtime's cache (Pyodide's experimental `_makeSnapshot`); later starts
// restore it instead of running the step again. Before NumPy is loaded: a snapshot holds
// no dynamic library. Without the Cache API (plain http on a LAN address) or when the
// copy does not fit this Pyodide build, Python starts the plain way.
const SNAPSHOT = "memory-snapshot.bin";
const SNAPSHOT_MAGIC = 0x706e7300;  // Pyodide's "\0snp" header word
const MIN_MEMORY = 20 * 1024 * 1024;  // Pyodide's initial WebAssembly memory

/** A snapshot's bytes if they look whole (Pyodide's header, then at least Pyodide's
 * initial memory in whole 64 KiB pages), else null: a copy of the wrong size must never
 * reach the runtime (WebAssembly would stop before Pyodide could report anything). A
 * whole copy of another build is refused by Pyodide itself (build id). */
function wholeSnapshot(buf) {
  if (buf.byteLength < MIN_MEMORY || buf.byteLength % 4) return null;
  const [magic, offset] = new Uint32Array(buf, 0, 2);
  const memory = buf.byteLength - offset;
  if (magic !== SNAPSHOT_MAGIC || offset % 16 || memory < MIN_MEMORY || memory % 65536) return null;
  return new Uint8Array(buf);
}

async function snapshotCache(name) {
  try { return name && self.caches ? await caches.open(name) : null; } catch (err) { return null; }
}

/** Pyodide started from the cached snapshot, else started fresh (and snapshotted):
 * {py, snapshot: "used" | "made" | "none", store: writes a made one to the cache}.
 * The write (21 MB) waits until NumPy is ready, so it never slows the first start. */
async function startPython(indexURL, cacheName) {
  const cache = await snapshotCache(cacheName);
  const key = indexURL + SNAPSHOT;
  const hit = cache ? await cache.match(key).catch(() => null) : null;
  const bytes = hit ? wholeSnapshot(await hit.arrayBuffer()) : null;
  if (hit && !bytes) await cache.delete(key).catch(() => {});
  if (bytes) {
    try {
      const py = await loadPyodide({indexURL, _loadSnapshot: bytes});
      py.runPython("import random; random.seed()");  // not the first visit's random state
      return {py, snapshot: "used", store: null};
    } catch (err) {
      console.warn("Pyodide memory snapshot not usable, starting Python from scratch:", err);
      await cache.delete(key).catch(() => {});
    }
  }
  const none = {snapshot: "none", store: null};
  if (!cache) return {py: await loadPyodide({indexURL}), ...none};
  const py = await loadPyodide({indexURL, _makeSnapshot: true});
  try {
    const bytes = py.makeMemorySnapshot();
    const store = () => cache.put(key, new Response(bytes, {headers: {"Content-Type": "application/octet-stream"}}));
    return {py, snapshot: "made", store};
  } catch (err) {
    console.warn("Pyodide memory snapshot not made:", err);
    return {py, ...none};
  }
}

async function init(msg) {
  try {
    post({type: "status", state: "loading", detail: "Cargando Python (Pyodide)…"});
    // Everything the demos need is requested at once: the NumPy wheel and the demo
    // files download while the WebAssembly runtime streams and compiles.
    const early = (msg.prefetch || []).map((url) => fetch(url).then((r) => r.arrayBuffer()).catch(() => null));
    const demos = fetchWheel(msg.wheel, msg.wheelSha256);
    demos.catch(() => {});  // reported below, once
    importScripts(msg.indexURL + "pyodide.js");
    const started = await startPython(msg.indexURL, msg.snapshotCache);
    pyodide = started.py;
    await Promise.all(early);
    await pyodide.loadPackage("numpy", {messageCallback: () => {}});
    if (msg.interruptBuffer) {
      pyodide.setInterruptBuffer(msg.interruptBuffer);
      interruptBuffer = msg.interruptBuffer;
      stopBelow = msg.stopBelow;
    }
    post({type: "status", state: "loading", detail: "Cargando las demos…"});
    pyodide.unpackArchive(await demos, "wheel", {extractDir: "/home/pyodide"});
    pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
    bridge = pyodide.pyimport("demos.bridge");
    contract = toJs(pyodide.runPython("from demos.errors import contract; contract()"));
    stopped = contract.interrupted;
    const version = pyodide.runPython("import numpy; numpy.__version__");
    post({type: "status", state: "ready", detail: `NumPy ${version} listo`, snapshot: started.snapshot, contract});
    if (started.store) started.store().then(() => post({type: "snapshot", state: "stored"}), () => {});
  } catch (err) {
    post({type: "status", state: "error", detail: String(err && err.message || err)});
  }
}

/** A call made before «Detener» was pressed is not run. The flag is cleared before the
 * check: an interrupt that lands in between is then seen by the check (stopBelow is
 * stored before the flag), one that lands after stops this call at once. */
function stoppedBefore(msg) {
  if (!interruptBuffer) return false;
  Atomics.store(interruptBuffer, 0, 0);
  return msg.id < Atomics.load(stopBelow, 0);
}

const toJs = (value) => value && value.toJs ? value.toJs({dict_converter: Object.fromEntries}) : value;

function call(msg) {
  if (stoppedBefore(msg)) {
    post({type: "error", id: msg.id, error: stopped});
    return;
  }
  let result = null;
  try {
    const args = pyodide.toPy(msg.args || []);
    const kwargs = pyodide.toPy(msg.kwargs || {});
    result = bridge.call(msg.module, msg.func, args, kwargs);
    args.destroy(); kwargs.destroy();
    const value = toJs(result);
    if (value && value.__error__) post({type: "error", id: msg.id, error: value.__error__});
    else post({type: "result", id: msg.id, value});
  } catch (err) {  // a failure of the bridge itself, not of the demo's Python code
    post({type: "error", id: msg.id, error: {...contract.blank, message: String(err && err.message || err),
                                              code: "bridge_failure", traceback: String(err && err.stack || "")}});
  } finally {
    if (result && result.destroy) result.destroy();
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "init") init(msg);
  else if (msg.type === "call") call(msg);
};
