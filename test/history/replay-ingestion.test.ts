import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resample, rollingOls } from "../../src/analytics";
import { SqliteArchive } from "../../src/archive";
import { startReplayServer } from "../../src/history";
import { startIngestion } from "../../src/ingestion";
import { NOW, demoSource } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-replay-ingest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("replay through the ingestion pipeline", () => {
  it("startIngestion({ source: replay.url }) stores the recorded hour: same 1m bars and rolling hedge ratio as the archive, labelled simulated", async () => {
    const source = demoSource(2);
    const archive = SqliteArchive.open(join(dir, "hour.sqlite"));
    const from = NOW - 3_600_000;
    for (const s of ["btcusdt", "ethusdt"]) {
      const t = source.trades(s, from, NOW)!;
      archive.writeTradesSync({ symbol: s, id: t.id, time: t.time, price: t.price, qty: t.qty, maker: t.maker, source: "demo", simulated: true });
    }
    const replay = await startReplayServer({ archive, symbols: ["btcusdt", "ethusdt"], from, to: NOW + 1, speed: "max" });
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: replay.url, shared: false, quiet: true });
    try {
      const loaded = replay.stats().loaded;
      await ingestion.waitForTrades(Math.min(loaded.btcusdt, loaded.ethusdt), 60_000);
      await replay.finished();
      const bars = (s: string, ticks: { time: ArrayLike<number>; price: ArrayLike<number>; qty: ArrayLike<number> }) => resample(ticks, 60_000, { now: NOW + 60_000 });
      const live = ["btcusdt", "ethusdt"].map((s) => bars(s, ingestion.store.ticks(s)));
      const recorded = await Promise.all(["btcusdt", "ethusdt"].map(async (s) => bars(s, await archive.readTrades(s))));
      for (let k = 0; k < 2; k++) for (const f of ["time", "open", "high", "low", "close", "volume", "vwap", "count"] as const) expect(live[k][f], f).toEqual(recorded[k][f]);
      const n = Math.min(live[0].close.length, live[1].close.length);
      const a = rollingOls(live[1].close.subarray(0, n), live[0].close.subarray(0, n), 30);
      const b = rollingOls(recorded[1].close.subarray(0, n), recorded[0].close.subarray(0, n), 30);
      expect(a).toEqual(b);
      expect(ingestion.stats().simulated).toBe(true); // from the x-pairlab-simulated handshake header of the replay
      expect(replay.stats().simulated).toBe(true);
      // A replay server given as a ws:// source is labelled REPLAY too (x-pairlab-replay handshake header), not LIVE.
      expect(ingestion.stats().label).toBe("REPLAY — SIMULATED");
    } finally {
      await ingestion.stop();
      await replay.close();
      archive.closeSync();
    }
  });
});
