"""residual_block: a ResNet BasicBlock's forward pass in inference (BatchNorm with running stats).

The reference is torch.nn.functional (conv2d, batch_norm(training=False)), and it must
agree with the course's own `lecture_models.models.resnet.BasicBlock` in eval mode loaded
with the same weights: the block the lecture shows is the one graded.
"""

import numpy as np

TITLE = "Un bloque residual con BatchNorm en inferencia"
FUNCTION = "residual_block"

STATEMENT = r"""
Escribe `residual_block(x, w1, bn1, w2, bn2, stride=1, w_sc=None, bn_sc=None)`: la pasada
hacia delante del **bloque residual básico** de ResNet-18/34 para una imagen `x` de forma
$(C, H, W)$, **en inferencia** (`model.eval()`):

$$
\begin{aligned}
h &= \operatorname{ReLU}\big(\operatorname{BN}_1(\operatorname{conv}_1(x))\big), \\
\text{salida} &= \operatorname{ReLU}\big(\operatorname{BN}_2(\operatorname{conv}_2(h)) + \text{atajo}(x)\big).
\end{aligned}
$$

- `w1` $(C', C, 3, 3)$ y `w2` $(C', C', 3, 3)$ son convoluciones 3×3 con relleno 1 y sin
  sesgo; el paso `stride` va en la **primera**.
- Cada `bn` es una matriz $4 \times C'$ con, por filas, $\gamma$, $\beta$, la media
  acumulada $\bar\mu$ y la varianza acumulada $\bar\sigma^2$ de cada canal
  (`gamma, beta, media, var = bn`). En inferencia BatchNorm usa esas **estadísticas
  acumuladas** durante el entrenamiento, no las de `x`, con $\varepsilon = 10^{-5}$:
  $y = \gamma\,(x - \bar\mu)/\sqrt{\bar\sigma^2 + \varepsilon} + \beta$, canal a canal.
- El atajo es `x` tal cual si `w_sc` es `None`; si no, es la **proyección**: una
  convolución 1×1 `w_sc` $(C', C, 1, 1)$ con el mismo paso, seguida de `bn_sc`.

El código inicial ya trae, al final, `conv(x, w, stride, padding)`: una convolución de
varios canales como `torch.nn.functional.conv2d`.

La referencia es PyTorch
(`F.conv2d` y `F.batch_norm(..., training=False)`), comprobada contra el `BasicBlock`
de `lecture_models/models/resnet.py` en modo `eval()`.
{ .reading-only }
"""

# The helper both the starter and the solution end with (the student writes what comes
# first: the editor on a slide opens on it).
CONV = '''
# Ya la tienes: como F.conv2d, sin sesgo.
def conv(x, w, stride=1, padding=0):
    """x (C, H, W) con w (C_out, C, k, k)."""
    p, s, k = padding, stride, w.shape[-1]
    x = np.pad(x, ((0, 0), (p, p), (p, p)))
    oh = (x.shape[1] - k) // s + 1
    ow = (x.shape[2] - k) // s + 1
    out = np.zeros((len(w), oh, ow))
    for i in range(oh):
        for j in range(ow):
            v = x[:, i*s:i*s + k, j*s:j*s + k]
            out[:, i, j] = np.tensordot(w, v, 3)
    return out
'''

STARTER = '''import numpy as np

def batch_norm(x, bn, eps=1e-5):
    # BN en inferencia, canal a canal
    return x

def residual_block(x, w1, bn1, w2, bn2,
        stride=1, w_sc=None, bn_sc=None):
    out = conv(x, w1, stride, padding=1)
    # BN1, ReLU, conv2, BN2; la suma
    # con el atajo y la última ReLU
    return out
''' + CONV

SOLUTION = '''import numpy as np

def batch_norm(x, bn, eps=1e-5):
    """BN en inferencia, canal a canal."""
    gamma, beta, media, var = bn[:, :, None, None]    # cada uno de forma (C, 1, 1)
    return gamma * (x - media) / np.sqrt(var + eps) + beta

def residual_block(x, w1, bn1, w2, bn2,
        stride=1, w_sc=None, bn_sc=None):
    """Bloque residual de ResNet en eval()."""
    out = np.maximum(batch_norm(conv(x, w1, stride, padding=1), bn1), 0)
    out = batch_norm(conv(out, w2, 1, padding=1), bn2)
    if w_sc is None:
        atajo = x
    else:
        atajo = batch_norm(conv(x, w_sc, stride), bn_sc)
    return np.maximum(out + atajo, 0)
''' + CONV

HINTS = [
    "En inferencia BatchNorm no mira `x`: usa la media y la varianza acumuladas de `bn`, y "
    "$\\varepsilon = 10^{-5}$ va **dentro** de la raíz. Para operar canal a canal, "
    "`gamma, beta, media, var = bn[:, :, None, None]` da cuatro *arrays* de forma $(C', 1, 1)$.",
    "El orden es conv → BN → ReLU → conv → BN, y la ReLU final va **después** de sumar el atajo: "
    "`np.maximum(out + atajo, 0)`.",
    "La proyección es `batch_norm(conv(x, w_sc, stride), bn_sc)`: sin ella, con paso 2 o con otro número "
    "de canales, `x` no tendría la forma de `out`.",
]

