import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createDecodedTrade, decodeFrame, decodeFrameJson } from "../../src/ingestion/decode-frame";
import { learnedLiterals } from "../../src/ingestion/frame-bytes";
import { scanBinanceTrade } from "../../src/ingestion/scan-binance-trade";
import { frameOf, sliceOf } from "../support/scan-frames";

/** Field texts as they appear in the frame (already JSON-encoded), mostly Binance-like, sometimes adversarial. */
const often = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 10 }, { arbitrary: bad, weight: 1 });
const intText = often(
  fc.oneof(fc.integer({ min: 0, max: 2 ** 41 }), fc.integer({ min: 0, max: 999 })).map(String),
  fc.constantFrom("0", "00", "01", "-1", "1e3", "1.5", "123456789012345", "1234567890123456", "9007199254740993", "1E2", '"5"', "null", "true", ""),
);
// Times: mostly epoch ms inside the accepted window [2017-01-01, now + 1 day], sometimes any integer (seconds, 1970, µs).
const timeText = often(
  fc.oneof({ arbitrary: fc.integer({ min: 1_483_228_800_000, max: 1_760_000_000_000 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 2 ** 41 }), weight: 1 }).map(String),
  fc.constantFrom("0", "00", "01", "-1", "1e3", "1.5", "1700000000000.5", "1700000000000000", "123456789012345", "1234567890123456", "9007199254740993", "1E2", '"5"', "null", "true", ""),
);
const decText = often(
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 8 })).map(([m, k]) => `"${(m / 10 ** k).toFixed(k)}"`),
    fc.constantFrom('"0"', '"0.0"', '"0.00000000"', '"100000.5"', '"0.001"'),
  ),
  fc.constantFrom('""', '"."', '"5."', '".5"', '"007.50"', '"1e3"', '"-5"', '"1.2.3"', '"1234567890123456"', '"123456789012345"', '"0x10"', '"Infinity"', "5", "null", '"1 "', '" 1"'),
);
const strText = often(fc.constantFrom('"MARKET"', '"NA"', '"BTCUSDT"', '"btcusdt@trade"'), fc.constantFrom('""', '"a\\"b"', '"\\u0041"', '"É"', "5", "null", '"a\u0001b"', '"x\u007fy"'));
const symText = often(fc.constantFrom('"BTCUSDT"', '"ETHUSDT"', '"btcusdt"', '"1000PEPEUSDT"'), fc.constantFrom('""', '"B\\u0054C"', '"ÉTH"', "5", "null", '"BT"C"'));
const boolText = often(fc.constantFrom("true", "false"), fc.constantFrom("tru", "falsey", "null", "1", '"true"', "True"));

const FIELDS = ["e", "E", "T", "s", "t", "p", "q", "X", "m"] as const;

/**
 * Frames in Binance's exact `@trade` layout, then (sometimes) mutated: fields reordered or dropped, a key
 * renamed, whitespace inserted, one byte replaced (quotes, braces, escapes, digits, bytes ≥ 0x80), a cut
 * or a trailing byte; raw or wrapped.
 */
const layoutFrame = fc
  .record({
    e: often(fc.constant('"trade"'), fc.constantFrom('"aggTrade"', '"trades"', '"Trade"', "1")),
    E: timeText,
    T: timeText,
    s: symText,
    t: intText,
    p: decText,
    q: decText,
    X: strText,
    m: boolText,
    wrapped: fc.boolean(),
    stream: strText,
    mutation: fc.oneof(
      { arbitrary: fc.constant("none"), weight: 6 },
      { arbitrary: fc.constantFrom("reorder", "drop", "rename", "space", "byte", "cut", "trail", "dupkey"), weight: 4 },
    ),
    where: fc.nat(400),
    which: fc.nat(8),
    byte: fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x3a, 0x2c, 0x30, 0x2e, 0x2d, 0x65, 0x20, 0x0a, 0x01, 0x80, 0xc3, 0xff, 0x41, 0x61),
  })
  .map((r) => {
    const fields: string[][] = FIELDS.map((k) => [k, r[k]]);
    if (r.mutation === "reorder") fields.splice(r.which % 9, 0, ...fields.splice((r.which + 3) % 9, 1));
    if (r.mutation === "drop") fields.splice(r.which % 9, 1);
    if (r.mutation === "rename") fields[r.which % 9][0] = ["x", "EE", "S", "a", "P"][r.where % 5];
    if (r.mutation === "dupkey") fields.push([FIELDS[r.which % 9], ['"0"', "0", '"trade"', '"ETHUSDT"'][r.where % 4]]);
    return frameOf(fields, r);
  });


