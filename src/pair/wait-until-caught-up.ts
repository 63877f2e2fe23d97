import type { IngestionStatsLike } from "./ingestion-status";

/**
 * Waits until every symbol has trades and its newest trade is at most `maxLagMs` old — i.e. a replayed
 * history burst (demo) or the first trades (live) have arrived — polling `stats()` every `pollMs`.
 * Never throws: resolves `false` after `timeoutMs` (then whatever data exist are shown, with
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
