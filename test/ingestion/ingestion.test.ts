import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/ingestion/clock";
import { startDemoFeed, type DemoFeed } from "../../src/ingestion/demo-exchange";
import type { Ingestion, IngestionOptions } from "../../src/ingestion/ingestion-types";
import { currentIngestion, startIngestion } from "../../src/ingestion/start-ingestion";
import type { ThreadedIngestion } from "../../src/ingestion/threaded-ingestion";
import { aggTradeFrame, closedPort, handleSnapshot, leaksSince, settle, startScriptedServer, tradeFrame, trackResources, until, type ScriptedServer } from "./helpers";

let server: ScriptedServer | undefined;
let feed: DemoFeed | undefined;
const running: Ingestion[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
  await server?.close();
  await feed?.close();
  server = feed = undefined;
});

/** startIngestion with test defaults: never the network, fast backoff, private (not the registry). */
function start(options: IngestionOptions): Ingestion {
  const ing = startIngestion({ shared: false, quiet: true, env: {}, backoff: { initialMs: 20, maxMs: 200 }, ...options });
  running.push(ing);
  return ing;
}

const trades = (ing: Ingestion, symbol = "btcusdt") => ing.stats().symbols[symbol].trades;

describe("startIngestion: input validation", () => {
  it("startIngestion({ symbols: ['btc/usdt'] }) throws RangeError E_PARAM at call time", () => {
    expect(() => startIngestion({ symbols: ["btc/usdt"], source: "demo", shared: false })).toThrow(RangeError);
    expect(() => startIngestion({ symbols: [], source: "demo", shared: false })).toThrow(RangeError);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", stream: "depth" as "trade", shared: false })).toThrow(/stream/);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", capacity: 0, shared: false })).toThrow(/capacity/);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "http://x", shared: false })).toThrow(/source/);
    expect(() => startIngestion({ symbols: ["btcusdt"], env: { PAIRLAB_SOURCE: "nope" }, shared: false })).toThrow(/PAIRLAB_SOURCE/);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", demo: { rate: -1 }, shared: false })).toThrow(/rate/);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", silenceMs: 0, shared: false })).toThrow(/silenceMs/);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", backoff: { initialMs: 0 }, shared: false })).toThrow(/initialMs/);
    expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", liveUrl: "https://x", shared: false })).toThrow(/liveUrl/);
  });

  it("startIngestion({ connection: { maxAgeMs: 0 } }) and other invalid transport durations throw RangeError E_PARAM at call time", () => {
    const bad = [{ maxAgeMs: 0 }, { maxAgeMs: NaN }, { idleMs: 0 }, { pongTimeoutMs: -1 }, { connectTimeoutMs: Infinity }, { stableMs: NaN }, { closeTimeoutMs: -5 }];
    for (const connection of bad) {
      const field = Object.keys(connection)[0];
      expect(() => startIngestion({ symbols: ["btcusdt"], source: "demo", connection, shared: false }), field).toThrow(new RegExp(field));
    }
  });
});

