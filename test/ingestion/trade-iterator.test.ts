import { describe, expect, it } from "vitest";
import { createTradeIterator } from "../../src/ingestion/trade-iterator";
import type { TradeEvent } from "../../src/ingestion/ingestion-types";

function harness(maxQueue: number, stopped = false) {
  let listener: ((t: TradeEvent) => void) | undefined;
  const stopHooks = new Set<() => void>();
  const source = {
    stopped,
    onTrade: (l: (t: TradeEvent) => void) => {
      listener = l;
      return () => (listener = undefined);
    },
  };
  const it = createTradeIterator(source, stopHooks, { maxQueue });
  const emit = (id: number) => listener?.({ symbol: "btcusdt", id, time: id, price: 1, qty: 1, receivedAt: 0, simulated: true });
  const stop = () => {
    for (const hook of [...stopHooks]) hook();
  };
  return { it, emit, stop, subscribed: () => listener !== undefined, stopHooks };
}

describe("createTradeIterator", () => {
  it("createTradeIterator(maxQueue 5) keeps the newest 5 buffered trades", async () => {
    const h = harness(5);
    for (let id = 1; id <= 10; id++) h.emit(id);
    const got: number[] = [];
    for (let k = 0; k < 5; k++) got.push(((await h.it.next()).value as TradeEvent).id);
    expect(got).toEqual([6, 7, 8, 9, 10]);
  });

  it("a pending next() resolves with the next trade; stop ends it with done", async () => {
    const h = harness(10);
    const pending = h.it.next();
    h.emit(42);
    expect(((await pending).value as TradeEvent).id).toBe(42);
    const waiting = h.it.next();
    h.stop();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(h.subscribed()).toBe(false);
    expect(await h.it.next()).toEqual({ value: undefined, done: true });
  });

  it("return() (break in for await) unsubscribes", async () => {
    const h = harness(10);
    h.emit(1);
    for await (const t of h.it) {
      expect(t.id).toBe(1);
      break;
    }
    expect(h.subscribed()).toBe(false);
    expect(h.stopHooks.size).toBe(0);
  });

  it("createTradeIterator(maxQueue 0) throws a RangeError naming maxQueue", () => {
    expect(() => harness(0)).toThrow(/maxQueue/);
  });

  it("an iterator created after stop is done at once", async () => {
    const h = harness(10, true);
    expect(await h.it.next()).toEqual({ value: undefined, done: true });
    expect(h.subscribed()).toBe(false);
  });
});
