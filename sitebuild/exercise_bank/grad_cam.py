"""grad_cam: Grad-CAM's map weights and heat map from a layer's maps and their gradients.

The cases' maps A and gradients dy/dA come from a tiny real CNN through autograd
(`tiny_network`, hooked on its first ReLU). The reference never restates the formulas:
it runs the lecture's own `lecture_models.gradcam.grad_cam` (hook, autograd.grad, the two
equations, the normalisation) on a network whose hooked layer outputs A and whose class
score has gradient dA (an identity followed by a linear layer with weights dA), and
gets alpha by autograd as the derivative of the score with respect to a constant added
to each map, divided by the number of positions.
"""

import numpy as np

TITLE = "Grad-CAM: los pesos de los mapas y el mapa de calor"
FUNCTION = "grad_cam"
OUTPUTS = ["alpha", "mapa"]

STATEMENT = r"""
Escribe `grad_cam(A, dA)`: `A` son los $K$ mapas de activación de la última capa
convolucional para una imagen, de forma $(K, h, w)$, y `dA` el gradiente de la
puntuación de la clase elegida, $\partial y^c / \partial A$, de la misma forma (la
pasada hacia atrás ya está hecha). Devuelve `alpha, mapa`:

$$
\alpha_k = \frac{1}{h\,w} \sum_{i}\sum_{j} \frac{\partial y^c}{\partial A^k_{ij}},
\qquad
L = \operatorname{ReLU}\Big(\sum_k \alpha_k A^k\Big),
\qquad
\text{mapa} = \frac{L}{\max_{ij} L_{ij}} ,
$$

`alpha` de forma $(K,)$ y `mapa` de forma $(h, w)$ con valores en $[0, 1]$. Si $L$ es
todo ceros, el mapa es todo ceros (no dividas $0/0$).

<div class="reading-only" markdown="1">

Es la misma normalización que usa `lecture_models/gradcam.py` para dibujar; $L$ es todo
ceros cuando ningún píxel tiene evidencia a favor. Los casos salen de una red pequeña de verdad
(convolución, ReLU, convolución, capa lineal): `A` es la salida de su primera ReLU y `dA`
lo que da `torch.autograd`. La referencia es la función `grad_cam` de la lección.

</div>
"""

STARTER = '''import numpy as np

def grad_cam(A, dA):
    """Pesos alpha (K,) y mapa de Grad-CAM (h, w) normalizado a [0, 1]."""
    alpha = np.zeros(A.shape[0])
    # 1. alpha: la media de cada mapa de gradientes
    # 2. la suma de los mapas ponderada por alpha, la ReLU y la normalización
    mapa = A.sum(axis=0)
    return alpha, mapa
'''

SOLUTION = '''import numpy as np

def grad_cam(A, dA):
    """Pesos alpha (K,) y mapa de Grad-CAM (h, w) normalizado a [0, 1]."""
    alpha = dA.mean(axis=(1, 2))                   # una media por mapa
    L = np.maximum(np.tensordot(alpha, A, axes=1), 0)
    maximo = L.max()
    mapa = L / maximo if maximo > 0 else np.zeros_like(L)
    return alpha, mapa
'''

HINTS = [
    "`alpha` tiene un número por mapa: la media de `dA` sobre los dos ejes espaciales, `dA.mean(axis=(1, 2))`.",
    "La suma ponderada es `np.tensordot(alpha, A, axes=1)` (o `(alpha[:, None, None] * A).sum(axis=0)`); "
    "la ReLU, `np.maximum(..., 0)`, deja solo lo que **aumenta** la puntuación.",
    "Si todos los $\\alpha_k$ son negativos, $L$ puede ser todo ceros: comprueba el máximo antes de dividir.",
]

