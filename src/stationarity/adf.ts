import { DegenerateInputError, InsufficientDataError } from "../errors";
import { assertAllFinite, assertArrayLike, assertInteger, assertOneOf, toFloat64 } from "../validate";
import { adfGram, choleskyInPlace, nestedCandidates, olsLogLikelihood, trendCount, type AdfGram, type LagCandidate } from "./adf-design";
import { householderOls } from "./householder-ols";
import { mackinnonCriticalValues, mackinnonPValue, REGRESSIONS, type CriticalValues, type Regression } from "./mackinnon";

/** Lag-selection rule of the ADF autolag search; `null` uses `maxlag` lags as given. */
export type Autolag = "AIC" | "BIC" | "t-stat" | null;

/** The accepted {@link Autolag} values. */
export const AUTOLAGS: readonly Autolag[] = ["AIC", "BIC", "t-stat", null];

/** Options of {@link adfTest}. */
export interface AdfOptions {
  /** Deterministic terms: "c" constant (default), "ct" constant + trend, "ctt" + trend², "n" none. */
  regression?: Regression;
  /**
   * Largest number of lagged differences (bars). Default, as statsmodels:
   * min(⌊n/2⌋ − ntrend − 1, ⌈12·(n/100)^{1/4}⌉).
   */
  maxlag?: number | null;
  /**
   * Lag selection: "AIC" (default), "BIC", "t-stat" (from maxlag down, the first lag whose |t| ≥ Φ⁻¹(0.95) = 1.645),
   * or null (use maxlag as given).
   */
  autolag?: Autolag;
}

/** Result of {@link adfTest}; the same numbers as statsmodels' `adfuller`. */
export interface AdfResult {
  /** ADF tau statistic: t value of the lagged level in the test regression. */
  statistic: number;
  /** MacKinnon (1994) approximate asymptotic p-value. */
  pValue: number;
  /** Number of lagged differences in the final regression. */
  usedLag: number;
  /** Observations in the final regression: n − 1 − usedLag. */
  nobs: number;
  /** MacKinnon (2010) critical values for `nobs` observations. */
  criticalValues: CriticalValues;
  /** Best information criterion of the search (for "t-stat": |t| of the chosen last lag); absent when autolag is null. */
  icBest?: number;
  /** The regression used ("c", "ct", "ctt" or "n"). */
  regression: Regression;
  /** Largest lag considered (the default or the given maxlag). */
  maxlag: number;
  /** One plain sentence for notebooks: is the unit root rejected at 5 % and what that means. */
  interpretation: string;
}

const WHAT = "ADF test";
/** statsmodels' stop value for the t-stat rule: Φ⁻¹(0.95). */
const T_STAT_STOP = 1.6448536269514722;
/** A Cholesky pivot (1 − R² of a column on the previous ones) at or below this stops the cross-product path. */
const DEGENERATE_PIVOT = 1e-12;
/** Householder: |Rⱼⱼ|/‖Xⱼ‖ at or below this means a rank-deficient design (statsmodels' pinv would drop a direction). */
const SINGULAR_QR_PIVOT = 1e-13;
/** Householder: RSS ≤ this × ‖y‖² means an exact fit (zero residual variance). */
const EXACT_FIT = 1e-26;
/**
 * The cross-product path is used only when (smallest regressor pivot) × (response pivot) ≥ this. The relative
 * error of an RSS read from the factor grows like ε/(pivot_X · pivot_y) (cond(X)² and 1/(1 − R²)), so the bound
 * keeps it below ~2e-10. Otherwise the search and the refit use Householder QR, whose error grows with cond(X)
 * only (O(n·maxlag²) instead of O(n·maxlag)). Typical price series have both pivots near 1.
 */
const CROSS_PRODUCT_MIN = 1e-6;

/** statsmodels' default maxlag for `n` observations, or −1 when the sample is too short for the regression. */
export function defaultMaxlag(n: number, regression: Regression): number {
  const ntrend = trendCount(regression);
  const schwert = Math.ceil(12 * Math.pow(n / 100, 1 / 4));
  const cap = Math.floor(n / 2) - ntrend - 1;
  const lag = Math.min(cap, schwert);
  return lag < 0 ? -1 : lag;
}

