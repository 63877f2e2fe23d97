import { describe, expect, it } from "vitest";
import { TradeSimulator } from "../../src/ingestion/trade-simulator";

function run(seed: number, ms: number, rate = 20) {
  const sim = new TradeSimulator({ symbols: ["btcusdt", "ethusdt", "solusdt"], seed, rate, startTime: 0 });
  const out: { i: number; id: number; t: number; p: number; q: number }[] = [];
  sim.advanceTo(ms, (i, id, t, p, q) => out.push({ i, id, t, p, q }));
  return out;
}

describe("TradeSimulator", () => {
  it("new TradeSimulator({ rate: 0 }) throws RangeError E_PARAM", () => {
    expect(() => new TradeSimulator({ symbols: ["btcusdt"], rate: 0, startTime: 0 })).toThrow(RangeError);
    expect(() => new TradeSimulator({ symbols: [], startTime: 0 })).toThrow(RangeError);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(run(5, 60_000)).toEqual(run(5, 60_000));
    expect(run(5, 60_000)).not.toEqual(run(6, 60_000));
  });

  it("emits contiguous ids, non-decreasing integer times, positive prices and quantities at about the rate", () => {
    const trades = run(11, 600_000, 20); // 10 min
    for (let i = 0; i < 3; i++) {
      const mine = trades.filter((t) => t.i === i);
      // Poisson count: mean 12,000, sd ≈ 110; ±5 sd.
      expect(Math.abs(mine.length - 12_000)).toBeLessThan(550);
      const bad = mine.filter((t, k) => t.id !== k + 1 || !Number.isInteger(t.t) || !(t.p > 0) || !(t.q > 0) || (k > 0 && t.t < mine[k - 1].t));
      expect(bad).toEqual([]);
    }
  });

  it("makes a cointegrated pair: ETH - 0.03·BTC is mean-reverting around a level near 0 (seeded, 2 h)", () => {
    const trades = run(3, 7_200_000, 5);
    // Sample both last prices once per second.
    let btc = NaN;
    let eth = NaN;
    const spread: number[] = [];
    let k = 0;
    for (let s = 1; s <= 7200; s++) {
      while (k < trades.length && trades[k].t <= s * 1000) {
        if (trades[k].i === 0) btc = trades[k].p;
        if (trades[k].i === 1) eth = trades[k].p;
        k++;
      }
      if (Number.isFinite(btc) && Number.isFinite(eth)) spread.push(eth - 0.03 * btc);
    }
    const mean = spread.reduce((a, b) => a + b, 0) / spread.length;
    const sd = Math.sqrt(spread.reduce((a, b) => a + (b - mean) ** 2, 0) / spread.length);
    // Model: OU spread with stationary sd 6 (plus ±1 tick bounce): a 2 h sample stays well inside these bounds.
    expect(Math.abs(mean)).toBeLessThan(6);
    expect(sd).toBeGreaterThan(2);
    expect(sd).toBeLessThan(12);
    // AR(1) coefficient of the 1 s spread: theory exp(-1/300) ≈ 0.9967 (< 1: mean-reverting); tolerance 0.01.
    let num = 0;
    let den = 0;
    for (let i = 1; i < spread.length; i++) {
      num += (spread[i] - mean) * (spread[i - 1] - mean);
      den += (spread[i - 1] - mean) ** 2;
    }
    expect(num / den).toBeLessThan(0.999);
    expect(num / den).toBeGreaterThan(0.98);
    // Price levels: BTC-like ≈ 1e5, ETH-like ≈ 3e3.
    expect(btc).toBeGreaterThan(80_000);
    expect(btc).toBeLessThan(125_000);
    expect(eth).toBeGreaterThan(2_400);
    expect(eth).toBeLessThan(3_750);
  });
});
