import { describe, expect, it } from "vitest";
import { resample } from "../../src/analytics";
import { TickStore } from "../../src/ingestion";
import { barFeed } from "../../src/pair";
import { seededRandom } from "../../bench/harness";

describe("barFeed", () => {
  it("barFeed(store).bars() after several appends equals resample(store.ticks()) exactly", () => {
    const rnd = seededRandom(5);
    const store = new TickStore(100_000);
    store.register("btcusdt");
    const feed = barFeed(store, "BTCUSDT", "1s");
    let t = Date.UTC(2026, 10, 23);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 500; i++) {
        t += Math.floor(rnd() * 300);
        store.append("btcusdt", t, 100 + rnd(), rnd());
      }
      const ours = feed.bars(t + 1);
      const ref = resample(store.ticks("btcusdt"), "1s", { now: t + 1 });
      expect(ours.time).toEqual(ref.time);
      expect(ours.close).toEqual(ref.close);
      expect(ours.volume).toEqual(ref.volume);
    }
    expect(feed.missed).toBe(0);
  });

  it("barFeed on an unknown symbol gives empty bars", () => {
    const store = new TickStore(10);
    expect(barFeed(store, "x", "1m").bars().time.length).toBe(0);
  });
});

describe("barFeed.update", () => {
  it("barFeed.update() folds new ticks without copying and returns their count; ticks counts all folded", () => {
    const store = new TickStore(100);
    store.register("btcusdt");
    const feed = barFeed(store, "btcusdt", "1s");
    expect(feed.update()).toBe(0);
    store.append("btcusdt", 1000, 10, 1);
    store.append("btcusdt", 1500, 11, 1);
    expect(feed.update()).toBe(2);
    expect(feed.update()).toBe(0);
    expect(feed.ticks).toBe(2);
    expect(Array.from(feed.bars(2000).close)).toEqual([11]);
  });
});
