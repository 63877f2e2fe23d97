import { describe, expect, it } from "vitest";
import "../../src/history"; // the history area's ingestion extension (as through the pairlab entry)
import { BinanceRestClient } from "../../src/history";
import { DEMO_REST_MODULE } from "../../src/history/ingestion-history-worker";
import { startDemoFeed, startIngestion } from "../../src/ingestion";
import { openPair } from "../../src/notebook";

const HOUR = 3_600_000;

describe("pair.fundingRates", () => {
  it("pair.fundingRates() returns both legs' /fapi/v1/fundingRate events from the demo exchange on one time axis, labelled simulated, and pair.backtest takes them", async () => {
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], seed: 11, rate: 1, historyMs: 20 * HOUR, maxRetained: 2_000, restModule: DEMO_REST_MODULE });
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: "off", repairGaps: false, shared: false, quiet: true });
    try {
      const pair = await openPair(["BTCUSDT", "ETHUSDT"], { use: ingestion, timeframe: "1m", hedgeWindow: 30, zWindow: 20, warmStart: { hours: 20, archive: "off" }, writer: null });
      const from = Date.now() - 19 * HOUR;
      const funding = await pair.fundingRates({ from });
      // The reference: the same route read leg by leg with the REST client.
      const client = new BinanceRestClient({ baseUrl: feed.url.replace("ws://", "http://") });
      const to = Date.now();
      const y = await client.fundingRate("btcusdt", { startTime: from, endTime: to });
      const x = await client.fundingRate("ethusdt", { startTime: from, endTime: to });
      expect(y.length).toBeGreaterThanOrEqual(2); // every 8 h over 19 h
      expect(funding.events).toEqual([y.length, x.length]);
      expect(Array.from(funding.time)).toEqual(y.map((r) => r.fundingTime)); // both legs fund at the same times here
      expect(Array.from(funding.y)).toEqual(y.map((r) => r.fundingRate));
      expect(Array.from(funding.x)).toEqual(x.map((r) => r.fundingRate));
      expect(funding.simulated).toBe(true);
      const run = pair.backtest({ funding });
      expect(run.status).toBe("ok");
      if (run.status === "ok") expect(Number.isFinite(run.metrics.fundingPaid)).toBe(true);
    } finally {
      await ingestion.stop();
      await feed.close();
    }
  }, 60_000);

  it("pair.fundingRates({ to < from }) throws a RangeError naming `to`", async () => {
    const feed = await startDemoFeed({ symbols: ["btcusdt", "ethusdt"], historyMs: 600_000, restModule: DEMO_REST_MODULE });
    const ingestion = startIngestion({ symbols: ["btcusdt", "ethusdt"], source: feed.url, archive: "off", repairGaps: false, shared: false, quiet: true });
    try {
      const pair = await openPair(["BTCUSDT", "ETHUSDT"], { use: ingestion, timeframe: "1m", warmStart: false, writer: null });
      await expect(pair.fundingRates({ from: 2_000, to: 1_000 })).rejects.toThrow(/to/);
    } finally {
      await ingestion.stop();
      await feed.close();
    }
  });
});
