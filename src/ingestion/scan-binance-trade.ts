import type { DecodedTrade } from "./decode-frame";
import { symbolOf } from "./scan-trade-frame";
import { finishTrade } from "./trade-validation";
import * as bytes from "./frame-bytes";
import type { Learned } from "./frame-bytes";

// The shared readers bound once to module constants: called through the module object, each call would first run
// the CommonJS export getter (tsx / esbuild emit one per export) and V8 then stops inlining them (2× slower per frame).
const { byteAt, findLearned, frameOffset, keepLearned, key, learn, learnWrapped, literal, match, matchKey, matchLearned, num, readDecimal, readInt, readTime, skipString, slotAt, wordAt } = bytes;

/**
 * The fastest decode path: a straight-line matcher for the exact byte layout Binance (and the demo
 * exchange) use for USD-M `@trade` events, raw or wrapped:
 *
 *   {"stream":"<name>","data":{"e":"trade","E":<int>,"T":<int>,"s":"<SYM>","t":<int>,"p":"<dec>","q":"<dec>","X":"<str>","m":<bool>}}
 *
 * Every byte of the frame is still validated, but four bytes at a time where it can: the fixed parts (keys,
 * colons, commas, quotes) are compared as 32-bit words through a `DataView` over the frame's `ArrayBuffer`
 * (cached while the transport reads frames in place out of the same socket chunk), and the digits of the
 * numbers are checked and converted four at a time (SWAR); no key dispatch happens. The byte readers are
 * shared with the `@bookTicker` scanner (frame-bytes.ts).
 * Anything that deviates — other field order, whitespace, escapes, control characters, any non-ASCII byte,
 * numbers with a sign, exponent, leading zero or > 15 digits, decimals that are not plain `digits[.digits]` —
 * returns `"fallback"` and the caller tries the generic scanner, then `JSON.parse`. Because the accepted
 * layout has no duplicate keys and only plain integers and decimals, the result is identical to the JSON
 * reference decoder (property-tested, including reordered, escaped and truncated frames). O(frame bytes),
 * no allocation (the symbol string is cached). No byte outside the frame is ever read.
 *
 * Positions inside this module are absolute byte offsets in the frame's `ArrayBuffer` (see `frameOffset`);
 * the frame is `[s, e)`.
 */

const WRAP = literal('{"stream":"');
const DATA = literal('","data":{"e":"trade","E":');
const RAW = literal('{"e":"trade","E":');
const KEY_T = key(',"T":');
const KEY_S = literal(',"s":"');
const KEY_TID = literal('","t":');
const KEY_P = key(',"p":"');
const KEY_Q = key('","q":"');
const KEY_X = literal('","X":"');
const KEY_M = literal('","m":');
/** `true` / `fals` and the last word of each ending: `true}}`, `false}}` (wrapped), `true}`, `false}` (raw). */
const W_TRUE = Buffer.from("true").readInt32LE(0);
const W_FALS = Buffer.from("fals").readInt32LE(0);
const END_TRUE_WRAPPED = Buffer.from("ue}}").readInt32LE(0);
const END_FALSE_WRAPPED = Buffer.from("se}}").readInt32LE(0);
const END_TRUE_RAW = Buffer.from("rue}").readInt32LE(0);
const END_FALSE_RAW = Buffer.from("lse}").readInt32LE(0);

/**
 * Literals learned from accepted frames (see {@link Learned}): the whole wrapped prefix
 * `{"stream":"<name>","data":{"e":"trade","E":`, the symbol segment `,"s":"<SYM>","t":` (with its lower-case
 * symbol) and the `","X":"<str>","m":` segment. Found by a hash of the first 8 bytes of the variable part: prefixes
 * and symbol segments in two-way tables (`findLearned`/`keepLearned`: two stream names or symbols sharing a slot,
 * e.g. adausdt and avaxusdt, no longer evict each other on every frame), the X segment direct-mapped. O(1) per
 * frame, and an allocation only on a miss.
 */
const PREFIXES: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SEGMENTS_S: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SEGMENTS_X: (Learned | undefined)[] = new Array<Learned | undefined>(16).fill(undefined);

/** Position after the symbol segment read by {@link learnSymbol}. */
let afterSymbol = 0;

/** Slots of {@link num} this scanner uses. */
const SLOT_E = 0;
const SLOT_T = 1;
const SLOT_ID = 2;
const SLOT_P = 3;
const SLOT_Q = 4;

/**
 * `<E>,"T":<T>` from `i`: both times → their slots; the position after T, −1 when not this layout. The
 * scanner's steps are grouped in a few functions of moderate size so that V8 inlines the small readers into
 * each (one function with every reader exceeds its inlining budget, and the readers then run as calls). O(1).
 */
function readTimes(i: number, e: number): number {
  const p = readTime(i, e, SLOT_E);
  if (p < 0 || !matchKey(p, e, KEY_T)) return -1;
  return readTime(p + KEY_T.len, e, SLOT_T);
}

/** `<id>,"p":"<price>","q":"<qty>` from `i`: values → their slots; the quantity's closing quote, −1 when not this layout. O(digits). */
function readIdPriceQty(i: number, e: number): number {
  let p = readInt(i, e, SLOT_ID);
  if (p < 0 || !matchKey(p, e, KEY_P)) return -1;
  p = readDecimal(p + KEY_P.len, e, SLOT_P);
  if (p < 0 || !matchKey(p, e, KEY_Q)) return -1;
  return readDecimal(p + KEY_Q.len, e, SLOT_Q);
}

