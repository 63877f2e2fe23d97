import { describe, expect, it } from "vitest";
import type { TradeEvent } from "../../src/ingestion/ingestion-types";
import { TradeBatcher, deliverBatch, type TradeBatch } from "../../src/ingestion/trade-batcher";

const symbols = ["btcusdt", "ethusdt"];
const trade = (symbol: string, id: number): TradeEvent => ({ symbol, id, time: 1_700_000_000_000 + id, price: 100 + id, qty: 0.5, receivedAt: id, simulated: false });

describe("TradeBatcher / deliverBatch (worker → kernel events)", () => {
  it("TradeBatcher(maxInFlight 10) bounds undelivered events: beyond 10 the newest are dropped and counted; acknowledged ones free room", () => {
    const counters = new Int32Array(new SharedArrayBuffer(8));
    const posted: TradeBatch[] = [];
    const b = new TradeBatcher({ counters: counters.buffer as SharedArrayBuffer, maxInFlight: 10, timeOrigin: performance.timeOrigin }, symbols, (batch) => posted.push(batch));
    for (let id = 1; id <= 25; id++) b.push(trade("btcusdt", id));
    b.flush();
    expect(b.overflow()).toBe(15);
    expect(posted.reduce((n, p) => n + p.symbol.length, 0)).toBe(10);
    // The kernel thread delivers (and acknowledges) them in order.
    const seen: TradeEvent[] = [];
    for (const p of posted) deliverBatch(p, symbols, counters, (t) => seen.push(t));
    expect(seen.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seen[0]).toEqual({ ...trade("btcusdt", 1), receivedAt: seen[0].receivedAt });
    for (let id = 26; id <= 30; id++) b.push(trade("ethusdt", id));
    b.flush();
    expect(b.overflow()).toBe(15); // room again after the acknowledgement
    const more: TradeEvent[] = [];
    deliverBatch(posted[posted.length - 1], symbols, counters, (t) => more.push(t));
    expect(more.map((t) => `${t.symbol}:${t.id}`)).toEqual(["ethusdt:26", "ethusdt:27", "ethusdt:28", "ethusdt:29", "ethusdt:30"]);
  });

  it("TradeBatcher.push() posts a full batch at 4,096 trades and the rest at the end of the event-loop turn; a change of `simulated` starts a new batch", async () => {
    const counters = new Int32Array(new SharedArrayBuffer(8));
    const posted: TradeBatch[] = [];
    const b = new TradeBatcher({ counters: counters.buffer as SharedArrayBuffer, maxInFlight: 1_000_000, timeOrigin: performance.timeOrigin }, symbols, (batch) => posted.push(batch));
    for (let id = 1; id <= 5_000; id++) b.push(trade("btcusdt", id));
    expect(posted.map((p) => p.symbol.length)).toEqual([4096]);
    b.push({ ...trade("btcusdt", 5_001), simulated: true });
    expect(posted.map((p) => p.symbol.length)).toEqual([4096, 904]);
    await new Promise((r) => setImmediate(r));
    expect(posted.map((p) => [p.symbol.length, p.simulated])).toEqual([[4096, false], [904, false], [1, true]]);
  });
});
