import { NonFiniteInputError } from "../errors";

/**
 * Internal: O(n) single-pass rolling-window kernels shared by the rolling estimators.
 * Not exported from the package.
 *
 * Numerics. Each window keeps sums of *centered* values `d = v - c` (and their squares/products),
 * where the anchor `c` is the window mean at the last exact recomputation. Squares and cross products
 * are added and removed with compensated summation (Knuth's branch-free TwoSum: the rounding error of
 * every addition is captured exactly and accumulated in a companion term). First moments Σd are
 * compensated the same way for OLS; for the z-score and correlation they stay small (values are
 * centered) and only enter as (Σd)²/w corrections, so they use plain sums. Because the anchor is fixed between
 * recomputations, the term removed for a point is bitwise the term that was added for it, so the
 * compensated sums track the exact window sums of the rounded terms — nothing drifts. Every
 * `RECOMPUTE × window` steps the sums are recomputed exactly by a two-pass scan of the window and the
 * anchor moves to the new mean, which keeps centered values small when the level trends (no
 * cancellation in `Σd² - (Σd)²/w`). A recomputation over a window holding only missing points leaves
 * the sums at 0 and anchors at the next valid point instead (never at 0, far from a 1e5 level), found
 * by a forward scan outside the hot loop. Cost: about 1.5 passes over the data, O(n) time, O(1) extra memory.
 *
 * Missing data: a NaN (in either series for the bivariate kernel) is a missing point; it is not
 * dropped (windows never shift) and every window containing it yields NaN — pandas `min_periods =
 * window` semantics. ±Infinity throws NonFiniteInputError.
 *
 * Constant windows are detected exactly from the length of the current run of identical values.
 */

/** The sums are recomputed exactly (and re-anchored) every RECOMPUTE × window steps. */
export const RECOMPUTE = 4;

/**
 * Rolling z-score `(x[i] - mean) / std` (sample std, ddof = 1) of the window ending at i, written to `out`
 * (NaN until the window is full, for windows holding a NaN, and for constant windows). Requires w >= 2.
 */
export function rollingUnivariate(what: string, field: string, x: ArrayLike<number>, w: number, out: Float64Array): void {
  const n = x.length;
  out.fill(NaN);
  if (n < w) {
    for (let i = 0; i < n; i++) if (x[i] === Infinity || x[i] === -Infinity) throw new NonFiniteInputError(what, field, i, x[i]);
    return;
  }
  const period = RECOMPUTE * w;
  const invW = 1 / w, invDof = 1 / (w - 1);
  let c = 0;
  let s1 = 0, s2 = 0, k2 = 0;
  let nan = 0;
  let run = 0;
  let prev = NaN;
  // A recomputation over a window of only missing points anchors at the next valid point (found once, cached).
  let nextValid = -1;
  for (let i = 0; i < w - 1; i++) {
    const v = x[i];
    if (v - v !== 0) {
      if (v === v) throw new NonFiniteInputError(what, field, i, v);
      nan++;
    }
    run = v === prev ? run + 1 : 1;
    prev = v;
  }
  let countdown = 0;
  for (let i = w - 1; i < n; i++) {
    const v = x[i];
    if (v - v !== 0) {
      if (v === v) throw new NonFiniteInputError(what, field, i, v);
      nan++;
    }
    run = v === prev ? run + 1 : 1;
    prev = v;
    if (i >= w && x[i - w] !== x[i - w]) nan--;
    if (countdown === 0) {
      // Exact two-pass recomputation over [i - w + 1, i]; re-anchor at the window mean.
      countdown = period;
      let sum = 0, m = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const u = x[j];
        if (u === u) {
          sum += u;
          m++;
        }
      }
      c = m > 0 ? sum / m : 0;
      if (m === 0) {
        // No valid point in the window: anchor at the next valid one (never at 0, far from a 1e5 level). Only a
        // centring constant — results do not depend on it beyond rounding. Amortised O(n): nextValid only advances.
        if (nextValid <= i) for (nextValid = i + 1; nextValid < n && x[nextValid] !== x[nextValid]; nextValid++);
        if (nextValid < n) c = x[nextValid];
      }
      s1 = 0;
      s2 = 0;
      k2 = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const u = x[j];
        if (u === u) {
          const d = u - c;
          s1 += d;
          s2 += d * d;
        }
      }
    } else {
      if (v === v) {
        const d = v - c;
        s1 += d;
        const dd = d * d;
        const t = s2 + dd;
        const bp = t - s2;
        k2 += s2 - (t - bp) + (dd - bp);
        s2 = t;
      }
      const u = x[i - w];
      if (u === u) {
        const d = c - u;
        s1 += d;
        const dd = -(d * d);
        const t = s2 + dd;
        const bp = t - s2;
        k2 += s2 - (t - bp) + (dd - bp);
        s2 = t;
      }
    }
    countdown--;
    if (nan > 0 || run >= w) continue;
    const a = s1;
    const m2 = s2 + k2 - a * a * invW;
    if (!(m2 > 0)) continue;
    // (v - mean) computed in centered coordinates: never rounds the mean to the ulp of the price level.
    out[i] = (v - c - a * invW) / Math.sqrt(m2 * invDof);
  }
}

