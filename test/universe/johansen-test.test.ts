import { describe, expect, it } from "vitest";
import { DegenerateInputError, InsufficientDataError, NonFiniteInputError } from "../../src/errors";
import { johansenTest } from "../../src/universe";
import { fixture } from "./fixture";

// Tolerances vs statsmodels 0.13.5 coint_johansen on the committed fixtures: eigenvalues 1e-9 × the largest
// eigenvalue (absolute); statistics 1e-9 relative or 1e-7 absolute, whichever is larger. (With detOrder −1 the levels
// are not centred: the smallest eigenvalue, ~1e-7 in mixed6, is conditioned like the raw level cross-products in
// both implementations, and agrees to ~1e-11 absolute, ~1e-6 relative.) Eigenvectors 1e-7 relative to the largest element of the vector (the sign of vectors 1… is LAPACK's
// in statsmodels: compared up to sign, as statsmodels' own test does); critical values exact (same table).
const EIG_REL = 1e-9;
const STAT_REL = 1e-9;
const STAT_ABS = 1e-7;
const EVEC_REL = 1e-7;

function evecDiff(ours: Float64Array, ref: number[], allowFlip: boolean): number {
  const scale = Math.max(...ref.map(Math.abs));
  const direct = Math.max(...ref.map((r, i) => Math.abs(ours[i] - r))) / scale;
  const flipped = Math.max(...ref.map((r, i) => Math.abs(ours[i] + r))) / scale;
  return allowFlip ? Math.min(direct, flipped) : direct;
}

describe("johansenTest vs statsmodels coint_johansen (fixtures)", () => {
  // Both kernel paths: WebAssembly SIMD ("auto" where available, as here) and the JS tiles.
  for (const kernels of ["auto", "js"] as const)
  for (const c of fixture.johansen) {
    it(`johansenTest(${c.data}, { detOrder: ${c.detOrder}, kArDiff: ${c.kArDiff}, kernels: "${kernels}" }) matches`, () => {
      const r = johansenTest(fixture.johansenData[c.data], { detOrder: c.detOrder, kArDiff: c.kArDiff, kernels });
      expect(r.nobs).toBe(c.nobs);
      c.eig.forEach((e, i) => expect(Math.abs(r.eigenvalues[i] - e), `eigenvalue ${i}`).toBeLessThanOrEqual(EIG_REL * c.eig[0]));
      c.lr1.forEach((v, i) => expect(Math.abs(r.traceStatistic[i] - v), `trace ${i}`).toBeLessThanOrEqual(Math.max(STAT_REL * Math.abs(v), STAT_ABS)));
      c.lr2.forEach((v, i) => expect(Math.abs(r.maxEigenStatistic[i] - v), `max-eig ${i}`).toBeLessThanOrEqual(Math.max(STAT_REL * Math.abs(v), STAT_ABS)));
      c.evec.forEach((v, i) => expect(evecDiff(r.eigenvectors[i], v, i > 0), `eigenvector ${i}`).toBeLessThanOrEqual(EVEC_REL));
      c.cvt.forEach((cv, i) => expect([r.traceCriticalValues[i]["90%"], r.traceCriticalValues[i]["95%"], r.traceCriticalValues[i]["99%"]]).toEqual(cv));
      c.cvm.forEach((cv, i) => expect([r.maxEigenCriticalValues[i]["90%"], r.maxEigenCriticalValues[i]["95%"], r.maxEigenCriticalValues[i]["99%"]]).toEqual(cv));
      expect(r.eigenvectors[0][0]).toBeGreaterThan(0);
    });
  }
});

describe("johansenTest reproduces statsmodels' own tests (test_coint.py, LeSage's MATLAB results)", () => {
  // statsmodels asserts these with assert_almost_equal (decimal 7: |diff| < 1.5e-7); we use the same bound.
  const ABS = 1.5e-7;
  for (const c of fixture.statsmodelsTests.cases) {
    it(`johansenTest(test_coint.csv, { detOrder: ${c.detOrder}, kArDiff: ${c.kArDiff} }) equals ${c.name}`, () => {
      const r = johansenTest(fixture.statsmodelsTests.data, { detOrder: c.detOrder, kArDiff: c.kArDiff });
      c.res1_m.forEach(([stat, c90, c95, c99], i) => {
        expect(Math.abs(r.traceStatistic[i] - stat), `trace ${i}`).toBeLessThan(ABS);
        expect(r.traceCriticalValues[i]).toEqual({ "90%": c90, "95%": c95, "99%": c99 });
      });
      c.res2_m.forEach(([stat, c90, c95, c99], i) => {
        expect(Math.abs(r.maxEigenStatistic[i] - stat), `max-eig ${i}`).toBeLessThan(ABS);
        expect(r.maxEigenCriticalValues[i]).toEqual({ "90%": c90, "95%": c95, "99%": c99 });
      });
      if (c.eig_m) c.eig_m.forEach((e, i) => expect(Math.abs(r.eigenvalues[i] - e)).toBeLessThan(ABS));
      if (c.evec) {
        c.evec.forEach((v, i) => {
          const d = Math.min(Math.max(...v.map((x, k) => Math.abs(r.eigenvectors[i][k] - x))), Math.max(...v.map((x, k) => Math.abs(r.eigenvectors[i][k] + x))));
          expect(d, `eigenvector ${i}`).toBeLessThan(ABS);
        });
      }
      // statsmodels' test_normalization: the first non-zero element is positive.
      expect(r.eigenvectors[0][0]).toBeGreaterThan(0);
    });
  }
});

