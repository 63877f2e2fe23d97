import { describe, expect, it } from "vitest";
import {
  correlationFigure,
  figureBundle,
  bundleBytes,
  hedgeRatioFigure,
  priceFigure,
  spreadFigure,
  zScoreFigure,
  type PlotlyFigure,
} from "../../src/charts";
import { seededRandom } from "../../bench/harness";

const DAY = 86_400;
const T0 = Date.UTC(2026, 10, 22);

function walk(seed: number, n: number, start: number, step: number): Float64Array {
  const rnd = seededRandom(seed);
  const out = new Float64Array(n);
  let v = start;
  for (let i = 0; i < n; i++) {
    v += (rnd() - 0.5) * step;
    out[i] = v;
  }
  return out;
}

const time = Float64Array.from({ length: DAY }, (_, i) => T0 + i * 1000);
const btc = walk(1, DAY, 60_000, 20);
const eth = walk(2, DAY, 3_000, 1);
const vol = walk(3, DAY, 0, 1).map(Math.abs);

function traceLengths(fig: PlotlyFigure): number[] {
  return fig.data.filter((t) => Array.isArray(t.x)).map((t) => (t.x as unknown[]).length);
}

describe("chart builders on 24 h of 1 s bars", () => {
  const figures: [string, PlotlyFigure][] = [
    ["price", priceFigure([{ symbol: "BTCUSDT", time, close: btc, volume: vol }, { symbol: "ETHUSDT", time, close: eth, volume: vol }], { simulated: true })],
    ["spread", spreadFigure(time, eth, { simulated: true, halfLife: 12.5, barSeconds: 1 })],
    ["zscore", zScoreFigure(time, btc.map((v) => (v - 60_000) / 100), { threshold: 2, exit: 0.5, simulated: true })],
    ["correlation", correlationFigure(time, btc.map((v) => Math.tanh(v / 1e5)), { window: 300, simulated: true })],
    ["hedge", hedgeRatioFigure(time, eth, { simulated: true, window: 300 })],
  ];
  for (const [name, fig] of figures) {
    it(`${name} figure: ≤ 5,000 points per trace, bundle ≤ 1 MB, labelled SIMULATED`, () => {
      for (const len of traceLengths(fig)) expect(len).toBeLessThanOrEqual(5000);
      const bundle = figureBundle(fig);
      expect(bundleBytes(bundle)).toBeLessThanOrEqual(1_000_000);
      const title = JSON.stringify(fig.layout.title);
      expect(title).toContain("SIMULATED");
      expect(JSON.stringify(fig.layout.annotations)).toContain("SIMULATED DATA");
      expect(bundle["text/plain"]).toContain("SIMULATED");
    });
  }

  it("priceFigure plotted close range covers ≥ 99% of the true range (LTTB keeps extremes of a random walk)", () => {
    const fig = figures[0][1];
    const y = fig.data[0].y as number[];
    let hi = -Infinity;
    let lo = Infinity;
    for (const v of btc) {
      hi = Math.max(hi, v);
      lo = Math.min(lo, v);
    }
    const plottedRange = Math.max(...y) - Math.min(...y);
    expect(plottedRange / (hi - lo)).toBeGreaterThan(0.99);
  });

  it("priceFigure without quoteVolume puts each symbol's base volume on its own axis (y3 left, y4 right over y3)", () => {
    const fig = figures[0][1];
    expect(fig.data.map((t) => `${t.type}:${t.yaxis}`)).toEqual(["scatter:y", "scatter:y2", "bar:y3", "bar:y4"]);
    expect(fig.layout.yaxis3).toMatchObject({ title: { text: "BTCUSDT volume" } });
    expect(fig.layout.yaxis4).toMatchObject({ overlaying: "y3", side: "right", title: { text: "ETHUSDT volume" } });
  });

  it("priceFigure with quoteVolume shows both legs in USDT on one shared volume axis", () => {
    const n = 100;
    const time = Array.from({ length: n }, (_, i) => T0 + i * 1000);
    const leg = (symbol: string, price: number, qty: number) => ({
      symbol,
      time,
      close: new Array(n).fill(price),
      volume: new Array(n).fill(qty),
      quoteVolume: new Array(n).fill(price * qty),
    });
    const fig = priceFigure([leg("BTCUSDT", 60_000, 0.5), leg("ETHUSDT", 3_000, 10)]);
    expect(fig.data.map((t) => `${t.type}:${t.yaxis}`)).toEqual(["scatter:y", "scatter:y2", "bar:y3", "bar:y3"]);
    expect(fig.layout.yaxis3).toMatchObject({ title: { text: "volume (USDT)" } });
    expect(fig.layout.yaxis4).toBeUndefined();
    // 0.5 BTC at 60,000 = 30,000 USDT and 10 ETH at 3,000 = 30,000 USDT: same height, both readable.
    expect((fig.data[2].y as number[])[0]).toBe(30_000);
    expect((fig.data[3].y as number[])[0]).toBe(30_000);
    expect(fig.data[2].name).toBe("BTCUSDT volume (USDT)");
  });
});

