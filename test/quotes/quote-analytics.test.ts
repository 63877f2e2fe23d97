import { describe, expect, it } from "vitest";
import { quoteBars, quotedSpreadBps, quoteFill, roundTripCost } from "../../src/quotes";
import { expectSeriesClose, f64, loadFixture } from "../analytics/helpers";

const fx = loadFixture("quotes");
const cols = (s: Record<string, (number | null)[]>) => ({ time: f64(s.time), bid: f64(s.bid), ask: f64(s.ask), bidQty: f64(s.bidQty), askQty: f64(s.askQty) });
const y = cols(fx.y);
const x = cols(fx.x);
const BAR_COLS = ["time", "midOpen", "midHigh", "midLow", "midClose", "microClose", "bid", "ask", "bidQty", "askQty", "spreadBps", "meanSpreadBps", "count"] as const;

describe("quoteBars vs pandas 1.5.3 (fixture scripts/fixtures/quotes.py: same-ms bursts, 9 s gap)", () => {
  for (const [interval, key] of [["1s", "barsY1s"], ["1m", "barsY1m"]] as const) {
    it(`quoteBars(y, "${interval}") equals pandas resample first/max/min/last/mean, forward-filled, within 1e-12 relative`, () => {
      const bars = quoteBars(y, interval);
      for (const c of BAR_COLS) expectSeriesClose(bars[c], f64(fx[key][c]), 1e-12);
    });
  }

  it("quoteBars(x, '1s', { from, to }) on a common grid equals pandas reindex (NaN before the first quote)", () => {
    const bars = quoteBars(x, "1s", fx.grid);
    for (const c of BAR_COLS) expectSeriesClose(bars[c], f64(fx.gridX[c]), 1e-12);
  });

  it("quoteBars(JSDoc example) gives midClose [11.1, 11.1, 12.1]", () => {
    const bars = quoteBars({ time: [1000, 1500, 3200], bid: [10, 11, 12], ask: [10.2, 11.2, 12.2], bidQty: [1, 1, 3], askQty: [1, 1, 1] }, "1s");
    expectSeriesClose(bars.midClose, [11.1, 11.1, 12.1], 1e-15);
    expect(Array.from(bars.count)).toEqual([2, 0, 1]);
    // microprice leans to the thin side: bidQty 3 vs askQty 1 → closer to the ask
    expect(bars.microClose[2]).toBeCloseTo((12 * 1 + 12.2 * 3) / 4, 12);
  });

  it("quoteBars(empty) is an empty grid; bad input throws naming the field", () => {
    expect(quoteBars({ time: [], bid: [], ask: [], bidQty: [], askQty: [] }, "1s").time.length).toBe(0);
    expect(() => quoteBars({ time: [2, 1], bid: [1, 1], ask: [2, 2], bidQty: [1, 1], askQty: [1, 1] }, "1s")).toThrow(/'time' must be finite and non-decreasing \(index 1\), got 1/);
    expect(() => quoteBars({ time: [1], bid: [1, 2], ask: [2], bidQty: [1], askQty: [1] }, "1s")).toThrow(/'bid' must be the same length as 'time'/);
    expect(() => quoteBars(y, "2h" as never)).toThrow(/'interval'/);
    expect(() => quoteBars(y, "1s", { from: 10_000, to: 0 })).toThrow(/'from'/);
  });
});

describe("quotedSpreadBps", () => {
  it("quotedSpreadBps(fixture quotes) equals (ask − bid) / mid · 1e4 from pandas within 1e-12 relative", () => {
    expectSeriesClose(quotedSpreadBps(y.bid, y.ask), f64(fx.spreadBpsY), 1e-12);
  });
  it("quotedSpreadBps([99.5], [100.5]) is [100]; NaN in, NaN out; mismatched lengths throw", () => {
    expect(Array.from(quotedSpreadBps([99.5], [100.5]))).toEqual([100]);
    expect(quotedSpreadBps([NaN], [1])[0]).toBeNaN();
    expect(() => quotedSpreadBps([1, 2], [1])).toThrow(RangeError);
  });
});

