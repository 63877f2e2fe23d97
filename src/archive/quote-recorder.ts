import { parameterRangeError } from "../errors";
import type { QuoteColumns } from "../quotes/quote-types";
import type { ArchiveTables } from "./quote-table";

/** What a {@link QuoteRecorder} reads: the ingestion's quote store (`SharedQuoteStore`, `QuoteStore`). */
export interface QuoteReader {
  /** Quotes stored since sequence `seq`, the next sequence, and how many were overwritten before this read. */
  quotesSince(symbol: string, seq: number): { quotes: QuoteColumns; nextSeq: number; dropped: number };
}

/** Options of {@link QuoteRecorder}. */
export interface QuoteRecorderOptions {
  /** Symbols to record (lower-case). */
  symbols: readonly string[];
  /** The quotes' source name, read at each commit ("binance", "demo", "ws"). */
  source: () => string;
  /** Whether the quotes are simulated, read at each commit. */
  simulated: () => boolean;
  /** Commit cadence, ms (default 250, in [1, 1000]). */
  commitMs?: number;
  /** Quotes kept queued while the archive refuses writes; beyond it the oldest are dropped and counted (default 2,000,000). */
  maxBacklog?: number;
}

/** State of a {@link QuoteRecorder}. */
export interface QuoteRecorderStatus {
  state: "ok" | "failing" | "closed";
  /** Quotes newly stored (quotes already in the archive not counted). */
  written: number;
  /** Quotes read from the store and not committed yet. */
  pending: number;
  /** Quotes dropped from the queue while the archive failed (beyond `maxBacklog`). */
  dropped: number;
  /** Quotes the store's ring overwrote before the recorder read them (the recorder fell behind). */
  missed: number;
  commits: number;
  /** Epoch ms of the last successful commit (NaN before the first). */
  lastCommitAt: number;
  /** The last commit error while failing, else "". */
  error: string;
}

interface Queue {
  seq: number;
  parts: QuoteColumns[];
  size: number;
}

const KEYS = ["time", "updateId", "bid", "bidQty", "ask", "askQty"] as const;

/**
 * Records an ingestion's stored (conflated: the last quote per ms) book-ticker quotes into the archive's quote
 * table, in batches: every `commitMs` it reads each symbol's new quotes from the store and writes them in one
 * transaction per symbol. The store's newest quote of a symbol may still be conflated (a later update of the
 * same millisecond replaces it), so each tick holds it back until a quote of a later millisecond follows; `close()`
 * writes it too. Keyed by (symbol, u) in the archive, a quote is stored exactly once even when the recorder
 * re-reads it or two recorders overlap.
 *
 * A failing write (disk full, lock) keeps the quotes queued (up to `maxBacklog`, then the oldest are dropped
 * and counted) and the next tick retries; ingestion never waits for the archive. O(k) per tick for k new quotes.
 *
 * @throws RangeError (E_PARAM) for bad options.
 * @example
 * const recorder = new QuoteRecorder(archive, ingestion.quotes, { symbols: ["btcusdt"], source: () => "demo", simulated: () => true });
 * // … later
 * await recorder.close(); // writes what is left, stops the timer (the archive stays open)
 */
export class QuoteRecorder {
  private readonly queues = new Map<string, Queue>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly maxBacklog: number;
  private running: Promise<void> | null = null;
  private st: QuoteRecorderStatus = { state: "ok", written: 0, pending: 0, dropped: 0, missed: 0, commits: 0, lastCommitAt: NaN, error: "" };

  constructor(
    private readonly archive: ArchiveTables,
    private readonly reader: QuoteReader,
    private readonly options: QuoteRecorderOptions,
  ) {
    const what = "QuoteRecorder";
    const commitMs = options.commitMs ?? 250;
    if (!Number.isSafeInteger(commitMs) || commitMs < 1 || commitMs > 1000) throw parameterRangeError(what, "commitMs", "an integer number of ms in [1, 1000]", commitMs);
    this.maxBacklog = options.maxBacklog ?? 2_000_000;
    if (!Number.isSafeInteger(this.maxBacklog) || this.maxBacklog < 1) throw parameterRangeError(what, "maxBacklog", "an integer >= 1", this.maxBacklog);
    for (const s of options.symbols) this.queues.set(s, { seq: 0, parts: [], size: 0 });
    this.timer = setInterval(() => void this.tick(false), commitMs);
    this.timer.unref?.();
  }

  /** Counters and state. O(symbols). */
  status(): QuoteRecorderStatus {
    let pending = 0;
    for (const q of this.queues.values()) pending += q.size;
    return { ...this.st, pending };
  }

  /** Reads new quotes and commits; `final` also takes each symbol's newest (possibly still conflating) quote. */
  tick(final: boolean): Promise<void> {
    if (this.running !== null) return this.running.then(() => (final ? this.tick(true) : undefined));
    this.running = this.collectAndWrite(final).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private collect(symbol: string, q: Queue, final: boolean): void {
    const { quotes, nextSeq, dropped } = this.reader.quotesSince(symbol, q.seq);
    this.st.missed += dropped;
    let k = quotes.time.length;
    let next = nextSeq;
    if (!final && k > 0) {
      k--; // the newest slot may still be conflated: take it next time
      next--;
    }
    q.seq = next;
    if (k === 0) return;
    const part = {} as QuoteColumns;
    for (const key of KEYS) part[key] = quotes[key].subarray(0, k);
    q.parts.push(part);
    q.size += k;
    while (q.size > this.maxBacklog && q.parts.length > 1) {
      const old = q.parts.shift()!;
      q.size -= old.time.length;
      this.st.dropped += old.time.length;
    }
  }

  private async collectAndWrite(final: boolean): Promise<void> {
    for (const [symbol, q] of this.queues) {
      this.collect(symbol, q, final);
      if (q.size === 0) continue;
      const batch = concat(q.parts, q.size);
      try {
        this.st.written += await this.archive.writeQuotes({ symbol, ...batch, source: this.options.source(), simulated: this.options.simulated() });
        this.st.commits++;
        this.st.lastCommitAt = Date.now();
        if (this.st.state === "failing") this.st.state = "ok";
        this.st.error = "";
        q.parts = [];
        q.size = 0;
      } catch (error) {
        this.st.state = "failing";
        this.st.error = error instanceof Error ? error.message : String(error);
      }
    }
  }

  /** Stops the timer and writes every quote read so far, the newest included. Idempotent. */
  async close(): Promise<void> {
    if (this.st.state === "closed") return;
    clearInterval(this.timer);
    await this.tick(true);
    this.st.state = "closed";
  }
}

function concat(parts: QuoteColumns[], n: number): QuoteColumns {
  if (parts.length === 1) return parts[0];
  const out = {} as QuoteColumns;
  for (const key of KEYS) {
    const col = new Float64Array(n);
    let k = 0;
    for (const p of parts) {
      col.set(p[key], k);
      k += p[key].length;
    }
    out[key] = col;
  }
  return out;
}
