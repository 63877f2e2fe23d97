import { describe, expect, it } from "vitest";
import { DegenerateInputError, InsufficientDataError, NonFiniteInputError } from "../../src/errors";
import { engleGranger } from "../../src/internal";
import { fixture, num, relDiff } from "./fixture";

// Tolerances from issue 5: statistic 1e-6 relative, p-value 1e-6 absolute, critical values 1e-8, usedLag/nobs exact.
// Hedge ratio: 1e-10 relative to the exact (rational-arithmetic) least-squares solution in the fixture, and 1e-6
// relative to statsmodels (its pinv on raw [x, 1, t, t²] columns loses up to ~7 digits on price levels with "ctt").
const STAT_REL = 1e-6;
const P_ABS = 1e-6;
const CRIT_ABS = 1e-8;
const EXACT_REL = 1e-10;
const SM_HEDGE_REL = 1e-6;

const pairs = new Map(fixture.pairs.map((p) => [p.name, p]));

describe("engleGranger vs statsmodels 0.13.5 coint (fixtures)", () => {
  for (const name of pairs.keys()) {
    it(`engleGranger(${name}) matches every trend x autolag case`, () => {
      const p = pairs.get(name)!;
      const cases = fixture.coint.filter((c) => c.pair === name);
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        const label = `${c.trend}/${c.autolag}/${c.maxlag}`;
        const options = { trend: c.trend, autolag: c.autolag, maxlag: c.maxlag };
        if (num(c.statistic) === -Infinity) {
          // statsmodels warns "(almost) perfectly colinear" and returns -inf, p = 0; we throw (documented).
          expect(() => engleGranger(p.y, p.x, options), label).toThrow(DegenerateInputError);
          continue;
        }
        const r = engleGranger(p.y, p.x, options);
        expect(relDiff(r.statistic, num(c.statistic)), label).toBeLessThanOrEqual(STAT_REL);
        expect(Math.abs(r.pValue - c.pValue), label).toBeLessThanOrEqual(P_ABS);
        for (const k of ["1%", "5%", "10%"] as const) {
          const ref = num(c.criticalValues[k]);
          if (Number.isNaN(ref)) expect(r.criticalValues[k], `${label} ${k}`).toBeNaN();
          else expect(Math.abs(r.criticalValues[k] - ref), `${label} ${k}`).toBeLessThanOrEqual(CRIT_ABS);
        }
        if (c.usedLag !== undefined) {
          expect(r.usedLag, label).toBe(c.usedLag);
          expect(r.nobs, label).toBe(c.nobs);
        }
        if (c.hedgeRatioExact !== undefined) {
          expect(relDiff(r.hedgeRatio, c.hedgeRatioExact), label).toBeLessThanOrEqual(EXACT_REL);
          expect(relDiff(r.hedgeRatio, c.hedgeRatio!), label).toBeLessThanOrEqual(SM_HEDGE_REL);
          if (c.trend === "n") expect(r.intercept).toBe(0);
          else expect(Math.abs(r.intercept - c.interceptExact!) / Math.max(1, Math.abs(c.interceptExact!)), label).toBeLessThanOrEqual(1e-9);
        }
        if (c.icBest === null) expect(r.icBest).toBeUndefined();
        // icBest inherits the residuals' difference (statsmodels' less precise cointegrating fit): statistic tolerance.
        else if (c.icBest !== undefined) expect(relDiff(r.icBest!, c.icBest), label).toBeLessThanOrEqual(STAT_REL);
        expect(r.residuals.length).toBe(p.y.length);
      }
    });
  }

  it("engleGranger(cointegrated pair) interpretation says cointegrated at 5%", () => {
    const p = pairs.get("cointegrated n=1500")!;
    const r = engleGranger(p.y, p.x);
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.interpretation).toMatch(/^Cointegrated at the 5% level .*mean-reversion candidate\.$/);
  });

  it("engleGranger(cointegrated pair, { trend: \"ct\" | \"ctt\" | \"n\" }) interpretation names the trend the spread reverts around, not 'its mean'", () => {
    const p = pairs.get("cointegrated n=1500")!;
    const expected = { ct: "around a linear trend", ctt: "around a quadratic trend", n: "around zero" } as const;
    let cointegrated = 0;
    for (const trend of ["ct", "ctt", "n"] as const) {
      let r;
      try {
        r = engleGranger(p.y, p.x, { trend });
      } catch (error) {
        expect(error, trend).toBeInstanceOf(DegenerateInputError); // trend "n" on price levels (documented)
        continue;
      }
      if (r.pValue < 0.05) {
        expect(r.interpretation, trend).toContain(expected[trend]);
        cointegrated++;
      }
      expect(r.interpretation, trend).not.toContain("its mean");
    }
    expect(cointegrated).toBeGreaterThan(0);
    expect(engleGranger(p.y, p.x).interpretation).toContain("around its mean");
  });

  it("engleGranger(independent walks) interpretation says not cointegrated", () => {
    const p = pairs.get("independent random walks n=1500")!;
    const r = engleGranger(p.y, p.x);
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.interpretation).toMatch(/^Not cointegrated at the 5% level/);
  });

  it("engleGranger residuals are y - hedgeRatio*x - intercept for trend c (1e-9 absolute)", () => {
    const p = pairs.get("cointegrated n=200")!;
    const r = engleGranger(p.y, p.x);
    let worst = 0;
    for (let i = 0; i < p.y.length; i++) worst = Math.max(worst, Math.abs(p.y[i] - r.hedgeRatio * p.x[i] - r.intercept - r.residuals[i]));
    expect(worst).toBeLessThan(1e-9);
  });
});

