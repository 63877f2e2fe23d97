// Barrel of the notebook object layer: re-exports only.
export { openPair, type OpenPairOptions } from "./open-pair";
export { Pair, type PairSettings, type PairShowOptions, type PairLiveOptions, type PairExportOptions, type PairContext } from "./pair";
export { mergeWarm, pairWarmStart, type PairWarm, type PairWarmStartOptions, type PairWarmStartReport } from "./pair-warm-start";
export { pairFundingRates, type PairFundingRates } from "./pair-funding";
export {
  BACKTEST_VIEWS,
  DEFAULT_SWEEP_GRID,
  PAIR_BACKTEST_DEFAULTS,
  type BacktestView,
  type PairBacktestOptions,
  type PairBacktestShowOptions,
  type PairWalkForwardOptions,
  type SweepAxis,
} from "./pair-backtest";
export { openUniverse, type OpenUniverseOptions } from "./open-universe";
export {
  Universe,
  UNIVERSE_VIEWS,
  type UniverseCloses,
  type UniverseScreen,
  type UniverseBasket,
  type UniverseView,
  type UniverseShowOptions,
  type UniverseContext,
} from "./universe";
