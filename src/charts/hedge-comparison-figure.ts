import { parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget } from "./figure-common";

const WHAT = "hedge ratio comparison";
const COLORS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed"];

/**
 * Several hedge-ratio series over one time axis, e.g. the rolling OLS β next to the Kalman β (kalmanHedge), each
 * LTTB-downsampled to the point budget. NaN (a rolling window's warm-up) draws as a gap. O(n·series).
 *
 * @param time epoch ms (UTC). @param series name → β series (each the length of `time`), 1 to 4 of them.
 * @throws TypeError / RangeError (E_PARAM) for mismatched lengths or no / too many series.
 * @example
 * hedgeComparisonFigure(time, { "rolling OLS (300 bars)": roll.beta, "Kalman": kal.beta }, { simulated: true })
 */
export function hedgeComparisonFigure(time: ArrayLike<number>, series: Readonly<Record<string, ArrayLike<number>>>, options: ChartOptions = {}): PlotlyFigure {
  assertArrayLike(WHAT, "time", time);
  if (series === null || typeof series !== "object") throw parameterTypeError(WHAT, "series", "a record name → hedge-ratio series", series);
  const names = Object.keys(series);
  if (names.length < 1 || names.length > COLORS.length) throw parameterRangeError(WHAT, "series", `1 to ${COLORS.length} named series`, names.length);
  for (const name of names) {
    assertArrayLike(WHAT, `series.${name}`, series[name]);
    assertSameLength(WHAT, "time", time, `series.${name}`, series[name]);
  }
  const budget = pointBudget(WHAT, options, names.length);
  const layout = baseLayout("Hedge ratio β: static vs dynamic", options, 320);
  layout.yaxis = { title: { text: "β (units of y per unit of x)" } };
  const traces = names.map((name, k) => lineTrace(name, time, series[name], budget, options, { line: { color: COLORS[k], width: 1.3 } }));
  return makeFigure(traces, layout);
}