/** Whether a series of length `n` admits the test (maxlag allowed and ≥ 1 residual degree of freedom in every candidate). */
function lengthIsValid(n: number, regression: Regression, maxlag: number | undefined): boolean {
  if (n < 2) return false;
  const ntrend = trendCount(regression);
  const lag = maxlag === undefined ? defaultMaxlag(n, regression) : maxlag;
  if (lag < 0 || lag > Math.floor(n / 2) - ntrend - 1) return false;
  return n - 1 - lag - (ntrend + 1 + lag) >= 1;
}

/**
 * Smallest series length ≥ `from` for which {@link adfTest} is defined with these options: maxlag within
 * statsmodels' limit ⌊n/2⌋ − ntrend − 1 and at least one residual degree of freedom in every candidate.
 * Fixed maxlag L: max(2(L + ntrend + 1), 2L + ntrend + 3), O(1). Default maxlag: a short scan (valid for every
 * n ≥ 21 whatever the regression), O(1).
 * @example adfMinimumLength("ct") // 6
 * @example adfMinimumLength("c", 10) // 24
 */
export function adfMinimumLength(regression: Regression = "c", maxlag?: number, from = 1): number {
  const start = Math.max(from, 2);
  if (maxlag !== undefined) {
    const ntrend = trendCount(regression);
    return Math.max(start, 2 * (maxlag + ntrend + 1), 2 * maxlag + ntrend + 3);
  }
  let n = start;
  while (!lengthIsValid(n, regression, undefined)) n++;
  return n;
}

/**
 * Augmented Dickey-Fuller unit-root test, identical to statsmodels 0.13.5
 * `adfuller(x, maxlag, regression, autolag)` (https://www.statsmodels.org/stable/generated/statsmodels.tsa.stattools.adfuller.html):
 * same default maxlag, same common sample during the lag search, same refit on the chosen lag's own sample,
 * same AIC/BIC (−2·llf + penalty·k), same t-stat rule, MacKinnon (1994) p-value and MacKinnon (2010) critical values.
 *
 * Algorithm: H0 is a unit root in x. The lag search factorises the cross-product matrix of the largest
 * design once (centred and equilibrated, Cholesky) and reads every candidate's RSS and last t value from it
 * (nested models); the chosen lag is refitted on its own sample the same way. When the pivots show an
 * ill-conditioned design (product of the smallest regressor pivot and the response pivot < 1e-6, e.g. an
 * I(3)-like smooth series) the search and the refit use Householder QR on the explicit design instead (O(n·maxlag²)). Time O(n·maxlag + maxlag³),
 * memory O(n + maxlag²); statsmodels is O(n·maxlag³) (one SVD per candidate).
 *
 * Edge cases and differences: statsmodels answers a rank-deficient design through a pseudo-inverse; we throw
 * {@link DegenerateInputError}. With regression "n" and an even length at the maxlag cap, statsmodels' largest
 * candidate has zero residual degrees of freedom (a perfect fit, NaN/0 statistic); we throw InsufficientDataError.
 *
 * @param x series in time order (prices, log prices or a spread), finite.
 * @param options regression, maxlag, autolag (see {@link AdfOptions}).
 * @throws RangeError / TypeError (E_PARAM) for bad options.
 * @throws NonFiniteInputError naming the first NaN/±Infinity index of `x`.
 * @throws InsufficientDataError when `x` is too short for the regression and lags (the message gives the minimum length).
 * @throws DegenerateInputError for a constant series, a rank-deficient design, or an exact fit.
 * @example
 * const x = Array.from({ length: 500 }, (_, i) => 100 + Math.sin(i * i)); // noisy but mean-reverting
 * adfTest(x);
 * // { statistic: -23.4004031, pValue: 0, usedLag: 0, nobs: 499,
 * //   criticalValues: { "1%": -3.4435229, "5%": -2.8673495, "10%": -2.5698642 }, regression: "c", maxlag: 18,
 * //   icBest: 1038.92450, interpretation: "Unit root rejected at the 5% level (ADF statistic -23.400, p < 0.0001, ...)" }
 * // statsmodels: adfuller(x) → (-23.400403099625734, 0.0, 0, 499, {...}, 1038.9244989382455)
 */
