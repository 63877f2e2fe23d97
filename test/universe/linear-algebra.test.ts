import { describe, expect, it } from "vitest";
import { gram } from "../../src/universe/gram";
import { backwardSolveTransposed, cholesky, forwardSolve, jacobiEigen } from "../../src/universe/symmetric-eigen";
import { mulberry32 } from "../../src/ingestion/trade-simulator";

// Internal kernels of johansenTest, checked against their definitions (seeded random inputs). Tolerance 1e-12 relative.
const rand = mulberry32(2026);

describe("gram / jacobiEigen / cholesky (internal)", () => {
  it("gram(7 columns) equals the naive dot products (odd p exercises every block path)", () => {
    const cols = Array.from({ length: 7 }, () => Float64Array.from({ length: 101 }, () => rand() - 0.5));
    const g = gram(cols, 101);
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) {
        let s = 0;
        for (let t = 0; t < 101; t++) s += cols[i][t] * cols[j][t];
        expect(Math.abs(g[i * 7 + j] - s)).toBeLessThanOrEqual(1e-12 * Math.abs(s) + 1e-15);
      }
    }
  });
  it("jacobiEigen(symmetric 5×5) reconstructs A = V·Λ·Vᵀ with orthonormal V", () => {
    const k = 5;
    const a = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) a[i * k + j] = a[j * k + i] = rand() - 0.5;
    const { values, vectors } = jacobiEigen(a, k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0, o = 0;
        for (let r = 0; r < k; r++) {
          s += vectors[i * k + r] * values[r] * vectors[j * k + r];
          o += vectors[r * k + i] * vectors[r * k + j];
        }
        expect(Math.abs(s - a[i * k + j])).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(o - (i === j ? 1 : 0))).toBeLessThanOrEqual(1e-12);
      }
    }
  });
  it("cholesky(SPD) solves L·Lᵀ·x = b; cholesky(singular) reports a pivot <= 0", () => {
    const a = Float64Array.of(4, 2, 2, 3);
    const { l, minRelativePivot } = cholesky(a, 2);
    expect(minRelativePivot).toBeGreaterThan(0);
    const b = Float64Array.of(1, 2);
    forwardSolve(l, 2, b, 1);
    backwardSolveTransposed(l, 2, b, 1);
    expect(4 * b[0] + 2 * b[1]).toBeCloseTo(1, 14);
    expect(2 * b[0] + 3 * b[1]).toBeCloseTo(2, 14);
    expect(cholesky(Float64Array.of(1, 2, 2, 4), 2).minRelativePivot).toBeLessThanOrEqual(0);
  });
});
