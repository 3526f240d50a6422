"""Glue between the browser (JavaScript) and the NumPy demos, run inside Pyodide.

Why: JavaScript passes images as typed arrays and gets typed arrays back; this module
turns `{"__ndarray__": True, "dtype", "shape", "data"}` records into NumPy arrays and
back, and turns any Python error into one record (`record`) that the page shows and
marks without reading its text. What the page may call is declared in demos/api.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from demos import api
from demos.errors import record, spanish  # noqa: F401  (record: the one error record, re-exported)


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
    """Call `module.func(*args, **kwargs)` for a function the page may call (demos/api.py).

    Never raises: an exception comes back as `{"__error__": record(exc)}` so the page can
    show it inline and the widget keeps working; a name the API does not declare (a
    private helper, another module) is refused with code "not_in_api".
    """
    try:
        fn = api.resolve(module, func)
        return encode(fn(*decode(args or []), **decode(kwargs or {})))
    except BaseException as exc:  # KeyboardInterrupt too: the reader pressed "Detener"
        return {"__error__": record(exc)}
