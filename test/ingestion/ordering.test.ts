import { afterEach, describe, expect, it } from "vitest";
import { resample } from "../../src/analytics/resample";
import { barFeed } from "../../src/pair/bar-feed";
import type { Ingestion, IngestionOptions } from "../../src/ingestion/ingestion-types";
import { startIngestion } from "../../src/ingestion/start-ingestion";
import { startScriptedServer, tradeFrame, until, type ScriptedServer } from "./helpers";

let server: ScriptedServer | undefined;
const running: Ingestion[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
  await server?.close();
  server = undefined;
});

function start(options: IngestionOptions): Ingestion {
  const ing = startIngestion({ shared: false, quiet: true, env: {}, gapGraceMs: 200, ...options });
  running.push(ing);
  return ing;
}

const T0 = 1_700_000_000_000;

describe("ordering and identity through the worker", () => {
  it("out-of-order ids are stored once (no gap, no duplicate); the late trade is appended at the newest stored time (times never go backwards)", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const c = await server.connection(0);
    // [id, time offset]: 4 arrives before 3; 7 before 6 and 5; 6 is delivered twice.
    const order: [number, number][] = [[1, 1], [2, 2], [4, 4], [3, 3], [7, 7], [6, 6], [5, 5], [6, 6], [8, 8]];
    for (const [id, dt] of order) c.ws.send(tradeFrame("btcusdt", id, 100 + id, 1, T0 + dt));
    await until(() => ing.store.sequence("btcusdt") === 8, "8 trades");
    await new Promise((r) => setTimeout(r, 300)); // past the grace window
    const st = ing.stats().symbols.btcusdt;
    expect(st).toMatchObject({ trades: 8, gaps: 0, missingTrades: 0, duplicates: 1, outOfOrder: 3, restarts: 0 });
    const t = ing.store.ticks("btcusdt");
    expect(Array.from(t.price)).toEqual([101, 102, 104, 103, 107, 106, 105, 108]); // arrival order
    expect(Array.from(t.time)).toEqual([1, 2, 4, 4, 7, 7, 7, 8].map((d) => T0 + d)); // late ones at the newest time
    expect(() => resample(t, "1s")).not.toThrow();
  });

  it("a relay restarting its ids (large backwards jump, newer times) starts a new sequence with a warning: nothing dropped as a duplicate", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const c = await server.connection(0);
    for (let id = 90_001; id <= 90_010; id++) c.ws.send(tradeFrame("btcusdt", id, 100, 1, T0 + id));
    for (let id = 1; id <= 10; id++) c.ws.send(tradeFrame("btcusdt", id, 200, 1, T0 + 100_000 + id));
    await until(() => ing.store.sequence("btcusdt") === 20, "20 trades");
    await new Promise((r) => setTimeout(r, 300));
    const s = ing.stats();
    expect(s.symbols.btcusdt).toMatchObject({ trades: 20, restarts: 1, duplicates: 0, gaps: 0, missingTrades: 0 });
    expect(s.warnings.some((w) => /btcusdt: trade ids jumped back from 90010 to 1/.test(w))).toBe(true);
  });

  it("no single bad tick wedges resample or barFeed: bad times are rejected, old ones are placed at the newest time", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const c = await server.connection(0);
    const feed = barFeed(ing.store, "btcusdt", "1s");
    const bad = [1.5, 0, 86_400_000, 1_700_000_000, 1.7e15, 1e300]; // ms, 1970, seconds, µs, absurd
    let id = 0;
    c.ws.send(tradeFrame("btcusdt", ++id, 100, 1, T0));
    for (const time of bad) c.ws.send(tradeFrame("btcusdt", ++id, 100, 1, time));
    c.ws.send(tradeFrame("btcusdt", ++id, 100, 1, T0 - 3_600_000)); // an hour older than the previous trade
    c.ws.send(tradeFrame("btcusdt", ++id, 100, 1, T0 + 2_000));
    await until(() => ing.store.sequence("btcusdt") === 3, "3 stored trades");
    await until(() => ing.stats().parseErrors === bad.length, "every bad frame counted");
    expect(ing.stats().rejected).toEqual({ "time-range": bad.length });
    expect(Array.from(ing.store.ticks("btcusdt").time)).toEqual([T0, T0, T0 + 2_000]);
    expect(() => resample(ing.store.ticks("btcusdt"), "1s")).not.toThrow();
    expect(feed.bars().count.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
