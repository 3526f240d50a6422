/* Imported by the service worker that Workbox generates (sitebuild/sw.py): on a page's
 * request, keep the Python runtime's files in the runtime cache. The service worker
 * fetches them itself, so leaving the page does not cut the copy short; files already
 * in the HTTP cache are not downloaded again. Reply on the message's port: {ok}. */
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (!msg || msg.type !== "CACHE_RUNTIME" || !msg.cache || !Array.isArray(msg.urls)) return;
  const scope = new URL(self.registration.scope);
  const urls = msg.urls.filter((u) => new URL(u).origin === scope.origin);
  const reply = (ok) => event.ports[0] && event.ports[0].postMessage({ok});
  event.waitUntil(caches.open(msg.cache)
    .then((cache) => Promise.all(urls.map((u) => cache.match(u).then((hit) => hit || cache.add(u)))))
    .then(() => reply(true), () => reply(false)));
});
