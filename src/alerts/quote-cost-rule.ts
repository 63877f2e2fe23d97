import { ols } from "../analytics";
import { PairlabError, parameterRangeError } from "../errors";
import { roundTripCost } from "../quotes";
import type { JsonValue, QuoteCostRuleSpec, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Quote cost: the pair's round-trip cost at the current touch (`roundTripCost`: entering and exiting one
 * unit of y against β units of x, crossing both spreads, plus `feeBps` per fill) in bps of the gross
 * notional, above `aboveBps`. β is fixed (`beta`) or the OLS slope over the last `betaWindow` bars. Without
 * quotes for both legs nothing is evaluated. Edge-triggered with hysteresis. O(betaWindow) per evaluation.
 */
export function createQuoteCostRule(spec: QuoteCostRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const y = checkSymbol(spec, "y", spec.y);
  const x = checkSymbol(spec, "x", spec.x);
  if (x === y) throw parameterRangeError(ruleWhat(spec), "x", `a symbol other than y (${y})`, spec.x);
  const level = checkNumber(spec, "aboveBps", spec.aboveBps, 0, 1e6, true);
  const fixedBeta = spec.beta === undefined ? undefined : checkNumber(spec, "beta", spec.beta, -1e12, 1e12);
  const betaWindow = checkInt(spec, "betaWindow", spec.betaWindow ?? 100, 3);
  const feeBps = checkNumber(spec, "feeBps", spec.feeBps ?? 0, 0, 1e4);
  const h = checkNumber(spec, "hysteresis", spec.hysteresis ?? level / 10, 0, level);
  const trigger = new LevelTrigger();
  let lastValue = NaN;
  const need = fixedBeta === undefined ? betaWindow : 1;
  return {
    spec,
    barsNeeded: need,
    symbols: [y, x],
    get lastValue() {
      return lastValue;
    },
    evaluate(ctx: RuleContext): RuleSignal[] {
      const ty = ctx.touch(y);
      const tx = ctx.touch(x);
      if (ty === undefined || tx === undefined) return [];
      let beta = fixedBeta;
      if (beta === undefined) {
        const ys = ctx.closes(y, betaWindow);
        const xs = ctx.closes(x, betaWindow);
        if (ys === null || xs === null) return [];
        try {
          beta = ols(ys, xs).beta;
        } catch (error) {
          if (error instanceof PairlabError) return [];
          throw error;
        }
      }
      const bps = roundTripCost({ bidY: [ty.bid], askY: [ty.ask], bidX: [tx.bid], askX: [tx.ask] }, beta, { feeBps }).costBps[0];
      lastValue = bps;
      if (!Number.isFinite(bps)) return [];
      if (!trigger.update(bps > level, bps <= level - h)) return [];
      return [{ key: "above", value: bps, level, message: `round-trip cost ${y}/${x} at the touch = ${bps.toFixed(2)} bps > ${level} bps (β ${beta.toPrecision(4)})` }];
    },
    state: (): JsonValue => trigger.state(),
    restore: (s: JsonValue): void => trigger.restore(s),
  };
}
