import { DegenerateInputError, InsufficientDataError } from "../errors";
import { assertAllFinite, assertArrayLike, assertInteger, assertOneOf, assertSameLength, toFloat64 } from "../validate";
import { adfCore, AUTOLAGS, fmtP, type Autolag } from "./adf";
import { trendCount } from "./adf-design";
import { householderOls } from "./householder-ols";
import { mackinnonCriticalValues, mackinnonPValue, REGRESSIONS, type CriticalValues, type Regression } from "./mackinnon";

/** Options of {@link engleGranger}. */
export interface EngleGrangerOptions {
  /** Deterministic terms of the cointegrating regression: "c" (default), "ct", "ctt" or "n". */
  trend?: Regression;
  /** Largest lag of the residual ADF regression; default as statsmodels (from the series length). */
  maxlag?: number | null;
  /** Lag selection of the residual ADF regression: "AIC" (default), "BIC", "t-stat" or null (use maxlag). */
  autolag?: Autolag;
}

/** Result of {@link engleGranger}; `statistic`, `pValue` and `criticalValues` equal statsmodels' `coint`. */
export interface EngleGrangerResult {
  /** ADF tau statistic of the cointegrating-regression residuals (regression "n"). */
  statistic: number;
  /** MacKinnon (1994) approximate p-value for N = 2 series. */
  pValue: number;
  /** MacKinnon (2010) critical values for N = 2 and n − 1 observations; NaN for trend "n" (no table, as statsmodels). */
  criticalValues: CriticalValues;
  /** β of y = β·x + deterministic terms + spread (units of y per unit of x). */
  hedgeRatio: number;
  /** Constant of the cointegrating regression (trend terms use t = 1 … n, as statsmodels); 0 for trend "n". */
  intercept: number;
  /** Lagged differences in the residual ADF regression. */
  usedLag: number;
  /** Observations in the residual ADF regression. */
  nobs: number;
  /** Best information criterion of the residual ADF lag search; absent when autolag is null. */
  icBest?: number;
  /** The trend used. */
  trend: Regression;
  /** The spread: residuals of the cointegrating regression, length n. */
  residuals: Float64Array;
  /** One plain sentence for notebooks: is "no cointegration" rejected at 5 % and what that means for the spread. */
  interpretation: string;
}

const WHAT = "Engle-Granger test";
/** statsmodels' collinearity cut-off in `coint`: R² ≥ 1 − 100·√ε means (almost) perfectly collinear. */
const COLLINEAR_R2 = 1 - 100 * Math.sqrt(2.220446049250313e-16);

