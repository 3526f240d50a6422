"""U-Net segmentation of M2NIST-style scenes: per-class Dice and overlays.

Scenes are made deterministically from the seed with real MNIST digits
(`lecture_models.data.segmentation`): training scenes only use training
digits and test scenes only test digits, so the Dice is measured on digits
the network never saw. Loss: cross-entropy + soft Dice; metric: hard Dice.
"""
import numpy as np
import torch

from lecture_models import export
from lecture_models.data.mnist import DATA_NAME, load_mnist
from lecture_models.data.segmentation import CLASS_NAMES, NUM_CLASSES, make_scenes
from lecture_models.metrics import dice_score
from lecture_models.models.unet import unet
from lecture_models.train.segmentation import evaluate_segmentation, train_segmentation

from . import style

CONFIG = {
    # quick: a few CPU seconds, only checks the pipeline; figures may look poor
    "quick": dict(train_scenes=1000, test_scenes=200, base_channels=8, steps=150, batch_size=16, lr=4e-3),
    "full": dict(train_scenes=4000, test_scenes=1000, base_channels=8, steps=900, batch_size=32, lr=3e-3),
}
# 64 -> 4 pixels at the bottom: every pixel sees its whole digit. Depth 3 at the same cost
# reached a mean digit Dice of only 0.40 (vs 0.94) after 900 steps: the context and the
# channels of the deepest level are what recognise the digit.
DEPTH = 4
OVERLAY_ROWS = 4
PAGE_SCENES = 16  # test scenes shipped with the weights for the segmenter widget

# Background black; one colour per digit (Okabe-Ito, then Paul Tol's extras): easy to tell apart.
DIGIT_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                "#D55E00", "#CC79A7", "#882255", "#44AA99", "#999933"]


def _rgb(hex_color):
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def overlay(image, labels, alpha=0.7):
    """Grey image (H, W) with each labelled pixel tinted by its digit colour -> (H, W, 3)."""
    palette = np.stack([np.zeros(3)] + [_rgb(c) for c in DIGIT_COLORS])
    grey = np.repeat(image[..., None], 3, axis=-1) * 0.6
    tint = palette[labels]
    mask = (labels > 0)[..., None] * alpha
    return grey * (1 - mask) + tint * mask


def dice_figure(dice, mean_digits):
    from matplotlib.ticker import FuncFormatter

    fig, ax = style.figure(figsize=(7, 3.4))
    values = np.nan_to_num(dice.numpy(), nan=0.0)
    colors = ["#555555"] + DIGIT_COLORS
    bars = ax.bar(range(NUM_CLASSES), values, color=colors, edgecolor="black", linewidth=0.5)
    for bar, v in zip(bars, values):
        # White box: the value stays readable where it crosses the mean line.
        ax.text(bar.get_x() + bar.get_width() / 2, v + 0.04, style.num(v, 2), ha="center", fontsize=11,
                bbox=dict(facecolor="white", edgecolor="none", pad=2), zorder=3)
    ax.axhline(mean_digits, color="black", linestyle="--", linewidth=1,
               label=f"Dice medio de los dígitos = {style.num(mean_digits, 2)}")
    ax.set_xticks(range(NUM_CLASSES), CLASS_NAMES)
    ax.set_xlabel("Clase")
    ax.set_ylabel("Dice en las escenas de prueba")
    ax.set_ylim(0, 1.12)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: style.num(v, 1)))
    fig.legend(loc="outside lower center")  # below the axes: never on top of a bar
    ax.set_title("U-Net: coeficiente de Dice por clase")
    style.enlarge(fig, 12)  # >= 16 px on the screen even on a 4:3 projector
    return fig


def overlays_figure(x, y, pred):
    """Two scenes per row (image, truth, prediction each): wide like a slide, so its labels
    read from the back of the room."""
    import matplotlib.patches as mpatches

    fig, groups = style.example_rows(len(x), row_height=2.45, extra_height=0.9)
    for r, group in enumerate(groups):
        img = x[r, 0].numpy()
        d = dice_score(pred[r], y[r], NUM_CLASSES)[1:].nanmean().item()
        panels = [(np.repeat(img[..., None], 3, -1), "Imagen"),
                  (overlay(img, y[r].numpy()), "Verdad"),
                  (overlay(img, pred[r].numpy()), f"Predicción\n(Dice {style.num(d, 2)})")]
        for ax, (panel, title) in zip(group, panels):
            ax.imshow(panel, interpolation="nearest")
            ax.set_title(title, fontsize=17)  # >= 16 px on the screen even on a 4:3 projector
    handles = [mpatches.Patch(color=c, label=str(k)) for k, c in enumerate(DIGIT_COLORS)]
    fig.legend(handles=handles, loc="outside lower center", ncol=10, title="Dígito", fontsize=17,
               title_fontsize=17, handlelength=1.2, columnspacing=1.0)
    return fig


