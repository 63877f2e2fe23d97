import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AlertLog, WebhookTarget, pollingBarSource, startAlerts, type AlertRuleSpec } from "../../src/alerts";
import { startIngestion } from "../../src/ingestion";
import { startReceiver } from "./helpers";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function demoSetup(rules: AlertRuleSpec[], behaviour: Parameters<typeof startReceiver>[0], delivery = {}) {
  const dir = mkdtempSync(join(tmpdir(), "pairlab-bg-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
  const receiver = await startReceiver(behaviour);
  cleanups.push(() => receiver.close());
  const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", demo: { seed: 3, rate: 100, historyMs: 30_000 }, shared: false, quiet: true });
  cleanups.push(() => ingestion.stop());
  await ingestion.waitForTrades(10, 20_000);
  const source = pollingBarSource({ ticks: ingestion.store, symbols: ["btcusdt", "ethusdt"], interval: "1s", simulated: ingestion.stats().simulated, pollMs: 100, graceMs: 150 });
  cleanups.push(() => source.stop());
  const run = await startAlerts({ rules, source, dir, targets: [new WebhookTarget({ name: "local", preset: "generic", url: receiver.url })], delivery: { baseDelayMs: 20, maxDelayMs: 100, ...delivery } });
  cleanups.push(() => run.stop());
  return { dir, receiver, ingestion, source, run };
}

// A jumpy z-score rule (short windows, low entry): it enters and exits every few 1 s bars on the demo feed.
const tinyMove: AlertRuleSpec = { kind: "zscore", id: "z-fast", y: "ethusdt", x: "btcusdt", hedgeWindow: 5, zWindow: 5, entry: 0.5, exit: 0.2 };

describe("alerts run in the background", () => {
  it("rules evaluated with no cell running: the demo feed's bars fire alerts that reach the local receiver while the test only waits", async () => {
    const { receiver, run, ingestion } = await demoSetup([tinyMove, { kind: "correlation", id: "corr", a: "btcusdt", b: "ethusdt", window: 5, below: 0.99 }], () => ({ status: 200 }));
    // Nothing calls the engine: the source's timer drives it. Just wait.
    const t0 = Date.now();
    while (receiver.accepted.length < 3 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.accepted.length).toBeGreaterThanOrEqual(3);
    const status = run.status();
    expect(status.engine.closedBars).toBeGreaterThan(25); // the 30 s of demo history (warm-up) and live bars
    expect(status.engine.rules[0].warmup).toBeGreaterThan(0); // signals on the replayed history never fire
    expect(status.engine.simulated).toBe(true);
    // every alert is labelled simulated, was logged before delivery, and each id arrived once
    const logged = AlertLog.read(join(run.dir, "alerts.jsonl")).alerts;
    expect(logged.every((a) => a.simulated)).toBe(true);
    expect(new Set(receiver.accepted).size).toBe(receiver.accepted.length);
    // (with the default announce: "immediately" a delivery may complete before its log line is fsync'd: settle first)
    await run.engine.settled();
    const loggedIds = AlertLog.read(join(run.dir, "alerts.jsonl")).alerts.map((a) => a.id);
    for (const id of receiver.accepted) expect(loggedIds).toContain(id);
    expect(ingestion.stats().simulated).toBe(true);
  });

  it("a hanging receiver: deliveries time out and retry while evaluation and ingestion keep their rate", async () => {
    const { receiver, run, ingestion } = await demoSetup([tinyMove], (n) => (n < 3 ? "hang" : { status: 200 }), { timeoutMs: 700 });
    const trades0 = ingestion.stats().symbols.btcusdt.trades;
    const bars0 = run.status().engine.closedBars;
    const t0 = Date.now();
    // Until the three hung attempts were made and two alerts got through (≤ 30 s), and for at least 4 s.
    while ((receiver.requests.length < 3 || run.status().delivery.delivered < 2 || Date.now() - t0 < 4000) && Date.now() - t0 < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - t0) / 1000;
    const trades = ingestion.stats().symbols.btcusdt.trades - trades0;
    const bars = run.status().engine.closedBars - bars0;
    // 100 trades/s per symbol on the demo; 1 bar per second — unaffected by the hanging receiver
    expect(trades / seconds).toBeGreaterThan(70);
    expect(bars).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(3); // the hung attempts were made …
    const d = run.status().delivery;
    expect(d.retries).toBeGreaterThanOrEqual(1); // … timed out and were retried …
    expect(d.delivered).toBeGreaterThanOrEqual(2); // … and delivery resumed
    expect(new Set(receiver.accepted).size).toBe(receiver.accepted.length);
  });

  it("startAlerts + pollingBarSource + outbox leave no timer, socket or server behind after stop", async () => {
    const count = () => process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    const before = count();
    const { run, source, receiver, ingestion } = await demoSetup([tinyMove], () => ({ status: 200 }));
    const t0 = Date.now();
    while (run.status().delivery.delivered < 1 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50));
    expect(run.status().delivery.delivered).toBeGreaterThanOrEqual(1); // a keep-alive socket was used
    await run.stop();
    const snapshot = () => readdirSync(run.dir).map((f) => `${f}:${statSync(join(run.dir, f)).mtimeMs}:${statSync(join(run.dir, f)).size}`).sort().join("|");
    const files = snapshot();
    source.stop();
    await ingestion.stop();
    await receiver.close();
    await new Promise((r) => setTimeout(r, 1500)); // longer than persistEveryMs: nothing may write after stop
    expect(snapshot()).toBe(files);
    expect(count()).toBeLessThanOrEqual(before);
  });

  it("startAlerts rerun with the same dir stops the previous run first (no leak, no double evaluation)", async () => {
    const { run, source, dir, receiver } = await demoSetup([tinyMove], () => ({ status: 200 }));
    const again = await startAlerts({ rules: [tinyMove], source, dir, targets: [new WebhookTarget({ name: "local", preset: "generic", url: receiver.url })] });
    cleanups.push(() => again.stop());
    expect(run.engine.isStopped).toBe(true);
    expect(again.engine.isStopped).toBe(false);
  });
});
