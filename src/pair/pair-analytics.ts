import { alignBars, halfLife, intervalMs, rollingCorrelation, rollingOls, rollingZScore, spread, zScoreAlertsBatch } from "../analytics";
import type { Bars, ZScoreAlertEvent } from "../analytics";
import { kalmanSignal } from "../backtest/kalman-signal";
import { PairlabError } from "../errors";
import { barsNeededFor } from "./bars-needed";
import { resolvePairParams, type PairParams, type ResolvedPairParams } from "./pair-params";

/** Everything the pair shows, on the aligned bar grid. Every series has the grid's length (`bars`). */
export interface PairAnalytics {
  /** The parameters used, defaults filled in. */
  params: ResolvedPairParams;
  /** Common bar open times, epoch ms (UTC). */
  time: Float64Array;
  /** Bars of y (`symbols[0]`) and x (`symbols[1]`) on the common grid. */
  a: Bars;
  b: Bars;
  /** Traded value per bar in quote currency (USDT for USD-M), Σ price·qty = vwap·volume; 0 for a bar without trades. */
  quoteVolume: readonly [Float64Array, Float64Array];
  /**
   * Intercept α and hedge ratio β. hedge "ols": rolling OLS of y on x over `hedgeWindow` bars (NaN while the window
   * fills or is degenerate). hedge "kalman": the Kalman filter's α_t, β_t after the update at bar t (NaN for t < kalman.warmup).
   */
  intercept: Float64Array;
  hedgeRatio: Float64Array;
  /**
   * The rolling OLS β over `hedgeWindow` bars whatever the hedge (the same array as `hedgeRatio` with hedge "ols"), so
   * the hedge chart can draw the Kalman β next to it.
   */
  olsHedgeRatio: Float64Array;
  /**
   * The spread (no look-ahead). hedge "ols": y − α_t − β_t·x. hedge "kalman": the forecast error
   * e_t = y_t − β_{t−1}·x_t − α_{t−1} (NaN for t < kalman.warmup).
   */
  spread: Float64Array;
  /**
   * The z-score the alerts and the backtest read. hedge "ols": rolling z-score of the spread over `zWindow` bars.
   * hedge "kalman": e_t / √Q_t, the filter's standardised forecast error (no window).
   */
  zscore: Float64Array;
  /** Rolling correlation of log returns over `correlationWindow` bars. */
  correlation: Float64Array;
  /**
   * β and α of the latest regression window; NaN while the first window fills, and NaN (with
   * `latestWindowDegenerate`) when the latest window's x is constant — never an older value.
   */
  currentHedgeRatio: number;
  currentIntercept: number;
  /** Regression windows whose x was constant (β undefined there: NaN in `hedgeRatio`, never silent); 0 with hedge "kalman". */
  degenerateWindows: number;
  /** True when the latest regression window is degenerate, so there is no current hedge ratio. */
  latestWindowDegenerate: boolean;
  /** Half-life of the defined part of the spread, bars (NaN when not computable yet, ∞ when not mean reverting). */
  halfLife: number;
  /** Why `halfLife` is NaN (too few spread points, a degenerate spread), or "" when it is a number. */
  halfLifeNote: string;
  /**
   * Entry/exit alerts of the z-score over the whole history, by the backtest's rule (`spreadDecision` with entry,
   * exit, stop; `reentry: "next-bar"`: an exit and an entry never share a bar) and `cooldownMs`. With cooldownMs 0,
   * the entries are `backtestPair`'s entry signals on the same bars (plus one at the last bar, which the backtest
   * cannot fill).
   */
  alerts: ZScoreAlertEvent[];
  /** Bars needed before the first z-score exists (hedgeWindow + zWindow − 1; Kalman: warmup + 1). */
  barsNeeded: number;
  /** Bars on the aligned grid. */
  bars: number;
  /** Bar width, seconds. */
  barSeconds: number;
}

const WHAT = "pairAnalytics";

/**
 * Memory the pair object spends per bar on the aligned grid, bytes (an upper estimate used for its memory bound):
 * the incremental bars of both legs and their copies (4 × 64), the aligned copies (2 × 64), 12 analytic series of
 * 8 bytes (time, quote volumes, intercept, hedge ratio, spread, z-score, correlation, …) and the rolling kernels'
 * transient buffers.
 */
export const PAIR_BYTES_PER_BAR = 512;

function lastFinite(x: Float64Array): number {
  for (let i = x.length - 1; i >= 0; i--) if (Number.isFinite(x[i])) return x[i];
  return NaN;
}

