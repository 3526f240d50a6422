"""Convolution, transposed convolution and pooling in plain NumPy, for the live demos.

The same file runs natively (tests compare it with ``torch.nn.functional``) and in the
reader's browser through Pyodide 0.27.7 (Python 3.12, NumPy 2.0.2), so it uses only
NumPy 2.0 APIs and nothing else. Loops run over kernel taps, never over pixels: summing
the k*k shifted strided slices of the image is the fastest formulation we measured
(1.5-2.5x faster natively than ``sliding_window_view`` + ``einsum``, 8x than
``tensordot``, which copies the windows).

Conventions, as in deep-learning frameworks (and the lectures):

* ``conv2d`` is a cross-correlation (the kernel is not flipped) with zero padding.
* Images are ``(H, W)`` or ``(H, W, C)``; a 2-D kernel is applied to each channel on
  its own (``groups=C`` in PyTorch), so an RGB image gives an RGB output.
* Results are float32 when the image is float32 (fast in the browser) and float64
  otherwise (integer, boolean or float64 images).
* Bad arguments raise ``demos.errors.InputError`` (a ``ValueError``) with a message in
  Spanish meant for a student, which the widgets show as it is, and the parameter
  (``field``) or kernel cell (``cell``) at fault, which they mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from demos.errors import InputError

__all__ = [
    "KERNELS", "KERNEL_LABELS", "ConvStep", "TransposeStep",
    "output_size", "transposed_output_size", "pad2d",
    "conv2d", "conv2d_steps", "conv_transpose2d", "conv_transpose2d_steps",
    "max_pool2d", "avg_pool2d", "parse_kernel", "parse_kernel_rows",
    "to_grayscale", "normalize_for_display", "downscale",
]

FloatArray = NDArray[np.floating]
MAX_INT = 1_000_000  # larger sizes, strides or paddings are typos, and would exhaust memory

# Spanish names of the integer hyper-parameters, as the lectures call them.
_PARAM_LABELS = {
    "stride": "El paso (stride)",
    "padding": "El relleno (padding)",
    "dilation": "La dilatación (dilation)",
    "output_padding": "El relleno de salida (output_padding)",
    "size": "El tamaño de la ventana de pooling",
    "n": "El tamaño de la entrada",
    "k": "El tamaño del núcleo",
    "max_side": "El lado máximo (max_side)",
    "max_steps": "El número máximo de pasos (max_steps)",
}


# --------------------------------------------------------------------------- checks

def _show(value: Any) -> str:
    """Write a value the way a student typed it: 2, 1.5, 'abc' (no np.int64(...))."""
    if isinstance(value, (Real, np.number)) and not isinstance(value, (bool, np.bool_)):
        return str(value.item() if isinstance(value, np.generic) else value)
    return repr(value)


def _int_param(value: Any, name: str, minimum: int) -> int:
    """An integer hyper-parameter in [minimum, MAX_INT]; 2.0 is accepted because JS numbers
    are floats. A huge value is refused by its size, never echoed with its 300 digits."""
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    is_real = isinstance(value, (float, np.floating)) or is_int
    if is_real and value > MAX_INT:
        raise InputError(f"{_PARAM_LABELS[name]} es demasiado grande: el máximo es "
                         f"{MAX_INT:_}".replace("_", " "), field=name, code="too_large")
    is_whole_float = isinstance(value, (float, np.floating)) and float(value).is_integer()
    if not (is_int or is_whole_float) or value < minimum:
        raise InputError(f"{_PARAM_LABELS[name]} debe ser un entero mayor o igual que "
                         f"{minimum}; se recibió {_show(value)}", field=name,
                         code="too_small" if is_real and value < minimum else "not_integer")
    return int(value)


def _dims(ndim: int) -> str:
    return "1 dimensión" if ndim == 1 else f"{ndim} dimensiones"


def _numeric(x: ArrayLike, what: str) -> np.ndarray:
    """np.asarray that explains ragged rows and text in Spanish."""
    try:
        a = np.asarray(x)
    except ValueError:  # ragged nested lists
        raise InputError(f"Las filas de {what} tienen longitudes distintas",
                         code="ragged") from None
    if a.dtype != np.bool_ and not (np.issubdtype(a.dtype, np.integer)
                                    or np.issubdtype(a.dtype, np.floating)):
        raise InputError(f"{what[0].upper()}{what[1:]} debe contener números reales; "
                         f"se recibió un arreglo de tipo {a.dtype}", code="not_a_number")
    return a


def _as_image(x: ArrayLike, *, channels: bool = True) -> FloatArray:
    """Validate an image (H, W) or (H, W, C) and return it as float32/float64."""
    a = _numeric(x, "la imagen")
    allowed = (2, 3) if channels else (2,)
    if a.size == 0:
        raise InputError(f"La imagen está vacía (forma {a.shape})", field="image", code="empty")
    if a.ndim not in allowed:
        expected = ("2-D (alto × ancho) o 3-D (alto × ancho × canales)" if channels
                    else "2-D (alto × ancho), en escala de grises")
        raise InputError(f"La imagen debe ser {expected}; tiene {_dims(a.ndim)} "
                         f"(forma {a.shape})", field="image", code="bad_shape")
    a = a.astype(np.float32 if a.dtype == np.float32 else np.float64, copy=False)
    if not np.isfinite(a).all():
        raise InputError("La imagen contiene NaN o infinito", field="image", code="not_finite")
    return a


def _largest_cell(w: np.ndarray) -> tuple[int, int]:
    """(row, col) from 0 of the kernel entry with the largest magnitude: the overflow's cause."""
    return tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(w)), w.shape))  # type: ignore[return-value]


