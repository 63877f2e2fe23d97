import { describe, expect, it } from "vitest";
import { NonFiniteInputError, createResampler, resample } from "../../src/internal";
import { expectSeriesClose, f64, loadFixture } from "./helpers";

const fx = loadFixture("analytics");
const ticks = { time: f64(fx.ticks.time), price: f64(fx.ticks.price), qty: f64(fx.ticks.qty) };
const COLS = ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const;

describe("resample vs pandas 1.5.3 (fixture: irregular ticks, multi-minute gaps, same-ms bursts, first tick off-edge)", () => {
  for (const c of fx.resample as { interval: "1s" | "1m" | "5m" | number; rule: string; bars: Record<string, (number | null)[]> }[]) {
    it(`resample(ticks, ${JSON.stringify(c.interval)}) equals pandas resample("${c.rule}") first/max/min/last/sum/count within 1e-9 relative`, () => {
      const bars = resample(ticks, c.interval);
      for (const col of COLS) expectSeriesClose(bars[col], f64(c.bars[col]), 1e-9);
      expect(bars.partial).toBe(true);
    });
  }

  it("resample(ticks, '1s') fills empty bins with the previous close, volume 0, count 0, vwap NaN", () => {
    const bars = resample(ticks, "1s");
    let empty = 0;
    for (let i = 1; i < bars.time.length; i++) {
      if (bars.count[i] !== 0) continue;
      empty++;
      expect([bars.open[i], bars.high[i], bars.low[i], bars.close[i]]).toEqual(Array(4).fill(bars.close[i - 1]));
      expect(bars.volume[i]).toBe(0);
      expect(bars.vwap[i]).toBeNaN();
    }
    expect(empty).toBeGreaterThan(100);
  });
});

describe("resample edge cases", () => {
  it("resample(doc example) matches the JSDoc example", () => {
    const bars = resample({ time: [1000, 1500, 3200], price: [10, 12, 11], qty: [1, 1, 2] }, "1s");
    expect(Array.from(bars.time)).toEqual([1000, 2000, 3000]);
    expect(Array.from(bars.open)).toEqual([10, 12, 11]);
    expect(Array.from(bars.high)).toEqual([12, 12, 11]);
    expect(Array.from(bars.low)).toEqual([10, 12, 11]);
    expect(Array.from(bars.close)).toEqual([12, 12, 11]);
    expect(Array.from(bars.volume)).toEqual([2, 0, 2]);
    expect(Array.from(bars.count)).toEqual([2, 0, 1]);
    expect(Array.from(bars.vwap)).toEqual([11, NaN, 11]);
    expect(bars.interval).toBe(1000);
  });

  it("resample(no ticks) returns empty bars, partial false", () => {
    const bars = resample({ time: [], price: [], qty: [] }, "1m");
    expect(bars.time.length).toBe(0);
    expect(bars.close.length).toBe(0);
    expect(bars.partial).toBe(false);
  });

  it("resample(one tick) gives one bar labelled by its bin open", () => {
    const bars = resample({ time: [60_123], price: [5], qty: [0.5] }, "1m");
    expect(Array.from(bars.time)).toEqual([60_000]);
    expect(Array.from(bars.vwap)).toEqual([5]);
  });

  it("resample(ticks, interval, { now }) marks the last bar partial only while its interval is open", () => {
    const t = { time: [1000, 1999], price: [1, 2], qty: [1, 1] };
    expect(resample(t, "1s", { now: 1999 }).partial).toBe(true);
    expect(resample(t, "1s", { now: 2000 }).partial).toBe(false);
    expect(resample(t, "1s").partial).toBe(true);
  });

  it("resample(zero-quantity bin) has vwap NaN and count 1", () => {
    const bars = resample({ time: [0], price: [3], qty: [0] }, "1s");
    expect(bars.vwap[0]).toBeNaN();
    expect(bars.count[0]).toBe(1);
  });

  it("resample(times before 1970) floors to UTC epoch multiples", () => {
    const bars = resample({ time: [-1500, -200], price: [1, 2], qty: [1, 1] }, "1s");
    expect(Array.from(bars.time)).toEqual([-2000, -1000]);
  });

  it("resample(ticks, '2m') throws RangeError naming 'interval'", () => {
    expect(() => resample(ticks, "2m" as never)).toThrow(RangeError);
    expect(() => resample(ticks, "2m" as never)).toThrow(/'interval'/);
    expect(() => resample(ticks, 0)).toThrow(RangeError);
    expect(() => resample(ticks, 1.5)).toThrow(RangeError);
  });

  it("resample(decreasing times) throws RangeError naming 'ticks.time'", () => {
    expect(() => resample({ time: [2000, 1000], price: [1, 1], qty: [1, 1] }, "1s")).toThrow(/'ticks.time'/);
    expect(() => resample({ time: [0, 5_000_000, 1000], price: [1, 1, 1], qty: [1, 1, 1] }, "1s")).toThrow(RangeError);
  });

  it("resample(negative qty) throws RangeError naming 'ticks.qty' and the index; createResampler keeps its state", () => {
    expect(() => resample({ time: [0, 1, 2], price: [1, 1, 1], qty: [1, -0.5, 1] }, "1s")).toThrow(/'ticks.qty' must be a quantity >= 0 \(at index 1\), got -0.5/);
    const r = createResampler("1s");
    r.append({ time: [0], price: [1], qty: [1] });
    expect(() => r.append({ time: [5], price: [2], qty: [-1] })).toThrow(RangeError);
    expect(Array.from(r.bars().close)).toEqual([1]);
  });

  it("resample(NaN price) throws NonFiniteInputError with the index", () => {
    try {
      resample({ time: [0, 1], price: [1, NaN], qty: [1, 1] }, "1s");
      expect.fail("did not throw");
    } catch (e) {
      expect(e).toBeInstanceOf(NonFiniteInputError);
      expect((e as NonFiniteInputError).index).toBe(1);
      expect((e as NonFiniteInputError).field).toBe("ticks.price");
    }
  });

  it("resample(columns of different lengths) throws RangeError; non-arrays throw TypeError", () => {
    expect(() => resample({ time: [0, 1], price: [1], qty: [1, 1] }, "1s")).toThrow(RangeError);
    expect(() => resample({ time: 5 as never, price: [1], qty: [1] }, "1s")).toThrow(TypeError);
  });

  it("resample(1 ms interval over 10 years) throws RangeError instead of allocating", () => {
    expect(() => resample({ time: [0, 3.2e11], price: [1, 1], qty: [1, 1] }, 1)).toThrow(RangeError);
  });
});

describe("resample non-finite times", () => {
  it("resample(NaN first or last time) throws NonFiniteInputError naming 'ticks.time'", () => {
    expect(() => resample({ time: [NaN, 1], price: [1, 1], qty: [1, 1] }, "1s")).toThrow(NonFiniteInputError);
    expect(() => resample({ time: [0, Infinity], price: [1, 1], qty: [1, 1] }, "1s")).toThrow(/'ticks.time'/);
    expect(() => resample({ time: [0, NaN, 5], price: [1, 1, 1], qty: [1, 1, 1] }, "1s")).toThrow(NonFiniteInputError);
  });
});
