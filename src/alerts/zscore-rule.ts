import { rollingOls, rollingZScore, spread, zScoreAlerts, type SpreadSide, type ZScoreAlerts } from "../analytics";
import type { JsonValue, RuleContext, RuleEvaluator, RuleSignal, ZScoreRuleSpec } from "./alert-types";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";
import { parameterRangeError } from "../errors";
import { resolveKalmanSettings } from "../backtest/kalman-signal";
import { KalmanFilter } from "../universe/kalman-filter";

/**
 * The z-score rule: at each evaluation, the dashboard's z of the latest bar (rolling OLS β over
 * `hedgeWindow`, rolling-hedge spread, rolling z over `zWindow`; needs hedgeWindow + zWindow − 1
 * bars) is fed to `zScoreAlerts({ threshold: entry, exit, cooldownMs })`, and its `enter` / `exit` events
 * become signals — the same state machine, hysteresis and per-side cooldown as the notebook alerts.
 * The machine's position and entry times are persisted; restoring replays them through `feed` (its only API).
 * O(hedgeWindow + zWindow) per evaluation.
 *
 * With `hedge: "kalman"` the z is the pair's Kalman z = e/√Q (`kalmanSignal` with the `kalman` settings: same
 * `delta`, `ve`, `scale`, `warmup`): a {@link KalmanFilter} is updated once per closed bar, from the first bar
 * the engine evaluates (its state — θ, P, the scale and the bar count — is persisted with the machine's, so a
 * restart continues the same filter); a forming bar reads the forecast of the next update without changing the
 * state. Bars before `warmup` give NaN (no event), and a bar with a missing (non-finite) close is skipped by the
 * filter. Over the same bars as a pair or a backtest with `hedge: "kalman"`, it therefore fires on the same bars.
 * O(1) per evaluation.
 */
