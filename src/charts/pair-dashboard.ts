import { halfLife, intervalMs, rollingCorrelation, rollingOls, rollingZScore, spread, zScoreAlertsBatch, alignBars } from "../analytics";
import type { BarInterval, Bars, ZScoreAlertEvent } from "../analytics";
import { PairlabError, parameterRangeError } from "../errors";
import { assertFiniteNumber, assertInteger } from "../validate";
import type { PlotlyFigure } from "./figure";
import { correlationFigure } from "./correlation-figure";
import { hedgeRatioFigure } from "./hedge-ratio-figure";
import { bundleBytes, figureBundle, type MimeBundle } from "./mime-bundle";
import { priceFigure } from "./price-figure";
import { spreadFigure } from "./spread-figure";
import { warningBundle, insufficientDataMessage } from "./warning";
import { zScoreFigure } from "./zscore-figure";

/** The dashboard's parameters (the notebooks' parameters cell). */
export interface PairParams {
  /** `[y, x]`: the spread is y − α − β·x. */
  symbols: readonly [string, string];
  /** Bar timeframe: "1s", "1m", "5m" (or ms). */
  timeframe: BarInterval;
  /** Rolling OLS window for the hedge ratio, bars (≥ 3). */
  regressionWindow: number;
  /** Rolling z-score window on the spread, bars (≥ 2). */
  zWindow: number;
  /** Rolling correlation window, bars (≥ 2). Default `zWindow`. */
  correlationWindow?: number;
  /** Alert entry level |z| (> 0). */
  zThreshold: number;
  /** Alert exit level (0 ≤ exit < threshold). Default 0. */
  zExit?: number;
  /** Minimum ms between two entries on one side. Default 0. */
  cooldownMs?: number;
  /** Label everything SIMULATED. */
  simulated: boolean;
}

/** Everything the dashboard shows, on the aligned bar grid. All series have the grid's length. */
export interface PairAnalytics {
  params: PairParams;
  /** Common bar open times, epoch ms. */
  time: Float64Array;
  a: Bars;
  b: Bars;
  /** Rolling OLS of a on b: intercept and hedge ratio (NaN while the window fills). */
  alpha: Float64Array;
  beta: Float64Array;
  /** Rolling-hedge spread a − α_t − β_t·b (no look-ahead). */
  spread: Float64Array;
  /** Rolling z-score of the spread. */
  zscore: Float64Array;
  /** Rolling correlation of log returns. */
  correlation: Float64Array;
  /**
   * β / α of the latest regression window; NaN while the first window fills, and NaN (with
   * `latestWindowDegenerate`) when the latest window's regressor is constant — never an older value.
   */
  currentBeta: number;
  currentAlpha: number;
  /** Regression windows whose regressor was constant (β undefined there; NaN in `beta`, never silent). */
  degenerateWindows: number;
  /** True when the latest regression window is degenerate, so there is no current hedge ratio. */
  latestWindowDegenerate: boolean;
  /** Half-life of the defined part of the spread, bars (NaN when not computable yet, ∞ when not mean reverting). */
  halfLife: number;
  /** Why `halfLife` is NaN (too few spread points, a degenerate spread), or "" when it is a number. */
  halfLifeNote: string;
  /** Alert events over the whole history. */
  alerts: ZScoreAlertEvent[];
  /** Bars needed before the first z-score exists (regressionWindow + zWindow − 1). */
  barsNeeded: number;
  /** Bars available on the aligned grid. */
  bars: number;
  /** Bar width, seconds. */
  barSeconds: number;
}

const WHAT = "pair dashboard";

function validate(params: PairParams): void {
  if (!Array.isArray(params.symbols) || params.symbols.length !== 2 || params.symbols[0] === params.symbols[1]) {
    throw parameterRangeError(WHAT, "symbols", "two distinct symbols", params.symbols as unknown as string[]);
  }
  intervalMs(WHAT, params.timeframe);
  assertInteger(WHAT, "regressionWindow", params.regressionWindow, 3);
  assertInteger(WHAT, "zWindow", params.zWindow, 2);
  if (params.correlationWindow !== undefined) assertInteger(WHAT, "correlationWindow", params.correlationWindow, 2);
  assertFiniteNumber(WHAT, "zThreshold", params.zThreshold);
  if (params.zThreshold <= 0) throw parameterRangeError(WHAT, "zThreshold", "a number > 0", params.zThreshold);
}

function lastFinite(x: Float64Array): number {
  for (let i = x.length - 1; i >= 0; i--) if (Number.isFinite(x[i])) return x[i];
  return NaN;
}

/**
 * Runs every dashboard analytic on the full (never downsampled) aligned bars of the pair: rolling OLS
 * hedge ratio (window `regressionWindow`), rolling-hedge spread, its rolling z-score (`zWindow`),
 * rolling log-return correlation, half-life of the defined spread, and the z-score alerts. Too little
 * data never throws: rolling outputs are NaN and `bars < barsNeeded` tells the notebook to warn.
 * O(n) overall.
 *
 * @param a - bars of `symbols[0]` (y); `b` - bars of `symbols[1]` (x); same interval.
 * @throws RangeError (E_PARAM) for bad parameters.
 * @example const an = pairAnalytics(resample(ticksA, "1m"), resample(ticksB, "1m"), params)
 */
