import { intervalMs } from "../analytics/interval";
import type { BarInterval } from "../analytics/types";
import { DegenerateInputError, InsufficientDataError, parameterRangeError, parameterTypeError } from "../errors";
import { assertAllFinite, assertArrayLike, assertFiniteNumber, assertInteger, assertOneOf } from "../validate";
import { benjaminiHochbergAdjust, holmAdjust } from "./p-adjust";
import { centredSeries, pairStatistics, type PairStatistics } from "./pair-statistics";

/** Which Engle-Granger p-value the cointegration filter of {@link screenPairs} reads. */
export type PValueFilter = "raw" | "holm" | "bh";

/** Options of {@link screenPairs}. Filter defaults are ArbitrageLab's. */
export interface ScreenPairsOptions {
  /** Symbol names, one per series (default the record's keys, or "s0", "s1", …). */
  symbols?: readonly string[];
  /** Bar interval of the closes, for the half-life in time: "1s", "1m" (default), "5m" or ms. */
  interval?: BarInterval;
  /** Significance level of the cointegration filter (default 0.05). */
  alpha?: number;
  /** Which p-value the cointegration filter compares with `alpha`: "raw" (default, ArbitrageLab), "holm" or "bh". */
  pValueFilter?: PValueFilter;
  /** Hurst filter: keep H < maxHurst (default 0.5). */
  maxHurst?: number;
  /** Mean-crossing filter: keep ≥ minCrossings crossings over the sample (default 12). */
  minCrossings?: number;
  /** Half-life filter, in bars, inclusive: [min, max] (default [1, 365], ArbitrageLab's (1, 365) read in bars). */
  halfLifeRange?: readonly [number, number];
  /** Largest lag + 1 of the Hurst estimator (default 100, ArbitrageLab's `max_lags`). */
  hurstMaxLag?: number;
}

/** One row of {@link screenPairs}: pair (y, x) with y the dependent leg of the kept Engle-Granger direction. */
export interface ScreenRow {
  /** 1-based position in the ranking. */
  rank: number;
  /** Dependent leg of the kept direction (the spread is y − hedgeRatio·x − intercept). */
  y: string;
  /** Hedge leg of the kept direction. */
  x: string;
  /** Indices of y and x in the input. */
  yIndex: number;
  xIndex: number;
  /** Pearson correlation of the two symbols' log returns (ln cₜ − ln cₜ₋₁), unitless. */
  correlation: number;
  /** Engle-Granger statistic / p-value of the kept direction (trend "c", autolag AIC; = statsmodels coint). */
  egStatistic: number;
  egPValue: number;
  /** The same test in the other direction (x on y). */
  egStatisticReverse: number;
  egPValueReverse: number;
  /** egPValue adjusted over all pairs tested: Holm (family-wise) and Benjamini–Hochberg (false discovery rate). */
  pValueHolm: number;
  pValueBH: number;
  /** β of the kept cointegrating regression (units of y per unit of x) and its constant. */
  hedgeRatio: number;
  intercept: number;
  /** Half-life of the spread (AR(1), see halfLife), in bars and in ms (bars × interval); Infinity if not reverting. */
  halfLifeBars: number;
  halfLifeMs: number;
  /** Hurst exponent of the spread (see hurstExponent). */
  hurst: number;
  /** Mean crossings of the spread over the sample. */
  meanCrossings: number;
  /** ADF p-value (regression "c", autolag AIC) of the spread. */
  adfPValue: number;
  /** true when every filter passes. */
  passes: boolean;
  /** Filters that failed, in words ("cointegration p 0.31 ≥ 0.05", "hurst 0.52 ≥ 0.5", …), or the error. */
  reasons: string[];
  /** Set when the pair could not be tested (e.g. collinear legs): the statistics are NaN for that reason only. */
  error?: string;
}

