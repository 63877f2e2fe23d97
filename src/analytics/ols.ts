import { DegenerateInputError, InsufficientDataError } from "../errors";
import { assertAllFinite, assertArrayLike, assertOneOf, assertSameLength } from "../validate";

const WHAT = "OLS";

/** Options of {@link ols}. */
export interface OlsOptions {
  /** Fit an intercept (y = alpha + beta·x); otherwise y = beta·x and alpha = 0. Default true. */
  intercept?: boolean;
}

/** Result of {@link ols}; the same quantities as statsmodels `OLS(...).fit()`. */
export interface OlsResult {
  /** Intercept (0 when fitted without). Units of y. */
  alpha: number;
  /** Slope, the hedge ratio. Units of y per unit of x. */
  beta: number;
  /** Coefficient of determination (centered with an intercept, uncentered without — as statsmodels). */
  r2: number;
  /** Standard deviation of the residuals, sqrt(SSR / (n - k)) (statsmodels `sqrt(scale)`). */
  residualStd: number;
  /** Number of observations. */
  n: number;
  /** Number of fitted parameters k (2 with intercept, 1 without). */
  k: number;
  /** Sum of squared residuals. */
  ssr: number;
  /** Standard error of alpha (NaN without intercept). */
  alphaStdErr: number;
  /** Standard error of beta. */
  betaStdErr: number;
  /** t statistic of beta. */
  betaT: number;
}

/**
 * Ordinary least squares of `y` on `x` (simple regression) — the numbers of statsmodels
 * `OLS(y, add_constant(x)).fit()` (`params`, `rsquared`, `sqrt(scale)`, `bse`, `tvalues`).
 *
 * Algorithm: corrected two-pass centered sums (means first, then Sxx, Sxy less the (Σdx)(Σdy)/n correction for
 * the rounding of the means), beta = Sxy / Sxx, alpha = ȳ - beta·x̄; a third pass computes the centred residuals for SSR. Accurate at price levels of 1e5 (no raw Σx² formula).
 * O(n) time, O(1) memory.
 *
 * Insufficient data / edge cases (scalar result, library-wide rule): fewer than k + 1 points (3 with an
 * intercept, 2 without) throws {@link InsufficientDataError}; a constant `x` (with intercept) or an
 * all-zero `x` (without) throws {@link DegenerateInputError} — never a silent NaN hedge ratio.
 *
 * @param y dependent series. @param x regressor, same length.
 * @throws RangeError / TypeError (E_PARAM) for different lengths, non-arrays or bad options.
 * @throws NonFiniteInputError when y or x holds NaN or ±Infinity.
 * @throws InsufficientDataError when n < k + 1.
 * @throws DegenerateInputError for a constant (or all-zero without intercept) regressor.
 * @example
 * const fit = ols([3, 5, 7, 10], [1, 2, 3, 4]);
 * // fit.beta = 2.3, fit.alpha = 0.5, fit.r2 = 0.98878…, fit.residualStd = 0.38729…, fit.n = 4
 */
export function ols(y: ArrayLike<number>, x: ArrayLike<number>, options: OlsOptions = {}): OlsResult {
  assertArrayLike(WHAT, "y", y);
  assertArrayLike(WHAT, "x", x);
  assertSameLength(WHAT, "y", y, "x", x);
  const intercept = options.intercept ?? true;
  assertOneOf(WHAT, "options.intercept", intercept, [true, false]);
  const k = intercept ? 2 : 1;
  const n = x.length;
  if (n < k + 1) throw new InsufficientDataError(WHAT, k + 1, n, `${k} parameters need at least one residual degree of freedom`);
  assertAllFinite(WHAT, "y", y);
  assertAllFinite(WHAT, "x", x);
  let mx = 0, my = 0;
  if (intercept) {
    for (let i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
  }
  let sxx = 0, sxy = 0, syy = 0, sdx = 0, sdy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sdx += dx;
    sdy += dy;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (intercept) {
    // Corrected two-pass: the rounded means leave Σdx, Σdy ≠ 0 (at a level of 1e12 the error is comparable to the
    // spread); remove their contribution and refine the means.
    sxx -= (sdx * sdx) / n;
    sxy -= (sdx * sdy) / n;
    syy -= (sdy * sdy) / n;
    mx += sdx / n;
    my += sdy / n;
  }
  let constant = true;
  for (let i = 1; i < n && constant; i++) if (x[i] !== x[0]) constant = false;
  if (intercept ? constant || !(sxx > 0) : !(sxx > 0)) {
    throw new DegenerateInputError(WHAT, "x", intercept ? "is constant: the hedge ratio is undefined" : "is all zero: the hedge ratio is undefined");
  }
  const beta = sxy / sxx;
  const alpha = intercept ? my - beta * mx : 0;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - my - beta * (x[i] - mx); // centred (my = mx = 0 without intercept): no cancellation at the price level
    ssr += e * e;
  }
  const scale = ssr / (n - k);
  const r2 = 1 - ssr / syy;
  const betaStdErr = Math.sqrt(scale / sxx);
  const alphaStdErr = intercept ? Math.sqrt(scale * (1 / n + (mx * mx) / sxx)) : NaN;
  return { alpha, beta, r2, residualStd: Math.sqrt(scale), n, k, ssr, alphaStdErr, betaStdErr, betaT: beta / betaStdErr };
}
