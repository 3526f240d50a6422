"""conv2d: the cross-correlation that torch.nn.functional.conv2d computes, on one channel."""

import numpy as np

TITLE = "La convolución 2-D en NumPy"
FUNCTION = "conv2d"

STATEMENT = r"""
Escribe `conv2d(x, k, stride=1, padding=0)`: la **correlación cruzada** de la imagen
`x` (un *array* 2-D de alto $H$ y ancho $W$) con el núcleo `k` (2-D, $k_h \times k_w$),
como la calcula `torch.nn.functional.conv2d`: sin voltear el núcleo, con `padding` ceros
añadidos en cada borde y saltando `stride` píxeles. Cada valor de la salida es

$$
y_{ij} = \sum_{a,b} k_{ab}\, \tilde{x}_{\,i s + a,\; j s + b},
$$

donde $\tilde x$ es `x` con el relleno y $s$ el paso. La salida mide
$\lfloor (H + 2p - k_h)/s \rfloor + 1$ de alto y
$\lfloor (W + 2p - k_w)/s \rfloor + 1$ de ancho: ni la imagen ni el núcleo tienen por qué
ser cuadrados.
"""

STARTER = '''import numpy as np

def conv2d(x, k, stride=1, padding=0):
    """Correlación cruzada de x (2-D) con el núcleo k (2-D)."""
    x = np.pad(x, padding)          # ceros alrededor
    kh, kw = k.shape
    # 1. calcula el alto y el ancho de la salida
    # 2. recorre cada posición (i, j) y suma los productos de la ventana por k
    return None
'''

SOLUTION = '''import numpy as np

def conv2d(x, k, stride=1, padding=0):
    """Correlación cruzada de x (2-D) con el núcleo k (2-D)."""
    x = np.pad(x, padding)          # ceros alrededor
    kh, kw = k.shape
    oh = (x.shape[0] - kh) // stride + 1
    ow = (x.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            ventana = x[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.sum(ventana * k)
    return out
'''

HINTS = [
    "Con el relleno ya aplicado, la salida mide `(x.shape[0] - kh) // stride + 1` de alto.",
    "La ventana de la salida `(i, j)` empieza en la fila `i * stride` y la columna `j * stride` de `x` ya rellenada.",
    "PyTorch no voltea el núcleo: es `np.sum(ventana * k)`, no `k[::-1, ::-1]`.",
]

KNOWN_WRONG = [
    {"replace": ("np.sum(ventana * k)", "np.sum(ventana * k[::-1, ::-1])"),
     "message": "Caso «núcleo asimétrico»"},  # a true convolution: the flipped kernel
    {"replace": ("oh = (x.shape[0] - kh) // stride + 1", "oh = (x.shape[0] - kh) // stride"),
     "message": "la forma es (2, 3); se esperaba (3, 3)"},  # off-by-one output size
]


def cases():
    rng = np.random.default_rng(14)
    seed004 = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], float)
    cross = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], float)
    return [
        {"name": "el ejemplo de la X", "args": {"x": seed004, "k": cross}},
        {"name": "núcleo asimétrico", "args": {"x": np.arange(20.0).reshape(4, 5), "k": np.array([[1.0, 2, 0], [0, -1, 3]])}},
        {"name": "relleno 1", "args": {"x": seed004, "k": cross, "padding": 1}},
        {"name": "paso 2", "args": {"x": rng.normal(size=(7, 8)), "k": rng.normal(size=(3, 3)), "stride": 2}},
        {"name": "paso 2 y relleno 2", "args": {"x": rng.normal(size=(6, 5)), "k": rng.normal(size=(3, 2)), "stride": 2, "padding": 2}},
        {"name": "núcleo 1×1", "args": {"x": rng.normal(size=(3, 4)), "k": np.array([[2.5]])}},
        {"name": "núcleo del tamaño de la imagen", "args": {"x": rng.normal(size=(4, 4)), "k": rng.normal(size=(4, 4))}},
    ]


def reference(x, k, stride=1, padding=0):
    import torch
    import torch.nn.functional as F

    out = F.conv2d(torch.from_numpy(x)[None, None], torch.from_numpy(k)[None, None], stride=stride, padding=padding)
    return out[0, 0].numpy()
