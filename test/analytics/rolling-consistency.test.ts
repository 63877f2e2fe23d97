import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rollingCorrelation, rollingOls, rollingZScore } from "../../src/index";

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
