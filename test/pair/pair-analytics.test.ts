import { describe, expect, it } from "vitest";
import { ols, resample, rollingOls, rollingZScore, type Bars } from "../../src/analytics";
import { PLOTLY_MIME, bundleBytes, pairChartBundle, pairMetricsBundle, refreshDashboard } from "../../src/charts";
import { pairAnalytics, type PairParams } from "../../src/pair";
import { normalFrom, seededRandom } from "../../bench/harness";

const T0 = Date.UTC(2026, 10, 22);

/** A cointegrated pair of 1 s trade streams: b is a random walk, a = 2·b + 100 + AR(1) noise. */
function pair(seconds: number, seed = 11): { a: Bars; b: Bars } {
  const normal = normalFrom(seededRandom(seed));
  const time = new Float64Array(seconds);
  const pa = new Float64Array(seconds);
  const pb = new Float64Array(seconds);
  const qty = new Float64Array(seconds).fill(1);
  let x = 1000;
  let e = 0;
  for (let i = 0; i < seconds; i++) {
    x += normal();
    e = 0.9 * e + normal();
    time[i] = T0 + i * 1000 + 250;
    pb[i] = x;
    pa[i] = 2 * x + 100 + e;
  }
  return { a: resample({ time, price: pa, qty }, "1s"), b: resample({ time, price: pb, qty }, "1s") };
}

const params: PairParams = { symbols: ["AAA", "BBB"], timeframe: "1s", hedgeWindow: 60, zWindow: 30, entry: 2, exit: 0.5, simulated: true };

describe("pairAnalytics", () => {
  const { a, b } = pair(2000);
  const an = pairAnalytics(a, b, params);

  it("pairAnalytics composes rollingOls → spread → rollingZScore exactly (tolerance 0)", () => {
    const roll = rollingOls(a.close, b.close, 60);
    expect(an.hedgeRatio).toEqual(roll.beta);
    const s = Float64Array.from(a.close, (y, i) => y - roll.alpha[i] - roll.beta[i] * b.close[i]);
    for (let i = 0; i < s.length; i++) {
      if (Number.isNaN(s[i])) expect(an.spread[i]).toBeNaN();
      else expect(Math.abs(an.spread[i] - s[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(s[i])));
    }
    const z = rollingZScore(an.spread, 30);
    expect(an.zscore).toEqual(z);
  });

  it("pairAnalytics recovers the simulated hedge ratio ≈ 2 (median rolling β within 0.1) and a short half-life", () => {
    const finite = Array.from(an.hedgeRatio).filter(Number.isFinite).sort((p, q) => p - q);
    expect(Math.abs(finite[finite.length >> 1] - 2)).toBeLessThan(0.1);
    expect(an.currentHedgeRatio).toBe(finite.length ? an.hedgeRatio[an.hedgeRatio.length - 1] : NaN);
    expect(Math.abs(ols(a.close, b.close).beta - 2)).toBeLessThan(0.05);
    expect(an.halfLife).toBeGreaterThan(0);
    expect(an.halfLife).toBeLessThan(50);
    expect(an.barsNeeded).toBe(89);
  });

  it("pairAnalytics({ entry: 0 }) throws RangeError; equal symbols throw RangeError", () => {
    expect(() => pairAnalytics(a, b, { ...params, entry: 0 })).toThrow(RangeError);
    expect(() => pairAnalytics(a, b, { ...params, symbols: ["A", "A"] })).toThrow(RangeError);
    expect(() => pairAnalytics(a, b, { ...params, hedgeWindow: 2 })).toThrow(RangeError);
  });

  it("pairAnalytics quoteVolume is Σ price·qty per bar (vwap·volume, tolerance 1e-12 relative), 0 without trades", () => {
    for (let i = 0; i < an.bars; i++) {
      const expected = an.a.volume[i] > 0 ? an.a.vwap[i] * an.a.volume[i] : 0;
      expect(Math.abs(an.quoteVolume[0][i] - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
    }
    // qty 1 per trade and one trade per bar: the quote volume is the trade price, i.e. the close.
    expect(Math.abs(an.quoteVolume[1][100] - an.b.close[100])).toBeLessThanOrEqual(1e-9);
  });
});

describe("refreshDashboard / pairChartBundle", () => {
  it("refreshDashboard on enough data returns five Plotly bundles, each ≤ 1 MB", () => {
    const { a, b } = pair(3000);
    const r = refreshDashboard(a, b, params);
    for (const bundle of Object.values(r.bundles)) expect(bundle[PLOTLY_MIME]).toBeDefined();
    expect(r.largestBundleBytes).toBe(Math.max(...Object.values(r.bundles).map(bundleBytes)));
    expect(r.largestBundleBytes).toBeLessThanOrEqual(1_000_000);
  });

  it("pairChartBundle with too few bars is a warning saying how many bars and how long (never an empty chart)", () => {
    const { a, b } = pair(50);
    const an = pairAnalytics(a, b, params);
    const z = pairChartBundle(an, "zscore", { tradesPerSecond: 2 });
    expect(z[PLOTLY_MIME]).toBeUndefined();
    expect(z["text/plain"]).toBe(
      "WARNING: Not enough data for the z-score chart on 1s bars yet: needs 89 bars, has 50. 39 more bars take about 39 s.",
    );
    // Prices need one bar: still a chart.
    expect(pairChartBundle(an, "prices")[PLOTLY_MIME]).toBeDefined();
  });

  it("pairChartBundle with no bars at all warns for every chart including prices", () => {
    const empty = pair(0);
    const an = pairAnalytics(empty.a, empty.b, params);
    expect(pairChartBundle(an, "prices", { tradesPerSecond: 0 })["text/plain"]).toBe(
      "WARNING: Not enough data for the prices chart on 1s bars yet: needs 1 bar, has 0. 1 more bar takes about 1 s. No trades are arriving right now.",
    );
  });
});

describe("pairAnalytics with a degenerate regressor", () => {
  // b stops trading (constant close) for its last 100 bars: the latest 60-bar windows have a constant x.
  const { a, b } = pair(600, 5);
  const close = Float64Array.from(b.close);
  close.fill(close[499], 500);
  const stalled: Bars = { ...b, close };

  it("pairAnalytics(a, constant-tail b) reports the degenerate latest window instead of an old β", () => {
    const an = pairAnalytics(a, stalled, params);
    expect(an.latestWindowDegenerate).toBe(true);
    expect(Number.isNaN(an.currentHedgeRatio)).toBe(true);
    expect(an.degenerateWindows).toBe(101 - 60 + 1); // closes 499..599 are equal: 101 values, windows of 60
    expect(an.halfLifeNote).toMatch(/finite|constant/);
    const text = pairMetricsBundle(an)["text/plain"];
    expect(text).toContain("warning: No current hedge ratio: BBB was constant over the last hedgeWindow = 60 bars");
    expect(text).toContain("warning: 42 regression window(s) had a constant BBB");
    expect(text).toContain("warning: Half-life n/a:");
  });

  it("pairAnalytics(a, b) on healthy data carries no degenerate notes", () => {
    const { a: a2, b: b2 } = pair(600, 5);
    const an = pairAnalytics(a2, b2, params);
    expect(an.latestWindowDegenerate).toBe(false);
    expect(an.degenerateWindows).toBe(0);
    expect(an.halfLifeNote).toBe("");
    expect(pairMetricsBundle(an)["text/plain"]).not.toContain("warning:");
  });
});
