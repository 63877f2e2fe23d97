/**
 * The in-place byte readers shared by the straight-line frame scanners ({@link scanBinanceTrade} for `@trade`,
 * {@link scanBinanceBookTicker} for `@bookTicker`): a cached `DataView` / `Uint8Array` over the socket chunk's
 * `ArrayBuffer`, fixed literals compared as 32-bit words, literals learned from accepted frames compared 8 bytes
 * at a time, and readers of plain JSON integers, epoch-ms times, quoted Binance decimals and ASCII strings
 * that check and convert digits four at a time (SWAR, see {@link digitMask}).
 *
 * Positions are absolute byte offsets in the chunk's `ArrayBuffer` (see {@link frameOffset}); a frame is
 * `[s, e)` and no reader ever reads at or past `e`. Readers return the position after what they read (or of a
 * string's closing quote), −1 when the bytes are not what they accept; numbers go to {@link num} by slot,
 * because a double returned from a call V8 does not inline is boxed as a heap number, several per frame, and
 * the garbage cost more than the parsing (measured with V8's sampling heap profiler on the flood bench).
 * Internal (not exported from the barrels). Every reader is O(bytes read), no allocation.
 */

/** The last frame Buffer seen, its `byteOffset`, and its `ArrayBuffer` (Buffers never change either). */
let cachedFrame: Buffer | undefined;
let cachedOffset = 0;
let cachedBuffer: ArrayBufferLike | undefined;
let view: DataView = new DataView(new ArrayBuffer(8));
let u8: Uint8Array = new Uint8Array(8);

/**
 * Points the readers at `b`'s `ArrayBuffer` and returns `b.byteOffset` (add it to a position in `b` to get a
 * reader position). The transport passes every frame of a socket chunk in the same Buffer, and reading a
 * Buffer's `buffer` and `byteOffset` costs more than a word compare in V8, so they are read once per chunk. O(1).
 *
 * @example
 * const off = frameOffset(chunk); readDecimal(off + 5, off + chunk.length, 0);
 */
export function frameOffset(b: Buffer): number {
  if (b !== cachedFrame) {
    cachedFrame = b;
    cachedOffset = b.byteOffset;
    if (b.buffer !== cachedBuffer) {
      cachedBuffer = b.buffer;
      view = new DataView(b.buffer);
      u8 = new Uint8Array(b.buffer);
    }
  }
  return cachedOffset;
}

/** The byte at position `p` (caller checked the bounds). O(1). */
export function byteAt(p: number): number {
  return u8[p];
}

/** The 32-bit little-endian word at position `p` (caller checked the bounds). O(1). */
export function wordAt(p: number): number {
  return view.getInt32(p, true);
}

/**
 * Values parsed by the readers, by slot (each scanner owns its slot numbers, 0–7). A scanner reads them right
 * after its readers ran, before the next frame.
 */
export const num = new Float64Array(8);

/** A literal as 32-bit little-endian words at offsets 0, 4, …, and a last (possibly overlapping) word at len − 4. */
export interface Literal {
  len: number;
  words: Int32Array;
}

/**
 * A fixed literal (≥ 4 bytes) for {@link match}. O(length).
 * @throws RangeError when `text` is shorter than 4 bytes.
 * @example literal('{"e":"trade","E":').len // 17
 */
export function literal(text: string): Literal {
  const b = Buffer.from(text, "latin1");
  if (b.length < 4) throw new RangeError(`pairlab: a literal must have >= 4 bytes, got ${JSON.stringify(text)}`);
  const offsets: number[] = [];
  for (let o = 0; o + 4 < b.length; o += 4) offsets.push(o);
  offsets.push(b.length - 4);
  return { len: b.length, words: Int32Array.from(offsets, (o) => b.readInt32LE(o)) };
}

/** True when literal `L` is at position `p` (caller checked `p + L.len ≤ e`). O(length / 4). */
export function match(p: number, L: Literal): boolean {
  const w = L.words;
  const last = w.length - 1;
  for (let k = 0; k < last; k++) if (view.getInt32(p + (k << 2), true) !== w[k]) return false;
  return view.getInt32(p + L.len - 4, true) === w[last];
}

