import type { DecodedTrade } from "./decode-frame";
import { symbolOf } from "./scan-trade-frame";
import { finishTrade } from "./trade-validation";

/**
 * The fastest decode path: a straight-line matcher for the exact byte layout Binance (and the demo
 * exchange) use for USD-M `@trade` events, raw or wrapped:
 *
 *   {"stream":"<name>","data":{"e":"trade","E":<int>,"T":<int>,"s":"<SYM>","t":<int>,"p":"<dec>","q":"<dec>","X":"<str>","m":<bool>}}
 *
 * Every byte of the frame is still validated, but four bytes at a time where it can: the fixed parts (keys,
 * colons, commas, quotes) are compared as 32-bit words through a `DataView` over the frame's `ArrayBuffer`
 * (cached while the transport reads frames in place out of the same socket chunk), and the digits of the
 * numbers are checked and converted four at a time (SWAR, see {@link digitMask}); no key dispatch happens.
 * Anything that deviates — other field order, whitespace, escapes, control characters, any non-ASCII byte,
 * numbers with a sign, exponent, leading zero or > 15 digits, decimals that are not plain `digits[.digits]` —
 * returns `"fallback"` and the caller tries the generic scanner, then `JSON.parse`. Because the accepted
 * layout has no duplicate keys and only plain integers and decimals, the result is identical to the JSON
 * reference decoder (property-tested, including reordered, escaped and truncated frames). O(frame bytes),
 * no allocation (the symbol string is cached). No byte outside the frame is ever read.
 *
 * Positions inside this module are absolute byte offsets in the frame's `ArrayBuffer` (`view` and `u8` cover
 * all of it); the frame is `[s, e)`.
 */

/** A literal as 32-bit little-endian words at offsets 0, 4, …, and a last (possibly overlapping) word at len − 4. */
interface Literal {
  len: number;
  words: Int32Array;
}

function literal(text: string): Literal {
  return literalOf(Buffer.from(text, "latin1"));
}

function literalOf(b: Buffer): Literal {
  const offsets: number[] = [];
  for (let o = 0; o + 4 < b.length; o += 4) offsets.push(o);
  offsets.push(b.length - 4);
  return { len: b.length, words: Int32Array.from(offsets, (o) => b.readInt32LE(o)) };
}

/** A 5–8 byte literal as its first word and its last (overlapping) word. */
interface Key {
  len: number;
  w0: number;
  w1: number;
}

function key(text: string): Key {
  const b = Buffer.from(text, "latin1");
  if (b.length < 5 || b.length > 8) throw new RangeError(`pairlab: a key literal must be 5–8 bytes, got ${JSON.stringify(text)}`);
  return { len: b.length, w0: b.readInt32LE(0), w1: b.readInt32LE(b.length - 4) };
}

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

/** The last frame Buffer seen, its `byteOffset`, and its `ArrayBuffer` (Buffers never change either). */
let cachedFrame: Buffer | undefined;
let cachedOffset = 0;
let cachedBuffer: ArrayBufferLike | undefined;
let view: DataView = new DataView(new ArrayBuffer(8));
let u8: Uint8Array = new Uint8Array(8);

/** `L` at byte `p` (caller checked the bounds). */
function match(p: number, L: Literal): boolean {
  const w = L.words;
  const last = w.length - 1;
  for (let k = 0; k < last; k++) if (view.getInt32(p + (k << 2), true) !== w[k]) return false;
  return view.getInt32(p + L.len - 4, true) === w[last];
}

/** Key `K` at byte `p`, within the frame ending at `e`. */
function matchKey(p: number, e: number, K: Key): boolean {
  return p + K.len <= e && view.getInt32(p, true) === K.w0 && view.getInt32(p + K.len - 4, true) === K.w1;
}

/**
 * Literals learned from accepted frames: the whole wrapped prefix `{"stream":"<name>","data":{"e":"trade","E":`,
 * the symbol segment `,"s":"<SYM>","t":` (with its lower-case symbol) and the `","X":"<str>","m":` segment.
 * A frame whose bytes equal a learned literal is checked with one word-wise comparison instead of two key
 * matches and a byte-by-byte string scan; the literal's bytes were validated when learned, so the result is
 * the same. Direct-mapped by a hash of the first 8 bytes of the variable part (a collision just re-learns):
 * O(1) per frame, and an allocation only on a miss.
 */
interface Learned {
  len: number;
  /**
   * The bytes as 8-byte little-endian doubles at offsets 0, 8, …, and a last (possibly overlapping) one at
   * len − 8 (every learned literal has ≥ 13 bytes). Comparing doubles compares bits here: only ±0 and NaNs break
   * that equivalence, and 8 learned bytes (each in 0x20–0x7F) are never a zero or a NaN (a NaN needs a byte ≥ 0xF0), so
   * a frame's 8 bytes equal a learned double exactly when they are the same bytes. Half the loads of 32-bit words.
   */
  doubles: Float64Array;
  symbol: string;
}
const PREFIXES: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SEGMENTS_S: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SEGMENTS_X: (Learned | undefined)[] = new Array<Learned | undefined>(16).fill(undefined);

