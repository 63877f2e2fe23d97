// Barrel of the analytics area: re-exports only.
export type { Ticks, Bars, BarInterval } from "./types";
export { intervalMs } from "./interval";
export { resample, type ResampleOptions } from "./resample";
export { createResampler, type Resampler } from "./create-resampler";
export { assertBarMemory, resolveMaxBytes, BAR_BYTES, DEFAULT_MAX_BAR_BYTES } from "./bar-memory";
export { alignBars, type AlignedBars } from "./align-bars";
export { ols, type OlsOptions, type OlsResult } from "./ols";
export { rollingOls, type RollingOlsOptions, type RollingOlsResult } from "./rolling-ols";
export { rollingCorrelation, type RollingCorrelationOptions } from "./rolling-correlation";
export { rollingZScore } from "./rolling-zscore";
export { spread } from "./spread";
export { halfLife } from "./half-life";
export {
  zScoreAlerts,
  zScoreAlertsBatch,
  type SpreadSide,
  type ZScoreAlertEvent,
  type ZScoreAlertOptions,
  type ZScoreAlerts,
} from "./zscore-alerts";
