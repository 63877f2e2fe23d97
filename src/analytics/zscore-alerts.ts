import { parameterRangeError } from "../errors";
import { assertArrayLike, assertSameLength } from "../validate";
import { ENTER_LONG, ENTER_SHORT, EXIT, FLAT, LONG, SHORT, STOP, spreadDecision } from "./spread-decision";

const WHAT = "z-score alerts";

/**
 * Side of a spread position. The spread is `y - alpha - beta·x` (see `spread`):
 * - `"short-spread"`: z >= +threshold, the spread is rich → sell y, buy beta·x.
 * - `"long-spread"`: z <= -threshold, the spread is cheap → buy y, sell beta·x.
 */
export type SpreadSide = "long-spread" | "short-spread";

/** One alert. `time` is the time passed to `feed` (epoch ms); `z` the z-score that triggered it. */
export interface ZScoreAlertEvent {
  time: number;
  kind: "enter" | "exit";
  side: SpreadSide;
  z: number;
  /** Present (`"stop"`) only on an exit decided by the `stop` level. */
  reason?: "stop";
}

/** Options of {@link zScoreAlerts}. */
export interface ZScoreAlertOptions {
  /** Entry level, > 0: enter short-spread at z >= threshold, long-spread at z <= -threshold. */
  threshold: number;
  /** Exit level, 0 <= exit < threshold (default 0: exit when z crosses the mean). */
  exit?: number;
  /** Minimum time in ms between two `enter` events of the same side (default 0). */
  cooldownMs?: number;
  /**
   * Stop level, > threshold (default none): a short-spread exits at z >= stop, a long-spread at z <= -stop;
   * the exit event carries `reason: "stop"`.
   */
  stop?: number;
  /**
   * Whether an entry may follow an exit at the same point: `"same-bar"` (default, the dashboard's
   * historical behaviour: an exit through the opposite threshold is followed by an entry on the other side)
   * or `"next-bar"` (the backtest's rule: an entry can come at the next point at the earliest). With
   * `"next-bar"` and no cooldown, the entries equal `backtestPair`'s entry signals on the same z-scores.
   */
  reentry?: "same-bar" | "next-bar";
}

/** Stateful alert machine returned by {@link zScoreAlerts}. */
export interface ZScoreAlerts {
  /** Feeds one point; returns the events it triggers (0, 1 or 2: an exit then an entry on the other side). */
  feed(time: number, z: number): ZScoreAlertEvent[];
  /** Feeds a whole series in order; returns all events (identical to feeding point by point). */
  run(time: ArrayLike<number>, z: ArrayLike<number>): ZScoreAlertEvent[];
  /** Current position: the side entered and not yet exited, or null when flat. */
  readonly position: SpreadSide | null;
}

/**
 * Threshold alerts on a z-score with hysteresis and a per-side cooldown, usable live (one point at a
 * time with `feed`) or on a whole series (`run` / {@link zScoreAlertsBatch}) with identical results.
 *
 * State machine (one position at a time; the decisions come from the same function as the backtest's,
 * `spreadDecision` in `analytics/spread-decision.ts`):
 * - flat → `enter short-spread` when z >= threshold; `enter long-spread` when z <= -threshold.
 * - short-spread → `exit` (reason `"stop"`) when z >= stop, else `exit` when z <= exit; long-spread → `exit`
 *   (reason `"stop"`) when z <= -stop, else `exit` when z >= -exit (i.e. |z| <= exit, or overshooting through
 *   the band). With `reentry: "same-bar"` (default), if the same point is beyond the opposite threshold, the
 *   exit is followed by an entry on the other side; with `"next-bar"` it is not (the backtest's rule). A stop is
 *   never followed by an entry at the same point.
 * - cooldown: an `enter` on a side is suppressed until `cooldownMs` has elapsed since the previous
 *   `enter` on that side; if z is still beyond the threshold when the cooldown ends, the entry fires then.
 * - a NaN z (e.g. rolling warm-up) changes nothing and emits nothing.
 *
 * O(1) per point.
 *
 * @throws RangeError (E_PARAM) before any work for a non-finite or non-positive threshold, an exit outside
 *   [0, threshold), a negative or non-finite cooldown, a stop <= threshold, an unknown `reentry`; from `feed` when time is not finite or goes
 *   backwards, or z is ±Infinity.
 * @example
 * const alerts = zScoreAlerts({ threshold: 2, exit: 0.5 });
 * alerts.feed(1000, 2.3) // [{ time: 1000, kind: "enter", side: "short-spread", z: 2.3 }]
 * alerts.feed(2000, 1.0) // []
 * alerts.feed(3000, 0.4) // [{ time: 3000, kind: "exit", side: "short-spread", z: 0.4 }]
 */
