import { rollingOls } from "../analytics";
import { parameterRangeError } from "../errors";
import type { HedgeDriftRuleSpec, JsonValue, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Hedge-ratio drift: β_now (OLS of y on x with intercept over the last `window` bars, as `rollingOls`) vs
 * β_then (the window ending `lookback` bars earlier); drift % = |β_now − β_then| / |β_then| · 100. Fires when
 * drift > percent; re-arms at ≤ percent − hysteresis. A degenerate window (constant x: β undefined) changes
 * nothing. O(window + lookback) per evaluation.
 */
export function createHedgeDriftRule(spec: HedgeDriftRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const y = checkSymbol(spec, "y", spec.y);
  const x = checkSymbol(spec, "x", spec.x);
  if (x === y) throw parameterRangeError(ruleWhat(spec), "x", `a symbol other than y (${y})`, spec.x);
  const window = checkInt(spec, "window", spec.window, 3);
  const lookback = checkInt(spec, "lookback", spec.lookback, 1);
  const percent = checkNumber(spec, "percent", spec.percent, 0, 1e6, true);
  const h = checkNumber(spec, "hysteresis", spec.hysteresis ?? percent / 5, 0, percent);
  const trigger = new LevelTrigger();
  let lastValue = NaN;
  const need = window + lookback;
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
      const beta = rollingOls(ys, xs, window).beta;
      const now = beta[need - 1];
      const then = beta[need - 1 - lookback];
      const drift = (Math.abs(now - then) / Math.abs(then)) * 100;
      lastValue = drift;
      if (!Number.isFinite(drift)) return [];
      if (!trigger.update(drift > percent, drift <= percent - h)) return [];
      return [
        {
          key: "drift",
          value: drift,
          level: percent,
          message: `hedge ratio ${y}/${x} moved ${drift.toFixed(1)} % over ${lookback} bars (β ${then.toPrecision(5)} → ${now.toPrecision(5)}) > ${percent} %`,
        },
      ];
    },
    state: (): JsonValue => trigger.state(),
    restore: (s: JsonValue): void => trigger.restore(s),
  };
}
