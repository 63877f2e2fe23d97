/**
 * The pair's funding rates from the exchange (`pair.fundingRates()`): Binance USD-M `/fapi/v1/fundingRate` for
 * both legs — or the demo exchange's, which serves the same route from its seeded tape — merged onto one time
 * axis in the shape `backtestPair`'s `funding` option takes.
 */
import type { FundingRates } from "../backtest";
import { parameterRangeError } from "../errors";
import { BinanceRestClient, type FundingRate } from "../history";
import { SourceError, type Ingestion } from "../ingestion";
import { restUrlFor } from "./pair-warm-start";

/** The funding rates of a pair, ready for `pair.backtest({ funding })`, with where they came from. */
export interface PairFundingRates extends FundingRates {
  /** Funding times, epoch ms, increasing (the union of both legs' times). */
  time: Float64Array;
  /** Rate of y at `time[k]` (decimal, 0.0001 = 0.01 %; 0 when y had no funding event at that time). */
  y: Float64Array;
  /** Rate of x at `time[k]`, as `y`. */
  x: Float64Array;
  /** Number of funding events per leg `[y, x]`. */
  events: [number, number];
  /** The REST base the rates came from. */
  restUrl: string;
  /** True when the server said its data are simulated (the demo exchange): label results SIMULATED. */
  simulated: boolean;
}

/** Binance answers at most 1000 funding events per request. */
const PAGE = 1000;

/** Every funding event of `symbol` in [from, to], oldest first, following pages by time. */
async function fundingOf(client: BinanceRestClient, symbol: string, from: number, to: number): Promise<FundingRate[]> {
  const out: FundingRate[] = [];
  let start = from;
  for (;;) {
    const page = await client.fundingRate(symbol, { startTime: start, endTime: to, limit: PAGE });
    for (const r of page) if (r.fundingTime >= start && r.fundingTime <= to && Number.isFinite(r.fundingRate)) out.push(r);
    if (page.length < PAGE) return out;
    const last = page[page.length - 1].fundingTime;
    if (!(last >= start)) return out; // a server that does not move forward: stop rather than loop
    start = last + 1;
  }
}

/**
 * Fetches both legs' funding rates in [from, to] from the REST of the ingestion's source (the demo exchange's own
 * HTTP for the demo, fapi.binance.com for live Binance) and merges them on one increasing time axis: a leg without
 * an event at a time gets rate 0 there (Binance symbols with 4 h and 8 h funding intervals mix correctly).
 * O(events) plus one request per 1000 events per leg (weight 1 each, within the fundingRate budget of 500 per 5 min).
 *
 * @param ingestion the running ingestion (decides the REST base).
 * @param symbols `[y, x]`.
 * @param from start, epoch ms (inclusive).
 * @param to end, epoch ms (inclusive), ≥ from.
 * @throws RangeError (E_PARAM) when from/to are not finite or to < from.
 * @throws SourceError (E_SOURCE) for a replay or a source without REST (pass `funding` to the backtest explicitly).
 * @throws RestError (E_REST) when the REST is unreachable or answers with an error.
 * @example
 * const f = await pairFundingRates(ingestion, ["btcusdt", "ethusdt"], Date.now() - 86_400_000, Date.now());
 * f.time.length; // 3 (every 8 h)
 */
export async function pairFundingRates(ingestion: Ingestion, symbols: readonly [string, string], from: number, to: number): Promise<PairFundingRates> {
  const what = "pair.fundingRates";
  if (!Number.isFinite(from)) throw parameterRangeError(what, "from", "a finite epoch time in ms", from);
  if (!(Number.isFinite(to) && to >= from)) throw parameterRangeError(what, "to", `a finite epoch time in ms, ≥ from (${from})`, to);
  const restUrl = restUrlFor(ingestion);
  if (restUrl === "") {
    const label = ingestion.stats().label;
    throw new SourceError(label, `${what}: the source "${label}" has no exchange REST to ask for funding rates; pass them to the backtest as { funding: { time, y, x } }`);
  }
  const client = new BinanceRestClient({ baseUrl: restUrl });
  const legs = [await fundingOf(client, symbols[0], from, to), await fundingOf(client, symbols[1], from, to)];
  const times = [...new Set([...legs[0], ...legs[1]].map((r) => r.fundingTime))].sort((a, b) => a - b);
  const index = new Map(times.map((t, k) => [t, k]));
  const time = Float64Array.from(times);
  const rates = [new Float64Array(times.length), new Float64Array(times.length)];
  for (let leg = 0; leg < 2; leg++) for (const r of legs[leg]) rates[leg][index.get(r.fundingTime) as number] = r.fundingRate;
  return { time, y: rates[0], x: rates[1], events: [legs[0].length, legs[1].length], restUrl, simulated: client.stats().simulated };
}
