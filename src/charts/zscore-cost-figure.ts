import { assertArrayLike, assertFiniteNumber, assertSameLength } from "../validate";
import { parameterRangeError } from "../errors";
import type { ChartOptions, PlotlyFigure, PlotlyValue } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

const WHAT = "z-score and cost chart";

/** Options of {@link zScoreCostFigure}. */
export interface ZScoreCostOptions extends ChartOptions {
  /** Entry level |z| (> 0), drawn as dashed bands. */
  threshold: number;
  /** Exit level (0 ≤ exit < threshold), dotted bands. */
  exit?: number;
  /** A cost level in bps to draw on the cost panel (e.g. a quote-cost alert's `aboveBps`). */
  costLevelBps?: number;
}

/**
 * The pair's z-score (top) next to its round-trip cost at the touch in bps of gross notional (bottom), on
 * one shared time axis: an entry signal is worth taking only when the expected reversion beats the cost
 * of crossing both spreads twice. Both series are thinned for display only (LTTB, ≤ maxPointsPerTrace).
 *
 * @param time - epoch ms (UTC); `z` - z-scores; `costBps` - `roundTripCost(...).costBps` on the same grid (NaN: no quote).
 * @returns a Plotly figure with two stacked y-axes. O(n).
 * @throws RangeError (E_PARAM) for mismatched lengths, a non-positive threshold, an exit outside [0, threshold), a non-finite cost level.
 * @example zScoreCostFigure(grid.time, z, cost.costBps, { threshold: 2, exit: 0.5, simulated: true })
 */
export function zScoreCostFigure(time: ArrayLike<number>, z: ArrayLike<number>, costBps: ArrayLike<number>, options: ZScoreCostOptions): PlotlyFigure {
  assertArrayLike(WHAT, "time", time);
  assertArrayLike(WHAT, "z", z);
  assertArrayLike(WHAT, "costBps", costBps);
  assertSameLength(WHAT, "time", time, "z", z);
  assertSameLength(WHAT, "time", time, "costBps", costBps);
  assertFiniteNumber(WHAT, "threshold", options.threshold);
  if (options.threshold <= 0) throw parameterRangeError(WHAT, "threshold", "a number > 0", options.threshold);
  if (options.exit !== undefined) {
    assertFiniteNumber(WHAT, "exit", options.exit);
    if (options.exit < 0 || options.exit >= options.threshold) throw parameterRangeError(WHAT, "exit", `a number in [0, threshold = ${options.threshold})`, options.exit);
  }
  if (options.costLevelBps !== undefined) assertFiniteNumber(WHAT, "costLevelBps", options.costLevelBps);
  const budget = pointBudget(WHAT, options, 2);
  const th = options.threshold;
  const layout = baseLayout(`Z-score and round-trip cost at the touch (entry ±${th})`, options, 460);
  layout.yaxis = { title: { text: "z" }, domain: [0.42, 1], zeroline: true };
  layout.yaxis2 = { title: { text: "cost (bps)" }, domain: [0, 0.32], rangemode: "tozero" };
  layout.xaxis = { type: "date", title: { text: "time (UTC)" }, anchor: "y2" };
  const hline = (y: number, yref: string, dash: string, color: string): { [key: string]: PlotlyValue } => ({
    type: "line",
    xref: "paper",
    yref,
    x0: 0,
    x1: 1,
    y0: y,
    y1: y,
    line: { dash, color, width: 1 },
  });
  const shapes: PlotlyValue[] = [hline(th, "y", "dash", "#dc2626"), hline(-th, "y", "dash", "#dc2626")];
  if (options.exit !== undefined) shapes.push(hline(options.exit, "y", "dot", "#2563eb"), hline(-options.exit, "y", "dot", "#2563eb"));
  if (options.costLevelBps !== undefined) shapes.push(hline(options.costLevelBps, "y2", "dash", "#b45309"));
  layout.shapes = shapes;
  return makeFigure(
    [
      lineTrace("z-score", time, z, budget, options, { line: { color: "#0f172a", width: 1.1 }, yaxis: "y" }),
      lineTrace("round-trip cost (bps)", time, costBps, budget, options, { line: { color: "#b45309", width: 1.1 }, yaxis: "y2" }),
    ],
    layout,
  );
}
