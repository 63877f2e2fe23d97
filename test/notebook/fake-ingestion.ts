// Test helpers of the notebook object: a seeded fake ingestion on a real TickStore, an output recorder, and the alerts-vs-backtest check.
import { expect } from "vitest";
import { openPair, TickStore, type BacktestRun, type DisplayContent, type DisplayWriter, type Ingestion, type IngestionStats, type PairAnalytics } from "../../src/internal";
import { normalFrom, seededRandom } from "../../bench/harness";

/** A fake ingestion on a real TickStore: y ≈ 2·x + 100 + AR(1), one trade per symbol per second (seeded). */
export function fakeIngestion(seconds: number, seed = 7): Ingestion & { add(seconds: number): void; stoppedCalls: number } {
  const store = new TickStore(1_000_000);
  store.register("btcusdt");
  store.register("ethusdt");
  const normal = normalFrom(seededRandom(seed));
  let t = Date.now() - seconds * 1000;
  let x = 1000;
  let e = 0;
  let trades = 0;
  const add = (n: number): void => {
    for (let i = 0; i < n; i++) {
      x += normal();
      e = 0.9 * e + normal();
      store.append("ethusdt", t + 100, x, 1);
      store.append("btcusdt", t + 200, 2 * x + 100 + e, 1);
      t += 1000;
      trades++;
    }
  };
  add(seconds);
  const fake = {
    store,
    symbols: ["btcusdt", "ethusdt"],
    stopped: false,
    stoppedCalls: 0,
    add,
    stats(): IngestionStats {
      const sym = { trades, lastPrice: 1, lastTradeTime: t, lagMs: 0, gaps: 0, missingTrades: 0, evicted: 0, duplicates: 0, spentIds: 0, outOfOrder: 0, restarts: 0 };
      return {
        status: "live",
        source: "demo",
        simulated: true,
        label: "SIMULATED",
        route: "test",
        urls: [],
        reconnects: 0,
        parseErrors: 0,
        ignoredMessages: 0,
        messagesPerSecond: 999, // frames: must never be shown as the trade rate
        warnings: [],
        rejected: {},
        queueOverflow: 0,
        thread: "worker",
        symbols: { btcusdt: { ...sym }, ethusdt: { ...sym } },
      };
    },
    async stop() {
      fake.stoppedCalls++;
    },
    onTrade: () => () => undefined,
    trades: () => {
      throw new Error("not used");
    },
    waitForTrades: async () => undefined,
    [Symbol.asyncDispose]: async () => undefined,
  };
  return fake as unknown as Ingestion & { add(seconds: number): void; stoppedCalls: number };
}

export function recorder(): { writer: (c: DisplayContent, u: boolean) => void; outputs: DisplayContent[] } {
  const outputs: DisplayContent[] = [];
  return { outputs, writer: (c) => void outputs.push(c) };
}

/**
 * Asserts that the pair's live alerts (`an.alerts`) enter and exit on the backtest's decision bars: the same side
 * at each entry signal time, the same reason at each exit signal time, a decision at the last bar excepted (the
 * backtest cannot fill it). Also asserts the case is not trivial: more than 5 trades, and a stop among the exits.
 */
export function expectAlertsOnBacktestDecisions(an: PairAnalytics, run: BacktestRun): void {
  const last = an.time[an.bars - 1];
  const alerts = an.alerts.filter((e) => e.time < last);
  const side = (s: string): string => (s === "long-spread" ? "long" : "short");
  expect(alerts.filter((e) => e.kind === "enter").map((e) => `${side(e.side)}@${e.time}`)).toEqual(run.trades.map((t) => `${t.side}@${t.entrySignalTime}`));
  const closed = run.trades.filter((t) => t.exitReason !== "open");
  expect(alerts.filter((e) => e.kind === "exit").map((e) => `${e.reason ?? "exit"}@${e.time}`)).toEqual(closed.map((t) => `${t.exitReason}@${t.exitSignalTime}`));
  expect(run.trades.length).toBeGreaterThan(5);
  expect(closed.some((t) => t.exitReason === "stop")).toBe(true); // the stop is exercised
}

/**
 * The pair ETHUSDT/BTCUSDT on the embedded demo exchange with book tickers on (a fresh, unshared ingestion:
 * stop it with `pair.ingestion.stop()`), hedgeWindow 20, zWindow 10, entry 1, exit 0.2, 50 trades/s.
 */
export function openDemoQuotePair(seed: number, writer: DisplayWriter): ReturnType<typeof openPair> {
  return openPair(["ETHUSDT", "BTCUSDT"], {
    source: "demo",
    quotes: true,
    hedgeWindow: 20,
    zWindow: 10,
    entry: 1,
    exit: 0.2,
    ingestion: { demo: { seed, rate: 50, historyMs: 120_000 }, quiet: true, shared: false },
    writer,
  });
}
