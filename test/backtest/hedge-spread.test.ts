import { describe, expect, it } from "vitest";
import { rollingOls, spread } from "../../src/analytics";
import { hedgeSpreadKernel } from "../../src/backtest/hedge-spread";
import { normalFrom, seededRandom } from "../../bench/harness";

/** The general path the backtest used before: rollingOls + spread (tolerance 0: the kernel must be bit-identical). */
function reference(y: Float64Array, x: Float64Array, w: number): { beta: Float64Array; spread: Float64Array } {
  const fit = rollingOls(y, x, w);
  return { beta: fit.beta, spread: spread(y, x, fit.beta, fit.alpha) };
}

function run(y: Float64Array, x: Float64Array, w: number): { beta: Float64Array; spread: Float64Array } {
  const beta = new Float64Array(y.length).fill(7), s = new Float64Array(y.length).fill(7); // stale values must be overwritten
  hedgeSpreadKernel(y, x, w, beta, s);
  return { beta, spread: s };
}

describe("hedgeSpreadKernel (the backtest's fused rolling OLS + spread)", () => {
  it("hedgeSpreadKernel(y, x, w) is bit-identical to rollingOls + spread on a trending, cointegrated pair at price levels of 1e4–1e5 (seeded)", () => {
    const g = normalFrom(seededRandom(5));
    const n = 20_000;
    const x = new Float64Array(n), y = new Float64Array(n);
    let lx = Math.log(2000), e = 0;
    for (let i = 0; i < n; i++) {
      lx += 3e-4 * g() + 1e-5;
      x[i] = Math.round(Math.exp(lx) * 100) / 100;
      e = 0.99 * e + 5 * g();
      y[i] = Math.round((37_000 + 14 * (x[i] - 2000) + e) * 10) / 10;
    }
    for (const w of [3, 17, 600, 5_000]) {
      const got = run(y, x, w), want = reference(y, x, w);
      for (let i = 0; i < n; i++) {
        if (!Object.is(got.beta[i], want.beta[i]) || !Object.is(got.spread[i], want.spread[i])) {
          throw new Error(`w=${w} i=${i}: beta ${got.beta[i]} vs ${want.beta[i]}, spread ${got.spread[i]} vs ${want.spread[i]}`);
        }
      }
    }
  });

  it("hedgeSpreadKernel with constant-x windows gives NaN there, like rollingOls's degenerate windows", () => {
    const x = Float64Array.from([1, 2, 3, 3, 3, 3, 3, 4, 5, 5, 6, 7]);
    const y = Float64Array.from([2, 4, 7, 6, 6, 5, 6, 9, 10, 11, 12, 15]);
    const got = run(y, x, 3), want = reference(y, x, 3);
    expect([...got.beta]).toEqual([...want.beta]);
    expect([...got.spread]).toEqual([...want.spread]);
    expect(Number.isNaN(got.beta[5])).toBe(true); // x = 3, 3, 3
  });

  it("hedgeSpreadKernel with fewer points than the window leaves everything NaN", () => {
    const got = run(Float64Array.from([1, 2]), Float64Array.from([3, 4]), 3);
    expect([...got.beta, ...got.spread].every(Number.isNaN)).toBe(true);
  });
});
