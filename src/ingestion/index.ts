// Barrel of the ingestion area: re-exports only.
export { startIngestion, currentIngestion, stopAllIngestion, DEFAULT_CAPACITY } from "./start-ingestion";
export type { GapRepairStats, Ingestion, IngestionOptions, IngestionStats, IngestionStatus, RecordingStats, ReplayClockStats, SymbolStats, TradeEvent } from "./ingestion-types";
export type { RejectReason } from "./trade-validation";
export { startDemoFeed } from "./demo-exchange";
export type { DemoFeed, DemoFeedOptions } from "./demo-exchange";
export { TickStore } from "./tick-store";
export type { TickColumns, TickChunk } from "./tick-store";
export { TradeSimulator } from "./trade-simulator";
export type { TradeSimulatorOptions, TradeSink } from "./trade-simulator";
export { resolveSource, SOURCE_ENV } from "./resolve-source";
export type { ResolvedSource, SourceOrigin } from "./resolve-source";
export { SourceError, IngestionStoppedError } from "./ingestion-errors";
export {
  BINANCE_FUTURES_WS,
  MAX_STREAMS_PER_CONNECTION,
  routeFor,
  streamName,
  describeRoute,
  combinedStreamUrls,
  rawStreamUrl,
} from "./routes";
export type { TradeStream, StreamRoute } from "./routes";
export { decodeFrame, createDecodedTrade } from "./decode-frame";
export type { DecodedTrade, FrameKind } from "./decode-frame";
export { Backoff } from "./backoff";
export type { BackoffOptions } from "./backoff";
export { systemClock, createManualClock } from "./clock";
export type { Clock, ManualClock, TimerHandle } from "./clock";
export { StreamConnection } from "./stream-connection";
export type { ConnectionState, ConnectionTuning, StreamConnectionOptions } from "./stream-connection";
export { SilenceWatchdog } from "./silence-watchdog";
export type { SilenceVerdict } from "./silence-watchdog";
export { TradeSequence } from "./trade-sequence";
export type { TradeSequenceOptions } from "./trade-sequence";
export { normalizeSymbol, normalizeSymbols } from "./symbols";
export { demoUniverseRelations, demoUniverseSymbols, type DemoRelation } from "./universe-model";
