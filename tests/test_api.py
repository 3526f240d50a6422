"""The declared browser API (demos/api.py) and the one error record (demos/errors.py).

Every name the JavaScript calls resolves to a declared function whose declared parameters
are its own; the bridge refuses anything else; no JavaScript builds an error record by
hand; distinct causes have distinct codes.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from demos import api, bridge, errors

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "docs" / "assets" / "js"

# Calls whose function name is a variable: the file, the call, and the names it can take
# (each must appear in the file as a string, so a renamed option is seen).
DYNAMIC = {
    "widgets/pool-explorer.js": ("demos.imageops", ("max_pool2d", "avg_pool2d")),
    "widgets/exercise.js": ("demos.grader", ("run", "check")),
}


def js_calls() -> set[tuple[str, str, str]]:
    """(file, module, func) for every Python function named in the page's JavaScript."""
    found = set()
    for path in sorted(JS.rglob("*.js")):
        rel = path.relative_to(JS).as_posix()
        text = path.read_text(encoding="utf-8")
        for module, func in re.findall(r'\.call\(\s*"(demos\.\w+)"\s*,\s*"(\w+)"', text):
            found.add((rel, module, func))
        # A network's calls go to the module given to loadNet (demos.netdemos by default).
        if "loadNet(" in text and rel != "widgets/nets-common.js":
            modules = set(re.findall(r'loadNet\([^)]*\{module: "(demos\.\w+)"\}', text)) or {"demos.netdemos"}
            assert len(modules) == 1, f"{rel}: networks of several modules: {modules}"
            (module,) = modules
            for func in re.findall(r'\b(?:net|ae|call|run)\(\s*"(\w+)"|\b(?:net|ae|clip)\.call\(\s*"(\w+)"', text):
                found.add((rel, module, func[0] or func[1]))
        if rel in DYNAMIC:
            module, funcs = DYNAMIC[rel]
            for func in funcs:
                assert f'"{func}"' in text, f"{rel} no longer names {func!r}: update DYNAMIC"
                found.add((rel, module, func))
    return found


def test_the_javascript_calls_only_declared_functions():
    calls = js_calls()
    assert len(calls) >= 40, calls  # the extraction still sees the call sites
    undeclared = sorted((f, m, fn) for f, m, fn in calls if fn not in api.API.get(m, {}))
    assert not undeclared, f"called by the page but not in demos/api.py: {undeclared}"
    # netdemos.load is how every network starts (nets-common.js).
    assert ("widgets/nets-common.js", "demos.netdemos", "load") in calls


def test_every_declared_function_is_called_by_the_page():
    called = {(m, fn) for _, m, fn in js_calls()}
    unused = sorted((m, fn) for m, funcs in api.API.items() for fn in funcs if (m, fn) not in called)
    assert not unused, f"declared in demos/api.py but no page calls them: {unused}"


@pytest.mark.parametrize("module,func", [(m, f) for m, fs in api.API.items() for f in fs])
def test_declared_parameters_are_the_functions_own(module, func):
    fn = api.resolve(module, func)
    assert not func.startswith("_") and fn.__doc__, f"{module}.{func}: public and documented"
    params = [p.name for p in inspect.signature(fn).parameters.values()]
    assert list(api.API[module][func]["args"]) == params
    assert api.API[module][func]["returns"]


def test_the_bridge_refuses_what_the_api_does_not_declare():
    ok = bridge.call("demos.imageops", "output_size", [5, 3])
    assert ok == 3
    for module, func in [("demos.imageops", "_check_int"), ("demos.nn", "softmax"), ("os", "system"),
                         ("demos.bridge", "call"), ("demos.imageops", "__class__")]:
        rec = bridge.call(module, func, [])["__error__"]
        assert rec["code"] == "not_in_api" and rec["kind"] == "input", (module, func, rec)
        assert f"{module}.{func}" in rec["message"]


def test_one_record_shape_for_every_cause():
    blank = errors.contract()["blank"]
    shapes = [errors.record(ZeroDivisionError("x")), errors.record(KeyboardInterrupt()),
              errors.record(errors.InputError("m", field="stride")), errors.make_record("input", "m", code="offline"),
              bridge.call("demos.imageops", "output_size", ["a", 3])["__error__"]]
    for rec in shapes:
        assert list(rec) == list(blank)
    assert shapes[0]["message"] == "División por cero" and "ZeroDivisionError" in shapes[0]["traceback"]
    assert shapes[1]["code"] == "interrupted" and shapes[1]["message"] == errors.INTERRUPTED
    assert errors.contract()["interrupted"] == shapes[1]
    assert shapes[2]["code"] == "bad_parameter" and shapes[2]["field"] == "stride"
    with pytest.raises(ValueError):
        errors.make_record("warning", "m")


def test_distinct_causes_have_distinct_codes():
    """Not loaded, missing file, mismatched file, interrupted and a bad parameter are
    told apart by code, so no page code reads the message."""
    from demos import netdemos, nn

    netdemos._NETS.pop("unet", None)
    codes = {
        "not_loaded": bridge.call("demos.netdemos", "unet_scene", [0])["__error__"]["code"],
        "mismatched_file": bridge.call("demos.netdemos", "load",
                                       ["unet", np.frombuffer(b"not a zip", np.uint8)])["__error__"]["code"],
        "bad_parameter": errors.record(errors.InputError("Escribe un número"))["code"],
        "interrupted": errors.record(KeyboardInterrupt())["code"],
    }
    with pytest.raises(nn.WeightsError) as info:
        nn.load_weights(None, run="unet")
    codes["missing_file"] = errors.record(info.value)["code"]
    assert {k: v for k, v in codes.items()} == {k: k for k in codes}
    assert set(codes) <= set(errors.CODES)
    # InputError's finer codes are bad parameters too, marked at their field.
    stride = bridge.call("demos.imageops", "output_size", [5, 3], {"stride": 0})["__error__"]
    assert stride["kind"] == "input" and stride["field"] == "stride" and stride["code"] not in codes


def test_no_javascript_builds_an_error_record_by_hand():
    """Records are made from the worker's contract (errors.js), never as literals that
    restate the fields; and no page code decides by a message's text."""
    for path in sorted(JS.rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(JS).as_posix()
        assert not re.search(r"\bfield: null, cell: null\b", text), f"{rel} builds a record by hand"
        assert "err.record = {" not in text, f"{rel} builds a record by hand"
        assert not re.search(r"message\)?\.(?:match|includes|test)\(|/[^/\n]*está[^/\n]*/\.test", text), \
            f"{rel} reads an error's text"
    worker = (JS / "pyodide-worker.js").read_text(encoding="utf-8")
    assert "from demos.errors import contract" in worker and "contract.blank" in worker
