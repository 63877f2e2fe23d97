/**
 * Exactly-once bookkeeping of one symbol's trade ids. `@trade` ids (`t`) are contiguous per symbol, so a
 * jump is a gap and a repeat is a duplicate; spent ids (price 0, qty 0) consume an id and are fed through
 * {@link TradeSequence.accept} like trades, so they never look like gaps. For `@aggTrade` the aggregate id
 * `a` is contiguous: a jump in `a` is a gap, and the missing trade count is estimated from the underlying
 * ids (`f` minus the previous `l`, minus one), falling back to the number of missing aggregates. A jump of
 * `f` without a jump of `a` is not a gap (spent ids inside the trade-id sequence). O(1) per call.
 *
 * @example
 * const s = new TradeSequence();
 * s.accept(1, 1, 1); s.accept(2, 2, 2); s.accept(5, 5, 5); // true, true, true
 * s.accept(4, 4, 4);            // false (duplicate / stale)
 * [s.gaps, s.missingTrades];    // [1, 2]
 */
export class TradeSequence {
  /** Last accepted id (`t` or `a`), −1 before the first. */
  lastId = -1;
  /** Last underlying trade id (`t` or `l`). */
  lastTradeId = -1;
  gaps = 0;
  missingTrades = 0;
  duplicates = 0;
  outOfOrder = 0;
  restarts = 0;

  /** Records an id; returns false (and counts a duplicate) when `id` is not newer than the last one. */
  accept(id: number, firstTradeId: number, lastTradeId: number): boolean {
    if (this.lastId >= 0) {
      if (id <= this.lastId) {
        this.duplicates++;
        return false;
      }
      if (id > this.lastId + 1) {
        this.gaps++;
        this.missingTrades += Math.max(id - this.lastId - 1, firstTradeId - this.lastTradeId - 1);
      }
    } else if (this.lastTradeId >= 0) {
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
    this.lastId = id;
    this.lastTradeId = lastTradeId;
    return true;
  }

  /**
   * Forgets the last message id but keeps the last underlying trade id, for a switch between `@trade` and
   * `@aggTrade` of the same exchange (`t` and `f`/`l` share one trade-id space, `a` does not): the next
   * message is a duplicate when its last trade id is not newer (a partly overlapping aggregate is kept), and
   * a gap when its first trade id skips ids. Counters are kept.
   */
  keepTradeIds(): void {
    this.lastId = -1;
  }

  /** Forgets every id (after a switch to another exchange, e.g. live → demo); counters are kept. */
  resetIds(): void {
    this.lastId = -1;
    this.lastTradeId = -1;
  }
}
