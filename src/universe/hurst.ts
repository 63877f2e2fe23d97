import { DegenerateInputError, InsufficientDataError } from "../errors";
import { assertAllFinite, assertArrayLike, assertInteger } from "../validate";

const WHAT = "Hurst exponent";

/** Options of {@link hurstExponent}. */
export interface HurstOptions {
  /** Lags used are 2 … maxLag − 1 bars (ArbitrageLab's `max_lags`, default 100). Integer ≥ 4. */
  maxLag?: number;
}

/**
 * Hurst exponent by the scaling of lagged differences, ArbitrageLab's estimator (`get_hurst_exponent`): for each
 * lag ℓ = 2 … maxLag − 1, σ_ℓ = population standard deviation of s[t + ℓ] − s[t]; H is the least-squares slope of
 * ln σ_ℓ on ln ℓ (ArbitrageLab fits ln √σ_ℓ and doubles the slope: the same number). H ≈ 0.5 for a random walk,
 * < 0.5 for a mean-reverting series, > 0.5 for a trending one. It is a descriptive statistic, not a test.
 *
 * Algorithm: prefix sums give Σd per lag, one pass per lag gives Σd², then a 2-parameter regression. O(n·maxLag).
 *
 * @param series the series (a spread), oldest first, finite.
 * @throws RangeError / TypeError (E_PARAM) for a bad maxLag or a non-array.
 * @throws NonFiniteInputError for NaN/±Infinity; InsufficientDataError for fewer than maxLag + 1 points;
 *   DegenerateInputError when a lagged difference is constant (σ_ℓ = 0, e.g. a constant or linear series).
 * @example
 * const noise = Array.from({ length: 2000 }, (_, i) => Math.sin(i * i));
 * hurstExponent(noise) // 0.000455 (no memory: strongly mean reverting)
 * let w = 0; hurstExponent(noise.map((v) => (w += v))) // 0.311 (its running sum: sin(i²) steps are not independent, so not 0.5)
 */
export function hurstExponent(series: ArrayLike<number>, options: HurstOptions = {}): number {
  assertArrayLike(WHAT, "series", series);
  const maxLag = options.maxLag ?? 100;
  assertInteger(WHAT, "maxLag", maxLag, 4);
  const n = series.length;
  if (n < maxLag + 1) throw new InsufficientDataError(WHAT, maxLag + 1, n, `lags 2..${maxLag - 1} need at least 2 differences each`);
  assertAllFinite(WHAT, "series", series);
  const h = hurstOf(series, maxLag);
  if (Number.isNaN(h)) throw new DegenerateInputError(WHAT, "series", "has a zero-variance lagged difference (constant or linear): the exponent is undefined");
  return h;
}

/**
 * {@link hurstExponent} on a validated series; NaN when some σ_ℓ² is 0 (≤ 1e-12 of the mean square: rounding). Σd per lag from prefix sums (O(1)), Σd² in
 * one pass with two accumulators. O(n·maxLag).
 */
export function hurstOf(s: ArrayLike<number>, maxLag: number): number {
  const n = s.length;
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) prefix[t + 1] = prefix[t] + s[t];
  // Σ_t (s[t+lag] − s[t])² for every lag, each as two sums (even t, odd t) in increasing t, as a plain loop per lag
  // would; computed four lags per pass over the data (register blocking: the same numbers, fewer loads).
  const sq = new Float64Array(2 * maxLag);
  for (let lag = 2; lag < maxLag; lag += 4) {
    const width = Math.min(4, maxLag - lag);
    if (width < 4) {
      for (let l = lag; l < maxLag; l++) squaredDifferences(s, n, l, 0, 0, 0, sq);
      break;
    }
    // Common range: pairs (t, t + 1) with t + 1 < n − (lag + 3).
    const mMin = n - lag - 3;
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0;
    let t = 0;
    for (; t + 1 < mMin; t += 2) {
      const x0 = s[t], x1 = s[t + 1];
      const p = t + lag;
      const y0 = s[p], y1 = s[p + 1], y2 = s[p + 2], y3 = s[p + 3], y4 = s[p + 4];
      let u = y0 - x0, v = y1 - x1;
      a0 += u * u; a1 += v * v;
      u = y1 - x0; v = y2 - x1;
      b0 += u * u; b1 += v * v;
      u = y2 - x0; v = y3 - x1;
      c0 += u * u; c1 += v * v;
      u = y3 - x0; v = y4 - x1;
      d0 += u * u; d1 += v * v;
    }
    squaredDifferences(s, n, lag, t, a0, a1, sq);
    squaredDifferences(s, n, lag + 1, t, b0, b1, sq);
    squaredDifferences(s, n, lag + 2, t, c0, c1, sq);
    squaredDifferences(s, n, lag + 3, t, d0, d1, sq);
  }
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  let k = 0;
  for (let lag = 2; lag < maxLag; lag++) {
    const m = n - lag;
    const sum = prefix[n] - prefix[lag] - prefix[m];
    const mean = sum / m;
    const meanSquare = (sq[2 * lag] + sq[2 * lag + 1]) / m;
    const variance = meanSquare - mean * mean;
    // Zero up to rounding (a constant or linear series): the log would be noise.
    if (!(variance > 1e-12 * meanSquare)) return NaN;
    const lx = Math.log(lag);
    const ly = 0.5 * Math.log(variance);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
    k++;
  }
  return (sxy - (sx * sy) / k) / (sxx - (sx * sx) / k);
}

/**
 * Finishes Σ (s[t+lag] − s[t])² for one lag from `t` (even) on, with the even-t and odd-t partial sums a0, a1
 * carried in, in the order of the plain loop; stores them at sq[2·lag], sq[2·lag + 1]. O(n − lag − t).
 */
function squaredDifferences(s: ArrayLike<number>, n: number, lag: number, from: number, a0: number, a1: number, sq: Float64Array): void {
  const m = n - lag;
  let t = from;
  for (; t + 1 < m; t += 2) {
    const d0 = s[t + lag] - s[t];
    const d1 = s[t + 1 + lag] - s[t + 1];
    a0 += d0 * d0;
    a1 += d1 * d1;
  }
  if (t < m) {
    const d = s[t + lag] - s[t];
    a0 += d * d;
  }
  sq[2 * lag] = a0;
  sq[2 * lag + 1] = a1;
}
