import { NonFiniteInputError, parameterRangeError } from "../errors";
import { assertFiniteNumber } from "../validate";
import { assertBarMemory, BAR_BYTES, resolveMaxBytes } from "./bar-memory";
import { allocColumns, binTicks, lastBinOf, MAX_BINS, newBinState, writeCurrentBin, type BarColumns } from "./bin-kernel";
import { intervalMs } from "./interval";
import { checkTicks } from "./resample";
import type { BarInterval, Bars, Ticks } from "./types";

const WHAT = "incremental resampling";

/** Incremental bar builder returned by {@link createResampler}. */
export interface Resampler {
  /** Bin width, ms. */
  readonly interval: number;
  /** Number of ticks appended so far. */
  readonly tickCount: number;
  /**
   * Folds a chunk of new ticks (oldest first, not older than the newest tick already appended) into the
   * bars. Only the chunk is processed: O(chunk + new bins) amortized. Atomic: when it throws, nothing
   * of the chunk is kept.
   * @throws NonFiniteInputError / RangeError exactly like {@link resample}.
   */
  append(chunk: Ticks): void;
  /**
   * A copy of the bars so far. `partial` is `now < last bin open + interval`, or `true` when `now` is
   * omitted (the newest tick cannot close its own bin). O(bins).
   */
  bars(now?: number): Bars;
}

/**
 * Creates an incremental resampler: `append` chunks of ticks as they arrive (e.g. from a tick store's
 * `ticksSince(symbol, seq)`), read `bars(now)` whenever needed. The output is bit-identical to
 * {@link resample} over all ticks appended so far, because both run the same single-pass kernel; only
 * new ticks are processed on each append and the still-open last bar is marked `partial`.
 *
 * Memory: column buffers grow by doubling, O(bins), never beyond `maxBytes` (default 256 MB of bars at 64
 * bytes per bar): an `append` whose ticks would need more is refused before anything is allocated, with a
 * message naming the interval, the span and the size (nothing of the chunk is kept).
 *
 * @param interval "1s", "1m", "5m" or an integer number of milliseconds.
 * @param options `maxBytes`: the memory bound, bytes; `bytesPerBar`: the memory the caller spends per bar (default 64,
 *   the bars themselves; the pair object passes its whole per-bar footprint so the bound covers its analytics too).
 * @throws RangeError (E_PARAM) for an unknown interval or a `maxBytes` that is not a number > 0.
 * @example
 * const r = createResampler("1s");
 * r.append({ time: [1000, 1500], price: [10, 12], qty: [1, 1] });
 * r.append({ time: [3200], price: [11], qty: [2] });
 * r.bars(3500).close   // Float64Array [12, 12, 11]
 * r.bars(3500).partial // true (bin [3000, 4000) is still open at 3500)
 * r.bars(4000).partial // false
 */
export function createResampler(interval: BarInterval, options: { maxBytes?: number; bytesPerBar?: number } = {}): Resampler {
  const I = intervalMs(WHAT, interval);
  const maxBytes = resolveMaxBytes(WHAT, options.maxBytes);
  const bytesPerBar = options.bytesPerBar ?? BAR_BYTES;
  if (typeof bytesPerBar !== "number" || !Number.isFinite(bytesPerBar) || bytesPerBar < BAR_BYTES) {
    throw parameterRangeError(WHAT, "bytesPerBar", `a number of bytes >= ${BAR_BYTES}`, bytesPerBar);
  }
  const maxRows = Math.max(1, Math.floor(maxBytes / bytesPerBar));
  const state = newBinState(I);
  let cols: BarColumns = allocColumns(0);

  function ensureCapacity(rows: number): void {
    if (rows <= cols.time.length) return;
    const next = allocColumns(Math.max(rows, Math.min(MAX_BINS, maxRows, cols.time.length * 2), Math.min(64, maxRows)));
    const used = state.ticks > 0 ? state.bin - state.firstBin + 1 : 0;
    for (const key of Object.keys(next) as (keyof BarColumns)[]) next[key].set(cols[key].subarray(0, used));
    cols = next;
  }

  return {
    interval: I,
    get tickCount() {
      return state.ticks;
    },
    append(chunk: Ticks): void {
      checkTicks(WHAT, chunk);
      const n = chunk.time.length;
      if (n === 0) return;
      const t0 = chunk.time[0];
      if (!Number.isFinite(t0)) throw new NonFiniteInputError(WHAT, "ticks.time", 0, t0);
      const firstBin = state.ticks > 0 ? state.firstBin : Math.floor(t0 / I);
      const rows = lastBinOf(WHAT, chunk.time, I) - firstBin + 1;
      if (rows > MAX_BINS) {
        throw parameterRangeError(WHAT, "interval", `coarse enough for at most ${MAX_BINS} bins between the first and last tick`, interval);
      }
      const firstTime = state.ticks > 0 ? state.firstBin * I : t0;
      assertBarMemory(WHAT, interval, rows, chunk.time[n - 1] - firstTime, maxBytes, bytesPerBar);
      ensureCapacity(Math.max(rows, 1));
      binTicks(WHAT, state, cols, chunk.time, chunk.price, chunk.qty);
    },
    bars(now?: number): Bars {
      if (now !== undefined) assertFiniteNumber(WHAT, "now", now);
      if (state.ticks === 0) return { ...allocColumns(0), partial: false, interval: I };
      writeCurrentBin(state, cols); // a chunk that threw may have scribbled on the current row
      const rows = state.bin - state.firstBin + 1;
      const out = allocColumns(0);
      for (const key of Object.keys(out) as (keyof BarColumns)[]) out[key] = cols[key].slice(0, rows);
      const partial = now === undefined ? true : now < (state.bin + 1) * I;
      return { ...out, partial, interval: I };
    },
  };
}
