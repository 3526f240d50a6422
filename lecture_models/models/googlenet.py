"""GoogLeNet (Inception v1), with the parameter names of torchvision.

C. Szegedy et al., "Going deeper with convolutions", CVPR 2015, arXiv:1409.4842.

An Inception module runs four branches on the same input and concatenates them along
channels: 1x1; 1x1 -> 3x3; 1x1 -> 5x5; 3x3 max-pool -> 1x1. The 1x1 convolutions first
reduce the number of channels, so the wide branches stay cheap. The network is 22 layers
deep counted along its longest path, with 6.6 million parameters, 12x fewer than AlexNet.

Differences of torchvision's version (followed here so weights transfer exactly):
- every convolution is followed by BatchNorm (Ioffe and Szegedy, arXiv:1502.03167,
  published after GoogLeNet), eps=0.001, and the convolutions have no bias;
- the "5x5" branch actually uses a 3x3 convolution (a known slip kept for compatibility
  with the ported weights); its attribute is still called branch3;
- the auxiliary classifiers (aux1 on inception4a, aux2 on inception4d, used only during
  training to help gradients reach early layers) are off by default here;
- `transform_input` as in torchvision: the ported ImageNet weights were trained on inputs
  scaled to [-1, 1] (x * 2 - 1 of the [0, 1] image), so with transform_input=True the network
  turns an input normalised the usual ImageNet way (mean and std per channel) into that scale
  first. torchvision's googlenet(weights=...) switches it on by itself; loading those weights
  into ours, pass transform_input=True, or the predictions differ. Off by default, as there.
"""

from typing import NamedTuple, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._checks import check_image_batch, check_positive_int

MIN_SIZE = 15  # smallest input that every pooling stage still accepts
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class BasicConv2d(nn.Module):
    """conv (no bias) => BN => ReLU."""

    def __init__(self, in_channels: int, out_channels: int, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)), inplace=True)


class Inception(nn.Module):
    """Four parallel branches (1x1 | 1x1->3x3 | 1x1->3x3 | pool->1x1) concatenated on channels."""

    def __init__(self, in_channels: int, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int, ch5x5: int, pool_proj: int):
        super().__init__()
        # --8<-- [start:inception]
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, kernel_size=1),  # primero reduce los canales
            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),
        )
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1),
            BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1),  # 5x5 en el artículo, 3x3 en torchvision
        )
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, kernel_size=1),
        )

        # --8<-- [start:inception-forward]
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # cada rama conserva H y W, así que se apilan por canales
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)
        # --8<-- [end:inception-forward]
        # --8<-- [end:inception]


class InceptionAux(nn.Module):
    """Auxiliary classifier: avg-pool to 4x4 => 1x1 conv (128) => fc 1024 => dropout => fc."""

    def __init__(self, in_channels: int, num_classes: int, dropout: float = 0.7):
        super().__init__()
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(2048, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.adaptive_avg_pool2d(x, (4, 4))  # (B, C, 4, 4)
        x = torch.flatten(self.conv(x), 1)  # (B, 2048)
        x = self.dropout(F.relu(self.fc1(x), inplace=True))  # (B, 1024)
        return self.fc2(x)  # (B, num_classes)


class GoogLeNetOutputs(NamedTuple):
    """What a GoogLeNet with aux_logits=True returns in training mode (same order as torchvision)."""

    logits: torch.Tensor
    aux_logits2: Optional[torch.Tensor]
    aux_logits1: Optional[torch.Tensor]


class GoogLeNet(nn.Module):
    """Stem (7x7, 1x1, 3x3 convs) => 9 Inception modules => global average pool => fc."""

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, aux_logits: bool = False,
                 transform_input: bool = False, dropout: float = 0.2, dropout_aux: float = 0.7):
        super().__init__()
        if transform_input and in_channels != 3:
            raise ValueError(f"transform_input re-normalises the three ImageNet channels; got in_channels={in_channels}")
        self.in_channels = in_channels
        self.aux_logits = aux_logits
        self.transform_input = transform_input
        # shapes for a 224x224 input
        self.conv1 = BasicConv2d(in_channels, 64, kernel_size=7, stride=2, padding=3)  # (B, 64, 112, 112)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)  # (B, 64, 56, 56)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)  # (B, 64, 56, 56)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)  # (B, 192, 56, 56)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)  # (B, 192, 28, 28)

        # arguments: in, 1x1, 3x3 reduce, 3x3, "5x5" reduce, "5x5", pool proj (paper's table 1)
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)  # (B, 256, 28, 28)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)  # (B, 480, 28, 28)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)  # (B, 480, 14, 14)

        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)  # (B, 512, 14, 14)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)  # (B, 512, 14, 14)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)  # (B, 512, 14, 14)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)  # (B, 528, 14, 14)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)  # (B, 832, 14, 14)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)  # (B, 832, 7, 7)

        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)  # (B, 832, 7, 7)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)  # (B, 1024, 7, 7)

        if aux_logits:
            self.aux1 = InceptionAux(512, num_classes, dropout=dropout_aux)
            self.aux2 = InceptionAux(528, num_classes, dropout=dropout_aux)
        else:
            self.aux1 = None
            self.aux2 = None

        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))  # (B, 1024, 1, 1)
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(1024, num_classes)  # (B, num_classes)

        # torchvision's initialisation (init_weights=True)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, mean=0.0, std=0.01, a=-2, b=2)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def _transform_input(self, x: torch.Tensor) -> torch.Tensor:
        """ImageNet normalisation (mean, std per channel) -> (x - 0.5) / 0.5, torchvision's arithmetic."""
        if not self.transform_input:
            return x
        mean = torch.tensor(IMAGENET_MEAN, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
        std = torch.tensor(IMAGENET_STD, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
        return x * (std / 0.5) + (mean - 0.5) / 0.5

    def forward(self, x: torch.Tensor):
        check_image_batch(x, model="GoogLeNet", in_channels=self.in_channels, min_size=MIN_SIZE)
        x = self._transform_input(x)
        x = self.maxpool1(self.conv1(x))  # (B, 64, 56, 56)
        x = self.maxpool2(self.conv3(self.conv2(x)))  # (B, 192, 28, 28)
        x = self.maxpool3(self.inception3b(self.inception3a(x)))  # (B, 480, 14, 14)
        x = self.inception4a(x)  # (B, 512, 14, 14)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))  # (B, 528, 14, 14)
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.maxpool4(self.inception4e(x))  # (B, 832, 7, 7)
        x = self.inception5b(self.inception5a(x))  # (B, 1024, 7, 7)
        x = torch.flatten(self.avgpool(x), 1)  # (B, 1024)
        x = self.fc(self.dropout(x))  # (B, num_classes)
        if self.training and self.aux_logits:
            return GoogLeNetOutputs(x, aux2, aux1)
        return x


def googlenet(*, num_classes: int = 1000, in_channels: int = 3, aux_logits: bool = False,
              transform_input: bool = False, dropout: float = 0.2, dropout_aux: float = 0.7) -> GoogLeNet:
    """GoogLeNet / Inception v1 as in torchvision; with aux_logits=True, training mode
    returns GoogLeNetOutputs(logits, aux_logits2, aux_logits1). Pass transform_input=True with
    torchvision's ImageNet weights, as torchvision's googlenet(weights=...) does."""
    check_positive_int("num_classes", num_classes)
    check_positive_int("in_channels", in_channels)
    return GoogLeNet(num_classes=num_classes, in_channels=in_channels, aux_logits=aux_logits,
                     transform_input=transform_input, dropout=dropout, dropout_aux=dropout_aux)
