import { parameterRangeError } from "../errors";
import type { ProgressCallback } from "./progress";
import { KLINE_INTERVALS, type BinanceRestClient, type KlineColumns, type KlineInterval } from "./rest-client";

/**
 * Downloads every kline of `symbol` whose open time is in [from, to), paging 1500 at a time (the maximum,
 * weight 10 each), oldest first; calls `onProgress` after each page. O(bars) memory; requests =
 * ⌈bars / 1500⌉ (24 h of 1m bars: 1 request; of 1s bars: 58).
 *
 * @throws RangeError (E_PARAM) for an unknown interval or from > to; rejects with RestError from the client.
 * @example
 * const k = await fetchKlineRange(client, "btcusdt", "1m", now - 86_400_000, now);
 * k.time.length; // 1440
 */
export async function fetchKlineRange(
  client: BinanceRestClient,
  symbol: string,
  interval: KlineInterval,
  from: number,
  to: number,
  onProgress?: ProgressCallback,
): Promise<KlineColumns> {
  const I = KLINE_INTERVALS[interval];
  if (I === undefined) throw parameterRangeError("fetchKlineRange", "interval", Object.keys(KLINE_INTERVALS).join(", "), interval);
  if (!(Number.isFinite(from) && Number.isFinite(to) && from <= to)) throw parameterRangeError("fetchKlineRange", "to", `a finite epoch ms >= from (${from})`, to);
  const pages: KlineColumns[] = [];
  let cursor = Math.ceil(from / I) * I;
  const total = Math.max(1, to - cursor);
  const start = cursor;
  while (cursor < to) {
    const page = await client.klines(symbol, interval, { startTime: cursor, endTime: to - 1, limit: 1500 });
    const n = page.time.length;
    if (n === 0) break;
    pages.push(page);
    cursor = page.time[n - 1] + I;
    onProgress?.({ what: `${symbol} ${interval} klines`, done: Math.min(total, cursor - start), total });
    if (n < 1500) break;
  }
  return concatKlines(pages);
}

function concatKlines(pages: KlineColumns[]): KlineColumns {
  let n = 0;
  for (const p of pages) n += p.time.length;
  const keys = ["time", "open", "high", "low", "close", "volume", "closeTime", "quoteVolume", "count", "takerBuyVolume", "takerBuyQuoteVolume"] as const;
  const out = Object.fromEntries(keys.map((k) => [k, new Float64Array(n)])) as unknown as KlineColumns;
  let k = 0;
  for (const p of pages) {
    for (const key of keys) out[key].set(p[key], k);
    k += p.time.length;
  }
  return out;
}
