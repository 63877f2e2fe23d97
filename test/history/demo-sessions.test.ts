import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { BinanceRestClient } from "../../src/history";
import { DEMO_REST_MODULE } from "../../src/history/ingestion-history-worker";
import { startDemoFeed, startIngestion } from "../../src/ingestion";
import { demoTradeIdBase } from "../../src/ingestion/trade-simulator";

const dir = mkdtempSync(join(tmpdir(), "pairlab-demo-sessions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("demo trade ids across sessions", () => {
  it("demoTradeIdBase(startTime) is floor(ms) × 1000, and 0 outside [0, 9e12] (exact: integer arithmetic)", () => {
    expect(demoTradeIdBase(Date.UTC(2026, 11, 7))).toBe(Date.UTC(2026, 11, 7) * 1000);
    expect(demoTradeIdBase(1234.9)).toBe(1_234_000);
    expect(demoTradeIdBase(0)).toBe(0);
    expect(demoTradeIdBase(-5)).toBe(0);
    expect(demoTradeIdBase(1e13)).toBe(0);
    expect(Number.isSafeInteger(demoTradeIdBase(9e12) + 1e9)).toBe(true);
  });

  it("two sequential demo recordings into one archive keep every trade of both sessions (no id collision)", async () => {
    const file = join(dir, "two.sqlite");
    const counts: Record<string, number>[] = [];
    const firstIds: number[] = [];
    for (let session = 0; session < 2; session++) {
      const t0 = Date.now();
      const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: "demo", archive: `file:${file}`, demo: { rate: 40, historyMs: 5_000 }, repairGaps: false, shared: false, quiet: true });
      try {
        await ing.waitForTrades(100);
        await sleep(500);
      } finally {
        await ing.stop();
      }
      const s = ing.stats();
      expect(s.recording?.state).toBe("ok");
      counts.push({ btcusdt: ing.store.ticks("btcusdt").price.length, ethusdt: ing.store.ticks("ethusdt").price.length });
      firstIds.push(t0);
      await sleep(20); // the next session starts at a later ms
    }
    const archive = (await openArchive(`file:${file}`))!;
    try {
      for (const symbol of ["btcusdt", "ethusdt"]) {
        const t = await archive.readTrades(symbol);
        expect(t.id.length).toBe(counts[0][symbol] + counts[1][symbol]); // nothing dropped as a duplicate
        const ids = Float64Array.from(t.id).sort();
        for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
        // Both sessions' ids are above their tape starts' bases (≥ (t0 − historyMs − 1 s slack) × 1000).
        expect(ids[0]).toBeGreaterThan(demoTradeIdBase(firstIds[0] - 6_000));
      }
    } finally {
      await archive.close();
    }
  }, 60_000);

  it("the demo exchange's REST aggTrades carry exactly the WebSocket's session-based ids and trades (a = f = l = trade id)", async () => {
    const file = join(dir, "ws-vs-rest.sqlite");
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], seed: 3, rate: 20, historyMs: 60_000, restModule: DEMO_REST_MODULE });
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: `file:${file}`, repairGaps: false, shared: false, quiet: true });
    const started = Date.now();
    try {
      await ing.waitForTrades(200);
      await sleep(300);
    } finally {
      await ing.stop();
    }
    const archive = (await openArchive(`file:${file}`))!;
    try {
      const ws = await archive.readTrades("btcusdt");
      const n = ws.id.length;
      expect(n).toBeGreaterThan(200);
      expect(ws.id[0]).toBeGreaterThan(demoTradeIdBase(started - 61_000));
      const client = new BinanceRestClient({ baseUrl: feed.url.replace("ws://", "http://") });
      const rest = await client.aggTrades("btcusdt", { startTime: ws.time[0], endTime: ws.time[n - 1], limit: 1000 });
      const m = Math.min(rest.length, n);
      expect(m).toBeGreaterThan(200);
      for (let i = 0; i < m; i++) {
        expect(rest[i].f).toBe(rest[i].a);
        expect(rest[i].l).toBe(rest[i].a);
      }
      // Same trades, same ids (exact: ids are integers, prices the same decimal strings parsed).
      expect(rest.slice(0, m).map((r) => [r.a, r.T, r.p])).toEqual(Array.from({ length: m }, (_, i) => [ws.id[i], ws.time[i], ws.price[i]]));
    } finally {
      await archive.close();
      await feed.close();
    }
  }, 30_000);
});
