// deflatedSharpeRatio against scipy/pandas (scripts/fixtures/backtest.py); tolerance 1e-9 relative (1e-12 absolute
// for the probability, which can be within 1e-11 of 1).
import { describe, expect, it } from "vitest";
import { deflatedSharpeRatio } from "../../src/backtest/deflated-sharpe";
import { normalQuantile } from "../../src/backtest/normal-quantile";
import { normalCdf } from "../../src/stationarity/normal-cdf";
import { close, f64, loadFixture } from "./helpers";

const fixture = loadFixture<{ deflatedSharpe: { returns: number[]; trialSharpes: number[]; expected: Record<string, number> }[] }>("backtest");

describe("deflatedSharpeRatio", () => {
  fixture.deflatedSharpe.forEach((c, k) => {
    it(`deflatedSharpeRatio(case ${k}: T=${c.returns.length}, N=${c.trialSharpes.length}) equals scipy/pandas within 1e-9`, () => {
      const got = deflatedSharpeRatio(f64(c.returns), f64(c.trialSharpes));
      for (const [key, want] of Object.entries(c.expected)) {
        const value = got[key as keyof typeof got];
        if (!close(value, want, 1e-9, key === "dsr" ? 1e-12 : 0)) expect.fail(`${key}: expected ${want}, got ${value}`);
      }
    });
  });

  it("deflatedSharpeRatio(3 returns) throws InsufficientDataError; constant returns throw DegenerateInputError; NaN throws", () => {
    expect(() => deflatedSharpeRatio([0.1, 0.2, 0.3], [0.1])).toThrow(/needs at least 4/);
    expect(() => deflatedSharpeRatio([0.1, 0.1, 0.1, 0.1], [0.1])).toThrow(/constant/);
    expect(() => deflatedSharpeRatio([0.1, NaN, 0.1, 0.2], [0.1])).toThrow(/'returns' must be finite/);
    expect(() => deflatedSharpeRatio([0.1, 0.3, 0.1, 0.2], [])).toThrow(/needs at least 1/);
  });

  it("normalQuantile(p) inverts normalCdf: lower tail within 1e-12 relative, upper tail within 4.5e-16 absolute (2 ulp of 1)", () => {
    for (const p of [1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.5]) expect(Math.abs(normalCdf(normalQuantile(p)) - p) / p).toBeLessThan(1e-12);
    for (const p of [0.7, 0.97575, 0.999, 1 - 1e-9]) expect(Math.abs(1 - normalCdf(-normalQuantile(p)) - p)).toBeLessThan(4.5e-16);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
