import { JOHANSEN_KERNEL_ROWS, JOHANSEN_KERNELS_WASM } from "./johansen-kernels-wasm";
import { lazyWasmModule } from "../wasm-module";

/**
 * The WebAssembly SIMD (f64x2) kernels of {@link johansenTest}'s moment matrix. Internal. Columns are Float64Array
 * views into the instance's memory, handed to the kernels by byte offset (see createWasmKernels for its lifetime).
 * The product kernels take columns centred beforehand (`centreDiff`), two or four rows per step (rows summed in
 * separate lanes and partial sums, then added; the rows after the last full step are added here in JS, so the
 * kernels keep no pointer live after their loop); cross-products.ts tiles the moment matrices with them.
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
  /** Σ_{t < len} a_i[t]·b_i[t] for 1 or 2 column pairs (sums i = 0 …). */
  diagonal(a: readonly Float64Array[], b: readonly Float64Array[], len: number): Float64Array;
  /**
   * d[i] = x[i+1] − x[i] for i < x.length − 1, then x[i] ← x[i] − c for every i; returns Σ (x[i] − c) (rows in four
   * partial sums), non-finite when an x is. One pass; x and d in this memory.
   */
  centreDiff(x: Float64Array, d: Float64Array, c: number): number;
  /**
   * dst[i] = (base ? dst[i] : k) + w[0]·x[0][i] + … + w[N−1]·x[N−1][i], added left to right, for 1 ≤ N = x.length ≤ 6
   * series; length dst.length.
   */
  combine(dst: Float64Array, x: readonly Float64Array[], w: ArrayLike<number>, k: number, base: boolean): void;
}

type ProductKernel = (...pointersLenOut: number[]) => void;

interface Exports {
  memory: WebAssembly.Memory;
  /** t11 … t24, sym1 … sym4, dg1, dg2: column pointers, then len, then the output pointer. */
  [product: string]: ProductKernel | WebAssembly.Memory | ((...args: number[]) => number | void);
  centreDiff(src: number, dst: number, n: number, c: number): number;
  /** combine1 … combine6: dst, N column pointers, N weights, k, n, base. */
}

const NONE: readonly Float64Array[] = [];

/** The kernels' module, or null without WebAssembly SIMD (the JS tiles are used). */
const compile = lazyWasmModule(JOHANSEN_KERNELS_WASM);

const PAGE = 65_536;
/** Bytes reserved at the start of the memory for the kernels' sums. */
const SUMS_BYTES = 128;

/** Memory kept between calls at most (bytes): one cached instance serves calls up to this size. */
export const WASM_CACHE_BYTES = 16 * 1024 * 1024;

/** Kernels bound to one instance's current memory buffer, and the reset of their bump allocator. */
interface Binding {
  api: Exports;
  buffer: ArrayBuffer;
  kernels: WasmKernels;
  reset(): void;
}
let cached: Binding | null = null;

/**
 * Kernels with room for `doubles` doubles of columns (plus alignment), or null without WebAssembly SIMD or when the
 * memory cannot grow that far (wasm32: at most 4 GiB, engines may allow less). Calls that
 * fit in {@link WASM_CACHE_BYTES} reuse one cached instance and its bound kernels (fresh memory costs a page fault
 * per 4 KiB on first touch: ≈ 0.25 ms for 3 × 10,000 series, as much as the whole test); larger ones get their own
 * instance, freed with it. The views of a previous call are invalid after the next call (johansenTest is
 * synchronous and keeps none). O(1), plus O(doubles) when the memory grows.
 */
export function createWasmKernels(doubles: number, columns: number): WasmKernels | null {
  const module = compile();
  if (module === null) return null;
  const bytes = SUMS_BYTES + 8 * doubles + 16 * columns;
  const shared = bytes <= WASM_CACHE_BYTES;
  const api = shared && cached !== null ? cached.api : (new WebAssembly.Instance(module).exports as unknown as Exports);
  const have = api.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      api.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null; // beyond the engine's WebAssembly memory limit: the JS tiles work on ordinary arrays
    }
  }
  if (!shared) return bind(api).kernels;
  if (cached === null || cached.buffer !== api.memory.buffer) cached = bind(api);
  cached.reset();
  return cached.kernels;
}

