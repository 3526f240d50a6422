"""conv_params: the parameter count of a conv layer, checked against nn.Conv2d."""

TITLE = "Parámetros de una capa convolucional"
FUNCTION = "conv_params"

STATEMENT = r"""
Escribe `conv_params(c_in, c_out, k, bias=True)`: cuántos parámetros aprende una capa
`nn.Conv2d(c_in, c_out, k, bias=bias)` con núcleos de $k \times k$. Cada uno de los
$c_\text{out}$ filtros tiene un peso por píxel de la ventana **y por canal de entrada**,
más un sesgo si `bias` es verdadero. La referencia es
`sum(p.numel() for p in capa.parameters())` de PyTorch.
"""

STARTER = '''def conv_params(c_in, c_out, k, bias=True):
    """Número de parámetros de nn.Conv2d(c_in, c_out, k, bias=bias)."""
    pesos_por_filtro = k * k
    return pesos_por_filtro
'''

SOLUTION = '''def conv_params(c_in, c_out, k, bias=True):
    """Número de parámetros de nn.Conv2d(c_in, c_out, k, bias=bias)."""
    pesos_por_filtro = k * k * c_in
    return c_out * (pesos_por_filtro + (1 if bias else 0))
'''

HINTS = [
    "Un filtro ve todos los canales de entrada a la vez: tiene $k \\cdot k \\cdot c_\\text{in}$ pesos.",
    "Hay un filtro por canal de salida, y cada filtro tiene **un** sesgo.",
]

KNOWN_WRONG = [
    {"replace": ("(1 if bias else 0)", "0"), "message": "devolvió 150; se esperaba 156"},
    {"replace": ("k * k * c_in", "k * k"), "message": "Caso «de 6 a 16 canales, 5×5»"},
]


def cases():
    return [
        {"name": "LeNet C1", "args": {"c_in": 1, "c_out": 6, "k": 5}},
        {"name": "de 6 a 16 canales, 5×5", "args": {"c_in": 6, "c_out": 16, "k": 5}},
        {"name": "VGG 3×3", "args": {"c_in": 64, "c_out": 128, "k": 3}},
        {"name": "cuello de botella 1×1", "args": {"c_in": 256, "c_out": 64, "k": 1}},
        {"name": "sin sesgo (antes de BatchNorm)", "args": {"c_in": 64, "c_out": 64, "k": 3, "bias": False}},
        {"name": "AlexNet conv1", "args": {"c_in": 3, "c_out": 96, "k": 11}},
    ]


def reference(c_in, c_out, k, bias=True):
    from torch import nn

    return sum(p.numel() for p in nn.Conv2d(c_in, c_out, k, bias=bias).parameters())