def _overflow(w: np.ndarray) -> InputError:
    r, c = _largest_cell(w)
    return InputError(f"La celda ({r + 1}, {c + 1}) del núcleo vale {w[r, c]:.3g}: con un valor "
                      f"tan grande la salida se desborda (sale infinito). Usa valores más "
                      f"pequeños", field="kernel", cell=(r, c), code="overflow")


def _as_kernel(k: ArrayLike, dtype: type = np.float64) -> FloatArray:
    """Validate a 2-D kernel and return it in the image's dtype."""
    a = _numeric(k, "el núcleo")
    if a.size == 0:
        raise InputError("El núcleo está vacío", field="kernel", code="empty")
    if a.ndim != 2:
        raise InputError(f"El núcleo debe ser una matriz 2-D (filas × columnas); tiene "
                         f"{_dims(a.ndim)} (forma {a.shape})", field="kernel", code="bad_shape")
    a = a.astype(np.float64, copy=False)
    if not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))[0]
        raise InputError("El núcleo contiene NaN o infinito", field="kernel",
                         cell=(bad[0], bad[1]), code="not_finite")
    with np.errstate(over="ignore"):
        cast = a.astype(dtype, copy=False)
    if not np.isfinite(cast).all():  # 1e308 fits a float64 but not the float32 of a photo
        raise _overflow(a)
    return cast


def _check_fits(image_hw: tuple[int, int], kernel_hw: tuple[int, int],
                padding: int, dilation: int) -> tuple[int, int]:
    """Return the dilated kernel size, or explain why it does not fit the padded image."""
    eff = tuple(dilation * (n - 1) + 1 for n in kernel_hw)
    padded = tuple(n + 2 * padding for n in image_hw)
    if eff[0] > padded[0] or eff[1] > padded[1]:
        kernel = "El núcleo dilatado" if dilation > 1 else "El núcleo"
        image = "la imagen con relleno" if padding > 0 else "la imagen"
        raise InputError(f"{kernel} ({eff[0]}×{eff[1]}) es mayor que {image} "
                         f"({padded[0]}×{padded[1]})", field="dilation" if dilation > 1 else "kernel",
                         code="does_not_fit")
    return eff  # type: ignore[return-value]


# ---------------------------------------------------------------------------- sizes

