import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

const WHAT = "spread chart";

/**
 * The spread `y − (α + β·x)` over time, LTTB-downsampled, with its mean as a dotted line and the
 * half-life in the title when given.
 *
 * @param time - epoch ms (UTC).
 * @param spread - spread values (NaN = not yet defined, drawn as a gap).
 * @param options - {@link ChartOptions} plus `halfLife` (in bars) and `barSeconds` to show it in time units.
 * @returns a Plotly figure. O(n).
 * @throws RangeError (E_PARAM) on mismatched lengths.
 * @example spreadFigure(aligned.time, s, { halfLife: 42.5, barSeconds: 60 })
 */
export function spreadFigure(
  time: ArrayLike<number>,
  spread: ArrayLike<number>,
  options: ChartOptions & { halfLife?: number; barSeconds?: number } = {},
): PlotlyFigure {
  assertArrayLike(WHAT, "time", time);
  assertArrayLike(WHAT, "spread", spread);
  assertSameLength(WHAT, "time", time, "spread", spread);
  const budget = pointBudget(WHAT, options, 1);
  let title = "Spread";
  if (options.halfLife !== undefined) title += ` (half-life ${formatHalfLife(options.halfLife, options.barSeconds)})`;
  const layout = baseLayout(title, { ...options, title: options.title ? options.title : title }, 320);
  layout.yaxis = { title: { text: "spread" }, zeroline: true };
  let sum = 0;
  let k = 0;
  for (let i = 0; i < spread.length; i++) {
    if (Number.isFinite(spread[i])) {
      sum += spread[i];
      k++;
    }
  }
  if (k > 0) {
    layout.shapes = [
      { type: "line", xref: "paper", x0: 0, x1: 1, y0: sum / k, y1: sum / k, line: { dash: "dot", color: "#666", width: 1 } },
    ];
  }
  return makeFigure([lineTrace("spread", time, spread, budget, options, { line: { color: "#6b21a8", width: 1.2 } })], layout);
}

/** Half-life in bars → "12.3 bars ≈ 12 min" (or "∞"/"n/a"). */
export function formatHalfLife(halfLife: number, barSeconds?: number): string {
  if (!Number.isFinite(halfLife)) return halfLife === Infinity ? "∞ (no mean reversion)" : "n/a";
  const bars = `${halfLife.toFixed(1)} bars`;
  return barSeconds ? `${bars} ≈ ${formatDuration(halfLife * barSeconds)}` : bars;
}

/** Seconds → "45 s", "12 min", "3.2 h", "2.1 days". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "∞";
  const s = Math.max(0, seconds);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}
