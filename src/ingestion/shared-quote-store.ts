import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";
import { createDecodedQuote, decodeBookTicker, type BookTickerKind, type DecodedQuote } from "../quotes/decode-book-ticker";
import { QUOTE_REJECT_REASONS, type Quote, type QuoteColumns, type QuoteRejectReason, type QuoteSymbolStats } from "../quotes/quote-types";
import { normalizeSymbol } from "./symbols";
import { scanBinanceBookTicker } from "./scan-binance-book-ticker";

/** Everything another thread needs to attach to a {@link SharedQuoteStore} (structured-cloneable). */
export interface SharedQuoteStoreInit {
  capacity: number;
  symbols: string[];
  /** One buffer per symbol: header (BigInt64 [count, version]) then six Float64 columns of `capacity`. */
  buffers: SharedArrayBuffer[];
}

const HEADER_BYTES = 16;
const COLUMNS = 6; // time, updateId, bid, bidQty, ask, askQty

interface Ring {
  header: BigInt64Array;
  data: Float64Array;
  /** Writer-side mirror of the published count. */
  count: number;
  stats: QuoteSymbolStats;
}

function emptyStats(): QuoteSymbolStats {
  const rejected = Object.fromEntries(QUOTE_REJECT_REASONS.map((r) => [r, 0])) as Record<QuoteRejectReason, number>;
  return { size: 0, accepted: 0, conflated: 0, evicted: 0, gaps: 0, missingIds: 0, rejected, lastTime: NaN, lastUpdateId: NaN };
}

/**
 * The ingestion's book-ticker store, in shared memory: the ingestion worker decodes, validates and writes;
 * the kernel thread (notebook cells, backtests, alert hosts) reads without locks and without messages.
 * One `SharedArrayBuffer` per symbol, allocated at start (`48 × capacity` bytes of address space plus 16;
 * the OS backs only the pages touched, so an idle store costs almost nothing), holding six `Float64`
 * columns (time `T`, update id `u`, bid, bid qty, ask, ask qty) as a ring of `capacity` quotes.
 *
 * **Storage rule: the last quote per millisecond per symbol** (as `QuoteStore`): an accepted update whose
 * `T` equals the last stored quote's `T` overwrites that slot (counted in `conflated`), so a symbol stores
 * at most 1,000 quotes/s whatever the exchange sends. Beyond `capacity` the oldest quote is overwritten
 * (counted in `evicted`).
 *
 * **Validation** (counted per reason, never stored): the stateless rules of `decodeBookTicker` (crossed or
 * locked book, non-positive prices or quantities, non-decimal strings, bad times or ids) plus, per symbol,
 * `u` going backwards, a repeated `u`, and `T` going backwards. A jump in `u` of more than 1 is stored and
 * counted in `gaps` / `missingIds` (informational: Binance's `u` also advances below the touch).
 *
 * **Threads (one writer, any number of readers).** An append writes the row, then publishes the new count
 * with `Atomics.store`. A conflation rewrites the newest row inside a sequence lock: the version is made
 * odd, the row written, the version made even. Readers copy rows below the count they loaded, then cut
 * rows the ring may have overwritten meanwhile (index ≤ count_after − capacity) and re-copy the newest row
 * until the version was even and unchanged around the copy (a 6-double window: bounded retries, the
 * writer never waits).
 *
 * **Decoding**: `ingest` runs the general decoder (`decodeBookTicker`, `JSON.parse`); the transport calls
 * `ingestInPlace` first, which reads Binance-layout frames in place inside the socket chunk
 * (`scanBinanceBookTicker`, identical results) and hands anything else back for `ingest`.
 *
 * Complexity: `ingest` / `ingestInPlace` O(frame); `quotes` O(n); `quotesSince` O(k); `firstAtOrAfter` O(log n); `latest` O(1).
 *
 * @throws RangeError (E_PARAM) when `capacity` is not an integer in [1, 2^26].
 * @example
 * const store = SharedQuoteStore.create(["btcusdt"], 1000);
 * store.ingest('{"e":"bookTicker","u":1,"E":1000,"T":1000,"s":"BTCUSDT","b":"100.0","B":"1","a":"100.1","A":"2"}'); // "quote"
 * const reader = SharedQuoteStore.attach(store.init()); // e.g. in another thread
 * reader.latest("btcusdt")?.ask; // 100.1
 */
