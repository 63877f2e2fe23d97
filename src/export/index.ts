// Barrel of the export area: re-exports only. Filled by its modules.
export {};
