"""AlexNet, with the layer widths and parameter names of torchvision.

A. Krizhevsky, I. Sutskever and G. E. Hinton, "ImageNet classification with deep
convolutional neural networks", NeurIPS 2012 (pp. 1097-1105); reprinted in
Communications of the ACM 60(6), 2017, doi:10.1145/3065386.

The 2012 network split its layers across two GPUs (48+48 kernels in conv1, ...) and used
local response normalisation. torchvision, and this file, follow the single-GPU variant of
A. Krizhevsky, "One weird trick for parallelizing convolutional neural networks",
arXiv:1404.5997 (2014): widths 64-192-384-256-256 instead of 96-256-384-384-256, and no
LRN. 5 convolutional + 3 fully connected layers, 61,100,840 parameters for 1000 classes.

The submodule names and indices (`features.0`, `classifier.6`, ...) equal torchvision's,
so `model.load_state_dict(torchvision.models.alexnet().state_dict())` works.
"""

import torch
import torch.nn as nn

from ._checks import check_image_batch, check_positive_int

MIN_SIZE = 63  # smallest input whose last max-pool still gets a 3x3 window


class AlexNet(nn.Module):
    """5 conv (11x11, 5x5, 3x3 x3) with max-pooling, then 3 fully connected layers."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, dropout: float = 0.5):
        super().__init__()
        self.in_channels = in_channels
        # shapes for a 224x224 input
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2),  # 0: (B, 64, 55, 55)
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),  # 2: (B, 64, 27, 27) overlapping pooling
            nn.Conv2d(64, 192, kernel_size=5, padding=2),  # 3: (B, 192, 27, 27)
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),  # 5: (B, 192, 13, 13)
            nn.Conv2d(192, 384, kernel_size=3, padding=1),  # 6: (B, 384, 13, 13)
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),  # 8: (B, 256, 13, 13)
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),  # 10: (B, 256, 13, 13)
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),  # 12: (B, 256, 6, 6)
        )
        # other input sizes are pooled to the 6x6 that the classifier was sized for
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(256 * 6 * 6, 4096),  # 1: (B, 4096)
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),  # 4: (B, 4096)
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),  # 6: (B, num_classes)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_image_batch(x, model="AlexNet", in_channels=self.in_channels, min_size=MIN_SIZE)
        x = self.features(x)  # (B, 256, 6, 6) for 224x224
        x = self.avgpool(x)  # (B, 256, 6, 6)
        x = torch.flatten(x, 1)  # (B, 9216)
        return self.classifier(x)  # (B, num_classes)


def alexnet(*, num_classes: int = 1000, in_channels: int = 3, dropout: float = 0.5) -> AlexNet:
    """AlexNet (torchvision / "one weird trick" widths); inputs of at least 63x63."""
    check_positive_int("num_classes", num_classes)
    check_positive_int("in_channels", in_channels)
    return AlexNet(num_classes=num_classes, in_channels=in_channels, dropout=dropout)
