/**
 * pairlab's internal entry: every area's full barrel (transport classes, decoders, clocks, HTML escaping,
 * binning kernels' helpers…). For tests and benchmarks; not a stable API. Users import `pairlab` (src/index.ts).
 */
export * from "./errors";
export { version } from "./version";
export * from "./analytics";
export * from "./stationarity";
export * from "./backtest";
export * from "./universe";
export * from "./archive";
export * from "./history";
export * from "./quotes";
export * from "./alerts";
export * from "./ingestion";
export * from "./pair";
export * from "./charts";
export * from "./export";
export * from "./notebook";
