import type { DecodedTrade } from "./decode-frame";
import { symbolOf } from "./scan-trade-frame";
import { finishTrade } from "./trade-validation";

/**
 * The fastest decode path: a straight-line matcher for the exact byte layout Binance (and the demo
 * exchange) use for USD-M `@trade` events, raw or wrapped:
 *
 *   {"stream":"<name>","data":{"e":"trade","E":<int>,"T":<int>,"s":"<SYM>","t":<int>,"p":"<dec>","q":"<dec>","X":"<str>","m":<bool>}}
 *
 * Every byte of the frame is still validated, but the fixed parts (keys, colons, commas, quotes) are
 * compared four bytes at a time through a `DataView` over the frame's `ArrayBuffer` (cached while the transport
 * reads frames in place out of the same socket chunk), and no key dispatch happens. Anything that
 * deviates — other field order, whitespace, escapes, control characters, any non-ASCII byte, numbers with
 * a sign, exponent, leading zero or > 15 digits, decimals that are not plain `digits[.digits]` — returns
 * `"fallback"` and the caller tries the generic scanner, then `JSON.parse`. Because the accepted layout
 * has no duplicate keys and only plain integers and decimals, the result is identical to the JSON
 * reference decoder (property-tested, including reordered, escaped and truncated frames). O(frame bytes),
 * no allocation (the symbol string is cached).
 */

/** A literal as 32-bit little-endian words at offsets 0, 4, …, and a last (possibly overlapping) word at len − 4. */
interface Literal {
  len: number;
  offsets: Int32Array;
  words: Int32Array;
}

function literal(text: string): Literal {
  return literalOf(Buffer.from(text, "latin1"));
}

function literalOf(b: Buffer): Literal {
  const offsets: number[] = [];
  for (let o = 0; o + 4 < b.length; o += 4) offsets.push(o);
  offsets.push(b.length - 4);
  return { len: b.length, offsets: Int32Array.from(offsets), words: Int32Array.from(offsets, (o) => b.readInt32LE(o)) };
}

const WRAP = literal('{"stream":"');
const DATA = literal('","data":{"e":"trade","E":');
const RAW = literal('{"e":"trade","E":');
const KEY_T = literal(',"T":');
const KEY_S = literal(',"s":"');
const KEY_TID = literal('","t":');
const KEY_P = literal(',"p":"');
const KEY_Q = literal('","q":"');
const KEY_X = literal('","X":"');
const KEY_M = literal('","m":');

let cachedBuffer: ArrayBufferLike | undefined;
let view: DataView = new DataView(new ArrayBuffer(8));

/** `L` at absolute byte `p` of the view (caller checked the bounds). */
function match(p: number, L: Literal): boolean {
  const o = L.offsets;
  const w = L.words;
  for (let k = 0; k < o.length; k++) if (view.getInt32(p + o[k], true) !== w[k]) return false;
  return true;
}

/**
 * Literals learned from accepted frames: the whole wrapped prefix `{"stream":"<name>","data":{"e":"trade","E":`,
 * the symbol segment `,"s":"<SYM>","t":` (with its lower-case symbol) and the `","X":"<str>","m":` segment.
 * A frame whose bytes equal a learned literal is checked with one word-wise comparison instead of two key
 * matches and a byte-by-byte string scan; the literal's bytes were validated when learned, so the result is
 * the same. Direct-mapped by a hash of the first 8 bytes of the variable part (a collision just re-learns):
 * O(1) per frame, and an allocation only on a miss.
 */
interface Learned extends Literal {
  symbol: string;
}
const PREFIXES: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SEGMENTS_S: (Learned | undefined)[] = new Array<Learned | undefined>(64).fill(undefined);
const SEGMENTS_X: (Learned | undefined)[] = new Array<Learned | undefined>(16).fill(undefined);

/** Slot (0–63) for the 8 bytes at absolute byte `p` of the view (caller checked the bounds). */
function slotAt(p: number): number {
  return Math.imul(view.getInt32(p, true) ^ Math.imul(view.getInt32(p + 4, true), 0x85ebca6b), 0x9e3779b1) >>> 26;
}

function learn(b: Buffer, from: number, to: number, symbol: string): Learned {
  return { ...literalOf(Buffer.from(b.subarray(from, to))), symbol };
}

