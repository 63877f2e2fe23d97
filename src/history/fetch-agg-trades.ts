import { parameterRangeError } from "../errors";
import type { ProgressCallback } from "./progress";
import type { AggTrade, BinanceRestClient } from "./rest-client";

/** Widest time window one aggTrades request may ask for (Binance: the window must be shorter than 1 h). */
export const AGG_WINDOW_MS = 3_600_000 - 1;

/**
 * Downloads every aggregate trade of `symbol` with time in [from, to] (inclusive), oldest first: the range is
 * cut into windows shorter than 1 h; a window with more than 1000 aggregates continues by `fromId` (last `a` + 1)
 * until past the window. Calls `onProgress` after each page. Weight 20 per request.
 *
 * @throws RangeError (E_PARAM) when from > to or either is not finite; rejects with RestError from the client.
 * @example
 * const aggs = await fetchAggTradeRange(client, "btcusdt", t0, t0 + 5 * 60_000);
 * aggs[0].f; // first trade id of the first aggregate
 */
export async function fetchAggTradeRange(client: BinanceRestClient, symbol: string, from: number, to: number, onProgress?: ProgressCallback): Promise<AggTrade[]> {
  if (!(Number.isFinite(from) && Number.isFinite(to) && from <= to)) throw parameterRangeError("fetchAggTradeRange", "to", `a finite epoch ms >= from (${from})`, to);
  const out: AggTrade[] = [];
  const total = Math.max(1, to - from);
  for (let start = from; start <= to; start += AGG_WINDOW_MS + 1) {
    const end = Math.min(to, start + AGG_WINDOW_MS);
    let page = await client.aggTrades(symbol, { startTime: start, endTime: end, limit: 1000 });
    for (;;) {
      for (const a of page) if (a.T >= start && a.T <= end && (out.length === 0 || a.a > out[out.length - 1].a)) out.push(a);
      onProgress?.({ what: `${symbol} aggTrades`, done: Math.min(total, (page.length ? page[page.length - 1].T : end) - from), total });
      if (page.length < 1000 || page[page.length - 1].T > end) break;
      page = await client.aggTrades(symbol, { fromId: page[page.length - 1].a + 1, limit: 1000 });
    }
  }
  return out;
}
