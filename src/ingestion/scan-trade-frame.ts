import type { DecodedTrade } from "./decode-frame";
import { finishTrade, reject } from "./trade-validation";

/**
 * Allocation-light fast path for the common case: a well-typed Binance `trade`/`aggTrade` frame (raw or
 * `{"stream":…,"data":{…}}`) scanned byte by byte, without `Buffer.toString` and `JSON.parse`. Anything
 * unusual — escapes, arrays, unexpected nesting, a missing or ill-typed field, other events, replies —
 * returns `"fallback"` and the caller uses the JSON path, so classification is identical by construction
 * for the frames this path accepts (verified by a property test against the JSON path).
 *
 * Numbers: integers are accumulated exactly below 2^53; decimal strings with ≤ 15 significant digits and
 * ≤ 22 fraction digits are converted as `mantissa / 10^k`, which is correctly rounded (Clinger's fast
 * path), hence bit-identical to `Number(text)`; anything else goes through `Number(text)`. O(frame bytes).
 */

const enum C {
  Quote = 34,
  Backslash = 92,
  Colon = 58,
  Comma = 44,
  OpenBrace = 123,
  CloseBrace = 125,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Field slots filled by the scanner (NaN / -1 = absent). */
const enum F {
  E = 0, // event type: 1 trade, 2 aggTrade, 0 other
  T,
  t,
  a,
  f,
  l,
  p,
  q,
  /** Event time `E`. */
  Ev,
  Count,
}

const vals = new Float64Array(F.Count);
/** Which fields were seen in the current frame: `seen[f] === gen` (a generation counter avoids clearing). */
const seen = new Uint32Array(F.Count);
let gen = 0;
let symStart = -1;
let symEnd = -1;
/** Top-level shape: single-letter keys seen at the top, a string "stream", an object "data". */
let topLetters = 0;
let hasStream = false;
let hasData = false;

/** Known symbols: upper-case bytes → lower-case string, with a last-hit shortcut. */
const symBytes: Buffer[] = [];
const symLower: string[] = [];
let lastSym = -1;

/**
 * Lower-case symbol for the upper-case bytes `b[start, end)` (Binance's `s`), from a cache of known
 * symbols with a last-hit shortcut; undefined for non-ASCII bytes (the JSON path then decodes UTF-8).
 * Shared with {@link scanBinanceTrade}. O(symbol length) on a hit; at most 4,096 symbols are cached.
 *
 * @example
 * symbolOf(Buffer.from('"BTCUSDT"'), 1, 8); // "btcusdt"
 */
export function symbolOf(b: Buffer, start: number, end: number): string | undefined {
  const n = end - start;
  if (lastSym >= 0 && matches(symBytes[lastSym], b, start, n)) return symLower[lastSym];
  for (let i = 0; i < symBytes.length; i++) {
    if (matches(symBytes[i], b, start, n)) {
      lastSym = i;
      return symLower[i];
    }
  }
  for (let i = start; i < end; i++) if (b[i] >= 0x80) return undefined; // non-ASCII: let the JSON path decode UTF-8
  const text = b.toString("latin1", start, end).toLowerCase();
  if (symBytes.length < 4096) {
    symBytes.push(Buffer.from(b.subarray(start, end)));
    symLower.push(text);
    lastSym = symBytes.length - 1;
  }
  return text;
}

function matches(known: Buffer, b: Buffer, start: number, n: number): boolean {
  if (known.length !== n) return false;
  for (let i = 0; i < n; i++) if (known[i] !== b[start + i]) return false;
  return true;
}

const STREAM = Buffer.from("stream");
const DATA = Buffer.from("data");
const RESULT = Buffer.from("result");
const ERROR = Buffer.from("error");
const ID = Buffer.from("id");
const TRADE = Buffer.from("trade");
const AGG_TRADE = Buffer.from("aggTrade");

function keyIs(b: Buffer, start: number, len: number, key: Buffer): boolean {
  if (len !== key.length) return false;
  for (let j = 0; j < len; j++) if (b[start + j] !== key[j]) return false;
  return true;
}

/** Set by {@link parseNumber}: position after the number, and whether it was a plain JSON decimal. */
let numEnd = 0;
let numberOk = true;

/**
 * Parses a number starting at `i` up to the first byte that cannot belong to it. Sets `numEnd` and
 * `numberOk` (false for an exponent, "1.", "01", "-", no digits). Plain decimals with ≤ 15 digits and
 * ≤ 22 fraction digits are computed as m / 10^k (correctly rounded); longer ones via Number(text).
 */
function parseNumber(b: Buffer, i: number, n: number): number {
  const start = i;
  let neg = false;
  if (b[i] === C.Minus) {
    neg = true;
    i++;
  }
  const firstDigit = i;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = b[i];
    if (c >= C.Zero && c <= C.Nine) {
      m = m * 10 + (c - C.Zero);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === C.Dot && frac < 0) {
      frac = 0;
    } else break;
  }
  numEnd = i;
  const c = i < n ? b[i] : 0;
  if (c === 101 || c === 69 || c === 43 || c === C.Minus || digits === 0 || frac === 0 || (b[firstDigit] === C.Zero && digits > 1 && b[firstDigit + 1] !== C.Dot)) {
    numberOk = false;
    return NaN;
  }
  numberOk = true;
  if (digits <= 15 && frac <= 22) {
    const v = frac > 0 ? m / POW10[frac] : m;
    return neg ? -v : v;
  }
  return Number(b.toString("latin1", start, i));
}

