import { NonFiniteInputError } from "../errors";

/**
 * Internal: O(n) single-pass rolling-window kernels shared by the rolling estimators.
 * Not exported from the package.
 *
 * Numerics. Each window keeps sums of *centered* values `d = v - c`, where the anchor `c` is the mean
 * of the window at the last exact recomputation, added and removed with Neumaier-compensated
 * summation. Every `window` steps (each time the window has fully turned over) the sums are recomputed
 * exactly by a two-pass pass over the window and the anchor is moved to the new mean. Rounding error
 * therefore never accumulates beyond one window's worth of updates on small centered values: there is
 * no drift over 10^7 points at price levels of 1e5. Cost: about 2 passes over the data, O(n) time,
 * O(1) extra memory.
 *
 * Missing data: a NaN (in either series for the bivariate kernel) is a missing point; it is not
 * dropped (windows never shift) and every window containing it yields NaN — pandas `min_periods =
 * window` semantics. ±Infinity throws NonFiniteInputError.
 *
 * Constant windows are detected exactly from the length of the current run of identical values.
 */

/** Univariate outputs. */
export const enum UniMode {
  ZScore = 0,
}

/** Bivariate outputs. */
export const enum BiMode {
  Correlation = 0,
  OlsIntercept = 1,
  OlsNoIntercept = 2,
}

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
  let c = 0;
  let s1 = 0, k1 = 0, s2 = 0, k2 = 0;
  let nan = 0;
  let run = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v - v !== 0) {
      if (v === v) throw new NonFiniteInputError(what, field, i, v);
      nan++;
    }
    run = v === prev ? run + 1 : 1;
    prev = v;
    if (i < w - 1) continue;
    if (i >= w) {
      const u = x[i - w];
      if (u !== u) nan--;
    }
    if ((i - w + 1) % w === 0) {
      // Exact two-pass recomputation over [i - w + 1, i]; re-anchor at the window mean.
      let sum = 0, m = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const u = x[j];
        if (u === u) {
          sum += u;
          m++;
        }
      }
      c = m > 0 ? sum / m : 0;
      s1 = 0; k1 = 0; s2 = 0; k2 = 0;
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
        let t = s1 + d;
        k1 += Math.abs(s1) >= Math.abs(d) ? s1 - t + d : d - t + s1;
        s1 = t;
        const dd = d * d;
        t = s2 + dd;
        k2 += Math.abs(s2) >= dd ? s2 - t + dd : dd - t + s2;
        s2 = t;
      }
      const u = x[i - w];
      if (u === u) {
        const d = c - u;
        let t = s1 + d;
        k1 += Math.abs(s1) >= Math.abs(d) ? s1 - t + d : d - t + s1;
        s1 = t;
        const dd = -(d * d);
        t = s2 + dd;
        k2 += Math.abs(s2) >= -dd ? s2 - t + dd : dd - t + s2;
        s2 = t;
      }
    }
    if (nan > 0 || run >= w) continue;
    const a = s1 + k1;
    const m2 = s2 + k2 - (a * a) / w;
    if (!(m2 > 0)) continue;
    // (v - mean) computed in centered coordinates: never rounds the mean to the ulp of the price level.
    out[i] = (v - c - a / w) / Math.sqrt(m2 / (w - 1));
  }
}

/**
 * Bivariate rolling kernel over windows ending at i. Modes:
 * - Correlation: `out1[i]` = Pearson correlation; NaN for a constant window in either series.
 * - OlsIntercept: `out1` = alpha, `out2` = beta of y = alpha + beta·x; `flags[i] = 1` when x is constant.
 * - OlsNoIntercept: `out1` = 0, `out2` = beta of y = beta·x; `flags[i] = 1` when x is all zero.
 * All outputs NaN until the window is full and for windows with a NaN. Returns the number of flagged windows.
 */
