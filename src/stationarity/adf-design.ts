/**
 * The Augmented Dickey-Fuller regression design and its nested-model fast path.
 * Internal to the stationarity area: {@link adfTest} is the public entry point.
 *
 * The ADF regression with `lags` lagged differences, on the common sample t = lags … n−2
 * (d[t] = x[t+1] − x[t], T = n − 1 − lags observations), is
 *
 *     d[t] = [const, s, s²]·δ + ρ·x[t] + γ₁·d[t−1] + … + γ_lags·d[t−lags] + ε,   s = t − lags + 1,
 *
 * exactly the sample and columns statsmodels' `adfuller` uses. Every candidate model of the autolag
 * search (j = 0 … maxlag lagged differences, all on the sample of the largest one) is a leading
 * block of columns of one design, so one Cholesky factor of the augmented cross-product matrix
 * [X y]ᵀ[X y] gives every candidate's RSS and the t value of its last column:
 * with L the Cholesky factor and z = L[y, ·], RSS_k = L[y,y]² + Σ_{i ≥ k} zᵢ², t_last(k) = z_{k−1}/√(RSS_k/(T−k)).
 *
 * The lagged-difference block is a sliding-window Gram matrix: A(i+1, j+1) = A(i, j) + e[T₀−1−i]e[T₀−1−j]
 * − e[T₁−i]e[T₁−j], so it costs O(T·K) for its first row and O(K²) for the rest; the deterministic
 * and level columns cost O(T·K) by direct dot products. Total O(T·K + K³) instead of statsmodels'
 * O(T·K³) (one SVD per candidate).
 *
 * Conditioning: when the model has a constant, the level column is shifted by its mean, the
 * differences by theirs, and the trend columns are centred (s − s̄, (s − s̄)² − mean), which leaves the
 * column space, the RSS and the level coefficient unchanged but removes the 1e5-level-next-to-a-constant
 * cancellation; the matrix is then equilibrated to a unit diagonal before the Cholesky factorisation.
 */
import type { Regression } from "./mackinnon";

/** Number of deterministic columns for each regression. */
export function trendCount(regression: Regression): number {
  return regression === "n" ? 0 : regression.length;
}

/** Equilibrated augmented cross-product matrix of an ADF design and what is needed to undo the scaling. */
export interface AdfGram {
  /** Order P = ntrend + 1 + lags + 1 (the last row/column is the response). Row-major P×P, unit diagonal. */
  gram: Float64Array;
  /** P. */
  order: number;
  /** Sum of squares of the (shifted) response column (the scale of the RSS). */
  yScale: number;
  /** Observations in the common sample, T = n − 1 − lags. */
  nobs: number;
  /** Number of deterministic columns. */
  ntrend: number;
  /** Number of lagged differences. */
  lags: number;
  /** Index of the first column whose raw sum of squares is zero, or −1. */
  zeroColumn: number;
}

/**
 * Builds the ADF design's augmented cross-product matrix with `lags` lagged differences (see module docs).
 * O(T·lags + lags²). `x` must be finite with length ≥ lags + 2.
 */
