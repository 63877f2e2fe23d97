import type { BackoffOptions } from "./backoff";
import type { Clock } from "./clock";
import type { DemoFeedOptions } from "./demo-exchange";
import type { TradeStream } from "./routes";
import type { ConnectionTuning, StreamConnection } from "./stream-connection";
import type { TickStore } from "./tick-store";
import type { QuoteFeedStats } from "./book-ticker-feed";
import type { SharedQuoteStore } from "./shared-quote-store";
import type { HostServiceRequest } from "./worker-service";

/** Options of `startIngestion`. Durations in milliseconds. */
export interface IngestionOptions {
  /** Symbols, case-insensitive (["btcusdt", "ETHUSDT"]). */
  symbols: string[];
  /** "auto" (default, or `PAIRLAB_SOURCE`), "binance", "demo", or a ws(s):// base URL speaking Binance's protocol. */
  source?: "auto" | "binance" | "demo" | string;
  /** "trade" (default; `/public`) or "aggTrade" (`/market`). */
  stream?: TradeStream;
  /** Ticks kept per symbol (default 5,000,000 ≈ 24 h of BTCUSDT; memory grows with use, ≤ 30 B/tick). */
  capacity?: number;
  /** A symbol with no trade for this long while connected is reported (default 30,000). */
  silenceMs?: number;
  /** On a `trade` route that delivered nothing for `silenceMs`, switch to `aggTrade` on `/market` (default true). */
  fallback?: boolean;
  /** All symbols silent this long after having delivered → reconnect (default 3 × silenceMs). */
  stallMs?: number;
  /** A missing id range counts as a gap only if still missing this long (ms; a late trade inside it fills it; default 5,000). */
  gapGraceMs?: number;
  /** "auto": use the demo exchange when live Binance has not opened within this long or failed to connect (default 10,000). */
  autoFallbackMs?: number;
  /** Live base URL (default wss://fstream.binance.com): a mirror or a test server. */
  liveUrl?: string;
  /** Demo exchange options when the source is (or falls back to) "demo". Its `symbols` default to `symbols`. */
  demo?: DemoFeedOptions;
  /** Reconnect backoff (default 500 ms doubling to 30 s, equal jitter). */
  backoff?: BackoffOptions;
  /** Clock for every timer (tests). */
  clock?: Clock;
  /**
   * Transport tuning, as for a single {@link StreamConnection} — except `ref`, which defaults to **false**
   * here: the ingestion never keeps Node alive by itself, so a kernel shutdown is not delayed; a script stays
   * alive while it awaits `waitForTrades()` or a `trades()` iterator.
   */
  connection?: ConnectionTuning;
  /** Aborting this signal stops the ingestion (same as `stop()`). */
  signal?: AbortSignal;
  /** Streams per combined connection (default 200). */
  maxStreamsPerConnection?: number;
  /** Use the per-kernel registry (default true): a rerun with the same options returns the running ingestion. */
  shared?: boolean;
  /** Do not print the loud fallback message with console.warn (it is still in stats().warnings). */
  quiet?: boolean;
  /** Environment to read PAIRLAB_SOURCE from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Also ingest `<symbol>@bookTicker` (best bid/ask) on `/public` into `ingestion.quotes` (default false: trade-only users pay nothing). */
  quotes?: boolean;
  /** Quotes kept per symbol with `quotes: true` (default 1,000,000; the last quote per ms is kept). */
  quoteCapacity?: number;
  /**
   * Where the ingestion worker records every stored trade (with the history area loaded, as through the
   * `pairlab` entry): `"file:<path>"` (SQLite), `"postgres://…"`, or `"off"`; default `PAIRLAB_ARCHIVE`, else
   * `<project>/data/pairlab.sqlite`. See docs/history.md.
   */
  archive?: string;
  /** Repair final trade-id gaps from the source's REST (`/fapi/v1/aggTrades`; default true with the history area loaded). */
  repairGaps?: boolean;
  /** With `source: "replay"`: the archived period to replay (epoch ms) and its speed (× real time, or "max"; default "max"). */
  replay?: { from: number; to: number; speed?: number | "max" };
}

