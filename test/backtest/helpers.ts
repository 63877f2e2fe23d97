// Shared helpers of the backtest tests: fixture loading and small synthetic bar series.
import type { BacktestBars, BacktestResult, BacktestRun } from "../../src/backtest";
export { loadFixture, f64, expectSeriesClose } from "../analytics/helpers";

/** Asserts a backtest ran (status "ok") and narrows the type. */
export function ok(result: BacktestResult): BacktestRun {
  if (result.status !== "ok") throw new Error(`expected a run, got ${result.status}: ${result.message}`);
  return result;
}

/** Bars on a 60 s grid from t0 with the given opens and closes (interval set). */
export function bars(open: number[], close: number[], t0 = 1_764_000_000_000, step = 60_000): BacktestBars {
  return { time: Float64Array.from(open, (_, i) => t0 + i * step), open: Float64Array.from(open), close: Float64Array.from(close), interval: step };
}

/** |a − e| <= rel·|e| + abs, with a readable failure. */
export function close(a: number, e: number, rel: number, abs = 0): boolean {
  return Number.isNaN(e) ? Number.isNaN(a) : Math.abs(a - e) <= rel * Math.abs(e) + abs;
}