/** Unlearned symbol segment `,"s":"<SYM>","t":` at `segS` (`off`: the Buffer's byteOffset): checked and learned; its symbol ({@link afterSymbol} after it), or undefined. */
function learnSymbol(b: Buffer, off: number, segS: number, e: number): string | undefined {
  if (!match(segS, KEY_S)) return undefined;
  const symStart = segS + KEY_S.len;
  const symEnd = skipString(symStart, e);
  if (symEnd <= symStart || symEnd + KEY_TID.len > e || !match(symEnd, KEY_TID)) return undefined;
  const symbol = symbolOf(b, symStart - off, symEnd - off);
  if (symbol === undefined) return undefined;
  afterSymbol = symEnd + KEY_TID.len;
  keepLearned(SEGMENTS_S, slotAt(segS + KEY_S.len), learn(segS, afterSymbol, symbol));
  return symbol;
}

/** Unlearned `","X":"<str>","m":` segment at `segX`: checked and learned; the position after it, or −1. */
function learnX(segX: number, e: number): number {
  if (!match(segX, KEY_X)) return -1;
  const q = skipString(segX + KEY_X.len, e);
  if (q < 0 || q + KEY_M.len > e || !match(q, KEY_M)) return -1;
  const i = q + KEY_M.len;
  SEGMENTS_X[slotAt(segX + KEY_X.len) & 15] = learn(segX, i, "");
  return i;
}

/**
 * Classifies a Buffer frame laid out exactly like a Binance `@trade` event (see the module comment) into
 * `out`; `"fallback"` for any other layout. Same result as `decodeFrameJson` for every frame it accepts.
 * The frame is `b[start, end)` (default the whole Buffer), so the transport can pass a payload in place inside
 * the socket chunk. Every frame it does not return `"fallback"` for is pure ASCII (strings with a byte ≥ 0x80
 * fall back), hence valid UTF-8: the transport skips its UTF-8 check for them. O(frame bytes), no allocation.
 *
 * @example
 * scanBinanceTrade(Buffer.from('{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":7,"p":"100.5","q":"0.2","X":"MARKET","m":true}'), createDecodedTrade()); // "trade"
 * scanBinanceTrade(Buffer.from('{"e":"trade","T":1,"E":2,"s":"BTCUSDT","t":7,"p":"100.5","q":"0.2"}'), createDecodedTrade());                        // "fallback"
 */
export function scanBinanceTrade(b: Buffer, out: DecodedTrade, start = 0, end = b.length): "trade" | "spent" | "invalid" | "fallback" {
  out.reason = "";
  if (end - start < 71) return "fallback"; // shorter than the smallest frame of this layout (raw, one-digit fields, empty "X")
  const off = frameOffset(b);
  const s = off + start;
  const e = off + end;
  const wrapped = byteAt(s + 1) === 34 && byteAt(s + 2) === 115; // {"s…
  let i: number;
  if (wrapped) {
    const learned = findLearned(PREFIXES, slotAt(s + WRAP.len), s, e);
    i = learned !== undefined ? s + learned.len : learnWrapped(PREFIXES, WRAP, DATA, s, e);
  } else i = match(s, RAW) ? s + RAW.len : -1;
  if (i < 0) return "fallback";
  const segS = readTimes(i, e);
  if (segS < 0 || segS + KEY_S.len + 8 > e) return "fallback";
  const learnedS = findLearned(SEGMENTS_S, slotAt(segS + KEY_S.len), segS, e);
  let symbol: string | undefined;
  if (learnedS !== undefined) {
    symbol = learnedS.symbol;
    afterSymbol = segS + learnedS.len;
  } else symbol = learnSymbol(b, off, segS, e);
  if (symbol === undefined) return "fallback";
  const segX = readIdPriceQty(afterSymbol, e);
  if (segX < 0 || segX + KEY_X.len + 8 > e) return "fallback";
  const learnedX = SEGMENTS_X[slotAt(segX + KEY_X.len) & 15];
  i = matchLearned(learnedX, segX, e) ? segX + learnedX.len : learnX(segX, e);
  if (i < 0) return "fallback";
  // true} / false} then the wrapper's } and the end of the frame: the first word and the last (overlapping) one.
  const rest = e - i - (wrapped ? 2 : 1);
  if (rest === 4) {
    if (wordAt(i) !== W_TRUE || wordAt(e - 4) !== (wrapped ? END_TRUE_WRAPPED : END_TRUE_RAW)) return "fallback";
  } else if (rest === 5) {
    if (wordAt(i) !== W_FALS || wordAt(e - 4) !== (wrapped ? END_FALSE_WRAPPED : END_FALSE_RAW)) return "fallback";
  } else return "fallback";
  out.symbol = symbol;
  out.stream = "trade";
  out.id = out.firstTradeId = out.lastTradeId = num[SLOT_ID];
  out.time = num[SLOT_T];
  out.eventTime = num[SLOT_E];
  out.price = num[SLOT_P];
  out.qty = num[SLOT_Q];
  return finishTrade(out);
}
