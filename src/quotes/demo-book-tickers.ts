import { mulberry32 } from "../seeded-random";
import { parameterRangeError } from "../errors";
import { assertArrayLike, assertFiniteNumber, assertInteger } from "../validate";
import type { QuoteColumns } from "./quote-types";

const WHAT = "demo book tickers";

/** One symbol's simulated trades, as the demo exchange's `TradeSimulator` emits them (oldest first). */
export interface DemoTrades {
  /** Trade times `T`, epoch ms, non-decreasing. */
  time: ArrayLike<number>;
  /** Trade prices, on the symbol's tick grid. */
  price: ArrayLike<number>;
  /** Binance `m`: true when the buyer is the maker, i.e. a sell hit the bid (the trade printed at the bid). */
  buyerIsMaker: ArrayLike<boolean | number>;
}

/** Options of {@link demoBookTickers}. */
export interface DemoBookTickerOptions {
  /** Price tick of the symbol (e.g. 0.1 for the BTC-like, 0.01 for the ETH-like demo symbol). */
  tick: number;
  /** PRNG seed (default 1); with the same trades and options the output is identical. */
  seed?: number;
  /** Quoted spread in ticks (default 1). */
  spreadTicks?: number;
  /** Size-only updates between two trades (default 2): Binance sends several book tickers per trade. */
  updatesPerTrade?: number;
  /** `u` of the first update (default 1); ids are contiguous. */
  firstUpdateId?: number;
  /** Median displayed quantity at the touch (default 1). */
  qtyScale?: number;
}


/**
 * Book tickers consistent with a trade tape, for the demo exchange: **every trade prints at the bid or
 * the ask of the quote in force**. For trade i at price p: if the buyer was the maker (a sell aggressor)
 * the quote is `bid = p, ask = p + spreadTicks·tick`, otherwise `ask = p, bid = p − spreadTicks·tick`
 * (floored at one tick). That quote is emitted at the trade's own time `T` (before the trade in stream
 * order), and `updatesPerTrade` size-only updates of the same levels follow at seeded times strictly
 * between this trade and the next. Quantities are log-normal (median `qtyScale`, 3 decimals, ≥ 0.001).
 * `u` is contiguous from `firstUpdateId`. Pure and seeded. O(trades × (1 + updatesPerTrade)).
 *
 * @throws RangeError / TypeError (E_PARAM) for bad options, columns of different lengths, or times going backwards.
 * @example
 * const q = demoBookTickers({ time: [1000, 1400], price: [100.0, 100.1], buyerIsMaker: [true, false] }, { tick: 0.1, updatesPerTrade: 1 });
 * // q.time = [1000, t, 1400, t2] with 1000 < t < 1400; q.bid[0] = 100.0 (trade 1 at the bid); q.ask[2] = 100.1 (trade 2 at the ask)
 */
