import { JOHANSEN_KERNELS_WASM } from "./johansen-kernels-wasm";

/**
 * The WebAssembly SIMD (f64x2) kernels of {@link johansenTest}'s moment matrix. Internal. Columns are Float64Array
 * views into the instance's memory, handed to the kernels by byte offset (see createWasmKernels for its lifetime). The kernels are the 3-column tiles of cross-products.ts
 * (two rows per step, even and odd rows summed in separate lanes, then added) and the differences of a series.
 * `createWasmKernels` returns null where WebAssembly SIMD is not available; callers then use the JS tiles.
 */
export interface WasmKernels {
  /** A 16-byte-aligned view of `length` doubles in the instance's memory (bump allocation; never freed). */
  alloc(length: number): Float64Array;
  /** Σ (a_i − c_i)(a_j − c_j) for i ≤ j of three columns, into `sums[0..5]` (00, 01, 02, 11, 12, 22). */
  sym3(a0: Float64Array, a1: Float64Array, a2: Float64Array, c0: number, c1: number, c2: number, len: number): Float64Array;
  /** Σ (a_i − ca_i)(b_j − cb_j) for the 3 × 3 tile, row-major into `sums[0..8]`. */
  tile33(
    a0: Float64Array, a1: Float64Array, a2: Float64Array, b0: Float64Array, b1: Float64Array, b2: Float64Array,
    ca0: number, ca1: number, ca2: number, cb0: number, cb1: number, cb2: number, len: number,
  ): Float64Array;
  /** Σ a_i·b_j for the 3 × 3 tile without shifts (nine sums and six values fit the 16 vector registers). */
  tile33n(a0: Float64Array, a1: Float64Array, a2: Float64Array, b0: Float64Array, b1: Float64Array, b2: Float64Array, len: number): Float64Array;
  /** Σ (a0 − ca0)(b1 − cb1), Σ (a0 − ca0)(b2 − cb2), Σ (a1 − ca1)(b2 − cb2) into `sums[0..2]`. */
  triangle3(a0: Float64Array, a1: Float64Array, b1: Float64Array, b2: Float64Array, ca0: number, ca1: number, cb1: number, cb2: number, len: number): Float64Array;
  /** d[i] = x[i+1] − x[i] for i < x.length − 1 (both views in this instance's memory). */
  diff(x: Float64Array, d: Float64Array): void;
  /** Σ (x[i] − c) (even and odd rows in two lanes); non-finite when an x is. */
  sum(x: Float64Array, c: number): number;
  /** dst[i] = (base ? dst[i] : 0) + w0·x0[i] + w1·x1[i] + w2·x2[i], added left to right; length dst.length. */
  combine3(dst: Float64Array, x0: Float64Array, x1: Float64Array, x2: Float64Array, w0: number, w1: number, w2: number, base: boolean): void;
}

interface Exports {
  memory: WebAssembly.Memory;
  sym3(p0: number, p1: number, p2: number, c0: number, c1: number, c2: number, len: number, out: number): void;
  tile33(p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, c0: number, c1: number, c2: number, c3: number, c4: number, c5: number, len: number, out: number): void;
  tile33n(p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, len: number, out: number): void;
  triangle3(p0: number, p1: number, p2: number, p3: number, c0: number, c1: number, c2: number, c3: number, len: number, out: number): void;
  diff(src: number, dst: number, n: number): void;
  sum(src: number, n: number, c: number): number;
  combine3(dst: number, p0: number, p1: number, p2: number, w0: number, w1: number, w2: number, n: number, base: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(Buffer.from(JOHANSEN_KERNELS_WASM, "base64"));
  } catch {
    compiled = null; // no WebAssembly, or no SIMD: the JS tiles are used
  }
  return compiled;
}

const PAGE = 65_536;
/** Bytes reserved at the start of the memory for the kernels' sums. */
const SUMS_BYTES = 128;

/** Memory kept between calls at most (bytes): one cached instance serves calls up to this size. */
export const WASM_CACHE_BYTES = 16 * 1024 * 1024;
let cached: Exports | null = null;

/**
 * Kernels with room for `doubles` doubles of columns (plus alignment), or null without WebAssembly SIMD or when the
 * memory cannot grow that far (wasm32: at most 4 GiB, engines may allow less). Calls that
 * fit in {@link WASM_CACHE_BYTES} reuse one cached instance (fresh memory costs a page fault per 4 KiB on first
 * touch: ≈ 0.25 ms for 3 × 10,000 series, as much as the whole test); larger ones get their own instance, freed
 * with it. The views of a previous call are invalid after the next call (johansenTest is synchronous and keeps
 * none). O(1), plus O(doubles) when the memory grows.
 */
export function createWasmKernels(doubles: number, columns: number): WasmKernels | null {
  const module = compile();
  if (module === null) return null;
  const bytes = SUMS_BYTES + 8 * doubles + 16 * columns;
  let api: Exports;
  if (bytes <= WASM_CACHE_BYTES) {
    cached ??= new WebAssembly.Instance(module).exports as unknown as Exports;
    api = cached;
  } else {
    api = new WebAssembly.Instance(module).exports as unknown as Exports;
  }
  const have = api.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      api.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null; // beyond the engine's WebAssembly memory limit: the JS tiles work on ordinary arrays
    }
  }
  const buffer = api.memory.buffer;
  const sums = new Float64Array(buffer, 0, SUMS_BYTES / 8);
  let next = SUMS_BYTES;
  return {
    alloc(length: number): Float64Array {
      const view = new Float64Array(buffer, next, length);
      next += Math.ceil((8 * length) / 16) * 16;
      return view;
    },
    sym3(a0, a1, a2, c0, c1, c2, len) {
      api.sym3(a0.byteOffset, a1.byteOffset, a2.byteOffset, c0, c1, c2, len, 0);
      return sums;
    },
    tile33(a0, a1, a2, b0, b1, b2, ca0, ca1, ca2, cb0, cb1, cb2, len) {
      api.tile33(a0.byteOffset, a1.byteOffset, a2.byteOffset, b0.byteOffset, b1.byteOffset, b2.byteOffset, ca0, ca1, ca2, cb0, cb1, cb2, len, 0);
      return sums;
    },
    tile33n(a0, a1, a2, b0, b1, b2, len) {
      api.tile33n(a0.byteOffset, a1.byteOffset, a2.byteOffset, b0.byteOffset, b1.byteOffset, b2.byteOffset, len, 0);
      return sums;
    },
    triangle3(a0, a1, b1, b2, ca0, ca1, cb1, cb2, len) {
      api.triangle3(a0.byteOffset, a1.byteOffset, b1.byteOffset, b2.byteOffset, ca0, ca1, cb1, cb2, len, 0);
      return sums;
    },
    diff(x, d) {
      api.diff(x.byteOffset, d.byteOffset, x.length);
    },
    sum(x, c) {
      return api.sum(x.byteOffset, x.length, c);
    },
    combine3(dst, x0, x1, x2, w0, w1, w2, base) {
      api.combine3(dst.byteOffset, x0.byteOffset, x1.byteOffset, x2.byteOffset, w0, w1, w2, dst.length, base ? 1 : 0);
    },
  };
}
