// Barrel of the quotes area (book ticker: decoding, storage, analytics, fills, demo generator): re-exports only.
export { QUOTE_REJECT_REASONS, type Quote, type QuoteColumns, type QuoteRejectReason, type QuoteSeries, type QuoteSymbolStats } from "./quote-types";
export { decodeBookTicker, createDecodedQuote, type BookTickerKind, type DecodedQuote } from "./decode-book-ticker";
export { QuoteStore, type QuoteAppendResult } from "./quote-store";
export { quoteBars, type QuoteBars, type QuoteBarsOptions } from "./quote-bars";
export { quotedSpreadBps } from "./quoted-spread";
export { roundTripCost, type PairTouch, type RoundTripCost, type RoundTripCostOptions } from "./round-trip-cost";
export { quoteFill, type QuoteFill } from "./quote-fill";
export { demoBookTickers, bookTickerFrame, type DemoTrades, type DemoBookTickerOptions } from "./demo-book-tickers";
export { pairRoundTripCost, type PairRoundTripCost } from "./pair-round-trip-cost";
