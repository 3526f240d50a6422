"""q_sample: DDPM's forward noising q(x_t | x_0), checked against lecture_models' NoiseSchedule."""

import numpy as np

TITLE = "Difusión: el ruido hacia delante, q(x_t | x_0)"
FUNCTION = "q_sample"

STATEMENT = r"""
Escribe `q_sample(x0, t, noise, betas)`: la imagen ruidosa de un DDPM en el instante que indica `t`,
en un solo salto desde la imagen limpia `x0`:

$$
x = \sqrt{\bar\alpha}\, x_0 + \sqrt{1 - \bar\alpha}\, \varepsilon, \qquad
\bar\alpha = \prod_{s=0}^{t} (1 - \beta_s),
$$

con `noise` $= \varepsilon$ (de la misma forma que `x0`), `betas` el vector del
calendario de ruido y `t` un índice **desde 0**, como en el código del curso: `t` es el
instante $t + 1$ del texto ([notación](notacion.md#difusion)), y `t = 0` ya lleva ruido.

La referencia es `NoiseSchedule.q_sample` de `lecture_models.models.diffusion`.
{ .reading-only }
"""

STARTER = '''import numpy as np

def q_sample(x0, t, noise, betas):
    """x_t en un solo salto desde x0."""
    alpha_bar = 1 - betas[t]
    return np.sqrt(alpha_bar) * x0 + np.sqrt(1 - alpha_bar) * noise
'''

SOLUTION = '''import numpy as np

def q_sample(x0, t, noise, betas):
    """x_t en un solo salto desde x0."""
    alpha_bar = np.prod(1 - betas[:t + 1])
    return np.sqrt(alpha_bar) * x0 + np.sqrt(1 - alpha_bar) * noise
'''

HINTS = [
    "$\\bar\\alpha_t$ es un **producto** acumulado: `np.cumprod(1 - betas)[t]` o `np.prod(1 - betas[:t + 1])`.",
    "Con `t = 0` solo entra $\\beta_0$: la imagen apenas cambia.",
    "Las raíces van por separado: $\\sqrt{\\bar\\alpha_t}$ multiplica a la imagen y $\\sqrt{1-\\bar\\alpha_t}$ al ruido.",
]

KNOWN_WRONG = [
    {"replace": ("betas[:t + 1]", "betas[:t]"), "message": "Caso «t = 0»"},
]

RTOL, ATOL = 1e-4, 1e-5  # the reference schedule is stored in float32, as the model uses it


def _schedule(num_steps):
    from lecture_models.models.diffusion import NoiseSchedule

    return NoiseSchedule(num_steps=num_steps)


def cases():
    rng = np.random.default_rng(21)
    betas = _schedule(1000).betas.double().numpy()
    x0 = rng.uniform(-1, 1, size=(4, 4))
    return [
        {"name": "t = 0", "args": {"x0": x0, "t": 0, "noise": rng.normal(size=(4, 4)), "betas": betas}},
        {"name": "t = 250", "args": {"x0": x0, "t": 250, "noise": rng.normal(size=(4, 4)), "betas": betas}},
        {"name": "t = 999 (casi solo ruido)", "args": {"x0": x0, "t": 999, "noise": rng.normal(size=(4, 4)), "betas": betas}},
        {"name": "calendario de 50 instantes", "args": {"x0": rng.uniform(-1, 1, size=(3, 5)), "t": 20,
                                                       "noise": rng.normal(size=(3, 5)), "betas": _schedule(50).betas.double().numpy()}},
    ]


def reference(x0, t, noise, betas):
    import torch

    schedule = _schedule(len(betas))
    out = schedule.q_sample(torch.from_numpy(x0).float(), torch.tensor(t), torch.from_numpy(noise).float())
    return out.reshape(x0.shape).double().numpy()