/** True when the learned literal `L` (if any) is at relative byte `p` of the frame ending at `n`. */
function matchLearned(L: Learned | undefined, base: number, p: number, n: number): L is Learned {
  return L !== undefined && p + L.len <= n && match(base + p, L);
}

/** Position after the last parsed token (set by the readers below; −1 = not this layout). */
let at = 0;

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
 * Plain JSON integer (no sign, no leading zero, 1–15 digits) starting at `i`. Digits are accumulated in
 * two small-integer halves (≤ 9 digits, then the rest) combined once, which keeps the per-digit work in
 * 32-bit integer arithmetic instead of a chain of double multiply-adds; exact below 10^15. Value → `num[slot]`, end → `at`.
 */
function readInt(b: Buffer, i: number, n: number, slot: number): void {
  const start = i;
  let c = i < n ? b[i] : 0;
  let hi = 0;
  const split = Math.min(n, i + 9);
  while (i < split && c >= 48 && c <= 57) {
    hi = hi * 10 + (c - 48);
    c = ++i < n ? b[i] : 0;
  }
  const mid = i;
  let lo = 0;
  while (c >= 48 && c <= 57) {
    lo = lo * 10 + (c - 48);
    c = ++i < n ? b[i] : 0;
    if (i - mid > 6) break; // > 15 digits in all: rejected below, stop before lo leaves the exact range
  }
  const digits = i - start;
  at = digits === 0 || digits > 15 || (c >= 48 && c <= 57) || (digits > 1 && b[start] === 48) ? -1 : i;
  num[slot] = i === mid ? hi : hi * POW10[i - mid] + lo;
}

/**
 * Epoch-millisecond times (`E`, `T`) have 13 digits until the year 2286: checked and converted without a
 * data-dependent loop (one sign test over all digits), so the branch predictor is not retrained per field.
 * Falls back to {@link readInt} for any other length. Value → `num[slot]`, end → `at`.
 */
function readTime(b: Buffer, i: number, n: number, slot: number): void {
  if (i + 14 > n) return readInt(b, i, n, slot);
  const d0 = b[i] - 48, d1 = b[i + 1] - 48, d2 = b[i + 2] - 48, d3 = b[i + 3] - 48, d4 = b[i + 4] - 48, d5 = b[i + 5] - 48, d6 = b[i + 6] - 48;
  const d7 = b[i + 7] - 48, d8 = b[i + 8] - 48, d9 = b[i + 9] - 48, d10 = b[i + 10] - 48, d11 = b[i + 11] - 48, d12 = b[i + 12] - 48, next = b[i + 13] - 48;
  // Negative iff some digit is outside 0–9, the first is 0, or the byte after the 13th is a digit too.
  const bad =
    (d0 - 1) | (9 - d0) | d1 | (9 - d1) | d2 | (9 - d2) | d3 | (9 - d3) | d4 | (9 - d4) | d5 | (9 - d5) | d6 | (9 - d6) |
    d7 | (9 - d7) | d8 | (9 - d8) | d9 | (9 - d9) | d10 | (9 - d10) | d11 | (9 - d11) | d12 | (9 - d12) | ~(next | (9 - next));
  if (bad < 0) return readInt(b, i, n, slot);
  at = i + 13;
  const hi = (((d0 * 10 + d1) * 10 + d2) * 10 + d3) * 10 + d4; // ≤ 99,999
  const mid = (((d5 * 10 + d6) * 10 + d7) * 10 + d8) * 10 + d9; // ≤ 99,999
  const lo = (d10 * 10 + d11) * 10 + d12;
  num[slot] = (hi * 100_000 + mid) * 1000 + lo;
}

