/**
 * PROTOTYPE, not used by the library (issue 12, "≥ 100× the pandas/numpy reference"): the single-backtest kernel
 * of the default rules (hedge "ols") fused — bar checks → rolling OLS update → spread → rolling z-score → decision →
 * fills → equity and positions, in one pass over the bars in blocks of {@link BLOCK} bars (each stage a tight loop
 * over the block, through block-sized scratch arrays that stay in the L1 cache), with no n-long intermediate array.
 *
 * It is the staged path of `backtestPair` (`checkBarValues`, `hedgeSpreadKernel` → `rollingZScore` → `simulate`)
 * fused operation for operation: every β_i, s_i, z_i, fill, fee, equity value and metric is bit-identical to the
 * staged path (bench/backtest.bench.ts checks it on the benchmark day). It also skips the z-score's sqrt and division
 * on bars where the rule cannot decide (see {@link fusedOlsRun}) and the drawdown division on bars that cannot set a
 * new maximum.
 *
 * Why it is not wired into `backtestPair`: measured on the benchmark (86,400 bars), it is not faster than the staged
 * path (CPU time within ±10 %, in the same process, interleaved). The run is compute-bound, not memory-bound: the
 * compensated (TwoSum) rolling OLS update, the rolling z-score update and the decision loop each cost 9–19 ns per
 * bar in V8 whether they run as three passes or one; fusing only saves the intermediate arrays. The numbers and the
 * options left (a WebAssembly/SIMD kernel; uncompensated centred sums, measured 15–18 % faster end to end at a
 * 100× larger rounding bound) are in docs/backtest.md. Kept here so the measurement can be rerun.
 */
import { NonFiniteInputError } from "../src/errors";
import { RECOMPUTE } from "../src/analytics/rolling-kernel";
import * as rule from "../src/analytics/spread-decision";
import { checkBarValues, type BarFunding, type PreparedBars, type ResolvedOptions } from "../src/backtest/prepare";
import { runMetrics, tradeRecord, type SimulationOutputs } from "../src/backtest/simulate";
import type { BacktestMetrics, Trade } from "../src/backtest/types";

// Module-level copies: imported bindings compile to property reads on every access (see simulate.ts).
const FLAT = rule.FLAT, LONG = rule.LONG, SHORT = rule.SHORT;
const NONE = rule.NONE, ENTER_LONG = rule.ENTER_LONG, ENTER_SHORT = rule.ENTER_SHORT, STOP = rule.STOP;
const spreadDecision = rule.spreadDecision;

/**
 * Relative margin of the "no decision possible" band test. The exact z = num / √v carries a relative rounding
 * error below 3·2⁻⁵³ (one square root, one division), and num², L²·(1 ± MARGIN)·v below 3·2⁻⁵³ more: a margin of
 * 1e-9 is ten million times that, so a bar the band test skips can never be one where the exact z decides.
 */
const MARGIN = 1e-9;
/** The band test runs only for levels and variances in [TINY, HUGE] (no underflow or overflow in L²·v); else exact. */
const TINY = 1e-100, HUGE = 1e100;
/** Bars per block: 4 scratch arrays of BLOCK doubles (32 KB) stay in the L1 cache. */
export const BLOCK = 1024;

/** L²·(1 + sign·MARGIN) for the band test, or NaN (every comparison false → the exact z is computed) out of range. */
function bandLevel(level: number, sign: number): number {
  if (level === 0) return 0;
  if (level === Infinity) return Infinity;
  return level >= TINY && level <= HUGE ? level * level * (1 + sign * MARGIN) : NaN;
}

/** The band levels [entry inner, exit outer, stop inner] ({@link bandLevel}). O(1). */
function bandLevels(entry: number, exit: number, stop: number): Float64Array {
  return Float64Array.of(bandLevel(entry, -1), bandLevel(exit, 1), bandLevel(stop, -1));
}

/**
 * The equity below which a bar may raise the maximum drawdown: t = peak·(1 − maxDrawdown) moved away from the
 * boundary by a relative MARGIN (t + |t|·MARGIN; t < 0 once equity fell below 0). For e >= the floor,
 * 1 − e/peak <= maxDrawdown even after rounding (peak > 0), so the division is skipped. O(1).
 */
function drawdownFloor(peak: number, maxDrawdown: number): number {
  const t = peak * (1 - maxDrawdown);
  return t + Math.abs(t) * MARGIN;
}

