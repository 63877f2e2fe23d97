import { parameterRangeError } from "../errors";
import type { HedgeDriftRuleSpec, JsonValue, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Hedge-ratio drift: β_now (OLS of y on x with intercept over the last `window` bars, as `rollingOls`) vs
 * β_then (the window ending `lookback` bars earlier); drift % = |β_now − β_then| / |β_then| · 100. Fires when
 * drift > percent; re-arms at ≤ percent − hysteresis. A degenerate window (constant x: β undefined) changes
 * nothing. O(window) per evaluation: the two windows' β by an exact two-pass fit each (the numbers of
 * `rollingOls`, to ~1e-12 relative), with no allocation (the per-bar garbage of a full rolling fit made GC pauses).
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
      const now = windowBeta(ys, xs, lookback, need);
      const then = windowBeta(ys, xs, 0, window);
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

/**
 * OLS slope (with intercept) of y on x over indices [from, to): two-pass centered sums; NaN when x is constant
 * (Sxx ≤ 1e-14 · n · x̄²: the rounding noise of a constant window). O(to − from), no allocation.
 */
function windowBeta(y: ArrayLike<number>, x: ArrayLike<number>, from: number, to: number): number {
  const n = to - from;
  let mx = 0;
  let my = 0;
  for (let i = from; i < to; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < to; i++) {
    const dx = x[i] - mx;
    sxx += dx * dx;
    sxy += dx * (y[i] - my);
  }
  return sxx > 1e-14 * n * mx * mx ? sxy / sxx : NaN;
}
