import { crossProducts, symmetricProducts, upperCrossProducts } from "./cross-products";
import type { WasmKernels } from "./wasm-kernels";

/**
 * The moment (Gram) matrix of the columns of statsmodels' Johansen regressions, from shifted moments. Internal to
 * {@link johansenTest}.
 *
 * Columns, on the sample s = 0 … T−1 (T = n − 1 − k), in this order (blocks of m, one column per series):
 * block b < k: the lagged difference Δu_{s+k−1−b} (lag b + 1); block k: Δu_{s+k}; block k + 1: the level u_{s+1}
 * (statsmodels' `lx` convention). With `demean`, every column is centred on its sample mean (Σab − T·ā·b̄).
 *
 * Instead of the p² / 2 products of all p = m·(k + 2) columns at every row, it computes only
 *   A_h = Σ_t Δu_t·Δu_{t−h}ᵀ (h = 0 … k, over all differences),  P = Σ_t u_t·Δu_tᵀ,  Q = Σ_{s} u_{s+1}·u_{s+1}ᵀ
 * with P's diagonal and lower triangle from the telescoping identity P + Pᵀ = u_{n−1}·u_{n−1}ᵀ − u_0·u_0ᵀ − A_0
 * (m·(m + 1) + m²·k + m·(m − 1)/2 products per row instead of p·(p + 1)/2: 24 instead of 45 for m = 3, k = 1;
 * 129 instead of 300 for m = 6, k = 2) and derives
 * every block exactly:
 * - a difference block pair at offsets o₁ ≥ o₂ is A_{o₁−o₂} minus the boundary rows outside its window;
 * - a level × difference block at offset o uses u_{s+1} = u_{s+o} − Σ_{i=1}^{o−1} Δu_{s+o−i} (o ≥ 1), or
 *   u_{s+1} = u_s + Δu_s (o = 0), i.e. P's window minus difference moments.
 * The boundary corrections are O(k) rows of m² products each; no cancellation beyond that of the plain sums.
 *
 * @param levels - the (detrended) levels before centring, m series of length n; u_t = levels[t] − shift (the
 *   centring is applied in registers by the kernels, so 1e5 price levels are multiplied as small numbers).
 * @param shift - the centring constant per series (its mean, or 0 where statsmodels does not demean).
 * @param d - the differences d_t = u_{t+1} − u_t, length n − 1.
 * @param levelSums - Σ_{t=1}^{T} u_t per series (the level columns' sums), used when `demean`.
 * @param w - WebAssembly SIMD kernels whose memory holds `levels` and `d` (their 3-column tiles run there), or null.
 * @returns row-major p × p matrix. O(n·m²·(k + 3) + k³·m²).
 */
