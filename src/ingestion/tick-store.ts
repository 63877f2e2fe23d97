import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";
import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { normalizeSymbol } from "./symbols";
import { TickRing, type RingTick, type TickRingInit } from "./tick-ring";

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

/**
 * Result of {@link TickStore.views}: retained ticks as zero-copy views over the store's shared memory, plus
 * the sequence-lock check that tells whether any of them was overwritten by eviction while being used.
 */
export interface TickViews {
  /**
   * Per-block views, oldest first: `time` (trade time `T`, epoch ms), `price`, `qty` are `Float64Array`
   * `subarray`s of one shared block (the three have equal length; concatenated they are the ticks
   * `[from, nextSeq)`). Read-only by contract; they alias memory the writer reuses, so a value read from
   * them counts only if {@link valid} is true *after* the read.
   */
  blocks: TickColumns[];
  /** Sequence number (0-based append order) of the first tick of `blocks[0]`. */
  from: number;
  /** Sequence to pass next time (= `sequence(symbol)` when the views were made); the views end before it. */
  nextSeq: number;
  /** Ticks in the views (sum of the block lengths) = `nextSeq − from`. */
  length: number;
  /** How many requested ticks were already evicted (or about to be overwritten) when the views were made. */
  dropped: number;
  /**
   * Sequence-lock check, O(1) (one atomic load): true iff no tick of the views can have been overwritten
   * yet, so every value read from them *before this call* was intact and in order. False once the writer
   * may have reached any of them; the views then hold undefined data from the front (re-read a fresh
   * `views(symbol, intactFrom())`, or copy with `ticksSince`). Always true for empty views.
   */
  valid(): boolean;
  /** The first sequence in `[from, nextSeq]` still guaranteed intact: ticks before it may be overwritten. O(1). */
  intactFrom(): number;
}

/** Everything a writer thread needs to attach to a shared {@link TickStore} (structured-cloneable). */
export interface SharedTickStoreInit {
  capacity: number;
  /** Int32 flags: [0] = simulated (0/1). */
  flags: SharedArrayBuffer;
  /** Rings known at creation, by symbol. */
  rings: { symbol: string; ring: TickRingInit }[];
  /** The writer announces new rings and blocks on this port; the reader drains it synchronously. */
  port: MessagePort;
}

/** A message on the store port. */
type StoreAnnouncement =
  | { kind: "ring"; symbol: string; ring: TickRingInit }
  | { kind: "block"; symbol: string; slot: number; block: SharedArrayBuffer };

