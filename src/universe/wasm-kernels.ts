import { JOHANSEN_KERNELS_WASM } from "./johansen-kernels-wasm";

/**
 * The WebAssembly SIMD (f64x2) kernels of {@link johansenTest}'s moment matrix. Internal. Columns are Float64Array
 * views into the instance's memory, handed to the kernels by byte offset (see createWasmKernels for its lifetime).
 * The product kernels take columns centred beforehand (`centreDiff`), two rows per step (even and odd rows summed in
 * separate lanes, then added); cross-products.ts tiles the moment matrices with them.
 * `createWasmKernels` returns null where WebAssembly SIMD is not available; callers then use the JS tiles.
 */
export interface WasmKernels {
  /** A 16-byte-aligned view of `length` doubles in the instance's memory (bump allocation; never freed). */
  alloc(length: number): Float64Array;
  /**
   * Σ_{t < len} a_i[t]·b_j[t] for a 1 × nb or 2 × nb tile (nb = 1 … 4), row-major into the returned sums
   * (a_0·b_0, …, a_0·b_{nb−1}, a_1·b_0, …). The returned array is reused by the next call.
   */
  tile(a: readonly Float64Array[], b: readonly Float64Array[], len: number): Float64Array;
  /** Σ c_i·c_j for i ≤ j of 1 … 4 columns, in row-major upper-triangle order (00, 01, …, 11, 12, …). */
  sym(c: readonly Float64Array[], len: number): Float64Array;
  /** Σ a_i·b_i for 1 … 4 column pairs. */
  diagonal(a: readonly Float64Array[], b: readonly Float64Array[], len: number): Float64Array;
  /**
   * d[i] = x[i+1] − x[i] for i < x.length − 1, then x[i] ← x[i] − c for every i; returns Σ (x[i] − c) (even and odd
   * rows in two lanes), non-finite when an x is. One pass; x and d in this memory.
   */
  centreDiff(x: Float64Array, d: Float64Array, c: number): number;
  /** dst[i] = (base ? dst[i] : k) + w0·x0[i] + w1·x1[i] + w2·x2[i], added left to right; length dst.length. */
  combine3(dst: Float64Array, x0: Float64Array, x1: Float64Array, x2: Float64Array, w0: number, w1: number, w2: number, k: number, base: boolean): void;
}

type ProductKernel = (...pointersLenOut: number[]) => void;

interface Exports {
  memory: WebAssembly.Memory;
  /** t11 … t24, sym1 … sym4, dg1 … dg4: column pointers, then len, then the output pointer. */
  [product: string]: ProductKernel | WebAssembly.Memory | ((...args: number[]) => number | void);
  centreDiff(src: number, dst: number, n: number, c: number): number;
  combine3(dst: number, p0: number, p1: number, p2: number, w0: number, w1: number, w2: number, k: number, n: number, base: number): void;
}

const NONE: readonly Float64Array[] = [];

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
  const args: number[] = [];
  /**
   * Calls product kernel `name` with the byte offsets of a, then b, then the even row count and the sums' offset
   * (0); the methods add an odd last row.
   */
  const call = (name: string, a: readonly Float64Array[], b: readonly Float64Array[], len: number): void => {
    args.length = 0;
    for (const c of a) args.push(c.byteOffset);
    for (const c of b) args.push(c.byteOffset);
    args.push(len - (len % 2), 0);
    (api[name] as ProductKernel)(...args);
  };
  return {
    alloc(length: number): Float64Array {
      const view = new Float64Array(buffer, next, length);
      next += Math.ceil((8 * length) / 16) * 16;
      return view;
    },
    tile(a, b, len) {
      call(`t${a.length}${b.length}`, a, b, len);
      if (len % 2 === 1) {
        const t = len - 1;
        let k = 0;
        for (const x of a) for (const y of b) sums[k++] += x[t] * y[t];
      }
      return sums;
    },
    sym(c, len) {
      call(`sym${c.length}`, c, NONE, len);
      if (len % 2 === 1) {
        const t = len - 1;
        let k = 0;
        for (let i = 0; i < c.length; i++) for (let j = i; j < c.length; j++) sums[k++] += c[i][t] * c[j][t];
      }
      return sums;
    },
    diagonal(a, b, len) {
      call(`dg${a.length}`, a, b, len);
      if (len % 2 === 1) for (let i = 0; i < a.length; i++) sums[i] += a[i][len - 1] * b[i][len - 1];
      return sums;
    },
    centreDiff(x, d, c) {
      return api.centreDiff(x.byteOffset, d.byteOffset, x.length, c);
    },
    combine3(dst, x0, x1, x2, w0, w1, w2, k, base) {
      api.combine3(dst.byteOffset, x0.byteOffset, x1.byteOffset, x2.byteOffset, w0, w1, w2, k, dst.length, base ? 1 : 0);
    },
  };
}