/** Quoted decimal `digits[.digits]` (1–15 digits) whose opening quote precedes `i`; exact like `+text` (m / 10^k). Value → `num[slot]`, end quote → `at`. */
function readDecimal(b: Buffer, i: number, n: number, slot: number): void {
  const start = i;
  let m = 0;
  let frac = -1;
  let c = 0;
  for (; i < n; i++) {
    c = b[i];
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  const digits = i - start - (frac >= 0 ? 1 : 0);
  // A Binance decimal only: digits, optionally "." and digits (".5" and "1." go to the JSON path, which rejects them).
  at = c === 34 && i < n && digits >= 1 && digits <= 15 && b[start] !== 46 && frac !== 0 ? i : -1;
  num[slot] = frac > 0 ? m / POW10[frac] : m;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** String body starting at `i` up to its closing quote (position stored in `at`); ASCII only: no escapes, no control or non-ASCII bytes. */
function skipString(b: Buffer, i: number, n: number): void {
  for (; i < n; i++) {
    const c = b[i];
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
  const n = end;
  out.reason = "";
  if (n - start < 71) return "fallback"; // shorter than the smallest frame of this layout (raw, one-digit fields, empty "X")
  if (b.buffer !== cachedBuffer) {
    cachedBuffer = b.buffer;
    view = new DataView(b.buffer);
  }
  const base = b.byteOffset;
  let i: number;
  const wrapped = b[start + 1] === 34 && b[start + 2] === 115; // {"s…
  if (wrapped) {
    const k = slotAt(base + start + WRAP.len);
    const learned = PREFIXES[k];
    if (matchLearned(learned, base, start, n)) i = start + learned.len;
    else {
      if (!match(base + start, WRAP)) return "fallback";
      skipString(b, start + WRAP.len, n);
      if (at < 0 || at + DATA.len > n || !match(base + at, DATA)) return "fallback";
      i = at + DATA.len;
      PREFIXES[k] = learn(b, start, i, "");
    }
  } else {
    if (!match(base + start, RAW)) return "fallback";
    i = start + RAW.len;
  }
  readTime(b, i, n, SLOT_E);
  if (at < 0 || at + KEY_T.len > n || !match(base + at, KEY_T)) return "fallback";
  readTime(b, at + KEY_T.len, n, SLOT_T);
  if (at < 0 || at + KEY_S.len + 8 > n) return "fallback";
  const segS = at;
  const kS = slotAt(base + segS + KEY_S.len);
  const learnedS = SEGMENTS_S[kS];
  let symbol: string | undefined;
  if (matchLearned(learnedS, base, segS, n)) {
    symbol = learnedS.symbol;
    at = segS + learnedS.len;
  } else {
    if (!match(base + segS, KEY_S)) return "fallback";
    const symStart = segS + KEY_S.len;
    skipString(b, symStart, n);
    const symEnd = at;
    if (at <= symStart || at + KEY_TID.len > n || !match(base + at, KEY_TID)) return "fallback";
    symbol = symbolOf(b, symStart, symEnd);
    if (symbol === undefined) return "fallback";
    at += KEY_TID.len;
    SEGMENTS_S[kS] = learn(b, segS, at, symbol);
  }
  readInt(b, at, n, SLOT_ID);
  if (at < 0 || at + KEY_P.len > n || !match(base + at, KEY_P)) return "fallback";
  readDecimal(b, at + KEY_P.len, n, SLOT_P);
  if (at < 0 || at + KEY_Q.len > n || !match(base + at, KEY_Q)) return "fallback";
  readDecimal(b, at + KEY_Q.len, n, SLOT_Q);
  if (at < 0 || at + KEY_X.len + 8 > n) return "fallback";
  const segX = at;
  const kX = slotAt(base + segX + KEY_X.len) & 15;
  const learnedX = SEGMENTS_X[kX];
  if (matchLearned(learnedX, base, segX, n)) i = segX + learnedX.len;
  else {
    if (!match(base + segX, KEY_X)) return "fallback";
    skipString(b, segX + KEY_X.len, n);
    if (at < 0 || at + KEY_M.len > n || !match(base + at, KEY_M)) return "fallback";
    i = at + KEY_M.len;
    SEGMENTS_X[kX] = learn(b, segX, i, "");
  }
  // true} / false} then the wrapper's } and the end of the frame.
  const tail = wrapped ? 2 : 1;
  if (i + 4 + tail === n) {
    if (b[i] !== 116 || b[i + 1] !== 114 || b[i + 2] !== 117 || b[i + 3] !== 101) return "fallback";
    i += 4;
  } else if (i + 5 + tail === n) {
    if (b[i] !== 102 || b[i + 1] !== 97 || b[i + 2] !== 108 || b[i + 3] !== 115 || b[i + 4] !== 101) return "fallback";
    i += 5;
  } else return "fallback";
  if (b[i] !== 125 || (wrapped && b[i + 1] !== 125)) return "fallback";
  out.symbol = symbol;
  out.stream = "trade";
  out.id = out.firstTradeId = out.lastTradeId = num[SLOT_ID];
  out.time = num[SLOT_T];
  out.eventTime = num[SLOT_E];
  out.price = num[SLOT_P];
  out.qty = num[SLOT_Q];
  return finishTrade(out);
}
