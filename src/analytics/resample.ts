import { NonFiniteInputError, parameterRangeError } from "../errors";
import { assertArrayLike, assertFiniteNumber, assertSameLength } from "../validate";
import { assertBarMemory, resolveMaxBytes } from "./bar-memory";
import { allocColumns, binTicks, lastBinOf, MAX_BINS, newBinState } from "./bin-kernel";
import { intervalMs } from "./interval";
import type { BarInterval, Bars, Ticks } from "./types";

const WHAT = "resampling";

/** Options of {@link resample}. */
export interface ResampleOptions {
  /**
   * Current time, epoch ms. When given, `partial` is `now < last bin open + interval`; when omitted the
   * newest tick is the only clock and the last bar is reported partial.
   */
  now?: number;
  /**
   * Memory bound of the bars, bytes (default 256 MB = `DEFAULT_MAX_BAR_BYTES`): checked before anything
   * is allocated, at 64 bytes per bar.
   */
  maxBytes?: number;
}

/**
 * Resamples trades into OHLCV + VWAP bars, exactly like pandas
 * `df.resample(rule, closed="left", label="left", origin="epoch")` with `first/max/min/last/sum/count`
 * ([pandas docs](https://pandas.pydata.org/pandas-docs/version/1.5/reference/api/pandas.DataFrame.resample.html)).
 *
 * Bins are `[k·interval, (k+1)·interval)` in UTC epoch ms, labelled by their open; the grid is contiguous
 * from the first tick's bin to the last tick's bin. A bin without trades has open = high = low = close =
 * the previous close, volume 0, count 0 and vwap NaN. vwap = Σp·q / Σq (NaN when Σq = 0).
 *
 * Algorithm: one pass over the ticks (a new bin index is computed only when a tick leaves the current bin),
 * output preallocated to the grid size. Complexity O(ticks + bins) time, O(bins) memory.
 * Zero ticks give empty bars (`partial = false`).
 *
 * @param ticks columnar trades, `time` epoch ms non-decreasing, all values finite.
 * @param interval "1s", "1m", "5m" or an integer number of milliseconds.
 * @param options `now` (epoch ms) to judge whether the last bar is still open.
 * @throws RangeError (E_PARAM) for an unknown interval, columns of different lengths, decreasing times, a negative quantity,
 *   a grid of more than 100,000,000 bins, or bars that would take more than `maxBytes` (default 256 MB; the message
 *   names the interval, the span and the size). Both bounds are checked before any buffer is allocated.
 * @throws TypeError (E_PARAM) when a column is not array-like.
 * @throws NonFiniteInputError when a time, price or quantity is NaN or ±Infinity.
 * @example
 * const bars = resample({ time: [1000, 1500, 3200], price: [10, 12, 11], qty: [1, 1, 2] }, "1s");
 * // bars.time  = [1000, 2000, 3000]
 * // bars.open  = [10, 12, 11], bars.high = [12, 12, 11], bars.low = [10, 12, 11], bars.close = [12, 12, 11]
 * // bars.volume = [2, 0, 2], bars.count = [2, 0, 1], bars.vwap = [11, NaN, 11], bars.partial = true
 */
export function resample(ticks: Ticks, interval: BarInterval, options: ResampleOptions = {}): Bars {
  const I = intervalMs(WHAT, interval);
  checkTicks(WHAT, ticks);
  if (options.now !== undefined) assertFiniteNumber(WHAT, "now", options.now);
  const maxBytes = resolveMaxBytes(WHAT, options.maxBytes);
  const n = ticks.time.length;
  if (n === 0) return { ...allocColumns(0), partial: false, interval: I };
  const t0 = ticks.time[0];
  if (!Number.isFinite(t0)) throw new NonFiniteInputError(WHAT, "ticks.time", 0, t0);
  const firstBin = Math.floor(t0 / I);
  const lastBin = lastBinOf(WHAT, ticks.time, I);
  const bins = lastBin - firstBin + 1;
  if (bins < 1) {
    throw parameterRangeError(WHAT, "ticks.time", `non-decreasing (oldest first); the last tick is older than the first`, ticks.time[n - 1]);
  }
  if (bins > MAX_BINS) {
    throw parameterRangeError(WHAT, "interval", `coarse enough for at most ${MAX_BINS} bins between the first and last tick`, interval);
  }
  assertBarMemory(WHAT, interval, bins, ticks.time[n - 1] - t0, maxBytes);
  const out = allocColumns(bins);
  const state = newBinState(I);
  binTicks(WHAT, state, out, ticks.time, ticks.price, ticks.qty);
  const partial = options.now === undefined ? true : options.now < (lastBin + 1) * I;
  return { ...out, partial, interval: I };
}

/** Validates the shape of a ticks object (not its values). O(1). */
export function checkTicks(what: string, ticks: Ticks): void {
  if (ticks === null || typeof ticks !== "object") {
    throw parameterRangeError(what, "ticks", "an object { time, price, qty } of equal-length arrays", ticks);
  }
  assertArrayLike(what, "ticks.time", ticks.time);
  assertArrayLike(what, "ticks.price", ticks.price);
  assertArrayLike(what, "ticks.qty", ticks.qty);
  assertSameLength(what, "ticks.time", ticks.time, "ticks.price", ticks.price);
  assertSameLength(what, "ticks.time", ticks.time, "ticks.qty", ticks.qty);
}
