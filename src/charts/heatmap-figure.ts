import { parameterRangeError, parameterTypeError } from "../errors";
import { assertOneOf } from "../validate";
import type { ChartOptions, PlotlyFigure } from "./figure";
import { chartTitle, makeFigure, roundForPlot, simulatedAnnotation } from "./figure-common";

/** What a {@link heatmapFigure} shows; fixes the colour scale. */
export type HeatmapKind = "correlation" | "pValue";

const WHAT = "heatmap";
const KINDS: readonly HeatmapKind[] = ["correlation", "pValue"];

/**
 * A symbol × symbol heatmap of a row-major N×N matrix (screenPairs' `correlation` or `pValues`).
 * - "correlation": diverging scale on the fixed range [−1, 1].
 * - "pValue": the Engle-Granger p-value on [0, 0.1] (dark = small p = cointegrated; p ≥ 0.1 all look the same;
 *   the hover shows the exact value). NaN cells (the diagonal, untestable pairs) are blank.
 * O(N²).
 *
 * @param symbols N labels. @param matrix N·N values, row-major.
 * @param options ChartOptions (title, simulated, height) plus `kind` (default "correlation").
 * @throws TypeError / RangeError (E_PARAM) when matrix.length ≠ N² or `kind` is unknown.
 * @example
 * const r = screenPairs(closes);
 * heatmapFigure(r.symbols, r.correlation, { kind: "correlation", simulated: true });
 */
export function heatmapFigure(symbols: readonly string[], matrix: ArrayLike<number>, options: ChartOptions & { kind?: HeatmapKind } = {}): PlotlyFigure {
  if (!Array.isArray(symbols)) throw parameterTypeError(WHAT, "symbols", "an array of labels", symbols);
  const N = symbols.length;
  if (matrix === null || typeof matrix !== "object" || matrix.length !== N * N) {
    throw parameterRangeError(WHAT, "matrix", `a row-major N×N matrix of length ${N * N} (N = ${N} symbols)`, matrix === null || typeof matrix !== "object" ? matrix : matrix.length);
  }
  const kind = options.kind ?? "correlation";
  assertOneOf(WHAT, "kind", kind, KINDS);
  const z: (number | null)[][] = [];
  for (let i = 0; i < N; i++) {
    const row: (number | null)[] = [];
    for (let j = 0; j < N; j++) row.push(roundForPlot(matrix[i * N + j], 6));
    z.push(row);
  }
  const correlation = kind === "correlation";
  const trace = {
    type: "heatmap",
    x: [...symbols],
    y: [...symbols],
    z,
    zmin: correlation ? -1 : 0,
    zmax: correlation ? 1 : 0.1,
    colorscale: correlation ? "RdBu" : "Viridis",
    reversescale: correlation,
    colorbar: { title: { text: correlation ? "ρ" : "p" } },
    hovertemplate: correlation ? "%{y} / %{x}<br>ρ = %{z:.3f}<extra></extra>" : "%{y} / %{x}<br>p = %{z:.2e}<extra></extra>",
  };
  const base = correlation ? "Correlation of log returns" : "Engle-Granger p-value (better direction)";
  const size = Math.max(320, Math.min(900, 120 + 28 * N));
  return makeFigure([trace], {
    title: { text: chartTitle(base, options), x: 0.01, xanchor: "left" },
    height: options.height ?? size,
    margin: { l: 90, r: 20, t: 50, b: 90 },
    xaxis: { tickangle: -45, automargin: true },
    yaxis: { autorange: "reversed", automargin: true },
    annotations: options.simulated ? [simulatedAnnotation()] : [],
  });
}
