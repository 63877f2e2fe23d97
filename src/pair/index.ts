// Barrel of the pair layer (between the maths/transport and rendering/export): re-exports only.
export {
  PAIR_DEFAULTS,
  HEDGE_METHODS,
  TIMEFRAMES,
  TUNABLE_PARAMS,
  resolvePairParams,
  assertPairSymbols,
  timeframeLabel,
  type PairParams,
  type ResolvedPairParams,
  type HedgeMethod,
  type TunableParam,
} from "./pair-params";
export { pairAnalytics, PAIR_BYTES_PER_BAR, type PairAnalytics } from "./pair-analytics";
export { barsNeededFor, PAIR_VIEWS, PAIR_CHARTS, type PairView, type PairChart } from "./bars-needed";
export { adfInput, ADF_SERIES, type AdfInput, type AdfSeries } from "./adf-input";
export { barFeed, type BarFeed, type TickSource } from "./bar-feed";
export { TradeRateTracker } from "./trade-rate-tracker";
export { ingestionStatus, type IngestionStatsLike, type StatusPanelInput, type SymbolStatusRow } from "./ingestion-status";
export { waitUntilCaughtUp } from "./wait-until-caught-up";
