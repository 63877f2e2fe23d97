import { describe, expect, it } from "vitest";
import { createDecodedTrade, decodeFrame, decodeFrameJson } from "../../src/ingestion/decode-frame";
import { MIN_TRADE_TIME, isBinanceDecimal, isTradeTime } from "../../src/ingestion/trade-validation";

const T = 1_700_000_000_001;
/** A Binance-layout @trade frame with the given field texts (already JSON-encoded). */
function frame(f: { p?: string; q?: string; T?: string; E?: string; t?: string }, wrapped = true): string {
  const body = `{"e":"trade","E":${f.E ?? String(T + 1)},"T":${f.T ?? String(T)},"s":"BTCUSDT","t":${f.t ?? "7"},"p":${f.p ?? '"97000.5"'},"q":${f.q ?? '"0.002"'},"X":"MARKET","m":false}`;
  return wrapped ? `{"stream":"btcusdt@trade","data":${body}}` : body;
}

const day = 86_400_000;
// [case, frame fields, expected kind, expected reason]
const table: [string, Parameters<typeof frame>[0], string, string][] = [
  ["a valid trade", {}, "trade", ""],
  ["a spent id (price 0, qty 0)", { p: '"0"', q: '"0.000"' }, "spent", ""],
  ["price in hex '0x10' (Number() reads 16)", { p: '"0x10"' }, "invalid", "price-format"],
  ["price in binary '0b101'", { p: '"0b101"' }, "invalid", "price-format"],
  ["price with spaces ' 97000 '", { p: '" 97000 "' }, "invalid", "price-format"],
  ["price with an exponent '1e3'", { p: '"1e3"' }, "invalid", "price-format"],
  ["price with a sign '+5'", { p: '"+5"' }, "invalid", "price-format"],
  ["price negative '-5'", { p: '"-5"' }, "invalid", "price-format"],
  ["price '.5' (no integer part)", { p: '".5"' }, "invalid", "price-format"],
  ["price '5.' (empty fraction)", { p: '"5."' }, "invalid", "price-format"],
  ["price 'Infinity'", { p: '"Infinity"' }, "invalid", "price-format"],
  ["price '' (empty)", { p: '""' }, "invalid", "price-format"],
  ["price as a JSON number", { p: "97000.5" }, "invalid", "price-format"],
  ["price and qty ' ' (Number(' ') is 0: not a spent id)", { p: '" "', q: '" "' }, "invalid", "price-format"],
  ["qty '1e-3'", { q: '"1e-3"' }, "invalid", "qty-format"],
  ["qty with a trailing space", { q: '"0.5 "' }, "invalid", "qty-format"],
  ["price 0 with qty > 0", { p: '"0"' }, "invalid", "price-range"],
  ["qty 0 with price > 0", { q: '"0.0"' }, "invalid", "qty-range"],
  ["T = 1.5 ms", { T: "1.5" }, "invalid", "time-range"],
  ["T in 1970 (86,400,000)", { T: "86400000" }, "invalid", "time-range"],
  ["T in seconds (1,700,000,000)", { T: "1700000000" }, "invalid", "time-range"],
  ["T in microseconds (1.7e15)", { T: "1700000000000000" }, "invalid", "time-range"],
  ["T = 1e300", { T: "1e300" }, "invalid", "time-range"],
  ["T with a fraction", { T: "1700000000000.5" }, "invalid", "time-range"],
  ["T before 2017-01-01", { T: String(MIN_TRADE_TIME - 1) }, "invalid", "time-range"],
  ["T two days ahead of the clock", { T: String(Date.now() + 2 * day) }, "invalid", "time-range"],
  ["E in seconds", { E: "1700000000" }, "invalid", "event-time-range"],
  ["E = 1e300", { E: "1e300" }, "invalid", "event-time-range"],
  ["E as a string", { E: '"1700000000002"' }, "invalid", "event-time-range"],
  ["t negative", { t: "-1" }, "invalid", "id"],
  ["t with a fraction", { t: "1.5" }, "invalid", "id"],
];

describe("trade validation at decode (the table)", () => {
  it.each(table)("decodeFrame(%s) is classified the same by every decoder, with the reason", (_what, fields, kind, reason) => {
    for (const wrapped of [true, false]) {
      const text = frame(fields, wrapped);
      for (const input of [text, Buffer.from(text)]) {
        const out = createDecodedTrade();
        expect(decodeFrame(input, out), `${text}`).toBe(kind);
        expect(out.reason).toBe(reason);
      }
      const ref = createDecodedTrade();
      expect(decodeFrameJson(text, ref)).toBe(kind);
      expect(ref.reason).toBe(reason);
    }
  });

  it("isBinanceDecimal(s) accepts only digits with an optional '.digits' fraction", () => {
    for (const ok of ["0", "1", "97000", "97000.10", "0.00000001", "007.5"]) expect(isBinanceDecimal(ok), ok).toBe(true);
    for (const bad of ["", " ", ".", "1.", ".5", "-1", "+1", "1e3", "0x10", "0b101", " 1", "1 ", "1.2.3", "Infinity", "NaN", "1,5"]) expect(isBinanceDecimal(bad), bad).toBe(false);
  });

  it("isTradeTime(t) accepts integer epoch ms in [2017-01-01, now + 1 day]", () => {
    expect(isTradeTime(MIN_TRADE_TIME)).toBe(true);
    expect(isTradeTime(MIN_TRADE_TIME - 1)).toBe(false);
    expect(isTradeTime(Date.now())).toBe(true);
    expect(isTradeTime(Date.now() + day - 1000)).toBe(true);
    expect(isTradeTime(Date.now() + day + 1000)).toBe(false);
    for (const bad of [NaN, Infinity, -1, 0, 1.5, 1e300, 1_700_000_000_000.5]) expect(isTradeTime(bad), String(bad)).toBe(false);
  });
});
