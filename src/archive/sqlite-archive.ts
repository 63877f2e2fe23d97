import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type Database from "better-sqlite3";
import { parameterRangeError } from "../errors";
import { ArchiveError, toArchiveError } from "./archive-error";
import { ensureDir } from "./ensure-dir";
import type { Archive, ArchivedBars, ArchivedTrades, BarBatch, SymbolSummary, TimeRange, TradeBatch } from "./archive-types";
import { checkBarBatch, checkRange, checkSymbol, normalizeTradeBatch, selectTrades, type SortedTrades } from "./normalize-batch";
import { APPLICATION_ID, BLOCK_TRADES, SQLITE_MIGRATIONS } from "./sqlite-schema";
import { lowerBound, orderAndTrim, sortedIncludes } from "./sort-trades";
import { checkAlertLogEntries, normalizeQuoteBatch, type AlertLogEntry, type ArchiveTables, type ArchivedQuotes, type QuoteBatch, type SortedQuotes } from "./quote-table";
import { insertSqliteAlertLog, insertSqliteQuotes, selectSqliteAlertLog, selectSqliteQuotes, type PrepareStatement } from "./sqlite-quote-table";

/** Options of {@link SqliteArchive.open}. */
export interface SqliteArchiveOptions {
  /** How long a statement waits for another process's lock before `E_ARCHIVE_LOCKED`, ms (default 5000). */
  busyTimeoutMs?: number;
  /**
   * `"normal"` (default): WAL with synchronous=NORMAL — a committed batch survives a process crash
   * (kill -9); the last commits may be lost on power loss. `"full"`: fsync on every commit (also power loss).
   */
  synchronous?: "normal" | "full";
  /** Open read-only (never creates or migrates the file). */
  readonly?: boolean;
  /** Cap on the file size in bytes (PRAGMA max_page_count); writes beyond it fail with `E_ARCHIVE_FULL`. */
  maxBytes?: number;
}

const WHAT = "SqliteArchive";
const TIME_MIN = -8.64e15;
const PAGE_SIZE = 32768;
const TIME_MAX = 8.64e15;

type Row = Record<string, unknown>;

/**
 * The embedded archive: one SQLite file (better-sqlite3, WAL mode) that several processes read and write
 * at once — one recording kernel and any number of notebook kernels. Every write is one IMMEDIATE
 * transaction; readers never block the writer (WAL). Methods are synchronous under the hood; the
 * {@link Archive} methods wrap them in promises. Quote writes use a second connection to the same file, opened on
 * the first `writeQuotes` and closed with the archive (no per-row foreign-key checks; see `quoteWriter`).
 *
 * Complexity: writing n trades O(n + k·B) for k overlapping blocks of size B (k = 0 when recording live, as
 * new ids are above every stored id); reading m trades O(m) (blob memcpy) plus a sort only when ids are not
 * in time order.
 *
 * @throws ArchiveError from {@link SqliteArchive.open}: `E_ARCHIVE_CORRUPT` (not a database / damaged),
 *   `E_ARCHIVE_FOREIGN` (another application's database), `E_ARCHIVE_VERSION` (newer schema),
 *   `E_ARCHIVE_LOCKED`, `E_ARCHIVE_IO`; from writes also `E_ARCHIVE_FULL`.
 * @example
 * const archive = SqliteArchive.open("data/pairlab.sqlite");
 * await archive.writeTrades({ symbol: "btcusdt", id: [1, 2], time: [1000, 1001], price: [100, 101], qty: [1, 2], source: "demo", simulated: true }); // 2
 * (await archive.readTrades("btcusdt")).price; // Float64Array [100, 101]
 * await archive.close();
 */
export class SqliteArchive implements Archive, ArchiveTables {
  readonly kind = "sqlite" as const;
  readonly location: string;
  private db: Database.Database | null;
  private readonly symbolIds = new Map<string, number>();
  private readonly sourceIds = new Map<string, number>();
  /** The main connection's prepared statements of the quote reads, compiled once. */
  private readonly prepare: PrepareStatement;
  /** The quote-write connection (see {@link SqliteArchive.quoteWriter}), opened on the first writeQuotes. */
  private quotes: QuoteWriter | null = null;
  private options: SqliteArchiveOptions = {};

