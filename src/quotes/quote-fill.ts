import { parameterRangeError } from "../errors";
import { assertArrayLike } from "../validate";
import type { QuoteSeries } from "./quote-types";

const WHAT = "quote fill";

/** A fill at the touch found by {@link quoteFill}. */
export interface QuoteFill {
  /** Fill price: the ask for a buy, the bid for a sell. */
  price: number;
  /** Quantity available at that price (askQty / bidQty). */
  qty: number;
  /** Time of the quote used, epoch ms (≥ the requested time). */
  time: number;
  /** Index of that quote in the series. */
  index: number;
}

/**
 * The backtest's `fills: "quotes"` rule: a buy fills at the ask and a sell at the bid of the **first quote
 * at or after** `time` (binary search on `quotes.time`, which must be non-decreasing). Returns `null` when
 * no quote is that late yet — the caller decides (skip the trade, or wait). Sizes beyond the touch are not
 * modelled. O(log n).
 *
 * @throws RangeError (E_PARAM) for a non-finite `time` or a `side` other than "buy" / "sell".
 * @example
 * const q = { time: [1000, 2000], bid: [99, 100], ask: [99.5, 100.5], bidQty: [1, 2], askQty: [3, 4] };
 * quoteFill(q, 1500, "buy")  // { price: 100.5, qty: 4, time: 2000, index: 1 }
 * quoteFill(q, 1000, "sell") // { price: 99, qty: 1, time: 1000, index: 0 }
 * quoteFill(q, 2001, "buy")  // null
 */
export function quoteFill(quotes: QuoteSeries, time: number, side: "buy" | "sell"): QuoteFill | null {
  if (typeof time !== "number" || !Number.isFinite(time)) throw parameterRangeError(WHAT, "time", "a finite epoch-ms number", time);
  if (side !== "buy" && side !== "sell") throw parameterRangeError(WHAT, "side", '"buy" or "sell"', side);
  assertArrayLike(WHAT, "quotes.time", quotes.time);
  const t = quotes.time;
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < time) lo = mid + 1;
    else hi = mid;
  }
  if (lo === t.length) return null;
  return side === "buy"
    ? { price: quotes.ask[lo], qty: quotes.askQty[lo], time: t[lo], index: lo }
    : { price: quotes.bid[lo], qty: quotes.bidQty[lo], time: t[lo], index: lo };
}
