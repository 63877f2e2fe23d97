import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import type { from as CopyFrom } from "pg-copy-streams";
import { parameterRangeError } from "../errors";
import { ArchiveError, toArchiveError } from "./archive-error";
import type { Archive, ArchivedBars, ArchivedTrades, BarBatch, SymbolSummary, TimeRange, TradeBatch } from "./archive-types";
import { checkBarBatch, checkRange, checkSymbol, normalizeTradeBatch } from "./normalize-batch";
import { barsFromRows } from "./sqlite-archive";
import { orderAndTrim } from "./sort-trades";
import { checkAlertLogEntries, normalizeQuoteBatch, type AlertLogEntry, type ArchiveTables, type ArchivedQuotes, type QuoteBatch } from "./quote-table";
import { insertPostgresAlertLog, insertPostgresQuotes, POSTGRES_QUOTE_TABLES, selectPostgresAlertLog, selectPostgresQuotes } from "./postgres-quote-table";

const WHAT = "PostgresArchive";
const DAY_MS = 86_400_000;
const TIME_MIN = -8.64e15;
const TIME_MAX = 8.64e15;

/**
 * PostgreSQL migrations, index k → schema version k+1 (stored in `pairlab_meta`). The logical schema is
 * SQLite's: trades keyed by (symbol, id) — the primary key also holds `time`, the partition key, which a
 * trade id determines — and bars keyed by (symbol, interval_ms, time). `{{TRADES_LAYOUT}}` becomes
 * `PARTITION BY RANGE (time)` (one partition per UTC day, created on demand) or nothing when TimescaleDB is
 * present (then `pairlab_trades` is made a hypertable with 1-day chunks).
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
  // 2: book-ticker quotes keyed by (symbol, update id) and the append-only alert log (postgres-quote-table.ts).
  POSTGRES_QUOTE_TABLES,
];

/** Options of {@link PostgresArchive.open}. */
export interface PostgresArchiveOptions {
  /** Connection timeout, ms (default 5000). */
  connectTimeoutMs?: number;
  /** Lock wait before `E_ARCHIVE_LOCKED`, ms (default 5000; PostgreSQL `lock_timeout`). */
  busyTimeoutMs?: number;
}

/** `pg` and `pg-copy-streams`, loaded on first use (importing pairlab does not load them). */
function driver(): { pg: typeof pg; copyFrom: typeof CopyFrom; int8AsNumber: { getTypeParser(oid: number, format?: "text" | "binary"): unknown } } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require("pg") as typeof pg;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const copy = require("pg-copy-streams") as { from: typeof CopyFrom };
  return {
    pg: lib,
    copyFrom: copy.from,
    int8AsNumber: { getTypeParser: (oid: number, format?: "text" | "binary") => (oid === 20 ? (v: string) => Number(v) : lib.types.getTypeParser(oid, format ?? "text")) },
  };
}

