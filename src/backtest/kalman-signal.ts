import { parameterRangeError, parameterTypeError } from "../errors";
import { kalmanHedge } from "../universe/kalman-hedge";

/**
 * The Kalman hedge's settings where a pair or a backtest uses it (`hedge: "kalman"`): `delta`, `ve` and `scale` are
 * `kalmanHedge`'s options (same names, same meaning), `warmup` the bars masked while the filter forgets θ₀ = 0.
 * Defaults ({@link KALMAN_DEFAULTS}) differ from `kalmanHedge`'s bare ones (Chan's δ 1e-4, Ve 1e-3 in price units,
 * which make z meaningless at crypto prices): scale "first", δ 1e-7, Ve 1e-5.
 */
export interface KalmanSettings {
  /** δ in (0, 1): random-walk variance of θ per bar is δ/(1 − δ) (relative to the first bar with scale "first"). Default 1e-7. */
  delta?: number;
  /** Ve > 0: observation noise variance (with scale "first": relative, so √Ve ≈ the spread's sd as a share of y). Default 1e-5. */
  ve?: number;
  /** "first" (default): δ and Ve relative to the first bar's prices; "none": in price units (Chan's recursion verbatim). */
  scale?: "none" | "first";
  /** Bars 0 … warmup−1 give NaN β, α, spread and z (the filter starts at θ₀ = 0, P₀ = 0). Integer ≥ 1. Default 100. */
  warmup?: number;
}

/** {@link KalmanSettings} with every default filled in. */
export type ResolvedKalmanSettings = Required<KalmanSettings>;

/** Defaults of {@link KalmanSettings}. */
export const KALMAN_DEFAULTS: ResolvedKalmanSettings = { delta: 1e-7, ve: 1e-5, scale: "first", warmup: 100 };

const KEYS = ["delta", "ve", "scale", "warmup"] as const;
const SCALES = ["none", "first"] as const;

/**
 * Validates Kalman settings and fills the defaults, before any work; unknown keys are refused. Messages name
 * `<field>.<key>`, the value and the accepted values. O(1).
 * @param field - the option's name in messages ("kalman").
 * @throws RangeError / TypeError (E_PARAM).
 * @example resolveKalmanSettings("backtest", { ve: 4e-6 }) // { delta: 1e-7, ve: 4e-6, scale: "first", warmup: 100 }
 */
export function resolveKalmanSettings(what: string, settings: KalmanSettings | undefined, field = "kalman"): ResolvedKalmanSettings {
  if (settings === undefined) return { ...KALMAN_DEFAULTS };
  if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
    throw parameterTypeError(what, field, "an object { delta?, ve?, scale?, warmup? }", settings);
  }
  for (const key of Object.keys(settings)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw parameterRangeError(what, field, `keys among ${KEYS.join(", ")}`, `unknown key ${JSON.stringify(key)}`);
    }
  }
  const delta = settings.delta ?? KALMAN_DEFAULTS.delta;
  if (typeof delta !== "number" || !(delta > 0 && delta < 1)) throw parameterRangeError(what, `${field}.delta`, "a number in (0, 1)", delta);
  const ve = settings.ve ?? KALMAN_DEFAULTS.ve;
  if (typeof ve !== "number" || !(ve > 0) || ve === Infinity) throw parameterRangeError(what, `${field}.ve`, "a finite number > 0 (observation noise variance)", ve);
  const scale = settings.scale ?? KALMAN_DEFAULTS.scale;
  if (!(SCALES as readonly unknown[]).includes(scale)) throw parameterRangeError(what, `${field}.scale`, `one of ${SCALES.map((s) => JSON.stringify(s)).join(", ")}`, scale);
  const warmup = settings.warmup ?? KALMAN_DEFAULTS.warmup;
  if (typeof warmup !== "number" || !Number.isInteger(warmup) || warmup < 1) throw parameterRangeError(what, `${field}.warmup`, "an integer >= 1 (bars)", warmup);
  return { delta, ve, scale, warmup };
}

/** The Kalman hedge as a pair signal: one value per bar, NaN for bars < warmup. */
export interface KalmanSignal {
  /** β_i after the filter's update at bar i (units of y per unit of x). */
  beta: Float64Array;
  /** α_i after the update at bar i (units of y). */
  alpha: Float64Array;
  /** The Kalman spread: the forecast error e_i = y_i − β_{i−1}·x_i − α_{i−1} (units of y). */
  spread: Float64Array;
  /** The Kalman z-score z_i = e_i / √Q_i (Q_i the forecast-error variance; unitless). */
  z: Float64Array;
}

/**
 * Runs `kalmanHedge(y, x, { delta, ve, scale })` and masks the warm-up: β_i, α_i (after the update at bar i),
 * the spread e_i (one-step forecast error) and z_i = e_i/√Q_i, NaN for i < warmup. Causal: bar i's values use
 * bars 0 … i only (scale "first" reads bar 0). The z is the filter's standardised innovation — N(0, 1) when δ
 * and Ve fit the data, so calibrate Ve (with scale "first", √Ve ≈ the spread's sd relative to y) before reading
 * entry levels as probabilities. O(n).
 * @throws NonFiniteInputError for a NaN/±Infinity price; DegenerateInputError for a singular update or a zero first price.
 * @example kalmanSignal([2, 4, 6.1, 8], [1, 2, 3, 4], { delta: 0.01, ve: 0.01, scale: "none", warmup: 1 }).beta // [NaN, 1.33556, 1.74318, 1.80491]
 */
export function kalmanSignal(y: ArrayLike<number>, x: ArrayLike<number>, k: ResolvedKalmanSettings): KalmanSignal {
  const r = kalmanHedge(y, x, { delta: k.delta, ve: k.ve, scale: k.scale });
  const m = Math.min(k.warmup, r.beta.length);
  for (const a of [r.beta, r.alpha, r.e, r.z]) a.fill(NaN, 0, m);
  return { beta: r.beta, alpha: r.alpha, spread: r.e, z: r.z };
}
