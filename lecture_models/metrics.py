"""Dice coefficient, implemented once and used both as a metric and as a loss.

Dice(A, B) = 2 |A ∩ B| / (|A| + |B|).  The hard version counts pixels of
predicted labels; the soft version replaces the counts by sums of class
probabilities so the same formula becomes differentiable (a loss).
"""
import torch
import torch.nn.functional as F


# --8<-- [start:dice-formula]
def dice_from_counts(intersection, total, eps=0.0):
    """The one Dice formula: 2·|A∩B| / (|A|+|B|), with optional smoothing `eps`.

    `total` is |A|+|B|. With eps=0 a class absent from both A and B gives
    0/0 = NaN on purpose: its Dice is undefined, and `nanmean` skips it.
    """
    return (2 * intersection + eps) / (total + eps)
# --8<-- [end:dice-formula]


def _one_hot(labels, num_classes):
    # (N, H, W) int labels -> (N, C, H, W) float, the layout of logits.
    return F.one_hot(labels.long(), num_classes).movedim(-1, 1).float()


# --8<-- [start:dice-score]
def dice_score(pred_labels, target, num_classes):
    """Per-class Dice of hard label maps, counted over the whole batch.

    pred_labels, target: integer tensors of the same shape, e.g. (N, H, W)
    with values in 0..num_classes-1. Returns a float tensor (num_classes,);
    classes absent from both prediction and target are NaN (undefined),
    so the mean Dice is `dice_score(...).nanmean()`.
    """
    if pred_labels.shape != target.shape:
        raise ValueError(f"shape mismatch: {tuple(pred_labels.shape)} vs {tuple(target.shape)}")
    classes = torch.arange(num_classes, device=target.device)
    p = pred_labels.reshape(1, -1) == classes[:, None]  # (C, pixels) masks
    t = target.reshape(1, -1) == classes[:, None]
    intersection = (p & t).sum(1).double()
    total = (p.sum(1) + t.sum(1)).double()
    return dice_from_counts(intersection, total).float()
# --8<-- [end:dice-score]


# --8<-- [start:dice-loss]
def dice_loss(logits, target, eps=1.0):
    """Pérdida Dice suave = 1 - media por clases del Dice suave, en [0, 1].

    logits: (N, C, H, W) puntuaciones sin normalizar; target: (N, H, W) etiquetas en 0..C-1.
    Con C == 1 el único canal es el logit binario del primer plano (sigmoide)
    y target vale 0/1. Los recuentos se suman sobre el lote, lo que estabiliza las
    clases raras; el suavizado eps=1 deja finitas las clases ausentes.
    """
    if logits.shape[1] == 1:
        probs = torch.sigmoid(logits)
        onehot = target.unsqueeze(1).float()
    else:
        probs = logits.softmax(1)
        onehot = _one_hot(target, logits.shape[1])
    dims = (0,) + tuple(range(2, logits.ndim))  # todos los ejes salvo el de la clase
    intersection = (probs * onehot).sum(dims)
    total = probs.sum(dims) + onehot.sum(dims)
    return 1 - dice_from_counts(intersection, total, eps).mean()
# --8<-- [end:dice-loss]