describe("scanBinanceTrade", () => {
  it("decodeFrame(Buffer) equals the JSON reference on Binance-layout frames with adversarial mutations (property, seeded)", () => {
    const fast = createDecodedTrade();
    const exact = createDecodedTrade();
    const ref = createDecodedTrade();
    const kinds = new Map<string, number>();
    let accepted = 0;
    fc.assert(
      fc.property(layoutFrame, fc.nat(9), (frame, pad) => {
        const slice = sliceOf(frame, pad);
        const kindRef = decodeFrameJson(frame, ref);
        kinds.set(kindRef, (kinds.get(kindRef) ?? 0) + 1);
        const kindExact = scanBinanceTrade(slice, exact);
        if (kindExact !== "fallback") {
          accepted++;
          expect(kindExact).toBe(kindRef);
          if (kindRef === "trade" || kindRef === "spent") expect({ ...exact }).toEqual({ ...ref }); // exact, incl. float bits
          if (kindRef === "invalid") expect(exact.reason).toBe(ref.reason);
        }
        expect(decodeFrame(slice, fast)).toBe(kindRef);
        if (kindRef === "trade" || kindRef === "spent") expect({ ...fast }).toEqual({ ...ref });
        if (kindRef === "invalid") expect(fast.reason).toBe(ref.reason);
      }),
      { seed: 20261123, numRuns: 6000 },
    );
    // Every outcome, and the exact-layout path itself, must be exercised or the comparison proves little.
    for (const k of ["trade", "spent", "unknown", "malformed", "invalid"]) expect(kinds.get(k) ?? 0).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(1000);
  });

  it("scanBinanceTrade parses decimal strings bit-identically to Number() (property, seeded)", () => {
    const out = createDecodedTrade();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 10 ** 6 }), (m, k, q) => {
        const p = (m / 10 ** k).toFixed(k);
        const qty = (q / 1000).toFixed(3);
        const frame = Buffer.from(`{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":1,"p":"${p}","q":"${qty}","X":"MARKET","m":true}`);
        expect(scanBinanceTrade(frame, out)).toBe("trade");
        expect(Object.is(out.price, Number(p))).toBe(true);
        expect(Object.is(out.qty, Number(qty))).toBe(true);
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it("scanBinanceTrade accepts the live layout, raw and wrapped, and classifies spent ids", () => {
    const out = createDecodedTrade();
    const body = '{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":42,"p":"100000.1","q":"0.002","X":"MARKET","m":false}';
    expect(scanBinanceTrade(Buffer.from(body), out)).toBe("trade");
    expect({ ...out }).toEqual({ symbol: "btcusdt", stream: "trade", id: 42, firstTradeId: 42, lastTradeId: 42, time: 1700000000001, eventTime: 1700000000002, price: 100000.1, qty: 0.002, reason: "" });
    expect(scanBinanceTrade(Buffer.from(`{"stream":"btcusdt@trade","data":${body}}`), out)).toBe("trade");
    const spent = '{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":43,"p":"0","q":"0","X":"NA","m":false}';
    expect(scanBinanceTrade(Buffer.from(spent), out)).toBe("spent");
    expect(out.id).toBe(43);
  });

  it.each(["1700000000001", "0700000000001", "170000000000", "17000000000012", "9999999999999", "1000000000000", "1700000000001.5", "1700000000001e3", "17000000000-1", "170000000000a", "999999999999999", "1234567890123456"])(
    "decodeFrame(Buffer) equals the JSON reference for E and T = %s (13-digit time fast path and its fallbacks)",
    (time) => {
      for (const text of [
        `{"e":"trade","E":${time},"T":1700000000000,"s":"BTCUSDT","t":1,"p":"1","q":"1","X":"MARKET","m":true}`,
        `{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000000,"T":${time},"s":"BTCUSDT","t":1,"p":"1","q":"1","X":"MARKET","m":true}}`,
      ]) {
        const fast = createDecodedTrade();
        const ref = createDecodedTrade();
        const kind = decodeFrameJson(text, ref);
        expect(decodeFrame(Buffer.from(text), fast)).toBe(kind);
        if (kind === "trade") expect({ ...fast }).toEqual({ ...ref }); // exact
        if (kind === "invalid") expect(fast.reason).toBe(ref.reason);
      }
    },
  );

  it.each([
    ['{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","X":"MARKET","m":true} '],
    ['{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","X":"MARKET","m":true,"t":2}'],
    ['{"e":"trade","E":2,"T":1,"s":"B\\u0054C","t":1,"p":"1","q":"1","X":"MARKET","m":true}'],
    ['{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":01,"p":"1","q":"1","X":"MARKET","m":true}'],
    ['{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":1,"p":"1e3","q":"1","X":"MARKET","m":true}'],
    ['{"stream":"btcusdt@trade","data":{"e":"trade","E":2,"T":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","X":"MARKET","m":true}'],
  ])("scanBinanceTrade(%s) falls back (left to the general decoders)", (text) => {
    expect(scanBinanceTrade(Buffer.from(text), createDecodedTrade())).toBe("fallback");
  });
  it("scanBinanceTrade(chunk, out, start, end) on frames in place in one chunk, after learning their prefix, symbol and X segments, equals the JSON reference for every one-byte change", () => {
    const text = (sym: string, id: number): string =>
      `{"stream":"${sym.toLowerCase()}@trade","data":{"e":"trade","E":1700000000123,"T":1700000000100,"s":"${sym}","t":${id},"p":"97000.5","q":"0.002","X":"MARKET","m":${id % 2 === 0}}}`;
    // Symbols whose first 8 bytes agree ("1000PEPE…") share table slots: collisions re-learn, they never mismatch.
    const symbols = ["BTCUSDT", "ETHUSDT", "1000PEPEUSDT", "1000PEPEUSDC"];
    const frames = symbols.flatMap((sym, k) => [text(sym, 10 + k), text(sym, 20 + k)]);
    const chunk = Buffer.from(`xx${frames.join("")}yy`, "latin1");
    const out = createDecodedTrade();
    const ref = createDecodedTrade();
    for (let round = 0; round < 3; round++) {
      let at = 2;
      for (const f of frames) {
        expect(scanBinanceTrade(chunk, out, at, at + f.length)).toBe("trade");
        expect(decodeFrameJson(f, ref)).toBe("trade");
        expect({ ...out }).toEqual({ ...ref });
        at += f.length;
      }
    }
    // Every single-byte change of a learned frame: the fast scanner either falls back or agrees with JSON.parse.
    const base = Buffer.from(frames[4], "latin1");
    let checked = 0;
    for (let i = 0; i < base.length; i++) {
      for (const v of [0x22, 0x5c, 0x41, 0x61, 0x30, 0x80, 0x7b, 0x20]) {
        if (base[i] === v) continue;
        const m = Buffer.from(base);
        m[i] = v;
        const kind = scanBinanceTrade(m, out);
        if (kind === "fallback") continue;
        checked++;
        const kindRef = decodeFrameJson(m, ref);
        expect(kind, `byte ${i} = 0x${v.toString(16)}`).toBe(kindRef);
        if (kindRef === "trade" || kindRef === "spent") expect({ ...out }).toEqual({ ...ref });
      }
      // The learned frame itself still decodes after every mutation (the tables were not poisoned).
      expect(scanBinanceTrade(base, out)).toBe("trade");
    }
    expect(checked).toBeGreaterThan(50); // digit changes inside numbers stay on the fast path
  });

  it("scanBinanceTrade sends any non-ASCII byte to the fallback (so an accepted frame is valid UTF-8 by construction)", () => {
    const f = '{"e":"trade","E":1700000000123,"T":1700000000100,"s":"BTCUSDT","t":7,"p":"100.5","q":"0.2","X":"MARKÉT","m":true}';
    expect(scanBinanceTrade(Buffer.from(f, "utf8"), createDecodedTrade())).toBe("fallback");
    expect(decodeFrame(Buffer.from(f, "utf8"), createDecodedTrade())).toBe("trade");
  });

  it("scanBinanceTrade on alternating adausdt / avaxusdt frames (stream names and symbols sharing a hash slot) learns each literal once, not on every frame", () => {
    const frame = (s: string, k: number) =>
      Buffer.from(`{"stream":"${s}@trade","data":{"e":"trade","E":1700000000${100 + (k % 800)},"T":1700000000${100 + (k % 800)},"s":"${s.toUpperCase()}","t":${1000 + k},"p":"0.${1000 + k}","q":"12.5","X":"MARKET","m":${k % 3 === 0}}}`);
    const out = createDecodedTrade();
    for (let k = 0; k < 4; k++) expect(scanBinanceTrade(frame(k % 2 ? "avaxusdt" : "adausdt", k), out)).toBe("trade"); // warm: learns what it needs
    const before = learnedLiterals();
    for (let k = 4; k < 1_004; k++) {
      expect(scanBinanceTrade(frame(k % 2 ? "avaxusdt" : "adausdt", k), out)).toBe("trade");
      expect(out.symbol).toBe(k % 2 ? "avaxusdt" : "adausdt");
    }
    expect(learnedLiterals() - before).toBe(0); // with one-way tables: 2 literals per frame (the prefix and the symbol segment)
  });
});
