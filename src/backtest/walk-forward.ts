import { parameterRangeError } from "../errors";
import { deflatedSharpeRatio, type DeflatedSharpe } from "./deflated-sharpe";
import { barFunding, prepareBars, resolveOptions, type BarFunding, type PreparedBars } from "./prepare";
import { hedgeSignal, hedgeSpread, runWithSeries, spreadZ } from "./simulate";
import { quoteFillPrices } from "./quote-fill-prices";
import { gridValues, sweepPrepared, type SweepGrid, type SweepParams, type SweepResult, type SweepRow } from "./sweep-backtest";
import type { BacktestBars, BacktestOptions, BacktestRun } from "./types";

const WHAT = "walk-forward";

/** Options of {@link walkForward}. */
export interface WalkForwardOptions {
  /** Share of the bars used to choose the parameters (in-sample), in (0, 1). Default 0.7. */
  split?: number;
  /** Metric maximised in-sample: `"sharpe"` (default) or `"totalReturn"`. NaN values rank last. */
  metric?: "sharpe" | "totalReturn";
}

/** Result of {@link walkForward}. */
export interface WalkForwardResult {
  status: "ok";
  /** First out-of-sample bar index (= floor(split × bars)). */
  splitIndex: number;
  /** Bin open time of the first out-of-sample bar, epoch ms. */
  splitTime: number;
  /** The metric maximised in-sample. */
  metric: "sharpe" | "totalReturn";
  /** The chosen parameters. */
  best: SweepParams;
  /** The in-sample sweep (every combination tried on the bars before the split). */
  inSample: SweepResult;
  /** The chosen row of the in-sample sweep. */
  inSampleBest: SweepRow;
  /** The chosen parameters run on the bars from the split on: flat at the split, indicators warmed up before it. */
  outOfSample: BacktestRun;
  /**
   * Deflated Sharpe Ratio of the in-sample choice (its in-sample bar returns) over all combinations run
   * (N = inSample.rows.length; V from the trials with a finite Sharpe ratio); null when the chosen in-sample
   * run has constant equity (no trade: no Sharpe ratio to deflate).
   */
  deflatedSharpe: DeflatedSharpe | null;
}

/** Result of {@link walkForward} when no combination could run in-sample, or the out-of-sample part is too short. */
export interface WalkForwardInsufficient {
  status: "insufficient-data";
  message: string;
}

/**
 * Walk-forward check of the strategy: chooses the best parameters of `grid` on the first `split` share of
 * the bars (default 70 %, by `metric`, default Sharpe), then reports the chosen parameters' backtest on the
 * rest. Out of sample, the rolling OLS and z-score are computed over all bars — so they warm up on the bars
 * before the split, and, being causal, never see later bars — while the position starts flat at the split
 * with fresh capital (decisions from the split bar's close on). The in-sample choice is deflated by the
 * Deflated Sharpe Ratio (Bailey & López de Prado 2014) over the number of combinations tried.
 *
 * Complexity: the in-sample sweep (see `sweepBacktest`) plus O(n) for the out-of-sample run and the DSR.
 *
 * @param y bars of the first symbol; @param x bars of the second, same grid.
 * @param base `backtestPair` options; the grid overrides levels and windows.
 * @param grid values per parameter (see `sweepBacktest`).
 * @param options {@link WalkForwardOptions}.
 * @returns {@link WalkForwardResult}, or `{ status: "insufficient-data", message }` when no combination can run
 *   in-sample or fewer than 2 bars remain after the split.
 * @throws RangeError (E_PARAM) for a split outside (0, 1), an unknown metric, and as `sweepBacktest`.
 * @example
 * const wf = walkForward(a, b, base, { entry: [1.5, 2, 2.5], exit: [0, 0.5] });
 * if (wf.status === "ok") [wf.best, wf.outOfSample.metrics.sharpe, wf.deflatedSharpe?.dsr]
 */
