"""The small CNN of lecture 3's Keras example, written in PyTorch.

Two 3x3 convolutions (32 and 64 filters, no padding) each followed by ReLU and 2x2 max
pooling, then dropout and three dense layers (256, 128, classes). Keras' `Dense(10,
activation="softmax")` becomes a linear layer that returns logits: PyTorch's
`nn.CrossEntropyLoss` applies log-softmax itself, which is numerically safer.
462,858 parameters for 28x28 digits and 10 classes, the same as the Keras model.
"""

import torch
import torch.nn as nn

from ._checks import check_image_batch, check_positive_int


# --8<-- [start:model]
class SimpleCNN(nn.Module):
    """conv3x3(32) -> pool -> conv3x3(64) -> pool -> dropout -> fc(256) -> fc(128) -> fc(classes)."""

    def __init__(self, num_classes: int = 10, in_channels: int = 1, image_size: int = 28):
        super().__init__()
        side = ((image_size - 2) // 2 - 2) // 2  # two valid 3x3 convs, two 2x2 pools: 28 -> 5
        # --8<-- [start:layers]
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 32, kernel_size=3),  # padding="valid", stride 1
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(32, 64, kernel_size=3),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),  # (B, 64, 5, 5) con entradas de 28x28
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.5),
            nn.Linear(64 * side * side, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, num_classes),  # logits: la softmax va dentro de la pérdida
        )
        # --8<-- [end:layers]
        self.in_channels, self.image_size = in_channels, image_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_image_batch(x, model="SimpleCNN", in_channels=self.in_channels, min_size=1)
        if tuple(x.shape[-2:]) != (self.image_size, self.image_size):
            raise ValueError(f"SimpleCNN was built for {self.image_size}x{self.image_size} input, "
                             f"got {x.shape[-2]}x{x.shape[-1]}")
        return self.classifier(self.features(x))
# --8<-- [end:model]


def simple_cnn(*, num_classes: int = 10, in_channels: int = 1, image_size: int = 28) -> SimpleCNN:
    """Lecture 3's small Keras CNN in PyTorch; 462,858 parameters on MNIST."""
    check_positive_int("num_classes", num_classes)
    check_positive_int("in_channels", in_channels)
    check_positive_int("image_size", image_size)
    if image_size < 10:
        raise ValueError(f"SimpleCNN needs image_size >= 10 (two 3x3 convs and two 2x2 pools), got {image_size}")
    return SimpleCNN(num_classes=num_classes, in_channels=in_channels, image_size=image_size)
