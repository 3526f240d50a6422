"""Numbers and tables that code produces, expanded into the lectures at build time.

A lecture writes `<!-- generated: NAME -->` on a line of its own; the build replaces it
with the Markdown that `GENERATORS[NAME]()` returns. So a table of parameter counts is
computed from the models themselves, never retyped.
"""

from __future__ import annotations

import functools
import importlib
import re

MARKER = re.compile(r"^<!--\s*generated:\s*([\w.-]+)\s*-->\s*$", re.MULTILINE)

# name -> "module:function" returning Markdown; imported lazily (torch is heavy).
GENERATORS = {
    "architectures": "lecture_models.tables:architecture_table",
    "lenet-summary": "lecture_models.tables:lenet_summary",
    "output-size-examples": "lecture_models.tables:output_size_examples",
    "dice-examples": "lecture_models.tables:dice_examples",
    "references": "sitebuild.references:full_list",
    **{f"references-{n:02d}": f"sitebuild.references:lecture_{n:02d}" for n in range(1, 10)},
}


class GeneratedError(ValueError):
    """A marker names no generator, or its generator failed."""


@functools.lru_cache(maxsize=None)
def render(name: str) -> str:
    if name not in GENERATORS:
        raise GeneratedError(f"unknown generated block {name!r}; known: {', '.join(sorted(GENERATORS))}")
    module, func = GENERATORS[name].split(":")
    try:
        return str(getattr(importlib.import_module(module), func)()).strip()
    except Exception as exc:  # surface as a build error naming the block
        raise GeneratedError(f"generated block {name!r} failed: {type(exc).__name__}: {exc}") from exc


def expand(markdown: str) -> str:
    return MARKER.sub(lambda m: render(m.group(1)), markdown)
