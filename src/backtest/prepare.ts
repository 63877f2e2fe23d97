/**
 * Internal: validation of backtest inputs and options, and the per-bar funding rates. Every check runs
 * before any work and throws the library's parameter errors (E_PARAM) naming the field, the value and
 * what is accepted.
 */
import { NonFiniteInputError, parameterRangeError, parameterTypeError } from "../errors";
import { assertArrayLike } from "../validate";
import { resolveKalmanSettings, type ResolvedKalmanSettings } from "./kalman-signal";
import type { BacktestBars, BacktestOptions, FundingRates } from "./types";
import type { QuoteFillPrices } from "./quote-fill-prices";
import { wasmBarsValid } from "./wasm-stages";

/** Validated, numeric form of {@link BacktestOptions}; `stop` is Infinity when unset; rates are fractions. */
export interface ResolvedOptions {
  /** "ols" or "kalman". */
  hedge: "ols" | "kalman";
  /** The Kalman settings (defaults filled in; read only when hedge is "kalman"). */
  kalman: ResolvedKalmanSettings;
  hedgeWindow: number;
  zWindow: number;
  entry: number;
  exit: number;
  stop: number;
  notional: number;
  capital: number;
  feeRate: number;
  slipRate: number;
}

/** Validated bars of both legs on one grid, as Float64Arrays. */
export interface PreparedBars {
  time: Float64Array;
  openY: Float64Array;
  closeY: Float64Array;
  openX: Float64Array;
  closeX: Float64Array;
  barSeconds: number;
  /** Fill prices per bar with `fills: "quotes"` (set by backtestPair); absent: open ± slippage. */
  fills?: QuoteFillPrices;
}

/**
 * Per-bar funding: the sum of the rates charged at bar i (0 where none), per leg; `any` false when no funding —
 * then the rate arrays are empty (nothing reads them) rather than two zero-filled copies of the bar grid.
 */
export interface BarFunding {
  rateY: Float64Array;
  rateX: Float64Array;
  any: boolean;
}

function finiteNumber(what: string, field: string, value: unknown, accepted: string, ok: (v: number) => boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) throw parameterRangeError(what, field, accepted, value);
  return value;
}

function integer(what: string, field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) throw parameterRangeError(what, field, `an integer >= ${min}`, value);
  return value;
}

/**
 * Validates the strategy windows and levels only (what `sweepBacktest`'s grid varies). O(1).
 * @throws RangeError (E_PARAM) naming the option.
 */
export function resolveLevels(what: string, o: { hedgeWindow: unknown; zWindow: unknown; entry: unknown; exit: unknown; stop?: unknown }, prefix = ""): {
  hedgeWindow: number;
  zWindow: number;
  entry: number;
  exit: number;
  stop: number;
} {
  const hedgeWindow = integer(what, `${prefix}hedgeWindow`, o.hedgeWindow, 3);
  const zWindow = integer(what, `${prefix}zWindow`, o.zWindow, 2);
  const entry = finiteNumber(what, `${prefix}entry`, o.entry, "a finite number > 0", (v) => v > 0);
  const exit = finiteNumber(what, `${prefix}exit`, o.exit, `a finite number in [0, entry = ${entry})`, (v) => v >= 0 && v < entry);
  const stop =
    o.stop === undefined ? Infinity : finiteNumber(what, `${prefix}stop`, o.stop, `a finite number > entry = ${entry}, or undefined (no stop)`, (v) => v > entry);
  return { hedgeWindow, zWindow, entry, exit, stop };
}

/** The keys of {@link BacktestOptions}; any other key is refused (a typo such as `stopZ` must not silently drop a stop). */
export const OPTION_KEYS: readonly string[] = ["hedgeWindow", "zWindow", "entry", "exit", "stop", "notional", "capital", "feeBps", "slippageBps", "funding", "hedge", "kalman", "fills", "quotes"];

/**
 * Validates {@link BacktestOptions} (defaults applied); unknown keys are refused. O(1).
 * @throws RangeError (E_PARAM) naming the option, its value and the accepted range.
 */