describe("roundTripCost vs the written rule (fixture: reference implementation in numpy)", () => {
  const gy = fx.gridY;
  const gx = fx.gridX;
  const touch = { bidY: f64(gy.bid), askY: f64(gy.ask), bidX: f64(gx.bid), askX: f64(gx.ask) };
  it("roundTripCost(touch, fixed beta) equals the reference within 1e-12 relative (NaN where x had no quote yet)", () => {
    const r = roundTripCost(touch, fx.cost.beta);
    expectSeriesClose(r.cost, f64(fx.cost.cost), 1e-12);
    expectSeriesClose(r.costBps, f64(fx.cost.costBps), 1e-12);
  });
  it("roundTripCost(touch, beta series, { feeBps: 5 }) equals the reference within 1e-12 relative", () => {
    const r = roundTripCost(touch, f64(fx.costSeries.beta), { feeBps: fx.costSeries.feeBps });
    expectSeriesClose(r.cost, f64(fx.costSeries.cost), 1e-12);
    expectSeriesClose(r.costBps, f64(fx.costSeries.costBps), 1e-12);
  });
  it("roundTripCost(JSDoc example) costs 0.12 per unit of y, ≈ 9.995 bps", () => {
    const r = roundTripCost({ bidY: [100], askY: [100.1], bidX: [10], askX: [10.01] }, 2);
    expect(r.cost[0]).toBeCloseTo(0.12, 12);
    expect(r.costBps[0]).toBeCloseTo((0.12 / 120.06) * 1e4, 9);
    // a negative beta costs the same as its absolute value
    expect(roundTripCost({ bidY: [100], askY: [100.1], bidX: [10], askX: [10.01] }, -2).cost[0]).toBeCloseTo(0.12, 12);
  });
  it("roundTripCost(bad input) throws naming the field", () => {
    expect(() => roundTripCost(touch, NaN)).toThrow(/'beta' must be a finite number, got NaN/);
    expect(() => roundTripCost(touch, 1, { feeBps: -1 })).toThrow(/'feeBps' must be a number >= 0/);
    expect(() => roundTripCost({ ...touch, askX: [1] }, 1)).toThrow(/'askX' must be the same length/);
    expect(() => roundTripCost(touch, [1, 2])).toThrow(/'beta' must be a number or a series/);
  });
});

describe("quoteFill", () => {
  const q = { time: [1000, 2000, 2000, 3000], bid: [99, 100, 100.2, 101], ask: [99.5, 100.5, 100.6, 101.5], bidQty: [1, 2, 5, 3], askQty: [3, 4, 6, 1] };
  it("quoteFill(quotes, time, 'buy') fills at the ask of the first quote at or after time", () => {
    expect(quoteFill(q, 1500, "buy")).toEqual({ price: 100.5, qty: 4, time: 2000, index: 1 });
    expect(quoteFill(q, 1000, "buy")).toEqual({ price: 99.5, qty: 3, time: 1000, index: 0 });
  });
  it("quoteFill(quotes, time, 'sell') fills at the bid; before the first quote → the first quote", () => {
    expect(quoteFill(q, 2500, "sell")).toEqual({ price: 101, qty: 3, time: 3000, index: 3 });
    expect(quoteFill(q, -5, "sell")).toEqual({ price: 99, qty: 1, time: 1000, index: 0 });
  });
  it("quoteFill(quotes, after the last quote) is null; empty quotes → null", () => {
    expect(quoteFill(q, 3001, "buy")).toBeNull();
    expect(quoteFill({ time: [], bid: [], ask: [], bidQty: [], askQty: [] }, 0, "buy")).toBeNull();
  });
  it("quoteFill(fixture, every 997 ms) agrees with a linear scan", () => {
    for (let t = y.time[0] - 5; t < y.time[y.time.length - 1] + 10; t += 997) {
      let j = 0;
      while (j < y.time.length && y.time[j] < t) j++;
      const f = quoteFill(y, t, "buy");
      if (j === y.time.length) expect(f).toBeNull();
      else expect(f).toEqual({ price: y.ask[j], qty: y.askQty[j], time: y.time[j], index: j });
    }
  });
  it("quoteFill(bad side / NaN time) throws RangeError naming the field", () => {
    expect(() => quoteFill(q, 1, "hold" as never)).toThrow(/'side' must be "buy" or "sell", got "hold"/);
    expect(() => quoteFill(q, NaN, "buy")).toThrow(/'time' must be a finite epoch-ms number/);
  });
});

describe("pairRoundTripCost", () => {
  it("pairRoundTripCost(y, x, beta, '1s', grid) equals quoteBars + roundTripCost vs the numpy reference within 1e-12", async () => {
    const { pairRoundTripCost } = await import("../../src/quotes");
    const r = pairRoundTripCost(y, x, fx.cost.beta, "1s", fx.grid);
    expectSeriesClose(r.time, f64(fx.gridY.time), 0);
    expectSeriesClose(r.cost, f64(fx.cost.cost), 1e-12);
    expectSeriesClose(r.costBps, f64(fx.cost.costBps), 1e-12);
  });
  it("pairRoundTripCost without from/to spans both legs' quotes; empty legs give empty output", async () => {
    const { pairRoundTripCost } = await import("../../src/quotes");
    const r = pairRoundTripCost(y, x, 0.05, "1s");
    expect(r.time[0]).toBe(Math.floor(Math.min(y.time[0], x.time[0]) / 1000) * 1000);
    const empty = { time: [], bid: [], ask: [], bidQty: [], askQty: [] };
    expect(pairRoundTripCost(empty, empty, 1, "1s").time.length).toBe(0);
  });
});
