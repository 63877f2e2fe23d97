import { describe, expect, it } from "vitest";
import { DegenerateInputError } from "../../src/errors";
import { kalmanHedge } from "../../src/universe";
import { KalmanFilter } from "../../src/universe/kalman-filter";
import { mulberry32 } from "../../src/seeded-random";

// KalmanFilter is kalmanHedge's recursion one bar at a time: compared with tolerance 0 (same operations, same order).
function walk(n: number, seed: number, level: number): { y: Float64Array; x: Float64Array } {
  const r = mulberry32(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let p = level;
  let s = 0;
  for (let t = 0; t < n; t++) {
    p *= 1 + 1e-3 * (r() - 0.5);
    s = 0.95 * s + 1e-3 * level * (r() - 0.5);
    x[t] = p;
    y[t] = 0.03 * p + 0.01 * level + s;
  }
  return { y, x };
}

describe("KalmanFilter (internal)", () => {
  for (const [scale, delta, ve, level] of [["none", 1e-4, 1e-3, 100], ["first", 1e-7, 1e-5, 1e5]] as const) {
    it(`KalmanFilter({ scale: "${scale}" }).update over 2,000 bars equals kalmanHedge bar for bar (tolerance 0)`, () => {
      const { y, x } = walk(2000, 9, level);
      const ref = kalmanHedge(y, x, { delta, ve, scale });
      const f = new KalmanFilter({ delta, ve, scale });
      for (let t = 0; t < y.length; t++) {
        const ahead = f.forecast(y[t], x[t]);
        const s = f.update(y[t], x[t]);
        expect([s.beta, s.alpha, s.e, s.q, s.z]).toEqual([ref.beta[t], ref.alpha[t], ref.e[t], ref.q[t], ref.z[t]]);
        expect([ahead.e, ahead.q, ahead.z]).toEqual([s.e, s.q, s.z]);
      }
      expect(f.steps).toBe(2000);
    });
  }

  it("KalmanFilter.state() survives JSON and restore() continues identically", () => {
    const { y, x } = walk(600, 4, 1e5);
    const a = new KalmanFilter({ delta: 1e-7, ve: 1e-5, scale: "first" });
    for (let t = 0; t < 300; t++) a.update(y[t], x[t]);
    const b = new KalmanFilter({ delta: 1e-7, ve: 1e-5, scale: "first" });
    expect(b.restore(JSON.parse(JSON.stringify(a.state())))).toBe(true);
    for (let t = 300; t < 600; t++) expect(b.update(y[t], x[t])).toEqual(a.update(y[t], x[t]));
    expect(b.restore({ steps: -1 })).toBe(false);
    expect(b.restore({ ...a.state(), p: [1, 2, 3] })).toBe(false);
    expect(b.steps).toBe(600);
  });

  it("KalmanFilter bad options throw RangeError; scale \"first\" with a first price of 0 throws DegenerateInputError", () => {
    expect(() => new KalmanFilter({ delta: 1, ve: 1, scale: "none" })).toThrow(/'delta' must be a number in \(0, 1\)/);
    expect(() => new KalmanFilter({ delta: 0.1, ve: 0, scale: "none" })).toThrow(/'ve'/);
    expect(() => new KalmanFilter({ delta: 0.1, ve: 1, scale: "last" as "none" })).toThrow(/'scale'/);
    expect(() => new KalmanFilter({ delta: 0.1, ve: 1, scale: "first" }).update(1, 0)).toThrow(DegenerateInputError);
  });
});
