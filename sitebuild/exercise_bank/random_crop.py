"""random_crop: a seeded random crop; positions from NumPy's generator, crops by torchvision."""

import numpy as np

TITLE = "Aumento de datos: un recorte aleatorio con semilla"
FUNCTION = "random_crop"

STATEMENT = r"""
Escribe `random_crop(img, size, seed)`: un recorte de `size`×`size` píxeles de la imagen
`img` (alto × ancho, o alto × ancho × canales) en una posición al azar, **repetible**:
con la misma semilla, el mismo recorte. Usa `rng = np.random.default_rng(seed)` y saca
primero la fila de la esquina superior izquierda y después la columna, cada una con
`rng.integers(0, máximo + 1)`, donde el máximo es la última posición en que el recorte
aún cabe entero. La referencia recorta con `torchvision.transforms.functional.crop`.
"""

STARTER = '''import numpy as np

def random_crop(img, size, seed):
    """Recorte size×size en una posición al azar (repetible con seed)."""
    rng = np.random.default_rng(seed)
    top = 0
    left = 0
    return img[top:top + size, left:left + size]
'''

SOLUTION = '''import numpy as np

def random_crop(img, size, seed):
    """Recorte size×size en una posición al azar (repetible con seed)."""
    rng = np.random.default_rng(seed)
    top = rng.integers(0, img.shape[0] - size + 1)
    left = rng.integers(0, img.shape[1] - size + 1)
    return img[top:top + size, left:left + size]
'''

HINTS = [
    "Si la imagen tiene alto $H$, la fila superior del recorte va de $0$ a $H - \\text{size}$, ambas incluidas.",
    "`rng.integers(a, b)` nunca devuelve `b`: para incluir $H - \\text{size}$ pide `rng.integers(0, H - size + 1)`.",
    "Saca la fila antes que la columna: el orden cambia los números que da el generador.",
]

KNOWN_WRONG = [
    {"replace": ("top = rng.integers(0, img.shape[0] - size + 1)", "top = rng.integers(0, img.shape[0] - size)"),
     "message": "Caso «recorte del alto de la imagen» (img de forma (6, 9), size=6, seed=3): ValueError"},
]


def cases():
    rng = np.random.default_rng(5)
    return [
        {"name": "gris 8×8", "args": {"img": rng.integers(0, 256, size=(8, 8)).astype(np.uint8), "size": 4, "seed": 0}},
        {"name": "otra semilla", "args": {"img": rng.integers(0, 256, size=(8, 8)).astype(np.uint8), "size": 4, "seed": 1}},
        {"name": "color, no cuadrada", "args": {"img": rng.integers(0, 256, size=(10, 7, 3)).astype(np.uint8), "size": 5, "seed": 42}},
        {"name": "recorte del alto de la imagen", "args": {"img": rng.integers(0, 256, size=(6, 9)).astype(np.uint8), "size": 6, "seed": 3}},
        {"name": "recorte de toda la imagen", "args": {"img": rng.integers(0, 256, size=(5, 5)).astype(np.uint8), "size": 5, "seed": 9}},
    ]


def reference(img, size, seed):
    import torch
    from torchvision.transforms import functional as TF

    rng = np.random.default_rng(seed)
    top = int(rng.integers(0, img.shape[0] - size + 1))
    left = int(rng.integers(0, img.shape[1] - size + 1))
    chw = torch.from_numpy(img).reshape(img.shape[0], img.shape[1], -1).permute(2, 0, 1)
    out = TF.crop(chw, top, left, size, size).permute(1, 2, 0).numpy()
    return out.reshape((size, size) + img.shape[2:])
