"""DCGAN on MNIST: samples from the same latent vectors as training goes on.

Keeping the latent vectors z fixed makes the rows comparable: each column is
"the same point of the latent space", watched while the generator learns.
"""
import numpy as np
import torch

from lecture_models.data.mnist import DATA_NAME, load_mnist
from lecture_models.models.dcgan import dcgan_discriminator, dcgan_generator
from lecture_models.train.gan import train_gan

from . import style

CONFIG = {
    "quick": dict(steps=150, batch_size=64, base_channels=16, moments=4),
    "full": dict(steps=2000, batch_size=64, base_channels=32, moments=6),
}
LATENT_DIM = 100
COLUMNS = 10  # fixed latent vectors shown


def mosaic(images, pad=2, fill=1.0):
    """(R, C, H, W) array in [0, 1] -> one (R*(H+pad)-pad, C*(W+pad)-pad) image with white gaps."""
    r, c, h, w = images.shape
    out = np.full((r * (h + pad) - pad, c * (w + pad) - pad), fill, dtype=np.float32)
    for i in range(r):
        for j in range(c):
            out[i * (h + pad):i * (h + pad) + h, j * (w + pad):j * (w + pad) + w] = images[i, j]
    return out


def grid_figure(images, *, row_labels, col_labels=None, ylabel=None, xlabel=None, title=None, size=0.55,
                label_size=None):
    """Labelled image grid drawn as one mosaic (crisp, small PNG): rows and columns named on the axes.

    label_size (points) sets every label and the title (one more); a grid shown on a slide
    needs about 14 pt for its labels to stay >= 16 px on a 1024x768 projector."""
    r, c, h, w = images.shape
    pad = 2
    fig, ax = style.figure(figsize=(c * size + 1.4, r * size + 0.9))
    ax.imshow(mosaic(images, pad), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.grid(False)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([i * (h + pad) + h / 2 - 0.5 for i in range(r)], row_labels)
    if col_labels is None:
        ax.set_xticks([])
    else:
        ax.set_xticks([j * (w + pad) + w / 2 - 0.5 for j in range(c)], col_labels, fontsize=label_size or 8)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    if ylabel:
        ax.set_ylabel(ylabel)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if label_size:
        style.enlarge(fig, label_size)
    return fig


def snapshot_steps(steps, moments):
    """0, then roughly doubling intervals up to `steps` (early changes are the fast ones)."""
    marks = [0] + [round(steps / 2 ** k) for k in range(moments - 2, -1, -1)]
    return sorted(set(marks))


def run(ctx):
    cfg = CONFIG["quick" if ctx.quick else "full"]
    x_train, _, _, _ = load_mnist(ctx.device)
    x = x_train * 2 - 1  # the generator's Tanh outputs [-1, 1]

    torch.manual_seed(ctx.seed_for(0))  # weight init
    gen = dcgan_generator(latent_dim=LATENT_DIM, out_channels=1, image_size=28,
                          base_channels=cfg["base_channels"]).to(ctx.device)
    disc = dcgan_discriminator(in_channels=1, image_size=28, base_channels=cfg["base_channels"]).to(ctx.device)
    fixed_z = torch.randn(COLUMNS, LATENT_DIM, generator=ctx.generator(1, device="cpu")).to(ctx.device)
    marks = snapshot_steps(cfg["steps"], cfg["moments"])
    hist = train_gan(gen, disc, x, steps=cfg["steps"], batch_size=cfg["batch_size"], seed=ctx.seed_for(2),
                     fixed_z=fixed_z, snapshot_steps=marks, ctx=ctx, ckpt_key="dcgan")

    images = torch.stack([hist["snapshots"][s] for s in marks])[:, :, 0]  # (moments, COLUMNS, 28, 28)
    images = ((images + 1) / 2).clamp(0, 1).numpy()
    k = min(50, cfg["steps"])
    d_last, g_last = np.mean(hist["d_loss"][-k:]), np.mean(hist["g_loss"][-k:])
    metrics = {
        "steps": cfg["steps"],
        "d_loss_final": round(float(d_last), 4),
        "g_loss_final": round(float(g_last), 4),
        "d_loss_first": round(float(np.mean(hist["d_loss"][:k])), 4),
        "g_loss_first": round(float(np.mean(hist["g_loss"][:k])), 4),
        "snapshot_steps": marks,
    }
    fig = grid_figure(images, row_labels=[str(s) for s in marks], ylabel="iteración del entrenamiento",
                      xlabel=f"{COLUMNS} vectores latentes z fijos",
                      title="DCGAN: muestras durante el entrenamiento", label_size=14)
    ctx.save_figure(
        "dcgan_samples.png", fig,
        alt=(f"Cuadrícula de {len(marks)} filas por {COLUMNS} columnas de imágenes de 28×28 generadas por una "
             f"DCGAN. Cada columna usa el mismo vector latente; las filas avanzan de la iteración 0 (ruido gris) "
             f"a la {cfg['steps']}, donde las imágenes {'empiezan a parecer' if ctx.quick else 'parecen'} "
             "dígitos manuscritos."),
        caption=(f"Muestras de una DCGAN entrenada en {DATA_NAME}, en {len(marks)} momentos del "
                 f"entrenamiento ({cfg['steps']} iteraciones con lotes de {cfg['batch_size']}). "
                 "Los vectores latentes z son los mismos en todas las filas, así que cada columna muestra "
                 "cómo cambia la imagen de un mismo punto del espacio latente. Pérdidas medias de los "
                 f"últimas {k} iteraciones: discriminador {style.num(d_last, 2)}, generador {style.num(g_last, 2)}."),
        data=DATA_NAME, metrics=metrics,
        extra={"config": dict(cfg, latent_dim=LATENT_DIM, image_size=28, lr=2e-4, betas=[0.5, 0.999]),
               "loss": "BCE con logits (generador no saturante)"})