/** A 5–8 byte literal as its first word and its last (overlapping) word. */
export interface Key {
  len: number;
  w0: number;
  w1: number;
}

/**
 * A 5–8 byte literal for {@link matchKey}. O(1).
 * @throws RangeError when `text` is not 5–8 bytes.
 * @example key(',"T":').len // 5
 */
export function key(text: string): Key {
  const b = Buffer.from(text, "latin1");
  if (b.length < 5 || b.length > 8) throw new RangeError(`pairlab: a key literal must be 5–8 bytes, got ${JSON.stringify(text)}`);
  return { len: b.length, w0: b.readInt32LE(0), w1: b.readInt32LE(b.length - 4) };
}

/** True when key `K` is at position `p` of the frame ending at `e`. O(1). */
export function matchKey(p: number, e: number, K: Key): boolean {
  return p + K.len <= e && view.getInt32(p, true) === K.w0 && view.getInt32(p + K.len - 4, true) === K.w1;
}

/**
 * A literal learned from an accepted frame (a prefix with a stream name, a symbol segment…): a frame whose
 * bytes equal it is checked with one 8-byte-wise comparison instead of key matches and a byte-by-byte string
 * scan; its bytes were validated when learned, so the result is the same. Scanners keep them in small
 * direct-mapped tables indexed by {@link slotAt} (a collision just re-learns).
 */
export interface Learned {
  len: number;
  /**
   * The bytes as 8-byte little-endian doubles at offsets 0, 8, …, and a last (possibly overlapping) one at
   * len − 8 (every learned literal has ≥ 8 bytes). Comparing doubles compares bits here: only ±0 and NaNs break
   * that equivalence, and 8 learned bytes (each in 0x20–0x7F) are never a zero or a NaN (a NaN needs a byte ≥ 0xF0), so
   * a frame's 8 bytes equal a learned double exactly when they are the same bytes. Half the loads of 32-bit words.
   */
  doubles: Float64Array;
  /** What the literal stands for (the lower-case symbol of a symbol segment; "" otherwise). */
  symbol: string;
}

/** Slot (0–63) for the 8 bytes at position `p` (caller checked the bounds). O(1). */
export function slotAt(p: number): number {
  return Math.imul(view.getInt32(p, true) ^ Math.imul(view.getInt32(p + 4, true), 0x85ebca6b), 0x9e3779b1) >>> 26;
}

let learnedCount = 0;

/** Literals {@link learn} has built in this thread so far (tests check that a warm scanner stops learning). O(1). */
export function learnedLiterals(): number {
  return learnedCount;
}

/**
 * The validated bytes `[from, to)` (≥ 8 bytes, all in 0x20–0x7F) as a {@link Learned} literal. Allocates. O(length).
 * @throws RangeError when fewer than 8 bytes are given.
 */
export function learn(from: number, to: number, symbol: string): Learned {
  if (to - from < 8) throw new RangeError(`pairlab: a learned literal must have >= 8 bytes, got ${to - from}`);
  learnedCount++;
  const b = Buffer.from(u8.subarray(from, to));
  const offsets: number[] = [];
  for (let o = 0; o + 8 < b.length; o += 8) offsets.push(o);
  offsets.push(b.length - 8);
  return { len: b.length, doubles: Float64Array.from(offsets, (o) => b.readDoubleLE(o)), symbol };
}

/** True when the learned literal `L` (if any) is at position `p` of the frame ending at `e`. O(length / 8). */
export function matchLearned(L: Learned | undefined, p: number, e: number): L is Learned {
  if (L === undefined || p + L.len > e) return false;
  const d = L.doubles;
  const last = d.length - 1;
  for (let k = 0; k < last; k++) if (view.getFloat64(p + (k << 3), true) !== d[k]) return false;
  return view.getFloat64(p + L.len - 8, true) === d[last];
}

