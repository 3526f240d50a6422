"""Small Markdown tables computed from the code, for `<!-- generated: NAME -->` markers."""

from __future__ import annotations


def output_size_examples() -> str:
    """The output-size formula applied to the lectures' examples (LeNet, seed 003)."""
    from demos.imageops import output_size

    rows = [
        ("C1 de LeNet-5: entrada 32, núcleo 5", dict(n=32, k=5)),
        ("S2 de LeNet-5: entrada 28, ventana 2, paso 2", dict(n=28, k=2, stride=2)),
        ("Entrada 28 con relleno 2, núcleo 5", dict(n=28, k=5, padding=2)),
        ("Entrada 224, núcleo 7, paso 2, relleno 3 (ResNet)", dict(n=224, k=7, stride=2, padding=3)),
        ("Entrada 227, núcleo 11, paso 4 (AlexNet original)", dict(n=227, k=11, stride=4)),
        ("Entrada 32, núcleo 3, dilatación 2", dict(n=32, k=3, dilation=2)),
    ]
    lines = ["| Caso | n | k | s | p | d | Salida |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, kw in rows:
        s, p, d = kw.get("stride", 1), kw.get("padding", 0), kw.get("dilation", 1)
        lines.append(f"| {label} | {kw['n']} | {kw['k']} | {s} | {p} | {d} | **{output_size(**kw)}** |")
    return "\n".join(lines)


def lenet_summary() -> str:
    """Layer-by-layer shapes and parameters of our LeNet-5 on a 28×28 digit."""
    from lecture_models.models import lenet5
    from lecture_models.summary import summary

    return summary(lenet5(), (1, 1, 28, 28)).format_markdown()
