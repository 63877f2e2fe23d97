import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startDemoFeed, type DemoFeed } from "../../src/ingestion/demo-exchange";
import { SourceError } from "../../src/ingestion/ingestion-errors";
import { currentIngestion, startIngestion, stopAllIngestion } from "../../src/ingestion/start-ingestion";
import { trackResources, until } from "./helpers";

let feed: DemoFeed | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await stopAllIngestion();
  await feed?.close();
  feed = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

/** Takes a port on 127.0.0.1 (held until afterEach). */
async function takenPort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", () => resolve()));
  return (blocker.address() as { port: number }).port;
}

describe("the demo exchange (its own worker thread)", () => {
  it("startDemoFeed({ port: taken }) rejects with SourceError E_SOURCE quickly: no unhandled 'error', no hang, no thread left", async () => {
    const port = await takenPort();
    const tracker = trackResources(["WORKER", "MESSAGEPORT", "Timeout"]);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on("uncaughtException", onUnhandled);
    const started = Date.now();
    const error = await startDemoFeed({ port, historyMs: 0 }).catch((e: unknown) => e);
    process.off("uncaughtException", onUnhandled);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe("E_SOURCE");
    expect((error as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(unhandled).toEqual([]);
    expect(await tracker.settled()).toEqual([]);
  });

  it("startIngestion({ source: 'demo', demo: { port: taken } }) throws SourceError at call time; the registry is not poisoned: the corrected cell goes live", async () => {
    const port = await takenPort();
    const options = { symbols: ["btcusdt", "ethusdt"], source: "demo", quiet: true, env: {} };
    let error: unknown;
    try {
      startIngestion({ ...options, demo: { port, historyMs: 0 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe("E_SOURCE");
    expect(currentIngestion()).toBeUndefined();
    const fixed = startIngestion({ ...options, demo: { port: 0, historyMs: 0, rate: 50 } });
    await fixed.waitForTrades(3, 20_000);
    expect(fixed.stats().status).toBe("live");
  });

  it("a demo port taken after the check (a race) is reported: status 'error', waitForTrades rejects with SourceError, a rerun starts afresh", async () => {
    // The check passes (port free), then another process takes it before the ingestion's demo exchange binds.
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    const options = { symbols: ["btcusdt", "ethusdt"], source: "demo", quiet: true, env: {}, demo: { port, historyMs: 0 } };
    const ing = startIngestion(options);
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, "127.0.0.1", () => resolve()));
    // The port is bound here within a tick; the ingestion worker needs tens of ms to load before it binds.
    const error = await ing.waitForTrades(1, 20_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(ing.stats().status).toBe("error");
    expect(ing.stats().warnings.join(" ")).toMatch(/demo exchange failed/);
    // Not poisoned: the same cell, rerun once the port is free again, starts a fresh ingestion.
    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = undefined;
    const again = startIngestion(options);
    expect(again).not.toBe(ing);
    await again.waitForTrades(1, 20_000);
  });

  it("hundreds of unknown symbols (3 clients × 100 names) are refused silently: no frames, no simulators, no memory", async () => {
    feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], historyMs: 3_600_000, rate: 10 });
    const rssBefore = process.memoryUsage().rss;
    const clients: { ws: WebSocket; frames: string[] }[] = [];
    for (let c = 0; c < 3; c++) {
      const names = Array.from({ length: 100 }, (_, k) => `zz${c}x${k}usdt@trade`);
      const ws = new WebSocket(`${feed.url}/public/stream?streams=${names.join("/")}`);
      const frames: string[] = [];
      ws.on("message", (d) => frames.push(String(d)));
      ws.on("error", () => undefined);
      await new Promise<void>((resolve) => ws.once("open", () => resolve()));
      clients.push({ ws, frames });
    }
    // A known symbol on one of the sockets still flows.
    clients[0].ws.send(JSON.stringify({ method: "SUBSCRIBE", params: ["btcusdt@trade"], id: 1 }));
    await until(() => clients[0].frames.some((f) => f.includes("btcusdt@trade")), "btcusdt frames");
    await new Promise((r) => setTimeout(r, 500));
    expect(feed.symbols()).toEqual(["btcusdt", "ethusdt"]);
    for (const { frames } of clients) expect(frames.filter((f) => f.includes('"zz')).length).toBe(0);
    // Each unknown symbol used to cost an hour of simulated history (~8 MB): 300 of them ≈ 2.4 GB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    for (const { ws } of clients) ws.terminate();
  });

  it("the demo exchange keeps sending while this thread is blocked (it runs in its own worker)", async () => {
    feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], historyMs: 0, rate: 200, tickMs: 20 });
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, quiet: true, env: {} });
    await ing.waitForTrades(10, 20_000);
    const before = ing.store.sequence("btcusdt");
    const end = Date.now() + 3_000;
    while (Date.now() < end) {
      /* a cell computing for 3 s */
    }
    // ≈ 600 btcusdt trades generated, sent and stored by the two workers during the block.
    expect(ing.store.sequence("btcusdt") - before).toBeGreaterThan(300);
  });
});
