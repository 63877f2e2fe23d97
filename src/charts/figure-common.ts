import { assertInteger } from "../validate";
import type { ChartOptions, PlotlyFigure, PlotlyTrace, PlotlyValue } from "./figure";
import { lttbIndices } from "./lttb";
import { minMaxIndices } from "./min-max-decimate";

/** Hard upper bound on points per trace (issue 6: ≤ 5,000 per trace). */
export const MAX_POINTS_PER_TRACE = 5000;

/** Significant digits kept when serialising plotted values (display only; analytics keep full precision). */
export const PLOT_DIGITS = 7;

/**
 * Rounds `v` to `digits` significant digits for compact JSON; NaN/±Infinity become `null` (a gap).
 * O(1).
 */
export function roundForPlot(v: number, digits = PLOT_DIGITS): number | null {
  if (!Number.isFinite(v)) return null;
  if (v === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  const scale = 10 ** (digits - 1 - magnitude);
  return Number.isFinite(scale) && scale > 0 ? Math.round(v * scale) / scale : v;
}

/** Picks `values[indices[i]]` as a plain JSON array, rounded with {@link roundForPlot}. O(k). */
export function pick(values: ArrayLike<number>, indices: Uint32Array, digits = PLOT_DIGITS): (number | null)[] {
  const out = new Array<number | null>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = roundForPlot(values[indices[i]], digits);
  return out;
}

/** Picks epoch-ms timestamps as integers (Plotly date axes accept epoch ms). O(k). */
export function pickTime(time: ArrayLike<number>, indices: Uint32Array): (number | null)[] {
  const out = new Array<number | null>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const t = time[indices[i]];
    out[i] = Number.isFinite(t) ? Math.round(t) : null;
  }
  return out;
}

/** Resolves the per-trace point budget from options, validating it. */
export function pointBudget(what: string, options: ChartOptions, traces = 1, perFigure = 16_000): number {
  const requested = options.maxPointsPerTrace ?? MAX_POINTS_PER_TRACE;
  assertInteger(what, "maxPointsPerTrace", requested, 3, MAX_POINTS_PER_TRACE);
  return Math.max(3, Math.min(requested, Math.floor(perFigure / Math.max(1, traces))));
}

/**
 * Min-max decimation ({@link minMaxIndices}) to at most `maxPoints` indices that always keeps the first
 * and the last index too (the latest bar of a live chart), as LTTB does. O(n).
 */
export function minMaxIndicesWithEnds(y: ArrayLike<number>, maxPoints: number): Uint32Array {
  const n = y.length;
  if (n <= maxPoints) return minMaxIndices(y, Math.max(2, maxPoints)); // every index
  if (maxPoints < 4) return Uint32Array.of(0, n - 1);
  const inner = minMaxIndices(y, maxPoints - 2);
  const out = new Uint32Array(inner.length + 2);
  let m = 0;
  if (inner[0] !== 0) out[m++] = 0;
  for (let i = 0; i < inner.length; i++) out[m++] = inner[i];
  if (inner[inner.length - 1] !== n - 1) out[m++] = n - 1;
  return out.slice(0, m);
}

/**
 * A line trace of `(time, y)` downsampled with LTTB (or min-max when `method` says so) to at most
 * `maxPoints` points; both methods keep the first and the last point. O(n).
 */
export function lineTrace(
  name: string,
  time: ArrayLike<number>,
  y: ArrayLike<number>,
  maxPoints: number,
  options: ChartOptions,
  extra: { [key: string]: PlotlyValue | undefined } = {},
  method: "lttb" | "minmax" = "lttb",
): PlotlyTrace {
  const idx = method === "lttb" ? lttbIndices(time, y, maxPoints) : minMaxIndicesWithEnds(y, maxPoints);
  return {
    type: options.webgl ? "scattergl" : "scatter",
    mode: "lines",
    name,
    x: pickTime(time, idx),
    y: pick(y, idx),
    ...extra,
  };
}

/** Title with the SIMULATED label when the data are simulated. */
export function chartTitle(base: string, options: ChartOptions): string {
  const title = options.title ?? base;
  return options.simulated ? `${title} — SIMULATED` : title;
}

/** The corner annotation every simulated chart carries. */
export function simulatedAnnotation(): { [key: string]: PlotlyValue } {
  return {
    text: "SIMULATED DATA",
    xref: "paper",
    yref: "paper",
    x: 1,
    y: 1.02,
    xanchor: "right",
    yanchor: "bottom",
    showarrow: false,
    font: { color: "#b45309", size: 12 },
  };
}

/** Base layout shared by all charts: UTC date x-axis, compact margins, legend on top, SIMULATED annotation. */
export function baseLayout(base: string, options: ChartOptions, height: number): { [key: string]: PlotlyValue | undefined } {
  return {
    title: { text: chartTitle(base, options), x: 0.01, xanchor: "left" },
    height: options.height ?? height,
    margin: { l: 60, r: 20, t: 50, b: 40 },
    xaxis: { type: "date", title: { text: "time (UTC)" } },
    legend: { orientation: "h", x: 0, y: -0.18 },
    hovermode: "x unified",
    annotations: options.simulated ? [simulatedAnnotation()] : [],
  };
}

/** Assembles a figure with pairlab's default config (responsive, no Plotly logo, no network). */
export function makeFigure(data: PlotlyTrace[], layout: { [key: string]: PlotlyValue | undefined }): PlotlyFigure {
  return { data, layout, config: { responsive: true, displaylogo: false, showLink: false } };
}
