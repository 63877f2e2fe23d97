/**
 * Per-symbol trade rates, trades per second, from successive cumulative trade counts: rate = Δtrades / Δt
 * between this call and the previous one (NaN on the first call). Counts trades only — never frames or
 * messages. Keep one tracker per status panel. O(1) per call.
 * @example const t = new TradeRateTracker(); t.rate("btcusdt", 100, 0); t.rate("btcusdt", 150, 1000) // 50
 */
export class TradeRateTracker {
  private readonly last = new Map<string, { trades: number; at: number }>();

  /** Trades per second for `symbol` since the previous call (NaN the first time, or when time did not advance). */
  rate(symbol: string, trades: number, at: number = Date.now()): number {
    const prev = this.last.get(symbol);
    this.last.set(symbol, { trades, at });
    if (!prev || at <= prev.at) return NaN;
    return ((trades - prev.trades) * 1000) / (at - prev.at);
  }
}
