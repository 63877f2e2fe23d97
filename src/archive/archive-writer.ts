import { parameterRangeError } from "../errors";
import { ArchiveError, toArchiveError } from "./archive-error";
import type { Archive, TradeBatch } from "./archive-types";
import { normalizeTradeBatch } from "./normalize-batch";

/** Options of {@link ArchiveWriter}. */
export interface ArchiveWriterOptions {
  /** Commit cadence, ms (default 250): appended trades are committed at most this long after they arrive. */
  commitMs?: number;
  /** Pending trades (all symbols) that trigger an immediate commit (default 50,000). */
  maxPending?: number;
  /**
   * Pending trades kept while the archive cannot be written (disk full, locked): beyond it the oldest
   * pending trades are dropped from the *archive* queue and counted in `dropped` (default 5,000,000).
   */
  maxBacklog?: number;
  /** Called when the writer changes state: a failing commit (`ok: false`, with the error) or a recovery. */
  onStatus?: (status: ArchiveWriterStatus) => void;
}

/** State of an {@link ArchiveWriter}. */
export interface ArchiveWriterStatus {
  state: "ok" | "failing" | "closed";
  /** Trades newly stored (duplicates not counted). */
  written: number;
  /** Trades appended but not committed yet. */
  pending: number;
  /** Trades dropped from the queue while failing (still in memory elsewhere, never in the archive). */
  dropped: number;
  /** Commits done. */
  commits: number;
  /** Epoch ms of the last successful commit (NaN before the first). */
  lastCommitAt: number;
  /** The last commit error while failing (e.g. `E_ARCHIVE_FULL`), else null. */
  error: ArchiveError | null;
}

interface Queue {
  symbol: string;
  source: string;
  simulated: boolean;
  parts: TradeBatch[];
  size: number;
}

/**
 * Batches trades into the archive: `append()` is cheap and synchronous (plain columnar data in, so it runs
 * unchanged in a worker thread), a timer commits every `commitMs` (default 250 ms) — one transaction per
 * (symbol, source) — so at most ~`commitMs` + one commit of trades is at risk on `kill -9`; a committed batch
 * is never lost and, keyed by (symbol, id), never duplicated when recording restarts.
 *
 * When a commit fails (disk full, lock timeout) the trades stay queued (up to `maxBacklog`), `status().state`
 * becomes "failing" with the typed {@link ArchiveError}, `onStatus` is called once, and the next tick
 * retries; nothing already committed is touched. O(n) per trade batch.
 *
 * @throws RangeError (E_PARAM) for bad options; `append` throws RangeError/TypeError for a bad batch.
 * @example
 * const writer = new ArchiveWriter(SqliteArchive.open("data/pairlab.sqlite"), { commitMs: 250 });
 * writer.append({ symbol: "btcusdt", id: [1], time: [1000], price: [100], qty: [1], source: "demo", simulated: true });
 * await writer.close(); // commits what is pending, then stops the timer (the archive stays open)
 */
export class ArchiveWriter {
  private readonly commitMs: number;
  private readonly maxPending: number;
  private readonly maxBacklog: number;
  private readonly onStatus?: (status: ArchiveWriterStatus) => void;
  private readonly queues = new Map<string, Queue>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  private st: ArchiveWriterStatus = { state: "ok", written: 0, pending: 0, dropped: 0, commits: 0, lastCommitAt: NaN, error: null };

  constructor(
    readonly archive: Archive,
    options: ArchiveWriterOptions = {},
  ) {
    const what = "ArchiveWriter";
    this.commitMs = options.commitMs ?? 250;
    if (!Number.isSafeInteger(this.commitMs) || this.commitMs < 1 || this.commitMs > 1000) throw parameterRangeError(what, "commitMs", "an integer number of ms in [1, 1000]", this.commitMs);
    this.maxPending = options.maxPending ?? 50_000;
    if (!Number.isSafeInteger(this.maxPending) || this.maxPending < 1) throw parameterRangeError(what, "maxPending", "an integer >= 1", this.maxPending);
    this.maxBacklog = options.maxBacklog ?? 5_000_000;
    if (!Number.isSafeInteger(this.maxBacklog) || this.maxBacklog < this.maxPending) throw parameterRangeError(what, "maxBacklog", `an integer >= maxPending (${this.maxPending})`, this.maxBacklog);
    this.onStatus = options.onStatus;
  }

