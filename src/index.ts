/**
 * pairlab's public API (re-exports only): the notebook object (`openPair`), the building blocks a power user
 * composes (bars, OLS, rolling statistics, ADF, Engle-Granger, figures, DataFrames, CSV), the ingestion entry
 * points and the error classes. Internals (transport classes, decoders, clocks, HTML helpers…) are reachable
 * for tests through `src/internal.ts`, not from here. ARCHITECTURE.md describes the layers.
 */
// Notebook object
export { openPair, Pair } from "./notebook";
export type { PairWarmStartOptions, PairWarmStartReport, PairFundingRates } from "./notebook";
export type { OpenPairOptions, PairSettings, PairShowOptions, PairLiveOptions, PairExportOptions, PairBacktestOptions, PairWalkForwardOptions, PairBacktestShowOptions, BacktestView } from "./notebook";
// Pair layer
export { pairAnalytics, barFeed, PAIR_DEFAULTS } from "./pair";
export type { PairParams, PairAnalytics, PairView, AdfSeries } from "./pair";
// Maths
export { resample, createResampler, alignBars, ols, rollingOls, rollingCorrelation, rollingZScore, spread, halfLife, zScoreAlerts } from "./analytics";
export type { Bars, Ticks, BarInterval, OlsResult, RollingOlsResult, ZScoreAlertEvent } from "./analytics";
export { adfTest, engleGranger } from "./stationarity";
export type { AdfResult, EngleGrangerResult } from "./stationarity";
// Ingestion
export { startIngestion, stopAllIngestion, startDemoFeed } from "./ingestion";
export type { Ingestion, IngestionOptions, IngestionStats, RecordingStats, GapRepairStats } from "./ingestion";
// Rendering
export { show, showFigure, liveDisplay, startLive, priceFigure, spreadFigure, zScoreFigure, correlationFigure, hedgeRatioFigure, pairFigure } from "./charts";
export type { PlotlyFigure, MimeBundle } from "./charts";
// Export
export { danfo, pairFrame, exportCsv, toCsv } from "./export";
export type { DataFrame, ExportedFile } from "./export";
// Backtest
export { backtestPair, sweepBacktest, walkForward, backtestSummary } from "./backtest";
export type { BacktestOptions, BacktestResult, BacktestRun, BacktestMetrics, Trade, FundingRates, SweepGrid, SweepResult, WalkForwardResult } from "./backtest";
export { equityFigure, sweepHeatmapFigure } from "./charts";
export { tradeFrame } from "./export";
// Many pairs
export { screenPairs, johansenTest, kalmanHedge } from "./universe";
export { openUniverse } from "./notebook";
export { demoUniverseRelations } from "./ingestion";
export type { Universe, OpenUniverseOptions } from "./notebook";
export type { ScreenPairsOptions, ScreenResult, ScreenRow, JohansenOptions, JohansenResult, KalmanHedgeOptions, KalmanHedgeResult } from "./universe";
export { heatmapFigure, screenTableBundle, hedgeComparisonFigure } from "./charts";
// History
export { openArchive, ArchiveError, ArchiveWriter } from "./archive";
export type { Archive, ArchiveSpec, OpenArchiveOptions } from "./archive";
export type { ArchiveTables, ArchivedQuotes, QuoteBatch, AlertLogEntry } from "./archive";
export { warmStart, repairGap, startReplayServer } from "./history";
export type { WarmStartOptions, WarmStartResult, GapRepair } from "./history";
export { exportTrades } from "./export";
// Quotes and alerts
export { QuoteStore, quoteBars, quotedSpreadBps, roundTripCost } from "./quotes";
export type { QuoteBars, RoundTripCost } from "./quotes";
export { startAlerts, stopAllAlerts, WebhookTarget, loadWebhookTargets } from "./alerts";
export type { AlertRuleSpec, AlertEvent, AlertsRun, StartAlertsOptions, WebhookTargetOptions } from "./alerts";
export { zScoreCostFigure, alertPanelBundle, alertLogBundle } from "./charts";
// Errors and version
export { PairlabError, InsufficientDataError, NonFiniteInputError, DegenerateInputError, ExportError } from "./errors";
export { SourceError, IngestionStoppedError } from "./ingestion";
export { version } from "./version";
