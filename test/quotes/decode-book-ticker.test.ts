import { describe, expect, it } from "vitest";
import { QuoteStore, createDecodedQuote, decodeBookTicker } from "../../src/quotes";

const base = { e: "bookTicker", u: 100, E: 1_700_000_000_002, T: 1_700_000_000_001, s: "BTCUSDT", b: "100.1", B: "2", a: "100.2", A: "0.5" };
const frame = (patch: Record<string, unknown>): string => JSON.stringify({ ...base, ...patch });

describe("decodeBookTicker validation table", () => {
  const table: [string, string, string, string | null][] = [
    ["valid raw frame", frame({}), "quote", null],
    ["valid combined frame", JSON.stringify({ stream: "btcusdt@bookTicker", data: base }), "quote", null],
    ["crossed book bid > ask", frame({ b: "100.3", a: "100.2" }), "rejected", "crossed-book"],
    ["locked book bid = ask", frame({ b: "100.2", a: "100.2" }), "rejected", "locked-book"],
    ["zero bid quantity", frame({ B: "0" }), "rejected", "non-positive-quantity"],
    ["zero ask quantity", frame({ A: "0.000" }), "rejected", "non-positive-quantity"],
    ["negative bid quantity", frame({ B: "-1.5" }), "rejected", "non-positive-quantity"],
    ["negative ask price", frame({ a: "-100.2" }), "rejected", "non-positive-price"],
    ["zero bid price", frame({ b: "0" }), "rejected", "non-positive-price"],
    ["price as JSON number (not a Binance decimal)", frame({ b: 100.1 }), "rejected", "not-decimal"],
    ["price with exponent", frame({ a: "1e3" }), "rejected", "not-decimal"],
    ["price NaN string", frame({ a: "NaN" }), "rejected", "not-decimal"],
    ["quantity blank", frame({ A: "" }), "rejected", "not-decimal"],
    ["missing ask", frame({ a: undefined }), "rejected", "not-decimal"],
    ["time 0", frame({ T: 0 }), "rejected", "bad-time"],
    ["time as string", frame({ T: "1700000000001" }), "rejected", "bad-time"],
    ["event time fractional", frame({ E: 1.5 }), "rejected", "bad-time"],
    ["update id negative", frame({ u: -1 }), "rejected", "bad-update-id"],
    ["update id missing", frame({ u: undefined }), "rejected", "bad-update-id"],
    ["subscription reply", '{"result":null,"id":1}', "reply", null],
    ["trade event", JSON.stringify({ e: "trade", s: "BTCUSDT", t: 1 }), "unknown", null],
    ["not JSON", "{nope", "malformed", null],
    ["array", "[1,2]", "malformed", null],
    ["no symbol", frame({ s: undefined }), "malformed", null],
    ["empty frame", "", "empty", null],
  ];
  for (const [name, text, kind, reason] of table) {
    it(`decodeBookTicker(${name}) is "${kind}"${reason ? ` with reason "${reason}"` : ""}`, () => {
      const out = createDecodedQuote();
      expect(decodeBookTicker(text, out)).toBe(kind);
      expect(out.reason).toBe(reason);
    });
  }

  it("decodeBookTicker(valid frame) fills every field, symbol lower-case, decimals parsed exactly", () => {
    const out = createDecodedQuote();
    expect(decodeBookTicker(Buffer.from(frame({})), out)).toBe("quote");
    expect(out).toEqual({ symbol: "btcusdt", updateId: 100, eventTime: 1_700_000_000_002, time: 1_700_000_000_001, bid: 100.1, bidQty: 2, ask: 100.2, askQty: 0.5, reason: null });
  });

  it("decodeBookTicker(JSDoc examples) match", () => {
    const out = createDecodedQuote();
    expect(decodeBookTicker('{"e":"bookTicker","u":7,"E":1700000000002,"T":1700000000001,"s":"BTCUSDT","b":"100.1","B":"2","a":"100.2","A":"0.5"}', out)).toBe("quote");
    expect([out.bid, out.ask, out.updateId]).toEqual([100.1, 100.2, 7]);
    expect(decodeBookTicker('{"e":"bookTicker","u":8,"E":2,"T":1,"s":"BTCUSDT","b":"101","B":"2","a":"100","A":"1"}', out)).toBe("rejected");
    expect(out.reason).toBe("crossed-book");
  });
});

describe("QuoteStore.ingest validation: counted per reason, never stored", () => {
  it("QuoteStore.ingest(bad frames) counts each reason and stores only the valid quotes", () => {
    const store = new QuoteStore(100);
    const frames = [
      frame({ u: 1, T: 1000, E: 1000 }),
      frame({ u: 2, T: 1001, E: 1001, b: "100.3", a: "100.2" }), // crossed
      frame({ u: 3, T: 1002, E: 1002, B: "0" }), // zero qty
      frame({ u: 4, T: 1003, E: 1003, A: "-2" }), // negative qty
      frame({ u: 5, T: 1004, E: 1004 }),
      frame({ u: 4, T: 1005, E: 1005 }), // update id backwards
      frame({ u: 5, T: 1005, E: 1005 }), // duplicate
      frame({ u: 6, T: 1003, E: 1006 }), // time backwards
      frame({ u: 9, T: 1006, E: 1006 }), // gap of 2 ids (7, 8): accepted, counted
      frame({ u: 10, T: 0, E: 1006 }), // bad time
    ];
    const kinds = frames.map((f) => store.ingest(f));
    expect(kinds).toEqual(["quote", "rejected", "rejected", "rejected", "quote", "rejected", "rejected", "rejected", "quote", "rejected"]);
    const s = store.stats("BTCUSDT");
    expect(s.size).toBe(3);
    expect(Array.from(store.quotes("btcusdt").updateId)).toEqual([1, 5, 9]);
    expect(s.rejected).toEqual({
      "not-decimal": 0,
      "non-positive-price": 0,
      "non-positive-quantity": 2,
      "crossed-book": 1,
      "locked-book": 0,
      "bad-time": 1,
      "bad-update-id": 0,
      "update-id-backwards": 1,
      duplicate: 1,
      "time-backwards": 1,
    });
    // u 1 → 5 skips 3 ids (2, 3, 4 were rejected frames: ids consumed but not stored), 5 → 9 skips 3.
    expect(s.gaps).toBe(2);
    expect(s.missingIds).toBe(6);
    expect(store.ingest('{"result":null,"id":1}')).toBe("reply");
    expect(store.ingest("garbage")).toBe("malformed");
    expect([store.ignored, store.malformed]).toEqual([2, 1]);
  });
});
