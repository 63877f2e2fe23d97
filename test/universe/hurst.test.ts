import { describe, expect, it } from "vitest";
import { DegenerateInputError, InsufficientDataError, NonFiniteInputError } from "../../src/errors";
import { hurstExponent, meanCrossings } from "../../src/universe";
import { fixture } from "./fixture";

// Reference: ArbitrageLab's get_hurst_exponent formula in NumPy (np.std + np.polyfit), tolerance 1e-9 absolute
// (we use one-pass Σd, Σd² per lag; NumPy two-pass); crossings: the Python loop, exact.
const HURST_ABS = 1e-9;

describe("hurstExponent and meanCrossings vs the Python references (fixtures)", () => {
  for (const c of fixture.hurst) {
    it(`hurstExponent(${c.series}, { maxLag: ${c.maxLag} }) matches`, () => {
      expect(Math.abs(hurstExponent(fixture.hurstSeries[c.series], { maxLag: c.maxLag }) - c.hurst)).toBeLessThanOrEqual(HURST_ABS);
    });
    if (c.maxLag === 100) it(`meanCrossings(${c.series}) is ${c.crossings}`, () => expect(meanCrossings(fixture.hurstSeries[c.series])).toBe(c.crossings));
  }
  it("hurstExponent orders walk ≈ 0.5 > AR(1) (mean reverting)", () => {
    const walk = hurstExponent(fixture.hurstSeries.walk);
    expect(Math.abs(walk - 0.5)).toBeLessThan(0.1);
    expect(hurstExponent(fixture.hurstSeries.ar1)).toBeLessThan(0.2);
  });
});

describe("hurstExponent / meanCrossings edge cases", () => {
  it("hurstExponent(50 points) throws InsufficientDataError (needs maxLag + 1)", () => expect(() => hurstExponent(new Float64Array(50))).toThrow(InsufficientDataError));
  it("hurstExponent(constant) throws DegenerateInputError", () => expect(() => hurstExponent(new Float64Array(200).fill(3))).toThrow(DegenerateInputError));
  it("hurstExponent(linear) throws DegenerateInputError (constant lagged differences)", () => expect(() => hurstExponent(Array.from({ length: 300 }, (_, i) => 0.1 * i + 1e5))).toThrow(DegenerateInputError));
  it("hurstExponent(x, { maxLag: 3 }) throws RangeError", () => expect(() => hurstExponent(new Float64Array(200), { maxLag: 3 })).toThrow(RangeError));
  it("hurstExponent(NaN inside) throws NonFiniteInputError", () => {
    const x = Float64Array.from(fixture.hurstSeries.walk);
    x[10] = NaN;
    expect(() => hurstExponent(x)).toThrow(NonFiniteInputError);
  });
  it("meanCrossings([1, -1, 1, 0, -1]) is 3 (a value at the mean keeps the previous sign)", () => expect(meanCrossings([1, -1, 1, 0, -1])).toBe(3));
  it("meanCrossings(constant) is 0", () => expect(meanCrossings([2, 2, 2])).toBe(0));
  it("meanCrossings([1]) throws InsufficientDataError", () => expect(() => meanCrossings([1])).toThrow(InsufficientDataError));
});

describe("JSDoc examples", () => {
  it("hurstExponent(sin(i²) noise) is 0.000455 and its running sum 0.311 (as documented)", () => {
    const noise = Array.from({ length: 2000 }, (_, i) => Math.sin(i * i));
    expect(hurstExponent(noise)).toBeCloseTo(0.000455, 6);
    let w = 0;
    expect(hurstExponent(noise.map((v) => (w += v)))).toBeCloseTo(0.311, 3);
  });
});
