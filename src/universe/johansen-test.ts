import { DegenerateInputError, InsufficientDataError, NonFiniteInputError, parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike, assertInteger, assertOneOf } from "../validate";
import { gram } from "./gram";
import { MAX_EIG_CRITICAL, TRACE_CRITICAL } from "./johansen-tables";
import { backwardSolveTransposed, cholesky, forwardSolve, jacobiEigen } from "./symmetric-eigen";

/** Deterministic terms of {@link johansenTest}: −1 none, 0 constant, 1 linear trend (statsmodels' `det_order`). */
export type JohansenDetOrder = -1 | 0 | 1;

/** Options of {@link johansenTest}. */
export interface JohansenOptions {
  /** Deterministic terms: −1 none, 0 constant (default), 1 linear trend. */
  detOrder?: JohansenDetOrder;
  /** Lagged differences in the VECM (statsmodels' `k_ar_diff`), integer ≥ 0. Default 1. */
  kArDiff?: number;
}

/** Critical values at the 90 %, 95 % and 99 % levels. */
export interface JohansenCriticalValues {
  "90%": number;
  "95%": number;
  "99%": number;
}

/** Result of {@link johansenTest}. Index i of every per-rank array is the null hypothesis "rank ≤ i". */
export interface JohansenResult {
  /** Eigenvalues λ₀ ≥ λ₁ ≥ … in [0, 1) (statsmodels `eig`). */
  eigenvalues: Float64Array;
  /**
   * Eigenvectors, `eigenvectors[i]` = statsmodels `evec[:, i]` (one weight per series), normalised so that
   * vᵀ·S_kk·v = 1. Sign: each vector has a positive first element. statsmodels flips the whole matrix so that its
   * [0, 0] element is positive and leaves the other columns' signs as LAPACK's eigen solver returns them, so
   * vector 0 is identical and the others are equal up to sign.
   */
  eigenvectors: Float64Array[];
  /** Trace statistics −T·Σ_{j ≥ i} ln(1 − λⱼ) (statsmodels `lr1`). */
  traceStatistic: Float64Array;
  /** Maximum-eigenvalue statistics −T·ln(1 − λᵢ) (statsmodels `lr2`). */
  maxEigenStatistic: Float64Array;
  /** Trace critical values per null (statsmodels `cvt`). */
  traceCriticalValues: JohansenCriticalValues[];
  /** Maximum-eigenvalue critical values per null (statsmodels `cvm`). */
  maxEigenCriticalValues: JohansenCriticalValues[];
  /** Cointegration rank chosen at 5 % by the trace test: the first i with trace statistic < its 95 % value (m if none). */
  rank: number;
  /** The same choice by the maximum-eigenvalue test. */
  rankMaxEigen: number;
  /** Basket weights: eigenvector 0 divided by its first element (the first series has weight 1). */
  weights: Float64Array;
  /** The basket spread Σⱼ weightsⱼ·seriesⱼ on the input levels, length n (a series usable like a pair spread). */
  spread: Float64Array;
  /** Observations in the VECM regressions, T = n − 1 − kArDiff. */
  nobs: number;
  detOrder: JohansenDetOrder;
  kArDiff: number;
}

const WHAT = "Johansen test";
const DET_ORDERS: readonly JohansenDetOrder[] = [-1, 0, 1];
/** A relative Cholesky pivot (1 − R² of a column on the previous ones) below this is treated as collinear. */
const COLLINEAR = 1e-12;

