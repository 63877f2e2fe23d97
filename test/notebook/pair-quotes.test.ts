import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPair, roundTripCost, quoteFill, stopAllIngestion } from "../../src/internal";
import { openDemoQuotePair, recorder } from "./fake-ingestion";

const scratch = mkdtempSync(join(tmpdir(), "pairlab-pairquotes-"));
afterAll(async () => {
  await stopAllIngestion();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the pair object's quotes and background alerts (demo exchange, book tickers on)", () => {
  it("pair.quotes(), pair.show(\"cost\"), pair.backtest({ fills: \"quotes\" }) and pair.alerts() on the live demo feed", async () => {
    const out = recorder();
    const pair = await openDemoQuotePair(11, out.writer);
    try {
      // Quote analytics on the pair's grid: the cost at bar i is roundTripCost at that bar's touch and hedge ratio.
      const an = pair.analytics();
      const q = pair.quotes({ feeBps: 1 });
      expect(q.time.length).toBe(an.time.length);
      const i = q.costBps.length - 2;
      expect(Number.isFinite(q.costBps[i])).toBe(true);
      expect(q.spreadBps[0][i]).toBeGreaterThan(0);
      expect(q.touch[0]!.ask).toBeGreaterThan(q.touch[0]!.bid);
      const ethQ = pair.ingestion.quotes!.quotes("ethusdt");
      const btcQ = pair.ingestion.quotes!.quotes("btcusdt");
      // The touch at the close of bar i = the last quote before the bar's end.
      const end = an.time[i] + 1000;
      const lastBefore = (t: Float64Array, e: number) => {
        let k = -1;
        while (k + 1 < t.length && t[k + 1] < e) k++;
        return k;
      };
      const ky = lastBefore(ethQ.time, end), kx = lastBefore(btcQ.time, end);
      const want = roundTripCost({ bidY: [ethQ.bid[ky]], askY: [ethQ.ask[ky]], bidX: [btcQ.bid[kx]], askX: [btcQ.ask[kx]] }, an.hedgeRatio[i], { feeBps: 1 });
      expect(q.costBps[i]).toBeCloseTo(want.costBps[0], 10);
      pair.show("cost");
      expect(JSON.stringify(out.outputs.at(-1))).toMatch(/round-trip cost/i);

      // Backtest with quote fills: every fill at an ask (buy) or a bid (sell) of the first quote at or after the fill.
      const run = pair.backtest({ fills: "quotes", entry: 1, exit: 0.2 });
      if (run.status === "ok" && run.trades.length > 0) {
        const t = run.trades[0];
        const yFill = quoteFill(ethQ, t.entryTime, t.side === "long" ? "buy" : "sell")!;
        expect(t.entryPriceY).toBe(yFill.price);
        const xFill = quoteFill(btcQ, t.entryTime, t.side === "long" ? "sell" : "buy")!;
        expect(t.entryPriceX).toBe(xFill.price);
      } else {
        expect.fail(`expected a backtest with trades on 120 s of demo bars, got ${JSON.stringify(run).slice(0, 200)}`);
      }

      // Background alerts: the default rule is the pair's z-score rule; its value equals the dashboard's z.
      const rule = pair.zscoreRule();
      expect(rule).toMatchObject({ kind: "zscore", y: "ethusdt", x: "btcusdt", hedgeWindow: 20, zWindow: 10, entry: 1, exit: 0.2, reentry: "next-bar" });
      const alerts = await pair.alerts(undefined, { dir: join(scratch, "alerts"), envTargets: false, pollMs: 100, graceMs: 150 });
      expect(alerts.thread).toBe("ingestion-worker");
      await new Promise((r) => setTimeout(r, 2500));
      const st = alerts.status()!;
      const r = st.engine.rules[0];
      const now = pair.analytics();
      const k = Array.from(now.time).indexOf(st.engine.lastBarTime);
      expect(k).toBeGreaterThan(0);
      expect(r.value).toBeCloseTo(now.zscore[k], 9);
      pair.show("alerts");
      expect(JSON.stringify(out.outputs.at(-1))).toMatch(/pairlab alerts/);
      expect(JSON.stringify(out.outputs.at(-1))).toMatch(/SIMULATED/);
    } finally {
      await pair.stop();
    }
  }, 60_000);

  it("pair.quotes() and pair.backtest({ fills: \"quotes\" }) without book tickers throw RangeError naming 'quotes'", async () => {
    const pair = await openPair(["ETHUSDT", "BTCUSDT"], { source: "demo", hedgeWindow: 20, zWindow: 10, ingestion: { demo: { historyMs: 30_000 }, quiet: true, shared: false }, writer: recorder().writer });
    try {
      expect(() => pair.quotes()).toThrow(/'quotes'.*quotes: true/);
      expect(() => pair.backtest({ fills: "quotes" })).toThrow(RangeError);
    } finally {
      await pair.stop();
    }
  }, 30_000);
});