export function demoBookTickers(trades: DemoTrades, options: DemoBookTickerOptions): QuoteColumns {
  assertFiniteNumber(WHAT, "tick", options.tick);
  if (options.tick <= 0) throw parameterRangeError(WHAT, "tick", "a number > 0", options.tick);
  const seed = options.seed ?? 1;
  assertInteger(WHAT, "seed", seed, -(2 ** 31), 2 ** 32);
  const spreadTicks = options.spreadTicks ?? 1;
  assertInteger(WHAT, "spreadTicks", spreadTicks, 1, 10_000);
  const extra = options.updatesPerTrade ?? 2;
  assertInteger(WHAT, "updatesPerTrade", extra, 0, 100);
  const firstId = options.firstUpdateId ?? 1;
  assertInteger(WHAT, "firstUpdateId", firstId, 0);
  const qtyScale = options.qtyScale ?? 1;
  assertFiniteNumber(WHAT, "qtyScale", qtyScale);
  if (qtyScale <= 0) throw parameterRangeError(WHAT, "qtyScale", "a number > 0", qtyScale);
  assertArrayLike(WHAT, "time", trades.time);
  assertArrayLike(WHAT, "price", trades.price);
  const n = trades.time.length;
  if (trades.price.length !== n) throw parameterRangeError(WHAT, "price", `the same length as 'time' (${n})`, trades.price.length);
  if (trades.buyerIsMaker.length !== n) throw parameterRangeError(WHAT, "buyerIsMaker", `the same length as 'time' (${n})`, trades.buyerIsMaker.length);
  const tick = options.tick;
  const decimals = Math.max(0, Math.min(12, Math.round(-Math.log10(tick)) + 1));
  const round = (v: number): number => Number(v.toFixed(decimals));
  const rand = mulberry32(seed);
  let spare = NaN;
  const normal = (): number => {
    if (spare === spare) {
      const v = spare;
      spare = NaN;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const a = 2 * Math.PI * rand();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
  const qty = (): number => Math.max(0.001, Math.round(qtyScale * Math.exp(0.8 * normal()) * 1000) / 1000);
  const total = n * (1 + extra);
  const out: QuoteColumns = {
    time: new Float64Array(total),
    updateId: new Float64Array(total),
    bid: new Float64Array(total),
    bidQty: new Float64Array(total),
    ask: new Float64Array(total),
    askQty: new Float64Array(total),
  };
  const times: number[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = trades.time[i];
    const p = trades.price[i];
    if (!Number.isFinite(t) || (i > 0 && t < trades.time[i - 1])) throw parameterRangeError(WHAT, "time", `finite and non-decreasing (index ${i})`, t);
    if (!Number.isFinite(p) || p <= 0) throw parameterRangeError(WHAT, "price", `finite and > 0 (index ${i})`, p);
    const atBid = Boolean(trades.buyerIsMaker[i]);
    const bid = atBid ? p : Math.max(tick, round(p - spreadTicks * tick));
    const ask = atBid ? round(p + spreadTicks * tick) : p;
    const emit = (time: number): void => {
      out.time[k] = time;
      out.updateId[k] = firstId + k;
      out.bid[k] = bid;
      out.ask[k] = ask;
      out.bidQty[k] = qty();
      out.askQty[k] = qty();
      k++;
    };
    emit(t);
    // Size-only updates strictly between this trade and the next (none after the last trade, or when the
    // next trade is within 1 ms: the levels must stay those of this trade until the next one prints).
    const next = i + 1 < n ? trades.time[i + 1] : NaN;
    if (extra > 0 && next - t >= 2) {
      times.length = 0;
      for (let j = 0; j < extra; j++) times.push(t + 1 + Math.floor(rand() * (next - t - 1)));
      times.sort((a, b) => a - b);
      for (const u of times) emit(u);
    }
  }
  const trim = (a: Float64Array): Float64Array => (k === total ? a : a.slice(0, k));
  return { time: trim(out.time), updateId: trim(out.updateId), bid: trim(out.bid), bidQty: trim(out.bidQty), ask: trim(out.ask), askQty: trim(out.askQty) };
}

/**
 * Encodes one quote as a Binance USD-M `bookTicker` frame (the exact key order and decimal strings
 * Binance sends), for the demo exchange: `{"e":"bookTicker","u":…,"s":"BTCUSDT","b":"…","B":"…","a":"…","A":"…","T":…,"E":…}`.
 * `decimals` is the price precision (quantities use 3). O(1).
 * @throws RangeError (E_PARAM) when `decimals` is not an integer in [0, 12].
 * @example
 * bookTickerFrame("btcusdt", { updateId: 7, time: 1000, bid: 100, bidQty: 1.5, ask: 100.1, askQty: 2 }, 1)
 * // '{"e":"bookTicker","u":7,"s":"BTCUSDT","b":"100.0","B":"1.500","a":"100.1","A":"2.000","T":1000,"E":1000}'
 */
export function bookTickerFrame(
  symbol: string,
  quote: { updateId: number; time: number; bid: number; bidQty: number; ask: number; askQty: number },
  decimals: number,
): string {
  assertInteger("bookTickerFrame", "decimals", decimals, 0, 12);
  return (
    `{"e":"bookTicker","u":${quote.updateId},"s":"${symbol.toUpperCase()}","b":"${quote.bid.toFixed(decimals)}","B":"${quote.bidQty.toFixed(3)}",` +
    `"a":"${quote.ask.toFixed(decimals)}","A":"${quote.askQty.toFixed(3)}","T":${quote.time},"E":${quote.time}}`
  );
}
