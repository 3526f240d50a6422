"""Class-conditional diffusion with classifier-free guidance on MNIST: "draw a 7".

One network learns eps(x_t, t, y) and, with the label dropped 10 % of the
time, eps(x_t, t, no class); sampling mixes both (guidance). DDIM with a few
deterministic steps makes CPU sampling take seconds instead of 1,000 steps.
"""
import time

import numpy as np
import torch

from lecture_models import export
from lecture_models.data.mnist import DATA_NAME, load_mnist
from lecture_models.models.diffusion import GROUPS, HEADS, NoiseSchedule, diffusion_unet, sample
from lecture_models.train.diffusion import train_diffusion

from . import style
from .dcgan import grid_figure

CONFIG = {
    "quick": dict(steps=100, batch_size=32, base_channels=8, lr=2e-3, sample_steps=8, per_class=4),
    "full": dict(steps=2000, batch_size=64, base_channels=16, lr=2e-3, sample_steps=25, per_class=8),
}
T = 1000  # DDPM's linear schedule
P_UNCOND = 0.1
GUIDANCE = 3.0  # for the class grid and the trajectory
SWEEP = (0.0, 1.0, 3.0, 5.0, 8.0)
TRAJECTORY_DIGITS = (0, 3, 5, 7, 9)
TRAJECTORY_COLUMNS = 8


def to_unit(x):
    """Model space [-1, 1] -> displayable (..., H, W) in [0, 1] on the CPU."""
    return ((x.float().cpu() + 1) / 2).clamp(0, 1)[..., 0, :, :].numpy()


