"""attention: scaled dot-product attention with an optional mask, as PyTorch's SDPA computes it."""

import numpy as np

TITLE = "La atención de producto escalado"
FUNCTION = "attention"

STATEMENT = r"""
Escribe `attention(q, k, v, mask=None)`: la **atención de producto escalado** de un
transformer. `q` tiene forma $(\dots, L_q, d_k)$ (una fila por consulta), `k` forma
$(\dots, L_k, d_k)$ (una fila por clave) y `v` forma $(\dots, L_k, d_v)$; los ejes
iniciales (lote, cabezas) pueden ser cualesquiera y se tratan por separado. Devuelve

$$
\operatorname{Atención}(\mathbf{Q}, \mathbf{K}, \mathbf{V}) = \operatorname{softmax}\!\left(\frac{\mathbf{Q} \mathbf{K}^\top}{\sqrt{d_k}}\right) \mathbf{V},
$$

de forma $(\dots, L_q, d_v)$, con la *softmax* **a lo largo de las claves** (cada fila de
pesos suma 1). `mask`, si se da, es un *array* de `bool` que se difunde a
$(\dots, L_q, L_k)$: `True` significa «puede atender» y `False` que esa clave recibe peso
$0$. Calcula la *softmax* restando el máximo de cada fila.

`False` marca, por ejemplo, las posiciones de relleno de una frase corta. La *softmax*
estable importa: las puntuaciones pueden valer miles.
{ .reading-only }

La referencia es `torch.nn.functional.scaled_dot_product_attention`, cuya `attn_mask`
booleana tiene el mismo sentido (`True` = atender). Ninguna fila tiene todas sus claves
enmascaradas.
{ .reading-only }
"""

STARTER = '''import numpy as np

def attention(q, k, v, mask=None):
    """Atención de producto escalado sobre los dos últimos ejes."""
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2)    # (..., Lq, Lk)
    # 1. escala, 2. aplica la máscara, 3. softmax estable por filas
    return scores @ v
'''

SOLUTION = '''import numpy as np

def attention(q, k, v, mask=None):
    """Atención de producto escalado sobre los dos últimos ejes."""
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)    # (..., Lq, Lk)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)          # exp(-inf) = 0
    scores = scores - scores.max(axis=-1, keepdims=True)
    pesos = np.exp(scores)
    pesos = pesos / pesos.sum(axis=-1, keepdims=True)
    return pesos @ v
'''

HINTS = [
    "Cada consulta reparte su atención entre las claves: la softmax va por el último eje "
    "(`axis=-1`) de `q @ np.swapaxes(k, -1, -2)`, y `keepdims=True` mantiene la forma para dividir.",
    "Pon `-np.inf` en las puntuaciones enmascaradas **antes** de la softmax (`np.where(mask, s, -np.inf)`): "
    "su exponencial es 0 y el resto de la fila sigue sumando 1.",
    "`np.exp(2000.0)` es `inf`: resta a cada fila su máximo antes de la exponencial; el resultado no cambia.",
]

_SOFTMAX_BY_HAND = '''import numpy as np

def attention(q, k, v, mask=None):
    """Atención de producto escalado sobre los dos últimos ejes."""
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    scores = scores - scores.max(axis=-1, keepdims=True)
    pesos = np.exp(scores)
    pesos = pesos / pesos.sum(axis=-1, keepdims=True)
    if mask is not None:
        pesos = pesos * mask
    return pesos @ v
'''

KNOWN_WRONG = [
    {"replace": (" / np.sqrt(d_k)", ""),  # no scaling by the square root of d_k
     "message": "Caso «2-D: 4 consultas, 4 claves»"},
    {"code": SOLUTION.replace("axis=-1", "axis=-2"),  # normalised over the queries
     "message": "Caso «2-D: 4 consultas, 4 claves»"},
    {"code": _SOFTMAX_BY_HAND,  # mask applied after the softmax, rows no longer sum to 1
     "message": "Caso «máscara de relleno»"},
    {"replace": ("    scores = scores - scores.max(axis=-1, keepdims=True)\n", ""),  # exp overflows
     "message": "Caso «puntuaciones de miles» (q de forma (3, 4), k de forma (5, 4), v de forma (5, 2)): en la posición (0, 0) tu resultado vale nan"},
]


def cases():
    rng = np.random.default_rng(9)
    # Padding: sentence 0 has 5 real tokens, sentence 1 only 3 (keys 3 and 4 are padding).
    padding = np.array([[True] * 5, [True] * 3 + [False] * 2]).reshape(2, 1, 1, 5)
    # Scores near 2000 that differ by a few units: a softmax that is not one-hot, but
    # np.exp(2000) overflows unless the row maximum is subtracted first.
    big_q = np.hstack([np.full((3, 1), 40.0), rng.normal(size=(3, 3))])
    big_k = np.hstack([np.full((5, 1), 100.0), rng.normal(size=(5, 3))])
    return [
        {"name": "2-D: 4 consultas, 4 claves",
         "args": {"q": rng.normal(size=(4, 3)), "k": rng.normal(size=(4, 3)), "v": rng.normal(size=(4, 2))}},
        {"name": "lote de 2, 4 cabezas",
         "args": {"q": rng.normal(size=(2, 4, 5, 8)), "k": rng.normal(size=(2, 4, 5, 8)), "v": rng.normal(size=(2, 4, 5, 8))}},
        {"name": "atención cruzada: 6 consultas, 3 claves",
         "args": {"q": rng.normal(size=(6, 4)), "k": rng.normal(size=(3, 4)), "v": rng.normal(size=(3, 5))}},
        {"name": "máscara de relleno",
         "args": {"q": rng.normal(size=(2, 2, 5, 4)), "k": rng.normal(size=(2, 2, 5, 4)), "v": rng.normal(size=(2, 2, 5, 3)),
                  "mask": padding}},
        {"name": "máscara causal",
         "args": {"q": rng.normal(size=(4, 4)), "k": rng.normal(size=(4, 4)), "v": rng.normal(size=(4, 3)),
                  "mask": np.tril(np.ones((4, 4), dtype=bool))}},
        {"name": "puntuaciones de miles",
         "args": {"q": big_q, "k": big_k, "v": rng.normal(size=(5, 2))}},
    ]


def reference(q, k, v, mask=None):
    import torch
    import torch.nn.functional as F

    attn_mask = None if mask is None else torch.from_numpy(mask)
    out = F.scaled_dot_product_attention(torch.from_numpy(q), torch.from_numpy(k), torch.from_numpy(v),
                                         attn_mask=attn_mask)
    return out.numpy()
