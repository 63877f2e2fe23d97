import { DegenerateInputError, parameterRangeError } from "../errors";

/** One bar of {@link KalmanFilter}: the same quantities as {@link kalmanHedge}'s outputs at that bar. */
export interface KalmanStep {
  /** β after the update at this bar (units of y per unit of x); before the update for `forecast`. */
  beta: number;
  /** α after the update at this bar (units of y); before the update for `forecast`. */
  alpha: number;
  /** Forecast error e = y − β_prev·x − α_prev (units of y): the Kalman spread. */
  e: number;
  /** Its variance Q (units of y²). */
  q: number;
  /** z = e / √Q. */
  z: number;
}

/** The persisted state of a {@link KalmanFilter} (plain finite numbers: JSON round-trips it exactly). */
export interface KalmanFilterState {
  /** Bars updated so far. */
  steps: number;
  /** θ = [β, α] in the filter's (scaled) units. */
  theta: [number, number];
  /** P, row-major 2×2, scaled units. */
  p: [number, number, number, number];
  /** Scale of y and x (the first bar's prices with scale "first", else 1). */
  sy: number;
  sx: number;
}

/**
 * {@link kalmanHedge}'s recursion one bar at a time, for consumers that see bars as they arrive (the background
 * alert rule). `update(y, x)` at bars 0 … n−1 returns, bar for bar, bit-identical β, α, e, Q, z to
 * `kalmanHedge(y, x, { delta, ve, scale })` (same operations in the same order, θ₀ = 0, P₀ = 0); `forecast(y, x)`
 * gives the e, Q, z the next update would give for a still-forming bar, without changing the state. O(1) per bar.
 * @example
 * const f = new KalmanFilter({ delta: 0.01, ve: 0.01, scale: "none" });
 * [[2, 1], [4, 2], [6.1, 3]].map(([y, x]) => f.update(y, x).beta) // [0, 1.33556…, 1.74318…] as kalmanHedge
 */
export class KalmanFilter {
  readonly delta: number;
  readonly ve: number;
  readonly scale: "none" | "first";
  private readonly vw: number;
  private s: KalmanFilterState = { steps: 0, theta: [0, 0], p: [0, 0, 0, 0], sy: 1, sx: 1 };

  /** @throws RangeError (E_PARAM) for δ outside (0, 1), Ve ≤ 0 or an unknown scale. */
  constructor(options: { delta: number; ve: number; scale: "none" | "first" }) {
    const { delta, ve, scale } = options;
    if (!(delta > 0 && delta < 1)) throw parameterRangeError("Kalman filter", "delta", "a number in (0, 1)", delta);
    if (!(ve > 0) || ve === Infinity) throw parameterRangeError("Kalman filter", "ve", "a finite number > 0", ve);
    if (scale !== "none" && scale !== "first") throw parameterRangeError("Kalman filter", "scale", '"none" or "first"', scale);
    this.delta = delta;
    this.ve = ve;
    this.scale = scale;
    this.vw = delta / (1 - delta);
  }

  /** Bars updated so far (the index the next update's bar has). */
  get steps(): number {
    return this.s.steps;
  }

  /**
   * Filters bar (y, x) and advances the state.
   * @throws DegenerateInputError for a singular update (Q ≤ 0 or not finite) or, with scale "first", a first price of 0.
   */
  update(y: number, x: number): KalmanStep {
    return this.run(y, x, true);
  }

  /** What {@link update} would return for (y, x) as the next bar, without changing the state (β, α are the current ones). */
  forecast(y: number, x: number): KalmanStep {
    return this.run(y, x, false);
  }

  /** A copy of the state (for persistence). */
  state(): KalmanFilterState {
    const s = this.s;
    return { steps: s.steps, theta: [s.theta[0], s.theta[1]], p: [s.p[0], s.p[1], s.p[2], s.p[3]], sy: s.sy, sx: s.sx };
  }

  /** Restores a state from {@link state}; returns false (state unchanged) when `value` is not a valid state. */
  restore(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    const v = value as Partial<KalmanFilterState>;
    const finite = (a: unknown, len: number): a is number[] => Array.isArray(a) && a.length === len && a.every((e) => typeof e === "number" && Number.isFinite(e));
    if (typeof v.steps !== "number" || !Number.isInteger(v.steps) || v.steps < 0) return false;
    if (!finite(v.theta, 2) || !finite(v.p, 4) || typeof v.sy !== "number" || typeof v.sx !== "number" || !(v.sy !== 0) || !(v.sx !== 0)) return false;
    this.s = { steps: v.steps, theta: [v.theta[0], v.theta[1]], p: [v.p[0], v.p[1], v.p[2], v.p[3]], sy: v.sy, sx: v.sx };
    return true;
  }

  private run(y: number, x: number, commit: boolean): KalmanStep {
    const s = this.s;
    let sy = s.sy, sx = s.sx;
    if (s.steps === 0 && this.scale === "first") {
      if (y === 0) throw new DegenerateInputError("Kalman filter", "y", 'is 0 at bar 0: scale "first" divides by the first price');
      if (x === 0) throw new DegenerateInputError("Kalman filter", "x", 'is 0 at bar 0: scale "first" divides by the first price');
      sy = y;
      sx = x;
    }
    // kalmanHedge's loop body, operation for operation.
    const xt = x / sx;
    const yt = y / sy;
    const [p00, p01, p10, p11] = s.p;
    let r00 = p00, r01 = p01, r10 = p10, r11 = p11;
    if (s.steps > 0) {
      r00 = p00 + this.vw;
      r11 = p11 + this.vw;
    }
    let t0 = s.theta[0], t1 = s.theta[1];
    const yhat = xt * t0 + t1;
    const fr0 = xt * r00 + r10;
    const fr1 = xt * r01 + r11;
    const q = fr0 * xt + fr1 + this.ve;
    if (!(q > 0) || !Number.isFinite(q)) {
      throw new DegenerateInputError("Kalman filter", "x", `gives a singular update at bar ${s.steps} (Q = ${q}): lower 'delta' or use scale "first"`);
    }
    const e = yt - yhat;
    if (commit) {
      const k0 = (r00 * xt + r01) / q;
      const k1 = (r10 * xt + r11) / q;
      t0 = t0 + k0 * e;
      t1 = t1 + k1 * e;
      const m00 = k0 * xt, m01 = k0, m10 = k1 * xt, m11 = k1;
      this.s = {
        steps: s.steps + 1,
        theta: [t0, t1],
        p: [r00 - (m00 * r00 + m01 * r10), r01 - (m00 * r01 + m01 * r11), r10 - (m10 * r00 + m11 * r10), r11 - (m10 * r01 + m11 * r11)],
        sy,
        sx,
      };
    }
    return { beta: (t0 * sy) / sx, alpha: t1 * sy, e: e * sy, q: q * sy * sy, z: e / Math.sqrt(q) };
  }
}
