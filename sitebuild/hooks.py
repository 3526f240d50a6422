"""MkDocs hooks: a thin layer that calls the plain-Python build steps.

Why thin: Material for MkDocs reaches end of life in May 2027; keeping the logic in
`sitebuild.*` (plain functions) means a move to another generator costs
configuration, not a rewrite. `sitebuild` is a top-level package of the repository:
`python -m mkdocs` run from the repository root (Makefile, tests) puts the root on
sys.path, so this file imports it and `demos` without path edits.

The build imports no torch: what PyTorch computes (tables, exercises' answers) is read
from `docs/generated/` (sitebuild/generated.py), so `make serve` needs only the site's
packages (requirements-site.txt); tests/test_site_without_torch.py keeps it so.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from sitebuild import (captions, exercises, generated, images, links, notebook_css, notebook_header, search, sw,
                       vendor, wheel)

ROOT = Path(__file__).resolve().parents[1]

DEMOS_DIR = ROOT / "demos"
_dist: Path | None = None
_serving = False


def demo_files() -> list[str]:
    """The Python files of demos/, also served one by one (readable, linkable); the
    browser runs them from the wheel (sitebuild/wheel.py)."""
    return sorted(p.name for p in DEMOS_DIR.glob("*.py"))


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    global _dist
    generated.render.cache_clear()  # `mkdocs serve`: pick up edited models
    source = os.environ.get("PYODIDE_SOURCE", config.extra.get("pyodide_source", "self"))
    if source not in ("self", "cdn"):
        raise PluginError(f"PYODIDE_SOURCE must be 'self' or 'cdn', got {source!r}")
    # The browser loads demos/ as one hash-checked wheel (sitebuild/wheel.py says why).
    whl, sha = wheel.build(Path(tempfile.mkdtemp(prefix="demos-wheel-")))
    config.extra["demos_wheel"] = {"dir": str(whl.parent), "file": whl.name, "sha256": sha}
    if source == "cdn":
        config.extra["pyodide_index_url"] = vendor.PYODIDE_CDN
        config.extra["pyodide_cdn_origin"] = "https://cdn.jsdelivr.net"
    try:
        _dist = vendor.prepare()
    except vendor.VendorError as exc:
        raise PluginError(str(exc)) from exc
    # The offline cache: on for builds, off for `mkdocs serve` (a service worker would
    # keep serving the previous edit); COURSE_SW=1/0 forces it either way.
    config.extra["service_worker"] = os.environ.get("COURSE_SW", "0" if _serving else "1") == "1"
    config.extra["runtime_cache"] = sw.runtime_cache_name(_dist / "pyodide")
    if source == "self":
        config.extra["runtime_files"] = [
            rel.removeprefix("pyodide/") for rel in vendor.dist_files(_dist) if rel.startswith("pyodide/")
        ]
    return config


def on_files(files, config):
    """Serve the vendored assets and the demos' Python files as part of the site."""
    site_dir = config["site_dir"]
    for f in [f for f in files if f.src_uri.startswith("generated/")]:
        files.remove(f)  # docs/generated/ holds the build's inputs (read above), not pages
    for rel in vendor.dist_files(_dist):
        if rel.startswith("pyodide/") and config.extra.get("pyodide_index_url"):
            continue  # CDN mode: do not ship Pyodide
        files.append(File(rel, str(_dist), site_dir, False, dest_uri=f"assets/vendor/{rel}"))
    for name in demo_files():
        files.append(File(name, str(DEMOS_DIR), site_dir, False, dest_uri=f"demos/{name}"))
    whl = config.extra["demos_wheel"]
    files.append(File(whl["file"], whl["dir"], site_dir, False, dest_uri=f"demos/{whl['file']}"))
    # The weights' provenance, rendered here like the figures' captions (captions.py).
    models = captions.models_provenance(ROOT / config["docs_dir"] / "figures" / "manifest.json")
    files.append(File.generated(config, "assets/models/provenance.json",
                                content=json.dumps(models, ensure_ascii=False, indent=1)))
    return _exercises(exercises.add_to_site, files, config)


def _exercises(step, *args):
    try:
        return step(*args)
    except (exercises.ExerciseError, exercises.EditorBuildError) as exc:
        raise PluginError(str(exc)) from exc


def on_page_markdown(markdown, page, config, files):
    markdown = _exercises(exercises.expand, markdown)
    try:
        return generated.expand(markdown)
    except generated.GeneratedError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from exc


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):  # mkdocs-jupyter does not resolve links
        def url_of(src_uri):
            target = files.get_file_from_path(src_uri)
            return get_relative_url(target.url, page.url) if target else None

        try:
            html = links.rewrite_md_links(html, page.file.src_uri, url_of)
            html = notebook_header.add_download_box(html, Path(page.file.src_uri).name, config.get("repo_url"))
        except (links.LinkError, ValueError) as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from exc
    def source_of(path):
        found = files.get_file_from_path(path)
        return Path(found.abs_src_path) if found and found.abs_src_path else None

    html = images.lazy_images(html, page.url, source_of)
    html = search.exclude_source_blocks(html)
    try:
        return captions.add_figure_captions(html, ROOT / config["docs_dir"] / "figures" / "manifest.json")
    except captions.CaptionError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from exc


def on_post_page(output, page, config):
    if page.file.src_uri.endswith(".ipynb"):
        output = notebook_css.slim_notebook_styles(output)
    return captions.strip_cdn_urls(output)


def on_post_build(config):
    if not config.extra.get("service_worker"):
        return
    try:
        sw.build(Path(config["site_dir"]), config.extra["runtime_cache"])
    except sw.ServiceWorkerError as exc:
        raise PluginError(str(exc)) from exc
