import { assertInteger } from "../validate";
import { parameterRangeError } from "../errors";
import { createDecodedQuote, decodeBookTicker, type BookTickerKind, type DecodedQuote } from "./decode-book-ticker";
import { QUOTE_REJECT_REASONS, type Quote, type QuoteColumns, type QuoteRejectReason, type QuoteSymbolStats } from "./quote-types";

/** Outcome of {@link QuoteStore.append}: stored in a new slot, conflated into the last slot, or rejected with a reason. */
export type QuoteAppendResult = "stored" | "conflated" | QuoteRejectReason;

class QuoteRing {
  time: Float64Array;
  updateId: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
  head = 0;
  size = 0;
  seq = 0;
  accepted = 0;
  conflated = 0;
  evicted = 0;
  gaps = 0;
  missingIds = 0;
  lastTime = NaN;
  lastUpdateId = NaN;
  rejected: Record<QuoteRejectReason, number>;
  constructor(n: number) {
    this.time = new Float64Array(n);
    this.updateId = new Float64Array(n);
    this.bid = new Float64Array(n);
    this.bidQty = new Float64Array(n);
    this.ask = new Float64Array(n);
    this.askQty = new Float64Array(n);
    this.rejected = Object.fromEntries(QUOTE_REJECT_REASONS.map((r) => [r, 0])) as Record<QuoteRejectReason, number>;
  }
  grow(n: number): void {
    const copy = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      for (let j = 0; j < this.size; j++) b[j] = a[(this.head + j) % a.length];
      return b;
    };
    this.time = copy(this.time);
    this.updateId = copy(this.updateId);
    this.bid = copy(this.bid);
    this.bidQty = copy(this.bidQty);
    this.ask = copy(this.ask);
    this.askQty = copy(this.askQty);
    this.head = 0;
  }
}

const INITIAL_SLOTS = 1024;

/**
 * A bounded, columnar store of book-ticker quotes: one ring per symbol of six `Float64Array` columns
 * (time `T`, update id `u`, bid, bid qty, ask, ask qty = 48 bytes per quote), grown by doubling up to
 * `capacity` quotes per symbol, then the oldest quote is evicted (counted).
 *
 * **Storage rule: the last quote per millisecond per symbol.** An accepted update whose `T` equals the
 * last stored quote's `T` overwrites that slot (counted as `conflated`), so a symbol holds at most one quote
 * per ms — 1,000 quotes/s at the very most, whatever Binance sends. Bars, costs and fills read the state of
 * the book at the end of each millisecond.
 *
 * **Validation:** the stateless rules of {@link decodeBookTicker} plus, per symbol, `u` below the last
 * accepted `u` → `"update-id-backwards"`, `u` equal → `"duplicate"`, `T` below the last accepted `T` →
 * `"time-backwards"`. Rejected updates are counted per reason and never stored. A jump in `u` of more
 * than 1 is accepted and counted in `gaps` / `missingIds` (on Binance `u` is the order book's update id,
 * which also advances for changes below the top of the book, so live gaps are normal; the demo exchange's
 * ids are contiguous).
 *
 * Complexity: `append` O(1) amortised; `quotes` O(n); `quotesSince` O(k); `firstAtOrAfter` O(log n).
 * Reads return copies. Symbols are case-insensitive.
 *
 * @throws RangeError (E_PARAM) when `capacity` is not an integer ≥ 1.
 * @example
 * const store = new QuoteStore(1000);
 * store.ingest('{"e":"bookTicker","u":1,"E":1000,"T":1000,"s":"BTCUSDT","b":"100.0","B":"1","a":"100.1","A":"2"}'); // "quote"
 * store.ingest('{"e":"bookTicker","u":2,"E":1000,"T":1000,"s":"BTCUSDT","b":"100.0","B":"3","a":"100.1","A":"2"}'); // "quote" (conflated)
 * store.quotes("btcusdt").bidQty // Float64Array [3]
 */
