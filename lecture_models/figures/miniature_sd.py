"""Stable Diffusion in miniature: mini-CLIP, latent autoencoder and latent U-Net, trained in turn.

1. mini-CLIP on digits and their measured captions (symmetric InfoNCE);
2. the KL autoencoder, digits <-> 4x8x8 latents, and the scale factor from the data;
3. the latent U-Net on the frozen autoencoder's latents, reading the frozen text
   encoder's token states through cross-attention, captions dropped 10 % of the time.
Each is exported for the page (clip.npz, latent_ae.npz, latent_unet.npz) with the
quality the tests demand measured on the float16 weights the page runs: zero-shot
accuracy, thick-vs-thin retrieval, LeNet-5 on reconstructions and on prompted samples.
"""
import time

import numpy as np
import torch

from demos import vocabulary
from lecture_models import export
from lecture_models.data import captions
from lecture_models.data.mnist import DATA_NAME, load_mnist
from lecture_models.judge import classify, load_lenet
from lecture_models.models.autoencoder import latent_autoencoder
from lecture_models.models.clip import mini_clip
from lecture_models.models.diffusion import GROUPS, NoiseSchedule
from lecture_models.models.latent_diffusion import empty_prompt_ids, latent_unet, sample_latents
from lecture_models.train.autoencoder import train_autoencoder
from lecture_models.train.clip import train_clip
from lecture_models.train.latent_diffusion import caption_bank, train_latent_diffusion

from .dcgan import grid_figure

CONFIG = {
    "quick": dict(clip_steps=30, ae_steps=40, ae_batch=32, ldm_steps=40, ldm_batch=32, base_channels=16, seeds=2,
                  sample_steps=5),
    "full": dict(clip_steps=900, ae_steps=1500, ae_batch=64, ldm_steps=4000, ldm_batch=64, base_channels=32, seeds=20,
                 sample_steps=25),
}
T = 1000
P_UNCOND = 0.1
BETA = 0.02
AE_CHANNELS = 16
GUIDANCE = 3.0
FIGURE_SEEDS = 4
N_SAMPLES = 24  # held-out digits stored with the CLIP weights, for the widgets' pickers


def ids_of(texts, device):
    return torch.tensor([vocabulary.tokenize(t)["ids"] for t in texts], device=device)


@torch.no_grad()
def zero_shot(clip, x, y):
    """Accuracy of «un cero» … «un nueve» as a classifier, and the predictions."""
    txt = clip.encode_text(ids_of([vocabulary.caption(d) for d in range(10)], x.device))
    pred = torch.cat([(clip.encode_image(x[i:i + 500]) @ txt.T).argmax(1) for i in range(0, len(x), 500)])
    return (pred == y).float().mean().item(), pred


@torch.no_grad()
def thickness_retrieval(clip, x, y, thresholds):
    """On held-out digits whose thickness is clear (the outer thirds), how often «un X grueso» vs
    «un X fino» picks the right one."""
    words = thresholds.thickness(x[:, 0].cpu().numpy(), y.cpu().numpy())
    keep = [i for i, w in enumerate(words) if w]
    img = clip.encode_image(x[keep])
    labels = y[keep].tolist()
    thick = clip.encode_text(ids_of([vocabulary.caption(d, "grueso") for d in labels], x.device))
    thin = clip.encode_text(ids_of([vocabulary.caption(d, "fino") for d in labels], x.device))
    says_thick = ((img * thick).sum(1) > (img * thin).sum(1)).tolist()
    right = [s == (words[i] == "grueso") for s, i in zip(says_thick, keep)]
    return float(np.mean(right)), len(keep)


@torch.no_grad()
def generate(unet, ae, clip, schedule, prompts, seeds, *, steps, guidance, device, batch=400):
    """One decoded sample per (prompt, seed): (len(prompts), len(seeds), 28, 28) in [0, 1].

    The seed fixes z_T (numpy's default_rng(seed), as the page draws it), so the same seed
    under two prompts starts from the same noise. All pairs run as one batch (in chunks of
    ``batch``): a small network's time goes into per-call overhead, not arithmetic."""
    noise = np.stack([np.random.default_rng(s).standard_normal((4, 8, 8)).astype(np.float32) for s in seeds])
    z_T = torch.from_numpy(np.tile(noise, (len(prompts), 1, 1, 1))).to(device)
    ctx, mask = clip.text.token_states(ids_of([p for p in prompts for _ in seeds], device))
    null, null_mask = clip.text.token_states(empty_prompt_ids(1, device))
    out = []
    for i in range(0, len(z_T), batch):
        z = sample_latents(unet, schedule, ctx[i:i + batch], mask[i:i + batch], null, null_mask,
                           guidance_scale=guidance, steps=steps, z_T=z_T[i:i + batch])
        out.append(ae.decode(z)[:, 0].cpu())
    return torch.cat(out).reshape(len(prompts), len(seeds), 28, 28).numpy()