describe("startIngestion against a bare ws server", () => {
  it("connects to /public/stream for trade and /market/stream for aggTrade", async () => {
    server = await startScriptedServer();
    start({ symbols: ["BTCUSDT", "ethusdt"], source: server.url });
    start({ symbols: ["btcusdt"], source: server.url, stream: "aggTrade" });
    const paths = [(await server.connection(0)).path, (await server.connection(1)).path].sort();
    expect(paths).toEqual(["/market/stream?streams=btcusdt@aggTrade", "/public/stream?streams=btcusdt@trade/ethusdt@trade"]);
  });

  it("skips garbage, empty frames, replies, unknown events, spent ids and bad numbers, and counts gaps", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url, gapGraceMs: 100 });
    const c = await server.connection(0);
    const frames = [
      '{"result":null,"id":1}',
      "",
      "garbage{",
      '{"stream":"btcusdt@markPrice","data":{"e":"markPriceUpdate"}}',
      tradeFrame("btcusdt", 1, 100, 1),
      tradeFrame("btcusdt", 2, 101, 1),
      tradeFrame("btcusdt", 3, 0, 0), // spent id: not a trade, not a gap
      tradeFrame("btcusdt", 4, 102, 1),
      tradeFrame("btcusdt", 7, 103, 1), // 5, 6 missing
      tradeFrame("btcusdt", 8, NaN, 1),
      tradeFrame("btcusdt", 9, 104, -1),
      tradeFrame("btcusdt", 4, 102, 1), // duplicate
      tradeFrame("btcusdt", 10, 105, 2),
      tradeFrame("xrpusdt", 1, 1, 1), // not asked for
    ];
    for (const f of frames) c.ws.send(f);
    await until(() => ing.stats().ignoredMessages === 3, "all frames processed");
    // Ids 5–6 and 8–9 (rejected frames are never stored) are gaps once the 100 ms grace window has passed.
    await until(() => ing.stats().symbols.btcusdt.gaps === 2, "the grace window");
    const s = ing.stats();
    expect(s.parseErrors).toBe(4); // empty, garbage, NaN price, negative qty
    expect(s.rejected).toEqual({ empty: 1, malformed: 1, "price-format": 1, "qty-format": 1 });
    expect(s.symbols.btcusdt).toMatchObject({ trades: 5, spentIds: 1, duplicates: 1, gaps: 2, missingTrades: 4, lastPrice: 105, lastTradeTime: 1_700_000_000_010 });
    const t = ing.store.ticks("btcusdt");
    expect(Array.from(t.price)).toEqual([100, 101, 102, 103, 105]);
    expect(Array.from(t.time)).toEqual([1, 2, 4, 7, 10].map((i) => 1_700_000_000_000 + i));
    expect(s.status).toBe("live");
    expect(s.simulated).toBe(false);
    expect(s.label).toBe("LIVE");
  });

  it("counts a binary frame as a parse error (skipped, not silently dropped)", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const c = await server.connection(0);
    c.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    c.ws.send(tradeFrame("btcusdt", 1, 100, 1));
    await until(() => trades(ing) === 1, "the trade after the binary frame");
    expect(ing.stats().parseErrors).toBe(1);
  });

  it("reconnects after the connection is killed mid-stream and stores the overlap once", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const a = await server.connection(0);
    for (let id = 1; id <= 100; id++) a.ws.send(tradeFrame("btcusdt", id, 100 + id, 1));
    await until(() => trades(ing) === 100, "100 trades");
    a.ws.terminate();
    const b = await server.connection(1);
    for (let id = 90; id <= 150; id++) b.ws.send(tradeFrame("btcusdt", id, 100 + id, 1));
    await until(() => trades(ing) === 150, "150 trades");
    const time = Array.from(ing.store.ticks("btcusdt").time).map((t) => t - 1_700_000_000_000);
    expect(time).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const s = ing.stats();
    expect(s.symbols.btcusdt).toMatchObject({ duplicates: 11, gaps: 0, missingTrades: 0 });
    expect(s.reconnects).toBeGreaterThanOrEqual(1);
  });

  it("stores each trade once across a proactive (24 h) reconnect where both sockets deliver at the same time", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(Date.now());
    const ing = start({ symbols: ["btcusdt"], source: server.url, clock, connection: { maxAgeMs: 60_000 } });
    const a = await server.connection(0);
    for (let id = 1; id <= 50; id++) a.ws.send(tradeFrame("btcusdt", id, 100, 1));
    await until(() => trades(ing) === 50, "50 trades");
    clock.advance(60_000); // proactive reconnect: a second socket opens before the first is closed
    const b = await server.connection(1);
    for (let id = 40; id <= 80; id++) {
      b.ws.send(tradeFrame("btcusdt", id, 100, 1));
      if (id <= 60 && a.ws.readyState === a.ws.OPEN) a.ws.send(tradeFrame("btcusdt", id + 11, 100, 1));
    }
    await until(() => trades(ing) === 80, "80 trades");
    await settle(50);
    const ids = Array.from(ing.store.ticks("btcusdt").time, (t) => t - 1_700_000_000_000);
    expect(ids).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(ing.stats().symbols.btcusdt.gaps).toBe(0);
    await until(() => a.ws.readyState === a.ws.CLOSED, "old socket retired");
  });

  it("the trade → aggTrade fallback keeps the trade-id space: trades already stored are not stored again, skipped ids are a gap", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(Date.now());
    const ing = start({ symbols: ["btcusdt"], source: server.url, clock, silenceMs: 1000 });
    const a = await server.connection(0);
    for (let id = 1; id <= 5; id++) a.ws.send(tradeFrame("btcusdt", id, 100 + id, 1));
    await until(() => trades(ing) === 5, "5 trades on /public");
    a.ws.terminate();
    await until(() => ing.stats().status === "reconnecting", "backoff");
    clock.advance(300); // backoff (≤ 200 ms)
    await server.connection(1); // /public again, now silent (route retired)
    await until(() => ing.stats().status === "live", "reopened");
    clock.advance(1250); // > silenceMs after the reopen, at a 250 ms check
    const c = await server.connection(2);
    expect(c.path).toBe("/market/stream?streams=btcusdt@aggTrade");
    c.ws.send(aggTradeFrame("btcusdt", 100, 4, 5, 104.5, 2)); // trades 4..5: already stored
    c.ws.send(aggTradeFrame("btcusdt", 101, 8, 8, 108, 1)); // trades 6..7 never seen
    c.ws.send(aggTradeFrame("btcusdt", 102, 9, 9, 109, 1));
    await until(() => ing.stats().symbols.btcusdt.duplicates + trades(ing) === 8, "3 aggTrade frames handled");
    expect(Array.from(ing.store.ticks("btcusdt").price)).toEqual([101, 102, 103, 104, 105, 108, 109]);
    expect(ing.stats().symbols.btcusdt).toMatchObject({ trades: 7, duplicates: 1, gaps: 1, missingTrades: 2 });
  });

  it("messagesPerSecond averages frames over the last 10 s (manual clock)", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
    const ing = start({ symbols: ["btcusdt"], source: server.url, clock });
    const a = await server.connection(0);
    await until(() => ing.stats().status === "live", "open");
    for (let id = 1; id <= 100; id++) a.ws.send(tradeFrame("btcusdt", id, 100, 1));
    await until(() => trades(ing) === 100, "100 trades");
    clock.advance(2000);
    expect(ing.stats().messagesPerSecond).toBe(50); // 100 frames over the 2 s since start
    for (let k = 0; k < 12; k++) clock.advance(1000);
    expect(ing.stats().messagesPerSecond).toBe(0); // nothing in the last 10 s
    for (let id = 101; id <= 130; id++) a.ws.send(tradeFrame("btcusdt", id, 100, 1));
    await until(() => trades(ing) === 130, "130 trades");
    clock.advance(1000);
    expect(ing.stats().messagesPerSecond).toBe(3); // 30 frames / 10 s
  });

  it("messagesPerSecond reads 10 for a steady 10 frames/s stream once 10 s have passed (manual clock)", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(Date.UTC(2026, 10, 23, 12, 0, 0, 300));
    const ing = start({ symbols: ["btcusdt"], source: server.url, clock });
    const a = await server.connection(0);
    await until(() => ing.stats().status === "live", "open");
    const seen: number[] = [];
    for (let id = 1; id <= 150; id++) {
      a.ws.send(tradeFrame("btcusdt", id, 100, 1));
      await until(() => trades(ing) === id, `trade ${id}`);
      clock.advance(100); // one frame every 100 ms
      if (id > 110 && id % 7 === 0) seen.push(ing.stats().messagesPerSecond);
    }
    for (const mps of seen) expect(mps).toBeCloseTo(10, 0); // |error| < 0.5 frame/s
  });

  it("waitForTrades(n, Infinity) waits (no 1 ms overflow timeout); waitForTrades(NaN) and a timeout <= 0 throw RangeError", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const a = await server.connection(0);
    let settled = "";
    const waiting = ing.waitForTrades(2, Infinity).then(() => (settled = "resolved"), (e: Error) => (settled = e.message));
    await settle(100);
    expect(settled).toBe("");
    a.ws.send(tradeFrame("btcusdt", 1, 100, 1));
    a.ws.send(tradeFrame("btcusdt", 2, 100, 1));
    await waiting;
    expect(settled).toBe("resolved");
    expect(() => ing.waitForTrades(NaN)).toThrow(RangeError);
    expect(() => ing.waitForTrades(1, 0)).toThrow(RangeError);
  });

  it("counts skipped ids across a reconnect as one gap", async () => {
    server = await startScriptedServer();
    const ing = start({ symbols: ["btcusdt"], source: server.url, gapGraceMs: 100 });
    const a = await server.connection(0);
    for (let id = 1; id <= 10; id++) a.ws.send(tradeFrame("btcusdt", id, 100, 1));
    await until(() => trades(ing) === 10, "10 trades");
    a.ws.terminate();
    const b = await server.connection(1);
    for (let id = 31; id <= 40; id++) b.ws.send(tradeFrame("btcusdt", id, 100, 1));
    await until(() => trades(ing) === 20, "20 trades");
    await until(() => ing.stats().symbols.btcusdt.gaps === 1, "the grace window");
    expect(ing.stats().symbols.btcusdt).toMatchObject({ gaps: 1, missingTrades: 20 });
  });

  it("reports a stall (watchdog fires) and reconnects after stallMs (manual clock)", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(Date.now());
    const ing = start({ symbols: ["btcusdt", "ethusdt"], source: server.url, clock, silenceMs: 1000, stallMs: 3000 });
    const a = await server.connection(0);
    await until(() => ing.stats().status === "live", "open");
    a.ws.send(tradeFrame("btcusdt", 1, 100, 1));
    a.ws.send(tradeFrame("ethusdt", 1, 100, 1));
    await until(() => trades(ing, "ethusdt") === 1, "trades");
    clock.advance(500);
    expect(ing.stats().warnings).toEqual([]);
    clock.advance(1000);
    const s = ing.stats();
    expect(s.status).toBe("stalled");
    expect(s.warnings).toEqual(["btcusdt: no trade for 2 s", "ethusdt: no trade for 2 s"]);
    expect(s.route).toBe("/public trade"); // it delivered before: no route fallback
    clock.advance(2000);
    await until(() => ing.stats().status === "reconnecting", "stall verdict terminated the socket");
    clock.advance(300); // backoff (≤ 200 ms)
    await server.connection(1);
    await until(() => ing.stats().status === "live", "reconnected");
  });

  it("warns about a well-formed symbol that never trades, without falling back", async () => {
    server = await startScriptedServer();
    const clock = createManualClock(Date.now());
    const ing = start({ symbols: ["btcusdt", "zzzusdt"], source: server.url, clock, silenceMs: 1000 });
    const a = await server.connection(0);
    await until(() => ing.stats().status === "live", "open");
    for (let k = 1; k <= 4; k++) {
      a.ws.send(tradeFrame("btcusdt", k, 100, 1));
      await until(() => trades(ing) === k, `trade ${k}`);
      clock.advance(400);
    }
    const s = ing.stats();
    expect(s.warnings).toEqual(["zzzusdt: no trade for 2 s since connecting (is the symbol listed on USD-M futures?)"]);
    expect(s.status).toBe("live");
    expect(s.route).toBe("/public trade");
  });

  it("stop() closes the socket and clears every timer: no active handles, nothing reconnects", async () => {
    server = await startScriptedServer();
    await settle(50);
    const baseline = handleSnapshot();
    const tracker = trackResources(["TCPWRAP", "TCPSERVERWRAP", "Timeout", "WORKER"]);
    const ing = start({ symbols: ["btcusdt"], source: server.url });
    const a = await server.connection(0);
    a.ws.send(tradeFrame("btcusdt", 1, 100, 1));
    await until(() => trades(ing) === 1, "a trade");
    // The client socket and its timers live in the ingestion worker (tracked here as one WORKER); the
    // server's accepted socket is on this thread. The tracker sees them even though they are unref'd.
    expect(tracker.live()).toContain("WORKER");
    expect(tracker.live().filter((t) => t === "TCPWRAP").length).toBeGreaterThanOrEqual(1);
    expect(ing.stats().thread).toBe("worker");
    await ing.stop();
    expect(ing.stats().status).toBe("stopped");
    // The worker exited by itself: its event loop had no socket, timer or port left.
    expect((ing as ThreadedIngestion).workerExit).toBe("joined");
    expect(await tracker.settled()).toEqual([]);
    expect(await leaksSince(baseline)).toEqual([]);
    await settle(300);
    expect(server.connections.length).toBe(1);
  });
});

