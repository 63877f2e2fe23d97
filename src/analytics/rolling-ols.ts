import { DegenerateInputError } from "../errors";
import { assertArrayLike, assertInteger, assertOneOf, assertSameLength } from "../validate";
import { rollingOlsKernel } from "./rolling-kernel";

const WHAT = "rolling OLS";

/** Options of {@link rollingOls}. */
export interface RollingOlsOptions {
  /** Fit an intercept (y = alpha + beta·x); otherwise y = beta·x and alpha = 0. Default true. */
  intercept?: boolean;
  /**
   * What to do with a window whose regressor is degenerate (constant x with an intercept, all-zero x
   * without): `"flag"` (default) leaves NaN in alpha/beta *and* sets `degenerate[i] = 1`; `"throw"`
   * throws {@link DegenerateInputError} naming the first such window.
   */
  onDegenerate?: "flag" | "throw";
}

/** Result of {@link rollingOls}; every array has the input's length. */
export interface RollingOlsResult {
  /** Intercept per window (0 without intercept, NaN where undefined). Units of y. */
  alpha: Float64Array;
  /** Slope (hedge ratio) per window, NaN where undefined. Units of y per unit of x. */
  beta: Float64Array;
  /** 1 where the window's regressor is degenerate (beta undefined), else 0. */
  degenerate: Uint8Array;
  /** Number of degenerate windows (0 means every NaN in `beta` is warm-up or missing data). */
  degenerateCount: number;
}

/**
 * Rolling ordinary least squares of `y` on `x` over windows of `window` points ending at each i —
 * the numbers of statsmodels `RollingOLS(y, add_constant(x), window).fit(method="lstsq").params` (the exact
 * method; the default "inv" is documented by statsmodels as possibly less accurate), NaN until the window is full.
 *
 * Algorithm: single pass over the data keeping the window's means and centered co-moments
 * (Sxx, Sxy) with compensated (TwoSum) add/remove on values centered at an anchor, re-anchored by an
 * exact two-pass recomputation of the window every 4 windows; beta = Sxy / Sxx, alpha = ȳ - beta·x̄. Stable at
 * price levels of 1e5 over 10^7 points. O(n) time, O(n) output memory, independent of `window`.
 *
 * Insufficient data / edge cases: NaN slots for i < window - 1 (all NaN when the series is shorter than
 * the window); a NaN in x or y inside a window gives NaN for that window; a constant regressor in a window
 * (all-zero without intercept) is *reported* in `degenerate`/`degenerateCount` (or thrown, see
 * `onDegenerate`) — never a silent NaN hedge ratio.
 *
 * @param y dependent series (e.g. the price of the leg being hedged).
 * @param x regressor series, same length.
 * @param window integer >= 2 (>= 1 point more than parameters is advisable for meaningful fits).
 * @throws RangeError (E_PARAM) for a bad window, different lengths or bad options.
 * @throws TypeError (E_PARAM) when y or x is not array-like.
 * @throws NonFiniteInputError when y or x holds ±Infinity.
 * @throws DegenerateInputError with `onDegenerate: "throw"` when a window's regressor is degenerate.
 * @example
 * rollingOls([3, 5, 7, 10], [1, 2, 3, 4], 3).beta // Float64Array [NaN, NaN, 2, 2.5]
 * rollingOls([3, 5, 7, 10], [1, 2, 3, 4], 3).alpha // Float64Array [NaN, NaN, 1, -0.1666…]
 */
export function rollingOls(y: ArrayLike<number>, x: ArrayLike<number>, window: number, options: RollingOlsOptions = {}): RollingOlsResult {
  assertArrayLike(WHAT, "y", y);
  assertArrayLike(WHAT, "x", x);
  assertSameLength(WHAT, "y", y, "x", x);
  assertInteger(WHAT, "window", window, 2);
  const intercept = options.intercept ?? true;
  assertOneOf(WHAT, "options.intercept", intercept, [true, false]);
  const onDegenerate = options.onDegenerate ?? "flag";
  assertOneOf(WHAT, "options.onDegenerate", onDegenerate, ["flag", "throw"] as const);
  const n = x.length;
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  const degenerate = new Uint8Array(n);
  const degenerateCount = rollingOlsKernel(WHAT, "y", "x", y, x, window, intercept, alpha, beta, degenerate);
  if (degenerateCount > 0 && onDegenerate === "throw") {
    const i = degenerate.indexOf(1);
    throw new DegenerateInputError(WHAT, "x", `is ${intercept ? "constant" : "all zero"} in the window ending at index ${i} (${degenerateCount} degenerate windows)`);
  }
  return { alpha, beta, degenerate, degenerateCount };
}