/**
 * Johansen's cointegration rank test (trace and maximum eigenvalue), identical to statsmodels 0.13.5
 * `coint_johansen(endog, det_order, k_ar_diff)` in eigenvalues, eigenvectors (up to the sign of vectors 1 …, see
 * `eigenvectors`), statistics and critical values, plus the rank chosen at 5 %, the basket weights and the spread.
 *
 * Algorithm (statsmodels' steps): detrend the levels (detOrder 0: demean; 1: remove an OLS line on
 * linspace(−1, 1)); Δy_t and the levels y_{t−k} (statsmodels' lag convention) are regressed on the k lagged
 * differences (all demeaned when detOrder ≥ 0); the residual moment matrices S₀₀, S₀ₖ, Sₖₖ come from one Gram
 * matrix of all columns and a Schur complement (Cholesky) instead of statsmodels' pseudo-inverse; the generalized
 * symmetric eigenproblem S_k0·S₀₀⁻¹·S_0k·v = λ·Sₖₖ·v is reduced by the Cholesky factor of Sₖₖ to a symmetric one
 * solved by Jacobi rotations. Critical values: MacKinnon, Haug & Michelis (1999) via LeSage's tables (≤ 12 series).
 * Time O(n·m²·(k + 2)²/2 + m³) for m series of length n.
 *
 * @param series m ≥ 2 (≤ 12) series of the same length n, finite (levels, e.g. prices or log prices).
 * @param options detOrder (−1, 0, 1; default 0), kArDiff (default 1).
 * @throws TypeError / RangeError (E_PARAM) for a bad `series` list, different lengths or bad options.
 * @throws NonFiniteInputError naming series i and the first NaN index (align/fill gaps first: see openUniverse).
 * @throws InsufficientDataError when n is too short for the regressions.
 * @throws DegenerateInputError for collinear series (a series is a linear combination of the others, or of the
 *   deterministic terms) or collinear lagged differences.
 * @example
 * const r = johansenTest([btc, eth, sol], { detOrder: 0, kArDiff: 1 });
 * // r.traceStatistic[0] > r.traceCriticalValues[0]["95%"] → at least one cointegrating vector; r.rank = 1
 * // r.weights = [1, −w₁, −w₂]; r.spread = btc + w₁·eth + w₂·sol (reverts if r.rank ≥ 1)
 */
