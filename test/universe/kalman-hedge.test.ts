import { describe, expect, it } from "vitest";
import { DegenerateInputError, InsufficientDataError, NonFiniteInputError } from "../../src/errors";
import { kalmanHedge, type KalmanHedgeOptions } from "../../src/universe";
import { fixture, maxRelDiff } from "./fixture";

// Issue 13: exact to 1e-10 relative against the NumPy loop (scripts/fixtures/universe.py, kalman_numpy).
// beta, alpha, Q: 1e-10 relative, per bar. e and z: e_t = y_t − ŷ_t is a difference of two numbers of size y_t, so
// its rounding is relative to y_t, not to e_t (with scale "first" e_t is ~1e-7 of y_t): 1e-10 relative to
// max(|e_t|, 1e-4·|y_t|) (for z, the same bound divided by √Q_t).
const REL = 1e-10;

function worst(ours: Float64Array, ref: number[], floor: (t: number) => number): number {
  let w = 0;
  for (let t = 0; t < ref.length; t++) w = Math.max(w, Math.abs(ours[t] - ref[t]) / Math.max(Math.abs(ref[t]), floor(t)));
  return w;
}
const { y, x } = fixture.kalmanInput;

describe("kalmanHedge vs the NumPy recursion (fixtures)", () => {
  for (const c of fixture.kalman) {
    it(`kalmanHedge(eth, btc, ${JSON.stringify(c.options)}) matches beta, alpha, e, Q, z to 1e-10`, () => {
      const r = kalmanHedge(y, x, c.options as KalmanHedgeOptions);
      for (const key of ["beta", "alpha", "q"] as const) expect(maxRelDiff(r[key], c[key], Number.MIN_VALUE), key).toBeLessThanOrEqual(REL);
      expect(worst(r.e, c.e, (t) => 1e-4 * Math.abs(y[t])), "e").toBeLessThanOrEqual(REL);
      expect(worst(r.z, c.z, (t) => (1e-4 * Math.abs(y[t])) / Math.sqrt(c.q[t])), "z").toBeLessThanOrEqual(REL);
    });
  }
});

describe("kalmanHedge behaviour", () => {
  it("kalmanHedge(y, x) at t = 0 with P0 = 0 has Q = Ve, e = y0, theta unchanged", () => {
    const r = kalmanHedge([2, 4, 6.1, 8], [1, 2, 3, 4], { delta: 0.01, ve: 0.01 });
    expect(r.q[0]).toBe(0.01);
    expect(r.e[0]).toBe(2);
    expect(r.beta[0]).toBe(0);
    expect(r.z[0]).toBeCloseTo(20, 12);
    // The JSDoc example's β.
    expect(Array.from(r.beta, (v) => +v.toFixed(5))).toEqual([0, 1.33556, 1.74318, 1.80491]);
  });
  it("kalmanHedge(y, x, { scale: 'first' }) z equals the unscaled filter on y/y0, x/x0", () => {
    const a = kalmanHedge(y, x, { scale: "first" });
    const b = kalmanHedge(y.map((v) => v / y[0]), x.map((v) => v / x[0]));
    expect(maxRelDiff(a.z, b.z, 1e-6)).toBeLessThanOrEqual(1e-12);
  });
  it("kalmanHedge(y, x) with the defaults at 1e5 prices tracks y/x every bar (documented scale effect)", () => {
    const r = kalmanHedge(y, x);
    const last = y.length - 1;
    expect(Math.abs(r.beta[last] * x[last] + r.alpha[last] - y[last]) / y[last]).toBeLessThan(1e-4);
  });
});

describe("kalmanHedge bad input", () => {
  it("kalmanHedge([], []) throws InsufficientDataError", () => expect(() => kalmanHedge([], [])).toThrow(InsufficientDataError));
  it("kalmanHedge(y, shorter x) throws RangeError", () => expect(() => kalmanHedge([1, 2], [1])).toThrow(RangeError));
  it("kalmanHedge(y, x, { delta: 1 }) throws RangeError naming delta", () => expect(() => kalmanHedge([1], [1], { delta: 1 })).toThrow(/'delta'/));
  it("kalmanHedge(y, x, { ve: 0 }) throws RangeError naming ve", () => expect(() => kalmanHedge([1], [1], { ve: 0 })).toThrow(/'ve'/));
  it("kalmanHedge(y, x, { p0: not PSD }) throws RangeError", () => expect(() => kalmanHedge([1], [1], { p0: [1, 2, 2, 1] })).toThrow(/'p0'/));
  it("kalmanHedge(y with NaN) throws NonFiniteInputError", () => expect(() => kalmanHedge([1, NaN], [1, 2])).toThrow(NonFiniteInputError));
  it("kalmanHedge(y, x0 = 0, { scale: 'first' }) throws DegenerateInputError", () => expect(() => kalmanHedge([1, 2], [0, 2], { scale: "first" })).toThrow(DegenerateInputError));
  it("kalmanHedge(huge x) throws DegenerateInputError for a non-finite Q (singular update)", () => {
    expect(() => kalmanHedge([1, 2, 3], [1e200, 1e200, 1e200], { delta: 0.5 })).toThrow(/singular update at bar 1/);
  });
});
