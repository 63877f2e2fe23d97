import { afterEach, describe, expect, it } from "vitest";
import type { Ingestion } from "../../src/ingestion/ingestion-types";
import { currentIngestion, startIngestion, stopAllIngestion } from "../../src/ingestion/start-ingestion";
import type { ThreadedIngestion } from "../../src/ingestion/threaded-ingestion";
import { handleSnapshot, leaksSince, settle, startScriptedServer, trackResources, tradeFrame, until, type ScriptedServer } from "./helpers";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await stopAllIngestion();
  await server?.close();
  server = undefined;
});

const options = { symbols: ["btcusdt"], quiet: true, env: {}, backoff: { initialMs: 20, maxMs: 200 } };

describe("ThreadedIngestion (worker thread)", () => {
  it("a worker crash: stats().status is 'failed' with the error in warnings, the store keeps its ticks, the next startIngestion starts a fresh worker", async () => {
    server = await startScriptedServer();
    const ing = startIngestion({ ...options, source: server.url }) as ThreadedIngestion;
    const a = await server.connection(0);
    for (let id = 1; id <= 5; id++) a.ws.send(tradeFrame("btcusdt", id, 100 + id, 1));
    await until(() => ing.store.sequence("btcusdt") === 5, "5 trades");
    ing.crashWorkerForTest("boom (test)");
    await until(() => ing.stats().status === "failed", "status failed");
    const st = ing.stats();
    expect(st.warnings.some((w) => w.includes("boom (test)"))).toBe(true);
    expect(st.symbols.btcusdt.trades).toBe(5);
    expect(Array.from(ing.store.ticks("btcusdt").price)).toEqual([101, 102, 103, 104, 105]);
    expect(ing.stopped).toBe(true);
    expect(currentIngestion()).toBeUndefined();
    await expect(ing.waitForTrades(10)).rejects.toThrow(/stopped/);
    // A rerun of the same cell starts a fresh worker and connects again.
    const again = startIngestion({ ...options, source: server.url });
    expect(again).not.toBe(ing);
    const b = await server.connection(1);
    b.ws.send(tradeFrame("btcusdt", 6, 106, 1));
    await until(() => again.store.sequence("btcusdt") === 1, "a trade on the fresh worker");
    expect(again.stats().status).toBe("live");
    await again.stop();
    expect(ing.stats().status).toBe("failed");
  });

  it("stop() joins the worker: no thread, socket, timer or port left; stop() is idempotent", async () => {
    server = await startScriptedServer();
    await settle(50);
    const baseline = handleSnapshot();
    const tracker = trackResources(["TCPWRAP", "TCPSERVERWRAP", "Timeout", "WORKER", "MESSAGEPORT"]);
    const ing: Ingestion = startIngestion({ ...options, source: server.url });
    const a = await server.connection(0);
    a.ws.send(tradeFrame("btcusdt", 1, 100, 1));
    await until(() => ing.store.sequence("btcusdt") === 1, "a trade");
    const p1 = ing.stop();
    expect(ing.stop()).toBe(p1);
    await p1;
    expect((ing as ThreadedIngestion).workerExit).toBe("joined");
    expect(await tracker.settled()).toEqual([]);
    expect(await leaksSince(baseline)).toEqual([]);
  });

  it("stats() answers synchronously with the worker's live counters, also right after a blocked stretch", async () => {
    server = await startScriptedServer();
    const ing = startIngestion({ ...options, source: server.url });
    const a = await server.connection(0);
    for (let id = 1; id <= 3; id++) a.ws.send(tradeFrame("btcusdt", id, 100, 1));
    const end = Date.now() + 300;
    while (Date.now() < end) {
      /* block: the trades arrive in the worker meanwhile */
    }
    const st = ing.stats(); // no await in between: the numbers come from the worker now
    expect(st.thread).toBe("worker");
    expect(st.symbols.btcusdt.trades).toBe(3);
    expect(st.status).toBe("live");
  });
});
