// Barrel of the ingestion area: re-exports only. Filled by its modules.
export {};
