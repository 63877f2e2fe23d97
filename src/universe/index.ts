// Barrel of the universe area: re-exports only.
export { screenPairs } from "./screen-pairs";
export type { ScreenPairsOptions, ScreenResult, ScreenRow, PValueFilter } from "./screen-pairs";
export { johansenTest } from "./johansen-test";
export type { JohansenOptions, JohansenResult, JohansenCriticalValues, JohansenDetOrder } from "./johansen-test";
export { kalmanHedge } from "./kalman-hedge";
export type { KalmanHedgeOptions, KalmanHedgeResult } from "./kalman-hedge";
export { hurstExponent } from "./hurst";
export type { HurstOptions } from "./hurst";
export { meanCrossings } from "./mean-crossings";
export { holmAdjust, benjaminiHochbergAdjust } from "./p-adjust";
export { screenPairsParallel } from "./screen-pairs-parallel";
export type { ScreenPairsParallelOptions } from "./screen-pairs-parallel";
export { alignCloses } from "./align-closes";
export type { AlignedCloses } from "./align-closes";
