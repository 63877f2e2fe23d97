import { describe, expect, it } from "vitest";
import { minMaxIndices } from "../../src/charts/min-max-decimate";
import { seededRandom } from "../../bench/harness";

describe("minMaxIndices", () => {
  it("minMaxIndices([3,1,4,1,5,9,2,6], 4) keeps each half's min and max in time order", () => {
    // Halves [3,1,4,1] → min 1 @1 (first), max 4 @2; [5,9,2,6] → max 9 @5, min 2 @6.
    expect(Array.from(minMaxIndices([3, 1, 4, 1, 5, 9, 2, 6], 4))).toEqual([1, 2, 5, 6]);
  });

  it("minMaxIndices returns every index for a short series", () => {
    expect(Array.from(minMaxIndices([], 2))).toEqual([]);
    expect(Array.from(minMaxIndices([1, 2], 2))).toEqual([0, 1]);
  });

  it("minMaxIndices keeps every bucket's extremes (brute-force check, seeded) and at most maxPoints", () => {
    const rnd = seededRandom(3);
    const n = 86_400;
    const y = Float64Array.from({ length: n }, () => rnd() * 100);
    const idx = minMaxIndices(y, 5000);
    expect(idx.length).toBeLessThanOrEqual(5000);
    const buckets = 2500;
    for (let b = 0; b < buckets; b += 97) {
      const start = Math.floor((b * n) / buckets);
      const end = Math.floor(((b + 1) * n) / buckets);
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = start; j < end; j++) {
        lo = Math.min(lo, y[j]);
        hi = Math.max(hi, y[j]);
      }
      const kept = Array.from(idx).filter((i) => i >= start && i < end).map((i) => y[i]);
      expect(Math.min(...kept)).toBe(lo);
      expect(Math.max(...kept)).toBe(hi);
    }
  });

  it("minMaxIndices keeps one index for an all-NaN bucket and skips NaN elsewhere", () => {
    const y = [NaN, NaN, NaN, NaN, 1, NaN, 3, 2];
    expect(Array.from(minMaxIndices(y, 4))).toEqual([0, 4, 6]);
  });

  it("minMaxIndices(y, 1) throws RangeError", () => {
    expect(() => minMaxIndices([1, 2, 3], 1)).toThrow(RangeError);
  });
});
