import { ols } from "../analytics";
import { PairlabError, parameterRangeError } from "../errors";
import { adfTest } from "../stationarity";
import type { AdfRuleSpec, JsonValue, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Spread ADF p-value crossing a level: every `every` closed bars, the spread y − α − β·x with a static OLS
 * hedge over the last `window` bars is tested with `adfTest` (constant, AIC lag search: statsmodels'
 * `adfuller` defaults) and its MacKinnon p-value compared with `level`. Note: this is the ADF p-value of an
 * estimated residual, which over-rejects compared with the Engle-Granger critical values (use it as a
 * monitor, the stationarity notebook for inference). Between tests the last p-value stands; intra-bar
 * updates never re-test. Edge-triggered with hysteresis. A degenerate window (constant prices) is skipped.
 * O(window · maxlag) per test, O(1) between tests.
 */
export function createAdfRule(spec: AdfRuleSpec): RuleEvaluator {
  checkCommon(spec);
  const y = checkSymbol(spec, "y", spec.y);
  const x = checkSymbol(spec, "x", spec.x);
  if (x === y) throw parameterRangeError(ruleWhat(spec), "x", `a symbol other than y (${y})`, spec.x);
  const window = checkInt(spec, "window", spec.window, 20);
  const every = checkInt(spec, "every", spec.every ?? 10, 1);
  const level = checkNumber(spec, "level", spec.level ?? 0.05, 0, 1, true);
  const direction = spec.direction ?? "below";
  if (direction !== "below" && direction !== "above") throw parameterRangeError(ruleWhat(spec), "direction", '"below" or "above"', direction);
  const h = checkNumber(spec, "hysteresis", spec.hysteresis ?? 0.01, 0, 1);
  const maxlag = spec.maxlag === undefined ? undefined : checkInt(spec, "maxlag", spec.maxlag, 0);
  const trigger = new LevelTrigger();
  let lastValue = NaN;
  let closedSinceTest = Infinity;
  return {
    spec,
    barsNeeded: window,
    symbols: [y, x],
    get lastValue() {
      return lastValue;
    },
    evaluate(ctx: RuleContext): RuleSignal[] {
      if (!ctx.closed) return [];
      const ys = ctx.closes(y, window);
      const xs = ctx.closes(x, window);
      if (ys === null || xs === null) return [];
      if (++closedSinceTest < every) return [];
      closedSinceTest = 0;
      let p: number;
      try {
        const fit = ols(ys, xs);
        const s = new Float64Array(window);
        for (let i = 0; i < window; i++) s[i] = ys[i] - fit.alpha - fit.beta * xs[i];
        p = adfTest(s, { maxlag }).pValue;
      } catch (error) {
        if (error instanceof PairlabError) return []; // degenerate or too short: no test this time
        throw error;
      }
      lastValue = p;
      const met = direction === "below" ? p < level : p > level;
      const rearm = direction === "below" ? p >= level + h : p <= level - h;
      if (!trigger.update(met, rearm)) return [];
      return [
        {
          key: direction,
          value: p,
          level,
          message: `ADF p-value of the ${y}/${x} spread over ${window} bars = ${p.toFixed(4)} ${direction === "below" ? "<" : ">"} ${level}${direction === "below" ? " (looks stationary)" : " (cointegration weakening)"}`,
        },
      ];
    },
    state: (): JsonValue => ({ trigger: trigger.state(), closedSinceTest: Number.isFinite(closedSinceTest) ? closedSinceTest : null, lastValue: Number.isFinite(lastValue) ? lastValue : null }),
    restore(s: JsonValue): void {
      if (s === null || typeof s !== "object" || Array.isArray(s)) return;
      trigger.restore(s.trigger ?? null);
      if (typeof s.closedSinceTest === "number") closedSinceTest = s.closedSinceTest;
      if (typeof s.lastValue === "number") lastValue = s.lastValue;
    },
  };
}