export function createZScoreRule(spec: ZScoreRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const y = checkSymbol(spec, "y", spec.y);
  const x = checkSymbol(spec, "x", spec.x);
  if (x === y) throw parameterRangeError(ruleWhat(spec), "x", `a symbol other than y (${y})`, spec.x);
  const hedge = spec.hedge ?? "ols";
  if (hedge !== "ols" && hedge !== "kalman") throw parameterRangeError(ruleWhat(spec), "hedge", '"ols" or "kalman"', spec.hedge);
  const kalman = hedge === "kalman" ? resolveKalmanSettings(ruleWhat(spec), spec.kalman) : null;
  if (kalman === null && spec.kalman !== undefined) throw parameterRangeError(ruleWhat(spec), "kalman", 'undefined unless hedge is "kalman"', "settings with hedge \"ols\"");
  const rw = kalman === null || spec.hedgeWindow !== undefined ? checkInt(spec, "hedgeWindow", spec.hedgeWindow, 3) : 0;
  const zw = kalman === null || spec.zWindow !== undefined ? checkInt(spec, "zWindow", spec.zWindow, 2) : 0;
  const entry = checkNumber(spec, "entry", spec.entry, 0, 1e6, true);
  const exit = spec.exit ?? 0;
  if (typeof exit !== "number" || !Number.isFinite(exit) || exit < 0 || exit >= entry) throw parameterRangeError(ruleWhat(spec), "exit", `a number in [0, entry = ${entry})`, exit);
  const cooldownMs = spec.cooldownMs ?? 0;
  const stop = spec.stop;
  if (stop !== undefined && (typeof stop !== "number" || !(stop > entry) || Number.isNaN(stop))) throw parameterRangeError(ruleWhat(spec), "stop", `a number > entry (${entry})`, stop);
  const reentry = spec.reentry ?? "same-bar";
  if (reentry !== "same-bar" && reentry !== "next-bar") throw parameterRangeError(ruleWhat(spec), "reentry", '"same-bar" or "next-bar"', reentry);
  const options = { threshold: entry, exit, cooldownMs, ...(stop !== undefined && Number.isFinite(stop) ? { stop } : {}), reentry };
  let machine: ZScoreAlerts = zScoreAlerts(options);
  let lastEnter: Record<SpreadSide, number> = { "short-spread": -Infinity, "long-spread": -Infinity };
  let lastTime = -Infinity;
  let lastValue = NaN;
  const need = kalman === null ? rw + zw - 1 : kalman.warmup + 1;
  let filter = kalman === null ? null : new KalmanFilter(kalman);
  /** Time of the last bar the filter was updated with (a closed bar is filtered once). */
  let filteredTime = -Infinity;
  /** The z of the current bar: rolling OLS, or the Kalman filter (updated on a closed bar, forecast on a forming one). */
  const zOf = (ctx: RuleContext): number | null => {
    if (filter === null || kalman === null) {
      const ys = ctx.closes(y, need);
      const xs = ctx.closes(x, need);
      if (ys === null || xs === null) return null;
      const ols = rollingOls(ys, xs, rw);
      const s = spread(ys, xs, ols.beta, ols.alpha);
      return rollingZScore(s, zw)[need - 1];
    }
    const ys = ctx.closes(y, 1);
    const xs = ctx.closes(x, 1);
    if (ys === null || xs === null) return null;
    const yv = ys[0], xv = xs[0];
    if (!Number.isFinite(yv) || !Number.isFinite(xv)) return NaN;
    const bar = filter.steps;
    let step;
    if (ctx.closed && ctx.time > filteredTime) {
      step = filter.update(yv, xv);
      filteredTime = ctx.time;
    } else if (ctx.closed) {
      return lastValue; // the same closed bar again: its z is already known
    } else {
      step = filter.forecast(yv, xv);
    }
    return bar < kalman.warmup ? NaN : step.z;
  };
  return {
    spec,
    barsNeeded: need,
    symbols: [y, x],
    get lastValue() {
      return lastValue;
    },
    evaluate(ctx: RuleContext): RuleSignal[] {
      const z = zOf(ctx);
      if (z === null) return [];
      lastValue = z;
      // zScoreAlerts needs non-decreasing times: intra-bar updates share the bar's time.
      lastTime = ctx.time;
      const events = machine.feed(ctx.time, Number.isFinite(z) ? z : NaN);
      return events.map((e) => {
        if (e.kind === "enter") lastEnter[e.side] = e.time;
        const key = e.kind === "enter" ? `enter ${e.side}` : `exit ${e.side}`;
        const message =
          e.kind === "enter"
            ? `z-score ${y}/${x} = ${e.z.toFixed(2)} ${e.side === "short-spread" ? `>= +${entry}` : `<= -${entry}`}: enter ${e.side}`
            : "reason" in e && e.reason === "stop"
              ? `z-score ${y}/${x} = ${e.z.toFixed(2)} beyond the stop ±${stop}: exit ${e.side}`
              : `z-score ${y}/${x} = ${e.z.toFixed(2)} back within ±${exit}: exit ${e.side}`;
        return { key, value: e.z, level: e.kind === "enter" ? (e.side === "short-spread" ? entry : -entry) : exit, message };
      });
    },
    state(): JsonValue {
      return {
        position: machine.position,
        lastTime: Number.isFinite(lastTime) ? lastTime : null,
        shortEnter: Number.isFinite(lastEnter["short-spread"]) ? lastEnter["short-spread"] : null,
        longEnter: Number.isFinite(lastEnter["long-spread"]) ? lastEnter["long-spread"] : null,
        ...(filter === null ? {} : { kalman: { ...filter.state(), filteredTime: Number.isFinite(filteredTime) ? filteredTime : null } }),
      };
    },
    restore(state: JsonValue): void {
      if (state === null || typeof state !== "object" || Array.isArray(state)) return;
      machine = zScoreAlerts(options);
      lastEnter = { "short-spread": -Infinity, "long-spread": -Infinity };
      const position = state.position === "short-spread" || state.position === "long-spread" ? state.position : null;
      // Replay the entries in time order through the public API: an entry at its time (restores the
      // per-side cooldown), then an exit at the same time unless that side is the open position.
      const entries: [SpreadSide, number][] = [];
      if (typeof state.shortEnter === "number") entries.push(["short-spread", state.shortEnter]);
      if (typeof state.longEnter === "number") entries.push(["long-spread", state.longEnter]);
      entries.sort((a, b) => a[1] - b[1] || (a[0] === position ? 1 : -1));
      for (const [side, t] of entries) {
        machine.feed(t, side === "short-spread" ? entry : -entry);
        lastEnter[side] = t;
        if (side !== position) machine.feed(t, 0);
      }
      if (typeof state.lastTime === "number") lastTime = state.lastTime;
      if (kalman !== null) {
        // The filter continues where it stopped; a missing or invalid state starts it afresh at the next bar.
        filter = new KalmanFilter(kalman);
        filteredTime = -Infinity;
        const k = state.kalman;
        if (k !== null && typeof k === "object" && !Array.isArray(k) && filter.restore(k) && typeof k.filteredTime === "number") filteredTime = k.filteredTime;
      }
    },
  };
}
