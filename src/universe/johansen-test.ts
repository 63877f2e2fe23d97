import { DegenerateInputError, InsufficientDataError, NonFiniteInputError, parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike, assertInteger, assertOneOf } from "../validate";
import { johansenMoments } from "./johansen-moments";
import { createWasmKernels, type WasmKernels } from "./wasm-kernels";
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
  /**
   * Where the moment sums run: "auto" (default) WebAssembly SIMD when the engine has it, else JS; "js" forces the
   * JS kernels (the two agree to rounding: the SIMD sums add even and odd rows separately).
   */
  kernels?: "auto" | "js";
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
const KERNELS: readonly ("auto" | "js")[] = ["auto", "js"];
/** A relative Cholesky pivot (1 − R² of a column on the previous ones) below this is treated as collinear. */
const COLLINEAR = 1e-12;

/**
 * Johansen's cointegration rank test (trace and maximum eigenvalue), identical to statsmodels 0.13.5
 * `coint_johansen(endog, det_order, k_ar_diff)` in eigenvalues, eigenvectors (up to the sign of vectors 1 …, see
 * `eigenvectors`), statistics and critical values, plus the rank chosen at 5 %, the basket weights and the spread.
 *
 * Algorithm (statsmodels' steps): detrend the levels (detOrder 0: demean; 1: remove an OLS line on
 * linspace(−1, 1)); Δy_t and the levels y_{t−k} (statsmodels' lag convention) are regressed on the k lagged
 * differences (all demeaned when detOrder ≥ 0); the residual moment matrices S₀₀, S₀ₖ, Sₖₖ come from the moment
 * (Gram) matrix of all those columns and a Schur complement (Cholesky) instead of statsmodels' pseudo-inverse; the
 * generalized symmetric eigenproblem S_k0·S₀₀⁻¹·S_0k·v = λ·Sₖₖ·v is reduced by the Cholesky factor of Sₖₖ to a
 * symmetric one solved by Jacobi rotations. Critical values: MacKinnon, Haug & Michelis (1999) via LeSage's tables
 * (≤ 12 series). The moment matrix is built from one read of each series plus a few passes over its differences:
 * the lagged columns are shifts of one difference series, so only the autocovariances Σ Δy_t·Δy_{t−h}ᵀ
 * (h = 0 … k), the level × difference and level × level moments are summed, and every block is derived exactly from
 * them with boundary-row corrections (see johansenMoments); demeaning is Σab − T·ā·b̄ with the levels centred on
 * their mean in registers (no cancellation at price levels of 1e5).
 * Time O(n·m²·(k + 2.5)) for m series of length n, plus O(m³·k³) for the small algebra.
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
  assertOneOf(WHAT, "kernels", options.kernels ?? "auto", KERNELS);
  const demean = detOrder >= 0;
  const T = n - 1 - k;
  const regressors = m * k + (demean ? 1 : 0);
  const needed = k + 2 + regressors + m;
  if (n < needed) {
    throw new InsufficientDataError(WHAT, needed, n, `${m} series with kArDiff ${k} and detOrder ${detOrder} need more observations than regressors`);
  }

  // 1. Per series: its differences, its centring (or trend) and the level window's sum, checked finite. With
  // WebAssembly SIMD the levels and differences live in the kernels' memory (copied in: a memcpy; differenced,
  // centred and summed there in one pass; detOrder 1 writes its detrended levels there), else in one JS buffer, the
  // JS kernels centring the raw levels in registers.
  const raw = series.map((x) => (x instanceof Float64Array ? x : Float64Array.from(x)));
  const levels: Float64Array[] = [];
  const diffs: Float64Array[] = [];
  const shift = new Float64Array(m);
  /** The centring constants already subtracted from `levels` in memory (WebAssembly path); `shift` is then 0. */
  const centring = new Float64Array(m);
  const levelSums = new Float64Array(m);
  const w = options.kernels === "js" ? null : createWasmKernels(m * (2 * n - 1) + n, 2 * m + 1);
  if (w !== null) {
    for (let j = 0; j < m; j++) {
      const u = w.alloc(n);
      const d = w.alloc(n - 1);
      if (detOrder === 1) {
        shift[j] = prepareSeries(raw[j], detOrder, j, T, d, u, levelSums);
      } else {
        // Copied in (a memcpy), then differenced, centred in place (detOrder 0; −1 is not centred, as in
        // statsmodels) and summed in one pass: the product kernels multiply the centred levels as stored, the
        // moments are demeaned exactly from the sums (Σab − T·ā·b̄), and the spread adds Σ wⱼ·cⱼ back. The centre is
        // the mean of 16 evenly spaced values (no pass for the exact mean): the closer to the mean, the less the
        // demeaning cancels (centred on x[0], a drifting walk lost ~2 digits: eigenvalues 2.7e-12·λ₀ off).
        const x = raw[j];
        u.set(x);
        const c = detOrder === 0 ? sampledMean(x) : 0;
        const total = w.centreDiff(u, d, c);
        if (!Number.isFinite(total) || !Number.isFinite(c)) throw nonFinite(x, j);
        // Σ_{t=1}^{T} u_t: the total without u_0 and the k + 1 values after the window.
        let window = total - u[0];
        for (let t = T + 1; t < n; t++) window -= u[t];
        levelSums[j] = window;
        centring[j] = c;
      }
      levels.push(u);
      diffs.push(d);
    }
  } else {
    const buffer = new Float64Array(m * (n - 1) + (detOrder === 1 ? m * n : 0));
    for (let j = 0; j < m; j++) {
      const d = buffer.subarray(j * (n - 1), (j + 1) * (n - 1));
      const u = detOrder === 1 ? buffer.subarray(m * (n - 1) + j * n, m * (n - 1) + (j + 1) * n) : null;
      shift[j] = prepareSeries(raw[j], detOrder, j, T, d, u, levelSums);
      levels.push(u ?? raw[j]);
      diffs.push(d);
    }
  }
  // 2. The moment matrix of the columns [lagged differences, differences, levels], demeaned when detOrder ≥ 0
  // (statsmodels' detrend(·, 0) of z, Δy and the levels), from shifted moments (johansenMoments).
  const p = m * (k + 2);
  const g = johansenMoments(levels, shift, diffs, k, demean, levelSums, w);
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
  const y1 = sk0.slice();
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
  const weights = new Float64Array(m);
  for (let j = 0; j < m; j++) weights[j] = v0[j] / v0[0];
  // Σⱼ wⱼ·xⱼ[t], added in the order j = 0 … m−1 at every t. With the WebAssembly kernels (the levels in their memory,
  // centred on cⱼ) it is Σⱼ wⱼ·cⱼ + Σⱼ wⱼ·(xⱼ[t] − cⱼ), six series a pass there, then one copy out; else JS passes
  // over the input levels.
  let base = 0;
  for (let j = 0; j < m; j++) base += weights[j] * centring[j];
  const spread = w !== null && detOrder !== 1 ? basketSpread(levels, weights, base, n, w) : basketSpread(raw, weights, 0, n, null);
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

