"""Training loop for a GAN (DCGAN recipe: Adam lr 2e-4, beta1 0.5, BCE on logits).

The discriminator D learns to tell real images (label 1) from generated ones
(label 0); the generator G learns to make D answer 1 on its images (the
"non-saturating" loss of Goodfellow et al., 2014, which gives G strong
gradients early on, when D rejects everything). Snapshots of G on fixed
latent vectors show how the samples evolve during training.
"""

import torch

from .resume import StepCheckpoint
import torch.nn.functional as F


@torch.no_grad()
def _snapshot(generator, z):
    # Train-mode BatchNorm, as in the PyTorch DCGAN tutorial: early in training
    # the running statistics lag far behind, so eval-mode samples look worse.
    # No gradients flow and train-mode forwards never read the running stats.
    return generator(z).float().cpu()


def train_gan(generator, discriminator, x, *, steps, batch_size, lr=2e-4, betas=(0.5, 0.999), seed=0,
              fixed_z=None, snapshot_steps=(), ctx=None, ckpt_key=None, ckpt_every=100):
    """Train on real images x (N, C, H, W) scaled to [-1, 1], as G's Tanh output.

    Returns {"d_loss": [...], "g_loss": [...], "snapshots": {step: G(fixed_z)
    on the CPU}}, a snapshot taken *before* each step listed in
    `snapshot_steps` (0 = untrained G; `steps` = after the last step).
    With `ctx` and `ckpt_key` the state is saved and a rerun continues from it.
    """
    device = x.device
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=betas)
    g = torch.Generator(device=device).manual_seed(seed)  # batch indices and latents, on the device
    d_losses = torch.zeros(steps, device=device)
    g_losses = torch.zeros(steps, device=device)
    saver = StepCheckpoint(ctx, ckpt_key, objects={"generator": generator, "discriminator": discriminator,
                                                   "opt_g": opt_g, "opt_d": opt_d},
                           tensors={"d_loss": d_losses, "g_loss": g_losses}, rng=g, every=ckpt_every)
    start = saver.restore(steps)
    snapshots = saver.extra or {}

    generator.train()
    discriminator.train()
    ones = torch.ones(batch_size, device=device)
    zeros = torch.zeros(batch_size, device=device)
    steps_iter = range(start, steps)
    if ctx is not None:
        steps_iter = ctx.progress_bar(steps_iter, "DCGAN")
    for step in steps_iter:
        if step in snapshot_steps and fixed_z is not None:
            snapshots[step] = _snapshot(generator, fixed_z)
        real = x[torch.randint(len(x), (batch_size,), generator=g, device=device)]
        z = torch.randn(batch_size, generator.latent_dim, generator=g, device=device)
        fake = generator(z)

        # D step: real -> 1, fake -> 0 (fake detached: this step must not update G).
        d_loss = (F.binary_cross_entropy_with_logits(discriminator(real), ones)
                  + F.binary_cross_entropy_with_logits(discriminator(fake.detach()), zeros))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()

        # G step: make the freshly updated D call the fakes real.
        g_loss = F.binary_cross_entropy_with_logits(discriminator(fake), ones)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()

        d_losses[step] = d_loss.detach()
        g_losses[step] = g_loss.detach()
        saver.after_step(step, steps, extra=snapshots)
    if steps in snapshot_steps and fixed_z is not None:
        snapshots[steps] = _snapshot(generator, fixed_z)
    return {"d_loss": d_losses.tolist(), "g_loss": g_losses.tolist(), "snapshots": snapshots}