/**
 * Runs the default rules with hedge "ols" over all bars of `b`, writing `out.equity`, `out.positionY`,
 * `out.positionX` (length n; every slot is written) and `out.trades`, and returns the metrics — bit-identical to
 * `runWithSeries(b, f, hedgeSpread(b).beta, spreadZ(…), p, 0, n)`.
 *
 * Per block of bars: {@link firstBadBar} (the checks of `checkBarValues`; the first bad bar throws its error
 * before any of its values is used), {@link olsBlock} (the compensated rolling OLS update of `hedgeSpreadKernel`
 * and the spread), {@link zBlock} (the compensated rolling z-score update of `rollingZScore` over a ring buffer of
 * the last zWindow spreads, same re-anchoring schedule: the z numerator num = s_i − mean and variance v), then the
 * bar loop of `simulate`. z = num / √v is computed only when the rule could decide at this bar: for the band
 * (lo, hi) of z values where `spreadDecision` decides nothing in the current state — flat (−entry, entry), long
 * (−stop, −exit), short (exit, stop) — a bar whose num² is inside the band by a relative margin of 1e-9 is skipped;
 * every other bar computes the exact z and calls `spreadDecision` (the live alerts' rule).
 *
 * Requires n ≥ hedgeWindow + zWindow and `p.hedge === "ols"`; the bars need only `shapeBars` (the values are checked
 * here). O(n) time; O(zWindow + BLOCK) extra memory, no per-bar allocation.
 * @throws what `checkBarValues` throws for a bad bar; NonFiniteInputError when a spread overflows to ±Infinity (as
 *   `rollingZScore` would).
 */
