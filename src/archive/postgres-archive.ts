import type pg from "pg";
import type { to as CopyTo } from "pg-copy-streams";
import { parameterRangeError } from "../errors";
import { ArchiveError, toArchiveError } from "./archive-error";
import type { Archive, ArchivedBars, ArchivedTrades, BarBatch, SymbolSummary, TimeRange, TradeBatch } from "./archive-types";
import { checkBarBatch, checkRange, checkSymbol, normalizeTradeBatch, selectTrades, type SortedTrades } from "./normalize-batch";
import { CopyBinaryStream, parseCopyBinary } from "./pg-copy-binary";
import { fromFloat64Be, swapFloat64InPlace, toFloat64Be } from "./float64-be";
import { barsFromRows } from "./sqlite-archive";
import { BLOCK_TRADES } from "./sqlite-schema";
import { lowerBound, orderAndTrim, sortedIncludes } from "./sort-trades";
import { checkAlertLogEntries, normalizeQuoteBatch, type AlertLogEntry, type ArchiveTables, type ArchivedQuotes, type QuoteBatch } from "./quote-table";
import { insertPostgresAlertLog, insertPostgresQuotes, POSTGRES_QUOTE_TABLES, selectPostgresAlertLog, selectPostgresQuotes } from "./postgres-quote-table";

const WHAT = "PostgresArchive";
const DAY_MS = 86_400_000;
const TIME_MIN = -8.64e15;
const TIME_MAX = 8.64e15;

