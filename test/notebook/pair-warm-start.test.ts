import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import "../../src/history"; // the history area's ingestion extension (as through the pairlab entry)
import { DEMO_REST_MODULE } from "../../src/history/ingestion-history-worker";
import { startDemoFeed, startIngestion } from "../../src/ingestion";
import { openPair } from "../../src/notebook";

const dir = mkdtempSync(join(tmpdir(), "pairlab-warm-pair-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openPair warm start", () => {
  it("openPair(…, { timeframe: '1m' }) backfills from the demo exchange's REST what its WebSocket did not replay; merged bars keep their source and feed the analytics", async () => {
    // The exchange simulates 2 h of history but replays only the last 2,000 trades per symbol on subscribe.
    const opts = { symbols: ["btcusdt", "ethusdt"], seed: 7, rate: 5, historyMs: 2 * 3_600_000, maxRetained: 2_000, restModule: DEMO_REST_MODULE };
    const feed = await startDemoFeed(opts);
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: `file:${join(dir, "a.sqlite")}`, shared: false, quiet: true });
    const writes: unknown[] = [];
    try {
      const pair = await openPair(["BTCUSDT", "ETHUSDT"], { use: ingestion, timeframe: "1m", hedgeWindow: 30, zWindow: 20, adfMinBars: 20, warmStart: { hours: 2 }, writer: (m: unknown) => void writes.push(m) });
      const report = pair.warmStart!;
      expect(report.restUrl).toBe(feed.url.replace("ws://", "http://"));
      expect(report.counts[0].klines).toBeGreaterThan(60); // most of the 2 h came from REST klines
      expect(report.missing[0]).toEqual([]);
      expect(writes.length).toBeGreaterThan(0); // the progress bar
      const an = pair.analytics();
      const [a] = pair.bars();
      expect(a.source[0]).toBe("klines");
      expect(a.source.at(-1)).toBe("live");
      const closedKlines = a.source.map((s, i) => (s === "klines" ? i : -1)).filter((i) => i >= 0);
      expect(closedKlines.length).toBeGreaterThan(60);
      expect(Number.isFinite(an.currentHedgeRatio)).toBe(true); // analytics run on the merged bars (30-bar window)
      expect(an.time.length).toBeGreaterThanOrEqual(a.time.length - 1);
    } finally {
      await ingestion.stop();
      await feed.close();
    }
  });

  it("openPair with an unreachable REST reports the missing range and goes on live", async () => {
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], historyMs: 600_000, restModule: "" }); // no REST mounted: 426 to HTTP
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: "off", repairGaps: false, shared: false, quiet: true });
    try {
      const pair = await openPair(["BTCUSDT", "ETHUSDT"], { use: ingestion, timeframe: "1m", warmStart: { hours: 3, archive: "off" }, writer: null });
      const r = pair.warmStart!;
      expect(r.missing[0].length).toBeGreaterThan(0);
      expect(r.missing[0][0].reason).toMatch(/426|REST|HTTP/i);
      expect(r.counts[0].klines).toBe(0);
      expect(pair.analytics().a.time.length).toBeGreaterThan(0); // live bars
      expect(ingestion.stats().status).toBe("live");
    } finally {
      await ingestion.stop();
      await feed.close();
    }
  });
});