/**
 * Binance decimal text inside quotes (prices/quantities: digits, optionally "." and digits) → number,
 * exactly like `+text` (m / 10^k, correctly rounded, ≤ 15 digits); −1 for anything else (empty, sign,
 * exponent, hex, whitespace, leading/trailing dot, > 15 digits): the caller falls back to the JSON path,
 * which classifies it.
 */
function decimalString(b: Buffer, start: number, end: number): number {
  if (end === start || b[start] === C.Dot) return -1;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= C.Zero && c <= C.Nine) {
      m = m * 10 + (c - C.Zero);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === C.Dot && frac < 0) {
      frac = 0;
    } else {
      return -1;
    }
  }
  if (digits > 15 || frac === 0) return -1;
  return frac > 0 ? m / POW10[frac] : m;
}

/**
 * Scans one object whose '{' is at `i`; returns the position after its '}', or -1 (→ fallback). `top`
 * allows the {"stream":…,"data":{…}} wrapper. Recognised single-letter keys fill `vals`/`seen`.
 * Written with local positions only (no module-level cursor) so V8 keeps the cursor in a register.
 */
function scanObject(b: Buffer, i: number, top: boolean): number {
  const n = b.length;
  i++;
  for (;;) {
    let c = b[i];
    if (c <= 32) while (c === 32 || c === 9 || c === 10 || c === 13) c = b[++i];
    if (c === C.CloseBrace) return i + 1;
    if (c !== C.Quote) return -1;
    const keyStart = ++i;
    for (; i < n; i++) {
      c = b[i];
      if (c > C.Backslash) continue; // lower-case letters: the common case, one comparison
      if (c === C.Quote) break;
      if (c === C.Backslash || c < 32) return -1;
    }
    if (i >= n) return -1;
    const keyLen = i - keyStart;
    i++;
    const k = keyLen === 1 ? b[keyStart] : 0;
    let isStream = false;
    if (top) {
      if (keyLen === 1) topLetters++;
      else if (keyIs(b, keyStart, keyLen, STREAM)) isStream = true;
      else if (keyIs(b, keyStart, keyLen, RESULT) || keyIs(b, keyStart, keyLen, ERROR) || keyIs(b, keyStart, keyLen, ID)) return -1; // a reply
    }
    c = b[i];
    if (c <= 32) while (c === 32 || c === 9 || c === 10 || c === 13) c = b[++i];
    if (c !== C.Colon) return -1;
    c = b[++i];
    if (c <= 32) while (c === 32 || c === 9 || c === 10 || c === 13) c = b[++i];
    if (c === C.Quote) {
      const s = ++i;
      for (; i < n; i++) {
        c = b[i];
        if (c > C.Backslash) continue;
        if (c === C.Quote) break;
        if (c === C.Backslash || c < 32) return -1;
      }
      if (i >= n) return -1;
      const e = i;
      i++;
      if (isStream) hasStream = true;
      else if (k !== 0) {
        if (k === 112 /* p */) {
          vals[F.p] = decimalString(b, s, e);
          if (vals[F.p] < 0) return -1;
          seen[F.p] = gen;
        } else if (k === 113 /* q */) {
          vals[F.q] = decimalString(b, s, e);
          if (vals[F.q] < 0) return -1;
          seen[F.q] = gen;
        } else if (k === 115 /* s */) {
          symStart = s;
          symEnd = e;
        } else if (k === 101 /* e */) {
          const len = e - s;
          vals[F.E] = keyIs(b, s, len, TRADE) ? 1 : keyIs(b, s, len, AGG_TRADE) ? 2 : 0;
          seen[F.E] = gen;
        } else if (k === 84 || k === 116 || k === 97 || k === 102 || k === 108 || k === 69) {
          return -1; // ids/times as strings: let the JSON path classify
        }
      }
    } else if (c === C.OpenBrace) {
      // Only {"stream":…,"data":{…}} nests, once.
      if (!top || !keyIs(b, keyStart, keyLen, DATA) || hasData) return -1;
      hasData = true;
      i = scanObject(b, i, false);
      if (i < 0) return -1;
    } else if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) {
      // Fast path: a plain non-negative integer of ≤ 15 digits without a leading zero (ids, times).
      let num = 0;
      let j = i;
      let d = c;
      while (d >= C.Zero && d <= C.Nine) {
        num = num * 10 + (d - C.Zero);
        d = b[++j];
      }
      const digits = j - i;
      if (digits === 0 || digits > 15 || d === C.Dot || d === 101 || d === 69 || (c === C.Zero && digits > 1)) {
        num = parseNumber(b, i, n);
        if (!numberOk) return -1;
        i = numEnd;
      } else {
        i = j;
      }
      if (k === 112 || k === 113) return -1; // a price/quantity as a JSON number: the JSON path rejects it
      const slot = k === 84 ? F.T : k === 116 ? F.t : k === 97 ? F.a : k === 102 ? F.f : k === 108 ? F.l : k === 69 ? F.Ev : -1;
      if (slot >= 0) {
        vals[slot] = num;
        seen[slot] = gen;
      } else if (k === 101 || k === 115) return -1;
    } else if (c === 116 || c === 102 || c === 110) {
      if (k !== 0 && k !== 109 /* m */ && k !== 77) return -1;
      // Exactly true / false / null (a bare word like "tru" is malformed JSON: the JSON path decides).
      if (c === 116) {
        if (b[i + 1] !== 114 || b[i + 2] !== 117 || b[i + 3] !== 101) return -1;
        i += 4;
      } else if (c === 102) {
        if (b[i + 1] !== 97 || b[i + 2] !== 108 || b[i + 3] !== 115 || b[i + 4] !== 101) return -1;
        i += 5;
      } else {
        if (b[i + 1] !== 117 || b[i + 2] !== 108 || b[i + 3] !== 108) return -1;
        i += 4;
      }
      if (i < n && b[i] >= 97 && b[i] <= 122) return -1;
    } else {
      return -1;
    }
    c = b[i];
    if (c <= 32) while (c === 32 || c === 9 || c === 10 || c === 13) c = b[++i];
    if (c === C.Comma) {
      i++;
      continue;
    }
    if (c === C.CloseBrace) return i + 1;
    return -1;
  }
}