/**
 * Two-way lookup in a direct-mapped table of learned literals (64 slots, hash `h` from {@link slotAt}): the literal
 * at position `p` of the frame ending at `e` in slot `h` or `h ^ 1`, else undefined. With one way only, two symbols
 * (or stream names) whose 8 hashed bytes share a slot would evict each other on every frame and re-learn (allocate)
 * each time; see {@link keepLearned}. O(length / 8).
 */
export function findLearned(table: (Learned | undefined)[], h: number, p: number, e: number): Learned | undefined {
  const a = table[h];
  if (matchLearned(a, p, e)) return a;
  const b = table[h ^ 1];
  return matchLearned(b, p, e) ? b : undefined;
}

/** Stores `L` in slot `h` of `table`, moving the literal it replaces to slot `h ^ 1` (see {@link findLearned}). O(1). */
export function keepLearned(table: (Learned | undefined)[], h: number, L: Learned): void {
  if (table[h] !== undefined) table[h ^ 1] = table[h];
  table[h] = L;
}

/**
 * An unlearned combined-stream prefix at `s` of the frame ending at `e`: `wrap` (`{"stream":"`), the stream name, then
 * `data` (`","data":{"e":"<event>",…`), checked literal by literal and kept in `table` ({@link keepLearned}); the position
 * after it, or −1 when the frame does not start that way. Allocates (a miss only). O(length).
 */
export function learnWrapped(table: (Learned | undefined)[], wrap: Literal, data: Literal, s: number, e: number): number {
  if (!match(s, wrap)) return -1;
  const q = skipString(s + wrap.len, e);
  if (q < 0 || q + data.len > e || !match(q, data)) return -1;
  const i = q + data.len;
  keepLearned(table, slotAt(s + wrap.len), learn(s, i, ""));
  return i;
}

/**
 * SWAR digit test of the 4 bytes of `w` (little-endian: the first byte in the low 8 bits): 0 when all four
 * are ASCII digits `0`–`9`; otherwise the lowest non-zero byte of the result marks the first byte that is not
 * a digit. A byte x is a digit iff its high nibble is 3 and the high nibble of x + 6 is 3 too (0x3A–0x3F
 * become 0x40–0x45). The + 6 can carry out of a byte only from a byte ≥ 0xFA, which is itself flagged, so a
 * carry never hides a non-digit in an earlier byte. O(1).
 *
 * @example digitMask(Buffer.from("1234").readInt32LE(0)) // 0
 */
