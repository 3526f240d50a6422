"""Arrays across the Python<->JavaScript seam (demos/bridge.py encode/decode).

Every dtype must reach JavaScript as one a typed array reads byte for byte (the JS side,
docs/assets/js/arrays.js, is tested under node in tests/js/arrays.test.mjs), keep its
values, and come back from JavaScript as the same NumPy array.
"""

from __future__ import annotations

import numpy as np
import pytest

from demos import bridge

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
