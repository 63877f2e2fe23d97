import { describe, expect, it } from "vitest";
import { rollingOls, spread } from "../../src/internal";

describe("spread", () => {
  it("spread(y, x, 2) = y - 2·x (exact)", () => {
    expect(Array.from(spread([10, 12], [5, 5], 2))).toEqual([0, 2]);
  });

  it("spread(y, x, beta[], 1) uses the hedge ratio per point and the intercept", () => {
    expect(Array.from(spread([10, 12], [5, 5], [2, 2], 1))).toEqual([-1, 1]);
    expect(Array.from(spread([10, 12], [5, 5], [2, 1], [0, 2]))).toEqual([0, 5]);
  });

  it("spread(y, x, rollingOls beta, alpha) is NaN during warm-up and the OLS residual after (1e-9 absolute)", () => {
    const y = [3, 5, 7, 10, 11], x = [1, 2, 3, 4, 5];
    const fit = rollingOls(y, x, 3);
    const s = spread(y, x, fit.beta, fit.alpha);
    expect(Number.isNaN(s[0]) && Number.isNaN(s[1])).toBe(true);
    // window (1,2,3)->(3,5,7) is an exact line: residual 0
    expect(Math.abs(s[2])).toBeLessThanOrEqual(1e-9);
  });

  it("spread(empty) is empty; NaN inputs propagate elementwise", () => {
    expect(spread([], [], 1).length).toBe(0);
    const s = spread([1, NaN, 3], [1, 1, 1], 1);
    expect([s[0], s[2]]).toEqual([0, 2]);
    expect(s[1]).toBeNaN();
  });

  it("spread(y, x, NaN) throws RangeError naming 'beta'; mismatched lengths throw RangeError", () => {
    expect(() => spread([1], [1], NaN)).toThrow(/'beta'/);
    expect(() => spread([1], [1], 1, Infinity)).toThrow(/'alpha'/);
    expect(() => spread([1, 2], [1], 1)).toThrow(RangeError);
    expect(() => spread([1, 2], [1, 2], [1])).toThrow(/'beta'/);
    expect(() => spread([1, 2], [1, 2], "2" as never)).toThrow(TypeError);
  });
});
