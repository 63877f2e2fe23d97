import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createDecodedTrade, decodeFrame, decodeFrameJson } from "../../src/ingestion/decode-frame";
import { scanTradeFrame } from "../../src/ingestion/scan-trade-frame";

const value = fc.oneof(
  fc.integer({ min: -5, max: 2 ** 53 + 10 }),
  fc.double({ noNaN: false }),
  fc.constantFrom("0", "0.0", "100000.5", "3000.01", "1e3", "-5", "", "abc", "NaN", "Infinity", "0.001", "12345678901234567890.5", "1.", ".5", "0x10"),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([1]),
  fc.constant({ x: 1 }),
);

const payload = fc.record(
  {
    e: fc.oneof(fc.constantFrom("trade", "aggTrade", "markPriceUpdate", "trade2", "Trade"), value),
    E: value,
    T: fc.oneof(fc.integer({ min: -1, max: 2 ** 42 }), value),
    s: fc.oneof(fc.constantFrom("BTCUSDT", "ETHUSDT", "btcusdt", "", "B\"TC", "ÉTH"), value),
    t: fc.oneof(fc.integer({ min: -2, max: 2 ** 40 }), value),
    a: fc.oneof(fc.integer({ min: -2, max: 2 ** 40 }), value),
    f: fc.oneof(fc.integer({ min: -2, max: 2 ** 40 }), value),
    l: fc.oneof(fc.integer({ min: -2, max: 2 ** 40 }), value),
    p: fc.oneof(fc.constantFrom("100000.5", "0", "3000.01", "0.00001234"), value),
    q: fc.oneof(fc.constantFrom("0.001", "0", "12.5"), value),
    X: fc.constantFrom("MARKET", "NA"),
    m: fc.boolean(),
  },
  { requiredKeys: [] },
);

const frame = fc
  .tuple(payload, fc.constantFrom("raw", "combined", "reply", "spaced"), fc.constantFrom("btcusdt@trade", "ethusdt@aggTrade", "x"), fc.nat(300), fc.nat(3))
  .map(([p, shape, stream, cut, mutate]) => {
    let text =
      shape === "combined"
        ? JSON.stringify({ stream, data: p })
        : shape === "reply"
          ? JSON.stringify({ result: null, id: 1, ...p })
          : shape === "spaced"
            ? JSON.stringify({ stream, data: p }, null, 1)
            : JSON.stringify(p);
    if (mutate === 1) text = text.slice(0, Math.min(text.length, cut));
    if (mutate === 2) text = text.slice(0, cut % (text.length + 1)) + "\\" + text.slice(cut % (text.length + 1));
    return text;
  });

describe("scanTradeFrame", () => {
  it("decodeFrame(Buffer) equals the JSON reference decoder on random frames (property, seeded)", () => {
    const fast = createDecodedTrade();
    const ref = createDecodedTrade();
    fc.assert(
      fc.property(frame, (text) => {
        const kindFast = decodeFrame(Buffer.from(text), fast);
        const kindRef = decodeFrameJson(text, ref);
        expect(kindFast).toBe(kindRef);
        if (kindRef === "trade" || kindRef === "spent") expect({ ...fast }).toEqual({ ...ref }); // exact, incl. float bits
      }),
      { seed: 20261123, numRuns: 5000 },
    );
  });

  it("scanTradeFrame parses decimal strings bit-identically to Number() (property, seeded)", () => {
    const out = createDecodedTrade();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 10 ** 6 }), (m, k, q) => {
        const p = (m / 10 ** k).toFixed(k);
        const qty = (q / 1000).toFixed(3);
        const kind = scanTradeFrame(Buffer.from(`{"e":"trade","T":1,"s":"BTCUSDT","t":1,"p":"${p}","q":"${qty}"}`), out);
        expect(kind).toBe("trade");
        expect(Object.is(out.price, Number(p))).toBe(true);
        expect(Object.is(out.qty, Number(qty))).toBe(true);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it.each([
    ['{"e":"aggTrade","T":1,"s":"BTCUSDT","a":0,"p":1,"q":"1."}'],
    ['{"e":"aggTrade","T":1,"s":"ÉTH","a":0,"p":"100000.5","q":"0.001"}'],
    ['{"result":null,"id":1,"e":"aggTrade","T":0,"s":"BTCUSDT","a":0}'],
    ['{"e":"trade","T":1,"s":"BTCUSDT","t":01,"p":"1","q":"1"}'],
    ['{"e":"trade","T":1e3,"s":"BTCUSDT","t":1,"p":"1","q":"1"}'],
    ['{"stream":5,"data":{"e":"trade","T":1,"s":"BTCUSDT","t":1,"p":"1","q":"1"}}'],
    ['{"e":"trade","stream":"x@trade","data":{"e":"trade","T":1,"s":"BTCUSDT","t":1,"p":"1","q":"1"}}'],
  ])("decodeFrame(Buffer %s) equals the JSON reference (regression cases found by the property test)", (text) => {
    const fast = createDecodedTrade();
    const ref = createDecodedTrade();
    const kind = decodeFrameJson(text, ref);
    expect(decodeFrame(Buffer.from(text), fast)).toBe(kind);
    if (kind === "trade" || kind === "spent") expect({ ...fast }).toEqual({ ...ref });
  });

  it("scanTradeFrame hands replies, other events, escapes and arrays back to the JSON path", () => {
    const out = createDecodedTrade();
    for (const f of ['{"result":null,"id":1}', '{"e":"depthUpdate"}', '{"e":"trade","s":"B\\u0054C","T":1,"t":1,"p":"1","q":"1"}', "[1]", '{"e":"trade","x":[1]}']) {
      expect(scanTradeFrame(Buffer.from(f), out)).toBe("fallback");
    }
  });
});
