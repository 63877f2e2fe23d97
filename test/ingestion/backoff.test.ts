import { describe, expect, it } from "vitest";
import { Backoff } from "../../src/ingestion/backoff";
import { createManualClock } from "../../src/ingestion/clock";
import { mulberry32 } from "../../src/ingestion/trade-simulator";

describe("Backoff", () => {
  it("new Backoff({ initialMs: 0 }) throws RangeError E_PARAM", () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow(/maxMs/);
    expect(() => new Backoff({ factor: 0.5 })).toThrow(/factor/);
    expect(() => new Backoff({ initialMs: NaN })).toThrow(RangeError);
  });

  it("next() doubles from initialMs and caps at maxMs (random = 0 gives the lower half)", () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.next()).toBe(50);
  });

  it("next() stays within [d/2, d) for seeded jitter", () => {
    const b = new Backoff({ initialMs: 500, maxMs: 30_000, random: mulberry32(7) });
    for (let k = 0; k < 40; k++) {
      const d = Math.min(30_000, 500 * 2 ** k);
      const v = b.next();
      expect(v).toBeGreaterThanOrEqual(d / 2);
      expect(v).toBeLessThan(d);
    }
  });

  it("jitter de-synchronises clients: 100 seeded clients give distinct delays", () => {
    const delays = new Set<number>();
    for (let c = 0; c < 100; c++) delays.add(new Backoff({ random: mulberry32(c + 1) }).next());
    expect(delays.size).toBe(100);
  });
});

describe("createManualClock", () => {
  it("advance() fires due timers in time order and sets now()", () => {
    const clock = createManualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const h = clock.setTimeout(() => fired.push("never"), 150);
    clock.clearTimeout(h);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(200);
    expect(fired).toEqual(["a@1100", "b@1200"]);
    expect(clock.now()).toBe(1299);
    expect(clock.pending()).toBe(0);
    expect(clock.scheduled).toEqual([200, 100, 150]);
  });

  it("advance() runs timers scheduled by timers when they fall due", () => {
    const clock = createManualClock(0);
    const at: number[] = [];
    const loop = (): void => {
      at.push(clock.now());
      if (at.length < 3) clock.setTimeout(loop, 10);
    };
    clock.setTimeout(loop, 10);
    clock.advance(100);
    expect(at).toEqual([10, 20, 30]);
  });
});
