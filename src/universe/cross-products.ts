/**
 * Cross-product sums of equal-length, optionally shifted columns — Σ_t (a_i[t] − sa_i)·(b_j[t] − sb_j) — the inner
 * kernels of {@link johansenTest}'s moment matrix. Internal.
 * Register-tiled: 3 × 3 column tiles (six loads feed nine products in nine independent sums per row), 3-column
 * symmetric tiles (three loads, six products), a 3-column strict-upper-triangle tile, and 1 × 3 / 1 × 1 tiles for
 * the remainder, each a tight loop over the rows with local accumulators. Nothing is stored per row: the shifts
 * (centring price levels before they are multiplied) are applied in registers. Columns may be subarray views
 * (shifted windows of one series). O(len · |a| · |b|).
 *
 * With `w` (WebAssembly SIMD kernels, wasm-kernels.ts), columns that are views into its memory and no shifts (the
 * caller centres the columns in memory first), the sums run there instead: 2 × 4 tiles (six loads feed eight
 * products), symmetric 4-column blocks (four loads, ten products), 2 × 1 … 3 and 1 × n remainders and pairs of single
 * products, two rows per f64x2 step (four for the small kernels, whose few add chains are latency-bound); every
 * kernel keeps its sums and columns in 15 vector registers (V8 on x64 spills beyond that, which halved the speed of
 * the earlier 3 × 3 tile). Sums then add rows in two (or four) interleaved partial sums (a different rounding order,
 * same precision). With shifts the JS tiles run.
 */
import type { WasmKernels } from "./wasm-kernels";

const NO_SHIFT = new Float64Array(64);

/**
 * out[o + i·ld + j] = Σ_{t < len} (a[i][t] − sa[i])·(b[j][t] − sb[j]) for every i < a.length, j < b.length.
 * @param ld - the row stride of `out` (elements); `o` the offset of element [0][0]; sa, sb default to zeros.
 */
export function crossProducts(
  a: readonly Float64Array[], b: readonly Float64Array[], len: number, out: Float64Array, o: number, ld: number,
  sa: Float64Array = NO_SHIFT, sb: Float64Array = NO_SHIFT, w: WasmKernels | null = null,
): void {
  const ra = a.length, cb = b.length;
  if (w !== null && unshifted(sa, ra) && unshifted(sb, cb)) return wasmCross(w, a, b, len, out, o, ld);
  let i = 0;
  for (; i + 2 < ra; i += 3) {
    let j = 0;
    for (; j + 2 < cb; j += 3) {
      if (sa === NO_SHIFT && sb === NO_SHIFT) tile33(a[i], a[i + 1], a[i + 2], b[j], b[j + 1], b[j + 2], len, out, o + i * ld + j, ld);
      else tile33Shifted(a[i], a[i + 1], a[i + 2], b[j], b[j + 1], b[j + 2], sa[i], sa[i + 1], sa[i + 2], sb[j], sb[j + 1], sb[j + 2], len, out, o + i * ld + j, ld);
    }
    for (; j < cb; j++) dot3(b[j], sb[j], a[i], a[i + 1], a[i + 2], sa[i], sa[i + 1], sa[i + 2], len, out, o + i * ld + j, ld);
  }
  for (; i < ra; i++) {
    let j = 0;
    for (; j + 2 < cb; j += 3) dot3(a[i], sa[i], b[j], b[j + 1], b[j + 2], sb[j], sb[j + 1], sb[j + 2], len, out, o + i * ld + j, 1);
    for (; j < cb; j++) out[o + i * ld + j] = dot1(a[i], sa[i], b[j], sb[j], len);
  }
}

/**
 * out[o + i·ld + j] = Σ_{t < len} (c[i][t] − s[i])·(c[j][t] − s[j]) for every i, j < c.length (the symmetric Gram
 * matrix of the columns; each product is computed once and mirrored).
 */
