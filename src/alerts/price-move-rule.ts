import { parameterRangeError } from "../errors";
import type { JsonValue, PriceMoveRuleSpec, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Price move: move % = (close_now / close_{window bars ago} − 1) · 100. Fires when the move reaches
 * `percent` in the chosen direction ("either": |move|); re-arms once it is back below percent − hysteresis.
 * O(1) per evaluation.
 */
export function createPriceMoveRule(spec: PriceMoveRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const symbol = checkSymbol(spec, "symbol", spec.symbol);
  const window = checkInt(spec, "window", spec.window, 1);
  const percent = checkNumber(spec, "percent", spec.percent, 0, 1e6, true);
  const direction = spec.direction ?? "either";
  if (direction !== "either" && direction !== "up" && direction !== "down") throw parameterRangeError(ruleWhat(spec), "direction", '"either", "up" or "down"', direction);
  const h = checkNumber(spec, "hysteresis", spec.hysteresis ?? percent / 5, 0, percent);
  const trigger = new LevelTrigger();
  let lastValue = NaN;
  const need = window + 1;
  return {
    spec,
    barsNeeded: need,
    symbols: [symbol],
    get lastValue() {
      return lastValue;
    },
    evaluate(ctx: RuleContext): RuleSignal[] {
      const c = ctx.closes(symbol, need);
      if (c === null) return [];
      const move = (c[need - 1] / c[0] - 1) * 100;
      lastValue = move;
      if (!Number.isFinite(move)) return [];
      const signed = direction === "up" ? move : direction === "down" ? -move : Math.abs(move);
      if (!trigger.update(signed >= percent, signed < percent - h)) return [];
      const key = move >= 0 ? "up" : "down";
      return [{ key, value: move, level: percent, message: `${symbol} moved ${move >= 0 ? "+" : ""}${move.toFixed(2)} % over ${window} bars (threshold ${percent} %)` }];
    },
    state: (): JsonValue => trigger.state(),
    restore: (s: JsonValue): void => trigger.restore(s),
  };
}