describe("startIngestion against the demo exchange", () => {
  it("stores a SIMULATED cointegrated pair with history at once", async () => {
    const ing = start({ symbols: ["btcusdt", "ethusdt"], source: "demo", demo: { seed: 5, rate: 20, historyMs: 120_000 } });
    await ing.waitForTrades(2000);
    const s = ing.stats();
    expect(s).toMatchObject({ simulated: true, label: "SIMULATED", source: "demo", route: "/public trade", status: "live" });
    expect(s.warnings[0]).toMatch(/^SIMULATED/);
    expect(ing.store.simulated).toBe(true);
    const btc = ing.store.ticks("btcusdt");
    const eth = ing.store.ticks("ethusdt");
    expect(btc.time[0]).toBeLessThan(Date.now() - 100_000); // history landed with its trade times
    expect(btc.price[0]).toBeGreaterThan(80_000);
    expect(eth.price[0]).toBeGreaterThan(2_400);
    expect(eth.price[0]).toBeLessThan(3_750);
    expect(s.symbols.btcusdt.gaps).toBe(0);
  });

  it("labels data SIMULATED when a custom source URL is a pairlab demo exchange (startDemoFeed's url)", async () => {
    feed = await startDemoFeed({ historyMs: 0, rate: 50 });
    const ing = start({ symbols: ["btcusdt"], source: feed.url });
    await ing.waitForTrades(3);
    const s = ing.stats();
    expect(s).toMatchObject({ simulated: true, label: "SIMULATED", source: feed.url });
    expect(ing.store.simulated).toBe(true);
    expect(s.warnings[0]).toMatch(/^SIMULATED/);
  });

  it("takes the /market aggTrade fallback when /public trade stays silent (wrong route)", async () => {
    feed = await startDemoFeed({ rate: 200, historyMs: 0, silence: ["trade"] });
    const clock = createManualClock(Date.now());
    const ing = start({ symbols: ["btcusdt", "ethusdt"], source: feed.url, clock, silenceMs: 1000 });
    await until(() => ing.stats().status === "live", "open");
    await settle(100);
    expect(trades(ing)).toBe(0);
    clock.advance(1000);
    await until(() => trades(ing) > 10 && trades(ing, "ethusdt") > 10, "aggTrade trades after fallback");
    const s = ing.stats();
    expect(s.route).toBe("/market aggTrade (fallback: /public trade delivered nothing for 1 s while connected)");
    expect(s.urls).toEqual([`${feed.url}/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`]);
    expect(s.warnings).toContain("/public trade delivered no trade for 1 s while connected; switched to /market aggTrade");
    await until(() => feed!.connections() === 1, "old socket closed");
  });

  it("auto falls back loudly to the demo exchange when live Binance is unreachable", async () => {
    const port = await closedPort();
    const ing = start({ symbols: ["btcusdt", "ethusdt"], liveUrl: `ws://127.0.0.1:${port}`, demo: { historyMs: 10_000, rate: 50 } });
    await ing.waitForTrades(50);
    const s = ing.stats();
    expect(s.simulated).toBe(true);
    expect(s.source).toMatch(/^auto → demo \(live Binance unreachable \(ECONNREFUSED/);
    expect(s.warnings.some((w) => w.startsWith("SIMULATED DATA: live Binance unreachable"))).toBe(true);
  });

  it("PAIRLAB_SOURCE=demo overrides the default source", async () => {
    const ing = start({ symbols: ["btcusdt"], env: { PAIRLAB_SOURCE: "demo" }, demo: { historyMs: 1000, rate: 50 } });
    await ing.waitForTrades(5);
    expect(ing.stats()).toMatchObject({ source: "demo", simulated: true });
  });

  it("trades({ maxQueue: 0 }) and trades({ maxQueue: NaN }) throw RangeError (0 would drop every trade between next() calls)", () => {
    const ing = start({ symbols: ["btcusdt"], source: "demo", demo: { historyMs: 0 } });
    expect(() => ing.trades({ maxQueue: 0 })).toThrow(RangeError);
    expect(() => ing.trades({ maxQueue: NaN })).toThrow(RangeError);
  });

  it("trades() yields stored trades and ends on stop(); onTrade unsubscribes", async () => {
    const ing = start({ symbols: ["btcusdt"], source: "demo", demo: { historyMs: 0, rate: 200 } });
    const seen: number[] = [];
    const off = ing.onTrade((t) => seen.push(t.id));
    const got: number[] = [];
    for await (const t of ing.trades()) {
      expect(t.simulated).toBe(true);
      got.push(t.id);
      if (got.length === 20) break;
    }
    off();
    expect(got.slice(1).every((id, i) => id === got[i] + 1)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(20);
    const it2 = ing.trades();
    const pending = it2.next();
    await ing.stop();
    expect(await pending).toEqual({ value: undefined, done: true });
    await expect(ing.waitForTrades(1e9)).rejects.toMatchObject({ code: "E_STOPPED" });
  });

  it("aborting options.signal stops the ingestion; await using disposes it", async () => {
    const controller = new AbortController();
    const ing = start({ symbols: ["btcusdt"], source: "demo", demo: { historyMs: 0, rate: 100 }, signal: controller.signal });
    await ing.waitForTrades(1);
    controller.abort();
    await until(() => ing.stopped && ing.stats().status === "stopped", "stopped by abort");
    const other = start({ symbols: ["btcusdt"], source: "demo", demo: { historyMs: 0, rate: 100 } });
    await other[Symbol.asyncDispose]();
    expect(other.stopped).toBe(true);
  });

  it("a forgotten ingestion (no stop()) does not keep a Node process or kernel alive", async () => {
    const started = Date.now();
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--require", "tsx/cjs", join(__dirname, "fixtures-forgotten-ingestion.ts")], { timeout: 20_000, cwd: join(__dirname, "../..") }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    expect(out).toBe("live SIMULATED\n");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("rerunning startIngestion with the same symbols in another order and case returns the running ingestion (one socket, ticks kept)", async () => {
    server = await startScriptedServer();
    const opts = { source: server.url, quiet: true, env: {} };
    const a = startIngestion({ symbols: ["btcusdt", "ethusdt"], ...opts });
    running.push(a);
    const c0 = await server.connection(0);
    c0.ws.send(tradeFrame("btcusdt", 1, 100, 1));
    await until(() => trades(a) === 1, "a trade");
    const b = startIngestion({ symbols: ["ETHUSDT", "btcusdt"], ...opts });
    expect(b).toBe(a);
    expect(a.stopped).toBe(false);
    await settle(100);
    expect(server.connections.length).toBe(1);
    expect(b.store.ticks("btcusdt").price.length).toBe(1);
  });

  it("rerunning startIngestion with an edited setting (silenceMs, backoff) replaces the running ingestion instead of keeping the old setting", async () => {
    feed = await startDemoFeed({ historyMs: 0, rate: 50 });
    const opts = { source: feed.url, quiet: true, env: {} };
    const a = startIngestion({ symbols: ["btcusdt", "ethusdt"], ...opts, silenceMs: 30_000 });
    expect(startIngestion({ symbols: ["btcusdt", "ethusdt"], ...opts, silenceMs: 30_000 })).toBe(a);
    const b = startIngestion({ symbols: ["btcusdt", "ethusdt"], ...opts, silenceMs: 5_000 });
    expect(b).not.toBe(a);
    expect(a.stopped).toBe(true);
    const c = startIngestion({ symbols: ["btcusdt", "ethusdt"], ...opts, silenceMs: 5_000, backoff: { initialMs: 100 } });
    expect(c).not.toBe(b);
    expect(b.stopped).toBe(true);
    await c.waitForTrades(3);
    expect(feed.connections()).toBe(1);
    await c.stop();
  });

  it("rerunning startIngestion returns the running ingestion (one socket); other symbols replace it cleanly", async () => {
    // The demo exchange serves only its configured symbols (unknown ones are refused, as on Binance).
    feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt", "solusdt"], historyMs: 0, rate: 50 });
    const opts = { source: feed.url, quiet: true, env: {} };
    const a = startIngestion({ symbols: ["btcusdt", "ethusdt"], ...opts });
    const b = startIngestion({ symbols: ["BTCUSDT", "ETHUSDT"], ...opts });
    expect(b).toBe(a);
    expect(currentIngestion()).toBe(a);
    await a.waitForTrades(3);
    expect(feed.connections()).toBe(1);
    const c = startIngestion({ symbols: ["btcusdt", "solusdt"], ...opts });
    expect(c).not.toBe(a);
    expect(a.stopped).toBe(true);
    await c.waitForTrades(3);
    expect(feed.connections()).toBe(1);
    expect(startIngestion({ symbols: ["btcusdt", "solusdt"], ...opts })).toBe(c);
    await c.stop();
    expect(currentIngestion()).toBeUndefined();
  });
});
