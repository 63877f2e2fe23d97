import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { scanBinanceBookTicker } from "../../src/ingestion/scan-binance-book-ticker";
import { SharedQuoteStore } from "../../src/ingestion/shared-quote-store";
import { TradeSimulator } from "../../src/ingestion/trade-simulator";
import { bookTickerFrame, demoBookTickers } from "../../src/quotes/demo-book-tickers";
import { createDecodedQuote, decodeBookTicker, type DecodedQuote } from "../../src/quotes/decode-book-ticker";
import { mulberry32 } from "../../src/seeded-random";
import { frameOf, randomDecimal, sliceOf } from "../support/scan-frames";

/**
 * The `@bookTicker` fast path must be indistinguishable from the general decoder (`decodeBookTicker`, JSON.parse):
 * for every frame it does not hand back ("fallback"), the kind and every field of the output (float bits included)
 * are the decoder's. Tolerance: none (exact equality, `Object.is` for numbers).
 */


/**
 * Same kind and same output as the general decoder, which starts from a fresh output: use with an `out` that was
 * fresh before the scan, or with a "quote" (which writes every field).
 */
function expectSame(kind: string, out: DecodedQuote, frame: Buffer | string, what = ""): void {
  const ref = createDecodedQuote();
  expect(kind, what).toBe(decodeBookTicker(frame, ref));
  for (const k of Object.keys(ref) as (keyof DecodedQuote)[]) expect(Object.is(out[k], ref[k]), `${what} field ${k}: ${String(out[k])} vs ${String(ref[k])}`).toBe(true);
}

/** Scans `frame` in place and, unless it falls back, compares with the decoder starting from the same output state. */
function check(frame: Buffer, pad = 3): "quote" | "rejected" | "fallback" {
  const out = createDecodedQuote();
  const ref = createDecodedQuote();
  const kind = scanBinanceBookTicker(sliceOf(frame, pad), out, 0, frame.length);
  if (kind === "fallback") {
    expect({ ...out }).toEqual({ ...createDecodedQuote() }); // nothing written
    return kind;
  }
  const refKind = decodeBookTicker(frame, ref);
  expect(kind, frame.toString("latin1")).toBe(refKind);
  for (const k of Object.keys(ref) as (keyof DecodedQuote)[]) expect(Object.is(out[k], ref[k]), `${frame.toString("latin1")}: ${k} ${String(out[k])} vs ${String(ref[k])}`).toBe(true);
  return kind;
}

const often = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 10 }, { arbitrary: bad, weight: 1 });
const intText = often(
  fc.oneof(fc.integer({ min: 0, max: 2 ** 41 }), fc.integer({ min: 0, max: 999 })).map(String),
  fc.constantFrom("0", "00", "01", "-1", "1e3", "1.5", "123456789012345", "1234567890123456", "9007199254740993", "1E2", '"5"', "null", "true", ""),
);
const timeText = often(
  fc.integer({ min: 1_483_228_800_000, max: 1_800_000_000_000 }).map(String),
  fc.constantFrom("0", "00", "01", "-1", "1e3", "1.5", "1700000000000.5", "1700000000000000", "123456789012345", "1234567890123456", '"5"', "null", ""),
);
/** Mostly valid decimals (also zero, to reach the price/quantity rejections), sometimes not Binance decimals. */
const decText = often(
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 8 })).map(([m, k]) => `"${(m / 10 ** k).toFixed(k)}"`),
    fc.constantFrom('"0"', '"0.0"', '"100.5"', '"100.6"', '"007.50"', '"123456789012345"', '"1.23456789012345"'),
  ),
  fc.constantFrom('""', '"."', '"5."', '".5"', '"1e3"', '"-5"', '"1.2.3"', '"1234567890123456"', '"0x10"', "5", "null", '"1 "', '"É"', '"5\\u0030"'),
);
const symText = often(fc.constantFrom('"BTCUSDT"', '"ETHUSDT"', '"btcusdt"', '"1000PEPEUSDT"', '"1000PEPEUSDC"', '"X"'), fc.constantFrom('""', '"B\\u0054C"', '"ÉTH"', "5", "null", '"BT"C"'));
const streamText = often(fc.constantFrom('"btcusdt@bookTicker"', '"ethusdt@bookTicker"', '""'), fc.constantFrom('"a\\"b"', '"É@bookTicker"', "5", "null"));

