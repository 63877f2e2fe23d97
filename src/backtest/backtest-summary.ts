import { max, mean, min, quantile, sampleKurtosis, sampleSkewness, sampleStandardDeviation } from "simple-statistics";
import type { BacktestRun } from "./types";

/** One row of {@link backtestSummary}: distribution statistics of one series (NaN where undefined for its count). */
export interface DistributionRow {
  /** "trade net PnL" (quote currency, closed and open trades) or "bar return" (fraction). */
  series: string;
  count: number;
  mean: number;
  /** Sample standard deviation (ddof 1); NaN below 2 values. */
  std: number;
  /** Sample skewness (adjusted Fisher–Pearson, as pandas `skew`); NaN below 3 values. */
  skewness: number;
  /** Sample excess kurtosis (bias-corrected, as pandas `kurt`); NaN below 4 values. */
  excessKurtosis: number;
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
}

/**
 * Distribution statistics of a backtest's trade net PnL and bar returns, as table rows (for danfo / a summary
 * panel), computed with `simple-statistics`: mean, sample std, sample skewness, sample excess kurtosis, min/max
 * and the quantiles 5/25/50/75/95 % (simple-statistics `quantile`: the value at rank ⌈n·p⌉, or the mean of two
 * neighbours when n·p is whole — not numpy's linear interpolation). O(n log n).
 *
 * Insufficient data: statistics that need more values than given are NaN (std < 2, skewness < 3, kurtosis < 4;
 * every column of an empty series), and `count` says how many there are.
 *
 * @param run - a `BacktestRun`.
 * @returns two rows: "trade net PnL" and "bar return".
 * @example backtestSummary(run).map((r) => [r.series, r.count])
 * // [["trade net PnL", run.trades.length], ["bar return", run.equity.length - 1]]
 */
export function backtestSummary(run: BacktestRun): DistributionRow[] {
  const pnl = run.trades.map((t) => t.netPnl);
  const returns: number[] = [];
  for (let i = 1; i < run.equity.length; i++) returns.push(run.equity[i] / run.equity[i - 1] - 1);
  return [describe("trade net PnL", pnl), describe("bar return", returns)];
}

function describe(series: string, x: number[]): DistributionRow {
  const n = x.length;
  const q = (p: number): number => (n > 0 ? quantile(x, p) : NaN);
  return {
    series,
    count: n,
    mean: n > 0 ? mean(x) : NaN,
    std: n >= 2 ? sampleStandardDeviation(x) : NaN,
    skewness: n >= 3 && sampleStandardDeviation(x) > 0 ? sampleSkewness(x) : NaN,
    excessKurtosis: n >= 4 && sampleStandardDeviation(x) > 0 ? sampleKurtosis(x) : NaN,
    min: n > 0 ? min(x) : NaN,
    q05: q(0.05),
    q25: q(0.25),
    median: q(0.5),
    q75: q(0.75),
    q95: q(0.95),
    max: n > 0 ? max(x) : NaN,
  };
}
