// The decision loop's fast paths (flat scan, holding loop with the skipped drawdown division) against the metrics'
// definitions evaluated on the returned equity series with the same floating-point operations in the same order:
// tolerance 0 (Object.is). A skipped division that could have set the maximum drawdown, or a bar's return added twice
// or missed, changes these bits.
import { describe, expect, it } from "vitest";
import { backtestPair, type BacktestOptions } from "../../src/backtest";
import { normalFrom, seededRandom } from "../../bench/harness";
import { ok } from "./helpers";

/** A seeded cointegrated pair of 1-minute bars with a trending, volatile y (many trades, deep drawdowns). */
function bars(seed: number, n: number): { y: { time: Float64Array; open: Float64Array; close: Float64Array }; x: { time: Float64Array; open: Float64Array; close: Float64Array } } {
  const g = normalFrom(seededRandom(seed));
  const time = new Float64Array(n), oy = new Float64Array(n), cy = new Float64Array(n), ox = new Float64Array(n), cx = new Float64Array(n);
  let lx = Math.log(2000), noise = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_764_000_000_000 + 60_000 * i;
    ox[i] = Math.round(Math.exp(lx) * 100) / 100;
    lx += 4e-4 * g();
    cx[i] = Math.round(Math.exp(lx) * 100) / 100;
    noise = 0.99 * noise + 15 * g();
    cy[i] = Math.round((37_000 + 14 * (cx[i] - 2000) + noise) * 10) / 10;
    oy[i] = i > 0 ? Math.round((cy[i - 1] + 2 * g()) * 10) / 10 : cy[i];
  }
  return { y: { time, open: oy, close: cy }, x: { time, open: ox, close: cx } };
}

describe("simulate fast paths", () => {
  for (const [seed, options] of [
    [21, { hedgeWindow: 120, zWindow: 60, entry: 1.5, exit: 0.25, stop: 3, notional: 10_000, slippageBps: 2 }],
    [22, { hedgeWindow: 60, zWindow: 30, entry: 1, exit: 0, notional: 10_000, capital: 10_500, feeBps: 20 }],
    [23, { hedgeWindow: 300, zWindow: 120, entry: 2, exit: 0.5, notional: 10_000 }],
  ] as [number, BacktestOptions][]) {
    it(`backtestPair(seed ${seed}) metrics are bit-identical to their definitions evaluated on its equity series (maxDrawdown, sharpe, totalReturn, exposure)`, () => {
      const { y, x } = bars(seed, 20_000);
      const run = ok(backtestPair(y, x, options));
      expect(run.trades.length).toBeGreaterThan(20);
      const e = run.equity;
      // maxDrawdown = max_i (1 − E_i / max_{k≤i} E_k), the division only where E_i is not a new peak (as the loop).
      let peak = e[0], maxDrawdown = 0;
      // Sharpe: plain sums of r_i = E_i / E_{i−1} − 1 over bars whose equity moved (r = 0 adds nothing), n − 1 returns.
      let s1 = 0, s2 = 0;
      for (let i = 1; i < e.length; i++) {
        if (e[i] === e[i - 1]) continue;
        const r = e[i] / e[i - 1] - 1;
        s1 += r;
        s2 += r * r;
        if (e[i] > peak) peak = e[i];
        else {
          const dd = 1 - e[i] / peak;
          if (dd > maxDrawdown) maxDrawdown = dd;
        }
      }
      const count = e.length - 1;
      const mean = s1 / count;
      const std = Math.sqrt((s2 - s1 * mean) / (count - 1));
      expect(maxDrawdown).toBeGreaterThan(0.01);
      expect(Object.is(run.metrics.maxDrawdown, maxDrawdown)).toBe(true);
      expect(Object.is(run.metrics.sharpe, (mean / std) * Math.sqrt((365 * 86400) / 60))).toBe(true);
      expect(Object.is(run.metrics.totalReturn, e[e.length - 1] / (options.capital ?? 2 * options.notional) - 1)).toBe(true);
      expect(run.metrics.exposure).toBe(Array.from(run.positionY).filter((v) => v !== 0).length / e.length);
    });
  }
});