/**
 * The team archive: PostgreSQL through `pg`, the same logical schema as {@link SqliteArchive}, trades
 * partitioned by UTC day (a TimescaleDB hypertable when the extension is available). Writes load the batch
 * with `COPY … FROM STDIN` into a temporary table, then `INSERT … ON CONFLICT DO NOTHING` in the same
 * transaction, so a trade is stored exactly once even when several recorders overlap.
 *
 * Complexity: a write of n trades is one COPY of n rows plus an index probe per row; a read of m trades is
 * one ordered index scan.
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
        for (let v = version; v < POSTGRES_MIGRATIONS.length; v++) {
          await c.query(POSTGRES_MIGRATIONS[v].replace("{{TRADES_LAYOUT}}", layout === "hypertable" ? "" : "PARTITION BY RANGE (time)"));
        }
        if (version === 0 && layout === "hypertable") {
          await c.query(`SELECT create_hypertable('pairlab_trades', 'time', chunk_time_interval => ${DAY_MS}::bigint)`);
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

  private async ensurePartitions(c: pg.Client, time: Float64Array): Promise<void> {
    if (this.layout !== "partitioned") return;
    const days = new Set<number>();
    for (let i = 0; i < time.length; i++) days.add(Math.floor(time[i] / DAY_MS));
    for (const day of days) {
      if (this.partitions.has(day)) continue;
      const name = `pairlab_trades_${day < 0 ? "m" + -day : day}`;
      await c.query("SAVEPOINT partition");
      try {
        await c.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF pairlab_trades FOR VALUES FROM (${day * DAY_MS}) TO (${(day + 1) * DAY_MS})`);
        await c.query("RELEASE SAVEPOINT partition");
      } catch (error) {
        // Another process created it at the same instant (duplicate table / unique violation): fine.
        const code = (error as { code?: string }).code;
        await c.query("ROLLBACK TO SAVEPOINT partition");
        if (code !== "42P07" && code !== "23505") throw error;
      }
      this.partitions.add(day);
    }
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
      await c.query("BEGIN");
      try {
        const src = await this.sourceId(c, t.source, t.simulated);
        await this.ensurePartitions(c, t.time);
        await c.query("CREATE TEMP TABLE IF NOT EXISTS pairlab_stage (id bigint, time bigint, price double precision, qty double precision, maker boolean) ON COMMIT DELETE ROWS");
        await pipeline(Readable.from(copyLines(t)), c.query(driver().copyFrom("COPY pairlab_stage (id, time, price, qty, maker) FROM STDIN")));
        const res = await c.query("INSERT INTO pairlab_trades (symbol, id, time, price, qty, maker, src) SELECT $1, id, time, price, qty, maker, $2 FROM pairlab_stage ON CONFLICT DO NOTHING", [t.symbol, src]);
        await c.query("COMMIT");
        return res.rowCount ?? 0;
      } catch (error) {
        await c.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
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
      const res = await c.query({
        text: "SELECT t.id, t.time, t.price, t.qty, t.maker::int, s.simulated::int FROM pairlab_trades t JOIN pairlab_sources s ON s.src = t.src WHERE t.symbol = $1 AND t.time >= $2 AND t.time < $3 ORDER BY t.time, t.id",
        values: [symbol, clamp(from), clamp(to)],
        rowMode: "array",
        types: driver().int8AsNumber as never,
      });
      const n = res.rows.length;
      const out: ArchivedTrades = { symbol, id: new Float64Array(n), time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n), maker: new Uint8Array(n), simulated: new Uint8Array(n) };
      for (let i = 0; i < n; i++) {
        const r = res.rows[i] as number[];
        out.id[i] = r[0];
        out.time[i] = r[1];
        out.price[i] = r[2];
        out.qty[i] = r[3];
        out.maker[i] = r[4];
        out.simulated[i] = r[5];
      }
      return orderAndTrim(out, from, to);
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
          "SELECT t.symbol, count(*), min(t.time), max(t.time), min(t.id), max(t.id), max(s.simulated::int), string_agg(DISTINCT s.name, ',') " +
          "FROM pairlab_trades t JOIN pairlab_sources s ON s.src = t.src GROUP BY t.symbol ORDER BY t.symbol",
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
      const list = Array.from(ids);
      const res = await c.query({ text: "SELECT id FROM pairlab_trades WHERE symbol = $1 AND id = ANY($2::bigint[])", values: [symbol, list], rowMode: "array", types: driver().int8AsNumber as never });
      const have = new Set((res.rows as number[][]).map((r) => r[0]));
      return Uint8Array.from(list, (id) => (have.has(id) ? 1 : 0));
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

function* copyLines(t: ReturnType<typeof normalizeTradeBatch>): Generator<string> {
  const CHUNK = 4096;
  for (let a = 0; a < t.id.length; a += CHUNK) {
    let s = "";
    const b = Math.min(t.id.length, a + CHUNK);
    for (let i = a; i < b; i++) s += `${t.id[i]}\t${t.time[i]}\t${t.price[i]}\t${t.qty[i]}\t${t.maker[i] ? "t" : "f"}\n`;
    yield s;
  }
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