/** Per-symbol statistics. Times are epoch ms; NaN before the first trade. */
export interface SymbolStats {
  trades: number;
  lastPrice: number;
  lastTradeTime: number;
  /** now − lastTradeTime (ms); on a replay (`source: "replay"`), the replay's clock (capped at the symbol's last recorded trade) − lastTradeTime. */
  lagMs: number;
  /** Id ranges still missing after the grace window (a late trade inside the window closes its hole). */
  gaps: number;
  /** Ids still missing after the grace window. */
  missingTrades: number;
  evicted: number;
  /** Frames whose id was already stored (or spent): skipped. */
  duplicates: number;
  spentIds: number;
  /** Trades stored although an id above theirs had already arrived (late delivery, see the docs for their time). */
  outOfOrder: number;
  /** Large backwards jumps of the ids (an exchange or relay restart) that started a new id sequence. */
  restarts: number;
}

/** States of an ingestion, as shown by `stats().status`. */
export type IngestionStatus = "connecting" | "live" | "stalled" | "reconnecting" | "stopped" | "error" | "failed";

/** Snapshot returned by `Ingestion.stats()`. */
export interface IngestionStats {
  /** "failed": the ingestion worker died (the error is in `warnings`); "error": the demo exchange could not start. */
  status: IngestionStatus;
  /** "binance", "demo", the custom URL, or "auto → binance" / "auto → demo (…reason…)". */
  source: string;
  /** True whenever the data come from the demo exchange (auto fallback included). */
  simulated: boolean;
  /** "LIVE" or "SIMULATED": show it next to anything derived from these data. */
  label: "LIVE" | "SIMULATED" | "REPLAY" | "REPLAY — SIMULATED";
  /** "/public trade", or "/market aggTrade (fallback: …)". */
  route: string;
  /** URLs currently in use. */
  urls: string[];
  reconnects: number;
  /** Malformed, empty, binary or invalid frames skipped. */
  parseErrors: number;
  /** Subscription replies, other event types and trades of symbols not asked for, skipped. */
  ignoredMessages: number;
  /** Trade frames rejected by validation, by reason (e.g. `{ "price-format": 2, "time-range": 1 }`); never stored. Also counted in `parseErrors`. */
  rejected: Record<string, number>;
  /** `onTrade`/`trades()` events dropped because the kernel thread had 1,000,000 undelivered ones (the store still has the trades). */
  queueOverflow: number;
  /** Where sockets and decoding run: "worker" (a worker thread; the default) or "kernel" (in-thread, when a `clock`, `connection.agent` or `backoff.random` is given). */
  thread: "worker" | "kernel";
  /** Frames per second over the last 10 s. */
  messagesPerSecond: number;
  /** Human sentences, e.g. "btcusdt: no trade for 30 s". */
  warnings: string[];
  symbols: Record<string, SymbolStats>;
  /** Book-ticker counters, with `quotes: true` only. */
  quotes?: QuoteFeedStats;
  /** Recording into the archive (absent when no archive is recorded to). */
  recording?: RecordingStats;
  /** Repairs of final trade-id gaps from REST (absent when gap repair is off). */
  gapRepair?: GapRepairStats;
  /** The replay's clock (`source: "replay"` only); with it, `symbols[s].lagMs` is measured against this clock, not the wall clock. */
  replay?: ReplayClockStats;
}

/** `stats().replay`: where a replay's clock is, in recorded time. */
export interface ReplayClockStats {
  /**
   * Recorded time (epoch ms) the replay has made due: for a paced replay its start plus the elapsed wall time × speed,
   * for speed "max" +Infinity (everything is due at once).
   */
  clock: number;
  /** Per symbol: the time of the last replayed trade (NaN when the period holds none). */
  lastTrade: Record<string, number>;
  /** Per symbol: the time of the last replayed quote (NaN without quotes). */
  lastQuote: Record<string, number>;
}

