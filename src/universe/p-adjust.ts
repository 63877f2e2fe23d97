import { assertArrayLike } from "../validate";
import { parameterRangeError } from "../errors";

function checked(what: string, p: ArrayLike<number>): Float64Array {
  assertArrayLike(what, "p", p);
  const out = Float64Array.from(p);
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (!(v >= 0 && v <= 1)) throw parameterRangeError(what, `p[${i}]`, "a p-value in [0, 1]", v);
  }
  return out;
}

function ascendingOrder(p: Float64Array): Uint32Array {
  const idx = new Uint32Array(p.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => p[a] - p[b] || a - b);
}

/**
 * Holm (1979) step-down adjusted p-values (family-wise error rate), identical to statsmodels
 * `multipletests(p, method="holm")[1]`: sort ascending, p₍ᵢ₎·(m − i) for i = 0 … m−1, running maximum, capped at 1,
 * back in input order. Reject H0 when the adjusted p-value < α. O(m log m).
 *
 * @param p raw p-values in [0, 1] (any order). Empty gives an empty array.
 * @throws TypeError / RangeError (E_PARAM) when `p` is not array-like or holds a value outside [0, 1] (NaN included).
 * @example
 * holmAdjust([0.01, 0.04, 0.03]) // Float64Array [0.03, 0.06, 0.06]
 */
export function holmAdjust(p: ArrayLike<number>): Float64Array {
  const ps = checked("Holm adjustment", p);
  const m = ps.length;
  const order = ascendingOrder(ps);
  const out = new Float64Array(m);
  let run = 0;
  for (let i = 0; i < m; i++) {
    const k = order[i];
    run = Math.max(run, ps[k] * (m - i));
    out[k] = Math.min(run, 1);
  }
  return out;
}

/**
 * Benjamini–Hochberg (1995) adjusted p-values (false discovery rate), identical to statsmodels
 * `multipletests(p, method="fdr_bh")[1]`: sort ascending, p₍ᵢ₎·m/(i + 1), running minimum from the largest, capped
 * at 1, back in input order. Valid under independence or positive dependence of the tests. O(m log m).
 *
 * @param p raw p-values in [0, 1] (any order). Empty gives an empty array.
 * @throws TypeError / RangeError (E_PARAM) when `p` is not array-like or holds a value outside [0, 1] (NaN included).
 * @example
 * benjaminiHochbergAdjust([0.01, 0.04, 0.03]) // Float64Array [0.03, 0.04, 0.04]
 */
export function benjaminiHochbergAdjust(p: ArrayLike<number>): Float64Array {
  const ps = checked("Benjamini-Hochberg adjustment", p);
  const m = ps.length;
  const order = ascendingOrder(ps);
  const out = new Float64Array(m);
  let run = Infinity;
  for (let i = m - 1; i >= 0; i--) {
    const k = order[i];
    run = Math.min(run, (ps[k] * m) / (i + 1));
    out[k] = Math.min(run, 1);
  }
  return out;
}
