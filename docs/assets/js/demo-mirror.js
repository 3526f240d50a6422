/* The presenter's demos are a remote control for the projector's.
 *
 * The presenter view (`?presenter`, slides.js) shows the current slide live. If it
 * mounted its demos, the laptop would run a second Python (two Pyodide workers on a
 * two-core machine) and a click there would move only the laptop's copy. So, when an
 * audience window of the same page is open in slide mode, the presenter mounts no
 * widget that needs Python: each such demo is a mirror of the audience's.
 *
 *   presenter                               audience (slide mode)
 *   hello                 ── channel ──►    here (the first audience answers)
 *   event {index, path, …}            ──►   replayed on its own widget
 *                         ◄──               mirror {index, attrs, html, fields, canvases}
 *   refresh {index}                   ──►   (a canvas the presenter lacks) mirror, in full
 *                         ◄──               bye (page left): the presenter waits RETURN_MS
 *                                           for it (a reload says `here` when its slides
 *                                           open), then mounts and runs its own demos
 *                         ◄──               here (an audience opened later): a presenter
 *                                           running its own demos hands them over
 *
 * A demo is named by its index among the page's demos and a control by its path of
 * child indices inside the demo: the mirror copies the audience's DOM, so paths agree.
 * Forwarded: clicks (with the point, for canvases), input/change values (and files),
 * keys the deck left to the demo, pointer drags on canvases. Mirrored: the demo's
 * attributes (data-* state), its HTML (morphed in place, so focus and a dragged slider
 * survive), control values and the canvases drawn on since the last mirror
 * (ImageBitmaps; PNG data URLs where the channel cannot carry those).
 * No answer within PROBE_MS: the presenter is alone and mounts and runs its demos, and
 * Python starts at once (the deck is open, as the audience's gate would on slides-open).
 * `<html data-demo-mirror>` says "probing", "remote", "waiting" (audience gone) or
 * "local" (presenter), or "serving" (an audience with a presenter attached).
 */
import {needsPython} from "./python-gate.js";

const PROBE_MS = 500;        // an audience answers in a few ms; alone, Python waits this long
const RETURN_MS = 5000;      // an audience that left (a reload) has this long to come back
const EDIT_MS = 1000;        // a field the presenter edited this recently keeps its value
const THROTTLE_MS = 40;      // at most one mirror per demo this often
const SETTLE_MS = [120, 400, 1000, 2500];  // look again after an event: canvas-only redraws
const html = document.documentElement;
/* The presenter sees which demos are the projector's: outlined, with a small label. */
const REMOTE_STYLE = `
.demo[data-mirror="remote"] { outline: 2px dashed #e65100; outline-offset: 2px; }
.demo[data-mirror="remote"]::after {
  content: "Se ejecuta en la proyección"; position: absolute; right: 6px; bottom: 4px; z-index: 5;
  font-size: 18px; line-height: 1.3; padding: 1px 6px; border-radius: 3px; pointer-events: none;
  background: #fff3e0; color: #4e2600; border: 1px solid #e65100;
}`;
const myId = Math.random().toString(36).slice(2);

export const isPresenterView = () => new URLSearchParams(location.search).has("presenter");

function openChannel() {
  return typeof BroadcastChannel === "function" ? new BroadcastChannel("course-demos:" + location.pathname) : null;
}

/** Mount the page's demos: the ordinary way, or in the presenter view as mirrors of the
 * audience window's. mountLocal(list) mounts a list the ordinary way and returns its
 * teardown. Returns this page's teardown. */
export function mountDemos(demos, mountLocal) {
  const channel = openChannel();
  if (!channel) return mountLocal(demos);
  if (!isPresenterView()) {
    const undo = mountLocal(demos);
    const stop = serveAudience(demos, channel);
    return () => { stop(); undo(); channel.close(); };
  }
  return presenter(demos, channel, mountLocal);
}

/* ------------------------------------------------------------ presenter side */