  private constructor(path: string, db: Database.Database) {
    this.location = path;
    this.db = db;
    this.prepare = statementCache(db);
  }

  /**
   * Opens (creating and migrating if needed) the archive file at `path`. O(1) plus pending migrations.
   * @throws ArchiveError (see the class doc); RangeError (E_PARAM) for bad options.
   */
  static open(path: string, options: SqliteArchiveOptions = {}): SqliteArchive {
    if (typeof path !== "string" || path.length === 0) throw parameterRangeError(WHAT, "path", "a file path", path);
    const busy = options.busyTimeoutMs ?? 5000;
    if (!Number.isSafeInteger(busy) || busy < 0) throw parameterRangeError(WHAT, "busyTimeoutMs", "an integer number of ms >= 0", busy);
    const sync = options.synchronous ?? "normal";
    if (sync !== "normal" && sync !== "full") throw parameterRangeError(WHAT, "synchronous", '"normal" or "full"', sync);
    if (options.maxBytes !== undefined && !(Number.isSafeInteger(options.maxBytes) && options.maxBytes >= 65536)) {
      throw parameterRangeError(WHAT, "maxBytes", "an integer number of bytes >= 65536", options.maxBytes);
    }
    const file = resolve(path);
    if (existsSync(file) && statSync(file).isDirectory()) throw new ArchiveError("E_ARCHIVE_IO", file, "open", "the path is a directory");
    let db: Database.Database | null = null;
    try {
      if (!options.readonly) ensureDir(dirname(file), file);
      // Loaded on first open: importing pairlab never loads the native module unless an archive is used.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const SQLite = require("better-sqlite3") as typeof Database;
      db = new SQLite(file, { readonly: options.readonly === true, fileMustExist: options.readonly === true, timeout: busy });
      const archive = new SqliteArchive(file, db);
      archive.options = { ...options, busyTimeoutMs: busy, synchronous: sync };
      archive.init(sync, options);
      return archive;
    } catch (error) {
      db?.close();
      throw toArchiveError(error, file, "open");
    }
  }

