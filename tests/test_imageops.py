"""demos.imageops against torch.nn.functional, the lectures' worked examples, and its errors.

The torch comparisons are skipped where torch is missing, so the rest of the file also
runs under plain NumPy 2.0 (the version inside Pyodide).
"""

import re
import zlib

import numpy as np
import pytest

from demos import imageops as ops

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the NumPy-only check of the Pyodide path
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")
TOL = dict(rtol=1e-10, atol=1e-10)


# ----------------------------------------------------------------------------- cases

def _conv_cases(count, seed=0):
    """Random (H, W, C, kh, kw, stride, padding, dilation) that fit; C None means 2-D."""
    rng, cases = np.random.default_rng(seed), []
    while len(cases) < count:
        h, w, kh, kw = rng.integers(1, 13), rng.integers(1, 13), rng.integers(1, 6), rng.integers(1, 6)
        s, p, d = rng.integers(1, 4), rng.integers(0, 4), rng.integers(1, 4)
        c = [None, 1, 3][rng.integers(3)]
        if d * (kh - 1) + 1 <= h + 2 * p and d * (kw - 1) + 1 <= w + 2 * p:
            cases.append(tuple(int(v) if v is not None else None for v in (h, w, c, kh, kw, s, p, d)))
    return cases


def _transpose_cases(count, seed=1):
    """Random (H, W, C, kh, kw, stride, padding, output_padding, dilation) with output >= 1."""
    rng, cases = np.random.default_rng(seed), []
    while len(cases) < count:
        h, w, kh, kw = rng.integers(1, 7), rng.integers(1, 7), rng.integers(1, 5), rng.integers(1, 5)
        s, p, d = rng.integers(1, 4), rng.integers(0, 4), rng.integers(1, 3)
        op = rng.integers(0, max(s, d))
        c = [None, 1, 3][rng.integers(3)]
        sizes = [(n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, k in ((h, kh), (w, kw))]
        if min(sizes) >= 1:
            cases.append(tuple(int(v) if v is not None else None for v in (h, w, c, kh, kw, s, p, op, d)))
    return cases


def _pool_cases(count, seed=2):
    """Random (H, W, C, size, stride) with the window inside the image; stride may be None."""
    rng, cases = np.random.default_rng(seed), []
    while len(cases) < count:
        h, w, size = int(rng.integers(1, 13)), int(rng.integers(1, 13)), int(rng.integers(1, 5))
        stride = [None, 1, 2, 3, 4][rng.integers(5)]
        c = [None, 1, 3][rng.integers(3)]
        if size <= min(h, w):
            cases.append((h, w, c, size, stride))
    return cases


def _image(h, w, c, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((h, w) if c is None else (h, w, c)).astype(dtype)


def _to_torch(x):
    """(H, W) -> (1, 1, H, W); (H, W, C) -> (1, C, H, W)."""
    t = torch.from_numpy(np.ascontiguousarray(x))
    return t[None, None] if t.ndim == 2 else t.permute(2, 0, 1)[None]


def _from_torch(t, like):
    t = t[0]
    return (t[0] if like.ndim == 2 else t.permute(1, 2, 0)).numpy()


def _channels(x):
    return 1 if x.ndim == 2 else x.shape[2]


# ------------------------------------------------------------------ torch references

@needs_torch
@pytest.mark.parametrize("case", _conv_cases(240))
def test_conv2d_matches_torch(case):
    h, w, c, kh, kw, s, p, d = case
    x, k = _image(h, w, c, seed=zlib.crc32(repr(case).encode())), _image(kh, kw, None, seed=7)
    weight = torch.from_numpy(k)[None, None].repeat(_channels(x), 1, 1, 1)
    ref = _from_torch(F.conv2d(_to_torch(x), weight, stride=s, padding=p, dilation=d,
                               groups=_channels(x)), x)
    out = ops.conv2d(x, k, stride=s, padding=p, dilation=d)
    assert out.dtype == np.float64
    assert out.shape[:2] == (ops.output_size(h, kh, s, p, d), ops.output_size(w, kw, s, p, d))
    np.testing.assert_allclose(out, ref, **TOL)


@needs_torch
@pytest.mark.parametrize("case", _conv_cases(12, seed=3))
def test_conv2d_float32_stays_float32(case):
    h, w, c, kh, kw, s, p, d = case
    x, k = _image(h, w, c, seed=1, dtype=np.float32), _image(kh, kw, None, seed=2)
    weight = torch.from_numpy(k.astype(np.float32))[None, None].repeat(_channels(x), 1, 1, 1)
    ref = _from_torch(F.conv2d(_to_torch(x), weight, stride=s, padding=p, dilation=d,
                               groups=_channels(x)), x)
    out = ops.conv2d(x, k, s, p, d)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@needs_torch
@pytest.mark.parametrize("case", _transpose_cases(160))
def test_conv_transpose2d_matches_torch(case):
    h, w, c, kh, kw, s, p, op, d = case
    x, k = _image(h, w, c, seed=zlib.crc32(repr(case).encode())), _image(kh, kw, None, seed=8)
    weight = torch.from_numpy(k)[None, None].repeat(_channels(x), 1, 1, 1)
    ref = _from_torch(F.conv_transpose2d(_to_torch(x), weight, stride=s, padding=p,
                                         output_padding=op, groups=_channels(x),
                                         dilation=d), x)
    out = ops.conv_transpose2d(x, k, stride=s, padding=p, output_padding=op, dilation=d)
    assert out.shape[:2] == (ops.transposed_output_size(h, kh, s, p, op, d),
                             ops.transposed_output_size(w, kw, s, p, op, d))
    np.testing.assert_allclose(out, ref, **TOL)
    if c is None:  # the step-through adds up to the same output
        steps = ops.conv_transpose2d_steps(x, k, s, p, op, d)
        assert len(steps) == h * w
        np.testing.assert_allclose(steps[-1].running_sum, ref, **TOL)
        np.testing.assert_allclose(sum(st.contribution for st in steps), ref, **TOL)


@needs_torch
@pytest.mark.parametrize("case", _pool_cases(120))
def test_pooling_matches_torch(case):
    h, w, c, size, stride = case
    x = _image(h, w, c, seed=zlib.crc32(repr(case).encode()))
    for ours, theirs in ((ops.max_pool2d, F.max_pool2d), (ops.avg_pool2d, F.avg_pool2d)):
        ref = _from_torch(theirs(_to_torch(x), size, stride), x)
        out = ours(x, size, stride)
        assert out.shape[:2] == (ops.output_size(h, size, stride or size),
                                 ops.output_size(w, size, stride or size))
        np.testing.assert_allclose(out, ref, **TOL)


@pytest.mark.parametrize("case", _conv_cases(40, seed=4))
def test_conv2d_steps_agree_with_conv2d(case):
    h, w, _, kh, kw, s, p, d = case
    x, k = _image(h, w, None, seed=5), _image(kh, kw, None, seed=6)
    out = ops.conv2d(x, k, s, p, d)
    steps = ops.conv2d_steps(x, k, s, p, d)
    # Reference windows from NumPy alone: every (d(k-1)+1)-wide patch of the zero-padded
    # image, taken at stride s, then every d-th tap.
    padded = np.pad(x, p)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (d * (kh - 1) + 1, d * (kw - 1) + 1))
    windows = windows[::s, ::s, ::d, ::d]
    assert [st.position for st in steps] == [(r, c) for r in range(out.shape[0])
                                              for c in range(out.shape[1])]
    for st in steps:
        ref = windows[st.position]
        np.testing.assert_array_equal(st.window, ref)
        np.testing.assert_array_equal(padded[np.ix_(st.rows, st.cols)], ref)
        np.testing.assert_array_equal(st.products, ref * k)
        assert st.total == pytest.approx(out[st.position], abs=1e-10)


# --------------------------------------------------------------- lectures' examples

SEED004_IMAGE = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
SEED004_FILTER = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


def test_seed004_feature_map():
    out = ops.conv2d(SEED004_IMAGE, SEED004_FILTER)
    np.testing.assert_array_equal(out, [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    first, second = ops.conv2d_steps(SEED004_IMAGE, SEED004_FILTER)[:2]
    np.testing.assert_array_equal(first.products, [[1, 0, 1], [0, 1, 0], [0, 0, 1]])
    assert (first.total, second.total) == (4.0, 3.0)


def test_seed004_x_filters():
    np.testing.assert_array_equal(ops.KERNELS["x_diag_down"], [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]])
    np.testing.assert_array_equal(ops.KERNELS["x_center"], [[1, -1, 1], [-1, 1, -1], [1, -1, 1]])
    np.testing.assert_array_equal(ops.KERNELS["x_diag_up"], [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]])


def test_seed001_transposed_convolution_and_its_contributions():
    x, k = [[0, 1], [2, 3]], [[1, 2], [3, 4]]
    np.testing.assert_array_equal(ops.conv_transpose2d(x, k), [[0, 1, 2], [2, 10, 10], [6, 17, 12]])
    steps = ops.conv_transpose2d_steps(x, k)
    assert [(st.cell, st.value, st.top_left) for st in steps] == [
        ((0, 0), 0.0, (0, 0)), ((0, 1), 1.0, (0, 1)), ((1, 0), 2.0, (1, 0)), ((1, 1), 3.0, (1, 1))]
    expected = [[[0, 0, 0], [0, 0, 0], [0, 0, 0]],
                [[0, 1, 2], [0, 3, 4], [0, 0, 0]],
                [[0, 0, 0], [2, 4, 0], [6, 8, 0]],
                [[0, 0, 0], [0, 3, 6], [0, 9, 12]]]
    for st, contribution in zip(steps, expected):
        np.testing.assert_array_equal(st.contribution, contribution)
    np.testing.assert_array_equal(steps[-1].running_sum, [[0, 1, 2], [2, 10, 10], [6, 17, 12]])


def test_cs231n_max_pool():
    x = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
    np.testing.assert_array_equal(ops.max_pool2d(x, 2, stride=2), [[6, 8], [3, 4]])
    np.testing.assert_array_equal(ops.max_pool2d(x, 2), [[6, 8], [3, 4]])


def test_seed003_lenet_sizes():
    assert ops.output_size(32, 5) == 28
    assert ops.output_size(28, 2, stride=2) == 14
    assert ops.output_size(32, 5, padding=2) == 32  # "same" padding keeps 32
    assert ops.transposed_output_size(14, 2, stride=2) == 28


def test_rgb_is_filtered_channel_by_channel():
    rgb = _image(6, 7, 3, seed=9)
    k = ops.KERNELS["sobel_x"]
    out = ops.conv2d(rgb, k, padding=1)
    for ch in range(3):
        np.testing.assert_allclose(out[:, :, ch], ops.conv2d(rgb[:, :, ch], k, padding=1), **TOL)
    np.testing.assert_array_equal(ops.max_pool2d(rgb, 2)[:, :, 1], ops.max_pool2d(rgb[:, :, 1], 2))


def test_whole_float_hyperparameters_are_accepted():
    """JS numbers may reach Python as floats."""
    np.testing.assert_array_equal(ops.conv2d(SEED004_IMAGE, SEED004_FILTER, stride=2.0, padding=1.0),
                                  ops.conv2d(SEED004_IMAGE, SEED004_FILTER, stride=2, padding=1))


# ----------------------------------------------------------------------------- kernels

def test_kernel_presets():
    assert ops.KERNELS.keys() == ops.KERNEL_LABELS.keys()
    for name, k in ops.KERNELS.items():
        assert k.shape == (3, 3) and np.isfinite(k).all() and not k.flags.writeable, name
    for name in ("identity", "box_blur", "gaussian", "sharpen"):  # keep brightness
        assert ops.KERNELS[name].sum() == pytest.approx(1.0)
    for name in ("laplacian", "sobel_x", "sobel_y"):  # flat regions give zero
        assert ops.KERNELS[name].sum() == 0
    assert ops.KERNEL_LABELS["identity"] == "Identidad"
    assert ops.KERNEL_LABELS["laplacian"] == "Bordes (Laplaciano)"
    np.testing.assert_array_equal(ops.conv2d(SEED004_IMAGE, ops.KERNELS["identity"], padding=1),
                                  SEED004_IMAGE)


@pytest.mark.parametrize("source, expected", [
    ("1, 0, -1\n2, 0, -2\n1, 0, -1", [[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
    ("1 0 -1\n  2\t0 -2  \n\n", [[1, 0, -1], [2, 0, -2]]),
    ("1,0;0,1", [[1, 0], [0, 1]]),
    ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
    ("[0.5, -1e-1]\r\n[1/4, \u22122]", [[0.5, -0.1], [0.25, -2]]),
    ("7", [[7]]),
    ([["1", " 2 "], ["-3", "4.5"]], [[1, 2], [-3, 4.5]]),
    ([[1, 2.5], (3, 4)], [[1, 2.5], [3, 4]]),
    (["1", "0", "-1"], [[1, 0, -1]]),
    (np.eye(2), [[1, 0], [0, 1]]),
    # The decimal-comma rule: numbers separated by spaces, every comma between digits.
    ("0,5 1 -0,5", [[0.5, 1, -0.5]]),
    ("1,0 2,0\n3 4", [[1, 2], [3, 4]]),
    ("1,5 2,5; 3,5 \u22124,5", [[1.5, 2.5], [3.5, -4.5]]),
    ("[0,25 1] [2 3]", [[0.25, 1], [2, 3]]),
    ([["0,5", "-1,25"]], [[0.5, -1.25]]),
    ("0.5, 1, -0.5", [[0.5, 1, -0.5]]),  # commas beside spaces separate
    ("1, 0 -1", [[1, 0, -1]]),
    ("1,0;0,1", [[1, 0], [0, 1]]),  # no spaces: commas separate
])
def test_parse_kernel_accepts(source, expected):
    out = ops.parse_kernel(source)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, expected)


@pytest.mark.parametrize("source, message", [
    ("1 abc\n3 4", "La celda (1, 2) del núcleo no es un número: 'abc'"),
    ([["1", "2", "3"], ["4", "5", "abc"]], "La celda (2, 3) del núcleo no es un número: 'abc'"),
    ([["1,2,5"]], "no es un número: '1,2,5' (una sola coma decimal"),
    ([["1", ""]], "La celda (1, 2) del núcleo está vacía"),
    ([[1, None]], "La celda (1, 2) del núcleo no es un número: None"),
    ([[True]], "no es un número: True"),
    ("1 nan\n0 1", "El núcleo contiene NaN o infinito (celda (1, 2))"),
    ([[1.0, float("inf")]], "El núcleo contiene NaN o infinito"),
    ("1 1/0", "divide por cero: '1/0'"),
    ("", "El núcleo está vacío"),
    ("  \n ; \n", "El núcleo está vacío"),
    ([], "El núcleo está vacío"),
    ([[]], "El núcleo está vacío"),
    ("1 2 3\n4 5", "Las filas del núcleo tienen longitudes distintas (números por fila: 3, 2)"),
    ([[1, 2], [3]], "Las filas del núcleo tienen longitudes distintas"),
    ("[[1, 2], [3, 4]", "Los corchetes del núcleo no están balanceados"),
])
def test_parse_kernel_rejects(source, message):
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        ops.parse_kernel(source)
    _assert_spanish(str(info.value))


# ------------------------------------------------------------------------------ errors

IMG = np.ones((4, 5))
K3 = np.ones((3, 3))
ENGLISH = re.compile(r"\b(must|should|expected|invalid|got|the|kernel|image|size|array|empty)\b", re.I)


def _assert_spanish(message):
    assert not ENGLISH.search(message), message
    assert re.search(r"\b(el|la|los|las|debe|es|no|del|de)\b", message, re.I), message


BAD_CALLS = [
    (lambda: ops.conv2d(IMG, K3, stride=0), "El paso (stride) debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.conv2d(IMG, K3, stride=1.5), "se recibió 1.5"),
    (lambda: ops.conv2d(IMG, K3, stride="2"), "se recibió '2'"),
    (lambda: ops.conv2d(IMG, K3, stride=True), "se recibió True"),
    (lambda: ops.conv2d(IMG, K3, stride=np.int64(-2)), "se recibió -2"),
    (lambda: ops.conv2d(IMG, K3, dilation=0), "La dilatación (dilation) debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.conv2d(IMG, K3, dilation=2.5), "se recibió 2.5"),
    (lambda: ops.conv2d(IMG, K3, padding=-1), "El relleno (padding) debe ser un entero mayor o igual que 0; se recibió -1"),
    (lambda: ops.conv2d(IMG, []), "El núcleo está vacío"),
    (lambda: ops.conv2d(IMG, [[1, np.nan]]), "El núcleo contiene NaN o infinito"),
    (lambda: ops.conv2d(IMG, [1, 2, 3]), "El núcleo debe ser una matriz 2-D (filas × columnas); tiene 1 dimensión (forma (3,))"),
    (lambda: ops.conv2d(IMG, np.ones((3, 3, 3))), "tiene 3 dimensiones"),
    (lambda: ops.conv2d(IMG, [["a", "b"]]), "El núcleo debe contener números reales"),
    (lambda: ops.conv2d([[1.0]], K3, padding=1, dilation=2), "El núcleo dilatado (5×5) es mayor que la imagen con relleno (3×3)"),
    (lambda: ops.conv2d(IMG, np.ones((5, 5))), "El núcleo (5×5) es mayor que la imagen (4×5)"),
    (lambda: ops.conv2d(np.ones(5), K3), "La imagen debe ser 2-D (alto × ancho) o 3-D (alto × ancho × canales); tiene 1 dimensión (forma (5,))"),
    (lambda: ops.conv2d(np.ones((1, 2, 3, 4)), K3), "tiene 4 dimensiones (forma (1, 2, 3, 4))"),
    (lambda: ops.conv2d(np.ones((0, 5)), K3), "La imagen está vacía (forma (0, 5))"),
    (lambda: ops.conv2d([], K3), "La imagen está vacía"),
    (lambda: ops.conv2d([[1, 2], [3]], K3), "Las filas de la imagen tienen longitudes distintas"),
    (lambda: ops.conv2d([[1.0, np.inf]], [[1]]), "La imagen contiene NaN o infinito"),
    (lambda: ops.conv2d([[1j]], [[1]]), "La imagen debe contener números reales"),
    (lambda: ops.conv2d_steps(np.ones((3, 3, 3)), K3), "La imagen debe ser 2-D (alto × ancho), en escala de grises; tiene 3 dimensiones"),
    (lambda: ops.conv2d_steps(np.ones((40, 40)), K3), "como máximo 1024 pasos y aquí habría 1444"),
    (lambda: ops.conv_transpose2d(IMG, K3, stride=0), "El paso (stride) debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.conv_transpose2d(IMG, K3, padding=-2), "se recibió -2"),
    (lambda: ops.conv_transpose2d(IMG, K3, padding=4), "El relleno (padding) 4 es demasiado grande: la salida de la convolución transpuesta tendría tamaño -2"),
    (lambda: ops.conv_transpose2d(IMG, K3, stride=2, output_padding=2), "debe ser menor que el paso (stride) o la dilatación; se recibió 2"),
    (lambda: ops.conv_transpose2d(IMG, [[np.inf]]), "El núcleo contiene NaN o infinito"),
    (lambda: ops.conv_transpose2d_steps(np.ones((20, 20)), K3), "como máximo 256 pasos y aquí habría 400"),
    (lambda: ops.max_pool2d(IMG, 0), "El tamaño de la ventana de pooling debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.max_pool2d(IMG, 5), "La ventana de pooling (5×5) es mayor que la imagen (4×5)"),
    (lambda: ops.avg_pool2d(IMG, 2, stride=0), "El paso (stride) debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.avg_pool2d(np.ones(3), 1), "tiene 1 dimensión"),
    (lambda: ops.avg_pool2d([[np.nan]], 1), "La imagen contiene NaN o infinito"),
    (lambda: ops.output_size(0, 3), "El tamaño de la entrada debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.output_size(5, 0), "El tamaño del núcleo debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.output_size(3, 3, dilation=2), "El núcleo dilatado (5) es mayor que la entrada con relleno (3)"),
    (lambda: ops.output_size(3, 3, stride=-1), "se recibió -1"),
    (lambda: ops.transposed_output_size(2, 2, padding=2), "tendría tamaño -1"),
    (lambda: ops.to_grayscale(np.ones((2, 2, 5))), "La imagen tiene 5 canales"),
    (lambda: ops.normalize_for_display([[np.nan]]), "La imagen contiene NaN o infinito"),
    (lambda: ops.downscale(IMG, 0), "El lado máximo (max_side) debe ser un entero mayor o igual que 1; se recibió 0"),
    (lambda: ops.pad2d(IMG, -1), "se recibió -1"),
]


@pytest.mark.parametrize("call, message", BAD_CALLS, ids=[m[:40] for _, m in BAD_CALLS])
def test_bad_arguments_explain_in_spanish(call, message):
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        call()
    _assert_spanish(str(info.value))


# ------------------------------------------------------------------- widget helpers

def test_normalize_for_display_stretches_and_reports_range():
    shown, (lo, hi) = ops.normalize_for_display([[-2.0, 0.0], [1.0, 2.0]])
    assert shown.dtype == np.uint8 and (lo, hi) == (-2.0, 2.0)
    np.testing.assert_array_equal(shown, [[0, 128], [191, 255]])
    shown, (lo, hi) = ops.normalize_for_display([[-1.0, 0.0], [0.5, 4.0]], symmetric=True)
    assert (lo, hi) == (-4.0, 4.0) and shown[0, 1] == 128 and shown[1, 1] == 255
    rgb, _ = ops.normalize_for_display(_image(3, 4, 3, seed=1))
    assert rgb.shape == (3, 4, 3) and rgb.min() == 0 and rgb.max() == 255


@pytest.mark.parametrize("value, symmetric, drawn", [
    (3.0, False, 3), (0.0, False, 0), (1000.0, False, 255), (-7.5, False, 0),
    (0.0, True, 128), (5.0, True, 255),
])
def test_normalize_for_display_constant_image(value, symmetric, drawn):
    shown, (lo, hi) = ops.normalize_for_display(np.full((4, 3), value), symmetric=symmetric)
    assert shown.dtype == np.uint8 and np.all(shown == drawn)
    assert np.isfinite([lo, hi]).all()


def test_to_grayscale_matches_pillow():
    image_module = pytest.importorskip("PIL.Image")
    rgb = np.random.default_rng(3).integers(0, 256, (6, 5, 3), dtype=np.uint8)
    ref = np.asarray(image_module.fromarray(rgb).convert("L"), dtype=np.float64)
    gray = ops.to_grayscale(rgb)
    assert gray.shape == (6, 5) and gray.dtype == np.float64
    np.testing.assert_allclose(gray, ref, atol=1.0)
    rgba = np.concatenate([rgb, np.zeros((6, 5, 1), np.uint8)], axis=2)
    np.testing.assert_allclose(ops.to_grayscale(rgba), gray)
    assert ops.to_grayscale(rgb.astype(np.float32)).dtype == np.float32
    np.testing.assert_array_equal(ops.to_grayscale(rgb[:, :, :1]), rgb[:, :, 0])


def _area_reference(a, new_h, new_w):
    """Dense overlap-weight matrices, the textbook definition of area averaging."""
    def weights(n, m):
        edges = np.arange(m + 1) * n / m
        lo = np.maximum(edges[:-1, None], np.arange(n)[None, :])
        hi = np.minimum(edges[1:, None], np.arange(1, n + 1)[None, :])
        return np.clip(hi - lo, 0, None) * (m / n)
    return np.einsum("ih,jw,hw...->ij...", weights(a.shape[0], new_h), weights(a.shape[1], new_w), a)


def test_downscale_area_averaging():
    img = _image(12, 9, 3, seed=4)
    small, done = ops.downscale(img, 4)  # integer factor 3: plain block means
    assert done and small.shape == (4, 3, 3)
    np.testing.assert_allclose(small, img.reshape(4, 3, 3, 3, 3).mean(axis=(1, 3)), **TOL)
    odd, done = ops.downscale(img[:, :, 0], 5)  # 12x9 -> 5x4, fractional overlaps
    assert done and odd.shape == (5, 4)
    np.testing.assert_allclose(odd, _area_reference(img[:, :, 0], 5, 4), **TOL)
    np.testing.assert_allclose(odd.mean(), img[:, :, 0].mean(), **TOL)  # brightness kept
    flat, _ = ops.downscale(np.full((9, 7), 42.0), 4)
    np.testing.assert_allclose(flat, 42.0, **TOL)


def test_downscale_keeps_dtype_and_small_images():
    photo = np.random.default_rng(5).integers(0, 256, (30, 20, 3), dtype=np.uint8)
    small, done = ops.downscale(photo, 10)
    assert done and small.shape == (10, 7, 3) and small.dtype == np.uint8
    assert np.abs(small.astype(float) - _area_reference(photo.astype(float), 10, 7)).max() <= 0.5
    assert ops.downscale(photo.astype(np.float32), 10)[0].dtype == np.float32
    same, done = ops.downscale(photo, 30)
    assert same is photo and not done
