"""Graded exercises: one module per exercise, `<id>.py` (see README, «Añadir un ejercicio»).

Each module defines TITLE, STATEMENT (Markdown, Spanish), FUNCTION (the name the student
writes), STARTER, SOLUTION, HINTS (2-3), KNOWN_WRONG (planted bugs and a fragment of the
message each must produce), `cases()` (inputs, edge cases included) and `reference(**args)`,
computed with PyTorch when the site is built. Optional: OUTPUTS (names of the values a
tuple result holds), RTOL, ATOL, TIME_LIMIT, ATTEMPTS (failed checks before the solution
is offered without asking).

The browser never imports these modules: the site build writes each one's spec (code,
hints, cases and PyTorch's answers) as JSON, and demos/grader.py checks against it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
REQUIRED = ("TITLE", "STATEMENT", "FUNCTION", "STARTER", "SOLUTION", "HINTS", "KNOWN_WRONG", "cases", "reference")


def ids() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))


def load(exercise_id: str) -> ModuleType:
    module = importlib.import_module(f"sitebuild.exercise_bank.{exercise_id}")
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        raise ValueError(f"sitebuild/exercise_bank/{exercise_id}.py lacks {', '.join(missing)}")
    if not 2 <= len(module.HINTS) <= 3:
        raise ValueError(f"sitebuild/exercise_bank/{exercise_id}.py: give 2 or 3 hints, not {len(module.HINTS)}")
    return module


def known_wrong(module: ModuleType) -> list[tuple[str, str]]:
    """(code, message fragment) of each planted bug; a `replace` pair edits the SOLUTION,
    so the variant differs from the solution by exactly that bug."""
    out = []
    for variant in module.KNOWN_WRONG:
        if "replace" in variant:
            old, new = variant["replace"]
            if module.SOLUTION.count(old) != 1:
                raise ValueError(f"{module.__name__}: {old!r} must occur once in SOLUTION")
            out.append((module.SOLUTION.replace(old, new), variant["message"]))
        else:
            out.append((variant["code"], variant["message"]))
    return out