/** Result of {@link screenPairs}. */
export interface ScreenResult {
  /** Every pair, ranked: passing rows first by egPValue (then egStatistic), then failing rows the same way, then errors. */
  rows: ScreenRow[];
  /** Symbol names in input order. */
  symbols: string[];
  /** Correlation matrix of log returns, row-major N×N (1 on the diagonal). */
  correlation: Float64Array;
  /** Kept Engle-Granger p-value per pair, row-major N×N, symmetric, NaN on the diagonal and for errored pairs. */
  pValues: Float64Array;
  /** Number of pairs tested (N·(N−1)/2) and bars per series. */
  pairs: number;
  bars: number;
  /** The options used, defaults applied. */
  options: Required<Omit<ScreenPairsOptions, "symbols">>;
}

const WHAT = "screenPairs";
const FILTERS: readonly PValueFilter[] = ["raw", "holm", "bh"];

/**
 * Screens every pair of N aligned close series for pairs trading (ArbitrageLab's criteria), one row per pair,
 * ranked. Per pair: correlation of log returns; Engle-Granger (= statsmodels `coint`, trend "c", autolag AIC) run
 * both ways, y on x and x on y, keeping the direction with the lower statistic (the lower p-value: both use the
 * same MacKinnon surface), a tie keeping the first symbol as y; the kept hedge ratio and spread; half-life (bars
 * and time), Hurst exponent, mean crossings and ADF p-value of that spread; Holm and Benjamini–Hochberg p-values
 * adjusted over all N·(N−1)/2 pairs. Keeping the better of two directions makes the raw p-value slightly optimistic;
 * the adjusted ones are the ones to trust when screening hundreds of pairs.
 *
 * Filters (ArbitrageLab defaults): cointegration p-value (per `pValueFilter`, default raw) < alpha = 0.05,
 * Hurst < 0.5, ≥ 12 mean crossings, half-life in [1, 365] bars. Failing filters are named in `reasons`.
 *
 * Input: the closes must already be aligned on one time grid (same length, finite): NaN gaps are refused with
 * NonFiniteInputError naming the symbol and the bar (openUniverse aligns by intersecting the bar times, nothing is
 * interpolated). A pair whose regression is degenerate (identical or collinear legs) is kept with NaN statistics, an
 * `error` message and no part in the p-value adjustment; a constant series is refused up front.
 *
 * Time O(N²·n·(maxlag + hurstMaxLag)), single thread: ≈ 0.5 s for 50 symbols × 1,440 bars (see bench).
 *
 * @param closes N ≥ 2 close series, as an array (names from `symbols`) or a record symbol → series.
 * @throws TypeError / RangeError (E_PARAM) for fewer than 2 series, different lengths, bad options.
 * @throws NonFiniteInputError naming the symbol's first NaN/±Infinity; InsufficientDataError for short series;
 *   DegenerateInputError for a constant series.
 * @example
 * const r = screenPairs({ btcusdt: btc, ethusdt: eth, solusdt: sol }, { interval: "1m", pValueFilter: "bh" });
 * r.rows[0] // the best pair: { rank: 1, y: "ethusdt", x: "btcusdt", egPValue, pValueHolm, pValueBH, hedgeRatio, halfLifeBars, hurst, passes: true, reasons: [], … }
 * // test/fixtures/universe.json (6 symbols, 400 bars): rank 1 is adausdt on xrpusdt, egPValue 4.9e-11, halfLifeBars 2.2
 */
export function screenPairs(closes: readonly ArrayLike<number>[] | Readonly<Record<string, ArrayLike<number>>>, options: ScreenPairsOptions = {}): ScreenResult {
  const { names, series, resolved } = prepare(closes, options);
  const N = series.length;
  const n = series[0].length;
  const centred = series.map(centredSeries);
  const stats: { i: number; j: number; s: PairStatistics }[] = [];
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) stats.push({ i, j, s: pairStatistics(centred[i], centred[j], resolved.hurstMaxLag) });
  return assemble(names, series, stats, resolved, n);
}

