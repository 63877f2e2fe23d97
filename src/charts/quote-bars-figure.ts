import { parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure, PlotlyTrace } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

const WHAT = "quote bars chart";

/** One leg of {@link quoteBarsFigure}: its quote bars on a shared time grid (e.g. `quoteBars(...)` columns). */
export interface QuoteBarsLeg {
  symbol: string;
  /** Bar open times, epoch ms (UTC). */
  time: ArrayLike<number>;
  /** Mid-price at the bar close, (bid + ask) / 2. */
  midClose: ArrayLike<number>;
  /** Microprice at the bar close, (bid·askQty + ask·bidQty) / (bidQty + askQty). */
  microClose: ArrayLike<number>;
  /** Quoted spread at the bar close, bps of mid. */
  spreadBps: ArrayLike<number>;
}

/**
 * Mid-price and microprice bars of the two legs of a pair (one panel per leg: their price levels differ) above
 * both legs' quoted spread in bps, on one shared time axis. NaN (bars before a leg's first quote) leaves a gap.
 * Series are thinned for display only (LTTB, ≤ maxPointsPerTrace per trace).
 *
 * @returns a Plotly figure with three stacked y-axes. O(n).
 * @throws TypeError / RangeError (E_PARAM) when `legs` is not two legs, or a leg's columns are not arrays of one length.
 * @example quoteBarsFigure([{ symbol: "ethusdt", ...quoteBars(qy, "1s") }, { symbol: "btcusdt", ...quoteBars(qx, "1s") }], { simulated: true })
 */
export function quoteBarsFigure(legs: readonly [QuoteBarsLeg, QuoteBarsLeg], options: ChartOptions = {}): PlotlyFigure {
  if (!Array.isArray(legs) || legs.length !== 2) throw parameterTypeError(WHAT, "legs", "two legs [y, x] of { symbol, time, midClose, microClose, spreadBps }", legs);
  legs.forEach((leg, i) => {
    if (leg === null || typeof leg !== "object" || typeof leg.symbol !== "string") throw parameterTypeError(WHAT, `legs[${i}]`, "{ symbol, time, midClose, microClose, spreadBps }", leg);
    for (const f of ["time", "midClose", "microClose", "spreadBps"] as const) assertArrayLike(WHAT, `legs[${i}].${f}`, leg[f]);
    for (const f of ["midClose", "microClose", "spreadBps"] as const) assertSameLength(WHAT, `legs[${i}].time`, leg.time, `legs[${i}].${f}`, leg[f]);
  });
  if (legs[0].symbol === legs[1].symbol) throw parameterRangeError(WHAT, "legs[1].symbol", `a symbol other than legs[0]'s (${legs[0].symbol})`, legs[1].symbol);
  const budget = pointBudget(WHAT, options, 6);
  const [y, x] = legs;
  const layout = baseLayout(`Mid-price and microprice bars — ${y.symbol} / ${x.symbol}`, options, 560);
  layout.yaxis = { title: { text: `${y.symbol} price` }, domain: [0.6, 1] };
  layout.yaxis2 = { title: { text: `${x.symbol} price` }, domain: [0.3, 0.56] };
  layout.yaxis3 = { title: { text: "spread (bps)" }, domain: [0, 0.24], rangemode: "tozero" };
  layout.xaxis = { type: "date", title: { text: "time (UTC)" }, anchor: "y3" };
  const traces: PlotlyTrace[] = [];
  const colors = ["#1d4ed8", "#047857"];
  legs.forEach((leg, i) => {
    const axis = i === 0 ? "y" : "y2";
    traces.push(lineTrace(`${leg.symbol} mid`, leg.time, leg.midClose, budget, options, { line: { color: colors[i], width: 1.2 }, yaxis: axis }));
    traces.push(lineTrace(`${leg.symbol} microprice`, leg.time, leg.microClose, budget, options, { line: { color: colors[i], width: 1, dash: "dot" }, yaxis: axis }));
  });
  legs.forEach((leg, i) => traces.push(lineTrace(`${leg.symbol} quoted spread (bps)`, leg.time, leg.spreadBps, budget, options, { line: { color: colors[i], width: 1 }, yaxis: "y3" })));
  return makeFigure(traces, layout);
}
