import { describe, expect, it } from "vitest";
import { TradeSequence } from "../../src/ingestion/trade-sequence";
import { SilenceWatchdog } from "../../src/ingestion/silence-watchdog";

describe("TradeSequence", () => {
  it("accept() counts a skipped range of @trade ids as one gap", () => {
    const s = new TradeSequence();
    expect([1, 2, 3, 7, 8].map((id) => s.accept(id, id, id))).toEqual([true, true, true, true, true]);
    expect([s.gaps, s.missingTrades, s.duplicates]).toEqual([1, 3, 0]);
  });

  it("accept() rejects repeated and older ids as duplicates", () => {
    const s = new TradeSequence();
    s.accept(10, 10, 10);
    expect(s.accept(10, 10, 10)).toBe(false);
    expect(s.accept(9, 9, 9)).toBe(false);
    expect(s.accept(11, 11, 11)).toBe(true);
    expect([s.gaps, s.duplicates]).toEqual([0, 2]);
  });

  it("accept() for aggTrade: a jump of f alone is not a gap; a jump of a counts missing trades from f/l", () => {
    const s = new TradeSequence();
    s.accept(1, 10, 12);
    s.accept(2, 15, 15); // spent ids 13..14 in the trade-id sequence
    expect(s.gaps).toBe(0);
    s.accept(4, 20, 21); // aggregate 3 lost: trades 16..19
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
