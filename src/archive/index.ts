// Barrel of the archive area: re-exports only.
export { ArchiveError, type ArchiveErrorCode } from "./archive-error";
export type { Archive, ArchiveKind, ArchivedBars, ArchivedTrades, BarBatch, SymbolSummary, TimeRange, TradeBatch } from "./archive-types";
export { ArchiveWriter, type ArchiveWriterOptions, type ArchiveWriterStatus } from "./archive-writer";
export { DEFAULT_ARCHIVE, openArchive, resolveArchiveSpec, type ArchiveSpec, type OpenArchiveOptions } from "./open-archive";
export { PostgresArchive, type PostgresArchiveOptions } from "./postgres-archive";
export { SqliteArchive, type SqliteArchiveOptions } from "./sqlite-archive";
export { hasArchiveTables, normalizeQuoteBatch, type AlertLogEntry, type ArchiveTables, type ArchivedQuotes, type QuoteBatch } from "./quote-table";
export { QuoteRecorder, type QuoteReader, type QuoteRecorderOptions, type QuoteRecorderStatus } from "./quote-recorder";
