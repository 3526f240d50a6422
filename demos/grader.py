"""Grade a student's function against reference outputs that PyTorch computed at build time.

Runs inside Pyodide for the ``exercise`` widget (and natively in the tests). The browser
passes the student's code and the exercise's spec, the JSON file the site build wrote:
``{"function", "outputs", "rtol", "atol", "time_limit", "cases": [{"name", "args",
"expected"}]}``. Values are plain JSON except arrays, ``{"__array__": dtype, "shape",
"b64"}`` (exact bytes), and floats JSON or JavaScript would change (nan, inf, and
integral ones such as 1.0, which JavaScript turns into the int 1), ``{"__float__": "1.0"}``.

Why a trace function: a runaway loop must stop without cross-origin isolation (no
interrupt buffer on most static hosts). ``sys.settrace`` on the student's frames only
raises ``TimeLimit`` at the deadline, with the student's line number, and Python stays
ready. A loop stuck inside C code is left to the widget, which restarts the worker.

``check`` and ``run`` never raise: they return a record the widget shows as it is.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import linecache
import math
import sys
import time
import traceback
import warnings
from typing import Any

import numpy as np

FILENAME = "<tu código>"
MAX_STDOUT = 10_000
MAX_REPR = 600


class TimeLimit(BaseException):
    """The student's code ran past the time limit (BaseException: `except Exception` in
    the student's own code must not swallow it)."""


# ------------------------------------------------------------------ spec values

