"""Search answers a course term with the section that teaches it and the glossary, not
with a whole source file or a notebook's printed output (sitebuild/search.py)."""

from __future__ import annotations

import json
import re
from html import unescape as html_unescape

import pytest


def index_texts(site_dir):
    docs = json.loads((site_dir / "search" / "search_index.json").read_text())["docs"]
    return {d["location"]: d for d in docs}


def test_source_blocks_and_notebook_outputs_are_not_indexed(site_dir):
    docs = index_texts(site_dir)
    every = " ".join(d["text"] for d in docs.values())
    # Lines that only a `??? source` block (lecture 6: the whole of unet.py and metrics.py)
    # or a notebook's printed model (07: `DiffusionUNet(`) holds.
    html = (site_dir / "lectures" / "06-segmentacion" / "index.html").read_text()
    blocks = re.findall(r'<details class="source" data-search-exclude[^>]*>(.*?)</details>', html, re.S)
    assert len(blocks) == 2, "lecture 6 has two source blocks, both marked"
    text = lambda h: html_unescape(re.sub(r"<[^>]+>", "", h))  # noqa: E731
    outside = text(re.sub(r'<details class="source".*?</details>', "", html, flags=re.S))
    # The lines only the source blocks show (the lecture's own excerpts are indexed).
    lines = [ln.strip() for b in blocks for ln in text(b).splitlines()
             if len(ln.strip()) > 50 and ln.strip() not in outside]
    assert len(lines) > 20
    leaked = [ln for ln in lines if ln in every]
    assert not leaked, leaked[:3]
    assert "DiffusionUNet(" not in every
    # What is excluded is only those: the lecture's own text and code are still found.
    assert any("Dice" in d["text"] for loc, d in docs.items() if loc.startswith("lectures/06-segmentacion/"))


def test_the_glossary_is_boosted(site_dir):
    docs = index_texts(site_dir)
    assert docs["glosario/"].get("boost", 1) > 1


@pytest.mark.parametrize("term, heading", [("padding", "Relleno (padding)"), ("stride", "paso (stride)"),
                                           ("pooling", "Agrupación (pooling)")])
def test_a_course_term_finds_its_section_and_the_glossary_first(page, server, term, heading):
    page.goto(f"{server.url}?q={term}")
    page.wait_for_selector(".md-search-result__item")
    first = page.eval_on_selector_all(
        ".md-search-result__item > a",
        "els => els.slice(0, 6).map(a => [new URL(a.href).pathname, a.innerText.split('\\n')[0]])")
    assert heading in first[1][1] or heading in first[0][1], first
    assert not any(path.startswith("/notebooks/") for path, _ in first[:4]), first
    if term != "pooling":  # the glossary names it as «agrupación (pooling)» too
        assert any(path == "/glosario/" for path, _ in first[:4]), first
