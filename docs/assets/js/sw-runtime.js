/* Imported by the service worker that Workbox generates (sitebuild/sw.py): on a page's
 * request, keep the Python runtime's files in the runtime cache (and drop older
 * builds'). The service worker fetches them itself, so leaving the page does not cut
 * the copy short; files already in the HTTP cache are not downloaded again. Reply on
 * the message's port: {ok}. */
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (!msg || msg.type !== "CACHE_RUNTIME" || !msg.cache || !Array.isArray(msg.urls)) return;
  const scope = new URL(self.registration.scope);
  const urls = msg.urls.filter((u) => new URL(u).origin === scope.origin);
  const reply = (ok) => event.ports[0] && event.ports[0].postMessage({ok});
  event.waitUntil(caches.open(msg.cache)
    .then((cache) => Promise.all(urls.map((u) => cache.match(u).then((hit) => hit || cache.add(u)))))
    .then(() => dropOtherRuntimes(msg.cache))
    .then(() => reply(true), () => reply(false)));
});

/* The runtime cache is named by its Pyodide files ("curso-python-<hash>"): once this
 * build's copy is complete, the copies of earlier builds (the runtime and Python's
 * memory snapshot, ≈40 MB) are deleted. */
function dropOtherRuntimes(current) {
  const prefix = current.replace(/[0-9a-f]+$/, "");
  if (!prefix || prefix === current) return Promise.resolve();
  return caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith(prefix) && n !== current).map((n) => caches.delete(n))));
}

/* Cross-origin isolation on any host (GitHub Pages cannot send headers): registered as
 * sw.js?coi=1, the service worker adds COOP/COEP to every response it gives the site,
 * so a page loaded through it has crossOriginIsolated, SharedArrayBuffer, and the
 * runtime's interrupt buffer («Detener» stops Python without a new worker). Workbox
 * answers with event.respondWith(promise): that one call is wrapped, before Workbox's
 * listeners exist (this file is imported first). The first visit is not isolated (its
 * page came from the network); the next load of the page is. */
if (new URL(self.location.href).searchParams.get("coi") === "1") {
  const isolate = (resp) => {
    if (!resp || resp.status === 0 || resp.type === "opaque" || resp.type === "opaqueredirect") return resp;
    const headers = new Headers(resp.headers);
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Embedder-Policy", "require-corp");
    return new Response(resp.body, {status: resp.status, statusText: resp.statusText, headers});
  };
  // Only documents and workers need the headers (same-origin subresources load under
  // COEP as they are); every other response is passed through untouched, so the 10 MB
  // of WebAssembly keep the browser's own fast path from the cache (a rebuilt Response
  // would be piped through this thread: a warm start measured 3.6x slower).
  const NEEDS = new Set(["document", "iframe", "worker", "sharedworker"]);
  const respondWith = FetchEvent.prototype.respondWith;
  FetchEvent.prototype.respondWith = function (response) {
    if (!NEEDS.has(this.request.destination)) return respondWith.call(this, response);
    return respondWith.call(this, Promise.resolve(response).then(isolate));
  };
}
