// Barrel of the export area: re-exports only.
export { danfo, type DataFrame } from "./load-danfo";
export { isoUtc } from "./iso-utc";
export { pairFrame, pairFrameFromAnalytics, alertFrame, type PairFrameInput, type PairLeg, type AlertLike } from "./pair-frame";
export { frameHtml, frameText, frameBundle, type FrameHtmlOptions } from "./frame-html";
export { csvField, toCsv, writeCsv } from "./csv";
export { exportFileName, type ExportNameParts } from "./file-name";
export { exportCsv, type ExportCsvOptions, type ExportedFile } from "./export-csv";
export { writeFileAtomic } from "./write-file-atomic";
export { TRADE_EXPORT_COLUMNS, exportTrades, tradesToCsv, tradesToParquet, type ExportTradesOptions, type ExportedTrades } from "./export-trades";
