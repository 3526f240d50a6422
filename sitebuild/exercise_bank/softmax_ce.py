"""softmax_cross_entropy: a numerically stable softmax and the mean cross-entropy, as PyTorch's."""

import numpy as np

TITLE = "Softmax estable y entropía cruzada"
FUNCTION = "softmax_cross_entropy"
OUTPUTS = ["probs", "loss"]

STATEMENT = r"""
Escribe `softmax_cross_entropy(logits, target)`: `logits` es una matriz $N \times M$
(una fila de puntuaciones por imagen) y `target` un vector de $N$ clases correctas
(enteros de $0$ a $M-1$; $M$ clases). Devuelve `probs, loss`: la *softmax* de cada fila y la entropía
cruzada **media**,

$$
p_{ic} = \frac{e^{z_{ic} - m_i}}{\sum_{c'} e^{z_{ic'} - m_i}}, \quad m_i = \max_c z_{ic},
\qquad L = -\frac{1}{N}\sum_i \log p_{i,\,t_i} .
$$

Es el **truco log-sum-exp**: restar a cada fila su máximo $m_i$ no cambia el resultado
y deja todos los exponentes $\le 0$, así que `np.exp` ya no desborda.

<div class="reading-only" markdown="1">

$$
\log \sum_c e^{z_{ic}} = m_i + \log \sum_c e^{z_{ic} - m_i} .
$$

La fórmula de los libros, $e^{z_{ic}} / \sum_{c'} e^{z_{ic'}}$, escrita tal cual, da
`inf / inf = nan` en el caso «puntuaciones enormes» (*logits* de 1000) y no pasa. Calcula
también $\log p_{i,t_i} = z_{i,t_i} - m_i - \log \sum_c e^{z_{ic} - m_i}$ directamente, sin
tomar el logaritmo de una probabilidad que puede redondearse a $0$. Las referencias son
`torch.softmax` y `F.cross_entropy`.

</div>
"""

STARTER = '''import numpy as np

def softmax_cross_entropy(logits, target):
    """Softmax por filas y entropía cruzada media."""
    e = np.exp(logits)
    probs = e / e.sum(axis=1, keepdims=True)
    loss = 0.0
    return probs, loss
'''

SOLUTION = '''import numpy as np

def softmax_cross_entropy(logits, target):
    """Softmax por filas y entropía cruzada media."""
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    loss = -log_probs[np.arange(len(target)), target].mean()
    return probs, loss
'''

HINTS = [
    "Truco log-sum-exp: $\\log \\sum_c e^{z_c} = m + \\log \\sum_c e^{z_c - m}$ con $m = \\max_c z_c$. "
    "`np.exp(1000.0)` es `inf`, así que resta a cada fila su máximo antes de la exponencial "
    "(`logits.max(axis=1, keepdims=True)`).",
    "La probabilidad de la clase correcta de cada fila es `probs[np.arange(N), target]`.",
    "Para que el logaritmo no dé `-inf`, calcula $\\log p$ directamente: $z - m - \\log \\sum e^{z - m}$.",
]

KNOWN_WRONG = [  # the textbook formula, without subtracting the maximum
    {"code": STARTER.replace("    loss = 0.0\n", "    loss = -np.log(probs[np.arange(len(target)), target]).mean()\n"),
     "message": "Caso «puntuaciones enormes» (logits de forma (2, 3), target de forma (2,)): «probs»: en la posición (0, 0) tu resultado vale nan"},
    # the maximum subtracted, but the log of a probability that underflowed to 0
    {"replace": ("loss = -log_probs[np.arange(len(target)), target].mean()",
                 "loss = -np.log(probs[np.arange(len(target)), target]).mean()"),
     "message": "Caso «puntuaciones enormes» (logits de forma (2, 3), target de forma (2,)): «loss»: devolvió inf"},
]


def cases():
    rng = np.random.default_rng(3)
    return [
        {"name": "tres clases", "args": {"logits": np.array([[2.0, 1.0, 0.1]]), "target": np.array([0])}},
        {"name": "lote de cuatro", "args": {"logits": rng.normal(size=(4, 5)), "target": np.array([1, 0, 4, 2])}},
        {"name": "puntuaciones enormes", "args": {"logits": np.array([[1000.0, 1001.0, 1002.0], [-5.0, 800.0, 0.0]]), "target": np.array([2, 0])}},
        {"name": "una sola clase", "args": {"logits": np.array([[3.0], [-2.0]]), "target": np.array([0, 0])}},
    ]


def reference(logits, target):
    import torch
    import torch.nn.functional as F

    z, t = torch.from_numpy(logits), torch.from_numpy(target)
    return [torch.softmax(z, dim=1).numpy(), float(F.cross_entropy(z, t))]
