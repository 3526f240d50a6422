"""What the live widgets ask Python for: photos made ready, previews, steps and quiz checks.

Why a module of its own: each widget update is one call from the page (one round trip to
the Pyodide worker), so the little pipeline behind it (parse the kernel, filter, stretch
for display) lives here instead of in JavaScript, and the arithmetic stays in
``demos.imageops``. Results are plain dicts of numbers and arrays, which the bridge can
send back; bad input raises ``InputError`` (a ``ValueError`` with a Spanish message that the
widget shows as it is, and the field or kernel cell it marks).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from demos import imageops as ops
from demos.errors import InputError

MAX_SIDE = 256  # longest side of the photo a widget filters: one update stays well under 16 ms
MAX_PADDING = 64  # a bigger pad only adds black borders and can exhaust the browser's memory


def kernel_presets() -> list[dict[str, Any]]:
    """The preset kernels with their Spanish labels, in the order the menu shows them."""
    return [{"name": name, "label": ops.KERNEL_LABELS[name], "kernel": np.array(k)}
            for name, k in ops.KERNELS.items()]


def kernel_cells(text: str, max_size: int = 7) -> list[list[str]]:
    """A matrix typed or pasted as text ("1 0 -1; 2 0 -2; 1 0 -1") split into the square
    grid of cell texts the kernel editor shows; each cell is checked later, as typed."""
    rows = ops.parse_kernel_rows(str(text))
    if not rows:
        raise InputError("El núcleo está vacío", field="kernel", code="empty")
    n = len(rows)
    if any(len(row) != n for row in rows) or not 1 <= n <= max_size:
        shape = f"{n}×{len(rows[0])}" if len(set(map(len, rows))) == 1 else "con filas de longitudes distintas"
        raise InputError(f"El núcleo pegado debe ser una matriz cuadrada de 1×1 a {max_size}×{max_size}; "
                         f"es {shape}", field="kernel", code="not_square")
    return rows


def prepare_photo(rgba: ArrayLike, max_side: int = MAX_SIDE) -> dict[str, Any]:
    """Turn canvas pixels (H, W, 4) uint8 into the image the widgets filter.

    Transparent pixels are laid on white (as the page shows them), a photo whose three
    channels are equal becomes 2-D grayscale, and a photo larger than ``max_side`` is
    shrunk by area averaging (``imageops.downscale``), so a phone photo stays fast.
    """
    a = np.asarray(rgba)
    if a.ndim != 3 or a.shape[2] != 4 or a.dtype != np.uint8:
        raise InputError(f"Se esperaban píxeles RGBA de 8 bits (alto × ancho × 4); "
                         f"llegó un arreglo {a.dtype} de forma {a.shape}", field="image",
                         code="bad_shape")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise InputError("La imagen no tiene píxeles", field="image", code="empty")
    alpha = a[:, :, 3:4].astype(np.float32) / 255.0
    rgb = a[:, :, :3]
    if (alpha < 1).any():
        rgb = np.rint(rgb * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    gray = bool((rgb[:, :, 0] == rgb[:, :, 1]).all() and (rgb[:, :, 1] == rgb[:, :, 2]).all())
    image = np.ascontiguousarray(rgb[:, :, 0] if gray else rgb)
    image, downscaled = ops.downscale(image, max_side)
    return {"image": image, "downscaled": downscaled, "original": list(a.shape[:2]),
            "gray": gray}


def _display(out: np.ndarray, symmetric: bool) -> dict[str, Any]:
    """An output array as the uint8 picture drawn, its shape and the range it spans."""
    shown, (lo, hi) = ops.normalize_for_display(out, symmetric=symmetric)
    return {"image": shown, "shape": list(out.shape), "min": float(out.min()),
            "max": float(out.max()), "shown": [lo, hi]}


def conv_preview(img: ArrayLike, kernel: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, symmetric: bool = False) -> dict[str, Any]:
    """What the convolution explorer draws: conv2d of the photo with the typed kernel.

    ``kernel`` is the grid as typed (strings such as '1/9' or '−1'); ``parse_kernel``
    explains a bad cell by its (row, column). The photo is filtered in float32, which is
    what keeps an update within a frame in the browser.
    """
    k = ops.parse_kernel(kernel)
    if isinstance(padding, (int, float)) and padding > MAX_PADDING:
        shown = int(padding) if float(padding).is_integer() else padding
        raise InputError(f"El relleno (padding) de esta demo admite como máximo {MAX_PADDING}; "
                         f"se recibió {shown}", field="padding", code="too_large")
    out = ops.conv2d(np.asarray(img, dtype=np.float32), k, stride, padding, dilation)
    return {**_display(out, symmetric), "kernel": k}


def pool_preview(img: ArrayLike, mode: str, size: Any, stride: Any = None) -> dict[str, Any]:
    """What the pooling explorer draws: max or average pooling of the photo."""
    pool = {"max": ops.max_pool2d, "avg": ops.avg_pool2d}.get(mode)
    if pool is None:
        raise InputError(f"El tipo de pooling debe ser 'max' o 'avg'; se recibió {mode!r}",
                         field="mode", code="bad_parameter")
    out = pool(np.asarray(img, dtype=np.float32), size, stride)
    return _display(out, False)


def conv_steps(x: ArrayLike, kernel: ArrayLike, stride: Any = 1, padding: Any = 0,
               dilation: Any = 1) -> dict[str, Any]:
    """Every window of a small convolution, as records the step-by-step widget draws."""
    steps = ops.conv2d_steps(x, kernel, stride, padding, dilation, max_steps=400)
    return {"padded": ops.pad2d(x, padding), "kernel": np.asarray(kernel, dtype=np.float64),
            "output": ops.conv2d(x, kernel, stride, padding, dilation),
            "steps": [asdict(st) for st in steps]}


def transpose_steps(x: ArrayLike, kernel: ArrayLike, stride: Any = 1,
                    padding: Any = 0) -> dict[str, Any]:
    """Each input cell's scaled kernel and the running sum of a small transposed convolution."""
    steps = ops.conv_transpose2d_steps(x, kernel, stride, padding, max_steps=64)
    return {"output": ops.conv_transpose2d(x, kernel, stride, padding),
            "steps": [asdict(st) for st in steps]}


