import { describe, expect, it } from "vitest";
import { ols, rollingCorrelation, rollingOls, rollingZScore } from "../../src/internal";

// No-drift check required by issue 4: 10^7 points at price level ~1e5, compared at the end of the series
// with a two-pass computation of the last windows. Tolerance 1e-9 relative (stricter than the 1e-6 asked).
const N = 10_000_000;
const W = 1000;
const TOL = 1e-9;

/** mulberry32, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two random walks at 1e5 and 3e3 levels with correlated steps; values rounded to 0.01 like real prices. */
function series(): { x: Float64Array; y: Float64Array } {
  const u = rng(20261123);
  const x = new Float64Array(N), y = new Float64Array(N);
  let px = 3_000, py = 100_000;
  for (let i = 0; i < N; i++) {
    const e = u() - 0.5;
    px += 0.4 * e + 0.2 * (u() - 0.5);
    py += 12 * e + 6 * (u() - 0.5);
    x[i] = Math.round(px * 100) / 100;
    y[i] = Math.round(py * 100) / 100;
  }
  return { x, y };
}

function twoPassMoments(x: ArrayLike<number>, y: ArrayLike<number>, end: number) {
  let mx = 0, my = 0;
  for (let j = end - W + 1; j <= end; j++) {
    mx += x[j];
    my += y[j];
  }
  mx /= W;
  my /= W;
  let sxx = 0, syy = 0, sxy = 0;
  for (let j = end - W + 1; j <= end; j++) {
    const dx = x[j] - mx, dy = y[j] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { mx, my, sxx, syy, sxy };
}

function rel(a: number, e: number): number {
  return Math.abs(a - e) / Math.abs(e);
}

describe("rolling estimators do not drift over 10^7 points at level 1e5", () => {
  const { x, y } = series();
  // last windows, including ones right before and after an exact recomputation step
  const ends = [N - 1, N - 2, N - 7, N - 500, N - W - 1, N - 1234];

  it(`rollingZScore(x, ${W}) over 10^7 points equals a two-pass z-score of the last windows within ${TOL} relative`, () => {
    const z = rollingZScore(y, W);
    for (const end of ends) {
      const m = twoPassMoments(y, y, end);
      const expected = (y[end] - m.my) / Math.sqrt(m.syy / (W - 1));
      expect(rel(z[end], expected)).toBeLessThanOrEqual(TOL);
    }
  });

  it("a naive running Σx, Σx² z-score fails the same check (the comparison has teeth)", () => {
    let s1 = 0, s2 = 0;
    for (let i = 0; i < N; i++) {
      s1 += y[i];
      s2 += y[i] * y[i];
      if (i >= W) {
        s1 -= y[i - W];
        s2 -= y[i - W] * y[i - W];
      }
    }
    const end = N - 1;
    const m = twoPassMoments(y, y, end);
    const naive = (y[end] - s1 / W) / Math.sqrt((s2 - (s1 * s1) / W) / (W - 1));
    const expected = (y[end] - m.my) / Math.sqrt(m.syy / (W - 1));
    expect(Number.isFinite(naive) ? rel(naive, expected) : Infinity).toBeGreaterThan(TOL);
  });

  it(`rollingCorrelation(y, x, ${W}, { on: "prices" }) over 10^7 points equals two-pass correlation of the last windows within ${TOL} relative`, () => {
    const r = rollingCorrelation(y, x, W, { on: "prices" });
    for (const end of ends) {
      const m = twoPassMoments(x, y, end);
      expect(rel(r[end], m.sxy / Math.sqrt(m.sxx * m.syy))).toBeLessThanOrEqual(TOL);
    }
  });

  it(`rollingOls(y, x, ${W}) over 10^7 points equals ols() on the last windows within ${TOL} relative`, () => {
    const r = rollingOls(y, x, W);
    for (const end of ends) {
      const fit = ols(y.subarray(end - W + 1, end + 1), x.subarray(end - W + 1, end + 1));
      expect(rel(r.beta[end], fit.beta)).toBeLessThanOrEqual(TOL);
      expect(rel(r.alpha[end], fit.alpha)).toBeLessThanOrEqual(TOL);
    }
  });
});
