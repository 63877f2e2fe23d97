/**
 * Float64 columns as big-endian bytes: the PostgreSQL archive's block columns (`bytea`, 8 bytes per value,
 * the byte order of PostgreSQL's own `float8send`, so SQL can build and decode them too). Conversion is a
 * native copy plus `Buffer.swap64` (skipped on a big-endian host): no per-value work in JavaScript. Exact (bits).
 */
import { endianness } from "node:os";

/** True on a little-endian host (every platform Node ships for in practice): native ↔ big-endian needs a swap. */
const SWAP = endianness() === "LE";

/**
 * Turns big-endian float64 bytes into native order in place (or back; the swap is its own inverse). O(n), native.
 *
 * @throws RangeError when the byte length is not a multiple of 8.
 * @example
 * swapFloat64InPlace(new Uint8Array(f64.buffer)); // f64 now holds the decoded values
 */
export function swapFloat64InPlace(bytes: Uint8Array): void {
  if (bytes.length % 8 !== 0) throw new RangeError(`swapFloat64InPlace: ${bytes.length} bytes is not a whole number of float64 values`);
  if (SWAP) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap64();
}

/**
 * `values` as big-endian float64 bytes (a new Buffer). O(n), native.
 *
 * @example
 * toFloat64Be(Float64Array.of(1)).toString("hex"); // "3ff0000000000000"
 */
export function toFloat64Be(values: Float64Array): Buffer {
  const out = Buffer.allocUnsafe(values.byteLength);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  swapFloat64InPlace(out);
  return out;
}

/**
 * Copies the big-endian float64 bytes `bytes` into `out` from index `at`; returns how many values. O(n), native.
 *
 * @throws RangeError when the byte length is not a multiple of 8 or the values do not fit in `out`.
 * @example
 * const out = new Float64Array(1);
 * fromFloat64Be(toFloat64Be(Float64Array.of(2.5)), out, 0); // 1; out[0] === 2.5
 */
export function fromFloat64Be(bytes: Uint8Array, out: Float64Array, at: number): number {
  if (bytes.length % 8 !== 0) throw new RangeError(`fromFloat64Be: ${bytes.length} bytes is not a whole number of float64 values`);
  const n = bytes.length / 8;
  if (at < 0 || at + n > out.length) throw new RangeError(`fromFloat64Be: ${n} values do not fit at ${at} in ${out.length}`);
  const target = Buffer.from(out.buffer, out.byteOffset + at * 8, n * 8);
  target.set(bytes);
  swapFloat64InPlace(target);
  return n;
}
