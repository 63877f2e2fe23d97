/** Options of {@link TradeSequence}. */
export interface TradeSequenceOptions {
  /** A missing id range becomes a gap only when still missing this long after it opened (ms, default 5,000). */
  graceMs?: number;
  /** Most open (not yet final) missing ranges kept per symbol; beyond it the oldest is final at once (default 4,096). */
  maxHoles?: number;
  /** Open ranges further than this many ids below the newest are final at once (default 1,000,000). */
  windowIds?: number;
  /** A backwards jump of more than this many ids with a trade time not older than the newest is a restart (default 1,000). */
  restartJump?: number;
  /** Called when a missing id range [lo, hi] becomes final, with the trade times before and after it (gap repair). */
  onFinal?: (lo: number, hi: number, timeBefore: number, timeAfter: number) => void;
}

/** One open missing id range [lo, hi], opened at `openedAt` (clock ms); `estTrades`: trades it stands for (aggTrade). */
interface Hole {
  lo: number;
  hi: number;
  openedAt: number;
  estTrades: number;
  /** Trade times of the ids around the range when it opened (a split keeps them: a wider window). */
  timeBefore: number;
  timeAfter: number;
}

/** The fields of a decoded trade a {@link TradeSequence} reads (a `DecodedTrade` is one). */
export interface SequencedTrade {
  id: number;
  firstTradeId: number;
  lastTradeId: number;
  /** Trade time, epoch ms. */
  time: number;
}

/**
 * Exactly-once bookkeeping of one symbol's trade ids, tolerant of late delivery. `@trade` ids (`t`) and
 * `@aggTrade` ids (`a`) are contiguous per symbol. Every id above the newest one opens a *hole* for the
 * ids skipped; an id below the newest is accepted (counted in {@link outOfOrder}) when it lies in an open
 * hole, which it then closes or splits, and is a duplicate otherwise. A hole still open {@link
 * TradeSequenceOptions.graceMs} after it opened becomes final: one gap, its ids in {@link missingTrades}
 * (call {@link settle} with the clock). Memory is bounded: at most `maxHoles` open holes, none further than
 * `windowIds` below the newest id (older ones are final at once).
 *
 * A backwards jump of more than `restartJump` ids (or to below half the newest id) that is not inside an
 * open hole, carrying a trade time newer than the newest accepted one, is an exchange or relay that
 * restarted its ids: the open holes are final, a new sequence starts there and {@link restarts} counts it.
 * (A replay of old trades has old trade times: those are duplicates.)
 *
 * Spent ids (price 0, qty 0) are fed through {@link accept} like trades, so they never look like gaps. For
 * `@aggTrade` the missing trade count of a hole is estimated from the underlying ids (`f` minus the previous
 * `l`, minus one), at least the number of missing aggregates; a jump of `f` without a jump of `a` is not a
 * gap (spent ids inside the trade-id sequence). O(log h) per call for h open holes (O(1) in order).
 *
 * @example
 * const s = new TradeSequence({ graceMs: 1000 });
 * s.accept(1, 1, 1, 0, 0); s.accept(2, 2, 2, 0, 0); s.accept(5, 5, 5, 0, 0); // true, true, true (ids 3–4 open)
 * s.accept(4, 4, 4, 0, 10);  // true: a late trade (outOfOrder 1)
 * s.accept(4, 4, 4, 0, 20);  // false: duplicate
 * s.settle(2000);            // id 3 is still missing after the grace window
 * [s.gaps, s.missingTrades]; // [1, 1]
 */
