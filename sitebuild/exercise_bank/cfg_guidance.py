"""guided_eps: classifier-free guidance, checked against the course's own sampler code."""

import numpy as np

TITLE = "La guía sin clasificador"
FUNCTION = "guided_eps"

STATEMENT = r"""
Escribe `guided_eps(eps_cond, eps_uncond, s)`: la predicción de ruido **guiada** de la
guía sin clasificador, a partir de la predicción con la clase ($\varepsilon(x_t, y)$,
`eps_cond`) y sin ella ($\varepsilon(x_t, \varnothing)$, `eps_uncond`), con la escala
$s$ del código del curso:

$$
\tilde\varepsilon = \varepsilon(x_t, \varnothing) + s\,\bigl(\varepsilon(x_t, y) - \varepsilon(x_t, \varnothing)\bigr).
$$

$s = 0$ es incondicional, $s = 1$ condicional sin guía, $s > 1$ exagera la clase
(Ho y Salimans escriben $w = s - 1$). La referencia es `_guided_eps` de
`lecture_models.models.diffusion`, con un modelo que devuelve esas dos predicciones.
"""

STARTER = '''import numpy as np

def guided_eps(eps_cond, eps_uncond, s):
    """Predicción de ruido con guía de escala s."""
    return eps_cond
'''

SOLUTION = '''import numpy as np

def guided_eps(eps_cond, eps_uncond, s):
    """Predicción de ruido con guía de escala s."""
    return eps_uncond + s * (eps_cond - eps_uncond)
'''

HINTS = [
    "La diferencia `eps_cond - eps_uncond` apunta hacia «más de la clase»: se escala por $s$.",
    "Comprueba los extremos: con $s = 0$ debe salir `eps_uncond` y con $s = 1$, `eps_cond`.",
]

KNOWN_WRONG = [  # Ho & Salimans' formula read with our s as their w
    {"replace": ("eps_uncond + s * (eps_cond - eps_uncond)", "(1 + s) * eps_cond - s * eps_uncond"),
     "message": "Caso «s = 1: condicional sin guía»"},
]


def cases():
    rng = np.random.default_rng(8)
    cond, uncond = rng.normal(size=(2, 3, 3))
    return [
        {"name": "s = 1: condicional sin guía", "args": {"eps_cond": cond, "eps_uncond": uncond, "s": 1.0}},
        {"name": "s = 0: incondicional", "args": {"eps_cond": cond, "eps_uncond": uncond, "s": 0.0}},
        {"name": "s = 3", "args": {"eps_cond": cond, "eps_uncond": uncond, "s": 3.0}},
        {"name": "s = 7.5, otra forma", "args": {"eps_cond": rng.normal(size=(2, 5)), "eps_uncond": rng.normal(size=(2, 5)), "s": 7.5}},
    ]


def reference(eps_cond, eps_uncond, s):
    import torch

    from lecture_models.models.diffusion import _guided_eps

    class TwoAnswers(torch.nn.Module):
        """A stand-in denoiser: eps_cond for a real label, eps_uncond for the "no class" token."""

        num_classes = 10

        def forward(self, x, t, y):
            c, u = torch.from_numpy(eps_cond), torch.from_numpy(eps_uncond)
            return torch.stack([u if int(label) == self.num_classes else c for label in y])

    x = torch.zeros((1,) + eps_cond.shape, dtype=torch.float64)
    out = _guided_eps(TwoAnswers(), x, torch.tensor(0), torch.tensor([7]), s)
    return out[0].numpy()