export function adfTest(x: ArrayLike<number>, options: AdfOptions = {}): AdfResult {
  assertArrayLike(WHAT, "x", x);
  const regression = options.regression ?? "c";
  assertOneOf(WHAT, "regression", regression, REGRESSIONS);
  const autolag = options.autolag === undefined ? "AIC" : options.autolag;
  assertOneOf(WHAT, "autolag", autolag, AUTOLAGS);
  const maxlagOption = options.maxlag ?? undefined;
  if (maxlagOption !== undefined) assertInteger(WHAT, "maxlag", maxlagOption, 0);
  const xs = toFloat64(x);
  assertAllFinite(WHAT, "x", xs);
  return adfCore(xs, regression, autolag, maxlagOption, WHAT, "x");
}

/** The ADF test on a validated finite series (shared with the Engle-Granger test). */
export function adfCore(
  xs: Float64Array,
  regression: Regression,
  autolag: Autolag,
  maxlagOption: number | undefined,
  what: string,
  field: string,
): AdfResult {
  const n = xs.length;
  const ntrend = trendCount(regression);
  if (!lengthIsValid(n, regression, maxlagOption)) {
    const needed = adfMinimumLength(regression, maxlagOption, n + 1);
    const detail =
      maxlagOption === undefined
        ? `regression "${regression}" with the default maxlag needs maxlag >= 0 and at least one residual degree of freedom`
        : `regression "${regression}" with maxlag ${maxlagOption} needs maxlag <= floor(n/2) - ${ntrend + 1} and at least one residual degree of freedom`;
    throw new InsufficientDataError(what, needed, n, detail);
  }
  let constant = true;
  for (let i = 1; i < n; i++) {
    if (xs[i] !== xs[0]) {
      constant = false;
      break;
    }
  }
  if (constant) throw new DegenerateInputError(what, field, "is constant: the Dickey-Fuller regression is undefined");
  const maxlag = maxlagOption === undefined ? defaultMaxlag(n, regression) : maxlagOption;

  let usedLag = maxlag;
  let icBest: number | undefined;
  if (autolag !== null) {
    const search = factorised(xs, regression, maxlag, what, field);
    const candidates = search.precise ? nestedCandidates(search.gram, search.gram.gram) : householderCandidates(xs, regression, maxlag, what, field);
    const pick = selectLag(candidates, autolag);
    usedLag = pick.lag;
    icBest = pick.ic;
  }
  const statistic = refitStatistic(xs, regression, usedLag, what, field);
  const nobs = n - 1 - usedLag;
  const pValue = mackinnonPValue(statistic, regression, 1);
  const criticalValues = mackinnonCriticalValues(1, regression, nobs);
  const result: AdfResult = {
    statistic,
    pValue,
    usedLag,
    nobs,
    criticalValues,
    regression,
    maxlag,
    interpretation: adfInterpretation(statistic, pValue, criticalValues, regression, usedLag, nobs),
  };
  if (icBest !== undefined) result.icBest = icBest;
  return result;
}

/**
 * Builds and factorises the ADF cross-product matrix. `precise` is false when the factor cannot be trusted to
 * ~1e-10 (see CROSS_PRODUCT_MIN) or a pivot fell at or below DEGENERATE_PIVOT; the caller then uses Householder QR,
 * which also decides whether the design is really singular.
 * Throws DegenerateInputError for an all-zero column.
 */
function factorised(xs: Float64Array, regression: Regression, lags: number, what: string, field: string): { gram: AdfGram; precise: boolean } {
  const gram = adfGram(xs, regression, lags);
  if (gram.zeroColumn >= 0) {
    throw new DegenerateInputError(what, field, `gives an all-zero column (${columnName(gram.ntrend, gram.order - 1, gram.zeroColumn)}) in the Dickey-Fuller regression`);
  }
  const { minPivot, lastPivot, failedAt } = choleskyInPlace(gram.gram, gram.order, DEGENERATE_PIVOT);
  return { gram, precise: failedAt < 0 && minPivot * lastPivot >= CROSS_PRODUCT_MIN };
}

/** Name of column `index` of an ADF design with `ntrend` deterministic terms and `k` regressors (index k = response). */
function columnName(ntrend: number, k: number, index: number): string {
  const names = ["const", "trend", "trend²"];
  if (index < ntrend) return names[index];
  if (index === ntrend) return "lagged level";
  if (index === k) return "differences";
  return `lagged difference ${index - ntrend}`;
}

