import type { Bars } from "../analytics/types";
import { parameterRangeError, parameterTypeError } from "../errors";

/** N close series on one time grid (the output of {@link alignCloses}). */
export interface AlignedCloses {
  /** Bar open times, epoch ms, common to every symbol. */
  time: Float64Array;
  /** Symbols, in input order. */
  symbols: string[];
  /** Close per symbol, each of length time.length. */
  closes: Record<string, Float64Array>;
}

const WHAT = "alignCloses";

/**
 * Puts the closes of N bar series on one time grid: keeps the bar open times present in every series (N-way
 * intersection; for pairlab's contiguous bars of one interval, the range where all symbols have data). Nothing is
 * interpolated or forward-filled here (resample already repeats the previous close in a bin without trades), and no
 * NaN is produced. O(Σ lengths).
 *
 * @param bars symbol → bars (from resample), at least one symbol.
 * @throws TypeError / RangeError (E_PARAM) for an empty record or bars whose times do not increase.
 * @example
 * const { time, closes } = alignCloses({ btcusdt: resample(t1, "1m"), solusdt: resample(t2, "1m") });
 * // closes.btcusdt.length === closes.solusdt.length === time.length
 */
export function alignCloses(bars: Readonly<Record<string, Bars>>): AlignedCloses {
  if (bars === null || typeof bars !== "object") throw parameterTypeError(WHAT, "bars", "a record symbol → bars", bars);
  const symbols = Object.keys(bars);
  if (symbols.length === 0) throw parameterRangeError(WHAT, "bars", "at least one symbol", symbols.length);
  for (const s of symbols) {
    const t = bars[s].time;
    for (let i = 1; i < t.length; i++) {
      if (!(t[i] > t[i - 1])) throw parameterRangeError(WHAT, `bars.${s}.time`, "strictly increasing", `${t[i]} after ${t[i - 1]} at index ${i}`);
    }
  }
  // Intersect sorted time columns pairwise, keeping each symbol's row index.
  let common = Array.from(bars[symbols[0]].time);
  for (const s of symbols.slice(1)) {
    const t = bars[s].time;
    const next: number[] = [];
    for (let i = 0, j = 0; i < common.length && j < t.length; ) {
      if (common[i] === t[j]) {
        next.push(common[i]);
        i++;
        j++;
      } else if (common[i] < t[j]) i++;
      else j++;
    }
    common = next;
  }
  const time = Float64Array.from(common);
  const closes: Record<string, Float64Array> = {};
  for (const s of symbols) {
    const t = bars[s].time;
    const c = bars[s].close;
    const out = new Float64Array(time.length);
    for (let i = 0, j = 0; i < time.length; j++) {
      if (t[j] === time[i]) out[i++] = c[j];
    }
    closes[s] = out;
  }
  return { time, symbols, closes };
}