export function symmetricProducts(
  c: readonly Float64Array[], len: number, out: Float64Array, o: number, ld: number, s: Float64Array = NO_SHIFT, w: WasmKernels | null = null,
): void {
  const p = c.length;
  if (w !== null && unshifted(s, p)) return wasmSymmetric(w, c, len, out, o, ld);
  let i = 0;
  for (; i + 2 < p; i += 3) {
    sym3(c[i], c[i + 1], c[i + 2], s[i], s[i + 1], s[i + 2], len, out, o + i * ld + i, ld);
    let j = i + 3;
    for (; j + 2 < p; j += 3) {
      if (s === NO_SHIFT) tile33(c[i], c[i + 1], c[i + 2], c[j], c[j + 1], c[j + 2], len, out, o + i * ld + j, ld);
      else tile33Shifted(c[i], c[i + 1], c[i + 2], c[j], c[j + 1], c[j + 2], s[i], s[i + 1], s[i + 2], s[j], s[j + 1], s[j + 2], len, out, o + i * ld + j, ld);
    }
    for (; j < p; j++) dot3(c[j], s[j], c[i], c[i + 1], c[i + 2], s[i], s[i + 1], s[i + 2], len, out, o + i * ld + j, ld);
  }
  if (p - i === 2) sym2(c[i], c[i + 1], s[i], s[i + 1], len, out, o + i * ld + i, ld);
  else if (p - i === 1) out[o + i * ld + i] = dot1(c[i], s[i], c[i], s[i], len);
  for (let r = 0; r < p; r++) for (let q = r + 1; q < p; q++) out[o + q * ld + r] = out[o + r * ld + q];
}

/**
 * out[o + i·ld + j] = Σ_{t < len} (a[i][t] − sa[i])·(b[j][t] − sb[j]) for i < j only (the strict upper triangle;
 * a.length = b.length). Other elements of `out` are not written.
 */
export function upperCrossProducts(
  a: readonly Float64Array[], b: readonly Float64Array[], len: number, out: Float64Array, o: number, ld: number,
  sa: Float64Array = NO_SHIFT, sb: Float64Array = NO_SHIFT, w: WasmKernels | null = null,
): void {
  const p = a.length;
  if (w !== null && unshifted(sa, p) && unshifted(sb, p)) return wasmUpper(w, a, b, len, out, o, ld);
  let i = 0;
  for (; i + 2 < p; i += 3) {
    triangle3(a[i], a[i + 1], b[i + 1], b[i + 2], sa[i], sa[i + 1], sb[i + 1], sb[i + 2], len, out, o + i * ld + i, ld);
    let j = i + 3;
    for (; j + 2 < p; j += 3) {
      if (sa === NO_SHIFT && sb === NO_SHIFT) tile33(a[i], a[i + 1], a[i + 2], b[j], b[j + 1], b[j + 2], len, out, o + i * ld + j, ld);
      else tile33Shifted(a[i], a[i + 1], a[i + 2], b[j], b[j + 1], b[j + 2], sa[i], sa[i + 1], sa[i + 2], sb[j], sb[j + 1], sb[j + 2], len, out, o + i * ld + j, ld);
    }
    for (; j < p; j++) dot3(b[j], sb[j], a[i], a[i + 1], a[i + 2], sa[i], sa[i + 1], sa[i + 2], len, out, o + i * ld + j, ld);
  }
  for (; i < p; i++) {
    let j = i + 1;
    for (; j + 2 < p; j += 3) dot3(a[i], sa[i], b[j], b[j + 1], b[j + 2], sb[j], sb[j + 1], sb[j + 2], len, out, o + i * ld + j, 1);
    for (; j < p; j++) out[o + i * ld + j] = dot1(a[i], sa[i], b[j], sb[j], len);
  }
}

function unshifted(shift: Float64Array, count: number): boolean {
  if (shift === NO_SHIFT) return true;
  for (let i = 0; i < count; i++) if (shift[i] !== 0) return false;
  return true;
}

/**
 * out[o + i·ld + j] = Σ a_i·b_j (or out[o + j·ld + i] when `transposed`): pairs of rows × quadruples of columns
 * (2 × 4 tiles), the odd last row 1 × 4; the columns left over (1 … 3) against every row are the transposed problem
 * (so 6 × 6 takes four 2 × 4 tiles and one 2 × 2, not three 2 × 4 and three 2 × 2: a kernel with few sums is
 * bound by the latency of their add chains). With fewer than four columns: 2 × 1 … 3 and 1 × 1 … 3 tiles.
 */
