import type { Bars } from "../analytics/types";
import type { KlineColumns } from "./rest-client";

/**
 * Turns klines into pairlab {@link Bars}: OHLC and volume as given, `count` = the kline's trade count and
 * `vwap` = quote volume / volume (NaN when the volume is 0). Such a bar equals, field for field, the bar
 * `resample()` gives on the same trades. `partial` is true when the last kline closes after `now`. O(n).
 *
 * @example
 * klinesToBars(k, 60_000, Date.now()).vwap[0]; // k.quoteVolume[0] / k.volume[0]
 */
export function klinesToBars(k: KlineColumns, intervalMs: number, now: number): Bars {
  const n = k.time.length;
  const vwap = new Float64Array(n);
  for (let i = 0; i < n; i++) vwap[i] = k.volume[i] > 0 ? k.quoteVolume[i] / k.volume[i] : NaN;
  return {
    time: k.time.slice(),
    open: k.open.slice(),
    high: k.high.slice(),
    low: k.low.slice(),
    close: k.close.slice(),
    volume: k.volume.slice(),
    vwap,
    count: k.count.slice(),
    partial: n > 0 && now < k.time[n - 1] + intervalMs,
    interval: intervalMs,
  };
}
