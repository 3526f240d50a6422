"""Dice metric and loss against small examples computed by hand."""
import math

import pytest
import torch

from lecture_models.metrics import dice_from_counts, dice_loss, dice_score


def test_perfect_overlap_is_one():
    y = torch.tensor([[0, 1, 1], [2, 2, 0]])
    assert torch.equal(dice_score(y, y, 3), torch.ones(3))


def test_disjoint_is_zero():
    pred = torch.tensor([[1, 1], [0, 0]])
    target = torch.tensor([[0, 0], [1, 1]])
    assert torch.equal(dice_score(pred, target, 2), torch.zeros(2))


def test_two_by_two_by_hand():
    # pred  1 0    target 1 1
    #       1 1           0 1
    # class 1: |P|=3, |T|=3, |P∩T|=2 (corners) -> 2·2/6 = 2/3
    # class 0: |P|=1, |T|=1, |P∩T|=0           -> 0
    pred = torch.tensor([[1, 0], [1, 1]])
    target = torch.tensor([[1, 1], [0, 1]])
    d = dice_score(pred, target, 2)
    assert d.tolist() == pytest.approx([0.0, 2 / 3])
    assert d.nanmean().item() == pytest.approx(1 / 3)


def test_worked_example_counts():
    # A has 4 pixels, B has 6, they share 3: Dice = 2·3/(4+6) = 0.6
    a = torch.zeros(4, 4, dtype=torch.long)
    b = torch.zeros(4, 4, dtype=torch.long)
    a[0, :4] = 1
    b[0, 1:4] = 1
    b[1, :3] = 1
    assert dice_score(a, b, 2)[1].item() == pytest.approx(0.6)
    assert dice_from_counts(torch.tensor(3.0), torch.tensor(10.0)).item() == pytest.approx(0.6)


def test_absent_class_is_nan_and_skipped_by_nanmean():
    y = torch.tensor([[0, 1], [1, 0]])
    d = dice_score(y, y, 4)
    assert d[:2].tolist() == [1.0, 1.0]
    assert math.isnan(d[2]) and math.isnan(d[3])
    assert d.nanmean().item() == 1.0


def test_batch_counts_are_pooled():
    # Dice over a batch counts all pixels together, not a mean of per-image Dice.
    pred = torch.tensor([[[1, 1]], [[0, 0]]])
    target = torch.tensor([[[1, 1]], [[0, 1]]])
    # class 1: |P|=2, |T|=3, ∩=2 -> 4/5
    assert dice_score(pred, target, 2)[1].item() == pytest.approx(0.8)


def test_dice_loss_is_differentiable_and_bounded():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(3, 5, 8, 8, generator=g, requires_grad=True)
    target = torch.randint(0, 5, (3, 8, 8), generator=g)
    loss = dice_loss(logits, target)
    assert 0.0 <= loss.item() <= 1.0
    loss.backward()
    assert logits.grad is not None and torch.isfinite(logits.grad).all()
    assert logits.grad.abs().sum() > 0


def test_dice_loss_matches_hard_dice_for_confident_logits():
    target = torch.tensor([[[0, 1], [2, 1]]])
    pred = torch.tensor([[[0, 1], [1, 2]]])
    logits = 50.0 * torch.nn.functional.one_hot(pred, 3).movedim(-1, 1).float()
    hard = dice_score(pred, target, 3).mean()  # every class present here
    assert dice_loss(logits, target, eps=0.0).item() == pytest.approx(1 - hard.item(), abs=1e-5)
    perfect = 50.0 * torch.nn.functional.one_hot(target, 3).movedim(-1, 1).float()
    assert dice_loss(perfect, target).item() == pytest.approx(0.0, abs=1e-5)


def test_dice_loss_binary_by_hand():
    # One foreground logit per pixel: p = sigmoid(0) = 0.5 everywhere.
    # target has 1 of 4 pixels on: ∩ = 0.5, |P|+|T| = 2 + 1 -> Dice = 1/3
    logits = torch.zeros(1, 1, 2, 2)
    target = torch.tensor([[[1, 0], [0, 0]]])
    assert dice_loss(logits, target, eps=0.0).item() == pytest.approx(1 - 1 / 3)


def test_shape_mismatch_raises():
    with pytest.raises(ValueError):
        dice_score(torch.zeros(2, 2), torch.zeros(2, 3), 2)


def _confident(mask):
    """Binary logits that put probability ~1 on `mask` and ~0 elsewhere (sigmoid(±100))."""
    return (200.0 * mask.float() - 100.0).unsqueeze(1)


def test_dice_loss_pools_the_batch_over_images_of_unequal_areas():
    # Image A: 4 foreground pixels, predicted exactly; image B: 1 foreground pixel, missed.
    # Pooled: ∩ = 4, |P|+|T| = 4 + 5 -> Dice 8/9. A mean of per-image Dice would be (1 + 0)/2.
    target = torch.zeros(2, 3, 3, dtype=torch.long)
    target[0, :2, :2] = 1
    target[1, 2, 2] = 1
    pred = target.clone()
    pred[1] = 0
    assert dice_loss(_confident(pred), target, eps=0.0).item() == pytest.approx(1 - 8 / 9, abs=1e-6)
    # the same with eps = 1: (2·4 + 1) / (9 + 1)
    assert dice_loss(_confident(pred), target, eps=1.0).item() == pytest.approx(1 - 9 / 10, abs=1e-6)


def test_dice_loss_smooths_a_class_absent_from_the_target():
    # Uniform logits over C = 4 classes, P = 8 pixels, class 3 absent from the target.
    # Each probability is 1/4: ∩_c = n_c/4, |P_c| + |T_c| = P/4 + n_c, and with eps = 1
    # Dice_c = (2 n_c/4 + 1) / (P/4 + n_c + 1); the absent class gives 1/3, not 0.
    target = torch.tensor([[[0, 0, 0, 1], [1, 2, 2, 2]]])
    counts = [3, 2, 3, 0]
    want = [(2 * n / 4 + 1) / (8 / 4 + n + 1) for n in counts]
    loss = dice_loss(torch.zeros(1, 4, 2, 4), target)  # default eps = 1
    assert loss.item() == pytest.approx(1 - sum(want) / 4, abs=1e-6)
    # a perfect prediction is a perfect score even though class 3 never occurs
    perfect = 100.0 * torch.nn.functional.one_hot(target, 4).movedim(-1, 1).float()
    assert dice_loss(perfect, target).item() == pytest.approx(0.0, abs=1e-6)