const BINANCE_ORDER = ["e", "u", "E", "T", "s", "b", "B", "a", "A"] as const;
const DEMO_ORDER = ["e", "u", "s", "b", "B", "a", "A", "T", "E"] as const;

/** Book tickers in Binance's or the demo's field order, then (sometimes) mutated; raw or wrapped. */
const layoutFrame = fc
  .record({
    e: often(fc.constant('"bookTicker"'), fc.constantFrom('"trade"', '"BookTicker"', "1")),
    u: intText,
    E: timeText,
    T: timeText,
    s: symText,
    b: decText,
    B: decText,
    a: decText,
    A: decText,
    demoOrder: fc.boolean(),
    wrapped: fc.boolean(),
    stream: streamText,
    mutation: fc.oneof(
      { arbitrary: fc.constant("none"), weight: 6 },
      { arbitrary: fc.constantFrom("reorder", "drop", "rename", "space", "byte", "cut", "trail", "dupkey", "extra"), weight: 4 },
    ),
    where: fc.nat(400),
    which: fc.nat(8),
    byte: fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x3a, 0x2c, 0x30, 0x2e, 0x2d, 0x65, 0x20, 0x0a, 0x01, 0x80, 0xc3, 0xff, 0x41, 0x61),
  })
  .map((r) => {
    const order = r.demoOrder ? DEMO_ORDER : BINANCE_ORDER;
    const fields: string[][] = order.map((k) => [k, r[k]]);
    if (r.mutation === "reorder") fields.splice(r.which % 9, 0, ...fields.splice((r.which + 3) % 9, 1));
    if (r.mutation === "drop") fields.splice(r.which % 9, 1);
    if (r.mutation === "rename") fields[r.which % 9][0] = ["x", "bb", "S", "t", "U"][r.where % 5];
    if (r.mutation === "dupkey") fields.push([order[r.which % 9], ['"0"', "0", '"bookTicker"', '"ETHUSDT"', '"99.5"'][r.where % 5]]);
    if (r.mutation === "extra") fields.splice(r.which % 10, 0, [["ps", "st", "id", "result"][r.where % 4], ['"BTCUSDT"', '"TRADING"', "1", "null"][r.where % 4]]);
    return frameOf(fields, r);
  });


