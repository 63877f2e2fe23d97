/**
 * Shared data shapes of the archive area. Everything here is plain data (typed arrays, strings,
 * numbers), so a batch can cross a worker-thread boundary by structured clone or transfer.
 */

/**
 * A batch of one symbol's trades, columnar. `id` is the exchange trade id (integer), `time` epoch ms (UTC),
 * `price` in quote currency, `qty` in base asset, `maker` 1 when the buyer was the maker (0 otherwise;
 * omitted = all 0). Order does not matter; duplicate ids (within the batch or with the archive) are stored once.
 */
export interface TradeBatch {
  /** Lower-case symbol, e.g. "btcusdt". */
  symbol: string;
  id: ArrayLike<number>;
  time: ArrayLike<number>;
  price: ArrayLike<number>;
  qty: ArrayLike<number>;
  maker?: ArrayLike<number>;
  /** Where the trades came from: "binance", "demo", "rest", "replay", … (free text, ≤ 64 chars). */
  source: string;
  /** True when the trades are simulated (demo exchange); replays and exports say SIMULATED then. */
  simulated: boolean;
}

/** One symbol's archived trades in (time, id) order, columnar. `simulated[i]` is 1 for a simulated trade. */
export interface ArchivedTrades {
  symbol: string;
  id: Float64Array;
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  maker: Uint8Array;
  simulated: Uint8Array;
}

/**
 * A batch of one symbol's bars of one interval (e.g. REST klines), columnar. `time` is the bar open (epoch ms),
 * `quoteVolume` Σ price·qty, `count` the number of trades. A bar already stored for the same
 * (symbol, interval, time) is replaced (a newer kline supersedes a partial one).
 */
export interface BarBatch {
  symbol: string;
  /** Bar width, ms (1000 for 1s, 60000 for 1m, …). */
  intervalMs: number;
  time: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  quoteVolume: ArrayLike<number>;
  count: ArrayLike<number>;
  /** e.g. "klines" (Binance REST), "demo-klines". */
  source: string;
  simulated: boolean;
}

/** Archived bars, oldest first; `source[i]` and `simulated[i]` per bar. */
export interface ArchivedBars {
  symbol: string;
  intervalMs: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  quoteVolume: Float64Array;
  count: Float64Array;
  source: string[];
  simulated: Uint8Array;
}

/** Time window of a read: `from` inclusive, `to` exclusive, epoch ms (defaults: everything). */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** What the archive holds for one symbol (the archive browser's row). */
export interface SymbolSummary {
  symbol: string;
  trades: number;
  firstTime: number;
  lastTime: number;
  firstId: number;
  lastId: number;
  /** True when any stored trade of the symbol is simulated. */
  simulated: boolean;
  /** Distinct sources of the symbol's trades. */
  sources: string[];
}

/** Backends selectable with `PAIRLAB_ARCHIVE`. */
export type ArchiveKind = "sqlite" | "postgres";

/**
 * The archive: trades keyed by (symbol, trade id), each stored exactly once, read in (symbol, time)
 * order; plus bars (REST klines) keyed by (symbol, interval, open time). Both backends implement it.
 */
export interface Archive {
  readonly kind: ArchiveKind;
  /** File path (SQLite) or server URL without password (PostgreSQL). */
  readonly location: string;
  /** Stores the trades not stored yet; resolves to how many were new. Atomic: all or none. */
  writeTrades(batch: TradeBatch): Promise<number>;
  /** Reads one symbol's trades in [from, to), ordered by (time, id). */
  readTrades(symbol: string, range?: TimeRange): Promise<ArchivedTrades>;
  /** Stores bars (replacing bars with the same key); resolves to the number of rows written. */
  writeBars(batch: BarBatch): Promise<number>;
  /** Reads one symbol's bars of one interval in [from, to), oldest first. */
  readBars(symbol: string, intervalMs: number, range?: TimeRange): Promise<ArchivedBars>;
  /** One row per symbol with trades. */
  summary(): Promise<SymbolSummary[]>;
  /** The ids among `ids` that are already stored for `symbol` (for gap reports). */
  hasTradeIds(symbol: string, ids: ArrayLike<number>): Promise<Uint8Array>;
  /** Closes the connection/file. Idempotent. */
  close(): Promise<void>;
}