export function johansenTest(series: readonly ArrayLike<number>[], options: JohansenOptions = {}): JohansenResult {
  if (!Array.isArray(series)) throw parameterTypeError(WHAT, "series", "an array of series (arrays or typed arrays)", series);
  const m = series.length;
  if (m < 2 || m > 12) throw parameterRangeError(WHAT, "series", "a list of 2 to 12 series (critical values exist for at most 12)", series);
  for (let j = 0; j < m; j++) assertArrayLike(WHAT, `series[${j}]`, series[j]);
  const n = series[0].length;
  for (let j = 1; j < m; j++) {
    if (series[j].length !== n) throw parameterRangeError(WHAT, `series[${j}].length`, `the length of series[0] (${n})`, series[j].length);
  }
  const detOrder = options.detOrder ?? 0;
  assertOneOf(WHAT, "detOrder", detOrder, DET_ORDERS);
  const k = options.kArDiff ?? 1;
  assertInteger(WHAT, "kArDiff", k, 0, 1000);
  const demean = detOrder >= 0;
  const T = n - 1 - k;
  const regressors = m * k + (demean ? 1 : 0);
  const needed = k + 2 + regressors + m;
  if (n < needed) {
    throw new InsufficientDataError(WHAT, needed, n, `${m} series with kArDiff ${k} and detOrder ${detOrder} need more observations than regressors`);
  }

  // 1. Detrended levels (copied and checked finite in one pass).
  const levels: Float64Array[] = [];
  for (let j = 0; j < m; j++) levels.push(detrend(series[j], detOrder, j));
  // 2. Columns on the sample s = 0 … T−1: lagged differences, differences (views into one difference array per
  // series: Δy[s + o − 1] for offset o), then the levels y[s + 1]. All are demeaned through the Gram matrix
  // (Σab − T·ā·b̄: differences have small means, detrended levels a small window mean; no cancellation).
  // One pass per series: its differences and the sum of its level window y[1 … T] (in order, for the mean below).
  const levelSums = new Float64Array(m);
  const diffs = levels.map((y, j) => {
    const d = new Float64Array(n - 1);
    let acc = 0;
    for (let t = 0; t < T; t++) {
      const v = y[t + 1];
      d[t] = v - y[t];
      acc += v;
    }
    for (let t = T; t < n - 1; t++) d[t] = y[t + 1] - y[t];
    levelSums[j] = acc;
    return d;
  });
  const cols: Float64Array[] = [];
  for (let l = 1; l <= k; l++) for (let j = 0; j < m; j++) cols.push(diffs[j].subarray(k - l, k - l + T));
  for (let j = 0; j < m; j++) cols.push(diffs[j].subarray(k, k + T));
  // Level columns are views too: after detrending their window mean is small next to their spread, so the Gram
  // correction below demeans them without cancellation (detOrder −1 does not demean, as statsmodels).
  for (let j = 0; j < m; j++) cols.push(levels[j].subarray(1, 1 + T));
  const p = cols.length;
  const g = gram(cols, T);
  if (demean) {
    // Mean of a difference window = (last level − first level) / T (telescoping), O(1) per column.
    const means = new Float64Array(p);
    let a = 0;
    for (let l = 1; l <= k; l++) for (let j = 0; j < m; j++, a++) means[a] = (levels[j][T + k - l] - levels[j][k - l]) / T;
    for (let j = 0; j < m; j++, a++) means[a] = (levels[j][T + k] - levels[j][k]) / T;
    for (let j = 0; j < m; j++, a++) means[a] = levelSums[j] / T;
    for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) g[r * p + c] -= T * means[r] * means[c];
  }
  // 3. Residual moments of [Δy, levels] on the lagged differences: Schur complement of the z block.
  const q = 2 * m;
  const zk = m * k;
  const s = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) s[a * q + b] = g[(zk + a) * p + zk + b];
  if (zk > 0) {
    const zz = new Float64Array(zk * zk);
    for (let a = 0; a < zk; a++) for (let b = 0; b < zk; b++) zz[a * zk + b] = g[a * p + b];
    const { l, minRelativePivot } = cholesky(zz, zk);
    if (!(minRelativePivot > COLLINEAR)) throw new DegenerateInputError(WHAT, "series", "have collinear lagged differences: the VECM short-run regression is singular");
    const b = new Float64Array(zk * q);
    for (let a = 0; a < zk; a++) for (let c = 0; c < q; c++) b[a * q + c] = g[a * p + zk + c];
    forwardSolve(l, zk, b, q); // W = L⁻¹B; BᵀA⁻¹B = WᵀW
    for (let a = 0; a < q; a++) {
      for (let c = a; c < q; c++) {
        let acc = 0;
        for (let r = 0; r < zk; r++) acc += b[r * q + a] * b[r * q + c];
        s[a * q + c] -= acc;
        if (c !== a) s[c * q + a] = s[a * q + c];
      }
    }
  }
  const s00 = new Float64Array(m * m);
  const skk = new Float64Array(m * m);
  const sk0 = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      s00[a * m + b] = s[a * q + b] / T;
      skk[a * m + b] = s[(m + a) * q + m + b] / T;
      sk0[a * m + b] = s[(m + a) * q + b] / T;
    }
  }
  const f0 = cholesky(s00, m);
  if (!(f0.minRelativePivot > COLLINEAR)) {
    throw new DegenerateInputError(WHAT, `series[${f0.at}]`, "has differences collinear with the other series' (after the short-run regression): the series are collinear");
  }
  const fk = cholesky(skk, m);
  if (!(fk.minRelativePivot > COLLINEAR)) {
    throw new DegenerateInputError(WHAT, `series[${fk.at}]`, "is (almost) a linear combination of the other series or of the deterministic terms: the series are collinear");
  }
  // 4. C = Lk⁻¹·Sk0·L0⁻ᵀ·(…)ᵀ: with Y = Lk⁻¹·Sk0 and Aᵀ = L0⁻¹·Yᵀ, C = A·Aᵀ.
  const y1 = Float64Array.from(sk0);
  forwardSolve(fk.l, m, y1, m);
  const at = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) at[a * m + b] = y1[b * m + a];
  forwardSolve(f0.l, m, at, m);
  const c = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let acc = 0;
      for (let r = 0; r < m; r++) acc += at[r * m + a] * at[r * m + b];
      c[a * m + b] = acc;
      c[b * m + a] = acc;
    }
  }
  const { values, vectors } = jacobiEigen(c, m);
  backwardSolveTransposed(fk.l, m, vectors, m); // v = Lk⁻ᵀ·w: vᵀ·Skk·v = 1
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const eigenvalues = new Float64Array(m);
  const eigenvectors: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const col = order[i];
    eigenvalues[i] = values[col];
    const v = new Float64Array(m);
    for (let r = 0; r < m; r++) v[r] = vectors[r * m + col];
    let first = 0;
    for (let r = 0; r < m && first === 0; r++) first = v[r];
    if (first < 0) for (let r = 0; r < m; r++) v[r] = -v[r];
    eigenvectors.push(v);
  }
  // 5. Statistics, critical values, ranks.
  const traceStatistic = new Float64Array(m);
  const maxEigenStatistic = new Float64Array(m);
  const traceCriticalValues: JohansenCriticalValues[] = [];
  const maxEigenCriticalValues: JohansenCriticalValues[] = [];
  for (let i = 0; i < m; i++) {
    let acc = 0;
    for (let j = i; j < m; j++) acc += Math.log(1 - eigenvalues[j]);
    traceStatistic[i] = -T * acc;
    maxEigenStatistic[i] = -T * Math.log(1 - eigenvalues[i]);
    const ct = TRACE_CRITICAL[detOrder][m - i - 1];
    const cm = MAX_EIG_CRITICAL[detOrder][m - i - 1];
    traceCriticalValues.push({ "90%": ct[0], "95%": ct[1], "99%": ct[2] });
    maxEigenCriticalValues.push({ "90%": cm[0], "95%": cm[1], "99%": cm[2] });
  }
  let rank = m;
  for (let i = 0; i < m; i++) if (traceStatistic[i] < traceCriticalValues[i]["95%"]) { rank = i; break; }
  let rankMaxEigen = m;
  for (let i = 0; i < m; i++) if (maxEigenStatistic[i] < maxEigenCriticalValues[i]["95%"]) { rankMaxEigen = i; break; }
  const v0 = eigenvectors[0];
  const weights = Float64Array.from(v0, (v) => v / v0[0]);
  // Σⱼ wⱼ·xⱼ[t], added in the order j = 0 … m−1 at every t (one pass; the sums of a pass per series).
  const spread = new Float64Array(n);
  const raw = series.map((x) => (x instanceof Float64Array ? x : Float64Array.from(x)));
  let j = 0;
  for (; j + 1 < m; j += 2) {
    // two series per pass, added in order: (spread + w_j·x_j) + w_{j+1}·x_{j+1}
    const x0 = raw[j], x1 = raw[j + 1], w0 = weights[j], w1 = weights[j + 1];
    for (let t = 0; t < n; t++) spread[t] = spread[t] + w0 * x0[t] + w1 * x1[t];
  }
  if (j < m) {
    const x0 = raw[j], w0 = weights[j];
    for (let t = 0; t < n; t++) spread[t] += w0 * x0[t];
  }
  return {
    eigenvalues,
    eigenvectors,
    traceStatistic,
    maxEigenStatistic,
    traceCriticalValues,
    maxEigenCriticalValues,
    rank,
    rankMaxEigen,
    weights,
    spread,
    nobs: T,
    detOrder,
    kArDiff: k,
  };
}

/** statsmodels' `detrend(y, order)`: −1 copy, 0 demean, 1 residuals of an OLS line on linspace(−1, 1, n). O(n). */
function detrend(x: ArrayLike<number>, order: JohansenDetOrder, index: number): Float64Array {
  const n = x.length;
  const y = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new NonFiniteInputError(WHAT, `series[${index}]`, i, v);
    y[i] = v;
    sum += v;
  }
  if (order === -1) return y;
  // Demean (the residual rounding of the mean is removed later with every column's window mean, in the Gram).
  const mean = sum / n;
  for (let i = 0; i < n; i++) y[i] -= mean;
  if (order === 1) {
    const step = 2 / (n - 1);
    let tm = 0;
    for (let i = 0; i < n; i++) tm += -1 + i * step;
    tm /= n;
    let sty = 0, stt = 0;
    for (let i = 0; i < n; i++) {
      const t = -1 + i * step - tm;
      sty += t * y[i];
      stt += t * t;
    }
    const b = sty / stt;
    for (let i = 0; i < n; i++) y[i] -= b * (-1 + i * step - tm);
  }
  return y;
}