describe("scanBinanceBookTicker", () => {
  it("scanBinanceBookTicker(frame) equals decodeBookTicker on Binance- and demo-layout frames with adversarial mutations (property, seeded)", () => {
    const kinds = new Map<string, number>();
    let accepted = 0;
    fc.assert(
      fc.property(layoutFrame, fc.nat(9), (frame, pad) => {
        const kind = check(frame, pad);
        if (kind !== "fallback") accepted++;
        const refKind = decodeBookTicker(frame, createDecodedQuote());
        kinds.set(refKind, (kinds.get(refKind) ?? 0) + 1);
      }),
      { seed: 20261207, numRuns: 8000 },
    );
    // The comparison proves little unless the fast path and every outcome are exercised.
    for (const k of ["quote", "rejected", "unknown", "malformed"]) expect(kinds.get(k) ?? 0).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(2000);
  });

  it("scanBinanceBookTicker(frame) accepts Binance's layout and the demo's, raw and wrapped, and reports every field rule like decodeBookTicker", () => {
    const binance = (b: string, a: string, T = "1568014460891") =>
      `{"e":"bookTicker","u":400900217,"E":1568014460893,"T":${T},"s":"BNBUSDT","b":"${b}","B":"31.21000000","a":"${a}","A":"40.66000000"}`;
    const cases: [string, string][] = [
      [binance("25.35190000", "25.36520000"), "quote"],
      [`{"stream":"bnbusdt@bookTicker","data":${binance("25.35190000", "25.36520000")}}`, "quote"],
      [bookTickerFrame("btcusdt", { updateId: 7, time: 1000, bid: 100, bidQty: 1.5, ask: 100.1, askQty: 2 }, 1), "quote"],
      [binance("25.4", "25.3"), "rejected"], // crossed
      [binance("25.4", "25.4"), "rejected"], // locked
      [binance("0.000", "25.4"), "rejected"], // non-positive price
      [binance("25.3", "25.4").replace('"B":"31.21000000"', '"B":"0"'), "rejected"], // non-positive quantity
      [binance("25.3", "25.4", "0"), "rejected"], // bad time
    ];
    const reasons = new Set<string | null>();
    for (const [text, kind] of cases) {
      const out = createDecodedQuote();
      expect(scanBinanceBookTicker(Buffer.from(text), out), text).toBe(kind);
      expectSame(kind, out, text, text);
      reasons.add(out.reason);
    }
    expect([...reasons].sort()).toEqual(["bad-time", "crossed-book", "locked-book", "non-positive-price", "non-positive-quantity", null].sort());
  });

  it.each([
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2"}'], // A missing
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","ps":"BTCUSDT"}'], // extra key
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1","u":2}'], // repeated key
    ['{"u":1,"e":"bookTicker","E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}'], // e not first
    ['{"e":"bookTicker", "u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}'], // whitespace
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"","b":"1","B":"1","a":"2","A":"1"}'], // empty symbol
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTC\\u0055SDT","b":"1","B":"1","a":"2","A":"1"}'], // escape
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"-1","B":"1","a":"2","A":"1"}'], // sign
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1e2","B":"1","a":"2","A":"1"}'], // exponent
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":".5","B":"1","a":"2","A":"1"}'], // leading dot
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"5.","B":"1","a":"6","A":"1"}'], // trailing dot
    ['{"e":"bookTicker","u":01,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}'], // leading zero
    ['{"e":"bookTicker","u":1.0,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}'], // fraction in an id
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":1,"B":"1","a":"2","A":"1"}'], // number, not string
    ['{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"} '], // trailing byte
    ['{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}'], // wrapper unclosed
    ['{"e":"trade","u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}'], // other event
  ])("scanBinanceBookTicker(%s) falls back (left to decodeBookTicker)", (text) => {
    expect(check(Buffer.from(text, "utf8"))).toBe("fallback");
  });

  it("scanBinanceBookTicker(frame) parses 200,000 seeded random decimals of 1–17 digits bit-identically to Number() (> 15 digits: fallback)", () => {
    const rand = mulberry32(1207);
    const out = createDecodedQuote();
    let fast = 0;
    let long = 0;
    for (let n = 0; n < 200_000; n++) {
      const bid = randomDecimal(rand, 1 + (n % 17));
      const qty = randomDecimal(rand, 1 + Math.floor(rand() * 17));
      const ask = "99999999999"; // above every 11-integer-digit bid: the book is not crossed unless bid has more integer digits
      // Alternate the decimal under test between the middle of the frame and its very last field (no bytes after but `"}`).
      const text =
        n % 2 === 0
          ? `{"e":"bookTicker","u":${n},"E":1700000000002,"T":1700000000001,"s":"BTCUSDT","b":"${bid}","B":"${qty}","a":"${ask}","A":"${qty}"}`
          : `{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":${n},"s":"BTCUSDT","a":"${ask}","A":"${qty}","T":1700000000001,"E":1700000000002,"B":"${qty}","b":"${bid}"}}`;
      const frame = Buffer.from(text, "latin1");
      const kind = scanBinanceBookTicker(frame, out);
      const digits = Math.max(bid.replace(".", "").length, qty.replace(".", "").length);
      if (digits > 15) {
        if (kind !== "fallback") expect.fail(`${text}: ${kind}, expected fallback`);
        long++;
        continue;
      }
      if (kind === "fallback") expect.fail(`${text}: fell back`);
      if (!Object.is(out.bid, Number(bid)) || !Object.is(out.bidQty, Number(qty)) || !Object.is(out.askQty, Number(qty))) expect.fail(`${text}: got ${out.bid} / ${out.bidQty}`);
      fast++;
    }
    expect(fast).toBeGreaterThan(120_000);
    expect(long).toBeGreaterThan(20_000);
  });

  it("scanBinanceBookTicker(frame) equals decodeBookTicker on 20,000 demo-exchange frames of 10 symbols (bookTickerFrame over demoBookTickers)", () => {
    const symbols = ["btcusdt", "ethusdt", "solusdt", "bnbusdt", "xrpusdt", "dogeusdt", "adausdt", "linkusdt", "avaxusdt", "1000pepeusdt"];
    const sim = new TradeSimulator({ symbols, seed: 7, rate: 20, startTime: 1_700_000_000_000 });
    const trades = symbols.map(() => ({ time: [] as number[], price: [] as number[], buyerIsMaker: [] as boolean[] }));
    sim.advanceTo(1_700_000_000_000 + 60_000, (i, _id, t, p, _q, m) => {
      trades[i].time.push(t);
      trades[i].price.push(p);
      trades[i].buyerIsMaker.push(m);
    });
    let n = 0;
    for (let i = 0; i < symbols.length; i++) {
      const q = demoBookTickers(trades[i], { tick: 10 ** -sim.decimals(i), seed: 50 + i, updatesPerTrade: 2 });
      for (let k = 0; k < q.time.length && k < 1000; k++) {
        const raw = bookTickerFrame(symbols[i], { updateId: q.updateId[k], time: q.time[k], bid: q.bid[k], bidQty: q.bidQty[k], ask: q.ask[k], askQty: q.askQty[k] }, sim.decimals(i));
        for (const text of [raw, `{"stream":"${symbols[i]}@bookTicker","data":${raw}}`]) {
          expect(check(Buffer.from(text, "latin1"), k % 7)).toBe("quote");
          n++;
        }
      }
    }
    expect(n).toBeGreaterThanOrEqual(20_000);
  });

  it("scanBinanceBookTicker(chunk, out, start, end) reads frames in place after learning their prefixes and symbols; every one-byte change falls back or equals decodeBookTicker", () => {
    const text = (sym: string, u: number): string =>
      `{"stream":"${sym.toLowerCase()}@bookTicker","data":{"e":"bookTicker","u":${u},"E":1700000000123,"T":1700000000100,"s":"${sym}","b":"97000.5","B":"0.002","a":"97000.6","A":"1.250"}}`;
    // Symbols whose first 8 bytes agree share table slots: collisions re-learn, they never mismatch.
    const symbols = ["BTCUSDT", "ETHUSDT", "1000PEPEUSDT", "1000PEPEUSDC"];
    const frames = symbols.flatMap((sym, k) => [text(sym, 10 + k), text(sym, 20 + k)]);
    const chunk = Buffer.from(`xx${frames.join("")}yy`, "latin1");
    const out = createDecodedQuote();
    for (let round = 0; round < 3; round++) {
      let at = 2;
      for (const f of frames) {
        expect(scanBinanceBookTicker(chunk, out, at, at + f.length)).toBe("quote");
        expectSame("quote", out, f);
        at += f.length;
      }
    }
    const base = Buffer.from(frames[4], "latin1");
    let checked = 0;
    for (let i = 0; i < base.length; i++) {
      for (const v of [0x22, 0x5c, 0x41, 0x61, 0x30, 0x39, 0x80, 0x7b, 0x7d, 0x2c, 0x20]) {
        if (base[i] === v) continue;
        const m = Buffer.from(base);
        m[i] = v;
        if (check(m) !== "fallback") checked++;
      }
      expect(scanBinanceBookTicker(base, out)).toBe("quote"); // the tables were not poisoned
    }
    expect(checked).toBeGreaterThan(50); // digit changes inside numbers stay on the fast path
  });

  it("scanBinanceBookTicker falls back on every truncation and on any non-ASCII byte (an accepted frame is valid UTF-8)", () => {
    const f = '{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BTCUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}';
    const whole = Buffer.from(f, "latin1");
    expect(check(whole)).toBe("quote");
    for (let n = 0; n < whole.length; n++) {
      expect(check(whole.subarray(0, n))).toBe("fallback");
      expect(scanBinanceBookTicker(whole, createDecodedQuote(), 0, n)).toBe("fallback"); // in place: the bytes after the end are never read
    }
    for (const bad of ['"s":"BTCÜSDT"', '"stream":"btcusdt@bookTickér"']) {
      const text = f.replace(bad.includes("stream") ? '"stream":"btcusdt@bookTicker"' : '"s":"BTCUSDT"', bad);
      expect(check(Buffer.from(text, "utf8"))).toBe("fallback");
      expect(decodeBookTicker(Buffer.from(text, "utf8"), createDecodedQuote())).toBe("quote");
    }
    for (let i = 0; i < whole.length; i++) {
      const m = Buffer.from(whole);
      m[i] = 0x80 | (i & 0x7f);
      expect(check(m)).toBe("fallback");
    }
  });
});

