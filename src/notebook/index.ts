// Barrel of the notebook object layer: re-exports only.
export { openPair, type OpenPairOptions } from "./open-pair";
export { Pair, type PairSettings, type PairShowOptions, type PairLiveOptions, type PairExportOptions, type PairContext } from "./pair";
export { openUniverse, type OpenUniverseOptions, type Universe, type UniverseCloses } from "./open-universe";
