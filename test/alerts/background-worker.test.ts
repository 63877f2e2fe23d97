import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AlertLog, type AlertRuleSpec } from "../../src/alerts";
import { startBackgroundAlerts } from "../../src/alerts/background-alerts";
import { startIngestion } from "../../src/ingestion";
import { startReceiver } from "./helpers";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Jumpy rules on the demo feed: a z-score with short windows and a low entry, and a tiny price move.
const rules: AlertRuleSpec[] = [
  { kind: "zscore", id: "z-fast", y: "ethusdt", x: "btcusdt", hedgeWindow: 5, zWindow: 5, entry: 0.5, exit: 0.2, reentry: "next-bar" },
  { kind: "price-move", id: "btc-move", symbol: "btcusdt", window: 1, percent: 0.05, frequency: "once-per-bar" },
  { kind: "quote-cost", id: "cost", y: "ethusdt", x: "btcusdt", aboveBps: 0.001, beta: 1 },
];

describe("startBackgroundAlerts (rules hosted in the ingestion worker)", () => {
  it("startBackgroundAlerts(demo ingestion, rules) keeps evaluating live demo bars and delivering while the kernel thread is blocked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pairlab-bgw-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
    const receiver = await startReceiver(() => ({ status: 200 }));
    cleanups.push(() => receiver.close());
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", quotes: true, demo: { seed: 3, rate: 100, historyMs: 30_000 }, shared: false, quiet: true });
    cleanups.push(() => ingestion.stop());
    await ingestion.waitForTrades(10, 20_000);
    const alerts = await startBackgroundAlerts(ingestion, {
      rules,
      dir,
      envTargets: false,
      webhooks: [{ name: "local", preset: "generic", url: receiver.url }],
      delivery: { baseDelayMs: 20, maxDelayMs: 100 },
      pollMs: 100,
      graceMs: 150,
    });
    cleanups.push(() => alerts.stop());
    expect(alerts.thread).toBe("ingestion-worker");
    await alerts.ready();
    const barsBefore = alerts.status()!.engine.closedBars;
    // A cell computing for 3 s: this thread runs no timer, no socket, nothing.
    const busyFrom = Date.now();
    while (Date.now() - busyFrom < 3000) {
      /* busy */
    }
    const busyTo = Date.now();
    const duringBlock = alerts.alerts().filter((a) => a.firedAt > busyFrom + 200 && a.firedAt < busyTo);
    // The worker kept closing and evaluating 1 s bars during the block, and rules fired in it.
    expect(alerts.status()!.engine.closedBars - barsBefore).toBeGreaterThanOrEqual(2);
    expect(duringBlock.length).toBeGreaterThanOrEqual(1);
    // The quote-cost rule saw the live touch from the worker's quote store.
    const status = alerts.status()!;
    const cost = status.engine.rules.find((r) => r.id === "cost")!;
    expect(Number.isFinite(cost.value)).toBe(true);
    expect(status.engine.simulated).toBe(true);
    expect(status.targets).toEqual(["local"]);
    // Deliveries: each alert id once at the local receiver (requests queued in the OS during the block).
    const t0 = Date.now();
    while (receiver.accepted.length < duringBlock.length && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    for (const a of duringBlock) expect(receiver.accepted).toContain(a.id);
    expect(new Set(receiver.accepted).size).toBe(receiver.accepted.length);
    // Nothing in the snapshots or the log holds the webhook URL.
    expect(JSON.stringify(alerts.status())).not.toContain(receiver.url);
    await alerts.stop();
    const logged = AlertLog.read(join(dir, "alerts.jsonl")).alerts;
    expect(logged.every((a) => a.simulated)).toBe(true);
    for (const a of duringBlock) expect(logged.map((l) => l.id)).toContain(a.id);
  }, 60_000);

  it("startBackgroundAlerts(ingestion, bad rules) throws RangeError naming the rule before anything starts", async () => {
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", shared: false, quiet: true });
    cleanups.push(() => ingestion.stop());
    await expect(startBackgroundAlerts(ingestion, { rules: [{ kind: "price-move", id: "bad", symbol: "btcusdt", window: 0, percent: 1 }] })).rejects.toThrow(/bad.*window|window.*bad/);
    await expect(startBackgroundAlerts(ingestion, { rules: [{ kind: "price-move", id: "x", symbol: "solusdt", window: 1, percent: 1 }] })).rejects.toThrow(RangeError);
    await expect(startBackgroundAlerts(ingestion, { rules: [] })).rejects.toThrow(RangeError);
  });
});
