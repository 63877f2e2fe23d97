import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";
import { normalizeSymbol } from "./symbols";

/** Columns of ticks, oldest first. `time` is the trade time `T` in epoch ms. */
export interface TickColumns {
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
}

/** Result of {@link TickStore.ticksSince}. */
export interface TickChunk {
  /** Retained ticks with sequence ≥ the requested one, oldest first (copies). */
  ticks: TickColumns;
  /** Sequence to pass next time (= `sequence(symbol)` at the time of the call). */
  nextSeq: number;
  /** How many of the requested ticks were already evicted (lost to the reader). */
  dropped: number;
}

/** Smallest column allocation; columns then grow by 1.25× up to the capacity. */
const INITIAL_ALLOC = 4096;
/** Growth factor: ≤ 1.25 keeps allocated bytes ≤ 30 per stored tick even right after a growth step. */
const GROWTH = 1.25;

class Ring {
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  /** Physical index of the oldest tick. */
  head = 0;
  size = 0;
  /** Total ticks ever appended. */
  seq = 0;
  evicted = 0;
  constructor(alloc: number) {
    this.time = new Float64Array(alloc);
    this.price = new Float64Array(alloc);
    this.qty = new Float64Array(alloc);
  }
}

/**
 * A bounded columnar tick store: one ring buffer per symbol, three `Float64Array` columns (time, price,
 * qty) — 24 bytes per tick at full capacity, at most 30 bytes while growing (columns start at 4,096 ticks
 * and grow ×1.25 up to `capacity`, so a store that sees little data stays small). When a ring is full the
 * oldest tick is overwritten and counted in {@link evicted}.
 *
 * Consistency: `append` is synchronous and JavaScript is single-threaded, so a read can never observe a
 * half-written tick; reads return copies, so later appends never change what a reader holds.
 *
 * Complexity: `append` O(1) amortised (O(1) once the ring is at capacity); `ticks` O(n); `ticksSince` O(k)
 * for k returned ticks. Symbols are case-insensitive.
 *
 * @throws RangeError (E_PARAM) from the constructor when `capacity` is not an integer ≥ 1.
 * @example
 * const store = new TickStore(3);
 * for (let i = 1; i <= 4; i++) store.append("btcusdt", i * 1000, 100 + i, 0.5);
 * store.ticks("BTCUSDT").price; // Float64Array [102, 103, 104]
 * store.evicted("btcusdt");     // 1
 * store.ticksSince("btcusdt", 0); // { ticks: {…3 ticks}, nextSeq: 4, dropped: 1 }
 */
export class TickStore {
  /** Maximum ticks kept per symbol. */
  readonly capacity: number;
  /** True when the ticks come from the demo exchange (simulated). Set by the ingestion. */
  simulated = false;
  private readonly rings = new Map<string, Ring>();

  constructor(capacity: number) {
    assertInteger("TickStore", "capacity", capacity, 1);
    this.capacity = capacity;
  }

  /** Registers a symbol with no ticks (so it is listed by {@link symbols}); no-op when present. */
  register(symbol: string): void {
    const s = normalizeSymbol(symbol, "TickStore.register", "symbol");
    if (!this.rings.has(s)) this.rings.set(s, new Ring(Math.min(this.capacity, INITIAL_ALLOC)));
  }

  /**
   * Appends one tick. `symbol` must already be lower-case (the ingestion's decoder guarantees it); values
   * are stored as given (the decoder rejects non-finite/non-positive ones). O(1) amortised.
   */
  append(symbol: string, time: number, price: number, qty: number): void {
    let r = this.rings.get(symbol);
    if (r === undefined) {
      r = new Ring(Math.min(this.capacity, INITIAL_ALLOC));
      this.rings.set(normalizeSymbol(symbol, "TickStore.append", "symbol"), r);
    }
    let alloc = r.time.length;
    if (r.size === alloc && alloc < this.capacity) {
      this.grow(r, Math.min(this.capacity, Math.max(alloc + 1, Math.ceil(alloc * GROWTH))));
      alloc = r.time.length;
    }
    let idx = r.head + r.size;
    if (idx >= alloc) idx -= alloc;
    r.time[idx] = time;
    r.price[idx] = price;
    r.qty[idx] = qty;
    if (r.size === alloc) {
      r.head = r.head + 1 === alloc ? 0 : r.head + 1;
      r.evicted++;
    } else {
      r.size++;
    }
    r.seq++;
  }

