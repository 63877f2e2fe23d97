// Barrel of the analytics area: re-exports only. Filled by its modules.
export {};
