// Barrel of the charts area: re-exports only.
export type { ChartOptions, PlotlyFigure, PlotlyTrace, PlotlyValue } from "./figure";
export { lttbIndices } from "./lttb";
export { minMaxIndices } from "./min-max-decimate";
export { MAX_POINTS_PER_TRACE, roundForPlot } from "./figure-common";
export { priceFigure, type PriceSeries } from "./price-figure";
export { spreadFigure, formatHalfLife, formatDuration } from "./spread-figure";
export { zScoreFigure, MAX_ALERT_MARKERS, type AlertMarker } from "./zscore-figure";
export { correlationFigure } from "./correlation-figure";
export { hedgeRatioFigure } from "./hedge-ratio-figure";
export { PLOTLY_MIME, figureBundle, htmlBundle, bundleBytes, escapeHtml, jsonForScript, type MimeBundle } from "./mime-bundle";
export { plotlyLoaderHtml, plotlyLoaderBundle, plotlyVersion } from "./plotly-loader";
export { findKernelWriter, findPublicDisplay, displayBundle, type DisplayWriter, type DisplayContent, type DisplayOptions } from "./notebook-display";
export { plotlyInit, resetPlotlySession, show, showFigure, showHtml } from "./show";
export { LiveDisplay, liveDisplay, setLiveOutputBudget, startLive, type LiveDisplayOptions, type LiveRun } from "./live-display";
export { insufficientDataMessage, warningBundle, insufficientDataBundle, type InsufficientDataContext } from "./warning";
export { statusPanelBundle, type StatusPanelInput, type SymbolStatusRow } from "./status-panel";
export {
  pairAnalytics,
  pairFigure,
  pairChartBundle,
  barsNeededFor,
  refreshDashboard,
  type PairParams,
  type PairAnalytics,
  type PairChart,
  type DashboardRefresh,
} from "./pair-dashboard";
export { ingestionStatus, TradeRateTracker, waitUntilCaughtUp, type IngestionStatsLike } from "./ingestion-status";
export { adfBundle, engleGrangerBundle, bundleOrWarning, type AdfLike, type EngleGrangerLike, type CriticalValuesLike } from "./stationarity-panel";
export { pairMetricsBundle } from "./metrics-panel";
export { barFeed, type BarFeed, type TickSource } from "./bar-feed";
export { zScoreCostFigure, type ZScoreCostOptions } from "./zscore-cost-figure";
export { alertPanelBundle, alertLogBundle, type AlertPanelInput, type AlertRowLike, type RuleRowLike, type DeliveryRowLike } from "./alert-panel";
