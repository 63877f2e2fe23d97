import { DegenerateInputError, NonFiniteInputError } from "../errors";
import { assertArrayLike, assertInteger, assertOneOf, assertSameLength } from "../validate";
import { BiMode, rollingBivariate } from "./rolling-kernel";

const WHAT = "rolling correlation";

/** Options of {@link rollingCorrelation}. */
export interface RollingCorrelationOptions {
  /**
   * `"returns"` (default): correlate log returns `ln(p[i] / p[i-1])`; `"prices"`: correlate the raw
   * values. The default is returns because two trending price series have a price correlation near
   * ±1 whether or not they move together day to day, which is misleading for pair selection.
   */
  on?: "returns" | "prices";
}

/**
 * Rolling Pearson correlation of `a` and `b` over windows of `window` observations ending at each i,
 * equal to pandas `a.rolling(w).corr(b)` on prices, or on log returns
 * `np.log(a).diff().rolling(w).corr(np.log(b).diff())` (the default). The output is aligned with the
 * inputs (same length); with returns, the window ending at i covers the returns of points
 * i - window + 1 … i, so the first `window` slots are NaN.
 *
 * Algorithm: single pass with Neumaier-compensated centered co-moments, re-anchored by an exact
 * two-pass recomputation every `window` steps (no drift). O(n) time.
 *
 * Insufficient data / edge cases: NaN slots until the window is full (all NaN for short input), NaN for
 * windows containing a NaN (missing points are never dropped), NaN for a window where either side is
 * constant (correlation undefined). Results are clamped to [-1, 1].
 *
 * @param a first series (prices > 0 when `on` is "returns").
 * @param b second series, same length.
 * @param window number of observations (returns or prices), integer >= 2.
 * @param options `on`: "returns" (default) or "prices".
 * @throws RangeError (E_PARAM) for a bad window/option or different lengths.
 * @throws TypeError (E_PARAM) when a or b is not array-like.
 * @throws NonFiniteInputError when a or b holds ±Infinity.
 * @throws DegenerateInputError when `on` is "returns" and a price is <= 0 (log return undefined).
 * @example
 * rollingCorrelation([1, 2, 3, 5], [2, 4, 7, 9], 3, { on: "prices" }) // Float64Array [NaN, NaN, 0.9933992677987828, 0.9538209664765319]
 */
export function rollingCorrelation(a: ArrayLike<number>, b: ArrayLike<number>, window: number, options: RollingCorrelationOptions = {}): Float64Array {
  assertArrayLike(WHAT, "a", a);
  assertArrayLike(WHAT, "b", b);
  assertSameLength(WHAT, "a", a, "b", b);
  assertInteger(WHAT, "window", window, 2);
  const on = options.on ?? "returns";
  assertOneOf(WHAT, "options.on", on, ["returns", "prices"] as const);
  const n = a.length;
  const out = new Float64Array(n);
  if (on === "prices") {
    rollingBivariate(WHAT, "a", "b", a, b, window, BiMode.Correlation, out, null, null);
    return out;
  }
  if (n < 2) return out.fill(NaN);
  const ra = logReturns(a, "a");
  const rb = logReturns(b, "b");
  const r = new Float64Array(n - 1);
  rollingBivariate(WHAT, "a", "b", ra, rb, window, BiMode.Correlation, r, null, null);
  out[0] = NaN;
  out.set(r, 1);
  return out;
}

function logReturns(p: ArrayLike<number>, field: string): Float64Array {
  const n = p.length;
  const r = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (v === Infinity || v === -Infinity) throw new NonFiniteInputError(WHAT, field, i, v);
    if (v <= 0) throw new DegenerateInputError(WHAT, field, `must be > 0 for log returns, got ${v} at index ${i}`);
  }
  for (let i = 1; i < n; i++) r[i - 1] = Math.log(p[i] / p[i - 1]);
  return r;
}
