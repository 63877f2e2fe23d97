import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { TickStore } from "../../src/ingestion/tick-store";

/** Every returned tick must be an intact (time, 2·time, 3·time) triple, consecutive, ending before `seq`. */
function checkColumns(t: { time: Float64Array; price: Float64Array; qty: Float64Array }): string | undefined {
  for (let i = 0; i < t.time.length; i++) {
    const x = t.time[i];
    if (t.price[i] !== 2 * x || t.qty[i] !== 3 * x) return `torn tick at ${i}: ${x} ${t.price[i]} ${t.qty[i]}`;
    if (i > 0 && x !== t.time[i - 1] + 1) return `not consecutive at ${i}: ${t.time[i - 1]} → ${x}`;
  }
  return undefined;
}

describe("TickStore.createShared (one writer thread, reader on this thread)", () => {
  it("createShared(capacity 1000): concurrent reads while a worker appends 2M ticks never see a torn, reordered or missing-in-the-middle tick; ticksSince sees each tick once or counts it dropped", async () => {
    const count = 2_000_000;
    const { reader, writerInit } = TickStore.createShared(1000, ["btcusdt"]);
    const tsx = require.resolve("tsx/cjs");
    const file = join(__dirname, "fixtures-store-writer.ts");
    const worker = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, {
      eval: true,
      workerData: { init: writerInit, count },
      transferList: [writerInit.port],
    });
    let done = false;
    worker.once("message", () => (done = true));
    let next = 0;
    let seen = 0;
    let dropped = 0;
    let reads = 0;
    let nonEmpty = 0;
    let problem: string | undefined;
    while (!done && problem === undefined) {
      const all = reader.ticks("btcusdt");
      problem = checkColumns(all);
      if (all.time.length > 0) nonEmpty++;
      const c = reader.ticksSince("btcusdt", next);
      problem ??= checkColumns(c.ticks);
      if (c.ticks.time.length > 0 && c.ticks.time[0] !== next + c.dropped) problem = `ticksSince(${next}) started at ${c.ticks.time[0]} with dropped ${c.dropped}`;
      seen += c.ticks.time.length;
      dropped += c.dropped;
      next = c.nextSeq;
      const last = reader.last("btcusdt");
      if (last !== undefined && (last.price !== 2 * last.time || last.qty !== 3 * last.time)) problem = `torn last(): ${JSON.stringify(last)}`;
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => worker.once("exit", r));
    expect(problem).toBeUndefined();
    expect(nonEmpty).toBeGreaterThan(10); // the reads really raced the writer
    const c = reader.ticksSince("btcusdt", next);
    seen += c.ticks.time.length;
    dropped += c.dropped;
    expect(seen + dropped).toBe(count);
    expect(reader.sequence("btcusdt")).toBe(count);
    expect(reader.evicted("btcusdt")).toBe(count - 1000);
    expect(Array.from(reader.ticks("btcusdt").time.slice(-2))).toEqual([count - 2, count - 1]);
    expect(reads).toBeGreaterThan(10);
    reader.closeInbox();
  });

  it("createShared(1,000,000): the writer publishes once per synchronous run (≤ 1,024 ticks late), not per tick", async () => {
    const { reader, writerInit } = TickStore.createShared(1_000_000, ["btcusdt"]);
    const writer = TickStore.attachWriter(writerInit);
    for (let i = 0; i < 1000; i++) writer.append("btcusdt", i, 2 * i, 3 * i);
    expect(reader.sequence("btcusdt")).toBe(0);
    for (let i = 1000; i < 3000; i++) writer.append("btcusdt", i, 2 * i, 3 * i);
    expect(reader.sequence("btcusdt")).toBe(2048); // bounded lead: published at 1,024 and 2,048
    await Promise.resolve();
    expect(reader.sequence("btcusdt")).toBe(3000);
    writerInit.port.close();
    reader.closeInbox();
  });

  it("the read-only end: append() and register() throw TypeError", () => {
    const { reader, writerInit } = TickStore.createShared(10, ["btcusdt"]);
    expect(() => reader.append("btcusdt", 1, 1, 1)).toThrow(TypeError);
    expect(() => reader.register("ethusdt")).toThrow(TypeError);
    writerInit.port.close();
    reader.closeInbox();
  });

  it("a writer's new symbol and new blocks reach the reader (published at the end of the writer's synchronous run); simulated is shared", async () => {
    const { reader, writerInit } = TickStore.createShared(100, ["btcusdt"]);
    const writer = TickStore.attachWriter(writerInit);
    for (let i = 0; i < 250; i++) writer.append("solusdt", i, 2 * i, 3 * i);
    // Capacity 100 (blocks of 8, span 112) leaves a slack of 12 slots: the writer publishes at least every 12 ticks, the rest at the end of its run.
    expect(reader.sequence("solusdt")).toBeGreaterThanOrEqual(250 - 12);
    await Promise.resolve();
    expect(reader.sequence("solusdt")).toBe(250);
    writer.simulated = true;
    expect(reader.simulated).toBe(true);
    expect(reader.symbols()).toEqual(["btcusdt", "solusdt"]);
    expect(Array.from(reader.ticks("solusdt").time)).toEqual(Array.from({ length: 100 }, (_, k) => 150 + k));
    writerInit.port.close();
    reader.closeInbox();
  });
});
