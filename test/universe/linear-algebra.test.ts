import { describe, expect, it } from "vitest";
import { johansenMoments } from "../../src/universe/johansen-moments";
import { createWasmKernels } from "../../src/universe/wasm-kernels";
import { crossProducts, symmetricProducts, upperCrossProducts } from "../../src/universe/cross-products";
import { backwardSolveTransposed, cholesky, forwardSolve, jacobiEigen } from "../../src/universe/symmetric-eigen";
import { mulberry32 } from "../../src/ingestion/trade-simulator";

// Internal kernels of johansenTest, checked against their definitions (seeded random inputs). Tolerance 1e-12 relative.
const rand = mulberry32(2026);

describe("cross products / jacobiEigen / cholesky (internal)", () => {
  it("centreDiff(x, d, c) for every length 2 … 12 (the 4-row loop, the 2-row step, the odd last difference): exact differences and centred values, their sum", () => {
    const w = createWasmKernels(64, 4)!;
    for (let n = 2; n <= 12; n++) {
      const x = Float64Array.from({ length: n }, () => 1e5 + rand() - 0.5);
      const u = w.alloc(n);
      u.set(x);
      const d = w.alloc(n - 1);
      const total = w.centreDiff(u, d, x[0]);
      let want = 0;
      for (let t = 0; t < n; t++) {
        expect(u[t]).toBe(x[t] - x[0]);
        want += x[t] - x[0];
      }
      for (let t = 0; t < n - 1; t++) expect(d[t]).toBe(x[t + 1] - x[t]);
      expect(Math.abs(total - want)).toBeLessThanOrEqual(1e-12 * n);
    }
  });
  for (const p of [1, 2, 3, 4, 5, 6, 7, 9]) {
    it(`crossProducts / symmetricProducts / upperCrossProducts(${p} shifted columns) equal the naive sums (every tile path)`, () => {
      const n = 101 + (p % 3); // 1, 2 or 3 rows after the kernels' 4-row steps, added in JS
      const a = Array.from({ length: p }, () => Float64Array.from({ length: n }, () => 1e5 + rand() - 0.5));
      const b = Array.from({ length: p }, () => Float64Array.from({ length: n }, () => rand() - 0.5));
      const sa = Float64Array.from({ length: p }, () => 1e5);
      const sb = Float64Array.from({ length: p }, () => rand() - 0.5);
      const naive = (x: Float64Array, cx: number, y: Float64Array, cy: number): number => {
        let s = 0;
        for (let t = 0; t < n; t++) s += (x[t] - cx) * (y[t] - cy);
        return s;
      };
      const cross = new Float64Array(p * p);
      const sym = new Float64Array(p * p);
      const upper = new Float64Array(p * p);
      crossProducts(a, b, n, cross, 0, p, sa, sb);
      symmetricProducts(a, n, sym, 0, p, sa);
      upperCrossProducts(a, b, n, upper, 0, p, sa, sb);
      const close = (got: number, want: number): void => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want) + 1e-13);
      // The same with the WebAssembly SIMD kernels: columns copied into their memory, differenced and centred there
      // (centreDiff), then the unshifted product kernels.
      const w = createWasmKernels(2 * p * n + 3 * n, 2 * p + 3);
      expect(w).not.toBeNull();
      const wa = a.map((c, i) => {
        const v = w!.alloc(n);
        v.set(c);
        const d = w!.alloc(n - 1);
        const total = w!.centreDiff(v, d, sa[i]);
        for (let t = 0; t < n - 1; t++) expect(d[t]).toBe(c[t + 1] - c[t]);
        for (let t = 0; t < n; t++) expect(v[t]).toBe(c[t] - sa[i]);
        close(total, naive(c, sa[i], Float64Array.from({ length: n }, () => 1), 0));
        return v;
      });
      const wb = b.map((c, i) => { const v = w!.alloc(n); v.set(c); for (let t = 0; t < n; t++) v[t] -= sb[i]; return v; });
      const wCross = new Float64Array(p * p);
      const wSym = new Float64Array(p * p);
      const wUpper = new Float64Array(p * p);
      crossProducts(wa, wb, n, wCross, 0, p, undefined, undefined, w);
      symmetricProducts(wa, n, wSym, 0, p, undefined, w);
      upperCrossProducts(wa, wb, n, wUpper, 0, p, undefined, undefined, w);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          close(wCross[i * p + j], naive(a[i], sa[i], b[j], sb[j]));
          close(wSym[i * p + j], naive(a[i], sa[i], a[j], sa[j]));
          if (i < j) close(wUpper[i * p + j], naive(a[i], sa[i], b[j], sb[j]));
          else expect(wUpper[i * p + j]).toBe(0);
        }
      }
      // centreDiff's sum is non-finite when a value is (johansenTest's finiteness check).
      const bad = w!.alloc(n);
      bad.set(a[0]);
      bad[n - 1] = NaN;
      expect(w!.centreDiff(bad, w!.alloc(n - 1), 1e5)).toBeNaN();
      // combine (the basket spread from a start value k, 1 … 6 series a pass, added left to right: exact vs the same
      // JS expression).
      const dst = w!.alloc(n);
      const cols = [...wa, ...wb];
      const weights = [0.5, -2, 3, 1, 2, -1];
      for (let count = 1; count <= Math.min(6, cols.length); count++) {
        w!.combine(dst, cols.slice(0, count), weights, 7, false);
        for (let t = 0; t < n; t++) {
          let want = 7;
          for (let c = 0; c < count; c++) want += weights[c] * cols[c][t];
          expect(dst[t]).toBe(want);
        }
        const before = Float64Array.from(dst);
        w!.combine(dst, cols.slice(0, count), weights, 7, true);
        for (let t = 0; t < n; t++) {
          let want = before[t];
          for (let c = 0; c < count; c++) want += weights[c] * cols[c][t];
          expect(dst[t]).toBe(want);
        }
      }
      // Without shifts (the unshifted 3 × 3 tile path).
      const plainCross = new Float64Array(p * p);
      const plainSym = new Float64Array(p * p);
      crossProducts(b, a, n, plainCross, 0, p);
      symmetricProducts(b, n, plainSym, 0, p);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          close(plainCross[i * p + j], naive(b[i], 0, a[j], 0));
          close(plainSym[i * p + j], naive(b[i], 0, b[j], 0));
          close(cross[i * p + j], naive(a[i], sa[i], b[j], sb[j]));
          close(sym[i * p + j], naive(a[i], sa[i], a[j], sa[j]));
          if (i < j) close(upper[i * p + j], naive(a[i], sa[i], b[j], sb[j]));
          else expect(upper[i * p + j]).toBe(0);
        }
      }
    });
  }
  for (const [m, k, demean] of [[2, 0, true], [2, 3, false], [5, 1, true], [4, 2, true], [3, 4, false]] as const) {
    it(`johansenMoments(${m} series, k ${k}, demean ${demean}) equals the naive Gram of the explicit VECM columns`, () => {
      const n = 60;
      // Random walks at a 1e5 price level, centred on their first value (as johansenTest's shift would).
      const levels = Array.from({ length: m }, () => {
        let v = 1e5;
        return Float64Array.from({ length: n }, () => (v += rand() - 0.5));
      });
      const shift = Float64Array.from(levels, (x) => x[0]);
      const u = levels.map((x, j) => Float64Array.from(x, (v) => v - shift[j]));
      const d = levels.map((x) => Float64Array.from({ length: n - 1 }, (_, t) => x[t + 1] - x[t]));
      const T = n - 1 - k;
      const cols: Float64Array[] = [];
      for (let l = 1; l <= k; l++) for (let j = 0; j < m; j++) cols.push(d[j].slice(k - l, k - l + T));
      for (let j = 0; j < m; j++) cols.push(d[j].slice(k, k + T));
      for (let j = 0; j < m; j++) cols.push(u[j].slice(1, 1 + T));
      if (demean) {
        for (const c of cols) {
          const mean = c.reduce((a, v) => a + v, 0) / T;
          for (let t = 0; t < T; t++) c[t] -= mean;
        }
      }
      const levelSums = Float64Array.from(u, (x) => x.slice(1, 1 + T).reduce((a, v) => a + v, 0));
      const g = johansenMoments(levels, shift, d, k, demean, levelSums);
      const p = cols.length;
      expect(g.length).toBe(p * p);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let t = 0; t < T; t++) s += cols[i][t] * cols[j][t];
          const scale = Math.sqrt(cols[i].reduce((a, v) => a + v * v, 0) * cols[j].reduce((a, v) => a + v * v, 0));
          expect(Math.abs(g[i * p + j] - s), `[${i}][${j}]`).toBeLessThanOrEqual(1e-12 * scale);
        }
      }
    });
  }
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
