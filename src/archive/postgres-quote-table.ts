import type pg from "pg";
import { quotesFromRows, type AlertLogEntry, type ArchivedQuotes, type SortedQuotes } from "./quote-table";

// The PostgreSQL archive's quote and alert-log tables (migration 2 in postgres-archive.ts). The functions run
// inside PostgresArchive's serialized transactions; PostgresArchive resolves source ids and maps errors.

/** Migration 2 of the PostgreSQL archive: quotes keyed by (symbol, update_id) and the append-only alert log. */
export const POSTGRES_QUOTE_TABLES = `
  CREATE TABLE pairlab_quotes (
    symbol text NOT NULL, update_id bigint NOT NULL, time bigint NOT NULL,
    bid double precision NOT NULL, bid_qty double precision NOT NULL, ask double precision NOT NULL, ask_qty double precision NOT NULL,
    src integer NOT NULL REFERENCES pairlab_sources (src),
    PRIMARY KEY (symbol, update_id)
  );
  CREATE INDEX pairlab_quotes_by_time ON pairlab_quotes (symbol, time, update_id);
  CREATE TABLE pairlab_alert_log (
    seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, fired_at bigint NOT NULL, rule_id text NOT NULL,
    simulated boolean NOT NULL, body text NOT NULL
  );
  CREATE INDEX pairlab_alert_log_by_time ON pairlab_alert_log (fired_at);
  CREATE FUNCTION pairlab_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $fn$;
  CREATE TRIGGER pairlab_alert_log_append_only BEFORE UPDATE OR DELETE ON pairlab_alert_log FOR EACH ROW EXECUTE FUNCTION pairlab_append_only();
`;

/** Inserts quotes with `ON CONFLICT DO NOTHING` (one statement, arrays unnested). Returns the new rows. */
export async function insertPostgresQuotes(c: pg.Client, src: number, q: SortedQuotes): Promise<number> {
  const res = await c.query(
    "INSERT INTO pairlab_quotes (symbol, update_id, time, bid, bid_qty, ask, ask_qty, src) " +
      "SELECT $1, *, $8 FROM unnest($2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) ON CONFLICT DO NOTHING",
    [q.symbol, Array.from(q.updateId), Array.from(q.time), Array.from(q.bid), Array.from(q.bidQty), Array.from(q.ask), Array.from(q.askQty), src],
  );
  return res.rowCount ?? 0;
}

/** Reads one symbol's quotes with from ≤ time < to, ordered by (time, update_id). One index range scan. */
export async function selectPostgresQuotes(c: pg.Client, symbol: string, from: number, to: number, types: unknown): Promise<ArchivedQuotes> {
  const res = await c.query({
    text: "SELECT q.update_id, q.time, q.bid, q.bid_qty, q.ask, q.ask_qty, s.simulated::int FROM pairlab_quotes q JOIN pairlab_sources s ON s.src = q.src WHERE q.symbol = $1 AND q.time >= $2 AND q.time < $3 ORDER BY q.time, q.update_id",
    values: [symbol, from, to],
    rowMode: "array",
    types: types as never,
  });
  return quotesFromRows(symbol, res.rows as unknown[][]);
}

/** Appends alert-log rows with `ON CONFLICT (id) DO NOTHING`, in order. Returns the rows added. */
export async function insertPostgresAlertLog(c: pg.Client, entries: readonly AlertLogEntry[]): Promise<number> {
  const res = await c.query(
    "INSERT INTO pairlab_alert_log (id, fired_at, rule_id, simulated, body) SELECT id, f, r, s, b FROM unnest($1::text[], $2::bigint[], $3::text[], $4::boolean[], $5::text[]) WITH ORDINALITY AS e(id, f, r, s, b, k) ORDER BY k ON CONFLICT (id) DO NOTHING",
    [entries.map((e) => e.id), entries.map((e) => Math.round(e.firedAt)), entries.map((e) => e.ruleId), entries.map((e) => e.simulated), entries.map((e) => e.json)],
  );
  return res.rowCount ?? 0;
}

/** Reads the alert log in append order, fired in [from, to). */
export async function selectPostgresAlertLog(c: pg.Client, from: number, to: number, types: unknown): Promise<AlertLogEntry[]> {
  const res = await c.query({
    text: "SELECT id, fired_at, rule_id, simulated, body FROM pairlab_alert_log WHERE fired_at >= $1 AND fired_at < $2 ORDER BY seq",
    values: [from, to],
    rowMode: "array",
    types: types as never,
  });
  return (res.rows as [string, number, string, boolean, string][]).map((r) => ({ id: r[0], firedAt: Number(r[1]), ruleId: r[2], simulated: r[3] === true, json: r[4] }));
}
