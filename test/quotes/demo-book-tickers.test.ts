import { describe, expect, it } from "vitest";
import { TradeSimulator } from "../../src/ingestion/trade-simulator";
import { QuoteStore, bookTickerFrame, createDecodedQuote, decodeBookTicker, demoBookTickers } from "../../src/quotes";

function simulate(seconds: number, seed: number) {
  const sim = new TradeSimulator({ symbols: ["btcusdt", "ethusdt"], seed, rate: 20, startTime: 1_700_000_000_000 });
  const trades = [0, 1].map(() => ({ time: [] as number[], price: [] as number[], buyerIsMaker: [] as boolean[] }));
  sim.advanceTo(1_700_000_000_000 + seconds * 1000, (i, _id, t, p, _q, m) => {
    trades[i].time.push(t);
    trades[i].price.push(p);
    trades[i].buyerIsMaker.push(m);
  });
  return { sim, trades };
}

describe("demoBookTickers: quotes consistent with the demo exchange's trades", () => {
  it("demoBookTickers(TradeSimulator trades, seed 7) puts every trade at the bid or the ask of the quote in force", () => {
    const { sim, trades } = simulate(120, 7);
    for (const i of [0, 1]) {
      const tick = 10 ** -sim.decimals(i);
      const q = demoBookTickers(trades[i], { tick, seed: 7 + i, updatesPerTrade: 3 });
      expect(q.time.length).toBeGreaterThan(trades[i].time.length);
      // Stream order: the quote emitted at a trade's time precedes it; walk both in order.
      let k = 0;
      for (let j = 0; j < trades[i].time.length; j++) {
        while (k + 1 < q.time.length && q.time[k + 1] <= trades[i].time[j] && !(q.time[k + 1] === trades[i].time[j] && q.time[k] === trades[i].time[j])) k++;
        const p = trades[i].price[j];
        const atBid = trades[i].buyerIsMaker[j];
        expect(atBid ? q.bid[k] : q.ask[k]).toBeCloseTo(p, 9);
        expect(q.bid[k]).toBeLessThan(q.ask[k]);
        k++;
      }
      for (let k2 = 1; k2 < q.time.length; k2++) {
        expect(q.time[k2]).toBeGreaterThanOrEqual(q.time[k2 - 1]);
        expect(q.updateId[k2]).toBe(q.updateId[k2 - 1] + 1);
      }
    }
  });

  it("demoBookTickers(same trades, same seed) is identical; another seed changes only quantities", () => {
    const { sim, trades } = simulate(20, 3);
    const tick = 10 ** -sim.decimals(0);
    const a = demoBookTickers(trades[0], { tick, seed: 11 });
    const b = demoBookTickers(trades[0], { tick, seed: 11 });
    const c = demoBookTickers(trades[0], { tick, seed: 12 });
    expect(Array.from(a.bidQty)).toEqual(Array.from(b.bidQty));
    expect(Array.from(a.bidQty)).not.toEqual(Array.from(c.bidQty));
  });

  it("bookTickerFrame(quote) round-trips through decodeBookTicker and the QuoteStore accepts the demo stream with no rejection and no gap", () => {
    const { sim, trades } = simulate(30, 5);
    const tick = 10 ** -sim.decimals(0);
    const q = demoBookTickers(trades[0], { tick, seed: 5, spreadTicks: 2 });
    const store = new QuoteStore(1_000_000);
    const out = createDecodedQuote();
    for (let k = 0; k < q.time.length; k++) {
      const f = bookTickerFrame("btcusdt", { updateId: q.updateId[k], time: q.time[k], bid: q.bid[k], bidQty: q.bidQty[k], ask: q.ask[k], askQty: q.askQty[k] }, sim.decimals(0));
      expect(decodeBookTicker(f, out)).toBe("quote");
      expect(out.bid).toBeCloseTo(q.bid[k], 9);
      expect(store.ingest(f)).toBe("quote");
    }
    const s = store.stats("btcusdt");
    expect(Object.values(s.rejected).reduce((a, b) => a + b, 0)).toBe(0);
    expect(s.gaps).toBe(0);
    expect(s.accepted).toBe(q.time.length);
  });

  it("bookTickerFrame(JSDoc example) is Binance's layout", () => {
    expect(bookTickerFrame("btcusdt", { updateId: 7, time: 1000, bid: 100, bidQty: 1.5, ask: 100.1, askQty: 2 }, 1)).toBe(
      '{"e":"bookTicker","u":7,"s":"BTCUSDT","b":"100.0","B":"1.500","a":"100.1","A":"2.000","T":1000,"E":1000}',
    );
  });

  it("demoBookTickers(bad options) throws naming the option", () => {
    const t = { time: [1], price: [1], buyerIsMaker: [true] };
    expect(() => demoBookTickers(t, { tick: 0 })).toThrow(/'tick' must be a number > 0, got 0/);
    expect(() => demoBookTickers(t, { tick: 0.1, spreadTicks: 0 })).toThrow(/'spreadTicks'/);
    expect(() => demoBookTickers({ time: [2, 1], price: [1, 1], buyerIsMaker: [true, true] }, { tick: 0.1 })).toThrow(/'time'/);
  });
});