export function fusedOlsRun(what: string, b: PreparedBars, timeX: Float64Array, f: BarFunding, p: ResolvedOptions, out: SimulationOutputs): BacktestMetrics {
  const time = b.time, openY = b.openY, openX = b.openX, y = b.closeY, x = b.closeX;
  const n = time.length;
  const equity = out.equity, positionY = out.positionY, positionX = out.positionX, trades = out.trades;
  const rateY = f.rateY, rateX = f.rateX;
  const funded = f.any;
  const w = p.hedgeWindow, wz = p.zWindow;
  const entry = p.entry, exit = p.exit, stop = p.stop, notional = p.notional, capital = p.capital, feeRate = p.feeRate;
  const buy = 1 + p.slipRate, sell = 1 - p.slipRate;
  const q = b.fills;
  const barSeconds = b.barSeconds;
  const ols = olsState(), zs = zState(wz);
  const betaB = new Float64Array(BLOCK), spreadB = new Float64Array(BLOCK), numB = new Float64Array(BLOCK), varB = new Float64Array(BLOCK);

  // Band constants of the "no decision possible" test (see the JSDoc).
  const levels = bandLevels(entry, exit, stop);
  const entryIn = levels[0]; // flat: |z| < entry
  const exitOut = levels[1]; // long: z < −exit; short: z > exit
  const stopIn = levels[2]; // long: z > −stop; short: z < stop

  // ---- the state of simulate ----
  let state = FLAT; // decided position
  let pending = NONE; // decision waiting for the next open
  let pendingBeta = 0, pendingSignal = 0;
  let holding = false;
  let uY = 0, uX = 0; // units held
  let eY = 0, eX = 0; // entry fill prices
  let realised = 0, fees = 0, funding = 0;
  let tSide = 0, tSignal = 0, tEntryIndex = 0, tBeta = 0, tFees = 0, tFunding = 0, tExitSignal = 0, tExitReason = NONE;
  let closed = 0, wins = 0, heldBars = 0;
  let prevE = 0, count = 0, s1 = 0, s2 = 0, peak = -Infinity, maxDrawdown = 0;
  let ddFloor = -Infinity; // a bar with e >= ddFloor cannot raise maxDrawdown (see drawdownFloor)
  let lastE = capital;

  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    if (firstBadBar(b, timeX, from, to) >= 0) checkBarValues(what, b, timeX); // throws for the first bad bar
    olsBlock(ols, x, y, w, from, to, betaB, spreadB);
    zBlock(zs, wz, spreadB, from, to, numB, varB);
    for (let i = from; i < to; i++) {
      let k = i - from;
      if (state === FLAT && !holding && pending === NONE && i > 0) {
        // Flat with nothing to fill (as simulate's fast path): until the band test lets a bar through, the equity stays
        // at the previous close's value (the same expression, so bit-identical), r = 0, peak and drawdown unchanged.
        let j = k;
        const m = to - from;
        while (j < m) {
          const v = varB[j];
          if (v === v) {
            const num = numB[j];
            if (!(v >= TINY && v <= HUGE && num * num < entryIn * v)) break;
          }
          j++;
        }
        if (j > k) {
          equity.fill(prevE, i, from + j);
          positionY.fill(0, i, from + j);
          positionX.fill(0, i, from + j);
          count += j - k;
          i = from + j - 1;
          continue;
        }
      }
      const oy = openY[i], ox = openX[i], yv = y[i], xv = x[i];
      if (holding && funded) {
        const cf = uY * oy * rateY[i] + uX * ox * rateX[i];
        funding += cf;
        tFunding += cf;
      }
      if (pending !== NONE) {
        if (pending === ENTER_LONG || pending === ENTER_SHORT) {
          const side = pending === ENTER_LONG ? 1 : -1;
          const qy = notional / oy;
          uY = side * qy;
          uX = -side * pendingBeta * qy;
          if (q === undefined) {
            eY = oy * (uY > 0 ? buy : sell);
            eX = ox * (uX > 0 ? buy : sell);
          } else {
            eY = uY > 0 ? q.buyY[i] : q.sellY[i];
            eX = uX > 0 ? q.buyX[i] : q.sellX[i];
          }
          const fee = feeRate * (Math.abs(uY) * eY + Math.abs(uX) * eX);
          fees += fee;
          holding = true;
          tSide = side;
          tSignal = pendingSignal;
          tEntryIndex = i;
          tBeta = pendingBeta;
          tFees = fee;
          tFunding = 0;
        } else {
          const xY = q === undefined ? oy * (uY > 0 ? sell : buy) : uY > 0 ? q.sellY[i] : q.buyY[i];
          const xX = q === undefined ? ox * (uX > 0 ? sell : buy) : uX > 0 ? q.sellX[i] : q.buyX[i];
          const gross = uY * (xY - eY) + uX * (xX - eX);
          const fee = feeRate * (Math.abs(uY) * xY + Math.abs(uX) * xX);
          realised += gross;
          fees += fee;
          tFees += fee;
          const net = gross - tFees - tFunding;
          closed++;
          if (net > 0) wins++;
          trades.push(tradeRecord(tSide, tSignal, time[tEntryIndex], tExitSignal, time[i], eY, eX, xY, xX, tBeta, uY, uX, tExitReason === STOP ? "stop" : "exit", gross, tFees, tFunding, i - tEntryIndex));
          holding = false;
          uY = 0;
          uX = 0;
        }
        pending = NONE;
      }
      let e: number;
      if (holding) {
        e = capital + realised + uY * (yv - eY) + uX * (xv - eX) - fees - funding;
        heldBars++;
      } else e = capital + realised - fees - funding;
      equity[i] = e;
      positionY[i] = uY;
      positionX[i] = uX;
      if (i > 0) {
        count++;
        if (e !== prevE) {
          const r = e / prevE - 1;
          s1 += r;
          s2 += r * r;
          if (e > peak) {
            peak = e;
            ddFloor = drawdownFloor(peak, maxDrawdown);
          } else if (e < ddFloor) {
            const dd = 1 - e / peak;
            if (dd > maxDrawdown) {
              maxDrawdown = dd;
              ddFloor = drawdownFloor(peak, maxDrawdown);
            }
          }
        }
      } else {
        peak = e;
        ddFloor = drawdownFloor(peak, maxDrawdown);
      }
      prevE = e;
      lastE = e;

      // ---- decision at the close (only on a finite z) ----
      const v = varB[k];
      if (v === v) {
        const num = numB[k];
        if (v >= TINY && v <= HUGE) {
          // Skip the bar when num/√v is surely inside the current state's no-decision band.
          const q2 = num * num;
          if (state === FLAT) {
            if (q2 < entryIn * v) continue;
          } else if (state === LONG) {
            if (num < 0 && q2 > exitOut * v && q2 < stopIn * v) continue;
          } else if (num > 0 && q2 > exitOut * v && q2 < stopIn * v) continue;
        }
        const zi = num / Math.sqrt(v);
        const d = spreadDecision(state, zi, entry, exit, stop);
        if (d !== NONE) {
          state = d === ENTER_LONG ? LONG : d === ENTER_SHORT ? SHORT : FLAT;
          if (i < n - 1) {
            pending = d;
            if (d === ENTER_LONG || d === ENTER_SHORT) {
              pendingBeta = betaB[k];
              pendingSignal = time[i];
            } else {
              tExitSignal = time[i];
              tExitReason = d;
            }
          }
        }
      }
    }
  }
  // After the loop only calls (no property or element access): code after a long loop that V8 compiled on-stack has
  // no type feedback on the first calls, and a property read there deoptimised every run (see simulate's runMetrics).
  if (holding) openTrade(trades, tSide, tSignal, tEntryIndex, eY, eX, tBeta, uY, uX, tFees, tFunding, b);
  return runMetrics(lastE, capital, count, s1, s2, barSeconds, maxDrawdown, closed, wins, fees, funding, heldBars, n);
}

