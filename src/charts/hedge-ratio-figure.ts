import { assertArrayLike, assertSameLength } from "../validate";
import type { ChartOptions, PlotlyFigure, PlotlyTrace } from "./figure";
import { baseLayout, lineTrace, makeFigure, pointBudget, roundForPlot } from "./figure-common";

const WHAT = "hedge ratio chart";

/**
 * Hedge ratio β: the current value as a big-number metric (a Plotly `indicator`, with the change since
 * the first defined rolling value as delta) above the rolling β over time (LTTB-downsampled).
 *
 * @param time - epoch ms (UTC).
 * @param beta - rolling OLS slope (NaN while the window fills).
 * @param options - {@link ChartOptions} plus `current` (the full-sample / latest β to show as the
 *   metric; default: the last finite rolling value) and `window` (bars) for the title.
 * @returns a Plotly figure. O(n).
 * @throws RangeError (E_PARAM) on mismatched lengths.
 * @example hedgeRatioFigure(t, roll.beta, { current: fit.beta, window: 300 })
 */
export function hedgeRatioFigure(
  time: ArrayLike<number>,
  beta: ArrayLike<number>,
  options: ChartOptions & { current?: number; window?: number } = {},
): PlotlyFigure {
  assertArrayLike(WHAT, "time", time);
  assertArrayLike(WHAT, "beta", beta);
  assertSameLength(WHAT, "time", time, "beta", beta);
  let first = NaN;
  let last = NaN;
  for (let i = 0; i < beta.length; i++) {
    if (Number.isFinite(beta[i])) {
      if (!Number.isFinite(first)) first = beta[i];
      last = beta[i];
    }
  }
  const current = options.current ?? last;
  const layout = baseLayout(`Hedge ratio β${options.window !== undefined ? ` (rolling window ${options.window})` : ""}`, options, 360);
  layout.yaxis = { title: { text: "β" }, domain: [0, 0.68] };
  const data: PlotlyTrace[] = [
    {
      type: "indicator",
      mode: Number.isFinite(first) && Number.isFinite(current) ? "number+delta" : "number",
      value: roundForPlot(current, 6),
      title: { text: "current β" },
      number: { valueformat: ".4f" },
      delta: Number.isFinite(first) ? { reference: roundForPlot(first, 6), valueformat: ".4f" } : undefined,
      domain: { x: [0, 1], y: [0.76, 1] },
    },
    lineTrace("rolling β", time, beta, pointBudget(WHAT, options, 1), options, { line: { color: "#b91c1c", width: 1.2 } }),
  ];
  return makeFigure(data, layout);
}
