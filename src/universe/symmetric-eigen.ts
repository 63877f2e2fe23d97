/**
 * Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method (Golub & Van Loan §8.5), and
 * small Cholesky helpers. Internal to the universe area (Johansen's generalized eigenproblem). O(k³) per sweep,
 * a handful of sweeps for k ≤ 12.
 */

/**
 * Eigenvalues and eigenvectors of the symmetric k×k row-major matrix `a` (not modified). Returns eigenvalues
 * (unsorted) and the orthonormal eigenvectors as the columns of a row-major k×k matrix.
 */
export function jacobiEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < k; i++) {
      diag += m[i * k + i] * m[i * k + i];
      for (let j = i + 1; j < k; j++) off += m[i * k + j] * m[i * k + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0) continue;
        const app = m[p * k + p];
        const aqq = m[q * k + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
  return { values, vectors: v };
}

/**
 * Lower Cholesky factor of the symmetric positive-definite k×k row-major `a` (not modified); returns the factor and
 * the smallest relative pivot (pivot / original diagonal: 1 − R² of a column on the previous ones). A pivot
 * ≤ 0 stops the factorisation and returns minRelativePivot ≤ 0. O(k³/3).
 */
export function cholesky(a: Float64Array, k: number): { l: Float64Array; minRelativePivot: number; at: number } {
  const l = new Float64Array(k * k);
  let minRelativePivot = Infinity;
  let at = -1;
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let s = 0; s < j; s++) d -= l[j * k + s] * l[j * k + s];
    const rel = a[j * k + j] > 0 ? d / a[j * k + j] : 0;
    if (rel < minRelativePivot) {
      minRelativePivot = rel;
      at = j;
    }
    if (!(d > 0)) return { l, minRelativePivot: Math.min(rel, 0), at: j };
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let r = 0; r < j; r++) s -= l[i * k + r] * l[j * k + r];
      l[i * k + j] = s / ljj;
    }
  }
  return { l, minRelativePivot, at };
}

/** Solves L·X = B in place for lower-triangular L (k×k) and B (k×c, row-major). O(k²·c). */
export function forwardSolve(l: Float64Array, k: number, b: Float64Array, c: number): void {
  for (let i = 0; i < k; i++) {
    const lii = l[i * k + i];
    for (let col = 0; col < c; col++) {
      let s = b[i * c + col];
      for (let r = 0; r < i; r++) s -= l[i * k + r] * b[r * c + col];
      b[i * c + col] = s / lii;
    }
  }
}

/** Solves Lᵀ·X = B in place for lower-triangular L (k×k) and B (k×c, row-major). O(k²·c). */
export function backwardSolveTransposed(l: Float64Array, k: number, b: Float64Array, c: number): void {
  for (let i = k - 1; i >= 0; i--) {
    const lii = l[i * k + i];
    for (let col = 0; col < c; col++) {
      let s = b[i * c + col];
      for (let r = i + 1; r < k; r++) s -= l[r * k + i] * b[r * c + col];
      b[i * c + col] = s / lii;
    }
  }
}