# --8<-- [start:output-size]
def output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Lado de la salida de una convolución o agrupación: floor((n + 2p - d(k-1) - 1)/s) + 1."""
    n, k = _int_param(n, "n", 1), _int_param(k, "k", 1)
    s, p = _int_param(stride, "stride", 1), _int_param(padding, "padding", 0)
    d = _int_param(dilation, "dilation", 1)
    eff = d * (k - 1) + 1
    if eff > n + 2 * p:
        kernel = "El núcleo dilatado" if d > 1 else "El núcleo"
        raise InputError(f"{kernel} ({eff}) es mayor que la entrada con relleno ({n + 2 * p})",
                         field="dilation" if d > 1 else "k", code="does_not_fit")
    return (n + 2 * p - eff) // s + 1
# --8<-- [end:output-size]


def transposed_output_size(n: int, k: int, stride: int = 1, padding: int = 0,
                           output_padding: int = 0, dilation: int = 1) -> int:
    """Output length of a transposed convolution: (n-1)s - 2p + d(k-1) + output_padding + 1."""
    n, k = _int_param(n, "n", 1), _int_param(k, "k", 1)
    s, p = _int_param(stride, "stride", 1), _int_param(padding, "padding", 0)
    d = _int_param(dilation, "dilation", 1)
    op = _int_param(output_padding, "output_padding", 0)
    if op >= max(s, d):  # the same rule as PyTorch: it only picks among sizes that stride hides
        raise InputError(f"El relleno de salida (output_padding) debe ser menor que el paso "
                         f"(stride) o la dilatación; se recibió {op} con paso {s} y "
                         f"dilatación {d}", field="output_padding", code="too_large")
    size = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if size < 1:
        raise InputError(f"El relleno (padding) {p} es demasiado grande: la salida de la "
                         f"convolución transpuesta tendría tamaño {size}", field="padding",
                         code="too_large")
    return size


def pad2d(x: ArrayLike, padding: int) -> FloatArray:
    """Zero-pad the two spatial axes, as conv2d sees the image (for drawing the grid)."""
    a = _as_image(x)
    p = _int_param(padding, "padding", 0)
    return np.pad(a, [(p, p), (p, p)] + [(0, 0)] * (a.ndim - 2))


# ------------------------------------------------------------------------- convolution

def _tap(a: np.ndarray, row: int, col: int, step: int, rows: int, cols: int) -> np.ndarray:
    """The strided view a[row::step, col::step] cut to rows x cols (no copy)."""
    return a[row: row + step * (rows - 1) + 1: step, col: col + step * (cols - 1) + 1: step]


# --8<-- [start:conv2d]
def conv2d(x: ArrayLike, k: ArrayLike, stride: int = 1, padding: int = 0,
           dilation: int = 1) -> FloatArray:
    """Cross-correlate an image (H, W) or (H, W, C) with a 2-D kernel, as F.conv2d does.

    An (H, W, C) image is filtered channel by channel with the same kernel (PyTorch's
    ``groups=C``), so the output is (H', W', C). Zero padding; output sizes follow
    ``output_size``. Float32 in, float32 out; anything else gives float64.
    """
    a = _as_image(x)
    w = _as_kernel(k, a.dtype.type)
    s, p = _int_param(stride, "stride", 1), _int_param(padding, "padding", 0)
    d = _int_param(dilation, "dilation", 1)
    eff_h, eff_w = _check_fits(a.shape[:2], w.shape, p, d)
    ap = np.pad(a, [(p, p), (p, p)] + [(0, 0)] * (a.ndim - 2)) if p else a
    out_h = (ap.shape[0] - eff_h) // s + 1
    out_w = (ap.shape[1] - eff_w) // s + 1
    # --8<-- [start:conv2d-taps]
    # Cada toma (i, j) multiplica una rebanada (con paso) de la imagen rellena por un escalar;
    # un solo búfer reutilizado para los productos evita un temporal grande por toma.
    out = w[0, 0] * _tap(ap, 0, 0, s, out_h, out_w)
    buf = np.empty_like(out)
    for i in range(w.shape[0]):
        for j in range(w.shape[1]):
            if i or j:
                np.multiply(_tap(ap, i * d, j * d, s, out_h, out_w), w[i, j], out=buf)
                out += buf
    # --8<-- [end:conv2d-taps]
    if not np.isfinite(out).all():  # finite inputs, infinite sums: the kernel is too large
        raise _overflow(w)
    return out
# --8<-- [end:conv2d]


@dataclass(frozen=True)
class ConvStep:
    """One window of conv2d: where it sits, what it sees, and the sum it produces."""

    position: tuple[int, int]  # (row, col) of the output cell
    rows: tuple[int, ...]  # rows of the *padded* image under the kernel taps
    cols: tuple[int, ...]  # columns of the *padded* image under the kernel taps
    window: FloatArray  # (kh, kw) image values under the taps
    products: FloatArray  # window * kernel, element by element
    total: float  # products.sum(), the value written at `position`


def _check_steps(count: int, max_steps: int) -> None:
    limit = _int_param(max_steps, "max_steps", 1)
    if count > limit:
        raise InputError(f"El paso a paso admite como máximo {limit} pasos y aquí habría "
                         f"{count}: usa una imagen más pequeña", field="image", code="too_large")


def conv2d_steps(x: ArrayLike, k: ArrayLike, stride: int = 1, padding: int = 0,
                 dilation: int = 1, *, max_steps: int = 1024) -> list[ConvStep]:
    """Every window of conv2d on a small 2-D image, in reading order, for the step widget.

    Coordinates refer to the padded image (``pad2d(x, padding)``): the first ``padding``
    rows and columns are the zeros added around it.
    """
    a = _as_image(x, channels=False)
    w = _as_kernel(k)
    out = conv2d(a, w, stride, padding, dilation)  # validates stride, padding, dilation
    _check_steps(out.size, max_steps)
    s, d = int(stride), int(dilation)
    ap = pad2d(a, padding)
    steps = []
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            rows = tuple(r * s + d * i for i in range(w.shape[0]))
            cols = tuple(c * s + d * j for j in range(w.shape[1]))
            window = ap[np.ix_(rows, cols)]
            products = window * w
            steps.append(ConvStep((r, c), rows, cols, window, products, float(products.sum())))
    return steps


# ----------------------------------------------------------------- transposed convolution

def conv_transpose2d(x: ArrayLike, k: ArrayLike, stride: int = 1, padding: int = 0,
                     output_padding: int = 0, dilation: int = 1) -> FloatArray:
    """Transposed convolution of one channel, as F.conv_transpose2d (per channel if 3-D).

    Every input cell pastes the kernel, scaled by its value, into the output at
    ``stride`` times its position; overlapping pastes add up. ``padding`` then crops
    that many rows and columns from each border, and ``output_padding`` adds some back
    at the bottom and right (it picks one of the input sizes a strided conv2d maps to
    the same output size).
    """
    a = _as_image(x)
    w = _as_kernel(k, a.dtype.type)
    s, p = _int_param(stride, "stride", 1), _int_param(padding, "padding", 0)
    d = _int_param(dilation, "dilation", 1)
    out_h = transposed_output_size(a.shape[0], w.shape[0], s, p, output_padding, d)
    out_w = transposed_output_size(a.shape[1], w.shape[1], s, p, output_padding, d)
    full_h = max((a.shape[0] - 1) * s + d * (w.shape[0] - 1) + 1, p + out_h)
    full_w = max((a.shape[1] - 1) * s + d * (w.shape[1] - 1) + 1, p + out_w)
    full = np.zeros((full_h, full_w) + a.shape[2:], dtype=a.dtype)
    # Tap (i, j) of every pasted kernel lands on one strided slice of the full output.
    for i in range(w.shape[0]):
        for j in range(w.shape[1]):
            _tap(full, i * d, j * d, s, a.shape[0], a.shape[1])[...] += w[i, j] * a
    return full[p: p + out_h, p: p + out_w].copy()


@dataclass(frozen=True)
class TransposeStep:
    """What one input cell adds to the output of conv_transpose2d."""

    cell: tuple[int, int]  # (row, col) of the input cell
    value: float  # its value, the factor that scales the kernel
    top_left: tuple[int, int]  # output cell under kernel[0, 0] (negative if cropped by padding)
    contribution: FloatArray  # output-shaped: value * kernel pasted at top_left
    running_sum: FloatArray  # contributions of this and all earlier cells


def conv_transpose2d_steps(x: ArrayLike, k: ArrayLike, stride: int = 1, padding: int = 0,
                           output_padding: int = 0, dilation: int = 1, *,
                           max_steps: int = 256) -> list[TransposeStep]:
    """Per-input-cell contributions of conv_transpose2d on a small 2-D input, in reading
    order; the last ``running_sum`` equals ``conv_transpose2d(x, k, ...)``."""
    a = _as_image(x, channels=False)
    w = _as_kernel(k)
    out = conv_transpose2d(a, w, stride, padding, output_padding, dilation)  # validates
    _check_steps(a.size, max_steps)
    s, p, d = int(stride), int(padding), int(dilation)
    full_shape = (p + out.shape[0] + p + w.shape[0] * d, p + out.shape[1] + p + w.shape[1] * d)
    running = np.zeros_like(out)
    steps = []
    for r in range(a.shape[0]):
        for c in range(a.shape[1]):
            full = np.zeros(full_shape)
            _tap(full, r * s, c * s, d, w.shape[0], w.shape[1])[...] = a[r, c] * w
            contribution = full[p: p + out.shape[0], p: p + out.shape[1]].copy()
            running = running + contribution
            steps.append(TransposeStep((r, c), float(a[r, c]), (r * s - p, c * s - p),
                                       contribution, running))
    return steps


# ------------------------------------------------------------------------------ pooling

def _pool(x: ArrayLike, size: int, stride: int | None,
          combine: Callable[[np.ndarray, np.ndarray], None]) -> FloatArray:
    """Fold the size*size strided views of the image into the first one with `combine`."""
    a = _as_image(x)
    n = _int_param(size, "size", 1)
    s = n if stride is None else _int_param(stride, "stride", 1)
    if n > a.shape[0] or n > a.shape[1]:
        raise InputError(f"La ventana de pooling ({n}×{n}) es mayor que la imagen "
                         f"({a.shape[0]}×{a.shape[1]})", field="size", code="does_not_fit")
    out_h, out_w = (a.shape[0] - n) // s + 1, (a.shape[1] - n) // s + 1  # floor mode
    out = _tap(a, 0, 0, s, out_h, out_w).copy()
    for i in range(n):
        for j in range(n):
            if i or j:
                combine(out, _tap(a, i, j, s, out_h, out_w))
    return out


def max_pool2d(x: ArrayLike, size: int, stride: int | None = None) -> FloatArray:
    """Max pooling of (H, W) or (H, W, C) as F.max_pool2d; stride defaults to size."""
    return _pool(x, size, stride, lambda out, view: np.maximum(out, view, out=out))


def avg_pool2d(x: ArrayLike, size: int, stride: int | None = None) -> FloatArray:
    """Average pooling of (H, W) or (H, W, C) as F.avg_pool2d; stride defaults to size."""
    out = _pool(x, size, stride, lambda out, view: np.add(out, view, out=out))
    out /= int(size) ** 2
    return out


# ------------------------------------------------------------------------------ kernels

def _preset(rows: list[list[float]], scale: float = 1.0) -> FloatArray:
    k = np.array(rows, dtype=np.float64) * scale
    k.flags.writeable = False  # shared presets: a widget must copy before editing
    return k


# --8<-- [start:kernels]
KERNELS: dict[str, FloatArray] = {
    "identity": _preset([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box_blur": _preset([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1 / 9),
    "gaussian": _preset([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
    "sharpen": _preset([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplacian": _preset([[0, -1, 0], [-1, 4, -1], [0, -1, 0]]),
    "sobel_x": _preset([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobel_y": _preset([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "emboss": _preset([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    # Los tres filtros que encuentran las partes de una X.
    "x_diag_down": _preset([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]),
    "x_center": _preset([[1, -1, 1], [-1, 1, -1], [1, -1, 1]]),
    "x_diag_up": _preset([[-1, -1, 1], [-1, 1, -1], [1, -1, -1]]),
}
# --8<-- [end:kernels]

KERNEL_LABELS: dict[str, str] = {
    "identity": "Identidad",
    "box_blur": "Desenfoque (caja)",
    "gaussian": "Gaussiano",
    "sharpen": "Realce (sharpen)",
    "laplacian": "Bordes (Laplaciano)",
    "sobel_x": "Sobel x",
    "sobel_y": "Sobel y",
    "emboss": "Relieve (emboss)",
    "x_diag_down": "X: diagonal descendente (↘)",
    "x_center": "X: centro",
    "x_diag_up": "X: diagonal ascendente (↗)",
}

_BRACKET_ROW = re.compile(r"\[([^\[\]]*)\]")
_CELL_SEP = re.compile(r"[,\s]+")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_ONE_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")

# The decimal-comma rule, the one place it is applied to text of several numbers (the
# kernel's hint says it, DECIMAL_COMMA_RULE in docs/assets/js/widgets/numbers.js): when
# the numbers of a row are separated by spaces (rows by ';', lines or [..]) and every
# comma sits between two digits, a comma is decimal: «0,5 1 -0,5» is 0.5, 1, -0.5.
# Otherwise commas separate numbers and decimals take a point: «0.5, 1, -0.5», «1,0;0,1».


def decimal_comma(token: str) -> str:
    """One number typed with a decimal comma («0,5», «-1,25») as Python reads it («0.5»);
    any other text unchanged."""
    t = token.strip()
    return t.replace(",", ".") if _ONE_DECIMAL_COMMA.fullmatch(t) else token


def _commas_are_decimal(text: str, rows: list[str]) -> bool:
    commas = text.count(",")
    return (commas > 0 and len(_DIGIT_COMMA.findall(text)) == commas
            and any(len(row.split()) > 1 for row in rows))


def parse_kernel_rows(text: str) -> list[list[str]]:
    """Split typed text into rows of tokens: lines or ';' separate rows, or [..] groups;
    a comma is decimal or a separator by the decimal-comma rule above."""
    if "[" in text or "]" in text:
        if text.count("[") != text.count("]"):
            raise InputError(f"Los corchetes del núcleo no están balanceados: hay "
                             f"{text.count('[')} '[' y {text.count(']')} ']'",
                             field="kernel", code="unbalanced")
        rows = _BRACKET_ROW.findall(text)
    else:
        rows = re.split(r"[\n;]", text)
    if _commas_are_decimal(text, rows):
        return [[t.replace(",", ".") for t in row.split()] for row in rows if row.strip()]
    return [_CELL_SEP.split(row.strip(" \t\r\n,")) for row in rows if row.strip(" \t\r\n,")]


def _cell_value(cell: Any, r: int, c: int) -> float:
    """One kernel entry: a number, or text such as '-1', '0.25', '1/9' or '−1'."""
    where = f"La celda ({r}, {c}) del núcleo"

    def bad(message: str, code: str) -> InputError:
        return InputError(message, field="kernel", cell=(r - 1, c - 1), code=code)

    if isinstance(cell, (Real, np.number)) and not isinstance(cell, (bool, np.bool_)):
        value = float(cell)
    elif isinstance(cell, str):
        token = decimal_comma(cell.strip().replace("\u2212", "-"))  # minus sign copied from the lectures; «0,5»
        if not token:
            raise bad(f"{where} está vacía", "empty")
        try:
            value = float(token)
        except ValueError:
            num, _, den = token.partition("/")
            try:
                value = float(num) / float(den)
            except ZeroDivisionError:
                raise bad(f"{where} divide por cero: {cell!r}", "division_by_zero") from None
            except ValueError:
                hint = " (una sola coma decimal, por ejemplo 0,5)" if "," in token else ""
                raise bad(f"{where} no es un número: {cell!r}{hint}", "not_a_number") from None
    else:
        raise bad(f"{where} no es un número: {cell!r}", "not_a_number")
    if not np.isfinite(value):
        raise bad(f"El núcleo contiene NaN o infinito (celda ({r}, {c}))", "not_finite")
    return value


def parse_kernel(source: str | Sequence[Any] | np.ndarray) -> FloatArray:
    """Turn what a reader typed into a float64 kernel grid, or explain in Spanish why not.

    Accepts text with one row per line (or rows separated by ';', or written as
    ``[[1, 0], [0, 1]]``) and numbers separated by commas and/or spaces; fractions such
    as ``1/9`` are allowed; a decimal comma as the decimal-comma rule says. Also accepts
    nested lists of numbers or strings (a JS array from a grid of inputs, converted or
    still a Pyodide proxy); a flat list is one row. Cells are numbered from 1, as (row, column).
    """
    if hasattr(source, "to_py"):  # a JavaScript array handed over by Pyodide
        source = source.to_py()
    if isinstance(source, str):
        rows: list[Any] = parse_kernel_rows(source)
    else:
        rows = list(np.asarray(source, dtype=object).tolist()
                    if isinstance(source, np.ndarray) else source)
        if rows and not any(isinstance(row, (list, tuple)) for row in rows):
            rows = [rows]  # a flat list is a single row
        rows = [list(row) if isinstance(row, (list, tuple)) else [row] for row in rows]
    if not rows or not any(rows):
        raise InputError("El núcleo está vacío", field="kernel", code="empty")
    lengths = [len(row) for row in rows]
    if len(set(lengths)) > 1:
        raise InputError(f"Las filas del núcleo tienen longitudes distintas "
                         f"(números por fila: {', '.join(map(str, lengths))})", field="kernel",
                         code="ragged")
    return np.array([[_cell_value(cell, r, c) for c, cell in enumerate(row, 1)]
                     for r, row in enumerate(rows, 1)], dtype=np.float64)


# ----------------------------------------------------------------------- image helpers

def to_grayscale(img: ArrayLike) -> FloatArray:
    """Luminance 0.299 R + 0.587 G + 0.114 B (as Pillow's "L"), on the input's scale.

    Accepts (H, W), (H, W, 1), gray + alpha (H, W, 2), RGB or RGBA; alpha is ignored.
    Float32 stays float32, anything else becomes float64; 0-255 stays 0-255.
    """
    a = _as_image(img)
    if a.ndim == 2:
        return a
    channels = a.shape[2]
    if channels in (1, 2):
        return a[:, :, 0].copy()
    if channels in (3, 4):
        return a[:, :, :3] @ np.array([0.299, 0.587, 0.114], dtype=a.dtype)
    raise InputError(f"La imagen tiene {channels} canales; se esperaban 1 (gris), "
                     f"3 (RGB) o 4 (RGBA)", field="image", code="bad_shape")


def normalize_for_display(x: ArrayLike, *, symmetric: bool = False
                          ) -> tuple[NDArray[np.uint8], tuple[float, float]]:
    """Stretch any range to uint8 0-255 for drawing, and return the range shown.

    The minimum maps to 0 and the maximum to 255 (jointly over colour channels). With
    ``symmetric=True`` the range is (-m, m), m = max |x|, so zero is mid-gray: useful
    for signed filters such as Sobel. A constant image has no range to stretch: it is
    drawn as its own value clipped to 0-255 (mid-gray 128 when symmetric), never NaN.
    """
    a = _as_image(x).astype(np.float64)
    if symmetric:
        m = float(np.abs(a).max())
        lo, hi = -m, m
    else:
        lo, hi = float(a.min()), float(a.max())
    if hi == lo:
        level = 127.5 if symmetric else min(max(lo, 0.0), 255.0)
        shown = np.full(a.shape, np.rint(level))
    else:
        shown = np.rint((a - lo) * (255.0 / (hi - lo)))
    return np.clip(shown, 0, 255).astype(np.uint8), (lo, hi)


def _area_axis0(a: np.ndarray, m: int) -> np.ndarray:
    """Average axis 0 of length n into m cells by overlap length (exact area averaging).

    Cell i covers [i n/m, (i+1) n/m) of the input; its mean is a difference of the
    running integral S(t), which is piecewise linear, so no loop over pixels is needed.
    """
    n = a.shape[0]
    t = np.arange(m + 1) * n / m  # cell edges in input coordinates
    f = np.minimum(np.floor(t).astype(np.intp), n - 1)
    cumulative = np.concatenate([np.zeros((1,) + a.shape[1:]), np.cumsum(a, axis=0)])
    frac = (t - f).reshape((-1,) + (1,) * (a.ndim - 1))
    integral = cumulative[f] + frac * a[f]
    return (integral[1:] - integral[:-1]) * (m / n)


def downscale(img: ArrayLike, max_side: int) -> tuple[np.ndarray, bool]:
    """Shrink an (H, W) or (H, W, C) image so its longer side is max_side, by area averaging.

    Returns (image, downscaled). An image already small enough comes back unchanged with
    False; otherwise the result keeps the input's dtype (integers are rounded, so uint8
    stays uint8) except that float types other than float32 become float64. Area
    averaging is what keeps thin lines and the mean brightness of a photo.
    """
    original = np.asarray(img)
    a = _as_image(original).astype(np.float64)
    limit = _int_param(max_side, "max_side", 1)
    height, width = a.shape[:2]
    longest = max(height, width)
    if longest <= limit:
        return original, False
    new_h = max(1, round(height * limit / longest))
    new_w = max(1, round(width * limit / longest))
    out = np.swapaxes(_area_axis0(np.swapaxes(_area_axis0(a, new_h), 0, 1), new_w), 0, 1)
    if np.issubdtype(original.dtype, np.integer):
        info = np.iinfo(original.dtype)
        return np.clip(np.rint(out), info.min, info.max).astype(original.dtype), True
    return out.astype(np.float32 if original.dtype == np.float32 else np.float64), True
