import { parameterRangeError } from "../errors";
import { SWEEP_METRICS, type SweepMetric, type SweepResult } from "../backtest/sweep-backtest";
import type { ChartOptions, PlotlyFigure, PlotlyValue } from "./figure";
import { chartTitle, makeFigure, roundForPlot, simulatedAnnotation } from "./figure-common";

const WHAT = "sweep heatmap";
const PARAMS = ["entry", "exit", "zWindow", "hedgeWindow"] as const;
const METRICS: readonly SweepMetric[] = SWEEP_METRICS;

/** Options of {@link sweepHeatmapFigure}. */
export interface SweepHeatmapOptions extends ChartOptions {
  /** Metric shown as colour. Default "sharpe". */
  metric?: SweepMetric;
  /** Parameter on the x axis. Default "entry". */
  x?: (typeof PARAMS)[number];
  /** Parameter on the y axis. Default "exit". */
  y?: (typeof PARAMS)[number];
  /**
   * How rows that share an (x, y) cell — the other parameters varying — are combined: "max" (default; the best
   * case for metrics where larger is better), "min", or "mean".
   */
  aggregate?: "max" | "min" | "mean";
}

/**
 * Heatmap of one metric of a parameter sweep (`sweepBacktest`) over two of its parameters; each cell shows the
 * value as text, empty cells (skipped combinations, NaN metrics) stay blank. O(rows).
 *
 * @param sweep - a {@link SweepResult}.
 * @param options - {@link SweepHeatmapOptions}.
 * @returns a Plotly figure.
 * @throws RangeError (E_PARAM) for an unknown metric, parameter or aggregate, or x = y.
 * @example sweepHeatmapFigure(sweep, { metric: "sharpe", x: "entry", y: "zWindow", simulated: true })
 */
export function sweepHeatmapFigure(sweep: SweepResult, options: SweepHeatmapOptions = {}): PlotlyFigure {
  const metric = options.metric ?? "sharpe";
  const xKey = options.x ?? "entry";
  const yKey = options.y ?? "exit";
  const aggregate = options.aggregate ?? "max";
  if (!METRICS.includes(metric)) throw parameterRangeError(WHAT, "metric", `one of ${METRICS.join(", ")}`, metric);
  if (!PARAMS.includes(xKey)) throw parameterRangeError(WHAT, "x", `one of ${PARAMS.join(", ")}`, xKey);
  if (!PARAMS.includes(yKey) || yKey === xKey) throw parameterRangeError(WHAT, "y", `one of ${PARAMS.join(", ")}, not x (${xKey})`, yKey);
  if (!["max", "min", "mean"].includes(aggregate)) throw parameterRangeError(WHAT, "aggregate", `"max", "min" or "mean"`, aggregate);
  if (sweep === null || typeof sweep !== "object" || !Array.isArray(sweep.rows)) throw parameterRangeError(WHAT, "sweep", "a sweepBacktest result", sweep);
  const xs = [...new Set(sweep.rows.map((r) => r[xKey]))].sort((a, b) => a - b);
  const ys = [...new Set(sweep.rows.map((r) => r[yKey]))].sort((a, b) => a - b);
  const cells = ys.map(() => xs.map(() => [] as number[]));
  for (const row of sweep.rows) {
    const v = row[metric];
    if (Number.isFinite(v)) cells[ys.indexOf(row[yKey])][xs.indexOf(row[xKey])].push(v);
  }
  const z: (number | null)[][] = cells.map((line) =>
    line.map((values) => {
      if (values.length === 0) return null;
      const v = aggregate === "max" ? Math.max(...values) : aggregate === "min" ? Math.min(...values) : values.reduce((s, a) => s + a, 0) / values.length;
      return roundForPlot(v, 6);
    }),
  );
  const varying = PARAMS.filter((p) => p !== xKey && p !== yKey && new Set(sweep.rows.map((r) => r[p])).size > 1);
  const base = `${metric} by ${xKey} × ${yKey}${varying.length > 0 ? ` (${aggregate} over ${varying.join(", ")})` : ""}`;
  const layout: { [key: string]: PlotlyValue | undefined } = {
    title: { text: chartTitle(`Sweep: ${base}`, options), x: 0.01, xanchor: "left" },
    height: options.height ?? 380,
    margin: { l: 70, r: 20, t: 50, b: 50 },
    xaxis: { title: { text: xKey }, type: "category" },
    yaxis: { title: { text: yKey }, type: "category" },
    annotations: options.simulated ? [simulatedAnnotation()] : [],
  };
  return makeFigure(
    [
      {
        type: "heatmap",
        x: xs.map(String),
        y: ys.map(String),
        z,
        // Plotly's RdBu runs blue (low) → red (high): reversed where larger is better, so "good" is always blue.
        colorscale: "RdBu",
        reversescale: !(metric === "maxDrawdown" || metric === "feesPaid" || metric === "fundingPaid"),
        zmid: metric === "sharpe" || metric === "totalReturn" ? 0 : undefined,
        texttemplate: "%{z:.3g}",
        colorbar: { title: { text: metric } },
        hovertemplate: `${xKey} %{x}<br>${yKey} %{y}<br>${metric} %{z}<extra></extra>`,
      },
    ],
    layout,
  );
}
