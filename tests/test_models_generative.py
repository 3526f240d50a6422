"""U-Net, DCGAN and DDPM: shapes, parameter counts and weights against reference code, and the maths of diffusion."""
import math

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from lecture_models.models import get_model, list_models
from lecture_models.models.dcgan import dcgan_discriminator, dcgan_generator
from lecture_models.models.diffusion import (NoiseSchedule, _guided_eps, ddim_step, diffusion_unet, loss, sample,
                                             timestep_embedding)
from lecture_models.models.unet import unet
pytestmark = pytest.mark.usefixtures("one_thread")


def n_params(m):
    return sum(p.numel() for p in m.parameters())


def shapes(m):
    return [(k, tuple(v.shape)) for k, v in m.state_dict().items()]


# ============================================================================ U-Net
# Reference: milesial/Pytorch-UNet, unet/unet_parts.py and unet/unet_model.py, as written there.

class RefDoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class RefDown(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), RefDoubleConv(in_channels, out_channels))

    def forward(self, x):
        return self.maxpool_conv(x)


class RefUp(nn.Module):
    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = RefDoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = RefDoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class RefOutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class RefUNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False):
        super().__init__()
        self.inc = (RefDoubleConv(n_channels, 64))
        self.down1 = (RefDown(64, 128))
        self.down2 = (RefDown(128, 256))
        self.down3 = (RefDown(256, 512))
        factor = 2 if bilinear else 1
        self.down4 = (RefDown(512, 1024 // factor))
        self.up1 = (RefUp(1024, 512 // factor, bilinear))
        self.up2 = (RefUp(512, 256 // factor, bilinear))
        self.up3 = (RefUp(256, 128 // factor, bilinear))
        self.up4 = (RefUp(128, 64, bilinear))
        self.outc = (RefOutConv(64, n_classes))

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        return self.outc(x)


@pytest.mark.parametrize("bilinear", [False, True])
def test_unet_equals_milesial_reference(bilinear):
    torch.manual_seed(0)
    ref = RefUNet(3, 5, bilinear=bilinear).eval()
    ours = unet(in_channels=3, num_classes=5, bilinear=bilinear).eval()
    assert shapes(ours) == shapes(ref)
    ours.load_state_dict(ref.state_dict())
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=0)


def test_unet_parameter_count_matches_the_paper_architecture():
    # Fig. 1 of Ronneberger et al.: 3x3 convs with bias, 2x2 up-convs, final 1x1 conv; 1 channel in, 2 classes.
    def conv(k, cin, cout):
        return k * k * cin * cout + cout

    ch = [64, 128, 256, 512, 1024]
    total = conv(3, 1, 64) + conv(3, 64, 64)
    for a, b in zip(ch, ch[1:]):
        total += conv(3, a, b) + conv(3, b, b)                               # contracting
        total += conv(2, b, a) + conv(3, b, a) + conv(3, a, a)               # expanding
    total += conv(1, 64, 2)
    assert total == 31_030_658
    assert n_params(unet(batch_norm=False)) == total


@pytest.mark.parametrize("depth,base,cin,classes,bilinear,size", [
    (1, 4, 1, 2, False, 6), (2, 8, 3, 5, True, 16), (3, 4, 2, 3, False, 24), (4, 6, 1, 2, True, 48)])
def test_unet_preserves_height_and_width(depth, base, cin, classes, bilinear, size):
    model = unet(in_channels=cin, num_classes=classes, depth=depth, base_channels=base, bilinear=bilinear)
    x = torch.randn(2, cin, size, size * 2)
    assert model(x).shape == (2, classes, size, size * 2)


def test_unet_gradients_flow():
    model = unet(depth=2, base_channels=4, num_classes=3)
    x, y = torch.randn(2, 1, 8, 8), torch.randint(0, 3, (2, 8, 8))
    F.cross_entropy(model(x), y).backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


@pytest.mark.parametrize("kwargs", [dict(depth=0), dict(base_channels=0), dict(in_channels=-1),
                                    dict(num_classes=1.5), dict(depth=True)])
def test_unet_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        unet(**kwargs)


def test_unet_rejects_bad_inputs():
    model = unet(depth=2, base_channels=4)
    with pytest.raises(ValueError, match="divisible by 2\\*\\*depth = 4"):
        model(torch.randn(1, 1, 30, 32))
    with pytest.raises(ValueError, match="channels|shape"):
        model(torch.randn(1, 3, 32, 32))


# ============================================================================ DCGAN
# Reference: the PyTorch DCGAN tutorial (beginner/dcgan_faces_tutorial.py), as written there.
nc, nz, ngf, ndf = 3, 100, 64, 64


def ref_weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class RefGenerator(nn.Module):
    def __init__(self, ngpu):
        super(RefGenerator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            # input is Z, going into a convolution
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            # state size. ``(ngf*8) x 4 x 4``
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            # state size. ``(ngf*4) x 8 x 8``
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            # state size. ``(ngf*2) x 16 x 16``
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            # state size. ``(ngf) x 32 x 32``
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh()
            # state size. ``(nc) x 64 x 64``
        )

    def forward(self, input):
        return self.main(input)


class RefDiscriminator(nn.Module):
    def __init__(self, ngpu):
        super(RefDiscriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            # input is ``(nc) x 64 x 64``
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. ``(ndf) x 32 x 32``
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. ``(ndf*2) x 16 x 16``
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 4),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. ``(ndf*4) x 8 x 8``
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 8),
            nn.LeakyReLU(0.2, inplace=True),
            # state size. ``(ndf*8) x 4 x 4``
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
            nn.Sigmoid()
        )

    def forward(self, input):
        return self.main(input)


def test_dcgan_64_parameter_counts_match_the_tutorial():
    G, D = dcgan_generator(), dcgan_discriminator()
    assert n_params(G) == n_params(RefGenerator(1)) == 3_576_704
    assert n_params(D) == n_params(RefDiscriminator(1)) == 2_765_568
    assert shapes(G) == shapes(RefGenerator(1))
    assert shapes(D) == shapes(RefDiscriminator(1))


def test_dcgan_64_same_seed_same_weights_and_outputs_as_the_tutorial():
    # Same layers created in the same order, then the same init: identical random weights.
    torch.manual_seed(0)
    G, D = dcgan_generator(), dcgan_discriminator()
    torch.manual_seed(0)
    ref_G = RefGenerator(1)  # the tutorial's order: build G, init G, build D, init D
    ref_G.apply(ref_weights_init)
    ref_D = RefDiscriminator(1)
    ref_D.apply(ref_weights_init)
    for ours, ref in ((G, ref_G), (D, ref_D)):
        for (k, a), (_, b) in zip(ours.state_dict().items(), ref.state_dict().items()):
            assert torch.equal(a, b), k
    z = torch.randn(4, nz)
    with torch.no_grad():
        fake = G(z)
        torch.testing.assert_close(fake, ref_G(z.view(4, nz, 1, 1)), rtol=0, atol=0)
        # The tutorial's D ends with a Sigmoid; ours returns the logit.
        torch.testing.assert_close(torch.sigmoid(D(fake)), ref_D(fake).view(-1))


@pytest.mark.parametrize("size,channels", [(64, 3), (32, 1), (28, 1)])
def test_dcgan_shapes_and_range(size, channels):
    G = dcgan_generator(image_size=size, out_channels=channels, base_channels=8)
    D = dcgan_discriminator(image_size=size, in_channels=channels, base_channels=8)
    fake = G(torch.randn(3, 100))
    assert fake.shape == (3, channels, size, size)
    assert fake.min() >= -1 and fake.max() <= 1
    assert D(fake).shape == (3,)


def test_dcgan_conditional():
    G = dcgan_generator(image_size=28, out_channels=1, base_channels=8, num_classes=10)
    D = dcgan_discriminator(image_size=28, in_channels=1, base_channels=8, num_classes=10)
    z, y = torch.randn(4, 100), torch.tensor([0, 3, 3, 9])
    fake = G(z, y)
    assert fake.shape == (4, 1, 28, 28) and D(fake, y).shape == (4,)
    G.eval()
    with torch.no_grad():
        assert not torch.equal(G(z, y), G(z, torch.tensor([1, 3, 3, 9])))  # the label matters
    with pytest.raises(ValueError, match="labels"):
        G(z)


def test_dcgan_gradients_flow():
    G = dcgan_generator(image_size=32, out_channels=1, base_channels=8)
    D = dcgan_discriminator(image_size=32, in_channels=1, base_channels=8)
    logits = D(G(torch.randn(4, 100)))
    F.binary_cross_entropy_with_logits(logits, torch.ones(4)).backward()
    for m in (G, D):
        for name, p in m.named_parameters():
            assert p.grad is not None and torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0, name


@pytest.mark.parametrize("build,kwargs", [
    (dcgan_generator, dict(image_size=48)), (dcgan_discriminator, dict(image_size=128)),
    (dcgan_generator, dict(latent_dim=0)), (dcgan_discriminator, dict(base_channels=-8)),
    (dcgan_generator, dict(num_classes=-1))])
def test_dcgan_rejects_bad_arguments(build, kwargs):
    with pytest.raises(ValueError):
        build(**kwargs)


# ============================================================================ DDPM

def tiny_ddpm(num_classes=3, seed=0):
    """A few thousand parameters, with a random (not zero) output layer so that every input matters."""
    torch.manual_seed(seed)
    model = diffusion_unet(image_size=8, base_channels=8, num_classes=num_classes, channel_mults=(1, 2))
    nn.init.normal_(model.conv_out[-1].weight, std=0.05)
    return model


def test_linear_schedule_matches_closed_form():
    s = NoiseSchedule(1000)
    betas = np.linspace(1e-4, 0.02, 1000)
    np.testing.assert_allclose(s.betas.numpy(), betas, rtol=1e-6)
    np.testing.assert_allclose(s.alphas_cumprod.numpy(), np.cumprod(1 - betas), rtol=1e-5)
    ab = s.alphas_cumprod
    assert (ab[1:] < ab[:-1]).all() and 0 < ab[-1] < 1e-4 and ab[0] < 1
    # Any T is rescaled to end near pure noise.
    assert NoiseSchedule(100).alphas_cumprod[-1] < 1e-4


def test_cosine_schedule_matches_closed_form():
    T, s0 = 200, 0.008
    s = NoiseSchedule(T, kind="cosine")
    f = np.cos((np.arange(T + 1) / T + s0) / (1 + s0) * np.pi / 2) ** 2
    ab = s.alphas_cumprod.numpy()
    np.testing.assert_allclose(ab[:-1], (f[1:] / f[0])[:-1], rtol=1e-5, atol=1e-7)  # the last beta is clipped
    assert (np.diff(ab) < 0).all() and s.betas.max() <= 0.999


def test_q_sample_has_the_right_mean_and_variance():
    s = NoiseSchedule(1000)
    g = torch.Generator().manual_seed(0)
    n, t = 200_000, 300
    x0 = torch.full((n, 1), 0.7)
    noise = torch.randn(n, 1, generator=g)
    x_t = s.q_sample(x0, torch.full((n,), t), noise)
    ab = s.alphas_cumprod[t].item()
    mean, var = math.sqrt(ab) * 0.7, 1 - ab
    assert abs(x_t.mean().item() - mean) < 4 * math.sqrt(var / n)
    assert abs(x_t.var().item() / var - 1) < 4 * math.sqrt(2 / n)
    # Per-image steps broadcast over (C, H, W).
    x0, noise, t = torch.randn(3, 2, 4, 4), torch.randn(3, 2, 4, 4), torch.tensor([0, 500, 999])
    want = torch.stack([s.alphas_cumprod[k].sqrt() * x0[i] + (1 - s.alphas_cumprod[k]).sqrt() * noise[i]
                        for i, k in enumerate(t)])
    torch.testing.assert_close(s.q_sample(x0, t, noise), want)


def test_timestep_embedding():
    e = timestep_embedding(torch.tensor([0, 7]), 16)
    assert e.shape == (2, 16)
    torch.testing.assert_close(e[0], torch.cat([torch.zeros(8), torch.ones(8)]))
    torch.testing.assert_close(e[1, 0], torch.tensor(math.sin(7.0)))


def test_ddpm_step_equals_algorithm_2():
    """eta = 1 on consecutive steps is Ho et al.'s ancestral step with sigma_t^2 = posterior variance."""
    # In float64 from the closed form: this checks the algebra, not float32 rounding.
    betas = torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64)
    alphas_cumprod = torch.cumprod(1 - betas, dim=0)
    g = torch.Generator().manual_seed(1)
    x, eps, z = (torch.randn(2, 1, 4, 4, generator=g, dtype=torch.float64) for _ in range(3))
    for t in (1, 10, 500, 999):
        ab, ab_prev, beta = alphas_cumprod[t], alphas_cumprod[t - 1], betas[t]
        a = 1 - beta
        sigma = ((1 - ab_prev) / (1 - ab) * beta).sqrt()
        want = (x - beta / (1 - ab).sqrt() * eps) / a.sqrt() + sigma * z
        torch.testing.assert_close(ddim_step(x, eps, ab, ab_prev, 1.0, z, clip_x0=False), want, rtol=1e-10, atol=1e-10)
        # With clipping it is the mean of q(x_{t-1} | x_t, x0) at the clipped x0 (the DDPM code's path).
        x0 = ((x - (1 - ab).sqrt() * eps) / ab.sqrt()).clamp(-1, 1)
        mean = (ab_prev.sqrt() * beta * x0 + a.sqrt() * (1 - ab_prev) * x) / (1 - ab)
        torch.testing.assert_close(ddim_step(x, eps, ab, ab_prev, 1.0, z), mean + sigma * z, rtol=1e-10, atol=1e-10)


def test_ddim_with_the_true_noise_lands_on_the_forward_process():
    s = NoiseSchedule(1000)
    x0, eps = torch.rand(2, 1, 4, 4) * 2 - 1, torch.randn(2, 1, 4, 4)
    ab, ab_prev = s.alphas_cumprod[800], s.alphas_cumprod[200]
    x_t = s.q_sample(x0, torch.tensor([800, 800]), eps)
    x_prev = ddim_step(x_t, eps, ab, ab_prev, 0.0)
    torch.testing.assert_close(x_prev, s.q_sample(x0, torch.tensor([200, 200]), eps), rtol=1e-4, atol=1e-5)



class _Oracle(nn.Module):
    """Predicts the exact noise for one known clean image x0 (so x0 is recovered at any step)."""

    num_classes, in_channels, image_size = 0, 1, 4

    def __init__(self, x0, schedule):
        super().__init__()
        self.x0, self.ab, self.seen = x0, schedule.alphas_cumprod, []
        self.dummy = nn.Parameter(torch.zeros(()))

    def forward(self, x, t, y=None):
        self.seen.append(int(t))
        ab = self.ab[t]
        return (x - ab.sqrt() * self.x0) / (1 - ab).sqrt()


@pytest.mark.parametrize("steps", [1, 7, 50])
def test_ddim_sampling_visits_t0_last_and_lands_on_the_data(steps):
    """DDIM on k steps goes from T-1 down to 0 in k evenly spaced steps; with eta = 0 every
    state lies on the forward process of (x0, eps_T): x_t = sqrt(abar_t) x0 + sqrt(1-abar_t) eps,
    so the state before the last update has the noise level abar_0, and the output is x0."""
    s = NoiseSchedule(100)
    g = torch.Generator().manual_seed(3)
    x0 = torch.rand(2, 1, 4, 4, generator=g) * 1.6 - 0.8
    model = _Oracle(x0, s)
    out, traj = sample(model, s, 2, steps=steps, generator=torch.Generator().manual_seed(5), return_trajectory=True)
    want_t = [99] if steps == 1 else [round(99 - i * 99 / (steps - 1)) for i in range(steps)]
    assert model.seen == want_t and (steps == 1 or model.seen[-1] == 0)
    ab_T = s.alphas_cumprod[99]
    eps = (traj[0] - ab_T.sqrt() * x0) / (1 - ab_T).sqrt()
    for k, t in enumerate(want_t):  # traj[k] is the state fed to the model at step t
        ab = s.alphas_cumprod[t]
        torch.testing.assert_close(traj[k], ab.sqrt() * x0 + (1 - ab).sqrt() * eps, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(out, x0, rtol=1e-4, atol=1e-4)



class _Broken(_Oracle):
    """Fails at its second call, as an out-of-memory or an interrupt would mid-sampling."""

    def forward(self, x, t, y=None):
        if self.seen:
            raise RuntimeError("boom")
        return super().forward(x, t, y)


@pytest.mark.parametrize("training", [True, False])
def test_sampling_gives_the_model_back_in_its_mode_when_a_step_fails(training):
    s = NoiseSchedule(100)
    model = _Broken(torch.zeros(1, 1, 4, 4), s).train(training)
    with pytest.raises(RuntimeError, match="boom"):
        sample(model, s, 1, steps=5)
    assert model.training is training
    assert model.seen == [99]  # it did run in eval mode in between

def test_diffusion_unet_shapes_and_default_size():
    model = tiny_ddpm()
    x = torch.randn(4, 1, 8, 8)
    assert model(x, torch.tensor([0, 1, 2, 3]), torch.tensor([0, 1, 2, 3])).shape == x.shape
    assert model(x, 5).shape == x.shape  # one step for all, no labels = "no class"
    big = diffusion_unet()  # MNIST defaults
    assert big(torch.randn(2, 1, 28, 28), torch.tensor([3, 999]), torch.tensor([1, 10])).shape == (2, 1, 28, 28)
    assert 500_000 < n_params(big) < 1_500_000


def test_diffusion_gradients_flow():
    model = diffusion_unet(image_size=8, base_channels=8, num_classes=3, channel_mults=(1, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x0, y = torch.rand(4, 1, 8, 8) * 2 - 1, torch.tensor([0, 1, 2, 0])
    g = torch.Generator().manual_seed(0)
    for _ in range(2):  # the output conv starts at zero, so the inner layers get gradient from step 2 on
        opt.zero_grad()
        loss(model, x0, y, p_uncond=0.0, schedule=NoiseSchedule(100), generator=g).backward()
        opt.step()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0, name


def test_diffusion_loss_decreases_on_a_fixed_batch():
    torch.manual_seed(0)
    model = diffusion_unet(image_size=8, base_channels=8, num_classes=3, channel_mults=(1, 2))
    s = NoiseSchedule(100)
    x0 = (torch.rand(8, 1, 8, 8) > 0.5).float() * 2 - 1
    y = torch.arange(8) % 3
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(40):
        g = torch.Generator().manual_seed(0)  # same t, noise and label dropout each step: a fixed objective
        value = loss(model, x0, y, schedule=s, generator=g)
        opt.zero_grad()
        value.backward()
        opt.step()
        losses.append(value.item())
    assert losses[-1] < 0.5 * losses[0]


def test_cfg_combines_conditional_and_unconditional_predictions():
    model = tiny_ddpm().eval()
    x, y, null = torch.randn(3, 1, 8, 8), torch.tensor([0, 1, 2]), torch.full((3,), 3)
    with torch.no_grad():
        e_y, e_null = model(x, 7, y), model(x, 7, null)
        torch.testing.assert_close(_guided_eps(model, x, torch.tensor(7), y, 2.5), e_null + 2.5 * (e_y - e_null))
        assert not torch.allclose(e_y, e_null)


@pytest.mark.parametrize("steps", [None, 5])
def test_sampling_is_deterministic_and_has_the_right_shape(steps):
    model, s, y = tiny_ddpm(), NoiseSchedule(20, kind="cosine"), torch.tensor([0, 1, 2, 1])

    def run(seed, **kwargs):
        return sample(model, s, y, steps=steps, generator=torch.Generator().manual_seed(seed), **kwargs)

    a, b = run(0), run(0)
    assert a.shape == (4, 1, 8, 8) and torch.equal(a, b)
    assert a.min() >= -1 and a.max() <= 1
    assert not torch.equal(a, run(1))
    x, traj = run(0, return_trajectory=True)
    assert traj.shape == ((steps or 20) + 1, 4, 1, 8, 8)
    assert torch.equal(x, a) and torch.equal(traj[-1], x)
    assert model.training  # sample() restores the mode it found


def test_guidance_zero_is_an_unconditional_sample():
    model, s = tiny_ddpm(), NoiseSchedule(100)
    y = torch.tensor([0, 1, 2])

    def run(labels, scale):
        return sample(model, s, labels, guidance_scale=scale, steps=4, generator=torch.Generator().manual_seed(3))

    uncond = run(3, 1.0)  # an int: three samples with the "no class" token
    torch.testing.assert_close(run(y, 0.0), uncond)
    torch.testing.assert_close(run(torch.full((3,), 3), 4.0), uncond)
    assert not torch.allclose(run(y, 3.0), uncond)


def test_unconditional_model_samples():
    model, s = tiny_ddpm(num_classes=0), NoiseSchedule(20, kind="cosine")
    assert model.class_emb is None
    assert sample(model, s, 2, steps=3, guidance_scale=5.0).shape == (2, 1, 8, 8)


@pytest.mark.parametrize("kwargs", [dict(base_channels=12), dict(image_size=30), dict(num_classes=-1),
                                    dict(channel_mults=()), dict(dropout=1.0), dict(in_channels=0)])
def test_diffusion_unet_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        diffusion_unet(**kwargs)


def test_diffusion_rejects_bad_schedules_and_calls():
    with pytest.raises(ValueError, match="kind"):
        NoiseSchedule(100, kind="quadratic")
    with pytest.raises(ValueError):
        NoiseSchedule(10)  # linear betas scaled to 1000/10 * 0.02 = 2
    with pytest.raises(ValueError):
        NoiseSchedule(1)
    model, s = tiny_ddpm(), NoiseSchedule(20, kind="cosine")
    for kwargs in (dict(steps=0), dict(steps=21), dict(guidance_scale=-1.0)):
        with pytest.raises(ValueError):
            sample(model, s, torch.tensor([0]), **kwargs)
    with pytest.raises(ValueError, match="labels"):
        sample(model, s, torch.tensor([4]), steps=2)
    with pytest.raises(ValueError, match="p_uncond"):
        loss(model, torch.zeros(1, 1, 8, 8), torch.tensor([0]), p_uncond=1.5)
    with pytest.raises(ValueError, match="divisible"):
        model(torch.zeros(1, 1, 7, 8), 0)


def test_registry_has_the_generative_models():
    assert {"unet", "dcgan_generator", "dcgan_discriminator", "diffusion_unet"} <= set(list_models())
    assert get_model("unet", depth=1, base_channels=4)(torch.zeros(1, 1, 4, 4)).shape == (1, 2, 4, 4)
