import { parameterRangeError } from "../errors";
import type { AlertRuleSpec, RuleEvaluator } from "./alert-types";
import { createAdfRule } from "./adf-rule";
import { createCorrelationRule } from "./correlation-rule";
import { createHedgeDriftRule } from "./hedge-drift-rule";
import { createPriceMoveRule } from "./price-move-rule";
import { createQuoteCostRule } from "./quote-cost-rule";
import { createZScoreRule } from "./zscore-rule";

/** Rule kinds, in documentation order. */
export const RULE_KINDS: readonly AlertRuleSpec["kind"][] = ["zscore", "correlation", "hedge-drift", "adf", "price-move", "quote-cost"];

/**
 * Validates a rule spec and builds its evaluator (internal to the engine; exported for tests). O(1).
 * @throws RangeError (E_PARAM) naming the rule id and the field for any bad field or an unknown kind.
 * @example createRule({ kind: "price-move", id: "btc-1pct", symbol: "btcusdt", window: 60, percent: 1 }).barsNeeded // 61
 */
export function createRule(spec: AlertRuleSpec): RuleEvaluator {
  if (spec === null || typeof spec !== "object") throw parameterRangeError("alert rule", "spec", "an object { kind, id, … }", spec);
  switch (spec.kind) {
    case "zscore":
      return createZScoreRule(spec);
    case "correlation":
      return createCorrelationRule(spec);
    case "hedge-drift":
      return createHedgeDriftRule(spec);
    case "adf":
      return createAdfRule(spec);
    case "price-move":
      return createPriceMoveRule(spec);
    case "quote-cost":
      return createQuoteCostRule(spec);
    default:
      throw parameterRangeError(`alert rule ${JSON.stringify((spec as { id?: unknown }).id)}`, "kind", RULE_KINDS.map((k) => JSON.stringify(k)).join(", "), (spec as { kind?: unknown }).kind);
  }
}