function presenter(demos, channel, mountLocal) {
  const remote = demos.filter(needsPython);
  const pristine = remote.map((el) => el.cloneNode(true));
  /** The demos as the page had them, before any mount or mirror. */
  const reset = () => remote.forEach((el, k) => {
    const copy = pristine[k].cloneNode(true);
    syncAttrs(el, copy);
    el.replaceChildren(...copy.childNodes);
  });
  const undos = [mountLocal(demos.filter((el) => !needsPython(el)))];
  let audience = null, closed = false, timer = 0, mounted = null;  // mounted: the teardown of demos run here
  const links = [];
  const state = (s) => { html.dataset.demoMirror = s; };
  const post = (msg) => channel.postMessage({...msg, from: myId, to: audience});
  const local = () => {
    if (closed || audience || mounted) return;
    if (links.length) { links.splice(0).forEach((link) => link.stop()); reset(); }
    state("local");
    mounted = mountLocal(remote, {open: true});  // Python at once, as the slides' opening would have
  };
  const attach = (id) => {
    clearTimeout(timer);
    // An audience that opens after the presenter ran its own demos takes them over.
    if (mounted) { mounted(); mounted = null; reset(); }
    audience = id;
    state("remote");
    if (!links.length) remote.forEach((el) => links.push(follow(el, demos.indexOf(el), post)));
    post({type: "attach"});
  };
  /** Look for an audience for `ms`; none: run the demos here. */
  const wait = (s, ms) => { state(s); clearTimeout(timer); timer = setTimeout(local, ms); };
  channel.onmessage = ({data}) => {
    if (closed || !data || (data.to && data.to !== myId)) return;
    if (data.type === "here" && !audience) attach(data.from);
    else if (!audience || data.from !== audience) { /* another window's message */ }
    else if (data.type === "mirror") links.find((l) => l.index === data.index)?.apply(data);
    else if (data.type === "bye") {
      // Left or reloading: the mirrors stay as they were until it (or another) is back.
      audience = null;
      wait("waiting", RETURN_MS);
    }
  };
  if (!remote.length) state("local");
  else {
    channel.postMessage({type: "hello", from: myId});
    wait("probing", PROBE_MS);
  }
  const leave = () => { if (audience) post({type: "detach"}); };
  window.addEventListener("pagehide", leave);
  return () => {
    window.removeEventListener("pagehide", leave);
    leave();
    closed = true;
    clearTimeout(timer);
    links.splice(0).forEach((link) => link.stop());
    channel.close();
    if (mounted) mounted();
    for (const undo of undos) undo();
    delete html.dataset.demoMirror;
  };
}

/** The child-index path from `root` to `node`. */
function pathOf(root, node) {
  const path = [];
  for (let n = node; n && n !== root; n = n.parentElement) path.unshift(Array.prototype.indexOf.call(n.parentElement.children, n));
  return path;
}

function nodeAt(root, path) {
  let n = root;
  for (const k of path) { n = n && n.children[k]; }
  return n || null;
}

