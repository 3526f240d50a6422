"""random_resized_crop: the deterministic half of RandomResizedCrop (crop a box, resize it).

The random half (drawing the box) is torchvision's own `RandomResizedCrop.get_params`,
run with a seed in `cases()`: the student gets the box, so grading is repeatable. The
reference resizes with `torchvision.transforms.functional.resized_crop` (nearest), which
never sees the student's index arithmetic.
"""

import numpy as np

TITLE = "Aumento de datos: el recorte aleatorio (recortar y reescalar)"
FUNCTION = "resized_crop"

STATEMENT = r"""
El **recorte aleatorio** de la lección 5 (`RandomResizedCrop`) **sortea una caja** y la
**recorta y reescala** al tamaño de entrada de la red.

En torchvision (*random resized crop*) la caja cubre entre el 8 % y el 100 % del área de
la imagen, con una proporción alto:ancho entre 3/4 y 4/3. Así cada época ve un trozo
distinto, más o menos ampliado y algo deformado. No es el recorte de tamaño fijo
(`RandomCrop`), que solo elige la posición de una ventana del mismo tamaño siempre y no
reescala nada.
{ .reading-only }

Aquí la caja ya está sorteada: programa la segunda mitad. Escribe
`resized_crop(img, box, size)`: `img` es una imagen (alto × ancho, o alto × ancho ×
canales), `box = (top, left, h, w)` la caja (fila y columna de su esquina superior
izquierda, alto y ancho) y `size = (alto, ancho)` el tamaño $H' \times W'$ de la salida.
Recorta la caja y reescálala por **vecino más próximo**, como `interpolate(mode="nearest")`:

$$
\text{salida}_{ij} = \text{recorte}_{\,\lfloor i h / H' \rfloor,\ \lfloor j w / W' \rfloor} .
$$

La salida conserva el tipo de `img` (aquí `uint8`).

La caja se sorteó con `RandomResizedCrop.get_params` y una semilla, para que la corrección
sea repetible. La referencia es `torchvision.transforms.functional.resized_crop` con
`InterpolationMode.NEAREST`.
{ .reading-only }
"""

STARTER = '''import numpy as np

def resized_crop(img, box, size):
    """Recorta la caja box = (top, left, h, w) y la reescala a size = (alto, ancho)."""
    top, left, h, w = box
    out_h, out_w = size
    recorte = img[top:top + h, left:left + w]
    # para cada fila i de la salida, ¿qué fila del recorte toca? ¿y cada columna?
    return recorte
'''

SOLUTION = '''import numpy as np

def resized_crop(img, box, size):
    """Recorta la caja box = (top, left, h, w) y la reescala a size = (alto, ancho)."""
    top, left, h, w = box
    out_h, out_w = size
    recorte = img[top:top + h, left:left + w]
    filas = np.arange(out_h) * h // out_h
    columnas = np.arange(out_w) * w // out_w
    return recorte[filas][:, columnas]
'''

HINTS = [
    "Primero recorta: `img[top:top + h, left:left + w]` (el alto va con las filas, el ancho con las columnas).",
    "La fila $i$ de la salida toma la fila $\\lfloor i h / H' \\rfloor$ del recorte: `np.arange(out_h) * h // out_h` "
    "las da todas a la vez (enteros, sin redondeos de coma flotante).",
    "Con un array de índices, `recorte[filas]` elige filas y `[:, columnas]` después, columnas; "
    "los canales, si los hay, se quedan como están.",
]

KNOWN_WRONG = [
    # rounding to the nearest source centre ("nearest-exact"), not PyTorch's floor
    {"replace": ("filas = np.arange(out_h) * h // out_h", "filas = np.floor((np.arange(out_h) + 0.5) * h / out_h).astype(int)"),
     "message": "Caso «gris 12×16, caja sorteada» (img de forma (12, 16), box=[1, 0, 9, 11], size=[8, 8]): en la posición"},
    # height and width of the box swapped
    {"replace": ("recorte = img[top:top + h, left:left + w]", "recorte = img[top:top + w, left:left + h]"),
     "message": "Caso «gris 12×16, caja sorteada»"},
]


def _box(shape, seed):
    """A box as RandomResizedCrop draws it (default scale and ratio), from a seed."""
    import torch
    from torchvision.transforms import RandomResizedCrop

    torch.manual_seed(seed)
    return [int(v) for v in RandomResizedCrop.get_params(torch.zeros(shape[:2]), scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3))]


def cases():
    rng = np.random.default_rng(5)

    def image(*shape):
        return rng.integers(0, 256, size=shape).astype(np.uint8)

    grey, colour, small = image(12, 16), image(10, 14, 3), image(12, 16)
    return [
        {"name": "gris 12×16, caja sorteada", "args": {"img": grey, "box": _box(grey.shape, 0), "size": [8, 8]}},
        {"name": "color, salida no cuadrada", "args": {"img": colour, "box": _box(colour.shape, 1), "size": [6, 9]}},
        {"name": "caja pequeña ampliada", "args": {"img": small, "box": _box(small.shape, 3), "size": [9, 7]}},
        {"name": "caja en la esquina inferior derecha", "args": {"img": image(7, 9), "box": [3, 4, 4, 5], "size": [5, 3]}},
        {"name": "toda la imagen, mismo tamaño", "args": {"img": image(5, 6, 3), "box": [0, 0, 5, 6], "size": [5, 6]}},
    ]


def reference(img, box, size):
    import torch
    from torchvision.transforms import InterpolationMode
    from torchvision.transforms import functional as TF

    top, left, h, w = box
    chw = torch.from_numpy(img).reshape(img.shape[0], img.shape[1], -1).permute(2, 0, 1)
    out = TF.resized_crop(chw, top, left, h, w, list(size), interpolation=InterpolationMode.NEAREST)
    return out.permute(1, 2, 0).numpy().reshape(tuple(size) + img.shape[2:])
