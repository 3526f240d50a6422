"""docs/generated/ is what the code computes now: the site build only reads it.

The lectures' tables and the exercises' answers need PyTorch, so they are computed by
`python -m sitebuild.generated --write` (`make generated`) and committed; this test
recomputes them with torch and fails, naming the command, when they are stale.
"""

from __future__ import annotations

import json

import pytest

from sitebuild import exercises, generated


def test_stored_tables_and_answers_are_up_to_date():
    problems = generated.stale()
    assert not problems, ("docs/generated/ is stale:\n  " + "\n  ".join(problems)
                          + f"\n{generated.REGENERATE}")


def test_manifest_says_what_produced_each_file():
    manifest = json.loads(generated.MANIFEST.read_text(encoding="utf-8"))
    assert manifest["command"] == generated.COMMAND
    assert {"python", "torch", "numpy"} <= set(manifest["versions"])
    assert len(manifest["git_commit"]) >= 40
    producers = {entry["producer"] for entry in manifest["files"].values()}
    assert producers == set(generated.STORED.values()) | {generated.EXERCISE_PRODUCER}
    assert "sitebuild/tables.py" in manifest["inputs"] and "sitebuild/exercise_bank/conv2d.py" in manifest["inputs"]


def test_an_edited_answer_is_reported_stale(monkeypatch, tmp_path):
    """A stored answer that differs beyond rounding (here 1e-6 relative) is stale; one that
    differs in the last bits (another CPU's float32) is not."""
    import numpy as np

    from demos import grader

    stored = json.loads(generated.exercise_path("conv2d").read_text(encoding="utf-8"))
    fresh = json.dumps(stored)
    for scale, is_same in ((1 + 1e-6, False), (1 + 1e-12, True)):
        edited = json.loads(fresh)
        expected = grader.decode(edited["cases"][0]["expected"])
        edited["cases"][0]["expected"] = grader.encode(np.asarray(expected) * scale + 0.0)
        assert generated._same_answers(json.dumps(edited), fresh) is is_same, scale


def test_a_missing_answer_file_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setattr(generated, "DIR", tmp_path)
    exercises.spec.cache_clear()
    try:
        with pytest.raises(exercises.ExerciseError, match="make generated"):
            exercises.spec("conv2d")
    finally:
        exercises.spec.cache_clear()


def test_a_missing_table_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setattr(generated, "DIR", tmp_path)
    generated.render.cache_clear()
    try:
        with pytest.raises(generated.GeneratedError, match="make generated"):
            generated.render("architectures")
    finally:
        generated.render.cache_clear()
