// Property tests (fast-check, seeded): sweep rows equal single runs; no look-ahead; accounting identities with
// simple-statistics as an independent oracle; the live alert rule's entries equal the backtest's entries.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { max, mean, sampleStandardDeviation, sum } from "simple-statistics";
import { backtestPair, sweepBacktest, type BacktestBars, type BacktestOptions } from "../../src/backtest";
import { zScoreAlertsBatch } from "../../src/analytics";
import { mulberry32 } from "../../src/ingestion/trade-simulator";
import { close, ok } from "./helpers";

/** A seeded cointegrated pair of 1-minute bars (y ≈ 100 + 3·x + AR(1) noise), with β sign `sign`. */
function pair(seed: number, n: number, sign = 1): { y: BacktestBars; x: BacktestBars } {
  const u = mulberry32(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const time = new Float64Array(n), oy = new Float64Array(n), cy = new Float64Array(n), ox = new Float64Array(n), cx = new Float64Array(n);
  let px = 50, noise = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_764_000_000_000 + i * 60_000;
    ox[i] = px + 0.02 * g();
    px = Math.max(5, px + 0.3 * g());
    cx[i] = px;
    noise = 0.9 * noise + 0.8 * g();
    cy[i] = 300 + sign * 3 * (px - 50) + noise;
    oy[i] = (i > 0 ? cy[i - 1] : cy[i]) + 0.05 * g();
  }
  return { y: { time, open: oy, close: cy, interval: 60_000 }, x: { time, open: ox, close: cx, interval: 60_000 } };
}

const BASE: BacktestOptions = { hedgeWindow: 30, zWindow: 15, entry: 1.5, exit: 0.3, notional: 1000, slippageBps: 1 };

