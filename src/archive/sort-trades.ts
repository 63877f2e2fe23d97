import type { ArchivedTrades } from "./archive-types";

/**
 * Puts archived trade columns in (time, id) order in place (no-op when already ordered, the usual case:
 * exchange ids increase with time) and trims them to [from, to). O(n) when ordered, O(n log n) otherwise.
 *
 * @example
 * const f = (xs: number[]) => Float64Array.from(xs);
 * const t = orderAndTrim({ symbol: "x", id: f([2, 1]), time: f([5, 5]), price: f([2, 1]), qty: f([1, 1]), maker: new Uint8Array(2), simulated: new Uint8Array(2) }, 0, 10);
 * // t.id = Float64Array [1, 2], t.price = Float64Array [1, 2]
 */
export function orderAndTrim(t: ArchivedTrades, from: number, to: number): ArchivedTrades {
  const n = t.id.length;
  let ordered = true;
  for (let i = 1; i < n; i++) {
    const dt = t.time[i] - t.time[i - 1];
    if (dt < 0 || (dt === 0 && t.id[i] < t.id[i - 1])) {
      ordered = false;
      break;
    }
  }
  let out = t;
  if (!ordered) {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => t.time[a] - t.time[b] || t.id[a] - t.id[b]);
    out = {
      symbol: t.symbol,
      id: permute(t.id, idx),
      time: permute(t.time, idx),
      price: permute(t.price, idx),
      qty: permute(t.qty, idx),
      maker: permuteU8(t.maker, idx),
      simulated: permuteU8(t.simulated, idx),
    };
  }
  const lo = lowerBound(out.time, from);
  const hi = lowerBound(out.time, to);
  if (lo === 0 && hi === n) return out;
  return {
    symbol: out.symbol,
    id: out.id.slice(lo, hi),
    time: out.time.slice(lo, hi),
    price: out.price.slice(lo, hi),
    qty: out.qty.slice(lo, hi),
    maker: out.maker.slice(lo, hi),
    simulated: out.simulated.slice(lo, hi),
  };
}

/** First index i with a[i] >= x in a non-decreasing array (a.length when none). O(log n). */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function permute(a: Float64Array, idx: number[]): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

function permuteU8(a: Uint8Array, idx: number[]): Uint8Array {
  const out = new Uint8Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

/** True when the non-decreasing array `sorted` holds `x`. O(log n). */
export function sortedIncludes(sorted: ArrayLike<number>, x: number): boolean {
  const i = lowerBound(sorted, x);
  return i < sorted.length && sorted[i] === x;
}
