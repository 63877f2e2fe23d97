// The bench data of bench/backtest.bench.ts and bench/backtest-cold.ts.
import { normalFrom, seededRandom } from "./harness";
import type { BacktestBars } from "../src/backtest";

/** One day of 1-second bars of a cointegrated pair (BTC-like y, ETH-like x), seeded. */
export function dayOfBars(n: number): { y: BacktestBars; x: BacktestBars } {
  const u = seededRandom(12);
  const g = normalFrom(u);
  const time = new Float64Array(n), oy = new Float64Array(n), cy = new Float64Array(n), ox = new Float64Array(n), cx = new Float64Array(n);
  let lx = Math.log(2000), noise = 0;
  for (let i = 0; i < n; i++) {
    time[i] = 1_764_000_000_000 + i * 1000;
    ox[i] = Math.round(Math.exp(lx) * 100) / 100;
    lx += 2.5e-4 * g();
    cx[i] = Math.round(Math.exp(lx) * 100) / 100;
    noise = 0.995 * noise + 10 * g();
    cy[i] = Math.round((37_000 + 14 * (cx[i] - 2000) + noise) * 10) / 10;
    oy[i] = i > 0 ? Math.round((cy[i - 1] + 0.5 * g()) * 10) / 10 : cy[i];
  }
  return { y: { time, open: oy, close: cy, interval: 1000 }, x: { time, open: ox, close: cx, interval: 1000 } };
}
