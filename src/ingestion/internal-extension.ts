// Re-exports for the higher layers' ingestion extensions (history): the seam's types and registration.
export { registerIngestionExtension, type IngestionExtension, type WorkerExtensionInstance, type WorkerExtensionModule, type WorkerExtensionSpec } from "./worker-extension";
export type { FinalGap, IngestionRunner, NormalizedIngestionOptions } from "./ingestion";
export type { ResolvedSource } from "./resolve-source";
export type { GapRepairStats, IngestionStats, RecordingStats, TradeEvent } from "./ingestion-types";