export function pairAnalytics(a: Bars, b: Bars, params: PairParams): PairAnalytics {
  validate(params);
  const aligned = alignBars(a, b);
  const n = aligned.time.length;
  const y = aligned.a.close;
  const x = aligned.b.close;
  const ols = rollingOls(y, x, params.regressionWindow);
  const s = spread(y, x, ols.beta, ols.alpha);
  const z = rollingZScore(s, params.zWindow);
  const corrWindow = params.correlationWindow ?? params.zWindow;
  const correlation = n > 0 ? rollingCorrelation(y, x, corrWindow, { on: "returns" }) : new Float64Array(0);
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
  const latestWindowDegenerate = n > 0 && ols.degenerate[n - 1] === 1;
  const alerts = zScoreAlertsBatch(aligned.time, z, { threshold: params.zThreshold, exit: params.zExit ?? 0, cooldownMs: params.cooldownMs ?? 0 });
  return {
    params,
    time: aligned.time,
    a: aligned.a,
    b: aligned.b,
    alpha: ols.alpha,
    beta: ols.beta,
    spread: s,
    zscore: z,
    correlation,
    currentBeta: latestWindowDegenerate ? NaN : lastFinite(ols.beta),
    currentAlpha: latestWindowDegenerate ? NaN : lastFinite(ols.alpha),
    degenerateWindows: ols.degenerateCount,
    latestWindowDegenerate,
    halfLife: hl,
    halfLifeNote,
    alerts,
    barsNeeded: params.regressionWindow + params.zWindow - 1,
    bars: n,
    barSeconds: intervalMs(WHAT, params.timeframe) / 1000,
  };
}

/** Names of the dashboard's charts. */
export type PairChart = "prices" | "spread" | "zscore" | "correlation" | "hedgeRatio";

/** Bars each chart needs before it has anything to draw. */
export function barsNeededFor(chart: PairChart, params: PairParams): number {
  switch (chart) {
    case "prices":
      return 1;
    case "hedgeRatio":
    case "spread":
      return params.regressionWindow;
    case "correlation":
      return (params.correlationWindow ?? params.zWindow) + 1;
    case "zscore":
      return params.regressionWindow + params.zWindow - 1;
  }
}

/**
 * Builds one dashboard chart from {@link pairAnalytics} output (downsampled for display only). O(n).
 * @example pairFigure(an, "zscore")
 */
export function pairFigure(an: PairAnalytics, chart: PairChart): PlotlyFigure {
  const p = an.params;
  const common = { simulated: p.simulated };
  const tf = typeof p.timeframe === "number" ? `${p.timeframe} ms` : p.timeframe;
  switch (chart) {
    case "prices":
      return priceFigure(
        [
          { symbol: p.symbols[0], time: an.time, close: an.a.close, volume: an.a.volume },
          { symbol: p.symbols[1], time: an.time, close: an.b.close, volume: an.b.volume },
        ],
        { ...common, title: `Prices and volume (${tf} bars)` },
      );
    case "spread":
      return spreadFigure(an.time, an.spread, { ...common, halfLife: an.halfLife, barSeconds: an.barSeconds });
    case "zscore":
      return zScoreFigure(an.time, an.zscore, { ...common, threshold: p.zThreshold, exit: p.zExit, alerts: an.alerts });
    case "correlation":
      return correlationFigure(an.time, an.correlation, { ...common, window: p.correlationWindow ?? p.zWindow, on: "returns" });
    case "hedgeRatio":
      return hedgeRatioFigure(an.time, an.beta, { ...common, current: an.currentBeta, window: p.regressionWindow });
  }
}

/**
 * The bundle a notebook shows for one chart: the figure, or — when there are fewer bars than the chart
 * needs — a visible warning that says how many bars are missing and how long they take (never an
 * empty chart, never an exception). `tradesPerSecond` adds "no trades are arriving" when it is 0.
 * @example displayBundle(pairChartBundle(an, "zscore"))
 */
export function pairChartBundle(an: PairAnalytics, chart: PairChart, context: { tradesPerSecond?: number } = {}): MimeBundle {
  const needed = barsNeededFor(chart, an.params);
  if (an.bars < needed) {
    const tf = typeof an.params.timeframe === "number" ? `${an.params.timeframe} ms` : an.params.timeframe;
    return warningBundle(
      insufficientDataMessage({
        what: `the ${chart === "hedgeRatio" ? "hedge ratio" : chart} chart on ${tf} bars`,
        needed,
        got: an.bars,
        unit: "bars",
        secondsPerUnit: an.barSeconds,
        tradesPerSecond: context.tradesPerSecond,
      }),
    );
  }
  return figureBundle(pairFigure(an, chart));
}

/** Result of {@link refreshDashboard}. */
export interface DashboardRefresh {
  analytics: PairAnalytics;
  bundles: Record<PairChart, MimeBundle>;
  /** Size of the largest bundle, bytes. */
  largestBundleBytes: number;
}

/**
 * The whole dashboard refresh — every analytic and every chart bundle (figure or warning) — as the
 * dashboard notebook's refresh cell and the benchmark run it. O(n).
 * @example refreshDashboard(barsA, barsB, params).largestBundleBytes // ≤ 1,000,000
 */
export function refreshDashboard(a: Bars, b: Bars, params: PairParams, context: { tradesPerSecond?: number } = {}): DashboardRefresh {
  const analytics = pairAnalytics(a, b, params);
  const charts: PairChart[] = ["prices", "spread", "zscore", "correlation", "hedgeRatio"];
  const bundles = {} as Record<PairChart, MimeBundle>;
  let largest = 0;
  for (const chart of charts) {
    bundles[chart] = pairChartBundle(analytics, chart, context);
    largest = Math.max(largest, bundleBytes(bundles[chart]));
  }
  return { analytics, bundles, largestBundleBytes: largest };
}