  /** Queues a batch (validated now, copied) for the next commit. O(n). */
  append(batch: TradeBatch): void {
    if (this.st.state === "closed") throw new ArchiveError("E_ARCHIVE_CLOSED", this.archive.location, "append trades", "the writer is closed");
    const t = normalizeTradeBatch(batch, "ArchiveWriter.append");
    if (t.id.length === 0) return;
    const key = `${t.symbol}\u0000${t.source}\u0000${t.simulated ? 1 : 0}`;
    let q = this.queues.get(key);
    if (!q) {
      q = { symbol: t.symbol, source: t.source, simulated: t.simulated, parts: [], size: 0 };
      this.queues.set(key, q);
    }
    q.parts.push(t);
    q.size += t.id.length;
    this.st.pending += t.id.length;
    if (this.st.pending > this.maxBacklog) this.dropOldest(this.st.pending - this.maxBacklog);
    if (this.st.pending >= this.maxPending && this.st.state === "ok") void this.flush();
    else this.arm();
  }

  /** Commits everything pending now; resolves when done (never rejects: failures go to `status()`). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.st.pending > 0 ? this.flush() : undefined));
    this.disarm();
    this.flushing = this.commitAll().finally(() => {
      this.flushing = null;
      if (this.st.pending > 0 && this.st.state !== "closed") this.arm();
    });
    return this.flushing;
  }

  /** A snapshot of the writer's counters and state. O(1). */
  status(): ArchiveWriterStatus {
    return { ...this.st };
  }

  /** Commits what is pending (one last try), stops the timer. Does not close the archive. Idempotent. */
  async close(): Promise<void> {
    if (this.st.state === "closed") return;
    await this.flush();
    this.disarm();
    this.st.state = "closed";
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private arm(): void {
    if (this.timer || this.st.state === "closed") return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.commitMs);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async commitAll(): Promise<void> {
    for (const q of this.queues.values()) {
      if (q.size === 0) continue;
      // Take the queued parts before awaiting: appends made while the commit is in flight (an asynchronous
      // backend such as PostgreSQL) queue for the next commit instead of being cleared with this one.
      const batch = merge(q);
      q.parts = [];
      q.size = 0;
      try {
        const added = await this.archive.writeTrades(batch);
        this.st.written += added;
        this.st.pending -= batch.id.length;
        this.st.commits++;
        this.st.lastCommitAt = Date.now();
        if (this.st.state === "failing") this.setState("ok", null);
      } catch (error) {
        q.parts.unshift(batch);
        q.size += batch.id.length;
        this.setState("failing", toArchiveError(error, this.archive.location, "write trades"));
        return;
      }
    }
  }

  private setState(state: "ok" | "failing", error: ArchiveError | null): void {
    const changed = this.st.state !== state || (error && this.st.error?.code !== error.code);
    this.st.state = state;
    this.st.error = error;
    if (changed) this.onStatus?.(this.status());
  }

  private dropOldest(count: number): void {
    let left = count;
    for (const q of this.queues.values()) {
      while (left > 0 && q.parts.length > 0) {
        const p = q.parts[0];
        const n = p.id.length;
        if (n <= left) {
          q.parts.shift();
          q.size -= n;
          left -= n;
          this.st.pending -= n;
          this.st.dropped += n;
        } else {
          q.parts[0] = { ...p, id: sub(p.id, left), time: sub(p.time, left), price: sub(p.price, left), qty: sub(p.qty, left), maker: p.maker ? sub(p.maker, left) : undefined };
          q.size -= left;
          this.st.pending -= left;
          this.st.dropped += left;
          left = 0;
        }
      }
    }
  }
}

function sub(a: ArrayLike<number>, from: number): Float64Array {
  return Float64Array.from(a).subarray(from);
}

function merge(q: Queue): TradeBatch {
  if (q.parts.length === 1) return q.parts[0];
  const n = q.size;
  const out = { symbol: q.symbol, source: q.source, simulated: q.simulated, id: new Float64Array(n), time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n), maker: new Uint8Array(n) };
  let k = 0;
  for (const p of q.parts) {
    out.id.set(p.id, k);
    out.time.set(p.time, k);
    out.price.set(p.price, k);
    out.qty.set(p.qty, k);
    if (p.maker) out.maker.set(p.maker, k);
    k += p.id.length;
  }
  return out;
}