KNOWN_WRONG = [
    {"replace": ("np.sqrt(var + eps)", "np.sqrt(var)"),  # eps forgotten
     "message": "Caso «varianzas acumuladas diminutas (ε cuenta)»"},
    {"replace": ("    return gamma * (x - media)",  # training-mode BN: the statistics of x itself
                 "    media, var = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)\n"
                 "    return gamma * (x - media)"),
     "message": "Caso «atajo identidad» (x de forma (2, 5, 6)"},
    {"replace": ("return np.maximum(out + atajo, 0)", "return np.maximum(out, 0) + atajo"),  # ReLU before the sum
     "message": "Caso «atajo identidad» (x de forma (2, 5, 6)"},
    {"replace": ("atajo = batch_norm(conv(x, w_sc, stride), bn_sc)", "atajo = conv(x, w_sc, stride)"),  # projection without BN
     "message": "Caso «proyección 1×1 con paso 2»"},
    {"replace": ("out = np.maximum(batch_norm(conv(x, w1, stride, padding=1), bn1), 0)\n    out = batch_norm(conv(out, w2, 1, padding=1), bn2)",
                 "out = np.maximum(batch_norm(conv(x, w1, 1, padding=1), bn1), 0)\n    out = batch_norm(conv(out, w2, stride, padding=1), bn2)"),
     "message": "Caso «proyección 1×1 con paso 2»"},  # the stride on the second convolution
]


def _bn(rng, channels, var_range=(5.0, 20.0)):
    """Rows gamma, beta, running mean, running variance."""
    return np.stack([rng.uniform(0.5, 1.5, channels), rng.normal(0, 0.5, channels),
                     rng.normal(0, 0.5, channels), rng.uniform(*var_range, channels)])


def _case(rng, c_in, c_out, h, w, stride=1, project=False, var_range=(5.0, 20.0)):
    args = {"x": rng.normal(size=(c_in, h, w)),
            "w1": rng.normal(0, 0.4, (c_out, c_in, 3, 3)), "bn1": _bn(rng, c_out, var_range),
            "w2": rng.normal(0, 0.4, (c_out, c_out, 3, 3)), "bn2": _bn(rng, c_out, var_range)}
    if stride != 1:
        args["stride"] = stride
    if project:
        args["w_sc"] = rng.normal(0, 0.5, (c_out, c_in, 1, 1))
        args["bn_sc"] = _bn(rng, c_out)
    return args


def cases():
    rng = np.random.default_rng(4)
    return [
        {"name": "atajo identidad", "args": _case(rng, 2, 2, 5, 6)},
        {"name": "varianzas acumuladas diminutas (ε cuenta)", "args": _case(rng, 2, 2, 4, 5, var_range=(1e-4, 1e-3))},
        {"name": "proyección 1×1 con paso 2", "args": _case(rng, 2, 4, 6, 7, stride=2, project=True)},
        {"name": "proyección con paso 1 (solo cambian los canales)", "args": _case(rng, 3, 4, 4, 4, project=True)},
        {"name": "imagen 1×1", "args": _case(rng, 3, 3, 1, 1)},
    ]


def reference(x, w1, bn1, w2, bn2, stride=1, w_sc=None, bn_sc=None):
    import torch
    import torch.nn.functional as F

    t = torch.from_numpy

    def bn(z, p):
        gamma, beta, mean, var = t(p)
        return F.batch_norm(z, mean, var, gamma, beta, training=False, eps=1e-5)

    xt = t(x)[None]
    out = F.relu(bn(F.conv2d(xt, t(w1), stride=stride, padding=1), bn1))
    out = bn(F.conv2d(out, t(w2), padding=1), bn2)
    shortcut = xt if w_sc is None else bn(F.conv2d(xt, t(w_sc), stride=stride), bn_sc)
    out = F.relu(out + shortcut)[0]
    course = _course_block(x, w1, bn1, w2, bn2, stride, w_sc, bn_sc)
    torch.testing.assert_close(out, course, rtol=1e-12, atol=1e-12)
    return out.numpy()


def _course_block(x, w1, bn1, w2, bn2, stride, w_sc, bn_sc, train=False):
    """The same block through lecture_models' BasicBlock, in eval() mode (train() for the tests)."""
    import torch
    import torch.nn as nn

    from lecture_models.models.resnet import BasicBlock, conv1x1

    c_out, c_in = w1.shape[:2]
    downsample = None if w_sc is None else nn.Sequential(conv1x1(c_in, c_out, stride), nn.BatchNorm2d(c_out))
    block = BasicBlock(c_in, c_out, stride, downsample).double().eval()
    params = {"conv1.weight": w1, "conv2.weight": w2}
    layers = {"bn1": bn1, "bn2": bn2} if w_sc is None else {"bn1": bn1, "bn2": bn2, "downsample.1": bn_sc}
    if w_sc is not None:
        params["downsample.0.weight"] = w_sc
    for name, p in layers.items():
        params.update({f"{name}.weight": p[0], f"{name}.bias": p[1],
                       f"{name}.running_mean": p[2], f"{name}.running_var": p[3]})
    state = block.state_dict()
    state.update({k: torch.from_numpy(np.asarray(v, dtype=np.float64)) for k, v in params.items()})
    block.load_state_dict(state)
    block.train(train)
    with torch.no_grad():
        return block(torch.from_numpy(x)[None])[0]
