import { describe, expect, it } from "vitest";
import { resample } from "../../src/analytics";
import { pairFigure } from "../../src/charts";
import { pairAnalytics } from "../../src/pair";
import { normalFrom, seededRandom } from "../../bench/harness";

const T0 = Date.UTC(2026, 11, 1);

function analytics() {
  const normal = normalFrom(seededRandom(3));
  const n = 800;
  const time = Float64Array.from({ length: n }, (_, i) => T0 + i * 1000 + 10);
  let x = 3000;
  const pb = Float64Array.from({ length: n }, () => (x += normal()));
  const pa = Float64Array.from(pb, (v) => 20 * v + 1000 + normal());
  const qa = new Float64Array(n).fill(0.5);
  const qb = new Float64Array(n).fill(10);
  return pairAnalytics(resample({ time, price: pa, qty: qa }, "1s"), resample({ time, price: pb, qty: qb }, "1s"), {
    symbols: ["BTCUSDT", "ETHUSDT"],
    timeframe: "1s",
    hedgeWindow: 100,
    zWindow: 50,
    correlationWindow: 40,
    entry: 2.5,
    exit: 0.25,
    simulated: true,
  });
}

describe("pairFigure titles use the parameter vocabulary", () => {
  const an = analytics();
  const title = (chart: Parameters<typeof pairFigure>[1]): string => (pairFigure(an, chart).layout.title as { text: string }).text;

  it("pairFigure(an, chart) titles name hedgeWindow, zWindow, entry, exit and correlationWindow, with SIMULATED", () => {
    expect(title("zscore")).toBe("Z-score (zWindow 50, entry ±2.5, exit ±0.25) — SIMULATED");
    expect(title("hedge")).toBe("Hedge ratio β (hedgeWindow 100) — SIMULATED");
    expect(title("correlation")).toBe("Correlation of log returns (correlationWindow 40) — SIMULATED");
    expect(title("spread")).toMatch(/^Spread BTCUSDT − α − β·ETHUSDT \(hedgeWindow 100, half-life .+\) — SIMULATED$/);
    expect(title("prices")).toBe("Prices and quote volume (1s bars) — SIMULATED");
  });

  it("pairFigure(an, 'prices') draws both legs' volume in USDT on one axis (0.5 BTC ≈ 10 ETH × 3,000 in value)", () => {
    const fig = pairFigure(an, "prices");
    const bars = fig.data.filter((t) => t.type === "bar");
    expect(bars.map((t) => t.yaxis)).toEqual(["y3", "y3"]);
    expect(fig.layout.yaxis3).toMatchObject({ title: { text: "volume (USDT)" } });
    const btc = bars[0].y as number[];
    const eth = bars[1].y as number[];
    // Quote volume is price × qty per bar: same order of magnitude for both legs here (tolerance: a factor 2).
    expect(btc[10] / eth[10]).toBeGreaterThan(0.5);
    expect(btc[10] / eth[10]).toBeLessThan(2);
  });
});
