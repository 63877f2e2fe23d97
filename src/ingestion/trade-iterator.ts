import type { TradeEvent } from "./ingestion-types";

/**
 * Builds the async iterator behind `Ingestion.trades()`: it subscribes a listener, buffers trades in a
 * bounded FIFO (beyond `maxQueue` the oldest buffered trade is dropped, so a slow consumer cannot exhaust
 * memory), and ends (`done: true`) when the ingestion stops or the consumer calls `return()` (e.g. `break`
 * in `for await`). While a `next()` is pending, a ref'd timer keeps the process alive (the sockets are
 * unref'd), like any awaited I/O. O(1) per trade.
 *
 * @param subscribe adds a trade listener and returns its unsubscribe function.
 * @param onStop registers a hook run at stop() and returns its unregister function.
 * @param alreadyStopped true when the ingestion is stopped: the iterator is done at once.
 * @example
 * for await (const t of ingestion.trades()) { console.log(t.symbol, t.price); if (t.qty > 10) break; }
 */
export function createTradeIterator(
  subscribe: (listener: (t: TradeEvent) => void) => () => void,
  onStop: (hook: () => void) => () => void,
  alreadyStopped: boolean,
  maxQueue: number,
): AsyncIterableIterator<TradeEvent> {
  const queue: TradeEvent[] = [];
  let head = 0;
  let wake: ((r: IteratorResult<TradeEvent>) => void) | undefined;
  let done = alreadyStopped;
  const finish = (): void => {
    done = true;
    unsubscribe();
    unregister();
    if (wake) wake({ value: undefined, done: true });
    wake = undefined;
  };
  const unsubscribe = subscribe((t) => {
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
  const unregister = onStop(finish);
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
