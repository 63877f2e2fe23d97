import { NonFiniteInputError, parameterRangeError } from "../errors";
import type { BarColumns } from "./types";

export type { BarColumns };

/**
 * Internal: the single-pass binning kernel shared by {@link resample} and `createResampler`, so that
 * batch and incremental bars are produced by the same arithmetic (and are bit-identical).
 * Not exported from the package.
 */

// Column buffers a kernel writes into are `BarColumns`; row `k` is bin `firstBin + k`.

/** Running state of the bin that holds the newest tick (meaningful once `ticks > 0`). */
export interface BinState {
  interval: number;
  firstBin: number;
  bin: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  pv: number;
  count: number;
  lastTime: number;
  ticks: number;
}

/** Largest number of bins one bar series may span (guards against a 1 ms interval over years). */
export const MAX_BINS = 100_000_000;

/** Fresh state for an empty series of bins `interval` ms wide. O(1). */
export function newBinState(interval: number): BinState {
  return { interval, firstBin: -1, bin: -1, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0, pv: 0, count: 0, lastTime: -Infinity, ticks: 0 };
}

/** Eight zero-filled Float64Array columns of `capacity` rows. O(capacity). */
export function allocColumns(capacity: number): BarColumns {
  return {
    time: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
    vwap: new Float64Array(capacity),
    count: new Float64Array(capacity),
  };
}

/**
 * Checks the first and last time of a chunk and returns the absolute bin index of the last tick.
 * Full validation (order, finiteness) happens inside {@link binTicks}.
 */
export function lastBinOf(what: string, time: ArrayLike<number>, interval: number): number {
  const t = time[time.length - 1];
  if (!Number.isFinite(t)) throw new NonFiniteInputError(what, "ticks.time", time.length - 1, t);
  return Math.floor(t / interval);
}

/**
 * Folds ticks `[0, n)` into `state`, writing every bin from the state's current bin up to the bin of the
 * last tick into `out` (row = bin - firstBin). The newest (still open) bin is written too and is
 * rewritten when more ticks arrive. `out` must have room for the last tick's bin. O(ticks + bins).
 *
 * @throws NonFiniteInputError when a time/price/qty is NaN or ±Infinity.
 * @throws RangeError (E_PARAM) when `time` decreases or a `qty` is negative.
 */
export function binTicks(what: string, state: BinState, out: BarColumns, time: ArrayLike<number>, price: ArrayLike<number>, qty: ArrayLike<number>): void {
  const n = time.length;
  if (n === 0) return;
  const I = state.interval;
  const oTime = out.time, oOpen = out.open, oHigh = out.high, oLow = out.low, oClose = out.close;
  const oVol = out.volume, oVwap = out.vwap, oCount = out.count;
  let firstBin = state.firstBin;
  let bin = state.bin;
  let o = state.open, h = state.high, l = state.low, c = state.close;
  let v = state.volume, pv = state.pv, cnt = state.count;
  let last = state.lastTime;
  let started = state.ticks > 0;
  let binEnd = started ? (bin + 1) * I : -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const p = price[i];
    const q = qty[i];
    if (!(t >= last) || p - p !== 0 || q - q !== 0 || q < 0 || t === Infinity) {
      // `state` is only written after the loop, so a throwing chunk leaves it untouched (atomic append).
      if (t - t !== 0) throw new NonFiniteInputError(what, "ticks.time", i, t);
      if (p - p !== 0) throw new NonFiniteInputError(what, "ticks.price", i, p);
      if (q - q !== 0) throw new NonFiniteInputError(what, "ticks.qty", i, q);
      // A negative quantity would make volume and VWAP meaningless: refuse it rather than fold it in.
      if (q < 0) throw parameterRangeError(what, "ticks.qty", `a quantity >= 0 (at index ${i})`, q);
      throw parameterRangeError(what, "ticks.time", `non-decreasing (oldest first); at index ${i} ${t} follows ${last}`, t);
    }
    last = t;
    if (t < binEnd) {
      if (p > h) h = p;
      if (p < l) l = p;
      c = p;
      v += q;
      pv += p * q;
      cnt++;
      continue;
    }
    // The next bin is by far the most common successor: skip the division for it.
    const nb = t < binEnd + I ? bin + 1 : Math.floor(t / I);
    if (started && nb - firstBin >= oTime.length) {
      // Only possible when a later tick of the chunk is older than this one (capacity covers the last tick).
      throw parameterRangeError(what, "ticks.time", "non-decreasing (oldest first): a tick is older than an earlier tick of the chunk", t);
    }
    if (started) {
      // Close the current bin, then fill empty bins between it and the new one with the last close.
      let k = bin - firstBin;
      oTime[k] = bin * I;
      oOpen[k] = o;
      oHigh[k] = h;
      oLow[k] = l;
      oClose[k] = c;
      oVol[k] = v;
      oVwap[k] = pv / v;
      oCount[k] = cnt;
      for (let b = bin + 1; b < nb; b++) {
        k = b - firstBin;
        oTime[k] = b * I;
        oOpen[k] = c;
        oHigh[k] = c;
        oLow[k] = c;
        oClose[k] = c;
        oVol[k] = 0;
        oVwap[k] = NaN;
        oCount[k] = 0;
      }
    } else {
      firstBin = nb;
      started = true;
    }
    bin = nb;
    binEnd = (nb + 1) * I;
    o = h = l = c = p;
    v = q;
    pv = p * q;
    cnt = 1;
  }
  state.firstBin = firstBin;
  state.bin = bin;
  state.open = o;
  state.high = h;
  state.low = l;
  state.close = c;
  state.volume = v;
  state.pv = pv;
  state.count = cnt;
  state.lastTime = last;
  state.ticks += n;
  writeCurrentBin(state, out);
}

/** Writes the state's current (newest) bin into its row of `out`. O(1). */
export function writeCurrentBin(state: BinState, out: BarColumns): void {
  const k = state.bin - state.firstBin;
  out.time[k] = state.bin * state.interval;
  out.open[k] = state.open;
  out.high[k] = state.high;
  out.low[k] = state.low;
  out.close[k] = state.close;
  out.volume[k] = state.volume;
  out.vwap[k] = state.pv / state.volume;
  out.count[k] = state.count;
}
