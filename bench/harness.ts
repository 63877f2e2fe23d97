/**
 * Benchmark harness shared by every `bench/*.bench.ts` file.
 *
 * A bench file times our code with {@link timeIt}, times the reference implementation (pandas /
 * statsmodels through Debian's `/usr/bin/python3`) on the *same data in the same run* with
 * {@link runPythonReference}, and calls {@link report} once per case. `scripts/bench.mjs` runs every
 * bench file, collects the `##BENCH` lines and prints/writes the table with ratios.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32 } from "../src/ingestion/trade-simulator";

/** One benchmark row. Times are wall-clock milliseconds (best of `repeats`). */
export interface BenchRow {
  /** Short case name, e.g. "resample 5,000,000 ticks -> 1s". */
  case: string;
  /** Our best time, ms. */
  oursMs: number;
  /** Reference best time, ms (NaN when the case has no reference). */
  referenceMs: number;
  /** Reference implementation and version, e.g. "pandas 1.5.3". */
  reference: string;
  /** Goal as a ratio reference/ours (e.g. 10 for "≥ 10× faster"), or NaN. */
  goal?: number;
  /** Free text: accuracy check result, extra metrics. */
  note?: string;
}

/** Formats a duration given in ms with a unit that keeps 3 significant digits (µs below 1 ms, s above 10 s). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(2)} ms`;
}

/** Prints one row as a machine-readable line and a human-readable line. */
export function report(row: BenchRow): void {
  const ratio = row.referenceMs / row.oursMs;
  const goal = row.goal ?? NaN;
  console.log(
    `${row.case}: ours ${formatMs(row.oursMs)}, ${row.reference} ${formatMs(row.referenceMs)}, ` +
      `ratio ${Number.isFinite(ratio) ? ratio.toFixed(1) + "x" : "n/a"}` +
      (Number.isFinite(goal) ? ` (goal >= ${goal}x: ${ratio >= goal ? "met" : "NOT met"})` : "") +
      (row.note ? ` — ${row.note}` : ""),
  );
  console.log("##BENCH " + JSON.stringify({ ...row, ratio }));
}

/** Runs `fn` `repeats` times (after one warm-up unless `warmup` is 0) and returns the best wall time in ms. */
export function timeIt(fn: () => unknown, repeats = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best) best = ms;
  }
  return best;
}

/**
 * Runs a Python snippet with Debian's `/usr/bin/python3`. `arrays` are written as raw float64
 * files and exposed to the snippet as numpy arrays named after their keys. The snippet must print
 * one JSON object on its last stdout line (e.g. `{"ms": 123.4, ...}`); it is parsed and returned.
 * Time inside Python with `time.perf_counter()` around the measured call only.
 */
export function runPythonReference(snippet: string, arrays: Record<string, Float64Array> = {}): Record<string, unknown> {
  for (const name of Object.keys(arrays)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || RESERVED_PYTHON_NAMES.has(name)) {
      throw new RangeError(`runPythonReference: array name ${JSON.stringify(name)} is not a usable Python name (reserved: ${[...RESERVED_PYTHON_NAMES].join(", ")})`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "pairlab-bench-"));
  try {
    const loads: string[] = ["import numpy as np, json, time"];
    for (const [name, data] of Object.entries(arrays)) {
      const file = join(dir, `${name}.f64`);
      writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      loads.push(`${name} = np.fromfile(${JSON.stringify(file)}, dtype=np.float64)`);
    }
    const script = join(dir, "ref.py");
    writeFileSync(script, loads.join("\n") + "\n" + snippet);
    const out = execFileSync("/usr/bin/python3", [script], { encoding: "utf8", maxBuffer: 1 << 28 });
    const lines = out.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Names the generated preamble binds (modules) or Python keywords/builtins an array must not shadow.
const RESERVED_PYTHON_NAMES = new Set(["np", "json", "time", "pd", "sm", "math", "sys", "os", "len", "min", "max", "sum", "range", "print", "list", "dict", "float", "int", "str", "type", "id", "open", "lambda", "def", "class", "import", "from", "for", "in", "is", "not", "and", "or", "if", "else", "return", "None", "True", "False"]);

/** A seeded PRNG (mulberry32) returning uniforms in [0, 1): the demo exchange's own generator, deterministic across runs. */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** Standard normal draws from a uniform source (Box-Muller). */
export function normalFrom(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
