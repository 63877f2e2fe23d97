import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

/** Loads test/fixtures/<name>.json (written by scripts/fixtures/<name>.py); JSON null stands for NaN. */
export function loadFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "..", "fixtures", `${name}.json`), "utf8")) as T;
}

/** JSON array with nulls → Float64Array with NaN. */
export function f64(values: (number | null)[]): Float64Array {
  return Float64Array.from(values, (v) => (v === null ? NaN : v));
}

/**
 * Asserts `actual` equals `expected` elementwise: NaN exactly where expected is NaN, otherwise
 * |a - e| <= rel · |e| + abs. Reports the first offending index.
 */
export function expectSeriesClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`index ${i}: expected NaN, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= rel * Math.abs(e) + abs)) expect.fail(`index ${i}: expected ${e}, got ${a} (rel tol ${rel}, abs tol ${abs})`);
  }
}

/** Largest relative difference over non-NaN expected values (for messages and bench notes). */
export function maxRelDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (Number.isNaN(e)) continue;
    const d = Math.abs(actual[i] - e) / Math.max(Math.abs(e), Number.MIN_VALUE);
    if (d > worst) worst = d;
  }
  return worst;
}
