import { barFunding, prepareBars, resolveOptions } from "./prepare";
import type { ResolvedOptions } from "./prepare";
import { barsNeeded, hedgeSignal, runWithSeries } from "./simulate";
import { quoteFillPrices } from "./quote-fill-prices";
import type { BacktestBars, BacktestInsufficient, BacktestOptions, BacktestResult } from "./types";

const WHAT = "backtest";

/**
 * Backtests the z-score mean-reversion strategy on a pair of bar series with pairlab's default rules
 * (the contract; docs/backtest.md states them in full):
 *
 * - **Hedge and signal (`hedge: "ols"`, the default).** α_i, β_i: OLS with intercept of close_y on close_x over bars i−W+1…i (W =
 *   `hedgeWindow`; NaN for i < W−1 and when close_x is constant in the window). Spread s_i = Y_i − α_i − β_i·X_i.
 *   z_i = (s_i − mean) / sample std (ddof 1) of s over the last `zWindow` bars (NaN while any spread in the
 *   window is NaN, or when the std is 0).
 * - **Hedge and signal (`hedge: "kalman"`).** β_i, α_i: the Kalman filter of `kalmanHedge` (options `kalman.delta`,
 *   `kalman.ve`, `kalman.scale`) after its update at bar i; spread e_i = Y_i − β_{i−1}·X_i − α_{i−1} (the one-step
 *   forecast error) and z_i = e_i / √Q_i (Q_i its variance); all NaN for i < `kalman.warmup`. hedgeWindow and
 *   zWindow are validated but unused. Decisions, fills and costs as below, with qtyX = β_i·qtyY.
 * - **Decisions at each bar close i**, starting flat, only when z_i is finite: flat → long spread at
 *   z_i ≤ −entry, short spread at z_i ≥ +entry; long → stop at z_i ≤ −stop (when set), else exit at
 *   z_i ≥ −exit; short → stop at z_i ≥ +stop, else exit at z_i ≤ +exit. The state changes at the decision;
 *   exiting and entering never happen at the same bar. The rule is `spreadDecision`, shared with `zScoreAlerts`.
 * - **Fills.** A decision at bar i fills at bar i+1's open (never on the bar that produced the signal); a buy
 *   pays open·(1 + slippageBps/10⁴), a sell gets open·(1 − slippageBps/10⁴), per leg by the direction of that
 *   leg's own trade. A decision at the last bar is not filled. At entry qtyY = notional / open_y(i+1) and
 *   qtyX = β_i·qtyY; a long spread holds +qtyY of y and −qtyX of x, a short spread the opposite; an exit closes both.
 * - **Costs.** Fees feeBps/10⁴ × |units| × fill price per leg per fill (default 5 bps). Funding: each funding
 *   time T is charged at the first bar i with time_i ≥ T; the position held before bar i's fills pays
 *   units × open_sym(i) × rate per leg (signed units: a long pays a positive rate, a short receives it).
 * - **Equity** E_i at each close = capital + realised PnL + open legs marked at the closes − fees − funding
 *   (capital default 2 × notional). A trade still open at the end is reported with reason `open`, marked at the
 *   last close, without exit fee.
 * - **Metrics.** totalReturn = E_last / capital − 1; r_i = E_i / E_{i−1} − 1 (i ≥ 1); sharpe = mean(r) / std(r,
 *   ddof 1) × √(365·86400 / barSeconds) (365-day year; NaN when std(r) = 0); maxDrawdown = max_i (1 − E_i /
 *   max_{k≤i} E_k); trades (closed), winRate (share of closed trades with net PnL > 0; NaN without closed
 *   trades), feesPaid, fundingPaid, exposure (share of bars closing with a position).
 *
 * Bar length for the Sharpe: `y.interval` (ms) when set, else the first time step.
 * Complexity: O(n) time (one rolling OLS and one rolling z-score, or one Kalman pass; one pass of the decision loop), O(n) memory.
 * The bar checks, the rolling OLS + spread and the rolling z-score run as WebAssembly SIMD kernels where the engine has
 * them (results bit-identical to the JS kernels, which run otherwise; see docs/backtest.md).
 *
 * Insufficient data: fewer than hedgeWindow + zWindow bars (Kalman: warmup + 2) (the first finite z plus one bar to fill) gives
 * `{ status: "insufficient-data", needed, got, message }` — no throw; notebooks show the message as a warning.
 *
 * @param y bars of the first symbol (`time`, `open`, `close`), e.g. `alignBars(a, b).a`.
 * @param x bars of the second symbol on the same time grid.
 * @param options {@link BacktestOptions}.
 * @returns {@link BacktestResult}: `{ status: "ok", trades, equity, positionY, positionX, zscore, beta, time, metrics }`.
 * @throws RangeError (E_PARAM) for a bad option (naming it and its accepted range), bars on different time
 *   grids (saying to use `alignBars`), non-increasing times or a price <= 0.
 * @throws TypeError (E_PARAM) for missing bars/columns; NonFiniteInputError for a NaN/±Infinity price, time or rate.
 * @example
 * const { a, b } = alignBars(resample(btcTicks, "1m"), resample(ethTicks, "1m"));
 * const run = backtestPair(a, b, { hedgeWindow: 300, zWindow: 120, entry: 2, exit: 0.5, notional: 10_000 });
 * if (run.status === "ok") Object.keys(run.metrics)
 * // ["totalReturn", "sharpe", "maxDrawdown", "trades", "winRate", "feesPaid", "fundingPaid", "exposure"]
 * // with fewer than hedgeWindow + zWindow bars: { status: "insufficient-data", needed: 420, got: …, message: "Not enough bars to backtest: …" }
 */
export function backtestPair(y: BacktestBars, x: BacktestBars, options: BacktestOptions): BacktestResult {
  const p = resolveOptions(WHAT, options);
  const b = prepareBars(WHAT, y, x);
  const f = barFunding(WHAT, b.time, options.funding);
  const fills = quoteFillPrices(WHAT, b.time, options);
  if (fills !== null) b.fills = fills;
  const n = b.time.length;
  const needed = barsNeeded(p, p.hedgeWindow, p.zWindow);
  if (n < needed) return insufficientBacktest(needed, n, p.hedgeWindow, p.zWindow, p);
  const { beta, z } = hedgeSignal(b, p, p.hedgeWindow, p.zWindow);
  return runWithSeries(b, f, beta, z, p, 0, n);
}

/** The insufficient-data result for `needed` bars when `got` were given (`p` says which hedge). O(1). */
export function insufficientBacktest(needed: number, got: number, hedgeWindow: number, zWindow: number, p?: Pick<ResolvedOptions, "hedge" | "kalman">): BacktestInsufficient {
  const rule = p?.hedge === "kalman" ? `Kalman warmup ${p.kalman.warmup} + 2: the first finite z-score at bar warmup` : `hedgeWindow ${hedgeWindow} + zWindow ${zWindow}: the first finite z-score`;
  return {
    status: "insufficient-data",
    needed,
    got,
    message: `Not enough bars to backtest: needs ${needed} bars (${rule} plus one bar to fill a decision), has ${got}.`,
  };
}
