"""Grad-CAM of a trained LeNet-5 on MNIST digits: the predicted class vs another class."""
import torch

from ..data import MNIST_DATA_NAME, load_mnist
from ..gradcam import grad_cam
from . import lenet, style


def fmt_p(p: float) -> str:
    """Probability in Spanish notation; tiny ones as '< 0,01' rather than a misleading 0,00."""
    return "p < 0,01" if p < 0.005 else f"p = {style.num(p, 2)}"


def pick_digits(pred, y, probs, k=4):
    """k test digits: confident correct ones of different classes, plus one error if there is any."""
    chosen, seen = [], set()
    for i in range(len(y)):
        if pred[i] == y[i] and probs[i].max() > 0.9 and int(y[i]) not in seen and len(chosen) < k - 1:
            chosen.append(i)
            seen.add(int(y[i]))
    wrong = (pred != y).nonzero().flatten()
    chosen.append(int(wrong[0]) if len(wrong) else next(i for i in range(len(y)) if i not in chosen))
    return chosen


def run(ctx):
    data = load_mnist(ctx.device)
    x_te, y_te = data[2], data[3]
    # Its own, shorter training (runs stay independent); 6 epochs already give about 98 %.
    model, hist = lenet.train(ctx, data, epochs=2 if ctx.quick else (6 if ctx.device.type == "cpu" else 20))
    with torch.no_grad():
        logits = model.eval()(x_te)
    probs, pred = logits.softmax(1), logits.argmax(1)
    idx = pick_digits(pred, y_te, probs)
    x = x_te[idx]
    top2 = probs[idx].topk(2, dim=1).indices  # predicted class and the runner-up ("another class")
    cam_pred, _ = grad_cam(model, model.c3, x, top2[:, 0])
    cam_other, _ = grad_cam(model, model.c3, x, top2[:, 1])

    fig, groups = style.example_rows(len(idx), row_height=2.75)
    for r, (i, group) in enumerate(zip(idx, groups)):
        p, o = int(top2[r, 0]), int(top2[r, 1])
        img = x[r, 0].cpu().numpy()
        # Short titles at 17 pt: >= 16 px on the screen even on a 4:3 projector.
        cols = [(None, f"real {int(y_te[i])}"),
                (cam_pred[r], f"predicha: {p}\n{fmt_p(float(probs[i, p]))}"),
                (cam_other[r], f"otra: {o}\n{fmt_p(float(probs[i, o]))}")]
        for ax, (cam, title) in zip(group, cols):
            ax.imshow(img, cmap="gray", interpolation="nearest")
            if cam is not None:
                ax.imshow(cam.cpu().numpy(), cmap="jet", alpha=0.5, vmin=0, vmax=1, interpolation="bilinear")
            ax.set_title(title, fontsize=17)
    acc = (pred == y_te).float().mean().item()
    wrong = int(y_te[idx[-1]]) != int(pred[idx[-1]])
    ctx.save_figure(
        "gradcam.png", fig, data=MNIST_DATA_NAME,
        metrics={"test_accuracy": acc, "epochs": hist.epochs, "layer": "C3 (16 mapas de 10×10)",
                 "digits": [int(i) for i in idx]},
        alt=f"{len(idx)} dígitos de prueba, cada uno con dos mapas de calor Grad-CAM superpuestos: uno para la clase "
            "que predice LeNet-5 y otro para la segunda clase más probable; las zonas rojas son las que más "
            "aumentan la puntuación de esa clase." + (" El último dígito está mal clasificado." if wrong else ""),
        caption="Grad-CAM (Selvaraju et al., 2017) sobre la capa C3 de LeNet-5 entrenada en MNIST: para cada dígito, "
                "qué regiones apoyan la clase predicha y cuáles apoyarían otra clase (la segunda más probable).")
