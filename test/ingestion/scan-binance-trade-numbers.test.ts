import { describe, expect, it } from "vitest";
import { createDecodedTrade, decodeFrame, decodeFrameJson } from "../../src/ingestion/decode-frame";
import { scanBinanceTrade } from "../../src/ingestion/scan-binance-trade";
import { mulberry32 } from "../../src/seeded-random";
import { randomDecimal } from "../support/scan-frames";

/**
 * The exact-layout scanner reads digits four bytes at a time (SWAR) and converts decimals as m / 10^k. These tests
 * pin both against the references: `Number(text)` for values (bit for bit), `decodeFrameJson` for classification.
 */

const PRICE_AT = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":7,"p":"';

/** A wrapped frame with price `p` and quantity `q` (decimal texts, unquoted). */
function frameWith(p: string, q: string): Buffer {
  return Buffer.from(`${PRICE_AT}${p}","q":"${q}","X":"MARKET","m":true}}`, "latin1");
}

/** A random decimal text: 1–15 digits in all (sometimes up to 17), with a fraction of 0–14 digits (see randomDecimal). */
function randomPrice(rand: () => number): string {
  const total = rand() < 0.97 ? 1 + Math.floor(rand() * 15) : 16 + Math.floor(rand() * 2);
  return randomDecimal(rand, total);
}

describe("scanBinanceTrade numbers", () => {
  it("scanBinanceTrade(frame) parses 1,000,000 seeded random decimals bit-identically to Number() (> 15 digits: left to the JSON path)", () => {
    const rand = mulberry32(20261207);
    const out = createDecodedTrade();
    let fast = 0;
    let long = 0;
    for (let n = 0; n < 1_000_000; n++) {
      const p = randomPrice(rand);
      const q = randomPrice(rand);
      const kind = scanBinanceTrade(frameWith(p, q), out);
      const digits = Math.max(p.replace(".", "").length, q.replace(".", "").length);
      if (digits > 15) {
        // Not exact by m / 10^k in general: never decoded here.
        if (kind !== "fallback") expect.fail(`${p} / ${q}: ${kind}, expected fallback`);
        long++;
        continue;
      }
      const expected = Number(p) === 0 && Number(q) === 0 ? "spent" : Number(p) === 0 ? "invalid" : Number(q) === 0 ? "invalid" : "trade";
      if (kind !== expected) expect.fail(`${p} / ${q}: ${kind}, expected ${expected}`);
      if (kind === "trade" && !(Object.is(out.price, Number(p)) && Object.is(out.qty, Number(q)))) expect.fail(`${p} / ${q}: got ${out.price} / ${out.qty}`);
      fast++;
    }
    expect(fast).toBeGreaterThan(900_000);
    expect(long).toBeGreaterThan(10_000);
  });

  it.each([
    "0", "1", "9", "10", "0.1", "0.2", "0.3", "1.005", "2.675", "4.35", "97000.10", "100000.1", "0.00000001", "0.000000000000001",
    "123456789012345", "12345678901234.5", "1.23456789012345", "999999999999999", "99999999999999.9", "0.99999999999999",
    "9007199254.740991", "4503599627.370497", "00.5", "0000000000001", "1.10000000000000", "7.000000000000001",
  ])("scanBinanceTrade(price %s) equals Number() bit for bit (16 digits: fallback, and decodeFrame equals Number())", (p) => {
    const out = createDecodedTrade();
    const kind = scanBinanceTrade(frameWith(p, "1"), out);
    if (p.replace(".", "").length > 15) {
      expect(kind).toBe("fallback");
      expect(decodeFrame(frameWith(p, "1"), out)).toBe("trade");
    } else expect(kind).toBe(Number(p) === 0 ? "invalid" : "trade");
    if (Number(p) !== 0) expect(Object.is(out.price, Number(p))).toBe(true);
  });

  it("scanBinanceTrade(frame) classifies ids of 0–17 digits, with and without leading zeros, at every word alignment, like the JSON reference", () => {
    const out = createDecodedTrade();
    const ref = createDecodedTrade();
    let checked = 0;
    for (let pad = 0; pad < 4; pad++) {
      const stream = `btcusdt@trade${"x".repeat(pad)}`; // shifts every field by `pad` bytes against the 4-byte reads
      for (let len = 0; len <= 17; len++) {
        for (const lead of ["1", "0", "9"]) {
          const id = len === 0 ? "" : lead + "234567890123456789".slice(0, len - 1);
          for (const after of [',"p":"', ',"p" :"', '.5,"p":"', 'e3,"p":"', '0']) {
            const text = `{"stream":"${stream}","data":{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":${id}${after}97000.5","q":"0.002","X":"MARKET","m":false}}`;
            const kind = scanBinanceTrade(Buffer.from(text, "latin1"), out);
            const kindRef = decodeFrameJson(text, ref);
            if (kind === "fallback") continue;
            checked++;
            expect(kind, text).toBe(kindRef);
            if (kind === "trade") expect({ ...out }).toEqual({ ...ref });
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("scanBinanceTrade(frame) classifies times of 11–15 digits and non-digit bytes at each of the 13 positions like the JSON reference", () => {
    const out = createDecodedTrade();
    const ref = createDecodedTrade();
    const times = ["17000000000", "170000000000", "1700000000001", "17000000000012", "170000000000123", "0700000000001", "9999999999999", "1000000000000"];
    for (let k = 0; k < 13; k++) for (const c of ["/", ":", "a", " ", ".", "\u00ff"]) times.push(`${"1700000000001".slice(0, k)}${c}${"1700000000001".slice(k + 1)}`);
    let accepted = 0;
    for (let pad = 0; pad < 4; pad++) {
      for (const t of times) {
        for (const which of ["E", "T"]) {
          const E = which === "E" ? t : "1700000000002";
          const T = which === "T" ? t : "1700000000001";
          const text = `{"stream":"btcusdt@trade${"x".repeat(pad)}","data":{"e":"trade","E":${E},"T":${T},"s":"BTCUSDT","t":7,"p":"97000.5","q":"0.002","X":"MARKET","m":false}}`;
          const bytes = Buffer.from(text, "latin1");
          const kind = scanBinanceTrade(bytes, out);
          if (kind === "fallback") continue;
          accepted++;
          const kindRef = decodeFrameJson(text, ref);
          expect(kind, text).toBe(kindRef);
          if (kind === "trade") expect({ ...out }).toEqual({ ...ref });
          if (kind === "invalid") expect(out.reason).toBe(ref.reason);
        }
      }
    }
    expect(accepted).toBeGreaterThan(40);
  });
});
