"""The site's service worker: pages and assets offline after the first visit.

Why Workbox (npm `workbox-build@7.4.1`, run by Node at build time) rather than a
hand-written worker: its precache gives every file a revision, so a new build
installs a new worker that replaces exactly what changed and drops the old cache,
and its routing handles directory URLs and query strings (`?slides`) correctly.
Every npm package it needs is pinned with its integrity in `workbox/package-lock.json`
and installed once with `npm ci` into `.cache/workbox/` (outside git).

What is cached when:
- at install (precache, versioned by the build): every page, script, stylesheet, font,
  diagram, figure, the search index, the demos' Python files, the trained networks'
  weights (`assets/models/*.npz`) and the notebooks' `.ipynb` downloads;
- right after install (a runtime cache named after the vendored runtime's hash): Pyodide
  and NumPy (17 MB). offline.js asks the service worker to fetch them as soon as it is
  active, so every demo runs offline, on pages never opened too (a lecture hall often
  has no network); docs/assets/js/sw-runtime.js fetches them and skips those it has.

Registered as `sw.js?coi=1` (self-hosted Python), it also adds COOP/COEP to the responses
it gives, so from the second load on the page is cross-origin isolated on any host
(sw-runtime.js); no automatic reload forces that on the first visit, which would throw
away what the reader has typed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "workbox"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = ROOT / ".cache" / "workbox"

RUNTIME_PREFIX = "assets/vendor/pyodide/"
PRECACHE_PATTERNS = ["**/*.{html,js,mjs,css,json,svg,png,jpg,woff2,py,xml,whl,npz,ipynb}"]
PRECACHE_IGNORES = [
    "sw.js",
    "assets/vendor/pyodide/**",
    "**/*.map",
    # Material ships search stemmers for every language; the site is in Spanish.
    "assets/javascripts/lunr/min/lunr.!(es|stemmer.support|multi).min.js",
    "assets/javascripts/lunr/tinyseg.js",
    "assets/javascripts/lunr/wordcut.js",
]


class ServiceWorkerError(RuntimeError):
    """Workbox could not be installed or could not write the service worker."""


def runtime_cache_name(pyodide_dir: Path) -> str:
    """A cache name that changes whenever the shipped Python runtime changes."""
    h = hashlib.sha256()
    for p in sorted(pyodide_dir.glob("*")) if pyodide_dir.exists() else []:
        h.update(p.name.encode())
        h.update(str(p.stat().st_size).encode())
    lock = pyodide_dir / "pyodide-lock.json"
    if lock.exists():
        h.update(lock.read_bytes())
    return f"curso-python-{h.hexdigest()[:12]}"


def ensure_workbox(cache: Path = DEFAULT_CACHE) -> Path:
    """Install the pinned Workbox packages into `cache` (once per lock file)."""
    lock = (HERE / "package-lock.json").read_bytes()
    stamp = cache / ".stamp"
    want = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text() == want and (cache / "node_modules" / "workbox-build").exists():
        return cache
    if shutil.which("npm") is None:
        raise ServiceWorkerError(
            "npm is not installed: the service worker is built with Workbox from npm. "
            "Install Node.js (Debian: apt-get install nodejs npm), or build without it: COURSE_SW=0."
        )
    cache.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, cache / name)
    proc = subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
        cwd=cache, capture_output=True, text=True, timeout=900,
    )
    if proc.returncode != 0:
        raise ServiceWorkerError(
            f"`npm ci` of workbox-build failed in {cache}:\n{(proc.stderr or proc.stdout)[-1500:]}\n"
            "fix: run `make site` on a machine that reaches the npm registry, or build without "
            "the service worker: COURSE_SW=0."
        )
    stamp.write_text(want)
    return cache


def build(site_dir: Path, runtime_cache: str, cache: Path = DEFAULT_CACHE) -> dict:
    """Write `site_dir/sw.js` with a precache manifest of the built site."""
    modules = ensure_workbox(cache)
    options = {
        "globDirectory": str(site_dir),
        "globPatterns": PRECACHE_PATTERNS,
        "globIgnores": PRECACHE_IGNORES,
        "swDest": str(site_dir / "sw.js"),
        "inlineWorkboxRuntime": True,
        "mode": "production",
        "sourcemap": False,
        "cacheId": "curso",
        "cleanupOutdatedCaches": True,
        "clientsClaim": True,
        "skipWaiting": False,  # a new build waits until the reader accepts (offline.js)
        "maximumFileSizeToCacheInBytes": 20 * 1024 * 1024,
        "importScripts": ["assets/js/sw-runtime.js"],
        "runtimeCacheName": runtime_cache,
        "runtimePattern": "/" + RUNTIME_PREFIX.replace("/", "\\/"),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(options, f)
    try:
        proc = subprocess.run(
            ["node", str(HERE / "generate.cjs"), str(modules), f.name],
            capture_output=True, text=True, timeout=300,
        )
    finally:
        os.unlink(f.name)
    if proc.returncode != 0:
        raise ServiceWorkerError(proc.stderr[-2000:] or "workbox generateSW failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])
