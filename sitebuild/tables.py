"""The lectures' tables, computed from the code: a lecture writes `<!-- generated: NAME -->`
and the site build (sitebuild/generated.py) puts the Markdown these functions return there.

Why computed and not typed: the numbers are facts about the models' code (parameter
counts, MACs, output sizes, Dice values), so the tests read the same rows the site shows.
Why in sitebuild/: this is the site's formatting (Markdown, Spanish numbers), run by
`python -m sitebuild.generated --write` (it needs torch; the site build only reads its
output); the models' package keeps the computations it calls (summary, metrics). The
comparison of classic CNNs builds every model on the "meta" device (shapes only, no memory,
no arithmetic) and runs `summary` / `weighted_depth` on it, so the site cannot drift.
"""

import torch
import torch.nn as nn

from demos.imageops import output_size  # the function the live demos run

from lecture_models.metrics import dice_score
from lecture_models.models import alexnet, googlenet, lenet5, resnet18, resnet50, vgg16
from lecture_models.spanish import NNBSP, integer, number, percent
from lecture_models.summary import summary, weighted_depth

# name, builder, year it appeared (contest or first arXiv version), input (C, H, W),
# reference (label with the publication year of sitebuild/references.py, URL)
ARCHITECTURES = [
    ("LeNet-5", lenet5, 1998, (1, 32, 32),
     ("LeCun et al., 1998", "https://doi.org/10.1109/5.726791")),
    ("AlexNet", alexnet, 2012, (3, 224, 224),
     ("Krizhevsky et al., 2012",
      "https://proceedings.neurips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html")),
    ("VGG-16", vgg16, 2014, (3, 224, 224),
     ("Simonyan y Zisserman, 2015", "https://arxiv.org/abs/1409.1556")),
    ("GoogLeNet", googlenet, 2014, (3, 224, 224),
     ("Szegedy et al., 2015", "https://arxiv.org/abs/1409.4842")),
    ("ResNet-18", resnet18, 2015, (3, 224, 224),
     ("He et al., 2016", "https://arxiv.org/abs/1512.03385")),
    ("ResNet-50", resnet50, 2015, (3, 224, 224),
     ("He et al., 2016", "https://arxiv.org/abs/1512.03385")),
]


def _kernel_sizes(model: nn.Module) -> list[tuple[int, int]]:
    """Distinct convolution kernel sizes, largest first."""
    sizes = {tuple(m.kernel_size) for m in model.modules() if isinstance(m, nn.modules.conv._ConvNd)}
    return sorted(sizes, key=lambda k: (k[0] * k[1], k), reverse=True)


def architecture_rows() -> list[dict]:
    """The table's data as plain numbers (used by architecture_table and by the tests)."""
    rows = []
    for name, builder, year, input_size, reference in ARCHITECTURES:
        with torch.device("meta"):
            model = builder()
        s = summary(model, input_size)
        rows.append({
            "name": name,
            "year": year,
            "input_size": input_size,
            "depth": weighted_depth(model, input_size),
            "weighted_layers": sum(isinstance(m, (nn.modules.conv._ConvNd, nn.Linear)) for m in model.modules()),
            "kernel_sizes": _kernel_sizes(model),
            "params": s.total_params,
            "macs": s.total_macs,
            "reference": reference,
        })
    return rows


def _format_millions(n: int) -> str:
    """MACs in millions: 0,42 M; 1814 M (two decimals only below 10)."""
    m = n / 1e6
    return number(m, 2 if m < 10 else 0) + f"{NNBSP}M"


