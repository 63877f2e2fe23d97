// Barrel of the export area: re-exports only.
export { danfo, type DataFrame } from "./load-danfo";
export { isoUtc } from "./iso-utc";
export { pairFrame, pairFrameFromAnalytics, alertFrame, type PairFrameInput, type PairLeg, type AlertLike } from "./pair-frame";
export { csvField, toCsv, writeCsv } from "./csv";
export { exportFileName, type ExportNameParts } from "./file-name";
export { exportCsv, type ExportCsvOptions, type ExportedFile } from "./export-csv";
export { writeFileAtomic, type AtomicFs } from "./write-file-atomic";
export { tradeFrame, TRADE_COLUMNS } from "./trade-frame";
export { TRADE_EXPORT_COLUMNS, exportTrades, tradesToCsv, tradesToParquet, type ExportTradesOptions, type ExportedTrades } from "./export-trades";