/** Where a pointer event fell on its target, as fractions of the target's box. */
function fraction(target, e) {
  const r = target.getBoundingClientRect();
  return r.width && r.height ? [(e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height] : [0.5, 0.5];
}

const FORM = "label, input, select, textarea, option";

/** Make `el` a mirror of the audience's demo number `index`: forward what the presenter
 * does on it, apply what the audience sends; stop() stops forwarding. */
function follow(el, index, post) {
  if (!document.getElementById("demo-mirror-style")) {
    document.head.append(Object.assign(document.createElement("style"), {id: "demo-mirror-style", textContent: REMOTE_STYLE}));
  }
  const abort = new AbortController();
  const on = (type, fn) => el.addEventListener(type, fn, {signal: abort.signal});
  const send = (msg, target) => post({...msg, type: "event", index, path: pathOf(el, target)});
  el.dataset.mirror = "remote";
  el.replaceChildren(Object.assign(document.createElement("p"), {
    className: "demo-status", textContent: "Conectando con la ventana de la proyección…"}));

  on("click", (e) => {
    if (!(e.target instanceof Element) || e.target.closest(FORM)) return;  // their change is sent
    send({kind: "click", at: fraction(e.target, e)}, e.target);
  });
  for (const kind of ["input", "change"]) {
    on(kind, async (e) => {
      const t = e.target;
      if (!t.matches("input, select, textarea")) return;
      t.mirrorEdited = performance.now();
      if (t.type !== "file") { send({kind, value: t.value, checked: t.checked}, t); return; }
      // A chosen photo travels as its bytes: a File itself, posted to the other window,
      // crashed that window's renderer when it read it (Chromium 156).
      if (kind !== "change") return;
      const files = await Promise.all(Array.from(t.files || [], async (f) => (
        {name: f.name, type: f.type, lastModified: f.lastModified, bytes: await f.arrayBuffer()})));
      send({kind, files}, t);
    });
  }
  // Keys the deck left to the demo (it claims its own on window, in the capture phase).
  on("keydown", (e) => {
    const {key, code, shiftKey, ctrlKey, altKey, metaKey} = e;
    send({kind: "key", key, code, shiftKey, ctrlKey, altKey, metaKey}, e.target);
  });
  // Drawing on a canvas: the pointer's path while a button is down.
  let drag = null;
  on("pointerdown", (e) => {
    if (!(e.target instanceof Element) || e.target.closest(FORM + ", button")) return;
    drag = e.target;
    try { drag.setPointerCapture(e.pointerId); } catch (err) { /* already gone */ }
    send({kind: "pointer", event: "pointerdown", at: fraction(drag, e), buttons: e.buttons}, drag);
  });
  on("pointermove", (e) => {
    if (drag) send({kind: "pointer", event: "pointermove", at: fraction(drag, e), buttons: e.buttons}, drag);
  });
  for (const type of ["pointerup", "pointercancel"]) {
    on(type, (e) => {
      if (!drag) return;
      send({kind: "pointer", event: type, at: fraction(drag, e), buttons: 0}, drag);
      drag = null;
    });
  }

  let urls = [];  // the audience's canvases as data URLs, as last sent (bitmaps are drawn at once)
  let refreshing = false;
  let fieldTimer = 0;
  /** The audience's control values. What the presenter is typing or dragging now stays as
   * it is; the values it kept are applied once its edit is EDIT_MS old, because the
   * audience sends its fields only when they change (after a reload, never again). */
  function applyFields(fields) {
    clearTimeout(fieldTimer);
    let kept = false;
    el.querySelectorAll("input, select, textarea").forEach((f, k) => {
      const v = fields[k];
      if (!v || f.type === "file") return;
      if (performance.now() - (f.mirrorEdited || -Infinity) < EDIT_MS) { kept = true; return; }
      if (f.value !== v[0]) f.value = v[0];
      if (f.checked !== v[1]) f.checked = v[1];
    });
    if (kept) fieldTimer = setTimeout(() => applyFields(fields), EDIT_MS);
  }
  return {
    index,
    apply(m) {
      if (m.attrs) syncAttrs(el, m.attrs, ["style", "data-mirror"]);
      if (typeof m.html === "string") {
        const t = document.createElement("template");
        t.innerHTML = m.html;
        morphChildren(el, t.content);
      }
      if (m.fields) applyFields(m.fields);
      if (m.full) refreshing = false;
      const list = el.querySelectorAll("canvas");
      (m.canvases || []).forEach((u, k) => {
        if (u && typeof u === "object") {  // an ImageBitmap: drawn now, not kept
          if (list[k]) paint(list[k], u);
          u.close();
          urls[k] = null;
        } else if (u !== null) urls[k] = u;
      });
      list.forEach((c, k) => { if (typeof urls[k] === "string") paint(c, urls[k]); });
      // A canvas the morph made anew (its place among its siblings changed) has no
      // picture yet, and the audience did not redraw it: ask for them all once.
      if (!refreshing && Array.from(list).some((c) => c.width && c.height && !c.mirrorPainted)) {
        refreshing = true;
        post({type: "refresh", index});
      }
    },
    stop() { abort.abort(); },
  };
}

/** Draw an ImageBitmap, or a data URL unless it is the one already drawn there. */
function paint(canvas, url) {
  if (url) canvas.mirrorPainted = true;
  if (url && typeof url === "object") {
    delete canvas.mirrorURL;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(url, 0, 0);
    return;
  }
  if (!url || canvas.mirrorURL === url) return;
  canvas.mirrorURL = url;
  const img = new Image();
  img.onload = () => {
    if (canvas.mirrorURL !== url) return;  // a newer one came meanwhile
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0);
  };
  img.src = url;
}

/** Make dst's attributes those of `attrs` ({name: value} or an Element), keeping `keep`. */
function syncAttrs(dst, attrs, keep = []) {
  const want = attrs instanceof Element ? Object.fromEntries(Array.from(attrs.attributes, (a) => [a.name, a.value])) : attrs;
  for (const a of Array.from(dst.attributes)) {
    if (!(a.name in want) && !keep.includes(a.name)) dst.removeAttribute(a.name);
  }
  for (const [name, value] of Object.entries(want)) {
    if (keep.includes(name) || dst.getAttribute(name) === value) continue;
    dst.setAttribute(name, value);
    if (dst.tagName === "CANVAS" && (name === "width" || name === "height")) {  // cleared
      delete dst.mirrorURL;
      delete dst.mirrorPainted;
    }
  }
}

/** Make dst's children equal to src's, reusing the nodes that are already there. */
function morphChildren(dst, src) {
  const b = src.childNodes;
  for (let i = 0; i < b.length; i++) {
    const s = b[i], d = dst.childNodes[i];
    if (!d) dst.append(document.importNode(s, true));
    else if (d.nodeType !== s.nodeType || d.nodeName !== s.nodeName) d.replaceWith(document.importNode(s, true));
    else if (s.nodeType === Node.ELEMENT_NODE) { syncAttrs(d, s); morphChildren(d, s); }
    else if (d.nodeValue !== s.nodeValue) d.nodeValue = s.nodeValue;
  }
  while (dst.childNodes.length > b.length) dst.lastChild.remove();
}

