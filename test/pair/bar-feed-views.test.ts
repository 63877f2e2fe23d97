import { describe, expect, it } from "vitest";
import { resample, type Ticks } from "../../src/analytics";
import { TickStore } from "../../src/ingestion/tick-store";
import { barFeed, type TickSource } from "../../src/pair/bar-feed";
import { seededRandom } from "../../bench/harness";

/** A store filled with `n` seeded ticks ~0–300 ms apart (capacity `capacity`, so it may have evicted). */
function filled(n: number, capacity: number, seed: number): TickStore {
  const rnd = seededRandom(seed);
  const store = new TickStore(capacity);
  let t = Date.UTC(2026, 10, 23);
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 300);
    store.append("btcusdt", t, 100 + rnd(), rnd());
  }
  return store;
}

/** The same store seen without `views` (the copy path only). */
const copyOnly = (store: TickStore): TickSource => ({ ticksSince: (s, q) => store.ticksSince(s, q) });

describe("barFeed first read through TickStore.views", () => {
  it("barFeed(store with views).bars() equals barFeed(copy-only).bars() and resample(store.ticks()) exactly, after evictions and across many blocks (seed 11)", () => {
    const store = filled(120_000, 50_000, 11); // blocks of 8,192 ticks: 7 views, 70,000 evicted
    const a = barFeed(store, "btcusdt", "1s");
    const b = barFeed(copyOnly(store), "btcusdt", "1s");
    const ref = resample(store.ticks("btcusdt"), "1s", { now: 1e15 });
    const x = a.bars(1e15);
    const y = b.bars(1e15);
    for (const k of ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const) {
      expect(x[k]).toEqual(ref[k]);
      expect(y[k]).toEqual(ref[k]);
    }
    expect([a.missed, a.ticks]).toEqual([70_000, 50_000]);
    expect([b.missed, b.ticks]).toEqual([70_000, 50_000]);
    // Later reads use ticksSince; both feeds stay identical.
    const rnd = seededRandom(12);
    let t = store.ticks("btcusdt").time[49_999];
    for (let i = 0; i < 1000; i++) store.append("btcusdt", (t += Math.floor(rnd() * 300)), 100 + rnd(), rnd());
    expect(a.bars(1e15).close).toEqual(b.bars(1e15).close);
    expect(a.ticks).toBe(51_000);
  });

  it("barFeed: when views().valid() is false the fold from views is discarded (even torn data that makes the fold throw) and redone with ticksSince", () => {
    const store = filled(5_000, 10_000, 13);
    for (const torn of ["garbage", "backwards"] as const) {
      let calls = 0;
      const source: TickSource = {
        ticksSince: (s, q) => store.ticksSince(s, q),
        views: (s, q) => {
          calls++;
          const v = store.views(s, q);
          // What a reader of overwritten memory might see: wrong values, or times that go backwards.
          const blocks: Ticks[] = v.blocks.map((b) => ({
            time: torn === "garbage" ? b.time.map((x) => x + 1e6) : b.time.slice().reverse(),
            price: b.price.map(() => 1e9),
            qty: b.qty,
          }));
          return { ...v, blocks, valid: () => false };
        },
      };
      const feed = barFeed(source, "btcusdt", "1m");
      const ref = resample(store.ticks("btcusdt"), "1m", { now: 1e15 });
      const bars = feed.bars(1e15);
      expect(calls).toBe(1);
      expect(bars.close).toEqual(ref.close);
      expect(bars.high).toEqual(ref.high);
      expect(bars.time).toEqual(ref.time);
      expect(feed.ticks).toBe(5_000);
    }
  });

  it("barFeed: a genuine error on the first read (bars beyond maxBytes) throws the same error as the copy path (naming the whole span) and leaves the feed empty", () => {
    const store = filled(20_000, 20_000, 14); // about 50 min of ticks: > 64 one-second bars of 64 B
    const a = barFeed(store, "btcusdt", "1s", { maxBytes: 64 * 64 });
    const b = barFeed(copyOnly(store), "btcusdt", "1s", { maxBytes: 64 * 64 });
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return (e as Error).message;
      }
      return "no error";
    };
    const ma = message(() => a.bars());
    expect(ma).toMatch(/maxBytes/);
    expect(ma).toBe(message(() => b.bars())); // the same span and size named as on the copy path
    expect([a.ticks, b.ticks]).toEqual([0, 0]);
  });
});
