// docs/assets/js/arrays.js: typed arrays <-> the ndarray records demos/bridge.py reads.
import {test} from "node:test";
import assert from "node:assert/strict";
import {ndarray, toTyped, dtypeOf} from "../../docs/assets/js/arrays.js";
import * as runtime from "../../docs/assets/js/pyodide-runtime.js";

// Each typed array with the NumPy dtype whose bytes it holds (little-endian).
const CASES = [
  [Float32Array, "<f4", [-1.5, 0, 2, 3.25]],
  [Float64Array, "<f8", [-1.5, 0, 2, 1e300]],
  [Int8Array, "|i1", [-128, 0, 1, 127]],
  [Uint8Array, "|u1", [0, 1, 200, 255]],
  [Int16Array, "<i2", [-32768, 0, 1, 32767]],
  [Uint16Array, "<u2", [0, 1, 40000, 65535]],
  [Int32Array, "<i4", [-2147483648, 0, 1, 2147483647]],
  [Uint32Array, "<u4", [0, 1, 3000000000, 4294967295]],
];

// What NumPy's frombuffer would read from these bytes with this dtype (a DataView, so the
// check does not use the typed array under test).
function readAs(dtype, bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [get, size] = {
    "<f4": ["getFloat32", 4], "<f8": ["getFloat64", 8], "|i1": ["getInt8", 1], "|u1": ["getUint8", 1],
    "<i2": ["getInt16", 2], "<u2": ["getUint16", 2], "<i4": ["getInt32", 4], "<u4": ["getUint32", 4],
  }[dtype];
  return Array.from({length: bytes.byteLength / size}, (_, i) => view[get](i * size, true));
}

for (const [Ctor, dtype, values] of CASES) {
  test(`ndarray(${Ctor.name}) is marked ${dtype} and its bytes read back as its values`, () => {
    const rec = ndarray(Ctor.from(values), [2, 2]);
    assert.equal(rec.__ndarray__, true);
    assert.equal(rec.dtype, dtype);
    assert.deepEqual(rec.shape, [2, 2]);
    const bytes = new Uint8Array(rec.data.buffer, rec.data.byteOffset, rec.data.byteLength);
    assert.deepEqual(readAs(rec.dtype, bytes), Float32Array === Ctor ? Array.from(Float32Array.from(values)) : values);
  });

  test(`toTyped reads a ${dtype} record from Python as a ${Ctor.name}`, () => {
    // Python sends bytes (Pyodide gives a Uint8Array, often a view into a larger buffer).
    const payload = new Uint8Array(new Ctor(values).buffer);
    const big = new Uint8Array(payload.length + 3);
    big.set(payload, 3);
    const out = toTyped({__ndarray__: true, dtype, shape: [4], data: big.subarray(3)});
    assert.ok(out instanceof Ctor, `${out.constructor.name} is not ${Ctor.name}`);
    assert.deepEqual(Array.from(out), Array.from(Ctor.from(values)));
  });
}

test("Uint8ClampedArray (canvas pixels) travels as uint8", () => {
  assert.equal(dtypeOf(new Uint8ClampedArray(4)), "|u1");
});

test("a round trip keeps type and values: ndarray then toTyped", () => {
  for (const [Ctor, , values] of CASES) {
    const back = toTyped(ndarray(Ctor.from(values), [4]));
    assert.equal(back.constructor, Ctor);
    assert.deepEqual(Array.from(back), Array.from(Ctor.from(values)));
  }
});

test("arrays with no NumPy dtype are refused, not sent as misread bytes", () => {
  assert.throws(() => ndarray([1, 2, 3], [3]), TypeError);
  assert.throws(() => ndarray(new BigInt64Array(2), [2]), TypeError);
  assert.throws(() => toTyped({dtype: "<i8", data: new Uint8Array(8)}), TypeError);
});

test("pyodide-runtime.js still exports the same ndarray and toTyped", () => {
  assert.equal(runtime.ndarray, ndarray);
  assert.equal(runtime.toTyped, toTyped);
});