/** Householder least squares of the explicit ADF design; DegenerateInputError when it is singular or fits exactly. */
function householderAdf(xs: Float64Array, regression: Regression, lags: number, what: string, field: string) {
  const { columns, y, levelIndex } = adfColumns(xs, regression, lags);
  const fit = householderOls(columns, y);
  if (!(fit.minRelativePivot > SINGULAR_QR_PIVOT)) {
    const name = columnName(trendCount(regression), columns.length, fit.minPivotColumn);
    throw new DegenerateInputError(what, field, `gives a rank-deficient Dickey-Fuller regression (${name} is a linear combination of the previous columns)`);
  }
  let yty = 0;
  for (let i = 0; i < y.length; i++) yty += y[i] * y[i];
  if (!(fit.rss > EXACT_FIT * yty)) {
    throw new DegenerateInputError(what, field, "is fitted exactly by the Dickey-Fuller regression (zero residual variance)");
  }
  return { fit, columns, y, levelIndex };
}

/** statsmodels' `_autolag` selection over the candidates (ties → the smaller lag). */
function selectLag(candidates: readonly LagCandidate[], autolag: Exclude<Autolag, null>): { lag: number; ic: number } {
  if (autolag === "t-stat") {
    let lag = candidates[candidates.length - 1].lag;
    let ic = 0;
    for (let i = candidates.length - 1; i >= 0; i--) {
      ic = Math.abs(candidates[i].tLast);
      lag = candidates[i].lag;
      if (ic >= T_STAT_STOP) break;
    }
    return { lag, ic };
  }
  let best = candidates[0];
  const value = (c: LagCandidate): number => (autolag === "AIC" ? c.aic : c.bic);
  for (const c of candidates) if (value(c) < value(best)) best = c;
  return { lag: best.lag, ic: value(best) };
}

/**
 * The ADF statistic (t value of the lagged level) of the regression with `lags` lagged differences on its own
 * sample. Cross-product/Cholesky path; Householder QR on the materialised design when ill-conditioned.
 */
export function refitStatistic(xs: Float64Array, regression: Regression, lags: number, what: string, field: string): number {
  const { gram, precise } = factorised(xs, regression, lags, what, field);
  if (!precise) return householderStatistic(xs, regression, lags, what, field);
  const P = gram.order;
  const L = gram.gram;
  const k = P - 1;
  const levelIndex = gram.ntrend;
  // b = L⁻ᵀ z over the regressors; w = L⁻¹ e_level gives [(XᵀX)⁻¹]_level,level = ‖w‖².
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) z[i] = L[k * P + i];
  const b = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let j = i + 1; j < k; j++) s -= L[j * P + i] * b[j];
    b[i] = s / L[i * P + i];
  }
  const w = new Float64Array(k);
  let inv = 0;
  for (let i = levelIndex; i < k; i++) {
    let s = i === levelIndex ? 1 : 0;
    for (let j = levelIndex; j < i; j++) s -= L[i * P + j] * w[j];
    w[i] = s / L[i * P + i];
    inv += w[i] * w[i];
  }
  const lyy = L[k * P + k];
  const sigma2 = (lyy * lyy) / (gram.nobs - k);
  return b[levelIndex] / Math.sqrt(sigma2 * inv);
}

/**
 * Every candidate of the autolag search from one Householder QR of the largest design: with Qᵀy = q,
 * RSS_j = RSS_full + Σ_{i ≥ j} qᵢ² and t_last(j) = sign(R_{j−1,j−1})·q_{j−1}/√(RSS_j/(T−j)). O(T·K²).
 * The precise fallback of the search for ill-conditioned designs, and the reference for the fast path in tests.
 */
export function householderCandidates(xs: Float64Array, regression: Regression, maxlag: number, what = WHAT, field = "x"): LagCandidate[] {
  const { fit, columns, y } = householderAdf(xs, regression, maxlag, what, field);
  const T = y.length;
  const ntrend = trendCount(regression);
  const K = columns.length;
  const out: LagCandidate[] = [];
  for (let lag = 0; lag <= maxlag; lag++) {
    const k = ntrend + 1 + lag;
    let rss = fit.rss;
    for (let i = k; i < K; i++) rss += fit.qty[i] * fit.qty[i];
    const llf = olsLogLikelihood(rss, T);
    const tLast = (Math.sign(fit.rdiag[k - 1]) * fit.qty[k - 1]) / Math.sqrt(rss / (T - k));
    out.push({ lag, rss, aic: -2 * llf + 2 * k, bic: -2 * llf + Math.log(T) * k, tLast });
  }
  return out;
}

