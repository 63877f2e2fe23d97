import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  adfTest,
  openPair,
  PLOTLY_MIME,
  resetPlotlySession,
  rollingZScore,
  type Ingestion,
} from "../../src/internal";
import { fakeIngestion, recorder } from "./fake-ingestion";

const scratch = mkdtempSync(join(tmpdir(), "pairlab-openpair-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const small = { hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, adfMinBars: 50 } as const;

describe("openPair parameter validation (before anything starts)", () => {
  it("openPair(['BTCUSDT']) rejects with RangeError naming 'symbols' and the accepted form", async () => {
    await expect(openPair(["BTCUSDT"] as unknown as [string, string], { use: fakeIngestion(1) })).rejects.toThrow(
      /'symbols' must be two different symbols \[y, x\], e\.g\. \["BTCUSDT", "ETHUSDT"\], got an array of length 1/,
    );
    await expect(openPair(["BTCUSDT", "btcusdt"], { use: fakeIngestion(1) })).rejects.toThrow(RangeError);
  });

  it("openPair(…, { zWindow: 1 }) names the parameter, the value and the accepted values", async () => {
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { zWindow: 1, use: fakeIngestion(1) })).rejects.toThrow(
      "Cannot compute openPair: 'zWindow' must be an integer >= 2, got 1",
    );
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { timeframe: "1h" as never, use: fakeIngestion(1) })).rejects.toThrow(
      `'timeframe' must be one of "1s", "1m", "5m" or an integer number of ms, got "1h"`,
    );
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { entry: 1, exit: 1, use: fakeIngestion(1) })).rejects.toThrow("'exit' must be a number in [0, entry = 1), got 1");
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { hedge: "kalmn" as never, use: fakeIngestion(1) })).rejects.toThrow(`'hedge' must be one of "ols", "kalman", got "kalmn"`);
  });

  it("openPair(…, { zwindow: 60 }) refuses an unknown option instead of ignoring the typo", async () => {
    await expect(openPair(["BTCUSDT", "ETHUSDT"], { zwindow: 60, use: fakeIngestion(1) } as never)).rejects.toThrow(
      /Cannot compute openPair: 'zwindow' must be a known option name \(one of source, waitMs, ingestion, use, writer, quotes, warmStart, timeframe, hedge, hedgeWindow, zWindow, .*\); this name is unknown, got 60/,
    );
  });
});

