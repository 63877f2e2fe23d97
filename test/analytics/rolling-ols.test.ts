import { describe, expect, it } from "vitest";
import { DegenerateInputError, NonFiniteInputError, ols, rollingOls } from "../../src/internal";
import { expectSeriesClose, f64, loadFixture } from "./helpers";

const fx = loadFixture("analytics");
const y = f64(fx.rollingOls.y);
const x = f64(fx.rollingOls.x);
const w: number = fx.rollingOls.window;

describe("rollingOls vs statsmodels 0.13.5 RollingOLS(method='lstsq') (fixture, levels ~1e5)", () => {
  for (const c of fx.rollingOls.cases) {
    it(`rollingOls(y, x, ${w}, { intercept: ${c.intercept} }) equals RollingOLS params within 1e-8 relative`, () => {
      const r = rollingOls(y, x, w, { intercept: c.intercept });
      expectSeriesClose(r.beta, f64(c.beta), 1e-8);
      if (c.intercept) expectSeriesClose(r.alpha, f64(c.alpha), 1e-8);
      expect(r.degenerateCount).toBe(0);
    });
  }
});

describe("rollingOls edge cases", () => {
  it("rollingOls(y, x, w) equals ols() on each window (seeded, 1e-9 relative)", () => {
    const r = rollingOls(y.subarray(0, 300), x.subarray(0, 300), 25);
    for (let i = 24; i < 300; i += 17) {
      const fit = ols(y.subarray(i - 24, i + 1), x.subarray(i - 24, i + 1));
      expect(Math.abs(r.beta[i] - fit.beta)).toBeLessThanOrEqual(1e-9 * Math.abs(fit.beta));
      expect(Math.abs(r.alpha[i] - fit.alpha)).toBeLessThanOrEqual(1e-9 * Math.abs(fit.alpha));
    }
  });

  it("rollingOls(doc example) gives beta [NaN, NaN, 2, 2.5]", () => {
    const r = rollingOls([3, 5, 7, 10], [1, 2, 3, 4], 3);
    expectSeriesClose(r.beta, [NaN, NaN, 2, 2.5], 1e-14);
    expectSeriesClose(r.alpha, [NaN, NaN, 1, -1 / 6], 1e-12);
  });

  it("rollingOls(series shorter than window) is all NaN", () => {
    const r = rollingOls([1, 2], [3, 4], 5);
    expect(Array.from(r.beta)).toEqual([NaN, NaN]);
    expect(r.degenerateCount).toBe(0);
  });

  it("rollingOls(constant x stretch) reports degenerate windows instead of silent NaN", () => {
    const xs = [1, 2, 3, 7, 7, 7, 7, 8, 9];
    const ys = [2, 4, 6, 1, 2, 3, 4, 5, 6];
    const r = rollingOls(ys, xs, 3);
    expect(Array.from(r.degenerate)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(r.degenerateCount).toBe(2);
    expect(r.beta[5]).toBeNaN();
    expect(Number.isFinite(r.beta[7])).toBe(true);
    expect(() => rollingOls(ys, xs, 3, { onDegenerate: "throw" })).toThrow(DegenerateInputError);
    expect(() => rollingOls(ys, xs, 3, { onDegenerate: "throw" })).toThrow(/index 5/);
  });

  it("rollingOls(all-zero x stretch, no intercept) reports degenerate; constant non-zero x is fine", () => {
    const r = rollingOls([1, 2, 3, 4], [0, 0, 0, 2], 2, { intercept: false });
    expect(Array.from(r.degenerate)).toEqual([0, 1, 1, 0]);
    const ok = rollingOls([2, 4, 6], [2, 2, 2], 2, { intercept: false });
    expectSeriesClose(ok.beta, [NaN, 1.5, 2.5], 1e-15);
    expect(Array.from(ok.alpha)).toEqual([NaN, 0, 0]);
  });

  it("rollingOls(NaN in y) gives NaN for exactly the windows holding it", () => {
    const ys = Float64Array.from(y.subarray(0, 50));
    ys[20] = NaN;
    const r = rollingOls(ys, x.subarray(0, 50), 5);
    for (let i = 4; i < 50; i++) expect(Number.isNaN(r.beta[i])).toBe(i >= 20 && i <= 24);
    expect(r.degenerateCount).toBe(0);
  });

  it("rollingOls(y, x, 1) throws RangeError naming 'window'", () => {
    expect(() => rollingOls(y, x, 1)).toThrow(/'window' must be an integer >= 2, got 1/);
    expect(() => rollingOls(y, x, 2.5)).toThrow(RangeError);
    expect(() => rollingOls(y, x.subarray(1), 5)).toThrow(RangeError);
    expect(() => rollingOls(y, x, 5, { onDegenerate: "ignore" as never })).toThrow(RangeError);
  });

  it("rollingOls(Infinity in x) throws NonFiniteInputError", () => {
    expect(() => rollingOls([1, 2, 3], [1, Infinity, 3], 2)).toThrow(NonFiniteInputError);
  });
});
