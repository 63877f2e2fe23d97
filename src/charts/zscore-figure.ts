import { assertArrayLike, assertFiniteNumber, assertSameLength } from "../validate";
import { parameterRangeError } from "../errors";
import type { ChartOptions, PlotlyFigure, PlotlyTrace, PlotlyValue } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget, roundForPlot } from "./figure-common";

/** An alert event as `zScoreAlerts().feed()` emits it. */
export interface AlertMarker {
  /** Event time, epoch ms. */
  time: number;
  /** "enter" when |z| crossed the threshold, "exit" when it came back. */
  kind: "enter" | "exit";
  /** Which side of the band: spread rich ("short", z > 0) or cheap ("long", z < 0); free text is shown as is. */
  side: string;
  /** z-score at the event. */
  z: number;
}

const WHAT = "z-score chart";
/** At most this many alert markers are drawn (the newest); the alert table holds all of them. */
export const MAX_ALERT_MARKERS = 2000;

/**
 * Rolling z-score with the entry threshold band (±threshold, dashed), the exit band (±exit, dotted,
 * when given) and alert markers (▲ enter, ● exit) at the alert times.
 *
 * @param time - epoch ms (UTC).
 * @param z - z-scores (NaN while the window fills: drawn as a gap).
 * @param options - {@link ChartOptions} plus `threshold` (> 0), optional `exit` (≥ 0, < threshold) and `alerts`.
 * @returns a Plotly figure. O(n + alerts).
 * @throws RangeError (E_PARAM) for a non-positive threshold, an exit ≥ threshold, mismatched lengths.
 * @example zScoreFigure(t, z, { threshold: 2, exit: 0.5, alerts: events })
 */
export function zScoreFigure(
  time: ArrayLike<number>,
  z: ArrayLike<number>,
  options: ChartOptions & { threshold: number; exit?: number; alerts?: readonly AlertMarker[] },
): PlotlyFigure {
  assertArrayLike(WHAT, "time", time);
  assertArrayLike(WHAT, "z", z);
  assertSameLength(WHAT, "time", time, "z", z);
  assertFiniteNumber(WHAT, "threshold", options.threshold);
  if (options.threshold <= 0) throw parameterRangeError(WHAT, "threshold", "a number > 0", options.threshold);
  if (options.exit !== undefined) {
    assertFiniteNumber(WHAT, "exit", options.exit);
    if (options.exit < 0 || options.exit >= options.threshold) {
      throw parameterRangeError(WHAT, "exit", `a number in [0, threshold = ${options.threshold})`, options.exit);
    }
  }
  const budget = pointBudget(WHAT, options, 1);
  const th = options.threshold;
  const layout = baseLayout(`Z-score (entry ±${th}${options.exit !== undefined ? `, exit ±${options.exit}` : ""})`, options, 340);
  layout.yaxis = { title: { text: "z" }, zeroline: true };
  const band = (y: number, dash: string, color: string): { [key: string]: PlotlyValue } => ({
    type: "line",
    xref: "paper",
    x0: 0,
    x1: 1,
    y0: y,
    y1: y,
    line: { dash, color, width: 1 },
  });
  const shapes: PlotlyValue[] = [
    { type: "rect", xref: "paper", x0: 0, x1: 1, y0: -th, y1: th, fillcolor: "rgba(34,197,94,0.07)", line: { width: 0 }, layer: "below" },
    band(th, "dash", "#dc2626"),
    band(-th, "dash", "#dc2626"),
  ];
  if (options.exit !== undefined) shapes.push(band(options.exit, "dot", "#2563eb"), band(-options.exit, "dot", "#2563eb"));
  layout.shapes = shapes;
  const data: PlotlyTrace[] = [lineTrace("z-score", time, z, budget, options, { line: { color: "#0f172a", width: 1.1 } })];
  const alerts = (options.alerts ?? []).slice(-MAX_ALERT_MARKERS);
  for (const kind of ["enter", "exit"] as const) {
    const events = alerts.filter((a) => a.kind === kind);
    if (events.length === 0) continue;
    data.push({
      type: options.webgl ? "scattergl" : "scatter",
      mode: "markers",
      name: kind === "enter" ? "alert: enter" : "alert: exit",
      x: events.map((e) => Math.round(e.time)),
      y: events.map((e) => roundForPlot(e.z)),
      text: events.map((e) => `${e.kind} ${e.side}`),
      marker: kind === "enter" ? { symbol: "triangle-up", size: 10, color: "#dc2626" } : { symbol: "circle", size: 8, color: "#2563eb" },
    });
  }
  return makeFigure(data, layout);
}
