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

/** Largest block, in ticks (8,192 ticks × 3 columns × 8 bytes = 192 KiB). */
const MAX_BLOCK_SHIFT = 13;

interface Block {
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
}

function newBlock(n: number): Block {
  return { time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n) };
}

/**
 * One symbol's ring: a queue of fixed-size blocks. Logical tick j (0 = oldest) lives at position
 * head + j, i.e. block (head + j) >> shift, offset (head + j) & mask. Appending past the last block adds
 * a block (recycled from the evicted head block when available); evicting past the end of the first block
 * recycles it. No tick is ever copied on append.
 */
class Ring {
  blocks: Block[] = [];
  spare: Block | undefined;
  readonly shift: number;
  readonly mask: number;
  /** Offset of the oldest tick inside blocks[0]. */
  head = 0;
  size = 0;
  /** Total ticks ever appended. */
  seq = 0;
  evicted = 0;
  constructor(capacity: number) {
    // Block size: a power of two ≤ capacity/4 (so the one partially used block costs ≤ 25 % extra), ≤ 8,192,
    // and small enough that a full ring, which spans up to ceil((capacity + block − 1) / block) blocks
    // (the head block partly evicted, the tail block partly written), allocates ≤ 1.25 × capacity slots.
    const fits = (b: number): boolean => Math.ceil((capacity + b - 1) / b) * b <= 1.25 * capacity;
    let shift = 0;
    while (shift < MAX_BLOCK_SHIFT && 2 ** (shift + 1) <= capacity / 4 && fits(2 ** (shift + 1))) shift++;
    this.shift = shift;
    this.mask = (1 << shift) - 1;
  }
}

/**
 * A bounded columnar tick store: one ring buffer per symbol, three `Float64Array` columns (time, price,
 * qty), stored in blocks of up to 8,192 ticks that are allocated on demand and recycled on eviction:
 * 24 bytes per tick plus at most one partially used block (≤ 30 bytes per stored tick once a symbol holds
 * ≥ 4 blocks or is at capacity), and a store that sees little data stays small. When a ring is full the
 * oldest tick is dropped and counted in {@link evicted}.
 *
 * Consistency: `append` is synchronous and JavaScript is single-threaded, so a read can never observe a
 * half-written tick; reads return copies, so later appends never change what a reader holds.
 *
 * Complexity: `append` O(1) (no tick is ever moved); `ticks` O(n); `ticksSince` O(k)
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

  private lastKey = "";
  private lastRing: Ring | undefined;

  /** Registers a symbol with no ticks (so it is listed by {@link symbols}); no-op when present. */
  register(symbol: string): void {
    const s = normalizeSymbol(symbol, "TickStore.register", "symbol");
    if (!this.rings.has(s)) this.rings.set(s, new Ring(this.capacity));
  }

  /**
   * Appends one tick. `symbol` must already be lower-case (the ingestion's decoder guarantees it); values
   * are stored as given (the decoder rejects non-finite/non-positive ones). O(1).
   */
  append(symbol: string, time: number, price: number, qty: number): void {
    let r = symbol === this.lastKey ? this.lastRing : this.rings.get(symbol);
    if (r === undefined) {
      const key = normalizeSymbol(symbol, "TickStore.append", "symbol");
      r = this.rings.get(key);
      if (r === undefined) {
        r = new Ring(this.capacity);
        this.rings.set(key, r);
      }
    }
    this.lastKey = symbol;
    this.lastRing = r;
    if (r.size === this.capacity) {
      r.head++;
      r.size--;
      r.evicted++;
      if (r.head > r.mask) {
        r.spare = r.blocks.shift();
        r.head = 0;
      }
    }
    const pos = r.head + r.size;
    const bi = pos >> r.shift;
    if (bi === r.blocks.length) {
      r.blocks.push(r.spare ?? newBlock(r.mask + 1));
      r.spare = undefined;
    }
    const b = r.blocks[bi];
    const off = pos & r.mask;
    b.time[off] = time;
    b.price[off] = price;
    b.qty[off] = qty;
    r.size++;
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
    if (r === undefined) return 0;
    return (r.blocks.length + (r.spare ? 1 : 0)) * (r.mask + 1) * 3 * Float64Array.BYTES_PER_ELEMENT;
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
    const pos = r.head + r.size - 1;
    const b = r.blocks[pos >> r.shift];
    const off = pos & r.mask;
    return { time: b.time[off], price: b.price[off], qty: b.qty[off] };
  }
}

function key(symbol: string): string {
  return typeof symbol === "string" ? symbol.trim().toLowerCase() : String(symbol);
}

function emptyColumns(n: number): TickColumns {
  return { time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n) };
}

/** Copies `count` ticks starting at logical offset `offset` (0 = oldest) into new arrays. O(count). */
function copyRange(r: Ring, offset: number, count: number): TickColumns {
  const out = emptyColumns(count);
  const blockSize = r.mask + 1;
  let pos = r.head + offset;
  let written = 0;
  while (written < count) {
    const b = r.blocks[pos >> r.shift];
    const off = pos & r.mask;
    const n = Math.min(count - written, blockSize - off);
    out.time.set(b.time.subarray(off, off + n), written);
    out.price.set(b.price.subarray(off, off + n), written);
    out.qty.set(b.qty.subarray(off, off + n), written);
    written += n;
    pos += n;
  }
  return out;
}
