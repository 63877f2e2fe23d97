/**
 * Shared data shapes of the analytics area.
 */

/**
 * A batch (or chunk) of trades, columnar. `time` is the trade time in epoch milliseconds (UTC), oldest
 * first (non-decreasing); `price` and `qty` are the trade price and base-asset quantity. All three
 * have the same length.
 */
export type Ticks = { time: ArrayLike<number>; price: ArrayLike<number>; qty: ArrayLike<number> };

/** The eight numeric columns of {@link Bars}, one row per bin (also the binning kernel's output buffers). */
export interface BarColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  vwap: Float64Array;
  count: Float64Array;
}

/**
 * OHLCV bars on a contiguous, UTC-aligned time grid (one row per interval, oldest first).
 *
 * - `time`: bin open (left label), epoch ms. Bins are left-closed `[time, time + interval)`.
 * - `open`/`high`/`low`/`close`: first/max/min/last trade price in the bin (pandas `first/max/min/last`).
 *   A bin without trades repeats the previous close in all four.
 * - `volume`: Σ qty (0 for an empty bin). `count`: number of trades (0 for an empty bin).
 * - `vwap`: Σ price·qty / Σ qty (NaN for an empty bin or when Σ qty = 0).
 * - `partial`: `true` when the last bar's interval has not closed yet (judged against `now`, or
 *   against the newest tick when no `now` is given — then the last bar is always partial).
 * - `interval`: bin width in ms when known (set by {@link resample} / `createResampler`).
 */
export interface Bars extends BarColumns {
  partial: boolean;
  interval?: number;
}

/** Interval accepted by {@link resample}: a named rule or a positive integer number of milliseconds. */
export type BarInterval = "1s" | "1m" | "5m" | number;