export function adfGram(x: Float64Array, regression: Regression, lags: number): AdfGram {
  const n = x.length;
  const m = n - 1; // number of differences
  const T = m - lags;
  const ntrend = trendCount(regression);
  const hasConst = regression !== "n";
  const P = ntrend + 1 + lags + 1;
  // Shifted differences e[i] = d[i] − cd (cd = 0 without a constant).
  const e = scratch(0, m); // module scratch: e and level never leave this call (dots are copied out)
  let cd = 0;
  for (let i = 0; i < m; i++) {
    const v = x[i + 1] - x[i];
    e[i] = v;
    cd += v;
  }
  cd = hasConst ? cd / m : 0;
  if (cd !== 0) for (let i = 0; i < m; i++) e[i] -= cd;
  // Dense "special" columns over the sample: deterministic terms then the level.
  const special: Float64Array[] = [];
  if (hasConst) special.push(ones(T));
  if (ntrend >= 2) {
    const c = (T + 1) / 2;
    const col = new Float64Array(T);
    for (let s = 0; s < T; s++) col[s] = s + 1 - c;
    special.push(col);
  }
  if (ntrend >= 3) {
    const c = (T + 1) / 2;
    const col = new Float64Array(T);
    let mean = 0;
    for (let s = 0; s < T; s++) {
      const u = s + 1 - c;
      col[s] = u * u;
      mean += u * u;
    }
    mean /= T;
    for (let s = 0; s < T; s++) col[s] -= mean;
    special.push(col);
  }
  const level = scratch(1, T);
  let cx = 0;
  if (hasConst) {
    for (let s = 0; s < T; s++) cx += x[lags + s];
    cx /= T;
  }
  // Σ level and Σ level² in the same pass (the same sums, in the same order, as their own dot-product loops).
  let levelSum = 0;
  let levelSquares = 0;
  for (let s = 0; s < T; s++) {
    const v = x[lags + s] - cx;
    level[s] = v;
    levelSum += v;
    levelSquares += v * v;
  }
  special.push(level);
  const S = special.length; // ntrend + 1
  const g = new Float64Array(P * P);
  // Column index of lag j (j = 0 is the response d[t]): lag j ≥ 1 → S + j − 1; response → P − 1.
  const lagIndex = (j: number): number => (j === 0 ? P - 1 : S + j - 1);
  // special × special (const·const = T exactly, const·level = Σ level, level·level = Σ level²)
  for (let a = 0; a < S; a++) {
    for (let b = a; b < S; b++) {
      const u = special[a];
      const v = special[b];
      let s = 0;
      if (b === S - 1 && a === S - 1) s = levelSquares;
      else if (hasConst && a === 0 && b === 0) s = T;
      else if (hasConst && a === 0 && b === S - 1) s = levelSum;
      else for (let i = 0; i < T; i++) s += u[i] * v[i];
      g[a * P + b] = s;
      g[b * P + a] = s;
    }
  }
  // special × lag j (Σ_s u[s]·e[lags + s − j]) and the first row of the lag × lag block (u = e[lags + s]): one fused
  // pass per two left vectors and four shifts (see shiftedDots); each sum keeps its sequential order, so the
  // numbers are those of one plain dot product per entry.
  const K1 = lags + 1;
  const left = [...special, e.subarray(lags, lags + T)];
  const dots = shiftedDots(left, e, lags, T);
  for (let a = 0; a < S; a++) {
    for (let j = 0; j <= lags; j++) {
      const v = dots[a * K1 + j];
      const q = lagIndex(j);
      g[a * P + q] = v;
      g[q * P + a] = v;
    }
  }
  // lag × lag: first row from the fused pass, the rest by the sliding-window recurrence.
  const A = new Float64Array(K1 * K1);
  for (let j = 0; j <= lags; j++) A[j] = dots[S * K1 + j];
  const t0 = lags; // first t of the sample
  const t1 = m - 1; // last t
  for (let i = 0; i < lags; i++) {
    for (let j = i; j < lags; j++) {
      A[(i + 1) * K1 + (j + 1)] = A[i * K1 + j] + e[t0 - 1 - i] * e[t0 - 1 - j] - e[t1 - i] * e[t1 - j];
    }
  }
  for (let i = 0; i <= lags; i++) {
    for (let j = i; j <= lags; j++) {
      const v = A[i * K1 + j];
      const qi = lagIndex(i);
      const qj = lagIndex(j);
      g[qi * P + qj] = v;
      g[qj * P + qi] = v;
    }
  }
  // Equilibrate to a unit diagonal.
  let zeroColumn = -1;
  const scale = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const d = g[i * P + i];
    if (!(d > 0) && zeroColumn < 0) zeroColumn = i;
    scale[i] = d > 0 ? 1 / Math.sqrt(d) : 0;
  }
  const yScale = g[P * P - 1];
  for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) g[i * P + j] *= scale[i] * scale[j];
  return { gram: g, order: P, yScale, nobs: T, ntrend, lags, zeroColumn };
}

/** A shared read-only column of `T` ones (the constant), grown on demand: no allocation per design. */
let onesBuffer = new Float64Array(0);
function ones(T: number): Float64Array {
  if (onesBuffer.length < T) onesBuffer = new Float64Array(Math.max(T, 2 * onesBuffer.length)).fill(1);
  return onesBuffer.subarray(0, T);
}

