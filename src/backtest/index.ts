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
export {
  sweepBacktest,
  MAX_SWEEP_COMBINATIONS,
  SWEEP_METRICS,
  type SweepGrid,
  type SweepParams,
  type SweepRow,
  type SweepSkipped,
  type SweepResult,
  type SweepMetric,
} from "./sweep-backtest";
export { walkForward, type WalkForwardOptions, type WalkForwardResult, type WalkForwardInsufficient } from "./walk-forward";
export { deflatedSharpeRatio, type DeflatedSharpe } from "./deflated-sharpe";
export { backtestSummary, type DistributionRow } from "./backtest-summary";
export { kalmanSignal, resolveKalmanSettings, KALMAN_DEFAULTS } from "./kalman-signal";
export type { KalmanSettings, ResolvedKalmanSettings, KalmanSignal } from "./kalman-signal";
