import { assertArrayLike, assertInteger } from "../validate";
import { identity } from "./lttb";

const WHAT = "min-max downsampling";

/**
 * Min-max decimation: splits `y` into `floor(maxPoints / 2)` equal buckets and keeps, from each, the
 * index of its minimum and of its maximum (in time order; one index when they coincide). Every
 * extreme survives, which is what volume bars and spiky series need; LTTB ({@link lttbIndices}) keeps
 * the shape of smooth lines better.
 *
 * NaN handling: NaN values are skipped inside a bucket; a bucket that is entirely NaN keeps its first
 * index so the gap still draws.
 *
 * @param y - the series.
 * @param maxPoints - integer ≥ 2: upper bound on the number of indices returned. When
 *   `y.length <= maxPoints` every index is returned.
 * @returns ascending indices (`Uint32Array`), at most `maxPoints` of them.
 * @throws RangeError (E_PARAM) if `maxPoints` < 2; TypeError if `y` is not array-like.
 * Complexity O(n) time.
 * @example
 * minMaxIndices([3, 1, 4, 1, 5, 9, 2, 6], 4) // Uint32Array [1, 2, 5, 6]
 */
export function minMaxIndices(y: ArrayLike<number>, maxPoints: number): Uint32Array {
  assertArrayLike(WHAT, "y", y);
  assertInteger(WHAT, "maxPoints", maxPoints, 2);
  const n = y.length;
  if (n <= maxPoints) return identity(n);
  const buckets = Math.floor(maxPoints / 2);
  const out = new Uint32Array(buckets * 2);
  let m = 0;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let j = start; j < end; j++) {
      const v = y[j];
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < y[lo]) lo = j;
      if (hi < 0 || v > y[hi]) hi = j;
    }
    if (lo < 0) out[m++] = start;
    else if (lo === hi) out[m++] = lo;
    else if (lo < hi) {
      out[m++] = lo;
      out[m++] = hi;
    } else {
      out[m++] = hi;
      out[m++] = lo;
    }
  }
  return out.slice(0, m);
}
