"""The one error type for bad input from the reader, with the structure widgets need.

Why: a widget must say *which* box or kernel cell is wrong (to mark it) and show the
message once. Matching the Spanish text for that breaks whenever a message is reworded,
so the error carries the facts itself and ``demos.bridge.record`` sends them to the page.
"""

from __future__ import annotations

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
                 cell: tuple[int, int] | None = None, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.cell = None if cell is None else (int(cell[0]), int(cell[1]))
        self.code = code