/** Exact refit by Householder QR on the explicit (centred) design; used for ill-conditioned designs and in tests. */
export function householderStatistic(xs: Float64Array, regression: Regression, lags: number, what = WHAT, field = "x"): number {
  const { fit, levelIndex } = householderAdf(xs, regression, lags, what, field);
  return fit.tValues[levelIndex];
}

/**
 * The explicit ADF design with `lags` lagged differences, columns in statsmodels' search order
 * [const, trend, trend², level, lag 1 … lag `lags`] (deterministic terms centred, as in {@link adfGram}), and the
 * response. O(n·lags) memory; for tests and the precision fallback only.
 */
export function adfColumns(xs: Float64Array, regression: Regression, lags: number): { columns: Float64Array[]; y: Float64Array; levelIndex: number } {
  const n = xs.length;
  const m = n - 1;
  const T = m - lags;
  const ntrend = trendCount(regression);
  const columns: Float64Array[] = [];
  const c = (T + 1) / 2;
  if (ntrend >= 1) columns.push(new Float64Array(T).fill(1));
  if (ntrend >= 2) columns.push(Float64Array.from({ length: T }, (_, s) => s + 1 - c));
  if (ntrend >= 3) columns.push(Float64Array.from({ length: T }, (_, s) => (s + 1 - c) * (s + 1 - c)));
  let cx = 0;
  if (ntrend >= 1) {
    for (let s = 0; s < T; s++) cx += xs[lags + s];
    cx /= T;
  }
  columns.push(Float64Array.from({ length: T }, (_, s) => xs[lags + s] - cx));
  for (let j = 1; j <= lags; j++) columns.push(Float64Array.from({ length: T }, (_, s) => xs[lags + s - j + 1] - xs[lags + s - j]));
  const y = Float64Array.from({ length: T }, (_, s) => xs[lags + s + 1] - xs[lags + s]);
  return { columns, y, levelIndex: ntrend };
}

const AROUND: Record<Regression, string> = {
  c: "a constant mean",
  ct: "a linear trend",
  ctt: "a quadratic trend",
  n: "zero",
};

/** One plain sentence describing the ADF outcome at 5 % (decided by the p-value; flagged "borderline" when the 5% critical value disagrees). */
function adfInterpretation(statistic: number, pValue: number, crit: CriticalValues, regression: Regression, usedLag: number, nobs: number): string {
  // The p-value is asymptotic (MacKinnon 1994), the critical value finite-sample (MacKinnon 2010): between their 5%
  // points they disagree, and the sentence says so instead of contradicting the number it prints.
  const borderline =
    pValue < 0.05 !== statistic < crit["5%"]
      ? `; borderline: the statistic is ${statistic < crit["5%"] ? "beyond" : "short of"} the finite-sample 5% critical value although the asymptotic p-value is ${pValue < 0.05 ? "below" : "above"} 0.05`
      : "";
  const stats = `ADF statistic ${fmt(statistic)}, ${fmtP(pValue)}, 5% critical value ${fmt(crit["5%"])}, ${usedLag} lag${usedLag === 1 ? "" : "s"}, ${nobs} observations${borderline}`;
  return pValue < 0.05
    ? `Unit root rejected at the 5% level (${stats}): the series behaves as stationary around ${AROUND[regression]}, so as a spread it is a mean-reversion candidate.`
    : `Unit root not rejected at the 5% level (${stats}): a random walk cannot be ruled out and the series may wander away from ${AROUND[regression]}, so as a spread it should not be traded for mean reversion.`;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}

/**
 * "p < 0.0001" or "p = 0.0380". Next to the 5% decision, more decimals are shown when 4 would round p onto the
 * other side of 0.05 (0.04996 → "p = 0.04996", not "p = 0.0500").
 */
export function fmtP(p: number): string {
  if (p < 0.0001) return "p < 0.0001";
  let text = p.toFixed(4);
  for (let digits = 5; digits <= 17 && Number(text) < 0.05 !== p < 0.05; digits++) text = p.toFixed(digits);
  return `p = ${text}`;
}
