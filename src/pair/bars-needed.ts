import type { ResolvedPairParams } from "./pair-params";

/** What a pair can show: the charts, the metric tiles, the stationarity tests, the alert log and the DataFrame. */
export type PairView = "prices" | "spread" | "zscore" | "correlation" | "hedge" | "metrics" | "adf" | "eg" | "alerts" | "frame";

/** The views that are Plotly charts. */
export type PairChart = "prices" | "spread" | "zscore" | "correlation" | "hedge";

/** Every {@link PairView}, in the order the dashboard shows them. */
export const PAIR_VIEWS: readonly PairView[] = ["metrics", "prices", "spread", "zscore", "correlation", "hedge", "adf", "eg", "alerts", "frame"];

/** The {@link PairChart}s. */
export const PAIR_CHARTS: readonly PairChart[] = ["prices", "spread", "zscore", "correlation", "hedge"];

/**
 * Bars on the aligned grid a view needs before it has anything to show — the warm-up rule of each view:
 * prices 1; hedge and spread `hedgeWindow`; correlation `correlationWindow + 1` (returns lose one bar);
 * z-score `hedgeWindow + zWindow − 1`; ADF on the spread `hedgeWindow − 1 + adfMinBars` (the spread starts
 * after the first full hedge window); Engle-Granger `adfMinBars`; metrics, alerts and frame 0. O(1).
 * ADF on y or x needs `adfMinBars` (see `adfInput`). With `hedge: "kalman"` the hedge, spread and z-score start at
 * bar `kalman.warmup` (hedge, spread, z-score need `warmup + 1` bars; ADF on the spread `warmup + adfMinBars`).
 * @example barsNeededFor("zscore", params) // 419 for hedgeWindow 300, zWindow 120
 */
export function barsNeededFor(view: PairView, params: ResolvedPairParams): number {
  const kalman = params.hedge === "kalman";
  switch (view) {
    case "prices":
      return 1;
    case "hedge":
    case "spread":
      return kalman ? params.kalman.warmup + 1 : params.hedgeWindow;
    case "correlation":
      return params.correlationWindow + 1;
    case "zscore":
      return kalman ? params.kalman.warmup + 1 : params.hedgeWindow + params.zWindow - 1;
    case "adf":
      return (kalman ? params.kalman.warmup : params.hedgeWindow - 1) + params.adfMinBars;
    case "eg":
      return params.adfMinBars;
    case "metrics":
    case "alerts":
    case "frame":
      return 0;
  }
}
