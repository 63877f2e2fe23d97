// Barrel of the notebook object layer: re-exports only.
export {};
