import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Archive, ArchivedTrades, TimeRange } from "../archive/archive-types";
import { parameterRangeError } from "../errors";
import { csvField } from "./csv";
import { exportFileName } from "./file-name";
import { isoUtc } from "./iso-utc";
import { writeFileAtomic } from "./write-file-atomic";

/** Options of {@link exportTrades}. */
export interface ExportTradesOptions extends TimeRange {
  /** "csv" (default) or "parquet". */
  format?: "csv" | "parquet";
  /** Output folder (default "exports"); the file name says symbol, range and SIMULATED. */
  dir?: string;
  /** Exact output path (overrides `dir` and the generated name). */
  path?: string;
}

/** A written export. */
export interface ExportedTrades {
  path: string;
  rows: number;
  bytes: number;
  /** True when any exported trade was recorded from a simulated source (then the name ends in _SIMULATED). */
  simulated: boolean;
}

/** Column names of a trade export (CSV header and Parquet schema, same vocabulary). */
export const TRADE_EXPORT_COLUMNS = ["symbol", "id", "time_ms", "time_utc", "price", "qty", "buyer_maker", "simulated"] as const;

/**
 * CSV of archived trades: header {@link TRADE_EXPORT_COLUMNS}, CRLF records (RFC 4180), numbers in round-trip form,
 * `time_utc` ISO 8601, `buyer_maker`/`simulated` true/false. O(rows).
 *
 * @example
 * tradesToCsv(t).split("\r\n")[0]; // "symbol,id,time_ms,time_utc,price,qty,buyer_maker,simulated"
 */
export function tradesToCsv(t: ArchivedTrades): string {
  const out: string[] = [TRADE_EXPORT_COLUMNS.join(",")];
  const sym = csvField(t.symbol);
  for (let i = 0; i < t.id.length; i++) {
    out.push(`${sym},${t.id[i]},${t.time[i]},${isoUtc(t.time[i])},${csvField(t.price[i])},${csvField(t.qty[i])},${t.maker[i] === 1},${t.simulated[i] === 1}`);
  }
  return out.join("\r\n") + "\r\n";
}

/**
 * Parquet (snappy) of archived trades, written by parquet-wasm from an Apache Arrow table: `symbol` utf8,
 * `id`/`time_ms` int64 (no `time_utc` column: time_ms is the time),
 * `price`/`qty` float64, `buyer_maker`/`simulated` boolean; file metadata `pairlab.simulated` = "true"/"false".
 * O(rows).
 *
 * @example
 * const bytes = tradesToParquet(t); // Uint8Array starting with "PAR1"
 */
export function tradesToParquet(t: ArchivedTrades): Uint8Array {
  // Loaded on first use (a wasm module and Arrow): CSV-only users and `require("pairlab")` never pay for them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pw = require("parquet-wasm") as typeof import("parquet-wasm");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tableFromArrays, tableToIPC } = require("apache-arrow") as typeof import("apache-arrow");
  const n = t.id.length;
  const table = tableFromArrays({
    symbol: Array.from({ length: n }, () => t.symbol),
    id: BigInt64Array.from(t.id, (x) => BigInt(x)),
    time_ms: BigInt64Array.from(t.time, (x) => BigInt(x)),
    price: t.price,
    qty: t.qty,
    buyer_maker: Array.from(t.maker, (m) => m === 1),
    simulated: Array.from(t.simulated, (m) => m === 1),
  });
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.SNAPPY)
    .setKeyValueMetadata(new Map([["pairlab.simulated", String(t.simulated.includes(1))], ["pairlab.columns", TRADE_EXPORT_COLUMNS.filter((c) => c !== "time_utc").join(",")]]))
    .build();
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, "stream")), props);
}

/**
 * Exports one symbol's archived trades in [from, to) to CSV or Parquet, written atomically (temp file, fsync,
 * rename). The generated name is `pairlab_trades_<symbol>_ticks_<start>_<end>[_SIMULATED].<csv|parquet>`.
 * O(rows).
 *
 * @throws RangeError (E_PARAM) for an unknown format; ArchiveError when the archive cannot be read; the fs
 *   error when the file cannot be written (nothing half-written is left).
 * @example
 * const out = await exportTrades(archive, "btcusdt", { from, to, format: "parquet" });
 * out.path; // "exports/pairlab_trades_btcusdt_ticks_20261207T100000Z_20261207T110000Z_SIMULATED.parquet"
 */
export async function exportTrades(archive: Archive, symbol: string, options: ExportTradesOptions = {}): Promise<ExportedTrades> {
  const format = options.format ?? "csv";
  if (format !== "csv" && format !== "parquet") throw parameterRangeError("exportTrades", "format", '"csv" or "parquet"', format);
  const t = await archive.readTrades(symbol, { from: options.from, to: options.to });
  const rows = t.id.length;
  const simulated = t.simulated.includes(1);
  let path = options.path;
  if (!path) {
    const dir = options.dir ?? "exports";
    mkdirSync(dir, { recursive: true });
    path = join(dir, exportFileName({ kind: "trades", symbols: [symbol], timeframe: "ticks", start: rows ? t.time[0] : NaN, end: rows ? t.time[rows - 1] : NaN, simulated, ext: format }));
  }
  const bytes = writeFileAtomic(path, format === "csv" ? tradesToCsv(t) : tradesToParquet(t));
  return { path, rows, bytes, simulated };
}
