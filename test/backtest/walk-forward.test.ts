// walkForward: the in-sample part equals a sweep on the bars before the split, the choice is its best row, the
// out-of-sample run starts flat at the split with indicators warmed up before it, and the DSR is that of the choice.
import { describe, expect, it } from "vitest";
import { backtestPair, deflatedSharpeRatio, sweepBacktest, walkForward, type BacktestBars, type BacktestOptions } from "../../src/backtest";
import { mulberry32 } from "../../src/ingestion/trade-simulator";
import { ok } from "./helpers";

function pair(seed: number, n: number): { y: BacktestBars; x: BacktestBars } {
  const u = mulberry32(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const time = new Float64Array(n), oy = new Float64Array(n), cy = new Float64Array(n), ox = new Float64Array(n), cx = new Float64Array(n);
  let px = 50, noise = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_764_000_000_000 + i * 60_000;
    ox[i] = px;
    px += 0.3 * g();
    cx[i] = px;
    noise = 0.9 * noise + 0.8 * g();
    cy[i] = 300 + 3 * (px - 50) + noise;
    oy[i] = i > 0 ? cy[i - 1] : cy[i];
  }
  return { y: { time, open: oy, close: cy, interval: 60_000 }, x: { time, open: ox, close: cx, interval: 60_000 } };
}

const slice = (b: BacktestBars, end: number): BacktestBars => ({ time: (b.time as Float64Array).slice(0, end), open: (b.open as Float64Array).slice(0, end), close: (b.close as Float64Array).slice(0, end), interval: b.interval });

describe("walkForward", () => {
  it("walkForward(1000 bars, default 70 %) chooses the best in-sample Sharpe, runs it flat from bar 700, deflates over 12 trials", () => {
    const { y, x } = pair(31, 1000);
    const base: BacktestOptions = { hedgeWindow: 40, zWindow: 20, entry: 2, exit: 0.5, notional: 1000, feeBps: 1 };
    const grid = { entry: [1.2, 1.6, 2], exit: [0, 0.5], zWindow: [15, 30] };
    const wf = walkForward(y, x, base, grid);
    if (wf.status !== "ok") throw new Error(wf.message);
    expect(wf.splitIndex).toBe(700);
    expect(wf.splitTime).toBe(y.time[700]);
    // In-sample = the sweep on the first 700 bars.
    const inSample = sweepBacktest(slice(y, 700), slice(x, 700), base, grid);
    expect(wf.inSample.rows).toEqual(inSample.rows);
    const bestSharpe = Math.max(...inSample.rows.map((r) => r.sharpe).filter((v) => Number.isFinite(v)));
    expect(wf.inSampleBest.sharpe).toBe(bestSharpe);
    // Out of sample: flat at the split with fresh capital; z warmed up (finite from the first bar), equal to the full-data z.
    const oos = wf.outOfSample;
    expect(oos.time[0]).toBe(y.time[700]);
    expect(oos.equity).toHaveLength(300);
    expect(oos.equity[0]).toBe(2000);
    expect(oos.positionY[0]).toBe(0);
    const full = ok(backtestPair(y, x, { ...base, ...wf.best }));
    expect(Array.from(oos.zscore)).toEqual(Array.from(full.zscore.subarray(700)));
    expect(Number.isFinite(oos.zscore[0])).toBe(true);
    expect(oos.trades.every((t) => t.entrySignalTime >= y.time[700])).toBe(true);
    // DSR of the in-sample choice over all 12 combinations.
    const chosen = ok(backtestPair(slice(y, 700), slice(x, 700), { ...base, ...wf.best }));
    const e = chosen.equity;
    const returns = Array.from(e.subarray(1), (v, i) => v / e[i] - 1);
    const annual = Math.sqrt(365 * 1440);
    const trials = inSample.rows.map((r) => r.sharpe / annual).filter((v) => Number.isFinite(v));
    expect(wf.deflatedSharpe).toEqual(deflatedSharpeRatio(returns, trials, 12));
    expect(wf.deflatedSharpe?.trials).toBe(12);
    expect(wf.deflatedSharpe?.dsr).toBeGreaterThanOrEqual(0);
    expect(wf.deflatedSharpe?.dsr).toBeLessThanOrEqual(1);
  });

  it("walkForward({ split: 0.5, metric: 'totalReturn' }) picks the largest in-sample total return", () => {
    const { y, x } = pair(8, 600);
    const wf = walkForward(y, x, { hedgeWindow: 30, zWindow: 15, entry: 2, exit: 0.5, notional: 1000 }, { entry: [1.5, 2.5], hedgeWindow: [20, 50] }, { split: 0.5, metric: "totalReturn" });
    if (wf.status !== "ok") throw new Error(wf.message);
    expect(wf.splitIndex).toBe(300);
    expect(wf.inSampleBest.totalReturn).toBe(Math.max(...wf.inSample.rows.map((r) => r.totalReturn)));
  });
});