export function walkForward(
  y: BacktestBars,
  x: BacktestBars,
  base: BacktestOptions,
  grid: SweepGrid,
  options: WalkForwardOptions = {},
): WalkForwardResult | WalkForwardInsufficient {
  for (const key of Object.keys(options ?? {})) {
    if (key !== "split" && key !== "metric") throw parameterRangeError(WHAT, "options", "keys among split, metric", `unknown key ${JSON.stringify(key)}`);
  }
  const split = options.split ?? 0.7;
  if (typeof split !== "number" || !(split > 0 && split < 1)) throw parameterRangeError(WHAT, "split", "a number in (0, 1)", split);
  const metric = options.metric ?? "sharpe";
  if (metric !== "sharpe" && metric !== "totalReturn") throw parameterRangeError(WHAT, "metric", `"sharpe" or "totalReturn"`, metric);
  const p = resolveOptions(WHAT, base);
  const values = gridValues(grid, p, WHAT);
  const b = prepareBars(WHAT, y, x);
  const f = barFunding(WHAT, b.time, base.funding);
  const fills = quoteFillPrices(WHAT, b.time, base);
  if (fills !== null) b.fills = fills;
  const n = b.time.length;
  const s = Math.floor(split * n);
  if (n - s < 2) return { status: "insufficient-data", message: `Not enough bars for a walk-forward: ${n - s} bars after the split (needs 2), ${n} in all.` };
  const bIn = sliceBars(b, s);
  const fIn: BarFunding = { rateY: f.rateY.subarray(0, s), rateX: f.rateX.subarray(0, s), any: f.any };
  const inSample = sweepPrepared(bIn, fIn, p, values);
  let bestRow: SweepRow | null = null;
  for (const row of inSample.rows) if (bestRow === null || better(row[metric], bestRow[metric])) bestRow = row;
  if (bestRow === null) {
    const reason = inSample.skipped[0]?.reason ?? "empty grid";
    return { status: "insufficient-data", message: `No combination could run on the ${s} in-sample bars (${reason}).` };
  }
  const best: SweepParams = { hedgeWindow: bestRow.hedgeWindow, zWindow: bestRow.zWindow, entry: bestRow.entry, exit: bestRow.exit };
  const chosen = { ...p, ...best };
  // In-sample run of the choice with its equity, for the DSR's returns.
  const hIn = hedgeSignal(bIn, chosen, best.hedgeWindow, best.zWindow);
  const runIn = runWithSeries(bIn, fIn, hIn.beta, hIn.z, chosen, 0, s);
  // Out of sample: indicators over all bars (causal; the Kalman filter carries its state across the split),
  // decisions and equity from the split.
  const hAll = hedgeSignal(b, chosen, best.hedgeWindow, best.zWindow);
  const outOfSample = runWithSeries(b, f, hAll.beta, hAll.z, chosen, s, n);
  return {
    status: "ok",
    splitIndex: s,
    splitTime: b.time[s],
    metric,
    best,
    inSample,
    inSampleBest: bestRow,
    outOfSample,
    deflatedSharpe: deflate(runIn.equity, inSample.rows, b.barSeconds),
  };
}

function better(a: number, b: number): boolean {
  return a === a && (b !== b || a > b);
}

function sliceBars(b: PreparedBars, end: number): PreparedBars {
  return {
    time: b.time.subarray(0, end),
    openY: b.openY.subarray(0, end),
    closeY: b.closeY.subarray(0, end),
    openX: b.openX.subarray(0, end),
    closeX: b.closeX.subarray(0, end),
    barSeconds: b.barSeconds,
  };
}

function deflate(equity: Float64Array, rows: SweepRow[], barSeconds: number): DeflatedSharpe | null {
  const returns = new Float64Array(equity.length - 1);
  let varies = false;
  for (let i = 1; i < equity.length; i++) {
    returns[i - 1] = equity[i] / equity[i - 1] - 1;
    if (returns[i - 1] !== returns[0]) varies = true;
  }
  if (!varies || returns.length < 4) return null;
  const annual = Math.sqrt((365 * 86400) / barSeconds);
  const trials = rows.map((r) => r.sharpe / annual).filter((v) => Number.isFinite(v));
  // N counts every combination tried, including those whose Sharpe ratio is undefined (no trade); V comes from the finite ones.
  return deflatedSharpeRatio(returns, trials.length > 0 ? trials : [0], Math.max(rows.length, 1));
}
