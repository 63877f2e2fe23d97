import { describe, expect, it } from "vitest";
import { DegenerateInputError, InsufficientDataError, NonFiniteInputError } from "../../src/errors";
import { screenPairs, screenPairsParallel } from "../../src/universe";
import { fixture, num } from "./fixture";

// Reference per pair (scripts/fixtures/universe.py): pandas log-return correlation, statsmodels coint both ways,
// OLS hedge ratio, AR(1) half-life, ArbitrageLab's Hurst formula, the crossing loop, adfuller("c", AIC) of the kept
// spread, multipletests holm / fdr_bh. Tolerances: correlation 1e-12; EG statistic 1e-6 relative and p-value 1e-6
// absolute (issue 5's engleGranger tolerances); hedge ratio, intercept, half-life 1e-9 relative; Hurst 1e-9
// absolute; ADF and adjusted p-values 1e-6 absolute; crossings and the chosen direction exact.
const input = fixture.screenInput;
const result = screenPairs(input, { interval: "1m" });

describe("screenPairs vs statsmodels / pandas (fixtures, 6 symbols, 15 pairs)", () => {
  for (const ref of fixture.screen) {
    it(`screenPairs row ${ref.a}/${ref.b} keeps ${ref.y} on ${ref.x} and matches every statistic`, () => {
      const row = result.rows.find((r) => (r.y === ref.a && r.x === ref.b) || (r.y === ref.b && r.x === ref.a));
      expect(row).toBeDefined();
      if (!row) return;
      expect([row.y, row.x]).toEqual([ref.y, ref.x]);
      expect(Math.abs(row.correlation - ref.correlation)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(row.egStatistic - ref.egStatistic) / Math.abs(ref.egStatistic)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.egPValue - ref.egPValue)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.egStatisticReverse - ref.egStatisticReverse) / Math.abs(ref.egStatisticReverse)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.egPValueReverse - ref.egPValueReverse)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.hedgeRatio - ref.hedgeRatio) / Math.abs(ref.hedgeRatio)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(row.intercept - ref.intercept) / Math.max(Math.abs(ref.intercept), 1e-9)).toBeLessThanOrEqual(1e-9);
      const hl = num(ref.halfLifeBars);
      if (Number.isFinite(hl)) expect(Math.abs(row.halfLifeBars - hl) / hl).toBeLessThanOrEqual(1e-9);
      else expect(row.halfLifeBars).toBe(hl);
      expect(row.halfLifeMs).toBe(row.halfLifeBars * 60_000);
      expect(Math.abs(row.hurst - ref.hurst)).toBeLessThanOrEqual(1e-9);
      expect(row.meanCrossings).toBe(ref.meanCrossings);
      expect(Math.abs(row.adfPValue - ref.adfPValue)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.pValueHolm - ref.pValueHolm)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(row.pValueBH - ref.pValueBH)).toBeLessThanOrEqual(1e-6);
    });
  }
  it("screenPairs ranks the two pairs cointegrated by construction first", () => {
    expect(result.rows.slice(0, 2).map((r) => [r.y, r.x].sort().join("/")).sort()).toEqual(["adausdt/xrpusdt", "btcusdt/ethusdt"]);
    expect(result.rows.map((r) => r.rank)).toEqual(result.rows.map((_, i) => i + 1));
  });
  it("screenPairs with the raw p-value lets one independent pair through by chance; Benjamini-Hochberg removes it", () => {
    const raw = result.rows.filter((r) => r.passes).map((r) => [r.y, r.x].sort().join("/"));
    expect(raw.sort()).toEqual(["adausdt/xrpusdt", "btcusdt/ethusdt", "dogeusdt/solusdt"]);
    const bh = screenPairs(input, { pValueFilter: "bh" }).rows.filter((r) => r.passes).map((r) => [r.y, r.x].sort().join("/"));
    expect(bh.sort()).toEqual(["adausdt/xrpusdt", "btcusdt/ethusdt"]);
  });
  it("screenPairs failing rows name every failed filter", () => {
    const failing = result.rows.filter((r) => !r.passes);
    expect(failing.length).toBe(12);
    for (const r of failing) expect(r.reasons.length).toBeGreaterThan(0);
    expect(failing.some((r) => r.reasons.some((s) => s.startsWith("cointegration p")))).toBe(true);
  });
  it("screenPairs correlation and pValues matrices are symmetric with the row values", () => {
    const N = result.symbols.length;
    for (const r of result.rows) {
      expect(result.correlation[r.yIndex * N + r.xIndex]).toBe(r.correlation);
      expect(result.pValues[r.xIndex * N + r.yIndex]).toBe(r.egPValue);
    }
    expect(result.correlation[0]).toBe(1);
    expect(result.pValues[0]).toBeNaN();
  });
  it("screenPairs(closes, { pValueFilter: 'holm' }) filters on the Holm p-value", () => {
    const strict = screenPairs(input, { pValueFilter: "holm", alpha: 1e-12 });
    expect(strict.rows.every((r) => !r.passes && r.reasons.some((s) => s.includes("(holm)")))).toBe(true);
  });
  it("screenPairsParallel(closes, { workers: 2 }) equals screenPairs row for row", async () => {
    const par = await screenPairsParallel(input, { interval: "1m", workers: 2 });
    expect(par.rows).toEqual(result.rows);
  });
});

describe("screenPairs bad input", () => {
  const a = input.btcusdt;
  const b = input.ethusdt;
  it("screenPairs([a]) throws RangeError (fewer than 2 symbols)", () => expect(() => screenPairs([a])).toThrow(/at least 2 series/));
  it("screenPairs(different lengths) throws RangeError naming the symbol", () => expect(() => screenPairs({ a, b: b.slice(1) })).toThrow(/closes\.b\.length/));
  it("screenPairs(NaN gap) throws NonFiniteInputError naming symbol and bar", () => {
    const gap = b.slice();
    gap[42] = NaN;
    expect(() => screenPairs({ a, b: gap })).toThrow(NonFiniteInputError);
    expect(() => screenPairs({ a, b: gap })).toThrow(/closes\.b.*index 42/);
  });
  it("screenPairs(constant series) throws DegenerateInputError", () => expect(() => screenPairs({ a, c: new Array(a.length).fill(5) })).toThrow(DegenerateInputError));
  it("screenPairs(too short) throws InsufficientDataError", () => expect(() => screenPairs({ a: a.slice(0, 50), b: b.slice(0, 50) })).toThrow(InsufficientDataError));
  it("screenPairs(collinear pair) keeps the row with an error, NaN statistics, ranked last and out of the adjustment", () => {
    const r = screenPairs({ a, b, twin: a.map((v) => 2 * v) });
    const last = r.rows[r.rows.length - 1];
    expect(last.error).toMatch(/collinear/);
    expect(last.passes).toBe(false);
    expect(last.pValueBH).toBeNaN();
    expect(r.rows.filter((x) => x.error === undefined).every((x) => Number.isFinite(x.pValueHolm))).toBe(true);
  });
  it("screenPairs(x, { pValueFilter: 'x' }) throws RangeError", () => expect(() => screenPairs({ a, b }, { pValueFilter: "x" as "bh" })).toThrow(RangeError));
  it("screenPairs(x, { halfLifeRange: [5, 1] }) throws RangeError", () => expect(() => screenPairs({ a, b }, { halfLifeRange: [5, 1] })).toThrow(RangeError));
});
