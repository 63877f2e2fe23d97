import type { ArchivedTrades } from "../archive/archive-types";
import type { TradeGap } from "./repair-gap";

/**
 * The holes in a symbol's trade-id sequence, from trades in id order (as archived): every jump of more than 1
 * between consecutive ids is a {@link TradeGap} with the ids and times around it, ready for `repairGap`.
 * Assumes contiguous exchange ids (Binance `@trade` ids are; spent ids recorded as trades keep it so). O(n).
 *
 * @example
 * findTradeGaps({ symbol: "btcusdt", id: F([1, 2, 5]), time: F([10, 20, 50]), … });
 * // [{ symbol: "btcusdt", lastIdBefore: 2, firstIdAfter: 5, from: 20, to: 50 }]
 */
export function findTradeGaps(trades: Pick<ArchivedTrades, "symbol" | "id" | "time">): TradeGap[] {
  const gaps: TradeGap[] = [];
  const { id, time } = trades;
  for (let i = 1; i < id.length; i++) {
    if (id[i] > id[i - 1] + 1) gaps.push({ symbol: trades.symbol, lastIdBefore: id[i - 1], firstIdAfter: id[i], from: time[i - 1], to: time[i] });
  }
  return gaps;
}