/**
 * Rolling Pearson correlation of y and x over windows ending at i, written to `out` (NaN until the window
 * is full, for windows with a NaN, and for a constant window in either series).
 * A separate function from the OLS kernel so that each stays monomorphic and specialized.
 */
export function rollingCorrelationKernel(
  what: string,
  yField: string,
  xField: string,
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  w: number,
  out: Float64Array,
): void {
  const n = x.length;
  out.fill(NaN);
  if (n < w) {
    for (let i = 0; i < n; i++) checkInfinite(what, yField, xField, y, x, i);
    return;
  }
  const period = RECOMPUTE * w;
  const invW = 1 / w;
  let cx = 0, cy = 0;
  let sx = 0, sy = 0, sxx = 0, kxx = 0, syy = 0, kyy = 0, sxy = 0, kxy = 0;
  let nan = 0;
  let runX = 0, runY = 0;
  let nextValid = -1; // see rollingUnivariate
  let prevX = NaN, prevY = NaN;
  for (let i = 0; i < w - 1; i++) {
    const xv = x[i], yv = y[i];
    if (xv - xv !== 0 || yv - yv !== 0) {
      checkInfinite(what, yField, xField, y, x, i);
      nan++;
    }
    runX = xv === prevX ? runX + 1 : 1;
    runY = yv === prevY ? runY + 1 : 1;
    prevX = xv;
    prevY = yv;
  }
  let countdown = 0;
  for (let i = w - 1; i < n; i++) {
    const xv = x[i], yv = y[i];
    const okNew = xv - xv === 0 && yv - yv === 0;
    if (!okNew) {
      checkInfinite(what, yField, xField, y, x, i);
      nan++;
    }
    runX = xv === prevX ? runX + 1 : 1;
    runY = yv === prevY ? runY + 1 : 1;
    prevX = xv;
    prevY = yv;
    const xo = i >= w ? x[i - w] : 0, yo = i >= w ? y[i - w] : 0;
    const okOld = xo === xo && yo === yo;
    if (!okOld) nan--;
    if (countdown === 0) {
      // Exact two-pass recomputation over [i - w + 1, i]; re-anchor at the window means.
      countdown = period;
      nextValid = anchorPair(x, y, i, w, nextValid, anchor);
      cx = anchor[0]; cy = anchor[1]; sx = anchor[2]; sy = anchor[3]; sxx = anchor[4]; syy = anchor[5]; sxy = anchor[6];
      kxx = kyy = kxy = 0;
    } else {
      // Second moments: TwoSum updates t = s + d; bp = t - s; k += (s - (t - bp)) + (d - bp); s = t.
      // First moments: plain sums (they only enter as (Σd)²/w corrections to small centered sums).
      let t: number, bp: number, d: number;
      if (okNew) {
        const dx = xv - cx, dy = yv - cy;
        sx += dx;
        sy += dy;
        d = dx * dx; t = sxx + d; bp = t - sxx; kxx += sxx - (t - bp) + (d - bp); sxx = t;
        d = dy * dy; t = syy + d; bp = t - syy; kyy += syy - (t - bp) + (d - bp); syy = t;
        d = dx * dy; t = sxy + d; bp = t - sxy; kxy += sxy - (t - bp) + (d - bp); sxy = t;
      }
      if (okOld) {
        const dx = xo - cx, dy = yo - cy;
        sx -= dx;
        sy -= dy;
        d = -(dx * dx); t = sxx + d; bp = t - sxx; kxx += sxx - (t - bp) + (d - bp); sxx = t;
        d = -(dy * dy); t = syy + d; bp = t - syy; kyy += syy - (t - bp) + (d - bp); syy = t;
        d = -(dx * dy); t = sxy + d; bp = t - sxy; kxy += sxy - (t - bp) + (d - bp); sxy = t;
      }
    }
    countdown--;
    if (nan > 0 || runX >= w || runY >= w) continue;
    const ax = sx, ay = sy;
    const mxx = sxx + kxx - ax * ax * invW;
    const mxy = sxy + kxy - ax * ay * invW;
    const myy = syy + kyy - ay * ay * invW;
    const den = Math.sqrt(mxx * myy);
    if (!(den > 0)) continue;
    const r = mxy / den;
    out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
  }
}