/**
 * base + Σⱼ weights[j]·x[j][t] for every t, series added in order: in `w`'s memory when given, six series a pass (x
 * holds levels centred on c_j there, and base = Σⱼ weights[j]·c_j), else in JS, three a pass. O(n·m).
 */
function basketSpread(x: readonly Float64Array[], weights: Float64Array, base: number, n: number, w: WasmKernels | null): Float64Array {
  const m = x.length;
  if (w !== null) {
    const spread = w.alloc(n);
    for (let j = 0; j < m; j += 6) w.combine(spread, x.slice(j, j + 6), weights.subarray(j, j + 6), base, j > 0);
    return spread.slice();
  }
  const spread = new Float64Array(n);
  for (let j = 0; j < m; j += 3) {
    const first = j === 0;
    const x0 = x[j], w0 = weights[j];
    if (j + 2 < m) {
      const x1 = x[j + 1], x2 = x[j + 2], w1 = weights[j + 1], w2 = weights[j + 2];
      if (first) for (let t = 0; t < n; t++) spread[t] = base + w0 * x0[t] + w1 * x1[t] + w2 * x2[t];
      else for (let t = 0; t < n; t++) spread[t] = spread[t] + w0 * x0[t] + w1 * x1[t] + w2 * x2[t];
    } else if (j + 1 < m) {
      const x1 = x[j + 1], w1 = weights[j + 1];
      if (first) for (let t = 0; t < n; t++) spread[t] = base + w0 * x0[t] + w1 * x1[t];
      else for (let t = 0; t < n; t++) spread[t] = spread[t] + w0 * x0[t] + w1 * x1[t];
    } else if (first) {
      for (let t = 0; t < n; t++) spread[t] = base + w0 * x0[t];
    } else {
      for (let t = 0; t < n; t++) spread[t] += w0 * x0[t];
    }
  }
  return spread;
}

