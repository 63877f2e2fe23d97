import { join } from "node:path";
import { writeCsv } from "./csv";
import { exportFileName } from "./file-name";
import type { DataFrame } from "./load-danfo";
import type { AtomicFs } from "./write-file-atomic";

/** Options of {@link exportCsv}. */
export interface ExportCsvOptions {
  /** Folder to write into (created if missing). Default "exports" (relative to the working directory). */
  dir?: string;
  /** "bars", "alerts", … (goes into the file name). */
  kind: string;
  symbols: readonly string[];
  timeframe: string | number;
  simulated: boolean;
  /** Range covered, epoch ms; default: the first and last `time_utc` of the frame. */
  start?: number;
  end?: number;
  /** File-system calls (tests inject failures); default node:fs. */
  fs?: AtomicFs;
}

/** What {@link exportCsv} wrote. */
export interface ExportedFile {
  /** Full path of the file. */
  path: string;
  /** File name (see `exportFileName`). */
  fileName: string;
  /** Data rows written (the header is not counted). */
  rows: number;
  /** File size in bytes. */
  bytes: number;
}

function timeRange(df: DataFrame): { start: number; end: number } {
  const n = df.shape[0];
  if (n === 0 || !df.columns.includes("time_utc")) return { start: NaN, end: NaN };
  const times = df.column("time_utc").values as unknown[];
  return { start: Date.parse(String(times[0])), end: Date.parse(String(times[n - 1])) };
}

/**
 * Exports a DataFrame (the pair frame or the alert log) to an RFC 4180 CSV file named after its
 * content — symbols, timeframe, UTC range and SIMULATED when so (see `exportFileName`) — in `dir`.
 * Simulated data are labelled twice: in the name and in the frame's `simulated` column. The file is written
 * atomically: temp file in `dir`, fsync, rename — a full disk or a crash never leaves a truncated CSV, and an
 * existing export of the same name is replaced only by a complete new one. O(rows × columns).
 *
 * @throws ExportError (E_EXPORT) naming the path: full disk (ENOSPC), read-only file system (EROFS), a file where
 *   a folder should be (ENOTDIR), permission denied (EACCES).
 * @example exportCsv(frame, { kind: "bars", symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1m", simulated: true })
 * // { path: "exports/pairlab_bars_BTCUSDT-ETHUSDT_1m_…_SIMULATED.csv", rows: 1440, bytes: 203411, … }
 */
export function exportCsv(df: DataFrame, options: ExportCsvOptions): ExportedFile {
  const dir = options.dir ?? "exports";
  const range = timeRange(df);
  const fileName = exportFileName({
    kind: options.kind,
    symbols: options.symbols,
    timeframe: options.timeframe,
    start: options.start ?? range.start,
    end: options.end ?? range.end,
    simulated: options.simulated,
  });
  const path = join(dir, fileName);
  const bytes = writeCsv(df, path, { fs: options.fs });
  return { path, fileName, rows: df.shape[0], bytes };
}
