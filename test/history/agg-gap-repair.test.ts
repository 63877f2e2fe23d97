import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive";
import "../../src/history"; // registers the history area's ingestion extension (as the pairlab entry does)
import { BinanceRestClient, repairAggGap } from "../../src/history";
import { DEMO_REST_MODULE } from "../../src/history/ingestion-history-worker";
import { startDemoFeed, startIngestion } from "../../src/ingestion";
import { demoRest, expectOutageRepairedThenStop, NOW } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "pairlab-agg-gap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("aggTrade-stream gap repair", () => {
  it("repairAggGap(client, gap) returns exactly the missing aggregate ids with the REST values, paging by fromId", async () => {
    const rest = await demoRest();
    try {
      const client = new BinanceRestClient({ baseUrl: rest.url });
      const first = await client.aggTrades("btcusdt", { startTime: NOW - 3_000_000, endTime: NOW - 1, limit: 1000 });
      const all = [...first, ...(await client.aggTrades("btcusdt", { fromId: first[first.length - 1].a + 1, limit: 1000 }))];
      expect(all.length).toBe(2000);
      const [a, b] = [all[10], all[1500]]; // 1,489 missing: two pages
      const r = await repairAggGap(client, { symbol: "btcusdt", lastIdBefore: a.a, firstIdAfter: b.a, from: a.T, to: b.T }, { simulated: true });
      expect(r.status).toBe("repaired");
      expect(r.expected).toBe(b.a - a.a - 1);
      const want = all.filter((x) => x.a > a.a && x.a < b.a);
      expect(Array.from(r.trades.id)).toEqual(want.map((x) => x.a));
      expect(Array.from(r.trades.price)).toEqual(want.map((x) => x.p));
      expect(Array.from(r.trades.qty)).toEqual(want.map((x) => x.q));
      expect(Array.from(r.trades.time)).toEqual(want.map((x) => x.T));
      // Beyond the exchange's history: partial, with the reason.
      const last = all[all.length - 1].a;
      const far = await repairAggGap(new BinanceRestClient({ baseUrl: rest.url }), { symbol: "btcusdt", lastIdBefore: last + 1e9, firstIdAfter: last + 1e9 + 5, from: 0, to: 0 });
      expect(far.status).toBe("unrepairable");
      expect(far.reason).toMatch(/not returned/);
    } finally {
      await rest.close();
    }
  });

  it("a reconnect gap on the aggTrade stream is repaired from the demo exchange's REST by aggregate id and injected once (store and archive)", async () => {
    const file = join(dir, "agg.sqlite");
    // maxRetained 10: a reconnect replays ~500 ms of trades and the backoff waits ≥ 1 s, so the outage always leaves a gap.
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], rate: 20, historyMs: 0, maxRetained: 10, restModule: DEMO_REST_MODULE });
    const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, stream: "aggTrade", archive: `file:${file}`, gapGraceMs: 300, shared: false, quiet: true, backoff: { initialMs: 2000, maxMs: 2000 } });
    try {
      await ing.waitForTrades(50);
      feed.killConnections();
      await expectOutageRepairedThenStop(ing);
      const archive = (await openArchive(`file:${file}`))!;
      try {
        for (const sym of ["btcusdt", "ethusdt"]) {
          const ids = Float64Array.from((await archive.readTrades(sym)).id).sort();
          for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1] + 1); // contiguous aggregate ids: filled, each once
          expect(ing.store.ticks(sym).price.length).toBe(ids.length);
        }
        expect((await archive.summary()).find((x) => x.symbol === "btcusdt")?.sources).toContain("rest");
      } finally {
        await archive.close();
      }
    } finally {
      await ing.stop();
      await feed.close();
    }
  }, 60_000);
});
