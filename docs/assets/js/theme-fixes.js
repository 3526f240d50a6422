/* Small fixes to Material's theme that must run before its bundle (classic script,
 * loaded by overrides/main.html just ahead of it).
 *
 * 1. Instant navigation on any host and path. Material only follows a link without a
 *    reload when the link's URL is in sitemap.xml, and it adapts the sitemap's URLs to
 *    the page's protocol and host name, not to its port or sub-path. The build writes
 *    the sitemap with URLs relative to the site root (or under SITE_URL when one is
 *    published); here Material's request for it is answered with the same entries
 *    resolved against the root the page is actually served from, so
 *    `python -m http.server 8765`, a course server or GitHub Pages under /curso/ all
 *    keep instant navigation (and the one Python worker of the tab).
 * 2. The search dialog gets an accessible name (axe: aria-dialog-name), instead of a
 *    full copy of Material's search partial for one attribute.
 * 3. Search on demand. Material downloads the search index (0.5 MB) on every page load
 *    and builds it in a worker (0.6-0.9 s of CPU on the course machine, while Python
 *    starts beside it). Its request is held until the reader opens search (focus in the
 *    search box, its keyboard shortcuts, the search button) or arrives from a search
 *    result or a search link (`?h=`, `?q=`); Material shows its "initializing" line
 *    meanwhile. `<html data-search-index>` says "held" or "requested".
 */
(function () {
  "use strict";
  const script = document.currentScript;
  const configEl = document.getElementById("__config");
  if (!configEl) return;
  const root = new URL(JSON.parse(configEl.textContent).base || ".", location.href);
  if (!root.pathname.endsWith("/")) root.pathname += "/";
  const sitemapURL = new URL("sitemap.xml", root).href;

  /** The sitemap's entries resolved against `root`: relative ones directly, absolute
   * ones (SITE_URL builds) by their path below the shortest entry, the home page. */
  function rebase(xmlText) {
    const doc = new DOMParser().parseFromString(xmlText, "text/xml");
    const locs = Array.from(doc.getElementsByTagName("loc"), (n) => n.textContent.trim());
    const absolute = locs.filter((l) => /^[a-z][a-z0-9+.-]*:/i.test(l));
    const home = absolute.length ? absolute.reduce((a, b) => (b.length < a.length ? b : a)) : "";
    const out = document.implementation.createDocument("http://www.sitemaps.org/schemas/sitemap/0.9", "urlset", null);
    for (const loc of locs) {
      const rel = home && loc.startsWith(home) ? loc.slice(home.length) : loc;
      const url = out.createElementNS(out.documentElement.namespaceURI, "url");
      const el = out.createElementNS(out.documentElement.namespaceURI, "loc");
      el.textContent = new URL(rel || "./", root).href;
      url.append(el);
      out.documentElement.append(url);
    }
    return new XMLSerializer().serializeToString(out);
  }

  const indexURL = new URL("search/search_index.json", root).href;
  const html = document.documentElement;
  let searchWanted = /(^|&)[hq]=/.test(location.search.slice(1));
  const held = [];  // sends of the search index, waiting for the reader to open search
  function wantSearch() {
    if (searchWanted) return;
    searchWanted = true;
    if (held.length) html.dataset.searchIndex = "requested";
    for (const go of held.splice(0)) go();
  }
  document.addEventListener("focusin", (e) => {
    if (e.target instanceof Element && e.target.closest(".md-search")) wantSearch();
  }, true);
  document.addEventListener("change", (e) => { if (e.target && e.target.id === "__search") wantSearch(); }, true);

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const mine = new WeakSet();
  const index = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    let target = "";
    try { target = new URL(String(url), location.href).href; } catch (err) { /* not ours */ }
    const get = String(method).toUpperCase() === "GET" && rest.length === 0;
    mine.delete(this);
    index.delete(this);
    if (get && target === sitemapURL) mine.add(this);
    else if (get && target === indexURL) index.add(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (index.has(this)) {
      index.delete(this);
      if (searchWanted) return send.call(this, body);
      html.dataset.searchIndex = "held";
      held.push(() => send.call(this, body));
      return undefined;
    }
    if (!mine.has(this)) return send.call(this, body);
    mine.delete(this);
    const type = this.responseType;
    fetch(sitemapURL)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.statusText))))
      .then((text) => {
        const blob = URL.createObjectURL(new Blob([rebase(text)], {type: "text/xml"}));
        open.call(this, "GET", blob);
        this.responseType = type;
        this.addEventListener("loadend", () => URL.revokeObjectURL(blob), {once: true});
        send.call(this);
      })
      .catch(() => send.call(this));  // Material then falls back to plain links
  };

  const search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label") && script && script.dataset.searchLabel) {
    search.setAttribute("aria-label", script.dataset.searchLabel);
  }
})();
