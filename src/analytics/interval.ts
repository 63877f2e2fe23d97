import { parameterRangeError } from "../errors";
import type { BarInterval } from "./types";

const NAMED: Record<string, number> = { "1s": 1_000, "1m": 60_000, "5m": 300_000 };

/**
 * Converts a bar interval ("1s", "1m", "5m" or a positive integer of milliseconds) to milliseconds. O(1).
 *
 * @throws RangeError (code E_PARAM) for any other value.
 * @example intervalMs("1m") // 60000
 */
export function intervalMs(what: string, interval: BarInterval): number {
  if (typeof interval === "string" && Object.prototype.hasOwnProperty.call(NAMED, interval)) return NAMED[interval];
  if (typeof interval === "number" && Number.isInteger(interval) && interval >= 1 && interval <= 2 ** 40) return interval;
  throw parameterRangeError(what, "interval", `one of "1s", "1m", "5m" or an integer number of milliseconds in [1, 2^40]`, interval);
}
