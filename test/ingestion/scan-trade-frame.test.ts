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

const often = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
const id = fc.integer({ min: 0, max: 2 ** 40 });
const payload = fc.record(
  {
    e: often(fc.constantFrom("trade", "aggTrade", "trade", "aggTrade", "markPriceUpdate"), value),
    E: value,
    // Mostly epoch ms inside the accepted window [2017-01-01, now + 1 day], sometimes any integer (seconds, 1970, µs).
    T: often(fc.oneof({ arbitrary: fc.integer({ min: 1_483_228_800_000, max: 1_760_000_000_000 }), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 2 ** 42 }), weight: 1 }), value),
    s: often(fc.constantFrom("BTCUSDT", "ETHUSDT", "btcusdt"), fc.constantFrom("", "B\"TC", "ÉTH", 5)),
    t: often(id, value),
    a: often(id, value),
    f: often(id, value),
    l: often(id, value),
    p: often(fc.constantFrom("100000.5", "3000.01", "0.00001234", "0", "0"), value),
    q: often(fc.constantFrom("0.001", "12.5", "0", "0"), value),
    X: fc.constantFrom("MARKET", "NA"),
    m: fc.boolean(),
    nq: fc.constantFrom("0.5", "1"),
    stream: fc.constantFrom("btcusdt@trade", "x"),
    strean: fc.constantFrom("btcusdt@trade"),
    dat4: fc.constant({ e: "trade" }),
    id: fc.constantFrom(1, "a"),
    error: fc.constant({ code: 2 }),
    result: fc.constant(null),
  },
  { requiredKeys: [] },
).map((p) => p as Record<string, unknown>);

/** Near-valid frames: the core trade fields are usually all present (so the fast path is exercised). */
const nearValid = fc
  .tuple(
    payload,
    fc.option(fc.constantFrom("e", "T", "s", "t", "a", "p", "q"), { freq: 4 }),
    fc.option(fc.constantFrom("nq", "stream", "strean", "dat4", "id", "error", "result"), { freq: 2 }),
  )
  .map(([p, drop, extra]) => {
    const defaults: Record<string, unknown> = { e: "trade", T: 1_700_000_000_001, s: "BTCUSDT", t: 1, a: 1, p: "1", q: "1" };
    const out: Record<string, unknown> = {};
    for (const k of ["e", "E", "T", "s", "t", "a", "f", "l", "p", "q", "X", "m"]) {
      if (k === drop) continue;
      if (k === "E") out.E = typeof p.E === "number" ? p.E : 1_700_000_000_000;
      else if (k in p) out[k] = p[k];
      else if (k in defaults) out[k] = defaults[k];
    }
    if (extra !== null && extra in p) out[extra] = p[extra];
    return out;
  });

export const frameArb = fc
  .tuple(fc.oneof(payload, nearValid, nearValid), fc.constantFrom("raw", "combined", "combined", "reply", "spaced"), fc.constantFrom("btcusdt@trade", "ethusdt@aggTrade", "x"), fc.nat(300), fc.nat(7))
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
    const kinds = new Map<string, number>();
    let fastPath = 0;
    fc.assert(
      fc.property(frameArb, (text) => {
        if (scanTradeFrame(Buffer.from(text), fast) !== "fallback") fastPath++;
        const kindFast = decodeFrame(Buffer.from(text), fast);
        const kindRef = decodeFrameJson(text, ref);
        kinds.set(kindRef, (kinds.get(kindRef) ?? 0) + 1);
        expect(kindFast).toBe(kindRef);
        if (kindRef === "trade" || kindRef === "spent") expect({ ...fast }).toEqual({ ...ref }); // exact, incl. float bits
        if (kindRef === "invalid") expect(fast.reason).toBe(ref.reason);
      }),
      { seed: 20261123, numRuns: 5000 },
    );
    // The generator must exercise every outcome and the fast path itself, or the comparison proves little.
    for (const k of ["trade", "spent", "reply", "unknown", "malformed", "invalid"]) expect(kinds.get(k) ?? 0).toBeGreaterThan(20);
    expect(fastPath).toBeGreaterThan(200);
  });

  it("scanTradeFrame parses decimal strings bit-identically to Number() (property, seeded)", () => {
    const out = createDecodedTrade();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 10 ** 6 }), (m, k, q) => {
        const p = (m / 10 ** k).toFixed(k);
        const qty = (q / 1000).toFixed(3);
        const kind = scanTradeFrame(Buffer.from(`{"e":"trade","T":1700000000001,"s":"BTCUSDT","t":1,"p":"${p}","q":"${qty}"}`), out);
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