def run(ctx):
    cfg = CONFIG["quick" if ctx.quick else "full"]
    x_train, y_train, _, _ = load_mnist(ctx.device)
    x = x_train * 2 - 1  # diffusion runs in [-1, 1]; sampling clips x0 to that range

    torch.manual_seed(ctx.seed_for(0))  # weight init
    model = diffusion_unet(in_channels=1, image_size=28, base_channels=cfg["base_channels"],
                           num_classes=10).to(ctx.device)
    schedule = NoiseSchedule(T)
    hist = train_diffusion(model, schedule, x, y_train, steps=cfg["steps"], batch_size=cfg["batch_size"],
                           lr=cfg["lr"], seed=ctx.seed_for(1), p_uncond=P_UNCOND, ctx=ctx, ckpt_key="diffusion")
    ema, k_steps = hist["ema"], cfg["sample_steps"]

    def draw(labels, scale, offset, trajectory=False):
        # Same offset -> same generator -> same x_T: the basis of the guidance sweep.
        g = ctx.generator(100 + offset)
        return sample(ema, schedule, torch.tensor(labels, device=ctx.device), guidance_scale=scale,
                      steps=k_steps, generator=g, return_trajectory=trajectory)

    per = cfg["per_class"]
    ctx.synchronize()
    t0 = time.perf_counter()
    grid = draw([d for d in range(10) for _ in range(per)], GUIDANCE, 0)
    ctx.synchronize()
    sample_s = time.perf_counter() - t0
    sweep = [draw(list(range(10)), s, 1) for s in SWEEP]
    _, traj = draw(list(TRAJECTORY_DIGITS), GUIDANCE, 2, trajectory=True)

    losses = hist["loss"]
    k = min(50, len(losses))
    metrics = {
        "steps": cfg["steps"],
        "loss_first": round(float(np.mean(losses[:k])), 4),
        "loss_final": round(float(np.mean(losses[-k:])), 4),
        "sampling_steps": k_steps,
        "sampling_seconds_per_image": round(sample_s / (10 * per), 4),
    }
    extra = {"config": dict(cfg, T=T, schedule="linear", p_uncond=P_UNCOND, ema_decay=0.999,
                            guidance=GUIDANCE, sweep=list(SWEEP), sampler=f"DDIM (eta = 0), {k_steps} pasos")}
    params = f"{sum(p.numel() for p in model.parameters()):,}".replace(",", ".")  # Spanish thousands
    how = (f"Modelo de difusión condicionado por clase (U-Net de {params} parámetros, {cfg['steps']} iteraciones "
           f"de entrenamiento, T = {T}) entrenado en {DATA_NAME}")
    quick_note = " Ejecución rápida: las muestras aún no parecen dígitos." if ctx.quick else ""

    page = export.rounded(ema.cpu())
    g = torch.Generator().manual_seed(ctx.seed_for(200))
    probe = dict(guidance_scale=GUIDANCE, steps=k_steps)
    same = sample(page, schedule, torch.arange(10), generator=g, **probe)
    ref = sample(ema, schedule, torch.arange(10), generator=g.manual_seed(ctx.seed_for(200)), **probe)
    ema.to(ctx.device)
    export.export_weights(
        ctx, "diffusion", page, network="diffusion_unet", data=DATA_NAME,
        config={"in_channels": 1, "image_size": 28, "base_channels": cfg["base_channels"], "num_classes": 10,
                "channel_mults": [1, 2, 2], "attention": True, "groups": GROUPS, "heads": HEADS, "T": T, "schedule": "linear",
                "guidance": GUIDANCE, "sample_steps": k_steps},
        metrics={"steps": cfg["steps"], "loss_final": metrics["loss_final"],
                 "float16_max_abs_sample_diff": (same - ref).abs().max().item()},
        extra_arrays={"schedule.alphas_cumprod": schedule.alphas_cumprod.numpy().astype(np.float32)})

    fig = grid_figure(to_unit(grid).reshape(10, per, 28, 28), row_labels=[f"«{d}»" for d in range(10)],
                      ylabel="clase pedida", title=f"Muestras por clase (guía s = {GUIDANCE:g})", label_size=14)
    ctx.save_figure(
        "diffusion_samples.png", fig,
        alt=(f"Cuadrícula de 10 filas por {per} columnas de dígitos generados: la fila k contiene "
             f"{per} muestras generadas al pedir el dígito k, del 0 al 9.{quick_note}"),
        caption=(f"«Dibuja un 7»: cada fila pide una clase. {how}; guía sin clasificador con s = {GUIDANCE:g} "
                 f"y muestreo DDIM determinista de {k_steps} pasos ({style.num(metrics['sampling_seconds_per_image'], 3)} s "
                 f"por imagen en {ctx.device.type}).{quick_note}"),
        data=DATA_NAME, metrics=metrics, extra=extra)

    # Columns: evenly spaced states of the k-step trajectory, always the first (x_T) and the result.
    # Labels use the paper's t = 1..T: the state fed to the step with code index t is x_{t+1}.
    idx = np.linspace(0, k_steps, TRAJECTORY_COLUMNS).round().astype(int)
    steps_t = torch.linspace(T - 1, 0, k_steps).round().long().tolist()
    col_labels = [f"{steps_t[i] + 1}" if i < k_steps else "0" for i in idx]
    frames = to_unit(traj[idx]).transpose(1, 0, 2, 3)  # (digits, columns, 28, 28)
    fig = grid_figure(frames, row_labels=[f"«{d}»" for d in TRAJECTORY_DIGITS], col_labels=col_labels,
                      ylabel="clase pedida", xlabel="instante t", size=0.8,
                      title="Del ruido (x_T) al dígito (x_0)", label_size=14)
    ctx.save_figure(
        "diffusion_trajectory.png", fig,
        alt=(f"Cuadrícula de {len(TRAJECTORY_DIGITS)} filas por {TRAJECTORY_COLUMNS} columnas: cada fila sigue "
             "una muestra desde ruido puro a la izquierda (t = 1000) hasta la imagen final a la derecha, para "
             f"los dígitos {', '.join(map(str, TRAJECTORY_DIGITS))}.{quick_note}"),
        caption=(f"Estados intermedios x_t del muestreo DDIM ({k_steps} pasos, guía s = {GUIDANCE:g}): la red "
                 f"estima el ruido y lo quita poco a poco; la forma del dígito aparece primero y los detalles "
                 f"al final. {how}.{quick_note}"),
        data=DATA_NAME, metrics=metrics, extra=extra)

    frames = np.stack([to_unit(s) for s in sweep])  # (scales, 10, 28, 28)
    fig = grid_figure(frames, row_labels=[f"s = {s:g}" for s in SWEEP], col_labels=[f"«{d}»" for d in range(10)],
                      ylabel="escala de guía", title="Mismo ruido inicial, distinta escala de guía", label_size=14)
    ctx.save_figure(
        "diffusion_guidance.png", fig,
        alt=(f"Cuadrícula de {len(SWEEP)} filas por 10 columnas: cada columna pide un dígito del 0 al 9 partiendo "
             f"del mismo ruido en todas las filas; las filas usan escalas de guía {', '.join(f'{s:g}' for s in SWEEP)}."
             f"{quick_note}"),
        caption=("Barrido de la escala de guía s con el mismo ruido inicial por columna: s = 0 ignora la clase "
                 "(modelo incondicional), s = 1 es el modelo condicional sin guía y s > 1 empuja hacia la clase "
                 f"pedida a costa de diversidad. {how}; DDIM de {k_steps} pasos.{quick_note}"),
        data=DATA_NAME, metrics=metrics, extra=extra)