export function resolveOptions(what: string, options: BacktestOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw parameterTypeError(what, "options", "an object { hedge?, kalman?, hedgeWindow, zWindow, entry, exit, stop?, notional, capital?, feeBps?, slippageBps?, funding? }", options);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw parameterRangeError(what, "options", `keys among ${OPTION_KEYS.join(", ")}`, `unknown key ${JSON.stringify(key)}`);
  }
  const levels = resolveLevels(what, options);
  const hedge = options.hedge ?? "ols";
  if (hedge !== "ols" && hedge !== "kalman") throw parameterRangeError(what, "hedge", 'one of "ols", "kalman"', hedge);
  if (hedge !== "kalman" && options.kalman !== undefined) {
    throw parameterRangeError(what, "kalman", 'undefined unless hedge is "kalman" (the settings would be ignored)', options.kalman);
  }
  const kalman = resolveKalmanSettings(what, options.kalman);
  const notional = finiteNumber(what, "notional", options.notional, "a finite number > 0 (quote currency)", (v) => v > 0);
  const capital = options.capital === undefined ? 2 * notional : finiteNumber(what, "capital", options.capital, "a finite number > 0 (quote currency)", (v) => v > 0);
  const feeBps = options.feeBps === undefined ? 5 : finiteNumber(what, "feeBps", options.feeBps, "a finite number >= 0 (basis points)", (v) => v >= 0);
  const slippageBps =
    options.slippageBps === undefined ? 0 : finiteNumber(what, "slippageBps", options.slippageBps, "a finite number in [0, 10000) (basis points)", (v) => v >= 0 && v < 10_000);
  return { ...levels, hedge, kalman, notional, capital, feeRate: feeBps / 1e4, slipRate: slippageBps / 1e4 };
}

function column(what: string, leg: string, bars: BacktestBars, key: "time" | "open" | "close"): Float64Array {
  const values = bars[key];
  assertArrayLike(what, `${leg}.${key}`, values);
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** Throws the error for the first bad value of `col` at or after `from` (out of the hot loop). */
function badValue(what: string, field: string, col: Float64Array, i: number, price: boolean): never {
  const v = col[i];
  if (!Number.isFinite(v)) throw new NonFiniteInputError(what, field, i, v);
  if (price) throw parameterRangeError(what, `${field}[${i}]`, "a price > 0", v);
  throw parameterRangeError(what, field, "strictly increasing bin open times", `${v} after ${col[i - 1]} at index ${i}`);
}

const ALIGN_HINT = "bars on the same time grid; align them first with alignBars(yBars, xBars), which keeps the bins present in both, and pass its .a and .b";

/**
 * Validates both legs' bars: finite, strictly increasing times, finite positive open/close, the same time grid.
 * One pass over the five columns. O(n).
 * @throws TypeError (E_PARAM) when bars or a column is missing; RangeError (E_PARAM) for different grids (with
 *   how to align them), non-increasing times or a non-positive price; NonFiniteInputError for NaN/±Infinity.
 */
export function prepareBars(what: string, y: BacktestBars, x: BacktestBars): PreparedBars {
  for (const [leg, bars] of [["y", y], ["x", x]] as const) {
    if (bars === null || typeof bars !== "object") throw parameterTypeError(what, leg, "bars { time, open, close } (e.g. from resample)", bars);
  }
  const time = column(what, "y", y, "time");
  const timeX = column(what, "x", x, "time");
  if (timeX.length !== time.length) throw parameterRangeError(what, "x.time", ALIGN_HINT, `${timeX.length} bars against ${time.length} for y`);
  const openY = column(what, "y", y, "open");
  const closeY = column(what, "y", y, "close");
  const openX = column(what, "x", x, "open");
  const closeX = column(what, "x", x, "close");
  const n = time.length;
  for (const [field, col] of [["y.open", openY], ["y.close", closeY], ["x.open", openX], ["x.close", closeX]] as const) {
    if (col.length !== n) throw parameterRangeError(what, field, `one value per bar (${n})`, `length ${col.length}`);
  }
  // The WebAssembly all-clear (f64x2 lanes, no branch per bar) when it can vouch for every bar; else the checks below,
  // which find and throw the precise error.
  if (!wasmBarsValid(time, timeX, openY, closeY, openX, closeX)) checkBarValues(what, time, timeX, openY, closeY, openX, closeX);
  const interval = y.interval ?? x.interval;
  if (interval !== undefined && !(typeof interval === "number" && Number.isFinite(interval) && interval > 0)) {
    throw parameterRangeError(what, "y.interval", "a bar length in ms > 0, or undefined", interval);
  }
  const stepMs = interval ?? (n >= 2 ? time[1] - time[0] : NaN);
  return { time, openY, closeY, openX, closeX, barSeconds: stepMs / 1000 };
}

/** The per-bar checks of {@link prepareBars} (finite, strictly increasing times; the same grid; prices > 0): throws the first failure. O(n). */
function checkBarValues(
  what: string,
  time: Float64Array,
  timeX: Float64Array,
  openY: Float64Array,
  closeY: Float64Array,
  openX: Float64Array,
  closeX: Float64Array,
): void {
  const n = time.length;
  const sameTime = timeX === time;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (!(t > prev) || t - t !== 0) badValue(what, "y.time", time, i, false);
    prev = t;
    if (!sameTime && timeX[i] !== t) {
      if (!Number.isFinite(timeX[i])) badValue(what, "x.time", timeX, i, false);
      throw parameterRangeError(what, "x.time", ALIGN_HINT, `time ${timeX[i]} at index ${i} where y has ${t}`);
    }
    // !(v > 0) is true for v <= 0 and NaN; v - v !== 0 for ±Infinity.
    const a = openY[i], b = closeY[i], c = openX[i], d = closeX[i];
    if (!(a > 0) || !(b > 0) || !(c > 0) || !(d > 0) || a + b + c + d === Infinity) {
      for (const [field, col] of [["y.open", openY], ["y.close", closeY], ["x.open", openX], ["x.close", closeX]] as const) {
        if (!(col[i] > 0) || col[i] === Infinity) badValue(what, field, col, i, true);
      }
    }
  }
}