export function rollingBivariate(
  what: string,
  yField: string,
  xField: string,
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  w: number,
  mode: BiMode,
  out1: Float64Array,
  out2: Float64Array | null,
  flags: Uint8Array | null,
): number {
  const n = x.length;
  out1.fill(NaN);
  if (out2) out2.fill(NaN);
  let flagged = 0;
  let cx = 0, cy = 0;
  let sx = 0, kx = 0, sy = 0, ky = 0, sxx = 0, kxx = 0, syy = 0, kyy = 0, sxy = 0, kxy = 0;
  let nan = 0;
  let runX = 0, runY = 0;
  let prevX = NaN, prevY = NaN;
  for (let i = 0; i < n; i++) {
    const xv = x[i];
    const yv = y[i];
    if (xv - xv !== 0 || yv - yv !== 0) {
      if (xv === Infinity || xv === -Infinity) throw new NonFiniteInputError(what, xField, i, xv);
      if (yv === Infinity || yv === -Infinity) throw new NonFiniteInputError(what, yField, i, yv);
      nan++;
    }
    runX = xv === prevX ? runX + 1 : 1;
    runY = yv === prevY ? runY + 1 : 1;
    prevX = xv;
    prevY = yv;
    if (i < w - 1) continue;
    if (i >= w) {
      const xo = x[i - w], yo = y[i - w];
      if (xo !== xo || yo !== yo) nan--;
    }
    if ((i - w + 1) % w === 0) {
      // Exact two-pass recomputation over [i - w + 1, i]; re-anchor at the window means.
      let ax = 0, ay = 0, m = 0;
      for (let j = i - w + 1; j <= i; j++) {
        const a = x[j], b = y[j];
        if (a === a && b === b) {
          ax += a;
          ay += b;
          m++;
        }
      }
      cx = m > 0 ? ax / m : 0;
      cy = m > 0 ? ay / m : 0;
      sx = kx = sy = ky = sxx = kxx = syy = kyy = sxy = kxy = 0;
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
    } else {
      for (let side = 0; side < 2; side++) {
        const j = side === 0 ? i : i - w;
        const a = x[j], b = y[j];
        if (a !== a || b !== b) continue;
        const sign = side === 0 ? 1 : -1;
        const dx = a - cx, dy = b - cy;
        let d = sign * dx;
        let t = sx + d;
        kx += Math.abs(sx) >= Math.abs(d) ? sx - t + d : d - t + sx;
        sx = t;
        d = sign * dy;
        t = sy + d;
        ky += Math.abs(sy) >= Math.abs(d) ? sy - t + d : d - t + sy;
        sy = t;
        d = sign * dx * dx;
        t = sxx + d;
        kxx += Math.abs(sxx) >= Math.abs(d) ? sxx - t + d : d - t + sxx;
        sxx = t;
        d = sign * dy * dy;
        t = syy + d;
        kyy += Math.abs(syy) >= Math.abs(d) ? syy - t + d : d - t + syy;
        syy = t;
        d = sign * dx * dy;
        t = sxy + d;
        kxy += Math.abs(sxy) >= Math.abs(d) ? sxy - t + d : d - t + sxy;
        sxy = t;
      }
    }
    if (nan > 0) continue;
    const ax = sx + kx, ay = sy + ky;
    const mxx = sxx + kxx - (ax * ax) / w;
    const mxy = sxy + kxy - (ax * ay) / w;
    if (mode === BiMode.Correlation) {
      if (runX >= w || runY >= w) continue;
      const myy = syy + kyy - (ay * ay) / w;
      const den = Math.sqrt(mxx * myy);
      if (!(den > 0)) continue;
      const r = mxy / den;
      out1[i] = r > 1 ? 1 : r < -1 ? -1 : r;
    } else if (mode === BiMode.OlsIntercept) {
      if (runX >= w || !(mxx > 0)) {
        if (flags) flags[i] = 1;
        flagged++;
        continue;
      }
      const beta = mxy / mxx;
      out2![i] = beta;
      out1[i] = cy + ay / w - beta * (cx + ax / w);
    } else {
      const mx = cx + ax / w, my = cy + ay / w;
      const qxx = mxx + w * mx * mx;
      if ((runX >= w && xv === 0) || !(qxx > 0)) {
        if (flags) flags[i] = 1;
        flagged++;
        continue;
      }
      out2![i] = (mxy + w * mx * my) / qxx;
      out1[i] = 0;
    }
  }
  return flagged;
}
