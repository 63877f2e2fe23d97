import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startDemoFeed, type DemoFeed } from "../../src/ingestion/demo-exchange";
import { handleSnapshot, leaksSince, settle, trackResources, until } from "./helpers";

let feed: DemoFeed | undefined;
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await feed?.close();
  feed = undefined;
});

function connect(url: string): { ws: WebSocket; frames: string[]; opened: Promise<void>; closed: Promise<number> } {
  const ws = new WebSocket(url);
  clients.push(ws);
  const frames: string[] = [];
  ws.on("message", (d) => frames.push(String(d)));
  ws.on("error", () => undefined);
  const opened = new Promise<void>((resolve) => ws.once("open", () => resolve()));
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  return { ws, frames, opened, closed };
}

describe("startDemoFeed", () => {
  it("startDemoFeed({ rate: 0 }) rejects with RangeError E_PARAM", async () => {
    await expect(startDemoFeed({ rate: 0 })).rejects.toThrow(RangeError);
    await expect(startDemoFeed({ port: 70000 })).rejects.toThrow(RangeError);
    await expect(startDemoFeed({ symbols: ["btc/usdt"] })).rejects.toThrow(RangeError);
    await expect(startDemoFeed({ historyMs: -1 })).rejects.toThrow(/historyMs/);
  });

  it("listens on 127.0.0.1 with an ephemeral port by default", async () => {
    feed = await startDemoFeed({ historyMs: 0 });
    expect(feed.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(feed.port).toBeGreaterThan(0);
    expect(feed.symbols()).toEqual(["btcusdt", "ethusdt"]);
  });

  it("serves @trade on /public combined (wrapped) and @aggTrade on /market raw", async () => {
    feed = await startDemoFeed({ rate: 200, historyMs: 0, seed: 9 });
    const pub = connect(`${feed.url}/public/stream?streams=btcusdt@trade/ethusdt@trade`);
    const mkt = connect(`${feed.url}/market/ws/btcusdt@aggTrade`);
    await until(() => pub.frames.length >= 20 && mkt.frames.length >= 10, "frames on both routes");
    const p = JSON.parse(pub.frames[0]) as { stream: string; data: Record<string, unknown> };
    expect(p.stream).toMatch(/^(btcusdt|ethusdt)@trade$/);
    expect(p.data).toMatchObject({ e: "trade", X: "MARKET" });
    expect(typeof p.data.p).toBe("string");
    expect(new Set(pub.frames.map((f) => (JSON.parse(f) as { stream: string }).stream))).toEqual(new Set(["btcusdt@trade", "ethusdt@trade"]));
    const m = JSON.parse(mkt.frames[0]) as Record<string, unknown>;
    expect(m).toMatchObject({ e: "aggTrade", s: "BTCUSDT" });
    expect(m.f).toBe(m.l);
    // Contiguous aggregate ids on the raw stream.
    const ids = mkt.frames.map((f) => (JSON.parse(f) as { a: number }).a);
    ids.forEach((a, i) => i > 0 && expect(a).toBe(ids[i - 1] + 1));
  });

  it("accepts but never delivers a stream on the wrong route or the retired root path", async () => {
    feed = await startDemoFeed({ rate: 500, historyMs: 5000 });
    const wrong = connect(`${feed.url}/market/stream?streams=btcusdt@trade`);
    const root = connect(`${feed.url}/ws/btcusdt@aggTrade`);
    const right = connect(`${feed.url}/market/stream?streams=btcusdt@aggTrade`);
    await Promise.all([wrong.opened, root.opened]);
    await until(() => right.frames.length > 100, "frames on the right route");
    await settle(100);
    expect(wrong.frames).toEqual([]);
    expect(root.frames).toEqual([]);
  });

  it("silence: ['trade'] emulates a dead /public route", async () => {
    feed = await startDemoFeed({ rate: 500, historyMs: 0, silence: ["trade"] });
    const pub = connect(`${feed.url}/public/stream?streams=btcusdt@trade`);
    const mkt = connect(`${feed.url}/market/stream?streams=btcusdt@aggTrade`);
    await until(() => mkt.frames.length > 20, "aggTrade frames");
    expect(pub.frames).toEqual([]);
  });

  it("answers SUBSCRIBE / LIST_SUBSCRIPTIONS with Binance-style replies and closes a client above 10 messages/s", async () => {
    feed = await startDemoFeed({ rate: 200, historyMs: 0 });
    const c = connect(`${feed.url}/public/ws`);
    await c.opened;
    c.ws.send(JSON.stringify({ method: "SUBSCRIBE", params: ["btcusdt@trade"], id: 1 }));
    await until(() => c.frames.length >= 5, "reply and trades");
    expect(JSON.parse(c.frames[0])).toEqual({ result: null, id: 1 });
    expect(JSON.parse(c.frames[1])).toMatchObject({ e: "trade", s: "BTCUSDT" });
    c.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 2 }));
    await until(() => c.frames.some((f) => f.includes('"id":2')), "list reply");
    expect(c.frames.find((f) => f.includes('"id":2'))).toBe('{"result":["btcusdt@trade"],"id":2}');
    for (let i = 0; i < 11; i++) c.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 10 + i }));
    expect(await c.closed).toBe(1008);
  });

  it("replays the pre-filled history first, with historical trade times, then goes live", async () => {
    const before = Date.now();
    feed = await startDemoFeed({ rate: 20, historyMs: 60_000, seed: 4 });
    const c = connect(`${feed.url}/public/stream?streams=btcusdt@trade`);
    await until(() => c.frames.length >= feed!.generated("btcusdt"), "history burst");
    const times = c.frames.map((f) => (JSON.parse(f) as { data: { T: number } }).data.T);
    // Poisson(20/s × 60 s): mean 1200, sd ≈ 35; ±6 sd.
    expect(Math.abs(times.length - 1200)).toBeLessThan(210);
    expect(times[0]).toBeGreaterThanOrEqual(before - 60_000);
    expect(times[0]).toBeLessThan(before - 55_000);
    times.forEach((t, i) => i > 0 && expect(t).toBeGreaterThanOrEqual(times[i - 1]));
    const ids = c.frames.map((f) => (JSON.parse(f) as { data: { t: number } }).data.t);
    // Session-unique ids: demoTradeIdBase(tape start) + 1, 2, 3, … with the tape start = the exchange's start − 60 s.
    const base = ids[0] - 1;
    expect(ids.slice(0, 3)).toEqual([base + 1, base + 2, base + 3]);
    expect(base % 1000).toBe(0);
    expect(base / 1000).toBeGreaterThanOrEqual(before - 60_000);
    expect(base / 1000).toBeLessThanOrEqual(Date.now() - 60_000);
  });

  it("spentIdEvery: n inserts zero-price zero-qty frames that consume ids", async () => {
    feed = await startDemoFeed({ rate: 300, historyMs: 2000, spentIdEvery: 5 });
    const c = connect(`${feed.url}/public/ws/btcusdt@trade`);
    await until(() => c.frames.length > 40, "frames");
    const msgs = c.frames.map((f) => JSON.parse(f) as { t: number; p: string; q: string });
    msgs.forEach((m, i) => i > 0 && expect(m.t).toBe(msgs[i - 1].t + 1));
    const spent = msgs.filter((m) => m.p === "0" && m.q === "0");
    expect(spent.length).toBeGreaterThan(5);
    expect(spent.every((m) => m.t % 5 === 0)).toBe(true);
  });

  it("killConnections() terminates clients; close() leaves no active handles", async () => {
    const baseline = handleSnapshot();
    const tracker = trackResources(["TCPWRAP", "TCPSERVERWRAP", "Timeout", "WORKER", "MESSAGEPORT"]);
    feed = await startDemoFeed({ rate: 100, historyMs: 1000 });
    const c = connect(`${feed.url}/public/ws/btcusdt@trade`);
    await c.opened;
    await until(() => feed!.connections() === 1, "server-side connection");
    expect(feed.killConnections()).toBe(1);
    expect(await c.closed).toBe(1006);
    await feed.close();
    await feed.close(); // idempotent
    feed = undefined;
    clients.splice(0);
    expect(await leaksSince(baseline)).toEqual([]);
    expect(await tracker.settled()).toEqual([]); // the exchange's worker thread (server, sockets, timer inside it) and its ports
  });

  it("a forgotten demo feed does not keep a Node process alive", async () => {
    const script = join(__dirname, "fixtures-forgotten-feed.ts");
    const started = Date.now();
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--require", "tsx/cjs", script], { timeout: 20_000, cwd: join(__dirname, "../..") }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    expect(out).toMatch(/^ws:\/\/127\.0\.0\.1:\d+ 2\n$/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