/**
 * Engle-Granger two-step cointegration test of y on x, identical to statsmodels 0.13.5
 * `coint(y, x, trend, method="aeg", maxlag, autolag)` in statistic, p-value and critical values
 * (https://www.statsmodels.org/stable/generated/statsmodels.tsa.stattools.coint.html).
 *
 * Algorithm: (1) OLS y = β·x + [1, t, t²]·δ + u by Householder QR on centred columns (β and the spread are
 * invariant to the centring; the intercept is mapped back to t = 1 … n); (2) ADF test without deterministic
 * terms on the residuals u (see {@link adfTest}, nested-model lag search); (3) MacKinnon (1994) p-value and
 * MacKinnon (2010) critical values for N = 2 series with n − 1 observations (statsmodels' convention).
 * H0: no cointegration (the spread has a unit root). Time O(n·maxlag + maxlag³).
 *
 * Differences from statsmodels: when y and x are (almost) perfectly collinear (R² ≥ 1 − 100·√ε, statsmodels'
 * own cut-off) statsmodels warns and returns a statistic of −∞ and p = 0; we throw DegenerateInputError. With
 * trend "n" on price levels the uncentred R² usually crosses that cut-off: use trend "c".
 *
 * @param y dependent series (the leg you are long), finite.
 * @param x regressor series (the hedge leg), finite, same length.
 * @param options trend, maxlag, autolag (see {@link EngleGrangerOptions}).
 * @throws RangeError / TypeError (E_PARAM) for bad options or different lengths.
 * @throws NonFiniteInputError naming the first NaN/±Infinity index of `y` or `x`.
 * @throws InsufficientDataError when the series are too short for the regression and lags.
 * @throws DegenerateInputError for a constant series, x collinear with the trend terms, or (almost) perfectly collinear y and x.
 * @example
 * let w = 30000;
 * const btc = Array.from({ length: 500 }, (_, i) => (w += 20 * Math.sin(i * i)));
 * const eth = btc.map((v, i) => 0.06 * v + 40 + 3 * Math.sin(i * i * 1.3));
 * engleGranger(eth, btc);
 * // { statistic: -22.2048461, pValue: 0, criticalValues: { "1%": -3.9185223, "5%": -3.3484021, "10%": -3.0529603 },
 * //   hedgeRatio: 0.0599632, intercept: 41.2215854, usedLag: 0, nobs: 499, trend: "c", icBest: 2102.55233,
 * //   residuals: Float64Array(500), interpretation: "Cointegrated at the 5% level (...)" }
 * // statsmodels: coint(eth, btc) → (-22.20484610249767, 0.0, [-3.91852234, -3.34840209, -3.05296032])
 */
export function engleGranger(y: ArrayLike<number>, x: ArrayLike<number>, options: EngleGrangerOptions = {}): EngleGrangerResult {
  assertArrayLike(WHAT, "y", y);
  assertArrayLike(WHAT, "x", x);
  assertSameLength(WHAT, "y", y, "x", x);
  const trend = options.trend ?? "c";
  assertOneOf(WHAT, "trend", trend, REGRESSIONS);
  const autolag = options.autolag === undefined ? "AIC" : options.autolag;
  assertOneOf(WHAT, "autolag", autolag, AUTOLAGS);
  const maxlag = options.maxlag ?? undefined;
  if (maxlag !== undefined) assertInteger(WHAT, "maxlag", maxlag, 0);
  const ys = toFloat64(y);
  const xs = toFloat64(x);
  assertAllFinite(WHAT, "y", ys);
  assertAllFinite(WHAT, "x", xs);
  const n = ys.length;
  const ntrend = trendCount(trend);
  if (n < ntrend + 3) throw new InsufficientDataError(WHAT, ntrend + 3, n, `the cointegrating regression with trend "${trend}" has ${ntrend + 1} coefficients`);
  if (isConstant(ys)) throw new DegenerateInputError(WHAT, "y", "is constant: the cointegrating regression is undefined");
  if (isConstant(xs)) throw new DegenerateInputError(WHAT, "x", "is constant: the hedge ratio is undefined");

  const fit = cointegratingRegression(ys, xs, trend);
  const ssr = fit.rss;
  let tss = 0;
  if (trend === "n") {
    for (let i = 0; i < n; i++) tss += ys[i] * ys[i];
  } else {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += ys[i];
    mean /= n;
    for (let i = 0; i < n; i++) tss += (ys[i] - mean) * (ys[i] - mean);
  }
  const rsquared = 1 - ssr / tss;
  if (!(rsquared < COLLINEAR_R2)) {
    throw new DegenerateInputError(
      WHAT,
      "x",
      `is (almost) perfectly collinear with 'y' (R² = ${rsquared}${trend === "n" ? ", uncentred because trend is \"n\"; use trend \"c\" for price levels" : ""}): the test is not reliable`,
    );
  }
  const adf = adfCore(fit.residuals, "n", autolag, maxlag, WHAT, "residuals");
  const pValue = mackinnonPValue(adf.statistic, trend, 2);
  const criticalValues: CriticalValues =
    trend === "n" ? { "1%": NaN, "5%": NaN, "10%": NaN } : mackinnonCriticalValues(2, trend, n - 1);
  const result: EngleGrangerResult = {
    statistic: adf.statistic,
    pValue,
    criticalValues,
    hedgeRatio: fit.hedgeRatio,
    intercept: fit.intercept,
    usedLag: adf.usedLag,
    nobs: adf.nobs,
    trend,
    residuals: fit.residuals,
    interpretation: interpretation(adf.statistic, pValue, fit.hedgeRatio, adf.usedLag, trend),
  };
  if (adf.icBest !== undefined) result.icBest = adf.icBest;
  return result;
}

