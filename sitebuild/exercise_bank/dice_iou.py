"""dice_iou: Dice and IoU of two masks, referenced by confusion counts (TP, FP, FN) in torch."""

import numpy as np

TITLE = "Dice e IoU de dos máscaras"
FUNCTION = "dice_iou"
OUTPUTS = ["dice", "iou"]

STATEMENT = r"""
Escribe `dice_iou(pred, target)` para dos máscaras binarias de la misma forma (*arrays*
de `bool`; $A$ son los píxeles a `True` de `pred` y $B$ los de `target`). Devuelve
`dice, iou`:

$$
\text{Dice} = \frac{2\,|A \cap B|}{|A| + |B|}, \qquad
\text{IoU} = \frac{|A \cap B|}{|A \cup B|} .
$$

Si las dos máscaras están vacías las dos medidas no están definidas: devuelve
`float("nan")` en ambas.

La referencia cuenta con PyTorch los verdaderos positivos
($TP$), los falsos positivos ($FP$) y los falsos negativos ($FN$): $|A \cap B| = TP$,
$|A| + |B| = 2\,TP + FP + FN$ y $|A \cup B| = TP + FP + FN$; su Dice coincide con el de
`lecture_models.metrics.dice_score`, el de las figuras de la U-Net.
{ .reading-only }
"""

STARTER = '''import numpy as np

def dice_iou(pred, target):
    """Dice e IoU de dos máscaras binarias."""
    interseccion = np.sum(pred & target)
    dice = 0.0
    iou = 0.0
    return dice, iou
'''

SOLUTION = '''import numpy as np

def dice_iou(pred, target):
    """Dice e IoU de dos máscaras binarias."""
    interseccion = np.sum(pred & target)
    total = np.sum(pred) + np.sum(target)
    union = total - interseccion
    if total == 0:
        return float("nan"), float("nan")
    return 2 * interseccion / total, interseccion / union
'''

HINTS = [
    "Con máscaras de `bool`, `np.sum(a & b)` cuenta los píxeles de la intersección.",
    "$|A \\cup B| = |A| + |B| - |A \\cap B|$.",
    "Dos máscaras vacías dan $0/0$: compruébalo antes de dividir.",
]

KNOWN_WRONG = [
    {"replace": ("union = total - interseccion", "union = total"), "message": "«iou»: devolvió"},
]


def cases():
    rng = np.random.default_rng(6)
    square = np.zeros((6, 6), bool)
    square[1:4, 1:4] = True
    shifted = np.roll(square, 1, axis=1)
    return [
        {"name": "cuadrado desplazado", "args": {"pred": shifted, "target": square}},
        {"name": "iguales", "args": {"pred": square, "target": square.copy()}},
        {"name": "sin solapamiento", "args": {"pred": np.roll(square, 3, axis=0), "target": square}},
        {"name": "al azar", "args": {"pred": rng.random((8, 8)) < 0.4, "target": rng.random((8, 8)) < 0.5}},
        {"name": "las dos vacías", "args": {"pred": np.zeros((4, 4), bool), "target": np.zeros((4, 4), bool)}},
    ]


def reference(pred, target):
    """From the confusion counts (TP, FP, FN), not from |A|, |B| and |A ∩ B| as the
    solution: Dice = 2TP / (2TP + FP + FN), IoU = TP / (TP + FP + FN). The course's
    `dice_score` (the U-Net figures' metric) must agree."""
    import math

    import torch

    from lecture_models.metrics import dice_score

    p, t = torch.from_numpy(pred), torch.from_numpy(target)
    tp = int(torch.logical_and(p, t).sum())
    fp = int(torch.logical_and(p, torch.logical_not(t)).sum())
    fn = int(torch.logical_and(torch.logical_not(p), t).sum())
    if tp + fp + fn == 0:  # both empty: 0/0
        dice = iou = float("nan")
    else:
        dice, iou = 2 * tp / (2 * tp + fp + fn), tp / (tp + fp + fn)
    course = float(dice_score(p.long(), t.long(), num_classes=2)[1].double())
    assert (math.isnan(dice) and math.isnan(course)) or math.isclose(dice, course, rel_tol=1e-6), (dice, course)
    return [dice, iou]
