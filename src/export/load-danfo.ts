import type * as Danfo from "danfojs-node";

let cached: typeof Danfo | null = null;

/**
 * danfojs-node, loaded on first use (it takes ~0.5–1 s to require), so importing pairlab stays fast
 * for code that never builds a DataFrame. O(1) after the first call.
 */
export function danfo(): typeof Danfo {
  if (!cached) cached = require("danfojs-node") as typeof Danfo;
  return cached;
}

/** A danfo DataFrame (type only). */
export type DataFrame = Danfo.DataFrame;
