"""F2 runs: segmentation scenes, and smoke runs of unet, dcgan and diffusion."""
import torch

from lecture_models.data.segmentation import NUM_CLASSES, STROKE, make_scenes


def _fake_digits(m=40, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(m, 784, generator=g), torch.randint(0, 10, (m,), generator=g)


def test_scenes_are_deterministic_for_a_seed():
    imgs, labels = _fake_digits()
    a = make_scenes(imgs, labels, 16, seed=3)
    b = make_scenes(imgs, labels, 16, seed=3)
    c = make_scenes(imgs, labels, 16, seed=4)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[1], c[1])


def test_scene_labels_match_the_pasted_digits():
    imgs, labels = _fake_digits()
    x, y, info = make_scenes(imgs, labels, 32, seed=0, max_digits=3)
    assert x.shape == (32, 1, 64, 64) and y.shape == (32, 64, 64) and y.dtype == torch.long
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert 0 <= y.min() and y.max() < NUM_CLASSES
    digits = imgs.reshape(-1, 28, 28)
    expected_x = torch.zeros(32, 64, 64)
    expected_y = torch.zeros(32, 64, 64, dtype=torch.long)
    for n in range(32):
        used = info["index"][n] >= 0
        assert 1 <= used.sum() <= 3
        for cell in range(4):
            k = info["index"][n, cell].item()
            if k < 0:
                continue
            top = (cell // 2) * 32 + info["offset"][n, cell, 0].item()
            left = (cell % 2) * 32 + info["offset"][n, cell, 1].item()
            expected_x[n, top:top + 28, left:left + 28] = digits[k]
            expected_y[n, top:top + 28, left:left + 28] = (digits[k] > STROKE) * (labels[k] + 1)
    assert torch.equal(x[:, 0], expected_x)
    assert torch.equal(y, expected_y)


def test_scene_classes_cover_background_and_digits():
    imgs, labels = _fake_digits(m=200)
    _, y, _ = make_scenes(imgs, labels, 64, seed=1)
    assert set(y.unique().tolist()) == set(range(NUM_CLASSES))