/**
 * A bounded columnar tick store: one ring per symbol, three `Float64Array` columns (time, price, qty) in
 * `SharedArrayBuffer` blocks of up to 8,192 ticks that are allocated on demand and reused by the ring
 * (see {@link TickRing} for the layout): 24 bytes per tick plus at most one partially used block
 * (≤ 30 bytes per stored tick once a symbol holds ≥ 4 blocks or is at capacity), and a store that sees
 * little data stays small. When a ring is full the oldest tick is dropped and counted in {@link evicted}.
 *
 * Threads: `new TickStore(capacity)` is a local store (append and read on one thread). The ingestion
 * creates a shared pair with {@link TickStore.createShared}: the worker thread appends, the kernel thread
 * reads without locks and without copying through messages. Each append is published with `Atomics.store`
 * after its data; a read that races an eviction drops the overwritten ticks (counted as evicted), so a
 * reader never sees a torn tick and never blocks the writer.
 *
 * Reads return copies, so later appends never change what a reader holds; the one exception is
 * {@link TickStore.views}, zero-copy views checked by a sequence lock (`valid()`).
 *
 * Complexity: `append` O(1) (no tick is ever moved); `ticks` O(n); `ticksSince` O(k)
 * for k returned ticks; `views` O(n / B) for B-tick blocks. Symbols are case-insensitive.
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
  private readonly rings = new Map<string, TickRing>();
  private readonly flags: Int32Array;
  /** Writer side of a shared store: where new rings and blocks are announced. */
  private readonly announce: MessagePort | undefined;
  /** Reader side of a shared store: where announcements arrive (drained synchronously). */
  private readonly inbox: MessagePort | undefined;
  private lastKey = "";
  private lastRing: TickRing | undefined;

  constructor(capacity: number, shared?: { flags: SharedArrayBuffer; announce?: MessagePort; inbox?: MessagePort }) {
    assertInteger("TickStore", "capacity", capacity, 1);
    this.capacity = capacity;
    this.flags = new Int32Array(shared?.flags ?? new SharedArrayBuffer(4));
    this.announce = shared?.announce;
    this.inbox = shared?.inbox;
  }

  /**
   * Creates a shared store for `symbols`: the reader (kept on this thread) and the init to transfer to
   * the writer thread (`TickStore.attachWriter(init)` there; pass `transfer: [init.port]`). O(symbols).
   */
  static createShared(capacity: number, symbols: readonly string[]): { reader: TickStore; writerInit: SharedTickStoreInit } {
    const { port1, port2 } = new MessageChannel();
    port2.unref();
    const flags = new SharedArrayBuffer(4);
    const reader = new TickStore(capacity, { flags, inbox: port2 });
    const rings: SharedTickStoreInit["rings"] = [];
    for (const s of symbols) {
      const init = TickRing.createInit(capacity);
      reader.rings.set(s, new TickRing(init));
      rings.push({ symbol: s, ring: init });
    }
    return { reader, writerInit: { capacity, flags, rings, port: port1 } };
  }

  /** The writer end of a shared store (on the writer thread). */
  static attachWriter(init: SharedTickStoreInit): TickStore {
    const store = new TickStore(init.capacity, { flags: init.flags, announce: init.port });
    for (const { symbol, ring } of init.rings) store.rings.set(symbol, store.writerRing(symbol, ring));
    return store;
  }

  private writerRing(symbol: string, init: TickRingInit): TickRing {
    const ring = new TickRing(init);
    const port = this.announce;
    // Another thread reads: publish once per synchronous burst of appends (a socket chunk), not per tick.
    ring.deferPublish = port !== undefined;
    if (port !== undefined) ring.onBlock = (slot, block) => port.postMessage({ kind: "block", symbol, slot, block } satisfies StoreAnnouncement);
    return ring;
  }

  /** True when the ticks come from the demo exchange (simulated). Set by the ingestion; shared across threads. */
  get simulated(): boolean {
    return Atomics.load(this.flags, 0) === 1;
  }

  set simulated(value: boolean) {
    Atomics.store(this.flags, 0, value ? 1 : 0);
  }

  private inboxClosed = false;

  /**
   * Reader side of a shared store, once the writer has finished (its thread ended): takes the last
   * announcements and closes the port. The ticks stay readable. Idempotent.
   */
  closeInbox(): void {
    if (this.inbox === undefined || this.inboxClosed) return;
    this.sync();
    this.inboxClosed = true;
    this.inbox.close();
  }

  /** Reader side: installs every ring and block the writer announced so far (synchronous). */
  private sync(): void {
    const port = this.inbox;
    if (port === undefined || this.inboxClosed) return;
    for (;;) {
      const m = receiveMessageOnPort(port);
      if (m === undefined) return;
      const a = m.message as StoreAnnouncement;
      if (a.kind === "ring") {
        if (!this.rings.has(a.symbol)) this.rings.set(a.symbol, new TickRing(a.ring));
      } else this.rings.get(a.symbol)?.attachBlock(a.slot, a.block);
    }
  }

  private ring(symbol: string): TickRing | undefined {
    const k = key(symbol);
    let r = this.rings.get(k);
    if (r === undefined && this.inbox !== undefined) {
      this.sync();
      r = this.rings.get(k);
    }
    return r;
  }

  private readonly missing = (): void => this.sync();

  /** Registers a symbol with no ticks (so it is listed by {@link symbols}); no-op when present. */
  register(symbol: string): void {
    const s = normalizeSymbol(symbol, "TickStore.register", "symbol");
    if (!this.rings.has(s)) this.addRing(s);
  }

  private addRing(s: string): TickRing {
    if (this.inbox !== undefined) throw new TypeError("TickStore: this is the read-only end of a shared store (the ingestion worker writes it)");
    const init = TickRing.createInit(this.capacity);
    const r = this.writerRing(s, init);
    this.rings.set(s, r);
    this.announce?.postMessage({ kind: "ring", symbol: s, ring: init } satisfies StoreAnnouncement);
    return r;
  }

  /**
   * Appends one tick. `symbol` must already be lower-case (the ingestion's decoder guarantees it); values
   * are stored as given (the decoder rejects invalid ones). O(1).
   * @throws TypeError on the read-only end of a shared store.
   */
  append(symbol: string, time: number, price: number, qty: number): void {
    const t = this.scratch;
    t.time = time;
    t.price = price;
    t.qty = qty;
    this.appendTick(symbol, t);
  }

  private readonly scratch: RingTick = { time: NaN, price: NaN, qty: NaN };

  /**
   * {@link append} for a record (`tick.time`, `tick.price`, `tick.qty`): the ingestion's hot path (no double crosses
   * a call, so none is boxed per tick). Same rules and errors as {@link append}. O(1) amortized.
   *
   * @example
   * store.appendTick("btcusdt", { time: 1_700_000_000_000, price: 97000.5, qty: 0.002 });
   */
  appendTick(symbol: string, tick: RingTick): void {
    let r = symbol === this.lastKey ? this.lastRing : this.rings.get(symbol);
    if (r === undefined) {
      const k = normalizeSymbol(symbol, "TickStore.append", "symbol");
      r = this.rings.get(k) ?? this.addRing(k);
    }
    if (this.inbox !== undefined) throw new TypeError("TickStore: this is the read-only end of a shared store (the ingestion worker writes it)");
    this.lastKey = symbol;
    this.lastRing = r;
    r.appendTick(tick);
  }

  /** Symbols known to the store (lower-case), in registration order. */
  symbols(): string[] {
    this.sync();
    return [...this.rings.keys()];
  }

  /** Ticks currently retained for `symbol` (0 for an unknown symbol). O(1). */
  size(symbol: string): number {
    const r = this.ring(symbol);
    return r === undefined ? 0 : Math.min(r.published(), this.capacity);
  }

  /** Total ticks ever appended for `symbol` (monotonic; 0 for an unknown symbol). O(1). */
  sequence(symbol: string): number {
    return this.ring(symbol)?.published() ?? 0;
  }

  /** Ticks evicted (overwritten) for `symbol` so far. O(1). */
  evicted(symbol: string): number {
    const r = this.ring(symbol);
    return r === undefined ? 0 : Math.max(0, r.published() - this.capacity);
  }

  /** Bytes held by the columns of `symbol` (allocated, not just used). */
  bytes(symbol: string): number {
    this.sync();
    return this.ring(symbol)?.bytes() ?? 0;
  }

  /** Copies of all retained ticks of `symbol`, oldest first (empty columns for an unknown symbol). O(n). */
  ticks(symbol: string): TickColumns {
    const r = this.ring(symbol);
    if (r === undefined) return emptyColumns(0);
    const seq = r.published();
    return this.read(r, Math.max(0, seq - this.capacity), seq).ticks;
  }

  /** Copies `[from, to)`; cuts ticks overwritten during the copy (returned as `cut`). */
  private read(r: TickRing, from: number, to: number): { ticks: TickColumns; cut: number } {
    if (to <= from) return { ticks: emptyColumns(0), cut: 0 };
    const out = emptyColumns(to - from);
    const safe = r.copy(from, to, out, this.missing, this.inbox !== undefined);
    if (safe <= from) return { ticks: out, cut: 0 };
    const k = Math.min(safe, to) - from;
    return { ticks: { time: out.time.slice(k), price: out.price.slice(k), qty: out.qty.slice(k) }, cut: k };
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
    const r = this.ring(symbol);
    if (r === undefined) return { ticks: emptyColumns(0), nextSeq: 0, dropped: 0 };
    const total = r.published();
    const firstRetained = Math.max(0, total - this.capacity);
    const from = Math.max(seq, firstRetained);
    const dropped = Math.max(0, Math.min(firstRetained, total) - seq);
    if (from >= total) return { ticks: emptyColumns(0), nextSeq: total, dropped: seq < total ? dropped : 0 };
    const { ticks, cut } = this.read(r, from, total);
    return { ticks, nextSeq: total, dropped: dropped + cut };
  }

  /**
   * Zero-copy read: the retained ticks of `symbol` with sequence ≥ `fromSequence` (default 0: all retained
   * ticks, the same ticks as {@link ticks}) as per-block `Float64Array` views over the shared blocks, with
   * no copy — O(blocks) = O(n / B) with B up to 8,192 ticks per block (≈ 610 views for 5M ticks), against
   * O(n) for `ticks()`.
   *
   * Contract (a sequence lock; the writer is never blocked): the writer keeps appending and reuses the
   * oldest block when the ring wraps, so a view can be overwritten while it is read. Read what you need,
   * *then* call `valid()`: if it returns true, everything read before the call was intact and in order; if
   * false, discard what was read (or keep only ticks ≥ `intactFrom()`, checked the same way) and read
   * again. Tick `j` stays intact while the publish count is ≤ `j + span − maxLead` (see {@link TickRing}:
   * `span = slots × B` ≤ 1.25 × capacity, `maxLead` ≤ 1,024), so the oldest retained tick has a margin of
   * `span − capacity − maxLead` appends: 12,480 at the default capacity 5,000,000, 14,784 at 1,000,000, but
   * 0 at 1,000 (its views then stay valid only until the writer's next publish); newer ticks have that much
   * more. An unknown symbol gives empty views (`valid()` true).
   * Local stores (one thread) work the same way: their views change only when this thread appends.
   * Use {@link ticks} / {@link ticksSince} for copies that never change.
   *
   * @throws RangeError (E_PARAM) when `fromSequence` is not an integer ≥ 0.
   * @example
   * const store = new TickStore(3);
   * for (let i = 1; i <= 4; i++) store.append("btcusdt", i * 1000, 100 + i, 0.5);
   * const v = store.views("btcusdt"); // { from: 1, nextSeq: 4, length: 3, dropped: 1, blocks: [...] }
   * let sum = 0;
   * for (const b of v.blocks) for (let i = 0; i < b.price.length; i++) sum += b.price[i];
   * v.valid(); // true: sum (309) was read from intact ticks
   */
  views(symbol: string, fromSequence = 0): TickViews {
    if (typeof fromSequence !== "number" || !Number.isInteger(fromSequence) || fromSequence < 0) {
      throw parameterRangeError("TickStore.views", "fromSequence", "an integer >= 0", fromSequence);
    }
    const r = this.ring(symbol);
    if (r === undefined) return { blocks: [], from: 0, nextSeq: 0, length: 0, dropped: 0, valid: () => true, intactFrom: () => 0 };
    const concurrent = this.inbox !== undefined;
    const total = r.published();
    // Retained and not already being overwritten (the seqlock bound at creation).
    const firstKept = Math.min(total, Math.max(0, total - this.capacity, r.firstIntact(concurrent)));
    const from = Math.min(Math.max(fromSequence, firstKept), total);
    const dropped = Math.max(0, Math.min(firstKept, total) - fromSequence);
    const blocks = from < total ? r.views(from, total, this.missing) : [];
    const intactFrom = (): number => Math.min(total, Math.max(from, r.firstIntact(concurrent)));
    return { blocks, from, nextSeq: total, length: total - from, dropped, valid: () => intactFrom() === from || from === total, intactFrom };
  }

  /** The latest tick of `symbol`, or undefined. O(1). */
  last(symbol: string): { time: number; price: number; qty: number } | undefined {
    const r = this.ring(symbol);
    if (r === undefined) return undefined;
    for (;;) {
      const seq = r.published();
      if (seq === 0) return undefined;
      const t = r.at(seq - 1, this.missing, this.inbox !== undefined);
      if (t !== undefined) return t;
    }
  }
}

function key(symbol: string): string {
  return typeof symbol === "string" ? symbol.trim().toLowerCase() : String(symbol);
}

function emptyColumns(n: number): TickColumns {
  return { time: new Float64Array(n), price: new Float64Array(n), qty: new Float64Array(n) };
}
