import { InsufficientDataError } from "../errors";
import { assertAllFinite, assertArrayLike } from "../validate";

const WHAT = "mean crossings";

/**
 * Number of times a series crosses its own sample mean: the number of sign changes of s_t − s̄ between consecutive
 * bars, where a bar exactly at the mean keeps the previous sign (it neither starts nor ends a crossing).
 * ArbitrageLab's screen requires ≥ 12 crossings (per year on daily bars; pairlab counts over the sample given).
 * Algorithm: mean, then one pass. O(n).
 *
 * @param spread the spread, oldest first, finite.
 * @throws TypeError (E_PARAM) when not array-like; NonFiniteInputError for NaN/±Infinity;
 *   InsufficientDataError for fewer than 2 points.
 * @example
 * meanCrossings([1, -1, 1, 0, -1]) // 3 (mean 0; the 0 keeps the previous sign)
 */
export function meanCrossings(spread: ArrayLike<number>): number {
  assertArrayLike(WHAT, "spread", spread);
  const n = spread.length;
  if (n < 2) throw new InsufficientDataError(WHAT, 2, n, "a crossing needs two points");
  assertAllFinite(WHAT, "spread", spread);
  return crossingsOf(spread);
}

/** {@link meanCrossings} on a validated finite series (used by the screen). O(n). */
export function crossingsOf(s: ArrayLike<number>): number {
  const n = s.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += s[i];
  mean /= n;
  let sign = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const d = s[i] - mean;
    const now = d > 0 ? 1 : d < 0 ? -1 : 0;
    if (now === 0) continue;
    if (sign !== 0 && now !== sign) count++;
    sign = now;
  }
  return count;
}
