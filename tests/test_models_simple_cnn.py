"""The course's small Keras CNN (seed 001) in PyTorch."""

import pytest
import torch

from lecture_models.models import get_model, simple_cnn


def test_same_parameter_count_as_the_keras_model():
    # Keras: 320 + 18,496 + 409,856 + 32,896 + 1,290 (conv, conv, dense 256, 128, 10)
    assert sum(p.numel() for p in simple_cnn().parameters()) == 462_858


def test_shapes_and_gradients():
    model = simple_cnn(num_classes=7, in_channels=3, image_size=32)
    out = model(torch.randn(2, 3, 32, 32))
    assert out.shape == (2, 7)
    out.sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in model.parameters())
    assert get_model("simple_cnn")(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


@pytest.mark.parametrize("kw", [{"num_classes": 0}, {"in_channels": -1}, {"image_size": 8}])
def test_bad_arguments(kw):
    with pytest.raises(ValueError):
        simple_cnn(**kw)


def test_wrong_input_size_is_explained():
    with pytest.raises(ValueError, match="28x28"):
        simple_cnn()(torch.zeros(1, 1, 32, 32))
