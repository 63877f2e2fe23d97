import { parameterRangeError } from "../errors";
import type { Bars } from "../analytics/types";

/** Where a merged bar came from. "empty": no source had it (a bin inside the grid without data). */
export type BarSource = "live" | "archive" | "klines" | "empty";

/** Bars on one contiguous grid, each with its source. */
export interface SourcedBars extends Bars {
  source: BarSource[];
}

/** One input of {@link mergeBars}. */
export interface BarLayer {
  source: Exclude<BarSource, "empty">;
  bars: Bars;
}

/**
 * Merges bars of one symbol and interval from several sources into one contiguous series; each bin keeps
 * the source it came from. Priority per bin: the first layer (in the given order) whose bar has trades
 * (`count > 0`); else the first layer that has the bin at all. Bins no layer has, between the first and last
 * bin, repeat the previous close with volume 0 and source "empty". Pass layers as live, archive, klines.
 * `partial` is the newest bin's layer's flag. O(total bars · layers).
 *
 * @throws RangeError (E_PARAM) when a layer's bars are not on the `intervalMs` grid.
 * @example
 * const merged = mergeBars([{ source: "live", bars: liveBars }, { source: "klines", bars: restBars }], 60_000);
 * merged.source; // ["klines", "klines", …, "live", "live"]
 */
export function mergeBars(layers: BarLayer[], intervalMs: number): SourcedBars {
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) throw parameterRangeError("mergeBars", "intervalMs", "an integer number of ms >= 1", intervalMs);
  let first = Infinity;
  let last = -Infinity;
  for (const l of layers) {
    const t = l.bars.time;
    for (let i = 0; i < t.length; i++) {
      if (t[i] % intervalMs !== 0) throw parameterRangeError("mergeBars", `${l.source}.time[${i}]`, `a multiple of intervalMs (${intervalMs})`, t[i]);
    }
    if (t.length > 0) {
      first = Math.min(first, t[0]);
      last = Math.max(last, t[t.length - 1]);
    }
  }
  const n = first === Infinity ? 0 : (last - first) / intervalMs + 1;
  const col = () => new Float64Array(n);
  const out: SourcedBars = { time: col(), open: col(), high: col(), low: col(), close: col(), volume: col(), vwap: col(), count: col(), partial: false, interval: intervalMs, source: new Array<BarSource>(n).fill("empty") };
  const chosen = new Int32Array(n).fill(-1);
  const index = new Int32Array(n).fill(-1);
  layers.forEach((l, li) => {
    const b = l.bars;
    for (let i = 0; i < b.time.length; i++) {
      const k = (b.time[i] - first) / intervalMs;
      const cur = chosen[k];
      const better = cur === -1 || (layers[cur].bars.count[index[k]] === 0 && b.count[i] > 0);
      if (better) {
        chosen[k] = li;
        index[k] = i;
      }
    }
  });
  let prevClose = NaN;
  for (let k = 0; k < n; k++) {
    out.time[k] = first + k * intervalMs;
    const li = chosen[k];
    if (li === -1) {
      out.open[k] = out.high[k] = out.low[k] = out.close[k] = prevClose;
      out.vwap[k] = NaN;
      continue;
    }
    const b = layers[li].bars;
    const i = index[k];
    out.open[k] = b.open[i];
    out.high[k] = b.high[i];
    out.low[k] = b.low[i];
    out.close[k] = b.close[i];
    out.volume[k] = b.volume[i];
    out.vwap[k] = b.vwap[i];
    out.count[k] = b.count[i];
    out.source[k] = layers[li].source;
    prevClose = b.close[i];
  }
  if (n > 0 && chosen[n - 1] >= 0) {
    const b = layers[chosen[n - 1]].bars;
    out.partial = b.partial && index[n - 1] === b.time.length - 1;
  }
  return out;
}
