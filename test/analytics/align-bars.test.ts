import { describe, expect, it } from "vitest";
import { alignBars, resample } from "../../src/internal";

const A = resample({ time: [0, 1500, 2500, 4100], price: [1, 2, 3, 4], qty: [1, 1, 1, 1] }, "1s");
const B = resample({ time: [2100, 3900, 5050], price: [10, 20, 30], qty: [2, 2, 2] }, "1s");

describe("alignBars", () => {
  it("alignBars(a, b) keeps the overlapping bins of two 1s grids, values untouched", () => {
    const { time, a, b } = alignBars(A, B);
    expect(Array.from(time)).toEqual([2000, 3000, 4000]);
    expect(Array.from(a.close)).toEqual([3, 3, 4]);
    expect(Array.from(b.close)).toEqual([10, 20, 20]);
    expect(Array.from(a.time)).toEqual(Array.from(b.time));
    expect(Array.from(b.count)).toEqual([1, 1, 0]);
  });

  it("alignBars(a, b) keeps partial only for the side whose last bar is kept", () => {
    const { a, b } = alignBars(A, B);
    expect(a.partial).toBe(true);
    expect(b.partial).toBe(false);
  });

  it("alignBars(disjoint or empty) gives empty bars", () => {
    const far = resample({ time: [100_000], price: [1], qty: [1] }, "1s");
    expect(alignBars(A, far).time.length).toBe(0);
    const empty = resample({ time: [], price: [], qty: [] }, "1s");
    const r = alignBars(empty, B);
    expect(r.a.close.length + r.b.close.length).toBe(0);
  });

  it("alignBars(1s bars, 1m bars) throws RangeError naming 'b'", () => {
    const m = resample({ time: [0, 60_000], price: [1, 2], qty: [1, 1] }, "1m");
    expect(() => alignBars(A, m)).toThrow(/'b'/);
  });

  it("alignBars(unsorted time) throws RangeError", () => {
    const bad = { ...A, time: Float64Array.from([3000, 2000, 1000, 4000, 5000]), interval: undefined };
    expect(() => alignBars(bad, B)).toThrow(RangeError);
  });
});
