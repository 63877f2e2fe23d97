import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

const WHAT = "correlation chart";

/**
 * Rolling correlation over time on a fixed [−1, 1] axis, LTTB-downsampled.
 *
 * @param time - epoch ms (UTC).
 * @param correlation - rolling Pearson correlation (NaN while the window fills).
 * @param options - {@link ChartOptions} plus `window` (bars) and `on` ("returns" | "prices") for the title.
 * @returns a Plotly figure. O(n).
 * @throws RangeError (E_PARAM) on mismatched lengths.
 * @example correlationFigure(t, rho, { window: 60, on: "returns" })
 */
export function correlationFigure(
  time: ArrayLike<number>,
  correlation: ArrayLike<number>,
  options: ChartOptions & { window?: number; on?: "returns" | "prices" } = {},
): PlotlyFigure {
  assertArrayLike(WHAT, "time", time);
  assertArrayLike(WHAT, "correlation", correlation);
  assertSameLength(WHAT, "time", time, "correlation", correlation);
  const parts = [options.window !== undefined ? `window ${options.window}` : "", options.on ? `on ${options.on}` : ""].filter(Boolean);
  const layout = baseLayout(`Rolling correlation${parts.length ? ` (${parts.join(", ")})` : ""}`, options, 280);
  layout.yaxis = { title: { text: "ρ" }, range: [-1.05, 1.05], zeroline: true };
  const budget = pointBudget(WHAT, options, 1);
  return makeFigure([lineTrace("correlation", time, correlation, budget, options, { line: { color: "#0e7490", width: 1.2 } })], layout);
}