def decode(value: Any) -> Any:
    """Spec JSON -> Python/NumPy values (a fresh copy each call: students may mutate)."""
    if hasattr(value, "to_py"):  # a JsProxy, when called from Pyodide without conversion
        value = value.to_py()
    if isinstance(value, dict):
        if "__array__" in value:
            raw = base64.b64decode(value["b64"])
            arr = np.frombuffer(raw, dtype=np.dtype(value["__array__"]).newbyteorder("<"))
            return arr.reshape([int(n) for n in value["shape"]]).astype(value["__array__"])
        if "__float__" in value:
            return float(value["__float__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [decode(v) for v in value]
    return value


def encode(value: Any) -> Any:
    """Python/NumPy values -> spec JSON (used by the site build)."""
    if isinstance(value, np.ndarray):
        arr = np.ascontiguousarray(value)
        dtype = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
        return {"__array__": arr.dtype.name, "shape": list(arr.shape),
                "b64": base64.b64encode(arr.astype(dtype).tobytes()).decode()}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        # JavaScript has one number type: 1.0 would reach Python as the int 1.
        return v if math.isfinite(v) and not v.is_integer() else {"__float__": repr(v)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


# ------------------------------------------------------------------ messages

def _num(v: Any) -> str:
    """A value as a student reads it: 0.1 rather than 0.10000000000000001, nan as nan."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f"{f:.6g}"


def _shape(shape) -> str:
    return "(" + ", ".join(str(int(n)) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def describe_args(args: dict) -> str:
    """`x de forma (5, 5), stride=2`: what a case feeds the function, briefly."""
    parts = []
    for name, v in args.items():
        if isinstance(v, np.ndarray):
            parts.append(f"{name} de forma {_shape(v.shape)}")
        else:
            text = repr(v)
            parts.append(f"{name}={text if len(text) <= 40 else text[:37] + '…'}")
    return ", ".join(parts)


def _kind_name(kind: str) -> str:
    return {"f": "decimales (float)", "i": "enteros (int)", "u": "enteros (int)",
            "b": "booleanos (bool)", "c": "complejos"}.get(kind, "objetos de Python")


def compare(got: Any, expected: Any, rtol: float, atol: float, names: list | None = None) -> str | None:
    """None if `got` matches `expected`, else what differs, in Spanish: the type, the
    shape, the dtype, or the first differing position with both values. A list
    `expected` is several returned values, named by `names` (the exercise's OUTPUTS)."""
    if got is None and expected is not None:
        return "tu función devolvió None: ¿falta el «return»?"
    if isinstance(expected, np.ndarray):
        try:
            arr = np.asarray(got)
        except Exception:  # ragged lists
            return f"devolvió {type(got).__name__}, que no es un arreglo de NumPy"
        if arr.dtype == object or arr.dtype.kind not in "biufc":
            return f"devolvió {type(got).__name__}, no un arreglo de números"
        if arr.shape != expected.shape:
            return f"la forma es {_shape(arr.shape)}; se esperaba {_shape(expected.shape)}"
        want, have = expected.dtype.kind, arr.dtype.kind
        if (want == "f" and have not in "fiu") or (want in "iu" and have not in "iu") or (want == "b" and have != "b"):
            return f"los valores son {_kind_name(have)} ({arr.dtype}); se esperaban {_kind_name(want)}"
        if want in "iub":
            close = arr == expected
        else:
            with np.errstate(all="ignore"):
                close = np.isclose(arr.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            return None
        bad = np.argwhere(~close)
        pos = tuple(int(i) for i in bad[0])
        more = len(bad) - 1
        tail = f" ({more} valor{'es' if more != 1 else ''} más también difiere{'n' if more != 1 else ''})" if more else ""
        return (f"en la posición {_shape(pos)} tu resultado vale {_num(arr[pos])} "
                f"y debería valer {_num(expected[pos])}{tail}")
    if isinstance(expected, bool):
        if not isinstance(got, (bool, np.bool_)):
            return f"devolvió {type(got).__name__} ({_short(got)}); se esperaba True o False"
        return None if bool(got) == expected else f"devolvió {got}; se esperaba {expected}"
    if isinstance(expected, int):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
            if isinstance(got, (float, np.floating)):
                return (f"devolvió {_num(got)}, un número decimal (float); se esperaba un entero: "
                        f"¿una división con / en lugar de //?")
            if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iu":
                got = int(got.reshape(()))
            else:
                return f"devolvió {type(got).__name__} ({_short(got)}); se esperaba un número entero"
        return None if int(got) == expected else f"devolvió {int(got)}; se esperaba {expected}"
    if isinstance(expected, float):
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.reshape(())[()]
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
            return f"devolvió {type(got).__name__} ({_short(got)}); se esperaba un número"
        ok = (math.isnan(expected) and math.isnan(float(got))) or math.isclose(float(got), expected, rel_tol=rtol, abs_tol=atol)
        return None if ok else f"devolvió {_num(got)}; se esperaba {_num(expected)}"
    if isinstance(expected, list):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            what = ", ".join(names) if names else f"{len(expected)} valores"
            return f"devolvió {_short(got)}; se esperaban {len(expected)} valores ({what}), separados por comas en el «return»"
        for i, (g, e) in enumerate(zip(got, expected)):
            why = compare(g, e, rtol, atol)
            if why:
                label = f"«{names[i]}»" if names and i < len(names) else f"el valor {i + 1}"
                return f"{label}: {why}"
        return None
    return None if got == expected else f"devolvió {_short(got)}; se esperaba {_short(expected)}"


def _display(v: Any) -> str:
    """What «Ejecutar» shows: arrays as NumPy prints them, NumPy scalars as plain numbers."""
    if isinstance(v, np.ndarray):
        return np.array2string(v, precision=4, threshold=200)
    if isinstance(v, np.generic):
        return str(v)
    if isinstance(v, tuple):
        return "(" + ", ".join(_display(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v)


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "…"


# ------------------------------------------------------------------ running student code

class _Deadline:
    """Raise TimeLimit in the student's frames once `seconds` have passed."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.seconds = seconds

    def _check(self) -> None:
        if time.monotonic() > self.end:
            raise TimeLimit()

    def global_trace(self, frame, event, arg):
        if frame.f_code.co_filename != FILENAME:
            return None  # NumPy's own Python frames run untraced (full speed)
        self._check()
        return self.local_trace

    def local_trace(self, frame, event, arg):
        if event == "line":
            self._check()
        return self.local_trace

    @contextlib.contextmanager
    def active(self):
        previous = sys.gettrace()
        sys.settrace(self.global_trace)
        try:
            yield
        finally:
            sys.settrace(previous)


def _student_line(exc: BaseException) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename == FILENAME:
        return exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
    return frames[-1].lineno if frames else None


def _error_text(exc: BaseException, limit: float) -> tuple[str, str]:
    """(code, message) for an exception raised by the student's code."""
    line = _student_line(exc)
    where = f" (línea {line} de tu código)" if line else ""
    if isinstance(exc, TimeLimit):
        return "timeout", (f"Tiempo agotado: tu código pasó de {limit:g} s{where}. "
                           f"¿Un bucle que no termina?")
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", f"Ejecución interrumpida{where}."
    if isinstance(exc, SyntaxError):
        return "syntax", f"Error de sintaxis: {exc.msg}{where}."
    return "exception", f"{type(exc).__name__}: {exc}{where}"


def _traceback(exc: BaseException) -> str:
    """The traceback with only the student's frames, as a notebook would show it."""
    te = traceback.TracebackException.from_exception(exc)
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if f.filename == FILENAME])
    te.__cause__ = te.__context__ = None
    return "" if isinstance(exc, (TimeLimit, KeyboardInterrupt)) else "".join(te.format())


def _load(code: str, deadline: _Deadline) -> dict:
    """Execute the student's code as a module and return its namespace."""
    linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
    tree = ast.parse(code, FILENAME, "exec")
    namespace = {"np": np, "__name__": "__ejercicio__"}
    with deadline.active():
        exec(compile(tree, FILENAME, "exec"), namespace)
    return namespace


def _error_record(exc: BaseException, limit: float, stdout: str, case: dict | None = None) -> dict:
    code, message = _error_text(exc, limit)
    if case:
        message = f"Caso «{case['name']}» ({describe_args(case['args'])}): {message}"
    return {"status": "error", "code": code, "message": message, "line": _student_line(exc),
            "traceback": _traceback(exc), "stdout": stdout[:MAX_STDOUT], "cases": []}


def check(code: str, spec: dict) -> dict:
    """«Comprobar»: run every case of `spec`, compare with the references.

    Returns {status: "passed"|"failed"|"error", code, message, line, traceback, stdout,
    cases: [{name, ok, message}]}. `message` names the first case that went wrong.
    """
    spec = decode(spec)
    name = spec["function"]
    limit = float(spec.get("time_limit", 5))
    rtol, atol = float(spec.get("rtol", 1e-5)), float(spec.get("atol", 1e-6))
    out = io.StringIO()
    deadline = _Deadline(limit)
    results: list[dict] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow etc. show up as wrong values instead
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                namespace = _load(str(code), deadline)
            except BaseException as exc:
                return _error_record(exc, limit, out.getvalue())
            fn = namespace.get(name)
            if not callable(fn):
                return {"status": "failed", "code": "missing", "line": None, "traceback": "",
                        "message": f"Tu código no define la función «{name}».",
                        "stdout": out.getvalue()[:MAX_STDOUT], "cases": []}
            for case in spec["cases"]:
                args = case["args"]
                try:
                    with deadline.active():
                        got = fn(**args)
                except BaseException as exc:
                    record = _error_record(exc, limit, out.getvalue(), case)
                    record["cases"] = results + [{"name": case["name"], "ok": False, "message": record["message"]}]
                    return record
                why = compare(got, case["expected"], rtol, atol, spec.get("outputs"))
                results.append({"name": case["name"], "ok": why is None,
                                "message": None if why is None else
                                f"Caso «{case['name']}» ({describe_args(args)}): {why}"})
    failed = [r for r in results if not r["ok"]]
    passed = len(results) - len(failed)
    if failed:
        first = failed[0]["message"]
        message = f"{first}{'' if first.endswith(('.', '?')) else '.'} Casos superados: {passed} de {len(results)}."
        return {"status": "failed", "code": "wrong", "message": message, "line": None, "traceback": "",
                "stdout": out.getvalue()[:MAX_STDOUT], "cases": results}
    return {"status": "passed", "code": None, "line": None, "traceback": "",
            "message": f"¡Correcto! Tu función coincide con PyTorch en los {len(results)} casos.",
            "stdout": out.getvalue()[:MAX_STDOUT], "cases": results}


def run(code: str, spec: dict) -> dict:
    """«Ejecutar»: run the code and call the function on the first case, showing what it
    returns (no verdict). Returns {status: "ran"|"error", message, line, stdout, ...}."""
    spec = decode(spec)
    name = spec["function"]
    limit = float(spec.get("time_limit", 5))
    out = io.StringIO()
    deadline = _Deadline(limit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                namespace = _load(str(code), deadline)
                fn = namespace.get(name)
                if not callable(fn):
                    return {"status": "ran", "code": "missing", "line": None, "traceback": "",
                            "message": f"Tu código se ejecutó, pero aún no define la función «{name}».",
                            "stdout": out.getvalue()[:MAX_STDOUT]}
                case = spec["cases"][0]
                with deadline.active():
                    got = fn(**case["args"])
            except BaseException as exc:
                return _error_record(exc, limit, out.getvalue())
    shown = _display(got)
    if len(shown) > MAX_REPR:
        shown = shown[:MAX_REPR] + "…"
    return {"status": "ran", "code": None, "line": None, "traceback": "",
            "message": f"{name}({describe_args(case['args'])}) devolvió:\n{shown}",
            "stdout": out.getvalue()[:MAX_STDOUT]}