def architecture_table() -> str:
    """Markdown table comparing LeNet-5, AlexNet, VGG-16, GoogLeNet, ResNet-18 and ResNet-50."""
    lines = [
        "| Modelo | Año | Entrada | Capas con pesos | Tamaños de filtro | Parámetros | MACs | Referencia |",
        "|---|---:|---|---:|---|---:|---:|---|",
    ]
    notes = []
    for r in architecture_rows():
        c, h, w = r["input_size"]
        kernels = ", ".join(f"{kh}×{kw}" for kh, kw in r["kernel_sizes"])
        label, url = r["reference"]
        lines.append(f"| {r['name']} | {r['year']} | {c}×{h}×{w} | {r['depth']} | {kernels} | "
                     f"{integer(r['params'])} | {_format_millions(r['macs'])} | [{label}]({url}) |")
        if r["weighted_layers"] != r["depth"]:
            notes.append(f"{r['name']} {r['weighted_layers']}")
    lines += [
        "",
        "*Año*: el de su concurso o su primera versión; la referencia da el año de publicación. "
        "*Capas con pesos*: convoluciones y capas lineales en el camino más largo de la entrada "
        "a la salida, como se cuentan en los artículos (VGG-16, ResNet-50). "
        "En total, contando ramas paralelas y atajos con proyección: " + "; ".join(notes) + ". "
        "*MACs*: multiplicaciones-acumulaciones por imagen en convoluciones y capas lineales "
        "(1 MAC ≈ 2 FLOPs). Parámetros para 1000 clases (10 en LeNet-5), contados en "
        "`lecture_models`, cuyas AlexNet, VGG-16, GoogLeNet y ResNet son idénticas a las de "
        "torchvision; esa GoogLeNet usa 3×3 donde el artículo dice 5×5.",
        # The definitions are for reading: a slide shows the table, the presenter view these.
        "{ .reading-only }",
    ]
    return "\n".join(lines)


def vgg_macs_by_resolution_rows() -> list[dict]:
    """VGG-16's parameters and MACs grouped by the side of the maps each layer writes.

    Why: the lecture says where VGG's compute is; the numbers must come from the model.
    Convolutions are grouped by their output side (224, 112, 56, 28, 14), the three
    linear layers as "dense". Built on the meta device like `architecture_rows`.
    """
    with torch.device("meta"):
        model = vgg16()
    s = summary(model, (3, 224, 224))
    groups: dict = {}
    for row in s.rows:
        if row.type not in ("Conv2d", "Linear"):
            continue
        key = row.output_shape[-1] if row.type == "Conv2d" else "dense"
        g = groups.setdefault(key, {"side": key, "layers": 0, "params": 0, "macs": 0})
        g["layers"] += 1
        g["params"] += row.params
        g["macs"] += row.macs
    rows = list(groups.values())
    for g in rows:
        g["macs_share"] = g["macs"] / s.total_macs
        g["params_share"] = g["params"] / s.total_params
    return rows


def vgg_macs_by_resolution() -> str:
    """Markdown table: VGG-16's layers, parameters and MACs per resolution (lecture 4)."""
    lines = ["| Mapas | Capas | Parámetros | % de los parámetros | MACs | % de los MACs |",
             "|---|---:|---:|---:|---:|---:|"]
    for g in vgg_macs_by_resolution_rows():
        label = "densas" if g["side"] == "dense" else f"{g['side']}×{g['side']}"
        lines.append(f"| {label} | {g['layers']} | {integer(g['params'])} | "
                     f"{percent(g['params_share'])} | {_format_millions(g['macs'])} | {percent(g['macs_share'])} |")
    return "\n".join(lines)


def output_size_examples() -> str:
    """The output-size formula applied to the lectures' examples (LeNet, seed 003)."""
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
    return summary(lenet5(), (1, 1, 28, 28)).format_markdown()


def _matrix(rows) -> str:
    return "<br>".join(" ".join(str(v) for v in row) for row in rows)


def dice_examples() -> str:
    """Seed 003's two worked Dice examples, computed by `lecture_models.metrics.dice_score`."""
    cases = [
        ("Binario", [[1, 0, 0], [0, 1, 0], [1, 0, 1]], [[1, 0, 0], [1, 1, 0], [0, 0, 1]], 2),
        ("Tres clases", [[0, 1, 1], [0, 2, 0], [2, 0, 1]], [[0, 1, 0], [2, 2, 0], [2, 0, 1]], 3),
    ]
    lines = ["| Ejemplo | Real | Predicho | Dice por clase (sin fondo) | Dice medio |", "|---|---|---|---|---:|"]
    for label, real, pred, k in cases:
        dice = dice_score(torch.tensor(pred), torch.tensor(real), k)[1:]  # class 0 = fondo
        per_class = ", ".join(f"clase {c + 1}: {number(float(d), 2)}" for c, d in enumerate(dice))
        mean = number(float(dice.nanmean()), 2)
        lines.append(f"| {label} | {_matrix(real)} | {_matrix(pred)} | {per_class} | **{mean}** |")
    return "\n".join(lines)
