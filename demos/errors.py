"""The one error record between Python and the page, and the error type for bad input.

Why: a widget must say *which* box or kernel cell is wrong (to mark it), show the message
once and react to the cause (reload a network that is not loaded yet, say which command
makes a missing file). Matching the Spanish text for that breaks whenever a message is
reworded, so every failure travels as one record, defined here (``make_record``), with a
stable ``code`` per cause (``CODES``). The worker hands ``contract()`` to the page when
Python starts, and the page builds its own records (a file it could not fetch, a value it
refused before Python saw it) from that blank record (docs/assets/js/errors.js).
"""

from __future__ import annotations

import traceback
from typing import Any

# The one text for a run stopped with «Detener», whichever way it was stopped.
INTERRUPTED = "Ejecución interrumpida con «Detener»."


class InputError(ValueError):
    """Bad input from the reader; the message is Spanish and meant to be shown as it is.

    field: the parameter name at fault as the caller wrote it ("stride", "padding",
        "dilation", "size", "n", "k", "kernel", "answer"...), or None.
    cell: (row, col) of the kernel cell at fault, counted from 0, or None.
    code: a short stable id of the kind of mistake ("not_a_number", "too_large",
        "overflow", "division_by_zero", ...) for code that reacts to it.
    """

    def __init__(self, message: str, *, field: str | None = None,
                 cell: tuple[int, int] | None = None, code: str = "bad_parameter"):
        super().__init__(message)
        self.field = field
        self.cell = None if cell is None else (int(cell[0]), int(cell[1]))
        self.code = code


# How the page shows a record: the reader's input (its message alone, marked at its field
# or cell), a run stopped with «Detener», or a Python error (with its traceback).
KINDS = ("input", "interrupted", "python")

# One code per cause the page reacts to. InputError's finer codes ("too_large",
# "not_integer", "does_not_fit"...) are all bad parameters, marked at their field.
CODES = {
    "bad_parameter": "a value the reader gave is wrong (the default InputError code)",
    "not_loaded": "a network's weights are not loaded in this Python yet (e.g. after a restart)",
    "missing_file": "a file the demo needs is not in the site (weights never generated)",
    "mismatched_file": "a weights file made for other code (another vocabulary or architecture)",
    "offline": "a file could not be fetched: no network and no stored copy of the course",
    "interrupted": "the run was stopped with «Detener» (or by its time limit), Python kept its state",
    "restarted": "the run was stopped by replacing the worker: Python's state (loaded networks) is gone",
    "not_in_api": "the page asked for a function demos/api.py does not declare",
    "bridge_failure": "the worker could not run the call at all (not the demo's own error)",
}


def make_record(kind: str, message: str, *, type: str = "Error", field: str | None = None,
                cell: list[int] | None = None, code: str | None = None, line: int | None = None,
                traceback: str = "") -> dict[str, Any]:
    """The error record: {kind, message, type, field, cell, code, line, traceback}."""
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    return {"kind": kind, "message": message, "type": type, "field": field, "cell": cell,
            "code": code, "line": line, "traceback": traceback}


def contract() -> dict[str, Any]:
    """What the worker hands the page at start-up: the blank record, the kinds, the codes
    and the record of a stopped run (one text however it was stopped)."""
    return {"blank": make_record("python", ""), "kinds": list(KINDS), "codes": sorted(CODES),
            "interrupted": record(KeyboardInterrupt())}


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
    """Any exception as the error record (``make_record``).

    ``kind`` says how to show it (an InputError is the reader's input, shown as its message
    alone and marked at its field or cell), ``line`` is the line of ``only_file`` where it
    happened. The traceback keeps only the frames of ``only_file`` when given (the reader's
    own code), else all but the bridge's own.
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
        kind, message, code = "interrupted", INTERRUPTED, "interrupted"
    elif isinstance(exc, InputError):
        kind, message, code = "input", str(exc), exc.code
    else:
        code = getattr(exc, "code", None)  # nn.WeightsError's cause; SystemExit's is a number
        kind, message, code = "python", spanish(exc), code if isinstance(code, str) else None
    cell = getattr(exc, "cell", None)
    return make_record(kind, message, type=type(exc).__name__, field=getattr(exc, "field", None),
                       cell=list(cell) if cell else None, code=code, line=line,
                       traceback="".join(te.format()) if kind == "python" else "")
