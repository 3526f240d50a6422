/* Arrays between JavaScript and the NumPy demos (demos/bridge.py encode/decode).
 *
 * An array travels as {__ndarray__: true, dtype, shape, data}: `data` holds the bytes of
 * a typed array and `dtype` is NumPy's name for them, so each side reads the bytes as
 * they are. Every typed array has its own dtype (an Int32Array's bytes read as float64
 * would be garbage); bridge.encode sends only these dtypes (bool as |u1, int64 as <i4
 * when it fits, else <f8). Pure: no DOM, testable under node (tests/js/arrays.test.mjs).
 */

/** NumPy dtype of each typed array (little-endian, as every browser stores them). */
export const DTYPES = new Map([
  [Float32Array, "<f4"], [Float64Array, "<f8"],
  [Int8Array, "|i1"], [Uint8Array, "|u1"], [Uint8ClampedArray, "|u1"],
  [Int16Array, "<i2"], [Uint16Array, "<u2"], [Int32Array, "<i4"], [Uint32Array, "<u4"],
]);

const ARRAYS = {
  "<f4": Float32Array, "<f8": Float64Array, "|i1": Int8Array, "|u1": Uint8Array,
  "<i2": Int16Array, "<u2": Uint16Array, "<i4": Int32Array, "<u4": Uint32Array,
};

/** The NumPy dtype string of a typed array; an error for anything else (a plain Array,
 * a BigInt64Array), rather than bytes the other side would misread. */
export function dtypeOf(data) {
  const dtype = data && DTYPES.get(data.constructor);
  if (!dtype) throw new TypeError(`ndarray: no NumPy dtype for ${data && data.constructor ? data.constructor.name : data}`);
  return dtype;
}

/** A typed array and its shape as the record the worker turns into a NumPy array. */
export function ndarray(data, shape) {
  return {__ndarray__: true, dtype: dtypeOf(data), shape, data};
}

/** An ndarray record from the worker as a typed array of its dtype (its own buffer). */
export function toTyped(rec) {
  const Ctor = ARRAYS[rec.dtype];
  if (!Ctor) throw new TypeError(`toTyped: dtype ${rec.dtype} no tiene arreglo de JavaScript`);
  const bytes = rec.data;
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new Ctor(buf);
}
