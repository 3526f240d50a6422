"""Graded exercises: the grader natively, every exercise against PyTorch's answers, then the
exercise widget and the progress page in Chromium through Pyodide.

The native tests prove the grader's messages (shape, dtype, first differing index and both
values, the student's own line, the time limit) and that each exercise's solution passes,
its starter fails and each planted bug (KNOWN_WRONG) fails with its message. The browser
tests do the same through the real widget, then persistence, the attempt limit, the time
limit and export/import.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from conftest import wait_for_demo
from demos import exercises, grader
from sitebuild import exercises as build

EXERCISE_PAGE = "ejercicios/"
PROGRESS_PAGE = "progreso/"
IDS = exercises.ids()


def spec_json(exercise_id: str) -> dict:
    """The spec as the browser gets it (through JSON)."""
    return json.loads(json.dumps(build.spec(exercise_id), allow_nan=False))


# ============================================================ grader, natively

SPEC = {"function": "f", "rtol": 1e-5, "atol": 1e-8, "time_limit": 1.0,
        "cases": [{"name": "uno", "args": grader.encode({"x": np.arange(6.0).reshape(2, 3)}),
                   "expected": grader.encode(np.arange(6.0).reshape(2, 3) * 2)}]}


def check(code: str, spec: dict = SPEC) -> dict:
    return grader.check(code, json.loads(json.dumps(spec)))


def test_grader_passes_a_right_function_and_names_the_case():
    out = check("def f(x):\n    return 2 * x\n")
    assert out["status"] == "passed" and out["cases"] == [{"name": "uno", "ok": True, "message": None}]


def test_grader_wrong_shape_dtype_and_first_differing_value():
    shape = check("def f(x):\n    return 2 * x.T\n")
    assert shape["status"] == "failed"
    assert "Caso «uno» (x de forma (2, 3)): la forma es (3, 2); se esperaba (2, 3)" in shape["message"]
    value = check("def f(x):\n    y = 2 * x\n    y[1, 0] = 7\n    y[1, 2] = 0\n    return y\n")
    assert "en la posición (1, 0) tu resultado vale 7 y debería valer 6 (1 valor más también difiere)" in value["message"]
    assert value["cases"][0]["ok"] is False
    dtype = check("def f(x):\n    return (2 * x) > 1\n")
    assert "los valores son booleanos (bool)" in dtype["message"] and "se esperaban decimales" in dtype["message"]
    none = check("def f(x):\n    y = 2 * x\n")
    assert "devolvió None: ¿falta el «return»?" in none["message"]


def test_grader_integer_answers_reject_floats():
    spec = {"function": "f", "cases": [{"name": "n", "args": {"n": 5}, "expected": 3}]}
    assert check("def f(n):\n    return (n + 1) / 2\n", spec)["message"].startswith(
        "Caso «n» (n=5): devolvió 3, un número decimal (float); se esperaba un entero")
    assert check("def f(n):\n    return (n + 1) // 2\n", spec)["status"] == "passed"
    assert "devolvió 4; se esperaba 3" in check("def f(n):\n    return n - 1\n", spec)["message"]


def test_grader_exception_reports_the_students_line():
    out = check("import numpy as np\n\ndef f(x):\n    y = x * 2\n    return y[5, 5]\n")
    assert out["status"] == "error" and out["line"] == 5
    assert out["message"].startswith("Caso «uno» (x de forma (2, 3)): IndexError:")
    assert out["message"].endswith("(línea 5 de tu código)")
    assert "grader.py" not in out["traceback"] and 'File "<tu código>", line 5' in out["traceback"]
    syntax = check("def f(x)\n    return x\n")
    assert syntax["status"] == "error" and syntax["code"] == "syntax" and syntax["line"] == 1
    missing = check("def g(x):\n    return x\n")
    assert missing["status"] == "failed" and missing["message"] == "Tu código no define la función «f»."


def test_grader_stops_a_runaway_loop_with_its_line_and_stays_usable():
    out = check("def f(x):\n    n = 0\n    while True:\n        try:\n            n += 1\n        except Exception:\n            pass\n")
    assert out["status"] == "error" and out["code"] == "timeout"
    assert "Tiempo agotado" in out["message"] and out["line"] in (3, 4, 5)
    at_import = check("while True:\n    pass\n")
    assert at_import["code"] == "timeout" and at_import["line"] in (1, 2)
    assert check("def f(x):\n    return 2 * x\n")["status"] == "passed"
    assert grader.sys.gettrace() is None  # the trace function is removed afterwards


def test_grader_run_shows_the_first_case_and_prints():
    out = grader.run("def f(x):\n    print('hola')\n    return x.sum()\n", json.loads(json.dumps(SPEC)))
    assert out["status"] == "ran" and out["stdout"] == "hola\n"
    assert out["message"] == "f(x de forma (2, 3)) devolvió:\n15.0"


def test_encode_decode_round_trip_is_exact():
    values = {"a": np.array([0.1, np.nan, -np.inf], np.float32), "b": np.arange(4, dtype=np.uint8).reshape(2, 2),
              "c": float("nan"), "d": [[3, 1], [5, 2]], "e": True, "f": 1.0}
    back = grader.decode(json.loads(json.dumps(grader.encode(values), allow_nan=False)))
    assert back["a"].dtype == np.float32 and np.array_equal(back["a"], values["a"], equal_nan=True)
    assert back["b"].dtype == np.uint8 and np.array_equal(back["b"], values["b"])
    assert np.isnan(back["c"]) and back["d"] == [[3, 1], [5, 2]] and back["e"] is True
    assert isinstance(back["f"], float)  # not the int 1 that JavaScript would make of it


# ============================================================ every exercise, natively

def test_there_are_the_exercises_of_the_issue():
    assert len(IDS) >= 12
    assert {"conv2d", "neuron", "output_size", "max_pool", "softmax_ce", "conv_params", "receptive_field",
            "random_crop", "dice_iou", "conv_transpose", "ddpm_forward", "cfg_guidance"} <= set(IDS)
    conv = build.spec("conv2d")
    assert conv["function"] == "conv2d"
    assert "def conv2d(x, k, stride=1, padding=0):" in conv["starter"]


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_solution_passes_starter_and_planted_bugs_fail(exercise_id):
    module = exercises.load(exercise_id)
    spec = spec_json(exercise_id)
    assert len(spec["cases"]) >= 4
    solved = grader.check(module.SOLUTION, spec)
    assert solved["status"] == "passed", solved["message"]
    starter = grader.check(module.STARTER, spec)
    assert starter["status"] in ("failed", "error") and starter["message"].startswith("Caso «")
    wrong = exercises.known_wrong(module)
    assert wrong, "every exercise plants at least one bug"
    for code, fragment in wrong:
        out = grader.check(code, spec)
        assert out["status"] in ("failed", "error") and fragment in out["message"], out["message"]


def test_conv2d_references_are_torch_conv2d_and_hand_checked():
    spec = build.spec("conv2d")
    first = grader.decode(spec["cases"][0]["expected"])  # the lecture's hand-computed map
    np.testing.assert_array_equal(first, [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    pad = next(c for c in spec["cases"] if c["name"] == "relleno 1")
    assert grader.decode(pad["expected"])[0, 0] == 2  # lecture 2, exercise 5


def test_transposed_and_receptive_field_references_match_the_lectures():
    first = grader.decode(build.spec("conv_transpose")["cases"][0]["expected"])
    np.testing.assert_array_equal(first, [[0, 1, 2], [2, 10, 10], [6, 17, 12]])
    rf = {c["name"]: c["expected"] for c in build.spec("receptive_field")["cases"]}
    assert rf["dos 3×3"] == 5 and rf["3×3, 3×3 con paso 2, 3×3"] == 9 and rf["sin capas"] == 1
    assert rf["LeNet-5: conv 5, pool 2, conv 5, pool 2"] == 16
    params = {c["name"]: c["expected"] for c in build.spec("conv_params")["cases"]}
    assert params["de 6 a 16 canales, 5×5"] == 2416 and params["VGG 3×3"] == 73856


def test_build_expands_blocks_and_rejects_unknown_or_unplaced_ids():
    text = build.expand('x\n\n<div class="demo" data-demo="exercise" data-exercise="conv2d"></div>\n')
    assert 'data-exercise="conv2d" markdown="1"' in text and "correlación cruzada" in text
    with pytest.raises(build.ExerciseError, match="unknown exercise 'nope'"):
        build.expand('<div class="demo" data-demo="exercise" data-exercise="nope"></div>')
    with pytest.raises(build.ExerciseError, match="on no page"):
        build.placements({"a/": '<div class="demo" data-demo="exercise" data-exercise="conv2d"></div>'})

