import type { TradeRateTracker } from "./trade-rate-tracker";

/** The fields of an ingestion `stats()` snapshot the status reads (ingestion's `IngestionStats` fits). */
export interface IngestionStatsLike {
  status: string;
  source: string;
  simulated: boolean;
  route: string;
  warnings: readonly string[];
  symbols: Record<string, { trades: number; lastPrice: number; lagMs: number; gaps: number }>;
}

/** One symbol's row of the status panel. */
export interface SymbolStatusRow {
  symbol: string;
  /** Trades received since start. */
  trades: number;
  /** Trades per second (recent rate; trades only, not frames). */
  tradesPerSecond?: number;
  /** Last trade price. */
  lastPrice?: number;
  /** Lag between trade time and receipt, ms. */
  lagMs?: number;
  /** Sequence gaps detected (missed trades). */
  gaps?: number;
}

/** What the live status panel shows. */
export interface StatusPanelInput {
  symbols: readonly SymbolStatusRow[];
  /** Data source, e.g. "binance" or "demo". */
  source: string;
  /** Network route / endpoint label. */
  route?: string;
  /** Connection state, e.g. "live", "reconnecting". */
  status?: string;
  /** True when the data are simulated: the panel says SIMULATED in its title and text. */
  simulated: boolean;
  /** Warnings to show under the table. */
  warnings?: readonly string[];
  /** Time of the snapshot, epoch ms (default: now). */
  updatedAt?: number;
}

/**
 * Turns an ingestion stats snapshot into the status panel's input (symbols upper-cased, trades/s from
 * `tracker`). O(symbols).
 * @example statusPanelBundle(ingestionStatus(ingestion.stats(), tracker))
 */
export function ingestionStatus(stats: IngestionStatsLike, tracker?: TradeRateTracker, now: number = Date.now()): StatusPanelInput {
  const symbols: SymbolStatusRow[] = Object.entries(stats.symbols).map(([symbol, s]) => ({
    symbol: symbol.toUpperCase(),
    trades: s.trades,
    tradesPerSecond: tracker ? tracker.rate(symbol, s.trades, now) : undefined,
    lastPrice: s.lastPrice,
    lagMs: s.lagMs,
    gaps: s.gaps,
  }));
  return {
    symbols,
    source: stats.source,
    route: stats.route,
    status: stats.status,
    simulated: stats.simulated,
    warnings: stats.warnings,
    updatedAt: now,
  };
}
