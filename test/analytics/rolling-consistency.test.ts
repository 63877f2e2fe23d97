import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rollingCorrelation, rollingOls, rollingZScore } from "../../src/internal";
import { RECOMPUTE } from "../../src/analytics/rolling-kernel";

/** Two-pass reference statistics of the window [end - w + 1, end]; NaN when the window holds a NaN. */
function reference(y: number[], x: number[], w: number, end: number) {
  let mx = 0, my = 0;
  for (let j = end - w + 1; j <= end; j++) {
    mx += x[j];
    my += y[j];
  }
  mx /= w;
  my /= w;
  let sxx = 0, syy = 0, sxy = 0;
  for (let j = end - w + 1; j <= end; j++) {
    sxx += (x[j] - mx) ** 2;
    syy += (y[j] - my) ** 2;
    sxy += (x[j] - mx) * (y[j] - my);
  }
  return { mx, my, sxx, syy, sxy };
}

/** |a - e| <= 1e-7 · max(|e|, 1) unless both are NaN. */
function near(a: number, e: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  return Math.abs(a - e) <= 1e-7 * Math.max(Math.abs(e), 1);
}

describe("rolling estimators equal a two-pass computation of every window (property, seeded)", () => {
  it("rollingZScore / rollingCorrelation(prices) / rollingOls over random trending series with NaNs, windows 2..40, agree with two-pass per window within 1e-7", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 0, max: 60 })), {
          minLength: 0,
          maxLength: 400,
        }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (w, rows, trend) => {
          const x: number[] = [], y: number[] = [];
          let px = 1e5, py = 3e3;
          for (const [a, b, k] of rows) {
            px += trend + 10 * a;
            py += 0.03 * trend + 0.3 * a + 0.1 * b;
            x.push(k === 0 ? NaN : px);
            y.push(k === 1 ? NaN : py);
          }
          const z = rollingZScore(x, w);
          const r = rollingCorrelation(y, x, w, { on: "prices" });
          const o = rollingOls(y, x, w);
          for (let i = 0; i < x.length; i++) {
            let missing = i < w - 1;
            for (let j = Math.max(0, i - w + 1); j <= i && !missing; j++) missing = Number.isNaN(x[j]) || Number.isNaN(y[j]);
            let missingX = i < w - 1;
            for (let j = Math.max(0, i - w + 1); j <= i && !missingX; j++) missingX = Number.isNaN(x[j]);
            if (missingX) expect(z[i]).toBeNaN();
            if (missing) {
              expect(r[i]).toBeNaN();
              expect(o.beta[i]).toBeNaN();
              continue;
            }
            const m = reference(y, x, w, i);
            if (!missingX && m.sxx > 1e-6) expect(near(z[i], (x[i] - m.mx) / Math.sqrt(m.sxx / (w - 1))), `z[${i}]`).toBe(true);
            if (m.sxx > 1e-6 && m.syy > 1e-6) expect(near(r[i], m.sxy / Math.sqrt(m.sxx * m.syy)), `corr[${i}]`).toBe(true);
            if (m.sxx > 1e-6) {
              const beta = m.sxy / m.sxx;
              expect(near(o.beta[i], beta), `beta[${i}]`).toBe(true);
              expect(Math.abs(o.alpha[i] - (m.my - beta * m.mx)) <= 1e-7 * Math.max(Math.abs(m.my) + Math.abs(beta * m.mx), 1), `alpha[${i}]`).toBe(true);
            }
          }
        },
      ),
      { seed: 31337, numRuns: 200 },
    );
  });
});

describe("rolling estimators after a NaN run that fills a whole window at a re-anchoring step", () => {
  // The kernels recompute exactly every RECOMPUTE·w steps (at i = w - 1 + k·RECOMPUTE·w). A NaN run that covers
  // the whole window at such a step must not leave the anchor at 0: at a level of 1e5 with a noise of 1e-3
  // that would cancel catastrophically in Σd² - (Σd)²/w until the next recomputation.
  const w = 10;
  const n = 200;
  const step = w - 1 + RECOMPUTE * w;
  const x: number[] = [], y: number[] = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  for (let i = 0; i < n; i++) {
    const missing = i >= step - w - 2 && i < step + 4;
    const xi = 1e5 + 1e-3 * rnd();
    x.push(missing ? NaN : xi);
    y.push(missing ? NaN : 2e5 + 3e-3 * rnd() + 0.5 * (xi - 1e5));
  }
  // Reference: two-pass statistics of each window (its mean rounding error is ~1e-11 against a std of ~3e-4).
  const expectAfterRun = (name: string, actual: Float64Array, f: (m: ReturnType<typeof reference>, i: number) => number) => {
    let checked = 0;
    for (let i = step + 4 + w - 1; i < n; i++) {
      const e = f(reference(y, x, w, i), i);
      expect(Math.abs(actual[i] - e) <= 1e-6 * Math.max(Math.abs(e), 1), `${name}[${i}] = ${actual[i]}, two-pass ${e} (tol 1e-6·max(|e|, 1))`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  };

  it("rollingZScore(x, 10) after the run equals two-pass z-scores within 1e-6·max(|e|, 1)", () => {
    expectAfterRun("z", rollingZScore(x, w), (m, i) => (x[i] - m.mx) / Math.sqrt(m.sxx / (w - 1)));
  });

  it("rollingCorrelation(y, x, 10, { on: \"prices\" }) after the run equals two-pass correlations within 1e-6·max(|e|, 1)", () => {
    expectAfterRun("corr", rollingCorrelation(y, x, w, { on: "prices" }), (m) => m.sxy / Math.sqrt(m.sxx * m.syy));
  });

  it("rollingOls(y, x, 10) after the run equals two-pass beta within 1e-6·max(|e|, 1)", () => {
    expectAfterRun("beta", rollingOls(y, x, w).beta, (m) => m.sxy / m.sxx);
  });
});