describe("chart builders: semantics and edge cases", () => {
  const t = [T0, T0 + 1000, T0 + 2000, T0 + 3000];

  it("spreadFigure(time, spread with NaN) writes NaN as null (a gap) and epoch-ms x values", () => {
    const fig = spreadFigure(t, [NaN, 1, 2, 3]);
    expect(fig.data[0].y).toEqual([null, 1, 2, 3]);
    expect(fig.data[0].x).toEqual(t);
    expect(JSON.stringify(fig.layout.title)).not.toContain("SIMULATED");
    expect(fig.layout.annotations).toEqual([]);
  });

  it("zScoreFigure draws bands at ±threshold and ±exit and one marker per alert", () => {
    const fig = zScoreFigure(t, [0, 2.5, 0.3, -2.1], {
      threshold: 2,
      exit: 0.5,
      alerts: [
        { time: t[1], kind: "enter", side: "short-spread", z: 2.5 },
        { time: t[2], kind: "exit", side: "short-spread", z: 0.3 },
        { time: t[3], kind: "enter", side: "long-spread", z: -2.1 },
      ],
    });
    const levels = (fig.layout.shapes as { type: string; y0: number }[]).filter((s) => s.type === "line").map((s) => s.y0);
    expect(levels.sort((a, b) => a - b)).toEqual([-2, -0.5, 0.5, 2]);
    const enter = fig.data.find((d) => d.name === "alert: enter");
    const exit = fig.data.find((d) => d.name === "alert: exit");
    expect(enter?.x).toEqual([t[1], t[3]]);
    expect(enter?.y).toEqual([2.5, -2.1]);
    expect(exit?.x).toEqual([t[2]]);
  });

  it("zScoreFigure(…, { threshold: 0 }) throws RangeError and exit ≥ threshold throws RangeError", () => {
    expect(() => zScoreFigure(t, [0, 0, 0, 0], { threshold: 0 })).toThrow(RangeError);
    expect(() => zScoreFigure(t, [0, 0, 0, 0], { threshold: 2, exit: 2 })).toThrow(/exit/);
  });

  it("hedgeRatioFigure shows the current β as an indicator with the change since the first rolling value", () => {
    const fig = hedgeRatioFigure(t, [NaN, 0.5, 0.6, 0.7]);
    const indicator = fig.data[0];
    expect(indicator.type).toBe("indicator");
    expect(indicator.value).toBe(0.7);
    expect((indicator.delta as { reference: number }).reference).toBe(0.5);
    expect(hedgeRatioFigure(t, [NaN, 0.5, 0.6, 0.7], { current: 0.65 }).data[0].value).toBe(0.65);
  });

  it("correlationFigure fixes the y axis to [-1.05, 1.05]", () => {
    expect((correlationFigure(t, [NaN, 0.1, 0.2, 0.3]).layout.yaxis as { range: number[] }).range).toEqual([-1.05, 1.05]);
  });

  it("priceFigure([]) throws RangeError; mismatched lengths throw RangeError", () => {
    expect(() => priceFigure([])).toThrow(RangeError);
    expect(() => priceFigure([{ symbol: "A", time: t, close: [1, 2], volume: [1, 2, 3, 4] }])).toThrow(RangeError);
  });

  it("maxPointsPerTrace above 5,000 throws RangeError; a smaller budget is honoured", () => {
    expect(() => spreadFigure(time, eth, { maxPointsPerTrace: 6000 })).toThrow(RangeError);
    expect((spreadFigure(time, eth, { maxPointsPerTrace: 500 }).data[0].x as unknown[]).length).toBe(500);
  });

  it("webgl: true switches line traces to scattergl", () => {
    expect(spreadFigure(t, [1, 2, 3, 4], { webgl: true }).data[0].type).toBe("scattergl");
  });
});

describe("priceFigure volume downsampling", () => {
  it("priceFigure volume trace keeps the first and the latest bar when min-max thins it", () => {
    // Volume with its extremes in the middle: plain min-max would drop both ends (the latest bar is what a live chart must show).
    const n = 20_000;
    const t = Float64Array.from({ length: n }, (_, i) => T0 + i * 1000);
    const v = Float64Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 5 : 1 + (i % 7)));
    const fig = priceFigure([{ symbol: "A", time: t, close: t.map((x) => x / 1e9), volume: v }], { maxPointsPerTrace: 1000 });
    const volume = fig.data.find((tr) => tr.name === "A volume");
    const xs = volume?.x as number[];
    expect(xs.length).toBeLessThanOrEqual(1000);
    expect(xs[0]).toBe(t[0]);
    expect(xs[xs.length - 1]).toBe(t[n - 1]);
  });
});
