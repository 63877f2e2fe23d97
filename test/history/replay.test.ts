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

  it("startReplayServer({ speed: 0 }) throws RangeError", async () => {
    const archive = recorded(join(dir, "r4.sqlite"), 1);
    await expect(startReplayServer({ archive, speed: 0 })).rejects.toThrow(/'speed' must be a number > 0 or "max", got 0/);
    archive.closeSync();
  });
});
