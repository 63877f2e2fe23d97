/**
 * Dense least squares by Householder QR, for small designs (a few columns) and as the exact
 * fallback/reference for the nested-model fast path of {@link adfTest}.
 * Internal to the stationarity area (not re-exported from the package root).
 */

/** Result of {@link householderOls}. */
export interface HouseholderOlsResult {
  /** Coefficients, one per column, in column order. */
  coef: Float64Array;
  /** Residuals y − Xβ, computed directly from the columns (length = rows). */
  residuals: Float64Array;
  /** Residual sum of squares Σ residuals². */
  rss: number;
  /** Residual degrees of freedom rows − columns. */
  dfResid: number;
  /** Classical standard errors sqrt(σ̂² · [(XᵀX)⁻¹]ᵢᵢ), σ̂² = rss / dfResid. */
  stdErr: Float64Array;
  /** t statistics coef / stdErr. */
  tValues: Float64Array;
  /** First k entries of Qᵀy (the nested models' RSS: rss + Σ_{i ≥ j} qtyᵢ² for the first j columns). */
  qty: Float64Array;
  /** Diagonal of R (signed). */
  rdiag: Float64Array;
  /** Smallest |Rⱼⱼ| / ‖Xⱼ‖ over the columns: ≈ 1/condition of the column-normalised design (0 → rank deficient). */
  minRelativePivot: number;
  /** Index of the column where `minRelativePivot` occurs. */
  minPivotColumn: number;
}

/**
 * Ordinary least squares y ~ X by Householder QR (no pivoting), columns given separately.
 *
 * Algorithm: Householder reflections applied column by column to a copy of X and to y
 * (Golub & Van Loan, Alg. 5.2.1); β by back substitution; residuals recomputed as y − Xβ from the
 * original columns; [(XᵀX)⁻¹]ᵢᵢ = ‖row i of R⁻¹‖². Complexity O(n·k²) time, O(n·k) memory.
 *
 * @param columns k columns of length n (not modified).
 * @param y response of length n (not modified).
 * @returns coefficients, residuals, RSS, standard errors and t values; `minRelativePivot` reports rank
 *   deficiency (the caller decides the threshold).
 * @example householderOls([Float64Array.of(1, 1, 1), Float64Array.of(1, 2, 3)], Float64Array.of(1, 3, 5)).coef // [-1, 2]
 */
export function householderOls(columns: readonly Float64Array[], y: Float64Array): HouseholderOlsResult {
  const k = columns.length;
  const n = y.length;
  const a: Float64Array[] = columns.map((c) => Float64Array.from(c));
  const qty = Float64Array.from(y);
  const rdiag = new Float64Array(k);
  let minRelativePivot = Infinity;
  let minPivotColumn = -1;
  for (let j = 0; j < k; j++) {
    const col = a[j];
    let colNorm2 = 0;
    for (let i = 0; i < n; i++) colNorm2 += columns[j][i] * columns[j][i];
    let norm2 = 0;
    for (let i = j; i < n; i++) norm2 += col[i] * col[i];
    let norm = Math.sqrt(norm2);
    if (norm === 0) {
      rdiag[j] = 0;
      if (minRelativePivot > 0) minPivotColumn = j;
      minRelativePivot = 0;
      continue;
    }
    if (col[j] > 0) norm = -norm;
    // v = col[j:] − norm·e₁ stored in place; norm takes the sign opposite to col[j] (no cancellation).
    const v0 = col[j] - norm;
    col[j] = v0;
    let vv = v0 * v0;
    for (let i = j + 1; i < n; i++) vv += col[i] * col[i];
    const beta = 2 / vv;
    for (let jj = j + 1; jj < k; jj++) {
      const cj = a[jj];
      let s = 0;
      for (let i = j; i < n; i++) s += col[i] * cj[i];
      s *= beta;
      for (let i = j; i < n; i++) cj[i] -= s * col[i];
    }
    let s = 0;
    for (let i = j; i < n; i++) s += col[i] * qty[i];
    s *= beta;
    for (let i = j; i < n; i++) qty[i] -= s * col[i];
    rdiag[j] = norm;
    const rel = Math.abs(norm) / Math.sqrt(colNorm2);
    if (rel < minRelativePivot) {
      minRelativePivot = rel;
      minPivotColumn = j;
    }
  }
  // R[i][j] for i < j is a[j][i]; R[j][j] = rdiag[j].
  const coef = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = qty[i];
    for (let j = i + 1; j < k; j++) s -= a[j][i] * coef[j];
    coef[i] = s / rdiag[i];
  }
  const residuals = Float64Array.from(y);
  for (let j = 0; j < k; j++) {
    const c = columns[j];
    const b = coef[j];
    for (let i = 0; i < n; i++) residuals[i] -= b * c[i];
  }
  let rss = 0;
  for (let i = 0; i < n; i++) rss += residuals[i] * residuals[i];
  const dfResid = n - k;
  // Rinv (upper triangular) column by column: R · Rinv = I.
  const rinv: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const col = new Float64Array(k);
    col[j] = 1 / rdiag[j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let l = i + 1; l <= j; l++) s += a[l][i] * col[l];
      col[i] = -s / rdiag[i];
    }
    rinv.push(col);
  }
  const sigma2 = rss / dfResid;
  const stdErr = new Float64Array(k);
  const tValues = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = i; j < k; j++) s += rinv[j][i] * rinv[j][i];
    stdErr[i] = Math.sqrt(sigma2 * s);
    tValues[i] = coef[i] / stdErr[i];
  }
  return { coef, residuals, rss, dfResid, stdErr, tValues, qty: qty.slice(0, k), rdiag, minRelativePivot, minPivotColumn };
}