/** Slot (0–63) for the 8 bytes at byte `p` (caller checked the bounds). */
function slotAt(p: number): number {
  return Math.imul(view.getInt32(p, true) ^ Math.imul(view.getInt32(p + 4, true), 0x85ebca6b), 0x9e3779b1) >>> 26;
}

function learn(from: number, to: number, symbol: string): Learned {
  const b = Buffer.from(u8.subarray(from, to));
  const offsets: number[] = [];
  for (let o = 0; o + 8 < b.length; o += 8) offsets.push(o);
  offsets.push(b.length - 8);
  return { len: b.length, doubles: Float64Array.from(offsets, (o) => b.readDoubleLE(o)), symbol };
}

/** True when the learned literal `L` (if any) is at byte `p` of the frame ending at `e`. */
function matchLearned(L: Learned | undefined, p: number, e: number): L is Learned {
  if (L === undefined || p + L.len > e) return false;
  const d = L.doubles;
  const last = d.length - 1;
  for (let k = 0; k < last; k++) if (view.getFloat64(p + (k << 3), true) !== d[k]) return false;
  return view.getFloat64(p + L.len - 8, true) === d[last];
}

/** Position after the last parsed token (set by the readers below; −1 = not this layout). */
let at = 0;
/** Number of digits read by the last {@link digitRun}. */
let runLength = 0;

/**
 * Values parsed by the readers below, by slot. They are written here instead of returned: a double returned
 * from a call V8 does not inline is boxed as a heap number, several per frame, and the garbage costs more
 * than the parsing (measured with V8's sampling heap profiler on the flood bench).
 */
const num = new Float64Array(5);
const SLOT_E = 0;
const SLOT_T = 1;
const SLOT_ID = 2;
const SLOT_P = 3;
const SLOT_Q = 4;

/**
 * SWAR digit test of the 4 bytes of `w` (little-endian: the first byte in the low 8 bits): 0 when all four
 * are ASCII digits `0`–`9`; otherwise the lowest non-zero byte of the result marks the first byte that is not
 * a digit. A byte x is a digit iff its high nibble is 3 and the high nibble of x + 6 is 3 too (0x3A–0x3F
 * become 0x40–0x45). The + 6 can carry out of a byte only from a byte ≥ 0xFA, which is itself flagged, so a
 * carry never hides a non-digit in an earlier byte. O(1).
 */
function digitMask(w: number): number {
  return ((w & 0xf0f0f0f0) ^ 0x30303030) | ((((w + 0x06060606) | 0) & 0xf0f0f0f0) ^ 0x30303030);
}

/** Leading ASCII digits (0–4) of the 4 bytes of `w`. O(1). */
function leadingDigits(w: number): number {
  const m = digitMask(w);
  return m === 0 ? 4 : (31 - Math.clz32(m & -m)) >>> 3;
}

/**
 * Value of the first `d` (1–4) bytes of `w`, which are ASCII digits: the digits are shifted into the high
 * bytes (leading zeros below), then pairs are combined (10·a + b, per 16-bit half) and the halves (100·ab + cd).
 * No intermediate exceeds 2^31. O(1).
 */
