import { afterEach, describe, expect, it } from "vitest";
import { resample } from "../../src/analytics/resample";
import { demoUniverseRelations, demoUniverseSymbols } from "../../src/ingestion/universe-model";
import { TradeSimulator } from "../../src/ingestion/trade-simulator";
import { alignCloses, johansenTest, screenPairs } from "../../src/universe";
import { openUniverse, type Universe } from "../../src/notebook";

const opened: Universe[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.stop()));
});

/** 50 symbols: the modelled universe plus independent walks. */
const FIFTY = [
  "btcusdt", "ethusdt", ...demoUniverseSymbols(),
  ...Array.from({ length: 50 - 2 - demoUniverseSymbols().length }, (_, i) => `walk${String(i).padStart(2, "0")}usdt`),
];

describe("openUniverse over the demo exchange", () => {
  it("openUniverse(50 symbols, { source: 'demo', maxStreamsPerConnection: 20 }) shards over 3 connections and aligns every symbol", async () => {
    expect(new Set(FIFTY).size).toBe(50);
    const u = openUniverse(FIFTY, { source: "demo", shared: false, maxStreamsPerConnection: 20, interval: "1m", demo: { rate: 1, historyMs: 40 * 60_000, seed: 3 } });
    opened.push(u);
    await u.ingestion.waitForTrades(2_200, 60_000); // ≈ the 40 min of history at 1 trade/s
    const stats = u.ingestion.stats();
    expect(stats.label).toBe("SIMULATED");
    expect(stats.urls.length).toBe(3);
    const c = u.closes();
    expect(c.missing).toEqual([]);
    expect(c.symbols).toEqual(FIFTY);
    expect(c.label).toBe("SIMULATED");
    expect(c.time.length).toBeGreaterThanOrEqual(35);
    for (const s of FIFTY) {
      expect(c.closes[s].length).toBe(c.time.length);
      expect(c.closes[s].every(Number.isFinite)).toBe(true);
    }
    expect(c.time[c.time.length - 1] + c.intervalMs).toBeLessThanOrEqual(Date.now()); // the open bar is left out
  });
});

describe("demo universe model (cointegrated by construction)", () => {
  // 8 hours of 1-minute bars from the simulator directly (no sockets): 480 bars.
  const start = Date.UTC(2026, 11, 7);
  const symbols = ["btcusdt", "ethusdt", "solusdt", "avaxusdt", "ltcusdt", "bchusdt", "dotusdt", "atomusdt", "linkusdt", "xrpusdt", "adausdt", "dogeusdt"];
  const bars = Object.fromEntries(symbols.map((s) => [s, { time: [] as number[], price: [] as number[], qty: [] as number[] }]));
  // As the demo exchange does: the first two in one (pair) simulator, every other symbol in its own.
  const sims = [new TradeSimulator({ symbols: symbols.slice(0, 2), seed: 9, rate: 1, startTime: start }), ...symbols.slice(2).map((s, k) => new TradeSimulator({ symbols: [s], seed: 100 + k, rate: 1, startTime: start, pair: false }))];
  const groups = [symbols.slice(0, 2), ...symbols.slice(2).map((s) => [s])];
  sims.forEach((sim, g) => sim.advanceTo(start + 8 * 3_600_000, (i, _id, t, p, q) => {
    const b = bars[groups[g][i]];
    b.time.push(t);
    b.price.push(p);
    b.qty.push(q);
  }));
  const aligned = alignCloses(Object.fromEntries(symbols.map((s) => [s, resample(bars[s], "1m")])));

  it("demoUniverseRelations() lists the pairs and the basket", () => {
    expect(demoUniverseRelations().map((r) => r.symbols.join("~"))).toEqual(["ethusdt~btcusdt", "avaxusdt~solusdt", "bchusdt~ltcusdt", "linkusdt~dotusdt~atomusdt"]);
  });
  it("screenPairs(12 demo symbols, BH filter) finds the pairs cointegrated by construction and no pair of independent symbols", () => {
    const r = screenPairs(aligned.closes, { pValueFilter: "bh" });
    const found = r.rows.filter((x) => x.passes).map((x) => [x.y, x.x].sort().join("/")).sort();
    expect(found).toEqual(expect.arrayContaining(["avaxusdt/solusdt", "bchusdt/ltcusdt", "btcusdt/ethusdt"]));
    // Pairs of two independent factors never pass with the BH filter.
    const independent = ["solusdt", "ltcusdt", "dotusdt", "xrpusdt", "adausdt", "dogeusdt"];
    expect(found.filter((p) => p.split("/").every((s) => independent.includes(s)))).toEqual([]);
  });
  it("johansenTest(link, dot, atom) finds rank ≥ 1 and weights near the model's (1, −1.2, −0.8)", () => {
    const r = johansenTest([aligned.closes.linkusdt, aligned.closes.dotusdt, aligned.closes.atomusdt], { detOrder: 0, kArDiff: 1 });
    expect(r.rank).toBeGreaterThanOrEqual(1);
    expect(r.weights[1]).toBeCloseTo(-1.2, 1);
    expect(r.weights[2]).toBeCloseTo(-0.8, 1);
  });
});

describe("Universe notebook object", () => {
  it("universe.screen(), johansen() and show(view) read the latest closes; bad views and symbols throw RangeError", async () => {
    const outputs: unknown[] = [];
    const symbols = ["btcusdt", "ethusdt", "dotusdt", "atomusdt", "linkusdt", "xrpusdt"];
    const u = openUniverse(symbols, { source: "demo", shared: false, interval: "1m", demo: { rate: 1, historyMs: 3 * 3_600_000, seed: 5 }, writer: (c) => void outputs.push(c) });
    opened.push(u);
    expect(await u.ready({ timeoutMs: 60_000 })).toBe(true);
    const s = u.screen({ pValueFilter: "bh" });
    expect(s.pairs).toBe(15);
    expect(s.simulated).toBe(true);
    expect(s.truth).toContain("ethusdt/btcusdt");
    expect(u.screen({ pValueFilter: "bh" })).toBe(s); // no new bar, same options: the same result
    const b = u.johansen(["LINKUSDT", "dotusdt", "atomusdt"]);
    expect(b.symbols).toEqual(["linkusdt", "dotusdt", "atomusdt"]);
    expect(b.spread.length).toBe(b.time.length);
    for (const view of ["correlation", "pValues", "table"] as const) u.show(view, { pValueFilter: "bh" });
    u.show("johansen", { basket: ["linkusdt", "dotusdt", "atomusdt"] });
    u.show("basket", { basket: ["linkusdt", "dotusdt", "atomusdt"] });
    const text = JSON.stringify(outputs);
    expect(text).toContain("SIMULATED");
    expect(text).toContain("✱");
    expect(text).toContain("rank");
    expect(() => u.show("nope" as "table")).toThrow(RangeError);
    expect(() => u.show("johansen")).toThrow(/basket/);
    expect(() => u.johansen(["linkusdt", "solusdt"])).toThrow(RangeError);
  }, 90_000);
});
