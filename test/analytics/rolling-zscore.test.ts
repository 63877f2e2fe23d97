import { describe, expect, it } from "vitest";
import { NonFiniteInputError, rollingZScore } from "../../src/internal";
import { expectSeriesClose, f64, loadFixture } from "./helpers";

const fx = loadFixture("analytics");

describe("rollingZScore vs pandas 1.5.3 (fixture at level 1e5 with a NaN)", () => {
  it(`rollingZScore(x, ${fx.rolling.z.window}) equals (s - s.rolling(w).mean()) / s.rolling(w).std() within 1e-6 relative`, () => {
    expectSeriesClose(rollingZScore(f64(fx.rolling.z.x), fx.rolling.z.window), f64(fx.rolling.z.zscore), 1e-6);
  });
});

describe("rollingZScore edge cases", () => {
  it("rollingZScore([1, 2, 3, 4, 6], 3) matches the JSDoc example (hand-checked: z = 1 for 1,2,3)", () => {
    // windows (1,2,3) and (2,3,4): z = 1; window (3,4,6): mean 13/3, sample std sqrt(7/3)
    const expected = [NaN, NaN, 1, 1, (6 - 13 / 3) / Math.sqrt(7 / 3)];
    expectSeriesClose(rollingZScore([1, 2, 3, 4, 6], 3), expected, 1e-14);
  });

  it("rollingZScore(empty) is empty; (one value) is [NaN]; (shorter than window) is all NaN", () => {
    expect(rollingZScore([], 2).length).toBe(0);
    expect(Array.from(rollingZScore([5], 2))).toEqual([NaN]);
    expect(Array.from(rollingZScore([1, 2, 3], 4))).toEqual([NaN, NaN, NaN]);
  });

  it("rollingZScore(all NaN) is all NaN", () => {
    expect(Array.from(rollingZScore([NaN, NaN, NaN, NaN], 2))).toEqual([NaN, NaN, NaN, NaN]);
  });

  it("rollingZScore(constant, huge magnitude) is NaN (std 0), then finite when the value changes", () => {
    const z = rollingZScore([1e15, 1e15, 1e15, 1e15, 1e15 + 2], 3);
    expect(Array.from(z.subarray(0, 4))).toEqual([NaN, NaN, NaN, NaN]);
    // window (1e15, 1e15, 1e15+2): mean 1e15 + 2/3, std sqrt(4/3) → z = (4/3)/sqrt(4/3)
    expect(Math.abs(z[4] - (4 / 3) / Math.sqrt(4 / 3))).toBeLessThanOrEqual(1e-12);
  });

  it("rollingZScore(x, 1) throws RangeError", () => {
    expect(() => rollingZScore([1, 2, 3], 1)).toThrow(RangeError);
    expect(() => rollingZScore([1, 2, 3], 1)).toThrow("Cannot compute rolling z-score: 'window' must be an integer >= 2, got 1");
    expect(() => rollingZScore([1, 2, 3], NaN)).toThrow(RangeError);
    expect(() => rollingZScore("abc" as never, 2)).toThrow(TypeError);
  });

  it("rollingZScore(Infinity inside) throws NonFiniteInputError, even when shorter than the window", () => {
    expect(() => rollingZScore([1, -Infinity, 3], 2)).toThrow(NonFiniteInputError);
    expect(() => rollingZScore([1, Infinity], 5)).toThrow(NonFiniteInputError);
  });
});
