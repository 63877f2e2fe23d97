/** Largest block, in ticks (8,192 ticks × 3 columns × 8 bytes = 192 KiB). */
const MAX_BLOCK_SHIFT = 13;

/** Column copies of a tick range, oldest first. */
export interface RingColumns {
  time: Float64Array;
  price: Float64Array;
  qty: Float64Array;
}

/** One tick's values (trade time epoch ms, price, quantity), passed by record to {@link TickRing.appendTick}. */
export interface RingTick {
  time: number;
  price: number;
  qty: number;
}

/** Everything another thread needs to attach to a ring: its publish header and its capacity. */
export interface TickRingInit {
  /** 8-byte header: `BigInt64Array[0]` = ticks ever published (the publish count). */
  header: SharedArrayBuffer;
  capacity: number;
}

/**
 * One symbol's tick ring in shared memory, with one writer thread and any number of reader threads.
 *
 * Layout: `slots` block slots of `B` ticks each (B a power of two ≤ 8,192); tick number `i` (0-based, in
 * append order) lives in slot `⌊i / B⌋ mod slots` at offset `i mod B`. A block is one `SharedArrayBuffer`
 * of 3 × B doubles: time `[0, B)`, price `[B, 2B)`, qty `[2B, 3B)`; blocks are allocated when first
 * reached and then reused by the ring forever, so eviction moves no data: tick `i` is evicted when tick
 * `i + capacity` is appended and physically overwritten when tick `i + span` is (`span = slots × B ≥
 * capacity + B − 1`).
 *
 * Publication: the writer stores a tick's three values, then `Atomics.store`s the new publish count `seq`
 * in the header (a sequentially consistent store orders the data before it) — per tick, or (deferred, the
 * ingestion worker) once per synchronous burst and at least every `maxLead` ticks. A reader loads the count
 * (`s0`), copies ticks `< s0`, then loads it again (`s1`): while the writer may be writing ticks up to
 * `s1 + maxLead − 1`, ticks `< s1 + maxLead − span` may have been overwritten during the copy, so those are
 * cut off the front of the copy and reported as evicted (a sequence lock whose sequence is the publish count
 * itself). A reader therefore never returns a torn or half-written tick, and never blocks the writer.
 *
 * Memory: ≤ 1.25 × capacity slots once full (24 bytes per slot ⇒ ≤ 30 bytes per stored tick).
 * Complexity: `append` O(1); `copy` O(k) for k ticks. Used through {@link TickStore}.
 *
 * @example
 * const ring = new TickRing(TickRing.createInit(1000)); // a reader elsewhere: new TickRing(sameInit)
 * ring.append(1_700_000_000_000, 97000.5, 0.002);
 * ring.published(); // 1
 */
export class TickRing {
  readonly capacity: number;
  readonly shift: number;
  readonly blockSize: number;
  readonly slotCount: number;
  /** slotCount × blockSize: a tick is physically overwritten `span` appends later. */
  readonly span: number;
  /** Most ticks the writer appends before publishing them (deferred publish): max(1, min(1024, span − capacity)). */
  readonly maxLead: number;
  readonly header: SharedArrayBuffer;
  private readonly publishCount: BigInt64Array;
  /** Blocks by slot (undefined until first reached / announced). */
  readonly blocks: (Float64Array | undefined)[];
  /** Writer side: ticks appended so far (= published count after each append). */
  private written = 0;
  private slot = 0;
  private offset = 0;
  /** Called by the writer when it allocates a block, before the block's first tick is published. */
  onBlock: ((slot: number, block: SharedArrayBuffer) => void) | undefined;

  constructor(init: TickRingInit) {
    const capacity = init.capacity;
    const fits = (b: number): boolean => Math.ceil((capacity + b - 1) / b) * b <= 1.25 * capacity;
    let shift = 0;
    while (shift < MAX_BLOCK_SHIFT && 2 ** (shift + 1) <= capacity / 4 && fits(2 ** (shift + 1))) shift++;
    this.capacity = capacity;
    this.shift = shift;
    this.blockSize = 2 ** shift;
    this.slotCount = Math.ceil((capacity + this.blockSize - 1) / this.blockSize);
    this.span = this.slotCount * this.blockSize;
    // Unpublished ticks the writer may hold: ≤ the slack between span and capacity, so a deferred publish
    // never lets the writer overwrite a tick that readers still count as retained.
    this.maxLead = Math.max(1, Math.min(1024, this.span - capacity));
    this.header = init.header;
    this.publishCount = new BigInt64Array(init.header, 0, 1);
    this.blocks = new Array<Float64Array | undefined>(this.slotCount).fill(undefined);
    this.written = Number(Atomics.load(this.publishCount, 0));
    this.lastPublished = this.written;
  }

  /** A fresh ring header. */
  static createInit(capacity: number): TickRingInit {
    return { header: new SharedArrayBuffer(8), capacity };
  }

  /** The publish count: ticks ever appended and visible to readers. O(1). */
  published(): number {
    return Number(Atomics.load(this.publishCount, 0));
  }

  /**
   * Writer: appends one tick, O(1) (no tick is ever moved), and publishes it — at once, or with
   * `deferPublish` at the end of the current synchronous run (one microtask per burst: a socket chunk of
   * many frames costs one atomic store, not one per tick).
   */
  append(time: number, price: number, qty: number): void {
    const t = this.scratch;
    t.time = time;
    t.price = price;
    t.qty = qty;
    this.appendTick(t);
  }

