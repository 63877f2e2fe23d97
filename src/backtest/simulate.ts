/**
 * Internal: the decision, fill and accounting loop of the backtest — one pass over the bars, shared by
 * `backtestPair`, `sweepBacktest` (without series) and `walkForward` (from a start bar), so every entry
 * point computes bit-identical numbers for the same parameters.
 */
import { rollingZScore } from "../analytics/rolling-zscore";
import { hedgeSpreadKernel } from "./hedge-spread";
import { wasmHedgeSignal, wasmHedgeSpread, wasmZScore } from "./wasm-stages";
import { kalmanSignal } from "./kalman-signal";
import * as rule from "../analytics/spread-decision";
import type { BarFunding, PreparedBars, ResolvedOptions } from "./prepare";
import type { BacktestMetrics, BacktestRun, Trade } from "./types";

// The decision codes as module-level constants: imported bindings (the rule function too) compile to property reads
// (getters under CommonJS) on every access, which the hot loop below must not pay.
const FLAT = rule.FLAT, LONG = rule.LONG, SHORT = rule.SHORT;
const NONE = rule.NONE, ENTER_LONG = rule.ENTER_LONG, ENTER_SHORT = rule.ENTER_SHORT, STOP = rule.STOP;
const spreadDecision = rule.spreadDecision;

/**
 * 1 + 2⁻⁴⁰. With ddFloor = peak·(1 − maxDrawdown)·DD_MARGIN (three roundings, each ≤ 2⁻⁵³ relative), e ≥ ddFloor
 * implies fl(e/peak) ≥ 1 − maxDrawdown, so fl(1 − fl(e/peak)) ≤ maxDrawdown: the drawdown of such a bar cannot set a
 * new maximum and its division can be skipped without changing any result (peak ≥ capital > 0).
 */
const DD_MARGIN = 1 + 2 ** -40;

/**
 * Hedge ratio and spread of close_y on close_x over `hedgeWindow` bars (rolling OLS with intercept), in one pass
 * on the validated bars; bit-identical to `rollingOls` + `spread` (see `hedgeSpreadKernel`). Runs the WebAssembly
 * kernel (`wasmHedgeSpread`, the same arithmetic) where available, else the JS one. O(n).
 */
export function hedgeSpread(b: PreparedBars, hedgeWindow: number): { beta: Float64Array; spread: Float64Array } {
  const fast = wasmHedgeSpread(b.closeY, b.closeX, hedgeWindow);
  if (fast !== null) return fast;
  const n = b.time.length;
  const beta = new Float64Array(n), spread = new Float64Array(n);
  hedgeSpreadKernel(b.closeY, b.closeX, hedgeWindow, beta, spread);
  return { beta, spread };
}

/**
 * z-score of the spread over `zWindow` bars (sample std; NaN while any spread in the window is NaN, or std 0):
 * `rollingZScore`, through its bit-identical WebAssembly kernel (`wasmZScore`) where available. O(n).
 */
export function spreadZ(s: Float64Array, zWindow: number): Float64Array {
  return wasmZScore(s, zWindow) ?? rollingZScore(s, zWindow);
}

/**
 * β_i and z_i of a run: with hedge "ols", the rolling OLS over `hedgeWindow` and the rolling z over `zWindow`
 * ({@link hedgeSpread}, {@link spreadZ}); with hedge "kalman", `kalmanSignal` (β after the update at bar i,
 * z = e/√Q, NaN during `kalman.warmup`; the windows unused). O(n).
 */
export function hedgeSignal(b: PreparedBars, p: ResolvedOptions, hedgeWindow: number, zWindow: number): { beta: Float64Array; z: Float64Array } {
  if (p.hedge === "kalman") {
    const k = kalmanSignal(b.closeY, b.closeX, p.kalman);
    return { beta: k.beta, z: k.z };
  }
  // Both WebAssembly stages in one go (the spread never leaves the module's memory), else the JS kernels.
  const fast = wasmHedgeSignal(b.closeY, b.closeX, hedgeWindow, zWindow);
  if (fast !== null) return fast;
  const h = hedgeSpread(b, hedgeWindow);
  return { beta: h.beta, z: spreadZ(h.spread, zWindow) };
}

