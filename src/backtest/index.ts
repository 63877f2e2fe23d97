// Barrel of the backtest area: re-exports only.
export type {
  BacktestBars,
  BacktestOptions,
  BacktestMetrics,
  BacktestRun,
  BacktestInsufficient,
  BacktestResult,
  FundingRates,
  Trade,
  TradeSide,
  ExitReason,
} from "./types";
export { backtestPair } from "./backtest-pair";
