import { scanBinanceTrade } from "./scan-binance-trade";
import { scanTradeFrame } from "./scan-trade-frame";
import { finishTrade, isBinanceDecimal, reject, type RejectReason } from "./trade-validation";

/**
 * Decoding of Binance trade frames (`trade` and `aggTrade`, raw or wrapped as
 * `{"stream":"btcusdt@trade","data":{…}}`) into a caller-owned, reused {@link DecodedTrade}: no object
 * is allocated per frame beyond what `JSON.parse` itself creates. Nothing here throws: every frame is
 * classified.
 */

/** Classification of one frame. */
export type FrameKind =
  /** A valid trade; the output record is filled. */
  | "trade"
  /** Binance `@trade` zero-price, zero-quantity frame: an id is consumed but nothing traded. Not a gap. */
  | "spent"
  /** A reply to a control message, e.g. `{"result":null,"id":1}` or an `{"error":…}` object. */
  | "reply"
  /** Well-formed JSON that is not a trade event (another event type). */
  | "unknown"
  /** Zero-length frame. */
  | "empty"
  /** Not JSON, not an object, or a trade with missing/ill-typed fields. */
  | "malformed"
  /** A trade that fails validation (the reason is in `DecodedTrade.reason`; see `RejectReason`). */
  | "invalid";

/** Output record of {@link decodeFrame}; fields are valid only when the result is `"trade"` or `"spent"`. */
export interface DecodedTrade {
  /** Lower-case symbol ("btcusdt"). */
  symbol: string;
  /** Which stream the frame came from. */
  stream: "trade" | "aggTrade";
  /** Trade id (`t`) or aggregate id (`a`). */
  id: number;
  /** First and last underlying trade ids (`f`/`l` of aggTrade; both = `t` for trade). */
  firstTradeId: number;
  lastTradeId: number;
  /** Trade time `T`, epoch ms. */
  time: number;
  /** Event time `E`, epoch ms (NaN when the frame has none). */
  eventTime: number;
  /** Price and quantity, parsed from Binance's decimal strings. */
  price: number;
  qty: number;
  /** Why the frame was `"invalid"` ("" otherwise). */
  reason: RejectReason | "";
}

/**
 * Creates an empty {@link DecodedTrade} to pass (and reuse) with {@link decodeFrame}. O(1).
 *
 * @example
 * const out = createDecodedTrade(); // { symbol: "", stream: "trade", id: 0, … }
 */
export function createDecodedTrade(): DecodedTrade {
  return { symbol: "", stream: "trade", id: 0, firstTradeId: 0, lastTradeId: 0, time: 0, eventTime: NaN, price: 0, qty: 0, reason: "" };
}

const lowerCache = new Map<string, string>();
function lower(s: string): string {
  let v = lowerCache.get(s);
  if (v === undefined) {
    v = s.toLowerCase();
    if (lowerCache.size < 10_000) lowerCache.set(s, v);
  }
  return v;
}


function isId(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Classifies one WebSocket text frame and, for trades, fills `out`. Accepts the frame as a string or a
 * UTF-8 Buffer. Rules: empty → `"empty"`; invalid JSON or non-object → `"malformed"`; an object with
 * `result`/`error` and `id` → `"reply"`; event `e` other than `trade`/`aggTrade` → `"unknown"`; missing
 * symbol/id/time or ill-typed fields → `"malformed"`; `@trade` with price 0 and quantity 0 → `"spent"`;
 * a trade failing validation (`RejectReason`: ids, Binance decimal strings, positive price and quantity,
 * `T`/`E` epoch ms in [2017-01-01, now + 1 day]) → `"invalid"` with `out.reason` set. The symbol comes from `s`, or from the
 * stream name when `s` is absent. O(frame length) (dominated by `JSON.parse`).
 *
 * @example
 * const out = createDecodedTrade();
 * decodeFrame('{"stream":"btcusdt@trade","data":{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":7,"p":"100.5","q":"0.2","X":"MARKET","m":true}}', out);
 * // "trade"; out = { symbol: "btcusdt", stream: "trade", id: 7, firstTradeId: 7, lastTradeId: 7, time: 1, price: 100.5, qty: 0.2 }
 * decodeFrame('{"result":null,"id":1}', out); // "reply"
 */
export function decodeFrame(frame: string | Buffer, out: DecodedTrade): FrameKind {
  if (frame.length === 0) return "empty";
  out.reason = "";
  if (typeof frame !== "string") {
    const exact = scanBinanceTrade(frame, out);
    if (exact !== "fallback") return exact;
    const fast = scanTradeFrame(frame, out);
    if (fast !== "fallback") return fast;
  }
  return decodeFrameJson(frame, out);
}

/**
 * The reference decoder behind {@link decodeFrame}: `JSON.parse` then field checks. `decodeFrame` first
 * tries a byte scanner on Buffers and falls back to this for anything unusual; both classify identically
 * (property-tested). O(frame length).
 *
 * @example
 * decodeFrameJson('{"e":"trade","T":1,"s":"BTCUSDT","t":5,"p":"0","q":"0"}', createDecodedTrade()); // "spent"
 */
export function decodeFrameJson(frame: string | Buffer, out: DecodedTrade): FrameKind {
  if (frame.length === 0) return "empty";
  out.reason = "";
  let msg: unknown;
  try {
    msg = JSON.parse(typeof frame === "string" ? frame : frame.toString("utf8"));
  } catch {
    return "malformed";
  }
  if (msg === null || typeof msg !== "object" || Array.isArray(msg)) return "malformed";
  let payload = msg as Record<string, unknown>;
  let streamLabel: unknown;
  const data = payload.data;
  if (typeof payload.stream === "string" && data !== null && typeof data === "object" && !Array.isArray(data)) {
    streamLabel = payload.stream;
    payload = data as Record<string, unknown>;
  } else if (("result" in payload || "error" in payload) && "id" in payload) {
    return "reply";
  }
  const e = payload.e;
  let kind: "trade" | "aggTrade";
  if (e === "trade") kind = "trade";
  else if (e === "aggTrade") kind = "aggTrade";
  else return "unknown";

  let symbol: string;
  if (typeof payload.s === "string" && payload.s.length > 0) symbol = lower(payload.s);
  else if (typeof streamLabel === "string" && streamLabel.indexOf("@") > 0) symbol = lower(streamLabel.slice(0, streamLabel.indexOf("@")));
  else return "malformed";

  const time = payload.T;
  if (typeof time !== "number") return "malformed";
  if (kind === "trade") {
    const t = payload.t;
    if (!isId(t)) return typeof t === "number" ? reject(out, "id") : "malformed";
    out.id = t;
    out.firstTradeId = t;
    out.lastTradeId = t;
  } else {
    const a = payload.a;
    const f = payload.f;
    const l = payload.l;
    if (!isId(a)) return typeof a === "number" ? reject(out, "id") : "malformed";
    out.id = a;
    out.firstTradeId = isId(f) ? f : a;
    out.lastTradeId = isId(l) && l >= out.firstTradeId ? l : out.firstTradeId;
  }
  out.symbol = symbol;
  out.stream = kind;
  out.time = time;
  const eventTime = payload.E;
  out.eventTime = eventTime === undefined ? NaN : typeof eventTime === "number" ? eventTime : -1; // a non-numeric E fails the window
  const p = payload.p;
  const q = payload.q;
  if (typeof p !== "string" || !isBinanceDecimal(p)) return reject(out, "price-format");
  if (typeof q !== "string" || !isBinanceDecimal(q)) return reject(out, "qty-format");
  out.price = +p;
  out.qty = +q;
  return finishTrade(out);
}
