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


def _matrix(rows) -> str:
    return "<br>".join(" ".join(str(v) for v in row) for row in rows)


def dice_examples() -> str:
    """Seed 003's two worked Dice examples, computed by `lecture_models.metrics.dice_score`."""
    import torch

    from lecture_models.metrics import dice_score

    cases = [
        ("Binario", [[1, 0, 0], [0, 1, 0], [1, 0, 1]], [[1, 0, 0], [1, 1, 0], [0, 0, 1]], 2),
        ("Tres clases", [[0, 1, 1], [0, 2, 0], [2, 0, 1]], [[0, 1, 0], [2, 2, 0], [2, 0, 1]], 3),
    ]
    lines = ["| Ejemplo | Real | Predicho | Dice por clase (sin fondo) | Dice medio |", "|---|---|---|---|---:|"]
    for label, real, pred, k in cases:
        dice = dice_score(torch.tensor(pred), torch.tensor(real), k)[1:]  # class 0 = fondo
        per_class = ", ".join(f"clase {c + 1}: {float(d):.2f}".replace(".", ",") for c, d in enumerate(dice))
        mean = f"{float(dice.nanmean()):.2f}".replace(".", ",")
        lines.append(f"| {label} | {_matrix(real)} | {_matrix(pred)} | {per_class} | **{mean}** |")
    return "\n".join(lines)