export function johansenMoments(
  levels: readonly Float64Array[], shift: Float64Array, d: readonly Float64Array[], k: number, demean: boolean, levelSums: Float64Array,
  w: WasmKernels | null = null,
): Float64Array {
  const m = levels.length;
  const nd = d[0].length;
  const T = nd - k;
  const mm = m * m;
  // A_h[i][j] = Σ_{t=h}^{nd−1} d^i_t·d^j_{t−h}
  const a: Float64Array[] = [];
  for (let h = 0; h <= k; h++) {
    const ah = new Float64Array(mm);
    if (h === 0) symmetricProducts(d, nd, ah, 0, m, undefined, w);
    else crossProducts(d.map((c) => c.subarray(h)), d, nd - h, ah, 0, m, undefined, undefined, w);
    a.push(ah);
  }
  // P[i][j] = Σ_{t=0}^{nd−1} u^i_t·d^j_t. Only i < j is summed: u_{t+1}u_{t+1}ᵀ − u_t·u_tᵀ = u_t·d_tᵀ + d_t·u_tᵀ + d_t·d_tᵀ
  // telescopes to P + Pᵀ = u_{nd}·u_{nd}ᵀ − u_0·u_0ᵀ − A_0, which gives the diagonal and the lower triangle.
  const pFull = new Float64Array(mm);
  upperCrossProducts(levels, d, nd, pFull, 0, m, shift, undefined, w);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const sym = (levels[i][nd] - shift[i]) * (levels[j][nd] - shift[j]) - (levels[i][0] - shift[i]) * (levels[j][0] - shift[j]) - a[0][i * m + j];
      pFull[i * m + j] = i === j ? sym / 2 : sym - pFull[j * m + i];
    }
  }

  const blocks = k + 2;
  const p = m * blocks;
  const g = new Float64Array(p * p);
  const wa = new Float64Array(mm);
  const wb = new Float64Array(mm);
  // Difference × difference blocks.
  for (let b1 = 0; b1 <= k; b1++) {
    for (let b2 = b1; b2 <= k; b2++) {
      const o1 = offset(b1, k), o2 = offset(b2, k);
      if (o1 >= o2) putBlock(g, p, m, b1, b2, ddWindow(a[o1 - o2], d, m, nd, o1 - o2, o1, o1 + T - 1, wa), false);
      else putBlock(g, p, m, b1, b2, ddWindow(a[o2 - o1], d, m, nd, o2 - o1, o2, o2 + T - 1, wa), true);
    }
  }
  // Level × difference blocks: Σ_s u_{s+1}·d_{s+o}ᵀ.
  const lb = k + 1;
  for (let b = 0; b <= k; b++) {
    const o = offset(b, k);
    if (o === 0) {
      udWindow(pFull, levels, shift, d, m, nd, 0, T - 1, wa);
      const dd = ddWindow(a[0], d, m, nd, 0, 0, T - 1, wb);
      for (let e = 0; e < mm; e++) wa[e] += dd[e];
    } else {
      udWindow(pFull, levels, shift, d, m, nd, o, o + T - 1, wa);
      for (let i = 1; i < o; i++) {
        const dd = ddWindow(a[i], d, m, nd, i, o, o + T - 1, wb); // dd[j][r] = Σ_t d^j_t·d^r_{t−i}
        for (let r = 0; r < m; r++) for (let j = 0; j < m; j++) wa[r * m + j] -= dd[j * m + r];
      }
    }
    putBlock(g, p, m, lb, b, wa, false);
  }
  // Level × level.
  symmetricProducts(levels.map((c) => c.subarray(1, 1 + T)), T, g, lb * m * p + lb * m, p, shift, w);
  if (demean) {
    // Mean of a difference window [o, o + T − 1] = (u_{o+T} − u_o) / T (telescoping); level means from levelSums.
    const means = new Float64Array(p);
    for (let b = 0; b <= k; b++) {
      const o = offset(b, k);
      for (let j = 0; j < m; j++) means[b * m + j] = (levels[j][o + T] - levels[j][o]) / T;
    }
    for (let j = 0; j < m; j++) means[lb * m + j] = levelSums[j] / T;
    for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) g[r * p + c] -= T * means[r] * means[c];
  }
  return g;
}

/** The column block b's offset: the lagged differences (b < k) are Δu_{s+k−1−b}, block k is Δu_{s+k}. */
function offset(b: number, k: number): number {
  return b < k ? k - 1 - b : k;
}

/** out = Σ_{t=lo}^{hi} d_t·d_{t−h}ᵀ: a_h (all rows t ≥ h) without the rows outside [lo, hi] (h ≤ lo, hi ≤ nd − 1). */
function ddWindow(ah: Float64Array, d: readonly Float64Array[], m: number, nd: number, h: number, lo: number, hi: number, out: Float64Array): Float64Array {
  out.set(ah);
  for (let t = h; t < nd; t++) {
    if (t === lo) t = hi + 1;
    if (t >= nd) break;
    for (let i = 0; i < m; i++) {
      const di = d[i][t];
      for (let j = 0; j < m; j++) out[i * m + j] -= di * d[j][t - h];
    }
  }
  return out;
}

/** out = Σ_{t=lo}^{hi} u_t·d_tᵀ (u = levels − shift): pFull (all rows) without the rows outside [lo, hi]. */
function udWindow(
  pFull: Float64Array, levels: readonly Float64Array[], shift: Float64Array, d: readonly Float64Array[], m: number, nd: number, lo: number, hi: number,
  out: Float64Array,
): Float64Array {
  out.set(pFull);
  for (let t = 0; t < nd; t++) {
    if (t === lo) t = hi + 1;
    if (t >= nd) break;
    for (let i = 0; i < m; i++) {
      const ui = levels[i][t] - shift[i];
      for (let j = 0; j < m; j++) out[i * m + j] -= ui * d[j][t];
    }
  }
  return out;
}

/** Writes the m × m block (b1, b2) of the p × p matrix g from w (transposed when `transpose`) and its mirror (b2, b1). */
function putBlock(g: Float64Array, p: number, m: number, b1: number, b2: number, w: Float64Array, transpose: boolean): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const v = transpose ? w[j * m + i] : w[i * m + j];
      g[(b1 * m + i) * p + b2 * m + j] = v;
      g[(b2 * m + j) * p + b1 * m + i] = v;
    }
  }
}