const NO_RATES = new Float64Array(0);

/**
 * Maps funding times to bars: funding time T is charged at the first bar i with time_i >= T (times after the
 * last bar are never charged). Rates mapped to the same bar are summed. O(n + m).
 * @throws TypeError / RangeError (E_PARAM) for a malformed `funding`, NonFiniteInputError for a non-finite rate or time.
 */
export function barFunding(what: string, time: Float64Array, funding: FundingRates | undefined): BarFunding {
  if (funding === undefined) return { rateY: NO_RATES, rateX: NO_RATES, any: false };
  const n = time.length;
  const rateY = new Float64Array(n), rateX = new Float64Array(n);
  if (funding === null || typeof funding !== "object") throw parameterTypeError(what, "funding", "an object { time, y, x } of arrays, or undefined", funding);
  assertArrayLike(what, "funding.time", funding.time);
  assertArrayLike(what, "funding.y", funding.y);
  assertArrayLike(what, "funding.x", funding.x);
  const m = funding.time.length;
  for (const key of ["y", "x"] as const) {
    if (funding[key].length !== m) throw parameterRangeError(what, `funding.${key}`, `one rate per funding time (${m})`, `length ${funding[key].length}`);
  }
  let any = false;
  let i = 0;
  for (let k = 0; k < m; k++) {
    const t = funding.time[k], ry = funding.y[k], rx = funding.x[k];
    if (!Number.isFinite(t)) throw new NonFiniteInputError(what, "funding.time", k, t);
    if (!Number.isFinite(ry)) throw new NonFiniteInputError(what, "funding.y", k, ry);
    if (!Number.isFinite(rx)) throw new NonFiniteInputError(what, "funding.x", k, rx);
    if (k > 0 && t < funding.time[k - 1]) throw parameterRangeError(what, "funding.time", "non-decreasing epoch ms", `${t} after ${funding.time[k - 1]} at index ${k}`);
    while (i < n && time[i] < t) i++;
    if (i === n) continue;
    rateY[i] += ry;
    rateX[i] += rx;
    any = true;
  }
  return { rateY, rateX, any };
}