def run(ctx):
    cfg = CONFIG["quick" if ctx.quick else "full"]
    x_train, y_train, x_test, y_test = load_mnist(ctx.device)
    x, y, _ = make_scenes(x_train, y_train, cfg["train_scenes"], seed=ctx.seed_for(1))
    y = y.to(torch.uint8)  # 8x smaller; the loop converts each batch back to long
    xt, yt, _ = make_scenes(x_test, y_test, cfg["test_scenes"], seed=ctx.seed_for(2))

    torch.manual_seed(ctx.seed_for(0))  # weight init
    model = unet(in_channels=1, num_classes=NUM_CLASSES, depth=DEPTH, base_channels=cfg["base_channels"])
    model = model.to(ctx.device)
    if ctx.device.type == "cuda":
        model = model.to(memory_format=torch.channels_last)
    hist = train_segmentation(model, x, y, steps=cfg["steps"], lr=cfg["lr"], batch_size=cfg["batch_size"],
                              seed=ctx.seed_for(3), ctx=ctx, ckpt_key="unet")
    dice, pred = evaluate_segmentation(model, xt, yt, NUM_CLASSES)
    dice, pred = dice.cpu(), pred.cpu()
    mean_digits = dice[1:].nanmean().item()
    lo, hi = np.nanmin(dice[1:].numpy()), np.nanmax(dice[1:].numpy())

    losses = hist["loss"]
    k = max(1, len(losses) // 10)
    metrics = {
        "mean_dice": round(mean_digits, 4),
        "mean_dice_with_background": round(dice.nanmean().item(), 4),
        "dice_per_class": {name: round(v, 4) for name, v in zip(CLASS_NAMES, dice.tolist())},
        "steps": cfg["steps"],
        "loss_first": round(sum(losses[:k]) / k, 4),
        "loss_last": round(sum(losses[-k:]) / k, 4),
        "test_scenes": cfg["test_scenes"],
    }
    data = (f"Escenas tipo M2NIST de 64×64 píxeles generadas de forma determinista (semilla {ctx.seed}) "
            f"con dígitos reales de {DATA_NAME}: {cfg['train_scenes']} escenas de entrenamiento "
            f"con dígitos de entrenamiento y {cfg['test_scenes']} de prueba con dígitos de prueba")
    extra = {"config": dict(cfg, depth=DEPTH), "loss": "entropía cruzada + Dice suave"}
    scenes = ("escenas de 64×64 píxeles con uno a tres dígitos MNIST reales colocados al azar "
              f"(generadas de forma determinista a partir de la semilla {ctx.seed})")

    page = export.rounded(model.cpu())
    page_dice, _ = evaluate_segmentation(page, xt.cpu(), yt.cpu(), NUM_CLASSES)
    export.export_weights(
        ctx, "unet", page, network="unet", data=data,
        config={"in_channels": 1, "num_classes": NUM_CLASSES, "depth": DEPTH, "base_channels": cfg["base_channels"],
                "batch_norm": True, "bilinear": False, "class_names": list(CLASS_NAMES), "colors": DIGIT_COLORS},
        metrics={"mean_dice": round(page_dice[1:].nanmean().item(), 4),
                 "mean_dice_float32": metrics["mean_dice"], "steps": cfg["steps"], "test_scenes": cfg["test_scenes"]},
        extra_arrays={"scenes.images": (xt[:PAGE_SCENES, 0].cpu() * 255).round().to(torch.uint8).numpy(),
                      "scenes.masks": yt[:PAGE_SCENES].cpu().to(torch.uint8).numpy()})
    model.to(ctx.device)

    ctx.save_figure(
        "unet_dice.svg", dice_figure(dice, mean_digits),
        alt=(f"Diagrama de barras del coeficiente de Dice por clase de una U-Net en {cfg['test_scenes']} "
             f"escenas de prueba: fondo {style.num(float(dice[0]), 2)}; Dice medio de los diez dígitos "
             f"{style.num(mean_digits, 2)}, entre {style.num(lo, 2)} y {style.num(hi, 2)}."),
        caption=(f"Dice por clase de una U-Net (profundidad {DEPTH}, {cfg['base_channels']} canales "
                 f"iniciales) entrenada {cfg['steps']} pasos con entropía cruzada + Dice suave en "
                 f"{scenes}. Medido en escenas de prueba hechas con dígitos que la red no vio. "
                 f"Dice medio de los dígitos: {style.num(mean_digits, 2)}."),
        data=data, metrics=metrics, extra=extra)

    show = torch.arange(OVERLAY_ROWS)
    ctx.save_figure(
        "unet_overlays.png", overlays_figure(xt[show].cpu(), yt[show].cpu(), pred[show]),
        alt=(f"{OVERLAY_ROWS} escenas de prueba con dígitos manuscritos, dos por fila; de cada una, la imagen, "
             "la anotación y la predicción de la U-Net, con cada dígito coloreado según su clase."),
        caption=(f"Segmentación semántica con U-Net en {scenes}: imagen, verdad y predicción "
                 "(color = clase del dígito, negro = fondo). Cada píxel recibe una clase. El Dice de cada "
                 "fila es la media sobre las clases de dígito que aparecen en la verdad o en la predicción: "
                 "unos pocos píxeles de una clase inventada cuentan como una clase con Dice 0."),
        data=data, metrics=metrics, extra=extra)