/** The mean of 16 evenly spaced values of x (x[0] … x[n−1]): a centre near the mean without a pass over x. O(1). */
function sampledMean(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < 16; i++) s += x[Math.round((i * (n - 1)) / 15)];
  return s / 16;
}

/** The error for series `index` whose sum is not finite: its first non-finite value, else an overflowing sum. O(n). */
function nonFinite(x: Float64Array, index: number): Error {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return new NonFiniteInputError(WHAT, `series[${index}]`, i, x[i]);
  return parameterRangeError(WHAT, `series[${index}]`, "finite values whose sum is finite (|x| well below 1e308)", "values whose sum overflows");
}

/**
 * statsmodels' `detrend(y, order)` of series `index`, in parts: writes the differences of the detrended series into
 * `d` (d[t] = u[t+1] − u[t]); with order 1 writes the detrended levels into `u`; stores Σ_{t=1}^{T} u[t] (the level
 * window's sum) into levelSums[index]; returns the centring constant c of the levels (u = x − c: the mean for
 * order 0; 0 for −1, which statsmodels does not demean; 0 for order 1, whose `u` is centred already). Orders −1
 * and 0 take one pass (differences and the sum together); order 1 two. Sums are centred on x[0], so price levels
 * of 1e5 lose no digits in the mean or the slope. O(n).
 * @throws NonFiniteInputError naming the series and the first non-finite index.
 */
function prepareSeries(
  x: Float64Array, order: JohansenDetOrder, index: number, T: number, d: Float64Array, u: Float64Array | null, levelSums: Float64Array,
): number {
  const n = x.length;
  const x0 = x[0];
  let slope = 0;
  let tm = 0;
  let sum = 0;
  if (order === 1) {
    // τ_i = −1 + i·step; Σ(τ − τ̄)(x − x0) = Σ τ(x − x0) − τ̄·Σ(x − x0).
    const step = 2 / (n - 1);
    let st = 0, stt = 0, stx = 0;
    for (let i = 0; i < n; i++) {
      const t = -1 + i * step;
      const v = x[i] - x0;
      sum += v;
      st += t;
      stt += t * t;
      stx += t * v;
    }
    if (Number.isFinite(sum)) {
      tm = st / n;
      slope = (stx - tm * sum) / (stt - n * tm * tm);
    }
  } else {
    // Differences and Σ(x − x0) in one pass; two partial sums (one add chain per element would be latency-bound).
    let s0 = 0, s1 = 0;
    let prev = 0; // x[i] − x0
    let i = 0;
    for (; i + 2 < n; i += 2) {
      const a = x[i + 1] - x0, b = x[i + 2] - x0;
      d[i] = a - prev;
      d[i + 1] = b - a;
      s0 += a;
      s1 += b;
      prev = b;
    }
    for (i++; i < n; i++) {
      const a = x[i] - x0;
      d[i - 1] = a - prev;
      s0 += a;
      prev = a;
    }
    sum = s0 + s1;
  }
  if (!Number.isFinite(sum) || !Number.isFinite(x0)) throw nonFinite(x, index);
  const mean = x0 + sum / n;
  if (order === 1 && u !== null) {
    const step = 2 / (n - 1);
    const c = mean - slope * tm;
    let prev = x[0] - c + slope;
    u[0] = prev;
    for (let i = 1; i < n; i++) {
      const v = x[i] - c - slope * (-1 + i * step);
      u[i] = v;
      d[i - 1] = v - prev;
      prev = v;
    }
    let a0 = 0, a1 = 0;
    let t = 1;
    for (; t < T; t += 2) {
      a0 += u[t];
      a1 += u[t + 1];
    }
    if (t === T) a0 += u[t];
    levelSums[index] = a0 + a1;
    return 0;
  }
  // Σ_{t=1}^{T} (x_t − x0) = sum minus the k + 1 values after the window (x_0 − x0 = 0); then re-centred on c.
  let window = sum;
  for (let t = T + 1; t < n; t++) window -= x[t] - x0;
  const c = order === 0 ? mean : 0;
  levelSums[index] = window - T * (c - x0);
  return c;
}
