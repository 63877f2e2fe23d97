import { parameterRangeError } from "../errors";

/** Backoff settings of webhook retries (ms). */
export interface RetryPolicy {
  /** First retry's nominal delay (default 500). */
  baseDelayMs: number;
  /** Cap of the nominal delay (default 60,000). */
  maxDelayMs: number;
  /** Cap of a server's Retry-After (default 600,000). */
  maxRetryAfterMs: number;
}

/**
 * Delay before retry number `attempt` (1 = first retry): exponential backoff with equal jitter,
 * `d = min(maxDelayMs, baseDelayMs · 2^(attempt−1))`, delay = d/2 + random·d/2; a server's Retry-After (ms)
 * wins when longer, capped at `maxRetryAfterMs`. O(1).
 * @throws RangeError (E_PARAM) when `attempt` is not an integer ≥ 1.
 * @example retryDelay(3, { baseDelayMs: 500, maxDelayMs: 60000, maxRetryAfterMs: 600000 }, () => 0.5) // 1500 (d = 2000)
 * retryDelay(1, { baseDelayMs: 500, maxDelayMs: 60000, maxRetryAfterMs: 600000 }, () => 0, 30000) // 30000
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs = NaN): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw parameterRangeError("retryDelay", "attempt", "an integer >= 1", attempt);
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 40));
  const backoff = d / 2 + random() * (d / 2);
  return Number.isFinite(retryAfterMs) && retryAfterMs > backoff ? Math.min(retryAfterMs, policy.maxRetryAfterMs) : backoff;
}

/**
 * Parses an HTTP `Retry-After` header: delta-seconds ("120") or an HTTP date, relative to `now` (epoch ms).
 * NaN when absent or unparsable; never negative. O(1).
 * @example parseRetryAfter("2", 0) // 2000
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === "") return NaN;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? NaN : Math.max(0, t - now);
}
