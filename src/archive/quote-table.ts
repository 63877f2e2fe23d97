import { parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import type { Archive, TimeRange } from "./archive-types";
import { checkSymbol } from "./normalize-batch";

/**
 * A batch of one symbol's book-ticker quotes for the archive, columnar: `updateId` is Binance's `u` (the key:
 * a quote is stored once per (symbol, u)), `time` its `T` (epoch ms), prices in quote currency, quantities in
 * base asset. These are the *stored* quotes of the ingestion (the last quote per ms), not every update.
 */
export interface QuoteBatch {
  /** Lower-case symbol, e.g. "btcusdt". */
  symbol: string;
  updateId: ArrayLike<number>;
  time: ArrayLike<number>;
  bid: ArrayLike<number>;
  bidQty: ArrayLike<number>;
  ask: ArrayLike<number>;
  askQty: ArrayLike<number>;
  /** Where the quotes came from ("binance", "demo", "ws", …; ≤ 64 chars). */
  source: string;
  /** True for the demo exchange's quotes (labelled SIMULATED wherever shown). */
  simulated: boolean;
}

/** One symbol's archived quotes in (time, updateId) order, columnar; `simulated[i]` is 1 for a simulated quote. */
export interface ArchivedQuotes {
  symbol: string;
  updateId: Float64Array;
  time: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
  simulated: Uint8Array;
}

/**
 * One row of the archive's append-only alert log: the alert id (unique: appending an id again stores nothing),
 * when it fired (epoch ms), its rule id, whether it was simulated, and the alert itself as JSON text.
 */
export interface AlertLogEntry {
  id: string;
  firedAt: number;
  ruleId: string;
  simulated: boolean;
  /** The alert event, JSON text (the alerts area writes and parses it). */
  json: string;
}

/** A validated quote batch: sorted by update id, ids unique, plain Float64Arrays. */
export interface SortedQuotes {
  symbol: string;
  updateId: Float64Array;
  time: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
  source: string;
  simulated: boolean;
}

const COLUMNS = ["updateId", "time", "bid", "bidQty", "ask", "askQty"] as const;

/**
 * Validates a {@link QuoteBatch} and returns it sorted by update id, duplicate ids removed (the last occurrence
 * wins: a conflated slot's final state). O(n) when sorted, O(n log n) otherwise.
 *
 * @throws RangeError/TypeError (E_PARAM) naming the field: bad symbol or source, columns of different lengths,
 *   an update id that is not a safe integer ≥ 0, a non-finite time, a price or quantity that is not > 0,
 *   a crossed book (bid > ask).
 * @example
 * normalizeQuoteBatch({ symbol: "btcusdt", updateId: [2, 1], time: [20, 10], bid: [1, 1], bidQty: [1, 1], ask: [2, 2], askQty: [1, 1], source: "demo", simulated: true }, "w").updateId;
 * // Float64Array [1, 2]
 */
export function normalizeQuoteBatch(batch: QuoteBatch, what: string): SortedQuotes {
  if (batch === null || typeof batch !== "object") throw parameterTypeError(what, "batch", "an object { symbol, updateId, time, bid, bidQty, ask, askQty, source, simulated }", batch);
  checkSymbol(what, batch.symbol);
  if (typeof batch.source !== "string" || batch.source.length === 0 || batch.source.length > 64) throw parameterRangeError(what, "source", "a non-empty string of ≤ 64 characters", batch.source);
  if (typeof batch.simulated !== "boolean") throw parameterTypeError(what, "simulated", "a boolean", batch.simulated);
  for (const f of COLUMNS) assertArrayLike(what, `batch.${f}`, batch[f]);
  for (const f of COLUMNS) assertSameLength(what, "batch.updateId", batch.updateId, `batch.${f}`, batch[f]);
  const n = batch.updateId.length;
  let sorted = true;
  const { updateId, time, bid, bidQty, ask, askQty } = batch;
  for (let i = 0; i < n; i++) {
    const u = updateId[i];
    if (!Number.isSafeInteger(u) || u < 0) throw parameterRangeError(what, `batch.updateId[${i}]`, "a safe integer >= 0", u);
    if (!Number.isFinite(time[i])) throw parameterRangeError(what, `batch.time[${i}]`, "a finite epoch ms", time[i]);
    const b = bid[i];
    const bq = bidQty[i];
    const a = ask[i];
    const aq = askQty[i];
    // one test for the usual case (all finite and > 0); the field is named only when it fails
    if (!(b > 0 && bq > 0 && a > 0 && aq > 0 && b !== Infinity && bq !== Infinity && a !== Infinity && aq !== Infinity)) {
      for (const f of ["bid", "bidQty", "ask", "askQty"] as const) {
        const v = batch[f][i];
        if (!(v > 0) || !Number.isFinite(v)) throw parameterRangeError(what, `batch.${f}[${i}]`, "a finite number > 0", v);
      }
    }
    if (b > a) throw parameterRangeError(what, `batch.bid[${i}]`, `a bid <= the ask ${a} (crossed book)`, b);
    if (i > 0 && u <= updateId[i - 1]) sorted = false;
  }
  let order: number[] | null = null;
  if (!sorted) {
    const byId = Array.from({ length: n }, (_, i) => i).sort((a, b) => batch.updateId[a] - batch.updateId[b] || b - a);
    // keep the last occurrence of each id: after sorting by (id, index desc) the first of a run is the last sent
    order = byId.filter((k, j) => j === 0 || batch.updateId[byId[j - 1]] !== batch.updateId[k]);
  }
  const m = order === null ? n : order.length;
  const pick = (a: ArrayLike<number>): Float64Array => {
    if (order === null && a instanceof Float64Array) return a.slice();
    const out = new Float64Array(m);
    for (let j = 0; j < m; j++) out[j] = a[order === null ? j : order[j]];
    return out;
  };
  return {
    symbol: batch.symbol,
    updateId: pick(batch.updateId),
    time: pick(batch.time),
    bid: pick(batch.bid),
    bidQty: pick(batch.bidQty),
    ask: pick(batch.ask),
    askQty: pick(batch.askQty),
    source: batch.source,
    simulated: batch.simulated,
  };
}

/** Empty {@link ArchivedQuotes} of `symbol`, or `n` zeroed rows. */
export function archivedQuotes(symbol: string, n = 0): ArchivedQuotes {
  return {
    symbol,
    updateId: new Float64Array(n),
    time: new Float64Array(n),
    bid: new Float64Array(n),
    bidQty: new Float64Array(n),
    ask: new Float64Array(n),
    askQty: new Float64Array(n),
    simulated: new Uint8Array(n),
  };
}

/** Fills {@link ArchivedQuotes} from raw rows `[updateId, time, bid, bidQty, ask, askQty, simulated]`. O(n). */
export function quotesFromRows(symbol: string, rows: ArrayLike<ArrayLike<unknown>>): ArchivedQuotes {
  const out = archivedQuotes(symbol, rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out.updateId[i] = Number(r[0]);
    out.time[i] = Number(r[1]);
    out.bid[i] = Number(r[2]);
    out.bidQty[i] = Number(r[3]);
    out.ask[i] = Number(r[4]);
    out.askQty[i] = Number(r[5]);
    out.simulated[i] = r[6] === true || Number(r[6]) === 1 ? 1 : 0;
  }
  return out;
}

/**
 * Validates alert-log entries before an append.
 * @throws RangeError/TypeError (E_PARAM) naming the entry and field.
 */
export function checkAlertLogEntries(what: string, entries: readonly AlertLogEntry[]): void {
  if (!Array.isArray(entries)) throw parameterTypeError(what, "entries", "an array of { id, firedAt, ruleId, simulated, json }", entries);
  entries.forEach((e, i) => {
    if (e === null || typeof e !== "object") throw parameterTypeError(what, `entries[${i}]`, "an object { id, firedAt, ruleId, simulated, json }", e);
    if (typeof e.id !== "string" || e.id.length === 0 || e.id.length > 512) throw parameterRangeError(what, `entries[${i}].id`, "a non-empty string of ≤ 512 characters", e.id);
    if (!Number.isFinite(e.firedAt)) throw parameterRangeError(what, `entries[${i}].firedAt`, "a finite epoch ms", e.firedAt);
    if (typeof e.ruleId !== "string") throw parameterTypeError(what, `entries[${i}].ruleId`, "a string", e.ruleId);
    if (typeof e.simulated !== "boolean") throw parameterTypeError(what, `entries[${i}].simulated`, "a boolean", e.simulated);
    if (typeof e.json !== "string") throw parameterTypeError(what, `entries[${i}].json`, "JSON text", e.json);
  });
}

/**
 * The archive's quote and alert-log tables (SQLite schema version 2, PostgreSQL 3), implemented by both backends
 * ({@link SqliteArchive}, {@link PostgresArchive}); kept apart from {@link Archive} so archive stand-ins that
 * only record trades still fit `Archive`. Use {@link hasArchiveTables} to narrow an `Archive`.
 */
export interface ArchiveTables {
  /**
   * Stores book-ticker quotes keyed by (symbol, update id `u`): each quote once, however often it is sent;
   * resolves to how many were new. Atomic: all or none.
   */
  writeQuotes(batch: QuoteBatch): Promise<number>;
  /** Reads one symbol's quotes in [from, to), ordered by (time, update id). */
  readQuotes(symbol: string, range?: TimeRange): Promise<ArchivedQuotes>;
  /** Appends to the append-only alert log; an alert id already logged is skipped. Resolves to the rows added. */
  appendAlertLog(entries: readonly AlertLogEntry[]): Promise<number>;
  /** Reads the alert log in append order, fired in [from, to). */
  readAlertLog(range?: TimeRange): Promise<AlertLogEntry[]>;
}

/**
 * True when `archive` has the quote and alert-log tables (both pairlab backends do). O(1).
 * @example
 * const archive = await openArchive();
 * if (archive && hasArchiveTables(archive)) await archive.readQuotes("btcusdt");
 */
export function hasArchiveTables(archive: Archive): archive is Archive & ArchiveTables {
  const a = archive as Partial<ArchiveTables>;
  return typeof a.writeQuotes === "function" && typeof a.readQuotes === "function" && typeof a.appendAlertLog === "function" && typeof a.readAlertLog === "function";
}
