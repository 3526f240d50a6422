"""Model builders, and a registry so that scripts can say get_model("resnet18", num_classes=10).

To add a model: import its builder at the end of this file and call register(builder).
"""

from typing import Callable

import torch.nn as nn

_REGISTRY: dict[str, Callable[..., nn.Module]] = {}


def register(builder: Callable[..., nn.Module], name: str | None = None) -> Callable[..., nn.Module]:
    """Add a builder under `name` (default: its function name); usable as a decorator."""
    key = name or builder.__name__
    if key in _REGISTRY and _REGISTRY[key] is not builder:
        raise ValueError(f"a different model is already registered as {key!r}")
    _REGISTRY[key] = builder
    return builder


def list_models() -> list[str]:
    """Names accepted by get_model, sorted."""
    return sorted(_REGISTRY)


def get_model(name: str, **kwargs) -> nn.Module:
    """Build the model registered as `name`, passing keyword arguments to its builder."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(list_models())}")
    return _REGISTRY[name](**kwargs)


# Classification models
from .alexnet import AlexNet, alexnet  # noqa: E402
from .googlenet import GoogLeNet, googlenet  # noqa: E402
from .lenet import LeNet5, lenet5  # noqa: E402
from .simple_cnn import SimpleCNN, simple_cnn  # noqa: E402
from .resnet import BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50, resnet101, resnet152  # noqa: E402
from .vgg import VGG, vgg11, vgg13, vgg16, vgg19  # noqa: E402

for _builder in (simple_cnn, lenet5, alexnet, vgg11, vgg13, vgg16, vgg19, googlenet,
                 resnet18, resnet34, resnet50, resnet101, resnet152):
    register(_builder)

# Generative models (unet.py, dcgan.py, diffusion.py) are registered below.
from .dcgan import Discriminator, Generator, dcgan_discriminator, dcgan_generator, weights_init  # noqa: E402
from .diffusion import DiffusionUNet, NoiseSchedule, diffusion_unet  # noqa: E402
from .unet import UNet, unet  # noqa: E402

for _builder in (unet, dcgan_generator, dcgan_discriminator, diffusion_unet):
    register(_builder)
