import { parameterRangeError } from "../errors";
import type { GapRepair, TradeGap } from "./repair-gap";
import type { AggTrade, BinanceRestClient } from "./rest-client";

/**
 * Repairs a gap of an **aggTrade** stream, whose sequence counts aggregate ids (`a`), from
 * `GET /fapi/v1/aggTrades?fromId=` (pages of ≤ 1000, weight 20 each): the missing aggregates
 * `lastIdBefore + 1 … firstIdAfter − 1` come back as they would have arrived on the stream — one trade per
 * aggregate, id = aggregate id, its price, total quantity and time — so bars over the gap are exactly what the
 * live stream would have given. Aggregates outside the gap are dropped (nothing already stored is duplicated).
 * Never throws for REST failures: they give "unrepairable" with the reason. O(missing aggregates).
 *
 * @throws RangeError (E_PARAM) for an inconsistent gap (ids not increasing).
 * @example
 * const r = await repairAggGap(client, { symbol: "btcusdt", lastIdBefore: 100, firstIdAfter: 151, from: t1, to: t2 }, { simulated: false });
 * r.trades.id; // Float64Array [101, …, 150] (aggregate ids)
 */
export async function repairAggGap(client: BinanceRestClient, gap: TradeGap, options: { simulated?: boolean } = {}): Promise<GapRepair> {
  if (!Number.isSafeInteger(gap.lastIdBefore) || !Number.isSafeInteger(gap.firstIdAfter) || gap.firstIdAfter <= gap.lastIdBefore) {
    throw parameterRangeError("repairAggGap", "gap.firstIdAfter", `an integer > lastIdBefore (${gap.lastIdBefore})`, gap.firstIdAfter);
  }
  const lo = gap.lastIdBefore + 1;
  const hi = gap.firstIdAfter - 1;
  const expected = hi - lo + 1;
  const simulated = options.simulated ?? client.stats().simulated;
  const got: AggTrade[] = [];
  let reason = "";
  try {
    for (let next = lo; next <= hi; ) {
      const page = await client.aggTrades(gap.symbol, { fromId: next, limit: Math.min(1000, hi - next + 1) });
      let advanced = false;
      for (const a of page) {
        if (a.a < next || a.a > hi) continue;
        got.push(a);
        next = a.a + 1;
        advanced = true;
      }
      if (!advanced) break; // nothing more from the exchange (history gone)
    }
  } catch (error) {
    reason = (error as Error).message;
  }
  const n = got.length;
  const trades = {
    symbol: gap.symbol,
    id: Float64Array.from(got, (a) => a.a),
    time: Float64Array.from(got, (a) => a.T),
    price: Float64Array.from(got, (a) => a.p),
    qty: Float64Array.from(got, (a) => a.q),
    maker: Uint8Array.from(got, (a) => (a.m ? 1 : 0)),
    source: "rest",
    simulated,
  };
  if (n === expected) return { gap, status: "repaired", expected, sharedQty: 0, reason: "", trades };
  return {
    gap,
    status: n === 0 ? "unrepairable" : "partial",
    expected,
    sharedQty: 0,
    reason: reason || `${expected - n} of ${expected} aggregate ids not returned by aggTrades (history older than the exchange keeps)`,
    trades,
  };
}