function digitsValue(w: number, d: number): number {
  let v = (w & 0x0f0f0f0f) << ((4 - d) << 3);
  v = (Math.imul(v, 10) + (v >>> 8)) & 0x00ff00ff;
  return Math.imul(v & 0xffff, 100) + (v >>> 16);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/**
 * The run of ASCII digits starting at byte `p`, bounded by the frame end `e`, read four at a time: its value →
 * `num[slot]` (exact, below 10^16), its length → {@link runLength} (it stops after 16 digits: every caller
 * rejects more than 15), the position after it → {@link at}. O(digits).
 */
function digitRun(p: number, e: number, slot: number): void {
  const start = p;
  let v = 0;
  for (;;) {
    if (p + 4 > e) return digitTail(start, p, e, v, slot);
    const w = view.getInt32(p, true);
    const d = leadingDigits(w);
    if (d > 0) v = v * POW10[d] + digitsValue(w, d);
    p += d;
    if (d < 4 || p - start > 15) break;
  }
  num[slot] = v;
  runLength = p - start;
  at = p;
}

/** The end of {@link digitRun} when fewer than 4 bytes of the frame are left: byte by byte (never reads past the frame). */
function digitTail(start: number, p: number, e: number, v: number, slot: number): void {
  while (p < e && p - start <= 15) {
    const c = u8[p];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  num[slot] = v;
  runLength = p - start;
  at = p;
}

/**
 * Plain JSON integer (no sign, no leading zero, 1–15 digits) starting at `i`: value → `num[slot]` (exact
 * below 10^15), end → `at` (−1 when not such an integer). O(digits).
 */
function readInt(i: number, e: number, slot: number): void {
  digitRun(i, e, slot);
  if (runLength === 0 || runLength > 15 || (runLength > 1 && u8[i] === 48)) at = -1;
}

/**
 * Epoch-millisecond times (`E`, `T`) have 13 digits until the year 2286: checked and converted as four words
 * (digits 1–4, 5–8, 9–12, then the 13th digit and a non-digit after it), with no data-dependent loop. Any
 * other shape goes to {@link readInt}, whose rules it shares. Value → `num[slot]`, end → `at`. O(1).
 */
function readTime(i: number, e: number, slot: number): void {
  if (i + 16 <= e) {
    const w0 = view.getInt32(i, true);
    const w1 = view.getInt32(i + 4, true);
    const w2 = view.getInt32(i + 8, true);
    const w3 = view.getInt32(i + 12, true);
    if ((digitMask(w0) | digitMask(w1) | digitMask(w2)) === 0 && leadingDigits(w3) === 1 && (w0 & 0xff) !== 48) {
      // ≤ 9,999·10^9 + 9,999·10^5 + 9,999·10 + 9 < 2^53: exact.
      num[slot] = digitsValue(w0, 4) * 1e9 + digitsValue(w1, 4) * 1e5 + digitsValue(w2, 4) * 10 + (w3 & 0x0f);
      at = i + 13;
      return;
    }
  }
  readInt(i, e, slot);
}

/**
 * Quoted Binance decimal `digits[.digits]` (1–15 digits in all; leading zeros allowed, as `isBinanceDecimal`
 * does) whose opening quote precedes `i`. Value → `num[slot]`, the closing quote's position → `at` (−1 when
 * not such a decimal: ".5" and "5." go to the JSON path, which rejects them).
 *
 * Exactness: the digits form an integer mantissa m < 10^15 < 2^53 and the fraction has k ≤ 14 digits, so m
 * and 10^k (k ≤ 22) are both exact doubles. IEEE 754 division returns the double nearest to the exact
 * quotient m / 10^k, which is the decimal's exact value; `Number(text)` also returns the double nearest to
 * that value (ECMAScript requires correct rounding for ≤ 20 significant digits). Both round the same real
 * number with the same rule, so `m / 10^k` is bit-identical to `Number(text)` (Clinger's fast path). Tested
 * against `Number()` on a million seeded random decimals and on edge cases. O(digits).
 */
function readDecimal(i: number, e: number, slot: number): void {
  let p = i;
  let m = 0;
  let dot = -1;
  for (;;) {
    if (p + 4 > e) {
      at = -1; // fewer than 4 bytes left, so no room for the rest of a valid frame: the JSON path decides
      return;
    }
    const w = view.getInt32(p, true);
    const d = leadingDigits(w);
    if (d > 0) m = m * POW10[d] + digitsValue(w, d);
    p += d;
    if (p - i > 16) break; // > 15 digits: rejected below
    if (d === 4) continue;
    // The byte after the digits: one "." after at least one digit continues with the fraction.
    if (dot < 0 && p > i && ((w >>> (d << 3)) & 0xff) === 46) {
      dot = p++;
      continue;
    }
    break;
  }
  const fraction = dot < 0 ? 0 : p - dot - 1;
  const digits = p - i - (dot < 0 ? 0 : 1);
  if (digits > 15 || p === i || (dot >= 0 && fraction === 0) || u8[p] !== 34) {
    at = -1;
    return;
  }
  num[slot] = fraction > 0 ? m / POW10[fraction] : m;
  at = p;
}

/** String body starting at `i` up to its closing quote (position stored in `at`); ASCII only: no escapes, no control or non-ASCII bytes. */
function skipString(i: number, e: number): void {
  for (; i < e; i++) {
    const c = u8[i];
    if (c > 92 && c < 128) continue;
    if (c === 34) {
      at = i;
      return;
    }
    if (c === 92 || c < 32 || c >= 128) break;
  }
  at = -1;
}

/**
 * `<E>,"T":<T>` from `i`: both times → their slots, `at` after T (−1: not this layout). The scanner's steps are
 * grouped in a few functions of moderate size so that V8 inlines the small readers into each (one function
 * with every reader exceeds its inlining budget, and the readers then run as calls). O(1).
 */
function readTimes(i: number, e: number): void {
  readTime(i, e, SLOT_E);
  if (at < 0 || !matchKey(at, e, KEY_T)) {
    at = -1;
    return;
  }
  readTime(at + KEY_T.len, e, SLOT_T);
}

/** `<id>,"p":"<price>","q":"<qty>` from `i`: values → their slots, `at` at the quantity's closing quote (−1: not this layout). O(digits). */
function readIdPriceQty(i: number, e: number): void {
  readInt(i, e, SLOT_ID);
  if (at < 0 || !matchKey(at, e, KEY_P)) {
    at = -1;
    return;
  }
  readDecimal(at + KEY_P.len, e, SLOT_P);
  if (at < 0 || !matchKey(at, e, KEY_Q)) {
    at = -1;
    return;
  }
  readDecimal(at + KEY_Q.len, e, SLOT_Q);
}

/** Unlearned wrapped prefix at `s`: checked key by key and learned; the position after it, or −1. */
function learnPrefix(s: number, e: number): number {
  if (!match(s, WRAP)) return -1;
  skipString(s + WRAP.len, e);
  if (at < 0 || at + DATA.len > e || !match(at, DATA)) return -1;
  const i = at + DATA.len;
  PREFIXES[slotAt(s + WRAP.len)] = learn(s, i, "");
  return i;
}

/** Unlearned symbol segment `,"s":"<SYM>","t":` at `segS`: checked and learned; its symbol (`at` after it), or undefined. */
function learnSymbol(b: Buffer, segS: number, e: number): string | undefined {
  if (!match(segS, KEY_S)) return undefined;
  const symStart = segS + KEY_S.len;
  skipString(symStart, e);
  const symEnd = at;
  if (at <= symStart || at + KEY_TID.len > e || !match(at, KEY_TID)) return undefined;
  const symbol = symbolOf(b, symStart - cachedOffset, symEnd - cachedOffset);
  if (symbol === undefined) return undefined;
  at = symEnd + KEY_TID.len;
  SEGMENTS_S[slotAt(segS + KEY_S.len)] = learn(segS, at, symbol);
  return symbol;
}

/** Unlearned `","X":"<str>","m":` segment at `segX`: checked and learned; the position after it, or −1. */
function learnX(segX: number, e: number): number {
  if (!match(segX, KEY_X)) return -1;
  skipString(segX + KEY_X.len, e);
  if (at < 0 || at + KEY_M.len > e || !match(at, KEY_M)) return -1;
  const i = at + KEY_M.len;
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
  if (b !== cachedFrame) {
    // A new chunk (the transport passes every frame of a socket chunk in the same Buffer): reading a Buffer's
    // `buffer` and `byteOffset` costs more than a word compare in V8, so they are read once per chunk.
    cachedFrame = b;
    cachedOffset = b.byteOffset;
    if (b.buffer !== cachedBuffer) {
      cachedBuffer = b.buffer;
      view = new DataView(b.buffer);
      u8 = new Uint8Array(b.buffer);
    }
  }
  const s = cachedOffset + start;
  const e = cachedOffset + end;
  const wrapped = u8[s + 1] === 34 && u8[s + 2] === 115; // {"s…
  let i: number;
  if (wrapped) {
    const learned = PREFIXES[slotAt(s + WRAP.len)];
    i = matchLearned(learned, s, e) ? s + learned.len : learnPrefix(s, e);
  } else i = match(s, RAW) ? s + RAW.len : -1;
  if (i < 0) return "fallback";
  readTimes(i, e);
  if (at < 0 || at + KEY_S.len + 8 > e) return "fallback";
  const segS = at;
  const learnedS = SEGMENTS_S[slotAt(segS + KEY_S.len)];
  let symbol: string | undefined;
  if (matchLearned(learnedS, segS, e)) {
    symbol = learnedS.symbol;
    at = segS + learnedS.len;
  } else symbol = learnSymbol(b, segS, e);
  if (symbol === undefined) return "fallback";
  readIdPriceQty(at, e);
  if (at < 0 || at + KEY_X.len + 8 > e) return "fallback";
  const segX = at;
  const learnedX = SEGMENTS_X[slotAt(segX + KEY_X.len) & 15];
  i = matchLearned(learnedX, segX, e) ? segX + learnedX.len : learnX(segX, e);
  if (i < 0) return "fallback";
  // true} / false} then the wrapper's } and the end of the frame: the first word and the last (overlapping) one.
  const rest = e - i - (wrapped ? 2 : 1);
  if (rest === 4) {
    if (view.getInt32(i, true) !== W_TRUE || view.getInt32(e - 4, true) !== (wrapped ? END_TRUE_WRAPPED : END_TRUE_RAW)) return "fallback";
  } else if (rest === 5) {
    if (view.getInt32(i, true) !== W_FALS || view.getInt32(e - 4, true) !== (wrapped ? END_FALSE_WRAPPED : END_FALSE_RAW)) return "fallback";
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
