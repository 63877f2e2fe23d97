import { parameterRangeError } from "../errors";
import type { Bars } from "./types";

const WHAT = "bar alignment";

/** Result of {@link alignBars}: both bar series restricted to the common time grid. */
export interface AlignedBars {
  /** Common bin open times, epoch ms (= a.time = b.time). */
  time: Float64Array;
  a: Bars;
  b: Bars;
}

const COLUMNS = ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const;

/**
 * Puts two bar series on one time grid: keeps the bins whose open time is present in both (for two
 * contiguous grids of the same interval, the overlapping range). Rows keep their values; nothing is
 * interpolated. Each side keeps its `partial` flag only if its last bar is kept.
 *
 * Algorithm: linear merge of two sorted time columns, O(len(a) + len(b)).
 *
 * Insufficient data / edge cases: no overlap (or an empty side) gives empty bars, not an error.
 *
 * @throws RangeError (E_PARAM) when both sides have >= 2 bars with different intervals, or when a time
 *   column is not increasing.
 * @example
 * const { time, a, b } = alignBars(resample(ticksBtc, "1m"), resample(ticksEth, "1m"));
 * // time.length === a.close.length === b.close.length
 */
export function alignBars(a: Bars, b: Bars): AlignedBars {
  const stepA = step(a, "a");
  const stepB = step(b, "b");
  if (stepA > 0 && stepB > 0 && stepA !== stepB) {
    throw parameterRangeError(WHAT, "b", `bars with the same interval as 'a' (${stepA} ms)`, `bars with interval ${stepB} ms`);
  }
  const ta = a.time, tb = b.time;
  const ia: number[] = [];
  const ib: number[] = [];
  for (let i = 0, j = 0; i < ta.length && j < tb.length; ) {
    if (ta[i] === tb[j]) {
      ia.push(i++);
      ib.push(j++);
    } else if (ta[i] < tb[j]) i++;
    else j++;
  }
  const pa = pick(a, ia);
  const pb = pick(b, ib);
  return { time: pa.time, a: pa, b: pb };
}

function step(bars: Bars, field: string): number {
  const t = bars.time;
  for (let i = 1; i < t.length; i++) {
    if (!(t[i] > t[i - 1])) throw parameterRangeError(WHAT, `${field}.time`, "strictly increasing", `${t[i]} after ${t[i - 1]} at index ${i}`);
  }
  return bars.interval ?? (t.length >= 2 ? t[1] - t[0] : 0);
}

function pick(bars: Bars, idx: number[]): Bars {
  const m = idx.length;
  const cols = {} as Record<(typeof COLUMNS)[number], Float64Array>;
  for (const key of COLUMNS) {
    const src = bars[key];
    const dst = new Float64Array(m);
    for (let k = 0; k < m; k++) dst[k] = src[idx[k]];
    cols[key] = dst;
  }
  const keepsLast = m > 0 && idx[m - 1] === bars.time.length - 1;
  const out: Bars = { ...cols, partial: keepsLast && bars.partial };
  if (bars.interval !== undefined) out.interval = bars.interval;
  return out;
}
