import { parameterRangeError } from "../errors";

/** What {@link exportFileName} encodes. */
export interface ExportNameParts {
  /** What the file holds: "bars" (the pair frame), "alerts" (the alert log) or another short word. */
  kind: string;
  /** Symbols of the pair, in order. */
  symbols: readonly string[];
  /** Bar timeframe, e.g. "1s", "1m", "5m" (or ms as a number). */
  timeframe: string | number;
  /** First and last timestamps covered, epoch ms (UTC); NaN when the file has no rows. */
  start: number;
  end: number;
  /** Adds "_SIMULATED" when the data are simulated. */
  simulated: boolean;
  /** Extension without dot. Default "csv". */
  ext?: string;
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "") || "x";
}

function stamp(ms: number): string {
  // 2026-11-23T21:00:05.000Z → 20261123T210005Z
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/**
 * A file name that says what is inside: `pairlab_<kind>_<SYM1>-<SYM2>_<timeframe>_<start>_<end>[_SIMULATED].<ext>`
 * with compact UTC timestamps (`20261123T210000Z`), or `empty` instead of the range when there are no
 * rows. Every part is reduced to `[A-Za-z0-9.-]`, so the name is safe on every filesystem and can never
 * leave the export folder. O(1).
 *
 * @throws RangeError (E_PARAM) for an empty symbol list or an end before the start.
 * @example exportFileName({ kind: "bars", symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1m",
 *   start: Date.UTC(2026, 10, 23, 21), end: Date.UTC(2026, 10, 23, 22), simulated: true })
 * // "pairlab_bars_BTCUSDT-ETHUSDT_1m_20261123T210000Z_20261123T220000Z_SIMULATED.csv"
 */
export function exportFileName(parts: ExportNameParts): string {
  if (!Array.isArray(parts.symbols) || parts.symbols.length === 0) {
    throw parameterRangeError("export file name", "symbols", "a non-empty array of symbol names", parts.symbols as string[]);
  }
  const hasRange = Number.isFinite(parts.start) && Number.isFinite(parts.end);
  if (hasRange && parts.end < parts.start) throw parameterRangeError("export file name", "end", `a time >= start (${parts.start})`, parts.end);
  const range = hasRange ? `${stamp(parts.start)}_${stamp(parts.end)}` : "empty";
  const timeframe = typeof parts.timeframe === "number" ? `${parts.timeframe}ms` : parts.timeframe;
  return (
    ["pairlab", safe(parts.kind), parts.symbols.map(safe).join("-"), safe(timeframe), range].join("_") +
    (parts.simulated ? "_SIMULATED" : "") +
    `.${safe(parts.ext ?? "csv")}`
  );
}
