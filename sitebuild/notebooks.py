"""Execute the course notebooks in place and stamp them with a hash of their code cells.

The site shows the stored outputs (mkdocs-jupyter runs with `execute: false`), so they must
come from the current code: `tests/test_notebooks.py` recomputes `source_hash` and fails
when a code cell changed after the last run. Usage (from the repository root):

    python -m sitebuild.notebooks            # every notebook in docs/notebooks/
    python -m sitebuild.notebooks 06-unet    # only the ones whose name contains this
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "docs" / "notebooks"


def source_hash(nb) -> str:
    """sha256 of the code cells' sources, in order: what determines the outputs."""
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode("utf-8") + b"\0")
    return h.hexdigest()


def execute(path: Path, timeout: int = 2400) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    nb.metadata["course"] = {"source_hash": source_hash(nb), "executed_on": "cpu",
                             "duration_s": round(seconds)}
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> None:
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if argv and not any(a in path.name for a in argv):
            continue
        print(f"{path.name}: ", end="", flush=True)
        print(f"{execute(path):.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