# ------------------------------------------------------------------------------- quiz

# Seed 003's LeNet questions: a 32×32 input, a 5×5 convolution (28×28), a 2×2 pooling (14×14).
QUESTIONS: dict[str, dict[str, int]] = {
    "lenet-conv": {"n": 32, "out": 28, "stride": 1, "padding": 0, "answer": 5},
    "lenet-pool": {"n": 28, "out": 14, "stride": 2, "padding": 0, "answer": 2},
}


def _whole_number(text: Any) -> int:
    """The reader's answer as an int, or a Spanish reason why it is not one."""
    typed = str(text).strip()
    token = ops.decimal_comma(typed.replace("\u2212", "-"))  # «5,0» as every box reads it
    if not token:
        raise InputError("Escribe un número entero en la casilla de la respuesta",
                         field="answer", code="empty")
    try:
        value = float(token)
    except ValueError:
        raise InputError(f"«{typed}» no es un número entero", field="answer",
                         code="not_a_number") from None
    if value > ops.MAX_INT:  # also inf: "1e400" or 400 typed digits
        raise InputError("Ese tamaño es demasiado grande para esta pregunta", field="answer",
                         code="too_large")
    if not np.isfinite(value) or not value.is_integer():
        raise InputError(f"«{typed}» no es un número entero", field="answer", code="not_integer")
    if value < 1:
        raise InputError(f"El tamaño debe ser al menos 1; se recibió {int(value)}",
                         field="answer", code="too_small")
    return int(value)


def check_answer(question: str, answer: Any) -> dict[str, Any]:
    """Check a quiz answer with the output-size formula itself, and say why it is (not) right.

    The answer is put back into ``imageops.output_size``: the reader sees what their
    size would give, not only "wrong".
    """
    q = QUESTIONS.get(question)
    if q is None:
        raise InputError(f"Pregunta desconocida: {question!r}", field="question")
    k = _whole_number(answer)
    n, s, p, target = q["n"], q["stride"], q["padding"], q["out"]
    try:
        out = ops.output_size(n, k, stride=s, padding=p)
    except ValueError as exc:
        return {"correct": False, "output": None, "message": f"Con k = {k}: {exc}."}
    formula = f"⌊({n} + 2·{p} − {k})/{s}⌋ + 1 = {out}"
    if k == q["answer"]:
        return {"correct": True, "output": out, "message": f"¡Correcto! {formula}."}
    if out == target:  # k = 1 with stride 2: the size fits, but the window skips pixels
        return {"correct": False, "output": out,
                "message": f"{formula}: el tamaño cuadra, pero una ventana de {k}×{k} con "
                           f"paso {s} no mira todos los píxeles. LeNet usa ventanas que "
                           f"cubren la entrada sin solaparse: k igual al paso."}
    return {"correct": False, "output": out,
            "message": f"Con k = {k} la salida sería {formula}, no {target}. Prueba otra vez."}
