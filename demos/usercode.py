"""Run the reader's own NumPy code on the current image (the python-cell widget).

The code is the body of a function of ``img``: it ends with ``return <imagen>`` (or
with an expression, whose value is returned, as in a notebook). It runs in the
reader's browser, inside Pyodide, so it can do no harm beyond its own tab; "Detener"
stops a runaway loop (KeyboardInterrupt, or a fresh worker).

``run`` never raises: it returns either the image to draw or ``{"error": record}`` (the
bridge's error record) whose traceback shows only the reader's lines, so a mistake reads
like one in a notebook.
"""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
import warnings
from typing import Any

import numpy as np

from demos import imageops as ops
from demos.errors import record
from demos.errors import InputError
from demos.grader import TimeLimit, _Deadline

# Like the exercises: a runaway loop stops here, at the reader's line, and Python stays
# ready (the widget restarts the worker only for a loop stuck inside NumPy).
TIME_LIMIT_S = 5.0

FILENAME = "<tu código>"
MAX_SIDE = 2048  # a bigger result would not fit a canvas in the page comfortably
MAX_PRINT = 10_000  # characters of print() output sent back


class ResultError(InputError):
    """The code ran, but what it returned cannot be drawn as an image."""

    def __init__(self, message: str):
        super().__init__(message, field="code", code="bad_result")


def _compile(code: str):
    """Compile the reader's lines as the body of ``def celda(img)``, keeping line numbers."""
    tree = ast.parse(code, FILENAME, "exec")
    body = tree.body or [ast.Pass()]
    last = body[-1]
    if isinstance(last, ast.Expr):  # a final expression is the result, as in a notebook
        body[-1] = ast.copy_location(ast.Return(value=last.value), last)
    module = ast.parse("def celda(img):\n    pass\n", FILENAME, "exec")
    module.body[0].body = body
    ast.fix_missing_locations(module)
    namespace = {"np": np, "__name__": "celda"}
    exec(compile(module, FILENAME, "exec"), namespace)
    return namespace["celda"]


def _as_picture(result: Any) -> dict[str, Any]:
    """Check what the code returned and make it drawable, or say in Spanish what is wrong."""
    if result is None:
        raise ResultError("Tu código no devolvió nada: termina con «return» y una imagen, "
                          "por ejemplo «return 255 - img»")
    try:
        a = np.asarray(result)
    except ValueError:
        raise ResultError("Tu código devolvió listas de longitudes distintas, no una imagen") from None
    info = {"shape": list(a.shape), "dtype": str(a.dtype)}
    if a.dtype == np.bool_:  # a mask: True white, False black
        a = a.astype(np.uint8) * np.uint8(255)
    if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise ResultError(f"Tu código devolvió {type(result).__name__} (tipo {a.dtype}), "
                          f"no una imagen de números reales")
    if a.ndim == 3 and a.shape[2] in (1, 3, 4):
        a = a[:, :, 0] if a.shape[2] == 1 else a[:, :, :3]  # alpha is not drawn
    elif a.ndim != 2:
        raise ResultError(f"La imagen devuelta tiene forma {a.shape}; se esperaba "
                          f"(alto, ancho) en gris o (alto, ancho, 3) en color")
    if a.size == 0:
        raise ResultError(f"La imagen devuelta está vacía (forma {a.shape})")
    if max(a.shape[:2]) > MAX_SIDE:
        raise ResultError(f"La imagen devuelta es demasiado grande ({a.shape[0]}×{a.shape[1]}); "
                          f"el máximo es {MAX_SIDE} píxeles de lado")
    bad = ~np.isfinite(a) if a.dtype.kind == "f" else None
    if bad is not None and bad.any():
        nan, inf = int(np.isnan(a).sum()), int(bad.sum() - np.isnan(a).sum())
        raise ResultError(f"La imagen devuelta contiene valores que no se pueden dibujar: "
                          f"{nan} NaN y {inf} infinitos (¿una división por cero?). Prueba "
                          f"np.nan_to_num(...) o evita dividir por cero")
    lo, hi = float(a.min()), float(a.max())
    if a.dtype == np.uint8:  # already pixels: drawn as they are
        return {**info, "image": np.ascontiguousarray(a), "min": lo, "max": hi, "stretched": False}
    shown, _ = ops.normalize_for_display(a)
    return {**info, "image": shown, "min": lo, "max": hi, "stretched": True}


def _error(exc: BaseException, limit: float = TIME_LIMIT_S) -> dict[str, Any]:
    """The bridge's error record, with the reader's line named in the message."""
    rec = record(exc, only_file=FILENAME)
    if isinstance(exc, TimeLimit):
        where = f" (línea {rec['line']} de tu código)" if rec["line"] else ""
        return {**rec, "kind": "input", "code": "timeout", "field": "code", "traceback": "",
                "message": f"Tiempo agotado: tu código pasó de {limit:g} s{where}. ¿Un bucle que no termina?"}
    if isinstance(exc, SyntaxError):
        rec["message"] = f"{rec['message']} (línea {exc.lineno} de tu código)"
    elif rec["kind"] == "python" and rec["line"]:
        rec["message"] = f"{rec['message']} (línea {rec['line']} de tu código)"
    return rec


def run(code: str, img: Any, time_limit: float = TIME_LIMIT_S) -> dict[str, Any]:
    """Run ``code`` on a copy of ``img``; return the picture to draw or the error to show.

    Both carry ``stdout``, what the code printed. The result also says its shape, dtype
    and value range, and whether it was stretched to 0-255 for display (anything that is
    not uint8 is: the minimum becomes black and the maximum white).
    """
    if not isinstance(code, str):
        code = str(code)
    linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                celda = _compile(code)
                with _Deadline(time_limit).active():
                    result = celda(np.array(img, copy=True))
                record = _as_picture(result)
        except BaseException as exc:  # KeyboardInterrupt too: the reader pressed "Detener"
            record = {"error": _error(exc, time_limit)}
    for w in caught:  # e.g. NumPy's "divide by zero", shown beside the print() output
        where = f" (línea {w.lineno})" if w.filename == FILENAME else ""
        out.write(f"Aviso{where}: {w.message}\n")
    return {**record, "stdout": out.getvalue()[:MAX_PRINT]}