/* ------------------------------------------------------------- audience side */

/** What the presenter needs to show demo `el` as it is now, but its pictures. */
function snapshot(el) {
  return {
    attrs: Object.fromEntries(Array.from(el.attributes).filter((a) => a.name !== "style").map((a) => [a.name, a.value])),
    html: el.innerHTML,
    fields: Array.from(el.querySelectorAll("input, select, textarea"), (f) => (f.type === "file" ? null : [f.value, f.checked])),
  };
}

/* Which canvases were drawn on since they were last mirrored: every 2D drawing call
 * marks its canvas (c.mirrorDirty) and, the first time, tells onDraw. Copying every
 * canvas each time would cost the projector's main thread about 1 ms a canvas (the
 * digit explorer has 77); a redrawn canvas is copied once. Installed once per page,
 * when a presenter first attaches. */
let onDraw = () => {};
const DRAWING = ["clearRect", "fillRect", "strokeRect", "fillText", "strokeText", "fill", "stroke", "drawImage",
                 "putImageData", "reset"];
function watchDrawing() {
  const proto = typeof CanvasRenderingContext2D === "function" && CanvasRenderingContext2D.prototype;
  if (!proto || proto.mirrorWatched) return;
  proto.mirrorWatched = true;
  for (const name of DRAWING) {
    const draw = proto[name];
    if (typeof draw !== "function") continue;
    proto[name] = function (...args) {
      const c = this.canvas;
      if (c && !c.mirrorDirty) { c.mirrorDirty = true; onDraw(c); }
      return draw.apply(this, args);
    };
  }
}

/** The demo's canvases drawn on since the last time (all with `all`), as ImageBitmaps
 * or, where the channel cannot carry those, PNG data URLs; null for one unchanged. */
function pictures(el, bitmaps, all) {
  const list = Array.from(el.querySelectorAll("canvas"), (c) => {
    const take = all || c.mirrorDirty;
    c.mirrorDirty = false;
    return take ? c : null;
  });
  if (bitmaps) return Promise.all(list.map((c) => (c && c.width && c.height ? createImageBitmap(c).catch(() => null) : null)));
  return Promise.resolve(list.map((c) => {
    try { return !c ? null : c.width && c.height ? c.toDataURL() : ""; } catch (err) { return ""; }
  }));
}

/** A canvas the presenter's copy will have blanked (new, or resized) is sent again. */
function markCanvases(records) {
  for (const r of records) {
    if (r.type === "attributes" && r.target.tagName === "CANVAS") r.target.mirrorDirty = true;
    for (const n of r.addedNodes || []) {
      if (n.nodeType !== Node.ELEMENT_NODE) continue;
      if (n.tagName === "CANVAS") n.mirrorDirty = true;
      n.querySelectorAll("canvas").forEach((c) => { c.mirrorDirty = true; });
    }
  }
}

/** Answer a presenter of this page (when this window shows the slides), replay its
 * events on our demos and mirror them back. Returns the teardown. */
