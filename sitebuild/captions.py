"""Figure captions with provenance, and removal of CDN addresses, at build time.

Why: a reader must see how each figure was made ("LeNet-5 · MNIST · 98,4 % test ·
CPU · 41 s · semilla 0"); the facts live in `docs/figures/manifest.json`, written by
`python -m lecture_models figures`, and are never retyped in the lectures.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

# A figure alone in a paragraph, as Markdown renders `![alt](../figures/x.svg)`.
FIGURE_P = re.compile(r'<p>\s*(<img\b[^>]*\bsrc="(?:[^"]*/)?figures/([^"/]+)"[^>]*>)\s*</p>')

# Addresses nbconvert/mkdocs-jupyter write into notebook pages although nothing on the
# page uses them (Mermaid, MathJax 2 on cdnjs): dropped so no page can reach a CDN.
CDN_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(?:https://cdnjs\.cloudflare\.com/[^"]*)?"[^>]*>\s*</script>')
CDN_URL = re.compile(r'https://cdnjs\.cloudflare\.com/[^"\'\s)]*')

METRIC_LABELS = {
    "test_accuracy": ("exactitud en test", "{:.1%}"),
    "accuracy": ("exactitud", "{:.1%}"),
    "test_accuracy_sin_augment": ("exactitud en test sin aumento", "{:.1%}"),
    "test_accuracy_con_augment": ("con aumento", "{:.1%}"),
    "mean_dice": ("Dice medio", "{:.3f}"),
    "epochs": ("épocas", "{}"),
    "steps": ("pasos", "{}"),
}


class CaptionError(ValueError):
    """A page shows a figure that the manifest does not describe."""


def _load(manifest_path: Path) -> dict:
    if not manifest_path.exists():
        return {}
    with open(manifest_path, encoding="utf-8") as f:
        return json.load(f).get("figures", {})


def _es_number(text: str) -> str:
    # Spanish decimal comma; "%" separated by a thin space as the RAE recommends.
    return text.replace(".", ",").replace("%", "\u00a0%")


def provenance(entry: dict) -> str:
    """One line saying how a figure was made, in Spanish."""
    parts = [entry.get("data", "")]
    for key, value in (entry.get("metrics") or {}).items():
        if key in METRIC_LABELS and isinstance(value, (int, float)):
            label, fmt = METRIC_LABELS[key]
            parts.append(f"{label} {_es_number(fmt.format(value))}")
    device = entry.get("device", "")
    if device:
        parts.append(device)
    if "duration_s" in entry:
        parts.append(_es_number(f"{entry['duration_s']:.1f}") + "\u00a0s")
    if "seed" in entry:
        parts.append(f"semilla {entry['seed']}")
    if entry.get("quick"):
        parts.append("ejecución rápida (--quick)")
    if entry.get("git_commit"):
        parts.append(f"commit {entry['git_commit'][:7]}")
    return " · ".join(p for p in parts if p)


def add_figure_captions(html: str, manifest_path: Path) -> str:
    figures = None

    def replace(match: re.Match) -> str:
        nonlocal figures
        if figures is None:
            figures = _load(manifest_path)
        img, name = match.group(1), match.group(2)
        entry = figures.get(name)
        if entry is None:
            raise CaptionError(
                f"figure {name} is not in {manifest_path.name}; regenerate it with "
                f"`python -m lecture_models figures` (or `make figures`)"
            )
        caption = html_lib.escape(entry.get("caption", ""))
        prov = html_lib.escape(provenance(entry))
        cmd = html_lib.escape(entry.get("command", ""))
        return (
            f'<figure class="course-figure">{img}<figcaption>{caption}'
            f'<span class="figure-provenance" title="{cmd}">{prov}</span></figcaption></figure>'
        )

    return FIGURE_P.sub(replace, html)


def strip_cdn_urls(html: str) -> str:
    """Drop CDN script tags (and empty ones) and blank any other CDN address."""
    return CDN_URL.sub("", CDN_SCRIPT.sub("", html))
