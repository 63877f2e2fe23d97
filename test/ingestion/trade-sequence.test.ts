import { describe, expect, it } from "vitest";
import { TradeSequence } from "../../src/ingestion/trade-sequence";
import { SilenceWatchdog } from "../../src/ingestion/silence-watchdog";

describe("TradeSequence", () => {
  it("accept() counts a skipped range of @trade ids as one gap once the grace window has passed", () => {
    const s = new TradeSequence({ graceMs: 1000 });
    expect([1, 2, 3, 7, 8].map((id) => s.accept(id, id, id, 0, 0))).toEqual([true, true, true, true, true]);
    expect([s.gaps, s.missingTrades, s.pendingIds]).toEqual([0, 0, 3]); // inside the grace window: pending
    s.settle(999);
    expect([s.gaps, s.missingTrades]).toEqual([0, 0]);
    s.settle(1000);
    expect([s.gaps, s.missingTrades, s.duplicates, s.pendingIds]).toEqual([1, 3, 0, 0]);
  });

  it("accept() rejects repeated and older ids (not in an open hole) as duplicates", () => {
    const s = new TradeSequence();
    s.accept(10, 10, 10, 100, 0);
    expect(s.accept(10, 10, 10, 100, 0)).toBe(false);
    expect(s.accept(9, 9, 9, 99, 0)).toBe(false);
    expect(s.accept(11, 11, 11, 101, 0)).toBe(true);
    s.settle(1e9);
    expect([s.gaps, s.duplicates, s.outOfOrder]).toEqual([0, 2, 0]);
  });

  it("accept() stores an out-of-order delivery (adjacent ids swapped) once: no gap, no duplicate", () => {
    const s = new TradeSequence({ graceMs: 1000 });
    const order = [1, 2, 4, 3, 5, 7, 6, 6, 8];
    expect(order.map((id) => s.accept(id, id, id, 1000 + id, 0))).toEqual([true, true, true, true, true, true, true, false, true]);
    s.settle(5000);
    expect([s.gaps, s.missingTrades, s.duplicates, s.outOfOrder]).toEqual([0, 0, 1, 2]);
  });

  it("accept() fills a hole partly: a late id in the middle splits it, the rest is missing after the grace window", () => {
    const s = new TradeSequence({ graceMs: 100 });
    s.accept(1, 1, 1, 1, 0);
    s.accept(10, 10, 10, 10, 0); // 2..9 open
    expect(s.accept(5, 5, 5, 5, 50)).toBe(true);
    expect(s.accept(2, 2, 2, 2, 60)).toBe(true);
    expect(s.accept(9, 9, 9, 9, 70)).toBe(true);
    expect(s.accept(5, 5, 5, 5, 80)).toBe(false);
    s.settle(100);
    expect([s.gaps, s.missingTrades, s.outOfOrder, s.duplicates]).toEqual([2, 5, 3, 1]); // 3–4 and 6–8
    expect(s.accept(3, 3, 3, 3, 200)).toBe(false); // later than the grace window: stays counted missing
  });

  it("accept() after a large backwards jump with newer trade times starts a new sequence (restart), not duplicates", () => {
    const s = new TradeSequence({ graceMs: 100 });
    for (let id = 500_000; id < 500_010; id++) s.accept(id, id, id, 1_000 + id, 0);
    // The relay restarts its ids at 1; trade times keep moving forward.
    const restarted = [1, 2, 3, 4].map((id) => s.accept(id, id, id, 600_000 + id, 10));
    expect(restarted).toEqual([true, true, true, true]);
    expect([s.restarts, s.duplicates, s.lastId]).toEqual([1, 0, 4]);
    s.settle(1e9);
    expect([s.gaps, s.missingTrades]).toEqual([0, 0]);
  });

  it("accept() of a replay of old trades (large backwards jump, old trade times) counts duplicates, not a restart", () => {
    const s = new TradeSequence();
    for (let id = 1; id <= 5_000; id++) s.accept(id, id, id, 1_000_000 + id, 0);
    for (let id = 1; id <= 5_000; id++) expect(s.accept(id, id, id, 1_000_000 + id, 0)).toBe(false);
    expect([s.restarts, s.duplicates]).toEqual([0, 5_000]);
    // Same trade time as the newest (many trades share a millisecond): still a duplicate.
    expect(s.accept(10, 10, 10, 1_005_000, 0)).toBe(false);
    expect(s.restarts).toBe(0);
  });

  it("accept() keeps at most maxHoles open holes and none further than windowIds below the newest (bounded memory)", () => {
    const s = new TradeSequence({ maxHoles: 3, windowIds: 1_000, graceMs: 1e9 });
    for (let k = 0; k < 10; k++) s.accept(1 + 2 * k, 1 + 2 * k, 1 + 2 * k, k, 0); // 1,3,5,…,19: holes at 2,4,…,18
    expect([s.gaps, s.pendingIds]).toEqual([6, 3]); // the 6 oldest holes are final at once
    s.accept(5_000, 5_000, 5_000, 100, 0); // everything below 4,000 leaves the window
    expect([s.gaps, s.missingTrades, s.pendingIds]).toEqual([9, 9, 4_980]);
  });

  it("accept() for aggTrade: a jump of f alone is not a gap; a jump of a counts missing trades from f/l", () => {
    const s = new TradeSequence({ graceMs: 0 });
    s.accept(1, 10, 12);
    s.accept(2, 15, 15); // spent ids 13..14 in the trade-id sequence
    s.settle(0);
    expect(s.gaps).toBe(0);
    s.accept(4, 20, 21); // aggregate 3 lost: trades 16..19
    s.settle(0);
    expect([s.gaps, s.missingTrades]).toEqual([1, 4]);
  });

  it("keepTradeIds() (trade → aggTrade): an aggregate of already accepted trade ids is a duplicate, skipped trade ids are a gap", () => {
    const s = new TradeSequence();
    for (let t = 1; t <= 5; t++) s.accept(t, t, t);
    s.keepTradeIds();
    expect(s.accept(100, 3, 5)).toBe(false); // trades 3..5 already accepted as @trade
    expect(s.accept(101, 8, 9)).toBe(true); // trades 6..7 never seen
    expect(s.accept(102, 10, 10)).toBe(true);
    expect([s.gaps, s.missingTrades, s.duplicates]).toEqual([1, 2, 1]);
  });

  it("resetIds() starts a new id space without counting a gap", () => {
    const s = new TradeSequence();
    s.accept(1000, 1000, 1000);
    s.resetIds();
    expect(s.accept(3, 3, 3)).toBe(true);
    s.settle(1e9);
    expect(s.gaps).toBe(0);
  });
});

