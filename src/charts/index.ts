// Barrel of the charts area: re-exports only. Filled by its modules.
export {};
