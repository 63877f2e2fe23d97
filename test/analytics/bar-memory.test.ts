import { describe, expect, it } from "vitest";
import { assertBarMemory, createResampler, DEFAULT_MAX_BAR_BYTES, resample, resolveMaxBytes } from "../../src/analytics";
import { TickStore } from "../../src/ingestion";
import { barFeed } from "../../src/pair";

const T0 = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

/** Two ticks a day apart: a 1 ms interval would need 86,400,001 bars (5.1 GB). */
const dayTicks = { time: [T0, T0 + DAY], price: [100, 101], qty: [1, 1] };

describe("memory bound of bars (checked before allocating)", () => {
  it("resample(day of ticks, 1) throws RangeError naming the interval, the span and the size", () => {
    const before = process.memoryUsage().arrayBuffers;
    let error: unknown;
    try {
      resample(dayTicks, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as { code?: string }).code).toBe("E_PARAM");
    const message = (error as Error).message;
    expect(message).toContain("'interval'");
    expect(message).toContain("1.0 d span");
    expect(message).toContain("86,400,001 bars of 1 ms would take 5.1 GB");
    expect(message).toContain("256.0 MB");
    expect(message).toContain("maxBytes");
    // Nothing of the 5.1 GB was allocated (tolerance: 64 MB of unrelated buffers).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("resample(day of ticks, '1s') fits the default bound (86,401 bars = 5.5 MB)", () => {
    expect(resample(dayTicks, "1s").time.length).toBe(86_401);
  });

  it("resample(ticks, 1, { maxBytes }) lets the caller raise or lower the bound", () => {
    const ticks = { time: [T0, T0 + 999], price: [1, 2], qty: [1, 1] };
    expect(resample(ticks, 1).time.length).toBe(1000); // 64 kB
    expect(() => resample(ticks, 1, { maxBytes: 1000 * 64 - 1 })).toThrow(/1,000 bars of 1 ms would take 62.5 kB/);
    expect(resample(ticks, 1, { maxBytes: 1000 * 64 }).time.length).toBe(1000);
  });

  it("resample(ticks, '1s', { maxBytes: 0 | NaN | '1' }) throws RangeError naming maxBytes", () => {
    for (const bad of [0, -1, NaN, Infinity, "1" as unknown as number]) {
      expect(() => resample(dayTicks, "1s", { maxBytes: bad })).toThrow(/'maxBytes' must be a finite number of bytes > 0/);
    }
    expect(resolveMaxBytes("x", undefined)).toBe(DEFAULT_MAX_BAR_BYTES);
  });

  it("createResampler(1).append(day of ticks) throws before allocating and keeps nothing of the chunk", () => {
    const r = createResampler(1);
    r.append({ time: [T0], price: [100], qty: [1] });
    expect(() => r.append({ time: [T0 + DAY], price: [101], qty: [1] })).toThrow(/86,400,001 bars of 1 ms would take 5.1 GB/);
    expect(r.tickCount).toBe(1);
    expect(r.bars().time.length).toBe(1);
  });

  it("createResampler(1, { maxBytes }) grows its buffers only up to the bound", () => {
    const r = createResampler(1, { maxBytes: 200 * 64 });
    r.append({ time: [T0, T0 + 199], price: [1, 2], qty: [1, 1] });
    expect(r.bars().time.length).toBe(200);
    expect(() => r.append({ time: [T0 + 200], price: [3], qty: [1] })).toThrow(RangeError);
  });

  it("barFeed(store, sym, 1).bars() over a day of ticks throws the memory error instead of allocating 5 GB", () => {
    const store = new TickStore(100);
    store.register("btcusdt");
    store.append("btcusdt", T0, 100, 1);
    store.append("btcusdt", T0 + DAY, 101, 1);
    expect(() => barFeed(store, "btcusdt", 1).bars()).toThrow(/interval.*1.0 d span/);
    expect(barFeed(store, "btcusdt", "1m").bars().time.length).toBe(1441);
  });

  it("assertBarMemory(…) passes at the bound and throws one byte above", () => {
    expect(() => assertBarMemory("x", "1s", 10, 10_000, 640)).not.toThrow();
    expect(() => assertBarMemory("x", "1s", 10, 10_000, 639)).toThrow(RangeError);
  });
});