export class TradeSequence {
  /** Newest accepted id (`t` or `a`), −1 before the first. */
  lastId = -1;
  /** Underlying trade id of the newest id (`t` or `l`), −1 before the first. */
  lastTradeId = -1;
  /** Trade time of the newest accepted id (NaN before the first). */
  lastTime = NaN;
  /** Final gaps (id ranges still missing after the grace window). */
  gaps = 0;
  /** Ids in final gaps (for aggTrade: the estimated underlying trades). */
  missingTrades = 0;
  duplicates = 0;
  /** Ids accepted below the newest one (late delivery). */
  outOfOrder = 0;
  /** Restarts of the id sequence detected. */
  restarts = 0;
  private readonly graceMs: number;
  private readonly maxHoles: number;
  private readonly windowIds: number;
  private readonly restartJump: number;
  private readonly onFinal?: (lo: number, hi: number, timeBefore: number, timeAfter: number) => void;
  /** Open holes, ascending by id (so also by opening time). */
  private holes: Hole[] = [];

  constructor(options: TradeSequenceOptions = {}) {
    this.graceMs = options.graceMs ?? 5_000;
    this.maxHoles = options.maxHoles ?? 4_096;
    this.windowIds = options.windowIds ?? 1_000_000;
    this.restartJump = options.restartJump ?? 1_000;
    this.onFinal = options.onFinal;
  }

  /** Ids in open holes (missing, but still inside the grace window). */
  get pendingIds(): number {
    let n = 0;
    for (const h of this.holes) n += h.hi - h.lo + 1;
    return n;
  }

  /**
   * Records a message's ids: `id` (`t` or `a`), its underlying trade ids `firstTradeId..lastTradeId`, its
   * trade time and the clock's `now` (ms). Returns false (counting a duplicate) when the id was already
   * accepted or is not in an open hole.
   */
  accept(id: number, firstTradeId: number, lastTradeId: number, time = NaN, now = 0): boolean {
    const r = this.scratch;
    r.id = id;
    r.firstTradeId = firstTradeId;
    r.lastTradeId = lastTradeId;
    r.time = time;
    this.now = now;
    return this.acceptTrade(r);
  }

  /** Clock ms used by {@link acceptTrade} for a hole's opening time: the last {@link settle} or {@link accept} `now`. */
  private now = 0;
  private readonly scratch: SequencedTrade = { id: 0, firstTradeId: 0, lastTradeId: 0, time: NaN };

  /**
   * {@link accept} for a record (the decoder's output), with `now` = the clock at the last {@link settle}: the
   * ingestion's hot path. No double crosses a call boundary (V8 boxes doubles passed to a call it does not
   * inline: one heap number each, per frame). O(log h) for h open holes.
   *
   * @example
   * const s = new TradeSequence();
   * s.settle(0);
   * s.acceptTrade({ id: 1, firstTradeId: 1, lastTradeId: 1, time: 1_700_000_000_000 }); // true
   */
  acceptTrade(t: SequencedTrade): boolean {
    const id = t.id;
    const firstTradeId = t.firstTradeId;
    const lastTradeId = t.lastTradeId;
    const time = t.time;
    const now = this.now;
    if (this.lastId < 0) {
      if (this.lastTradeId >= 0) {
        // First message after keepTradeIds(): only the underlying trade ids are comparable.
        if (lastTradeId <= this.lastTradeId) {
          this.duplicates++;
          return false;
        }
        if (firstTradeId > this.lastTradeId + 1) {
          this.gaps++;
          this.missingTrades += firstTradeId - this.lastTradeId - 1;
        }
      }
      return this.advance(id, lastTradeId, time);
    }
    if (id > this.lastId) {
      if (id > this.lastId + 1) {
        const est = Math.max(id - this.lastId - 1, firstTradeId - this.lastTradeId - 1);
        this.holes.push({ lo: this.lastId + 1, hi: id - 1, openedAt: now, estTrades: est, timeBefore: this.lastTime, timeAfter: time });
        this.bound(id);
      }
      return this.advance(id, lastTradeId, time);
    }
    // id ≤ lastId: a late trade in an open hole, a duplicate, or a restart.
    const k = this.findHole(id);
    if (k >= 0) {
      this.fill(k, id, lastTradeId - firstTradeId + 1);
      this.outOfOrder++;
      return true;
    }
    const jumped = this.lastId - id > this.restartJump || id < this.lastId / 2;
    if (jumped && time > this.lastTime) {
      this.restart();
      return this.advance(id, lastTradeId, time);
    }
    this.duplicates++;
    return false;
  }