/**
 * PostgreSQL migrations, index k → schema version k+1 (stored in `pairlab_meta`). The logical schema is
 * SQLite's: trades keyed by (symbol, id), read in (symbol, time) order; bars keyed by (symbol, interval_ms, time).
 *
 * Version 1 stored one row per trade (COPY into a temp table, then INSERT … ON CONFLICT: ~59k trades/s).
 * Version 2 stores trades as SQLite does, in *blocks*: up to {@link BLOCK_TRADES} trades of one symbol, one
 * source and one UTC day per row, sorted by id, each column a `bytea` of big-endian float64 values (the bytes
 * of `float8send`; maker one 0/1 byte per trade), partitioned by day on `min_time` (a TimescaleDB hypertable
 * with 1-day chunks when the extension is present). Exactly-once comes from a per-symbol transaction lock and an
 * id check against the blocks whose id range meets the batch. `pairlab_trades` becomes a view with one row per
 * trade (decoded in SQL by `pairlab_f64(bytes, k)`), so SQL users keep their row-level queries.
 * `{{LAYOUT}}` becomes `PARTITION BY RANGE (min_time)` or nothing (hypertable).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE pairlab_sources (src serial PRIMARY KEY, name text NOT NULL, simulated boolean NOT NULL, UNIQUE (name, simulated));
  CREATE TABLE pairlab_trades (
    symbol text NOT NULL, id bigint NOT NULL, time bigint NOT NULL,
    price double precision NOT NULL, qty double precision NOT NULL, maker boolean NOT NULL,
    src integer NOT NULL REFERENCES pairlab_sources (src),
    PRIMARY KEY (symbol, id, time)
  ) {{TRADES_LAYOUT}};
  CREATE INDEX pairlab_trades_by_time ON pairlab_trades (symbol, time, id);
  CREATE TABLE pairlab_bars (
    symbol text NOT NULL, interval_ms integer NOT NULL, time bigint NOT NULL,
    open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL, close double precision NOT NULL,
    volume double precision NOT NULL, quote_volume double precision NOT NULL, count bigint NOT NULL,
    src integer NOT NULL REFERENCES pairlab_sources (src),
    PRIMARY KEY (symbol, interval_ms, time)
  );
  `,
  `
  CREATE TABLE pairlab_trade_blocks (
    block bigserial NOT NULL,
    symbol text COLLATE "C" NOT NULL,
    src integer NOT NULL REFERENCES pairlab_sources (src),
    n integer NOT NULL,
    first_id bigint NOT NULL, last_id bigint NOT NULL,
    min_time bigint NOT NULL, max_time bigint NOT NULL,
    ids bytea NOT NULL, times bytea NOT NULL, prices bytea NOT NULL, qtys bytea NOT NULL, makers bytea NOT NULL
  ) {{LAYOUT}};
  ALTER TABLE pairlab_trade_blocks ALTER ids SET STORAGE EXTERNAL, ALTER times SET STORAGE EXTERNAL, ALTER prices SET STORAGE EXTERNAL,
    ALTER qtys SET STORAGE EXTERNAL, ALTER makers SET STORAGE EXTERNAL;
  CREATE INDEX pairlab_trade_blocks_by_id ON pairlab_trade_blocks (symbol, last_id);
  CREATE INDEX pairlab_trade_blocks_by_time ON pairlab_trade_blocks (symbol, min_time);
  -- The k-th (0-based) big-endian float64 of a block column, for SQL access (NaN/±Infinity/subnormals included).
  CREATE FUNCTION pairlab_f64(b bytea, k integer) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT CASE
      WHEN e = 2047 THEN CASE WHEN m <> 0 THEN 'NaN'::float8 WHEN bits < 0 THEN '-Infinity'::float8 ELSE 'Infinity'::float8 END
      ELSE (CASE WHEN bits < 0 THEN -1 ELSE 1 END) * CASE WHEN e = 0 THEN m::float8 * power(2::float8, -1074) ELSE (m + 4503599627370496)::float8 * power(2::float8, e - 1075) END
    END
    FROM (SELECT bits, ((bits >> 52) & 2047)::integer AS e, bits & 4503599627370495 AS m
          FROM (SELECT ('x' || encode(substring(b FROM 8 * k + 1 FOR 8), 'hex'))::bit(64)::bigint AS bits) AS x) AS y
  $f$;
  `,
  // 3: book-ticker quotes keyed by (symbol, update id) and the append-only alert log (postgres-quote-table.ts).
  // (SQLite numbers its own migrations: there the same tables are version 2, as its trades were blocks from version 1.)
  POSTGRES_QUOTE_TABLES,
];

/** Version 2, after its tables exist (and the partitions of the old rows' days): version 1's rows move into blocks. */
const MOVE_ROWS_TO_BLOCKS = `
  INSERT INTO pairlab_trade_blocks (symbol, src, n, first_id, last_id, min_time, max_time, ids, times, prices, qtys, makers)
  SELECT symbol, src, count(*), min(id), max(id), min(time), max(time),
    string_agg(float8send(id::float8), ''::bytea ORDER BY id), string_agg(float8send(time::float8), ''::bytea ORDER BY id),
    string_agg(float8send(price), ''::bytea ORDER BY id), string_agg(float8send(qty), ''::bytea ORDER BY id),
    string_agg(CASE WHEN maker THEN '\\x01'::bytea ELSE '\\x00'::bytea END, ''::bytea ORDER BY id)
  FROM pairlab_trades GROUP BY symbol, src, floor(time / ${86_400_000}.0), floor(id / ${BLOCK_TRADES}.0);
  DROP TABLE pairlab_trades;
  CREATE VIEW pairlab_trades AS
    SELECT b.symbol, pairlab_f64(b.ids, k)::bigint AS id, pairlab_f64(b.times, k)::bigint AS time, pairlab_f64(b.prices, k) AS price,
      pairlab_f64(b.qtys, k) AS qty, get_byte(b.makers, k) = 1 AS maker, b.src
    FROM pairlab_trade_blocks b, generate_series(0, b.n - 1) AS k;
`;

/** Options of {@link PostgresArchive.open}. */
export interface PostgresArchiveOptions {
  /** Connection timeout, ms (default 5000). */
  connectTimeoutMs?: number;
  /** Lock wait before `E_ARCHIVE_LOCKED`, ms (default 5000; PostgreSQL `lock_timeout`). */
  busyTimeoutMs?: number;
}

/** `pg` and `pg-copy-streams`, loaded on first use (importing pairlab does not load them). */
function driver(): { pg: typeof pg; copyTo: typeof CopyTo; int8AsNumber: { getTypeParser(oid: number, format?: "text" | "binary"): unknown } } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require("pg") as typeof pg;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const copy = require("pg-copy-streams") as { to: typeof CopyTo };
  return {
    pg: lib,
    copyTo: copy.to,
    int8AsNumber: { getTypeParser: (oid: number, format?: "text" | "binary") => (oid === 20 ? (v: string) => Number(v) : lib.types.getTypeParser(oid, format ?? "text")) },
  };
}

