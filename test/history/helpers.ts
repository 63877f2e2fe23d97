// Shared fixtures of the history tests: a seeded demo tape, a demo REST server on 127.0.0.1:0, a fake clock.
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