describe("engleGranger errors", () => {
  const y = Array.from({ length: 100 }, (_, i) => Math.sin(i) + i);
  const x = Array.from({ length: 100 }, (_, i) => Math.cos(i * 0.7) + 0.5 * i);

  it("engleGranger(y, shorterX) throws RangeError E_PARAM", () => {
    expect(() => engleGranger(y, x.slice(1))).toThrow(RangeError);
  });

  it("engleGranger(y, x, { trend: 'q' }) throws RangeError", () => {
    expect(() => engleGranger(y, x, { trend: "q" as never })).toThrow(RangeError);
  });

  it("engleGranger(y with NaN at 3) throws NonFiniteInputError naming y and index 3", () => {
    const bad = y.slice();
    bad[3] = NaN;
    try {
      engleGranger(bad, x);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NonFiniteInputError);
      expect((e as NonFiniteInputError).index).toBe(3);
      expect((e as NonFiniteInputError).field).toBe("y");
    }
  });

  it("engleGranger(x with Infinity at 42) throws NonFiniteInputError naming x", () => {
    const bad = x.slice();
    bad[42] = Infinity;
    expect(() => engleGranger(y, bad)).toThrow(/'x' must be finite, got Infinity at index 42/);
  });

  it("engleGranger(y, constant x) throws DegenerateInputError", () => {
    expect(() => engleGranger(y, new Array(100).fill(3))).toThrow(DegenerateInputError);
  });

  it("engleGranger(y, 2y + 1) throws DegenerateInputError (perfectly collinear; statsmodels returns -inf)", () => {
    expect(() => engleGranger(y, y.map((v) => 2 * v + 1))).toThrow(/collinear/);
  });

  it("engleGranger(y, ramp, { trend: 'ct' }) throws DegenerateInputError (x collinear with the trend)", () => {
    expect(() => engleGranger(y, y.map((_, i) => 5 + i), { trend: "ct" })).toThrow(DegenerateInputError);
  });

  it("engleGranger on 4 points throws InsufficientDataError", () => {
    expect(() => engleGranger([1, 2, 4, 3], [2, 1, 3, 5])).toThrow(InsufficientDataError);
  });
});
