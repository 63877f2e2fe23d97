import { describe, expect, it } from "vitest";
import { DegenerateInputError, halfLife, InsufficientDataError, NonFiniteInputError } from "../../src/internal";
import { f64, loadFixture } from "./helpers";

const fx = loadFixture("analytics");

describe("halfLife", () => {
  it("halfLife(AR(1) spread) equals -ln2 / ln φ with φ from statsmodels OLS on the lagged spread, within 1e-8 relative", () => {
    const h = halfLife(f64(fx.halfLife.spread));
    expect(Math.abs(h - fx.halfLife.halfLife)).toBeLessThanOrEqual(1e-8 * fx.halfLife.halfLife);
  });

  it("halfLife(geometric decay by 1/2) is 1 bar (1e-12)", () => {
    expect(Math.abs(halfLife([1, 0.5, 0.25, 0.125, 0.0625]) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it("halfLife(trend, φ >= 1) is Infinity", () => {
    expect(halfLife([1, 2, 4, 8, 16, 32])).toBe(Infinity);
  });

  it("halfLife(alternating decay, φ = -0.5) is 1 bar (1e-12)", () => {
    expect(Math.abs(halfLife([8, -4, 2, -1, 0.5]) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it("halfLife(3 points) throws InsufficientDataError needing 4", () => {
    try {
      halfLife([1, 2, 3]);
      expect.fail("did not throw");
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientDataError);
      expect((e as InsufficientDataError).needed).toBe(4);
      expect((e as InsufficientDataError).got).toBe(3);
    }
    expect(() => halfLife([])).toThrow(InsufficientDataError);
  });

  it("halfLife(constant) throws DegenerateInputError; NaN throws NonFiniteInputError; non-array throws TypeError", () => {
    expect(() => halfLife([2, 2, 2, 2, 2])).toThrow(DegenerateInputError);
    expect(() => halfLife([1, NaN, 0.5, 0.2, 0.1])).toThrow(NonFiniteInputError);
    expect(() => halfLife(3 as never)).toThrow(TypeError);
  });
});