export class SharedQuoteStore {
  readonly capacity: number;
  /** Ring slots: capacity + 1 (the slot being overwritten by an append is never one a reader needs). */
  private readonly slots: number;
  readonly symbols: readonly string[];
  private readonly rings = new Map<string, Ring>();
  private readonly buffers: SharedArrayBuffer[];
  private readonly scratch: DecodedQuote = createDecodedQuote();
  /** Frames that were not book tickers of a subscribed symbol (replies, other events, other symbols). */
  ignored = 0;
  /** Empty or malformed frames. */
  malformed = 0;

  private constructor(init: SharedQuoteStoreInit) {
    this.capacity = init.capacity;
    this.slots = init.capacity + 1;
    this.symbols = [...init.symbols];
    this.buffers = init.buffers;
    init.symbols.forEach((s, i) => {
      const b = init.buffers[i];
      this.rings.set(s, { header: new BigInt64Array(b, 0, 2), data: new Float64Array(b, HEADER_BYTES, COLUMNS * (init.capacity + 1)), count: Number(Atomics.load(new BigInt64Array(b, 0, 2), 0)), stats: emptyStats() });
    });
  }

  /**
   * A new store for `symbols` with `capacity` quotes per symbol (default 1,000,000 ≈ 17 min at the 1,000/s
   * ceiling, 48 MB of address space per symbol, backed only where written).
   * @throws RangeError (E_PARAM) for a bad capacity or symbol.
   */
  static create(symbols: readonly string[], capacity = 1_000_000): SharedQuoteStore {
    assertInteger("SharedQuoteStore", "capacity", capacity, 1, 2 ** 26);
    const names = symbols.map((s) => normalizeSymbol(s, "SharedQuoteStore"));
    return new SharedQuoteStore({ capacity, symbols: names, buffers: names.map(() => new SharedArrayBuffer(HEADER_BYTES + 8 * COLUMNS * (capacity + 1))) });
  }

  /** Attaches to a store created on another thread (reader, or the single writer). O(symbols). */
  static attach(init: SharedQuoteStoreInit): SharedQuoteStore {
    return new SharedQuoteStore(init);
  }

  /** What another thread needs to attach (the buffers are shared, not copied). */
  init(): SharedQuoteStoreInit {
    return { capacity: this.capacity, symbols: [...this.symbols], buffers: this.buffers };
  }

  /**
   * Writer: decodes one frame (`decodeBookTicker`), applies the stateful checks and stores it by the
   * per-millisecond rule. Returns the classification (`"rejected"` also for a stateful rejection; a quote of
   * a symbol not in the store is `"unknown"`). Never throws. O(frame).
   */
  ingest(frame: string | Buffer): BookTickerKind {
    return this.store(decodeBookTicker(frame, this.scratch));
  }

  /**
   * Writer, in place: the frame `b[start, end)` (e.g. inside the socket chunk, valid only during the call) through
   * the `@bookTicker` fast path ({@link scanBinanceBookTicker}), then the same checks and storage as {@link ingest}.
   * Returns false — having changed nothing — when the fast path is not sure about the frame: the caller then
   * passes it (copied, UTF-8 checked) to {@link ingest}. A frame it returns true for was pure ASCII. Never throws.
   * O(frame); the decoding allocates nothing once the frame's prefix and symbol were seen.
   *
   * @example
   * const store = SharedQuoteStore.create(["btcusdt"], 1000);
   * const f = Buffer.from('{"e":"bookTicker","u":1,"E":1000,"T":1000,"s":"BTCUSDT","b":"100.0","B":"1","a":"100.1","A":"2"}');
   * store.ingestInPlace(f, 0, f.length); // true
   * store.latest("btcusdt")?.bid;        // 100
   */
  ingestInPlace(b: Buffer, start: number, end: number): boolean {
    const kind = scanBinanceBookTicker(b, this.scratch, start, end);
    if (kind === "fallback") return false;
    this.store(kind);
    return true;
  }

