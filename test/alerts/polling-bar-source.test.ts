import { describe, expect, it } from "vitest";
import { pollingBarSource, type AlertBar } from "../../src/alerts";
import { resample } from "../../src/analytics";
import { TickStore } from "../../src/ingestion/tick-store";
import { createManualClock } from "../../src/ingestion/clock";
import { QuoteStore } from "../../src/quotes";
import { seeded } from "./helpers";

describe("pollingBarSource", () => {
  it("pollingBarSource(store) emits closed bars whose closes equal resample's close, in order, from the first bin where both symbols traded (seed 4)", () => {
    const r = seeded(4);
    const store = new TickStore(1_000_000);
    const clock = createManualClock(1_000_000);
    const source = pollingBarSource({ ticks: store, symbols: ["aaa", "bbb"], interval: "1s", simulated: true, clock, pollMs: 100, graceMs: 200, partial: false });
    const bars: AlertBar[] = [];
    source.subscribe((b) => bars.push(b));
    const ticks: Record<string, { time: number[]; price: number[]; qty: number[] }> = { aaa: { time: [], price: [], qty: [] }, bbb: { time: [], price: [], qty: [] } };
    let t = 1_000_000;
    for (let step = 0; step < 600; step++) {
      // 0–3 trades per symbol per 50 ms, with gaps of several seconds now and then
      t += step % 97 === 0 ? 4000 : 50;
      for (const s of ["aaa", "bbb"]) {
        const k = Math.floor(r() * 4);
        for (let j = 0; j < k; j++) {
          const time = t - Math.floor(r() * 50);
          const last = ticks[s].time.length > 0 ? ticks[s].time[ticks[s].time.length - 1] : 0;
          const tt = Math.max(time, last);
          const p = 100 + Math.round(r() * 100) / 10;
          store.append(s, tt, p, 1);
          ticks[s].time.push(tt);
          ticks[s].price.push(p);
          ticks[s].qty.push(1);
        }
      }
      clock.advance(t - clock.now() + 10);
    }
    clock.advance(5000);
    const ra = resample(ticks.aaa, "1s");
    const rb = resample(ticks.bbb, "1s");
    const start = Math.max(ra.time[0], rb.time[0]);
    expect(bars.length).toBeGreaterThan(40);
    expect(bars[0].time).toBe(start);
    for (let i = 0; i < bars.length; i++) {
      const b = bars[i];
      expect(b.closed).toBe(true);
      if (i > 0) expect(b.time).toBe(bars[i - 1].time + 1000);
      // after the last trade, bars carry the last close (resample's grid ends at the last trade)
      const ia = Math.min((b.time - ra.time[0]) / 1000, ra.time.length - 1);
      const ib = Math.min((b.time - rb.time[0]) / 1000, rb.time.length - 1);
      expect(b.close.aaa).toBe(ra.close[ia]);
      expect(b.close.bbb).toBe(rb.close[ib]);
    }
    expect(source.lateTicks).toBe(0);
    source.stop();
    expect(clock.pending()).toBe(0);
  });

  it("pollingBarSource with partial emits the forming bar and the quote store's touch", () => {
    const store = new TickStore(100);
    const quotes = new QuoteStore(100);
    const clock = createManualClock(10_000);
    const source = pollingBarSource({ ticks: store, quotes, symbols: ["aaa"], interval: 1000, simulated: false, clock });
    store.append("aaa", 10_100, 5, 1);
    quotes.append({ symbol: "aaa", updateId: 1, eventTime: 10_100, time: 10_100, bid: 4.9, bidQty: 1, ask: 5.1, askQty: 2 });
    clock.advance(200);
    expect(source.poll()).toBe(1);
    const seen: AlertBar[] = [];
    source.subscribe((b) => seen.push(b));
    clock.advance(1200); // 11,400: bar 10,000 closed (grace 250), bar 11,000 forming
    const seq = seen.map((b) => [b.time, b.closed]);
    expect(seq[0]).toEqual([10_000, false]); // the forming bar, every poll
    const closedAt = seq.findIndex(([t, c]) => t === 10_000 && c === true);
    expect(closedAt).toBeGreaterThan(0);
    expect(seq.slice(0, closedAt).every(([t, c]) => t === 10_000 && c === false)).toBe(true);
    expect(seq.slice(closedAt + 1).every(([t, c]) => t === 11_000 && c === false)).toBe(true);
    expect(seq.length).toBeGreaterThan(closedAt + 1);
    expect(seen[0].touch).toEqual({ aaa: { bid: 4.9, ask: 5.1, bidQty: 1, askQty: 2, time: 10_100 } });
    source.stop();
  });

  it("pollingBarSource emits nothing until every symbol traded, and names the silent ones", () => {
    const store = new TickStore(100);
    const clock = createManualClock(10_000);
    const source = pollingBarSource({ ticks: store, symbols: ["aaa", "bbbtypo"], interval: 1000, simulated: false, clock });
    store.append("aaa", 10_100, 5, 1);
    clock.advance(5000);
    expect(source.poll()).toBe(0);
    expect(source.silentSymbols()).toEqual(["bbbtypo"]);
    source.stop();
  });

  it("pollingBarSource(bad options) throws naming the option", () => {
    const store = new TickStore(10);
    expect(() => pollingBarSource({ ticks: store, symbols: [], interval: "1s", simulated: true })).toThrow(/'symbols'/);
    expect(() => pollingBarSource({ ticks: store, symbols: ["a"], interval: "2h" as never, simulated: true })).toThrow(/'interval'/);
    expect(() => pollingBarSource({ ticks: store, symbols: ["a"], interval: "1s", simulated: true, pollMs: 0 })).toThrow(/'pollMs'/);
  });
});
