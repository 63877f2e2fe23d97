/**
 * Binance USD-M futures WebSocket routing (as of 2026-04-23, when the root `/ws` and `/stream` paths were
 * retired for market data): `<symbol>@trade` is served on `/public`, `<symbol>@aggTrade` on `/market`.
 * A connection on the wrong route is accepted but silently delivers nothing, which is why the ingestion
 * also runs a silence watchdog.
 */

/** Trade stream kinds the ingestion understands. */
export type TradeStream = "trade" | "aggTrade";

/** Route (first path segment) of a USD-M market stream. */
export type StreamRoute = "public" | "market";

/** Production base URL of Binance USD-M futures market streams. */
export const BINANCE_FUTURES_WS = "wss://fstream.binance.com";

/**
 * Streams per combined connection. Binance documents 1024 for USD-M but several maintained clients
 * measured 200; we shard at the lower value.
 */
export const MAX_STREAMS_PER_CONNECTION = 200;

/**
 * Route of a trade stream: `trade` → `"public"`, `aggTrade` → `"market"`. O(1).
 *
 * @example
 * routeFor("trade");    // "public"
 * routeFor("aggTrade"); // "market"
 */
export function routeFor(stream: TradeStream): StreamRoute {
  return stream === "trade" ? "public" : "market";
}

/**
 * Stream name of a symbol: `"btcusdt@trade"`. Symbols must already be lower-case. O(1).
 *
 * @example
 * streamName("btcusdt", "aggTrade"); // "btcusdt@aggTrade"
 */
export function streamName(symbol: string, stream: TradeStream): string {
  return `${symbol}@${stream}`;
}

/**
 * Human description of a route, as shown in `stats().route`. O(1).
 *
 * @example
 * describeRoute("aggTrade"); // "/market aggTrade"
 */
export function describeRoute(stream: TradeStream): string {
  return `/${routeFor(stream)} ${stream}`;
}

/**
 * Builds the combined-stream URLs for `symbols` on `baseUrl`: one URL per shard of at most
 * `maxPerConnection` streams, `${base}/${route}/stream?streams=a@trade/b@trade`. The streams are in the
 * URL, so no SUBSCRIBE message is ever sent (Binance's 10 inbound messages/s limit cannot be hit). A
 * trailing `/` on the base is ignored. O(n).
 *
 * @throws RangeError when `maxPerConnection < 1`.
 * @example
 * combinedStreamUrls("wss://fstream.binance.com", ["btcusdt", "ethusdt"], "trade");
 * // ["wss://fstream.binance.com/public/stream?streams=btcusdt@trade/ethusdt@trade"]
 */
export function combinedStreamUrls(
  baseUrl: string,
  symbols: readonly string[],
  stream: TradeStream,
  maxPerConnection = MAX_STREAMS_PER_CONNECTION,
): string[] {
  if (!(maxPerConnection >= 1)) throw new RangeError(`combinedStreamUrls: 'maxPerConnection' must be >= 1, got ${maxPerConnection}`);
  const base = baseUrl.replace(/\/+$/, "");
  const route = routeFor(stream);
  const urls: string[] = [];
  for (let i = 0; i < symbols.length; i += maxPerConnection) {
    const names = symbols.slice(i, i + maxPerConnection).map((s) => streamName(s, stream));
    urls.push(`${base}/${route}/stream?streams=${names.join("/")}`);
  }
  return urls;
}

/**
 * Raw-stream URL of one stream: `${base}/${route}/ws/btcusdt@trade` (payloads are not wrapped). O(1).
 *
 * @example
 * rawStreamUrl("ws://127.0.0.1:9000", "btcusdt", "aggTrade"); // "ws://127.0.0.1:9000/market/ws/btcusdt@aggTrade"
 */
export function rawStreamUrl(baseUrl: string, symbol: string, stream: TradeStream): string {
  return `${baseUrl.replace(/\/+$/, "")}/${routeFor(stream)}/ws/${streamName(symbol, stream)}`;
}
