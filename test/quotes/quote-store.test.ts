import { describe, expect, it } from "vitest";
import { QuoteStore } from "../../src/quotes";
import { f64, loadFixture } from "../analytics/helpers";

const fx = loadFixture("quotes");
const q = (symbol: string, u: number, time: number, bid = 100, ask = 100.1, bidQty = 1, askQty = 1) => ({ symbol, updateId: u, eventTime: time, time, bid, bidQty, ask, askQty });

describe("QuoteStore", () => {
  it("new QuoteStore(0) throws RangeError naming 'capacity'", () => {
    expect(() => new QuoteStore(0)).toThrow(/'capacity' must be an integer >= 1, got 0/);
  });

  it("QuoteStore.append(fixture quotes) keeps the last quote per millisecond, equal to pandas groupby(T).last()", () => {
    const store = new QuoteStore(1_000_000);
    const y = fx.y;
    for (let i = 0; i < y.time.length; i++) store.append(q("BTCUSDT", i + 1, y.time[i], y.bid[i], y.ask[i], y.bidQty[i], y.askQty[i]));
    const held = store.quotes("btcusdt");
    const ref = fx.conflatedY;
    expect(Array.from(held.time)).toEqual(Array.from(f64(ref.time)));
    for (const c of ["bid", "ask", "bidQty", "askQty"] as const) expect(Array.from(held[c])).toEqual(Array.from(f64(ref[c])));
    const s = store.stats("btcusdt");
    expect(s.conflated).toBe(y.time.length - ref.time.length);
    expect(s.accepted).toBe(y.time.length);
  });

  it("QuoteStore.append beyond capacity evicts the oldest quotes and counts them", () => {
    const store = new QuoteStore(3);
    for (let i = 1; i <= 5; i++) expect(store.append(q("eth", i, i * 10))).toBe("stored");
    expect(Array.from(store.quotes("ETH").time)).toEqual([30, 40, 50]);
    expect(store.stats("eth").evicted).toBe(2);
  });

  it("QuoteStore grows past its first block then rings at capacity without losing order", () => {
    const store = new QuoteStore(3000);
    for (let i = 1; i <= 5000; i++) store.append(q("x", i, i));
    const t = store.quotes("x").time;
    expect(t.length).toBe(3000);
    expect([t[0], t[2999]]).toEqual([2001, 5000]);
    expect(store.stats("x").evicted).toBe(2000);
  });

  it("QuoteStore.quotesSince(symbol, seq) returns only new quotes and reports evicted ones as dropped", () => {
    const store = new QuoteStore(4);
    for (let i = 1; i <= 3; i++) store.append(q("x", i, i));
    const a = store.quotesSince("x", 0);
    expect([Array.from(a.quotes.time), a.nextSeq, a.dropped]).toEqual([[1, 2, 3], 3, 0]);
    for (let i = 4; i <= 9; i++) store.append(q("x", i, i));
    const b = store.quotesSince("x", a.nextSeq);
    expect([Array.from(b.quotes.time), b.nextSeq, b.dropped]).toEqual([[6, 7, 8, 9], 9, 2]);
    expect(() => store.quotesSince("x", -1)).toThrow(RangeError);
  });

  it("QuoteStore.firstAtOrAfter(symbol, time) finds the first quote with T >= time, null past the end", () => {
    const store = new QuoteStore(10);
    for (let i = 1; i <= 12; i++) store.append(q("x", i, i * 100, 100 + i, 100.5 + i));
    expect(store.firstAtOrAfter("X", 450)?.time).toBe(500);
    expect(store.firstAtOrAfter("x", 300)?.time).toBe(300);
    expect(store.firstAtOrAfter("x", 0)?.time).toBe(300); // 100 and 200 evicted
    expect(store.firstAtOrAfter("x", 1201)).toBeNull();
    expect(store.firstAtOrAfter("nope", 0)).toBeNull();
    expect(() => store.firstAtOrAfter("x", NaN)).toThrow(/'time' must be a finite epoch-ms number, got NaN/);
  });

  it("QuoteStore JSDoc example: same-millisecond updates conflate", () => {
    const store = new QuoteStore(1000);
    expect(store.ingest('{"e":"bookTicker","u":1,"E":1000,"T":1000,"s":"BTCUSDT","b":"100.0","B":"1","a":"100.1","A":"2"}')).toBe("quote");
    expect(store.ingest('{"e":"bookTicker","u":2,"E":1000,"T":1000,"s":"BTCUSDT","b":"100.0","B":"3","a":"100.1","A":"2"}')).toBe("quote");
    expect(Array.from(store.quotes("btcusdt").bidQty)).toEqual([3]);
    expect(store.stats("btcusdt").conflated).toBe(1);
  });

  it("QuoteStore.stats(unknown symbol) is zeros and NaN", () => {
    const s = new QuoteStore().stats("none");
    expect([s.size, s.accepted, s.lastTime]).toEqual([0, 0, NaN]);
  });
});