/** Validates the input and options of {@link screenPairs}; exported for the parallel variant. */
export function prepare(
  closes: readonly ArrayLike<number>[] | Readonly<Record<string, ArrayLike<number>>>,
  options: ScreenPairsOptions,
): { names: string[]; series: Float64Array[]; resolved: Required<Omit<ScreenPairsOptions, "symbols">> } {
  if (closes === null || typeof closes !== "object") throw parameterTypeError(WHAT, "closes", "an array of series or a record symbol → series", closes);
  let names: string[];
  let raw: ArrayLike<number>[];
  if (Array.isArray(closes)) {
    raw = closes as ArrayLike<number>[];
    names = options.symbols !== undefined ? [...options.symbols] : raw.map((_, i) => `s${i}`);
    if (names.length !== raw.length) throw parameterRangeError(WHAT, "symbols", `one name per series (${raw.length})`, names);
  } else {
    names = options.symbols !== undefined ? [...options.symbols] : Object.keys(closes);
    raw = names.map((k) => (closes as Record<string, ArrayLike<number>>)[k]);
  }
  if (raw.length < 2) throw parameterRangeError(WHAT, "closes", "at least 2 series (a pair)", raw.length === 0 ? [] : raw);
  if (new Set(names).size !== names.length) throw parameterRangeError(WHAT, "symbols", "distinct names", names);
  for (let i = 0; i < raw.length; i++) assertArrayLike(WHAT, `closes.${names[i]}`, raw[i]);
  const n = raw[0].length;
  for (let i = 1; i < raw.length; i++) {
    if (raw[i].length !== n) throw parameterRangeError(WHAT, `closes.${names[i]}.length`, `the length of closes.${names[0]} (${n}): align the bars first (openUniverse does)`, raw[i].length);
  }
  const interval = options.interval ?? "1m";
  intervalMs(WHAT, interval);
  const alpha = options.alpha ?? 0.05;
  assertFiniteNumber(WHAT, "alpha", alpha);
  if (!(alpha > 0 && alpha < 1)) throw parameterRangeError(WHAT, "alpha", "a number in (0, 1)", alpha);
  const pValueFilter = options.pValueFilter ?? "raw";
  assertOneOf(WHAT, "pValueFilter", pValueFilter, FILTERS);
  const maxHurst = options.maxHurst ?? 0.5;
  assertFiniteNumber(WHAT, "maxHurst", maxHurst);
  const minCrossings = options.minCrossings ?? 12;
  assertInteger(WHAT, "minCrossings", minCrossings, 0);
  const halfLifeRange = options.halfLifeRange ?? [1, 365];
  if (!Array.isArray(halfLifeRange) || halfLifeRange.length !== 2 || !(halfLifeRange[0] >= 0) || !(halfLifeRange[1] >= halfLifeRange[0])) {
    throw parameterRangeError(WHAT, "halfLifeRange", "[min, max] bars with 0 <= min <= max", halfLifeRange);
  }
  const hurstMaxLag = options.hurstMaxLag ?? 100;
  assertInteger(WHAT, "hurstMaxLag", hurstMaxLag, 4);
  const needed = Math.max(hurstMaxLag + 1, 30);
  if (n < needed) throw new InsufficientDataError(WHAT, needed, n, `the Hurst exponent with hurstMaxLag ${hurstMaxLag} and the Engle-Granger lag search`);
  const series = raw.map((s, i) => {
    assertAllFinite(WHAT, `closes.${names[i]}`, s);
    const f = Float64Array.from(s);
    let constant = true;
    for (let t = 1; t < n && constant; t++) if (f[t] !== f[0]) constant = false;
    if (constant) throw new DegenerateInputError(WHAT, `closes.${names[i]}`, "is constant: no pair with it can be tested");
    return f;
  });
  return { names, series, resolved: { interval, alpha, pValueFilter, maxHurst, minCrossings, halfLifeRange: [halfLifeRange[0], halfLifeRange[1]], hurstMaxLag } };
}

