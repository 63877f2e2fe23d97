import { describe, expect, it } from "vitest";
import { DegenerateInputError, InsufficientDataError, NonFiniteInputError, ols } from "../../src/internal";
import { f64, loadFixture } from "./helpers";

const fx = loadFixture("analytics");
const y = f64(fx.ols.y);
const x = f64(fx.ols.x);

/** Tolerance from the issue: 1e-8 relative for OLS. */
function close(actual: number, expected: number, rel = 1e-8): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe("ols vs statsmodels 0.13.5 OLS (fixture at price level ~1e5)", () => {
  for (const c of fx.ols.cases) {
    it(`ols(y, x, { intercept: ${c.intercept} }) equals statsmodels params, rsquared, sqrt(scale), bse, tvalues within 1e-8 relative`, () => {
      const fit = ols(y, x, { intercept: c.intercept });
      close(fit.beta, c.beta);
      if (c.intercept) close(fit.alpha, c.alpha);
      else expect(fit.alpha).toBe(0);
      close(fit.r2, c.r2);
      close(fit.residualStd, c.residualStd);
      close(fit.ssr, c.ssr);
      close(fit.betaStdErr, c.betaStdErr);
      close(fit.betaT, c.betaT);
      if (c.intercept) close(fit.alphaStdErr, c.alphaStdErr);
      else expect(fit.alphaStdErr).toBeNaN();
      expect(fit.n).toBe(c.n);
      expect(fit.k).toBe(c.intercept ? 2 : 1);
    });
  }
});

describe("ols edge cases", () => {
  it("ols(doc example) gives beta 2.3, alpha 0.5 (exact up to 1e-12)", () => {
    const fit = ols([3, 5, 7, 10], [1, 2, 3, 4]);
    close(fit.beta, 2.3, 1e-12);
    close(fit.alpha, 0.5, 1e-12);
    // hand computation: SSR = 0.3, SST = 26.75
    close(fit.r2, 1 - 0.3 / 26.75, 1e-12);
  });

  it("ols(2 points) throws InsufficientDataError needing 3", () => {
    try {
      ols([1, 2], [3, 4]);
      expect.fail("did not throw");
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientDataError);
      expect((e as InsufficientDataError).needed).toBe(3);
      expect((e as InsufficientDataError).got).toBe(2);
      expect((e as InsufficientDataError).code).toBe("E_INSUFFICIENT_DATA");
    }
  });

  it("ols(1 point, no intercept) throws InsufficientDataError needing 2", () => {
    expect(() => ols([1], [3], { intercept: false })).toThrow(InsufficientDataError);
    expect(() => ols([], [])).toThrow(InsufficientDataError);
  });

  it("ols(y, constant x) throws DegenerateInputError, never a NaN hedge ratio", () => {
    expect(() => ols([1, 2, 3], [5, 5, 5])).toThrow(DegenerateInputError);
    expect(() => ols([1, 2, 3], [1e5, 1e5, 1e5])).toThrow(/constant/);
    expect(() => ols([1, 2, 3], [0, 0, 0], { intercept: false })).toThrow(DegenerateInputError);
  });

  it("ols(y, constant non-zero x, no intercept) fits y = beta·x", () => {
    const fit = ols([2, 4, 6], [2, 2, 2], { intercept: false });
    close(fit.beta, 2, 1e-15);
  });

  it("ols(NaN in y) throws NonFiniteInputError", () => {
    expect(() => ols([1, NaN, 3], [1, 2, 3])).toThrow(NonFiniteInputError);
  });

  it("ols(different lengths) throws RangeError; ols(y, x, { intercept: 'yes' }) throws RangeError", () => {
    expect(() => ols([1, 2, 3], [1, 2])).toThrow(RangeError);
    expect(() => ols([1, 2, 3], [1, 2, 4], { intercept: "yes" as never })).toThrow(/'options.intercept'/);
  });
});

describe("ols at a level far above the spread of x (mean rounding)", () => {
  it("ols(y, x) with x = 1e12 + a·2^-6, y = 3e12 + b·2^-6 (small integers a, b) equals the exact integer-formula beta within 1e-8 relative", () => {
    // Every value is an exact double, and beta = (nΣab - ΣaΣb) / (nΣa² - (Σa)²) in integers (exact, < 2^53),
    // so the reference has one rounding. The naive mean of x is off by ~1e-4 at 1e12, comparable to the spread.
    const u = 2 ** -6;
    const a: number[] = [], b: number[] = [];
    let seed = 3;
    const rnd = () => (seed = (seed * 16807) % 2147483647) % 101;
    for (let i = 0; i < 50; i++) {
      a.push(rnd() - 50);
      b.push(Math.round(1.5 * a[i]) + (rnd() % 21) - 10);
    }
    const x = a.map((v) => 1e12 + v * u);
    const y = b.map((v) => 3e12 + v * u);
    const n = a.length;
    let sa = 0, sb = 0, sab = 0, saa = 0;
    for (let i = 0; i < n; i++) {
      sa += a[i];
      sb += b[i];
      sab += a[i] * b[i];
      saa += a[i] * a[i];
    }
    const beta = (n * sab - sa * sb) / (n * saa - sa * sa);
    close(ols(y, x).beta, beta);
  });
});
