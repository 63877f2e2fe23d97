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

/**
 * Waits until every symbol has trades and its newest trade is at most `maxLagMs` old — i.e. a replayed
 * history burst (demo) or the first trades (live) have arrived — polling `stats()` every `pollMs`.
 * Never throws: resolves `false` after `timeoutMs` (then the notebook shows whatever data exist, with
 * insufficient-data warnings where needed). O(symbols) per poll.
 * @example await waitUntilCaughtUp(ingestion) // true
 */
export async function waitUntilCaughtUp(
  source: { stats(): IngestionStatsLike },
  options: { maxLagMs?: number; timeoutMs?: number; pollMs?: number } = {},
): Promise<boolean> {
  const maxLag = options.maxLagMs ?? 5000;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const poll = options.pollMs ?? 250;
  for (;;) {
    const symbols = Object.values(source.stats().symbols);
    if (symbols.length > 0 && symbols.every((s) => s.trades > 0 && s.lagMs <= maxLag)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, poll));
  }
}
