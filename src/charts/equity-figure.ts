import { parameterRangeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure, PlotlyTrace } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

const WHAT = "equity chart";

/** What {@link equityFigure} draws: a backtest run's bar times and equity (a `BacktestRun` fits). */
export interface EquitySeries {
  /** Bar times, epoch ms (UTC). */
  time: ArrayLike<number>;
  /** Equity at each bar close, quote currency. */
  equity: ArrayLike<number>;
}

/**
 * Equity curve of a backtest (top, quote currency) with its drawdown below (1 − E_i / max_{k≤i} E_k, in %,
 * drawn as a filled area going down), both on the same UTC time axis, min-max thinned to the point budget
 * (the extremes of equity and drawdown are kept). A `split` time draws a vertical line (walk-forward).
 *
 * @param run - `{ time, equity }`, same length.
 * @param options - {@link ChartOptions} plus `capital` (a dotted reference line) and `split` (epoch ms).
 * @returns a Plotly figure. O(n).
 * @throws RangeError (E_PARAM) on mismatched lengths or a non-finite `capital`.
 * @example equityFigure(run, { capital: 20_000, simulated: true })
 */
export function equityFigure(run: EquitySeries, options: ChartOptions & { capital?: number; split?: number } = {}): PlotlyFigure {
  if (run === null || typeof run !== "object") throw parameterRangeError(WHAT, "run", "an object { time, equity } (a backtest run)", run);
  assertArrayLike(WHAT, "time", run.time);
  assertArrayLike(WHAT, "equity", run.equity);
  assertSameLength(WHAT, "time", run.time, "equity", run.equity);
  if (options.capital !== undefined && !Number.isFinite(options.capital)) throw parameterRangeError(WHAT, "capital", "a finite number", options.capital);
  const n = run.equity.length;
  const drawdown = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = run.equity[i];
    if (e > peak) peak = e;
    drawdown[i] = -100 * (1 - e / peak);
  }
  const budget = pointBudget(WHAT, options, 2);
  const layout = baseLayout("Equity and drawdown", options, 460);
  layout.yaxis = { title: { text: "equity" }, domain: [0.34, 1] };
  layout.yaxis2 = { title: { text: "drawdown %" }, domain: [0, 0.26], anchor: "x" };
  layout.xaxis = { type: "date", title: { text: "time (UTC)" }, anchor: "y2" }; // time ticks under the drawdown panel
  const shapes = [];
  if (options.capital !== undefined) {
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: options.capital, y1: options.capital, line: { dash: "dot", color: "#64748b", width: 1 } });
  }
  if (options.split !== undefined && Number.isFinite(options.split)) {
    shapes.push({ type: "line", xref: "x", x0: Math.round(options.split), x1: Math.round(options.split), yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "#7c3aed", width: 1 } });
  }
  layout.shapes = shapes;
  const data: PlotlyTrace[] = [
    lineTrace("equity", run.time, run.equity, budget, options, { line: { color: "#0f766e", width: 1.4 } }, "minmax"),
    lineTrace("drawdown %", run.time, drawdown, budget, options, { yaxis: "y2", fill: "tozeroy", line: { color: "#dc2626", width: 1 } }, "minmax"),
  ];
  return makeFigure(data, layout);
}
