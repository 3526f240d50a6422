"""A notebook page carries only the Jupyter styles that can apply to it.

Why: mkdocs-jupyter inlines JupyterLab's whole stylesheet (575 KB: file browser, widgets,
drag images, 80 KB of icons under a `.jupyter-wrapper :root` selector that matches
nothing) into every notebook page, so a notebook read at the top transferred 1.9–2.4 MB,
over the 2 MB a page may cost a student on shared Wi-Fi. Each inline `<style>` of the
notebook keeps only the selectors whose classes all occur in the page; selectors that
cannot match anything are dropped; the rest (element and attribute selectors, `@font-face`,
`@keyframes`, classes inside `:not()`/`:is()`) is kept as it was. The page looks the same:
`tests/test_site.py` checks every element's computed style against the full stylesheet.
"""

from __future__ import annotations

import re

import tinycss2

STYLE = re.compile(r'(<style type="text/css">)(.*?)(</style>)', re.S)
CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
GROUPING = {"media", "supports", "layer", "container"}


def page_classes(html: str) -> set[str]:
    """Every class name written in the page's markup."""
    return {name for m in CLASS_ATTR.finditer(html) for name in m.group(1).split()}


def _required_classes(selector: list) -> set[str]:
    """Classes an element chain must have for `selector` to match (outside functions such
    as `:not()`, whose arguments may match by being absent)."""
    need, prev = set(), None
    for tok in selector:
        if tok.type == "ident" and prev is not None and prev.type == "literal" and prev.value == ".":
            need.add(tok.value)
        prev = tok
    return need


def _never_matches(selector: list) -> bool:
    """`:root` after a combinator (`.jupyter-wrapper :root`) matches no element: the root
    has no ancestor or sibling."""
    started = combinator = False
    for i, tok in enumerate(selector):
        if tok.type == "whitespace" or (tok.type == "literal" and tok.value in ">+~"):
            combinator = combinator or started
        elif tok.type == "ident" and tok.lower_value == "root" and i and selector[i - 1] == ":":
            if combinator:
                return True
        else:
            started = True
    return False


def _split_selectors(prelude: list) -> list[list]:
    out = [[]]
    for tok in prelude:
        if tok.type == "literal" and tok.value == ",":
            out.append([])
        else:
            out[-1].append(tok)
    return out


def prune(css: str, classes: set[str]) -> str:
    """`css` without the selectors that need a class missing from `classes` or that can
    match no element; a rule left with no selector, or a block left empty, goes too."""

    def rules(nodes) -> str:
        out = []
        for node in nodes:
            if node.type == "qualified-rule":
                kept = [
                    tinycss2.serialize(sel).strip()
                    for sel in _split_selectors(node.prelude)
                    if not _never_matches(sel) and _required_classes(sel) <= classes
                ]
                if kept:
                    out.append(",".join(kept) + "{" + tinycss2.serialize(node.content).strip() + "}")
            elif node.type == "at-rule":
                if node.lower_at_keyword == "charset":
                    continue  # meaningless inside a <style> element
                if node.lower_at_keyword in GROUPING and node.content is not None:
                    inner = rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True))
                    if inner:
                        out.append(f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}{{{inner}}}")
                else:
                    out.append(node.serialize())
        return "".join(out)

    return rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def slim_notebook_styles(html: str) -> str:
    """The built page `html` of a notebook with its inline Jupyter styles pruned to it."""
    classes = page_classes(html)
    return STYLE.sub(lambda m: m.group(1) + prune(m.group(2), classes) + m.group(3), html)
