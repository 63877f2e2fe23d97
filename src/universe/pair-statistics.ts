import { halfLife } from "../analytics/half-life";
import { DegenerateInputError, PairlabError } from "../errors";
import { adfCore, adfTest } from "../stationarity/adf";
import { mackinnonPValue } from "../stationarity/mackinnon";
import { hurstOf } from "./hurst";
import { crossingsOf } from "./mean-crossings";

/** Statistics of one pair before the multiple-testing adjustment (internal to the screen). */
export interface PairStatistics {
  /** true when the dependent leg (y) is the second symbol of the pair. */
  swapped: boolean;
  egStatistic: number;
  egPValue: number;
  egStatisticReverse: number;
  egPValueReverse: number;
  hedgeRatio: number;
  intercept: number;
  halfLifeBars: number;
  hurst: number;
  meanCrossings: number;
  adfPValue: number;
  /** Why the row has no statistics (a degenerate pair), or "". */
  error: string;
}

/** A series prepared once for every pair it is part of: mean, centred values, centred sum of squares. */
export interface CentredSeries {
  mean: number;
  centred: Float64Array;
  ss: number;
}

/** Centres a (finite, non-constant) series with the corrected two-pass mean, as `ols` does. O(n). */
export function centredSeries(s: Float64Array): CentredSeries {
  const n = s.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += s[t];
  mean /= n;
  let r = 0;
  for (let t = 0; t < n; t++) r += s[t] - mean;
  mean += r / n;
  const centred = new Float64Array(n);
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const v = s[t] - mean;
    centred[t] = v;
    ss += v * v;
  }
  return { mean, centred, ss };
}

/** statsmodels' collinearity cut-off in `coint` (as engleGranger): R² ≥ 1 − 100·√ε. */
const COLLINEAR_R2 = 1 - 100 * Math.sqrt(2.220446049250313e-16);
const WHAT = "Engle-Granger test";

interface Direction {
  statistic: number;
  pValue: number;
  hedgeRatio: number;
  intercept: number;
  residuals: Float64Array;
}

/**
 * Engle-Granger of y on x with trend "c" and autolag AIC: the same steps and numbers as `engleGranger` (OLS
 * y = β·x + c, ADF without deterministic terms on the residuals through the same `adfCore`, MacKinnon N = 2
 * p-value), with the OLS done on series centred once per symbol (Σx̃ỹ is shared by both directions).
 */
function direction(y: CentredSeries, x: CentredSeries, sxy: number): Direction {
  const n = y.centred.length;
  const beta = sxy / x.ss;
  const residuals = new Float64Array(n);
  const yc = y.centred, xc = x.centred;
  let ssr = 0;
  for (let t = 0; t < n; t++) {
    const u = yc[t] - beta * xc[t];
    residuals[t] = u;
    ssr += u * u;
  }
  const rsquared = 1 - ssr / y.ss;
  if (!(rsquared < COLLINEAR_R2)) throw new DegenerateInputError(WHAT, "x", `is (almost) perfectly collinear with 'y' (R² = ${rsquared}): the test is not reliable`);
  const statistic = adfCore(residuals, "n", "AIC", undefined, WHAT, "residuals").statistic;
  return { statistic, pValue: mackinnonPValue(statistic, "c", 2), hedgeRatio: beta, intercept: y.mean - beta * x.mean, residuals };
}

/**
 * Every per-pair statistic of the screen for series `a` and `b` (validated, finite, non-constant, same length):
 * Engle-Granger (= statsmodels `coint`, trend "c", autolag AIC) in both directions keeping the one with the lower
 * statistic (equivalently the lower p-value: both use the same MacKinnon N = 2 surface), its hedge ratio and
 * spread, half-life (AR(1) OLS), Hurst exponent, mean crossings and the ADF p-value (regression "c", autolag AIC)
 * of that spread. A pair whose regression is degenerate (e.g. proportional series) comes back with NaN statistics and
 * `error` set. O(n·maxlag + n·hurstMaxLag).
 */
export function pairStatistics(a: CentredSeries, b: CentredSeries, hurstMaxLag: number): PairStatistics {
  const n = a.centred.length;
  let sxy = 0;
  const ac = a.centred, bc = b.centred;
  for (let t = 0; t < n; t++) sxy += ac[t] * bc[t];
  let ab: Direction;
  let ba: Direction;
  let hl: number;
  let adfP: number;
  try {
    ab = direction(a, b, sxy);
    ba = direction(b, a, sxy);
  } catch (error) {
    if (error instanceof PairlabError) return failed(error.message);
    throw error;
  }
  const swapped = ba.statistic < ab.statistic;
  const best = swapped ? ba : ab;
  const other = swapped ? ab : ba;
  const s = best.residuals;
  try {
    hl = halfLife(s);
    adfP = adfTest(s, { regression: "c", autolag: "AIC" }).pValue;
  } catch (error) {
    if (error instanceof PairlabError) return failed(error.message);
    throw error;
  }
  return {
    swapped,
    egStatistic: best.statistic,
    egPValue: best.pValue,
    egStatisticReverse: other.statistic,
    egPValueReverse: other.pValue,
    hedgeRatio: best.hedgeRatio,
    intercept: best.intercept,
    halfLifeBars: hl,
    hurst: hurstOf(s, hurstMaxLag),
    meanCrossings: crossingsOf(s),
    adfPValue: adfP,
    error: "",
  };
}

function failed(message: string): PairStatistics {
  return {
    swapped: false,
    egStatistic: NaN,
    egPValue: NaN,
    egStatisticReverse: NaN,
    egPValueReverse: NaN,
    hedgeRatio: NaN,
    intercept: NaN,
    halfLifeBars: NaN,
    hurst: NaN,
    meanCrossings: NaN,
    adfPValue: NaN,
    error: message,
  };
}
