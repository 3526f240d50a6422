"""The demo kernels (demos/imageops.py) applied to one bundled photo: what each filter does.

demos.imageops is the same code the live demos run; both packages are installed together.
"""
import numpy as np

from demos import imageops as ops

from ..data.photos import describe, load_photo
from . import style

SHOWN = ["identity", "box_blur", "gaussian", "sharpen", "laplacian", "sobel_x", "sobel_y", "emboss"]
SIGNED = {"laplacian", "sobel_x", "sobel_y"}  # outputs around 0: grey = 0, white/black = +/-


def kernel_text(k: np.ndarray) -> str:
    """3x3 kernel as text, with a common fraction factored out (1/9, 1/16)."""
    nz = np.abs(k[k != 0])
    scale = 1 / nz.min() if nz.min() < 1 else 1
    ints = np.rint(k * scale).astype(int)
    body = "\n".join(" ".join(f"{v:>2d}" for v in row) for row in ints)
    return (f"1/{int(round(scale))} ×\n" if scale != 1 else "") + body


def run(ctx):
    import matplotlib.pyplot as plt

    name = "camera"
    photo, _ = ops.downscale(load_photo(name), 256)
    style.apply()
    # Two rows of four photos, each with its kernel beside it (not below): the figure is as
    # wide as a 16:9 slide's free area, so its labels read from the back of the room.
    cols = len(SHOWN) // 2
    fig, axes = plt.subplots(2, 2 * cols, figsize=(12, 4.6), layout="constrained",
                             gridspec_kw={"width_ratios": [3, 1.7] * cols})
    fig.get_layout_engine().set(w_pad=0.01, wspace=0.0)
    stats = {}
    for i, key in enumerate(SHOWN):
        ax, side = axes[i // cols, 2 * (i % cols)], axes[i // cols, 2 * (i % cols) + 1]
        k = ops.KERNELS[key]
        out = ops.conv2d(photo, k, padding=1)
        if key in SIGNED:
            shown, _ = ops.normalize_for_display(out, symmetric=True)
        else:
            shown = (np.clip(out, 0, 1) * 255).round().astype(np.uint8)
        ax.imshow(shown, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        ax.set_title(ops.KERNEL_LABELS[key], fontsize=18, loc="left")
        ax.set_xticks([]), ax.set_yticks([]), ax.grid(False)
        side.axis("off")
        side.text(0.5, 0.5, kernel_text(np.asarray(k)), fontsize=16, family="DejaVu Sans Mono",
                  va="center", ha="center", transform=side.transAxes)
        stats[key] = {"min": float(out.min()), "max": float(out.max())}
    data = (f"Fotografía «{name}» incluida en scikit-image: {describe(name)}; "
            f"reducida a {photo.shape[1]}×{photo.shape[0]} píxeles")
    ctx.save_figure(
        "kernel_effects.png", fig, data=data, metrics={"output_range": stats},
        alt="La misma foto en blanco y negro de un fotógrafo con su cámara filtrada con ocho núcleos de 3×3: "
            "identidad, desenfoque de caja, gaussiano, realce, Laplaciano, Sobel horizontal y vertical y relieve; "
            "los de bordes dejan gris el fondo liso y resaltan los contornos.",
        caption="Efecto de los núcleos de convolución de las demos sobre una foto (calculado con demos/imageops.py, "
                "el mismo código que ejecuta el navegador). En los núcleos de bordes el gris medio es 0.")
