"""Images of a page load when the reader gets near them, with their space kept.

Why: a lecture read at the top downloaded every figure on the page (lecture 2: 0.7 MB of
filtered photos far below the first screen). Each `<img>` of a local PNG or SVG gets
`loading="lazy"` and its intrinsic `width`/`height` (or the height matching a width the
author set), so the browser keeps the image's box before it loads: nothing moves when it
arrives. Slide mode loads them all at once (slides.js): no figure arrives late on the
projector, and the PDF has every one.
"""

from __future__ import annotations

import posixpath
import re
import struct
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

IMG = re.compile(r"<img\b[^>]*>")
ATTR = re.compile(r'\s(width|height|src|loading)="([^"]*)"')
SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)
SVG_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def intrinsic_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels of a PNG, or of an SVG whose root sets both in
    absolute units; None when the file has no fixed size (an SVG with only a viewBox)."""
    with path.open("rb") as f:
        head = f.read(4096)  # a PNG's IHDR or an SVG's root element: never the whole figure
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    root = SVG_ROOT.search(head) if path.suffix == ".svg" else None
    if root:
        attrs = dict(ATTR.findall(root.group().decode("utf-8", "replace")))
        sizes = [SVG_LENGTH.match(attrs.get(k, "")) for k in ("width", "height")]
        if all(sizes):
            return tuple(round(float(m.group(1))) for m in sizes)
    return None


def lazy_images(html: str, page_url: str, find: Callable[[str], Path | None]) -> str:
    """`html` with every local PNG/SVG image lazy and sized. `page_url` is the page's
    URL in the site (relative `src` values are relative to it); `find(path)` gives the
    source file of a site path, or None."""
    base = page_url if not page_url or page_url.endswith("/") else posixpath.dirname(page_url) + "/"

    def fix(match: re.Match) -> str:
        tag = match.group()
        attrs = dict(ATTR.findall(tag))
        src = attrs.get("src", "")
        parts = urlsplit(src)
        if not src or parts.scheme or parts.netloc or src.startswith("/") or "loading" in attrs:
            return tag
        path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        target = find(path) if path.endswith((".png", ".svg")) and not path.startswith("..") else None
        if target is None:
            return tag
        size = intrinsic_size(target)
        extra = ' loading="lazy" decoding="async"'
        if size and "height" not in attrs:
            w, h = size
            if "width" not in attrs:
                extra += f' width="{w}" height="{h}"'
            elif attrs["width"].isdigit():
                extra += f' height="{round(int(attrs["width"]) * h / w)}"'
        return tag[:-1].rstrip("/").rstrip() + extra + ">"

    return IMG.sub(fix, html)
