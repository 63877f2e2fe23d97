/**
 * Cross-product (Gram) matrix of a set of equal-length columns, G[i][j] = Σ_t cᵢ[t]·cⱼ[t], row-major p×p.
 * Internal. Register-blocked: two rows × four columns per pass over the data (six loads feed eight products in
 * eight independent sums), ~1.4× faster than four plain dot products at a time in V8. O(T·p²/2).
 */
export function gram(columns: readonly Float64Array[], length: number): Float64Array {
  const p = columns.length;
  const g = new Float64Array(p * p);
  let i = 0;
  for (; i + 1 < p; i += 2) {
    const a0 = columns[i], a1 = columns[i + 1];
    // the 2x2 diagonal block
    {
      let s00 = 0, s01 = 0, s11 = 0;
      for (let t = 0; t < length; t++) { const u = a0[t], v = a1[t]; s00 += u * u; s01 += u * v; s11 += v * v; }
      g[i * p + i] = s00; g[i * p + i + 1] = s01; g[(i + 1) * p + i + 1] = s11;
    }
    let j = i + 2;
    for (; j + 3 < p; j += 4) {
      const b0 = columns[j], b1 = columns[j + 1], b2 = columns[j + 2], b3 = columns[j + 3];
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let t = 0; t < length; t++) {
        const u = a0[t], v = a1[t], w0 = b0[t], w1 = b1[t], w2 = b2[t], w3 = b3[t];
        s00 += u * w0; s01 += u * w1; s02 += u * w2; s03 += u * w3;
        s10 += v * w0; s11 += v * w1; s12 += v * w2; s13 += v * w3;
      }
      const r0 = i * p + j, r1 = (i + 1) * p + j;
      g[r0] = s00; g[r0 + 1] = s01; g[r0 + 2] = s02; g[r0 + 3] = s03;
      g[r1] = s10; g[r1 + 1] = s11; g[r1 + 2] = s12; g[r1 + 3] = s13;
    }
    for (; j < p; j++) {
      const b = columns[j];
      let s0 = 0, s1 = 0;
      for (let t = 0; t < length; t++) { const w = b[t]; s0 += a0[t] * w; s1 += a1[t] * w; }
      g[i * p + j] = s0; g[(i + 1) * p + j] = s1;
    }
  }
  if (i < p) {
    const a = columns[i];
    let s = 0;
    for (let t = 0; t < length; t++) s += a[t] * a[t];
    g[i * p + i] = s;
  }
  for (let r = 0; r < p; r++) for (let c = r + 1; c < p; c++) g[c * p + r] = g[r * p + c];
  return g;
}