function isId(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

/**
 * Fast-path classification of a Buffer frame into `out`; `"fallback"` when the JSON path must decide.
 * Same results as `decodeFrame` for every frame it does not hand back. O(frame bytes), no allocation on
 * the common path (the symbol string is cached).
 *
 * @example
 * scanTradeFrame(Buffer.from('{"e":"trade","T":1,"s":"BTCUSDT","t":1,"p":"2.5","q":"1"}'), createDecodedTrade()); // "trade"
 * scanTradeFrame(Buffer.from('{"result":null,"id":1}'), createDecodedTrade());                                     // "fallback"
 */
export function scanTradeFrame(b: Buffer, out: DecodedTrade): "trade" | "spent" | "invalid" | "fallback" {
  if (gen === 0xffffffff) {
    seen.fill(0);
    gen = 0;
  }
  gen++;
  out.reason = "";
  symStart = symEnd = -1;
  topLetters = 0;
  hasStream = hasData = false;
  let i = 0;
  const n = b.length;
  while (i < n && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  if (b[i] !== C.OpenBrace) return "fallback";
  i = scanObject(b, i, true);
  if (i < 0) return "fallback";
  while (i < n && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  if (i !== n) return "fallback";
  // Wrapped frames must be exactly {"stream":"…","data":{…}}; raw frames have no wrapper keys.
  if (hasData ? !hasStream || topLetters > 0 : hasStream) return "fallback";
  const kind = seen[F.E] === gen ? vals[F.E] : 0;
  if (kind === 0 || symStart < 0 || symEnd <= symStart || seen[F.T] !== gen) return "fallback";
  const time = vals[F.T];
  const price = seen[F.p] === gen ? vals[F.p] : NaN;
  const qty = seen[F.q] === gen ? vals[F.q] : NaN;
  if (kind === 1) {
    if (seen[F.t] !== gen) return "fallback";
    const t = vals[F.t];
    if (!isId(t)) return reject(out, "id");
    out.id = out.firstTradeId = out.lastTradeId = t;
    out.stream = "trade";
  } else {
    if (seen[F.a] !== gen) return "fallback";
    const a = vals[F.a];
    if (!isId(a)) return reject(out, "id");
    out.id = a;
    const f = vals[F.f];
    const l = vals[F.l];
    out.firstTradeId = seen[F.f] === gen && isId(f) ? f : a;
    out.lastTradeId = seen[F.l] === gen && isId(l) && l >= out.firstTradeId ? l : out.firstTradeId;
    out.stream = "aggTrade";
  }
  const symbol = symbolOf(b, symStart, symEnd);
  if (symbol === undefined) return "fallback";
  out.symbol = symbol;
  out.time = time;
  out.eventTime = seen[F.Ev] === gen ? vals[F.Ev] : NaN;
  out.price = price;
  out.qty = qty;
  if (price !== price || qty !== qty) return "fallback"; // p or q absent: the JSON path says which
  return finishTrade(out);
}
