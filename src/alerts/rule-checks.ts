import { parameterRangeError } from "../errors";
import { ALERT_FREQUENCIES, type AlertRuleSpec } from "./alert-types";

/**
 * Internal parameter checks shared by the rule factories; every error is a RangeError (E_PARAM) naming the rule
 * id, its kind and the field. O(1) each.
 */

/** "alert rule \"id\" (kind)": the `what` of every rule error message. */
export function ruleWhat(spec: { id?: unknown; kind?: unknown }): string {
  return `alert rule ${JSON.stringify(spec.id)} (${String(spec.kind)})`;
}

/** Checks id, name, frequency and cooldownMs. @throws RangeError (E_PARAM). */
export function checkCommon(spec: AlertRuleSpec): void {
  const what = ruleWhat(spec);
  if (typeof spec.id !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(spec.id)) {
    throw parameterRangeError(what, "id", "1–64 characters of letters, digits, '-', '_' or '.'", spec.id);
  }
  if (spec.name !== undefined && typeof spec.name !== "string") throw parameterRangeError(what, "name", "a string", spec.name);
  if (spec.frequency !== undefined && !ALERT_FREQUENCIES.includes(spec.frequency)) {
    throw parameterRangeError(what, "frequency", ALERT_FREQUENCIES.map((f) => JSON.stringify(f)).join(", "), spec.frequency);
  }
  const c = spec.cooldownMs ?? 0;
  if (typeof c !== "number" || !Number.isFinite(c) || c < 0) throw parameterRangeError(what, "cooldownMs", "a finite number >= 0 (ms)", c);
}

/** Checks a symbol field and returns it lower-cased. @throws RangeError (E_PARAM). */
export function checkSymbol(spec: AlertRuleSpec, field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw parameterRangeError(ruleWhat(spec), field, "a symbol such as \"btcusdt\"", value);
  return value.toLowerCase();
}

/** Checks a bar count in [min, 1,000,000]. @throws RangeError (E_PARAM). */
export function checkInt(spec: AlertRuleSpec, field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 1_000_000) {
    throw parameterRangeError(ruleWhat(spec), field, `an integer in [${min}, 1000000] (bars)`, value);
  }
  return value;
}

/** Checks a finite number in [min, max] (open interval when `open`). @throws RangeError (E_PARAM). */
export function checkNumber(spec: AlertRuleSpec, field: string, value: unknown, min: number, max: number, open = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max || (open && (value === min || value === max))) {
    throw parameterRangeError(ruleWhat(spec), field, `a number in ${open ? "(" : "["}${min}, ${max}${open ? ")" : "]"}`, value);
  }
  return value;
}