/** The kernels over `api`'s current memory buffer (views and the sums are invalid once the memory grows). */
function bind(api: Exports): Binding {
  const buffer = api.memory.buffer;
  const sums = new Float64Array(buffer, 0, SUMS_BYTES / 8);
  let next = SUMS_BYTES;
  /** A product kernel and its rows per step. */
  interface Product {
    f: ProductKernel;
    rows: number;
  }
  const product = (name: string): Product => ({ f: api[name] as ProductKernel, rows: JOHANSEN_KERNEL_ROWS[name] });
  const tiles = [1, 2].map((na) => [1, 2, 3, 4].map((nb) => product(`t${na}${nb}`)));
  const syms = [1, 2, 3, 4].map((c) => product(`sym${c}`));
  const diagonals = [1, 2].map((c) => product(`dg${c}`));
  const combines = [1, 2, 3, 4, 5, 6].map((c) => api[`combine${c}`] as (...args: number[]) => void);
  const ptr = new Int32Array(8);
  /**
   * Calls product kernel k with the byte offsets of a, then b, then the rows it sums (len rounded down to its rows
   * per step) and the sums' offset (0); returns that row count (the methods add the rows after it). Arguments are
   * passed by count (a spread call into WebAssembly is slower).
   */
  const call = (k: Product, a: readonly Float64Array[], b: readonly Float64Array[], len: number): number => {
    let c = 0;
    for (let i = 0; i < a.length; i++) ptr[c++] = a[i].byteOffset;
    for (let i = 0; i < b.length; i++) ptr[c++] = b[i].byteOffset;
    const rows = len - (len % k.rows);
    const f = k.f;
    switch (c) {
      case 1: f(ptr[0], rows, 0); break;
      case 2: f(ptr[0], ptr[1], rows, 0); break;
      case 3: f(ptr[0], ptr[1], ptr[2], rows, 0); break;
      case 4: f(ptr[0], ptr[1], ptr[2], ptr[3], rows, 0); break;
      case 5: f(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], rows, 0); break;
      case 6: f(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], ptr[5], rows, 0); break;
      case 7: f(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], ptr[5], ptr[6], rows, 0); break;
      default: f(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], ptr[5], ptr[6], ptr[7], rows, 0);
    }
    return rows;
  };
  const kernels: WasmKernels = {
    alloc(length: number): Float64Array {
      const view = new Float64Array(buffer, next, length);
      next += Math.ceil((8 * length) / 16) * 16;
      return view;
    },
    tile(a, b, len) {
      for (let t = call(tiles[a.length - 1][b.length - 1], a, b, len); t < len; t++) {
        let k = 0;
        for (const x of a) for (const y of b) sums[k++] += x[t] * y[t];
      }
      return sums;
    },
    sym(c, len) {
      for (let t = call(syms[c.length - 1], c, NONE, len); t < len; t++) {
        let k = 0;
        for (let i = 0; i < c.length; i++) for (let j = i; j < c.length; j++) sums[k++] += c[i][t] * c[j][t];
      }
      return sums;
    },
    diagonal(a, b, len) {
      for (let t = call(diagonals[a.length - 1], a, b, len); t < len; t++) for (let i = 0; i < a.length; i++) sums[i] += a[i][t] * b[i][t];
      return sums;
    },
    centreDiff(x, d, c) {
      return api.centreDiff(x.byteOffset, d.byteOffset, x.length, c);
    },
    combine(dst, x, w, k, base) {
      const d = dst.byteOffset, n = dst.length, b = base ? 1 : 0;
      const f = combines[x.length - 1];
      switch (x.length) {
        case 1: f(d, x[0].byteOffset, w[0], k, n, b); break;
        case 2: f(d, x[0].byteOffset, x[1].byteOffset, w[0], w[1], k, n, b); break;
        case 3: f(d, x[0].byteOffset, x[1].byteOffset, x[2].byteOffset, w[0], w[1], w[2], k, n, b); break;
        case 4: f(d, x[0].byteOffset, x[1].byteOffset, x[2].byteOffset, x[3].byteOffset, w[0], w[1], w[2], w[3], k, n, b); break;
        case 5: f(d, x[0].byteOffset, x[1].byteOffset, x[2].byteOffset, x[3].byteOffset, x[4].byteOffset, w[0], w[1], w[2], w[3], w[4], k, n, b); break;
        default: f(d, x[0].byteOffset, x[1].byteOffset, x[2].byteOffset, x[3].byteOffset, x[4].byteOffset, x[5].byteOffset, w[0], w[1], w[2], w[3], w[4], w[5], k, n, b);
      }
    },
  };
  return {
    api,
    buffer,
    kernels,
    reset() {
      next = SUMS_BYTES;
    },
  };
}
