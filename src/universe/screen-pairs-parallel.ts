import { availableParallelism } from "node:os";
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { assertInteger } from "../validate";
import { centredSeries, pairStatistics, type PairStatistics } from "./pair-statistics";
import { assemble, prepare, type ScreenPairsOptions, type ScreenResult } from "./screen-pairs";

/** Options of {@link screenPairsParallel}: those of screenPairs plus the number of worker threads. */
export interface ScreenPairsParallelOptions extends ScreenPairsOptions {
  /** Worker threads (default min(4, available cores)); 1 computes on the calling thread. */
  workers?: number;
}

/**
 * {@link screenPairs} with the pairs split over worker threads: the same rows, bit for bit (each pair is computed
 * by the same code; only where differs). The calling thread computes one share itself, so `workers: 2` uses two
 * cores with one extra thread. Every worker is terminated before the promise settles (also on error): nothing
 * outlives the call. Pays off from a few hundred pairs (a worker costs ~30–100 ms to start); see the bench.
 *
 * @throws the same errors as screenPairs (synchronously validated, returned as a rejected promise), RangeError for `workers`.
 * @example
 * const r = await screenPairsParallel(closes, { interval: "1m", workers: 2 });
 */
export async function screenPairsParallel(
  closes: readonly ArrayLike<number>[] | Readonly<Record<string, ArrayLike<number>>>,
  options: ScreenPairsParallelOptions = {},
): Promise<ScreenResult> {
  const { workers: w, ...rest } = options;
  const workers = w ?? Math.min(4, availableParallelism());
  assertInteger("screenPairsParallel", "workers", workers, 1, 64);
  const { names, series, resolved } = prepare(closes, rest);
  const N = series.length;
  const all: [number, number][] = [];
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) all.push([i, j]);
  // Interleaved shares: pair k goes to share k mod workers (equal work per share).
  const shares: [number, number][][] = Array.from({ length: workers }, () => []);
  all.forEach((p, k) => shares[k % workers].push(p));
  const ext = extname(__filename);
  const file = join(__dirname, `screen-worker${ext}`);
  // From the TypeScript sources (tests, bench) the worker registers tsx's CommonJS loader first; dist/ is plain JS.
  const source = ext === ".ts" ? `require("tsx/cjs"); require(${JSON.stringify(file)});` : `require(${JSON.stringify(file)});`;
  const threads: Worker[] = [];
  try {
    const pending = shares.slice(1).map((share) => {
      const worker = new Worker(source, { eval: true, workerData: { series, pairs: Int32Array.from(share.flat()), hurstMaxLag: resolved.hurstMaxLag } });
      threads.push(worker);
      return new Promise<PairStatistics[]>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`screenPairsParallel: a worker exited with code ${code} before answering`)));
      });
    });
    const remoteAll = Promise.all(pending);
    remoteAll.catch(() => undefined); // observed below; avoids an unhandled rejection if the local share throws first
    const centred = series.map(centredSeries);
    const local = shares[0].map(([i, j]) => pairStatistics(centred[i], centred[j], resolved.hurstMaxLag));
    const remote = await remoteAll;
    const byPair = new Map<string, PairStatistics>();
    shares[0].forEach(([i, j], k) => byPair.set(`${i},${j}`, local[k]));
    shares.slice(1).forEach((share, s) => share.forEach(([i, j], k) => byPair.set(`${i},${j}`, remote[s][k])));
    const stats = all.map(([i, j]) => ({ i, j, s: byPair.get(`${i},${j}`) as PairStatistics }));
    return assemble(names, series, stats, resolved, series[0].length);
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
