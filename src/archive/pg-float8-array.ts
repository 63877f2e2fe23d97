/**
 * PostgreSQL's binary wire format of a one-dimensional `float8[]` (array_send / array_recv): a 20-byte header
 * (ndim = 1, has-nulls = 0, element type oid 701, length, lower bound 1), then per element its byte length (8)
 * and the big-endian IEEE double. Sent as a Buffer parameter, `pg` passes it in binary format, so the server
 * parses no text; read back with `binary: true`, the columns decode without text parsing either. Exact (bits).
 */

const FLOAT8_OID = 701;

/**
 * Encodes `values` as a binary `float8[]`. O(n); 20 + 12·n bytes.
 *
 * @example
 * encodeFloat8Array(Float64Array.of(1.5, 2)).length; // 44
 */
export function encodeFloat8Array(values: Float64Array): Buffer {
  const n = values.length;
  const buf = Buffer.allocUnsafe(20 + 12 * n);
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(0, 4);
  buf.writeInt32BE(FLOAT8_OID, 8);
  buf.writeInt32BE(n, 12);
  buf.writeInt32BE(1, 16);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0, o = 20; i < n; i++, o += 12) {
    view.setInt32(o, 8);
    view.setFloat64(o + 4, values[i]);
  }
  return buf;
}

/**
 * Decodes a binary one-dimensional `float8[]` into `out` from index `at`; returns the element count.
 * An empty array (ndim 0) gives 0. O(n).
 *
 * @throws RangeError when the bytes are not a 1-D float8[] without NULLs, or `out` is too short.
 * @example
 * const out = new Float64Array(2);
 * decodeFloat8Array(encodeFloat8Array(Float64Array.of(1.5, 2)), out, 0); // 2; out = [1.5, 2]
 */
export function decodeFloat8Array(buf: Buffer, out: Float64Array, at: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const ndim = view.getInt32(0);
  if (ndim === 0) return 0;
  if (ndim !== 1 || view.getInt32(4) !== 0 || view.getInt32(8) !== FLOAT8_OID) throw new RangeError(`decodeFloat8Array: not a 1-D float8[] without NULLs (ndim ${ndim}, oid ${view.getInt32(8)})`);
  const n = view.getInt32(12);
  if (at + n > out.length || buf.length < 20 + 12 * n) throw new RangeError(`decodeFloat8Array: ${n} elements do not fit (at ${at}, room ${out.length}, bytes ${buf.length})`);
  for (let i = 0, o = 24; i < n; i++, o += 12) out[at + i] = view.getFloat64(o);
  return n;
}