  private readonly scratch: RingTick = { time: NaN, price: NaN, qty: NaN };

  /**
   * {@link append} for a record: the ingestion's hot path, where no double crosses a call boundary (V8 boxes
   * doubles passed to a call it does not inline: one heap number each, per tick). O(1).
   */
  appendTick(tick: RingTick): void {
    const time = tick.time;
    const price = tick.price;
    const qty = tick.qty;
    let b = this.blocks[this.slot];
    if (b === undefined) {
      const sab = new SharedArrayBuffer(3 * this.blockSize * 8);
      b = new Float64Array(sab);
      this.blocks[this.slot] = b;
      this.onBlock?.(this.slot, sab);
    }
    const B = this.blockSize;
    const off = this.offset;
    b[off] = time;
    b[B + off] = price;
    b[2 * B + off] = qty;
    this.written++;
    if (++this.offset === B) {
      this.offset = 0;
      if (++this.slot === this.slotCount) this.slot = 0;
    }
    if (!this.deferPublish || this.written - this.lastPublished >= this.maxLead) this.publish();
    else if (!this.publishQueued) {
      this.publishQueued = true;
      queueMicrotask(this.publish);
    }
  }

  /** Publish at the end of the current synchronous run instead of per append (the shared store's writer). */
  deferPublish = false;
  private publishQueued = false;
  private lastPublished = 0;

  /** Makes every appended tick visible to readers (a deferred publish also happens at least every 1,024 ticks). */
  readonly publish = (): void => {
    this.publishQueued = false;
    if (this.lastPublished === this.written) return;
    this.lastPublished = this.written;
    Atomics.store(this.publishCount, 0, BigInt(this.written));
  };

  /** Reader: installs a block announced by the writer. */
  attachBlock(slot: number, block: SharedArrayBuffer): void {
    this.blocks[slot] = new Float64Array(block);
  }

  /** Bytes held by the allocated blocks. */
  bytes(): number {
    let n = 0;
    for (const b of this.blocks) if (b !== undefined) n += b.byteLength;
    return n;
  }

  /**
   * Copies ticks `[from, to)` (publish numbers) into new columns. The caller passes a range of published,
   * retained ticks; `missing(slot)` is called for a block this thread does not know yet and must install it.
   * `concurrent`: another thread may be appending. Returns the first tick number that is guaranteed intact (≥ from): the copy's ticks before it must be
   * discarded (they were overwritten during the copy). O(to − from).
   */
  copy(from: number, to: number, out: RingColumns, missing: (slot: number) => void, concurrent = true): number {
    let w = 0;
    for (const view of this.views(from, to, missing)) {
      out.time.set(view.time, w);
      out.price.set(view.price, w);
      out.qty.set(view.qty, w);
      w += view.time.length;
    }
    // Sequence check: the writer may be writing ticks up to s1 + maxLead − 1 (published: s1), which
    // overwrite ticks up to s1 + maxLead − 1 − span.
    if (!concurrent) return from;
    const s1 = this.published();
    return Math.max(from, s1 + this.maxLead - this.span);
  }

  /**
   * The seqlock bound: the first tick number that is still guaranteed intact right now. Every tick below it
   * may have been overwritten (or be being overwritten) by the writer. A reader that read ticks `≥ from`
   * and then finds `firstIntact() ≤ from` knows that everything it read was intact. `concurrent`: another
   * thread writes (this is a reader's ring), so the writer may hold up to `maxLead − 1` unpublished ticks;
   * otherwise this instance is the writer and its own append count is exact. O(1), one atomic load.
   */
  firstIntact(concurrent = true): number {
    return concurrent ? this.published() + this.maxLead - this.span : this.written - this.span;
  }

  /**
   * Zero-copy read: ticks `[from, to)` (publish numbers) as per-block `subarray` views over the shared
   * blocks, oldest first (at most ⌈(to − from) / B⌉ + 1 entries; no tick is copied). The caller passes a range of
   * published, retained ticks and checks {@link firstIntact} after using the views. O(blocks).
   */
  views(from: number, to: number, missing: (slot: number) => void): RingColumns[] {
    const B = this.blockSize;
    const out: RingColumns[] = [];
    let i = from;
    while (i < to) {
      const blockNo = Math.floor(i / B);
      const slot = blockNo % this.slotCount;
      let b = this.blocks[slot];
      if (b === undefined) {
        missing(slot);
        b = this.blocks[slot];
        if (b === undefined) throw new Error(`TickRing: block ${slot} was published but never announced`);
      }
      const off = i - blockNo * B;
      const n = Math.min(to - i, B - off);
      out.push({ time: b.subarray(off, off + n), price: b.subarray(B + off, B + off + n), qty: b.subarray(2 * B + off, 2 * B + off + n) });
      i += n;
    }
    return out;
  }

  /** Reads tick `i` (must be published and retained); undefined if it was overwritten meanwhile. */
  at(i: number, missing: (slot: number) => void, concurrent = true): { time: number; price: number; qty: number } | undefined {
    const out = { time: new Float64Array(1), price: new Float64Array(1), qty: new Float64Array(1) };
    const safe = this.copy(i, i + 1, out, missing, concurrent);
    if (safe > i) return undefined;
    return { time: out.time[0], price: out.price[0], qty: out.qty[0] };
  }
}
