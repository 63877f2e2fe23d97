/**
 * The pair object's book-ticker features (issue 14): quoted spreads, the pair's round-trip cost next to the
 * z-score, and the backtest with `fills: "quotes"`. Composes the ingestion's shared quote store, the quotes maths,
 * the backtest and the charts; no state of its own.
 */
import { intervalMs } from "../analytics";
import { backtestPair, type BacktestResult } from "../backtest";
import { figureBundle, quoteBarsFigure, warningBundle, zScoreCostFigure, type MimeBundle } from "../charts";
import { parameterRangeError } from "../errors";
import type { Ingestion } from "../ingestion";
import type { PairAnalytics } from "../pair";
import { quoteBars, roundTripCost, type QuoteColumns } from "../quotes";
import { pairBacktestOptions, type PairBacktestOptions } from "./pair-backtest";

/** Quote analytics of a pair on its bar grid (see {@link pairQuoteAnalytics}). */
export interface PairQuoteAnalytics {
  /** The pair's bar open times (epoch ms), as `pair.analytics().time`. */
  time: Float64Array;
  /** The dashboard's z-score on that grid. */
  zscore: Float64Array;
  /** Quoted spread at each bar close, bps of mid, per leg [y, x] (NaN before a leg's first quote). */
  spreadBps: [Float64Array, Float64Array];
  /** Round-trip cost of one unit of y against β (the bar's rolling hedge ratio) units of x at the touch: quote currency per unit of y. */
  cost: Float64Array;
  /** The same cost in bps of the gross notional `midY + |β|·midX` (fees `feeBps` on each of the four fills included). */
  costBps: Float64Array;
  /** The touch now per leg, with its quoted spread in bps (null before the first quote). */
  touch: ({ symbol: string; time: number; bid: number; ask: number; spreadBps: number } | null)[];
  feeBps: number;
  simulated: boolean;
}

const NEEDS_QUOTES = 'book tickers: open the pair with { quotes: true } (or ingestion: { quotes: true })';

function quotesOf(what: string, ingestion: Ingestion, symbols: readonly string[]): [QuoteColumns, QuoteColumns] {
  const store = ingestion.quotes;
  if (store === undefined) throw parameterRangeError(what, "quotes", NEEDS_QUOTES, "an ingestion without quotes");
  return [store.quotes(symbols[0].toLowerCase()), store.quotes(symbols[1].toLowerCase())];
}

/**
 * Quoted spread per leg and the pair's round-trip cost per bar, on the pair's own bar grid, from the ingestion's
 * book tickers: both legs' quotes binned with `quoteBars` (the touch at each bar close), priced with `roundTripCost`
 * at the bar's rolling hedge ratio. O(quotes + bars).
 * @throws RangeError (E_PARAM) when the ingestion has no quote store, or for a bad `feeBps`.
 */
export function pairQuoteAnalytics(what: string, an: PairAnalytics, ingestion: Ingestion, feeBps = 0): PairQuoteAnalytics {
  if (typeof feeBps !== "number" || !Number.isFinite(feeBps) || feeBps < 0) throw parameterRangeError(what, "feeBps", "a finite number >= 0 (bps per fill)", feeBps);
  const symbols = an.params.symbols;
  const [qy, qx] = quotesOf(what, ingestion, symbols);
  const n = an.time.length;
  const step = intervalMs(what, an.params.timeframe);
  const spread: [Float64Array, Float64Array] = [new Float64Array(n).fill(NaN), new Float64Array(n).fill(NaN)];
  const touch = { bidY: new Float64Array(n).fill(NaN), askY: new Float64Array(n).fill(NaN), bidX: new Float64Array(n).fill(NaN), askX: new Float64Array(n).fill(NaN) };
  if (n > 0) {
    const from = an.time[0];
    const to = an.time[n - 1];
    const legs = [qy, qx].map((q) => (q.time.length > 0 ? quoteBars(q, an.params.timeframe, { from, to }) : null));
    legs.forEach((b, leg) => {
      if (b === null) return;
      for (let i = 0; i < n; i++) {
        const k = Math.round((an.time[i] - b.time[0]) / step);
        if (k < 0 || k >= b.time.length) continue;
        spread[leg][i] = b.spreadBps[k];
        if (leg === 0) {
          touch.bidY[i] = b.bid[k];
          touch.askY[i] = b.ask[k];
        } else {
          touch.bidX[i] = b.bid[k];
          touch.askX[i] = b.ask[k];
        }
      }
    });
  }
  const c = n > 0 ? roundTripCost(touch, an.hedgeRatio, { feeBps }) : { cost: new Float64Array(0), costBps: new Float64Array(0) };
  const latest = (q: QuoteColumns, symbol: string) => {
    const k = q.time.length - 1;
    return k < 0 ? null : { symbol, time: q.time[k], bid: q.bid[k], ask: q.ask[k], spreadBps: ((q.ask[k] - q.bid[k]) / ((q.ask[k] + q.bid[k]) / 2)) * 1e4 };
  };
  return { time: an.time, zscore: an.zscore, spreadBps: spread, cost: c.cost, costBps: c.costBps, touch: [latest(qy, symbols[0]), latest(qx, symbols[1])], feeBps, simulated: an.params.simulated };
}

