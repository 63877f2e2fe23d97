/**
 * Shared shapes of the quotes area (Binance USD-M `<symbol>@bookTicker`: best bid/ask and their sizes).
 */

/**
 * One decoded book-ticker update. Prices in quote currency, quantities in base asset, times in epoch ms.
 * `updateId` is Binance's `u` (order-book update id), `eventTime` its `E`, `time` its `T` (transaction time).
 */
export interface Quote {
  /** Lower-case symbol ("btcusdt"). */
  symbol: string;
  /** Order-book update id `u`. */
  updateId: number;
  /** Event time `E`, epoch ms. */
  eventTime: number;
  /** Transaction time `T`, epoch ms: the time a quote is stored and binned under. */
  time: number;
  /** Best bid price `b`. */
  bid: number;
  /** Best bid quantity `B`. */
  bidQty: number;
  /** Best ask price `a`. */
  ask: number;
  /** Best ask quantity `A`. */
  askQty: number;
}

/**
 * Quotes of one symbol, columnar, oldest first (`time` non-decreasing). All six columns have the same length.
 */
export interface QuoteColumns {
  time: Float64Array;
  updateId: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
}

/**
 * Why a book-ticker update was rejected (counted per reason, never stored):
 * - `"not-decimal"`: a price or quantity is not a Binance decimal string (`"123.45"`: digits, one optional
 *   fraction; no JSON number, sign, exponent, blank, `NaN`).
 * - `"non-positive-price"`: bid or ask ≤ 0 (a `"-1.5"` string is reported here, not as `"not-decimal"`).
 * - `"non-positive-quantity"`: bid or ask quantity ≤ 0.
 * - `"crossed-book"`: bid > ask. `"locked-book"`: bid = ask (impossible on a matching engine's top of book).
 * - `"bad-time"`: `T` or `E` missing, not a positive safe integer.
 * - `"bad-update-id"`: `u` missing or not a non-negative safe integer.
 * - `"update-id-backwards"`: `u` lower than the symbol's last accepted `u` (stateful, {@link QuoteStore}).
 * - `"duplicate"`: `u` equal to the last accepted one (a resent frame).
 * - `"time-backwards"`: `T` earlier than the symbol's last accepted `T` while `u` advanced.
 */
export type QuoteRejectReason =
  | "not-decimal"
  | "non-positive-price"
  | "non-positive-quantity"
  | "crossed-book"
  | "locked-book"
  | "bad-time"
  | "bad-update-id"
  | "update-id-backwards"
  | "duplicate"
  | "time-backwards";

/** Every {@link QuoteRejectReason}, in documentation order. */
export const QUOTE_REJECT_REASONS: readonly QuoteRejectReason[] = [
  "not-decimal",
  "non-positive-price",
  "non-positive-quantity",
  "crossed-book",
  "locked-book",
  "bad-time",
  "bad-update-id",
  "update-id-backwards",
  "duplicate",
  "time-backwards",
];

/** The columns quote analytics read (a {@link QuoteColumns} fits; plain arrays too). Oldest first. */
export interface QuoteSeries {
  time: ArrayLike<number>;
  bid: ArrayLike<number>;
  ask: ArrayLike<number>;
  bidQty: ArrayLike<number>;
  askQty: ArrayLike<number>;
}

/** Per-symbol counters of a quote store (`QuoteStore.stats`, and the ingestion worker's shared quote store). */
export interface QuoteSymbolStats {
  /** Quotes currently held. */
  size: number;
  /** Updates accepted (stored or conflated into the same millisecond's slot). */
  accepted: number;
  /** Accepted updates that replaced the previous quote of the same millisecond (the storage rule). */
  conflated: number;
  /** Oldest quotes dropped because the symbol was at capacity (overwritten by the ring). */
  evicted: number;
  /** Jumps in `u` greater than 1 between two accepted updates. */
  gaps: number;
  /** Sum of the ids skipped by those jumps (u − previous u − 1). */
  missingIds: number;
  /** Rejected updates by reason (never stored). */
  rejected: Record<QuoteRejectReason, number>;
  /** Last accepted quote's `T`, epoch ms (NaN before the first). */
  lastTime: number;
  /** Last accepted `u` (NaN before the first). */
  lastUpdateId: number;
}
