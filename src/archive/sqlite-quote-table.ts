import type Database from "better-sqlite3";
import { archivedQuotes, type AlertLogEntry, type ArchivedQuotes, type SortedQuotes } from "./quote-table";

// The SQLite archive's quote and alert-log tables (schema migration 2 in sqlite-schema.ts). The functions run
// inside SqliteArchive's transactions; SqliteArchive resolves symbol and source ids, caches prepared statements
// and maps errors.

/** Returns the connection's prepared statement for `sql`, compiled once (SqliteArchive's statement cache). */
export type PrepareStatement = (sql: string) => Database.Statement;

/** Rows per INSERT statement, largest first: a batch is cut into as many 128-row statements as fit, then 32, 8, 1. */
const INSERT_ROWS = [128, 32, 8, 1] as const;
const INSERT_SQL = INSERT_ROWS.map((rows) => "INSERT OR IGNORE INTO quotes (sym, update_id, time, bid, bid_qty, ask, ask_qty, src) VALUES " + Array<string>(rows).fill("(?, ?, ?, ?, ?, ?, ?, ?)").join(", "));

/**
 * Inserts quotes keyed by (sym, update_id); ids already stored are skipped (`INSERT OR IGNORE`), so a quote is stored
 * once however often it is sent. Rows go in update-id order through multi-row statements of 128, 32, 8 and 1 rows
 * with bound parameters (prepared once per connection), passed as call arguments: measured ~20 % less CPU than one
 * single-row statement per quote. Returns the number of new rows. O(n log N).
 */
export function insertSqliteQuotes(prepare: PrepareStatement, sym: number, src: number, q: SortedQuotes): number {
  const n = q.updateId.length;
  let added = 0;
  let i = 0;
  for (let s = 0; s < INSERT_ROWS.length; s++) {
    const rows = INSERT_ROWS[s];
    if (n - i < rows) continue;
    const put = prepare(INSERT_SQL[s]);
    const args = new Array<number>(rows * 8);
    while (n - i >= rows) {
      for (let k = 0; k < args.length; i++) {
        args[k++] = sym;
        args[k++] = q.updateId[i];
        args[k++] = q.time[i];
        args[k++] = q.bid[i];
        args[k++] = q.bidQty[i];
        args[k++] = q.ask[i];
        args[k++] = q.askQty[i];
        args[k++] = src;
      }
      added += put.run(...args).changes; // spread: better-sqlite3 binds call arguments directly, array elements through slower lookups
    }
  }
  return added;
}

/** Rows per SELECT of {@link selectSqliteQuotes}: small row batches die young in V8 (one big `.all()` of 60,000 rows survives GCs). */
const READ_ROWS = 1024;
const SPAN_SQL = "SELECT min(update_id), max(update_id) FROM quotes WHERE sym = ? AND time >= ? AND time < ?";
const READ_SQL = "SELECT update_id, time, bid, bid_qty, ask, ask_qty FROM quotes WHERE sym = ? AND update_id > ? AND update_id <= ? AND time >= ? AND time < ? ORDER BY update_id LIMIT ?";
const READ_SRC_SQL = "SELECT update_id, time, bid, bid_qty, ask, ask_qty, src FROM quotes WHERE sym = ? AND update_id > ? AND update_id <= ? AND time >= ? AND time < ? ORDER BY update_id LIMIT ?";

/**
 * Reads one symbol's quotes with from ≤ time < to, ordered by (time, update_id). The rows live in primary-key order
 * (sym, update_id). For a bounded range the read first takes the update-id span of the range from the (sym, time)
 * index (covering: it holds update_id); `whole` (no range given) skips that. It then scans that span of the table
 * sequentially (no per-row lookup from the index into the table) filtered by time, in keyset pages of 1,024 rows
 * copied into growing Float64Arrays, and sorts by (time, u) only when u and time disagree. The source column is read
 * only when the archive holds both simulated and live sources (otherwise the `simulated` flag is the same for every
 * row). O(log N + m) (+ m log m if unsorted).
 */
