import { parameterRangeError, parameterTypeError } from "../errors";

/** Binance symbol text after lower-casing: letters, digits, optional `_` (delivery contracts), 2–32 chars. */
const SYMBOL_PATTERN = /^[a-z0-9][a-z0-9_]{1,31}$/;

/**
 * Validates and normalises one symbol: trims, lower-cases, checks `^[a-z0-9][a-z0-9_]{1,31}$`
 * ("BTCUSDT" → "btcusdt", "btcusdt_250627" ok). Whether the symbol exists on the exchange is not checked
 * here: a well-formed symbol that never trades is reported by the silence watchdog. O(length).
 *
 * @throws TypeError (E_PARAM) when `symbol` is not a string; RangeError (E_PARAM) for invalid text.
 * @example
 * normalizeSymbol(" ETHUSDT "); // "ethusdt"
 * normalizeSymbol("btc/usdt");  // throws RangeError: ... 'symbols' must be ... got "btc/usdt"
 */
export function normalizeSymbol(symbol: unknown, what = "startIngestion", field = "symbols"): string {
  if (typeof symbol !== "string") throw parameterTypeError(what, field, "an array of symbol strings such as \"btcusdt\"", symbol);
  const s = symbol.trim().toLowerCase();
  if (!SYMBOL_PATTERN.test(s)) {
    throw parameterRangeError(what, field, "Binance symbols of 2-32 letters/digits such as \"btcusdt\" (no '/', '-', '@' or spaces)", symbol);
  }
  return s;
}

/**
 * Validates a symbol list: non-empty array of valid symbols (see {@link normalizeSymbol}), lower-cased,
 * duplicates removed, first-seen order kept (the order matters: the demo exchange makes the first symbol
 * BTC-like and the second its cointegrated partner). O(n).
 *
 * @throws TypeError (E_PARAM) when `symbols` is not an array; RangeError (E_PARAM) when it is empty or holds invalid text.
 * @example
 * normalizeSymbols(["BTCUSDT", "ethusdt", "btcusdt"]); // ["btcusdt", "ethusdt"]
 */
export function normalizeSymbols(symbols: unknown, what = "startIngestion"): string[] {
  if (!Array.isArray(symbols)) throw parameterTypeError(what, "symbols", "a non-empty array of symbol strings such as [\"btcusdt\", \"ethusdt\"]", symbols);
  if (symbols.length === 0) throw parameterRangeError(what, "symbols", "a non-empty array of symbol strings", symbols);
  const out: string[] = [];
  for (const s of symbols) {
    const n = normalizeSymbol(s, what);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
