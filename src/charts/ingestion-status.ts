import type { StatusPanelInput, SymbolStatusRow } from "./status-panel";

/** The fields of an ingestion `stats()` snapshot the status panel reads (ingestion's `IngestionStats` fits). */
export interface IngestionStatsLike {
  status: string;
  source: string;
  simulated: boolean;
  route: string;
  warnings: readonly string[];
  symbols: Record<string, { trades: number; lastPrice: number; lagMs: number; gaps: number }>;
}

/**
 * Per-symbol trade rates from successive stats snapshots: rate = Δtrades / Δt between this call and
 * the previous one (NaN on the first call). Keep one tracker per status panel. O(symbols) per call.
 */
export class TradeRateTracker {
  private readonly last = new Map<string, { trades: number; at: number }>();

  /** Trades per second for `symbol` since the previous call (NaN the first time). */
  rate(symbol: string, trades: number, at: number = Date.now()): number {
    const prev = this.last.get(symbol);
    this.last.set(symbol, { trades, at });
    if (!prev || at <= prev.at) return NaN;
    return ((trades - prev.trades) * 1000) / (at - prev.at);
  }
}

/**
 * Turns an ingestion stats snapshot into the status panel's input (symbols upper-cased, rate from
 * `tracker`). O(symbols).
 * @example statusPanelBundle(ingestionStatus(ingestion.stats(), tracker))
 */
export function ingestionStatus(stats: IngestionStatsLike, tracker?: TradeRateTracker, now: number = Date.now()): StatusPanelInput {
  const symbols: SymbolStatusRow[] = Object.entries(stats.symbols).map(([symbol, s]) => ({
    symbol: symbol.toUpperCase(),
    trades: s.trades,
    ratePerSec: tracker ? tracker.rate(symbol, s.trades, now) : undefined,
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