export function zScoreAlerts(options: ZScoreAlertOptions): ZScoreAlerts {
  if (options === null || typeof options !== "object") throw parameterRangeError(WHAT, "options", "an object { threshold, exit?, cooldownMs?, stop?, reentry? }", options);
  const threshold = options.threshold;
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold <= 0) {
    throw parameterRangeError(WHAT, "threshold", "a finite number > 0", threshold);
  }
  const exit = options.exit ?? 0;
  if (typeof exit !== "number" || !Number.isFinite(exit) || exit < 0 || exit >= threshold) {
    throw parameterRangeError(WHAT, "exit", `a finite number in [0, threshold = ${threshold})`, exit);
  }
  const cooldownMs = options.cooldownMs ?? 0;
  if (typeof cooldownMs !== "number" || !Number.isFinite(cooldownMs) || cooldownMs < 0) {
    throw parameterRangeError(WHAT, "cooldownMs", "a finite number >= 0", cooldownMs);
  }
  const stop = options.stop ?? Infinity;
  if (options.stop !== undefined && (typeof stop !== "number" || !Number.isFinite(stop) || stop <= threshold)) {
    throw parameterRangeError(WHAT, "stop", `a finite number > threshold = ${threshold}, or undefined (no stop)`, options.stop);
  }
  const reentry = options.reentry ?? "same-bar";
  if (reentry !== "same-bar" && reentry !== "next-bar") throw parameterRangeError(WHAT, "reentry", `"same-bar" or "next-bar"`, reentry);
  let code = FLAT;
  let position: SpreadSide | null = null;
  let lastTime = -Infinity;
  let lastShortEnter = -Infinity;
  let lastLongEnter = -Infinity;

  function step(time: number, z: number, events: ZScoreAlertEvent[]): void {
    if (typeof time !== "number" || !Number.isFinite(time) || time < lastTime) {
      throw parameterRangeError(WHAT, "time", `a finite, non-decreasing number (previous ${lastTime})`, time);
    }
    if (z === Infinity || z === -Infinity || typeof z !== "number") throw parameterRangeError(WHAT, "z", "a finite number or NaN", z);
    lastTime = time;
    if (z !== z) return;
    let decision = spreadDecision(code, z, threshold, exit, stop);
    if (decision === EXIT || decision === STOP) {
      events.push(decision === STOP ? { time, kind: "exit", side: position as SpreadSide, z, reason: "stop" } : { time, kind: "exit", side: position as SpreadSide, z });
      code = FLAT;
      position = null;
      if (reentry === "next-bar" || decision === STOP) return; // a stop never re-enters on its own point
      decision = spreadDecision(FLAT, z, threshold, exit, stop);
    }
    if (decision === ENTER_SHORT && time - lastShortEnter >= cooldownMs) {
      code = SHORT;
      position = "short-spread";
      lastShortEnter = time;
      events.push({ time, kind: "enter", side: position, z });
    } else if (decision === ENTER_LONG && time - lastLongEnter >= cooldownMs) {
      code = LONG;
      position = "long-spread";
      lastLongEnter = time;
      events.push({ time, kind: "enter", side: position, z });
    }
  }

  return {
    feed(time: number, z: number): ZScoreAlertEvent[] {
      const events: ZScoreAlertEvent[] = [];
      step(time, z, events);
      return events;
    },
    run(time: ArrayLike<number>, z: ArrayLike<number>): ZScoreAlertEvent[] {
      assertArrayLike(WHAT, "time", time);
      assertArrayLike(WHAT, "z", z);
      assertSameLength(WHAT, "time", time, "z", z);
      const events: ZScoreAlertEvent[] = [];
      for (let i = 0; i < time.length; i++) step(time[i], z[i], events);
      return events;
    },
    get position() {
      return position;
    },
  };
}

/**
 * Batch form of {@link zScoreAlerts}: all events of a whole (time, z) series, identical to feeding the
 * points one by one to a fresh `zScoreAlerts(options)`. O(n).
 *
 * @throws RangeError / TypeError (E_PARAM) as {@link zScoreAlerts}, and for series of different lengths.
 * @example
 * zScoreAlertsBatch([1, 2, 3], [2.5, -0.1, -2.2], { threshold: 2 })
 * // [{ time: 1, kind: "enter", side: "short-spread", z: 2.5 }, { time: 2, kind: "exit", side: "short-spread", z: -0.1 },
 * //  { time: 3, kind: "enter", side: "long-spread", z: -2.2 }]
 */
export function zScoreAlertsBatch(time: ArrayLike<number>, z: ArrayLike<number>, options: ZScoreAlertOptions): ZScoreAlertEvent[] {
  return zScoreAlerts(options).run(time, z);
}
