"""ResNet-18/34/50/101/152, with the parameter names of torchvision.

K. He, X. Zhang, S. Ren and J. Sun, "Deep residual learning for image recognition",
CVPR 2016, arXiv:1512.03385.

A residual block learns F(x) and outputs relu(F(x) + x): if the best thing a block can do
is nothing, it only has to push F towards 0, and the gradient reaches early layers through
the identity path. When a block changes the size or the number of channels, the shortcut
is a 1x1 convolution with stride + BatchNorm ("projection shortcut", option B of the paper).
Every convolution is followed by BatchNorm (Ioffe and Szegedy, arXiv:1502.03167), so the
convolutions have no bias.

ResNet-18/34 stack BasicBlocks (3x3, 3x3); ResNet-50/101/152 stack Bottlenecks (1x1 reduce,
3x3, 1x1 expand by 4). Like torchvision, the Bottleneck here puts the stride on the 3x3
convolution ("ResNet v1.5"); the paper put it on the first 1x1, which skips 3/4 of the
pixels. Same parameters, slightly more computation, about 0.5 % better top-1.
ResNet-18 has 11,689,512 parameters and ResNet-50 25,557,032 (1000 classes).
"""

from typing import Optional, Union

import torch
import torch.nn as nn

from ._checks import check_image_batch, check_positive_int

MIN_SIZE = 32  # total stride 32: smaller inputs run, but layer4 then sees mostly zero padding


def conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    """3x3 convolution, padding 1, no bias (BatchNorm follows)."""
    return nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    """1x1 convolution, no bias: mixes channels, changes their number."""
    return nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False)


# --8<-- [start:basic-block]
class BasicBlock(nn.Module):
    """(conv3x3 => BN => ReLU => conv3x3 => BN) + shortcut => ReLU."""

    expansion = 1  # canales de salida = planes * expansion

    def __init__(self, in_channels: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None):
        super().__init__()
        self.conv1 = conv3x3(in_channels, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    # --8<-- [start:basic-block-forward]
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))  # (B, planes, H/stride, W/stride)
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)
    # --8<-- [end:basic-block-forward]
# --8<-- [end:basic-block]


class Bottleneck(nn.Module):
    """(conv1x1 => BN => ReLU => conv3x3(stride) => BN => ReLU => conv1x1 => BN) + shortcut => ReLU."""

    expansion = 4

    def __init__(self, in_channels: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None):
        super().__init__()
        self.conv1 = conv1x1(in_channels, planes)  # reduce: (B, planes, H, W)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)  # v1.5: stride here, (B, planes, H/s, W/s)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)  # expand: (B, 4 planes, H/s, W/s)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


Block = Union[type[BasicBlock], type[Bottleneck]]


class ResNet(nn.Module):
    """Stem (7x7 conv stride 2, max-pool) => 4 stages of residual blocks => global avg pool => fc."""

    def __init__(self, block: Block, layers: list[int], num_classes: int = 1000, in_channels: int = 3):
        super().__init__()
        self.in_channels = in_channels
        self.inplanes = 64  # channels flowing into the next block, updated by _make_layer
        # shapes for a 224x224 input; e = block.expansion (1 or 4)
        self.conv1 = nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False)  # (B, 64, 112, 112)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)  # (B, 64, 56, 56)
        self.layer1 = self._make_layer(block, 64, layers[0])  # (B, 64e, 56, 56)
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)  # (B, 128e, 28, 28)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)  # (B, 256e, 14, 14)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)  # (B, 512e, 7, 7)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))  # (B, 512e, 1, 1)
        self.fc = nn.Linear(512 * block.expansion, num_classes)  # (B, num_classes)

        # torchvision's initialisation (He et al. 2015, "Delving deep into rectifiers")
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def _make_layer(self, block: Block, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
        """One stage: the first block may downsample (stride 2) and widen; the rest keep the shape."""
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            # projection shortcut so that x can be added to the block's output
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_image_batch(x, model="ResNet", in_channels=self.in_channels, min_size=MIN_SIZE)
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))  # (B, 64, H/4, W/4)
        x = self.layer1(x)  # (B, 64e, H/4, W/4)
        x = self.layer2(x)  # (B, 128e, H/8, W/8)
        x = self.layer3(x)  # (B, 256e, H/16, W/16)
        x = self.layer4(x)  # (B, 512e, H/32, W/32)
        x = torch.flatten(self.avgpool(x), 1)  # (B, 512e)
        return self.fc(x)  # (B, num_classes)


def _resnet(block: Block, layers: list[int], num_classes: int, in_channels: int) -> ResNet:
    check_positive_int("num_classes", num_classes)
    check_positive_int("in_channels", in_channels)
    return ResNet(block, layers, num_classes=num_classes, in_channels=in_channels)


def resnet18(*, num_classes: int = 1000, in_channels: int = 3) -> ResNet:
    """ResNet-18: BasicBlocks [2, 2, 2, 2]."""
    return _resnet(BasicBlock, [2, 2, 2, 2], num_classes, in_channels)


def resnet34(*, num_classes: int = 1000, in_channels: int = 3) -> ResNet:
    """ResNet-34: BasicBlocks [3, 4, 6, 3]."""
    return _resnet(BasicBlock, [3, 4, 6, 3], num_classes, in_channels)


def resnet50(*, num_classes: int = 1000, in_channels: int = 3) -> ResNet:
    """ResNet-50 (v1.5): Bottlenecks [3, 4, 6, 3]."""
    return _resnet(Bottleneck, [3, 4, 6, 3], num_classes, in_channels)


def resnet101(*, num_classes: int = 1000, in_channels: int = 3) -> ResNet:
    """ResNet-101 (v1.5): Bottlenecks [3, 4, 23, 3]."""
    return _resnet(Bottleneck, [3, 4, 23, 3], num_classes, in_channels)


def resnet152(*, num_classes: int = 1000, in_channels: int = 3) -> ResNet:
    """ResNet-152 (v1.5): Bottlenecks [3, 8, 36, 3]."""
    return _resnet(Bottleneck, [3, 8, 36, 3], num_classes, in_channels)
