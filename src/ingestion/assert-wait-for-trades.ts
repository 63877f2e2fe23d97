import { parameterRangeError } from "../errors";
import { assertInteger } from "../validate";

/**
 * Checks the arguments of `Ingestion.waitForTrades(count, timeoutMs)` (both ingestion engines). O(1).
 *
 * @param count trades per symbol to wait for: integer ≥ 0.
 * @param timeoutMs how long to wait, ms: a number > 0 (Infinity: no limit).
 * @throws RangeError (E_PARAM) naming the argument, its accepted values and the value given.
 */
export function assertWaitForTrades(count: number, timeoutMs: number): void {
  assertInteger("waitForTrades", "count", count, 0);
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0)) throw parameterRangeError("waitForTrades", "timeoutMs", "a number of ms > 0 (Infinity: no limit)", timeoutMs);
}
