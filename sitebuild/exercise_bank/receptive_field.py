"""receptive_field: of a stack of layers, measured in PyTorch by back-propagating from one output."""

TITLE = "El campo receptivo de una pila de capas"
FUNCTION = "receptive_field"

STATEMENT = r"""
Escribe `receptive_field(layers)`: el lado del campo receptivo de una neurona de la
última capa de una pila de convoluciones o *poolings*. `layers` es una lista de pares
`[k, s]` (lado del núcleo y paso), de la entrada a la salida. Con $r_0 = 1$ y $j_0 = 1$
(el salto, en píxeles de la entrada, entre dos neuronas vecinas):

$$
r_\ell = r_{\ell-1} + (k_\ell - 1)\, j_{\ell-1}, \qquad j_\ell = j_{\ell-1}\, s_\ell .
$$

La referencia la mide PyTorch: retropropaga desde una neurona de la salida y cuenta los
píxeles de la entrada con gradiente distinto de cero.
"""

STARTER = '''def receptive_field(layers):
    """Lado del campo receptivo de una pila de capas [[k, s], ...]."""
    r = 1
    for k, s in layers:
        pass  # actualiza r (y lo que necesites para el paso)
    return r
'''

SOLUTION = '''def receptive_field(layers):
    """Lado del campo receptivo de una pila de capas [[k, s], ...]."""
    r, salto = 1, 1
    for k, s in layers:
        r = r + (k - 1) * salto
        salto = salto * s
    return r
'''

HINTS = [
    "Dos 3×3 con paso 1 ven 5×5: cada capa añade $k - 1$ píxeles… medidos en la entrada.",
    "Tras una capa de paso $s$, dos neuronas vecinas están $s$ veces más lejos en la entrada: lleva la cuenta del salto.",
    "Una lista vacía es una pila sin capas: cada neurona ve 1 píxel.",
]

KNOWN_WRONG = [
    {"replace": ("r = r + (k - 1) * salto", "r = r + (k - 1)"), "message": "devolvió 7; se esperaba 9"},
]


def cases():
    return [
        {"name": "dos 3×3", "args": {"layers": [[3, 1], [3, 1]]}},
        {"name": "3×3, 3×3 con paso 2, 3×3", "args": {"layers": [[3, 1], [3, 2], [3, 1]]}},
        {"name": "LeNet-5: conv 5, pool 2, conv 5, pool 2", "args": {"layers": [[5, 1], [2, 2], [5, 1], [2, 2]]}},
        {"name": "AlexNet conv1 y pool", "args": {"layers": [[11, 4], [3, 2]]}},
        {"name": "una sola capa 7×7", "args": {"layers": [[7, 2]]}},
        {"name": "sin capas", "args": {"layers": []}},
    ]


def reference(layers):
    import torch
    import torch.nn.functional as F

    size = 1
    for k, s in reversed(layers):  # an input just big enough for one output neuron
        size = (size - 1) * s + k
    x = torch.zeros(1, 1, size + 8, size + 8, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s in layers:
        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s)
    y[0, 0, 0, 0].backward()
    seen = (x.grad[0, 0] != 0).any(dim=0)
    return int(seen.sum())
