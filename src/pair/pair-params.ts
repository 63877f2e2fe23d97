import type { BarInterval } from "../analytics";
import { intervalMs } from "../analytics";
import { resolveKalmanSettings, type KalmanSettings, type ResolvedKalmanSettings } from "../backtest/kalman-signal";
import { parameterRangeError, parameterTypeError } from "../errors";
import { assertFiniteNumber, assertInteger } from "../validate";

/**
 * Hedge-ratio estimators the pair layer knows: "ols" (rolling OLS over `hedgeWindow`, rolling z over `zWindow`) and
 * "kalman" (Chan's Kalman filter, `kalmanHedge`, with the `kalman` settings; z = e/√Q).
 */
export type HedgeMethod = "ols" | "kalman";

/** Accepted values of {@link PairParams.hedge}, in the order the error message lists them. */
export const HEDGE_METHODS: readonly HedgeMethod[] = ["ols", "kalman"];

/** The named timeframes (any integer number of milliseconds is accepted too). */
export const TIMEFRAMES = ["1s", "1m", "5m"] as const;

/**
 * The pair's parameters: one vocabulary used by `openPair` options, `pair.set(...)`, chart titles and CSV
 * columns. Every field but `symbols`, `timeframe` and `simulated` has a default ({@link PAIR_DEFAULTS}).
 * New options (backtest costs, alert rules, quotes…) are added as optional fields with a default, so existing
 * calls keep working.
 */
export interface PairParams {
  /** `[y, x]`: the spread is y − α − β·x. Two different non-empty symbols. */
  symbols: readonly [string, string];
  /** Bar width: "1s", "1m", "5m" or an integer number of milliseconds. */
  timeframe: BarInterval;
  /**
   * Hedge-ratio estimator. Default "ols" (rolling OLS of y on x over `hedgeWindow` bars, spread y − α − β·x, rolling
   * z over `zWindow`). "kalman": β, α from the Kalman filter after each bar's update, spread = the forecast error e,
   * z = e/√Q (the `kalman` settings; `hedgeWindow` then only sizes the rolling OLS β drawn next to the Kalman one,
   * `zWindow` is unused).
   */
  hedge?: HedgeMethod;
  /**
   * Settings of the Kalman hedge — `delta`, `ve`, `scale` (as `kalmanHedge`) and `warmup` (bars masked at the start);
   * defaults `KALMAN_DEFAULTS` ({ delta: 1e-7, ve: 1e-5, scale: "first", warmup: 100 }). Read when `hedge` is "kalman".
   */
  kalman?: KalmanSettings;
  /** Rolling OLS window for the hedge ratio, bars (integer ≥ 3). Default 300. */
  hedgeWindow?: number;
  /** Rolling z-score window on the spread, bars (integer ≥ 2). Default 120. */
  zWindow?: number;
  /** Rolling correlation window of log returns, bars (integer ≥ 2). Default `zWindow`. */
  correlationWindow?: number;
  /** Alert entry level: |z| ≥ entry enters (number > 0). Default 2. */
  entry?: number;
  /** Alert exit level: |z| ≤ exit exits (0 ≤ exit < entry). Default min(0.5, entry / 2). */
  exit?: number;
  /**
   * Stop level: a long spread stops at z ≤ −stop, a short spread at z ≥ +stop (finite, > entry). Default none
   * (`Infinity` once resolved). Used by the alerts and by `pair.backtest()` alike.
   */
  stop?: number;
  /**
   * Minimum time between two entries on the same side, ms (≥ 0). Default 0. With a cooldown > 0 the alerts may
   * skip entries the backtest takes (the backtest has no cooldown); with 0 they are the same entries.
   */
  cooldownMs?: number;
  /** Observations ADF and Engle-Granger need before they run (integer ≥ 10; fewer: a warning). Default 50. */
  adfMinBars?: number;
  /**
   * Memory bound of the pair, bytes (> 0): bars and analytics at `PAIR_BYTES_PER_BAR` (512) bytes per bar, checked
   * before anything is allocated. Default 256 MB (524,288 bars: 6 days of 1 s bars; a 1 ms typo fails at once).
   */
  maxBytes?: number;
  /** Label everything SIMULATED (charts, panels, CSV). */
  simulated: boolean;
}

/** {@link PairParams} with every default filled in (what the analytics read). */
export type ResolvedPairParams = Required<Omit<PairParams, "kalman">> & { kalman: ResolvedKalmanSettings };

/** Defaults of the optional {@link PairParams} (correlationWindow defaults to zWindow). */
export const PAIR_DEFAULTS = {
  hedge: "ols",
  hedgeWindow: 300,
  zWindow: 120,
  entry: 2,
  exit: 0.5,
  stop: Infinity,
  cooldownMs: 0,
  adfMinBars: 50,
  maxBytes: 256 * 1024 * 1024,
} as const;

/** The parameter names `pair.set(...)` accepts (everything but `symbols` and `simulated`). */
export const TUNABLE_PARAMS = [
  "timeframe",
  "hedge",
  "hedgeWindow",
  "zWindow",
  "correlationWindow",
  "entry",
  "exit",
  "stop",
  "cooldownMs",
  "adfMinBars",
  "maxBytes",
  "kalman",
] as const;

/** A parameter `pair.set(...)` may change. */
export type TunableParam = (typeof TUNABLE_PARAMS)[number];

/**
 * Checks two symbols: an array of two different non-empty strings. O(1).
 * @throws RangeError (E_PARAM) naming `symbols` otherwise.
 * @example assertPairSymbols("openPair", ["BTCUSDT", "ETHUSDT"])
 */