export function digitMask(w: number): number {
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

/** Number of digits read by the last {@link digitRun}. */
let runLength = 0;

/**
 * The run of ASCII digits starting at `p`, bounded by the frame end `e`, read four at a time: its value →
 * `num[slot]` (exact, below 10^16), its length → {@link runLength} (it stops after 16 digits: every caller
 * rejects more than 15); returns the position after it. O(digits).
 */
function digitRun(p: number, e: number, slot: number): number {
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
  return p;
}

/** The end of {@link digitRun} when fewer than 4 bytes of the frame are left: byte by byte (never reads past the frame). */
function digitTail(start: number, p: number, e: number, v: number, slot: number): number {
  while (p < e && p - start <= 15) {
    const c = u8[p];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  num[slot] = v;
  runLength = p - start;
  return p;
}

/**
 * Plain JSON integer (no sign, no leading zero, 1–15 digits) starting at `i` of the frame ending at `e`:
 * value → `num[slot]` (exact below 10^15); returns the position after it, −1 when not such an integer
 * (the byte after it is the caller's to check). O(digits).
 *
 * @example readInt(off + 5, off + frame.length, 0) // on `..."u":12,…` → position after "12", num[0] = 12
 */
export function readInt(i: number, e: number, slot: number): number {
  const p = digitRun(i, e, slot);
  return runLength === 0 || runLength > 15 || (runLength > 1 && u8[i] === 48) ? -1 : p;
}

/**
 * Epoch-millisecond times have 13 digits until the year 2286: checked and converted as four words (digits
 * 1–4, 5–8, 9–12, then the 13th digit and a non-digit after it), with no data-dependent loop. Any other shape
 * goes to {@link readInt}, whose rules it shares. Value → `num[slot]`; returns the position after it or −1. O(1).
 */
export function readTime(i: number, e: number, slot: number): number {
  if (i + 16 <= e) {
    const w0 = view.getInt32(i, true);
    const w1 = view.getInt32(i + 4, true);
    const w2 = view.getInt32(i + 8, true);
    const w3 = view.getInt32(i + 12, true);
    if ((digitMask(w0) | digitMask(w1) | digitMask(w2)) === 0 && leadingDigits(w3) === 1 && (w0 & 0xff) !== 48) {
      // ≤ 9,999·10^9 + 9,999·10^5 + 9,999·10 + 9 < 2^53: exact.
      num[slot] = digitsValue(w0, 4) * 1e9 + digitsValue(w1, 4) * 1e5 + digitsValue(w2, 4) * 10 + (w3 & 0x0f);
      return i + 13;
    }
  }
  return readInt(i, e, slot);
}

/**
 * Quoted Binance decimal `digits[.digits]` (1–15 digits in all; leading zeros allowed, as Binance decimal
 * checks do) whose opening quote precedes `i`. Value → `num[slot]`; returns the closing quote's position, −1
 * when not such a decimal (".5" and "5." go to the JSON path, which rejects them).
 *
 * Exactness: the digits form an integer mantissa m < 10^15 < 2^53 and the fraction has k ≤ 14 digits, so m
 * and 10^k (k ≤ 22) are both exact doubles. IEEE 754 division returns the double nearest to the exact
 * quotient m / 10^k, which is the decimal's exact value; `Number(text)` also returns the double nearest to
 * that value (ECMAScript requires correct rounding for ≤ 20 significant digits). Both round the same real
 * number with the same rule, so `m / 10^k` is bit-identical to `Number(text)` (Clinger's fast path). Tested
 * against `Number()` on a million seeded random decimals and on edge cases. O(digits).
 */
export function readDecimal(i: number, e: number, slot: number): number {
  let p = i;
  let m = 0;
  let dot = -1;
  for (;;) {
    if (p + 4 > e) return decimalTail(i, p, e, m, dot, slot);
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
  return decimalEnd(i, p, m, dot, slot);
}

/** The end of {@link readDecimal} when fewer than 4 bytes of the frame are left: byte by byte (never reads past the frame). */
function decimalTail(i: number, p: number, e: number, m: number, dot: number, slot: number): number {
  for (; p < e && p - i <= 16; p++) {
    const c = u8[p];
    if (c >= 48 && c <= 57) m = m * 10 + (c - 48);
    else if (c === 46 && dot < 0 && p > i) dot = p;
    else break;
  }
  return p < e ? decimalEnd(i, p, m, dot, slot) : -1;
}

/** Checks the decimal `[i, p)` (mantissa `m`, dot at `dot` or −1) and its closing quote at `p < e`; stores it. */
function decimalEnd(i: number, p: number, m: number, dot: number, slot: number): number {
  const fraction = dot < 0 ? 0 : p - dot - 1;
  const digits = p - i - (dot < 0 ? 0 : 1);
  if (digits > 15 || p === i || (dot >= 0 && fraction === 0) || u8[p] !== 34) return -1;
  num[slot] = fraction > 0 ? m / POW10[fraction] : m;
  return p;
}

/**
 * String body starting at `i` up to its closing quote, whose position it returns (−1 when there is none before
 * `e`); ASCII only: no escapes, no control or non-ASCII bytes. O(length).
 */
export function skipString(i: number, e: number): number {
  for (; i < e; i++) {
    const c = u8[i];
    if (c > 92 && c < 128) continue;
    if (c === 34) return i;
    if (c === 92 || c < 32 || c >= 128) break;
  }
  return -1;
}