/** Bars a run needs: the first finite z plus one bar to fill — hedgeWindow + zWindow (OLS), kalman.warmup + 2 (Kalman). O(1). */
export function barsNeeded(p: ResolvedOptions, hedgeWindow: number, zWindow: number): number {
  return p.hedge === "kalman" ? p.kalman.warmup + 2 : hedgeWindow + zWindow;
}

/** Optional outputs of {@link simulate}: per-bar series (length end − start) and the trade list. */
export interface SimulationOutputs {
  equity: Float64Array;
  positionY: Float64Array;
  positionX: Float64Array;
  trades: Trade[];
}

/**
 * Runs the rules over bars [start, end): starts flat with `capital`, decides at each close where z is finite,
 * fills at the next open, charges fees and funding, marks at closes. Returns the metrics; fills `out` when
 * given. O(end − start), allocation-free without `out`.
 */
export function simulate(
  b: PreparedBars,
  f: BarFunding,
  beta: Float64Array,
  z: Float64Array,
  p: ResolvedOptions,
  start: number,
  end: number,
  out: SimulationOutputs | null,
): BacktestMetrics {
  const { time, openY, openX, closeY, closeX } = b;
  const { rateY, rateX } = f;
  const funded = f.any;
  const { entry, exit, stop, notional, capital, feeRate, slipRate } = p;
  const buy = 1 + slipRate, sell = 1 - slipRate;
  const q = b.fills; // fills: "quotes": ask for a buy, bid for a sell (only read when filling)
  let state = FLAT; // decided position
  let pending = NONE; // decision waiting for the next open
  let pendingBeta = 0, pendingSignal = 0;
  let holding = false;
  let uY = 0, uX = 0; // units held
  let eY = 0, eX = 0; // entry fill prices
  let realised = 0, fees = 0, funding = 0;
  // The trade being held.
  let tSide = 0, tSignal = 0, tEntryIndex = 0, tBeta = 0, tFees = 0, tFunding = 0, tExitSignal = 0, tExitReason = NONE;
  let closed = 0, wins = 0, heldBars = 0;
  let prevE = 0, count = 0, s1 = 0, s2 = 0, peak = -Infinity, maxDrawdown = 0;
  let lastE = capital;
  for (let i = start; i < end; i++) {
    if (state === FLAT && !holding && pending === NONE && i > start) {
      // Fast path: flat with nothing to fill. Until z reaches ±entry nothing can happen: the equity stays at the
      // previous close's value (the same expression, so bit-identical), r = 0, the peak and drawdown do not move.
      let j = i;
      while (j < end) {
        const zj = z[j];
        if (Math.abs(zj) >= entry) break; // zj <= −entry or zj >= entry (entry > 0; false for NaN)
        j++;
      }
      if (j > i) {
        count += j - i;
        if (out !== null) out.equity.fill(prevE, i - start, j - start); // positions stay 0
        i = j - 1;
        continue;
      }
    }
    if (holding && pending === NONE) {
      // Fast path: holding with nothing to fill, until the exit decision — the per-bar steps below in a tight loop
      // (the same expressions in the same order, so bit-identical): funding, equity (capital + realised is its first
      // intermediate), outputs, returns, drawdown, decision. Holding implies i > start (a fill happened). The drawdown
      // division is skipped while e >= ddFloor, where 1 − e/peak cannot exceed maxDrawdown (see DD_MARGIN).
      const base = capital + realised;
      let ddFloor = peak * (1 - maxDrawdown) * DD_MARGIN;
      let j = i;
      for (; j < end; j++) {
        if (funded) {
          const c = uY * openY[j] * rateY[j] + uX * openX[j] * rateX[j];
          funding += c;
          tFunding += c;
        }
        const e = base + uY * (closeY[j] - eY) + uX * (closeX[j] - eX) - fees - funding;
        heldBars++;
        if (out !== null) {
          out.equity[j - start] = e;
          out.positionY[j - start] = uY;
          out.positionX[j - start] = uX;
        }
        count++;
        if (e !== prevE) {
          const r = e / prevE - 1;
          s1 += r;
          s2 += r * r;
          if (e > peak) {
            peak = e;
            ddFloor = peak * (1 - maxDrawdown) * DD_MARGIN;
          } else if (!(e >= ddFloor)) {
            const dd = 1 - e / peak;
            if (dd > maxDrawdown) {
              maxDrawdown = dd;
              ddFloor = peak * (1 - maxDrawdown) * DD_MARGIN;
            }
          }
        }
        prevE = e;
        const zj = z[j];
        if (zj === zj) {
          const d = spreadDecision(state, zj, entry, exit, stop);
          if (d !== NONE) {
            state = FLAT; // holding a side, the decision is an exit or a stop
            if (j < end - 1) {
              pending = d;
              tExitSignal = time[j];
              tExitReason = d;
            }
            break;
          }
        }
      }
      lastE = prevE;
      i = j;
      continue;
    }
    if (holding && funded) {
      const c = uY * openY[i] * rateY[i] + uX * openX[i] * rateX[i];
      funding += c;
      tFunding += c;
    }
    if (pending !== NONE) {
      if (pending === ENTER_LONG || pending === ENTER_SHORT) {
        const side = pending === ENTER_LONG ? 1 : -1;
        const qy = notional / openY[i];
        uY = side * qy;
        uX = -side * pendingBeta * qy;
        if (q === undefined) {
          eY = openY[i] * (uY > 0 ? buy : sell);
          eX = openX[i] * (uX > 0 ? buy : sell);
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
        const xY = q === undefined ? openY[i] * (uY > 0 ? sell : buy) : uY > 0 ? q.sellY[i] : q.buyY[i];
        const xX = q === undefined ? openX[i] * (uX > 0 ? sell : buy) : uX > 0 ? q.sellX[i] : q.buyX[i];
        const gross = uY * (xY - eY) + uX * (xX - eX);
        const fee = feeRate * (Math.abs(uY) * xY + Math.abs(uX) * xX);
        realised += gross;
        fees += fee;
        tFees += fee;
        const net = gross - tFees - tFunding;
        closed++;
        if (net > 0) wins++;
        if (out !== null) {
          out.trades.push(trade(tSide, tSignal, time[tEntryIndex], tExitSignal, time[i], eY, eX, xY, xX, tBeta, uY, uX, tTradeReason(tExitReason), gross, tFees, tFunding, i - tEntryIndex));
        }
        holding = false;
        uY = 0;
        uX = 0;
      }
      pending = NONE;
    }
    const e = holding
      ? capital + realised + uY * (closeY[i] - eY) + uX * (closeX[i] - eX) - fees - funding
      : capital + realised - fees - funding;
    if (holding) heldBars++;
    if (out !== null) {
      out.equity[i - start] = e;
      out.positionY[i - start] = uY;
      out.positionX[i - start] = uX;
    }
    if (i > start) {
      count++;
      // A bar whose equity did not move (flat, or nothing changed) has r = 0 and leaves the peak and drawdown as they
      // were: only a moved equity pays for the divisions. Plain sums of r and r² (returns have |mean| << std, so the
      // variance formula does not cancel; the fixture checks the Sharpe ratio to 1e-9 against pandas).
      if (e !== prevE) {
        const r = e / prevE - 1;
        s1 += r;
        s2 += r * r;
        if (e > peak) peak = e;
        else {
          const dd = 1 - e / peak;
          if (dd > maxDrawdown) maxDrawdown = dd;
        }
      }
    } else peak = e;
    prevE = e;
    lastE = e;
    const zi = z[i];
    if (zi === zi) {
      const d = spreadDecision(state, zi, entry, exit, stop);
      if (d !== NONE) {
        state = d === ENTER_LONG ? LONG : d === ENTER_SHORT ? SHORT : FLAT;
        if (i < end - 1) {
          pending = d;
          if (d === ENTER_LONG || d === ENTER_SHORT) {
            pendingBeta = beta[i];
            pendingSignal = time[i];
          } else {
            tExitSignal = time[i];
            tExitReason = d;
          }
        }
      }
    }
  }
  if (holding && out !== null) {
    const cY = closeY[end - 1], cX = closeX[end - 1];
    const gross = uY * (cY - eY) + uX * (cX - eX);
    out.trades.push(trade(tSide, tSignal, time[tEntryIndex], NaN, NaN, eY, eX, cY, cX, tBeta, uY, uX, "open", gross, tFees, tFunding, end - tEntryIndex));
  }
  return metrics(lastE, capital, count, s1, s2, b.barSeconds, maxDrawdown, closed, wins, fees, funding, heldBars, end - start);
}

// Kept out of `simulate`: code after a long hot loop that V8 compiled on-stack has no type feedback on the first
// calls and made every sweep combination deoptimise there (measured: 320 deopts in 8 sweeps); a separate small
// function has its own feedback.
function metrics(
  lastE: number,
  capital: number,
  count: number,
  s1: number,
  s2: number,
  barSeconds: number,
  maxDrawdown: number,
  closed: number,
  wins: number,
  fees: number,
  funding: number,
  heldBars: number,
  bars: number,
): BacktestMetrics {
  const mean = count > 0 ? s1 / count : 0;
  const variance = count >= 2 ? (s2 - s1 * mean) / (count - 1) : 0;
  const std = variance > 0 ? Math.sqrt(variance) : 0;
  return {
    totalReturn: lastE / capital - 1,
    sharpe: std > 0 ? (mean / std) * Math.sqrt((365 * 86400) / barSeconds) : NaN,
    maxDrawdown,
    trades: closed,
    winRate: closed > 0 ? wins / closed : NaN,
    feesPaid: fees,
    fundingPaid: funding,
    exposure: bars > 0 ? heldBars / bars : 0,
  };
}

function tTradeReason(code: number): "exit" | "stop" {
  return code === STOP ? "stop" : "exit";
}

function trade(
  side: number,
  entrySignalTime: number,
  entryTime: number,
  exitSignalTime: number,
  exitTime: number,
  entryPriceY: number,
  entryPriceX: number,
  exitPriceY: number,
  exitPriceX: number,
  beta: number,
  uY: number,
  uX: number,
  exitReason: "exit" | "stop" | "open",
  grossPnl: number,
  fees: number,
  funding: number,
  barsHeld: number,
): Trade {
  const qtyY = Math.abs(uY);
  return {
    side: side > 0 ? "long" : "short",
    entrySignalTime,
    entryTime,
    exitSignalTime,
    exitTime,
    entryPriceY,
    entryPriceX,
    exitPriceY,
    exitPriceX,
    beta,
    qtyY,
    qtyX: beta * qtyY,
    exitReason,
    grossPnl,
    fees,
    funding,
    netPnl: grossPnl - fees - funding,
    barsHeld,
  };
}

/** Runs {@link simulate} with all outputs and assembles a {@link BacktestRun} over bars [start, end). O(end − start). */
export function runWithSeries(
  b: PreparedBars,
  f: BarFunding,
  beta: Float64Array,
  z: Float64Array,
  p: ResolvedOptions,
  start: number,
  end: number,
): BacktestRun {
  const m = end - start;
  const out: SimulationOutputs = { equity: new Float64Array(m), positionY: new Float64Array(m), positionX: new Float64Array(m), trades: [] };
  const metrics = simulate(b, f, beta, z, p, start, end, out);
  return {
    status: "ok",
    trades: out.trades,
    time: b.time.slice(start, end),
    equity: out.equity,
    positionY: out.positionY,
    positionX: out.positionX,
    // z and beta are this run's own arrays: no copy for a full run.
    zscore: start === 0 && end === z.length ? z : z.slice(start, end),
    beta: start === 0 && end === beta.length ? beta : beta.slice(start, end),
    metrics,
    barSeconds: b.barSeconds,
  };
}
