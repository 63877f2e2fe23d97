import type { DecodedQuote } from "../quotes/decode-book-ticker";
import * as bytes from "./frame-bytes";
import type { Learned } from "./frame-bytes";
import { symbolOf } from "./scan-trade-frame";

// The shared readers bound once to module constants (see scan-binance-trade.ts: through the CommonJS module object
// every call would run an export getter first, and V8 would stop inlining them).
const { byteAt, findLearned, frameOffset, keepLearned, learn, learnWrapped, literal, match, num, readDecimal, readInt, readTime, skipString, slotAt, wordAt } = bytes;

/**
 * In-place fast path for Binance USD-M `<symbol>@bookTicker` events, raw or wrapped in the combined-stream
 * object, as Binance and the demo exchange send them:
 *
 *   {"stream":"<name>","data":{"e":"bookTicker",<fields>}}      or      {"e":"bookTicker",<fields>}
 *
 * where `<fields>` are exactly the eight one-letter fields `"u":<int>`, `"s":"<SYM>"`, `"b"`, `"B"`, `"a"`,
 * `"A"` (quoted decimals), `"T":<int>`, `"E":<int>`, each once, in any order (Binance sends `u,E,T,s,b,B,a,A`,
 * the demo exchange `u,s,b,B,a,A,T,E`), with no whitespace. It reads the bytes of the socket chunk in place with
 * the trade scanner's readers (frame-bytes.ts): each field's `"k":` is one 32-bit word, digits are checked and
 * converted four at a time, decimals as mantissa / 10^k (bit-identical to `Number(text)`, hence to the general
 * decoder's `+text`), and the wrapped prefix `{"stream":"<name>","data":{"e":"bookTicker",` and each symbol
 * segment `"s":"<SYM>"` are learned literals compared 8 bytes at a time.
 *
 * Anything else returns `"fallback"` and the caller hands the frame to {@link decodeBookTicker}, which stays the
 * authority for errors and odd inputs: other or missing or repeated keys (also Binance's newer `ps` / `st`),
 * whitespace, escapes, control or non-ASCII bytes, signs, exponents, leading zeros or > 15 digits in integers,
 * decimals with > 15 digits or a leading / trailing dot, an empty symbol, trailing bytes, truncation. For the
 * frames it accepts the result (`kind` and every field of `out`, including the reject reason) is identical to
 * `decodeBookTicker`'s, whose field rules it applies in the same order: `u` a safe integer ≥ 0 (always, ≤ 15
 * digits), `T` and `E` > 0 (`"bad-time"`), prices > 0 (`"non-positive-price"`), quantities > 0
 * (`"non-positive-quantity"`), bid < ask (`"crossed-book"` / `"locked-book"`). Property-tested against it on
 * seeded frames. An accepted frame is pure ASCII (so valid UTF-8: the transport skips its UTF-8 check).
 * O(frame bytes), no allocation after a symbol's first frame. Never reads outside `[start, end)`.
 */

const WRAP = literal('{"stream":"');
const DATA = literal('","data":{"e":"bookTicker",');
const RAW = literal('{"e":"bookTicker",');
/** `"k":` for a one-letter key k is the word 0x3A22kk22 (little-endian); this mask keeps everything but k. */
const KEY_MASK = 0xffff00ff | 0;
const KEY_BITS = 0x3a220022;

/** Bits of the eight fields in `seen`, by key letter. */
const BIT_U = 1;
const BIT_S = 2;
const BIT_BID = 4;
const BIT_BID_QTY = 8;
const BIT_ASK = 16;
const BIT_ASK_QTY = 32;
const BIT_T = 64;
const BIT_E = 128;
const ALL = 255;

/** Slots of the shared `num` this scanner uses. */
const SLOT_U = 0;
const SLOT_T = 1;
const SLOT_E = 2;
const SLOT_BID = 3;
const SLOT_BID_QTY = 4;
const SLOT_ASK = 5;
const SLOT_ASK_QTY = 6;

/** Learned wrapped prefixes and `"s":"<SYM>"` segments (with their lower-case symbols), two-way by a hash of 8 bytes. */
const PREFIXES: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SYMBOLS: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);

/** Symbol of the last {@link readSymbol}. */
let symbol = "";

/**
 * `"s":"<SYM>"` at `i` (its key word already checked): the symbol → {@link symbol}; the position after the
 * closing quote, or −1 (empty, escaped or non-ASCII symbol). `off`: the Buffer's byteOffset. O(length).
 */
function readSymbol(b: Buffer, off: number, i: number, e: number): number {
  const hashed = i + 13 <= e; // 8 bytes after `"s":"` to hash
  if (hashed) {
    const L = findLearned(SYMBOLS, slotAt(i + 5), i, e);
    if (L !== undefined) {
      symbol = L.symbol;
      return i + L.len;
    }
  }
  if (i + 5 > e || byteAt(i + 4) !== 34) return -1;
  const q = skipString(i + 5, e);
  if (q <= i + 5) return -1;
  const s = symbolOf(b, i + 5 - off, q - off);
  if (s === undefined) return -1;
  symbol = s;
  if (hashed && q + 1 - i >= 8) keepLearned(SYMBOLS, slotAt(i + 5), learn(i, q + 1, s));
  return q + 1;
}

