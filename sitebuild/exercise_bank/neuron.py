"""neuron: a sigmoid neuron's forward pass and its gradient, checked against torch.autograd."""

import numpy as np

TITLE = "Una neurona: paso hacia delante y gradiente"
FUNCTION = "neuron"
OUTPUTS = ["y", "dy_dw"]

STATEMENT = r"""
Escribe `neuron(x, w, b)` para una neurona con activación sigmoide: `x` y `w` son
vectores de la misma longitud y `b` un número. Devuelve **dos** valores, `y, dy_dw`:

$$
z = w \cdot x + b, \qquad y = \sigma(z) = \frac{1}{1 + e^{-z}},
$$

$$
\frac{\partial y}{\partial w} = \sigma'(z)\, x = y\,(1 - y)\, x .
$$

`y` es un número y `dy_dw` un vector como `w`. La referencia es `torch.sigmoid` y el
gradiente que calcula `backward()` de PyTorch.
"""

STARTER = '''import numpy as np

def neuron(x, w, b):
    """Salida y de la neurona sigmoide y su gradiente respecto a los pesos."""
    z = np.dot(w, x) + b
    y = z              # aplica la sigmoide
    dy_dw = x          # regla de la cadena: dy/dz · dz/dw
    return y, dy_dw
'''

SOLUTION = '''import numpy as np

def neuron(x, w, b):
    """Salida y de la neurona sigmoide y su gradiente respecto a los pesos."""
    z = np.dot(w, x) + b
    y = 1 / (1 + np.exp(-z))
    dy_dw = y * (1 - y) * x
    return y, dy_dw
'''

HINTS = [
    "La sigmoide es `1 / (1 + np.exp(-z))`.",
    "La derivada de la sigmoide se escribe con su propia salida: $\\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))$.",
    "Como $z = w \\cdot x + b$, $\\partial z / \\partial w = x$: multiplica $\\sigma'(z)$ por `x`.",
]

KNOWN_WRONG = [
    {"replace": ("dy_dw = y * (1 - y) * x", "dy_dw = y * x"), "message": "«dy_dw»: en la posición (0,)"},
]


def cases():
    rng = np.random.default_rng(1)
    return [
        {"name": "tres entradas", "args": {"x": np.array([1.0, 2.0, -1.0]), "w": np.array([0.5, -0.25, 0.1]), "b": 0.2}},
        {"name": "una sola entrada", "args": {"x": np.array([2.0]), "w": np.array([-1.5]), "b": 0.0}},
        {"name": "diez entradas al azar", "args": {"x": rng.normal(size=10), "w": rng.normal(size=10), "b": -0.3}},
        {"name": "neurona saturada", "args": {"x": np.array([10.0, 10.0]), "w": np.array([3.0, 2.0]), "b": 1.0}},
    ]


def reference(x, w, b):
    import torch

    wt = torch.tensor(w, requires_grad=True)
    y = torch.sigmoid(wt @ torch.from_numpy(x) + b)
    y.backward()
    return [y.item(), wt.grad.numpy()]