describe("Pair", () => {
  it("pair.params fills the defaults (hedgeWindow 300, zWindow 120, entry 2, exit 0.5, timeframe 1s)", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { use: fakeIngestion(10), waitMs: 0 });
    expect(pair.params).toMatchObject({ symbols: ["BTCUSDT", "ETHUSDT"], timeframe: "1s", hedge: "ols", hedgeWindow: 300, zWindow: 120, correlationWindow: 120, entry: 2, exit: 0.5, adfMinBars: 50, simulated: true });
    expect(pair.simulated).toBe(true);
  });

  it("pair.analytics() reads the latest trades on every call (cell order never matters)", async () => {
    const ing = fakeIngestion(200);
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: ing, waitMs: 0 });
    const before = pair.analytics().bars;
    ing.add(50);
    expect(pair.analytics().bars).toBe(before + 50);
    expect(pair.analytics().params.simulated).toBe(true);
  });

  it("pair.set({ zWindow: 60 }) recomputes the z-score with the new window exactly (tolerance 0); correlationWindow follows", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(400), waitMs: 0 });
    pair.set({ zWindow: 60 });
    const an = pair.analytics();
    expect(an.params.zWindow).toBe(60);
    expect(an.params.correlationWindow).toBe(60);
    expect(an.zscore).toEqual(rollingZScore(an.spread, 60));
  });

  it("pair.set({ zWindow: 1 }) throws naming zWindow and changes nothing; pair.set({ symbols }) is refused", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(100), waitMs: 0 });
    expect(() => pair.set({ zWindow: 1 })).toThrow("Cannot compute pair.set: 'zWindow' must be an integer >= 2, got 1");
    expect(pair.params.zWindow).toBe(30);
    expect(() => pair.set({ symbols: ["A", "B"] } as never)).toThrow(/'symbols' must be one of the tunable parameters/);
  });

  it("pair.set({ timeframe: '1m' }) rebuilds the bars on the new grid", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(600), waitMs: 0 });
    const n1s = pair.analytics().bars;
    pair.set({ timeframe: "1m" });
    const n1m = pair.analytics().bars;
    expect(n1s).toBeGreaterThanOrEqual(599);
    expect(n1m).toBeGreaterThanOrEqual(10);
    expect(n1m).toBeLessThanOrEqual(11);
  });

  it("pair.show(view) shows every view: charts as Plotly bundles, the rest as HTML tables/panels", async () => {
    resetPlotlySession();
    const r = recorder();
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(400), waitMs: 0, writer: r.writer });
    for (const view of ["prices", "spread", "zscore", "correlation", "hedge"] as const) {
      r.outputs.length = 0;
      pair.show(view);
      expect(r.outputs.some((o) => o.data[PLOTLY_MIME] !== undefined), view).toBe(true);
    }
    const text = (view: Parameters<typeof pair.show>[0], options = {}): string => {
      r.outputs.length = 0;
      pair.show(view, options);
      return r.outputs.map((o) => o.data["text/plain"]).join("\n");
    };
    expect(text("metrics")).toContain("hedge ratio β");
    expect(text("adf")).toContain("Augmented Dickey-Fuller test on the spread — SIMULATED");
    expect(text("adf", { series: "y" })).toContain("Augmented Dickey-Fuller test on BTCUSDT close");
    expect(text("eg")).toContain("Engle-Granger cointegration test (BTCUSDT ~ ETHUSDT)");
    expect(text("alerts")).toContain("Alert log:");
    expect(text("frame")).toContain("hedgeRatio");
    expect(() => pair.show("hedgeRatio" as never)).toThrow(/'view' must be one of "metrics", "prices"/);
    expect(() => pair.show("adf", { series: "z" as never })).toThrow(/'series' must be one of "spread", "y", "x"/);
  });

  it("pair.bundle('adf') on the spread runs adfTest on the spread after its first hedge window (same statistic, tolerance 0)", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(400), waitMs: 0 });
    const an = pair.analytics();
    const expected = adfTest(an.spread.subarray(small.hedgeWindow - 1));
    expect(pair.bundle("adf")["text/plain"]).toContain(`ADF statistic: ${expected.statistic.toFixed(4)}`);
  });

  it("pair.bundle('adf') with too few bars warns with the spread's own warm-up rule (hedgeWindow − 1 + adfMinBars)", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(80), waitMs: 0 });
    const bars = pair.analytics().bars;
    expect(pair.bundle("adf")["text/plain"]).toBe(
      `WARNING: Not enough data for ADF on the spread (adfMinBars 50 after the hedgeWindow of 60 bars) yet: needs 109 bars, has ${bars}. ${109 - bars} more bars take about ${109 - bars} s.`,
    );
    expect(pair.bundle("adf", { series: "x" })["text/plain"]).toContain("Augmented Dickey-Fuller test on ETHUSDT close");
  });

  it("pair.tradesPerSecond() counts trades (not frames): NaN first, then Δtrades/Δt ≥ 1 s apart", async () => {
    const ing = fakeIngestion(10);
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: ing, waitMs: 0 });
    expect(pair.tradesPerSecond()).toBeNaN();
    await new Promise((r) => setTimeout(r, 1050));
    ing.add(21);
    const rate = pair.tradesPerSecond();
    expect(rate).toBeGreaterThan(15);
    expect(rate).toBeLessThan(21);
  });

  it("pair.exportCsv() writes the pair frame with the pair vocabulary in the columns and SIMULATED in the name", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(200), waitMs: 0 });
    const file = pair.exportCsv({ dir: scratch });
    expect(file.fileName).toMatch(/^pairlab_bars_BTCUSDT-ETHUSDT_1s_\d{8}T\d{6}Z_\d{8}T\d{6}Z_SIMULATED\.csv$/);
    const header = readFileSync(file.path, "utf8").split("\r\n")[0];
    expect(header).toBe("time_utc,BTCUSDT_close,BTCUSDT_volume,ETHUSDT_close,ETHUSDT_volume,BTCUSDT_quoteVolume,ETHUSDT_quoteVolume,spread,zscore,correlation,hedgeRatio,alert,simulated");
    expect(file.rows).toBe(pair.analytics().bars);
    const alerts = pair.exportCsv({ dir: scratch, kind: "alerts" });
    expect(alerts.fileName).toMatch(/^pairlab_alerts_/);
  });

  it("pair.analytics() with timeframe 1 (ms) over a day of ticks throws the memory error naming interval, span and size", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, timeframe: 1, use: fakeIngestion(86_400), waitMs: 0 });
    expect(() => pair.analytics()).toThrow(/'interval' must be coarse enough for the 24\.0 h span of ticks to fit in 256\.0 MB of bars .*86,39\d,\d{3} bars of 1 ms would take 41\.2 GB/);
  });

  it("pair.analytics() with timeframe 1 (ms) over 10 min of ticks is refused: 600,001 bars × 512 B > 256 MB (before allocating)", async () => {
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, timeframe: 1, use: fakeIngestion(600), waitMs: 0 });
    expect(() => pair.analytics()).toThrow(/bars of 1 ms would take 29[0-9.]+ MB/);
    pair.set({ timeframe: 1, maxBytes: 400 * 1024 * 1024 }); // the caller may raise the bound
    expect(pair.analytics().bars).toBeGreaterThan(598_000);
  });

  it("pair.live({ seconds: 1, everyMs: 500 }) refreshes each view in place and resolves with the number of refreshes", async () => {
    resetPlotlySession();
    const r = recorder();
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: fakeIngestion(300), waitMs: 0, writer: r.writer });
    const renders = await pair.live({ seconds: 1, everyMs: 500, views: ["metrics", "zscore"] });
    expect(renders).toBeGreaterThanOrEqual(2);
    const ids = new Set(r.outputs.map((o) => o.transient.display_id).filter(Boolean));
    expect(ids.size).toBe(2);
    await expect(pair.live({ seconds: 7200 })).rejects.toThrow("'seconds' must be an integer in [1, 3600], got 7200");
  });

  it("pair.status() shows the status panel with trades/s (never frames/s); pair.stop() stops loops and the ingestion", async () => {
    const r = recorder();
    const ing = fakeIngestion(30);
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: ing, waitMs: 0, writer: r.writer });
    pair.status({ minutes: 1 });
    const text = r.outputs.map((o) => o.data["text/plain"]).join("\n");
    expect(text).toContain("pairlab status — source demo");
    expect(text).toContain("SIMULATED");
    expect(text).toContain("trades/s");
    expect(text).not.toContain("999");
    await pair.stop();
    expect(ing.stoppedCalls).toBe(1);
  });
});

describe("Pair.analytics cache", () => {
  it("pair.analytics() returns the same result while nothing changed, and a new one after a trade or pair.set", async () => {
    const ing = fakeIngestion(300);
    const pair = await openPair(["BTCUSDT", "ETHUSDT"], { ...small, use: ing, waitMs: 0 });
    const first = pair.analytics();
    expect(pair.analytics()).toBe(first);
    ing.add(1);
    const second = pair.analytics();
    expect(second).not.toBe(first);
    expect(second.bars).toBe(first.bars + 1);
    pair.set({ entry: 2.5 });
    expect(pair.analytics()).not.toBe(second);
    expect(pair.analytics().params.entry).toBe(2.5);
  });
});