  private advance(id: number, lastTradeId: number, time: number): true {
    this.lastId = id;
    this.lastTradeId = lastTradeId;
    if (!(time < this.lastTime)) this.lastTime = time;
    return true;
  }

  /** Index of the open hole containing `id`, or −1 (binary search). */
  private findHole(id: number): number {
    const h = this.holes;
    let lo = 0;
    let hi = h.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (h[mid].hi < id) lo = mid + 1;
      else if (h[mid].lo > id) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** Removes `id` from hole `k` (shrinks, splits or closes it). */
  private fill(k: number, id: number, trades: number): void {
    const h = this.holes[k];
    const est = Math.max(0, h.estTrades - Math.max(1, trades));
    if (h.lo === h.hi) this.holes.splice(k, 1);
    else if (id === h.lo) {
      h.lo++;
      h.estTrades = est;
    } else if (id === h.hi) {
      h.hi--;
      h.estTrades = est;
    } else {
      // Split: the estimate is shared in proportion to the ids on each side.
      const left = id - h.lo;
      const right = h.hi - id;
      const leftEst = Math.round((est * left) / (left + right));
      this.holes.splice(k, 1, { ...h, lo: h.lo, hi: id - 1, estTrades: Math.max(left, leftEst) }, { ...h, lo: id + 1, hi: h.hi, estTrades: Math.max(right, est - leftEst) });
    }
  }

  /** Keeps at most `maxHoles` open holes, none further than `windowIds` below `newest`. */
  private bound(newest: number): void {
    let drop = 0;
    while (drop < this.holes.length && (this.holes.length - drop > this.maxHoles || this.holes[drop].hi < newest - this.windowIds)) drop++;
    if (drop > 0) this.finalize(drop);
  }

  /** Makes the first `n` open holes final gaps. */
  private finalize(n: number): void {
    for (let k = 0; k < n; k++) {
      const h = this.holes[k];
      this.gaps++;
      this.missingTrades += Math.max(h.hi - h.lo + 1, h.estTrades);
    }
    const done = this.holes.splice(0, n);
    if (this.onFinal !== undefined) for (const h of done) this.onFinal(h.lo, h.hi, h.timeBefore, h.timeAfter);
  }

  /** Makes final every open hole that opened at least `graceMs` before `now`. O(holes made final). */
  settle(now: number): void {
    this.now = now;
    // Holes are ascending by id, which is also their opening order (holes open at the top; a split keeps its time).
    let n = 0;
    while (n < this.holes.length && now - this.holes[n].openedAt >= this.graceMs) n++;
    if (n > 0) this.finalize(n);
  }

  private restart(): void {
    this.finalize(this.holes.length);
    this.restarts++;
    this.lastId = -1;
    this.lastTradeId = -1;
    this.lastTime = NaN;
  }

  /**
   * Forgets the last message id but keeps the last underlying trade id, for a switch between `@trade` and
   * `@aggTrade` of the same exchange (`t` and `f`/`l` share one trade-id space, `a` does not): the next
   * message is a duplicate when its last trade id is not newer (a partly overlapping aggregate is kept), and
   * a gap when its first trade id skips ids. Open holes become final; counters are kept.
   */
  keepTradeIds(): void {
    this.finalize(this.holes.length);
    this.lastId = -1;
  }

  /** Forgets every id (after a switch to another exchange, e.g. live → demo); open holes become final; counters are kept. */
  resetIds(): void {
    this.finalize(this.holes.length);
    this.lastId = -1;
    this.lastTradeId = -1;
    this.lastTime = NaN;
  }
}