/** Appends the trade still open after the last bar, marked at the last closes. O(1). */
function openTrade(trades: Trade[], side: number, signal: number, entryIndex: number, eY: number, eX: number, beta: number, uY: number, uX: number, fees: number, funding: number, b: PreparedBars): void {
  const n = b.time.length;
  const cY = b.closeY[n - 1], cX = b.closeX[n - 1];
  const gross = uY * (cY - eY) + uX * (cX - eX);
  trades.push(tradeRecord(side, signal, b.time[entryIndex], NaN, NaN, eY, eX, cY, cX, beta, uY, uX, "open", gross, fees, funding, n - entryIndex));
}

/** Index of the first bar in [from, to) that `checkBarValues` refuses, or −1. O(to − from). */
function firstBadBar(b: PreparedBars, timeX: Float64Array, from: number, to: number): number {
  const time = b.time, openY = b.openY, closeY = b.closeY, openX = b.openX, closeX = b.closeX;
  const sameTime = timeX === time;
  let prev = from > 0 ? time[from - 1] : -Infinity;
  for (let i = from; i < to; i++) {
    const t = time[i], a = openY[i], c = closeY[i], d = openX[i], e = closeX[i];
    if (!(t > prev) || t - t !== 0 || !(sameTime || timeX[i] === t) || !(a > 0) || !(c > 0) || !(d > 0) || !(e > 0) || a + c + d + e === Infinity) return i;
    prev = t;
  }
  return -1;
}

// ---- rolling OLS (hedgeSpreadKernel, resumable) --------------------------------------------------------------------
// State slots: anchors, compensated sums, the run of equal x values, the last x, the recomputation countdown.
const CX = 0, CY = 1, SX = 2, KX = 3, SY = 4, KY = 5, SXX = 6, KXX = 7, SXY = 8, KXY = 9, RUNX = 10, PREVX = 11, COUNTDOWN = 12;

function olsState(): Float64Array {
  const s = new Float64Array(13);
  s[PREVX] = NaN;
  return s;
}

/**
 * β_i and s_i for i in [from, to) into beta[i − from], spread[i − from] (NaN before the first full window and for
 * windows where x is constant): `hedgeSpreadKernel`'s arithmetic, resumed from and saved to `st`. O(to − from).
 */
function olsBlock(st: Float64Array, x: Float64Array, y: Float64Array, w: number, from: number, to: number, beta: Float64Array, spread: Float64Array): void {
  const period = RECOMPUTE * w;
  const invW = 1 / w;
  let cx = st[CX], cy = st[CY];
  let sx = st[SX], kx = st[KX], sy = st[SY], ky = st[KY], sxx = st[SXX], kxx = st[KXX], sxy = st[SXY], kxy = st[KXY];
  let runX = st[RUNX], prevX = st[PREVX], countdown = st[COUNTDOWN];
  for (let i = from; i < to; i++) {
    const xv = x[i], yv = y[i];
    runX = xv === prevX ? runX + 1 : 1;
    prevX = xv;
    const k = i - from;
    if (i < w - 1) {
      beta[k] = NaN;
      spread[k] = NaN;
      continue;
    }
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
      beta[k] = NaN;
      spread[k] = NaN;
      continue;
    }
    const mxy = sxy + kxy - ax * ay * invW;
    const bt = mxy / mxx;
    const a = cy + ay * invW - bt * (cx + ax * invW);
    beta[k] = bt;
    spread[k] = yv - a - bt * xv;
  }
  st[CX] = cx; st[CY] = cy;
  st[SX] = sx; st[KX] = kx; st[SY] = sy; st[KY] = ky; st[SXX] = sxx; st[KXX] = kxx; st[SXY] = sxy; st[KXY] = kxy;
  st[RUNX] = runX; st[PREVX] = prevX; st[COUNTDOWN] = countdown;
}

