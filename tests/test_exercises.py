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
import shutil
import subprocess

import numpy as np
import pytest

from conftest import COLOUR_RULES, wait_for_demo
from demos import grader
from sitebuild import exercise_bank as exercises
from sitebuild import exercises as build

EXERCISE_PAGE = "ejercicios/"
PROGRESS_PAGE = "progreso/"
IDS = exercises.ids()


def through_javascript(value):
    """`value` as JSON text -> what the exercise widget hands Pyodide.

    exercise.js reads the spec with `resp.json()` (one number type: 2.0 and 2 are the same
    number) and Pyodide converts an integral JS number to a Python int. JSON.stringify of
    the parsed object, read by Python, is exactly that: integral numbers without «.0»."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: the course needs Node.js (make vendor installs it)")
    text = json.dumps(value, allow_nan=False)
    proc = subprocess.run([node, "-e", "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>"
                           "process.stdout.write(JSON.stringify(JSON.parse(s))))"],
                          input=text, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(proc.stdout)


def spec_json(exercise_id: str) -> dict:
    """The spec as the browser gets it (through JavaScript's JSON.parse)."""
    return through_javascript(build.spec(exercise_id))


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
    """Spec values survive JavaScript (node's JSON.parse, as the widget reads the spec): an
    integral float such as 1.0 or 2.0 stays a float, which JavaScript alone would make the
    int 1, and an int stays an int."""
    values = {"a": np.array([0.1, np.nan, -np.inf], np.float32), "b": np.arange(4, dtype=np.uint8).reshape(2, 2),
              "c": float("nan"), "d": [[3, 1], [5, 2]], "e": True, "f": 1.0, "g": 2.0, "h": -0.0, "i": 1e20,
              "j": 2.5, "n": 2, "arr": np.array([1.0, 2.0])}
    back = grader.decode(through_javascript(grader.encode(values)))
    assert back["a"].dtype == np.float32 and np.array_equal(back["a"], values["a"], equal_nan=True)
    assert back["b"].dtype == np.uint8 and np.array_equal(back["b"], values["b"])
    assert np.isnan(back["c"]) and back["d"] == [[3, 1], [5, 2]] and back["e"] is True
    for key in ("f", "g", "h", "i", "j"):
        assert type(back[key]) is float and back[key] == values[key], (key, back[key])
    assert str(back["h"]) == "-0.0"
    assert type(back["n"]) is int and back["n"] == 2
    assert back["arr"].dtype == np.float64 and back["arr"].tolist() == [1.0, 2.0]
    # What is at stake: the int 2 where a float is expected is a wrong type for the grader.
    assert grader.compare(back["g"], 2, 1e-5, 1e-8) is not None


# ============================================================ every exercise, natively

def test_there_are_the_exercises_of_the_issue():
    assert len(IDS) >= 15
    assert {"conv2d", "neuron", "output_size", "max_pool", "softmax_ce", "conv_params", "receptive_field",
            "random_resized_crop", "dice_iou", "conv_transpose", "ddpm_forward", "cfg_guidance",
            "attention", "info_nce", "patch_embedding", "residual_block", "grad_cam"} <= set(IDS)
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


def test_lecture9_references_match_hand_counts_and_the_statement():
    """The N = 2 CLIP loss by hand, the summed patches of the 4×4 image, softmax rows of
    the large-score attention case that are not one-hot (so the case tests stability, not
    argmax), and the solution's Spanish error for a size the patch does not divide."""
    clip = build.spec("info_nce")["cases"][0]
    # Scores [[2, 1.2], [0, 1.6]]: two row and two column cross-entropies of two classes.
    by_hand = sum(np.log1p(np.exp(-gap)) for gap in (0.8, 1.6, 2.0, 0.4)) / 4
    assert clip["name"] == "N = 2, a mano" and grader.decode(clip["expected"]) == pytest.approx(by_hand, rel=1e-12)
    patches = grader.decode(build.spec("patch_embedding")["cases"][0]["expected"])
    np.testing.assert_array_equal(patches, [[10], [18], [42], [50]])
    big = next(c for c in exercises.load("attention").cases() if c["name"] == "puntuaciones de miles")["args"]
    scores = big["q"] @ big["k"].T / 2
    assert scores.min() > 1000  # np.exp overflows without the row maximum subtracted
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    assert weights.max() < 0.99
    namespace = {}
    exec(exercises.load("patch_embedding").SOLUTION, namespace)
    with pytest.raises(ValueError, match="múltiplos de 16"):
        namespace["patch_embedding"](np.zeros((3, 32, 30)), np.zeros((4, 3, 16, 16)), np.zeros(4), 16)


def _case(exercise_id: str, name: str) -> tuple[dict, object]:
    """(args, PyTorch's stored answer) of one named case."""
    case = next(c for c in build.spec(exercise_id)["cases"] if c["name"] == name)
    return grader.decode(case["args"]), grader.decode(case["expected"])


def test_statements_give_both_output_sizes_and_the_log_sum_exp_trick():
    """Non-square cases need the width formula too; the stable softmax is named and shown."""
    assert r"\lfloor (W + 2p - k_w)/s \rfloor + 1$ de ancho" in exercises.load("conv2d").STATEMENT
    assert r"$(W - 1)\,s + k_w$ de ancho" in exercises.load("conv_transpose").STATEMENT
    for exercise_id in ("conv2d", "conv_transpose"):
        shapes = [grader.decode(c["expected"]).shape for c in build.spec(exercise_id)["cases"]]
        assert any(h != w for h, w in shapes), exercise_id
    softmax = exercises.load("softmax_ce")
    assert "log-sum-exp" in softmax.STATEMENT and "«puntuaciones enormes»" in softmax.STATEMENT
    assert any("log-sum-exp" in hint and r"\log \sum_c e^{z_c - m}" in hint for hint in softmax.HINTS)


def test_dice_iou_and_resized_crop_references_by_hand():
    """Dice and IoU of the shifted 3×3 square counted by hand (6 shared pixels of 9 + 9);
    the resized crop of the whole image at its own size is the image; every box was drawn
    by RandomResizedCrop (sizes and aspects vary, unlike a fixed-size crop), and the
    output has the size asked for."""
    (_, (dice, iou)) = _case("dice_iou", "cuadrado desplazado")
    assert dice == pytest.approx(12 / 18, rel=1e-12) and iou == pytest.approx(6 / 12, rel=1e-12)
    args, out = _case("random_resized_crop", "toda la imagen, mismo tamaño")
    np.testing.assert_array_equal(out, args["img"])
    crop = exercises.load("random_resized_crop")
    boxes = [c["args"]["box"] for c in crop.cases()]
    assert len({(h, w) for _, _, h, w in boxes}) == len(boxes) and len({h / w for _, _, h, w in boxes}) > 2
    for c in build.spec("random_resized_crop")["cases"]:
        args, out = grader.decode(c["args"]), grader.decode(c["expected"])
        top, left, h, w = args["box"]
        oh, ow = args["size"]
        assert out.shape[:2] == (oh, ow) and out.dtype == np.uint8
        # PyTorch's nearest is the statement's floor(i·h/H'): checked on every case
        rows, cols = np.arange(oh) * h // oh, np.arange(ow) * w // ow
        np.testing.assert_array_equal(out, args["img"][top:top + h, left:left + w][rows][:, cols])


def test_residual_block_reference_is_the_course_block_in_eval_mode():
    """Every stored answer is lecture_models' BasicBlock in eval() with the case's weights;
    in train() mode (the image's own statistics) the block gives something else, and
    without ε only the tiny-variance case changes beyond the tolerance."""
    module = exercises.load("residual_block")
    for case in build.spec("residual_block")["cases"]:
        args, expected = grader.decode(case["args"]), grader.decode(case["expected"])
        a = [args[k] for k in ("x", "w1", "bn1", "w2", "bn2")] + [args.get("stride", 1), args.get("w_sc"), args.get("bn_sc")]
        np.testing.assert_allclose(module._course_block(*a).numpy(), expected, rtol=1e-12, atol=1e-12)
        if args["x"].shape[1:] != (1, 1):  # train() needs more than one value per channel
            assert not np.allclose(module._course_block(*a, train=True).numpy(), expected, rtol=1e-3)
    no_eps = grader.check(module.SOLUTION.replace("np.sqrt(var + eps)", "np.sqrt(var)"), spec_json("residual_block"))
    assert no_eps["status"] == "failed" and no_eps["message"].startswith("Caso «varianzas acumuladas diminutas (ε cuenta)»")
    assert [(c["name"], c["ok"]) for c in no_eps["cases"]] == [(c["name"], "ε" not in c["name"]) for c in module.cases()]


def test_grad_cam_references_are_the_lectures_grad_cam_on_the_tiny_network():
    """The hand case: alpha = (0.5, -0.25), map ReLU(0.5 A0 - 0.25 A1) = [[.5, 0, 1], [0, .5, 0]].
    Each network case: the stored map is what lecture_models.gradcam.grad_cam gives on the
    real tiny network (hooked on its first ReLU; padding 1 keeps the image's size, so no
    resampling), and the stored alphas are the autograd gradients' means."""
    import torch

    from lecture_models.gradcam import grad_cam

    (_, (alpha, cam)) = _case("grad_cam", "a mano")
    np.testing.assert_allclose(alpha, [0.5, -0.25], rtol=1e-12)
    np.testing.assert_allclose(cam, [[0.5, 0, 1], [0, 0.5, 0]], rtol=1e-12, atol=1e-15)
    (_, (alpha, cam)) = _case("grad_cam", "todo en contra")
    assert (alpha < 0).all() and not cam.any()
    module = exercises.load("grad_cam")
    for name, seed, k, h, w, rank in [("red pequeña, clase predicha", 0, 4, 6, 7, 0),
                                      ("red pequeña, segunda clase", 0, 4, 6, 7, 1),
                                      ("un solo mapa", 4, 1, 4, 5, 0)]:
        net, image, target, a, da = module.maps_and_gradients(seed, k, h, w, rank)
        args, (alpha, cam) = _case("grad_cam", name)
        np.testing.assert_array_equal(args["A"], a)
        real, _ = grad_cam(net, net[1], image, target=target)
        np.testing.assert_allclose(cam, real[0].numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(alpha, torch.from_numpy(da).mean(dim=(1, 2)).numpy(), rtol=1e-12)
        assert cam.max() == pytest.approx(1.0) and (alpha > 0).any()


TYPICAL_MISTAKES = [
    # (exercise, the solution's line, what a student writes instead, the message must contain)
    ("residual_block", "np.sqrt(var + eps)", "np.sqrt(var)",
     "Caso «varianzas acumuladas diminutas (ε cuenta)»"),
    ("residual_block", "    return gamma * (x - media)",  # training-mode BN: the image's own statistics
     "    media, var = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)\n    return gamma * (x - media)",
     "Caso «atajo identidad»"),
    ("residual_block", "return np.maximum(out + atajo, 0)", "return out + atajo", "Caso «atajo identidad»"),
    ("grad_cam", "L = np.maximum(np.tensordot(alpha, A, axes=1), 0)", "L = np.tensordot(alpha, A, axes=1)",
     "Caso «a mano» (A de forma (2, 2, 3), dA de forma (2, 2, 3)): «mapa»: en la posición (0, 1) tu resultado vale -0.75 y debería valer 0"),
    ("grad_cam", "alpha = dA.mean(axis=(1, 2))", "alpha = A.mean(axis=(1, 2))",
     "Caso «a mano» (A de forma (2, 2, 3), dA de forma (2, 2, 3)): «alpha»: en la posición (0,) tu resultado vale 0.833333 y debería valer 0.5"),
    ("softmax_ce", "z = logits - logits.max(axis=1, keepdims=True)", "z = logits",
     "Caso «puntuaciones enormes» (logits de forma (2, 3), target de forma (2,)): «probs»: en la posición (0, 0) tu resultado vale 0 y debería valer 0.0900306"),
    ("random_resized_crop", "filas = np.arange(out_h) * h // out_h", "filas = np.round(np.arange(out_h) * h / out_h).astype(int)",
     "Caso «caja pequeña ampliada» (img de forma (12, 16), box=[1, 3, 4, 4], size=[9, 7]): IndexError: index 4 is out of bounds"),
]


@pytest.mark.parametrize("exercise_id, old, new, fragment", TYPICAL_MISTAKES,
                         ids=[f"{m[0]}:{m[2][:30]}" for m in TYPICAL_MISTAKES])
def test_typical_mistakes_fail_naming_the_case_and_both_values(exercise_id, old, new, fragment):
    """Mistakes written as a student would, not the planted KNOWN_WRONG: each fails, and
    the message names the case that shows the mistake and, for a wrong value, both values."""
    module = exercises.load(exercise_id)
    assert module.SOLUTION.count(old) == 1
    out = grader.check(module.SOLUTION.replace(old, new), spec_json(exercise_id))
    assert out["status"] in ("failed", "error") and fragment in out["message"], out["message"]
    if out["status"] == "failed":
        assert "tu resultado vale" in out["message"] or "devolvió" in out["message"], out["message"]


def test_build_expands_blocks_and_rejects_unknown_or_unplaced_ids():
    text = build.expand('x\n\n<div class="demo" data-demo="exercise" data-exercise="conv2d"></div>\n')
    assert 'data-exercise="conv2d" markdown="1"' in text and "correlación cruzada" in text
    with pytest.raises(build.ExerciseError, match="unknown exercise 'nope'"):
        build.expand('<div class="demo" data-demo="exercise" data-exercise="nope"></div>')
    with pytest.raises(build.ExerciseError, match="on no page"):
        build.placements({"a/": '<div class="demo" data-demo="exercise" data-exercise="conv2d"></div>'})


# ============================================================ the widget in Chromium

def root(exercise_id: str) -> str:
    return f'[data-demo="exercise"][data-exercise="{exercise_id}"]'


def open_exercises(page, base_url: str, query: str = "") -> None:
    page.goto(base_url + EXERCISE_PAGE + query)
    wait_for_demo(page, root(IDS[0]))


def ready(page, exercise_id: str) -> None:
    page.locator(root(exercise_id)).scroll_into_view_if_needed()
    page.wait_for_function("sel => document.querySelector(sel)?.dataset.ready === 'true'",
                           arg=root(exercise_id), timeout=60_000)


EDITOR_VIEW = """async ([sel, code]) => {
    const main = document.querySelector('script[src$="assets/js/main.js"]').src;  // the widget's own bundle URL
    const {EditorView} = await import(new URL("../vendor/codemirror/codemirror.js", main).href);
    const view = EditorView.findFromDOM(document.querySelector(sel + " .cm-editor"));
    if (code !== null) view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: code}});
    return view.state.doc.toString();
}"""


def set_code(page, exercise_id: str, code: str) -> None:
    """Replace the editor's text through CodeMirror's own API (what typing would do)."""
    page.evaluate(EDITOR_VIEW, [root(exercise_id), code])


def get_code(page, exercise_id: str) -> str:
    return page.evaluate(EDITOR_VIEW, [root(exercise_id), None])


def press_check(page, exercise_id: str, timeout: float = 60_000) -> tuple[str, str]:
    """Click «Comprobar»; return (data-result, the announced message)."""
    sel = root(exercise_id)
    before = int(page.eval_on_selector(sel, "el => el.dataset.checks"))
    page.click(f"{sel} .ex-check")
    page.wait_for_function("([sel, n]) => Number(document.querySelector(sel).dataset.checks) > n",
                           arg=[sel, before], timeout=timeout)
    return (page.eval_on_selector(sel, "el => el.dataset.result"),
            page.eval_on_selector(sel, "el => el.querySelector('.ex-result').textContent"))


def test_every_exercise_solution_passes_starter_and_planted_bugs_fail_in_pyodide(server, page):
    open_exercises(page, server.url)
    for exercise_id in IDS:
        module = exercises.load(exercise_id)
        ready(page, exercise_id)
        assert page.eval_on_selector(root(exercise_id), "el => el.dataset.editor") == "codemirror"
        assert get_code(page, exercise_id) == module.STARTER
        result, message = press_check(page, exercise_id)
        assert result in ("failed", "error") and message.startswith("Caso «"), (exercise_id, message)
        for code, fragment in exercises.known_wrong(module):
            set_code(page, exercise_id, code)
            result, message = press_check(page, exercise_id)
            assert result in ("failed", "error") and fragment in message, (exercise_id, message)
        set_code(page, exercise_id, module.SOLUTION)
        result, message = press_check(page, exercise_id)
        assert result == "passed", (exercise_id, message)
        assert message.startswith("¡Correcto!")
        live = page.eval_on_selector(f"{root(exercise_id)} .ex-result", "el => el.getAttribute('aria-live')")
        assert live == "polite"
    assert not page.watch.external and not page.watch.console_errors


def test_code_survives_reload_hints_reset_and_attempt_limit(server, page):
    open_exercises(page, server.url)
    sel, module = root("conv2d"), exercises.load("conv2d")
    ready(page, "conv2d")
    assert page.locator(f"{sel} .cm-lineNumbers").count() == 1  # line numbers
    keyword = page.locator(f"{sel} .cm-line").first.locator("span").first  # "import" is highlighted
    assert keyword.text_content() == "import" and keyword.get_attribute("class")
    # Typing at the end of the function body: Enter keeps the indentation of the block.
    page.click(f"{sel} .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("# mi nota")
    assert "\n    # mi nota\n" in get_code(page, "conv2d")

    # The solution first asks for a confirmation; cancelling leaves it hidden.
    page.click(f"{sel} .ex-solution-button")
    assert page.is_visible(f"{sel} .ex-confirm") and page.is_hidden(f"{sel} .ex-solution")
    page.click(f"{sel} .ex-confirm-no")
    assert page.is_hidden(f"{sel} .ex-confirm") and page.is_hidden(f"{sel} .ex-solution")
    # Hints one at a time, then no more.
    for n in (1, 2, 3):
        page.click(f"{sel} .ex-hint-button")
        assert page.locator(f"{sel} .ex-hints li").count() == n
    assert page.is_disabled(f"{sel} .ex-hint-button")
    # Three failed checks: the solution is then offered without asking.
    for n in (1, 2, 3):
        assert press_check(page, "conv2d")[0] == "failed"
        assert page.eval_on_selector(sel, "el => el.dataset.attempts") == str(n)
    page.click(f"{sel} .ex-solution-button")
    assert page.is_hidden(f"{sel} .ex-confirm") and page.is_visible(f"{sel} .ex-solution")
    assert page.text_content(f"{sel} .ex-solution-code") == module.SOLUTION

    page.reload()
    wait_for_demo(page, sel)
    ready(page, "conv2d")
    assert "\n    # mi nota\n" in get_code(page, "conv2d")
    assert page.eval_on_selector(sel, "el => [el.dataset.attempts, el.dataset.solution, el.dataset.hints]") == ["3", "shown", "3"]
    assert page.is_visible(f"{sel} .ex-solution")
    page.click(f"{sel} .ex-reset")
    assert get_code(page, "conv2d") == module.STARTER
    page.reload()
    wait_for_demo(page, sel)
    ready(page, "conv2d")
    assert get_code(page, "conv2d") == module.STARTER


RUNAWAY = "def conv2d(x, k, stride=1, padding=0):\n    n = 0\n    while True:\n        n += 1\n"
# One NumPy call of tens of seconds: Python's own time limit cannot see inside it.
STUCK_IN_C = ("import numpy as np\n\ndef conv2d(x, k, stride=1, padding=0):\n"
              "    return np.ones((3000, 3000)) @ np.ones((3000, 3000))\n")


@pytest.mark.parametrize("isolated", [False, True], ids=["plain", "cross-origin-isolated"])
def test_time_limit_stops_a_runaway_loop_and_python_is_ready_again(request, page, isolated):
    srv = request.getfixturevalue("isolated_server" if isolated else "server")
    open_exercises(page, srv.url)
    assert page.evaluate("self.crossOriginIsolated") is isolated
    ready(page, "conv2d")
    set_code(page, "conv2d", "def conv2d(x, k, stride=1, padding=0):\n    return x[100, 100]\n")
    result, message = press_check(page, "conv2d")
    assert result == "error" and "IndexError" in message and message.endswith("(línea 2 de tu código)")
    set_code(page, "conv2d", RUNAWAY)
    result, message = press_check(page, "conv2d")
    assert result == "error" and "Tiempo agotado" in message and re.search(r"línea [34] de tu código", message)
    if not isolated:  # the widget's watchdog replaces the worker (an interrupt would wait for NumPy)
        set_code(page, "conv2d", STUCK_IN_C)
        result, message = press_check(page, "conv2d", timeout=90_000)
        assert result == "error" and "Python se ha reiniciado" in message
    set_code(page, "conv2d", exercises.load("conv2d").SOLUTION)
    assert press_check(page, "conv2d", timeout=90_000)[0] == "passed"


def test_progress_page_states_and_export_import_round_trip(server, page, tmp_path):
    open_exercises(page, server.url)
    ready(page, "conv2d")
    set_code(page, "conv2d", exercises.load("conv2d").SOLUTION)
    assert press_check(page, "conv2d")[0] == "passed"
    ready(page, "output_size")
    assert press_check(page, "output_size")[0] == "failed"

    page.goto(server.url + PROGRESS_PAGE)
    prog = '[data-demo="exercise-progress"]'
    page.wait_for_function("sel => document.querySelector(sel)?.dataset.ready === 'true'", arg=prog)

    def states():
        return dict(page.eval_on_selector_all(f"{prog} tr[data-exercise]", "rows => rows.map(r => [r.dataset.exercise, r.dataset.state])"))

    got = states()
    assert set(got) == set(IDS)
    assert got["conv2d"] == "solved" and got["output_size"] == "failed"
    assert all(s == "untried" for k, s in got.items() if k not in ("conv2d", "output_size"))
    link = page.get_attribute(f'{prog} tr[data-exercise="conv2d"] a', "href")
    assert link.endswith("/ejercicios/#ejercicio-conv2d")

    with page.expect_download() as download:
        page.click(f"{prog} .ex-export")
    saved = tmp_path / "progreso.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["format"] == "curso-dl-ejercicios" and set(data["exercises"]) == {"conv2d", "output_size"}
    assert data["exercises"]["conv2d"]["code"] == exercises.load("conv2d").SOLUTION

    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_function("sel => document.querySelector(sel)?.dataset.ready === 'true'", arg=prog)
    assert set(states().values()) == {"untried"}
    bad = tmp_path / "otro.json"
    bad.write_text('{"hola": 1}')
    page.set_input_files(f"{prog} .ex-import", str(bad))
    page.wait_for_function("sel => document.querySelector(sel).dataset.imported === 'error'", arg=prog)
    assert "no es una exportación" in page.text_content(f"{prog} .ex-progress-notice")
    page.set_input_files(f"{prog} .ex-import", str(saved))
    page.wait_for_function("sel => document.querySelector(sel).dataset.imported === '2'", arg=prog)
    assert states() == got

    page.goto(server.url + EXERCISE_PAGE)
    wait_for_demo(page, root("conv2d"))
    ready(page, "conv2d")
    assert get_code(page, "conv2d") == exercises.load("conv2d").SOLUTION


def test_exercise_works_in_slide_mode(server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_exercises(page, server.url, "?slides")
    page.wait_for_selector(".slides-active, .slides-mode")
    sel = root("conv2d")
    index = page.evaluate("""sel => {
        const slides = [...document.querySelectorAll('.slide, [data-slide], section.slide')];
        return slides.findIndex((s) => s.querySelector(sel));
    }""", sel)
    assert index >= 0
    for _ in range(index):
        page.keyboard.press("PageDown")
    page.wait_for_function("sel => { const r = document.querySelector(sel).getBoundingClientRect(); return r.width > 0 && r.top >= 0 && r.top < innerHeight; }", arg=sel)
    ready(page, "conv2d")
    set_code(page, "conv2d", exercises.load("conv2d").SOLUTION)
    assert press_check(page, "conv2d")[0] == "passed"
    assert page.is_visible(f"{sel} .cm-editor")


def test_a_long_statement_on_a_slide_says_that_more_follows(server, page):
    """On a slide a statement keeps its column's height and scrolls inside it: one longer
    than its column (the residual block) shows «▼ sigue más abajo» until it is scrolled
    to the end; one that fits (the output size) shows nothing."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server.url + EXERCISE_PAGE + "?slides")
    page.wait_for_selector(".slides-deck section.slide")
    cue = "el => el.dataset.more === 'true' && getComputedStyle(el, '::after').content.includes('sigue')"
    for exercise_id, long in (("residual_block", True), ("output_size", False)):
        n = page.evaluate("sel => [...document.querySelectorAll('.slide-frame')].findIndex(f => f.querySelector(sel)) + 1",
                          f'[data-exercise="{exercise_id}"]')
        page.evaluate("n => { location.hash = 'slide-' + n; }", n)
        box = f'.slide-frame:not([hidden]) [data-exercise="{exercise_id}"] > .ex-statement'
        page.wait_for_function("([sel, want]) => { const b = document.querySelector(sel);"
                               " return b && b.clientHeight > 0 && b.dataset.more === want; }", arg=[box, str(long).lower()])
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert page.eval_on_selector(box, "b => b.scrollHeight > b.clientHeight + 2") is long
        assert page.eval_on_selector(box, cue) is long
        if long:
            page.eval_on_selector(box, "b => { b.scrollTop = b.scrollHeight; }")
            page.wait_for_function("sel => document.querySelector(sel).dataset.more === 'false'", arg=box)
            assert "sigue" not in page.eval_on_selector(box, "el => getComputedStyle(el, '::after').content")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_exercise_and_progress_pages_have_no_serious_axe_violations(server, browser, axe, scheme):
    """After a hint and a check (verdict, cases, hint on the page); in the dark scheme
    only the colour rules (nothing else changes with it)."""
    ctx = browser.new_context(color_scheme=scheme)
    page = ctx.new_page()
    problems = []
    try:
        page.goto(server.url + EXERCISE_PAGE)
        wait_for_demo(page, root("conv2d"))
        ready(page, "conv2d")
        page.click(f"{root('conv2d')} .ex-hint-button")
        press_check(page, "conv2d")  # the verdict, cases and hint are on the page too
        page.goto(server.url + PROGRESS_PAGE)
        page.wait_for_function("() => document.querySelector('[data-demo=\"exercise-progress\"]')?.dataset.ready")
        for url in (EXERCISE_PAGE, PROGRESS_PAGE):
            page.goto(server.url + url)
            if url == EXERCISE_PAGE:
                wait_for_demo(page, root("conv2d"))
                ready(page, "conv2d")
            else:
                page.wait_for_function("() => document.querySelector('[data-demo=\"exercise-progress\"]')?.dataset.ready")
            problems += axe(page, f"{url}: ", only=COLOUR_RULES if scheme == "dark" else None)
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
