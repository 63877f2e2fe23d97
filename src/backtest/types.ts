import type { QuoteSeries } from "../quotes/quote-types";
/**
 * Shared shapes of the backtest area.
 */
import type { KalmanSettings } from "./kalman-signal";

/**
 * The bar columns a backtest reads: bin open `time` (epoch ms, strictly increasing), `open` and `close`
 * prices (finite, > 0). `interval` (ms) sets the bar length used to annualise the Sharpe ratio; without it
 * the first time step is used. Any `Bars` from `resample` / `alignBars` fits.
 */
export interface BacktestBars {
  time: ArrayLike<number>;
  open: ArrayLike<number>;
  close: ArrayLike<number>;
  interval?: number;
}

/**
 * Funding rates per symbol at given times (Binance `/fapi/v1/fundingRate`: `fundingTime` → `time`,
 * `fundingRate` → `y` / `x`). `time` in epoch ms, non-decreasing; `y[k]` and `x[k]` are the rates of the two
 * symbols at `time[k]` as decimals (0.0001 = 0.01 %), positive when longs pay shorts. Same length.
 */
export interface FundingRates {
  time: ArrayLike<number>;
  y: ArrayLike<number>;
  x: ArrayLike<number>;
}

/** Options of `backtestPair` (the strategy parameters and costs). */
export interface BacktestOptions {
  /**
   * The hedge: "ols" (default; rolling OLS over `hedgeWindow`, rolling z over `zWindow`) or "kalman" (the Kalman
   * filter of `kalmanHedge` with the `kalman` settings; z = e/√Q; hedgeWindow and zWindow are validated but unused).
   */
  hedge?: "ols" | "kalman";
  /** Settings of the Kalman hedge (`delta`, `ve`, `scale`, `warmup`; see `KalmanSettings`). Only with `hedge: "kalman"`. */
  kalman?: KalmanSettings;
  /** W: bars in the rolling OLS of close_y on close_x (with intercept). Integer >= 3. */
  hedgeWindow: number;
  /** Wz: bars in the rolling z-score of the spread (sample std, ddof 1). Integer >= 2. */
  zWindow: number;
  /** Entry level: enter long spread at z <= −entry, short spread at z >= +entry. Finite, > 0. */
  entry: number;
  /** Exit level: a long exits at z >= −exit, a short at z <= +exit. Finite, 0 <= exit < entry. */
  exit: number;
  /** Stop level (default none): a long stops at z <= −stop, a short at z >= +stop. Finite, > entry. */
  stop?: number;
  /** Notional of the y leg at entry, in quote currency (USDT): qtyY = notional / open_y. Finite, > 0. */
  notional: number;
  /** Starting equity in quote currency. Finite, > 0. Default 2 × notional. */
  capital?: number;
  /** Fee per leg per fill, basis points of the filled value. Finite, >= 0. Default 5 (Binance USD-M taker). */
  feeBps?: number;
  /** Slippage, basis points of the open: buys fill at open·(1 + s), sells at open·(1 − s). In [0, 10000). Default 0. */
  slippageBps?: number;
  /** Funding rates (default none). */
  funding?: FundingRates;
  /**
   * "bars" (default): fills at the bar open ± slippage. "quotes": a buy fills at the ask and a sell at the bid of the
   * first quote at or after the fill time (the bar open), per leg, from `quotes`; slippageBps is then not applied
   * (the spread is the cost). Quantities are still sized on the open (qtyY = notional / open_y).
   */
  fills?: "bars" | "quotes";
  /** Book-ticker quotes of both legs (time, bid, ask, bidQty, askQty; time non-decreasing) for `fills: "quotes"`. */
  quotes?: { y: QuoteSeries; x: QuoteSeries };
}

/** Why a trade ended: `exit` (z back inside the exit level), `stop` (z beyond the stop), `open` (still open at the end). */
export type ExitReason = "exit" | "stop" | "open";

