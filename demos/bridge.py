"""Glue between the browser (JavaScript) and the NumPy demos, run inside Pyodide.

Why: JavaScript passes images as typed arrays and gets typed arrays back; this module
turns `{"__ndarray__": True, "dtype", "shape", "data"}` records into NumPy arrays and
back, and turns any Python error into one record (`record`) that the page shows and
marks without reading its text.
"""

from __future__ import annotations

import importlib
import traceback
from typing import Any

import numpy as np

from demos.errors import INTERRUPTED, InputError

ALLOWED_MODULES = ("demos.",)


def decode(obj: Any) -> Any:
    """JS values (already converted to Python) -> NumPy arrays where marked."""
    if hasattr(obj, "to_py"):
        obj = obj.to_py()
    if isinstance(obj, dict):
        if obj.get("__ndarray__"):
            data = obj["data"]
            if hasattr(data, "to_py"):
                data = data.to_py()
            dtype = np.dtype(obj["dtype"])
            arr = np.frombuffer(bytes(data), dtype=dtype).astype(dtype.newbyteorder("="))
            return arr.reshape([int(n) for n in obj["shape"]])
        return {k: decode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [decode(v) for v in obj]
    return obj


# The dtypes a JavaScript typed array reads as they are (docs/assets/js/arrays.js maps
# each to its typed array): they travel unchanged, little-endian.
JS_DTYPES = ("<f4", "<f8", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4")
_INT32 = np.iinfo(np.int32)


def js_dtype(arr: np.ndarray) -> np.dtype:
    """The dtype `arr` travels as: its own when JS has a typed array for it; bool as uint8;
    64-bit integers as int32 when every value fits, else float64 (BigInt64Array is not
    read like a number array, so the widgets would trip on it); anything else float64."""
    own = arr.dtype.newbyteorder("<")
    if own.str in JS_DTYPES:
        return own
    if arr.dtype.kind == "b":
        return np.dtype("|u1")
    if arr.dtype.kind in "iu" and (arr.size == 0 or (_INT32.min <= arr.min() and arr.max() <= _INT32.max)):
        return np.dtype("<i4")
    return np.dtype("<f8")


def encode(obj: Any) -> Any:
    """Python results -> plain values and ndarray records that JS understands."""
    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj, dtype=js_dtype(obj))
        return {"__ndarray__": True, "dtype": arr.dtype.str, "shape": list(arr.shape), "data": arr.tobytes()}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {str(k): encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [encode(v) for v in obj]
    return obj


def call(module: str, func: str, args: Any = (), kwargs: Any = None) -> Any:
    """Call `module.func(*args, **kwargs)` for a module of the demos package.

    Never raises: an exception comes back as `{"__error__": record(exc)}` so the page can
    show it inline and the widget keeps working.
    """
    try:
        if not module.startswith(ALLOWED_MODULES):
            raise ValueError(f"Solo se pueden llamar módulos de demos, no {module!r}")
        fn = getattr(importlib.import_module(module), func)
        return encode(fn(*decode(args or []), **decode(kwargs or {})))
    except BaseException as exc:  # KeyboardInterrupt too: the reader pressed "Detener"
        return {"__error__": record(exc)}


def spanish(exc: BaseException) -> str:
    """A common Python exception said in Spanish, without Python's English details: the
    original (type and text) stays in the traceback, shown under «Traza de Python».
    Unknown types keep Python's own text after their class name."""
    if isinstance(exc, ZeroDivisionError):
        return "División por cero"
    if isinstance(exc, SyntaxError):
        return f"Error de sintaxis: {exc.msg}"
    if isinstance(exc, NameError):
        name = getattr(exc, "name", None)
        return f"El nombre «{name}» no está definido" if name else "Un nombre no está definido"
    if isinstance(exc, IndexError):
        return "Índice fuera de rango"
    if isinstance(exc, KeyError):
        return f"La clave {exc} no existe"
    if isinstance(exc, TypeError):
        return "Tipos de datos incompatibles en una operación"
    if isinstance(exc, AttributeError):
        return f"«{exc.name}» no es un atributo de este objeto" if getattr(exc, "name", None) else "Atributo inexistente"
    if isinstance(exc, MemoryError):
        return "No hay memoria suficiente para este cálculo"
    if isinstance(exc, OverflowError):
        return "Desbordamiento numérico: el número es demasiado grande"
    return f"{type(exc).__name__}: {exc}"


def record(exc: BaseException, *, only_file: str | None = None) -> dict[str, Any]:
    """Any exception as the record the page reads (the one Python->JS error format).

    {kind: "input" | "interrupted" | "python", message, field, cell, code, line, type,
    traceback}: `kind` says how to show it (an InputError is the reader's input, shown as
    its message alone and marked at its field or cell), `line` is the line of
    `only_file` where it happened. The traceback keeps only the frames of `only_file`
    when given (the reader's own code), else all but the bridge's own.
    """
    te = traceback.TracebackException.from_exception(exc)
    if only_file is None:
        frames = [f for f in te.stack if not f.filename.endswith("demos/bridge.py")]
    else:
        frames = [f for f in te.stack if f.filename == only_file]
        te.__cause__ = te.__context__ = None
    te.stack = traceback.StackSummary.from_list(frames)
    line = None
    if only_file is not None:
        line = exc.lineno if isinstance(exc, SyntaxError) else (frames[-1].lineno if frames else None)
    if isinstance(exc, KeyboardInterrupt):
        kind, message = "interrupted", INTERRUPTED
    elif isinstance(exc, InputError):
        kind, message = "input", str(exc)
    else:
        kind, message = "python", spanish(exc)
    return {
        "kind": kind, "message": message, "type": type(exc).__name__,
        "field": getattr(exc, "field", None), "cell": list(exc.cell) if getattr(exc, "cell", None) else None,
        "code": getattr(exc, "code", None) or ("interrupted" if kind == "interrupted" else None),
        "line": line, "traceback": "" if kind != "python" else "".join(te.format()),
    }
