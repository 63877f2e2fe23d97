import { assertArrayLike, assertSameLength } from "../validate";

const WHAT = "quoted spread";

/**
 * Quoted spread in basis points, point by point: `(ask − bid) / mid · 10⁴` with `mid = (bid + ask) / 2`
 * (the relative spread; Binance BTCUSDT's 0.1 tick at 100,000 is 0.01 bps). A NaN in either input gives
 * NaN in that slot (e.g. bins before the first quote). O(n).
 *
 * @throws TypeError / RangeError (E_PARAM) for non-arrays or different lengths.
 * @example quotedSpreadBps([99.5], [100.5]) // Float64Array [100]
 */
export function quotedSpreadBps(bid: ArrayLike<number>, ask: ArrayLike<number>): Float64Array {
  assertArrayLike(WHAT, "bid", bid);
  assertArrayLike(WHAT, "ask", ask);
  assertSameLength(WHAT, "bid", bid, "ask", ask);
  const out = new Float64Array(bid.length);
  for (let i = 0; i < out.length; i++) {
    const b = bid[i];
    const a = ask[i];
    out[i] = ((a - b) / ((a + b) / 2)) * 1e4;
  }
  return out;
}
