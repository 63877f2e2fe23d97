import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker module `name` (a file next to this one: `name.js` in the compiled CommonJS `dist/`,
 * `name.ts` when pairlab runs from source under vitest or tsx). From source the worker first registers
 * tsx's CommonJS loader (`tsx/cjs`), so the same TypeScript file runs in both cases. The worker is
 * unref'd: it never keeps the process alive by itself. O(1) (plus the thread's start-up).
 *
 * @throws Error when neither file exists.
 * @example
 * const w = startWorkerScript("ingestion-worker", { workerData });
 */
export function startWorkerScript(name: string, options: WorkerOptions): Worker {
  const js = join(__dirname, `${name}.js`);
  let worker: Worker;
  if (__filename.endsWith(".js") && existsSync(js)) worker = new Worker(js, options);
  else {
    const ts = join(__dirname, `${name}.ts`);
    if (!existsSync(ts)) throw new Error(`pairlab: worker script ${name} not found next to ${__filename}`);
    const tsx = require.resolve("tsx/cjs");
    worker = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`, { ...options, eval: true });
  }
  worker.unref();
  return worker;
}
