import type { TradeEvent } from "./ingestion-types";

/** Shared state of the worker → kernel trade-event queue (structured-cloneable). */
export interface TradeQueueInit {
  /** Int32 counters: [0] events consumed by the kernel thread, [1] events dropped on overflow. */
  counters: SharedArrayBuffer;
  /** Most events in flight (posted, not yet delivered on the kernel thread) before new ones are dropped. */
  maxInFlight: number;
  /** `performance.timeOrigin` of the kernel thread, to express `receivedAt` on its clock. */
  timeOrigin: number;
}

/** One posted batch: `n` trades, 5 numbers each (id, time, price, qty, receivedAt) plus a symbol index. */
export interface TradeBatch {
  type: "trades";
  simulated: boolean;
  symbol: Uint16Array;
  numbers: Float64Array;
}

const BATCH = 4096;

/**
 * Worker side of the `onTrade` / `trades()` delivery: collects stored trades into columnar batches
 * (posted with transferred buffers at the end of the event-loop turn, or every 4,096 trades) and bounds
 * the events in flight to the kernel thread: while the kernel thread is blocked it cannot deliver, so
 * beyond `maxInFlight` undelivered events the newest are dropped and counted (the store still has them).
 * O(1) per trade.
 *
 * @example
 * const batcher = new TradeBatcher(queueInit, runner.symbols, (batch, transfer) => parentPort.postMessage(batch, transfer));
 * runner.onTrade((t) => batcher.push(t));
 */
export class TradeBatcher {
  private readonly counters: Int32Array;
  private readonly maxInFlight: number;
  private readonly shift: number;
  private readonly index = new Map<string, number>();
  private symbol = new Uint16Array(BATCH);
  private numbers = new Float64Array(5 * BATCH);
  private n = 0;
  private simulated = false;
  private posted = 0;
  private scheduled = false;

  constructor(
    init: TradeQueueInit,
    symbols: readonly string[],
    private readonly post: (batch: TradeBatch, transfer: ArrayBuffer[]) => void,
  ) {
    this.counters = new Int32Array(init.counters);
    this.maxInFlight = init.maxInFlight;
    this.shift = performance.timeOrigin - init.timeOrigin;
    symbols.forEach((s, i) => this.index.set(s, i));
  }

  /** Events dropped because the kernel thread had `maxInFlight` undelivered events. */
  overflow(): number {
    return Atomics.load(this.counters, 1);
  }

  push(t: TradeEvent): void {
    const i = this.index.get(t.symbol);
    if (i === undefined) return;
    if (((this.posted + this.n - Atomics.load(this.counters, 0)) | 0) >= this.maxInFlight) {
      Atomics.add(this.counters, 1, 1);
      return;
    }
    if (this.n > 0 && t.simulated !== this.simulated) this.flush();
    this.simulated = t.simulated;
    const k = this.n++;
    this.symbol[k] = i;
    const o = 5 * k;
    const num = this.numbers;
    num[o] = t.id;
    num[o + 1] = t.time;
    num[o + 2] = t.price;
    num[o + 3] = t.qty;
    num[o + 4] = t.receivedAt + this.shift;
    if (this.n === BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Posts the pending trades now. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const symbol = this.symbol.slice(0, n);
    const numbers = this.numbers.slice(0, 5 * n);
    this.posted = (this.posted + n) | 0;
    this.n = 0;
    this.post({ type: "trades", simulated: this.simulated, symbol, numbers }, [symbol.buffer, numbers.buffer]);
  }
}

/**
 * Kernel side: turns a {@link TradeBatch} back into events, in order, and acknowledges them (so the worker
 * may send more). O(n).
 *
 * @example
 * worker.on("message", (m) => m.type === "trades" && deliverBatch(m, symbols, counters, (t) => console.log(t.price)));
 */
export function deliverBatch(batch: TradeBatch, symbols: readonly string[], counters: Int32Array, deliver: (t: TradeEvent) => void): void {
  const { symbol, numbers, simulated } = batch;
  for (let k = 0; k < symbol.length; k++) {
    const o = 5 * k;
    deliver({ symbol: symbols[symbol[k]], id: numbers[o], time: numbers[o + 1], price: numbers[o + 2], qty: numbers[o + 3], receivedAt: numbers[o + 4], simulated });
  }
  Atomics.add(counters, 0, symbol.length);
}
