"""What the site's search indexes, and in what order it answers.

Why: a `??? source` block holds a whole source file (27,889 characters of `imageops.py`
in lecture 2), so a course term such as «padding» matched it 50 times and its section
came before the one that teaches the term. Those blocks are for reading the code, not
for finding a topic, and so are a notebook's stored outputs (a printed model,
`padding=(1, 1)` twenty times): Material's search skips any element marked
`data-search-exclude`, and the build marks both. The glossary is boosted (front matter `search: boost:`), so
the definition of a term comes first with the section headings (boosted by Material).
"""

from __future__ import annotations

import re

# pymdownx.details renders `??? source "…"` as <details class="source"> (any extra class
# or the open `???+` form keeps "source" as a class of its own).
_SOURCE_DETAILS = re.compile(r'<details class="(?=[^"]*\bsource\b)([^"]*)"')


# A notebook's printed output: <div class="jp-RenderedText jp-OutputArea-output …"><pre>.
# The <pre> is marked, not an enclosing <div>: Material's search parser compares elements
# by tag name only, so an excluded <div> stops being skipped at the first inner </div>.
_NOTEBOOK_OUTPUT = re.compile(r'(<div class="jp-RenderedText jp-OutputArea-output[^"]*"[^>]*>\s*)<pre>')


def exclude_source_blocks(html: str) -> str:
    """Mark every `??? source` block and every notebook output so that search skips them."""
    html = _SOURCE_DETAILS.sub(r'<details class="\1" data-search-exclude', html)
    return _NOTEBOOK_OUTPUT.sub(r'\1<pre data-search-exclude>', html)