/** Two reusable work buffers (differences, level) so a design allocates only its small outputs. */
const scratchBuffers = [new Float64Array(0), new Float64Array(0)];
function scratch(slot: 0 | 1, length: number): Float64Array {
  if (scratchBuffers[slot].length < length) scratchBuffers[slot] = new Float64Array(Math.max(length, 2 * scratchBuffers[slot].length));
  return scratchBuffers[slot].subarray(0, length);
}

/**
 * D[r·(lags+1) + j] = Σ_{i<T} left[r][i]·e[lags − j + i] for every left vector r and shift j = 0 … lags, each
 * sum accumulated in order i = 0 … T−1 (bit-identical to one plain loop per entry). Register-blocked: two left
 * vectors × four shifts per pass over the data (six loads feed eight products in eight independent sums), which
 * removes the add-latency chain of a single dot product and most of the loads. O(T·rows·(lags+1)).
 */
export function shiftedDots(left: readonly Float64Array[], e: Float64Array, lags: number, T: number): Float64Array {
  const rows = left.length;
  const K1 = lags + 1;
  const out = new Float64Array(rows * K1);
  if (rows === 3) {
    threeRowDots(left[0], left[1], left[2], e, lags, T, out);
    return out;
  }
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const u = left[r], v = left[r + 1];
    let j = 0;
    for (; j + 3 <= lags; j += 4) {
      const o = lags - j;
      let u0 = 0, u1 = 0, u2 = 0, u3 = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0;
      for (let i = 0; i < T; i++) {
        const a = u[i], b = v[i];
        const k = o + i;
        const e0 = e[k], e1 = e[k - 1], e2 = e[k - 2], e3 = e[k - 3];
        u0 += a * e0; u1 += a * e1; u2 += a * e2; u3 += a * e3;
        v0 += b * e0; v1 += b * e1; v2 += b * e2; v3 += b * e3;
      }
      const ru = r * K1 + j, rv = ru + K1;
      out[ru] = u0; out[ru + 1] = u1; out[ru + 2] = u2; out[ru + 3] = u3;
      out[rv] = v0; out[rv + 1] = v1; out[rv + 2] = v2; out[rv + 3] = v3;
    }
    for (; j <= lags; j++) {
      const o = lags - j;
      let su = 0, sv = 0;
      for (let i = 0; i < T; i++) {
        const w = e[o + i];
        su += u[i] * w;
        sv += v[i] * w;
      }
      out[r * K1 + j] = su;
      out[(r + 1) * K1 + j] = sv;
    }
  }
  if (r < rows) {
    const u = left[r];
    let j = 0;
    for (; j + 3 <= lags; j += 4) {
      const o = lags - j;
      let u0 = 0, u1 = 0, u2 = 0, u3 = 0;
      for (let i = 0; i < T; i++) {
        const a = u[i];
        const k = o + i;
        u0 += a * e[k]; u1 += a * e[k - 1]; u2 += a * e[k - 2]; u3 += a * e[k - 3];
      }
      const ru = r * K1 + j;
      out[ru] = u0; out[ru + 1] = u1; out[ru + 2] = u2; out[ru + 3] = u3;
    }
    for (; j <= lags; j++) {
      const o = lags - j;
      let s = 0;
      for (let i = 0; i < T; i++) s += u[i] * e[o + i];
      out[r * K1 + j] = s;
    }
  }
  return out;
}

/**
 * {@link shiftedDots} for three left vectors (a design with a constant: const, level, response), three shifts per
 * pass: nine independent sums from six loads, so the three rows cost one pass per three shifts instead of a pair
 * pass plus a single-row pass per four. Same sums in the same order. O(3·T·(lags+1)).
 */
function threeRowDots(u: Float64Array, v: Float64Array, w: Float64Array, e: Float64Array, lags: number, T: number, out: Float64Array): void {
  const K1 = lags + 1;
  let j = 0;
  for (; j + 2 <= lags; j += 3) {
    const o = lags - j;
    let u0 = 0, u1 = 0, u2 = 0, v0 = 0, v1 = 0, v2 = 0, w0 = 0, w1 = 0, w2 = 0;
    for (let i = 0; i < T; i++) {
      const a = u[i], b = v[i], c = w[i];
      const k = o + i;
      const e0 = e[k], e1 = e[k - 1], e2 = e[k - 2];
      u0 += a * e0; u1 += a * e1; u2 += a * e2;
      v0 += b * e0; v1 += b * e1; v2 += b * e2;
      w0 += c * e0; w1 += c * e1; w2 += c * e2;
    }
    out[j] = u0; out[j + 1] = u1; out[j + 2] = u2;
    out[K1 + j] = v0; out[K1 + j + 1] = v1; out[K1 + j + 2] = v2;
    out[2 * K1 + j] = w0; out[2 * K1 + j + 1] = w1; out[2 * K1 + j + 2] = w2;
  }
  for (; j <= lags; j++) {
    const o = lags - j;
    let su = 0, sv = 0, sw = 0;
    for (let i = 0; i < T; i++) {
      const x = e[o + i];
      su += u[i] * x;
      sv += v[i] * x;
      sw += w[i] * x;
    }
    out[j] = su;
    out[K1 + j] = sv;
    out[2 * K1 + j] = sw;
  }
}

