import { DegenerateInputError, InsufficientDataError, parameterRangeError } from "../errors";
import { assertAllFinite, assertArrayLike, assertFiniteNumber, assertOneOf, assertSameLength } from "../validate";

/** Options of {@link kalmanHedge}. */
export interface KalmanHedgeOptions {
  /**
   * δ in (0, 1): the state θ = [β, α] follows a random walk with covariance Vw = δ/(1 − δ)·I per bar.
   * Larger δ lets β move faster. Default 1e-4 (Chan 2013, example 3.3).
   */
  delta?: number;
  /** Ve > 0: variance of the observation noise v in y_t = β_t·x_t + α_t + v_t, units of y². Default 1e-3 (Chan). */
  ve?: number;
  /** Initial state [β₀, α₀]. Default [0, 0]. */
  theta0?: readonly [number, number];
  /** Initial state covariance P₀, row-major 2×2 [Pββ, Pβα, Pαβ, Pαα], symmetric positive semi-definite. Default zeros. */
  p0?: readonly [number, number, number, number];
  /**
   * "none" (default): δ, Ve, θ₀ and P₀ are in price units, exactly as Chan's recursion.
   * "first": the filter runs on y/y₀ and x/x₀ (y₀, x₀ the first bar), so δ and Ve are relative to the price level,
   * and β, α, e, Q are mapped back to price units (β·y₀/x₀, α·y₀, e·y₀, Q·y₀²; z unchanged; θ₀ and P₀ are read in
   * the scaled units). Equivalent to the unscaled recursion with Vw = δ/(1−δ)·diag((y₀/x₀)², y₀²), Ve·y₀², which
   * is what the defaults should mean at price levels of 1e5.
   */
  scale?: "none" | "first";
}

/** Result of {@link kalmanHedge}: one value per bar, oldest first. */
export interface KalmanHedgeResult {
  /** β_t after the update at bar t (units of y per unit of x). */
  beta: Float64Array;
  /** α_t after the update at bar t (units of y). */
  alpha: Float64Array;
  /** One-step forecast error e_t = y_t − (β_{t−1}·x_t + α_{t−1}) (units of y): the Kalman spread. */
  e: Float64Array;
  /** Variance of the forecast error Q_t = [x_t, 1]·R_t·[x_t, 1]ᵀ + Ve (units of y²). */
  q: Float64Array;
  /** Standardised forecast error z_t = e_t / √Q_t (unitless): the Kalman z-score. */
  z: Float64Array;
}

const WHAT = "Kalman hedge";
const SCALES = ["none", "first"] as const;

/**
 * Dynamic hedge ratio by a Kalman filter (Chan, *Algorithmic Trading*, 2013, §3.3). State θ = [β, α] is a random
 * walk with covariance Vw = δ/(1−δ)·I; observation y_t = β_t·x_t + α_t + v_t, v ~ N(0, Ve). For t = 0 … n−1,
 * with F = [x_t, 1]: R = P + Vw (at t = 0, R = P₀); ŷ = F·θ; Q = F·R·Fᵀ + Ve; e = y_t − ŷ; K = R·Fᵀ/Q;
 * θ ← θ + K·e; P ← R − K·F·R. O(n) time, O(n) memory for the five output series.
 *
 * Scale (read before using the defaults on crypto prices): δ = 1e-4 gives β a random-walk step of sd 0.01 per bar
 * and α one of 0.01 (price units); Ve = 1e-3 says y is observed to ±0.03 in price units. At x ≈ 1e5 the β step alone
 * moves ŷ by ~1,000 per bar, so Q ≈ x²·Vw ≫ Ve, the gain is ≈ 1 and the filter refits y exactly every bar: β tracks
 * (y − α)/x, e is tiny noise and z is meaningless. Use `scale: "first"` to read δ and Ve relative to the first bar's
 * prices (δ = 1e-4 then allows a 1 % relative β step per bar), or pass δ and Ve chosen for the price units.
 *
 * Using it as a pair spread: `e` is the spread (y_t − β_{t−1}x_t − α_{t−1}) and `z` its z-score; both are causal
 * (they use only bars ≤ t), so they can feed zScoreAlerts or a backtest directly. The first bars are a warm-up
 * (θ₀ = 0): skip ~1/√δ-scaled bars or look at `q`.
 *
 * Singular update: Q ≥ Ve > 0 whenever R is positive semi-definite, so the division cannot fail for Ve > 0; if
 * rounding ever makes Q ≤ 0 or non-finite (e.g. a huge δ at huge prices) the function throws DegenerateInputError
 * naming the bar instead of returning NaN.
 *
 * @param y the dependent leg (prices), finite. @param x the hedge leg (prices), finite, same length.
 * @throws RangeError / TypeError (E_PARAM) for bad options or different lengths.
 * @throws NonFiniteInputError at the first NaN/±Infinity of y or x.
 * @throws InsufficientDataError for empty series.
 * @throws DegenerateInputError when Q_t ≤ 0 or non-finite, or (scale "first") when y₀ or x₀ is 0.
 * @example
 * const r = kalmanHedge([2, 4, 6.1, 8], [1, 2, 3, 4], { delta: 0.01, ve: 0.01 });
 * // r.beta ≈ [0, 1.33556, 1.74318, 1.80491], r.e[0] = 2 (θ₀ = 0), r.q[0] = 0.01 (P₀ = 0: Q = Ve), r.z[0] = 20
 */
