import { parameterRangeError, parameterTypeError } from "../errors";
import { barFunding, prepareBars, resolveLevels, resolveOptions, type BarFunding, type PreparedBars, type ResolvedOptions } from "./prepare";
import { barsNeeded, hedgeSignal, hedgeSpread, simulate, spreadZ } from "./simulate";
import { quoteFillPrices } from "./quote-fill-prices";
import type { BacktestBars, BacktestMetrics, BacktestOptions } from "./types";

const WHAT = "backtest sweep";

/** The parameters a sweep can vary; each is a list of values (a missing key keeps the base option's value). */
export interface SweepGrid {
  entry?: readonly number[];
  exit?: readonly number[];
  zWindow?: readonly number[];
  hedgeWindow?: readonly number[];
}

/** The parameters of one combination. */
export interface SweepParams {
  hedgeWindow: number;
  zWindow: number;
  entry: number;
  exit: number;
}

/** One row of a sweep: the combination's parameters and its metrics (equal to `backtestPair` with them). */
export type SweepRow = SweepParams & BacktestMetrics;

/** A combination that was not run, and why (exit >= entry, stop <= entry, or too few bars for its windows). */
export type SweepSkipped = SweepParams & { reason: string };

/** Result of {@link sweepBacktest}. */
export interface SweepResult {
  /** One row per combination run, in grid order (hedgeWindow, then zWindow, entry, exit). */
  rows: SweepRow[];
  /** Combinations not run, with the reason. */
  skipped: SweepSkipped[];
  /** Bar length used for the Sharpe annualisation, seconds. */
  barSeconds: number;
  /** Bars in the data. */
  bars: number;
}

/** Most combinations one sweep accepts. */
export const MAX_SWEEP_COMBINATIONS = 100_000;

/** The sweep's metric columns (the keys a heatmap can show). */
export const SWEEP_METRICS = ["totalReturn", "sharpe", "maxDrawdown", "trades", "winRate", "feesPaid", "fundingPaid", "exposure"] as const;

/** A metric name of {@link SWEEP_METRICS}. */
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/**
 * Runs `backtestPair` for every combination of the `grid` values (entry, exit, zWindow, hedgeWindow) on top
 * of the `base` options, sharing the work: one rolling OLS + spread per hedge window, one z-score per
 * (hedge window, z window), then one pass of the decision loop per combination (no per-bar series are kept).
 * With `base.hedge: "kalman"` the filter runs once and only entry and exit may vary: a `hedgeWindow` or
 * `zWindow` list in the grid is refused (the Kalman hedge has no window).
 * Each row's metrics are bit-identical to `backtestPair(y, x, { ...base, ...params }).metrics` (same code path).
 *
 * Combinations that break a cross-option rule (exit >= entry, stop <= entry) or need more bars than given
 * (hedgeWindow + zWindow) are listed in `skipped` with the reason instead of throwing.
 *
 * Complexity: O(H·n + H·Z·n + C·n) for H hedge windows, Z z windows and C combinations; O(n) memory per hedge
 * window held at a time.
 *
 * @param y bars of the first symbol; @param x bars of the second, same grid (see `backtestPair`).
 * @param base options of every run (`backtestPair`'s options); the grid overrides its levels and windows.
 * @param grid lists of values per parameter.
 * @returns {@link SweepResult} `{ rows, skipped, barSeconds, bars }`.
 * @throws RangeError (E_PARAM) for a bad base option, a grid key that is not a non-empty array, `grid.hedgeWindow` /
 *   `grid.zWindow` with hedge "kalman", a grid value
 *   outside its own range (naming `grid.<key>[k]`), more than {@link MAX_SWEEP_COMBINATIONS} combinations, or
 *   bars on different time grids; TypeError / NonFiniteInputError as `backtestPair`.
 * @example
 * const sweep = sweepBacktest(a, b, { hedgeWindow: 300, zWindow: 120, entry: 2, exit: 0.5, notional: 10_000 },
 *   { entry: [1.5, 2, 2.5], exit: [0, 0.5], zWindow: [60, 120] });
 * sweep.rows.length // 12
 * sweep.rows[0] // { hedgeWindow: 300, zWindow: 60, entry: 1.5, exit: 0, totalReturn: …, sharpe: …, … }
 */
export function sweepBacktest(y: BacktestBars, x: BacktestBars, base: BacktestOptions, grid: SweepGrid): SweepResult {
  const p = resolveOptions(WHAT, base);
  const values = gridValues(grid, p);
  const b = prepareBars(WHAT, y, x);
  const f = barFunding(WHAT, b.time, base.funding);
  const fills = quoteFillPrices(WHAT, b.time, base);
  if (fills !== null) b.fills = fills;
  return sweepPrepared(b, f, p, values);
}

