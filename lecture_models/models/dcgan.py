"""DCGAN generator and discriminator (Radford, Metz & Chintala, 2015, arXiv:1511.06434).

Layer for layer the networks of the PyTorch DCGAN tutorial
(pytorch.org/tutorials/beginner/dcgan_faces_tutorial.html), which follow the
paper's guidelines:
- no pooling or fully connected hidden layers: strided convs learn the
  down-sampling (D) and transposed convs the up-sampling (G);
- BatchNorm in both nets, except G's output layer and D's input layer;
- ReLU in G with Tanh at the output (images live in [-1, 1]); LeakyReLU(0.2) in D;
- weights drawn from N(0, 0.02) (``weights_init``).

For 64x64 images (nz=100, ngf=ndf=64, nc=3) G has 3,576,704 and D 2,765,568
parameters, like the tutorial; the layers sit in ``self.main`` with the same
indices, so the tutorial's state_dicts load directly. 32x32 and 28x28 (MNIST)
images use fewer stride-2 stages: 28 = 7 * 2**2, so G starts from 7x7 there.

Two small departures: D returns one *logit* per image (shape (N,)), without the
tutorial's final Sigmoid, so train it with ``BCEWithLogitsLoss`` (more stable
than Sigmoid + BCELoss); and ``num_classes > 0`` makes both nets class-conditional
by concatenating one-hot labels (to z in G, as constant image planes in D), as in
conditional GANs (Mirza & Osindero, 2014, arXiv:1411.1784).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._checks import check_positive_int

__all__ = ["Generator", "Discriminator", "weights_init", "dcgan_generator", "dcgan_discriminator"]

# image_size -> (size of the smallest feature map, number of stride-2 stages)
_SIZES = {64: (4, 4), 32: (4, 3), 28: (7, 2)}


def _check_size(image_size):
    if image_size not in _SIZES:
        raise ValueError(f"image_size must be one of {sorted(_SIZES)}, got {image_size!r}")
    return _SIZES[image_size]


def _one_hot_labels(y, num_classes, n):
    if y is None:
        raise ValueError(f"this model is class-conditional (num_classes={num_classes}): pass labels y")
    y = torch.as_tensor(y).reshape(-1)
    if y.numel() != n:
        raise ValueError(f"expected {n} labels, got {y.numel()}")
    return F.one_hot(y.long(), num_classes).float()


# --8<-- [start:weights-init]
def weights_init(m):
    """La inicialización del artículo: pesos de conv ~ N(0, 0.02); escala de BN ~ N(1, 0.02), desplazamiento 0."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.constant_(m.bias, 0)
# --8<-- [end:weights-init]


# --8<-- [start:generator]
class Generator(nn.Module):
    """Maps z (N, latent_dim) to images (N, out_channels, image_size, image_size) in [-1, 1]."""

    def __init__(self, latent_dim=100, out_channels=3, image_size=64, base_channels=64, num_classes=0):
        super().__init__()
        start, stages = _check_size(image_size)
        self.latent_dim, self.num_classes, self.image_size = latent_dim, num_classes, image_size
        # --8<-- [start:generator-layers]
        ch = base_channels * 2 ** (stages - 1)  # ngf * 8 para 64x64
        # Proyecta z (una «imagen» de 1x1) a un mapa de start x start.
        layers = [
            nn.ConvTranspose2d(latent_dim + num_classes, ch, start, 1, 0, bias=False),
            nn.BatchNorm2d(ch),
            nn.ReLU(True),
        ]
        # Cada etapa duplica H y W y divide los canales por 2...
        for _ in range(stages - 1):
            layers += [
                nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ch // 2),
                nn.ReLU(True),
            ]
            ch //= 2
        # ... y la última da la imagen, comprimida a [-1, 1].
        layers += [nn.ConvTranspose2d(ch, out_channels, 4, 2, 1, bias=False), nn.Tanh()]
        # --8<-- [end:generator-layers]
        self.main = nn.Sequential(*layers)

    def forward(self, z, y=None):
        z = z.reshape(z.shape[0], -1, 1, 1)
        if self.num_classes:
            y = _one_hot_labels(y, self.num_classes, z.shape[0]).to(z)
            z = torch.cat([z, y[:, :, None, None]], dim=1)
        return self.main(z)
# --8<-- [end:generator]


# --8<-- [start:discriminator]
class Discriminator(nn.Module):
    """Maps images (N, in_channels, image_size, image_size) to one real-vs-fake logit each, shape (N,)."""

    def __init__(self, in_channels=3, image_size=64, base_channels=64, num_classes=0):
        super().__init__()
        start, stages = _check_size(image_size)
        self.num_classes, self.image_size = num_classes, image_size
        # --8<-- [start:discriminator-layers]
        ch = base_channels
        # Primera etapa: sin BatchNorm en la capa de entrada (pauta del artículo).
        layers = [
            nn.Conv2d(in_channels + num_classes, ch, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
        ]
        # Cada etapa siguiente divide H y W por 2 y duplica los canales...
        for _ in range(stages - 1):
            layers += [
                nn.Conv2d(ch, ch * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ch * 2),
                nn.LeakyReLU(0.2, inplace=True),
            ]
            ch *= 2
        # ... y una convolución del tamaño del último mapa da un logit.
        layers += [nn.Conv2d(ch, 1, start, 1, 0, bias=False)]
        self.main = nn.Sequential(*layers)
        # --8<-- [end:discriminator-layers]

    def forward(self, x, y=None):
        if self.num_classes:
            y = _one_hot_labels(y, self.num_classes, x.shape[0]).to(x)
            x = torch.cat([x, y[:, :, None, None].expand(-1, -1, *x.shape[-2:])], dim=1)
        return self.main(x).reshape(-1)
# --8<-- [end:discriminator]


def dcgan_generator(*, latent_dim=100, out_channels=3, image_size=64, base_channels=64, num_classes=0):
    """DCGAN generator (ngf = base_channels), initialised with ``weights_init``."""
    _check_size(image_size)
    for name, value in (("latent_dim", latent_dim), ("out_channels", out_channels), ("base_channels", base_channels)):
        check_positive_int(name, value)
    if not isinstance(num_classes, int) or num_classes < 0:
        raise ValueError(f"num_classes must be an int >= 0 (0 = unconditional), got {num_classes!r}")
    model = Generator(latent_dim, out_channels, image_size, base_channels, num_classes)
    model.apply(weights_init)
    return model


def dcgan_discriminator(*, in_channels=3, image_size=64, base_channels=64, num_classes=0):
    """DCGAN discriminator (ndf = base_channels) returning logits, initialised with ``weights_init``."""
    _check_size(image_size)
    check_positive_int("in_channels", in_channels)
    check_positive_int("base_channels", base_channels)
    if not isinstance(num_classes, int) or num_classes < 0:
        raise ValueError(f"num_classes must be an int >= 0 (0 = unconditional), got {num_classes!r}")
    model = Discriminator(in_channels, image_size, base_channels, num_classes)
    model.apply(weights_init)
    return model
