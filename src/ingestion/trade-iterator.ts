import { assertInteger } from "../validate";
import type { TradeEvent } from "./ingestion-types";

/** What {@link createTradeIterator} needs from an ingestion: its trade listeners and its stop hooks. */
export interface TradeIteratorSource {
  /** Adds a trade listener; returns its unsubscribe function. */
  onTrade(listener: (trade: TradeEvent) => void): () => void;
  /** True once the ingestion is stopped: the iterator is then done at once. */
  readonly stopped: boolean;
}

/**
 * Builds the async iterator behind `Ingestion.trades()`: it subscribes a listener, buffers trades in a
 * bounded FIFO (beyond `maxQueue` the oldest buffered trade is dropped, so a slow consumer cannot exhaust
 * memory), and ends (`done: true`) when the ingestion stops or the consumer calls `return()` (e.g. `break`
 * in `for await`). While a `next()` is pending, a ref'd timer keeps the process alive (the sockets are
 * unref'd), like any awaited I/O. O(1) per trade.
 *
 * @param source the ingestion (its `onTrade` and `stopped`).
 * @param stopHooks the ingestion's hooks run at stop(); the iterator adds one and removes it when done.
 * @param options.maxQueue buffered trades kept for a slow consumer, integer ≥ 1 (default 100,000).
 * @throws RangeError (E_PARAM) when maxQueue is not an integer ≥ 1.
 * @example
 * for await (const t of ingestion.trades()) { console.log(t.symbol, t.price); if (t.qty > 10) break; }
 */
export function createTradeIterator(
  source: TradeIteratorSource,
  stopHooks: Set<() => void>,
  options: { maxQueue?: number } = {},
): AsyncIterableIterator<TradeEvent> {
  if (options.maxQueue !== undefined) assertInteger("trades", "maxQueue", options.maxQueue, 1);
  const maxQueue = options.maxQueue ?? 100_000;
  const queue: TradeEvent[] = [];
  let head = 0;
  let wake: ((r: IteratorResult<TradeEvent>) => void) | undefined;
  let done = source.stopped;
  const finish = (): void => {
    done = true;
    unsubscribe();
    unregister();
    if (wake) wake({ value: undefined, done: true });
    wake = undefined;
  };
  const unsubscribe = source.onTrade((t) => {
    if (wake) {
      const w = wake;
      wake = undefined;
      w({ value: t, done: false });
      return;
    }
    queue.push(t);
    if (queue.length - head > maxQueue) head++;
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  });
  stopHooks.add(finish);
  const unregister = (): boolean => stopHooks.delete(finish);
  const it: AsyncIterableIterator<TradeEvent> = {
    next: () => {
      if (head < queue.length) {
        const t = queue[head++];
        return Promise.resolve({ value: t, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      const keepAlive = setInterval(() => undefined, 3_600_000);
      return new Promise<IteratorResult<TradeEvent>>((resolve) => (wake = resolve)).finally(() => clearInterval(keepAlive));
    },
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => it,
  };
  if (done) finish();
  return it;
}
