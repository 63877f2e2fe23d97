import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createResampler, NonFiniteInputError, resample, type Bars } from "../../src/internal";
import { f64, loadFixture } from "./helpers";

const COLS = ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const;

function expectSameBars(a: Bars, b: Bars): void {
  for (const col of COLS) expect(Array.from(a[col]), col).toEqual(Array.from(b[col]));
  expect(a.partial).toBe(b.partial);
}

function slice(t: { time: Float64Array; price: Float64Array; qty: Float64Array }, from: number, to: number) {
  return { time: t.time.subarray(from, to), price: t.price.subarray(from, to), qty: t.qty.subarray(from, to) };
}

describe("createResampler", () => {
  it("createResampler(interval) appended chunk by chunk equals resample over all ticks (property, seeded)", () => {
    const tickArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 50 })), {
      minLength: 1,
      maxLength: 200,
    });
    fc.assert(
      fc.property(
        tickArb,
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 10 }),
        fc.constantFrom<"1s" | "1m" | number>("1s", "1m", 250, 7),
        fc.integer({ min: -5_000_000, max: 5_000_000 }),
        (rows, cuts, interval, start) => {
          let t = 1_700_000_000_000 + start;
          const time = new Float64Array(rows.length), price = new Float64Array(rows.length), qty = new Float64Array(rows.length);
          rows.forEach(([gap, p, q], i) => {
            t += gap % 7 === 0 ? 0 : gap; // many equal times
            time[i] = t;
            price[i] = p / 10;
            qty[i] = q / 100;
          });
          const all = { time, price, qty };
          const r = createResampler(interval);
          const points = [...new Set(cuts.map((c) => Math.min(c, rows.length)))].sort((a, b) => a - b);
          let from = 0;
          for (const p of [...points, rows.length]) {
            r.append(slice(all, from, p));
            from = p;
          }
          expect(r.tickCount).toBe(rows.length);
          const now = time[time.length - 1] + 300;
          expectSameBars(r.bars(now), resample(all, interval, { now }));
          expectSameBars(r.bars(), resample(all, interval));
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
  });

  it("createResampler('1s') over the fixture ticks in chunks of 37 equals resample (bit-identical)", () => {
    const fx = loadFixture("analytics");
    const all = { time: f64(fx.ticks.time), price: f64(fx.ticks.price), qty: f64(fx.ticks.qty) };
    const r = createResampler("1s");
    for (let i = 0; i < all.time.length; i += 37) r.append(slice(all, i, Math.min(i + 37, all.time.length)));
    expectSameBars(r.bars(), resample(all, "1s"));
  });

  it("createResampler().bars(now) marks the open bar partial until now reaches its close", () => {
    const r = createResampler("1s");
    r.append({ time: [1000, 1500], price: [10, 12], qty: [1, 1] });
    r.append({ time: [3200], price: [11], qty: [2] });
    expect(Array.from(r.bars(3500).close)).toEqual([12, 12, 11]);
    expect(r.bars(3500).partial).toBe(true);
    expect(r.bars(4000).partial).toBe(false);
    expect(r.tickCount).toBe(3);
  });

  it("createResampler().bars() before any tick is empty and not partial", () => {
    const bars = createResampler("5m").bars();
    expect(bars.time.length).toBe(0);
    expect(bars.partial).toBe(false);
  });

  it("createResampler().append(bad chunk) throws and keeps nothing of the chunk (atomic)", () => {
    const r = createResampler("1s");
    r.append({ time: [1000, 1100], price: [10, 11], qty: [1, 1] });
    const before = r.bars();
    expect(() => r.append({ time: [1200, 9000, 1300], price: [50, 60, 70], qty: [1, 1, 1] })).toThrow(RangeError);
    expect(() => r.append({ time: [1200, 1300], price: [50, NaN], qty: [1, 1] })).toThrow(NonFiniteInputError);
    expect(() => r.append({ time: [900], price: [1], qty: [1] })).toThrow(/'ticks.time'/);
    expectSameBars(r.bars(), before);
    expect(r.tickCount).toBe(2);
    r.append({ time: [1200, 2100], price: [12, 13], qty: [1, 1] });
    expectSameBars(r.bars(), resample({ time: [1000, 1100, 1200, 2100], price: [10, 11, 12, 13], qty: [1, 1, 1, 1] }, "1s"));
  });

  it("createResampler().bars() returns copies that later appends do not mutate", () => {
    const r = createResampler("1s");
    r.append({ time: [1000], price: [10], qty: [1] });
    const first = r.bars();
    r.append({ time: [1500], price: [20], qty: [1] });
    expect(first.close[0]).toBe(10);
    expect(r.bars().close[0]).toBe(20);
  });

  it("createResampler('3s') throws RangeError naming 'interval'", () => {
    expect(() => createResampler("3s" as never)).toThrow(/'interval'/);
  });
});
