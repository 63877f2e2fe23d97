import { describe, expect, it } from "vitest";
import { DegenerateInputError, NonFiniteInputError, rollingCorrelation } from "../../src/internal";
import { expectSeriesClose, f64, loadFixture } from "./helpers";

const fx = loadFixture("analytics");
const a = f64(fx.rolling.a);
const b = f64(fx.rolling.b);
const w: number = fx.rolling.window;

describe("rollingCorrelation vs pandas 1.5.3 rolling corr (fixture, levels 1e5 and 2.5e3)", () => {
  it(`rollingCorrelation(a, b, ${w}, { on: "prices" }) equals a.rolling(w).corr(b) within 1e-6 relative`, () => {
    expectSeriesClose(rollingCorrelation(a, b, w, { on: "prices" }), f64(fx.rolling.corrPrices), 1e-6);
  });

  it(`rollingCorrelation(a, b, ${w}) defaults to log returns: equals log(a).diff().rolling(w).corr(log(b).diff()) within 1e-6 relative`, () => {
    const expected = f64(fx.rolling.corrReturns);
    expectSeriesClose(rollingCorrelation(a, b, w), expected, 1e-6);
    expectSeriesClose(rollingCorrelation(a, b, w, { on: "returns" }), expected, 1e-6);
  });
});

describe("rollingCorrelation edge cases", () => {
  it("rollingCorrelation(doc example, prices) matches the JSDoc example", () => {
    expectSeriesClose(rollingCorrelation([1, 2, 3, 5], [2, 4, 7, 9], 3, { on: "prices" }), [NaN, NaN, 0.9933992677987828, 0.9538209664765319], 1e-14);
  });

  it("rollingCorrelation(two trending series) is near 1 on prices but not on returns (why returns is the default)", () => {
    // Seeded LCG noise around two independent upward trends.
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const n = 500, pa = new Float64Array(n), pb = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      pa[i] = 100 * Math.exp(0.002 * i + 0.01 * rnd());
      pb[i] = 50 * Math.exp(0.002 * i + 0.01 * rnd());
    }
    const onPrices = rollingCorrelation(pa, pb, 400, { on: "prices" });
    const onReturns = rollingCorrelation(pa, pb, 400);
    expect(onPrices[n - 1]).toBeGreaterThan(0.95);
    expect(Math.abs(onReturns[n - 1])).toBeLessThan(0.2);
  });

  it("rollingCorrelation(empty / one / shorter than window) is all NaN", () => {
    expect(rollingCorrelation([], [], 3).length).toBe(0);
    expect(Array.from(rollingCorrelation([1], [2], 3))).toEqual([NaN]);
    expect(Array.from(rollingCorrelation([1, 2, 3], [2, 3, 5], 3))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(rollingCorrelation([1, 2, 3], [2, 3, 5], 4, { on: "prices" }))).toEqual([NaN, NaN, NaN]);
  });

  it("rollingCorrelation(constant window) is NaN (undefined), elsewhere finite", () => {
    const r = rollingCorrelation([1, 2, 3, 3, 3, 4], [1, 3, 2, 5, 4, 6], 3, { on: "prices" });
    expect(r[4]).toBeNaN();
    expect(Number.isFinite(r[3]) && Number.isFinite(r[5])).toBe(true);
  });

  it("rollingCorrelation(NaN inside) gives NaN for exactly the windows holding it", () => {
    const pa = Float64Array.from(a.subarray(0, 40));
    pa[10] = NaN;
    const r = rollingCorrelation(pa, b.subarray(0, 40), 5, { on: "prices" });
    for (let i = 4; i < 40; i++) expect(Number.isNaN(r[i])).toBe(i >= 10 && i <= 14);
  });

  it("rollingCorrelation(a, b, 1) throws RangeError naming 'window'; bad 'on' throws RangeError", () => {
    expect(() => rollingCorrelation(a, b, 1)).toThrow(/'window'/);
    expect(() => rollingCorrelation(a, b, 5, { on: "levels" as never })).toThrow(/'options.on'/);
    expect(() => rollingCorrelation(a, b.subarray(1), 5)).toThrow(RangeError);
  });

  it("rollingCorrelation(non-positive price, returns) throws DegenerateInputError; Infinity throws NonFiniteInputError", () => {
    expect(() => rollingCorrelation([1, 0, 2], [1, 2, 3], 2)).toThrow(DegenerateInputError);
    expect(() => rollingCorrelation([1, Infinity, 2], [1, 2, 3], 2)).toThrow(NonFiniteInputError);
    expect(() => rollingCorrelation([1, Infinity, 2], [1, 2, 3], 2, { on: "prices" })).toThrow(NonFiniteInputError);
  });

  it("rollingCorrelation(returns with jumps > 2% and a NaN price) equals a two-pass correlation of Math.log returns within 1e-9", () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const n = 300, w = 20, pa = new Float64Array(n), pb = new Float64Array(n);
    let xa = 100, xb = 30;
    for (let i = 0; i < n; i++) {
      const big = i % 17 === 0 ? 0.2 : 0.004; // every 17th step a move of up to ±10 %
      const e = rnd();
      xa *= Math.exp(big * e + 0.002 * rnd());
      xb *= Math.exp(0.7 * big * e + 0.002 * rnd());
      pa[i] = xa;
      pb[i] = xb;
    }
    pa[150] = NaN;
    const r = rollingCorrelation(pa, pb, w);
    const ra = Array.from({ length: n }, (_, i) => (i === 0 ? NaN : Math.log(pa[i] / pa[i - 1])));
    const rb = Array.from({ length: n }, (_, i) => (i === 0 ? NaN : Math.log(pb[i] / pb[i - 1])));
    for (let i = 0; i < n; i++) {
      const win = Array.from({ length: w }, (_, k) => i - w + 1 + k);
      if (i < w || win.some((j) => Number.isNaN(ra[j]))) {
        expect(r[i], `index ${i}`).toBeNaN();
        continue;
      }
      const ma = win.reduce((s, j) => s + ra[j], 0) / w, mb = win.reduce((s, j) => s + rb[j], 0) / w;
      let sab = 0, saa = 0, sbb = 0;
      for (const j of win) {
        sab += (ra[j] - ma) * (rb[j] - mb);
        saa += (ra[j] - ma) ** 2;
        sbb += (rb[j] - mb) ** 2;
      }
      expect(Math.abs(r[i] - sab / Math.sqrt(saa * sbb)), `index ${i}`).toBeLessThanOrEqual(1e-9);
    }
  });
});
