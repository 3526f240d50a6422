"""Data augmentation on MNIST: a grid of augmented copies of one digit, and accuracy with vs without it
when training LeNet-5 on only 500 digits (tested on the fixed 2,000-digit test split)."""
import numpy as np
import torch

from ..data import MNIST_DATA_NAME, load_mnist
from ..data.augment import LABELS, TRANSFORMS, Augment, digits_augment
from ..models import lenet5
from ..train import train_classifier
from . import style

SUBSET = 500  # 50 digits per class


def settings(ctx) -> dict:
    if ctx.quick:
        return {"epochs": 25, "seeds": 1}
    if ctx.device.type == "cpu":
        return {"epochs": 40, "seeds": 3}
    return {"epochs": 60, "seeds": 5}


def subset(x, y, per_class: int):
    """The first `per_class` training digits of each class (the training split is already shuffled)."""
    idx = torch.cat([(y == c).nonzero().flatten()[:per_class] for c in range(10)])
    return x[idx], y[idx]


def grid_figure(ctx, digit):
    """Rows: each transform alone, then the combination used for training; columns: random draws."""
    import matplotlib.pyplot as plt

    g = ctx.generator(1)
    rows = [(LABELS[name], Augment(**{name: {}})) for name in TRANSFORMS]
    rows.append(("combinación usada\n(sin volteo)", digits_augment()))
    cols = 5  # few draws, large labels: the figure is read on a slide from the back of the room
    style.apply()
    fig, axes = plt.subplots(len(rows), cols + 1, figsize=((cols + 1) * 1.0 + 2.9, len(rows) * 1.0),
                             squeeze=False, layout="constrained")
    fig.get_layout_engine().set(w_pad=0.01, h_pad=0.01, wspace=0.02, hspace=0.02)
    batch = digit[None].expand(cols, -1, -1, -1)
    for r, (label, aug) in enumerate(rows):
        out = aug(batch, g)
        for c, ax in enumerate(axes[r]):
            img = digit[0] if c == 0 else out[c - 1, 0]
            ax.imshow(img.cpu().numpy(), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([]), ax.set_yticks([]), ax.grid(False)
            if r == 0:
                ax.set_title("original" if c == 0 else f"{c}", fontsize=15)  # draw number
            if c == 0:
                ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=15)
    return fig


def run(ctx):
    s = settings(ctx)
    x_tr, y_tr, x_te, y_te = load_mnist(ctx.device)
    xs, ys = subset(x_tr, y_tr, SUBSET // 10)
    digit = xs[(ys == 7).nonzero()[0, 0]]  # a 7: flipping it visibly breaks it
    ctx.save_figure(
        "augmentation_grid.png", grid_figure(ctx, digit), data=MNIST_DATA_NAME, metrics={},
        alt="Un mismo dígito 7 repetido en filas: rotado y desplazado, volteado en espejo, con otro brillo, con ruido, "
            "con un cuadrado borrado y con la combinación de transformaciones; el volteo produce algo que ya no "
            "es un 7.",
        caption="Aumento de datos sobre un dígito de MNIST: cada fila es una transformación aleatoria aplicada en lote "
                "en el dispositivo. El volteo horizontal no sirve para dígitos (un 7 volteado no es un 7), por eso no "
                "entra en la combinación usada para entrenar.")

    curves = {"sin": [], "con": []}
    for seed in range(s["seeds"]):
        for kind, aug in (("sin", None), ("con", digits_augment())):
            torch.manual_seed(ctx.seed_for(100 + seed))  # same initial weights with and without augmentation
            model = lenet5()
            h = train_classifier(model, (xs, ys, x_te, y_te), ctx=ctx, ckpt_key=f"{kind}-{seed}", epochs=s["epochs"],
                                 lr=3e-3, batch_size=64, augment=aug, desc=f"{kind} aumento, semilla {seed}")
            curves[kind].append(h.test_acc)
    fig, ax = style.figure(figsize=(6, 3.6))
    metrics = {"train_images": len(xs), "epochs": s["epochs"], "seeds": s["seeds"]}
    for j, (kind, label) in enumerate((("sin", "sin aumento"), ("con", "con aumento"))):
        a = 100 * np.array(curves[kind])
        ep = np.arange(1, a.shape[1] + 1)
        ax.plot(ep, a.mean(0), color=style.COLORS[j], label=f"{label} (final {style.num(a[:, -1].mean())} %)")
        if len(a) > 1:
            ax.fill_between(ep, a.min(0), a.max(0), color=style.COLORS[j], alpha=0.2, lw=0)
        metrics[f"test_accuracy_{kind}_augment"] = float(a[:, -1].mean() / 100)
        metrics[f"test_accuracy_{kind}_augment_per_seed"] = (a[:, -1] / 100).tolist()
    ax.set(xlabel="época", ylabel="exactitud de prueba (%)",
           title=f"LeNet-5 entrenada con {len(xs)} dígitos", ylim=(max(50, ax.get_ylim()[0]), 100))
    ax.legend(loc="lower right")
    style.integer_xaxis(ax)
    style.enlarge(fig, 12)
    gain = 100 * (metrics["test_accuracy_con_augment"] - metrics["test_accuracy_sin_augment"])
    band = f" La banda sombreada va del peor al mejor de {s['seeds']} semillas." if s["seeds"] > 1 else ""
    ctx.save_figure(
        "augmentation_accuracy.svg", fig, data=f"{MNIST_DATA_NAME}; solo 500 dígitos de entrenamiento (50 por clase)",
        metrics=metrics,
        alt=f"Exactitud de prueba por época de LeNet-5 entrenada con 500 dígitos, con y sin aumento de datos; "
            f"al final, con aumento {style.num(100 * metrics['test_accuracy_con_augment'])} % y sin aumento "
            f"{style.num(100 * metrics['test_accuracy_sin_augment'])} %.",
        caption=f"Con pocos datos (500 dígitos), el aumento cambia la exactitud de prueba en "
                f"{'+' if gain >= 0 else '−'}{style.num(abs(gain))} puntos tras {s['epochs']} épocas "
                f"(prueba: los 2.000 dígitos fijos).{band}")