function wasmCross(
  w: WasmKernels, a: readonly Float64Array[], b: readonly Float64Array[], len: number, out: Float64Array, o: number, ld: number,
  transposed = false,
): void {
  const ra = a.length, cb = b.length;
  // Element (i, j) goes to out[o + i·si + j·sj].
  const si = transposed ? 1 : ld, sj = transposed ? ld : 1;
  const full = cb < 4 ? cb : cb - (cb % 4);
  const step = cb < 4 ? cb : 4;
  for (let i = 0; i < ra; i += 2) {
    const rows = a.slice(i, Math.min(i + 2, ra));
    for (let j = 0; j < full; j += step) {
      const cols = b.slice(j, j + step);
      const r = w.tile(rows, cols, len);
      for (let x = 0; x < rows.length; x++) for (let y = 0; y < step; y++) out[o + (i + x) * si + (j + y) * sj] = r[x * step + y];
    }
  }
  if (full < cb) {
    // Columns full … cb − 1 against every row: rows and columns swapped.
    const rest = b.slice(full);
    wasmCross(w, rest, a, len, out, transposed ? o + full * ld : o + full, ld, !transposed);
  }
}

/** The symmetric Gram matrix of c: 4-column diagonal blocks (sym), the blocks below them by wasmCross, mirrored. */
function wasmSymmetric(w: WasmKernels, c: readonly Float64Array[], len: number, out: Float64Array, o: number, ld: number): void {
  const p = c.length;
  for (let i = 0; i < p; i += 4) {
    const block = c.slice(i, Math.min(i + 4, p));
    const r = w.sym(block, len);
    let k = 0;
    for (let x = 0; x < block.length; x++) {
      for (let y = x; y < block.length; y++, k++) {
        out[o + (i + x) * ld + i + y] = r[k];
        out[o + (i + y) * ld + i + x] = r[k];
      }
    }
    if (i + 4 < p) {
      // Rows i + 4 … (below the block) × the block's columns, then mirrored above.
      wasmCross(w, c.slice(i + 4), block, len, out, o + (i + 4) * ld + i, ld);
      for (let x = i + 4; x < p; x++) for (let y = i; y < i + block.length; y++) out[o + y * ld + x] = out[o + x * ld + y];
    }
  }
}

/** The strict upper triangle of Σ a_i·b_j: rows in pairs (i, i + 1) × the columns right of the pair by wasmCross; the
 *  pairs' own (i, i + 1) elements are single products, summed two at a time by the diagonal kernel (dg2 runs four
 *  rows a step; dg3 and dg4 have too many columns for that and are slower than dg2 + dg1). */
function wasmUpper(w: WasmKernels, a: readonly Float64Array[], b: readonly Float64Array[], len: number, out: Float64Array, o: number, ld: number): void {
  const p = a.length;
  const singles: number[] = [];
  for (let i = 0; i + 1 < p; i += 2) {
    singles.push(i);
    if (i + 2 < p) wasmCross(w, a.slice(i, i + 2), b.slice(i + 2), len, out, o + i * ld + i + 2, ld);
  }
  for (let s = 0; s < singles.length; s += 2) {
    const batch = singles.slice(s, s + 2);
    const r = w.diagonal(batch.map((i) => a[i]), batch.map((i) => b[i + 1]), len);
    batch.forEach((i, k) => (out[o + i * ld + i + 1] = r[k]));
  }
}

/** 3 × 3 tile without shifts: nine sums and six loaded values fit the registers (with six shifts they spill). */
function tile33(
  a0: Float64Array, a1: Float64Array, a2: Float64Array, b0: Float64Array, b1: Float64Array, b2: Float64Array,
  len: number, out: Float64Array, o: number, ld: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
  for (let t = 0; t < len; t++) {
    const x0 = a0[t], x1 = a1[t], x2 = a2[t], y0 = b0[t], y1 = b1[t], y2 = b2[t];
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2;
  }
  out[o] = s00; out[o + 1] = s01; out[o + 2] = s02;
  out[o + ld] = s10; out[o + ld + 1] = s11; out[o + ld + 2] = s12;
  out[o + 2 * ld] = s20; out[o + 2 * ld + 1] = s21; out[o + 2 * ld + 2] = s22;
}