describe("SharedQuoteStore.ingestInPlace", () => {
  it("ingestInPlace(frames) leaves the same quotes and counters as ingest(frames): conflation into the ms, update-id order, rejections, unknown symbols (seeded)", () => {
    const rand = mulberry32(99);
    const syms = ["btcusdt", "ethusdt"];
    const frames: string[] = [];
    const u = [100, 500];
    let t = 1_700_000_000_000;
    for (let n = 0; n < 5000; n++) {
      const k = rand() < 0.5 ? 0 : 1;
      const r = rand();
      // mostly forward; sometimes a repeated or backwards id, a backwards time, a crossed book, a gap, an unknown symbol
      if (r < 0.03) u[k] -= 2;
      else if (r < 0.06) u[k] += 0;
      else if (r < 0.1) u[k] += 5;
      else u[k] += 1;
      t += rand() < 0.5 ? 0 : 1;
      const time = rand() < 0.03 ? t - 5 : t;
      const bid = (100 + Math.floor(rand() * 20) / 10).toFixed(1);
      const ask = rand() < 0.03 ? bid : (Number(bid) + 0.1).toFixed(1);
      const sym = rand() < 0.02 ? "XRPUSDT" : syms[k].toUpperCase();
      const body = `{"e":"bookTicker","u":${u[k]},"E":${time + 1},"T":${time},"s":"${sym}","b":"${bid}","B":"${(1 + rand()).toFixed(3)}","a":"${ask}","A":"2.500"}`;
      frames.push(rand() < 0.5 ? `{"stream":"${sym.toLowerCase()}@bookTicker","data":${body}}` : body);
    }
    const general = SharedQuoteStore.create(syms, 10_000);
    const fast = SharedQuoteStore.create(syms, 10_000);
    const chunk = Buffer.from(frames.join(""), "latin1");
    let at = 0;
    let inPlace = 0;
    for (const f of frames) {
      general.ingest(f);
      if (fast.ingestInPlace(chunk, at, at + f.length)) inPlace++;
      else fast.ingest(chunk.subarray(at, at + f.length));
      at += f.length;
    }
    expect(inPlace).toBe(frames.length); // all in Binance's layout
    expect(fast.ignored).toBe(general.ignored);
    expect(fast.ignored).toBeGreaterThan(0);
    for (const s of syms) {
      expect(fast.stats(s)).toEqual(general.stats(s));
      expect(fast.quotes(s)).toEqual(general.quotes(s));
      const st = general.stats(s);
      expect(st.conflated).toBeGreaterThan(0);
      for (const reason of ["duplicate", "update-id-backwards", "time-backwards", "locked-book"] as const) expect(st.rejected[reason]).toBeGreaterThan(0);
    }
  });

  it("ingestInPlace(frame) returns false and changes nothing for a frame the fast path leaves to ingest", () => {
    const store = SharedQuoteStore.create(["btcusdt"], 10);
    const f = Buffer.from('{"e":"bookTicker", "u":1,"E":2,"T":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}');
    expect(store.ingestInPlace(f, 0, f.length)).toBe(false);
    expect(store.stats("btcusdt").accepted).toBe(0);
    expect(store.ignored).toBe(0);
    expect(store.ingest(f)).toBe("quote");
  });
});
