import { DegenerateInputError, parameterRangeError } from "../errors";
import type { CorrelationRuleSpec, JsonValue, RuleContext, RuleEvaluator, RuleSignal } from "./alert-types";
import { LevelTrigger } from "./level-trigger";
import { checkCommon, checkInt, checkNumber, checkSymbol, ruleWhat } from "./rule-checks";

/**
 * Correlation breakdown: the rolling correlation of log returns of `a` and `b` over `window` returns
 * (`rollingCorrelation(…, { on: "returns" })`, the dashboard's) drops below `below`. Edge-triggered with
 * hysteresis ({@link LevelTrigger}): re-arms at ≥ below + hysteresis. A NaN correlation (flat prices)
 * changes nothing. O(window) per evaluation, no allocation: the window's log returns go to two scratch arrays
 * allocated once, then an exact two-pass Pearson correlation (the value of `rollingCorrelation`'s last slot to
 * ~1e-13; per-bar allocations of a full rolling call made GC pauses).
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
  const ra = new Float64Array(window);
  const rb = new Float64Array(window);
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
      const r = lastCorrelation(as, bs, ra, rb, ruleWhat(spec));
      lastValue = r;
      if (!Number.isFinite(r)) return [];
      if (!trigger.update(r < below, r >= below + h)) return [];
      return [{ key: "below", value: r, level: below, message: `correlation ${a}/${b} over ${window} bars = ${r.toFixed(3)} < ${below}` }];
    },
    state: (): JsonValue => trigger.state(),
    restore: (s: JsonValue): void => trigger.restore(s),
  };
}

/**
 * ln(p1 / p0) as `rollingCorrelation` computes it: 2·atanh(u), u = (p1 − p0) / (p1 + p0), for |u| ≤ 0.01 (a few
 * ulps), Math.log(p1 / p0) otherwise.
 */
function logRatio(p1: number, p0: number): number {
  const u = (p1 - p0) / (p1 + p0);
  if (Math.abs(u) > 0.01) return Math.log(p1 / p0);
  const u2 = u * u;
  return 2 * u * (1 + u2 * (1 / 3 + u2 * (1 / 5 + u2 * (1 / 7 + u2 * (1 / 9 + u2 * (1 / 11))))));
}

/**
 * Pearson correlation of the log returns of `a` and `b` (window + 1 prices → window returns in `ra`, `rb`):
 * NaN with a NaN price or a constant return series (as `rollingCorrelation`).
 * @throws DegenerateInputError for a price ≤ 0 (log return undefined), as `rollingCorrelation`.
 */
function lastCorrelation(a: ArrayLike<number>, b: ArrayLike<number>, ra: Float64Array, rb: Float64Array, what: string): number {
  const w = ra.length;
  let ma = 0;
  let mb = 0;
  let constA = true;
  let constB = true;
  for (let i = 0; i < w; i++) {
    if (a[i + 1] <= 0 || a[i] <= 0) throw new DegenerateInputError(what, "a", `must be > 0 for log returns, got ${Math.min(a[i], a[i + 1])}`);
    if (b[i + 1] <= 0 || b[i] <= 0) throw new DegenerateInputError(what, "b", `must be > 0 for log returns, got ${Math.min(b[i], b[i + 1])}`);
    const x = logRatio(a[i + 1], a[i]);
    const y = logRatio(b[i + 1], b[i]);
    ra[i] = x;
    rb[i] = y;
    ma += x;
    mb += y;
    if (x !== ra[0]) constA = false;
    if (y !== rb[0]) constB = false;
  }
  if (constA || constB || Number.isNaN(ma) || Number.isNaN(mb)) return NaN;
  ma /= w;
  mb /= w;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < w; i++) {
    const da = ra[i] - ma;
    const db = rb[i] - mb;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
  }
  return sab / Math.sqrt(saa * sbb);
}
