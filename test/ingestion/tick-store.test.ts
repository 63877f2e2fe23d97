import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { TickStore } from "../../src/ingestion/tick-store";

describe("TickStore", () => {
  it("new TickStore(0) throws RangeError E_PARAM", () => {
    expect(() => new TickStore(0)).toThrow(RangeError);
    expect(() => new TickStore(1.5)).toThrow(/capacity/);
    try {
      new TickStore(-1);
    } catch (e) {
      expect((e as { code: string }).code).toBe("E_PARAM");
    }
  });

  it("ticks(unknown) returns empty columns and zero counters", () => {
    const s = new TickStore(10);
    expect(s.ticks("btcusdt").time.length).toBe(0);
    expect(s.size("btcusdt")).toBe(0);
    expect(s.sequence("btcusdt")).toBe(0);
    expect(s.ticksSince("btcusdt", 0)).toEqual({ ticks: { time: new Float64Array(0), price: new Float64Array(0), qty: new Float64Array(0) }, nextSeq: 0, dropped: 0 });
    expect(s.last("btcusdt")).toBeUndefined();
  });

  it("append then ticks(symbol) is oldest-first and case-insensitive", () => {
    const s = new TickStore(10);
    s.register("ETHUSDT");
    s.append("btcusdt", 1, 100, 0.1);
    s.append("btcusdt", 2, 101, 0.2);
    const t = s.ticks("BTCUSDT");
    expect(Array.from(t.time)).toEqual([1, 2]);
    expect(Array.from(t.price)).toEqual([100, 101]);
    expect(Array.from(t.qty)).toEqual([0.1, 0.2]);
    expect(s.symbols()).toEqual(["ethusdt", "btcusdt"]);
    expect(s.last("btcusdt")).toEqual({ time: 2, price: 101, qty: 0.2 });
  });

  it("evicts oldest first when full and counts evictions", () => {
    const s = new TickStore(3);
    for (let i = 1; i <= 5; i++) s.append("btcusdt", i, 100 + i, 1);
    expect(Array.from(s.ticks("btcusdt").time)).toEqual([3, 4, 5]);
    expect(s.evicted("btcusdt")).toBe(2);
    expect(s.sequence("btcusdt")).toBe(5);
    expect(s.size("btcusdt")).toBe(3);
  });

  it("ticks() returns copies that later appends do not change", () => {
    const s = new TickStore(2);
    s.append("btcusdt", 1, 1, 1);
    s.append("btcusdt", 2, 2, 1);
    const before = s.ticks("btcusdt");
    s.append("btcusdt", 3, 3, 1);
    expect(Array.from(before.time)).toEqual([1, 2]);
  });

  it("ticksSince reports dropped ticks and nextSeq", () => {
    const s = new TickStore(3);
    for (let i = 0; i < 5; i++) s.append("btcusdt", i, i, 1); // seq 0..4, retained 2..4
    const c = s.ticksSince("btcusdt", 1);
    expect(Array.from(c.ticks.time)).toEqual([2, 3, 4]);
    expect(c.dropped).toBe(1);
    expect(c.nextSeq).toBe(5);
    const empty = s.ticksSince("btcusdt", 5);
    expect(empty.ticks.time.length).toBe(0);
    expect(empty.dropped).toBe(0);
    expect(s.ticksSince("btcusdt", 9).nextSeq).toBe(5);
    expect(() => s.ticksSince("btcusdt", -1)).toThrow(RangeError);
  });

  it("stays within 32 bytes per stored tick from 4 blocks on, and at capacity for any capacity", () => {
    const s = new TickStore(1_000_000);
    for (let i = 1; i <= 300_000; i++) {
      s.append("btcusdt", i, 1, 1);
      if (i % 9973 === 0 && i >= 4 * 8192) expect(s.bytes("btcusdt") / s.size("btcusdt")).toBeLessThanOrEqual(32);
    }
    expect(s.bytes("btcusdt") / s.size("btcusdt")).toBeLessThanOrEqual(32);
    for (const cap of [1, 3, 10, 100, 4097, 50_000]) {
      const small = new TickStore(cap);
      for (let i = 0; i < 3 * cap + 5; i++) small.append("x1", i, i, i);
      expect(small.bytes("x1") / small.size("x1")).toBeLessThanOrEqual(32);
      expect(Array.from(small.ticks("x1").time)).toEqual(Array.from({ length: cap }, (_, k) => 3 * cap + 5 - cap + k));
    }
  });

  it("at capacity never holds more than 30 bytes per stored tick, also for capacities just above a block multiple (18, 34, 66, 1026, 16386)", () => {
    for (const cap of [18, 34, 66, 130, 1026, 16386]) {
      const s = new TickStore(cap);
      let worst = 0;
      for (let i = 0; i < 3 * cap; i++) {
        s.append("btcusdt", i, 1, 1);
        if (s.size("btcusdt") === cap) worst = Math.max(worst, s.bytes("btcusdt") / cap);
      }
      expect(worst, `capacity ${cap}`).toBeLessThanOrEqual(30); // exact bound, no tolerance
    }
  });

  it("incremental ticksSince reader equals a naive model (property, seeded)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean()), { maxLength: 30 }),
        (capacity, steps) => {
          const s = new TickStore(capacity);
          const all: number[] = [];
          let next = 0;
          let seen: number[] = [];
          let dropped = 0;
          for (const [n, read] of steps) {
            for (let k = 0; k < n; k++) {
              s.append("x1", all.length, all.length * 2, 1);
              all.push(all.length);
            }
            const expectedRetained = all.slice(Math.max(0, all.length - capacity));
            expect(Array.from(s.ticks("x1").time)).toEqual(expectedRetained);
            expect(s.evicted("x1")).toBe(Math.max(0, all.length - capacity));
            if (read) {
              const c = s.ticksSince("x1", next);
              seen = seen.concat(Array.from(c.ticks.time));
              dropped += c.dropped;
              next = c.nextSeq;
            }
          }
          const c = s.ticksSince("x1", next);
          seen = seen.concat(Array.from(c.ticks.time));
          dropped += c.dropped;
          // Every tick is either seen exactly once or counted as dropped.
          expect(seen.length + dropped).toBe(all.length);
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen).toEqual([...seen].sort((a, b) => a - b));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
