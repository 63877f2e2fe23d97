import type { QuoteSymbolStats } from "../quotes/quote-types";
import type { SharedQuoteStore } from "./shared-quote-store";

/** Book-ticker part of `IngestionStats` (present with `quotes: true`). */
export interface QuoteFeedStats {
  /** "/public bookTicker". */
  route: string;
  /** Book-ticker frames received (all kinds). */
  messages: number;
  /** Frames that were not a book ticker of a subscribed symbol (replies, other events, malformed). */
  ignored: number;
  /** Empty or malformed frames (a subset of `ignored`). */
  malformed: number;
  /** Per symbol: accepted, conflated, evicted, gaps in `u`, missing ids, rejected by reason, size. */
  symbols: Record<string, QuoteSymbolStats>;
}

/**
 * Combined-stream URLs of `<symbol>@bookTicker` on Binance USD-M's `/public` route (as `@trade`), one per
 * shard of at most `maxPerConnection` streams. O(n).
 *
 * @throws RangeError when `maxPerConnection < 1`.
 * @example
 * bookTickerUrls("wss://fstream.binance.com", ["btcusdt", "ethusdt"]);
 * // ["wss://fstream.binance.com/public/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker"]
 */
export function bookTickerUrls(baseUrl: string, symbols: readonly string[], maxPerConnection = 200): string[] {
  if (!(maxPerConnection >= 1)) throw new RangeError(`bookTickerUrls: 'maxPerConnection' must be >= 1, got ${maxPerConnection}`);
  const base = baseUrl.replace(/\/+$/, "");
  const urls: string[] = [];
  for (let i = 0; i < symbols.length; i += maxPerConnection) {
    urls.push(`${base}/public/stream?streams=${symbols.slice(i, i + maxPerConnection).map((s) => `${s}@bookTicker`).join("/")}`);
  }
  return urls;
}

/** The book-ticker counters of an ingestion's quote store (for `stats().quotes`). O(symbols). */
export function quoteStats(store: SharedQuoteStore, messages: number): QuoteFeedStats {
  const symbols: Record<string, QuoteSymbolStats> = {};
  for (const s of store.symbols) symbols[s] = store.stats(s);
  return { route: "/public bookTicker", messages, ignored: store.ignored, malformed: store.malformed, symbols };
}
