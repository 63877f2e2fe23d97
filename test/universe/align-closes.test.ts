import { describe, expect, it } from "vitest";
import type { Bars } from "../../src/analytics/types";
import { alignCloses } from "../../src/universe";

function bars(time: number[], close: number[]): Bars {
  const f = (a: number[]) => Float64Array.from(a);
  return { time: f(time), open: f(close), high: f(close), low: f(close), close: f(close), volume: f(close.map(() => 1)), vwap: f(close), count: f(close.map(() => 1)), partial: false, interval: 60_000 };
}

describe("alignCloses", () => {
  it("alignCloses(3 symbols) keeps the bar times present in all of them, no NaN", () => {
    const r = alignCloses({
      a: bars([0, 60_000, 120_000, 180_000], [1, 2, 3, 4]),
      b: bars([60_000, 120_000, 180_000, 240_000], [20, 30, 40, 50]),
      c: bars([120_000, 180_000], [300, 400]),
    });
    expect(Array.from(r.time)).toEqual([120_000, 180_000]);
    expect(r.symbols).toEqual(["a", "b", "c"]);
    expect(Array.from(r.closes.a)).toEqual([3, 4]);
    expect(Array.from(r.closes.b)).toEqual([30, 40]);
    expect(Array.from(r.closes.c)).toEqual([300, 400]);
  });
  it("alignCloses(no overlap) gives empty closes", () => {
    const r = alignCloses({ a: bars([0], [1]), b: bars([60_000], [2]) });
    expect(r.time.length).toBe(0);
    expect(r.closes.a.length).toBe(0);
  });
  it("alignCloses({}) throws RangeError", () => expect(() => alignCloses({})).toThrow(RangeError));
  it("alignCloses(decreasing times) throws RangeError naming the symbol", () => expect(() => alignCloses({ a: bars([60_000, 0], [1, 2]) })).toThrow(/bars\.a\.time/));
});
