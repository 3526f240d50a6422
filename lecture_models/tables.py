"""Comparison table of the classic CNNs, computed from the code in lecture_models.models.

Every number in the table (depth, filter sizes, parameters, MACs) comes from building the
model on the "meta" device (shapes only, no memory, no arithmetic) and running
`summary` / `weighted_depth` on it, so the site cannot drift from the code.
"""

import torch
import torch.nn as nn

from .models import alexnet, googlenet, lenet5, resnet18, resnet50, vgg16
from .summary import NNBSP, format_int, summary, weighted_depth

# name, builder, year, input (C, H, W), reference (label, URL)
ARCHITECTURES = [
    ("LeNet-5", lenet5, 1998, (1, 32, 32),
     ("LeCun et al., 1998", "https://doi.org/10.1109/5.726791")),
    ("AlexNet", alexnet, 2012, (3, 224, 224),
     ("Krizhevsky et al., 2012",
      "https://proceedings.neurips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html")),
    ("VGG-16", vgg16, 2014, (3, 224, 224),
     ("Simonyan y Zisserman, 2014", "https://arxiv.org/abs/1409.1556")),
    ("GoogLeNet", googlenet, 2014, (3, 224, 224),
     ("Szegedy et al., 2014", "https://arxiv.org/abs/1409.4842")),
    ("ResNet-18", resnet18, 2015, (3, 224, 224),
     ("He et al., 2015", "https://arxiv.org/abs/1512.03385")),
    ("ResNet-50", resnet50, 2015, (3, 224, 224),
     ("He et al., 2015", "https://arxiv.org/abs/1512.03385")),
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
    """MACs in millions, Spanish decimal comma: 0,42 M; 1 814 M."""
    m = n / 1e6
    if m < 10:
        return f"{m:.2f}".replace(".", ",") + f"{NNBSP}M"
    return format_int(round(m)) + f"{NNBSP}M"


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
                     f"{format_int(r['params'])} | {_format_millions(r['macs'])} | [{label}]({url}) |")
        if r["weighted_layers"] != r["depth"]:
            notes.append(f"{r['name']} {r['weighted_layers']}")
    lines += [
        "",
        "*Capas con pesos*: convoluciones y capas lineales en el camino más largo de la entrada "
        "a la salida, como se cuentan en los artículos (VGG-16, ResNet-50). "
        "En total, contando ramas paralelas y atajos con proyección: " + "; ".join(notes) + ". "
        "*MACs*: multiplicaciones-acumulaciones por imagen en convoluciones y capas lineales "
        "(1 MAC ≈ 2 FLOPs). Parámetros para 1000 clases (10 en LeNet-5), contados en "
        "`lecture_models`, cuyas AlexNet, VGG-16, GoogLeNet y ResNet son idénticas a las de "
        "torchvision; esa GoogLeNet usa 3×3 donde el artículo dice 5×5.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(architecture_table())