export function selectSqliteQuotes(prepare: PrepareStatement, symbol: string, sym: number | undefined, from: number, to: number, whole: boolean): ArchivedQuotes {
  if (sym === undefined) return archivedQuotes(symbol);
  let after = -1; // update ids are integers >= 0
  let last = Number.MAX_SAFE_INTEGER;
  if (!whole) {
    const span = prepare(SPAN_SQL).raw().get(sym, from, to) as [number | null, number | null];
    if (span[0] === null || span[1] === null) return archivedQuotes(symbol);
    after = span[0] - 1;
    last = span[1];
  }
  const kinds = prepare("SELECT min(simulated), max(simulated) FROM sources").raw().get() as [number | null, number | null];
  const mixed = kinds[0] !== kinds[1];
  const simulatedSources = mixed ? new Set(prepare("SELECT src FROM sources WHERE simulated = 1").pluck().all() as number[]) : null;
  const read = prepare(mixed ? READ_SRC_SQL : READ_SQL).raw();
  let out = archivedQuotes(symbol, READ_ROWS);
  let m = 0;
  for (;;) {
    const rows = read.all(sym, after, last, from, to, READ_ROWS) as number[][];
    if (m + rows.length > out.time.length) out = grown(out, m, Math.max(2 * out.time.length, m + rows.length));
    const { updateId, time, bid, bidQty, ask, askQty, simulated } = out;
    for (let i = 0; i < rows.length; i++, m++) {
      const r = rows[i];
      updateId[m] = r[0];
      time[m] = r[1];
      bid[m] = r[2];
      bidQty[m] = r[3];
      ask[m] = r[4];
      askQty[m] = r[5];
      if (simulatedSources !== null) simulated[m] = simulatedSources.has(r[6]) ? 1 : 0;
    }
    if (rows.length < READ_ROWS) break;
    after = rows[rows.length - 1][0];
  }
  out = grown(out, m, m);
  if (simulatedSources === null && kinds[1] === 1) out.simulated.fill(1);
  return inTimeOrder(out);
}

/** The first `m` rows of `q` in new arrays of `capacity` rows (`q` itself when it has `capacity` rows). O(m). */
function grown(q: ArchivedQuotes, m: number, capacity: number): ArchivedQuotes {
  if (capacity === q.time.length) return q;
  const out = archivedQuotes(q.symbol, capacity);
  out.updateId.set(q.updateId.subarray(0, m));
  out.time.set(q.time.subarray(0, m));
  out.bid.set(q.bid.subarray(0, m));
  out.bidQty.set(q.bidQty.subarray(0, m));
  out.ask.set(q.ask.subarray(0, m));
  out.askQty.set(q.askQty.subarray(0, m));
  out.simulated.set(q.simulated.subarray(0, m));
  return out;
}

/** `q` (in update-id order) reordered by (time, update id); `q` itself when already in that order. O(m) or O(m log m). */
function inTimeOrder(q: ArchivedQuotes): ArchivedQuotes {
  const { time, updateId } = q;
  const m = time.length;
  let ordered = true;
  for (let i = 1; i < m && ordered; i++) if (time[i] < time[i - 1]) ordered = false;
  if (ordered) return q;
  const order = Uint32Array.from({ length: m }, (_, i) => i).sort((a, b) => time[a] - time[b] || updateId[a] - updateId[b]);
  const out = archivedQuotes(q.symbol, m);
  for (let j = 0; j < m; j++) {
    const i = order[j];
    out.updateId[j] = updateId[i];
    out.time[j] = time[i];
    out.bid[j] = q.bid[i];
    out.bidQty[j] = q.bidQty[i];
    out.ask[j] = q.ask[i];
    out.askQty[j] = q.askQty[i];
    out.simulated[j] = q.simulated[i];
  }
  return out;
}

/** Appends alert-log rows; an id already logged is skipped (`INSERT OR IGNORE`). Returns the new rows. O(n log N). */
export function insertSqliteAlertLog(db: Database.Database, entries: readonly AlertLogEntry[]): number {
  const put = db.prepare("INSERT OR IGNORE INTO alert_log (id, fired_at, rule_id, simulated, body) VALUES (?, ?, ?, ?, ?)");
  let added = 0;
  for (const e of entries) added += put.run(e.id, Math.round(e.firedAt), e.ruleId, e.simulated ? 1 : 0, e.json).changes;
  return added;
}

/** Reads the alert log in append order, with from ≤ firedAt < to. O(N). */
export function selectSqliteAlertLog(db: Database.Database, from: number, to: number): AlertLogEntry[] {
  const rows = db.prepare("SELECT id, fired_at, rule_id, simulated, body FROM alert_log WHERE fired_at >= ? AND fired_at < ? ORDER BY seq").raw().all(from, to) as [string, number, string, number, string][];
  return rows.map((r) => ({ id: r[0], firedAt: r[1], ruleId: r[2], simulated: r[3] === 1, json: r[4] }));
}