KNOWN_WRONG = [
    {"replace": ("L = np.maximum(np.tensordot(alpha, A, axes=1), 0)", "L = np.tensordot(alpha, A, axes=1)"),
     "message": "Caso «a mano» (A de forma (2, 2, 3), dA de forma (2, 2, 3)): «mapa»: en la posición (0, 1) "
                "tu resultado vale -0.75 y debería valer 0"},  # the ReLU forgotten
    {"replace": ("alpha = dA.mean(axis=(1, 2))", "alpha = dA.sum(axis=(1, 2))"),
     "message": "Caso «a mano» (A de forma (2, 2, 3), dA de forma (2, 2, 3)): «alpha»: en la posición (0,) "
                "tu resultado vale 3"},  # a sum, not a mean (the map, normalised, does not see it)
    {"replace": ("mapa = L / maximo if maximo > 0 else np.zeros_like(L)", "mapa = L / maximo"),
     "message": "Caso «todo en contra»"},  # 0/0
    {"replace": ("mapa = L / maximo if maximo > 0 else np.zeros_like(L)", "mapa = L"),
     "message": "Caso «red pequeña, clase predicha»"},  # not normalised (the hand case's maximum is 1)
]

ATOL = 1e-9  # the tiny network's alphas are of order 1e-3


def tiny_network(seed, k, classes=3):
    """image (1, h, w) -> conv 3×3 (k maps, padding 1) -> ReLU [A] -> conv 3×3 -> ReLU -> linear."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, k, 3, padding=1), nn.ReLU(), nn.Conv2d(k, 4, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.LazyLinear(classes)).double()


def maps_and_gradients(seed, k, h, w, rank=0):
    """A (the first ReLU's output) and dy^c/dA for the class ranked `rank` by the network."""
    import torch

    net = tiny_network(seed, k)
    image = torch.randn(1, 1, h, w, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    net(image)  # LazyLinear takes its size
    store = {}
    hook = net[1].register_forward_hook(lambda module, inputs, output: store.__setitem__("a", output))
    logits = net(image)
    hook.remove()
    target = int(logits[0].argsort(descending=True)[rank])
    (grad,) = torch.autograd.grad(logits[0, target], store["a"])
    return net, image, target, store["a"][0].detach().numpy(), grad[0].numpy()


def cases():
    by_hand_a = np.array([[[1.0, 0, 2], [0, 1, 1]], [[0, 3, 0], [1, 0, 2]]])
    by_hand_da = np.array([[[1.0, 0, 1], [0, 1, 0]], [[-1, 0, 0], [0, -0.5, 0]]])  # alpha = (0.5, -0.25)
    out = [{"name": "a mano", "args": {"A": by_hand_a, "dA": by_hand_da}}]
    for name, seed, k, h, w, rank in [("red pequeña, clase predicha", 0, 4, 6, 7, 0),
                                      ("red pequeña, segunda clase", 0, 4, 6, 7, 1),
                                      ("un solo mapa", 4, 1, 4, 5, 0)]:
        *_, a, da = maps_and_gradients(seed, k, h, w, rank)
        out.append({"name": name, "args": {"A": a, "dA": da}})
    against = np.abs(np.random.default_rng(7).normal(size=(3, 3, 4)))
    out.append({"name": "todo en contra", "args": {"A": against, "dA": -against[::-1].copy()}})  # every alpha < 0
    return out


def reference(A, dA):
    import torch
    import torch.nn as nn

    from lecture_models.gradcam import grad_cam

    k, h, w = A.shape
    head = nn.Linear(k * h * w, 2, bias=False).double()
    with torch.no_grad():
        head.weight[0] = torch.from_numpy(dA).flatten()  # class 0's score: sum of dA * A
        head.weight[1] = -head.weight[0]
    net = nn.Sequential(nn.Identity(), nn.Flatten(), head)
    cam, _ = grad_cam(net, net[0], torch.from_numpy(A)[None], target=0)
    offsets = torch.zeros(k, dtype=torch.float64, requires_grad=True)
    score = net((torch.from_numpy(A) + offsets[:, None, None])[None])[0, 0]
    (alpha,) = torch.autograd.grad(score, offsets)
    return [(alpha / (h * w)).numpy(), cam[0].numpy()]
