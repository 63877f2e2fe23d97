import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors";
import { adfBundle, bundleOrWarning, engleGrangerBundle, insufficientDataBundle, insufficientDataMessage, statusPanelBundle, warningBundle } from "../../src/charts";
import { ingestionStatus, waitUntilCaughtUp, TradeRateTracker } from "../../src/pair";

describe("insufficientDataMessage", () => {
  it("insufficientDataMessage for 5m bars says how many are missing and how long they take (28 × 300 s = 2.3 h)", () => {
    expect(insufficientDataMessage({ what: "5m bars", needed: 30, got: 2, unit: "bars", secondsPerUnit: 300 })).toBe(
      "Not enough data for 5m bars yet: needs 30 bars, has 2. 28 more bars take about 2.3 h.",
    );
  });
  it("insufficientDataMessage for trades uses the trade rate (18 points at 2 trades/s = 9 s)", () => {
    expect(insufficientDataMessage({ what: "ADF", needed: 20, got: 2, unit: "trades", tradesPerSecond: 2 })).toBe(
      "Not enough data for ADF yet: needs 20 trades, has 2. At the current rate (2.0 trades/s) that takes about 9 s.",
    );
  });
  it("insufficientDataMessage with a zero trade rate says trades are not arriving", () => {
    expect(insufficientDataMessage({ what: "ADF", needed: 20, got: 2, tradesPerSecond: 0 })).toContain("No trades are arriving");
  });
  it("insufficientDataBundle(error) uses the error's needed/got", () => {
    const bundle = insufficientDataBundle(new InsufficientDataError("ADF", 20, 5), { what: "ADF on the spread", unit: "bars", secondsPerUnit: 60 });
    expect(bundle["text/plain"]).toBe("WARNING: Not enough data for ADF on the spread yet: needs 20 bars, has 5. 15 more bars take about 15 min.");
  });
});

describe("warningBundle / statusPanelBundle", () => {
  it("warningBundle escapes HTML", () => {
    expect(warningBundle("<x>")["text/html"]).toContain("&lt;x&gt;");
  });

  it("statusPanelBundle shows every symbol, SIMULATED, and escapes values", () => {
    const bundle = statusPanelBundle({
      symbols: [
        { symbol: "BTCUSDT", trades: 1234, tradesPerSecond: 5.5, lastPrice: 60123.456, lagMs: 12, gaps: 0 },
        { symbol: "<eth>", trades: 10 },
      ],
      source: "demo",
      route: "local",
      status: "open",
      simulated: true,
      warnings: ["a & b"],
      updatedAt: Date.UTC(2026, 10, 23, 21, 0, 0),
    });
    const html = bundle["text/html"] as string;
    expect(html).toContain("SIMULATED");
    expect(html).toContain("&lt;eth&gt;");
    expect(html).toContain("a &amp; b");
    expect(html).toContain("60,123.46");
    expect(bundle["text/plain"]).toContain("SIMULATED");
    expect(bundle["text/plain"]).toContain("BTCUSDT: 1,234 trades, 5.5 trades/s, last 60,123.46, lag 12 ms, gaps 0");
    expect(bundle["text/plain"]).toContain("2026-11-23 21:00:00 UTC");
  });

  it("statusPanelBundle without simulation has no SIMULATED label", () => {
    const bundle = statusPanelBundle({ symbols: [], source: "binance", simulated: false });
    expect(bundle["text/plain"]).not.toContain("SIMULATED");
    expect(bundle["text/html"]).not.toContain("SIMULATED");
  });
});


describe("ingestionStatus / TradeRateTracker", () => {
  it("TradeRateTracker.rate is NaN first, then Δtrades/Δt (50 trades in 2 s = 25/s)", () => {
    const t = new TradeRateTracker();
    expect(t.rate("btcusdt", 100, 1000)).toBeNaN();
    expect(t.rate("btcusdt", 150, 3000)).toBe(25);
  });

  it("ingestionStatus maps a stats snapshot to panel rows, upper-cases symbols and keeps SIMULATED", () => {
    const stats = {
      status: "live",
      source: "demo",
      simulated: true,
      route: "/public trade",
      warnings: [],
      symbols: { btcusdt: { trades: 10, lastPrice: 60_000, lagMs: 5, gaps: 0 } },
    };
    const input = ingestionStatus(stats, undefined, Date.UTC(2026, 10, 23));
    expect(input.symbols).toEqual([{ symbol: "BTCUSDT", trades: 10, tradesPerSecond: undefined, lastPrice: 60_000, lagMs: 5, gaps: 0 }]);
    expect(input.simulated).toBe(true);
    expect(statusPanelBundle(input)["text/plain"]).toContain("SIMULATED");
  });
});

