"""max_pool2d: max pooling, checked against torch.nn.functional.max_pool2d."""

import numpy as np

TITLE = "Agrupación máxima"
FUNCTION = "max_pool2d"

STATEMENT = r"""
Escribe `max_pool2d(x, size=2, stride=None)`: la agrupación máxima (*max pooling*) de un mapa 2-D `x` con
ventanas de `size`×`size` que avanzan `stride` píxeles (si `stride` es `None`, igual a
`size`, como en PyTorch). Las ventanas que no caben enteras se descartan: la salida mide
$\lfloor (H - \text{size})/\text{stride} \rfloor + 1$ de alto. La referencia es
`torch.nn.functional.max_pool2d`.
"""

STARTER = '''import numpy as np

def max_pool2d(x, size=2, stride=None):
    """Máximo de cada ventana size×size de x, con paso stride."""
    if stride is None:
        stride = size
    return x
'''

SOLUTION = '''import numpy as np

def max_pool2d(x, size=2, stride=None):
    """Máximo de cada ventana size×size de x, con paso stride."""
    if stride is None:
        stride = size
    oh = (x.shape[0] - size) // stride + 1
    ow = (x.shape[1] - size) // stride + 1
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out
'''

HINTS = [
    "La cuenta del tamaño es la de la convolución sin relleno: `(x.shape[0] - size) // stride + 1`.",
    "No hay pesos: cada valor de la salida es `ventana.max()`.",
    "Cuidado con los mapas negativos: un máximo que empieza en 0 nunca baja de 0.",
]

KNOWN_WRONG = [
    {"replace": ("out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()",
                 "out[i, j] = max(0, x[i * stride:i * stride + size, j * stride:j * stride + size].max())"),
     "message": "tu resultado vale 0 y debería valer -"},
    {"replace": ("oh = (x.shape[0] - size) // stride + 1", "oh = x.shape[0] // stride"),
     "message": "la forma es (5, 3); se esperaba (3, 3)"},
]


def cases():
    rng = np.random.default_rng(7)
    lecture = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], float)
    return [
        {"name": "la matriz de la lección", "args": {"x": lecture}},
        {"name": "ventana 3, paso 1", "args": {"x": rng.normal(size=(5, 5)), "size": 3, "stride": 1}},
        {"name": "lado impar: sobra una fila", "args": {"x": rng.normal(size=(5, 7)), "size": 2}},
        {"name": "todo negativo", "args": {"x": -1 - rng.random(size=(4, 6))}},
        {"name": "ventana 3, paso 2 (AlexNet)", "args": {"x": rng.normal(size=(7, 7)), "size": 3, "stride": 2}},
        {"name": "ventana del tamaño del mapa", "args": {"x": rng.normal(size=(3, 3)), "size": 3}},
    ]


def reference(x, size=2, stride=None):
    import torch
    import torch.nn.functional as F

    return F.max_pool2d(torch.from_numpy(x)[None, None], size, stride)[0, 0].numpy()
