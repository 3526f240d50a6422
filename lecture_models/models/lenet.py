"""LeNet-5 (LeCun et al., 1998), in the modern form that courses train on MNIST.

Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied to
document recognition", Proceedings of the IEEE 86(11):2278-2324, 1998.
doi:10.1109/5.726791

The layer names follow the paper's figure 2: C1, S2, C3, S4, C5, F6, OUTPUT
(C = convolution, S = subsampling, F = fully connected).

What the modern form changes with respect to the 1998 network:
- Input: the paper feeds 32x32 images (MNIST digits are 28x28 fields, padded to 32x32);
  here both sizes work: a 28x28 input is zero-padded by 2 on each side, which is exactly
  a 5x5 convolution with padding=2.
- Activation: the paper uses a scaled tanh, f(a) = 1.7159 tanh(2a/3); here ReLU (default)
  or plain tanh.
- Subsampling: the paper's S2/S4 sum each 2x2 block, multiply by a trainable coefficient,
  add a trainable bias and squash; here plain max (default) or average pooling without
  parameters.
- C3 connectivity: in the paper each of the 16 C3 maps sees only a subset of the 6 S2 maps
  (table I, 60 connections) to break symmetry and save parameters; here every C3 map sees
  all 6 maps.
- C5: a 5x5 convolution over a 5x5 map, i.e. a fully connected layer; here nn.Linear.
- OUTPUT: the paper uses 10 Euclidean radial basis function units with fixed weights;
  here a linear layer whose logits go to a softmax / cross-entropy.
The 1998 network has about 60,000 trainable parameters; this one has 61,706
(for 1 input channel and 10 classes).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._checks import check_choice, check_image_batch, check_positive_int

_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh}
_POOLINGS = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


class LeNet5(nn.Module):
    """conv5x5(6) -> pool -> conv5x5(16) -> pool -> fc(120) -> fc(84) -> fc(classes)."""

    def __init__(self, num_classes: int = 10, in_channels: int = 1, activation: str = "relu", pooling: str = "max"):
        super().__init__()
        self.in_channels = in_channels
        self.c1 = nn.Conv2d(in_channels, 6, kernel_size=5)  # (B, 6, 28, 28)
        self.s2 = _POOLINGS[pooling](kernel_size=2, stride=2)  # (B, 6, 14, 14)
        self.c3 = nn.Conv2d(6, 16, kernel_size=5)  # (B, 16, 10, 10)
        self.s4 = _POOLINGS[pooling](kernel_size=2, stride=2)  # (B, 16, 5, 5)
        self.c5 = nn.Linear(16 * 5 * 5, 120)  # (B, 120)
        self.f6 = nn.Linear(120, 84)  # (B, 84)
        self.output = nn.Linear(84, num_classes)  # (B, num_classes)
        self.act = _ACTIVATIONS[activation]()

    # --8<-- [start:forward]
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_image_batch(x, model="LeNet-5", in_channels=self.in_channels, min_size=1)
        h, w = x.shape[-2:]
        if (h, w) == (28, 28):
            x = F.pad(x, (2, 2, 2, 2))  # los 28x28 de MNIST -> el campo de 32x32 del artículo
        elif (h, w) != (32, 32):
            raise ValueError(f"LeNet-5 needs 28x28 (padded) or 32x32 input, got {h}x{w}")
        x = self.s2(self.act(self.c1(x)))  # (B, 6, 14, 14)
        x = self.s4(self.act(self.c3(x)))  # (B, 16, 5, 5)
        x = torch.flatten(x, 1)  # (B, 400)
        x = self.act(self.c5(x))  # (B, 120)
        x = self.act(self.f6(x))  # (B, 84)
        return self.output(x)  # (B, num_classes) logits
    # --8<-- [end:forward]


def lenet5(*, num_classes: int = 10, in_channels: int = 1, activation: str = "relu", pooling: str = "max") -> LeNet5:
    """LeNet-5 for 28x28 (zero-padded to 32x32) or 32x32 inputs; 61,706 parameters for MNIST."""
    check_positive_int("num_classes", num_classes)
    check_positive_int("in_channels", in_channels)
    check_choice("activation", activation, tuple(_ACTIVATIONS))
    check_choice("pooling", pooling, tuple(_POOLINGS))
    return LeNet5(num_classes=num_classes, in_channels=in_channels, activation=activation, pooling=pooling)