describe("adfBundle / engleGrangerBundle / bundleOrWarning", () => {
  const adf = { statistic: -3.5, pValue: 0.008, usedLag: 2, nobs: 97, criticalValues: { "1%": -3.5, "5%": -2.89, "10%": -2.58 }, regression: "c", interpretation: "Rejects a unit root at 5 %." };

  it("adfBundle lists statistic, p-value, lags, nobs, critical values, regression and interpretation", () => {
    const text = adfBundle(adf, { series: "spread", simulated: true })["text/plain"];
    expect(text).toBe(
      [
        "Augmented Dickey-Fuller test on spread — SIMULATED",
        "  ADF statistic: -3.5000",
        "  p-value: 0.0080",
        "  lags used: 2",
        "  observations: 97",
        "  critical value 1%: -3.5000",
        "  critical value 5%: -2.8900",
        "  critical value 10%: -2.5800",
        "  regression: c",
        "Rejects a unit root at 5 %.",
      ].join("\n"),
    );
  });

  it("engleGrangerBundle accepts critical values as an array", () => {
    const text = engleGrangerBundle({ statistic: -4, pValue: 0.01, criticalValues: [-3.9, -3.3, -3.0], hedgeRatio: 1.5 })["text/plain"];
    expect(text).toContain("critical value 5%: -3.3000");
    expect(text).toContain("hedge ratio β: 1.500000");
  });

  it("bundleOrWarning turns InsufficientDataError into the warning and other errors into a warning with the message", () => {
    const short = bundleOrWarning(() => {
      throw new InsufficientDataError("ADF", 20, 8);
    }, { what: "ADF on 8 bars", unit: "bars", secondsPerUnit: 60 });
    expect(short["text/plain"]).toBe("WARNING: Not enough data for ADF on 8 bars yet: needs 20 bars, has 8. 12 more bars take about 12 min.");
    const other = bundleOrWarning(() => {
      throw new RangeError("bad");
    }, { what: "ADF" });
    expect(other["text/plain"]).toBe("WARNING: ADF could not be computed: RangeError: bad");
    expect(bundleOrWarning(() => adfBundle(adf), { what: "ADF" })["text/plain"]).toContain("ADF statistic");
  });
});

describe("waitUntilCaughtUp / bundleOrWarning minimum", () => {
  const stats = (trades: number, lagMs: number) => ({
    status: "live", source: "demo", simulated: true, route: "r", warnings: [],
    symbols: { a: { trades, lastPrice: 1, lagMs, gaps: 0 }, b: { trades: 5, lastPrice: 1, lagMs: 10, gaps: 0 } },
  });

  it("waitUntilCaughtUp resolves true once every symbol has trades with lag ≤ maxLagMs", async () => {
    const seq = [stats(0, NaN), stats(10, 60_000), stats(20, 100)];
    let i = 0;
    await expect(waitUntilCaughtUp({ stats: () => seq[Math.min(i++, 2)] }, { pollMs: 1 })).resolves.toBe(true);
    expect(i).toBe(3);
  });

  it("waitUntilCaughtUp resolves false after timeoutMs when data never catch up", async () => {
    await expect(waitUntilCaughtUp({ stats: () => stats(0, NaN) }, { pollMs: 1, timeoutMs: 20 })).resolves.toBe(false);
  });

  it("bundleOrWarning with got < needed warns without computing", () => {
    let called = false;
    const bundle = bundleOrWarning(() => {
      called = true;
      return adfBundle({ statistic: 0, pValue: 1, usedLag: 0, nobs: 1, criticalValues: [0, 0, 0] });
    }, { what: "ADF on 20 points", needed: 50, got: 20, unit: "points", tradesPerSecond: 3 });
    expect(called).toBe(false);
    expect(bundle["text/plain"]).toBe("WARNING: Not enough data for ADF on 20 points yet: needs 50 points, has 20. At the current rate (3.0 trades/s) that takes about 10 s.");
  });
});