  /** Symbols known to the store (lower-case), in registration order. */
  symbols(): string[] {
    return [...this.rings.keys()];
  }

  /** Ticks currently retained for `symbol` (0 for an unknown symbol). */
  size(symbol: string): number {
    return this.rings.get(key(symbol))?.size ?? 0;
  }

  /** Total ticks ever appended for `symbol` (monotonic; 0 for an unknown symbol). */
  sequence(symbol: string): number {
    return this.rings.get(key(symbol))?.seq ?? 0;
  }

  /** Ticks evicted (overwritten) for `symbol` so far. */
  evicted(symbol: string): number {
    return this.rings.get(key(symbol))?.evicted ?? 0;
  }

  /** Bytes held by the columns of `symbol` (allocated, not just used). */
  bytes(symbol: string): number {
    const r = this.rings.get(key(symbol));
    return r === undefined ? 0 : r.time.byteLength + r.price.byteLength + r.qty.byteLength;
  }

  /** Copies of all retained ticks of `symbol`, oldest first (empty columns for an unknown symbol). O(n). */
  ticks(symbol: string): TickColumns {
    const r = this.rings.get(key(symbol));
    if (r === undefined) return emptyColumns(0);
    return copyRange(r, 0, r.size);
  }

  /**
   * Incremental read: the retained ticks whose sequence number (0-based append order) is ≥ `seq`, the
   * sequence to ask for next time, and how many requested ticks were already evicted. A reader that calls
   * `ticksSince(s, chunk.nextSeq)` repeatedly sees every tick exactly once, or learns how many it missed.
   * O(k) for k returned ticks.
   *
   * @throws RangeError (E_PARAM) when `seq` is not an integer ≥ 0.
   */
  ticksSince(symbol: string, seq: number): TickChunk {
    if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 0) {
      throw parameterRangeError("TickStore.ticksSince", "seq", "an integer >= 0", seq);
    }
    const r = this.rings.get(key(symbol));
    if (r === undefined) return { ticks: emptyColumns(0), nextSeq: 0, dropped: 0 };
    const firstRetained = r.seq - r.size;
    const from = Math.max(seq, firstRetained);
    const dropped = Math.max(0, Math.min(firstRetained, r.seq) - seq);
    if (from >= r.seq) return { ticks: emptyColumns(0), nextSeq: r.seq, dropped: seq < r.seq ? dropped : 0 };
    return { ticks: copyRange(r, from - firstRetained, r.seq - from), nextSeq: r.seq, dropped };
  }

  /** The latest tick of `symbol`, or undefined. O(1). */
  last(symbol: string): { time: number; price: number; qty: number } | undefined {
    const r = this.rings.get(key(symbol));
    if (r === undefined || r.size === 0) return undefined;
    let idx = r.head + r.size - 1;
    if (idx >= r.time.length) idx -= r.time.length;
    return { time: r.time[idx], price: r.price[idx], qty: r.qty[idx] };
  }

  private grow(r: Ring, alloc: number): void {
    const c = copyRange(r, 0, r.size, alloc);
    r.time = c.time;
    r.price = c.price;
    r.qty = c.qty;
    r.head = 0;
  }
}

function key(symbol: string): string {
  return typeof symbol === "string" ? symbol.trim().toLowerCase() : String(symbol);
}

function emptyColumns(n: number): TickColumns {
  return { time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n) };
}

/** Copies `count` ticks starting at logical offset `offset` (0 = oldest) into new arrays of length `alloc`. */
function copyRange(r: Ring, offset: number, count: number, alloc = count): TickColumns {
  const out = emptyColumns(alloc);
  const cap = r.time.length;
  let start = r.head + offset;
  if (start >= cap) start -= cap;
  const firstPart = Math.min(count, cap - start);
  out.time.set(r.time.subarray(start, start + firstPart));
  out.price.set(r.price.subarray(start, start + firstPart));
  out.qty.set(r.qty.subarray(start, start + firstPart));
  if (firstPart < count) {
    const rest = count - firstPart;
    out.time.set(r.time.subarray(0, rest), firstPart);
    out.price.set(r.price.subarray(0, rest), firstPart);
    out.qty.set(r.qty.subarray(0, rest), firstPart);
  }
  return out;
}