/**
 * In-place lower Cholesky factorisation of a row-major P×P symmetric matrix with unit diagonal.
 * Pivots are the squared diagonal of L before the square root: each is 1 − R² of that column on the preceding
 * ones. Returns the smallest pivot of the first P − 1 columns (the regressors), the last pivot (the response:
 * RSS/‖y‖²), and the first column whose pivot is ≤ `tol` (the factorisation stops there), or −1. O(P³/3).
 */
export function choleskyInPlace(g: Float64Array, P: number, tol: number): { minPivot: number; lastPivot: number; failedAt: number } {
  let minPivot = Infinity;
  for (let j = 0; j < P; j++) {
    const rj = j * P;
    let d = g[rj + j];
    for (let k = 0; k < j; k++) d -= g[rj + k] * g[rj + k];
    if (j < P - 1 && d < minPivot) minPivot = d;
    if (!(d > tol)) return { minPivot: Math.min(minPivot, d), lastPivot: j === P - 1 ? d : NaN, failedAt: j };
    const ljj = Math.sqrt(d);
    g[rj + j] = ljj;
    for (let i = j + 1; i < P; i++) {
      const ri = i * P;
      let s = g[ri + j];
      for (let k = 0; k < j; k++) s -= g[ri + k] * g[rj + k];
      g[ri + j] = s / ljj;
    }
  }
  const last = g[P * P - 1];
  return { minPivot, lastPivot: last * last, failedAt: -1 };
}

/** One candidate of the autolag search. */
export interface LagCandidate {
  /** Number of lagged differences. */
  lag: number;
  /** Residual sum of squares on the common sample. */
  rss: number;
  /** Akaike information criterion as statsmodels' OLS computes it: −2·llf + 2k. */
  aic: number;
  /** Bayesian information criterion: −2·llf + ln(T)·k. */
  bic: number;
  /** t value of the last column (the highest lag; the level when lag = 0). */
  tLast: number;
}

/** Gaussian log-likelihood of an OLS fit with `rss` over `nobs` observations (statsmodels' formula). */
export function olsLogLikelihood(rss: number, nobs: number): number {
  const nobs2 = nobs / 2;
  return -Math.log(rss) * nobs2 - (1 + Math.log(Math.PI / nobs2)) * nobs2;
}

/**
 * Every candidate model of the autolag search from one factorisation (see module docs).
 * `factor` is the Cholesky factor of an {@link adfGram} with lags = maxlag. O(K²).
 */
export function nestedCandidates(gram: AdfGram, factor: Float64Array): LagCandidate[] {
  const P = gram.order;
  const T = gram.nobs;
  const yRow = (P - 1) * P;
  const lyy = factor[yRow + P - 1];
  // tail[k] = Σ_{i ≥ k} z_i² + L_yy², for k = 0 … P − 1.
  const tail = new Float64Array(P);
  tail[P - 1] = lyy * lyy;
  for (let i = P - 2; i >= 0; i--) tail[i] = tail[i + 1] + factor[yRow + i] * factor[yRow + i];
  const out: LagCandidate[] = [];
  for (let lag = 0; lag <= gram.lags; lag++) {
    const k = gram.ntrend + 1 + lag;
    const rssScaled = tail[k];
    const rss = rssScaled * gram.yScale;
    const llf = olsLogLikelihood(rss, T);
    const tLast = factor[yRow + k - 1] / Math.sqrt(rssScaled / (T - k));
    out.push({ lag, rss, aic: -2 * llf + 2 * k, bic: -2 * llf + Math.log(T) * k, tLast });
  }
  return out;
}
