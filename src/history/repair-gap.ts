import type { TradeBatch } from "../archive/archive-types";
import { parameterRangeError } from "../errors";
import { fetchAggTradeRange } from "./fetch-agg-trades";
import type { ProgressCallback } from "./progress";
import type { BinanceRestClient } from "./rest-client";

/** A hole in one symbol's trade-id sequence: ids lastIdBefore+1 … firstIdAfter−1 are missing. */
export interface TradeGap {
  symbol: string;
  /** Last id received before the gap. */
  lastIdBefore: number;
  /** First id received after the gap. */
  firstIdAfter: number;
  /** Time of the trade `lastIdBefore`, epoch ms (the window starts here). */
  from: number;
  /** Time of the trade `firstIdAfter`, epoch ms (the window ends here). */
  to: number;
}

/** Outcome of {@link repairGap}. */
export interface GapRepair {
  gap: TradeGap;
  /** "repaired": every missing id found; "partial": some; "unrepairable": none (REST failed or history gone). */
  status: "repaired" | "partial" | "unrepairable";
  /** Ids missing (firstIdAfter − lastIdBefore − 1). */
  expected: number;
  /** The missing trades found, sorted by id, ready for the store and the archive (source "rest"). */
  trades: TradeBatch & { id: Float64Array; time: Float64Array; price: Float64Array; qty: Float64Array; maker: Uint8Array };
  /**
   * Trades whose quantity is a share of an aggregate (Binance publishes one quantity per aggregate of several
   * trade ids at one price and time): the aggregate's quantity goes to its first id, 0 to the others, so the
   * volume, OHLC, VWAP and trade count of every bar stay exact. 0 when each aggregate holds one trade (the demo).
   */
  sharedQty: number;
  /** Why not repaired, when not. */
  reason: string;
}

/** Counters of repairs for `stats()`: gaps found, repaired, unrepairable (partial counts as unrepairable). */
export interface GapStats {
  found: number;
  repaired: number;
  unrepairable: number;
  /** Trades recovered in all. */
  tradesRecovered: number;
}

/**
 * Repairs one gap from `GET /fapi/v1/aggTrades` by time window ([from, to], cut into < 1 h windows): every
 * aggregate's trade ids `f … l` are expanded, and exactly the ids inside the gap are returned (ids at or before
 * `lastIdBefore`, or at or after `firstIdAfter`, are dropped, so nothing already stored is duplicated; the lead's
 * injection into store and archive is idempotent too). Never throws for REST failures: they give
 * "unrepairable" with the reason. O(aggregates + missing ids).
 *
 * @throws RangeError (E_PARAM) for an inconsistent gap (ids not increasing, from > to).
 * @example
 * const r = await repairGap(client, { symbol: "btcusdt", lastIdBefore: 100, firstIdAfter: 151, from: t1, to: t2 }, { simulated: false });
 * r.status;      // "repaired"
 * r.trades.id;   // Float64Array [101, …, 150]
 */
export async function repairGap(client: BinanceRestClient, gap: TradeGap, options: { simulated?: boolean; onProgress?: ProgressCallback } = {}): Promise<GapRepair> {
  const what = "repairGap";
  if (!Number.isSafeInteger(gap.lastIdBefore) || !Number.isSafeInteger(gap.firstIdAfter) || gap.firstIdAfter <= gap.lastIdBefore) {
    throw parameterRangeError(what, "gap.firstIdAfter", `an integer > lastIdBefore (${gap.lastIdBefore})`, gap.firstIdAfter);
  }
  if (!(Number.isFinite(gap.from) && Number.isFinite(gap.to) && gap.from <= gap.to)) throw parameterRangeError(what, "gap.to", `a finite epoch ms >= gap.from (${gap.from})`, gap.to);
  const expected = gap.firstIdAfter - gap.lastIdBefore - 1;
  const empty = (reason: string, status: GapRepair["status"] = "unrepairable"): GapRepair => ({
    gap, status, expected, sharedQty: 0, reason,
    trades: { symbol: gap.symbol, id: new Float64Array(0), time: new Float64Array(0), price: new Float64Array(0), qty: new Float64Array(0), maker: new Uint8Array(0), source: "rest", simulated: options.simulated ?? client.stats().simulated },
  });
  if (expected === 0) return empty("", "repaired");
  let aggs;
  try {
    aggs = await fetchAggTradeRange(client, gap.symbol, gap.from, gap.to, options.onProgress);
  } catch (error) {
    return empty((error as Error).message);
  }
  const lo = gap.lastIdBefore + 1;
  const hi = gap.firstIdAfter - 1;
  const id: number[] = [];
  const time: number[] = [];
  const price: number[] = [];
  const qty: number[] = [];
  const maker: number[] = [];
  let sharedQty = 0;
  const seen = new Set<number>();
  for (const a of aggs) {
    for (let t = Math.max(a.f, lo); t <= Math.min(a.l, hi); t++) {
      if (seen.has(t)) continue;
      seen.add(t);
      id.push(t);
      time.push(a.T);
      price.push(a.p);
      qty.push(t === a.f ? a.q : 0);
      maker.push(a.m ? 1 : 0);
      if (a.l > a.f) sharedQty++;
    }
  }
  const order = id.map((_, i) => i).sort((a, b) => id[a] - id[b]);
  const pick = (xs: number[]) => Float64Array.from(order, (i) => xs[i]);
  const found = id.length;
  const simulated = options.simulated ?? client.stats().simulated;
  return {
    gap,
    status: found === expected ? "repaired" : found === 0 ? "unrepairable" : "partial",
    expected,
    sharedQty,
    reason: found === expected ? "" : `${expected - found} of ${expected} trade ids not returned by aggTrades (history older than the exchange keeps, or ids never traded)`,
    trades: { symbol: gap.symbol, id: pick(id), time: pick(time), price: pick(price), qty: pick(qty), maker: Uint8Array.from(order, (i) => maker[i]), source: "rest", simulated },
  };
}

/**
 * Adds up repair outcomes for `stats()`. O(repairs).
 * @example
 * gapStats([r1, r2]); // { found: 2, repaired: 1, unrepairable: 1, tradesRecovered: 50 }
 */
export function gapStats(repairs: readonly GapRepair[]): GapStats {
  const s: GapStats = { found: repairs.length, repaired: 0, unrepairable: 0, tradesRecovered: 0 };
  for (const r of repairs) {
    if (r.status === "repaired") s.repaired++;
    else s.unrepairable++;
    s.tradesRecovered += r.trades.id.length;
  }
  return s;
}
