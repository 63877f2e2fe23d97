import { describe, expect, it } from "vitest";
import { lttbIndices } from "../../src/charts/lttb";
import { seededRandom } from "../../bench/harness";

/** Textbook LTTB (Steinarsson 2013, thesis listing 4.2) on finite data, written independently as the reference. */
function referenceLttb(x: number[], y: number[], threshold: number): number[] {
  const n = x.length;
  if (threshold >= n) return x.map((_, i) => i);
  const sampled = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    let avgX = 0;
    let avgY = 0;
    let avgStart = Math.floor((i + 1) * every) + 1;
    let avgEnd = Math.floor((i + 2) * every) + 1;
    avgEnd = avgEnd < n ? avgEnd : n;
    const len = avgEnd - avgStart;
    for (; avgStart < avgEnd; avgStart++) {
      avgX += x[avgStart];
      avgY += y[avgStart];
    }
    avgX /= len;
    avgY /= len;
    let rangeOffs = Math.floor(i * every) + 1;
    const rangeTo = Math.floor((i + 1) * every) + 1;
    let maxArea = -1;
    let next = rangeOffs;
    for (; rangeOffs < rangeTo; rangeOffs++) {
      const area = Math.abs((x[a] - avgX) * (y[rangeOffs] - y[a]) - (x[a] - x[rangeOffs]) * (avgY - y[a])) * 0.5;
      if (area > maxArea) {
        maxArea = area;
        next = rangeOffs;
      }
    }
    sampled.push(next);
    a = next;
  }
  sampled.push(n - 1);
  return sampled;
}

describe("lttbIndices", () => {
  it("lttbIndices(x, y, 3) on a 5-point spike keeps the spike (the triangle with the largest area)", () => {
    // Bucket {1,2,3}; anchor (0,0); next-bucket mean (4,0): area ∝ 4·|y|, largest at index 1 (y = 5).
    expect(Array.from(lttbIndices([0, 1, 2, 3, 4], [0, 5, 0, 1, 0], 3))).toEqual([0, 1, 4]);
  });

  it("lttbIndices(x, y, maxPoints) returns every index when the series is short", () => {
    expect(Array.from(lttbIndices([], [], 3))).toEqual([]);
    expect(Array.from(lttbIndices([7], [1], 3))).toEqual([0]);
    expect(Array.from(lttbIndices([1, 2, 3], [1, 2, 3], 5))).toEqual([0, 1, 2]);
  });

  it("lttbIndices matches an independent textbook LTTB on seeded random walks (exact indices)", () => {
    const rnd = seededRandom(42);
    for (const [n, k] of [[1000, 100], [10_007, 333], [5001, 5000]] as const) {
      const x: number[] = [];
      const y: number[] = [];
      let v = 0;
      for (let i = 0; i < n; i++) {
        x.push(1_700_000_000_000 + i * 1000);
        v += rnd() - 0.5;
        y.push(v);
      }
      const ours = Array.from(lttbIndices(x, y, k));
      expect(ours).toEqual(referenceLttb(x, y, k));
      expect(ours.length).toBe(k);
    }
  });

  it("lttbIndices keeps first and last points and returns strictly increasing indices", () => {
    const rnd = seededRandom(7);
    const y = Array.from({ length: 20_000 }, () => rnd());
    const x = y.map((_, i) => i);
    const idx = lttbIndices(x, y, 5000);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(19_999);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it("lttbIndices keeps a NaN for an all-NaN bucket (gap stays visible) and never picks NaN otherwise", () => {
    const n = 1000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => (i < 300 ? NaN : Math.sin(i / 10)));
    const idx = Array.from(lttbIndices(x, y, 100));
    const picked = idx.map((i) => y[i]);
    expect(picked.some((v) => Number.isNaN(v))).toBe(true);
    // Buckets that contain a finite value never contribute a NaN.
    const nanPicks = idx.filter((i) => Number.isNaN(y[i]));
    for (const i of nanPicks) expect(i).toBeLessThan(300);
    expect(idx.filter((i) => i >= 300).every((i) => Number.isFinite(y[i]))).toBe(true);
  });

  it("lttbIndices(x, y, 2) throws RangeError", () => {
    expect(() => lttbIndices([1, 2, 3], [1, 2, 3], 2)).toThrow(RangeError);
    expect(() => lttbIndices([1, 2, 3], [1, 2, 3], 2.5)).toThrow(/maxPoints/);
  });

  it("lttbIndices(x, y) with different lengths throws RangeError", () => {
    expect(() => lttbIndices([1, 2, 3], [1, 2], 3)).toThrow(RangeError);
  });
});
