// Barrel of the history area: re-exports only.
export { BINANCE_FUTURES_REST, BinanceRestClient, KLINE_INTERVALS, SIMULATED_REST_HEADER, klinesWeight, type AggTrade, type FundingRate, type KlineColumns, type KlineInterval, type RestClientOptions, type RestClientStats } from "./rest-client";
export { RestBannedError, RestError } from "./rest-errors";
export { systemRestClock, type RestClock } from "./rest-clock";
export type { Progress, ProgressCallback } from "./progress";
export { fetchKlineRange } from "./fetch-klines";
export { AGG_WINDOW_MS, fetchAggTradeRange } from "./fetch-agg-trades";
export { klinesToBars } from "./kline-bars";
export { mergeBars, type BarLayer, type BarSource, type SourcedBars } from "./merge-bars";
export { warmStart, type MissingRange, type WarmStartOptions, type WarmStartResult } from "./warm-start";
export { repairAggGap } from "./repair-agg-gap";
export { gapStats, repairGap, type GapRepair, type GapStats, type TradeGap } from "./repair-gap";
export { simulatedTradeSource, type SimulatedTradeSourceOptions, type SourceTrades, type TradeSource } from "./trade-source";
export { createDemoRestHandler, startDemoRest, type DemoRestHandler, type DemoRestOptions, type DemoRestServer } from "./demo-rest";
export { REPLAY_HEADER, REPLAY_SIMULATED_HEADER, startReplayServer, type ReplayServer, type ReplayServerOptions, type ReplayStats } from "./replay-server";
export { findTradeGaps } from "./find-gaps";
export { configureIngestionHistory, type IngestionHistoryConfig } from "./ingestion-history";
