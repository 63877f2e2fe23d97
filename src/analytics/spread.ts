import { parameterRangeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";

const WHAT = "spread";

/**
 * Spread of a pair: `s[i] = y[i] - alpha - beta·x[i]` (units of y). `beta` and `alpha` are either
 * constants (a static hedge from {@link ols}) or series of the same length (a rolling hedge from
 * {@link rollingOls}, NaN during warm-up, which propagates to the spread). O(n).
 *
 * Insufficient data / edge cases: no minimum length (empty in → empty out); NaN in any input gives NaN in
 * that slot (elementwise; nothing is dropped).
 *
 * @param y leg bought when the spread is long. @param x hedge leg, same length.
 * @param beta hedge ratio: number or series. @param alpha intercept: number or series, default 0.
 * @throws RangeError (E_PARAM) for a non-finite scalar beta/alpha or series of different lengths.
 * @throws TypeError (E_PARAM) when a series argument is not array-like.
 * @example
 * spread([10, 12], [5, 5], 2)         // Float64Array [0, 2]
 * spread([10, 12], [5, 5], [2, 2], 1) // Float64Array [-1, 1]
 */
export function spread(y: ArrayLike<number>, x: ArrayLike<number>, beta: number | ArrayLike<number>, alpha: number | ArrayLike<number> = 0): Float64Array {
  assertArrayLike(WHAT, "y", y);
  assertArrayLike(WHAT, "x", x);
  assertSameLength(WHAT, "y", y, "x", x);
  const n = y.length;
  const bs = checkCoef("beta", beta, y);
  const as = checkCoef("alpha", alpha, y);
  const out = new Float64Array(n);
  if (bs === null && as === null) {
    const b = beta as number, a = alpha as number;
    for (let i = 0; i < n; i++) out[i] = y[i] - a - b * x[i];
  } else {
    for (let i = 0; i < n; i++) {
      const b = bs === null ? (beta as number) : bs[i];
      const a = as === null ? (alpha as number) : as[i];
      out[i] = y[i] - a - b * x[i];
    }
  }
  return out;
}

function checkCoef(field: string, value: number | ArrayLike<number>, y: ArrayLike<number>): ArrayLike<number> | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw parameterRangeError(WHAT, field, "a finite number or a series as long as 'y'", value);
    return null;
  }
  assertArrayLike(WHAT, field, value);
  assertSameLength(WHAT, "y", y, field, value);
  return value;
}