/** `pair.show("cost")`: the z-score next to the round-trip cost in bps; a warning without quotes yet. O(quotes + bars). */
export function costBundle(q: PairQuoteAnalytics, an: PairAnalytics, costLevelBps?: number): MimeBundle {
  const p = an.params;
  if (!q.costBps.some((v) => Number.isFinite(v))) {
    return warningBundle(`No round-trip cost yet for ${p.symbols.join("/")}: no bar has a quote of both legs and a hedge ratio (needs hedgeWindow ${p.hedgeWindow} bars with quotes).`);
  }
  const last = [...q.costBps].reverse().find((v) => Number.isFinite(v));
  const title = `Z-score and round-trip cost at the touch — ${p.symbols.join("/")} ${p.timeframe}, now ${last?.toFixed(2)} bps${q.feeBps > 0 ? ` incl. ${q.feeBps} bps fees per fill` : ""}`; // the chart adds " — SIMULATED"
  return figureBundle(
    zScoreCostFigure(q.time, q.zscore, q.costBps, { threshold: p.entry, exit: p.exit, simulated: p.simulated, title, ...(costLevelBps === undefined ? {} : { costLevelBps }) }),
  );
}

/**
 * `pair.backtest({ fills: "quotes" })`: the pair's bars trimmed to the span both legs have quotes for (from the bar
 * at or after the later first quote to the bar at or before the earlier last quote: no fill uses a quote from
 * before the book was seen, none is missing), then `backtestPair` with the ingestion's book tickers. Other fills
 * go through unchanged. O(bars + quotes).
 * @throws RangeError (E_PARAM) as backtestPair, or when the ingestion has no quote store.
 */
export function pairQuoteBacktest(an: PairAnalytics, ingestion: Ingestion, overrides: PairBacktestOptions): BacktestResult {
  const options = pairBacktestOptions("backtest", an.params, overrides);
  const [qy, qx] = quotesOf("pair.backtest", ingestion, an.params.symbols);
  const first = Math.max(qy.time[0] ?? Infinity, qx.time[0] ?? Infinity);
  const last = Math.min(qy.time[qy.time.length - 1] ?? -Infinity, qx.time[qx.time.length - 1] ?? -Infinity);
  let i0 = 0;
  while (i0 < an.time.length && an.time[i0] < first) i0++;
  let i1 = an.time.length;
  while (i1 > i0 && an.time[i1 - 1] > last) i1--;
  const cut = <T extends { time: Float64Array; open: Float64Array; close: Float64Array }>(b: T) => ({ time: b.time.subarray(i0, i1), open: b.open.subarray(i0, i1), close: b.close.subarray(i0, i1) });
  return backtestPair(cut(an.a), cut(an.b), { ...options, fills: "quotes", quotes: { y: qy, x: qx } });
}

/**
 * `pair.show("quotes")`: both legs' mid-price and microprice bars and their quoted spreads on the pair's bar grid
 * (`quoteBars` of the ingestion's book tickers, the book at each bar close); a warning while a leg has no quote
 * inside the pair's bars. O(quotes + bars).
 * @throws RangeError (E_PARAM) when the ingestion has no quote store.
 */
export function quoteBarsBundle(an: PairAnalytics, ingestion: Ingestion): MimeBundle {
  const p = an.params;
  const quotes = quotesOf("pair.show", ingestion, p.symbols);
  const n = an.time.length;
  const missing = p.symbols.filter((_, leg) => quotes[leg].time.length === 0 || n === 0 || quotes[leg].time[quotes[leg].time.length - 1] < an.time[0]);
  if (missing.length > 0) {
    return warningBundle(`No quote bars yet for ${missing.join(" and ")}: no book ticker inside the pair's ${n} bars (the book-ticker stream starts with the ingestion; bars from the warm start have no quotes).`);
  }
  const from = an.time[0];
  const to = an.time[n - 1];
  const legs = p.symbols.map((symbol, leg) => ({ symbol, ...quoteBars(quotes[leg], p.timeframe, { from, to }) }));
  const now = legs.map((l) => `${l.symbol} ${l.spreadBps[l.spreadBps.length - 1].toFixed(2)} bps`).join(", ");
  return figureBundle(
    quoteBarsFigure([legs[0], legs[1]], { simulated: p.simulated, title: `Mid-price and microprice bars — ${p.symbols.join(" / ")} ${p.timeframe}, quoted spread now ${now}` }),
  );
}

/**
 * The quote-fill backtest the backtest views run with `{ backtest: { fills: "quotes" } }`: {@link pairQuoteBacktest}
 * with the view's overrides, as a thunk for `backtestViewBundle`. O(1) until called.
 */
export function quoteBacktestRunner(an: PairAnalytics, ingestion: Ingestion, overrides: PairBacktestOptions): () => BacktestResult {
  quotesOf("pair.show", ingestion, an.params.symbols); // no quote store: the error names the option now
  return () => pairQuoteBacktest(an, ingestion, overrides);
}
