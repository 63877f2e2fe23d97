/**
 * pairlab's public API. This file only re-exports; each area lives in its own folder:
 * `ingestion/` (live trades, tick store, demo exchange), `analytics/` (bars, OLS, rolling stats, alerts),
 * `stationarity/` (ADF, Engle-Granger), `charts/` (Plotly figures, notebook display), `export/` (danfo, CSV).
 */
export * from "./errors";
export { version } from "./version";
export * from "./analytics";
export * from "./stationarity";
export * from "./ingestion";
export * from "./charts";
export * from "./export";
export * from "./quotes";
export * from "./alerts";