export class QuoteStore {
  /** Quotes kept per symbol. */
  readonly capacity: number;
  private readonly rings = new Map<string, QuoteRing>();
  private readonly scratch: DecodedQuote = createDecodedQuote();
  /** Frames that were not book tickers at all (replies, other events, empty, malformed). */
  ignored = 0;
  /** Malformed or empty frames (a subset of {@link ignored}). */
  malformed = 0;

  constructor(capacity = 200_000) {
    assertInteger("QuoteStore", "capacity", capacity, 1);
    this.capacity = capacity;
  }

  private ring(symbol: string): QuoteRing {
    let r = this.rings.get(symbol);
    if (r === undefined) {
      r = new QuoteRing(Math.min(INITIAL_SLOTS, this.capacity));
      this.rings.set(symbol, r);
    }
    return r;
  }

  /**
   * Decodes one frame with {@link decodeBookTicker} and appends it; counts a rejection under its symbol.
   * Returns the decoder's classification (`"rejected"` also when a stateful rule rejects it). O(frame).
   */
  ingest(frame: string | Buffer): BookTickerKind {
    const q = this.scratch;
    const kind = decodeBookTicker(frame, q);
    if (kind === "quote") {
      const r = this.append(q);
      return r === "stored" || r === "conflated" ? "quote" : "rejected";
    }
    if (kind === "rejected") {
      this.ring(q.symbol).rejected[q.reason as QuoteRejectReason]++;
      return kind;
    }
    this.ignored++;
    if (kind === "malformed" || kind === "empty") this.malformed++;
    return kind;
  }

  /**
   * Appends one already-decoded quote after the stateful checks (the stateless ones are the caller's:
   * use {@link ingest} for raw frames). O(1) amortised.
   */
  append(q: Quote): QuoteAppendResult {
    const symbol = q.symbol.toLowerCase();
    const r = this.ring(symbol);
    if (r.accepted > 0) {
      if (q.updateId < r.lastUpdateId) return this.reject(r, "update-id-backwards");
      if (q.updateId === r.lastUpdateId) return this.reject(r, "duplicate");
      if (q.time < r.lastTime) return this.reject(r, "time-backwards");
      if (q.updateId > r.lastUpdateId + 1) {
        r.gaps++;
        r.missingIds += q.updateId - r.lastUpdateId - 1;
      }
    }
    r.accepted++;
    r.lastUpdateId = q.updateId;
    let slot: number;
    let result: QuoteAppendResult;
    const cap = r.time.length;
    if (r.size > 0 && r.time[(r.head + r.size - 1) % cap] === q.time) {
      slot = (r.head + r.size - 1) % cap;
      r.conflated++;
      result = "conflated";
    } else {
      if (r.size === cap && cap < this.capacity) r.grow(Math.min(this.capacity, cap * 2));
      const c = r.time.length;
      if (r.size === c) {
        slot = r.head;
        r.head = (r.head + 1) % c;
        r.evicted++;
      } else {
        slot = (r.head + r.size) % c;
        r.size++;
      }
      r.seq++;
      result = "stored";
    }
    r.lastTime = q.time;
    r.time[slot] = q.time;
    r.updateId[slot] = q.updateId;
    r.bid[slot] = q.bid;
    r.bidQty[slot] = q.bidQty;
    r.ask[slot] = q.ask;
    r.askQty[slot] = q.askQty;
    return result;
  }

  private reject(r: QuoteRing, reason: QuoteRejectReason): QuoteRejectReason {
    r.rejected[reason]++;
    return reason;
  }

  /** Symbols seen so far (lower-case), in first-seen order. */
  symbols(): string[] {
    return [...this.rings.keys()];
  }

