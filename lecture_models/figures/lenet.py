"""LeNet-5 on 8,000 real MNIST digits: curves, filters, feature maps, confusion, errors."""
import numpy as np
import torch

from .. import export
from ..data import MNIST_DATA_NAME, load_mnist
from ..data.augment import Augment
from ..models import lenet5
from ..train import predict, train_classifier
from . import style


def settings(ctx) -> dict:
    """Epochs, learning rate, augmentation: quick is a smoke test that still reaches > 90 %."""
    # small rotations, shifts, zooms: robust to digits drawn with a mouse (99 % vs 97.7 % without)
    augment = Augment(affine={"degrees": 10, "translate": 0.08, "scale": (0.9, 1.1)})
    if ctx.quick:
        return {"epochs": 3, "lr": 3e-3, "batch_size": 128, "augment": augment}
    return {"epochs": 40 if ctx.device.type == "cpu" else 60, "lr": 3e-3, "batch_size": 128, "augment": augment}


# --8<-- [start:train]
def train(ctx, data=None, *, ckpt_key="lenet5", **overrides):
    """La LeNet-5 entrenada y su History (también la usa la ejecución de Grad-CAM, con menos épocas)."""
    data = data or load_mnist(ctx.device)
    torch.manual_seed(ctx.seed_for(0))
    model = lenet5()
    hist = train_classifier(model, data, ctx=ctx, ckpt_key=ckpt_key, desc="LeNet-5", **{**settings(ctx), **overrides})
    return model, hist
# --8<-- [end:train]


def activations(model, x):
    """Feature maps of x after C1, S2, C3, S4 (hooks, so the model code stays untouched)."""
    acts, pools = [], {}
    hooks = [model.act.register_forward_hook(lambda m, i, o: acts.append(o.detach())),
             model.s2.register_forward_hook(lambda m, i, o: pools.__setitem__("S2", o.detach())),
             model.s4.register_forward_hook(lambda m, i, o: pools.__setitem__("S4", o.detach()))]
    with torch.no_grad():
        model.eval()(x)
    for h in hooks:
        h.remove()
    return {"C1": acts[0], "S2": pools["S2"], "C3": acts[1], "S4": pools["S4"]}


def plot_curves(hist):
    fig, (ax1, ax2) = style.figure(1, 2, figsize=(8, 3.2))
    ep = np.arange(1, hist.epochs + 1)
    ax1.plot(ep, hist.train_loss, "o-", label="entrenamiento")
    ax1.plot(ep, hist.test_loss, "s--", label="prueba")
    ax1.set(xlabel="época", ylabel="pérdida (entropía cruzada)", title="Pérdida")
    ax2.plot(ep, 100 * np.array(hist.train_acc), "o-", label="entrenamiento")
    ax2.plot(ep, 100 * np.array(hist.test_acc), "s--", label="prueba")
    ax2.set(xlabel="época", ylabel="exactitud (%)", title="Exactitud")
    ax2.legend()
    for ax in (ax1, ax2):
        style.integer_xaxis(ax)
    style.enlarge(fig, 12)
    return fig


def plot_confusion(y, pred):
    cm = torch.zeros(10, 10, dtype=torch.long)
    cm.index_put_((y.cpu(), pred.cpu()), torch.ones(len(y), dtype=torch.long), accumulate=True)
    fig, ax = style.figure(figsize=(5, 4.4))
    im = ax.imshow(cm.numpy(), cmap="Blues")
    ax.grid(False)
    for i in range(10):
        for j in range(10):
            if cm[i, j]:
                ax.text(j, i, int(cm[i, j]), ha="center", va="center", fontsize=12,
                        color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set(xticks=range(10), yticks=range(10), xlabel="clase predicha", ylabel="clase real",
           title="Matriz de confusión (prueba)")
    fig.colorbar(im, ax=ax, shrink=0.8, label="número de dígitos")
    style.enlarge(fig, 13)  # counts 12 pt: about 17 px on a 1280x720 slide (were 7 pt, 10 px)
    return fig, cm


def plot_feature_maps(x, maps, filters):
    """One row per layer: input, the 6 learned C1 filters (red +, blue -) each above the map
    it makes, C1 (6), S2 (6), C3 (16), S4 (16). Wide like a slide, the layer names large
    enough to read from the back of the room."""
    import matplotlib.pyplot as plt

    lim = float(np.abs(filters).max())
    rows = [("entrada", [x[0, 0]], {}),
            ("filtros\nde C1", list(filters), {"cmap": "RdBu_r", "vmin": -lim, "vmax": lim})]
    # Short two-line names at 17 pt: >= 16 px on the screen even on a 4:3 projector.
    for name, caption in (("C1", "C1: conv\n+ ReLU"), ("S2", "S2:\nmax-pool"),
                          ("C3", "C3: conv\n+ ReLU"), ("S4", "S4:\nmax-pool")):
        rows.append((caption, [m.cpu().numpy() for m in maps[name][0]], {"cmap": "gray"}))
    cols = max(len(imgs) for _, imgs, _ in rows)
    style.apply()
    fig, axes = plt.subplots(len(rows), cols, figsize=(cols * 0.62 + 2.2, len(rows) * 0.66), squeeze=False,
                             layout="constrained")
    fig.get_layout_engine().set(w_pad=0.01, h_pad=0.01, wspace=0.02, hspace=0.02)
    for r, (label, imgs, how) in enumerate(rows):
        for c, ax in enumerate(axes[r]):
            ax.set_xticks([]), ax.set_yticks([]), ax.grid(False)
            for s in ax.spines.values():
                s.set_visible(False)
            if c < len(imgs):
                ax.imshow(np.asarray(imgs[c]), interpolation="nearest", **({"cmap": "gray"} | how))
            if c == 0:
                ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=17, linespacing=1.0)
    return fig


