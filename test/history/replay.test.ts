import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { afterAll, describe, expect, it } from "vitest";
import { resample } from "../../src/analytics";
import { SqliteArchive } from "../../src/archive";
import { REPLAY_HEADER, startReplayServer } from "../../src/history";
import { NOW, demoSource } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const source = demoSource(2);

function recorded(file: string, minutes: number, simulated = true): SqliteArchive {
  const a = SqliteArchive.open(file);
  for (const s of ["btcusdt", "ethusdt"]) {
    const t = source.trades(s, NOW - minutes * 60_000, NOW)!;
    a.writeTradesSync({ symbol: s, id: t.id, time: t.time, price: t.price, qty: t.qty, maker: t.maker, source: simulated ? "demo" : "binance", simulated });
  }
  return a;
}

/** Connects, collects frames until `count` arrived (or the socket closes); returns frames and handshake headers. */
function collect(url: string, count: number): Promise<{ frames: { stream: string; data: Record<string, unknown> }[]; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: { stream: string; data: Record<string, unknown> }[] = [];
    let headers: Record<string, string | string[] | undefined> = {};
    ws.on("upgrade", (res) => (headers = res.headers));
    ws.on("message", (d) => {
      frames.push(JSON.parse(d.toString()));
      if (frames.length === count) {
        ws.close();
        resolve({ frames, headers });
      }
    });
    ws.on("error", reject);
  });
}