  /** Copies the `k` quotes at logical positions `from … from + k − 1` (0 = oldest held). */
  private slice(r: QuoteRing, from: number, k: number): QuoteColumns {
    const out: QuoteColumns = {
      time: new Float64Array(k),
      updateId: new Float64Array(k),
      bid: new Float64Array(k),
      bidQty: new Float64Array(k),
      ask: new Float64Array(k),
      askQty: new Float64Array(k),
    };
    const c = r.time.length;
    for (let j = 0; j < k; j++) {
      const s = (r.head + from + j) % c;
      out.time[j] = r.time[s];
      out.updateId[j] = r.updateId[s];
      out.bid[j] = r.bid[s];
      out.bidQty[j] = r.bidQty[s];
      out.ask[j] = r.ask[s];
      out.askQty[j] = r.askQty[s];
    }
    return out;
  }

  /** All quotes held for `symbol`, oldest first (copies; empty columns for an unknown symbol). O(n). */
  quotes(symbol: string): QuoteColumns {
    const r = this.rings.get(symbol.toLowerCase());
    return r === undefined ? this.slice(new QuoteRing(0), 0, 0) : this.slice(r, 0, r.size);
  }

  /**
   * Quotes stored since sequence `seq` (0 = from the start): returns them, the sequence to pass next time
   * and how many of them were already evicted. A slot conflated after it was read is not re-sent (readers
   * that need the final per-ms state should read up to the previous millisecond). O(k).
   * @throws RangeError (E_PARAM) when `seq` is not an integer ≥ 0.
   */
  quotesSince(symbol: string, seq: number): { quotes: QuoteColumns; nextSeq: number; dropped: number } {
    assertInteger("QuoteStore.quotesSince", "seq", seq, 0);
    const r = this.rings.get(symbol.toLowerCase());
    if (r === undefined) return { quotes: this.quotes(symbol), nextSeq: 0, dropped: 0 };
    const oldestSeq = r.seq - r.size;
    const from = Math.max(seq, oldestSeq);
    const k = Math.max(0, r.seq - from);
    return { quotes: this.slice(r, from - oldestSeq, k), nextSeq: r.seq, dropped: Math.max(0, oldestSeq - seq) };
  }

  /**
   * The first held quote of `symbol` with `T ≥ time`, or `null` when none (yet). O(log n).
   * @throws RangeError (E_PARAM) when `time` is not finite.
   */
  firstAtOrAfter(symbol: string, time: number): Quote | null {
    if (typeof time !== "number" || !Number.isFinite(time)) throw parameterRangeError("QuoteStore.firstAtOrAfter", "time", "a finite epoch-ms number", time);
    const key = symbol.toLowerCase();
    const r = this.rings.get(key);
    if (r === undefined || r.size === 0) return null;
    const c = r.time.length;
    let lo = 0;
    let hi = r.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r.time[(r.head + mid) % c] < time) lo = mid + 1;
      else hi = mid;
    }
    if (lo === r.size) return null;
    const s = (r.head + lo) % c;
    return { symbol: key, updateId: r.updateId[s], eventTime: NaN, time: r.time[s], bid: r.bid[s], bidQty: r.bidQty[s], ask: r.ask[s], askQty: r.askQty[s] };
  }

  /** The newest held quote of `symbol` (the current touch), or `null` when none. O(1). */
  latest(symbol: string): Quote | null {
    const key = symbol.toLowerCase();
    const r = this.rings.get(key);
    if (r === undefined || r.size === 0) return null;
    const s = (r.head + r.size - 1) % r.time.length;
    return { symbol: key, updateId: r.updateId[s], eventTime: NaN, time: r.time[s], bid: r.bid[s], bidQty: r.bidQty[s], ask: r.ask[s], askQty: r.askQty[s] };
  }

  /** Counters of one symbol (zeros and NaN for a symbol never seen). O(1). */
  stats(symbol: string): QuoteSymbolStats {
    const r = this.rings.get(symbol.toLowerCase()) ?? new QuoteRing(0);
    return {
      size: r.size,
      accepted: r.accepted,
      conflated: r.conflated,
      evicted: r.evicted,
      gaps: r.gaps,
      missingIds: r.missingIds,
      rejected: { ...r.rejected },
      lastTime: r.lastTime,
      lastUpdateId: r.lastUpdateId,
    };
  }
}
