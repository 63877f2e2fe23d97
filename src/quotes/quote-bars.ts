import { intervalMs } from "../analytics/interval";
import type { BarInterval } from "../analytics/types";
import { parameterRangeError } from "../errors";
import { assertArrayLike, assertFiniteNumber } from "../validate";
import type { QuoteSeries } from "./quote-types";

const WHAT = "quote bars";
/** Most bins one call may produce (as the trade resampler). */
const MAX_QUOTE_BINS = 50_000_000;

/**
 * Mid-price and microprice bars of one symbol on a UTC-aligned grid (one row per interval, oldest first).
 *
 * - `time`: bin open (left label), epoch ms; bins are left-closed `[time, time + interval)`, aligned on the epoch.
 * - `midOpen/High/Low/Close`: first/max/min/last mid `(bid + ask) / 2` of the quotes in the bin.
 * - `microClose`: microprice of the bin's last quote, `(bid·askQty + ask·bidQty) / (bidQty + askQty)` (Stoikov's
 *   size-weighted mid: it leans towards the side with less size, where the price is more likely to move).
 * - `bid`, `ask`, `bidQty`, `askQty`: the touch at the bin's last quote (the book at the bar close).
 * - `spreadBps`: quoted spread of that last quote, `(ask − bid) / mid · 10⁴`.
 * - `meanSpreadBps`: mean quoted spread over the bin's quotes (per update, not time-weighted; NaN for an empty bin).
 * - `count`: quotes in the bin.
 * An empty bin repeats the previous bin's last quote in every "close" column and in the four mid columns
 * (count 0, meanSpreadBps NaN); bins before the first quote are NaN.
 */
export interface QuoteBars {
  time: Float64Array;
  midOpen: Float64Array;
  midHigh: Float64Array;
  midLow: Float64Array;
  midClose: Float64Array;
  microClose: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  bidQty: Float64Array;
  askQty: Float64Array;
  spreadBps: Float64Array;
  meanSpreadBps: Float64Array;
  count: Float64Array;
  /** Bin width, ms. */
  interval: number;
}

/** Options of {@link quoteBars}: the grid's extent (default: from the first to the last quote's bin). */
export interface QuoteBarsOptions {
  /** Epoch ms inside the first bin of the grid. */
  from?: number;
  /** Epoch ms inside the last bin of the grid. */
  to?: number;
}

/**
 * Bins quotes (oldest first, e.g. `QuoteStore.quotes(symbol)`) into {@link QuoteBars}. Single pass,
 * O(quotes + bins). Identical to pandas `resample(rule, closed="left", label="left", origin="epoch")` with
 * `first/max/min/last` of the mid, `last` of the microprice and touch, `mean` of the spread, forward-filled
 * (fixture `scripts/fixtures/quotes.py`).
 *
 * @param quotes - columns with non-decreasing `time`; quantities > 0 and bid < ask (as a QuoteStore holds them).
 * @param interval - "1s", "1m", "5m" or an integer number of ms.
 * @throws RangeError (E_PARAM) for an unknown interval, time going backwards or non-finite, `from > to`,
 *   a grid larger than 50,000,000 bins.
 * @example
 * quoteBars({ time: [1000, 1500, 3200], bid: [10, 11, 12], ask: [10.2, 11.2, 12.2], bidQty: [1, 1, 3], askQty: [1, 1, 1] }, "1s").midClose
 * // Float64Array [11.1, 11.1, 12.1]
 */
export function quoteBars(quotes: QuoteSeries, interval: BarInterval, options: QuoteBarsOptions = {}): QuoteBars {
  const I = intervalMs(WHAT, interval);
  const { time, bid, ask, bidQty, askQty } = quotes;
  for (const [name, col] of [["time", time], ["bid", bid], ["ask", ask], ["bidQty", bidQty], ["askQty", askQty]] as const) {
    assertArrayLike(WHAT, name, col);
    if (col.length !== time.length) throw parameterRangeError(WHAT, name, `the same length as 'time' (${time.length})`, col.length);
  }
  const n = time.length;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (!Number.isFinite(t) || (i > 0 && t < time[i - 1])) throw parameterRangeError(WHAT, "time", `finite and non-decreasing (index ${i})`, t);
  }
  if (options.from !== undefined) assertFiniteNumber(WHAT, "from", options.from);
  if (options.to !== undefined) assertFiniteNumber(WHAT, "to", options.to);
  const firstBin = options.from !== undefined ? Math.floor(options.from / I) : n > 0 ? Math.floor(time[0] / I) : NaN;
  const lastBin = options.to !== undefined ? Math.floor(options.to / I) : n > 0 ? Math.floor(time[n - 1] / I) : NaN;
  const bins = Number.isFinite(firstBin) && Number.isFinite(lastBin) ? lastBin - firstBin + 1 : 0;
  if (bins < 0) throw parameterRangeError(WHAT, "from", `<= 'to' (${options.to})`, options.from);
  if (bins > MAX_QUOTE_BINS) throw parameterRangeError(WHAT, "interval", `small enough for <= ${MAX_QUOTE_BINS} bins over the grid`, interval);
  const col = (): Float64Array => new Float64Array(bins).fill(NaN);
  const out: QuoteBars = {
    time: new Float64Array(bins),
    midOpen: col(),
    midHigh: col(),
    midLow: col(),
    midClose: col(),
    microClose: col(),
    bid: col(),
    ask: col(),
    bidQty: col(),
    askQty: col(),
    spreadBps: col(),
    meanSpreadBps: col(),
    count: new Float64Array(bins),
    interval: I,
  };
  for (let b = 0; b < bins; b++) out.time[b] = (firstBin + b) * I;
  // Carry: the last quote before the current bin (for empty bins); -1 = none yet.
  let i = 0;
  while (i < n && Math.floor(time[i] / I) < firstBin) i++;
  let carry = i - 1;
  for (let b = 0; b < bins; b++) {
    const bin = firstBin + b;
    let sum = 0;
    let count = 0;
    let last = -1;
    while (i < n && Math.floor(time[i] / I) === bin) {
      const m = (bid[i] + ask[i]) / 2;
      if (count === 0) {
        out.midOpen[b] = m;
        out.midHigh[b] = m;
        out.midLow[b] = m;
      } else {
        if (m > out.midHigh[b]) out.midHigh[b] = m;
        if (m < out.midLow[b]) out.midLow[b] = m;
      }
      sum += ((ask[i] - bid[i]) / m) * 1e4;
      count++;
      last = i;
      i++;
    }
    if (count > 0) {
      out.meanSpreadBps[b] = sum / count;
      out.count[b] = count;
      carry = last;
    } else if (carry >= 0) {
      const m = (bid[carry] + ask[carry]) / 2;
      out.midOpen[b] = m;
      out.midHigh[b] = m;
      out.midLow[b] = m;
    }
    if (carry >= 0) {
      const k = carry;
      const m = (bid[k] + ask[k]) / 2;
      out.midClose[b] = m;
      out.microClose[b] = (bid[k] * askQty[k] + ask[k] * bidQty[k]) / (bidQty[k] + askQty[k]);
      out.bid[b] = bid[k];
      out.ask[b] = ask[k];
      out.bidQty[b] = bidQty[k];
      out.askQty[b] = askQty[k];
      out.spreadBps[b] = ((ask[k] - bid[k]) / m) * 1e4;
    }
  }
  return out;
}