/** A quoted decimal whose `"k":` word is at `i`: value → `num[slot]`; the position after its closing quote, or −1. */
function readQuoted(i: number, e: number, slot: number): number {
  if (i + 5 > e || byteAt(i + 4) !== 34) return -1;
  const q = readDecimal(i + 5, e, slot);
  return q < 0 ? -1 : q + 1;
}

/** Fields from `i` to the object's `}`: values → their slots; the position of the `}`, or −1 (not this layout). */
function readFields(b: Buffer, off: number, i: number, e: number): number {
  let seen = 0;
  for (;;) {
    if (i + 4 > e) return -1;
    const w = wordAt(i);
    if ((w & KEY_MASK) !== KEY_BITS) return -1;
    const k = (w >>> 8) & 0xff;
    let bit: number;
    let p: number;
    if (k === 98 /* b */) {
      bit = BIT_BID;
      p = readQuoted(i, e, SLOT_BID);
    } else if (k === 66 /* B */) {
      bit = BIT_BID_QTY;
      p = readQuoted(i, e, SLOT_BID_QTY);
    } else if (k === 97 /* a */) {
      bit = BIT_ASK;
      p = readQuoted(i, e, SLOT_ASK);
    } else if (k === 65 /* A */) {
      bit = BIT_ASK_QTY;
      p = readQuoted(i, e, SLOT_ASK_QTY);
    } else if (k === 84 /* T */) {
      bit = BIT_T;
      p = readTime(i + 4, e, SLOT_T);
    } else if (k === 69 /* E */) {
      bit = BIT_E;
      p = readTime(i + 4, e, SLOT_E);
    } else if (k === 117 /* u */) {
      bit = BIT_U;
      p = readInt(i + 4, e, SLOT_U);
    } else if (k === 115 /* s */) {
      bit = BIT_S;
      p = readSymbol(b, off, i, e);
    } else return -1;
    if (p < 0 || p >= e || (seen & bit) !== 0) return -1;
    seen |= bit;
    const c = byteAt(p);
    if (c === 44 /* , */) i = p + 1;
    else if (c === 125 /* } */) return seen === ALL ? p : -1;
    else return -1;
  }
}

/**
 * Classifies a Buffer frame `b[start, end)` laid out as a Binance `@bookTicker` event (see the module comment)
 * into `out`, like {@link decodeBookTicker} would: `"quote"` (valid; `out` filled), `"rejected"` (a field rule
 * failed; `out.reason` says which); `"fallback"` for any other layout (then nothing is written but `out.reason`,
 * and the caller decodes the frame with `decodeBookTicker`). The frame may lie in place inside a larger chunk.
 * Never throws. O(frame bytes), no allocation once the frame's prefix and symbol were learned.
 *
 * @example
 * const out = createDecodedQuote();
 * scanBinanceBookTicker(Buffer.from('{"e":"bookTicker","u":7,"E":2,"T":1,"s":"BTCUSDT","b":"100.1","B":"2","a":"100.2","A":"0.5"}'), out);
 * // "quote"; out.symbol = "btcusdt", out.bid = 100.1, out.updateId = 7
 * scanBinanceBookTicker(Buffer.from('{"e":"bookTicker", "u":7}'), out); // "fallback"
 */
export function scanBinanceBookTicker(b: Buffer, out: DecodedQuote, start = 0, end = b.length): "quote" | "rejected" | "fallback" {
  out.reason = null;
  if (end - start < 40) return "fallback"; // shorter than the smallest frame of this layout
  const off = frameOffset(b);
  const s = off + start;
  const e = off + end;
  const wrapped = byteAt(s + 1) === 34 && byteAt(s + 2) === 115; // {"s…
  let i: number;
  if (wrapped) {
    if (s + WRAP.len + 8 > e) return "fallback";
    const learned = findLearned(PREFIXES, slotAt(s + WRAP.len), s, e);
    i = learned !== undefined ? s + learned.len : learnWrapped(PREFIXES, WRAP, DATA, s, e);
  } else i = match(s, RAW) ? s + RAW.len : -1;
  if (i < 0) return "fallback";
  const close = readFields(b, off, i, e);
  if (close < 0 || close + (wrapped ? 2 : 1) !== e || (wrapped && byteAt(close + 1) !== 125)) return "fallback";
  // decodeBookTicker's field rules, in its order (u is a safe integer ≥ 0 by construction: ≤ 15 digits).
  out.symbol = symbol;
  out.updateId = num[SLOT_U];
  const time = num[SLOT_T];
  const eventTime = num[SLOT_E];
  if (!(time > 0) || !(eventTime > 0)) {
    out.reason = "bad-time";
    return "rejected";
  }
  out.time = time;
  out.eventTime = eventTime;
  const bid = num[SLOT_BID];
  const bidQty = num[SLOT_BID_QTY];
  const ask = num[SLOT_ASK];
  const askQty = num[SLOT_ASK_QTY];
  out.bid = bid;
  out.bidQty = bidQty;
  out.ask = ask;
  out.askQty = askQty;
  if (!(bid > 0) || !(ask > 0)) out.reason = "non-positive-price";
  else if (!(bidQty > 0) || !(askQty > 0)) out.reason = "non-positive-quantity";
  else if (bid > ask) out.reason = "crossed-book";
  else if (bid === ask) out.reason = "locked-book";
  else return "quote";
  return "rejected";
}
