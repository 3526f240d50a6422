"""VGG-11/13/16/19, with the parameter names of torchvision.

K. Simonyan and A. Zisserman, "Very deep convolutional networks for large-scale image
recognition", ICLR 2015, arXiv:1409.1556.

The whole idea is one rule repeated: stacks of 3x3 convolutions (two stacked 3x3 see a
5x5 field, three see 7x7, with fewer parameters and more non-linearities), and a 2x2
max-pool that halves the size when the number of channels doubles. The configurations are
columns A (11 weight layers), B (13), D (16) and E (19) of the paper's table 1.
`batch_norm=True` adds BatchNorm after every convolution (Ioffe and Szegedy,
arXiv:1502.03167), which the paper predates; torchvision calls these vgg16_bn etc.

VGG-16 has 138,357,544 parameters for 1000 classes, 102,764,544 of them in the first
fully connected layer (25088 x 4096).
"""

import torch
import torch.nn as nn

from ._checks import check_image_batch, check_positive_int

MIN_SIZE = 32  # five 2x2 max-pools: 32 -> 1

# numbers are output channels of a 3x3 convolution, "M" a 2x2 max-pool
CONFIGS: dict[str, list] = {
    "vgg11": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "vgg13": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "vgg16": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "vgg19": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


# --8<-- [start:features]
def make_features(config: list, in_channels: int = 3, batch_norm: bool = False) -> nn.Sequential:
    """conv3x3 => [BN] => ReLU por cada número, MaxPool 2x2 por cada "M", en una lista plana como torchvision."""
    layers: list[nn.Module] = []
    for v in config:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))  # divide H y W por 2
        else:
            layers.append(nn.Conv2d(in_channels, v, kernel_size=3, padding=1))  # conserva H y W
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            layers.append(nn.ReLU(inplace=True))
            in_channels = v
    return nn.Sequential(*layers)
# --8<-- [end:features]


class VGG(nn.Module):
    """Feature stack of 3x3 convolutions, then 3 fully connected layers (4096, 4096, classes)."""

    def __init__(self, features: nn.Sequential, num_classes: int = 1000, in_channels: int = 3, dropout: float = 0.5):
        super().__init__()
        self.in_channels = in_channels
        self.features = features  # (B, 512, 7, 7) for 224x224
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))  # other sizes -> the 7x7 the classifier expects
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),  # 0: (B, 4096)
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),  # 3: (B, 4096)
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),  # 6: (B, num_classes)
        )
        # torchvision's initialisation: without it a 16-layer plain net trains poorly
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_image_batch(x, model="VGG", in_channels=self.in_channels, min_size=MIN_SIZE)
        x = self.features(x)  # (B, 512, H/32, W/32)
        x = self.avgpool(x)  # (B, 512, 7, 7)
        x = torch.flatten(x, 1)  # (B, 25088)
        return self.classifier(x)  # (B, num_classes)


def _vgg(name: str, num_classes: int, in_channels: int, batch_norm: bool, dropout: float) -> VGG:
    check_positive_int("num_classes", num_classes)
    check_positive_int("in_channels", in_channels)
    features = make_features(CONFIGS[name], in_channels=in_channels, batch_norm=batch_norm)
    return VGG(features, num_classes=num_classes, in_channels=in_channels, dropout=dropout)


def vgg11(*, num_classes: int = 1000, in_channels: int = 3, batch_norm: bool = False, dropout: float = 0.5) -> VGG:
    """VGG-11 (configuration A): 8 conv + 3 fully connected layers."""
    return _vgg("vgg11", num_classes, in_channels, batch_norm, dropout)


def vgg13(*, num_classes: int = 1000, in_channels: int = 3, batch_norm: bool = False, dropout: float = 0.5) -> VGG:
    """VGG-13 (configuration B): 10 conv + 3 fully connected layers."""
    return _vgg("vgg13", num_classes, in_channels, batch_norm, dropout)


def vgg16(*, num_classes: int = 1000, in_channels: int = 3, batch_norm: bool = False, dropout: float = 0.5) -> VGG:
    """VGG-16 (configuration D): 13 conv + 3 fully connected layers, 138,357,544 parameters."""
    return _vgg("vgg16", num_classes, in_channels, batch_norm, dropout)


def vgg19(*, num_classes: int = 1000, in_channels: int = 3, batch_norm: bool = False, dropout: float = 0.5) -> VGG:
    """VGG-19 (configuration E): 16 conv + 3 fully connected layers."""
    return _vgg("vgg19", num_classes, in_channels, batch_norm, dropout)
