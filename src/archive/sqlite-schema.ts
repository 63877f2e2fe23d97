/**
 * The SQLite archive's schema, as an ordered list of migrations. Migration k (1-based) brings
 * `PRAGMA user_version` from k−1 to k; `PRAGMA application_id` marks the file as a pairlab archive.
 *
 * Logical schema (the same as PostgreSQL's): trades (symbol, id, time, price, qty, maker, source, simulated)
 * keyed by (symbol, id); bars (symbol, interval_ms, time, OHLC, volume, quote_volume, count, source,
 * simulated) keyed by (symbol, interval_ms, time). Physically, SQLite keeps trades in *blocks* of up to
 * {@link BLOCK_TRADES} trades of one symbol and one source, sorted by id, each column a little-endian
 * float64 blob (maker a uint8 blob), so a read of millions of trades is a few hundred row fetches and memcpys.
 *
 * Version 2 adds quotes (symbol, update_id, time, bid, bid_qty, ask, ask_qty, source) keyed by (symbol, update_id),
 * one row per stored quote (the ingestion keeps the last quote per ms, so ≤ 1,000 rows/s per symbol), and
 * alert_log (seq, id UNIQUE, fired_at, rule_id, simulated, body JSON), append-only (triggers refuse UPDATE/DELETE).
 */

/** "plab" — PRAGMA application_id of a pairlab archive. */
export const APPLICATION_ID = 0x706c6162;

/** Target trades per block: the tail block of a symbol grows up to this size, then a new block starts. */
export const BLOCK_TRADES = 8192;

/** Migrations, index k → user_version k+1. Never edit a shipped one; append. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE symbols (sym INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE sources (src INTEGER PRIMARY KEY, name TEXT NOT NULL, simulated INTEGER NOT NULL, UNIQUE (name, simulated));
  CREATE TABLE trade_blocks (
    block INTEGER PRIMARY KEY,
    sym INTEGER NOT NULL REFERENCES symbols (sym),
    src INTEGER NOT NULL REFERENCES sources (src),
    n INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    ids BLOB NOT NULL,
    time BLOB NOT NULL,
    price BLOB NOT NULL,
    qty BLOB NOT NULL,
    maker BLOB NOT NULL
  );
  CREATE INDEX trade_blocks_by_id ON trade_blocks (sym, last_id);
  CREATE INDEX trade_blocks_by_time ON trade_blocks (sym, max_time);
  CREATE TABLE bars (
    sym INTEGER NOT NULL REFERENCES symbols (sym),
    interval_ms INTEGER NOT NULL,
    time INTEGER NOT NULL,
    open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
    volume REAL NOT NULL, quote_volume REAL NOT NULL, count INTEGER NOT NULL,
    src INTEGER NOT NULL REFERENCES sources (src),
    PRIMARY KEY (sym, interval_ms, time)
  ) WITHOUT ROWID;
  `,
  // 2: book-ticker quotes keyed by (symbol, update id u), and the append-only alert log (alert id unique).
  `
  CREATE TABLE quotes (
    sym INTEGER NOT NULL REFERENCES symbols (sym),
    update_id INTEGER NOT NULL,
    time INTEGER NOT NULL,
    bid REAL NOT NULL, bid_qty REAL NOT NULL, ask REAL NOT NULL, ask_qty REAL NOT NULL,
    src INTEGER NOT NULL REFERENCES sources (src),
    PRIMARY KEY (sym, update_id)
  ) WITHOUT ROWID;
  CREATE INDEX quotes_by_time ON quotes (sym, time);
  CREATE TABLE alert_log (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    fired_at INTEGER NOT NULL,
    rule_id TEXT NOT NULL,
    simulated INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX alert_log_by_time ON alert_log (fired_at);
  CREATE TRIGGER alert_log_no_update BEFORE UPDATE ON alert_log BEGIN SELECT RAISE(ABORT, 'alert_log is append-only'); END;
  CREATE TRIGGER alert_log_no_delete BEFORE DELETE ON alert_log BEGIN SELECT RAISE(ABORT, 'alert_log is append-only'); END;
  `,
];