/**
 * Rolling OLS of y on x over windows ending at i. With `intercept`: `alpha`, `beta` of y = alpha + beta·x,
 * `flags[i] = 1` when x is constant in the window; without: alpha = 0, y = beta·x, flagged when x is all
 * zero. Outputs NaN until the window is full and for windows with a NaN. Returns the number of flagged windows.
 */
export function rollingOlsKernel(
  what: string,
  yField: string,
  xField: string,
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  w: number,
  intercept: boolean,
  alpha: Float64Array,
  beta: Float64Array,
  flags: Uint8Array,
): number {
  const n = x.length;
  alpha.fill(NaN);
  beta.fill(NaN);
  if (n < w) {
    for (let i = 0; i < n; i++) checkInfinite(what, yField, xField, y, x, i);
    return 0;
  }
  const period = RECOMPUTE * w;
  const invW = 1 / w;
  let flagged = 0;
  let cx = 0, cy = 0;
  let sx = 0, kx = 0, sy = 0, ky = 0, sxx = 0, kxx = 0, sxy = 0, kxy = 0;
  let nan = 0;
  let runX = 0;
  let prevX = NaN;
  let nextValid = -1; // see rollingUnivariate
  for (let i = 0; i < w - 1; i++) {
    const xv = x[i], yv = y[i];
    if (xv - xv !== 0 || yv - yv !== 0) {
      checkInfinite(what, yField, xField, y, x, i);
      nan++;
    }
    runX = xv === prevX ? runX + 1 : 1;
    prevX = xv;
  }
  let countdown = 0;
  for (let i = w - 1; i < n; i++) {
    const xv = x[i], yv = y[i];
    const okNew = xv - xv === 0 && yv - yv === 0;
    if (!okNew) {
      checkInfinite(what, yField, xField, y, x, i);
      nan++;
    }
    runX = xv === prevX ? runX + 1 : 1;
    prevX = xv;
    const xo = i >= w ? x[i - w] : 0, yo = i >= w ? y[i - w] : 0;
    const okOld = xo === xo && yo === yo;
    if (!okOld) nan--;
    if (countdown === 0) {
      // Exact two-pass recomputation over [i - w + 1, i]; re-anchor at the window means.
      countdown = period;
      nextValid = anchorPair(x, y, i, w, nextValid, anchor);
      cx = anchor[0]; cy = anchor[1]; sx = anchor[2]; sy = anchor[3]; sxx = anchor[4]; sxy = anchor[6];
      kx = ky = kxx = kxy = 0;
    } else {
      // TwoSum updates t = s + d; bp = t - s; k += (s - (t - bp)) + (d - bp); s = t. First moments are
      // compensated too: alpha = ȳ - beta·x̄ needs them to full precision.
      let t: number, bp: number, d: number;
      if (okNew) {
        const dx = xv - cx, dy = yv - cy;
        d = dx; t = sx + d; bp = t - sx; kx += sx - (t - bp) + (d - bp); sx = t;
        d = dy; t = sy + d; bp = t - sy; ky += sy - (t - bp) + (d - bp); sy = t;
        d = dx * dx; t = sxx + d; bp = t - sxx; kxx += sxx - (t - bp) + (d - bp); sxx = t;
        d = dx * dy; t = sxy + d; bp = t - sxy; kxy += sxy - (t - bp) + (d - bp); sxy = t;
      }
      if (okOld) {
        const dx = xo - cx, dy = yo - cy;
        d = -dx; t = sx + d; bp = t - sx; kx += sx - (t - bp) + (d - bp); sx = t;
        d = -dy; t = sy + d; bp = t - sy; ky += sy - (t - bp) + (d - bp); sy = t;
        d = -(dx * dx); t = sxx + d; bp = t - sxx; kxx += sxx - (t - bp) + (d - bp); sxx = t;
        d = -(dx * dy); t = sxy + d; bp = t - sxy; kxy += sxy - (t - bp) + (d - bp); sxy = t;
      }
    }
    countdown--;
    if (nan > 0) continue;
    const ax = sx + kx, ay = sy + ky;
    const mxx = sxx + kxx - ax * ax * invW;
    const mxy = sxy + kxy - ax * ay * invW;
    if (intercept) {
      if (runX >= w || !(mxx > 0)) {
        flags[i] = 1;
        flagged++;
        continue;
      }
      const b = mxy / mxx;
      beta[i] = b;
      alpha[i] = cy + ay * invW - b * (cx + ax * invW);
    } else {
      const mx = cx + ax * invW, my = cy + ay * invW;
      const qxx = mxx + w * mx * mx;
      if ((runX >= w && xv === 0) || !(qxx > 0)) {
        flags[i] = 1;
        flagged++;
        continue;
      }
      beta[i] = (mxy + w * mx * my) / qxx;
      alpha[i] = 0;
    }
  }
  return flagged;
}

