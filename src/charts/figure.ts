/**
 * Plotly figure shapes used by pairlab's chart builders. Deliberately loose (Plotly's schema is huge)
 * but JSON-only: every value is serialisable with `JSON.stringify`, so a figure can travel as the
 * `application/vnd.plotly.v1+json` MIME payload unchanged.
 */

/** Any JSON value Plotly accepts in a figure (`null` marks a gap in a series). */
export type PlotlyValue = string | number | boolean | null | PlotlyValue[] | { [key: string]: PlotlyValue | undefined };

/** One trace (`scatter`, `bar`, `scattergl`, `indicator`, …). */
export interface PlotlyTrace {
  /** Plotly trace type. */
  type: string;
  [key: string]: PlotlyValue | undefined;
}

/** A complete Plotly figure: traces, layout and (optional) config, exactly as `Plotly.newPlot` takes them. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: { [key: string]: PlotlyValue | undefined };
  config?: { [key: string]: PlotlyValue | undefined };
}

/** Options shared by every figure builder. */
export interface ChartOptions {
  /** Chart title; the builders add " — SIMULATED" when `simulated` is true. */
  title?: string;
  /** Labels the chart as simulated data (title suffix and a corner annotation). Default false. */
  simulated?: boolean;
  /** Figure height in CSS pixels. Default depends on the chart (280–520). */
  height?: number;
  /**
   * Display budget: maximum points per trace after downsampling (≤ 5,000, the default). Analytics are
   * never affected: only what is drawn is thinned.
   */
  maxPointsPerTrace?: number;
  /** Use WebGL `scattergl` traces instead of SVG `scatter` (faster pan/zoom, needs a GPU/WebGL context). Default false. */
  webgl?: boolean;
}