def run(ctx):
    cfg = CONFIG["quick" if ctx.quick else "full"]
    device = ctx.device
    x_tr, y_tr, x_te, y_te = load_mnist(device)
    thresholds = captions.Thresholds.fit(x_tr[:, 0].cpu().numpy(), y_tr.cpu().numpy())
    variants = captions.caption_variants(
        captions.attributes(x_tr[:, 0].cpu().numpy(), y_tr.cpu().numpy(), thresholds)).to(device)
    words = {"words": list(vocabulary.WORDS), "context": vocabulary.CONTEXT}
    caption_rules = {"ink_tertiles": thresholds.ink.round(3).tolist(), "slanted": captions.SLANTED,
                     "straight": captions.STRAIGHT, "p_drop": captions.P_DROP}
    timings = {}

    # 1. mini-CLIP
    t0 = time.perf_counter()
    torch.manual_seed(ctx.seed_for(0))
    clip = mini_clip().to(device)
    hist = train_clip(clip, x_tr, variants, steps=cfg["clip_steps"], seed=ctx.seed_for(1), ctx=ctx, ckpt_key="clip")
    clip = export.rounded(clip.cpu()).to(device)  # from here on, the numbers the page runs
    acc, _ = zero_shot(clip, x_te, y_te)
    retrieval, n_clear = thickness_retrieval(clip, x_te, y_te, thresholds)
    timings["clip_s"] = round(time.perf_counter() - t0, 1)
    idx = torch.arange(N_SAMPLES) * (len(x_te) // N_SAMPLES)
    samples = (x_te[idx, 0].cpu().numpy() * 255).round().astype(np.uint8)
    clip_metrics = {"steps": cfg["clip_steps"], "loss_final": float(np.mean(hist["loss"][-20:])),
                    "zero_shot_accuracy": acc, "thick_thin_retrieval": retrieval, "thick_thin_digits": n_clear,
                    "temperature": 1 / min(clip.logit_scale.exp().item(), 100)}
    export.export_weights(
        ctx, "clip", clip, network="mini_clip", data=DATA_NAME,
        config={**clip.config, **words, "captions": caption_rules}, metrics=clip_metrics,
        extra_arrays={"samples.images": samples, "samples.labels": y_te[idx].cpu().numpy().astype(np.uint8)})

    # 2. latent autoencoder
    t0 = time.perf_counter()
    torch.manual_seed(ctx.seed_for(2))
    ae = latent_autoencoder(channels=AE_CHANNELS).to(device)
    ae_hist = train_autoencoder(ae, x_tr, steps=cfg["ae_steps"], batch_size=cfg["ae_batch"], beta=BETA, seed=ctx.seed_for(3), ctx=ctx,
                                ckpt_key="autoencoder")
    scale = ae.set_scale_factor(x_tr)
    ae = export.rounded(ae.cpu()).to(device)
    lenet = load_lenet(device=device)
    with torch.no_grad():
        recon = torch.cat([ae(x_te[i:i + 500]) for i in range(0, len(x_te), 500)])
    lenet_recon = (classify(lenet, recon) == y_te.cpu()).float().mean().item()
    timings["autoencoder_s"] = round(time.perf_counter() - t0, 1)
    export.export_weights(
        ctx, "latent_ae", ae, network="latent_autoencoder", data=DATA_NAME,
        config={"channels": AE_CHANNELS, "latent_channels": 4, "latent_size": 8, "pad": 2, "beta": BETA},
        metrics={"steps": cfg["ae_steps"], "recon_bce_final": float(np.mean(ae_hist["recon"][-20:])),
                 "kl_final": float(np.mean(ae_hist["kl"][-20:])), "scale_factor": scale,
                 "lenet_accuracy_on_reconstructions": lenet_recon,
                 "lenet_accuracy_on_originals": (classify(lenet, x_te) == y_te.cpu()).float().mean().item()})

    # 3. latent diffusion U-Net, on the frozen autoencoder and text encoder
    t0 = time.perf_counter()
    with torch.no_grad():
        z = torch.cat([ae.encode(x_tr[i:i + 1000]) for i in range(0, len(x_tr), 1000)])
    bank = caption_bank(clip.text, variants, empty_prompt_ids(1, device))
    torch.manual_seed(ctx.seed_for(4))
    unet = latent_unet(base_channels=cfg["base_channels"]).to(device)
    schedule = NoiseSchedule(T)
    ldm = train_latent_diffusion(unet, schedule, z, variants, bank, steps=cfg["ldm_steps"], batch_size=cfg["ldm_batch"],
                                 p_uncond=P_UNCOND, seed=ctx.seed_for(5), ctx=ctx, ckpt_key="latent_unet")
    ema = export.rounded(ldm["ema"].cpu()).to(device)
    seeds = list(range(cfg["seeds"]))
    prompts = [vocabulary.caption(d) for d in range(10)]
    steps = cfg["sample_steps"]
    grid = generate(ema, ae, clip, schedule, prompts, seeds, steps=steps, guidance=GUIDANCE, device=device)
    pred = classify(lenet, grid.reshape(-1, 28, 28)).reshape(10, len(seeds))
    recognised = (pred == torch.arange(10)[:, None]).float().mean().item()
    thick = generate(ema, ae, clip, schedule, [vocabulary.caption(d, "grueso") for d in range(10)], seeds,
                     steps=steps, guidance=GUIDANCE, device=device)
    thin = generate(ema, ae, clip, schedule, [vocabulary.caption(d, "fino") for d in range(10)], seeds,
                    steps=steps, guidance=GUIDANCE, device=device)
    more_ink = float((thick.sum((2, 3)) > thin.sum((2, 3))).mean())
    timings["latent_unet_s"] = round(time.perf_counter() - t0, 1)
    unet_metrics = {"steps": cfg["ldm_steps"], "loss_final": float(np.mean(ldm["loss"][-50:])),
                    "lenet_recognises_prompted_digit": recognised, "thick_more_ink_than_thin": more_ink,
                    "samples_per_prompt": len(seeds), "sampling_steps": steps, "guidance": GUIDANCE, **timings}
    export.export_weights(
        ctx, "latent_unet", ema, network="latent_unet", data=DATA_NAME,
        config={"base_channels": cfg["base_channels"], "latent_channels": 4, "latent_size": 8, "heads": 4, "groups": GROUPS,
                "context_dim": clip.config["dim"], "T": T, "schedule": "linear", "p_uncond": P_UNCOND,
                "guidance": GUIDANCE, "sample_steps": steps, **words},
        metrics=unet_metrics,
        extra_arrays={"schedule.alphas_cumprod": schedule.alphas_cumprod.numpy().astype(np.float32)})

    cols = min(FIGURE_SEEDS, len(seeds))
    quick_note = " Ejecución rápida: las muestras aún no parecen dígitos." if ctx.quick else ""
    # Wide, not tall: one column per prompt, one row per seed, so the labels read on a slide.
    fig = grid_figure(grid[:, :cols].transpose(1, 0, 2, 3), row_labels=[f"semilla {s}" for s in seeds[:cols]],
                      col_labels=[vocabulary.DIGITS[d] for d in range(10)], xlabel="texto pedido: «un …»",
                      size=0.45, title=f"Texto a imagen en miniatura (guía s = {GUIDANCE:g}, {steps} pasos DDIM)")
    ctx.save_figure(
        "miniature_sd_samples.png", fig,
        alt=(f"Cuadrícula de {cols} filas por 10 columnas de dígitos generados desde texto: la columna k contiene "
             f"{cols} muestras generadas con el texto «un» seguido del nombre del dígito k, una por semilla, de la 0 "
             f"a la {cols - 1}.{quick_note}"),
        caption=(f"Nuestra miniatura de Stable Diffusion: el texto pasa por el codificador de texto del mini-CLIP, "
                 f"una U-Net con atención cruzada limpia un latente de 4×8×8 en {steps} pasos DDIM con guía "
                 f"s = {GUIDANCE:g} y el decodificador del autocodificador lo lleva a 28×28. La LeNet-5 del curso "
                 f"reconoce el dígito pedido en el {100 * recognised:.0f} % de {10 * len(seeds)} muestras."
                 f"{quick_note}"),
        data=DATA_NAME, metrics={**unet_metrics, "zero_shot_accuracy": acc,
                                 "lenet_accuracy_on_reconstructions": lenet_recon},
        extra={"config": dict(cfg, T=T, beta=BETA, p_uncond=P_UNCOND)})
