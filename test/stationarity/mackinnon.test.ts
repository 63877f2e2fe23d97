import { describe, expect, it } from "vitest";
import { mackinnonCriticalValues, mackinnonPValue } from "../../src/stationarity/mackinnon";
import { normalCdf } from "../../src/stationarity/normal-cdf";
import { fixture } from "./fixture";

describe("mackinnonPValue vs statsmodels mackinnonp (fixture grid, 1e-12 absolute; issue asks 1e-6)", () => {
  for (const g of fixture.pvalues) {
    it(`mackinnonPValue(tau, ${g.regression}, N=${g.N}) matches on ${g.stats.length} statistics`, () => {
      let worst = 0;
      for (let i = 0; i < g.stats.length; i++) {
        worst = Math.max(worst, Math.abs(mackinnonPValue(g.stats[i], g.regression, g.N) - g.p[i]));
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }

  it("mackinnonPValue(-Infinity) is 0 and mackinnonPValue(Infinity) is 1", () => {
    expect(mackinnonPValue(-Infinity, "c", 1)).toBe(0);
    expect(mackinnonPValue(Infinity, "c", 2)).toBe(1);
  });

  it("mackinnonPValue(NaN) throws RangeError", () => {
    expect(() => mackinnonPValue(NaN)).toThrow(RangeError);
  });

  it("mackinnonPValue(t, 'c', 7) throws RangeError (tables cover N = 1..6)", () => {
    expect(() => mackinnonPValue(-2, "c", 7)).toThrow(RangeError);
  });
});

describe("mackinnonCriticalValues vs statsmodels mackinnoncrit (fixture, 1e-12 absolute; issue asks 1e-8)", () => {
  it(`mackinnonCriticalValues matches all ${fixture.crit.length} (regression, N, nobs) cases`, () => {
    for (const c of fixture.crit) {
      const r = mackinnonCriticalValues(c.N, c.regression, c.nobs);
      expect(Math.abs(r["1%"] - c.crit[0]), `${c.regression} N=${c.N} nobs=${c.nobs}`).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r["5%"] - c.crit[1])).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r["10%"] - c.crit[2])).toBeLessThanOrEqual(1e-12);
    }
  });

  it("mackinnonCriticalValues(1, 'c') is the asymptotic row of MacKinnon (2010) Table 2", () => {
    // β∞ for N = 1, constant: -3.43035, -2.86154, -2.56677 (MacKinnon 2010).
    expect(mackinnonCriticalValues(1, "c", Infinity)).toEqual({ "1%": -3.43035, "5%": -2.86154, "10%": -2.56677 });
  });

  it("mackinnonCriticalValues(2, 'c', T) keeps statsmodels' tau_c_2010 N=2 1% beta2 = -33.527 (statsmodels#10271)", () => {
    // crit(T) = β∞ + β1/T + β2/T² with statsmodels' β2 = -33.527 (the paper reportedly prints -22.527).
    const T = 100;
    const expected = -3.89644 + -10.9519 / T + -33.527 / (T * T);
    expect(Math.abs(mackinnonCriticalValues(2, "c", T)["1%"] - expected)).toBeLessThan(1e-12);
  });

  it("mackinnonCriticalValues(2, 'n') throws RangeError (no-constant table has N = 1 only)", () => {
    expect(() => mackinnonCriticalValues(2, "n", 100)).toThrow(RangeError);
  });

  it("mackinnonCriticalValues(1, 'c', 0) throws RangeError", () => {
    expect(() => mackinnonCriticalValues(1, "c", 0)).toThrow(RangeError);
  });
});

describe("normalCdf", () => {
  it("normalCdf(0) is 0.5 and normalCdf(±Infinity) is 0/1, normalCdf(NaN) is NaN", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
  });

  it("normalCdf(-1.6448536269514722) is 0.05 within 1e-15 (statsmodels' Φ⁻¹(0.95) constant)", () => {
    expect(Math.abs(normalCdf(-1.6448536269514722) - 0.05)).toBeLessThan(1e-15);
  });

  it("normalCdf(z) + normalCdf(-z) = 1 within 1e-15 across the series/continued-fraction switch", () => {
    for (let z = -8; z <= 8; z += 0.173) expect(Math.abs(normalCdf(z) + normalCdf(-z) - 1)).toBeLessThan(1e-15);
  });

  it("normalCdf is continuous at the branch point z = -2.5·√2 (relative jump < 1e-12, absolute < 1e-16)", () => {
    const z = -2.5 * Math.SQRT2;
    const a = normalCdf(z * (1 - 1e-15));
    const b = normalCdf(z * (1 + 1e-15));
    expect(Math.abs(a - b) / a).toBeLessThan(1e-12);
    expect(Math.abs(a - b)).toBeLessThan(1e-16);
  });

  it("normalCdf(-10) matches the tail value 7.61985302416047e-24 to 1e-13 relative (erfc(10/√2)/2, from scipy.special.ndtr)", () => {
    // scipy.special.ndtr(-10) = 7.61985302416047e-24
    expect(Math.abs(normalCdf(-10) - 7.61985302416047e-24) / 7.61985302416047e-24).toBeLessThan(1e-13);
  });
});
