import { assertArrayLike, assertInteger } from "../validate";
import { rollingUnivariate } from "./rolling-kernel";

const WHAT = "rolling z-score";

/**
 * Rolling z-score: `z[i] = (x[i] - mean(w)) / std(w)` over the window of the last `window` points
 * ending at i (the point itself included), with the **sample** standard deviation (ddof = 1) —
 * identical to pandas `(s - s.rolling(w).mean()) / s.rolling(w).std()`.
 *
 * Algorithm: single pass over sums of values centered at an anchor (sum of squares added/removed with
 * compensated TwoSum summation), re-anchored by an exact two-pass recomputation of the window every
 * 4 windows (no drift over 10^7 points at 1e5). O(n) time,
 * O(1) extra memory.
 *
 * Insufficient data / edge cases (the library-wide rule): NaN slots for i < window - 1 (so a series
 * shorter than the window gives all NaN); a NaN in the window gives NaN (missing points are never
 * dropped, windows never shift); a constant window has std 0 and gives NaN (z undefined).
 *
 * @param x series (e.g. a spread), any units.
 * @param window number of points, integer >= 2.
 * @returns Float64Array of x.length z-scores (unitless).
 * @throws RangeError (E_PARAM) when `window` is not an integer >= 2.
 * @throws TypeError (E_PARAM) when `x` is not array-like.
 * @throws NonFiniteInputError when `x` holds ±Infinity.
 * @example
 * rollingZScore([1, 2, 3, 4, 6], 3) // Float64Array [NaN, NaN, 1, 1, 1.0910894511799614]
 */
export function rollingZScore(x: ArrayLike<number>, window: number): Float64Array {
  assertArrayLike(WHAT, "x", x);
  assertInteger(WHAT, "window", window, 2);
  const out = new Float64Array(x.length);
  rollingUnivariate(WHAT, "x", x, window, out);
  return out;
}
