// Barrel of the stationarity area: re-exports only.
export { adfTest, adfMinimumLength, defaultMaxlag, AUTOLAGS } from "./adf";
export type { AdfOptions, AdfResult, Autolag } from "./adf";
export { mackinnonPValue, mackinnonCriticalValues, REGRESSIONS } from "./mackinnon";
export type { CriticalValues, Regression } from "./mackinnon";
export { normalCdf } from "./normal-cdf";
export { engleGranger } from "./engle-granger";
export type { EngleGrangerOptions, EngleGrangerResult } from "./engle-granger";
