"""Provenance of figures and weights rendered at build time, and removal of CDN addresses.

Why: a reader must see how each figure and each network's weights were made ("LeNet-5 ·
MNIST · 98,4 % en prueba · CPU · 41 s · semilla 0"); the facts live in
`docs/figures/manifest.json`, built by one builder (lecture_models/figures/provenance.py)
when `python -m lecture_models figures` runs, and are rendered here, once, by one
function (`provenance`): into the figures' captions, and into
`assets/models/provenance.json`, whose text the trained-network widgets show as it is.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

from lecture_models import spanish

# A figure alone in a paragraph, as Markdown renders `![alt](../figures/x.svg)`.
FIGURE_P = re.compile(r'<p>\s*(<img\b[^>]*\bsrc="(?:[^"]*/)?figures/([^"/]+)"[^>]*>)\s*</p>')

# Addresses nbconvert/mkdocs-jupyter write into notebook pages although nothing on the
# page uses them (Mermaid, MathJax 2 on cdnjs): dropped so no page can reach a CDN.
CDN_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(?:https://cdnjs\.cloudflare\.com/[^"]*)?"[^>]*>\s*</script>')
CDN_URL = re.compile(r'https://cdnjs\.cloudflare\.com/[^"\'\s)]*')

METRIC_LABELS = {
    "test_accuracy": ("exactitud en prueba", spanish.percent),
    "accuracy": ("exactitud", spanish.percent),
    "test_accuracy_sin_augment": ("exactitud en prueba sin aumento", spanish.percent),
    "test_accuracy_con_augment": ("con aumento", spanish.percent),
    "zero_shot_accuracy": ("exactitud sin ejemplos (zero-shot)", spanish.percent),
    "thick_thin_retrieval": ("«grueso»/«fino» bien elegidos", spanish.percent),
    "lenet_accuracy_on_reconstructions": ("la LeNet-5 reconoce las reconstrucciones", spanish.percent),
    "lenet_recognises_prompted_digit": ("la LeNet-5 reconoce el dígito pedido", spanish.percent),
    "test_digits": ("dígitos de prueba", lambda v: spanish.number(v, 0)),
    "test_scenes": ("escenas de prueba", lambda v: spanish.number(v, 0)),
    "mean_dice": ("Dice medio", lambda v: spanish.number(v, 3)),
    "epochs": ("épocas", lambda v: spanish.number(v, 0)),
    "steps": ("iteraciones", lambda v: spanish.number(v, 0)),
}


class CaptionError(ValueError):
    """A page shows a figure that the manifest does not describe."""


def _load(manifest_path: Path) -> dict:
    if not manifest_path.exists():
        return {}
    with open(manifest_path, encoding="utf-8") as f:
        return json.load(f).get("figures", {})


def provenance(entry: dict) -> str:
    """One line saying how a figure was made, in Spanish."""
    parts = [entry.get("data", "")]
    for key, value in (entry.get("metrics") or {}).items():
        if key in METRIC_LABELS and isinstance(value, (int, float)):
            label, fmt = METRIC_LABELS[key]
            parts.append(f"{label} {fmt(value)}")
    device = entry.get("device", "")
    if device:
        parts.append(device)
    if "duration_s" in entry:
        parts.append(spanish.number(entry["duration_s"], 1) + spanish.NBSP + "s")
    if "seed" in entry:
        parts.append(f"semilla {entry['seed']}")
    if entry.get("quick"):
        parts.append("ejecución rápida (--quick)")
    if entry.get("git_commit"):
        parts.append(f"commit {entry['git_commit'][:7]}")
    return " · ".join(p for p in parts if p)


def weights_provenance(entry: dict) -> str:
    """The line under a trained-network widget: the file, its size and hash, its
    parameters, then the same facts as a figure's caption and the command that makes it."""
    file = entry["file"].rsplit("/", 1)[-1]
    kb = spanish.number(entry["bytes"] / 1024, 0)
    head = (f"Pesos: {file} ({kb}{spanish.NBSP}KB, {entry.get('dtype', '')}, sha256 {entry['sha256'][:12]}…), "
            f"{spanish.number(entry['parameters'], 0)} parámetros")
    return f"{head} · {provenance(entry)} · entrenados con: {entry.get('command', '')}"


def models_provenance(manifest_path: Path) -> dict:
    """assets/models/provenance.json: per network, the file the widget fetches, its sha256
    (checked in the page) and the rendered provenance line."""
    if not manifest_path.exists():
        return {}
    with open(manifest_path, encoding="utf-8") as f:
        models = json.load(f).get("models", {})
    return {name: {"file": e["file"], "sha256": e["sha256"], "text": weights_provenance(e)}
            for name, e in sorted(models.items())}


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
