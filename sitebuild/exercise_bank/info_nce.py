"""info_nce: CLIP's symmetric contrastive loss, checked against F.normalize and F.cross_entropy."""

import numpy as np

TITLE = "La pérdida contrastiva de CLIP"
FUNCTION = "info_nce"

STATEMENT = r"""
Escribe `info_nce(img, txt, temperature)`: la pérdida **contrastiva simétrica** con que se
entrena CLIP. `img` y `txt` son matrices $N \times d$: la fila $i$ de `img` es la imagen
que describe la fila $i$ de `txt`, y las demás filas del lote hacen de negativos.

1. Normaliza cada fila a norma 1 (pueden venir sin normalizar): $\hat x_i$, $\hat y_j$.
2. Las puntuaciones son los cosenos divididos por la temperatura $\tau$,
   $z_{ij} = \hat x_i \cdot \hat y_j \,/\, \tau$: la diagonal de $Z$ son las parejas correctas.
3. La pérdida es la media de dos entropías cruzadas con las clases $0, \dots, N-1$, la de
   las filas de $Z$ (cada imagen frente a los textos) y la de las filas de $Z^\top$:

$$
\begin{aligned}
L = \frac{1}{2}\Big[&-\frac{1}{N}\sum_i \log \frac{e^{z_{ii}}}{\sum_j e^{z_{ij}}} \\
&-\frac{1}{N}\sum_j \log \frac{e^{z_{jj}}}{\sum_i e^{z_{ij}}}\Big].
\end{aligned}
$$

Devuelve un número. Con $\tau$ pequeña las puntuaciones llegan a miles: calcula el
logaritmo de la suma de exponenciales restando el máximo de cada fila.

La referencia es PyTorch: `F.normalize` y dos `F.cross_entropy` con `torch.arange(N)`.
{ .reading-only }
"""

STARTER = '''import numpy as np

def info_nce(img, txt, temperature):
    """Pérdida contrastiva simétrica de CLIP (media sobre el lote)."""
    logits = img @ txt.T
    n = len(logits)
    # 1. normaliza las filas, 2. divide por la temperatura,
    # 3. entropía cruzada de las filas y de las columnas con las clases 0..n-1
    return 0.0
'''

SOLUTION = '''import numpy as np

def entropia_cruzada(z):
    """Entropía cruzada media de cada fila de z con la clase de su diagonal."""
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(z)
    return -log_p[np.arange(n), np.arange(n)].mean()

def info_nce(img, txt, temperature):
    """Pérdida contrastiva simétrica de CLIP (media sobre el lote)."""
    img = img / np.linalg.norm(img, axis=1, keepdims=True)
    txt = txt / np.linalg.norm(txt, axis=1, keepdims=True)
    logits = img @ txt.T / temperature
    return (entropia_cruzada(logits) + entropia_cruzada(logits.T)) / 2
'''

HINTS = [
    "Las imágenes eligen texto por filas de `logits` y los textos eligen imagen por columnas: "
    "la segunda entropía cruzada es la misma función aplicada a `logits.T`.",
    "La clase correcta de la fila $i$ es $i$: su logaritmo de probabilidad es "
    "`log_p[np.arange(n), np.arange(n)]`, la diagonal.",
    "Con $\\tau = 0{,}001$ los cosenos se convierten en puntuaciones de hasta 1000 y `np.exp` "
    "desborda: calcula $\\log p = z - m - \\log \\sum e^{z - m}$ con $m$ el máximo de la fila.",
]

KNOWN_WRONG = [
    {"replace": ("(entropia_cruzada(logits) + entropia_cruzada(logits.T)) / 2", "entropia_cruzada(logits)"),
     "message": "Caso «N = 2, a mano»"},  # only images -> texts
    {"code": SOLUTION.replace("    img = img / np.linalg.norm(img, axis=1, keepdims=True)\n", "")
                     .replace("    txt = txt / np.linalg.norm(txt, axis=1, keepdims=True)\n", ""),
     "message": "Caso «filas sin normalizar»"},  # dot products instead of cosines
    {"replace": ("img @ txt.T / temperature", "img @ txt.T * temperature"),
     "message": "Caso «N = 2, a mano»"},
    {"replace": ("    z = z - z.max(axis=1, keepdims=True)\n", ""),  # exp(1000) = inf
     "message": "Caso «temperatura 0,001»"},
]


def _unit_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def cases():
    rng = np.random.default_rng(90)
    # Cosines [[1, 0.6], [0, 0.8]]: with tau = 0.5 the scores are [[2, 1.2], [0, 1.6]], and
    # the row and column cross-entropies differ (the matrix is not symmetric).
    hand = {"img": np.array([[1.0, 0.0], [0.0, 1.0]]), "txt": np.array([[1.0, 0.0], [0.6, 0.8]]), "temperature": 0.5}
    img8, txt8 = _unit_rows(rng.normal(size=(8, 16))), _unit_rows(rng.normal(size=(8, 16)))
    pairs = _unit_rows(rng.normal(size=(4, 6)))  # texts near their images, some nearer another: a loss near 1
    return [
        {"name": "N = 2, a mano", "args": hand},
        {"name": "N = 8 al azar", "args": {"img": img8, "txt": txt8, "temperature": 0.07}},
        {"name": "temperatura 0,01",
         "args": {"img": pairs, "txt": _unit_rows(pairs + rng.normal(size=(4, 6))), "temperature": 0.01}},
        {"name": "temperatura 0,001",
         "args": {"img": img8, "txt": _unit_rows(img8 + 0.5 * rng.normal(size=(8, 16))), "temperature": 0.001}},
        {"name": "filas sin normalizar",
         "args": {"img": 5.0 * rng.normal(size=(5, 3)), "txt": 0.2 * rng.normal(size=(5, 3)), "temperature": 0.1}},
    ]


def reference(img, txt, temperature):
    import torch
    import torch.nn.functional as F

    i = F.normalize(torch.from_numpy(img), dim=1)
    t = F.normalize(torch.from_numpy(txt), dim=1)
    logits = i @ t.T / temperature
    labels = torch.arange(len(logits))
    return float((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2)