function quoteVolumeOf(bars: Bars): Float64Array {
  const out = new Float64Array(bars.time.length);
  for (let i = 0; i < out.length; i++) out[i] = bars.volume[i] > 0 ? bars.vwap[i] * bars.volume[i] : 0;
  return out;
}

/**
 * Runs every pair analytic on the full (never downsampled) aligned bars: rolling OLS hedge ratio
 * (`hedgeWindow`), rolling-hedge spread, its rolling z-score (`zWindow`) — or with `hedge: "kalman"` the Kalman
 * β, α, spread e and z = e/√Q of `kalmanSignal` (the backtest's own series, so alerts and backtest agree) — rolling log-return correlation
 * (`correlationWindow`), the half-life of the defined spread, the z-score alerts (`entry`, `exit`,
 * `cooldownMs`) and the quote volume of each leg. Too little data never throws: rolling outputs are NaN
 * and `bars < barsNeeded` says so. O(n) time and memory.
 *
 * @param a - bars of `symbols[0]` (y); `b` - bars of `symbols[1]` (x); same interval.
 * @param params - {@link PairParams}; defaults are filled in.
 * @throws RangeError / TypeError (E_PARAM) for bad parameters (the message names the parameter and the accepted values).
 * @example
 * const an = pairAnalytics(resample(ticksY, "1m"), resample(ticksX, "1m"),
 *   { symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1m", hedgeWindow: 60, zWindow: 30, simulated: true });
 * an.currentHedgeRatio // e.g. 20.4
 */
export function pairAnalytics(a: Bars, b: Bars, params: PairParams): PairAnalytics {
  const p = resolvePairParams(WHAT, params);
  const aligned = alignBars(a, b);
  const n = aligned.time.length;
  const y = aligned.a.close;
  const x = aligned.b.close;
  const ols = rollingOls(y, x, p.hedgeWindow);
  const kalman = p.hedge === "kalman";
  // Kalman: β, α after each bar's update, spread = forecast error, z = e/√Q (kalmanSignal, shared with the backtest).
  const k = kalman && n > 0 ? kalmanSignal(y, x, p.kalman) : null;
  const empty = new Float64Array(0);
  const beta = kalman ? (k?.beta ?? empty) : ols.beta;
  const alpha = kalman ? (k?.alpha ?? empty) : ols.alpha;
  const s = kalman ? (k?.spread ?? empty) : spread(y, x, ols.beta, ols.alpha);
  const z = kalman ? (k?.z ?? empty) : rollingZScore(s, p.zWindow);
  const correlation = n > 0 ? rollingCorrelation(y, x, p.correlationWindow, { on: "returns" }) : new Float64Array(0);
  let first = 0;
  while (first < n && !Number.isFinite(s[first])) first++;
  let hl = NaN;
  let halfLifeNote = "";
  if (n - first < 4) {
    halfLifeNote = `needs 4 spread points, have ${n - first}`;
  } else {
    try {
      hl = halfLife(s.subarray(first));
    } catch (error) {
      // A constant spread, or a NaN inside it (a degenerate regression window): say which, never a bare NaN.
      if (!(error instanceof PairlabError)) throw error;
      halfLifeNote = error.message;
    }
  }
  const latestWindowDegenerate = !kalman && n > 0 && ols.degenerate[n - 1] === 1;
  // The backtest's rule (next-bar re-entry, same stop): the entries shown live are the entries backtested.
  const stop = Number.isFinite(p.stop) ? p.stop : undefined;
  const alerts = zScoreAlertsBatch(aligned.time, z, { threshold: p.entry, exit: p.exit, cooldownMs: p.cooldownMs, stop, reentry: "next-bar" });
  return {
    params: p,
    time: aligned.time,
    a: aligned.a,
    b: aligned.b,
    quoteVolume: [quoteVolumeOf(aligned.a), quoteVolumeOf(aligned.b)],
    intercept: alpha,
    hedgeRatio: beta,
    olsHedgeRatio: ols.beta,
    spread: s,
    zscore: z,
    correlation,
    currentHedgeRatio: latestWindowDegenerate ? NaN : lastFinite(beta),
    currentIntercept: latestWindowDegenerate ? NaN : lastFinite(alpha),
    degenerateWindows: kalman ? 0 : ols.degenerateCount,
    latestWindowDegenerate,
    halfLife: hl,
    halfLifeNote,
    alerts,
    barsNeeded: barsNeededFor("zscore", p),
    bars: n,
    barSeconds: intervalMs(WHAT, p.timeframe) / 1000,
  };
}