  /** Counts and stores the frame just decoded into `scratch` (classified as `kind`). */
  private store(kind: BookTickerKind): BookTickerKind {
    const q = this.scratch;
    if (kind === "quote" || kind === "rejected") {
      const r = this.rings.get(q.symbol);
      if (r === undefined) {
        this.ignored++;
        return "unknown";
      }
      if (kind === "rejected") {
        r.stats.rejected[q.reason as QuoteRejectReason]++;
        return kind;
      }
      return this.append(r, q) ? "quote" : "rejected";
    }
    this.ignored++;
    if (kind === "malformed" || kind === "empty") this.malformed++;
    return kind;
  }

  private append(r: Ring, q: Quote): boolean {
    const st = r.stats;
    if (st.accepted > 0) {
      let reason: QuoteRejectReason | undefined;
      if (q.updateId < st.lastUpdateId) reason = "update-id-backwards";
      else if (q.updateId === st.lastUpdateId) reason = "duplicate";
      else if (q.time < st.lastTime) reason = "time-backwards";
      if (reason !== undefined) {
        st.rejected[reason]++;
        return false;
      }
      if (q.updateId > st.lastUpdateId + 1) {
        st.gaps++;
        st.missingIds += q.updateId - st.lastUpdateId - 1;
      }
    }
    st.accepted++;
    st.lastUpdateId = q.updateId;
    const cap = this.slots;
    const d = r.data;
    const n = r.count;
    if (n > 0 && st.lastTime === q.time) {
      const s = (n - 1) % cap;
      Atomics.add(r.header, 1, 1n); // odd: the newest row is being rewritten
      d[s] = q.time;
      d[cap + s] = q.updateId;
      d[2 * cap + s] = q.bid;
      d[3 * cap + s] = q.bidQty;
      d[4 * cap + s] = q.ask;
      d[5 * cap + s] = q.askQty;
      Atomics.add(r.header, 1, 1n); // even again
      st.conflated++;
    } else {
      const s = n % cap;
      d[s] = q.time;
      d[cap + s] = q.updateId;
      d[2 * cap + s] = q.bid;
      d[3 * cap + s] = q.bidQty;
      d[4 * cap + s] = q.ask;
      d[5 * cap + s] = q.askQty;
      r.count = n + 1;
      Atomics.store(r.header, 0, BigInt(n + 1));
      if (n >= this.capacity) st.evicted++;
    }
    st.lastTime = q.time;
    return true;
  }

  /** Writer-side counters of one symbol (zeros and NaN for a symbol not in the store). O(1). */
  stats(symbol: string): QuoteSymbolStats {
    const r = this.rings.get(symbol.toLowerCase());
    if (r === undefined) return emptyStats();
    return { ...r.stats, size: Math.min(r.count, this.capacity), rejected: { ...r.stats.rejected } };
  }

  /** Quotes ever stored (in a new slot) for `symbol`: the sequence for {@link quotesSince}. One atomic load. */
  sequence(symbol: string): number {
    const r = this.rings.get(symbol.toLowerCase());
    return r === undefined ? 0 : Number(Atomics.load(r.header, 0));
  }

  /** Quotes held for `symbol` now. One atomic load. */
  size(symbol: string): number {
    return Math.min(this.sequence(symbol), this.capacity);
  }

  private copy(r: Ring, fromSeq: number): { quotes: QuoteColumns; nextSeq: number; dropped: number } {
    const cap = this.slots;
    const d = r.data;
    const c0 = Number(Atomics.load(r.header, 0));
    let from = Math.max(fromSeq, c0 - this.capacity);
    const k = Math.max(0, c0 - from);
    const cols = [new Float64Array(k), new Float64Array(k), new Float64Array(k), new Float64Array(k), new Float64Array(k), new Float64Array(k)];
    for (let c = 0; c < COLUMNS; c++) {
      const col = cols[c];
      const base = c * cap;
      // Up to two contiguous runs of the ring.
      const s0 = from % cap;
      const first = Math.min(k, cap - s0);
      col.set(d.subarray(base + s0, base + s0 + first), 0);
      if (first < k) col.set(d.subarray(base, base + k - first), first);
    }
    // The newest row may have been rewritten (conflated) during the copy: re-copy it under the version lock. If the
    // writer stays inside its rewrite (descheduled mid-write), leave that row out and re-send it next time.
    let nextSeq = c0;
    let k2 = k;
    if (k > 0) {
      const s = (c0 - 1) % cap;
      let ok = false;
      for (let attempt = 0; attempt < 10_000 && !ok; attempt++) {
        const v0 = Atomics.load(r.header, 1);
        if ((v0 & 1n) === 1n) continue;
        for (let c = 0; c < COLUMNS; c++) cols[c][k - 1] = d[c * cap + s];
        ok = Atomics.load(r.header, 1) === v0;
      }
      if (!ok) {
        k2 = k - 1;
        nextSeq = c0 - 1;
      }
    }
    // Rows the ring may have overwritten while we copied: index ≤ c1 − slots (c1 − slots is being written).
    const c1 = Number(Atomics.load(r.header, 0));
    const cut = Math.max(0, c1 - cap + 1 - from);
    let out = k2 === k ? cols : cols.map((a) => a.subarray(0, k2));
    if (cut > 0) {
      const m = Math.min(cut, k2);
      out = out.map((a) => a.slice(m));
      from += m;
    } else if (k2 !== k) out = out.map((a) => a.slice());
    const [time, updateId, bid, bidQty, ask, askQty] = out;
    return { quotes: { time, updateId, bid, bidQty, ask, askQty }, nextSeq, dropped: Math.max(0, from - fromSeq) };
  }

