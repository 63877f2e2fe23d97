import { rollingCorrelation } from "../analytics";
import { parameterRangeError } from "../errors";
import type { CorrelationRuleSpec, JsonValue, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Correlation breakdown: the rolling correlation of log returns of `a` and `b` over `window` returns
 * (`rollingCorrelation(…, { on: "returns" })`, the dashboard's) drops below `below`. Edge-triggered with
 * hysteresis ({@link LevelTrigger}): re-arms at ≥ below + hysteresis. A NaN correlation (flat prices)
 * changes nothing. O(window) per evaluation.
 */
export function createCorrelationRule(spec: CorrelationRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const a = checkSymbol(spec, "a", spec.a);
  const b = checkSymbol(spec, "b", spec.b);
  if (a === b) throw parameterRangeError(ruleWhat(spec), "b", `a symbol other than a (${a})`, spec.b);
  const window = checkInt(spec, "window", spec.window, 2);
  const below = checkNumber(spec, "below", spec.below, -1, 1);
  const h = checkNumber(spec, "hysteresis", spec.hysteresis ?? 0.05, 0, 2);
  const trigger = new LevelTrigger();
  let lastValue = NaN;
  const need = window + 1;
  return {
    spec,
    barsNeeded: need,
    symbols: [a, b],
    get lastValue() {
      return lastValue;
    },
    evaluate(ctx: RuleContext): RuleSignal[] {
      const as = ctx.closes(a, need);
      const bs = ctx.closes(b, need);
      if (as === null || bs === null) return [];
      const r = rollingCorrelation(as, bs, window, { on: "returns" })[need - 1];
      lastValue = r;
      if (!Number.isFinite(r)) return [];
      if (!trigger.update(r < below, r >= below + h)) return [];
      return [{ key: "below", value: r, level: below, message: `correlation ${a}/${b} over ${window} bars = ${r.toFixed(3)} < ${below}` }];
    },
    state: (): JsonValue => trigger.state(),
    restore: (s: JsonValue): void => trigger.restore(s),
  };
}
