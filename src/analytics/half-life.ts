import { DegenerateInputError, InsufficientDataError } from "../errors";
import { assertAllFinite, assertArrayLike } from "../validate";
import { ols } from "./ols";

const WHAT = "half-life";

/**
 * Mean-reversion half-life of a spread, in bars: fits the AR(1) model
 * `s[t] = c + φ·s[t-1] + ε` by OLS (statsmodels `OLS(s[1:], add_constant(s[:-1]))`) and returns the
 * number of bars after which a deviation has halved, `h = -ln 2 / ln|φ|` (exact for AR(1); the
 * popular `-ln 2 / (φ - 1)` is its first-order approximation).
 *
 * - `0 < φ < 1`: mean reverting, h > 0. `-1 < φ <= 0`: reverts with oscillation, h = -ln 2 / ln|φ| (0 when φ = 0).
 * - `|φ| >= 1`: no mean reversion (random walk or explosive): returns `Infinity`.
 *
 * Algorithm: {@link ols} on the lagged pairs, O(n).
 *
 * Insufficient data / edge cases (scalar result): fewer than 4 points (3 lagged pairs) throws
 * {@link InsufficientDataError}; a constant spread throws {@link DegenerateInputError}; NaN/±Infinity throws
 * NonFiniteInputError (slice a rolling spread's NaN warm-up off first).
 *
 * @param spread the spread series, oldest first (any units; result is in bars of that series).
 * @returns half-life in bars (> 0, or Infinity).
 * @throws TypeError (E_PARAM) when `spread` is not array-like.
 * @example
 * halfLife([1, 0.5, 0.25, 0.125, 0.0625]) // 1 (φ = 0.5: each bar halves the deviation)
 */
export function halfLife(spread: ArrayLike<number>): number {
  assertArrayLike(WHAT, "spread", spread);
  const n = spread.length;
  if (n < 4) throw new InsufficientDataError(WHAT, 4, n, "an AR(1) fit with intercept needs 3 lagged pairs");
  assertAllFinite(WHAT, "spread", spread);
  const lagged = new Float64Array(n - 1);
  const next = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    lagged[i - 1] = spread[i - 1];
    next[i - 1] = spread[i];
  }
  let phi: number;
  try {
    phi = ols(next, lagged).beta;
  } catch (error) {
    if (error instanceof DegenerateInputError) throw new DegenerateInputError(WHAT, "spread", "is constant: no deviation to revert");
    throw error;
  }
  const a = Math.abs(phi);
  if (a >= 1) return Infinity;
  if (a === 0) return 0;
  return -Math.LN2 / Math.log(a);
}
