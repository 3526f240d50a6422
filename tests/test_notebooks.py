"""The notebooks show results, and those results come from the code they show.

The site renders the stored outputs (mkdocs-jupyter with `execute: false`), so a notebook
edited after its last run would show stale numbers. `sitebuild/notebooks.py` stamps
each run with a hash of the code cells; these tests recompute it.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
from sitebuild import notebooks as runner

SHOWS = re.compile(r"\bprint\(|plt\.show\(|show_row\(|\.imshow\(")


def _read(path):
    import nbformat

    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_come_from_the_current_code(path):
    nb = _read(path)
    stamp = nb.metadata.get("course", {}).get("source_hash")
    assert stamp, f"{path.name} was never executed with `python -m sitebuild.notebooks`"
    assert stamp == runner.source_hash(nb), (
        f"{path.name}: code cells changed since the stored outputs were produced; "
        "rerun `python -m sitebuild.notebooks " + path.stem + "`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_that_print_or_plot_have_outputs(path):
    for cell in _read(path).cells:
        if cell.cell_type != "code":
            continue
        kinds = {o.output_type for o in cell.outputs}
        assert "error" not in kinds, f"{path.name} [{cell.id}]: stored an error"
        if SHOWS.search(cell.source):
            assert cell.outputs, f"{path.name} [{cell.id}]: prints or plots but has no stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_solved_exercises(path):
    cells = _read(path).cells
    starts = [i for i, c in enumerate(cells)
              if c.cell_type == "markdown" and re.search(r"^### Ejercicio", c.source, flags=re.M)]
    assert len(starts) >= 2, f"{path.name}: needs at least two solved exercises"
    assert any("## Ejercicios resueltos" in c.source for c in cells if c.cell_type == "markdown")
    for i in starts:
        code = next((c for c in cells[i + 1:] if c.cell_type == "code"), None)
        title = re.search(r"^### (.*)$", cells[i].source, flags=re.M).group(1)
        assert code is not None and code.outputs, f"{path.name}: «{title}» has no solved code"


def test_hash_changes_with_any_code_cell(tmp_path):
    nb = _read(NOTEBOOKS[0])
    before = runner.source_hash(nb)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\n# edited"
    edited = runner.source_hash(nb)
    assert edited != before
    md = next(c for c in nb.cells if c.cell_type == "markdown")
    md.source += " editado"
    assert runner.source_hash(nb) == edited  # prose does not change the outputs
