import type { Trade } from "../backtest/types";
import { isoUtc } from "./iso-utc";
import { danfo, type DataFrame } from "./load-danfo";

/** Column names of {@link tradeFrame}, in order. */
export const TRADE_COLUMNS = [
  "time_utc",
  "side",
  "entry_signal_utc",
  "exit_signal_utc",
  "exit_utc",
  "entry_price_y",
  "entry_price_x",
  "exit_price_y",
  "exit_price_x",
  "beta",
  "qty_y",
  "qty_x",
  "exit_reason",
  "gross_pnl",
  "fees",
  "funding",
  "net_pnl",
  "bars_held",
  "pair",
  "simulated",
] as const;

/**
 * A backtest's trades as a danfo DataFrame, one row per trade, for display and `exportCsv(frame, { kind: "trades",
 * … })`: `time_utc` (the entry fill, ISO 8601 UTC), side, signal and exit times (ISO; empty for an open trade's
 * exit), fill prices, β, quantities, exit reason (`exit`, `stop`, `open`), gross PnL, fees, funding, net PnL, bars
 * held, `pair` ("Y/X") and `simulated` (true on every row when the bars were simulated or replayed). O(trades).
 *
 * @example tradeFrame(run.trades, { symbols: ["BTCUSDT", "ETHUSDT"], simulated: true }).columns // TRADE_COLUMNS
 */
export function tradeFrame(trades: readonly Trade[], options: { symbols: readonly [string, string]; simulated: boolean }): DataFrame {
  const pair = `${options.symbols[0]}/${options.symbols[1]}`;
  const col = <T>(f: (t: Trade) => T): T[] => trades.map(f);
  const columns: Record<(typeof TRADE_COLUMNS)[number], unknown[]> = {
    time_utc: col((t) => isoUtc(t.entryTime)),
    side: col((t) => t.side),
    entry_signal_utc: col((t) => isoUtc(t.entrySignalTime)),
    exit_signal_utc: col((t) => isoUtc(t.exitSignalTime)),
    exit_utc: col((t) => isoUtc(t.exitTime)),
    entry_price_y: col((t) => t.entryPriceY),
    entry_price_x: col((t) => t.entryPriceX),
    exit_price_y: col((t) => t.exitPriceY),
    exit_price_x: col((t) => t.exitPriceX),
    beta: col((t) => t.beta),
    qty_y: col((t) => t.qtyY),
    qty_x: col((t) => t.qtyX),
    exit_reason: col((t) => t.exitReason),
    gross_pnl: col((t) => t.grossPnl),
    fees: col((t) => t.fees),
    funding: col((t) => t.funding),
    net_pnl: col((t) => t.netPnl),
    bars_held: col((t) => t.barsHeld),
    pair: col(() => pair),
    simulated: col(() => options.simulated),
  };
  if (trades.length === 0) return new (danfo().DataFrame)([] as never, { columns: [...TRADE_COLUMNS] } as never);
  return new (danfo().DataFrame)(columns as never);
}
