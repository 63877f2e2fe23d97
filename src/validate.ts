import { NonFiniteInputError, parameterRangeError, parameterTypeError } from "./errors";

/**
 * Shared parameter checks. Each throws the error described in `errors.ts` *before any work*.
 * `what` is the human name of the computation ("rolling z-score"), `field` the parameter name.
 */

/** Asserts `value` is an integer ≥ `min` (and ≤ `max` when given). O(1). */
export function assertInteger(what: string, field: string, value: number, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const accepted = max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw parameterRangeError(what, field, accepted, value);
  }
}

/** Asserts `value` is a finite number. O(1). */
export function assertFiniteNumber(what: string, field: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) throw parameterRangeError(what, field, "a finite number", value);
}

/** Asserts `value` is one of `accepted` (compared with ===). O(k). */
export function assertOneOf<T>(what: string, field: string, value: unknown, accepted: readonly T[]): asserts value is T {
  if (!accepted.includes(value as T)) {
    throw parameterRangeError(what, field, `one of ${accepted.map((a) => JSON.stringify(a)).join(", ")}`, value);
  }
}

/** Asserts `value` is array-like (has a numeric length). O(1). */
export function assertArrayLike(what: string, field: string, value: unknown): asserts value is ArrayLike<number> {
  if (value === null || typeof value !== "object" || typeof (value as { length?: unknown }).length !== "number") {
    throw parameterTypeError(what, field, "an array or typed array of numbers", value);
  }
}

/** Asserts two series have the same length. O(1). */
export function assertSameLength(what: string, fieldA: string, a: ArrayLike<number>, fieldB: string, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw parameterRangeError(what, fieldB, `the same length as '${fieldA}' (${a.length})`, b.length);
  }
}

/** Throws {@link NonFiniteInputError} at the first NaN/±Infinity of `x`. O(n). */
export function assertAllFinite(what: string, field: string, x: ArrayLike<number>): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) throw new NonFiniteInputError(what, field, i, v);
  }
}

/** Copies any numeric array-like into a new Float64Array. O(n). */
export function toFloat64(x: ArrayLike<number>): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}
