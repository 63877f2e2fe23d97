import type { DecodedTrade } from "./decode-frame";

/** Earliest accepted trade/event time: 2017-01-01T00:00:00Z (epoch ms; Binance futures did not exist before). */
export const MIN_TRADE_TIME = Date.UTC(2017, 0, 1);

/** Accepted times reach this far past the local clock (ms): one day, for a badly set local clock. */
export const MAX_TRADE_TIME_AHEAD = 86_400_000;

/**
 * Why a trade frame was rejected (counted by reason in `stats().rejected`; such a frame is never stored):
 * - `"id"`: `t` / `a` is not a safe integer ≥ 0;
 * - `"price-format"` / `"qty-format"`: `p` / `q` is not a Binance decimal string (digits with an optional
 *   `.digits` fraction: no sign, hex, binary, exponent, whitespace, leading or trailing dot, or JSON number);
 * - `"price-range"` / `"qty-range"`: not > 0 and finite (except the `@trade` spent-id frame, price 0 and qty 0);
 * - `"time-range"` / `"event-time-range"`: `T` / `E` is not an integer number of epoch ms in
 *   [2017-01-01, now + 1 day] (catches seconds, microseconds, 1970, 1e300, fractions). `E` may be absent.
 */
export type RejectReason = "id" | "price-format" | "qty-format" | "price-range" | "qty-range" | "time-range" | "event-time-range";

let maxTime = 0;

/**
 * True when `t` is an integer epoch-ms time in [2017-01-01, now + 1 day]. Reads the clock only when `t`
 * passes the cached bound. O(1).
 *
 * @example
 * isTradeTime(1_700_000_000_000); // true
 * isTradeTime(1_700_000_000);     // false (seconds)
 */
export function isTradeTime(t: number): boolean {
  return Number.isSafeInteger(t) && t >= MIN_TRADE_TIME && !(t > maxTime && t > refreshMaxTime());
}

/** Re-reads the clock for the upper bound of accepted times; returns it. */
function refreshMaxTime(): number {
  maxTime = Date.now() + MAX_TRADE_TIME_AHEAD;
  return maxTime;
}

/**
 * True when `s` is a Binance decimal string: `[0-9]+` optionally followed by `.` and `[0-9]+`. O(length).
 *
 * @example
 * isBinanceDecimal("97000.10"); // true
 * isBinanceDecimal("0x10");     // false (also "1e3", " 97000 ", "-1", ".5", "1.", "")
 */
export function isBinanceDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === 0) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46) return false;
  const f = ++i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i === n && i > f;
}

/**
 * The checks every decoder applies last, to a frame it decoded fully (`out` filled; `out.eventTime` NaN
 * when `E` is absent): the spent-id rule, then price, quantity, `T` and `E`, in that order; the first
 * failure sets `out.reason` and returns `"invalid"`. O(1).
 *
 * @example
 * const out = { ...createDecodedTrade(), stream: "trade", price: 1, qty: 1, time: 1.5 };
 * finishTrade(out); // "invalid", out.reason === "time-range"
 */
export function finishTrade(out: DecodedTrade): "trade" | "spent" | "invalid" {
  const spent = out.stream === "trade" && out.price === 0 && out.qty === 0;
  if (!spent) {
    if (!(out.price > 0 && out.price < Infinity)) return reject(out, "price-range");
    if (!(out.qty > 0 && out.qty < Infinity)) return reject(out, "qty-range");
  }
  // isTradeTime's test, written out: a double passed to a call V8 does not inline is boxed as a heap number,
  // and on the decoders' hot path that was two allocations per frame.
  const t = out.time;
  if (!(Number.isSafeInteger(t) && t >= MIN_TRADE_TIME && !(t > maxTime && t > refreshMaxTime()))) return reject(out, "time-range");
  const e = out.eventTime;
  if (e === e && !(Number.isSafeInteger(e) && e >= MIN_TRADE_TIME && !(e > maxTime && e > refreshMaxTime()))) return reject(out, "event-time-range");
  return spent ? "spent" : "trade";
}

/**
 * Sets `out.reason` and returns `"invalid"`. O(1).
 *
 * @example
 * return reject(out, "price-format");
 */
export function reject(out: DecodedTrade, reason: RejectReason): "invalid" {
  out.reason = reason;
  return "invalid";
}
