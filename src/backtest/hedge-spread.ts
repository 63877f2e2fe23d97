/**
 * Internal: the backtest's hedge ratio and spread in one pass — the rolling OLS of close_y on close_x with
 * intercept (the arithmetic of `rollingOlsKernel`, operation for operation, so β and the spread are
 * bit-identical to `rollingOls` + `spread`) specialised for what `prepareBars` guarantees: Float64Array inputs,
 * every value finite. Without the missing-data bookkeeping, the intercept and degenerate-flag arrays, and the
 * separate spread pass, it writes two arrays instead of four and reads the prices once.
 */
import { RECOMPUTE } from "../analytics/rolling-kernel";

/**
 * β_i and s_i = Y_i − α_i − β_i·X_i of the OLS of `y` on `x` over bars i−w+1…i, written into `beta` and
 * `spread` (NaN for i < w−1 and for windows where x is constant). Inputs must be finite (not checked here).
 * Compensated (TwoSum) sums of centred values, re-anchored by an exact two-pass recomputation every
 * RECOMPUTE × w bars, exactly as `rollingOlsKernel`. O(n) time, no allocation.
 */
export function hedgeSpreadKernel(y: Float64Array, x: Float64Array, w: number, beta: Float64Array, spread: Float64Array): void {
  const n = x.length;
  const warm = Math.min(n, w - 1);
  beta.fill(NaN, 0, warm);
  spread.fill(NaN, 0, warm);
  if (n < w) return;
  const period = RECOMPUTE * w;
  const invW = 1 / w;
  let cx = 0, cy = 0;
  let sx = 0, kx = 0, sy = 0, ky = 0, sxx = 0, kxx = 0, sxy = 0, kxy = 0;
  let runX = 0;
  let prevX = NaN;
  for (let i = 0; i < w - 1; i++) {
    const xv = x[i];
    runX = xv === prevX ? runX + 1 : 1;
    prevX = xv;
  }
  let countdown = 0;
  for (let i = w - 1; i < n; i++) {
    const xv = x[i], yv = y[i];
    runX = xv === prevX ? runX + 1 : 1;
    prevX = xv;
    if (countdown === 0) {
      countdown = period;
      let ax = 0, ay = 0;
      for (let j = i - w + 1; j <= i; j++) {
        ax += x[j];
        ay += y[j];
      }
      cx = ax / w;
      cy = ay / w;
      sx = kx = sy = ky = sxx = kxx = sxy = kxy = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const dx = x[j] - cx, dy = y[j] - cy;
        sx += dx;
        sy += dy;
        sxx += dx * dx;
        sxy += dx * dy;
      }
    } else {
      let t: number, bp: number, d: number;
      let dx = xv - cx, dy = yv - cy;
      d = dx; t = sx + d; bp = t - sx; kx += sx - (t - bp) + (d - bp); sx = t;
      d = dy; t = sy + d; bp = t - sy; ky += sy - (t - bp) + (d - bp); sy = t;
      d = dx * dx; t = sxx + d; bp = t - sxx; kxx += sxx - (t - bp) + (d - bp); sxx = t;
      d = dx * dy; t = sxy + d; bp = t - sxy; kxy += sxy - (t - bp) + (d - bp); sxy = t;
      dx = x[i - w] - cx;
      dy = y[i - w] - cy;
      d = -dx; t = sx + d; bp = t - sx; kx += sx - (t - bp) + (d - bp); sx = t;
      d = -dy; t = sy + d; bp = t - sy; ky += sy - (t - bp) + (d - bp); sy = t;
      d = -(dx * dx); t = sxx + d; bp = t - sxx; kxx += sxx - (t - bp) + (d - bp); sxx = t;
      d = -(dx * dy); t = sxy + d; bp = t - sxy; kxy += sxy - (t - bp) + (d - bp); sxy = t;
    }
    countdown--;
    const ax = sx + kx, ay = sy + ky;
    const mxx = sxx + kxx - ax * ax * invW;
    if (runX >= w || !(mxx > 0)) {
      beta[i] = NaN;
      spread[i] = NaN;
      continue;
    }
    const mxy = sxy + kxy - ax * ay * invW;
    const b = mxy / mxx;
    const a = cy + ay * invW - b * (cx + ax * invW);
    beta[i] = b;
    spread[i] = yv - a - b * xv;
  }
}