  /** All quotes held for `symbol`, oldest first (copies; empty for an unknown symbol). O(n). */
  quotes(symbol: string): QuoteColumns {
    const r = this.rings.get(symbol.toLowerCase());
    if (r === undefined) {
      const e = new Float64Array(0);
      return { time: e, updateId: e.slice(), bid: e.slice(), bidQty: e.slice(), ask: e.slice(), askQty: e.slice() };
    }
    return this.copy(r, 0).quotes;
  }

  /**
   * Quotes stored since sequence `seq` (0 = from the start), the sequence to pass next time, and how many
   * requested quotes were already overwritten. A slot conflated after it was read is not re-sent. O(k).
   * @throws RangeError (E_PARAM) when `seq` is not an integer ≥ 0.
   */
  quotesSince(symbol: string, seq: number): { quotes: QuoteColumns; nextSeq: number; dropped: number } {
    assertInteger("SharedQuoteStore.quotesSince", "seq", seq, 0);
    const r = this.rings.get(symbol.toLowerCase());
    if (r === undefined) return { quotes: this.quotes(symbol), nextSeq: 0, dropped: 0 };
    return this.copy(r, seq);
  }

  private row(symbol: string, r: Ring, seq: number): Quote | null {
    const cap = this.slots;
    const s = seq % cap;
    const d = r.data;
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const v0 = Atomics.load(r.header, 1);
      if ((v0 & 1n) === 1n) continue;
      const q: Quote = { symbol, time: d[s], updateId: d[cap + s], eventTime: NaN, bid: d[2 * cap + s], bidQty: d[3 * cap + s], ask: d[4 * cap + s], askQty: d[5 * cap + s] };
      if (Atomics.load(r.header, 1) === v0 && Number(Atomics.load(r.header, 0)) - cap < seq) return q;
    }
    return null;
  }

  /** The newest quote of `symbol` (the touch), or `null` before the first. O(1). */
  latest(symbol: string): Quote | null {
    const key = symbol.toLowerCase();
    const r = this.rings.get(key);
    if (r === undefined) return null;
    const n = Number(Atomics.load(r.header, 0));
    if (n === 0) return null;
    // The newest row, or — while the writer is inside its rewrite of it — the one before (untouched by conflation).
    return this.row(key, r, n - 1) ?? (n >= 2 ? this.row(key, r, n - 2) : null);
  }

  /**
   * The first held quote of `symbol` with `T ≥ time`, or `null` when none (yet). O(log n).
   * @throws RangeError (E_PARAM) when `time` is not finite.
   */
  firstAtOrAfter(symbol: string, time: number): Quote | null {
    if (typeof time !== "number" || !Number.isFinite(time)) throw parameterRangeError("SharedQuoteStore.firstAtOrAfter", "time", "a finite epoch-ms number", time);
    const key = symbol.toLowerCase();
    const r = this.rings.get(key);
    if (r === undefined) return null;
    const cap = this.slots;
    const n = Number(Atomics.load(r.header, 0));
    let lo = Math.max(0, n - this.capacity);
    let hi = n;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (r.data[mid % cap] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo === n ? null : this.row(key, r, lo);
  }
}
