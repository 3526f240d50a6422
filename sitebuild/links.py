"""Links between pages written in notebooks, resolved like MkDocs does for Markdown.

Why: mkdocs-jupyter leaves `[texto](../lectures/05-entrenamiento.md)` in a notebook as
is, which is right in Jupyter but a 404 on the site. Here such links become the target
page's URL, and a link to a page that does not exist fails the build.
"""

from __future__ import annotations

import posixpath
import re
from typing import Callable

HREF_MD = re.compile(r'href="(?![a-z]+:|/|#)([^"#]+\.(?:md|ipynb))(#[^"]*)?"')


class LinkError(ValueError):
    """A notebook links to a page that is not part of the site."""


def rewrite_md_links(html: str, src_uri: str, url_of: Callable[[str], str | None]) -> str:
    """Replace links to `.md`/`.ipynb` sources (relative to `src_uri`) by page URLs.

    `url_of(src_uri)` returns the relative URL of that page from the current page, or
    None when no such page exists.
    """

    def replace(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), match.group(1)))
        url = url_of(target)
        if url is None:
            raise LinkError(f"{src_uri} links to {match.group(1)}, which is not a page of the site")
        return f'href="{url}{match.group(2) or ""}"'

    return HREF_MD.sub(replace, html)
