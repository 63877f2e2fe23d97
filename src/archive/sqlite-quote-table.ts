import type Database from "better-sqlite3";
import { quotesFromRows, type AlertLogEntry, type ArchivedQuotes, type SortedQuotes } from "./quote-table";

// The SQLite archive's quote and alert-log tables (schema migration 2 in sqlite-schema.ts). The functions run
// inside SqliteArchive's transactions; SqliteArchive resolves symbol and source ids and maps errors.

/**
 * Inserts quotes keyed by (sym, update_id); ids already stored are skipped (`INSERT OR IGNORE`), so a quote
 * is stored once however often it is sent. Returns the number of new rows. O(n log N).
 */
export function insertSqliteQuotes(db: Database.Database, sym: number, src: number, q: SortedQuotes): number {
  const put = db.prepare("INSERT OR IGNORE INTO quotes (sym, update_id, time, bid, bid_qty, ask, ask_qty, src) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  let added = 0;
  for (let i = 0; i < q.updateId.length; i++) added += put.run(sym, q.updateId[i], q.time[i], q.bid[i], q.bidQty[i], q.ask[i], q.askQty[i], src).changes;
  return added;
}

/** Reads one symbol's quotes with from ≤ time < to, ordered by (time, update_id). O(log N + m). */
export function selectSqliteQuotes(db: Database.Database, symbol: string, sym: number | undefined, from: number, to: number): ArchivedQuotes {
  const rows =
    sym === undefined
      ? []
      : (db
          .prepare("SELECT q.update_id, q.time, q.bid, q.bid_qty, q.ask, q.ask_qty, s.simulated FROM quotes q JOIN sources s ON s.src = q.src WHERE q.sym = ? AND q.time >= ? AND q.time < ? ORDER BY q.time, q.update_id")
          .raw()
          .all(sym, from, to) as unknown[][]);
  return quotesFromRows(symbol, rows);
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