/** Output of {@link anchorPair}: cx, cy, Σdx, Σdy, Σdx², Σdy², Σdx·dy (reused; the kernels copy it out at once). */
const anchor = new Float64Array(7);

/**
 * The exact two-pass recomputation of the pair window [i − w + 1, i] shared by the correlation and OLS kernels,
 * over the points where both series are valid: the anchor (cx, cy) is the window's means — or, with no valid
 * point, the next point where both are valid (searched from `nextValid`, which only advances; see
 * rollingUnivariate) — and the sums of the centred values. Written to `out` as cx, cy, Σdx, Σdy, Σdx², Σdy²,
 * Σdx·dy; returns the updated `nextValid`. Out of line so the kernels' hot loops keep their registers. O(w).
 */
function anchorPair(x: ArrayLike<number>, y: ArrayLike<number>, i: number, w: number, nextValid: number, out: Float64Array): number {
  const n = x.length;
  let ax = 0, ay = 0, m = 0;
  for (let j = i - w + 1; j <= i; j++) {
    const a = x[j], b = y[j];
    if (a === a && b === b) {
      ax += a;
      ay += b;
      m++;
    }
  }
  let cx = m > 0 ? ax / m : 0;
  let cy = m > 0 ? ay / m : 0;
  if (m === 0) {
    if (nextValid <= i) for (nextValid = i + 1; nextValid < n && !(x[nextValid] === x[nextValid] && y[nextValid] === y[nextValid]); nextValid++);
    if (nextValid < n) {
      cx = x[nextValid];
      cy = y[nextValid];
    }
  }
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let j = i - w + 1; j <= i; j++) {
    const a = x[j], b = y[j];
    if (a === a && b === b) {
      const dx = a - cx, dy = b - cy;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  }
  out[0] = cx; out[1] = cy; out[2] = sx; out[3] = sy; out[4] = sxx; out[5] = syy; out[6] = sxy;
  return nextValid;
}

/** Throws NonFiniteInputError when x[i] or y[i] is ±Infinity (kept out of line: no closure over x, y). */
function checkInfinite(what: string, yField: string, xField: string, y: ArrayLike<number>, x: ArrayLike<number>, i: number): void {
  if (x[i] === Infinity || x[i] === -Infinity) throw new NonFiniteInputError(what, xField, i, x[i]);
  if (y[i] === Infinity || y[i] === -Infinity) throw new NonFiniteInputError(what, yField, i, y[i]);
}
