import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { TickStore, type TickViews } from "../../src/ingestion/tick-store";
import { mulberry32 } from "../../src/ingestion/trade-simulator";

/** Concatenates the views (a copy, for comparisons). */
function concat(v: TickViews): { time: number[]; price: number[]; qty: number[] } {
  const out = { time: [] as number[], price: [] as number[], qty: [] as number[] };
  for (const b of v.blocks) {
    expect(b.price.length).toBe(b.time.length);
    expect(b.qty.length).toBe(b.time.length);
    out.time.push(...b.time);
    out.price.push(...b.price);
    out.qty.push(...b.qty);
  }
  return out;
}

describe("TickStore.views (zero-copy reads)", () => {
  it("views(symbol) equals ticks(symbol) and views(symbol, s) equals ticksSince(symbol, s) (exact), across capacities, wraps and start sequences (seed 9)", () => {
    const rand = mulberry32(9);
    for (const capacity of [1, 3, 10, 100, 1000, 10_000]) {
      for (const count of [0, 1, capacity - 1, capacity, capacity + 1, 3 * capacity + 7, Math.floor(rand() * 5 * capacity)]) {
        if (count < 0) continue;
        const store = new TickStore(capacity);
        store.register("btcusdt");
        for (let i = 0; i < count; i++) store.append("btcusdt", 1.7e12 + i, 90_000 + rand() * 1000, rand());
        const t = store.ticks("btcusdt");
        const v = store.views("btcusdt");
        const c = concat(v);
        expect(c.time).toEqual(Array.from(t.time));
        expect(c.price).toEqual(Array.from(t.price));
        expect(c.qty).toEqual(Array.from(t.qty));
        expect(v.length).toBe(t.time.length);
        expect(v.nextSeq).toBe(count);
        expect(v.from).toBe(count - t.time.length);
        expect(v.valid()).toBe(true);
        for (const s of [0, Math.max(0, count - capacity - 1), Math.max(0, count - 5), count, count + 3]) {
          const since = store.ticksSince("btcusdt", s);
          const vs = store.views("btcusdt", s);
          expect(concat(vs).price).toEqual(Array.from(since.ticks.price));
          expect([vs.nextSeq, vs.dropped]).toEqual([since.nextSeq, since.dropped]);
          expect(vs.valid()).toBe(true);
        }
      }
    }
  });

  it("views(symbol) are views of the shared blocks, not copies: at most one per block, over a SharedArrayBuffer", () => {
    const store = new TickStore(100_000); // blocks of 8,192 ticks
    for (let i = 0; i < 50_000; i++) store.append("btcusdt", i, 2 * i, 3 * i);
    const v = store.views("btcusdt");
    expect(v.blocks.length).toBe(Math.ceil(50_000 / 8192));
    for (const b of v.blocks) {
      expect(b.time.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(b.price.buffer).toBe(b.time.buffer);
      expect(b.qty.buffer).toBe(b.time.buffer);
    }
    // Aliasing: the next appends land in the last block's buffer, outside the view's bounds.
    const lastLen = v.blocks[v.blocks.length - 1].time.length;
    store.append("btcusdt", 50_000, 100_000, 150_000);
    expect(v.blocks[v.blocks.length - 1].time.length).toBe(lastLen);
    expect(v.valid()).toBe(true);
  });

  it("views(symbol).valid() turns false once the ring overwrites a viewed tick, and intactFrom() says where the intact part starts", () => {
    const store = new TickStore(100); // blocks of 8, span 112: tick j is overwritten by tick j + 112
    for (let i = 0; i < 150; i++) store.append("btcusdt", i, 2 * i, 3 * i);
    const v = store.views("btcusdt");
    expect([v.from, v.nextSeq, v.length, v.dropped]).toEqual([50, 150, 100, 50]);
    for (let i = 150; i < 162; i++) store.append("btcusdt", i, 2 * i, 3 * i); // overwrites ticks 38..49 (evicted already)
    expect(v.valid()).toBe(true);
    store.append("btcusdt", 162, 324, 486); // overwrites tick 50, the first viewed one
    expect(v.valid()).toBe(false);
    expect(v.intactFrom()).toBe(51);
    expect(v.blocks[0].time[0]).toBe(162); // the view aliases the ring: it now shows the new tick
    for (let i = 163; i < 400; i++) store.append("btcusdt", i, 2 * i, 3 * i);
    expect(v.intactFrom()).toBe(150); // capped at nextSeq: nothing intact left
  });

  it("views(unknown) is empty and valid; views(symbol, beyond the sequence) is empty with nextSeq = sequence", () => {
    const store = new TickStore(10);
    const u = store.views("ethusdt");
    expect([u.blocks.length, u.from, u.nextSeq, u.length, u.dropped, u.valid(), u.intactFrom()]).toEqual([0, 0, 0, 0, 0, true, 0]);
    for (let i = 0; i < 4; i++) store.append("btcusdt", i, i, i);
    const b = store.views("BTCUSDT", 9);
    expect([b.blocks.length, b.from, b.nextSeq, b.length, b.dropped, b.valid()]).toEqual([0, 4, 4, 0, 0, true]);
  });

  it("views(symbol, -1 | 1.5 | NaN | '1') throws RangeError E_PARAM naming fromSequence", () => {
    const store = new TickStore(10);
    for (const bad of [-1, 1.5, Number.NaN, "1" as unknown as number]) {
      expect(() => store.views("btcusdt", bad)).toThrow(RangeError);
      expect(() => store.views("btcusdt", bad)).toThrow(/fromSequence/);
    }
    try {
      store.views("btcusdt", -1);
    } catch (e) {
      expect((e as { code: string }).code).toBe("E_PARAM");
    }
  });

  it("views: the JSDoc example (sum of prices 309, valid)", () => {
    const store = new TickStore(3);
    for (let i = 1; i <= 4; i++) store.append("btcusdt", i * 1000, 100 + i, 0.5);
    const v = store.views("btcusdt");
    expect([v.from, v.nextSeq, v.length, v.dropped]).toEqual([1, 4, 3, 1]);
    let sum = 0;
    for (const b of v.blocks) for (let i = 0; i < b.price.length; i++) sum += b.price[i];
    expect(v.valid()).toBe(true);
    expect(sum).toBe(309);
  });

  it("createShared(...).reader.views: sees the writer's published ticks only (deferred publish), equal to ticks()", async () => {
    const { reader, writerInit } = TickStore.createShared(1000, ["btcusdt"]);
    const writer = TickStore.attachWriter(writerInit);
    for (let i = 0; i < 2500; i++) writer.append("btcusdt", i, 2 * i, 3 * i);
    await Promise.resolve();
    const v = reader.views("btcusdt");
    expect(concat(v).time).toEqual(Array.from(reader.ticks("btcusdt").time));
    expect(v.valid()).toBe(true);
    writer.append("btcusdt", 2500, 5000, 7500); // capacity 1,000 leaves the oldest retained tick no margin (see the JSDoc)
    await Promise.resolve();
    expect(v.valid()).toBe(false);
    writerInit.port.close();
    reader.closeInbox();
  });

  it("createShared(1000).reader.views: valid() is false when the writer overwrote a viewed tick with ticks it has not published yet (the maxLead term)", async () => {
    const { reader, writerInit } = TickStore.createShared(1000, ["btcusdt"]); // span 1,152, maxLead 152
    const writer = TickStore.attachWriter(writerInit);
    for (let i = 0; i < 2500; i++) writer.append("btcusdt", i, 2 * i, 3 * i);
    await Promise.resolve();
    const v = reader.views("btcusdt");
    expect([v.from, v.nextSeq]).toEqual([1500, 2500]);
    // One synchronous run of 252 appends: published at 2,652 (after 152), then 100 more unpublished ones,
    // which overwrite ticks 1,500..1,599 (tick j is overwritten by tick j + 1,152).
    for (let i = 2500; i < 2752; i++) writer.append("btcusdt", i, 2 * i, 3 * i);
    expect(reader.sequence("btcusdt")).toBe(2652);
    expect(v.blocks[0].time[0]).toBe(2652); // the view really shows an overwritten tick now
    expect(v.valid()).toBe(false);
    expect(v.intactFrom()).toBe(1652); // 2,652 + 152 − 1,152
    await Promise.resolve();
    writerInit.port.close();
    reader.closeInbox();
  });
});

describe("TickStore.views with a writer thread (sequence lock)", () => {
  it("createShared(capacity 1000): while a worker keeps appending with eviction, no torn, reordered or overwritten tick is ever read from views that valid() accepts", async () => {
    const { reader, writerInit } = TickStore.createShared(1000, ["btcusdt"]);
    const tsx = require.resolve("tsx/cjs");
    const file = join(__dirname, "fixtures-store-writer.ts");
    // The writer would append 10^9 ticks (time = i, price = 2i, qty = 3i); it is terminated once the reads have raced it enough.
    const worker = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, {
      eval: true,
      workerData: { init: writerInit, count: 1e9 },
      transferList: [writerInit.port],
    });
    let accepted = 0;
    let acceptedTicks = 0;
    let rejected = 0;
    let problem: string | undefined;
    const deadline = Date.now() + 30_000;
    let round = 0;
    while (Date.now() < deadline && (accepted < 200 || rejected < 20)) {
      const seq = reader.sequence("btcusdt");
      // Alternate the whole ring (no margin at capacity 1,000: often overwritten while read) and the newest ticks.
      const v = reader.views("btcusdt", round++ % 2 === 0 ? 0 : Math.max(0, seq - 200));
      // Use the views: verify every tick (this is the read the seqlock must protect), then validate.
      let found: string | undefined;
      let expected = v.from;
      for (const b of v.blocks) {
        for (let i = 0; i < b.time.length; i++) {
          const x = b.time[i];
          if (found === undefined && (x !== expected || b.price[i] !== 2 * x || b.qty[i] !== 3 * x)) {
            found = `tick ${expected} read as (${x}, ${b.price[i]}, ${b.qty[i]}) from views [${v.from}, ${v.nextSeq})`;
          }
          expected++;
        }
      }
      if (expected !== v.nextSeq) found ??= `views ended at ${expected}, nextSeq ${v.nextSeq}`;
      if (v.valid()) {
        if (found !== undefined) {
          problem = `accepted as valid: ${found}`;
          break;
        }
        if (v.length > 0) {
          accepted++;
          acceptedTicks += v.length;
        }
      } else rejected++;
      if (round % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    await worker.terminate();
    reader.closeInbox();
    expect(problem).toBeUndefined();
    // The reads really raced the writer: some views were overwritten while read (and rejected), and many were accepted.
    expect(rejected).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(10);
    expect(acceptedTicks).toBeGreaterThan(1000);
  });
});
