import { parameterRangeError } from "../errors";
import { assertArrayLike, assertInteger, assertSameLength } from "../validate";

const WHAT = "LTTB downsampling";

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013,
 * https://skemman.is/handle/1946/15343): picks `maxPoints` indices of the series `(x, y)` that keep
 * its visual shape. The first and last points are always kept; the other points are split into
 * `maxPoints − 2` equal buckets and from each bucket the point forming the largest triangle with the
 * previously kept point and the mean of the next bucket is kept.
 *
 * NaN handling (explicit, so gaps stay visible): a NaN point is kept only when its whole bucket is
 * NaN (then the bucket's first index is kept, which draws as a gap); when the previously kept point
 * is NaN the vertical distance to the next bucket's mean decides; when the next bucket is all NaN the
 * previous point alone decides.
 *
 * @param x - abscissae (e.g. epoch ms), non-decreasing.
 * @param y - ordinates, same length as `x`.
 * @param maxPoints - integer ≥ 3: number of points to keep. When `y.length <= maxPoints` every index is returned.
 * @returns ascending indices into `x`/`y` (`Uint32Array`).
 * @throws RangeError (E_PARAM) if `maxPoints` < 3 or lengths differ; TypeError if inputs are not array-like.
 * Complexity O(n) time, O(maxPoints) memory.
 * @example
 * lttbIndices([0, 1, 2, 3, 4], [0, 5, 0, 1, 0], 3) // Uint32Array [0, 1, 4]
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number): Uint32Array {
  assertArrayLike(WHAT, "x", x);
  assertArrayLike(WHAT, "y", y);
  assertSameLength(WHAT, "x", x, "y", y);
  assertInteger(WHAT, "maxPoints", maxPoints, 3);
  const n = y.length;
  if (n <= maxPoints) return identity(n);
  const out = new Uint32Array(maxPoints);
  const every = (n - 2) / (maxPoints - 2);
  let a = 0;
  out[0] = 0;
  for (let i = 0; i < maxPoints - 2; i++) {
    const start = Math.floor(i * every) + 1;
    const end = Math.min(Math.floor((i + 1) * every) + 1, n - 1);
    // Mean of the next bucket (finite points only).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let sx = 0;
    let sy = 0;
    let k = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (Number.isFinite(y[j])) {
        sx += x[j];
        sy += y[j];
        k++;
      }
    }
    const ax = x[a];
    const ay = y[a];
    const hasNext = k > 0;
    const mx = hasNext ? sx / k : 0;
    const my = hasNext ? sy / k : 0;
    let best = -1;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const yj = y[j];
      if (!Number.isFinite(yj)) continue;
      let area: number;
      if (Number.isFinite(ay) && hasNext) area = Math.abs((ax - mx) * (yj - ay) - (ax - x[j]) * (my - ay));
      else if (hasNext) area = Math.abs(yj - my);
      else if (Number.isFinite(ay)) area = Math.abs(yj - ay);
      else area = 0;
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    if (best < 0) best = start; // whole bucket NaN: keep one NaN so the gap is drawn
    out[i + 1] = best;
    a = best;
  }
  out[maxPoints - 1] = n - 1;
  return out;
}

/** Returns `[0, 1, …, n − 1]`. O(n). */
export function identity(n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0) throw parameterRangeError("index range", "n", "an integer >= 0", n);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