  private init(sync: "normal" | "full", options: SqliteArchiveOptions): void {
    const db = this.handle("open");
    const appId = db.pragma("application_id", { simple: true }) as number; // throws SQLITE_NOTADB on a non-database
    const version = db.pragma("user_version", { simple: true }) as number;
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) {
      throw new ArchiveError("E_ARCHIVE_FOREIGN", this.location, "open", `application_id ${appId}, ${tables} table(s); a pairlab archive has application_id ${APPLICATION_ID}`);
    }
    if (version > SQLITE_MIGRATIONS.length) {
      throw new ArchiveError("E_ARCHIVE_VERSION", this.location, "open", `schema version ${version}, this pairlab supports up to ${SQLITE_MIGRATIONS.length}`);
    }
    if (options.readonly) return;
    // A new file gets 32 KiB pages (fewer overflow pages per 64 KiB column blob: faster block reads).
    if (version === 0 && tables === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
    if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    if (options.maxBytes !== undefined) {
      const page = db.pragma("page_size", { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.floor(options.maxBytes / page)}`);
    }
    if (version < SQLITE_MIGRATIONS.length) {
      db.transaction(() => {
        const current = db.pragma("user_version", { simple: true }) as number; // another process may have migrated meanwhile
        for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
          db.exec(SQLITE_MIGRATIONS[v]);
          db.pragma(`user_version = ${v + 1}`);
        }
        db.pragma(`application_id = ${APPLICATION_ID}`);
      }).immediate();
    }
  }

  private handle(action: string): Database.Database {
    if (!this.db) throw new ArchiveError("E_ARCHIVE_CLOSED", this.location, action, "close() was called");
    return this.db;
  }

  private run<T>(action: string, fn: (db: Database.Database) => T): T {
    const db = this.handle(action);
    try {
      return fn(db);
    } catch (error) {
      // A rolled-back transaction may have created symbols/sources: forget cached ids.
      this.symbolIds.clear();
      this.sourceIds.clear();
      throw toArchiveError(error, this.location, action);
    }
  }

  private symbolId(db: Database.Database, name: string, create: boolean): number | undefined {
    const cached = this.symbolIds.get(name);
    if (cached !== undefined) return cached;
    const row = db.prepare("SELECT sym FROM symbols WHERE name = ?").get(name) as { sym: number } | undefined;
    if (row) {
      this.symbolIds.set(name, row.sym);
      return row.sym;
    }
    if (!create) return undefined;
    const sym = Number(db.prepare("INSERT INTO symbols (name) VALUES (?)").run(name).lastInsertRowid);
    this.symbolIds.set(name, sym);
    return sym;
  }

  private sourceId(db: Database.Database, name: string, simulated: boolean): number {
    const key = `${simulated ? 1 : 0}:${name}`;
    const cached = this.sourceIds.get(key);
    if (cached !== undefined) return cached;
    db.prepare("INSERT OR IGNORE INTO sources (name, simulated) VALUES (?, ?)").run(name, simulated ? 1 : 0);
    const src = (db.prepare("SELECT src FROM sources WHERE name = ? AND simulated = ?").get(name, simulated ? 1 : 0) as { src: number }).src;
    this.sourceIds.set(key, src);
    return src;
  }

  /** Synchronous {@link Archive.writeTrades}. */
  writeTradesSync(batch: TradeBatch): number {
    const t = normalizeTradeBatch(batch, `${WHAT}.writeTrades`);
    if (t.id.length === 0) return 0;
    return this.run("write trades", (db) =>
      db
        .transaction(() => {
          const sym = this.symbolId(db, t.symbol, true)!;
          const src = this.sourceId(db, t.source, t.simulated);
          return this.insertBlocks(db, sym, src, t);
        })
        .immediate(),
    );
  }

  private insertBlocks(db: Database.Database, sym: number, src: number, t: SortedTrades): number {
    const n = t.id.length;
    const minId = t.id[0];
    const maxId = t.id[n - 1];
    // Drop ids already stored: only blocks whose id range meets [minId, maxId] can hold them.
    const overlapping = db.prepare("SELECT ids, n FROM trade_blocks WHERE sym = ? AND last_id >= ? AND first_id <= ?").all(sym, minId, maxId) as { ids: Buffer; n: number }[];
    let keep: Uint8Array | null = null;
    if (overlapping.length > 0) {
      keep = new Uint8Array(n).fill(1);
      for (const row of overlapping) {
        const ids = f64(row.ids, row.n);
        for (let i = 0; i < n; i++) if (keep[i] && sortedIncludes(ids, t.id[i])) keep[i] = 0;
      }
    }
    const fresh = keep ? selectTrades(t, keep) : t;
    const m = fresh.id.length;
    if (m === 0) return 0;
    let start = 0;
    const tail = db.prepare("SELECT block, n, last_id, src, ids, time, price, qty, maker FROM trade_blocks WHERE sym = ? ORDER BY last_id DESC LIMIT 1").get(sym) as
      | { block: number; n: number; last_id: number; src: number; ids: Buffer; time: Buffer; price: Buffer; qty: Buffer; maker: Buffer }
      | undefined;
    if (tail && tail.src === src && tail.n < BLOCK_TRADES && fresh.id[0] > tail.last_id) {
      const take = Math.min(BLOCK_TRADES - tail.n, m);
      const merged = concatBlock(tail, fresh, take);
      db.prepare("UPDATE trade_blocks SET n = ?, last_id = ?, min_time = ?, max_time = ?, ids = ?, time = ?, price = ?, qty = ?, maker = ? WHERE block = ?").run(
        merged.n, merged.lastId, merged.minTime, merged.maxTime, merged.ids, merged.time, merged.price, merged.qty, merged.maker, tail.block,
      );
      start = take;
    }
    const insert = db.prepare("INSERT INTO trade_blocks (sym, src, n, first_id, last_id, min_time, max_time, ids, time, price, qty, maker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (let a = start; a < m; a += BLOCK_TRADES) {
      const b = Math.min(m, a + BLOCK_TRADES);
      const time = fresh.time.subarray(a, b);
      insert.run(sym, src, b - a, fresh.id[a], fresh.id[b - 1], minOf(time), maxOf(time), blob(fresh.id.subarray(a, b)), blob(time), blob(fresh.price.subarray(a, b)), blob(fresh.qty.subarray(a, b)), Buffer.from(fresh.maker.subarray(a, b)));
    }
    return m;
  }

  /** Synchronous {@link Archive.readTrades}. */
  readTradesSync(symbol: string, range?: TimeRange): ArchivedTrades {
    checkSymbol(`${WHAT}.readTrades`, symbol);
    const [from, to] = checkRange(`${WHAT}.readTrades`, range);
    // One read transaction: the block list and the blobs come from the same snapshot while a writer appends
    // (WAL readers never block the writer).
    return this.run("read trades", (db) => db.transaction(() => this.readBlocks(db, symbol, from, to))());
  }

  private readBlocks(db: Database.Database, symbol: string, from: number, to: number): ArchivedTrades {
    {
      const empty: ArchivedTrades = { symbol, id: new Float64Array(0), time: new Float64Array(0), price: new Float64Array(0), qty: new Float64Array(0), maker: new Uint8Array(0), simulated: new Uint8Array(0) };
      const sym = this.symbolId(db, symbol, false);
      if (sym === undefined) return empty;
      // Block order first (small rows, index + tiny sort), then each block's blobs by rowid: an ORDER BY over
      // the blob rows would make SQLite copy every blob through its sorter.
      const order = db
        .prepare("SELECT block, n, src FROM trade_blocks WHERE sym = ? AND max_time >= ? AND min_time < ? ORDER BY min_time, first_id")
        .raw()
        .all(sym, clampTime(from), clampTime(to)) as [number, number, number][];
      const simulatedSources = new Set((db.prepare("SELECT src FROM sources WHERE simulated = 1").raw().all() as [number][]).map((r) => r[0]));
      const fetch = db.prepare("SELECT ids, time, price, qty, maker FROM trade_blocks WHERE block = ?");
      let total = 0;
      for (const r of order) total += r[1];
      const out: ArchivedTrades = { symbol, id: new Float64Array(total), time: new Float64Array(total), price: new Float64Array(total), qty: new Float64Array(total), maker: new Uint8Array(total), simulated: new Uint8Array(total) };
      const bytes = { id: u8(out.id), time: u8(out.time), price: u8(out.price), qty: u8(out.qty) };
      let k = 0;
      for (const [block, n, src] of order) {
        const r = fetch.get(block) as { ids: Buffer; time: Buffer; price: Buffer; qty: Buffer; maker: Buffer };
        bytes.id.set(r.ids, k * 8);
        bytes.time.set(r.time, k * 8);
        bytes.price.set(r.price, k * 8);
        bytes.qty.set(r.qty, k * 8);
        out.maker.set(r.maker, k);
        if (simulatedSources.has(src)) out.simulated.fill(1, k, k + n);
        k += n;
      }
      return orderAndTrim(out, from, to);
    }
  }

  /** Synchronous {@link Archive.writeBars}. */
  writeBarsSync(batch: BarBatch): number {
    checkBarBatch(batch, `${WHAT}.writeBars`);
    const n = batch.time.length;
    if (n === 0) return 0;
    return this.run("write bars", (db) =>
      db
        .transaction(() => {
          const sym = this.symbolId(db, batch.symbol, true)!;
          const src = this.sourceId(db, batch.source, batch.simulated);
          const put = db.prepare("INSERT OR REPLACE INTO bars (sym, interval_ms, time, open, high, low, close, volume, quote_volume, count, src) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          for (let i = 0; i < n; i++) {
            put.run(sym, batch.intervalMs, batch.time[i], batch.open[i], batch.high[i], batch.low[i], batch.close[i], batch.volume[i], batch.quoteVolume[i], batch.count[i], src);
          }
          return n;
        })
        .immediate(),
    );
  }

  /** Synchronous {@link Archive.readBars}. */
  readBarsSync(symbol: string, intervalMs: number, range?: TimeRange): ArchivedBars {
    const what = `${WHAT}.readBars`;
    checkSymbol(what, symbol);
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) throw parameterRangeError(what, "intervalMs", "an integer number of ms >= 1", intervalMs);
    const [from, to] = checkRange(what, range);
    return this.run("read bars", (db) => {
      const sym = this.symbolId(db, symbol, false);
      const rows = (
        sym === undefined
          ? []
          : db
              .prepare(
                "SELECT b.time, b.open, b.high, b.low, b.close, b.volume, b.quote_volume, b.count, s.name, s.simulated FROM bars b JOIN sources s ON s.src = b.src " +
                  "WHERE b.sym = ? AND b.interval_ms = ? AND b.time >= ? AND b.time < ? ORDER BY b.time",
              )
              .raw()
              .all(sym, intervalMs, clampTime(from), clampTime(to))
      ) as [number, number, number, number, number, number, number, number, string, number][];
      return barsFromRows(symbol, intervalMs, rows);
    });
  }

  /** Synchronous {@link Archive.summary}. */
  summarySync(): SymbolSummary[] {
    return this.run("summarize", (db) => {
      const rows = db
        .prepare(
          "SELECT y.name AS symbol, sum(b.n) AS trades, min(b.min_time) AS firstTime, max(b.max_time) AS lastTime, min(b.first_id) AS firstId, max(b.last_id) AS lastId, " +
            "max(s.simulated) AS simulated, group_concat(DISTINCT s.name) AS sources FROM trade_blocks b JOIN symbols y ON y.sym = b.sym JOIN sources s ON s.src = b.src GROUP BY y.name ORDER BY y.name",
        )
        .all() as Row[];
      return rows.map((r) => ({
        symbol: r.symbol as string,
        trades: r.trades as number,
        firstTime: r.firstTime as number,
        lastTime: r.lastTime as number,
        firstId: r.firstId as number,
        lastId: r.lastId as number,
        simulated: r.simulated === 1,
        sources: String(r.sources).split(",").sort(),
      }));
    });
  }

  /** Synchronous {@link Archive.hasTradeIds}. */
  hasTradeIdsSync(symbol: string, ids: ArrayLike<number>): Uint8Array {
    checkSymbol(`${WHAT}.hasTradeIds`, symbol);
    const out = new Uint8Array(ids.length);
    if (ids.length === 0) return out;
    return this.run("look up trade ids", (db) => {
      const sym = this.symbolId(db, symbol, false);
      if (sym === undefined) return out;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < ids.length; i++) {
        lo = Math.min(lo, ids[i]);
        hi = Math.max(hi, ids[i]);
      }
      const rows = db.prepare("SELECT ids, n FROM trade_blocks WHERE sym = ? AND last_id >= ? AND first_id <= ?").all(sym, lo, hi) as { ids: Buffer; n: number }[];
      for (const r of rows) {
        const stored = f64(r.ids, r.n);
        for (let i = 0; i < ids.length; i++) if (!out[i] && sortedIncludes(stored, ids[i])) out[i] = 1;
      }
      return out;
    });
  }

  /** Synchronous {@link Archive.writeQuotes}. */
  writeQuotesSync(batch: QuoteBatch): number {
    const q = normalizeQuoteBatch(batch, `${WHAT}.writeQuotes`);
    if (q.updateId.length === 0) return 0;
    return this.run("write quotes", () => this.quoteWriter().write.immediate(q));
  }

  /**
   * The connection quote writes use: a second connection to the same file, opened on the first writeQuotes and
   * closed with the archive, with the same busy timeout, synchronous mode and size cap, and with SQLite's per-row
   * foreign-key checks off. A quote row's `sym` and `src` come from the symbol and source lookups inside the same
   * IMMEDIATE transaction (rows that are never deleted; the id caches are dropped after any failed write), so its
   * references hold by construction; the checks (two lookups per row, and they make multi-row INSERTs slower than
   * single-row ones) cost ~30 % of the write's CPU (measured: 600,000 quotes in 2,400 transactions, 2.0 s → 1.45 s).
   * Toggling the pragma on the main connection instead would expire every prepared statement each write. Trades,
   * bars and the alert log keep the main connection and its checks. {@link SqliteArchive.integrityCheck} runs
   * `PRAGMA foreign_key_check` too.
   */
  private quoteWriter(): QuoteWriter {
    if (this.quotes === null) {
      this.handle("write quotes");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const SQLite = require("better-sqlite3") as typeof Database;
      const { readonly, busyTimeoutMs, synchronous, maxBytes } = this.options;
      const db = new SQLite(this.location, { readonly: readonly === true, fileMustExist: true, timeout: busyTimeoutMs });
      try {
        db.pragma("foreign_keys = OFF");
        if (!readonly) db.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
        if (maxBytes !== undefined) db.pragma(`max_page_count = ${Math.floor(maxBytes / (db.pragma("page_size", { simple: true }) as number))}`);
      } catch (error) {
        db.close();
        throw error;
      }
      const prepare = statementCache(db);
      const write = db.transaction((q: SortedQuotes): number => insertSqliteQuotes(prepare, this.symbolId(db, q.symbol, true)!, this.sourceId(db, q.source, q.simulated), q));
      this.quotes = { db, write };
    }
    return this.quotes;
  }

  /** Synchronous {@link Archive.readQuotes}. */
  readQuotesSync(symbol: string, range?: TimeRange): ArchivedQuotes {
    checkSymbol(`${WHAT}.readQuotes`, symbol);
    const [from, to] = checkRange(`${WHAT}.readQuotes`, range);
    // One read transaction: the update-id span and the rows come from the same snapshot.
    const whole = range?.from === undefined && range?.to === undefined;
    return this.run("read quotes", (db) => db.transaction(() => selectSqliteQuotes(this.prepare, symbol, this.symbolId(db, symbol, false), clampTime(from), clampTime(to), whole))());
  }

  /** Synchronous {@link Archive.appendAlertLog}. */
  appendAlertLogSync(entries: readonly AlertLogEntry[]): number {
    checkAlertLogEntries(`${WHAT}.appendAlertLog`, entries);
    if (entries.length === 0) return 0;
    return this.run("append alert log", (db) => db.transaction(() => insertSqliteAlertLog(db, entries)).immediate());
  }

  /** Synchronous {@link Archive.readAlertLog}. */
  readAlertLogSync(range?: TimeRange): AlertLogEntry[] {
    const [from, to] = checkRange(`${WHAT}.readAlertLog`, range);
    return this.run("read alert log", (db) => selectSqliteAlertLog(db, clampTime(from), clampTime(to)));
  }

  /** Runs SQLite's `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; returns "ok" or the problems found. O(file size). */
  integrityCheck(): string {
    return this.run("check integrity", (db) => {
      const problems = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).filter((r) => r !== "ok");
      const orphans = db.pragma("foreign_key_check") as { table: string; rowid: number | null; parent: string }[];
      for (const o of orphans) problems.push(`row ${o.rowid ?? "?"} of ${o.table} refers to a missing ${o.parent} row`);
      return problems.length === 0 ? "ok" : problems.join("; ");
    });
  }

  writeTrades(batch: TradeBatch): Promise<number> {
    return promise(() => this.writeTradesSync(batch));
  }
  readTrades(symbol: string, range?: TimeRange): Promise<ArchivedTrades> {
    return promise(() => this.readTradesSync(symbol, range));
  }
  writeBars(batch: BarBatch): Promise<number> {
    return promise(() => this.writeBarsSync(batch));
  }
  readBars(symbol: string, intervalMs: number, range?: TimeRange): Promise<ArchivedBars> {
    return promise(() => this.readBarsSync(symbol, intervalMs, range));
  }
  summary(): Promise<SymbolSummary[]> {
    return promise(() => this.summarySync());
  }
  hasTradeIds(symbol: string, ids: ArrayLike<number>): Promise<Uint8Array> {
    return promise(() => this.hasTradeIdsSync(symbol, ids));
  }
  writeQuotes(batch: QuoteBatch): Promise<number> {
    return promise(() => this.writeQuotesSync(batch));
  }
  readQuotes(symbol: string, range?: TimeRange): Promise<ArchivedQuotes> {
    return promise(() => this.readQuotesSync(symbol, range));
  }
  appendAlertLog(entries: readonly AlertLogEntry[]): Promise<number> {
    return promise(() => this.appendAlertLogSync(entries));
  }
  readAlertLog(range?: TimeRange): Promise<AlertLogEntry[]> {
    return promise(() => this.readAlertLogSync(range));
  }

  /** Closes the file (checkpointing the WAL when this is the last connection). Idempotent. */
  closeSync(): void {
    const db = this.db;
    this.db = null;
    const quotes = this.quotes;
    this.quotes = null;
    quotes?.db.close();
    db?.close();
  }
  close(): Promise<void> {
    this.closeSync();
    return Promise.resolve();
  }
  [Symbol.dispose](): void {
    this.closeSync();
  }
}

/** Builds {@link ArchivedBars} from raw rows `[time, o, h, l, c, volume, quoteVolume, count, sourceName, simulated]`. O(n). */
export function barsFromRows(symbol: string, intervalMs: number, rows: ArrayLike<ArrayLike<unknown>>): ArchivedBars {
  const n = rows.length;
  const col = () => new Float64Array(n);
  const out: ArchivedBars = { symbol, intervalMs, time: col(), open: col(), high: col(), low: col(), close: col(), volume: col(), quoteVolume: col(), count: col(), source: new Array<string>(n), simulated: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    out.time[i] = Number(r[0]);
    out.open[i] = Number(r[1]);
    out.high[i] = Number(r[2]);
    out.low[i] = Number(r[3]);
    out.close[i] = Number(r[4]);
    out.volume[i] = Number(r[5]);
    out.quoteVolume[i] = Number(r[6]);
    out.count[i] = Number(r[7]);
    out.source[i] = String(r[8]);
    out.simulated[i] = r[9] === true || Number(r[9]) === 1 ? 1 : 0;
  }
  return out;
}

function promise<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The quote-write connection and its write transaction (symbol and source ids, then the rows). */
interface QuoteWriter {
  db: Database.Database;
  write: Database.Transaction<(q: SortedQuotes) => number>;
}

/** A prepared-statement cache of one connection: each SQL text is compiled once. */
function statementCache(db: Database.Database): PrepareStatement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

function clampTime(x: number): number {
  return Math.min(TIME_MAX, Math.max(TIME_MIN, x));
}

function u8(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function blob(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Copies a float64 blob into an aligned Float64Array. */
function f64(b: Buffer, n: number): Float64Array {
  const out = new Float64Array(n);
  u8(out).set(b.subarray(0, n * 8));
  return out;
}

function minOf(a: Float64Array): number {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

function maxOf(a: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

function concatBlock(
  tail: { n: number; ids: Buffer; time: Buffer; price: Buffer; qty: Buffer; maker: Buffer },
  fresh: SortedTrades,
  take: number,
): { n: number; lastId: number; minTime: number; maxTime: number; ids: Buffer; time: Buffer; price: Buffer; qty: Buffer; maker: Buffer } {
  const n = tail.n + take;
  const cat = (old: Buffer, add: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    u8(out).set(old.subarray(0, tail.n * 8));
    out.set(add.subarray(0, take), tail.n);
    return out;
  };
  const ids = cat(tail.ids, fresh.id);
  const time = cat(tail.time, fresh.time);
  const maker = Buffer.alloc(n);
  maker.set(tail.maker.subarray(0, tail.n));
  maker.set(fresh.maker.subarray(0, take), tail.n);
  return { n, lastId: ids[n - 1], minTime: minOf(time), maxTime: maxOf(time), ids: blob(ids), time: blob(time), price: blob(cat(tail.price, fresh.price)), qty: blob(cat(tail.qty, fresh.qty)), maker };
}