/** Correlations, adjustments, filters and ranking over the per-pair statistics; exported for the parallel variant. */
export function assemble(
  names: string[],
  series: Float64Array[],
  stats: readonly { i: number; j: number; s: PairStatistics }[],
  options: Required<Omit<ScreenPairsOptions, "symbols">>,
  n: number,
): ScreenResult {
  const N = series.length;
  const correlation = logReturnCorrelation(series);
  const tested = stats.filter((p) => p.s.error === "");
  const holm = holmAdjust(tested.map((p) => p.s.egPValue));
  const bh = benjaminiHochbergAdjust(tested.map((p) => p.s.egPValue));
  const adjusted = new Map<(typeof stats)[number], [number, number]>();
  tested.forEach((p, k) => adjusted.set(p, [holm[k], bh[k]]));
  const bar = intervalMs(WHAT, options.interval);
  const pValues = new Float64Array(N * N).fill(NaN);
  const rows: ScreenRow[] = stats.map((p) => {
    const { i, j, s } = p;
    const yIndex = s.swapped ? j : i;
    const xIndex = s.swapped ? i : j;
    const [pHolm, pBH] = adjusted.get(p) ?? [NaN, NaN];
    pValues[i * N + j] = s.egPValue;
    pValues[j * N + i] = s.egPValue;
    const reasons: string[] = [];
    if (s.error !== "") reasons.push(s.error);
    else {
      const pf = options.pValueFilter === "raw" ? s.egPValue : options.pValueFilter === "holm" ? pHolm : pBH;
      const label = options.pValueFilter === "raw" ? "cointegration p" : `cointegration p (${options.pValueFilter})`;
      if (!(pf < options.alpha)) reasons.push(`${label} ${fmt(pf)} >= ${options.alpha}`);
      if (!(s.hurst < options.maxHurst)) reasons.push(`Hurst ${fmt(s.hurst)} >= ${options.maxHurst}`);
      if (!(s.meanCrossings >= options.minCrossings)) reasons.push(`${s.meanCrossings} mean crossings < ${options.minCrossings}`);
      const [lo, hi] = options.halfLifeRange;
      if (!(s.halfLifeBars >= lo && s.halfLifeBars <= hi)) reasons.push(`half-life ${fmt(s.halfLifeBars)} bars outside [${lo}, ${hi}]`);
    }
    const row: ScreenRow = {
      rank: 0,
      y: names[yIndex],
      x: names[xIndex],
      yIndex,
      xIndex,
      correlation: correlation[i * N + j],
      egStatistic: s.egStatistic,
      egPValue: s.egPValue,
      egStatisticReverse: s.egStatisticReverse,
      egPValueReverse: s.egPValueReverse,
      pValueHolm: pHolm,
      pValueBH: pBH,
      hedgeRatio: s.hedgeRatio,
      intercept: s.intercept,
      halfLifeBars: s.halfLifeBars,
      halfLifeMs: s.halfLifeBars * bar,
      hurst: s.hurst,
      meanCrossings: s.meanCrossings,
      adfPValue: s.adfPValue,
      passes: reasons.length === 0,
      reasons,
    };
    if (s.error !== "") row.error = s.error;
    return row;
  });
  const tier = (r: ScreenRow): number => (r.error !== undefined ? 2 : r.passes ? 0 : 1);
  rows.sort((a, b) => tier(a) - tier(b) || a.egPValue - b.egPValue || a.egStatistic - b.egStatistic || a.yIndex - b.yIndex || a.xIndex - b.xIndex);
  rows.forEach((r, k) => (r.rank = k + 1));
  return { rows, symbols: names, correlation, pValues, pairs: stats.length, bars: n, options };
}

/** Pearson correlation matrix of log returns (two-pass, standardised once per symbol). O(N²·n). */
function logReturnCorrelation(series: Float64Array[]): Float64Array {
  const N = series.length;
  const m = series[0].length - 1;
  const z = series.map((s) => {
    const r = new Float64Array(m);
    let mean = 0;
    for (let t = 0; t < m; t++) {
      r[t] = Math.log(s[t + 1]) - Math.log(s[t]);
      mean += r[t];
    }
    mean /= m;
    let ss = 0;
    for (let t = 0; t < m; t++) {
      r[t] -= mean;
      ss += r[t] * r[t];
    }
    const sd = Math.sqrt(ss);
    for (let t = 0; t < m; t++) r[t] = sd > 0 ? r[t] / sd : NaN;
    return r;
  });
  const c = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    c[i * N + i] = 1;
    for (let j = i + 1; j < N; j++) {
      let s = 0;
      const a = z[i], b = z[j];
      for (let t = 0; t < m; t++) s += a[t] * b[t];
      c[i * N + j] = s;
      c[j * N + i] = s;
    }
  }
  return c;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 0.001 || v === 0 ? v.toFixed(3) : v.toExponential(2)) : String(v);
}