describe("johansenTest basket outputs", () => {
  const data = fixture.johansenData.basket3;
  it("johansenTest(basket3) chooses rank 1 at 5 % and weights normalised to the first series", () => {
    const r = johansenTest(data, { detOrder: 0, kArDiff: 1 });
    expect(r.rank).toBe(1);
    expect(r.traceStatistic[0]).toBeGreaterThan(r.traceCriticalValues[0]["95%"]);
    expect(r.traceStatistic[1]).toBeLessThan(r.traceCriticalValues[1]["95%"]);
    expect(r.weights[0]).toBe(1);
    for (let j = 0; j < 3; j++) expect(r.weights[j]).toBeCloseTo(r.eigenvectors[0][j] / r.eigenvectors[0][0], 14);
  });
  it("johansenTest(basket3).spread is Σ weights·series at every bar", () => {
    const r = johansenTest(data, { detOrder: 0, kArDiff: 1 });
    expect(r.spread.length).toBe(data[0].length);
    for (const t of [0, 17, data[0].length - 1]) {
      const expected = data.reduce((acc, s, j) => acc + r.weights[j] * s[t], 0);
      expect(Math.abs(r.spread[t] - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(data[0][t]));
    }
  });
  it("johansenTest(walks4) chooses rank 0 (independent random walks)", () => {
    expect(johansenTest(fixture.johansenData.walks4, { detOrder: 0, kArDiff: 1 }).rank).toBe(0);
  });
});

describe("johansenTest bad input", () => {
  const [a, b, c] = fixture.johansenData.basket3;
  it("johansenTest([a]) throws RangeError (fewer than 2 series)", () => expect(() => johansenTest([a])).toThrow(RangeError));
  it("johansenTest(13 series) throws RangeError (no critical values)", () => expect(() => johansenTest(Array.from({ length: 13 }, () => a))).toThrow(/2 to 12 series/));
  it("johansenTest(different lengths) throws RangeError naming the series", () => expect(() => johansenTest([a, b.slice(1)])).toThrow(/series\[1\]\.length/));
  it("johansenTest(x, { detOrder: 2 }) throws RangeError", () => expect(() => johansenTest([a, b], { detOrder: 2 as 0 })).toThrow(RangeError));
  it("johansenTest(x, { kArDiff: -1 }) throws RangeError", () => expect(() => johansenTest([a, b], { kArDiff: -1 })).toThrow(RangeError));
  it("johansenTest(x, { kernels: \"gpu\" }) throws RangeError naming kernels", () => expect(() => johansenTest([a, b], { kernels: "gpu" as "js" })).toThrow(/'kernels'/));
  it("johansenTest(x, { kernels: \"js\" }) and the default (WebAssembly SIMD) agree to 1e-12", () => {
    for (const data of [fixture.johansenData.mixed6, fixture.johansenData.levels1e5, fixture.johansenData.walks4]) {
      for (const detOrder of [0, 1] as const) {
        const x = johansenTest(data, { detOrder, kArDiff: 2 });
        const y = johansenTest(data, { detOrder, kArDiff: 2, kernels: "js" });
        x.eigenvalues.forEach((e, i) => expect(Math.abs(e - y.eigenvalues[i])).toBeLessThanOrEqual(1e-12 * y.eigenvalues[0]));
        x.traceStatistic.forEach((v, i) => expect(Math.abs(v - y.traceStatistic[i])).toBeLessThanOrEqual(1e-12 * Math.abs(y.traceStatistic[i]) + 1e-12));
      }
    }
  });
  it("johansenTest(series with NaN) throws NonFiniteInputError naming series and index", () => {
    const bad = b.slice();
    bad[5] = NaN;
    expect(() => johansenTest([a, bad])).toThrow(NonFiniteInputError);
    expect(() => johansenTest([a, bad])).toThrow(/series\[1\].*index 5/);
  });
  it("johansenTest(collinear series) throws DegenerateInputError", () => {
    const combo = a.map((v, i) => 0.004 * v + 0.5 * b[i]);
    expect(() => johansenTest([a, b, combo])).toThrow(DegenerateInputError);
    expect(() => johansenTest([a, a.map((v) => 2 * v + 3)])).toThrow(/collinear/);
  });
  it("johansenTest(too short) throws InsufficientDataError", () => expect(() => johansenTest([a.slice(0, 5), b.slice(0, 5), c.slice(0, 5)], { kArDiff: 1 })).toThrow(InsufficientDataError));
});
