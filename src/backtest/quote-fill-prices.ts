import { parameterRangeError, parameterTypeError } from "../errors";
import { quoteFill } from "../quotes/quote-fill";
import type { QuoteSeries } from "../quotes/quote-types";
import type { BacktestOptions } from "./types";

/** Per-bar fill prices of `fills: "quotes"`: what a buy and a sell of each leg fill at when filled at bar i's open. */
export interface QuoteFillPrices {
  buyY: Float64Array;
  sellY: Float64Array;
  buyX: Float64Array;
  sellX: Float64Array;
}

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));

/**
 * The backtest's `fills: "quotes"` prices on the bar grid: for each bar open time t, a buy fills at the ask and a
 * sell at the bid of the **first quote at or after t** (`quoteFill`), per leg; `null` for `fills: "bars"` (the
 * default: open ± slippage). Every bar must have such a quote on both legs (trim the bars to the quotes' span,
 * as `pair.backtest({ fills: "quotes" })` does). O(n log m).
 *
 * @throws TypeError / RangeError (E_PARAM) for an unknown `fills`, `fills: "quotes"` without `quotes` (or `quotes`
 *   with `fills: "bars"`), malformed quote columns, or a bar with no quote at or after its open (named with its time).
 * @example
 * quoteFillPrices("backtest", [1000], { fills: "quotes", quotes: { y: qy, x: qx }, ... }).buyY[0] // qy's ask at or after 1000
 */
export function quoteFillPrices(what: string, time: Float64Array, options: BacktestOptions): QuoteFillPrices | null {
  const fills = options.fills ?? "bars";
  if (fills !== "bars" && fills !== "quotes") throw parameterRangeError(what, "fills", '"bars" (open ± slippage) or "quotes" (ask / bid of the first quote at or after the fill time)', fills);
  if (fills === "bars") {
    if (options.quotes !== undefined) throw parameterRangeError(what, "quotes", 'undefined unless fills is "quotes"', "quotes given with fills: \"bars\"");
    return null;
  }
  const q = options.quotes;
  if (q === null || typeof q !== "object" || q.y === undefined || q.x === undefined) {
    throw parameterTypeError(what, "quotes", "{ y, x } quote columns (time, bid, ask, bidQty, askQty) of both legs with fills: \"quotes\"", q);
  }
  const n = time.length;
  const out: QuoteFillPrices = { buyY: new Float64Array(n), sellY: new Float64Array(n), buyX: new Float64Array(n), sellX: new Float64Array(n) };
  for (const [leg, series, buy, sell] of [["y", q.y, out.buyY, out.sellY], ["x", q.x, out.buyX, out.sellX]] as const) {
    for (const key of ["time", "bid", "ask"] as const) {
      const col = (series as QuoteSeries)[key];
      if (col === null || typeof col !== "object" || typeof col.length !== "number") throw parameterTypeError(what, `quotes.${leg}.${key}`, "an array of numbers", col);
      if (col.length !== series.time.length) throw parameterRangeError(what, `quotes.${leg}.${key}`, `one value per quote (${series.time.length})`, `length ${col.length}`);
    }
    for (let i = 0; i < n; i++) {
      const b = quoteFill(series, time[i], "buy");
      if (b === null) {
        throw parameterRangeError(what, `quotes.${leg}`, `a quote at or after every bar open (trim the bars to the quotes' span)`, `none at or after bar ${i} (${iso(time[i])})`);
      }
      buy[i] = b.price;
      sell[i] = series.bid[b.index];
      if (!(sell[i] > 0) || !(buy[i] > sell[i]) || !Number.isFinite(buy[i])) {
        throw parameterRangeError(what, `quotes.${leg}`, "0 < bid < ask, finite", `bid ${sell[i]}, ask ${buy[i]} at ${iso(series.time[b.index])}`);
      }
    }
  }
  return out;
}