// ---- rolling z-score of the spread (rollingUnivariate, resumable, window in a ring) ------------------------------
// State slots: anchor, sum, compensated sum of squares, NaNs in the window, run of equal spreads, last spread,
// recomputation countdown, ring position, anchor pending (1: a recomputation saw no finite spread: anchor at the
// next finite one — rollingUnivariate's forward scan, done when that spread arrives).
const C = 0, S1 = 1, S2 = 2, K2 = 3, NANS = 4, RUNS = 5, PREVS = 6, COUNTDOWNZ = 7, POS = 8, PENDING = 9, RING = 10;

function zState(wz: number): Float64Array {
  const s = new Float64Array(RING + wz);
  s[PREVS] = NaN;
  s[POS] = RING;
  return s;
}

/**
 * For the spreads s_i of [from, to) (spread[i − from]): num[i − from] = s_i − mean and v[i − from] = sample variance
 * of the last `wz` spreads (NaN where `rollingZScore` gives NaN), so z_i = num / √v bit for bit as `rollingZScore`.
 * O(to − from) plus the periodic recomputations.
 * @throws NonFiniteInputError for a ±Infinity spread (as `rollingZScore`).
 */
function zBlock(st: Float64Array, wz: number, spread: Float64Array, from: number, to: number, num: Float64Array, v: Float64Array): void {
  const period = RECOMPUTE * wz;
  const invW = 1 / wz, invDof = 1 / (wz - 1);
  const end = RING + wz;
  let c = st[C], s1 = st[S1], s2 = st[S2], k2 = st[K2];
  let nan = st[NANS], run = st[RUNS], prev = st[PREVS], countdown = st[COUNTDOWNZ], pos = st[POS], pending = st[PENDING];
  for (let i = from; i < to; i++) {
    const k = i - from;
    const sv = spread[k];
    num[k] = NaN;
    v[k] = NaN;
    if (sv !== sv) nan++;
    else if (sv - sv !== 0) throw new NonFiniteInputError("rolling z-score", "x", i, sv);
    run = sv === prev ? run + 1 : 1;
    prev = sv;
    const u = st[pos]; // s_{i−wz} once the ring is full (i >= wz)
    st[pos] = sv;
    if (++pos === end) pos = RING;
    if (i < wz - 1) continue;
    const full = i >= wz;
    if (full && u !== u) nan--;
    if (countdown === 0) {
      countdown = period;
      // The window in time order: ring[pos…end), then ring[RING…pos).
      let sum = 0, m = 0;
      for (let j = pos; j < end; j++) {
        const r = st[j];
        if (r === r) {
          sum += r;
          m++;
        }
      }
      for (let j = RING; j < pos; j++) {
        const r = st[j];
        if (r === r) {
          sum += r;
          m++;
        }
      }
      c = m > 0 ? sum / m : 0;
      pending = m === 0 ? 1 : 0;
      s1 = 0;
      s2 = 0;
      k2 = 0;
      for (let j = pos; j < end; j++) {
        const r = st[j];
        if (r === r) {
          const d = r - c;
          s1 += d;
          s2 += d * d;
        }
      }
      for (let j = RING; j < pos; j++) {
        const r = st[j];
        if (r === r) {
          const d = r - c;
          s1 += d;
          s2 += d * d;
        }
      }
    } else {
      if (sv === sv) {
        if (pending === 1) {
          c = sv;
          pending = 0;
        }
        const d = sv - c;
        s1 += d;
        const dd = d * d;
        const t = s2 + dd;
        const bp = t - s2;
        k2 += s2 - (t - bp) + (dd - bp);
        s2 = t;
      }
      if (full && u === u) {
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
    if (nan > 0 || run >= wz) continue;
    const m2 = s2 + k2 - s1 * s1 * invW;
    if (!(m2 > 0)) continue;
    num[k] = sv - c - s1 * invW;
    v[k] = m2 * invDof;
  }
  st[C] = c; st[S1] = s1; st[S2] = s2; st[K2] = k2;
  st[NANS] = nan; st[RUNS] = run; st[PREVS] = prev; st[COUNTDOWNZ] = countdown; st[POS] = pos; st[PENDING] = pending;
}