describe("startReplayServer", () => {
  it("startReplayServer({ speed: 'max' }) streams every archived trade once, in time order, as Binance combined frames labelled replay + simulated", async () => {
    const archive = recorded(join(dir, "r1.sqlite"), 10);
    const replay = await startReplayServer({ archive, speed: "max" });
    const n = replay.stats().loaded.btcusdt + replay.stats().loaded.ethusdt;
    const { frames, headers } = await collect(`${replay.url}/public/stream?streams=btcusdt@trade/ethusdt@trade`, n);
    await replay.finished();
    expect(headers[REPLAY_HEADER]).toBe("1");
    expect(headers["x-pairlab-simulated"]).toBe("1");
    expect(replay.stats()).toMatchObject({ finished: true, simulated: true });
    const times = frames.map((f) => f.data.T as number);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    const btc = frames.filter((f) => f.stream === "btcusdt@trade").map((f) => f.data);
    const t = archive.readTradesSync("btcusdt");
    expect(btc.map((d) => d.t)).toEqual(Array.from(t.id));
    // Bars from the replayed frames equal bars from the archive (the live pipeline sees the same trades).
    const fromFrames = resample({ time: btc.map((d) => d.T as number), price: btc.map((d) => Number(d.p)), qty: btc.map((d) => Number(d.q)) }, 60_000);
    expect(fromFrames).toEqual(resample(t, 60_000));
    await replay.close();
    archive.closeSync();
  });

  it("a reconnect resumes where the last connection stopped, rewinding rewindFrames (no trade lost), and a real recording is not labelled simulated", async () => {
    const archive = recorded(join(dir, "r2.sqlite"), 5, false);
    const replay = await startReplayServer({ archive, symbols: ["btcusdt"], speed: "max" }); // default rewindFrames 20,000
    const total = replay.stats().loaded.btcusdt;
    const first = await collect(`${replay.url}/market/stream?streams=btcusdt@aggTrade`, 100);
    expect(first.headers["x-pairlab-simulated"]).toBeUndefined();
    expect(first.headers["x-pairlab-replay"]).toBe("1");
    await new Promise((r) => setTimeout(r, 50));
    const sentBefore = replay.stats().sent["btcusdt@aggTrade"];
    const resumeAt = Math.max(0, sentBefore - 20_000);
    const second = await collect(`${replay.url}/market/stream?streams=btcusdt@aggTrade`, total - resumeAt);
    const ids = Array.from(archive.readTradesSync("btcusdt").id);
    expect(second.frames[0].data.a).toBe(ids[resumeAt]);
    expect(resumeAt).toBeLessThanOrEqual(100); // nothing the first client missed is skipped
    expect(second.frames.map((f) => f.data.a)).toEqual(ids.slice(resumeAt));
    await replay.finished();
    await replay.close();
    archive.closeSync();
  });

  it("startReplayServer({ speed: 600 }) paces recorded time (1 min of trades in ≈ 100 ms)", async () => {
    const archive = recorded(join(dir, "r3.sqlite"), 1);
    const replay = await startReplayServer({ archive, symbols: ["btcusdt"], speed: 600 });
    const t0 = Date.now();
    const span = archive.readTradesSync("btcusdt");
    await collect(`${replay.url}/public/ws/btcusdt@trade`, span.id.length);
    const ms = Date.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(((span.time.at(-1)! - span.time[0]) / 600) * 0.9);
    await replay.close();
    archive.closeSync();
  });

  it("startReplayServer({ quotes: true }) streams every archived quote once on @bookTicker, interleaved with the trades in time order, decoding to the stored values", async () => {
    const archive = recorded(join(dir, "r5.sqlite"), 2);
    const t = archive.readTradesSync("btcusdt");
    // Quotes at the trades' times (a trade before a quote of the same ms) and between them; prices of varied precision,
    // one size below 1e-6 (String() would write an exponent) and one of 17 significant digits.
    const m = 50;
    const q = { updateId: new Float64Array(m), time: new Float64Array(m), bid: new Float64Array(m), bidQty: new Float64Array(m), ask: new Float64Array(m), askQty: new Float64Array(m) };
    for (let i = 0; i < m; i++) {
      q.updateId[i] = 1_000 + 3 * i;
      q.time[i] = t.time[2 * i] + (i % 2);
      q.bid[i] = t.price[2 * i] - 0.1 * (i % 3);
      q.ask[i] = t.price[2 * i] + 0.01 * (1 + (i % 5));
      q.bidQty[i] = i === 7 ? 5e-7 : i === 8 ? 0.12345678901234566 : 1 + i / 1000;
      q.askQty[i] = 2.5;
    }
    for (let i = 1; i < m; i++) if (q.time[i] <= q.time[i - 1]) q.time[i] = q.time[i - 1] + 1;
    archive.writeQuotesSync({ symbol: "btcusdt", ...q, source: "demo", simulated: true });
    const replay = await startReplayServer({ archive, symbols: ["btcusdt"], quotes: true, speed: "max" });
    expect(replay.stats().loadedQuotes).toEqual({ btcusdt: m });
    const n = replay.stats().loaded.btcusdt + m;
    const { frames } = await collect(`${replay.url}/public/stream?streams=btcusdt@trade/btcusdt@bookTicker`, n);
    await replay.finished();
    const quotes = frames.filter((f) => f.stream === "btcusdt@bookTicker").map((f) => f.data);
    expect(quotes.map((d) => d.u)).toEqual(Array.from(q.updateId));
    expect(quotes.map((d) => d.T)).toEqual(Array.from(q.time));
    expect(quotes.map((d) => d.E)).toEqual(Array.from(q.time));
    expect(quotes.every((d) => d.e === "bookTicker" && d.s === "BTCUSDT")).toBe(true);
    for (const [key, col] of [["b", q.bid], ["B", q.bidQty], ["a", q.ask], ["A", q.askQty]] as const) {
      expect(quotes.every((d) => typeof d[key] === "string" && /^\d+(\.\d+)?$/.test(d[key] as string)), key).toBe(true); // plain decimals, as Binance
      expect(quotes.map((d) => Number(d[key])), key).toEqual(Array.from(col));
    }
    // Time order across both streams; at equal times the trade comes first.
    const key = (f: { stream: string; data: Record<string, unknown> }) => [f.data.T as number, f.stream.endsWith("@bookTicker") ? 1 : 0];
    for (let i = 1; i < frames.length; i++) {
      const [ta, ka] = key(frames[i - 1]), [tb, kb] = key(frames[i]);
      expect(ta < tb || (ta === tb && ka <= kb)).toBe(true);
    }
    expect(replay.stats().sent).toEqual({ "btcusdt@trade": t.id.length, "btcusdt@bookTicker": m });
    await replay.close();
    archive.closeSync();
  });

  it("startReplayServer({ quotes: true, speed: 20 }) paces trades and quotes on separate connections on one clock: no frame arrives before its recorded time is due", async () => {
    const archive = recorded(join(dir, "r8.sqlite"), 1);
    const t = archive.readTradesSync("btcusdt");
    const first = t.time[0];
    // Ten quotes from 5 s after the first trade: due 250 ms (at speed 20) after the first trade is sent (a clock per
    // connection would send the first at once, ≈ 20 ms after it).
    const times = Array.from({ length: 10 }, (_, i) => first + 5_000 + 100 * i);
    archive.writeQuotesSync({ symbol: "btcusdt", updateId: times.map((_, i) => i + 1), time: times, bid: times.map(() => 100), bidQty: times.map(() => 1), ask: times.map(() => 100.1), askQty: times.map(() => 1), source: "demo", simulated: true });
    const speed = 20;
    const replay = await startReplayServer({ archive, symbols: ["btcusdt"], quotes: true, speed });
    const arrivals = (url: string, count: number) =>
      new Promise<{ T: number; at: number }[]>((resolve, reject) => {
        const ws = new WebSocket(url);
        const got: { T: number; at: number }[] = [];
        ws.on("message", (d) => {
          got.push({ T: (JSON.parse(d.toString()) as { T: number }).T, at: Date.now() });
          if (got.length === count) {
            ws.close();
            resolve(got);
          }
        });
        ws.on("error", reject);
      });
    const tradesSeen = arrivals(`${replay.url}/public/ws/btcusdt@trade`, Math.min(t.id.length, 200));
    await new Promise((r) => setTimeout(r, 20)); // the quote connection opens later, as the ingestion's does
    const quotesSeen = arrivals(`${replay.url}/public/ws/btcusdt@bookTicker`, times.length);
    const [trades, quotes] = await Promise.all([tradesSeen, quotesSeen]);
    // The shared clock started when the first trade was sent, a delivery delay before its arrival: a frame of recorded
    // time T is due (T − first)/speed ms after that. Arrivals may be late under load, never early; the 60 ms margin
    // covers the first trade's own delivery delay and timer rounding.
    const start = trades[0].at;
    for (const f of [...trades, ...quotes]) expect(f.at - start).toBeGreaterThanOrEqual((f.T - first) / speed - 60);
    expect(quotes[0].at - start).toBeGreaterThanOrEqual(250 - 60);
    await replay.close();
    archive.closeSync();
  });

  it("startReplayServer() without quotes: true sends no @bookTicker frame and loads no quote", async () => {
    const archive = recorded(join(dir, "r6.sqlite"), 1);
    archive.writeQuotesSync({ symbol: "btcusdt", updateId: [1], time: [NOW - 1_000], bid: [100], bidQty: [1], ask: [100.1], askQty: [1], source: "demo", simulated: true });
    const replay = await startReplayServer({ archive, symbols: ["btcusdt"], speed: "max" });
    expect(replay.stats().loadedQuotes).toEqual({ btcusdt: 0 });
    const n = replay.stats().loaded.btcusdt;
    const { frames } = await collect(`${replay.url}/public/stream?streams=btcusdt@bookTicker/btcusdt@trade`, n);
    await replay.finished();
    expect(frames.every((f) => f.stream === "btcusdt@trade")).toBe(true);
    await replay.close();
    archive.closeSync();
  });

  it("startReplayServer({ quotes: 'yes' }) throws RangeError naming quotes", async () => {
    const archive = recorded(join(dir, "r7.sqlite"), 1);
    await expect(startReplayServer({ archive, quotes: "yes" as unknown as boolean })).rejects.toThrow(/'quotes' must be true or false, got "yes"/);
    archive.closeSync();
  });

  it("startReplayServer({ speed: 0 }) throws RangeError", async () => {
    const archive = recorded(join(dir, "r4.sqlite"), 1);
    await expect(startReplayServer({ archive, speed: 0 })).rejects.toThrow(/'speed' must be a number > 0 or "max", got 0/);
    archive.closeSync();
  });
});
