"""Plain vs residual nets of two depths, with and without BatchNorm (He et al. 2016, Fig. 1 in miniature).

The paper trains 20- and 56-layer nets on CIFAR-10: the deeper *plain* net has a
higher training error (degradation), the residual one does not. Here the same
experiment runs on 8,000 MNIST digits (not CIFAR-10) with narrow nets, so it fits
on a CPU. The blocks are `BasicBlock` from lecture_models.models.resnet with two
switches: the shortcut (plain = no shortcut) and BatchNorm.
"""
import numpy as np
import torch
import torch.nn as nn

from ..data import MNIST_DATA_NAME, load_mnist
from ..models.resnet import BasicBlock, conv1x1, conv3x3
from ..train import train_classifier
from . import style


class Block(BasicBlock):
    """BasicBlock with the shortcut and the BatchNorms as options (plain = no shortcut)."""

    def __init__(self, in_channels, planes, stride=1, *, residual=True, batchnorm=True):
        down = None
        if residual and (stride != 1 or in_channels != planes):
            down = nn.Sequential(conv1x1(in_channels, planes, stride),
                                 nn.BatchNorm2d(planes) if batchnorm else nn.Identity())
        super().__init__(in_channels, planes, stride, down)
        self.residual = residual
        if not batchnorm:
            self.bn1, self.bn2 = nn.Identity(), nn.Identity()

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        if self.residual:
            out = out + (x if self.downsample is None else self.downsample(x))
        return self.relu(out)


class SmallNet(nn.Module):
    """CIFAR-style net of He et al. (6n + 2 layers): stem, 3 stages of n blocks (widths w, 2w, 4w), GAP, fc.

    The stem has stride 2, so 28x28 digits run through stages of 14x14, 7x7 and 4x4.
    """

    def __init__(self, n: int, *, width=8, residual=True, batchnorm=True, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(conv3x3(1, width, stride=2), nn.BatchNorm2d(width) if batchnorm else nn.Identity(),
                                  nn.ReLU(inplace=True))
        blocks, cin = [], width
        for stage, planes in enumerate((width, 2 * width, 4 * width)):
            for i in range(n):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(Block(cin, planes, stride, residual=residual, batchnorm=batchnorm))
                cin = planes
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, num_classes))
        self.depth = 6 * n + 2
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if residual and not batchnorm:
            # Without BatchNorm, n residual branches added at full strength blow the activations up
            # (variance ~ 2^blocks); starting each branch at zero keeps them in check (Fixup, Zhang et al. 2019).
            for b in self.blocks:
                nn.init.zeros_(b.conv2.weight)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))


def settings(ctx) -> dict:
    if ctx.quick:
        return {"depths": (1, 2), "steps": 100, "steps_per_epoch": 50, "width": 8}
    if ctx.device.type == "cpu":
        return {"depths": (1, 4), "steps": 400, "steps_per_epoch": 100, "width": 8}
    return {"depths": (3, 9), "steps": 3000, "steps_per_epoch": 250, "width": 16}


def smooth(values, k=40):
    """Moving average over k steps (curves of single batches are too noisy to read)."""
    v = np.asarray(values, dtype=float)
    k = max(1, min(k, len(v) // 5))
    c = np.cumsum(np.insert(v, 0, 0))
    return (c[k:] - c[:-k]) / k, np.arange(k, len(v) + 1)


def run(ctx):
    s = settings(ctx)
    data = load_mnist(ctx.device)
    results = {}
    configs = [(bn, res, n) for bn in (False, True) for res in (False, True) for n in s["depths"]]
    for i, (bn, res, n) in enumerate(configs):
        key = f"{'res' if res else 'plain'}{6 * n + 2}-{'bn' if bn else 'nobn'}"
        torch.manual_seed(ctx.seed_for(i))
        model = SmallNet(n, width=s["width"], residual=res, batchnorm=bn)
        hist = train_classifier(model, data, ctx=ctx, ckpt_key=key, steps=s["steps"],
                                steps_per_epoch=s["steps_per_epoch"], lr=0.05, optimizer="sgd",
                                weight_decay=1e-4, batch_size=64, schedule="onecycle",
                                evaluate_every_epoch=False, desc=f"{i + 1}/{len(configs)} {key}")
        results[key] = hist

    fig, axes = style.figure(1, 2, figsize=(9, 3.6), sharey=True)
    metrics = {}
    for ax, bn in zip(axes, (False, True)):
        for res in (False, True):
            for j, n in enumerate(s["depths"]):
                key = f"{'res' if res else 'plain'}{6 * n + 2}-{'bn' if bn else 'nobn'}"
                h = results[key]
                err, x = smooth(100 * (1 - np.array(h.step_acc)))
                name = "residual" if res else "plana"
                test_err = 100 * (1 - h.test_acc[-1])
                ax.plot(x, err, ls="-" if res else "--", color=style.COLORS[j], lw=1.8 if res else 1.4,
                        label=f"{name}, {6 * n + 2} capas (prueba {style.num(test_err)} %)")
                metrics[key] = {"train_error_last": float(err[-1]), "test_error": test_err,
                                "train_time_s": h.time_s[-1]}
        ax.set(xlabel="iteración", title="con BatchNorm" if bn else "sin BatchNorm", yscale="log")
        style.percent_log_axis(ax)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("error de entrenamiento (%)")
    style.enlarge(fig, 13)  # legend 13 pt: about 18 px on a 1280x720 slide (was 8 pt, 11 px)
    d0, d1 = (6 * n + 2 for n in s["depths"])
    m = {k: round(v["test_error"], 2) for k, v in metrics.items()}
    ctx.save_figure(
        "plain_vs_residual.svg", fig, data=MNIST_DATA_NAME, metrics=metrics,
        extra={"depths": [d0, d1], "steps": s["steps"]},
        alt=f"Dos gráficas del error de entrenamiento frente a la iteración, sin y con BatchNorm, para redes "
            f"planas y residuales de {d0} y {d1} capas. Error de prueba final con BatchNorm: plana de {d1} capas "
            f"{style.num(m[f'plain{d1}-bn'])} % frente a residual de {d1} capas {style.num(m[f'res{d1}-bn'])} %.",
        caption=f"El experimento de la figura 1 de He et al. (2016) en miniatura, con dígitos MNIST (no CIFAR-10): "
                f"redes planas y residuales de {d0} y {d1} capas, entrenadas {s['steps']} iteraciones con SGD. "
                "Las curvas son medias móviles del error en cada lote. Sin BatchNorm, la rama de cada bloque residual "
                "empieza en cero (como en Fixup) para que la red no explote al inicio.")