/** The validated value lists of a grid (base values for missing keys). */
export interface GridValues {
  hedgeWindow: number[];
  zWindow: number[];
  entry: number[];
  exit: number[];
}

/**
 * Validates a grid: each present key a non-empty array of values in the key's own range. O(size).
 * @throws RangeError / TypeError (E_PARAM).
 */
export function gridValues(grid: SweepGrid, p: ResolvedOptions, what = WHAT): GridValues {
  if (grid === null || typeof grid !== "object") throw parameterTypeError(what, "grid", "an object { entry?, exit?, zWindow?, hedgeWindow? } of arrays", grid);
  for (const key of Object.keys(grid)) {
    if (!["entry", "exit", "zWindow", "hedgeWindow"].includes(key)) throw parameterRangeError(what, "grid", `keys among entry, exit, zWindow, hedgeWindow`, `key ${JSON.stringify(key)}`);
  }
  if (p.hedge === "kalman") {
    for (const key of ["hedgeWindow", "zWindow"] as const) {
      if (grid[key] !== undefined) {
        throw parameterRangeError(what, `grid.${key}`, 'undefined with hedge "kalman" (the Kalman hedge has no window: sweep entry and exit, or run one sweep per kalman setting)', grid[key]);
      }
    }
  }
  const list = (key: keyof SweepGrid, fallback: number, accepted: string, okValue: (v: number) => boolean): number[] => {
    const v = grid[key];
    if (v === undefined) return [fallback];
    if (!Array.isArray(v) || v.length === 0) throw parameterRangeError(what, `grid.${key}`, "a non-empty array of numbers", v);
    v.forEach((value, k) => {
      if (typeof value !== "number" || !Number.isFinite(value) || !okValue(value)) throw parameterRangeError(what, `grid.${key}[${k}]`, accepted, value);
    });
    return [...v];
  };
  const values = {
    hedgeWindow: list("hedgeWindow", p.hedgeWindow, "an integer >= 3", (v) => Number.isInteger(v) && v >= 3),
    zWindow: list("zWindow", p.zWindow, "an integer >= 2", (v) => Number.isInteger(v) && v >= 2),
    entry: list("entry", p.entry, "a finite number > 0", (v) => v > 0),
    exit: list("exit", p.exit, "a finite number >= 0", (v) => v >= 0),
  };
  const count = values.hedgeWindow.length * values.zWindow.length * values.entry.length * values.exit.length;
  if (count > MAX_SWEEP_COMBINATIONS) throw parameterRangeError(what, "grid", `at most ${MAX_SWEEP_COMBINATIONS} combinations`, `${count} combinations`);
  return values;
}

/** The sweep over prepared bars (shared by {@link sweepBacktest} and `walkForward`'s in-sample part). */
export function sweepPrepared(b: PreparedBars, f: BarFunding, p: ResolvedOptions, values: GridValues): SweepResult {
  const n = b.time.length;
  const rows: SweepRow[] = [];
  const skipped: SweepSkipped[] = [];
  const stopOption = p.stop === Infinity ? undefined : p.stop;
  // Kalman: one filter pass for the whole grid (only entry and exit vary).
  let kalman: { beta: Float64Array; z: Float64Array } | null = null;
  for (const hedgeWindow of values.hedgeWindow) {
    let hedge: { beta: Float64Array; spread: Float64Array } | null = null;
    for (const zWindow of values.zWindow) {
      let z: Float64Array | null = null;
      for (const entry of values.entry) {
        for (const exit of values.exit) {
          const params = { hedgeWindow, zWindow, entry, exit };
          let levels: ReturnType<typeof resolveLevels>;
          try {
            levels = resolveLevels(WHAT, { ...params, stop: stopOption });
          } catch (error) {
            skipped.push({ ...params, reason: (error as Error).message });
            continue;
          }
          const needed = barsNeeded(p, hedgeWindow, zWindow);
          if (n < needed) {
            const rule = p.hedge === "kalman" ? "kalman.warmup + 2" : "hedgeWindow + zWindow";
            skipped.push({ ...params, reason: `insufficient data: needs ${needed} bars (${rule}), has ${n}` });
            continue;
          }
          let metrics: BacktestMetrics;
          if (p.hedge === "kalman") {
            kalman ??= hedgeSignal(b, p, hedgeWindow, zWindow);
            metrics = simulate(b, f, kalman.beta, kalman.z, { ...p, ...levels }, 0, n, null);
          } else {
            hedge ??= hedgeSpread(b, hedgeWindow);
            z ??= spreadZ(hedge.spread, zWindow);
            metrics = simulate(b, f, hedge.beta, z, { ...p, ...levels }, 0, n, null);
          }
          rows.push({ ...params, ...metrics });
        }
      }
    }
  }
  return { rows, skipped, barSeconds: b.barSeconds, bars: n };
}
