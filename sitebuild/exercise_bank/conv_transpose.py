"""conv_transpose2d: the transposed convolution of one channel, as F.conv_transpose2d."""

import numpy as np

TITLE = "La convolución transpuesta"
FUNCTION = "conv_transpose2d"

STATEMENT = r"""
Escribe `conv_transpose2d(x, k, stride=1)` para un mapa 2-D `x` y un núcleo 2-D `k`:
cada valor $x_{ij}$ multiplica una copia del núcleo, que se **suma** a la salida con su
esquina en la fila $i s$ y la columna $j s$ ($s$ el paso). Donde las copias se solapan,
se suman. La salida mide $(H - 1)\,s + k_h$ de alto y $(W - 1)\,s + k_w$ de ancho
($H \times W$ la entrada, $k_h \times k_w$ el núcleo; no tienen por qué ser cuadrados). Con
$x = \begin{bmatrix} 0 & 1 \\ 2 & 3 \end{bmatrix}$ y
$k = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$ da
$\begin{bmatrix} 0 & 1 & 2 \\ 2 & 10 & 10 \\ 6 & 17 & 12 \end{bmatrix}$. La referencia es
`torch.nn.functional.conv_transpose2d`.
"""

STARTER = '''import numpy as np

def conv_transpose2d(x, k, stride=1):
    """Convolución transpuesta de x (2-D) con el núcleo k (2-D)."""
    kh, kw = k.shape
    out = np.zeros((x.shape[0] * stride, x.shape[1] * stride))
    # suma x[i, j] * k en la posición que le toca
    return out
'''

SOLUTION = '''import numpy as np

def conv_transpose2d(x, k, stride=1):
    """Convolución transpuesta de x (2-D) con el núcleo k (2-D)."""
    kh, kw = k.shape
    out = np.zeros(((x.shape[0] - 1) * stride + kh, (x.shape[1] - 1) * stride + kw))
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i * stride:i * stride + kh, j * stride:j * stride + kw] += x[i, j] * k
    return out
'''

HINTS = [
    "La última copia empieza en la fila $(H-1)\\,s$ y ocupa $k_h$ filas: de ahí el tamaño de la salida.",
    "Recorre la **entrada**, no la salida: `out[i*s:i*s+kh, j*s:j*s+kw] += x[i, j] * k`.",
    "No se voltea nada: con el ejemplo del enunciado, la esquina superior izquierda vale $0 \\cdot 1 = 0$.",
]

KNOWN_WRONG = [
    {"replace": ("+= x[i, j] * k", "+= x[i, j] * k[::-1, ::-1]"), "message": "Caso «el ejemplo de la lección»"},
    {"replace": ("(x.shape[1] - 1) * stride + kw", "(x.shape[1] - 1) * stride + kw + 1"),
     "message": "la forma es (3, 4); se esperaba (3, 3)"},
]


def cases():
    rng = np.random.default_rng(11)
    return [
        {"name": "el ejemplo de la lección", "args": {"x": np.array([[0.0, 1], [2, 3]]), "k": np.array([[1.0, 2], [3, 4]])}},
        {"name": "paso 2 (sin solapes)", "args": {"x": rng.normal(size=(3, 3)), "k": rng.normal(size=(2, 2)), "stride": 2}},
        {"name": "paso 2, núcleo 3×3 (con solapes)", "args": {"x": rng.normal(size=(2, 3)), "k": rng.normal(size=(3, 3)), "stride": 2}},
        {"name": "núcleo no cuadrado", "args": {"x": rng.normal(size=(3, 2)), "k": rng.normal(size=(2, 3))}},
        {"name": "entrada 1×1", "args": {"x": np.array([[2.0]]), "k": rng.normal(size=(3, 3)), "stride": 3}},
    ]


def reference(x, k, stride=1):
    import torch
    import torch.nn.functional as F

    out = F.conv_transpose2d(torch.from_numpy(x)[None, None], torch.from_numpy(k)[None, None], stride=stride)
    return out[0, 0].numpy()
