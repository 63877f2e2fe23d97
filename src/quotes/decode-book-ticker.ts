import type { Quote, QuoteRejectReason } from "./quote-types";

/**
 * Classification of one frame by {@link decodeBookTicker}:
 * - `"quote"`: a valid book ticker; `out` is filled.
 * - `"rejected"`: a book ticker that fails a field rule; `out.reason` says which (never stored).
 * - `"reply"`: a control reply (`{"result":null,"id":1}` or an `error` object).
 * - `"unknown"`: well-formed JSON of another event type.
 * - `"empty"` / `"malformed"`: zero-length, not JSON, not an object, or a symbol missing.
 */
export type BookTickerKind = "quote" | "rejected" | "reply" | "unknown" | "empty" | "malformed";

/** Output record of {@link decodeBookTicker}: a {@link Quote} plus the reject reason of the last `"rejected"` frame. */
export interface DecodedQuote extends Quote {
  /** Set when the result is `"rejected"`; `null` otherwise. */
  reason: QuoteRejectReason | null;
}

/**
 * Creates an empty {@link DecodedQuote} to pass (and reuse) with {@link decodeBookTicker}. O(1).
 * @example createDecodedQuote().reason // null
 */
export function createDecodedQuote(): DecodedQuote {
  return { symbol: "", updateId: 0, eventTime: 0, time: 0, bid: 0, bidQty: 0, ask: 0, askQty: 0, reason: null };
}

/** Binance decimal: digits with an optional fraction, at most 30 characters. */
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;
const NEGATIVE = /^-\d{1,20}(\.\d{1,20})?$/;

/** Parses a Binance decimal string; NaN for anything else, −Infinity as a marker for a negative decimal. */
function decimal(v: unknown): number {
  if (typeof v !== "string") return NaN;
  if (DECIMAL.test(v)) return +v;
  if (NEGATIVE.test(v)) return -Infinity;
  return NaN;
}

function isTime(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}

/**
 * Decodes and validates one `<symbol>@bookTicker` frame (raw, or wrapped `{"stream":…,"data":{…}}`) into
 * the caller-owned, reused `out`. Stateless field rules, in this order: `u` a non-negative safe integer
 * (`"bad-update-id"`); `T` and `E` positive safe integers (`"bad-time"`); `b`, `B`, `a`, `A` Binance decimal
 * strings (`"not-decimal"`; a negative decimal → `"non-positive-price"` / `"non-positive-quantity"`);
 * prices > 0; quantities > 0; bid < ask (`"crossed-book"` for bid > ask, `"locked-book"` for bid = ask).
 * Rules that need the previous update (ids going backwards, duplicates, time going backwards) are applied by
 * {@link QuoteStore}. Never throws. O(frame length) (`JSON.parse`).
 *
 * @example
 * const out = createDecodedQuote();
 * decodeBookTicker('{"e":"bookTicker","u":7,"E":1700000000002,"T":1700000000001,"s":"BTCUSDT","b":"100.1","B":"2","a":"100.2","A":"0.5"}', out);
 * // "quote"; out.bid = 100.1, out.ask = 100.2, out.updateId = 7
 * decodeBookTicker('{"e":"bookTicker","u":8,"E":2,"T":1,"s":"BTCUSDT","b":"101","B":"2","a":"100","A":"1"}', out);
 * // "rejected"; out.reason = "crossed-book"
 */
export function decodeBookTicker(frame: string | Buffer, out: DecodedQuote): BookTickerKind {
  out.reason = null;
  if (frame.length === 0) return "empty";
  let msg: unknown;
  try {
    msg = JSON.parse(typeof frame === "string" ? frame : frame.toString("utf8"));
  } catch {
    return "malformed";
  }
  if (msg === null || typeof msg !== "object" || Array.isArray(msg)) return "malformed";
  let p = msg as Record<string, unknown>;
  let stream: string | undefined;
  if (typeof p.stream === "string" && p.data !== null && typeof p.data === "object" && !Array.isArray(p.data)) {
    stream = p.stream;
    p = p.data as Record<string, unknown>;
  } else if (("result" in p || "error" in p) && "id" in p) {
    return "reply";
  }
  // Binance's bookTicker frames carry e = "bookTicker"; older/raw frames may omit it (then the keys decide).
  if (p.e !== undefined && p.e !== "bookTicker") return "unknown";
  if (p.e === undefined && !("b" in p && "a" in p && "u" in p)) return "unknown";
  let symbol: string;
  if (typeof p.s === "string" && p.s.length > 0) symbol = p.s.toLowerCase();
  else if (stream !== undefined && stream.indexOf("@") > 0) symbol = stream.slice(0, stream.indexOf("@")).toLowerCase();
  else return "malformed";
  out.symbol = symbol;
  const reject = (reason: QuoteRejectReason): BookTickerKind => {
    out.reason = reason;
    return "rejected";
  };
  const u = p.u;
  if (typeof u !== "number" || !Number.isSafeInteger(u) || u < 0) return reject("bad-update-id");
  out.updateId = u;
  if (!isTime(p.T) || !isTime(p.E)) return reject("bad-time");
  out.time = p.T;
  out.eventTime = p.E;
  const bid = decimal(p.b);
  const bidQty = decimal(p.B);
  const ask = decimal(p.a);
  const askQty = decimal(p.A);
  if (Number.isNaN(bid) || Number.isNaN(bidQty) || Number.isNaN(ask) || Number.isNaN(askQty)) return reject("not-decimal");
  out.bid = bid;
  out.bidQty = bidQty;
  out.ask = ask;
  out.askQty = askQty;
  if (!(bid > 0) || !(ask > 0)) return reject("non-positive-price");
  if (!(bidQty > 0) || !(askQty > 0)) return reject("non-positive-quantity");
  if (bid > ask) return reject("crossed-book");
  if (bid === ask) return reject("locked-book");
  return "quote";
}