/** Side of a spread trade: `long` holds +y and −β·x; `short` holds −y and +β·x. */
export type TradeSide = "long" | "short";

/**
 * One round trip. Prices in quote currency, quantities in base units; PnL, fees and funding in quote
 * currency (fees and funding positive when paid).
 */
export interface Trade {
  side: TradeSide;
  /** Close time (bin open, epoch ms) of the bar whose z decided the entry. */
  entrySignalTime: number;
  /** Time of the bar at whose open the entry filled (the next bar). */
  entryTime: number;
  /** Close time of the bar whose z decided the exit; NaN for an open trade. */
  exitSignalTime: number;
  /** Time of the bar at whose open the exit filled; NaN for an open trade. */
  exitTime: number;
  /** Entry fill prices of y and x (slippage included). */
  entryPriceY: number;
  entryPriceX: number;
  /** Exit fill prices of y and x; for an open trade, the last closes (the marks). */
  exitPriceY: number;
  exitPriceX: number;
  /** β_i at the entry decision. */
  beta: number;
  /** Units of y traded: notional / open_y at the entry fill (> 0). */
  qtyY: number;
  /** β·qtyY: units of x traded (negative when β < 0: the x leg then has the same sign as the y leg). */
  qtyX: number;
  exitReason: ExitReason;
  /** Σ legs units × (exit price − entry price). */
  grossPnl: number;
  /** Entry fees + exit fees (an open trade pays no exit fee). */
  fees: number;
  /** Funding paid while the trade was held (negative when received). */
  funding: number;
  /** grossPnl − fees − funding: the trade's contribution to the final equity. */
  netPnl: number;
  /** Bar closes at which the position was held: exit fill bar − entry fill bar (open trade: up to the last bar, inclusive). */
  barsHeld: number;
}

/** Summary metrics of a backtest (see docs/backtest.md for the definitions). */
export interface BacktestMetrics {
  /** E_last / capital − 1. */
  totalReturn: number;
  /** mean(r) / std(r, ddof 1) × √(365·86400 / barSeconds) over bar returns r_i = E_i / E_{i−1} − 1; NaN when std(r) = 0 (no variation, e.g. no trade). */
  sharpe: number;
  /** max over i of 1 − E_i / max_{k≤i} E_k (a fraction, >= 0). */
  maxDrawdown: number;
  /** Number of closed trades (an open trade at the end is not counted). */
  trades: number;
  /** Share of closed trades with net PnL > 0; NaN when no trade closed. */
  winRate: number;
  /** Total fees paid (including an open trade's entry fees). */
  feesPaid: number;
  /** Total funding paid (negative when received). */
  fundingPaid: number;
  /** Share of bars that close holding a position. */
  exposure: number;
}

/** Result of a backtest that ran. Series have one slot per bar of the run. */
export interface BacktestRun {
  status: "ok";
  trades: Trade[];
  /** Bin open times of the bars of the run (epoch ms). */
  time: Float64Array;
  /** Equity at each bar close, quote currency. */
  equity: Float64Array;
  /** Units of y held at each bar close (after that bar's fills). */
  positionY: Float64Array;
  /** Units of x held at each bar close. */
  positionX: Float64Array;
  /** z-score at each bar close (NaN during warm-up). */
  zscore: Float64Array;
  /** β at each bar close (NaN during warm-up). */
  beta: Float64Array;
  metrics: BacktestMetrics;
  /** Bar length used for the Sharpe annualisation, seconds. */
  barSeconds: number;
}

/** Result when the bars are too few for the windows: the run needs `needed` bars, `got` were given. */
export interface BacktestInsufficient {
  status: "insufficient-data";
  /** Bars needed: hedgeWindow + zWindow (Kalman: warmup + 2) — the first finite z, plus one bar to fill a decision. */
  needed: number;
  got: number;
  /** A sentence for notebooks to show as a warning. */
  message: string;
}

/** What `backtestPair` returns: a run, or an explicit insufficient-data result. */
export type BacktestResult = BacktestRun | BacktestInsufficient;
