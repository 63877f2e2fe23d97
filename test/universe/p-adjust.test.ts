import { describe, expect, it } from "vitest";
import { benjaminiHochbergAdjust, holmAdjust } from "../../src/universe";
import { fixture } from "./fixture";

// Reference: statsmodels multipletests(method="holm" / "fdr_bh"); tolerance 1e-15 absolute (a few products).
const ABS = 1e-15;

describe("holmAdjust / benjaminiHochbergAdjust vs statsmodels multipletests (fixtures)", () => {
  fixture.padjust.forEach((c, k) => {
    it(`holmAdjust(set ${k}, ${c.p.length} p-values) matches method="holm"`, () => {
      const r = holmAdjust(c.p);
      c.holm.forEach((v, i) => expect(Math.abs(r[i] - v)).toBeLessThanOrEqual(ABS));
    });
    it(`benjaminiHochbergAdjust(set ${k}) matches method="fdr_bh"`, () => {
      const r = benjaminiHochbergAdjust(c.p);
      c.bh.forEach((v, i) => expect(Math.abs(r[i] - v)).toBeLessThanOrEqual(ABS));
    });
  });
  it("holmAdjust([0.01, 0.04, 0.03]) is [0.03, 0.06, 0.06] (JSDoc example)", () => {
    expect(Array.from(holmAdjust([0.01, 0.04, 0.03])).map((v) => +v.toFixed(12))).toEqual([0.03, 0.06, 0.06]);
  });
  it("benjaminiHochbergAdjust([0.01, 0.04, 0.03]) is [0.03, 0.04, 0.04] (JSDoc example)", () => {
    expect(Array.from(benjaminiHochbergAdjust([0.01, 0.04, 0.03])).map((v) => +v.toFixed(12))).toEqual([0.03, 0.04, 0.04]);
  });
  it("holmAdjust([]) is empty", () => expect(holmAdjust([]).length).toBe(0));
  it("holmAdjust([NaN]) throws RangeError naming p[0]", () => expect(() => holmAdjust([NaN])).toThrow(/'p\[0\]'/));
  it("benjaminiHochbergAdjust([1.5]) throws RangeError", () => expect(() => benjaminiHochbergAdjust([1.5])).toThrow(RangeError));
});
