"""A KL-regularised autoencoder, as Stable Diffusion's: a digit <-> a 4x8x8 latent (256 numbers).

Latent diffusion (Rombach et al., 2022) trains the image-to-latent map first and apart:
an encoder gives a mean and a log-variance per latent number, a decoder turns a latent
back into pixels, and a small KL term keeps the latent space smooth (no holes between
digits) without the blur of a full VAE. Diffusion then runs on the latents.

28x28 digits are padded to 32x32 (two halvings to 8x8); the decoder's 32x32 output is
cropped back. ``scale_factor`` (a buffer saved with the weights, computed from the data
by ``set_scale_factor``) makes the latents of the training digits have unit variance,
what the diffusion's noise schedule assumes; Stable Diffusion's is 0.18215.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["LatentAutoencoder", "latent_autoencoder", "autoencoder_loss", "PAD"]

PAD = 2  # 28 + 2 * 2 = 32


class LatentAutoencoder(nn.Module):
    def __init__(self, channels=16, latent_channels=4):
        super().__init__()
        c = channels
        self.latent_channels = latent_channels
        self.encoder = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.SiLU(),
            nn.Conv2d(c, 2 * c, 4, stride=2, padding=1), nn.SiLU(),       # 32 -> 16
            nn.Conv2d(2 * c, 2 * c, 4, stride=2, padding=1), nn.SiLU(),   # 16 -> 8
            nn.Conv2d(2 * c, 2 * latent_channels, 3, padding=1))          # mean and log-variance
        self.decoder = nn.Sequential(
            nn.Conv2d(latent_channels, 2 * c, 3, padding=1), nn.SiLU(),
            nn.ConvTranspose2d(2 * c, 2 * c, 4, stride=2, padding=1), nn.SiLU(),  # 8 -> 16
            nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1), nn.SiLU(),      # 16 -> 32
            nn.Conv2d(c, 1, 3, padding=1))                                        # logits
        self.register_buffer("scale_factor", torch.ones(()))

    def moments(self, x):
        """(mean, logvar), each (N, 4, 8, 8), of the unscaled latent of digits x (N, 1, 28, 28) in [0, 1]."""
        mean, logvar = self.encoder(F.pad(x, (PAD,) * 4)).chunk(2, dim=1)
        return mean, logvar.clamp(-30, 20)

    def encode(self, x):
        """The scaled latent the diffusion works on: the encoder's mean times scale_factor."""
        return self.moments(x)[0] * self.scale_factor

    def decode_logits(self, z_unscaled):
        return self.decoder(z_unscaled)[..., PAD:-PAD, PAD:-PAD]

    def decode(self, z):
        """Scaled latents (N, 4, 8, 8) -> digits (N, 1, 28, 28) in [0, 1]."""
        return torch.sigmoid(self.decode_logits(z / self.scale_factor))

    def forward(self, x):
        return self.decode(self.encode(x))

    @torch.no_grad()
    def set_scale_factor(self, x, batch_size=1000):
        """1 / std of the unscaled latent means of x: scaled latents have unit variance."""
        means = torch.cat([self.moments(x[i:i + batch_size])[0] for i in range(0, len(x), batch_size)])
        self.scale_factor.fill_(1 / means.std().item())
        return self.scale_factor.item()


def latent_autoencoder(*, channels=16, latent_channels=4):
    """The course's latent autoencoder (about 53,000 parameters with the defaults)."""
    for name, value in (("channels", channels), ("latent_channels", latent_channels)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    return LatentAutoencoder(channels, latent_channels)


def autoencoder_loss(model, x, beta, generator=None):
    """(total, reconstruction, kl) per image: binary cross-entropy of the decoded sample + beta * KL.

    The latent is sampled (mean + std * noise), the VAE's reparameterisation; the KL term is
    that of N(mean, std^2) to N(0, I), summed over the 256 latent numbers.
    """
    mean, logvar = model.moments(x)
    std = (0.5 * logvar).exp()
    noise = torch.randn(mean.shape, generator=generator, device=generator.device if generator else None)
    z = mean + std * noise.to(mean.device)
    recon = F.binary_cross_entropy_with_logits(model.decode_logits(z), x, reduction="sum") / len(x)
    kl = 0.5 * (mean**2 + logvar.exp() - 1 - logvar).sum() / len(x)
    return recon + beta * kl, recon, kl