function isConstant(a: Float64Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return false;
  return true;
}

/** OLS y = β·x + trend terms by Householder QR on centred columns; β, the spread and the t = 1…n intercept. */
function cointegratingRegression(ys: Float64Array, xs: Float64Array, trend: Regression): { hedgeRatio: number; intercept: number; residuals: Float64Array; rss: number } {
  const n = ys.length;
  const ntrend = trendCount(trend);
  if (ntrend === 0) {
    const fit = householderOls([xs], ys);
    if (!(fit.minRelativePivot > 1e-13)) throw new DegenerateInputError(WHAT, "x", "is all zeros");
    return { hedgeRatio: fit.coef[0], intercept: 0, residuals: fit.residuals, rss: fit.rss };
  }
  let xbar = 0;
  for (let i = 0; i < n; i++) xbar += xs[i];
  xbar /= n;
  const tc = (n + 1) / 2;
  const columns: Float64Array[] = [Float64Array.from(xs, (v) => v - xbar), new Float64Array(n).fill(1)];
  let m2 = 0;
  if (ntrend >= 2) columns.push(Float64Array.from({ length: n }, (_, i) => i + 1 - tc));
  if (ntrend >= 3) {
    const sq = Float64Array.from({ length: n }, (_, i) => (i + 1 - tc) * (i + 1 - tc));
    for (let i = 0; i < n; i++) m2 += sq[i];
    m2 /= n;
    for (let i = 0; i < n; i++) sq[i] -= m2;
    columns.push(sq);
  }
  const fit = householderOls(columns, ys);
  if (!(fit.minRelativePivot > 1e-10)) {
    throw new DegenerateInputError(WHAT, "x", `is collinear with the deterministic terms of trend "${trend}"`);
  }
  const b = fit.coef[0];
  const a = fit.coef[1];
  const g1 = ntrend >= 2 ? fit.coef[2] : 0;
  const g2 = ntrend >= 3 ? fit.coef[3] : 0;
  // b(x − x̄) + a + g1(t − tc) + g2((t − tc)² − m2) = b·x + c0 + c1·t + c2·t².
  const intercept = a - b * xbar - g1 * tc + g2 * (tc * tc - m2);
  return { hedgeRatio: b, intercept, residuals: fit.residuals, rss: fit.rss };
}

/** What the spread of a cointegrated pair reverts around, per trend of the cointegrating regression. */
const AROUND: Record<Regression, string> = { c: "its mean", ct: "a linear trend", ctt: "a quadratic trend", n: "zero" };

function interpretation(statistic: number, pValue: number, hedgeRatio: number, usedLag: number, trend: Regression): string {
  const stats = `Engle-Granger statistic ${statistic.toFixed(3)}, ${fmtP(pValue)}, hedge ratio ${hedgeRatio.toPrecision(6)}, ${usedLag} lag${usedLag === 1 ? "" : "s"}`;
  return pValue < 0.05
    ? `Cointegrated at the 5% level (${stats}): the spread y − ${hedgeRatio.toPrecision(6)}·x behaves as stationary around ${AROUND[trend]}, so the pair is a mean-reversion candidate.`
    : `Not cointegrated at the 5% level (${stats}): the spread y − ${hedgeRatio.toPrecision(6)}·x may drift without reverting, so the pair should not be traded for mean reversion.`;
}
