"""Glue between the browser (JavaScript) and the NumPy demos, run inside Pyodide.

Why: JavaScript passes images as typed arrays and gets typed arrays back; this module
turns `{"__ndarray__": True, "dtype", "shape", "data"}` records into NumPy arrays and
back, and formats Python errors so a student can read them in the page.
"""

from __future__ import annotations

import importlib
import traceback
from typing import Any

import numpy as np

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
            arr = np.frombuffer(bytes(data), dtype=np.dtype(obj["dtype"]))
            return arr.reshape([int(n) for n in obj["shape"]]).copy()
        return {k: decode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [decode(v) for v in obj]
    return obj


def encode(obj: Any) -> Any:
    """Python results -> plain values and ndarray records that JS understands."""
    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj)
        if arr.dtype.kind in "biu":
            arr = arr.astype(np.float64) if arr.dtype.kind != "u" or arr.itemsize != 1 else arr
        elif arr.dtype != np.float32:
            arr = arr.astype(np.float64)
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

    Never raises: an exception comes back as `{"__error__": {type, message, traceback}}`
    so the page can show it inline and the widget keeps working.
    """
    try:
        if not module.startswith(ALLOWED_MODULES):
            raise ValueError(f"Solo se pueden llamar módulos de demos, no {module!r}")
        fn = getattr(importlib.import_module(module), func)
        return encode(fn(*decode(args or []), **decode(kwargs or {})))
    except BaseException as exc:  # KeyboardInterrupt too: the reader pressed "Detener"
        return {"__error__": describe_error(exc)}


def describe_error(exc: BaseException) -> dict:
    """An exception as {type, message, traceback}, without the bridge's own frames."""
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    lines = [line for line in tb if "demos/bridge.py" not in line]
    message = str(exc)
    if isinstance(exc, KeyboardInterrupt):
        message = "Ejecución interrumpida por el lector."
    return {"type": type(exc).__name__, "message": message, "traceback": "".join(lines)}
