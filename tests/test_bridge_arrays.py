"""Arrays across the Python<->JavaScript seam (demos/bridge.py encode/decode).

Every dtype must reach JavaScript as one a typed array reads byte for byte (the JS side,
docs/assets/js/arrays.js, is tested under node in tests/js/arrays.test.mjs), keep its
values, and come back from JavaScript as the same NumPy array.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from demos import bridge

ROOT = Path(__file__).resolve().parents[1]

# NumPy dtype -> the dtype string it travels as (what JS reads it with).
TRAVELS_AS = {
    "float32": "<f4", "float64": "<f8", "float16": "<f8",
    "int8": "|i1", "uint8": "|u1", "int16": "<i2", "uint16": "<u2", "int32": "<i4", "uint32": "<u4",
    "int64": "<i4", "uint64": "<i4", "bool": "|u1",
    ">i4": "<i4", ">f8": "<f8", ">u2": "<u2",  # big-endian input travels little-endian
}
# The typed array JavaScript reads each with (docs/assets/js/arrays.js).
JS_ARRAY = {"<f4": "Float32Array", "<f8": "Float64Array", "|i1": "Int8Array", "|u1": "Uint8Array",
            "<i2": "Int16Array", "<u2": "Uint16Array", "<i4": "Int32Array", "<u4": "Uint32Array"}


def _values(dtype: str) -> np.ndarray:
    """Values that tell dtypes apart: negatives where signed, the type's extremes."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.array([[True, False, True], [False, False, True]])
    if dt.kind == "f":
        return np.array([[-1.5, 0.0, 2.0], [3.25, -7.0, 1e3]], dtype=dt)
    info = np.iinfo(dt)
    lo, hi = (max(info.min, np.iinfo(np.int32).min), min(info.max, np.iinfo(np.int32).max))
    return np.array([[lo, 0, 1], [2, hi, lo + 1]], dtype=dt)


@pytest.mark.parametrize("dtype", sorted(TRAVELS_AS))
def test_encode_sends_a_dtype_js_reads_and_the_same_values(dtype):
    a = _values(dtype)
    rec = bridge.encode(a)
    assert rec["__ndarray__"] is True and rec["shape"] == [2, 3]
    assert rec["dtype"] == TRAVELS_AS[dtype] and rec["dtype"] in JS_ARRAY
    # What JS sees: the raw bytes, read with the typed array of that dtype (little-endian).
    seen = np.frombuffer(rec["data"], dtype=np.dtype(rec["dtype"])).reshape(2, 3)
    assert len(rec["data"]) == a.size * np.dtype(rec["dtype"]).itemsize
    np.testing.assert_array_equal(seen, a.astype(np.float64))


@pytest.mark.parametrize("dtype", sorted(JS_ARRAY))
def test_decode_reads_what_each_typed_array_sends(dtype):
    """What ndarray(typedArray, shape) sends (its bytes, its dtype) is that NumPy array."""
    a = _values(dtype)
    js = {"__ndarray__": True, "dtype": dtype, "shape": [2, 3], "data": a.astype(dtype).tobytes()}
    back = bridge.decode({"x": [js]})["x"][0]
    assert back.dtype == np.dtype(dtype).newbyteorder("=") and back.shape == (2, 3)
    np.testing.assert_array_equal(back, a)
    back[0, 0] = 1  # a writable array of its own (NumPy code may edit it in place)


@pytest.mark.parametrize("dtype", sorted(TRAVELS_AS))
def test_round_trip_keeps_values(dtype):
    """Python -> JS -> Python: encode, then what JS sends back unchanged, decoded."""
    a = _values(dtype)
    back = bridge.decode(bridge.encode(a))
    assert back.dtype == np.dtype(TRAVELS_AS[dtype])
    np.testing.assert_array_equal(back, a)


def test_int64_that_does_not_fit_int32_travels_as_float64():
    big = np.array([0, 2**31, -(2**31) - 1, 2**40], dtype=np.int64)
    rec = bridge.encode(big)
    assert rec["dtype"] == "<f8"
    np.testing.assert_array_equal(np.frombuffer(rec["data"], "<f8"), big.astype(np.float64))
    assert bridge.encode(np.array([2**31 - 1, -(2**31)], dtype=np.int64))["dtype"] == "<i4"
    assert bridge.encode(np.array([2**32], dtype=np.uint64))["dtype"] == "<f8"


def test_non_contiguous_and_empty_arrays():
    a = np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::2]
    rec = bridge.encode(a)
    np.testing.assert_array_equal(np.frombuffer(rec["data"], "<i2").reshape(rec["shape"]), a)
    empty = bridge.encode(np.zeros((0, 3), dtype=np.int64))
    assert empty["dtype"] == "<i4" and empty["shape"] == [0, 3] and empty["data"] == b""
    assert bridge.decode(empty).shape == (0, 3)


def test_nested_results_and_scalars():
    out = bridge.encode({"labels": np.array([1, 2], dtype=np.int64), "n": np.int64(3), 4: (np.float32(0.5),)})
    assert out["labels"]["dtype"] == "<i4" and out["n"] == 3 and type(out["n"]) is int
    assert out["4"] == [0.5]


# ------------------------------------------------------------------ both sides at once, under node

NODE_SCRIPT = r"""
import fs from "node:fs";
import {ndarray, toTyped} from "./docs/assets/js/arrays.js";
const fromPython = JSON.parse(fs.readFileSync(0, "utf8"));
const b64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString("base64");
const read = fromPython.map((r) => {
  const a = toTyped({...r, data: new Uint8Array(Buffer.from(r.data, "base64"))});
  return {type: a.constructor.name, values: Array.from(a)};
});
const values = [-1, 0, 1, 2, 100, 127];
const sent = [Float32Array, Float64Array, Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array]
  .map((C) => { const r = ndarray(C.from(values, (v) => (v < 0 && C.name.startsWith("Uint") ? 0 : v)), [2, 3]);
                return {type: C.name, dtype: r.dtype, shape: r.shape, data: b64(new Uint8Array(r.data.buffer))}; });
process.stdout.write(JSON.stringify({read, sent}));
"""


def test_python_and_javascript_read_each_others_arrays():
    """bridge.encode's records read by arrays.js's toTyped under node, and ndarray()'s
    records decoded by bridge.decode: same values, the typed array JS_ARRAY names."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: the course needs Node.js (make vendor installs it)")
    dtypes = sorted(TRAVELS_AS)
    records = [bridge.encode(_values(d)) for d in dtypes]
    payload = json.dumps([{**r, "data": base64.b64encode(r["data"]).decode()} for r in records])
    proc = subprocess.run([node, "--import", "./tests/js/site-modules.mjs", "--input-type=module", "-e", NODE_SCRIPT],
                          input=payload, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for d, rec, seen in zip(dtypes, records, out["read"]):
        assert seen["type"] == JS_ARRAY[rec["dtype"]], (d, seen["type"])
        assert seen["values"] == _values(d).astype(np.float64).ravel().tolist(), d
    for sent in out["sent"]:
        back = bridge.decode({**sent, "__ndarray__": True, "data": base64.b64decode(sent["data"])})
        assert JS_ARRAY[sent["dtype"]] == sent["type"] and back.shape == (2, 3)
        want = [0 if v < 0 and sent["type"].startswith("Uint") else v for v in [-1, 0, 1, 2, 100, 127]]
        np.testing.assert_array_equal(back.ravel(), want)
