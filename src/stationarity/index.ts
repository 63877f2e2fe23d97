// Barrel of the stationarity area: re-exports only. Filled by its modules.
export {};