describe("SilenceWatchdog", () => {
  it("verdict() is empty while disarmed", () => {
    const w = new SilenceWatchdog(1000);
    w.observe("btcusdt", 0, 0);
    expect(w.verdict(10_000)).toEqual({ silent: [], allSilent: false, nothingSinceArmed: false, quietForMs: 0 });
  });

  it("reports a silent symbol only after silenceMs without progress", () => {
    const w = new SilenceWatchdog(1000);
    w.arm(["btcusdt", "ethusdt"], 0);
    w.observe("btcusdt", 5, 500);
    w.observe("ethusdt", 0, 500);
    expect(w.verdict(999).silent).toEqual([]);
    w.observe("btcusdt", 9, 1200);
    const v = w.verdict(1200);
    expect(v.silent).toEqual([{ symbol: "ethusdt", forMs: 1200 }]);
    expect(v.allSilent).toBe(false);
    expect(v.nothingSinceArmed).toBe(false);
  });

  it("nothingSinceArmed marks the wrong-route signature; re-arming restarts the quiet period", () => {
    const w = new SilenceWatchdog(1000);
    w.arm(["btcusdt"], 0);
    w.observe("btcusdt", 0, 1500);
    expect(w.verdict(1500)).toMatchObject({ allSilent: true, nothingSinceArmed: true, quietForMs: 1500 });
    w.arm(["btcusdt"], 2000);
    expect(w.verdict(2500).silent).toEqual([]);
  });
});
