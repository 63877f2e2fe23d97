/**
 * Worker-thread entry of {@link screenPairsParallel}: receives the validated series and a list of pairs, answers
 * with their {@link PairStatistics}. Internal; loaded by file path, never imported by the public API.
 */
import { parentPort, workerData } from "node:worker_threads";
import { centredSeries, pairStatistics, type PairStatistics } from "./pair-statistics";

interface Job {
  series: Float64Array[];
  pairs: Int32Array;
  hurstMaxLag: number;
}

if (parentPort !== null) {
  const { series, pairs, hurstMaxLag } = workerData as Job;
  const centred = series.map(centredSeries);
  const out: PairStatistics[] = [];
  for (let k = 0; k < pairs.length; k += 2) out.push(pairStatistics(centred[pairs[k]], centred[pairs[k + 1]], hurstMaxLag));
  parentPort.postMessage(out);
}