describe("backtest properties (seeded)", () => {
  it("sweepBacktest(grid) rows equal backtestPair with the same parameters (bit-identical metrics)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(1, -1), fc.option(fc.constantFrom(2.5, 3), { nil: undefined }), (seed, sign, stop) => {
        const { y, x } = pair(seed, 400, sign);
        const base = { ...BASE, stop };
        const grid = { entry: [1.2, 2], exit: [0, 0.5, 1.5], zWindow: [10, 25], hedgeWindow: [20, 40] };
        const sweep = sweepBacktest(y, x, base, grid);
        expect(sweep.rows.length + sweep.skipped.length).toBe(24);
        expect(sweep.skipped.every((s) => s.exit >= s.entry)).toBe(true); // exit 1.5 with entry 1.2
        for (const row of sweep.rows) {
          const { hedgeWindow, zWindow, entry, exit, ...metrics } = row;
          const single = ok(backtestPair(y, x, { ...base, hedgeWindow, zWindow, entry, exit }));
          expect(metrics).toEqual(single.metrics);
        }
      }),
      { seed: 1207, numRuns: 12 },
    );
  });

  it("backtestPair has no look-ahead: changing any bar after i never changes a decision, position or equity at or before i", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 60, max: 290 }), fc.integer({ min: 1, max: 1e6 }), (seed, i, seed2) => {
        const { y, x } = pair(seed, 300);
        const base = { ...BASE, stop: 2.8 };
        const a = ok(backtestPair(y, x, base));
        // Replace every bar after i with another path (opens and closes of both legs).
        const other = pair(seed2, 300);
        const y2 = { ...y, open: Float64Array.from(y.open), close: Float64Array.from(y.close) };
        const x2 = { ...x, open: Float64Array.from(x.open), close: Float64Array.from(x.close) };
        for (let k = i + 1; k < 300; k++) {
          (y2.open as Float64Array)[k] = other.y.open[k];
          (y2.close as Float64Array)[k] = other.y.close[k];
          (x2.open as Float64Array)[k] = other.x.open[k];
          (x2.close as Float64Array)[k] = other.x.close[k];
        }
        const b = ok(backtestPair(y2, x2, base));
        const ti = y.time[i];
        const decisions = (r: typeof a) =>
          r.trades.flatMap((tr) => [`${tr.side} ${tr.entrySignalTime}`, `${tr.exitReason} ${tr.exitSignalTime}`]).filter((d) => Number(d.split(" ")[1]) <= ti);
        expect(decisions(b)).toEqual(decisions(a));
        expect(Array.from(b.equity.subarray(0, i + 1))).toEqual(Array.from(a.equity.subarray(0, i + 1)));
        expect(Array.from(b.positionY.subarray(0, i + 1))).toEqual(Array.from(a.positionY.subarray(0, i + 1)));
        expect(Array.from(b.zscore.subarray(0, i + 1))).toEqual(Array.from(a.zscore.subarray(0, i + 1)));
      }),
      { seed: 4242, numRuns: 40 },
    );
  });

  it("backtestPair metrics equal their definitions recomputed with simple-statistics from equity, positions and trades", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(1, -1), (seed, sign) => {
        const { y, x } = pair(seed, 500, sign);
        const fundingTime = [y.time[100] - 1, y.time[250], y.time[400] + 30_000];
        const r = ok(backtestPair(y, x, { ...BASE, stop: 2.6, funding: { time: fundingTime, y: [0.001, -0.002, 0.0005], x: [0.0003, 0.001, -0.001] } }));
        const capital = 2 * BASE.notional;
        const e = Array.from(r.equity);
        const ret = e.slice(1).map((v, k) => v / e[k] - 1);
        if (sampleStandardDeviation(ret) > 0) expect(close(r.metrics.sharpe, (mean(ret) / sampleStandardDeviation(ret)) * Math.sqrt(365 * 1440), 1e-9)).toBe(true);
        let peak = -Infinity;
        expect(r.metrics.maxDrawdown).toBeCloseTo(max(e.map((v) => 1 - v / (peak = Math.max(peak, v)))), 14);
        expect(close(r.metrics.totalReturn, e[e.length - 1] / capital - 1, 1e-12)).toBe(true);
        // Σ trade net PnL (closed and open) is the equity change: nothing is lost or double-counted.
        const net = r.trades.length > 0 ? sum(r.trades.map((tr) => tr.netPnl)) : 0;
        expect(Math.abs(net - (e[e.length - 1] - capital))).toBeLessThan(1e-9 * capital);
        expect(close(r.metrics.feesPaid, r.trades.length > 0 ? sum(r.trades.map((tr) => tr.fees)) : 0, 1e-12, 1e-12)).toBe(true);
        expect(close(r.metrics.fundingPaid, r.trades.length > 0 ? sum(r.trades.map((tr) => tr.funding)) : 0, 1e-12, 1e-12)).toBe(true);
        const closed = r.trades.filter((tr) => tr.exitReason !== "open");
        expect(r.metrics.trades).toBe(closed.length);
        if (closed.length > 0) expect(r.metrics.winRate).toBe(closed.filter((tr) => tr.netPnl > 0).length / closed.length);
        expect(r.metrics.exposure).toBe(Array.from(r.positionY).filter((v) => v !== 0).length / e.length);
        expect(sum(r.trades.map((tr) => tr.barsHeld))).toBe(Array.from(r.positionY).filter((v) => v !== 0).length);
      }),
      { seed: 99, numRuns: 30 },
    );
  });

  it("zScoreAlertsBatch(z, { reentry: 'next-bar', stop }) fires the backtest's entries and exits on the same bars", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.option(fc.constantFrom(2.2, 3), { nil: undefined }), (seed, stop) => {
        const { y, x } = pair(seed, 600);
        const options = { ...BASE, entry: 1.4, exit: 0.2, stop };
        const r = ok(backtestPair(y, x, options));
        const events = zScoreAlertsBatch(r.time, r.zscore, { threshold: options.entry, exit: options.exit, stop, reentry: "next-bar" });
        const last = r.time[r.time.length - 1];
        const live = events.filter((e) => e.time < last).map((e) => (e.kind === "enter" ? `enter ${e.side} ${e.time}` : `${e.reason ?? "exit"} ${e.time}`));
        const backtest = r.trades.flatMap((tr) => [`enter ${tr.side}-spread ${tr.entrySignalTime}`, ...(tr.exitReason === "open" ? [] : [`${tr.exitReason} ${tr.exitSignalTime}`])]);
        expect(live).toEqual(backtest);
      }),
      { seed: 5, numRuns: 30 },
    );
  });
});
