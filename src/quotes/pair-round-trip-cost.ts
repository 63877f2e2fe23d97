import type { BarInterval } from "../analytics/types";
import { quoteBars, type QuoteBarsOptions } from "./quote-bars";
import type { QuoteSeries } from "./quote-types";
import { roundTripCost, type RoundTripCostOptions } from "./round-trip-cost";

/** Output of {@link pairRoundTripCost}: one row per bar of the common grid. */
export interface PairRoundTripCost {
  /** Bar open times, epoch ms. */
  time: Float64Array;
  /** Quote currency per unit of y (NaN before either leg's first quote). */
  cost: Float64Array;
  /** bps of the gross notional. */
  costBps: Float64Array;
}

/**
 * The pair's round-trip cost at the touch per bar: both legs' quotes binned on one grid with
 * {@link quoteBars} (the touch at each bar close; grid from the earlier first quote to the later last quote
 * unless `from`/`to` are given) and priced with {@link roundTripCost}. O(quotes + bars).
 *
 * @param beta - hedge ratio: a number, or a series on the grid (pass `from`/`to` to fix the grid's length).
 * @throws RangeError (E_PARAM) as quoteBars / roundTripCost.
 * @example
 * const c = pairRoundTripCost(quoteStore.quotes("ethusdt"), quoteStore.quotes("btcusdt"), 0.03, "1m", { feeBps: 5 });
 * // c.time, c.costBps → zScoreCostFigure(c.time, z, c.costBps, { threshold: 2 })
 */
export function pairRoundTripCost(
  y: QuoteSeries,
  x: QuoteSeries,
  beta: number | ArrayLike<number>,
  interval: BarInterval,
  options: RoundTripCostOptions & QuoteBarsOptions = {},
): PairRoundTripCost {
  const ends = (q: QuoteSeries): [number, number] => (q.time.length > 0 ? [q.time[0], q.time[q.time.length - 1]] : [NaN, NaN]);
  const [y0, y1] = ends(y);
  const [x0, x1] = ends(x);
  const from = options.from ?? (Number.isNaN(y0) ? x0 : Number.isNaN(x0) ? y0 : Math.min(y0, x0));
  const to = options.to ?? (Number.isNaN(y1) ? x1 : Number.isNaN(x1) ? y1 : Math.max(y1, x1));
  if (Number.isNaN(from) || Number.isNaN(to)) return { time: new Float64Array(0), cost: new Float64Array(0), costBps: new Float64Array(0) };
  const by = quoteBars(y, interval, { from, to });
  const bx = quoteBars(x, interval, { from, to });
  const c = roundTripCost({ bidY: by.bid, askY: by.ask, bidX: bx.bid, askX: bx.ask }, beta, { feeBps: options.feeBps });
  return { time: by.time, cost: c.cost, costBps: c.costBps };
}