function tile33Shifted(
  a0: Float64Array, a1: Float64Array, a2: Float64Array, b0: Float64Array, b1: Float64Array, b2: Float64Array,
  ca0: number, ca1: number, ca2: number, cb0: number, cb1: number, cb2: number,
  len: number, out: Float64Array, o: number, ld: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
  for (let t = 0; t < len; t++) {
    const x0 = a0[t] - ca0, x1 = a1[t] - ca1, x2 = a2[t] - ca2, y0 = b0[t] - cb0, y1 = b1[t] - cb1, y2 = b2[t] - cb2;
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2;
  }
  out[o] = s00; out[o + 1] = s01; out[o + 2] = s02;
  out[o + ld] = s10; out[o + ld + 1] = s11; out[o + ld + 2] = s12;
  out[o + 2 * ld] = s20; out[o + 2 * ld + 1] = s21; out[o + 2 * ld + 2] = s22;
}

/** The strict upper triangle of a 3 × 3 cross tile: Σ a0·b1, Σ a0·b2, Σ a1·b2 at [0][1], [0][2], [1][2]. */
function triangle3(
  a0: Float64Array, a1: Float64Array, b1: Float64Array, b2: Float64Array, ca0: number, ca1: number, cb1: number, cb2: number,
  len: number, out: Float64Array, o: number, ld: number,
): void {
  let s01 = 0, s02 = 0, s12 = 0;
  for (let t = 0; t < len; t++) {
    const x0 = a0[t] - ca0, y2 = b2[t] - cb2;
    s01 += x0 * (b1[t] - cb1); s02 += x0 * y2; s12 += (a1[t] - ca1) * y2;
  }
  out[o + 1] = s01; out[o + 2] = s02; out[o + ld + 2] = s12;
}

/** out[o], out[o + step], out[o + 2·step] = Σ (a − ca)·(b0 − c0), Σ (a − ca)·(b1 − c1), Σ (a − ca)·(b2 − c2). */
function dot3(
  a: Float64Array, ca: number, b0: Float64Array, b1: Float64Array, b2: Float64Array, c0: number, c1: number, c2: number,
  len: number, out: Float64Array, o: number, step: number,
): void {
  let s0 = 0, s1 = 0, s2 = 0;
  for (let t = 0; t < len; t++) {
    const x = a[t] - ca;
    s0 += x * (b0[t] - c0); s1 += x * (b1[t] - c1); s2 += x * (b2[t] - c2);
  }
  out[o] = s0; out[o + step] = s1; out[o + 2 * step] = s2;
}

function dot1(a: Float64Array, ca: number, b: Float64Array, cb: number, len: number): number {
  let s0 = 0, s1 = 0;
  let t = 0;
  for (; t + 1 < len; t += 2) {
    s0 += (a[t] - ca) * (b[t] - cb);
    s1 += (a[t + 1] - ca) * (b[t + 1] - cb);
  }
  if (t < len) s0 += (a[t] - ca) * (b[t] - cb);
  return s0 + s1;
}

/** Upper triangle (with diagonal) of the 3 × 3 Gram block at out[o]. */
function sym3(a0: Float64Array, a1: Float64Array, a2: Float64Array, c0: number, c1: number, c2: number, len: number, out: Float64Array, o: number, ld: number): void {
  let s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0;
  for (let t = 0; t < len; t++) {
    const x0 = a0[t] - c0, x1 = a1[t] - c1, x2 = a2[t] - c2;
    s00 += x0 * x0; s01 += x0 * x1; s02 += x0 * x2;
    s11 += x1 * x1; s12 += x1 * x2; s22 += x2 * x2;
  }
  out[o] = s00; out[o + 1] = s01; out[o + 2] = s02;
  out[o + ld + 1] = s11; out[o + ld + 2] = s12; out[o + 2 * ld + 2] = s22;
}

function sym2(a0: Float64Array, a1: Float64Array, c0: number, c1: number, len: number, out: Float64Array, o: number, ld: number): void {
  let s00 = 0, s01 = 0, s11 = 0;
  for (let t = 0; t < len; t++) {
    const x0 = a0[t] - c0, x1 = a1[t] - c1;
    s00 += x0 * x0; s01 += x0 * x1; s11 += x1 * x1;
  }
  out[o] = s00; out[o + 1] = s01; out[o + ld + 1] = s11;
}
