"""output_size: the size formula, checked against the shape PyTorch's conv2d gives."""

TITLE = "El tamaño de la salida"
FUNCTION = "output_size"

STATEMENT = r"""
Escribe `output_size(n, k, stride=1, padding=0, dilation=1)`: el lado de la salida de
una convolución sobre una entrada de lado $n$ con un núcleo de lado $k$, paso $s$,
relleno $p$ y dilatación $d$:

$$
o = \left\lfloor \frac{n + 2p - d\,(k-1) - 1}{s} \right\rfloor + 1 .
$$

Debe devolver un **entero** (`int`). Las respuestas de referencia son la forma que da
`torch.nn.functional.conv2d`.
"""

STARTER = '''def output_size(n, k, stride=1, padding=0, dilation=1):
    """Lado de la salida de una convolución."""
    return 0
'''

SOLUTION = '''def output_size(n, k, stride=1, padding=0, dilation=1):
    """Lado de la salida de una convolución."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1
'''

HINTS = [
    "Sin relleno ni paso, un núcleo de 3 sobre una entrada de 5 deja 3 posiciones: $5 - 3 + 1$.",
    "El suelo $\\lfloor\\cdot\\rfloor$ de la fórmula es la división entera de Python, `//`: con `/` obtienes un `float`.",
    "La dilatación estira el núcleo: ocupa $d\\,(k-1) + 1$ píxeles.",
]

KNOWN_WRONG = [
    {"replace": (") // stride + 1", ") / stride + 1"), "message": "se esperaba un entero"},
    {"replace": ("dilation * (k - 1) - 1", "(k - 1) - 1"), "message": "Caso «dilatación 2»"},
]


def cases():
    return [
        {"name": "LeNet C1", "args": {"n": 32, "k": 5}},
        {"name": "relleno «same»", "args": {"n": 28, "k": 3, "padding": 1}},
        {"name": "AlexNet conv1", "args": {"n": 227, "k": 11, "stride": 4}},
        {"name": "paso que no divide", "args": {"n": 224, "k": 11, "stride": 4, "padding": 2}},
        {"name": "paso 2 impar", "args": {"n": 7, "k": 3, "stride": 2}},
        {"name": "dilatación 2", "args": {"n": 10, "k": 3, "dilation": 2}},
        {"name": "núcleo del tamaño de la entrada", "args": {"n": 4, "k": 4}},
    ]


def reference(n, k, stride=1, padding=0, dilation=1):
    import torch
    import torch.nn.functional as F

    out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=stride, padding=padding, dilation=dilation)
    return int(out.shape[-1])