/**
 * Runs `COPY (select) TO STDOUT (FORMAT binary)` and returns the rows' raw fields. COPY takes no parameters:
 * callers inline only validated symbols (a-z, 0-9, _) and finite numbers.
 */
async function copyRows(c: pg.Client, select: string): Promise<Buffer[][]> {
  const chunks: Buffer[] = [];
  for await (const chunk of c.query(driver().copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) chunks.push(chunk as Buffer);
  return parseCopyBinary(Buffer.concat(chunks)) as Buffer[][];
}

/** A number as an SQL literal (finite, so no injection). */
function lit(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return String(x);
}

/**
 * The team archive: PostgreSQL through `pg`, the same logical schema as {@link SqliteArchive}, trades
 * partitioned by UTC day (a TimescaleDB hypertable when the extension is available). Trades are kept in
 * blocks of up to 8,192 trades (one symbol, source and UTC day per block, columns as big-endian float64 `bytea`, see
 * {@link POSTGRES_MIGRATIONS}); the view `pairlab_trades` shows one row per trade. A write takes a per-symbol
 * transaction lock (`pg_advisory_xact_lock`), drops the ids already stored (from the blocks whose id range meets
 * the batch), appends to the day's tail block or inserts new blocks, all in one transaction, with the columns
 * sent as binary parameters: a trade is stored exactly once even when several recorders overlap.
 *
 * Complexity: writing n trades O(n + k·B) for k overlapping blocks of B trades (k = 0 when recording live) and
 * ⌈n / 8192⌉ block rows; reading m trades fetches ⌈m / 8192⌉ rows in binary and decodes them, O(m).
 *
 * @throws ArchiveError: `E_ARCHIVE_IO` (unreachable server, bad credentials), `E_ARCHIVE_FOREIGN`,
 *   `E_ARCHIVE_VERSION`, `E_ARCHIVE_LOCKED` (lock_timeout), `E_ARCHIVE_FULL` (disk full, SQLSTATE 53100).
 * @example
 * const archive = await PostgresArchive.open("postgres://pairlab@127.0.0.1:5432/pairlab");
 * await archive.writeTrades({ symbol: "btcusdt", id: [1], time: [1000], price: [100], qty: [1], source: "binance", simulated: false });
 * await archive.close();
 */
export class PostgresArchive implements Archive, ArchiveTables {
  readonly kind = "postgres" as const;
  readonly location: string;
  /** "partitioned" (declarative daily partitions) or "hypertable" (TimescaleDB). */
  layout: "partitioned" | "hypertable" = "partitioned";
  private client: pg.Client | null;
  private readonly partitions = new Set<number>();
  private readonly sourceIds = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(location: string, client: pg.Client) {
    this.location = location;
    this.client = client;
  }

  /** Connects, creates or migrates the schema. @throws ArchiveError (see the class doc). */
  static async open(url: string, options: PostgresArchiveOptions = {}): Promise<PostgresArchive> {
    if (typeof url !== "string" || !/^postgres(ql)?:\/\//.test(url)) throw parameterRangeError(WHAT, "url", "a postgres:// or postgresql:// URL", url);
    const connectTimeout = options.connectTimeoutMs ?? 5000;
    const busy = options.busyTimeoutMs ?? 5000;
    if (!Number.isSafeInteger(connectTimeout) || connectTimeout < 1) throw parameterRangeError(WHAT, "connectTimeoutMs", "an integer number of ms >= 1", connectTimeout);
    if (!Number.isSafeInteger(busy) || busy < 0) throw parameterRangeError(WHAT, "busyTimeoutMs", "an integer number of ms >= 0", busy);
    const location = redact(url);
    const client = new (driver().pg.Client)({ connectionString: url, connectionTimeoutMillis: connectTimeout });
    client.on("error", () => {
      /* a dropped connection surfaces as an error on the next query */
    });
    try {
      await client.connect();
      await client.query(`SET lock_timeout = ${busy}`);
      const archive = new PostgresArchive(location, client);
      await archive.migrate();
      return archive;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw toArchiveError(error, location, "open");
    }
  }

  private async migrate(): Promise<void> {
    const c = this.handle("open");
    await c.query("BEGIN");
    try {
      await c.query("SELECT pg_advisory_xact_lock(7365321)"); // one migrator at a time across processes
      const tables = (await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'pairlab%'")).rows.map((r) => r.table_name as string);
      if (tables.length > 0 && !tables.includes("pairlab_meta")) {
        throw new ArchiveError("E_ARCHIVE_FOREIGN", this.location, "open", `tables ${tables.join(", ")} exist without pairlab_meta`);
      }
      await c.query("CREATE TABLE IF NOT EXISTS pairlab_meta (key text PRIMARY KEY, value text NOT NULL)");
      const meta = new Map((await c.query("SELECT key, value FROM pairlab_meta")).rows.map((r) => [r.key as string, r.value as string]));
      if (meta.has("application") && meta.get("application") !== "pairlab-archive") {
        throw new ArchiveError("E_ARCHIVE_FOREIGN", this.location, "open", `pairlab_meta.application = ${meta.get("application")}`);
      }
      const version = Number(meta.get("schema_version") ?? 0);
      if (version > POSTGRES_MIGRATIONS.length) {
        throw new ArchiveError("E_ARCHIVE_VERSION", this.location, "open", `schema version ${version}, this pairlab supports up to ${POSTGRES_MIGRATIONS.length}`);
      }
      let layout = meta.get("layout") as "partitioned" | "hypertable" | undefined;
      if (version < POSTGRES_MIGRATIONS.length) {
        if (version === 0) {
          const timescale = (await c.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")).rowCount ?? 0;
          layout = timescale > 0 ? "hypertable" : "partitioned";
          if (layout === "hypertable") await c.query("CREATE EXTENSION IF NOT EXISTS timescaledb");
        }
        this.layout = layout ?? "partitioned";
        const hyper = this.layout === "hypertable";
        for (let v = version; v < POSTGRES_MIGRATIONS.length; v++) {
          await c.query(POSTGRES_MIGRATIONS[v].replace("{{TRADES_LAYOUT}}", hyper ? "" : "PARTITION BY RANGE (time)").replace("{{LAYOUT}}", hyper ? "" : "PARTITION BY RANGE (min_time)"));
          if (v === 0 && hyper) await c.query(`SELECT create_hypertable('pairlab_trades', 'time', chunk_time_interval => ${DAY_MS}::bigint)`);
          if (v === 1) {
            if (hyper) await c.query(`SELECT create_hypertable('pairlab_trade_blocks', 'min_time', chunk_time_interval => ${DAY_MS}::bigint)`);
            else {
              const days = (await c.query({ text: `SELECT DISTINCT floor(time / ${DAY_MS}.0)::float8 FROM pairlab_trades`, rowMode: "array" })).rows.map((r) => Number((r as unknown[])[0]));
              await this.ensureDays(c, days);
            }
            await c.query(MOVE_ROWS_TO_BLOCKS);
          }
        }
        await c.query(
          "INSERT INTO pairlab_meta (key, value) VALUES ('application', 'pairlab-archive'), ('schema_version', $1), ('layout', $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
          [String(POSTGRES_MIGRATIONS.length), layout ?? "partitioned"],
        );
      }
      this.layout = layout ?? "partitioned";
      await c.query("COMMIT");
    } catch (error) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  private handle(action: string): pg.Client {
    if (!this.client) throw new ArchiveError("E_ARCHIVE_CLOSED", this.location, action, "close() was called");
    return this.client;
  }

  /** Runs `fn` after every earlier call (one connection, one transaction at a time). */
  private serial<T>(action: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const c = this.handle(action);
      try {
        return await fn(c);
      } catch (error) {
        this.sourceIds.clear();
        this.partitions.clear();
        throw toArchiveError(error, this.location, action);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sourceId(c: pg.Client, name: string, simulated: boolean): Promise<number> {
    const key = `${simulated ? 1 : 0}:${name}`;
    const cached = this.sourceIds.get(key);
    if (cached !== undefined) return cached;
    await c.query("INSERT INTO pairlab_sources (name, simulated) VALUES ($1, $2) ON CONFLICT DO NOTHING", [name, simulated]);
    const src = (await c.query("SELECT src FROM pairlab_sources WHERE name = $1 AND simulated = $2", [name, simulated])).rows[0].src as number;
    this.sourceIds.set(key, src);
    return src;
  }

  /**
   * Creates the daily partitions `pairlab_trade_blocks_<day>` of `days` (UTC day numbers) that do not exist yet.
   * Writers call it outside their transaction (each CREATE commits at once): a partition's creation locks the
   * parent and, for its foreign key, `pairlab_sources`; inside a write transaction that could deadlock with
   * another writer.
   */
  private async ensureDays(c: pg.Client, days: Iterable<number>): Promise<void> {
    if (this.layout !== "partitioned") return;
    for (const day of days) {
      if (this.partitions.has(day)) continue;
      const name = `pairlab_trade_blocks_${day < 0 ? "m" + -day : day}`;
      try {
        await c.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF pairlab_trade_blocks FOR VALUES FROM (${day * DAY_MS}) TO (${(day + 1) * DAY_MS})`);
      } catch (error) {
        // Another process created it at the same instant (duplicate table / unique violation): fine.
        const code = (error as { code?: string }).code;
        if (code !== "42P07" && code !== "23505") throw error;
      }
      this.partitions.add(day);
    }
  }

  /** The stored blocks of `symbol` whose id range meets [lo, hi]: their ids, each sorted. */
  private async idsBetween(c: pg.Client, symbol: string, lo: number, hi: number): Promise<Float64Array[]> {
    const rows = await copyRows(c, `SELECT n, ids FROM pairlab_trade_blocks WHERE symbol = '${symbol}' AND last_id >= ${lit(Math.ceil(lo))} AND first_id <= ${lit(Math.floor(hi))}`);
    return rows.map((r) => {
      const ids = new Float64Array(r[0].readInt32BE(0));
      fromFloat64Be(r[1], ids, 0);
      return ids;
    });
  }

  writeTrades(batch: TradeBatch): Promise<number> {
    let t: ReturnType<typeof normalizeTradeBatch>;
    try {
      t = normalizeTradeBatch(batch, `${WHAT}.writeTrades`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (t.id.length === 0) return Promise.resolve(0);
    return this.serial("write trades", async (c) => {
      // Outside the transaction (autocommit), so the write transaction takes no DDL or sources locks (no deadlock
      // between writers): the source row, and the partitions of every day the batch touches.
      const src = await this.sourceId(c, t.source, t.simulated);
      const days = new Set<number>();
      for (let i = 0; i < t.time.length; i++) days.add(Math.floor(t.time[i] / DAY_MS));
      await this.ensureDays(c, days);
      await c.query("BEGIN");
      try {
        // One writer per symbol at a time (across processes): the id check below then sees every committed block.
        await c.query("SELECT pg_advisory_xact_lock(7365322, hashtext($1))", [t.symbol]);
        const n = t.id.length;
        const stored = await this.idsBetween(c, t.symbol, t.id[0], t.id[n - 1]);
        let fresh = t;
        if (stored.length > 0) {
          const keep = new Uint8Array(n).fill(1);
          for (const ids of stored) for (let i = 0; i < n; i++) if (keep[i] && sortedIncludes(ids, t.id[i])) keep[i] = 0;
          fresh = selectTrades(t, keep);
        }
        let added = 0;
        for (const [day, dayTrades] of splitByDay(fresh)) added += await this.appendDay(c, src, day, dayTrades);
        await c.query("COMMIT");
        return added;
      } catch (error) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  /** Stores one day's new trades (sorted by id): first into the day's tail block while it has room, then new blocks. */
  private async appendDay(c: pg.Client, src: number, day: number, t: SortedTrades): Promise<number> {
    const m = t.id.length;
    const d0 = day * DAY_MS;
    const d1 = d0 + DAY_MS;
    let start = 0;
    const tail = (
      await c.query({
        text: "SELECT block, n, last_id FROM pairlab_trade_blocks WHERE symbol = $1 AND src = $2 AND min_time >= $3 AND min_time < $4 ORDER BY last_id DESC LIMIT 1",
        values: [t.symbol, src, d0, d1],
        rowMode: "array",
        types: driver().int8AsNumber as never,
      })
    ).rows[0] as number[] | undefined;
    if (tail !== undefined && tail[1] < BLOCK_TRADES && t.id[0] > tail[2]) {
      const take = Math.min(BLOCK_TRADES - tail[1], m);
      const p = part(t, 0, take);
      await c.query(
        "UPDATE pairlab_trade_blocks SET n = n + $1, last_id = $2, min_time = least(min_time, $3), max_time = greatest(max_time, $4), " +
          "ids = ids || $5::bytea, times = times || $6::bytea, prices = prices || $7::bytea, qtys = qtys || $8::bytea, makers = makers || $9::bytea " +
          "WHERE block = $10 AND symbol = $11 AND min_time >= $12 AND min_time < $13",
        [take, p.lastId, p.minTime, p.maxTime, p.ids, p.times, p.prices, p.qtys, p.makers, tail[0], t.symbol, d0, d1],
      );
      start = take;
    }
    for (let a = start; a < m; a += BLOCK_TRADES) {
      const b = Math.min(m, a + BLOCK_TRADES);
      const p = part(t, a, b);
      await c.query(
        "INSERT INTO pairlab_trade_blocks (symbol, src, n, first_id, last_id, min_time, max_time, ids, times, prices, qtys, makers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bytea, $9::bytea, $10::bytea, $11::bytea, $12::bytea)",
        [t.symbol, src, b - a, t.id[a], p.lastId, p.minTime, p.maxTime, p.ids, p.times, p.prices, p.qtys, p.makers],
      );
    }
    return m;
  }

  readTrades(symbol: string, range?: TimeRange): Promise<ArchivedTrades> {
    let from: number, to: number;
    try {
      checkSymbol(`${WHAT}.readTrades`, symbol);
      [from, to] = checkRange(`${WHAT}.readTrades`, range);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.serial("read trades", async (c) => {
      // One snapshot for the count and the COPY (the columns are decoded straight into preallocated arrays).
      await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        const simulatedSources = new Set((await c.query({ text: "SELECT src FROM pairlab_sources WHERE simulated", rowMode: "array" })).rows.map((r) => Number((r as unknown[])[0])));
        // Every block lies within one UTC day, so min_time ≥ the start of from's day prunes partitions.
        const lo = clamp(Math.floor(clamp(from) / DAY_MS) * DAY_MS);
        const where = `FROM pairlab_trade_blocks WHERE symbol = '${symbol}' AND min_time >= ${lit(lo)} AND min_time < ${lit(Math.ceil(clamp(to)))} AND max_time >= ${lit(Math.ceil(clamp(from)))}`;
        const total = Number((await c.query({ text: `SELECT coalesce(sum(n), 0)::float8 ${where}`, rowMode: "array" })).rows[0][0]);
        const out: ArchivedTrades = { symbol, id: new Float64Array(total), time: new Float64Array(total), price: new Float64Array(total), qty: new Float64Array(total), maker: new Uint8Array(total), simulated: new Uint8Array(total) };
        const columns = [out.id, out.time, out.price, out.qty].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
        const head = Buffer.alloc(8); // n (int4), src (int4) of the current block
        let k = 0;
        const parser = new CopyBinaryStream({
          fieldBytes: (field, piece, at) => {
            if (field < 2) piece.copy(head, field * 4 + at);
            else if (field < 6) columns[field - 2].set(piece, k * 8 + at); // RangeError if a block overran the count
            else out.maker.set(piece, k + at);
          },
          rowEnd: () => {
            const n = head.readInt32BE(0);
            if (simulatedSources.has(head.readInt32BE(4))) out.simulated.fill(1, k, k + n);
            k += n;
          },
        });
        for await (const chunk of c.query(driver().copyTo(`COPY (SELECT n, src, ids, times, prices, qtys, makers ${where} ORDER BY min_time, first_id) TO STDOUT (FORMAT binary)`))) parser.push(chunk as Buffer);
        parser.end();
        await c.query("COMMIT");
        if (k !== total) throw new Error(`read ${k} trades, the blocks count ${total}`);
        for (const col of columns) swapFloat64InPlace(col); // big-endian → native
        return orderAndTrim(out, from, to);
      } catch (error) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  writeBars(batch: BarBatch): Promise<number> {
    try {
      checkBarBatch(batch, `${WHAT}.writeBars`);
    } catch (error) {
      return Promise.reject(error);
    }
    const n = batch.time.length;
    if (n === 0) return Promise.resolve(0);
    return this.serial("write bars", async (c) => {
      await c.query("BEGIN");
      try {
        const src = await this.sourceId(c, batch.source, batch.simulated);
        const cols = [batch.time, batch.open, batch.high, batch.low, batch.close, batch.volume, batch.quoteVolume, batch.count].map((a) => Array.from(a));
        await c.query(
          "INSERT INTO pairlab_bars (symbol, interval_ms, time, open, high, low, close, volume, quote_volume, count, src) " +
            "SELECT $1, $2, * , $11 FROM unnest($3::bigint[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::bigint[]) " +
            "ON CONFLICT (symbol, interval_ms, time) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume, quote_volume = EXCLUDED.quote_volume, count = EXCLUDED.count, src = EXCLUDED.src",
          [batch.symbol, batch.intervalMs, ...cols, src],
        );
        await c.query("COMMIT");
        return n;
      } catch (error) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  readBars(symbol: string, intervalMs: number, range?: TimeRange): Promise<ArchivedBars> {
    const what = `${WHAT}.readBars`;
    let from: number, to: number;
    try {
      checkSymbol(what, symbol);
      if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) throw parameterRangeError(what, "intervalMs", "an integer number of ms >= 1", intervalMs);
      [from, to] = checkRange(what, range);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.serial("read bars", async (c) => {
      const res = await c.query({
        text:
          "SELECT b.time, b.open, b.high, b.low, b.close, b.volume, b.quote_volume, b.count, s.name, s.simulated::int FROM pairlab_bars b JOIN pairlab_sources s ON s.src = b.src " +
          "WHERE b.symbol = $1 AND b.interval_ms = $2 AND b.time >= $3 AND b.time < $4 ORDER BY b.time",
        values: [symbol, intervalMs, clamp(from), clamp(to)],
        rowMode: "array",
        types: driver().int8AsNumber as never,
      });
      return barsFromRows(symbol, intervalMs, res.rows as unknown[][]);
    });
  }

  summary(): Promise<SymbolSummary[]> {
    return this.serial("summarize", async (c) => {
      const res = await c.query({
        text:
          "SELECT b.symbol, sum(b.n), min(b.min_time), max(b.max_time), min(b.first_id), max(b.last_id), max(s.simulated::int), string_agg(DISTINCT s.name, ',') " +
          "FROM pairlab_trade_blocks b JOIN pairlab_sources s ON s.src = b.src GROUP BY b.symbol ORDER BY b.symbol",
        rowMode: "array",
        types: driver().int8AsNumber as never,
      });
      return (res.rows as unknown[][]).map((r) => ({
        symbol: String(r[0]),
        trades: Number(r[1]),
        firstTime: Number(r[2]),
        lastTime: Number(r[3]),
        firstId: Number(r[4]),
        lastId: Number(r[5]),
        simulated: Number(r[6]) === 1,
        sources: String(r[7]).split(",").sort(),
      }));
    });
  }

  hasTradeIds(symbol: string, ids: ArrayLike<number>): Promise<Uint8Array> {
    try {
      checkSymbol(`${WHAT}.hasTradeIds`, symbol);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.serial("look up trade ids", async (c) => {
      const out = new Uint8Array(ids.length);
      if (ids.length === 0) return out;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < ids.length; i++) {
        lo = Math.min(lo, ids[i]);
        hi = Math.max(hi, ids[i]);
      }
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) return out;
      for (const stored of await this.idsBetween(c, symbol, lo, hi)) {
        for (let i = 0; i < ids.length; i++) if (!out[i] && sortedIncludes(stored, ids[i])) out[i] = 1;
      }
      return out;
    });
  }

  writeQuotes(batch: QuoteBatch): Promise<number> {
    let q: ReturnType<typeof normalizeQuoteBatch>;
    try {
      q = normalizeQuoteBatch(batch, `${WHAT}.writeQuotes`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (q.updateId.length === 0) return Promise.resolve(0);
    return this.serial("write quotes", async (c) => {
      await c.query("BEGIN");
      try {
        const n = await insertPostgresQuotes(c, await this.sourceId(c, q.source, q.simulated), q);
        await c.query("COMMIT");
        return n;
      } catch (error) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  readQuotes(symbol: string, range?: TimeRange): Promise<ArchivedQuotes> {
    let from: number, to: number;
    try {
      checkSymbol(`${WHAT}.readQuotes`, symbol);
      [from, to] = checkRange(`${WHAT}.readQuotes`, range);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.serial("read quotes", (c) => selectPostgresQuotes(c, symbol, clamp(from), clamp(to), driver().int8AsNumber));
  }

  appendAlertLog(entries: readonly AlertLogEntry[]): Promise<number> {
    try {
      checkAlertLogEntries(`${WHAT}.appendAlertLog`, entries);
    } catch (error) {
      return Promise.reject(error);
    }
    if (entries.length === 0) return Promise.resolve(0);
    return this.serial("append alert log", (c) => insertPostgresAlertLog(c, entries));
  }

  readAlertLog(range?: TimeRange): Promise<AlertLogEntry[]> {
    let from: number, to: number;
    try {
      [from, to] = checkRange(`${WHAT}.readAlertLog`, range);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.serial("read alert log", (c) => selectPostgresAlertLog(c, clamp(from), clamp(to), driver().int8AsNumber));
  }

  /** Ends the connection after pending queries. Idempotent. */
  async close(): Promise<void> {
    const c = this.client;
    if (!c) return;
    await this.queue;
    this.client = null;
    await c.end().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** One block's worth of `t` [a, b) in wire form. */
function part(t: SortedTrades, a: number, b: number): { ids: Buffer; times: Buffer; prices: Buffer; qtys: Buffer; makers: Buffer; lastId: number; minTime: number; maxTime: number } {
  const time = t.time.subarray(a, b);
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let i = 0; i < time.length; i++) {
    if (time[i] < minTime) minTime = time[i];
    if (time[i] > maxTime) maxTime = time[i];
  }
  return {
    ids: toFloat64Be(t.id.subarray(a, b)),
    times: toFloat64Be(time),
    prices: toFloat64Be(t.price.subarray(a, b)),
    qtys: toFloat64Be(t.qty.subarray(a, b)),
    makers: Buffer.from(t.maker.buffer, t.maker.byteOffset + a, b - a),
    lastId: t.id[b - 1],
    // Integer bounds for the bigint columns (times may carry fractions of a ms; the column bytes keep them exactly).
    minTime: Math.floor(minTime),
    maxTime: Math.ceil(maxTime),
  };
}

/** Splits sorted trades by UTC day of their time (each part stays sorted by id). O(n · days). */
function splitByDay(t: SortedTrades): Map<number, SortedTrades> {
  const n = t.id.length;
  const out = new Map<number, SortedTrades>();
  if (n === 0) return out;
  const day = new Float64Array(n);
  for (let i = 0; i < n; i++) day[i] = Math.floor(t.time[i] / DAY_MS);
  let single = true;
  for (let i = 1; i < n && single; i++) single = day[i] === day[0];
  if (single) return out.set(day[0], t);
  for (const d of new Set(day)) {
    const keep = new Uint8Array(n);
    for (let i = 0; i < n; i++) keep[i] = day[i] === d ? 1 : 0;
    out.set(d, selectTrades(t, keep));
  }
  return out;
}

function clamp(x: number): number {
  return Math.min(TIME_MAX, Math.max(TIME_MIN, x));
}

/** The URL with its password replaced by "***" (for messages and `location`). */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}
