// Shared fixtures of the history tests: a seeded demo tape, a demo REST server on 127.0.0.1:0, a fake clock.
import { expect } from "vitest";
import type { Ingestion, IngestionStats } from "../../src/internal";
import { startDemoRest, simulatedTradeSource, type DemoRestOptions, type DemoRestServer, type RestClock, type TradeSource } from "../../src/history";

/** A fixed "now" on a minute boundary + 30 s (so the last 1m bar is partial). */
export const NOW = Date.UTC(2026, 11, 7, 12, 0, 30);

export function demoSource(hours = 3, now = () => NOW): TradeSource {
  return simulatedTradeSource({ symbols: ["btcusdt", "ethusdt"], seed: 42, rate: 5, startTime: NOW - hours * 3_600_000, now });
}

export async function demoRest(options: Partial<DemoRestOptions> = {}): Promise<DemoRestServer> {
  return startDemoRest({ source: options.source ?? demoSource(), now: () => NOW, ...options });
}

/** A clock whose sleep advances time instantly and records the waits. */
export function fakeClock(start = NOW): RestClock & { t: number; sleeps: number[] } {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

/** The ingestion's `stats()` as the gap-repair tests read it. */
interface GapRepairing {
  stats(): { gapRepair?: { found: number; pending: number } };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (polling every 100 ms, up to `timeoutMs`) until at least `gaps` gaps were found and none is pending: after a
 * reconnect outage each symbol loses trades, so waiting for one gap per symbol keeps an early small gap from ending
 * the wait. Resolves either way; the caller asserts on `stats()`.
 */
export async function waitForRepairedGaps(ing: GapRepairing, gaps: number, timeoutMs = 30_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(100)) {
    const g = ing.stats().gapRepair;
    if (g !== undefined && g.found >= gaps && g.pending === 0) return;
  }
}

/** Waits up to `timeoutMs` for repairs still in flight (a late gap) to finish, so store and archive compare at rest. */
export async function waitForRepairsToSettle(ing: GapRepairing, timeoutMs = 10_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until && (ing.stats().gapRepair?.pending ?? 0) > 0; ) await sleep(100);
}

/**
 * After a reconnect outage on btcusdt and ethusdt: waits for a repaired gap on each, asserts that every gap found
 * was repaired and that the trades recovered equal the trades the gaps missed, lets a late gap settle, and stops the
 * ingestion. Returns the stats read after the repairs (before the stop).
 */
export async function expectOutageRepairedThenStop(ing: Ingestion): Promise<IngestionStats> {
  // Generous timeout: under heavy load the reconnect (2 s backoff) and repair take longer.
  await waitForRepairedGaps(ing, 2);
  const s = ing.stats();
  expect(s.gapRepair!.found).toBeGreaterThanOrEqual(2); // one outage gap per symbol at least
  expect(s.gapRepair!.repaired).toBe(s.gapRepair!.found);
  expect(s.gapRepair!.unrepairable).toBe(0);
  expect(s.gapRepair!.tradesRecovered).toBe(s.symbols.btcusdt.missingTrades + s.symbols.ethusdt.missingTrades);
  await sleep(500);
  await waitForRepairsToSettle(ing); // a late gap (a delayed demo tick) may still be in repair
  await ing.stop();
  return s;
}