def run(ctx):
    data = load_mnist(ctx.device)
    x_te, y_te = data[2], data[3]
    model, hist = train(ctx, data)
    logits = predict(model, x_te)
    pred = logits.argmax(1)
    acc = (pred == y_te).float().mean().item()
    params = sum(p.numel() for p in model.parameters())
    metrics = {"test_accuracy": acc, "test_loss": hist.test_loss[-1], "epochs": hist.epochs,
               "train_time_s": hist.time_s[-1], "parameters": params}
    pct = style.num(100 * acc)
    where = "en CPU" if ctx.device.type == "cpu" else "en GPU"

    ctx.save_figure(
        "lenet_curves.svg", plot_curves(hist), data=MNIST_DATA_NAME, metrics=metrics,
        alt=f"Dos gráficas por época: la pérdida de entrenamiento y de prueba baja, y la exactitud de prueba "
            f"sube hasta {pct} % en {hist.epochs} épocas.",
        caption=f"Curvas de entrenamiento de LeNet-5 ({params:,} parámetros)".replace(",", "\u00a0") + f" en MNIST: 8.000 dígitos de "
                f"entrenamiento, 2.000 de prueba; {hist.epochs} épocas {where}, exactitud final de prueba {pct} %.")

    i = int((pred == y_te).nonzero()[0])
    maps = activations(model, x_te[i:i + 1])
    ctx.save_figure(
        "lenet_feature_maps.png",
        plot_feature_maps(x_te[i:i + 1].cpu(), maps, model.c1.weight.detach().cpu()[:, 0].numpy()), data=MNIST_DATA_NAME,
        metrics=metrics,
        alt=f"Un dígito {int(y_te[i])}, los seis filtros de 5×5 aprendidos por C1 en rojo y azul, cada uno encima "
            f"del mapa que produce, y los mapas de activación de cada capa de LeNet-5: 6 mapas de 28×28 tras C1, "
            f"6 de 14×14 tras S2, 16 de 10×10 tras C3 y 16 de 5×5 tras S4; cada vez más pequeños y abstractos.",
        caption=f"Filtros de C1 y mapas de características de un dígito de prueba (un {int(y_te[i])}) al atravesar "
                "LeNet-5: cada filtro (rojo: peso positivo, azul: negativo) está encima del mapa que produce; las "
                "convoluciones detectan trazos y el submuestreo reduce la resolución.")

    export_for_page(ctx, model, x_te, y_te, metrics)

    fig, cm = plot_confusion(y_te, pred)
    off = cm.clone()
    off.fill_diagonal_(0)
    a, b = divmod(int(off.argmax()), 10)
    ctx.save_figure(
        "lenet_confusion.svg", fig, data=MNIST_DATA_NAME, metrics={**metrics, "most_confused": [a, b]},
        alt=f"Matriz de confusión de 10×10 con casi todos los dígitos en la diagonal; la confusión más frecuente "
            f"es un {a} real predicho como {b} ({int(off[a, b])} veces).",
        caption=f"Matriz de confusión de LeNet-5 sobre los 2.000 dígitos de prueba de MNIST (exactitud {pct} %).")

    wrong = (pred != y_te).nonzero().flatten()[:16].tolist()
    probs = logits.softmax(1)
    imgs = [x_te[j, 0].cpu().numpy() for j in wrong]
    titles = [f"real {int(y_te[j])} → {int(pred[j])}\np = {style.num(float(probs[j, pred[j]]), 2)}" for j in wrong]
    fig, _ = style.image_grid(imgs, rows=max(1, (len(imgs) + 7) // 8), cols=8, titles=titles, size=1.15, title_size=12.5)
    ctx.save_figure(
        "lenet_misclassified.png", fig, data=MNIST_DATA_NAME, metrics={**metrics, "errors": int((pred != y_te).sum())},
        alt=f"{len(imgs)} dígitos de prueba mal clasificados, cada uno con su clase real, la predicha y la "
            "probabilidad asignada; muchos son ambiguos incluso para una persona.",
        caption=f"Ejemplos de errores de LeNet-5 en la prueba de MNIST ({int((pred != y_te).sum())} de 2.000 "
                "dígitos mal clasificados).")


def export_for_page(ctx, model, x_te, y_te, metrics, *, per_class=2, wrong=8):
    """Weights of the digit-explorer widget (float16) plus a strip of held-out digits, some misclassified."""
    page = export.rounded(model)
    logits = predict(page, x_te)
    pred = logits.argmax(1)
    right = [int(i) for d in range(10) for i in ((pred == y_te) & (y_te == d)).nonzero().flatten()[:per_class]]
    missed = (pred != y_te).nonzero().flatten()[:wrong].tolist()
    idx = torch.tensor(sorted(right + missed))
    images = (x_te[idx, 0].cpu() * 255).round().to(torch.uint8).numpy()
    page_metrics = {
        "test_accuracy": (pred == y_te).float().mean().item(),
        "test_accuracy_float32": metrics["test_accuracy"],
        "float16_max_abs_logit_diff": (logits - predict(model, x_te)).abs().max().item(),
        "test_digits": len(y_te), "epochs": metrics["epochs"], "augmentation": "rotación ±10°, desplazamiento ±8 %, escala 0,9-1,1",
    }
    return export.export_weights(
        ctx, "lenet", page, network="lenet5", config={"activation": "relu", "pooling": "max", "num_classes": 10},
        metrics=page_metrics, data=MNIST_DATA_NAME,
        extra_arrays={"samples.images": images, "samples.labels": y_te[idx].cpu().numpy().astype(np.uint8),
                      "samples.torch_pred": pred[idx].cpu().numpy().astype(np.uint8)})
