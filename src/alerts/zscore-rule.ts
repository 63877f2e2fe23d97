import { rollingOls, rollingZScore, spread, zScoreAlerts, type SpreadSide, type ZScoreAlerts } from "../analytics";
import type { JsonValue, RuleContext, RuleEvaluator, RuleSignal, ZScoreRuleSpec } from "./alert-types";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";
import { parameterRangeError } from "../errors";

/**
 * The z-score rule: at each evaluation, the dashboard's z of the latest bar (rolling OLS β over
 * `hedgeWindow`, rolling-hedge spread, rolling z over `zWindow`; needs hedgeWindow + zWindow − 1
 * bars) is fed to `zScoreAlerts({ threshold: entry, exit, cooldownMs })`, and its `enter` / `exit` events
 * become signals — the same state machine, hysteresis and per-side cooldown as the notebook alerts.
 * The machine's position and entry times are persisted; restoring replays them through `feed` (its only API).
 * O(hedgeWindow + zWindow) per evaluation.
 */
export function createZScoreRule(spec: ZScoreRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const y = checkSymbol(spec, "y", spec.y);
  const x = checkSymbol(spec, "x", spec.x);
  if (x === y) throw parameterRangeError(ruleWhat(spec), "x", `a symbol other than y (${y})`, spec.x);
  const rw = checkInt(spec, "hedgeWindow", spec.hedgeWindow, 3);
  const zw = checkInt(spec, "zWindow", spec.zWindow, 2);
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
  const need = rw + zw - 1;
  return {
    spec,
    barsNeeded: need,
    symbols: [y, x],
    get lastValue() {
      return lastValue;
    },
    evaluate(ctx: RuleContext): RuleSignal[] {
      const ys = ctx.closes(y, need);
      const xs = ctx.closes(x, need);
      if (ys === null || xs === null) return [];
      const ols = rollingOls(ys, xs, rw);
      const s = spread(ys, xs, ols.beta, ols.alpha);
      const z = rollingZScore(s, zw)[need - 1];
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
    },
  };
}