export function kalmanHedge(y: ArrayLike<number>, x: ArrayLike<number>, options: KalmanHedgeOptions = {}): KalmanHedgeResult {
  assertArrayLike(WHAT, "y", y);
  assertArrayLike(WHAT, "x", x);
  assertSameLength(WHAT, "y", y, "x", x);
  const delta = options.delta ?? 1e-4;
  assertFiniteNumber(WHAT, "delta", delta);
  if (!(delta > 0 && delta < 1)) throw parameterRangeError(WHAT, "delta", "a number in (0, 1)", delta);
  const ve = options.ve ?? 1e-3;
  assertFiniteNumber(WHAT, "ve", ve);
  if (!(ve > 0)) throw parameterRangeError(WHAT, "ve", "a number > 0 (observation noise variance)", ve);
  const scale = options.scale ?? "none";
  assertOneOf(WHAT, "scale", scale, SCALES);
  const theta0 = options.theta0 ?? [0, 0];
  if (!Array.isArray(theta0) || theta0.length !== 2 || !theta0.every(Number.isFinite)) {
    throw parameterRangeError(WHAT, "theta0", "an array [beta0, alpha0] of 2 finite numbers", theta0);
  }
  const p0 = options.p0 ?? [0, 0, 0, 0];
  if (!Array.isArray(p0) || p0.length !== 4 || !p0.every(Number.isFinite) || p0[1] !== p0[2] || p0[0] < 0 || p0[3] < 0 || p0[0] * p0[3] < p0[1] * p0[2]) {
    throw parameterRangeError(WHAT, "p0", "a symmetric positive semi-definite 2x2 matrix as [Pbb, Pba, Pab, Paa]", p0);
  }
  const n = y.length;
  if (n < 1) throw new InsufficientDataError(WHAT, 1, n, "the filter needs at least one bar");
  assertAllFinite(WHAT, "y", y);
  assertAllFinite(WHAT, "x", x);
  let sy = 1;
  let sx = 1;
  if (scale === "first") {
    sy = y[0];
    sx = x[0];
    if (sy === 0) throw new DegenerateInputError(WHAT, "y", "is 0 at bar 0: scale \"first\" divides by the first price");
    if (sx === 0) throw new DegenerateInputError(WHAT, "x", "is 0 at bar 0: scale \"first\" divides by the first price");
  }
  const beta = new Float64Array(n);
  const alpha = new Float64Array(n);
  const es = new Float64Array(n);
  const qs = new Float64Array(n);
  const zs = new Float64Array(n);
  const vw = delta / (1 - delta);
  let t0 = theta0[0], t1 = theta0[1];
  let p00 = p0[0], p01 = p0[1], p10 = p0[2], p11 = p0[3];
  for (let t = 0; t < n; t++) {
    const xt = x[t] / sx;
    const yt = y[t] / sy;
    // R = P + Vw (t > 0), R = P0 (t = 0); P0 is P before the first bar.
    let r00 = p00, r01 = p01, r10 = p10, r11 = p11;
    if (t > 0) {
      r00 = p00 + vw;
      r11 = p11 + vw;
    }
    const yhat = xt * t0 + t1;
    // F·R (row), then (F·R)·Fᵀ, in NumPy's order.
    const fr0 = xt * r00 + r10;
    const fr1 = xt * r01 + r11;
    const q = fr0 * xt + fr1 + ve;
    if (!(q > 0) || !Number.isFinite(q)) {
      throw new DegenerateInputError(WHAT, "x", `gives a singular update at bar ${t} (Q = ${q}): lower 'delta' or use scale "first"`);
    }
    const e = yt - yhat;
    // K = R·Fᵀ / Q
    const k0 = (r00 * xt + r01) / q;
    const k1 = (r10 * xt + r11) / q;
    t0 = t0 + k0 * e;
    t1 = t1 + k1 * e;
    // P = R − (K·F)·R
    const m00 = k0 * xt, m01 = k0, m10 = k1 * xt, m11 = k1;
    p00 = r00 - (m00 * r00 + m01 * r10);
    p01 = r01 - (m00 * r01 + m01 * r11);
    p10 = r10 - (m10 * r00 + m11 * r10);
    p11 = r11 - (m10 * r01 + m11 * r11);
    beta[t] = (t0 * sy) / sx;
    alpha[t] = t1 * sy;
    es[t] = e * sy;
    qs[t] = q * sy * sy;
    zs[t] = e / Math.sqrt(q);
  }
  return { beta, alpha, e: es, q: qs, z: zs };
}
