"""U-Net for semantic segmentation (Ronneberger, Fischer & Brox, 2015, arXiv:1505.04597).

The network is a contracting path (repeated ``Down``: 2x2 max-pool, then two
3x3 convs, doubling the channels) and a symmetric expanding path (repeated
``Up``: upsample by 2, concatenate the skip connection from the same level,
two 3x3 convs halving the channels), closed by a 1x1 ``OutConv`` that gives
one logit per class and pixel.

Written as small named blocks in the style of milesial/Pytorch-UNet
(``unet_parts.py``); with ``depth=4, base_channels=64`` the module names and
state_dict keys are the same as theirs (``inc``, ``down1``..``down4``,
``up1``..``up4``, ``outc``), so their checkpoints load directly.

Differences from the paper, on purpose:
- convs use ``padding=1`` so the output H x W equals the input H x W. The paper
  used unpadded convs (572x572 input -> 388x388 output) and cropped the skip
  features before concatenation; padding removes the cropping bookkeeping.
- ``batch_norm=True`` inserts BatchNorm after every conv (BN appeared after the
  paper); ``batch_norm=False`` gives the paper's conv + bias + ReLU.
- ``bilinear=True`` replaces the learned 2x2 transposed conv ("up-conv") with
  bilinear upsampling and halves the channels in the following convs instead.
"""

import torch
import torch.nn as nn

from ._checks import check_positive_int

__all__ = ["DoubleConv", "Down", "Up", "OutConv", "UNet", "unet"]


# --8<-- [start:double-conv]
class DoubleConv(nn.Module):
    """(conv => [BN] => ReLU) * 2: la unidad básica de cada nivel de la U."""

    def __init__(self, in_channels, out_channels, mid_channels=None, batch_norm=True):
        super().__init__()
        mid_channels = mid_channels or out_channels
        layers = []
        for cin, cout in ((in_channels, mid_channels), (mid_channels, out_channels)):
            # Con BN justo después, el sesgo de la conv se anularía al restar la media.
            layers.append(nn.Conv2d(cin, cout, kernel_size=3, padding=1, bias=not batch_norm))
            if batch_norm:
                layers.append(nn.BatchNorm2d(cout))
            layers.append(nn.ReLU(inplace=True))
        self.double_conv = nn.Sequential(*layers)

    def forward(self, x):
        return self.double_conv(x)
# --8<-- [end:double-conv]


# --8<-- [start:down]
class Down(nn.Module):
    """Downscaling: 2x2 max-pool (halves H and W), then DoubleConv."""

    def __init__(self, in_channels, out_channels, batch_norm=True):
        super().__init__()
        self.maxpool_conv = nn.Sequential(
            nn.MaxPool2d(2),
            DoubleConv(in_channels, out_channels, batch_norm=batch_norm),
        )

    def forward(self, x):
        return self.maxpool_conv(x)
# --8<-- [end:down]


# --8<-- [start:up]
class Up(nn.Module):
    """Upscaling by 2, concatenation with the skip features, then DoubleConv.

    ``in_channels`` counts the channels after concatenation (skip + upsampled).
    """

    def __init__(self, in_channels, out_channels, bilinear=False, batch_norm=True):
        super().__init__()
        if bilinear:
            # No weights here: the DoubleConv reduces the channels instead.
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2, batch_norm=batch_norm)
        else:
            # The paper's "up-conv 2x2": learned upsampling that halves the channels.
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels, batch_norm=batch_norm)

    def forward(self, x, skip):
        x = self.up(x)
        # Skip first, as in the paper's figure and in milesial's code (order fixes the weights' layout).
        return self.conv(torch.cat([skip, x], dim=1))
# --8<-- [end:up]


# --8<-- [start:out-conv]
class OutConv(nn.Module):
    """1x1 conv: per-pixel linear map from features to class logits."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)
# --8<-- [end:out-conv]


# --8<-- [start:unet]
class UNet(nn.Module):
    """U-Net with ``depth`` down/up steps; channels at level i are ``base_channels * 2**i``."""

    def __init__(self, in_channels=1, num_classes=2, depth=4, base_channels=64,
                 batch_norm=True, bilinear=False):
        super().__init__()
        self.in_channels, self.num_classes, self.depth = in_channels, num_classes, depth
        ch = [base_channels * 2**i for i in range(depth + 1)]
        # Bilinear upsampling keeps the channel count, so the deepest level and each
        # decoder output use half the channels to make the concatenations add up.
        factor = 2 if bilinear else 1

        self.inc = DoubleConv(in_channels, ch[0], batch_norm=batch_norm)
        for i in range(1, depth + 1):
            cout = ch[i] // factor if i == depth else ch[i]
            self.add_module(f"down{i}", Down(ch[i - 1], cout, batch_norm=batch_norm))
        for j in range(1, depth + 1):
            level = depth - j  # resolution level this Up returns to
            cout = ch[level] if j == depth else ch[level] // factor
            self.add_module(f"up{j}", Up(ch[level + 1], cout, bilinear=bilinear, batch_norm=batch_norm))
        self.outc = OutConv(ch[0], num_classes)

    # --8<-- [start:unet-forward]
    def forward(self, x):
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"expected input of shape (N, {self.in_channels}, H, W), got {tuple(x.shape)}")
        k = 2**self.depth
        if x.shape[-2] % k or x.shape[-1] % k:
            raise ValueError(
                f"input H and W must be divisible by 2**depth = {k} (depth={self.depth}), "
                f"got {x.shape[-2]}x{x.shape[-1]}; pad or crop the image first")
        x = self.inc(x)
        skips = [x]
        for i in range(1, self.depth + 1):
            x = getattr(self, f"down{i}")(x)
            skips.append(x)
        skips.pop()  # las características más profundas son la propia x, no una conexión de salto
        for j in range(1, self.depth + 1):
            x = getattr(self, f"up{j}")(x, skips.pop())
        return self.outc(x)
    # --8<-- [end:unet-forward]
# --8<-- [end:unet]


def unet(*, in_channels=1, num_classes=2, depth=4, base_channels=64, batch_norm=True, bilinear=False):
    """Build a U-Net whose output logits (N, num_classes, H, W) match the input H x W.

    Defaults follow the paper (1 input channel, 2 classes, 4 poolings, 64 base channels;
    31,030,658 parameters with ``batch_norm=False``). Inputs need H and W divisible by
    ``2**depth``.
    """
    for name, value in (("in_channels", in_channels), ("num_classes", num_classes),
                        ("depth", depth), ("base_channels", base_channels)):
        check_positive_int(name, value)
    return UNet(in_channels=in_channels, num_classes=num_classes, depth=depth,
                base_channels=base_channels, batch_norm=batch_norm, bilinear=bilinear)
