import { bookTickerFrame, demoBookTickers } from "../quotes/demo-book-tickers";
import type { Tape } from "./demo-tape";
import { hashString } from "./trade-simulator";

/**
 * The demo exchange's book tickers for one symbol, derived from its trade {@link Tape} so that **every
 * trade prints at the bid or the ask of the quote in force** (`demoBookTickers`: the quote at the trade's
 * own `T`, then 2 seeded size-only updates strictly before the next trade). Created on the first
 * `@bookTicker` subscription (a trade-only client costs nothing), it covers the tape's retained trades
 * and then follows the tape with {@link catchUp}. Trade k's quotes are generated once the next trade
 * exists (the size-only updates need its time), so the newest trade's quote lags by one trade. `u` is
 * contiguous from 1. Quote j (0-based) sits at `j % capacity` while retained. O(1) amortised per quote.
 */
export class QuoteTape {
  readonly capacity: number;
  time: Float64Array;
  updateId: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
  /** Quotes ever generated. */
  total = 0;
  /** Next trade index of the tape to quote. */
  private next: number;
  private chunk = 0;

  constructor(
    readonly tape: Tape,
    private readonly seed: number,
  ) {
    this.capacity = 3 * tape.capacity;
    this.time = new Float64Array(this.capacity);
    this.updateId = new Float64Array(this.capacity);
    this.bid = new Float64Array(this.capacity);
    this.bidQty = new Float64Array(this.capacity);
    this.ask = new Float64Array(this.capacity);
    this.askQty = new Float64Array(this.capacity);
    this.next = tape.first;
  }

  /** Oldest retained quote index. */
  get first(): number {
    return Math.max(0, this.total - this.capacity);
  }

  /** Generates the quotes of every tape trade that has a successor (all but the newest). O(new trades). */
  catchUp(): void {
    const tape = this.tape;
    if (this.next < tape.first) this.next = tape.first;
    const end = tape.total - 1; // the newest trade waits for its successor
    const n = end - this.next;
    if (n <= 0) return;
    // Trades next … end (inclusive of `end` only to bound the size-only updates of end − 1).
    const time = new Float64Array(n + 1);
    const price = new Float64Array(n + 1);
    const maker = new Uint8Array(n + 1);
    for (let j = 0; j <= n; j++) {
      const k = (this.next + j) % tape.capacity;
      time[j] = tape.time[k];
      price[j] = tape.price[k];
      maker[j] = tape.maker[k];
    }
    const q = demoBookTickers(
      { time, price, buyerIsMaker: maker },
      { tick: 10 ** -tape.decimals, seed: (this.seed ^ hashString(`${tape.symbol}:${this.chunk++}`)) >>> 0, firstUpdateId: this.total + 1 },
    );
    // The last quote generated is trade `end`'s own (no size-only updates follow the last trade): it is
    // regenerated with its successor next time, so keep everything before it.
    const m = q.time.length - 1;
    for (let j = 0; j < m; j++) {
      const s = this.total % this.capacity;
      this.time[s] = q.time[j];
      this.updateId[s] = this.total + 1;
      this.bid[s] = q.bid[j];
      this.bidQty[s] = q.bidQty[j];
      this.ask[s] = q.ask[j];
      this.askQty[s] = q.askQty[j];
      this.total++;
    }
    this.next = end;
  }

  /** Binance `bookTicker` text of quote `j` (wrapped as `{"stream":…,"data":…}` when `combined`). O(1). */
  frame(j: number, combined: boolean): string {
    const s = j % this.capacity;
    const body = bookTickerFrame(
      this.tape.symbol,
      { updateId: this.updateId[s], time: this.time[s], bid: this.bid[s], bidQty: this.bidQty[s], ask: this.ask[s], askQty: this.askQty[s] },
      this.tape.decimals,
    );
    return combined ? `{"stream":"${this.tape.symbol}@bookTicker","data":${body}}` : body;
  }
}
