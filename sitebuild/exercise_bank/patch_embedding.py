"""patch_embedding: a ViT's patch embedding, checked against conv2d with stride = patch."""

import numpy as np

TITLE = "La incrustación de parches de un ViT"
FUNCTION = "patch_embedding"

STATEMENT = r"""
Escribe `patch_embedding(image, weight, bias, patch)`: la primera capa de un
*Vision Transformer*, que convierte una imagen en una secuencia de *tokens*. `image`
tiene forma $(C, H, W)$, `weight` forma $(d, C, p, p)$ y `bias` forma $(d,)$, con
$p$ = `patch`.

1. Corta la imagen en parches de $p \times p$ que no se solapan, **por filas**: primero
   los de la fila de arriba, de izquierda a derecha, luego los de la segunda fila, etc.
2. Aplana cada parche en el orden $(C, p_h, p_w)$, el de `weight[j]`: un vector de
   $C\,p^2$ números.
3. Proyéctalo: el token $n$ es $t_{n} = W\,x_n + b$, con $W$ = `weight` aplanado a
   $d \times C p^2$.

Devuelve una matriz de $N \times d$, un token por fila, con $N = (H/p)\,(W/p)$. Si $H$ o
$W$ no son múltiplos de $p$, lanza un `ValueError` con un mensaje que lo diga.

<div class="reading-only" markdown="1">

**Antes de escribir código, calcula las formas.** Dos ejemplos resueltos:

| Imagen $(C, H, W)$ | $p$ | Parches | Números por parche | Salida |
|---|---|---|---|---|
| MNIST, $1 \times 28 \times 28$ | 4 | $7 \times 7 = 49$ | $1 \cdot 4 \cdot 4 = 16$ | $(49, d)$ |
| ViT-B/16, $3 \times 224 \times 224$ | 16 | $14 \times 14 = 196$ | $3 \cdot 16 \cdot 16 = 768$ | $(196, 768)$ con $d = 768$ |

¿Y una imagen $3 \times 32 \times 32$ con $p = 8$? ¿Y con $p = 5$?

La referencia es `torch.nn.functional.conv2d` con `stride=patch`, cuya salida
$(d, H/p, W/p)$ se aplana y se traspone: un ViT calcula sus parches con una convolución.

</div>
"""

STARTER = '''import numpy as np

def patch_embedding(image, weight, bias, patch):
    """Tokens (N, d) de los parches patch×patch de image (C, H, W)."""
    C, H, W = image.shape
    d = weight.shape[0]
    # 1. comprueba que H y W son múltiplos de patch
    # 2. recorta los parches por filas y aplana cada uno en orden (C, ph, pw)
    # 3. proyecta con weight (d, C, patch, patch) y suma bias
    return np.zeros((d,))
'''

SOLUTION = '''import numpy as np

def patch_embedding(image, weight, bias, patch):
    """Tokens (N, d) de los parches patch×patch de image (C, H, W)."""
    C, H, W = image.shape
    d = weight.shape[0]
    if H % patch or W % patch:
        raise ValueError(f"La imagen de {H}×{W} no se divide en parches de {patch}×{patch}: "
                         f"el alto y el ancho deben ser múltiplos de {patch}.")
    nh, nw = H // patch, W // patch
    x = image.reshape(C, nh, patch, nw, patch)    # (C, fila, ph, columna, pw)
    x = x.transpose(1, 3, 0, 2, 4)                # (fila, columna, C, ph, pw)
    x = x.reshape(nh * nw, C * patch * patch)     # un parche aplanado por fila
    return x @ weight.reshape(d, -1).T + bias
'''

HINTS = [
    "`image.reshape(C, H // p, p, W // p, p)` separa cada eje en «qué parche» y «dónde dentro del "
    "parche»; falta ordenar los ejes con `transpose`.",
    "El orden de los tokens lo dan los dos primeros ejes tras el `transpose`: (fila de parches, "
    "columna de parches) recorre por filas. Los tres últimos deben ser (C, ph, pw), como en `weight`.",
    "Con los parches como filas de una matriz $N \\times C p^2$, la proyección es un producto: "
    "`x @ weight.reshape(d, -1).T + bias`.",
]

KNOWN_WRONG = [
    {"replace": ("x.transpose(1, 3, 0, 2, 4)", "x.transpose(3, 1, 0, 2, 4)"),  # patches column by column
     "message": "Caso «4×4, un canal, parche 2»"},
    {"replace": ("x.transpose(1, 3, 0, 2, 4)", "x.transpose(1, 3, 2, 4, 0)"),  # flattened (ph, pw, C)
     "message": "Caso «RGB 6×4, parche 2»"},
]


def cases():
    rng = np.random.default_rng(16)

    def layer(d, c, p):
        return {"weight": rng.normal(size=(d, c, p, p)) / p, "bias": rng.normal(size=d)}

    return [
        # Ones and no bias: each token is the sum of its patch, [[10], [18], [42], [50]].
        {"name": "4×4, un canal, parche 2",
         "args": {"image": np.arange(16.0).reshape(1, 4, 4), "weight": np.ones((1, 1, 2, 2)), "bias": np.zeros(1), "patch": 2}},
        {"name": "RGB 6×4, parche 2", "args": {"image": rng.normal(size=(3, 6, 4)), **layer(5, 3, 2), "patch": 2}},
        {"name": "MNIST 28×28, parche 4: 49 tokens", "args": {"image": rng.random((1, 28, 28)), **layer(8, 1, 4), "patch": 4}},
        {"name": "parche 1: un token por píxel", "args": {"image": rng.normal(size=(2, 3, 3)), **layer(4, 2, 1), "patch": 1}},
        {"name": "un solo parche: toda la imagen", "args": {"image": rng.normal(size=(3, 5, 5)), **layer(6, 3, 5), "patch": 5}},
    ]


def reference(image, weight, bias, patch):
    import torch
    import torch.nn.functional as F

    _, H, W = image.shape
    if H % patch or W % patch:  # conv2d would silently drop the last rows and columns
        raise ValueError(f"{H}×{W} is not divisible into {patch}×{patch} patches")
    maps = F.conv2d(torch.from_numpy(image)[None], torch.from_numpy(weight), torch.from_numpy(bias), stride=patch)
    return maps[0].flatten(1).T.numpy()  # (d, H/p, W/p) -> (N, d), row-major patches