function serveAudience(demos, channel) {
  let presenter = null, timer = 0, queue = Promise.resolve();
  let bitmaps = typeof createImageBitmap === "function";
  const sent = demos.map(() => ({}));
  const dirty = new Set();
  const observers = [];
  const post = (msg) => channel.postMessage({...msg, from: myId, to: presenter});

  /** Send what changed in demo i since the last time (everything with `force`). */
  async function send(i, force) {
    const s = snapshot(demos[i]), last = sent[i], asBitmaps = bitmaps;
    const pics = await pictures(demos[i], asBitmaps, force);
    if (!presenter) { if (asBitmaps) pics.forEach((b) => b && b.close()); return; }
    const msg = {type: "mirror", index: i, full: force};
    let changed = false;
    for (const k of ["attrs", "html", "fields"]) {
      const v = k === "html" ? s.html : JSON.stringify(s[k]);
      if (force || v !== last[k]) { msg[k] = s[k]; last[k] = v; changed = true; }
    }
    if (asBitmaps) {
      msg.canvases = pics;
      changed ||= pics.some((b) => b !== null);
    } else {  // a data URL is compared with the last one sent
      const before = last.canvases || [];
      msg.canvases = pics.map((u, k) => (u === null || (!force && u === before[k]) ? null : ((changed = true), u)));
      last.canvases = pics.map((u, k) => (u === null ? before[k] : u));
    }
    try {
      if (changed || force) post(msg);
    } catch (err) {  // DataCloneError: this browser's channel does not carry bitmaps
      if (!asBitmaps) throw err;
      bitmaps = false;
      return send(i, true);
    } finally {
      if (asBitmaps) pics.forEach((b) => b && b.close());
    }
  }
  const enqueue = (i, force) => { queue = queue.then(() => send(i, force)).catch((err) => console.warn(err)); };
  function flush() {
    timer = 0;
    const list = Array.from(dirty);
    dirty.clear();
    if (presenter) list.forEach((i) => enqueue(i, false));
  }
  function schedule(i) {
    if (!presenter) return;
    dirty.add(i);
    if (!timer) timer = setTimeout(flush, THROTTLE_MS);
  }
  function attach(id) {
    presenter = id;
    html.dataset.demoMirror = "serving";
    watchDrawing();
    onDraw = (canvas) => {
      const i = demos.findIndex((el) => el.contains(canvas));
      if (i >= 0) schedule(i);
    };
    if (!observers.length) {
      demos.forEach((el, i) => {
        const mo = new MutationObserver((records) => { markCanvases(records); schedule(i); });
        mo.observe(el, {subtree: true, childList: true, attributes: true, characterData: true});
        observers.push(mo);
      });
    }
    demos.forEach((el, i) => { if (needsPython(el)) enqueue(i, true); });
  }
  function detach() {
    presenter = null;
    onDraw = () => {};
    observers.splice(0).forEach((mo) => mo.disconnect());
    sent.forEach((s) => { for (const k of Object.keys(s)) delete s[k]; });
    delete html.dataset.demoMirror;
  }

  channel.onmessage = ({data}) => {
    if (!data || (data.to && data.to !== myId)) return;
    if (data.type === "hello") {
      // Only a window showing the slides is the audience. The latest presenter is served
      // (an earlier one may have closed without a word).
      if (!html.classList.contains("slides-mode") || isPresenterView()) return;
      channel.postMessage({type: "here", from: myId, to: data.from});
    } else if (data.type === "attach") attach(data.from);
    else if (data.from !== presenter) { /* not ours */ }
    else if (data.type === "detach") detach();
    else if (data.type === "refresh") enqueue(data.index, true);
    else if (data.type === "event") {
      const el = demos[data.index];
      const target = el && nodeAt(el, data.path);
      if (!target) return;
      replay(target, data);
      schedule(data.index);
      for (const ms of SETTLE_MS) setTimeout(() => schedule(data.index), ms);
    }
  };
  const bye = () => { if (presenter) post({type: "bye"}); };
  window.addEventListener("pagehide", bye);
  // A presenter waiting for its audience (reloaded, or opened after it) hears it arrive.
  const hereNow = (e) => { if (e.detail?.mode === "slides") channel.postMessage({type: "here", from: myId}); };
  document.addEventListener("course:slides-open", hereNow);
  return () => {
    document.removeEventListener("course:slides-open", hereNow);
    window.removeEventListener("pagehide", bye);
    bye();
    clearTimeout(timer);
    detach();
  };
}

/** Do on our own control what the presenter did on its mirror. */
function replay(t, m) {
  const point = () => {
    const r = t.getBoundingClientRect();
    return {clientX: r.left + m.at[0] * r.width, clientY: r.top + m.at[1] * r.height};
  };
  if (m.kind === "click") {
    t.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, composed: true, view: window, ...point()}));
  } else if (m.kind === "input" || m.kind === "change") {
    if (m.files) {
      const dt = new DataTransfer();
      for (const f of m.files) dt.items.add(new File([f.bytes], f.name, {type: f.type, lastModified: f.lastModified}));
      t.files = dt.files;
    } else if (t.type === "checkbox" || t.type === "radio") t.checked = m.checked;
    else t.value = m.value;
    t.dispatchEvent(new Event(m.kind, {bubbles: true}));
  } else if (m.kind === "key") {
    const {key, code, shiftKey, ctrlKey, altKey, metaKey} = m;
    t.dispatchEvent(new KeyboardEvent("keydown", {key, code, shiftKey, ctrlKey, altKey, metaKey, bubbles: true, cancelable: true}));
  } else if (m.kind === "pointer") {
    t.dispatchEvent(new PointerEvent(m.event, {bubbles: true, cancelable: true, composed: true, pointerId: 1,
      pointerType: "mouse", isPrimary: true, button: m.event === "pointermove" ? -1 : 0, buttons: m.buttons, ...point()}));
  }
}