/** `stats().recording`: the ingestion worker's archive writer. */
export interface RecordingStats {
  /** Where: the SQLite path or the PostgreSQL URL without its password. */
  archive: string;
  /** "ok", "failing" (the archive cannot be written: trades queue in memory, see `error`), "closed" or "error" (could not open). */
  state: "ok" | "failing" | "closed" | "error";
  /** Trades newly stored (duplicates not counted). */
  written: number;
  /** Trades waiting for the next commit (≤ 250 ms). */
  pending: number;
  /** Trades dropped from the archive queue after a long failure (still in the tick store). */
  dropped: number;
  commits: number;
  /** Epoch ms of the last commit (NaN before the first). */
  lastCommitAt: number;
  /** The error text while failing, else "". */
  error: string;
  /**
   * Book-ticker recording (with `quotes: true`): the stored quotes (last per ms) written to the archive's quote
   * table every 250 ms, keyed by (symbol, u). `missed`: quotes the ring overwrote before they were read.
   */
  quotes?: { state: "ok" | "failing" | "closed"; written: number; pending: number; dropped: number; missed: number; commits: number; error: string };
}

/** `stats().gapRepair`: final gaps fetched from `/fapi/v1/aggTrades` and injected once. */
export interface GapRepairStats {
  /** REST base URL used (the demo exchange's own for the demo source). */
  restUrl: string;
  /** Final gaps seen. */
  found: number;
  repaired: number;
  /** Not (fully) repaired: REST failure, history gone, or an aggTrade stream (ids not comparable). */
  unrepairable: number;
  /** Repairs in flight. */
  pending: number;
  /** Trades injected into the store (and archive). */
  tradesRecovered: number;
  /** The last failure's reason, else "". */
  lastError: string;
}

/** One stored trade, as given to `onTrade` listeners and `trades()` iterators. */
export interface TradeEvent {
  symbol: string;
  id: number;
  /** Trade time T, epoch ms, as sent (the store may hold a later time for a late trade: times never go backwards there). */
  time: number;
  price: number;
  qty: number;
  /** `performance.now()` (on this thread's clock) when the frame was received by the ingestion's socket. */
  receivedAt: number;
  simulated: boolean;
}

/** A running ingestion. */
export interface Ingestion {
  readonly store: TickStore;
  /** Book tickers (best bid/ask per ms, shared memory) with `quotes: true`; undefined otherwise. */
  readonly quotes?: SharedQuoteStore;
  /** Runs a service (e.g. the alert engine) on the ingestion's thread, next to the stores; stopped with the ingestion. See `hostService`. */
  host?(request: HostServiceRequest): void;
  /** Normalised symbols (lower-case). */
  readonly symbols: readonly string[];
  readonly stopped: boolean;
  stats(): IngestionStats;
  /** Closes sockets (and an owned demo exchange), clears every timer; nothing reconnects afterwards. Idempotent. */
  stop(): Promise<void>;
  /**
   * Calls `listener` for each stored trade, in order, on this thread: in batches (one per event-loop turn
   * of the worker, ≤ 4,096 trades), so a trade is delivered shortly after it is visible in `store`. While
   * this thread is blocked, at most 1,000,000 undelivered trades queue (beyond: dropped from the events
   * only, counted in `stats().queueOverflow`). In-thread mode: synchronously after each stored trade.
   * Returns the unsubscribe function.
   */
  onTrade(listener: (trade: TradeEvent) => void): () => void;
  /**
   * Async iterator of stored trades from now on (bounded queue, oldest dropped beyond `maxQueue`, default 100,000); ends on stop().
   * @throws RangeError (E_PARAM) when `maxQueue` is not an integer ≥ 1.
   */
  trades(options?: { maxQueue?: number }): AsyncIterableIterator<TradeEvent>;
  /**
   * Resolves once every symbol has stored ≥ `count` trades; rejects with IngestionStoppedError on stop or
   * with SourceError after `timeoutMs` (Infinity: no limit; capped at 2^31 − 1 ms).
   * @throws RangeError (E_PARAM) when `count` is not an integer ≥ 0 or `timeoutMs` is not > 0.
   */
  waitForTrades(count?: number, timeoutMs?: number): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