export function assertPairSymbols(what: string, symbols: unknown): asserts symbols is readonly [string, string] {
  const ok =
    Array.isArray(symbols) &&
    symbols.length === 2 &&
    symbols.every((s) => typeof s === "string" && s.trim().length > 0) &&
    String(symbols[0]).toUpperCase() !== String(symbols[1]).toUpperCase();
  if (!ok) throw parameterRangeError(what, "symbols", 'two different symbols [y, x], e.g. ["BTCUSDT", "ETHUSDT"]', symbols);
}

/**
 * Validates every parameter and fills the defaults, before any work. Messages name the parameter, the
 * value received and the accepted values, e.g. "Cannot compute openPair: 'zWindow' must be an integer >= 2, got 1".
 * Unknown option names are refused too (a typo such as `zwindow` must not be silently ignored). O(1).
 *
 * @param what - the caller's name for messages ("openPair", "pair.set", "pairAnalytics").
 * @throws RangeError / TypeError (E_PARAM).
 * @example resolvePairParams("openPair", { symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1s", simulated: true }).zWindow // 120
 */
export function resolvePairParams(what: string, params: PairParams): ResolvedPairParams {
  if (params === null || typeof params !== "object") throw parameterTypeError(what, "params", "an object of pair parameters", params);
  const known = new Set<string>(["symbols", "simulated", ...TUNABLE_PARAMS]);
  for (const key of Object.keys(params)) {
    if (!known.has(key)) {
      throw parameterRangeError(what, key, `a known parameter name (one of ${[...known].join(", ")}); this name is unknown`, (params as unknown as Record<string, unknown>)[key]);
    }
  }
  assertPairSymbols(what, params.symbols);
  const timeframe = params.timeframe;
  if (typeof timeframe === "string" && !(TIMEFRAMES as readonly string[]).includes(timeframe)) {
    throw parameterRangeError(what, "timeframe", `one of ${TIMEFRAMES.map((t) => JSON.stringify(t)).join(", ")} or an integer number of ms`, timeframe);
  }
  try {
    intervalMs(what, timeframe);
  } catch {
    throw parameterRangeError(what, "timeframe", `one of ${TIMEFRAMES.map((t) => JSON.stringify(t)).join(", ")} or an integer number of ms in [1, 2^40]`, timeframe);
  }
  const hedge = params.hedge ?? PAIR_DEFAULTS.hedge;
  if (!HEDGE_METHODS.includes(hedge)) throw parameterRangeError(what, "hedge", `one of ${HEDGE_METHODS.map((h) => JSON.stringify(h)).join(", ")}`, hedge);
  const kalman = resolveKalmanSettings(what, params.kalman);
  const hedgeWindow = params.hedgeWindow ?? PAIR_DEFAULTS.hedgeWindow;
  assertInteger(what, "hedgeWindow", hedgeWindow, 3);
  const zWindow = params.zWindow ?? PAIR_DEFAULTS.zWindow;
  assertInteger(what, "zWindow", zWindow, 2);
  const correlationWindow = params.correlationWindow ?? zWindow;
  assertInteger(what, "correlationWindow", correlationWindow, 2);
  const entry = params.entry ?? PAIR_DEFAULTS.entry;
  assertFiniteNumber(what, "entry", entry);
  if (entry <= 0) throw parameterRangeError(what, "entry", "a number > 0", entry);
  const exit = params.exit ?? Math.min(PAIR_DEFAULTS.exit, entry / 2);
  assertFiniteNumber(what, "exit", exit);
  if (exit < 0 || exit >= entry) throw parameterRangeError(what, "exit", `a number in [0, entry = ${entry})`, exit);
  const stop = params.stop ?? PAIR_DEFAULTS.stop;
  if (typeof stop !== "number" || Number.isNaN(stop) || stop === -Infinity || stop <= entry) {
    throw parameterRangeError(what, "stop", `a number > entry = ${entry}, or undefined / Infinity (no stop)`, stop);
  }
  const cooldownMs = params.cooldownMs ?? PAIR_DEFAULTS.cooldownMs;
  assertFiniteNumber(what, "cooldownMs", cooldownMs);
  if (cooldownMs < 0) throw parameterRangeError(what, "cooldownMs", "a number of ms >= 0", cooldownMs);
  const adfMinBars = params.adfMinBars ?? PAIR_DEFAULTS.adfMinBars;
  assertInteger(what, "adfMinBars", adfMinBars, 10);
  const maxBytes = params.maxBytes ?? PAIR_DEFAULTS.maxBytes;
  if (typeof maxBytes !== "number" || !Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw parameterRangeError(what, "maxBytes", "a finite number of bytes > 0 (default 268435456 = 256 MB)", maxBytes);
  }
  if (typeof params.simulated !== "boolean") throw parameterTypeError(what, "simulated", "true or false", params.simulated);
  return {
    symbols: [params.symbols[0], params.symbols[1]],
    timeframe,
    hedge,
    kalman,
    hedgeWindow,
    zWindow,
    correlationWindow,
    entry,
    exit,
    stop,
    cooldownMs,
    adfMinBars,
    maxBytes,
    simulated: params.simulated,
  };
}

/** "1s", "1m", "5m" or "250 ms": the timeframe as titles and messages show it. O(1). @example timeframeLabel(250) // "250 ms" */
export function timeframeLabel(timeframe: BarInterval): string {
  return typeof timeframe === "number" ? `${timeframe} ms` : timeframe;
}
